package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// LinkService finds exact links: other cases and reports sharing a normalised
// identifier (phone in E.164, vehicle registration, postcode, folded business name,
// e-mail address, a person's folded full name with the same full date of birth)
// with a case or report. Links are found over every record, but told as far as the
// actor may see (DESIGN.md §4 rule 1): a case by tropic.AccessTo, a report by
// tropic.CanSeeReport; of any other record only the agency holding it is told.
type LinkService struct {
	cases *CaseService
}

var _ tropic.LinkService = (*LinkService)(nil)

// NewLinkService returns the link service on db; parsePhone normalises phone numbers.
func NewLinkService(db *DB, parsePhone tropic.PhoneParser) *LinkService {
	return &LinkService{cases: NewCaseService(db, parsePhone)}
}

// maxLinksPerIdentifier bounds the records found for one identifier (a busy
// postcode), so a page of links stays a page.
const maxLinksPerIdentifier = 50

// identifier is one normalised identifier on the viewer's record.
type identifier struct {
	kind  tropic.LinkKind
	typed string // as typed on the viewer's record
	key   string // normalised
}

type identifiers []identifier

func (ids *identifiers) add(kind tropic.LinkKind, typed, key string) {
	if key == "" {
		return
	}
	for _, id := range *ids {
		if id.kind == kind && id.key == key {
			return
		}
	}
	*ids = append(*ids, identifier{kind: kind, typed: strings.TrimSpace(typed), key: key})
}

// FindLinks lists the links of a case the actor may see, and audits the read.
func (s *LinkService) FindLinks(ctx context.Context, actor tropic.Actor, caseRef string) ([]tropic.Link, error) {
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, _, err := s.cases.caseByRef(ctx, tx, actor, caseRef, false)
	if err != nil {
		return nil, err
	}
	ids, err := caseIdentifiers(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	linked := map[int64]bool{}
	rows, err := tx.Query(ctx, `SELECT report_id FROM case_reports WHERE case_id = ?`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("find linked reports: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		linked[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	links, err := s.match(ctx, tx, actor, ids, c.ID, 0, linked)
	if err != nil {
		return nil, err
	}
	withdrawn, err := s.withdrawnLinks(ctx, tx, actor, c.ID, ids)
	if err != nil {
		return nil, err
	}
	links = append(links, withdrawn...)
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseLinksViewed, objectType: "case", objectID: c.ID,
		detail: c.Reference + linksDetail(links)}); err != nil {
		return nil, err
	}
	return links, tx.Commit()
}

// FindReportLinks lists the links of a report the actor may see, and audits the read.
func (s *LinkService) FindReportLinks(ctx context.Context, actor tropic.Actor, reportRef string) ([]tropic.Link, error) {
	ref, err := tropic.ParseReference(reportRef)
	if err != nil {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	}
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if actor, err = inHub(ctx, tx, actor); err != nil {
		return nil, err
	}
	r, err := findReport(ctx, tx, ref)
	if err != nil {
		return nil, err
	}
	if !tropic.CanSeeReport(actor, r) {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	}
	var ids identifiers
	for _, p := range r.Phones {
		ids.add(tropic.LinkPhone, p.Number, p.E164)
	}
	for _, v := range r.Vehicles {
		ids.add(tropic.LinkVehicle, v.Registration, v.Normalised)
	}
	ids.add(tropic.LinkPostcode, r.Location.Postcode, r.Location.Postcode)
	for _, b := range r.Businesses {
		ids.add(tropic.LinkBusiness, b, s.cases.db.businessKey(b))
	}
	links, err := s.match(ctx, tx, actor, ids, 0, r.ID, nil)
	if err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportLinksViewed, objectType: "report", objectID: r.ID,
		detail: r.Reference + linksDetail(links)}); err != nil {
		return nil, err
	}
	return links, tx.Commit()
}

