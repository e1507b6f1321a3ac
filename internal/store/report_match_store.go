package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// businessKeysSetting marks case businesses as re-keyed by businessKey.
const businessKeysSetting = "business_keys_version"

// reportMatchKinds orders the kinds of a stored match as links are told.
var reportMatchKinds = []tropic.LinkKind{tropic.LinkPhone, tropic.LinkVehicle, tropic.LinkPostcode, tropic.LinkBusiness}

func linkKindRank(k tropic.LinkKind) int {
	if i := slices.Index(reportMatchKinds, k); i >= 0 {
		return i
	}
	return len(reportMatchKinds)
}

// reportMatchRow is one row of report_matches.
type reportMatchRow struct {
	report, cas int64
	kind        tropic.LinkKind
}

// RefreshReportMatches matches one report against the cases now, as the job
// matches new ones (storeBatchMatches), and replaces its stored matches. A match
// found before keeps the time it was first found.
func (s *MatchService) RefreshReportMatches(ctx context.Context, reportID int64) error {
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	n, err := matchReportsTx(ctx, tx, `SELECT id FROM reports WHERE id = ?`, reportID)
	if err != nil {
		return err
	}
	if n == 0 {
		return tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	}
	return tx.Commit()
}

// RefreshCaseMatches finds the reports sharing an identifier with a case and
// replaces the case's stored matches with them. Call it when a case's phones,
// vehicles, places, businesses or people (their phones) change.
func (s *MatchService) RefreshCaseMatches(ctx context.Context, caseID int64) error {
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM cases WHERE id = ?`+tx.db.forUpdate(), caseID).Scan(&one); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return caseNotFound()
		}
		return fmt.Errorf("find case to match: %w", err)
	}
	if err := refreshCaseMatchesTx(ctx, tx, caseID); err != nil {
		return err
	}
	return tx.Commit()
}

// refreshCaseMatchesTx is RefreshCaseMatches inside a transaction that changes the
// case, so that its stored matches change with it.
func refreshCaseMatchesTx(ctx context.Context, tx *Tx, caseID int64) error {
	var ids identifiers
	for _, q := range []struct {
		kind tropic.LinkKind
		sql  string
	}{
		{tropic.LinkPhone, `SELECT number, e164 FROM case_phones WHERE case_id = ? ORDER BY id`},
		{tropic.LinkPhone, `SELECT p.phone, p.phone_e164 FROM people p JOIN case_people cp ON cp.person_id = p.id
			WHERE cp.case_id = ? AND p.merged_into IS NULL ORDER BY cp.id`},
		{tropic.LinkVehicle, `SELECT registration, normalised FROM case_vehicles WHERE case_id = ? ORDER BY id`},
		{tropic.LinkPostcode, `SELECT postcode, postcode FROM case_places WHERE case_id = ? ORDER BY id`},
		{tropic.LinkBusiness, `SELECT name, name_folded FROM case_businesses WHERE case_id = ? ORDER BY id`},
	} {
		if err := readIdentifiers(ctx, tx, q.sql, caseID, q.kind, &ids); err != nil {
			return err
		}
	}
	var found []reportMatchRow
	for _, id := range ids {
		if id.kind == tropic.LinkBusiness {
			id.key = tx.db.businessKey(id.typed) // whichever way the case row was folded
		}
		reportIDs, err := queryIDs(ctx, tx, matchQueries[id.kind].reports+` ORDER BY 1 DESC LIMIT ?`, id.key, maxLinksPerIdentifier)
		if err != nil {
			return fmt.Errorf("match case %s: %w", id.kind, err)
		}
		for _, r := range reportIDs {
			found = append(found, reportMatchRow{report: r, cas: caseID, kind: id.kind})
		}
	}
	return replaceReportMatches(ctx, tx, `case_id = ?`, caseID, found)
}

// replaceReportMatches replaces the stored matches selected by where (one report's or
// one case's) with found, keeping when each match still found was first found.
// Another refresh may be storing the same match at once: it is stored once.
func replaceReportMatches(ctx context.Context, tx *Tx, where string, id int64, found []reportMatchRow) error {
	rows, err := tx.Query(ctx, `SELECT report_id, case_id, kind, found_at FROM report_matches WHERE `+where, id)
	if err != nil {
		return fmt.Errorf("read stored matches: %w", err)
	}
	was := map[reportMatchRow]time.Time{}
	for rows.Next() {
		var m reportMatchRow
		var kind string
		var at time.Time
		if err := rows.Scan(&m.report, &m.cas, &kind, &at); err != nil {
			rows.Close()
			return err
		}
		m.kind = tropic.LinkKind(kind)
		was[m] = at.UTC()
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM report_matches WHERE `+where, id); err != nil {
		return fmt.Errorf("clear stored matches: %w", err)
	}
	done := map[reportMatchRow]bool{}
	for _, m := range found {
		if done[m] {
			continue
		}
		done[m] = true
		at, ok := was[m]
		if !ok {
			at = tx.now
		}
		if _, err := tx.Exec(ctx, `INSERT INTO report_matches (report_id, case_id, kind, found_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			m.report, m.cas, string(m.kind), at); err != nil {
			return fmt.Errorf("store match: %w", err)
		}
	}
	return nil
}

// ReportMatches tells, for each of reportIDs the actor may see, the stored cases it
// matches: a case the actor may see by reference and title, one per kind of
// identifier; any other only as held by its agency, once per agency (hit or no
// hit). Cases the report is already linked to are left out. Telling any match is
// audited, once per call.
func (s *MatchService) ReportMatches(ctx context.Context, actor tropic.Actor, reportIDs []int64) (map[int64][]tropic.Link, error) {
	out := map[int64][]tropic.Link{}
	if len(reportIDs) == 0 {
		return out, nil
	}
	tx, err := s.cases.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if actor, err = inHub(ctx, tx, actor); err != nil {
		return nil, err
	}
	in, args := inList(reportIDs)
	rows, err := tx.Query(ctx, `SELECT m.report_id, r.reference, COALESCE(r.created_by_agency, 0), COALESCE(r.passed_to_agency, 0),
		m.case_id, m.kind, c.reference, c.title, c.owner_agency_id, a.name
		FROM report_matches m JOIN reports r ON r.id = m.report_id JOIN cases c ON c.id = m.case_id JOIN agencies a ON a.id = c.owner_agency_id
		WHERE m.report_id IN (`+in+`)
		AND NOT EXISTS (SELECT 1 FROM case_reports cr WHERE cr.case_id = m.case_id AND cr.report_id = m.report_id)
		ORDER BY m.report_id, m.case_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read report matches: %w", err)
	}
	type row struct {
		report    tropic.Report
		caseID    int64
		kind      tropic.LinkKind
		ref       string
		title     string
		owner     int64
		ownerName string
	}
	var all []row
	for rows.Next() {
		var m row
		var kind string
		if err := rows.Scan(&m.report.ID, &m.report.Reference, &m.report.CreatedByAgency, &m.report.PassedToAgency,
			&m.caseID, &kind, &m.ref, &m.title, &m.owner, &m.ownerName); err != nil {
			rows.Close()
			return nil, err
		}
		m.kind = tropic.LinkKind(kind)
		all = append(all, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(all, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.report.ID, b.report.ID), cmp.Compare(linkKindRank(a.kind), linkKindRank(b.kind)), cmp.Compare(a.caseID, b.caseID))
	})
	access := map[int64]bool{}
	told := map[string]bool{}
	refs := map[int64]string{}
	for _, m := range all {
		if !tropic.CanSeeReport(actor, &m.report) {
			continue
		}
		visible, ok := access[m.caseID]
		if !ok {
			shares, err := loadShares(ctx, tx, m.caseID)
			if err != nil {
				return nil, err
			}
			visible = tropic.AccessTo(actor, m.owner, shares, s.cases.local(tx)) != tropic.AccessNone
			access[m.caseID] = visible
		}
		l := tropic.Link{Kind: m.kind, HeldBy: m.ownerName}
		key := fmt.Sprintf("%d held %s", m.report.ID, m.ownerName)
		if visible {
			l.Visible, l.CaseRef, l.Title = true, m.ref, m.title
			key = fmt.Sprintf("%d case %d %s", m.report.ID, m.caseID, m.kind)
		}
		if told[key] {
			continue
		}
		told[key] = true
		refs[m.report.ID] = m.report.Reference
		out[m.report.ID] = append(out[m.report.ID], l)
	}
	tx.Rollback()
	if len(out) == 0 {
		return out, nil
	}
	// The audit names the records whose existence was told, report by report; a
	// single report is also the event's object.
	var objectID int64
	var detail []string
	for _, id := range keys(out) {
		objectID = id
		detail = append(detail, refs[id]+linksDetail(out[id]))
	}
	if len(out) > 1 {
		objectID = 0
	}
	wtx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer wtx.Rollback()
	if err := appendAudit(ctx, wtx, actor, auditEntry{action: tropic.AuditReportLinksViewed, objectType: "report", objectID: objectID,
		detail: "queue matches: " + strings.Join(detail, ". ")}); err != nil {
		return nil, err
	}
	return out, wtx.Commit()
}