// caseIdentifiers reads the identifiers a case links on.
func caseIdentifiers(ctx context.Context, tx *Tx, caseID int64) (identifiers, error) {
	var ids identifiers
	for _, q := range []struct {
		kind tropic.LinkKind
		sql  string
	}{
		{tropic.LinkPhone, `SELECT number, e164 FROM case_phones WHERE case_id = ? ORDER BY id`},
		{tropic.LinkPhone, `SELECT p.phone, p.phone_e164 FROM people p JOIN case_people cp ON cp.person_id = p.id WHERE cp.case_id = ? AND p.merged_into IS NULL ORDER BY cp.id`},
		{tropic.LinkEmail, `SELECT p.email, p.email_norm FROM people p JOIN case_people cp ON cp.person_id = p.id WHERE cp.case_id = ? AND p.merged_into IS NULL ORDER BY cp.id`},
		{tropic.LinkVehicle, `SELECT registration, normalised FROM case_vehicles WHERE case_id = ? ORDER BY id`},
		{tropic.LinkPostcode, `SELECT postcode, postcode FROM case_places WHERE case_id = ? ORDER BY id`},
		{tropic.LinkBusiness, `SELECT name, name_folded FROM case_businesses WHERE case_id = ? ORDER BY id`},
	} {
		if err := readIdentifiers(ctx, tx, q.sql, caseID, q.kind, &ids); err != nil {
			return nil, err
		}
	}
	if err := readPersonIdentifiers(ctx, tx, caseID, &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

func readIdentifiers(ctx context.Context, tx *Tx, query string, caseID int64, kind tropic.LinkKind, ids *identifiers) error {
	rows, err := tx.Query(ctx, query, caseID)
	if err != nil {
		return fmt.Errorf("read %s identifiers: %w", kind, err)
	}
	defer rows.Close()
	for rows.Next() {
		var typed, key string
		if err := rows.Scan(&typed, &key); err != nil {
			return err
		}
		ids.add(kind, typed, key)
	}
	return rows.Err()
}

// readPersonIdentifiers adds, for each person on the case with a full date of
// birth and a name, the person identifier: folded full name and date of birth,
// joined by personKeySep. A partial date (a year) is too common to link on.
func readPersonIdentifiers(ctx context.Context, tx *Tx, caseID int64, ids *identifiers) error {
	rows, err := tx.Query(ctx, `SELECT p.given_name, p.family_name, p.name_folded, p.date_of_birth FROM people p
		JOIN case_people cp ON cp.person_id = p.id WHERE cp.case_id = ? AND p.merged_into IS NULL ORDER BY cp.id`, caseID)
	if err != nil {
		return fmt.Errorf("read person identifiers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var given, family, folded, dob string
		if err := rows.Scan(&given, &family, &folded, &dob); err != nil {
			return err
		}
		if folded == "" || len(dob) != len(time.DateOnly) {
			continue
		}
		name := strings.TrimSpace(given + " " + family)
		born := dob
		if d, err := time.Parse(time.DateOnly, dob); err == nil {
			born = d.Format("2 January 2006") // as dates read elsewhere on the page
		}
		ids.add(tropic.LinkPerson, name+", born "+born, folded+personKeySep+dob)
	}
	return rows.Err()
}

// personKeySep joins the two parts of a person identifier's key.
const personKeySep = "\x00"

// matchArgs are the arguments of an identifier's lookup of cases.
func matchArgs(id identifier) []any {
	switch id.kind {
	case tropic.LinkPhone:
		return []any{id.key, id.key}
	case tropic.LinkPerson:
		name, dob, _ := strings.Cut(id.key, personKeySep)
		return []any{name, dob}
	}
	return []any{id.key}
}

// matchQueries are the indexed lookups of the cases and reports holding an identifier.
var matchQueries = map[tropic.LinkKind]struct{ cases, reports string }{
	tropic.LinkPhone: {
		`SELECT case_id FROM case_phones WHERE e164 = ? UNION SELECT cp.case_id FROM people p JOIN case_people cp ON cp.person_id = p.id WHERE p.phone_e164 = ? AND p.merged_into IS NULL`,
		`SELECT report_id FROM report_phones WHERE e164 = ?`},
	tropic.LinkVehicle:  {`SELECT case_id FROM case_vehicles WHERE normalised = ?`, `SELECT report_id FROM report_vehicles WHERE normalised = ?`},
	tropic.LinkPostcode: {`SELECT case_id FROM case_places WHERE postcode = ?`, `SELECT id FROM reports WHERE postcode = ?`},
	tropic.LinkBusiness: {`SELECT case_id FROM case_businesses WHERE name_folded = ?`, `SELECT report_id FROM report_businesses WHERE name_folded = ?`},
	// Reports keep no e-mail addresses or people, only descriptions.
	tropic.LinkEmail: {`SELECT cp.case_id FROM people p JOIN case_people cp ON cp.person_id = p.id WHERE p.email_norm = ? AND p.merged_into IS NULL`, ""},
	tropic.LinkPerson: {`SELECT cp.case_id FROM people p JOIN case_people cp ON cp.person_id = p.id
		WHERE p.name_folded = ? AND p.date_of_birth = ? AND p.merged_into IS NULL`, ""},
}

// match finds the other records holding each identifier, leaving out the viewer's
// own case or report and the reports already linked to the case, and tells each as
// the actor may see it. Matches the actor may not see are told once per identifier
// and holding agency: hit or no hit, not how many.
func (s *LinkService) match(ctx context.Context, tx *Tx, actor tropic.Actor, ids identifiers, selfCase, selfReport int64, skipReports map[int64]bool) ([]tropic.Link, error) {
	cases := map[int64]*tropic.Link{}   // what is told of each case
	reports := map[int64]*tropic.Link{} // and of each report
	var links []tropic.Link
	seen := map[string]bool{}
	for _, id := range ids {
		q := matchQueries[id.kind]
		args := matchArgs(id)
		caseIDs, err := queryIDs(ctx, tx, q.cases+` LIMIT ?`, append(args, maxLinksPerIdentifier)...)
		if err != nil {
			return nil, fmt.Errorf("match %s: %w", id.kind, err)
		}
		for _, cid := range caseIDs {
			if cid == selfCase {
				continue
			}
			l, ok := cases[cid]
			if !ok {
				if l, err = s.tellCase(ctx, tx, actor, cid); err != nil {
					return nil, err
				}
				cases[cid] = l
			}
			links = appendLink(links, seen, id, *l)
		}
		if q.reports == "" {
			continue
		}
		reportIDs, err := queryIDs(ctx, tx, q.reports+` LIMIT ?`, id.key, maxLinksPerIdentifier)
		if err != nil {
			return nil, fmt.Errorf("match %s: %w", id.kind, err)
		}
		for _, rid := range reportIDs {
			if rid == selfReport || skipReports[rid] {
				continue
			}
			l, ok := reports[rid]
			if !ok {
				if l, err = tellReport(ctx, tx, actor, rid); err != nil {
					return nil, err
				}
				reports[rid] = l
			}
			links = appendLink(links, seen, id, *l)
		}
	}
	return links, nil
}

func appendLink(links []tropic.Link, seen map[string]bool, id identifier, l tropic.Link) []tropic.Link {
	l.Kind, l.Value = id.kind, id.typed
	key := string(id.kind) + "\x00" + id.key + "\x00"
	switch {
	case l.CaseRef != "":
		key += "case " + l.CaseRef
	case l.ReportRef != "":
		key += "report " + l.ReportRef
	default:
		key += "held " + l.HeldBy
	}
	if seen[key] {
		return links
	}
	seen[key] = true
	return append(links, l)
}

// tellCase says what the actor may know of a matching case.
func (s *LinkService) tellCase(ctx context.Context, tx *Tx, actor tropic.Actor, id int64) (*tropic.Link, error) {
	var ref, title, agency string
	var owner int64
	if err := tx.QueryRow(ctx, `SELECT c.reference, c.title, c.owner_agency_id, a.name FROM cases c JOIN agencies a ON a.id = c.owner_agency_id WHERE c.id = ?`, id).
		Scan(&ref, &title, &owner, &agency); err != nil {
		return nil, fmt.Errorf("read linked case: %w", mapError(err))
	}
	shares, err := loadShares(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if tropic.AccessTo(actor, owner, shares, s.cases.local(tx)) == tropic.AccessNone {
		return &tropic.Link{HeldBy: agency, HeldByID: owner}, nil
	}
	return &tropic.Link{Visible: true, CaseRef: ref, Title: title, HeldBy: agency, HeldByID: owner}, nil
}

// tellReport says what the actor may know of a matching report.
func tellReport(ctx context.Context, tx *Tx, actor tropic.Actor, id int64) (*tropic.Link, error) {
	var r tropic.Report
	if err := tx.QueryRow(ctx, `SELECT reference, COALESCE(created_by_agency, 0), COALESCE(passed_to_agency, 0) FROM reports WHERE id = ?`, id).
		Scan(&r.Reference, &r.CreatedByAgency, &r.PassedToAgency); err != nil {
		return nil, fmt.Errorf("read linked report: %w", mapError(err))
	}
	actor, err := inHub(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	if !tropic.CanSeeReport(actor, &r) {
		return &tropic.Link{HeldBy: tropic.TriageHub}, nil
	}
	return &tropic.Link{Visible: true, ReportRef: r.Reference, HeldBy: tropic.TriageHub}, nil
}

func queryIDs(ctx context.Context, tx *Tx, query string, args ...any) ([]int64, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// linksDetail lists, for the audit trail, the records whose existence was told.
func linksDetail(links []tropic.Link) string {
	var b strings.Builder
	for _, l := range links {
		switch {
		case l.CaseRef != "":
			b.WriteString(" case " + l.CaseRef)
		case l.ReportRef != "":
			b.WriteString(" report " + l.ReportRef)
		default:
			b.WriteString(" held by " + l.HeldBy)
		}
		if l.Withdrawn {
			b.WriteString(" withdrawn")
		}
		b.WriteString(" (" + string(l.Kind) + ");")
	}
	return strings.TrimSuffix(b.String(), ";")
}