// BackfillReportBusinesses writes the business key of report businesses stored
// before reports kept one, and brings case businesses folded by other rules to the
// same key, so that the two sides match. It returns how many rows it changed; run
// it after migrating.
func BackfillReportBusinesses(ctx context.Context, db *DB) (int, error) {
	tx, err := db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	type change struct {
		a, b int64
		key  string
	}
	read := func(query string, report bool) ([]change, error) {
		rows, err := tx.Query(ctx, query)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []change
		for rows.Next() {
			var c change
			var name, folded string
			if report {
				err = rows.Scan(&c.a, &c.b, &name, &folded)
			} else {
				err = rows.Scan(&c.a, &name, &folded)
			}
			if err != nil {
				return nil, err
			}
			if c.key = db.businessKey(name); c.key != folded {
				out = append(out, c)
			}
		}
		return out, rows.Err()
	}
	reports, err := read(`SELECT report_id, position, name, name_folded FROM report_businesses WHERE name_folded = '' AND name <> ''`, true)
	if err != nil {
		return 0, fmt.Errorf("read report businesses: %w", err)
	}
	// Case businesses were keyed by tropic.FoldName before migration 0007: they are
	// re-keyed once, and the settings row says it is done, so that a start does not
	// read every case business again.
	var done int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM settings WHERE key = ?`, businessKeysSetting).Scan(&done); err != nil {
		return 0, fmt.Errorf("read business keys setting: %w", err)
	}
	var cases []change
	if done == 0 {
		if cases, err = read(`SELECT id, name, name_folded FROM case_businesses`, false); err != nil {
			return 0, fmt.Errorf("read case businesses: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, '1')`, businessKeysSetting); err != nil {
			return 0, fmt.Errorf("write business keys setting: %w", err)
		}
	}
	for _, c := range reports {
		if _, err := tx.Exec(ctx, `UPDATE report_businesses SET name_folded = ? WHERE report_id = ? AND position = ?`, c.key, c.a, c.b); err != nil {
			return 0, fmt.Errorf("key report business: %w", err)
		}
	}
	for _, c := range cases {
		if _, err := tx.Exec(ctx, `UPDATE case_businesses SET name_folded = ? WHERE id = ?`, c.key, c.a); err != nil {
			return 0, fmt.Errorf("key case business: %w", err)
		}
	}
	return len(reports) + len(cases), tx.Commit()
}

// matchBatch is how many reports one run of MatchNewReports matches at most.
const matchBatch = 5000

// MatchNewReports matches up to limit reports not matched yet (reports.matched is
// false), oldest first, against the cases, in one transaction: their identifiers
// joined in a few set queries instead of a transaction a report. The report_match job runs it every few seconds; a burst of reports from
// the public form costs one write, not one a report. It returns how many reports it
// matched.
func (s *MatchService) MatchNewReports(ctx context.Context, limit int) (int, error) {
	if limit <= 0 {
		limit = matchBatch
	}
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := matchReportsTx(ctx, tx, `SELECT id FROM reports WHERE NOT matched ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// matchReportsTx matches the reports pick selects (a query of report ids) in tx,
// and returns how many there were.
func matchReportsTx(ctx context.Context, tx *Tx, pick string, args ...any) (int, error) {
	for _, q := range []string{
		`CREATE TEMPORARY TABLE batch_reports (id BIGINT PRIMARY KEY)`,
		`CREATE TEMPORARY TABLE found_matches (report_id BIGINT NOT NULL, case_id BIGINT NOT NULL, kind TEXT NOT NULL)`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return 0, fmt.Errorf("match reports: %w", err)
		}
	}
	res, err := tx.Exec(ctx, `INSERT INTO batch_reports (id) `+pick, args...)
	if err != nil {
		return 0, fmt.Errorf("pick reports to match: %w", err)
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		if err := storeBatchMatches(ctx, tx); err != nil {
			return 0, err
		}
	}
	for _, q := range []string{`DROP TABLE found_matches`, `DROP TABLE batch_reports`} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return 0, fmt.Errorf("match reports: %w", err)
		}
	}
	return int(n), nil
}

// storeBatchMatches replaces the stored matches of the reports in batch_reports with
// what their identifiers find now, and marks them matched. Matches found before keep
// when they were first found.
func storeBatchMatches(ctx context.Context, tx *Tx) error {
	for _, q := range []string{
		`SELECT rp.report_id, cp.case_id, 'phone' FROM batch_reports b JOIN report_phones rp ON rp.report_id = b.id
			JOIN case_phones cp ON cp.e164 = rp.e164 WHERE rp.e164 <> ''`,
		`SELECT rp.report_id, c.case_id, 'phone' FROM batch_reports b JOIN report_phones rp ON rp.report_id = b.id
			JOIN people p ON p.phone_e164 = rp.e164 AND p.merged_into IS NULL JOIN case_people c ON c.person_id = p.id WHERE rp.e164 <> ''`,
		`SELECT rv.report_id, cv.case_id, 'vehicle' FROM batch_reports b JOIN report_vehicles rv ON rv.report_id = b.id
			JOIN case_vehicles cv ON cv.normalised = rv.normalised WHERE rv.normalised <> ''`,
		`SELECT r.id, cp.case_id, 'postcode' FROM batch_reports b JOIN reports r ON r.id = b.id
			JOIN case_places cp ON cp.postcode = r.postcode WHERE r.postcode <> ''`,
		`SELECT rb.report_id, cb.case_id, 'business' FROM batch_reports b JOIN report_businesses rb ON rb.report_id = b.id
			JOIN case_businesses cb ON cb.name_folded = rb.name_folded WHERE rb.name_folded <> ''`,
	} {
		if _, err := tx.Exec(ctx, `INSERT INTO found_matches (report_id, case_id, kind) `+q); err != nil {
			return fmt.Errorf("match reports: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM report_matches WHERE report_id IN (SELECT id FROM batch_reports) AND NOT EXISTS (SELECT 1 FROM found_matches f
		WHERE f.report_id = report_matches.report_id AND f.case_id = report_matches.case_id AND f.kind = report_matches.kind)`); err != nil {
		return fmt.Errorf("clear stale report matches: %w", err)
	}
	now := "?"
	if tx.db.dialect == Postgres {
		now = "CAST(? AS TIMESTAMPTZ)" // a bare parameter in a select list is text
	}
	if _, err := tx.Exec(ctx, `INSERT INTO report_matches (report_id, case_id, kind, found_at)
		SELECT DISTINCT report_id, case_id, kind, `+now+` FROM found_matches WHERE true ON CONFLICT DO NOTHING`, tx.now); err != nil {
		return fmt.Errorf("store report matches: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE reports SET matched = TRUE WHERE id IN (SELECT id FROM batch_reports)`); err != nil {
		return fmt.Errorf("mark reports matched: %w", err)
	}
	return nil
}

// RefreshAllReportMatches matches every report again (after the demo writes its
// history, or to repair), a batch a transaction. It returns how many it matched.
func (s *MatchService) RefreshAllReportMatches(ctx context.Context) (int, error) {
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `UPDATE reports SET matched = FALSE WHERE matched`); err != nil {
		return 0, fmt.Errorf("unmark reports: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	total := 0
	for {
		n, err := s.MatchNewReports(ctx, matchBatch)
		total += n
		if err != nil || n < matchBatch {
			return total, err
		}
	}
}
