package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // stale-edit messages give UK time, whatever the host's zone files

	"tropic/internal/tropic"
)

// CaseService stores cases and everything on them. Need to know is decided here, by
// tropic.AccessTo, on every call: a case the actor may not see answers exactly as a
// missing one.
//
// Who may change what:
//   - The owning agency's case workers (caseworkers, supervisors, the triage hub)
//     change the case: its fields, status, people, roles, places, businesses,
//     vehicles, phones, orders and linked reports, and ask to share it.
//   - An agency with a live whole-case share may add notes and tasks (it works the case
//     with the owner); a share without sensitive fields only reads. Any agency that can
//     see the case completes the tasks assigned to it or its people.
//   - Supervisors of the owning agency alone decide role changes and shares, revoke
//     shares and read the access log.
//
// Anything else answers ENOTFOUND when the actor cannot see the case, and EFORBIDDEN
// when they can see it but may not do this.
type CaseService struct {
	db         *DB
	parsePhone tropic.PhoneParser
	zone       *time.Location // where days and times are told: the partnership's
	// deferMatches leaves report matches to the caller (a bulk history load, which
	// rematches every report once at the end): see WithDeferredReportMatches.
	deferMatches bool
}

// WithDeferredReportMatches returns a case service that does not rematch reports
// when a case's identifiers change. Only for loading history in bulk, followed by
// MatchService.RefreshAllReportMatches.
func (s *CaseService) WithDeferredReportMatches() *CaseService {
	c := *s
	c.deferMatches = true
	return &c
}

// refreshReportMatches rewrites the report matches of a case whose identifiers changed,
// in the change's transaction: the triage queue's "matches case X".
func (s *CaseService) refreshReportMatches(ctx context.Context, tx *Tx, caseID int64) error {
	if s.deferMatches {
		return nil
	}
	return refreshCaseMatchesTx(ctx, tx, caseID)
}

var _ tropic.CaseService = (*CaseService)(nil)

// NewCaseService returns the case service on db; parsePhone normalises phone numbers.
func NewCaseService(db *DB, parsePhone tropic.PhoneParser) *CaseService {
	zone, err := time.LoadLocation("Europe/London")
	if err != nil {
		zone = time.UTC
	}
	return &CaseService{db: db, parsePhone: parsePhone, zone: zone}
}

// local is the transaction's time in the partnership's zone: shares end and tasks
// fall due on its days.
func (s *CaseService) local(tx *Tx) time.Time { return tx.now.In(s.zone) }

func (s *CaseService) today(tx *Tx) string { return s.local(tx).Format(time.DateOnly) }

func caseNotFound() error { return tropic.Errorf(tropic.ENOTFOUND, "Case not found.") }

// who names an actor as records keep them.
type who struct {
	name, agency string
}

func (w who) String() string {
	if w.agency == "" {
		return w.name
	}
	return w.name + " (" + w.agency + ")"
}

func actorWho(ctx context.Context, tx *Tx, actor tropic.Actor) (who, error) {
	if actor.IsSystem() {
		if actor.Label == "" {
			return who{name: "Tropic"}, nil
		}
		return who{name: actor.Label}, nil
	}
	var w who
	if err := tx.QueryRow(ctx, `SELECT u.name, a.name FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.id = ?`, actor.UserID).Scan(&w.name, &w.agency); err != nil {
		return who{}, fmt.Errorf("find actor: %w", mapError(err))
	}
	return w, nil
}

// stale refuses a save made against an old version, naming who changed the record.
func (s *CaseService) stale(what, by string, at time.Time) error {
	if by == "" {
		by = "Someone"
	}
	at = at.In(s.zone)
	return tropic.Errorf(tropic.ECONFLICT, "%s changed this %s at %s on %s. Your changes have not been saved; check what has changed, then make your changes again.",
		by, what, at.Format("15:04"), at.Format("2 January 2006"))
}

const caseColumns = `c.id, c.reference, c.owner_agency_id, a.name, c.title, c.district, c.exploitation, c.county_lines, c.status, c.outcome,
	c.opened_at, c.closed_at, c.crime_reference, c.offence, c.crime_recorded_at, c.version, c.updated_at, c.updated_by,
	c.officer_user_id, COALESCE((SELECT o.name FROM users o WHERE o.id = c.officer_user_id), ''), c.review_on`

const caseFrom = ` FROM cases c JOIN agencies a ON a.id = c.owner_agency_id `

func scanCase(sc interface{ Scan(...any) error }, extra ...any) (*tropic.Case, error) {
	var c tropic.Case
	var exploitation, status, outcome, offence string
	var closed, recorded sql.NullTime
	var officer sql.NullInt64
	dest := append([]any{&c.ID, &c.Reference, &c.OwnerAgencyID, &c.OwnerAgency, &c.Title, &c.District, &exploitation, &c.Exploitation.CountyLines,
		&status, &outcome, &c.OpenedAt, &closed, &c.CrimeReference, &offence, &recorded, &c.Version, &c.UpdatedAt, &c.UpdatedBy,
		&officer, &c.Officer, &c.ReviewOn}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, mapError(err)
	}
	c.OfficerUserID = officer.Int64
	c.Exploitation.Types = tropic.ParseExploitationTypes(exploitation)
	c.Status, c.Outcome, c.Offence = tropic.CaseStatus(status), tropic.CaseOutcome(outcome), tropic.Offence(offence)
	c.OpenedAt, c.UpdatedAt = c.OpenedAt.UTC(), c.UpdatedAt.UTC()
	if closed.Valid {
		c.ClosedAt = closed.Time.UTC()
	}
	if recorded.Valid {
		c.CrimeRecorded = recorded.Time.UTC()
	}
	return &c, nil
}

// loadCase finds the case matching where and decides the actor's access to it; a case
// the actor may not see is "Case not found.", as a missing one. With lock, the case
// row is locked for the transaction (PostgreSQL; SQLite has one writer).
func (s *CaseService) loadCase(ctx context.Context, tx *Tx, actor tropic.Actor, where string, arg any, lock bool) (*tropic.Case, []*tropic.Share, error) {
	if lock && tx.db.dialect == Postgres {
		var id int64
		if err := tx.QueryRow(ctx, `SELECT c.id FROM cases c WHERE `+where+` FOR UPDATE`, arg).Scan(&id); err != nil {
			if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
				return nil, nil, caseNotFound()
			}
			return nil, nil, fmt.Errorf("lock case: %w", err)
		}
	}
	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+caseFrom+`WHERE `+where, arg))
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, nil, caseNotFound()
	} else if err != nil {
		return nil, nil, fmt.Errorf("find case: %w", err)
	}
	shares, err := loadShares(ctx, tx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	c.Access = tropic.AccessTo(actor, c.OwnerAgencyID, shares, s.local(tx))
	if c.Access == tropic.AccessNone {
		return nil, nil, caseNotFound()
	}
	return c, shares, nil
}

// caseByRef loads a case by reference as people type it.
func (s *CaseService) caseByRef(ctx context.Context, tx *Tx, actor tropic.Actor, ref string, lock bool) (*tropic.Case, []*tropic.Share, error) {
	ref, err := tropic.ParseCaseReference(ref)
	if err != nil {
		return nil, nil, caseNotFound()
	}
	return s.loadCase(ctx, tx, actor, `c.reference = ?`, ref, lock)
}

// caseByID loads the case an object belongs to; a case the actor may not see answers
// as the object missing, with notFound.
func (s *CaseService) caseByID(ctx context.Context, tx *Tx, actor tropic.Actor, id int64, lock bool, notFound string) (*tropic.Case, []*tropic.Share, error) {
	c, shares, err := s.loadCase(ctx, tx, actor, `c.id = ?`, id, lock)
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, nil, tropic.Errorf(tropic.ENOTFOUND, "%s", notFound)
	}
	return c, shares, err
}

// CreateCase opens a case owned by the actor's agency, linking fromReport when given.
func (s *CaseService) CreateCase(ctx context.Context, actor tropic.Actor, c *tropic.Case, fromReport string) error {
	if err := tropic.MayOpenCase(actor); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	c.OwnerAgencyID, c.OwnerAgency = actor.AgencyID, w.agency
	if err := s.checkAssignment(ctx, tx, c, c.OfficerUserID, &c.ReviewOn); err != nil {
		return err
	}
	c.OpenedAt, c.UpdatedAt, c.UpdatedBy, c.Version = tx.now, tx.now, w.String(), 1
	c.ClosedAt, c.CrimeRecorded = time.Time{}, time.Time{}
	if c.Status == tropic.CaseClosed {
		c.ClosedAt = tx.now
	} else {
		c.Outcome = ""
	}
	if c.CrimeReference != "" {
		c.CrimeRecorded = tx.now
	}
	for attempt := 0; ; attempt++ {
		c.Reference = tropic.NewCaseReference()
		// ON CONFLICT DO NOTHING keeps the transaction usable on PostgreSQL when a fresh
		// reference collides: no row comes back, and another is tried.
		err = tx.QueryRow(ctx, `INSERT INTO cases (reference, owner_agency_id, title, title_folded, district, exploitation, county_lines, status, outcome,
			opened_at, closed_at, crime_reference, offence, crime_recorded_at, created_by_user, version, updated_at, updated_by_user, updated_by,
			officer_user_id, review_on)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
			c.Reference, c.OwnerAgencyID, c.Title, tropic.FoldName(c.Title), c.District, c.Exploitation.String(), c.Exploitation.CountyLines,
			string(c.Status), string(c.Outcome), c.OpenedAt, nullTime(c.ClosedAt), c.CrimeReference, string(c.Offence), nullTime(c.CrimeRecorded),
			nullID(actor.UserID), c.Version, c.UpdatedAt, nullID(actor.UserID), c.UpdatedBy, nullID(c.OfficerUserID), c.ReviewOn).Scan(&c.ID)
		if err == nil {
			break
		}
		if tropic.ErrorCode(mapError(err)) != tropic.ENOTFOUND || attempt > 3 {
			return fmt.Errorf("create case: %w", mapError(err))
		}
	}
	if err := setTerms(ctx, tx, termTitle, c.ID, true, c.Title); err != nil {
		return err
	}
	c.Reports = nil
	if fromReport != "" {
		ref, err := s.linkReport(ctx, tx, actor, c, fromReport)
		if err != nil {
			return err
		}
		c.Reports = []string{ref}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseCreated, objectType: "case", objectID: c.ID, detail: c.Reference}); err != nil {
		return err
	}
	if err := notifyOfficer(ctx, tx, actor, c); err != nil {
		return err
	}
	c.Access = tropic.AccessWhole
	return tx.Commit()
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// linkReport links a report the actor may see to the case and marks it linked, with a
// note on the report's timeline, and carries the report's records into the case
// (carryReport). A report already linked to this case is left as it is.
func (s *CaseService) linkReport(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, reportRef string) (string, error) {
	noReport := &tropic.Error{Code: tropic.EINVALID, Message: "There is no report with that reference",
		Fields: map[string]string{"report": "There is no report with that reference; check it and try again"}}
	ref, err := tropic.ParseReference(reportRef)
	if err != nil {
		return "", noReport
	}
	r := &tropic.Report{Reference: ref}
	var passedTo, createdBy sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT id, passed_to_agency, created_by_agency FROM reports WHERE reference = ?`+tx.db.forUpdate(), ref).Scan(&r.ID, &passedTo, &createdBy); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return "", noReport
		}
		return "", fmt.Errorf("find report: %w", err)
	}
	r.PassedToAgency, r.CreatedByAgency = passedTo.Int64, createdBy.Int64
	if actor, err = inHub(ctx, tx, actor); err != nil {
		return "", err
	}
	if !tropic.CanSeeReport(actor, r) {
		return "", noReport
	}
	res, err := tx.Exec(ctx, `INSERT INTO case_reports (case_id, report_id, linked_at, linked_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		c.ID, r.ID, tx.now, nullID(actor.UserID))
	if err != nil {
		return "", fmt.Errorf("link report: %w", mapError(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ref, nil
	}
	// A report passed to an agency is accepted by its linking to one of their cases.
	if err := handoffOnLink(ctx, tx, actor, r, c); err != nil {
		return "", err
	}
	if _, err := tx.Exec(ctx, `UPDATE reports SET status = ?, needs_attention = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
		string(tropic.ReportLinkedToCase), false, nullID(actor.UserID), tx.now, r.ID); err != nil {
		return "", fmt.Errorf("mark report linked: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO report_notes (report_id, at, source, user_id, text) VALUES (?, ?, 'staff', ?, ?)`,
		r.ID, tx.now, nullID(actor.UserID), "Linked to case "+c.Reference); err != nil {
		return "", fmt.Errorf("note report linked: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseReportLinked, objectType: "case", objectID: c.ID, detail: ref}); err != nil {
		return "", err
	}
	if err := s.carryReport(ctx, tx, actor, c, ref); err != nil {
		return "", err
	}
	return ref, nil
}

// LinkReport adds a report to a case the actor's agency owns.
func (s *CaseService) LinkReport(ctx context.Context, actor tropic.Actor, caseRef, reportRef string) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The triage hub adds reports to its agency's cases without seeing them: it finds
	// the case as its agency would, and may link only to a case its agency owns.
	finder := actor
	if !tropic.CaseWorker(actor) && tropic.CanOpenCases(actor) {
		finder = tropic.Actor{UserID: actor.UserID, AgencyID: actor.AgencyID, Roles: []tropic.Role{tropic.RoleCaseworker}}
	}
	c, _, err := s.caseByRef(ctx, tx, finder, caseRef, true)
	if err != nil {
		return err
	}
	if err := tropic.MayChangeCase(actor, c); err != nil {
		if !tropic.CaseWorker(actor) {
			return tropic.Errorf(tropic.ENOTFOUND, "Case not found.")
		}
		return err
	}
	if _, err := s.linkReport(ctx, tx, actor, c, reportRef); err != nil {
		return err
	}
	return tx.Commit()
}

// FindCase returns the case with everything the actor may see, and logs the view.
func (s *CaseService) FindCase(ctx context.Context, actor tropic.Actor, ref string) (*tropic.Case, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, shares, err := s.caseByRef(ctx, tx, actor, ref, false)
	if err != nil {
		return nil, err
	}
	if err := s.fillCase(ctx, tx, actor, c, shares); err != nil {
		return nil, err
	}
	if err := logAccess(ctx, tx, actor, c.ID, 0); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseViewed, objectType: "case", objectID: c.ID, detail: c.Reference}); err != nil {
		return nil, err
	}
	return c, tx.Commit()
}

// fillCase loads what is on the case, as far as c.Access allows.
func (s *CaseService) fillCase(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, shares []*tropic.Share) error {
	whole := c.Access == tropic.AccessWhole
	var err error
	if c.People, err = loadCasePeople(ctx, tx, c, whole); err != nil {
		return err
	}
	if c.Notices, err = loadNotices(ctx, tx, c); err != nil {
		return err
	}
	if c.Places, err = loadPlaces(ctx, tx, c.ID); err != nil {
		return err
	}
	if c.Business, err = loadBusinesses(ctx, tx, c.ID); err != nil {
		return err
	}
	if c.Vehicles, err = loadVehicles(ctx, tx, c.ID); err != nil {
		return err
	}
	if c.Phones, err = loadPhones(ctx, tx, c.ID); err != nil {
		return err
	}
	if c.Notes, err = loadNotes(ctx, tx, c.ID, whole); err != nil {
		return err
	}
	if c.Tasks, err = loadTasks(ctx, tx, `t.case_id = ?`, []any{c.ID}, 0); err != nil {
		return err
	}
	if c.Orders, err = loadOrders(ctx, tx, c.ID); err != nil {
		return err
	}
	if c.Reports, err = loadCaseReports(ctx, tx, c.ID); err != nil {
		return err
	}
	if err := s.fillClosure(ctx, tx, actor, c); err != nil {
		return err
	}
	// The owner sees every share; a receiving agency only its own.
	c.Shares = nil
	for _, sh := range shares {
		if actor.AgencyID == c.OwnerAgencyID || sh.AgencyID == actor.AgencyID {
			c.Shares = append(c.Shares, sh)
		}
	}
	return nil
}

func loadCaseReports(ctx context.Context, tx *Tx, caseID int64) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT r.reference FROM case_reports cr JOIN reports r ON r.id = cr.report_id WHERE cr.case_id = ? ORDER BY cr.linked_at, r.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("load linked reports: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, err
		}
		out = append(out, ref)
	}
	return out, rows.Err()
}

// logAccess records a view of a case, or of a person (personID) through a case.
func logAccess(ctx context.Context, tx *Tx, actor tropic.Actor, caseID, personID int64) error {
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO case_access_log (case_id, person_id, user_id, user_label, agency_id, agency, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		caseID, nullID(personID), nullID(actor.UserID), w.name, nullID(actor.AgencyID), w.agency, tx.now); err != nil {
		return fmt.Errorf("log access: %w", err)
	}
	return nil
}

// visibleCaseIDs selects the ids of the cases an agency may see on a day: its own and
// those with a live share. Arguments: agency, agency, day.
const visibleCaseIDs = `(SELECT id FROM cases WHERE owner_agency_id = ?
	UNION SELECT case_id FROM case_shares WHERE agency_id = ? AND status = 'active' AND (until_day = '' OR until_day >= ?))`

// caseAccessColumn computes the agency's access to case c in SQL, as AccessTo does for
// an actor who works cases. Arguments: agency, agency, day.
const caseAccessColumn = `CASE WHEN c.owner_agency_id = ? THEN 2 ELSE COALESCE((SELECT MAX(CASE WHEN s.scope = 'whole' THEN 2 ELSE 1 END)
	FROM case_shares s WHERE s.case_id = c.id AND s.agency_id = ? AND s.status = 'active' AND (s.until_day = '' OR s.until_day >= ?)), 0) END`

// FindCases lists the cases the actor may see: "ours", "shared" with us, or both.
func (s *CaseService) FindCases(ctx context.Context, actor tropic.Actor, f tropic.CaseFilter) ([]*tropic.Case, int, error) {
	if !tropic.CaseWorker(actor) || actor.AgencyID == 0 {
		return nil, 0, nil
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	today := s.today(tx)
	var where []string
	var args []any
	switch f.Scope {
	case "ours":
		where, args = append(where, "c.owner_agency_id = ?"), append(args, actor.AgencyID)
	case "shared":
		where = append(where, `c.id IN (SELECT case_id FROM case_shares WHERE agency_id = ? AND status = 'active' AND (until_day = '' OR until_day >= ?))`)
		args = append(args, actor.AgencyID, today)
	default:
		where, args = append(where, "c.id IN "+visibleCaseIDs), append(args, actor.AgencyID, actor.AgencyID, today)
	}
	if f.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, string(f.Status))
	}
	if f.District != "" {
		where, args = append(where, "c.district = ?"), append(args, f.District)
	}
	if f.Officer != 0 {
		where, args = append(where, "c.officer_user_id = ?"), append(args, f.Officer)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if ref, err := tropic.ParseCaseReference(q); err == nil {
			where, args = append(where, "c.reference = ?"), append(args, ref)
		} else if folded := tropic.FoldName(q); folded != "" {
			where, args = append(where, `c.title_folded LIKE ? ESCAPE '\'`), append(args, "%"+likeEscape(folded)+"%")
		} else {
			return nil, 0, nil
		}
	}
	cond := strings.Join(where, " AND ")
	var total int
	count := `SELECT COUNT(*) FROM cases c WHERE ` + cond
	if f.CountUpTo > 0 {
		count = fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM cases c WHERE %s LIMIT %d) counted`, cond, f.CountUpTo+1)
	}
	if err := tx.QueryRow(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count cases: %w", err)
	}
	order := "c.updated_at DESC, c.id DESC"
	switch f.Sort {
	case "opened":
		order = "c.opened_at DESC, c.id DESC"
	case "reference":
		order = "c.reference"
	case "title":
		order = "c.title_folded, c.id"
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	listArgs := append([]any{actor.AgencyID, actor.AgencyID, today}, args...)
	listArgs = append(listArgs, limit, max(f.Offset, 0))
	rows, err := tx.Query(ctx, `SELECT `+caseColumns+`, `+caseAccessColumn+caseFrom+`WHERE `+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`, listArgs...)
	if err != nil {
		return nil, 0, fmt.Errorf("find cases: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Case
	for rows.Next() {
		var access int
		c, err := scanCase(rows, &access)
		if err != nil {
			return nil, 0, err
		}
		c.Access = tropic.CaseAccess(access)
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// UpdateCase saves the case's own fields against the version the editor saw.
func (s *CaseService) UpdateCase(ctx context.Context, actor tropic.Actor, ref string, upd tropic.CaseUpdate) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, _, err := s.caseByRef(ctx, tx, actor, ref, true)
	if err != nil {
		return err
	}
	if err := tropic.MayChangeCase(actor, c); err != nil {
		return err
	}
	if c.Version != upd.Version {
		return s.stale("case", c.UpdatedBy, c.UpdatedAt)
	}
	n := *c
	n.Title, n.District, n.Exploitation, n.CrimeReference, n.Offence = upd.Title, upd.District, upd.Exploitation, upd.CrimeReference, upd.Offence
	switch {
	case upd.Status == tropic.CaseClosed && c.Status != tropic.CaseClosed:
		return &tropic.Error{Code: tropic.EINVALID, Message: "Close the case with its outcome instead",
			Fields: map[string]string{"status": "Choose open or active; close the case with its outcome instead"}}
	case c.Status == tropic.CaseClosed && upd.Status != "" && upd.Status != tropic.CaseClosed:
		return &tropic.Error{Code: tropic.EINVALID, Message: "Reopen the case with a reason instead",
			Fields: map[string]string{"status": "The case is closed; reopen it with a reason instead"}}
	case upd.Status != "":
		n.Status = upd.Status
	}
	if err := n.Validate(); err != nil {
		return err
	}
	if c.CrimeReference == "" && n.CrimeReference != "" && n.CrimeRecorded.IsZero() {
		n.CrimeRecorded = tx.now
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE cases SET title = ?, title_folded = ?, district = ?, exploitation = ?, county_lines = ?, status = ?,
		crime_reference = ?, offence = ?, crime_recorded_at = ?, version = version + 1, updated_at = ?, updated_by_user = ?, updated_by = ?
		WHERE id = ? AND version = ?`,
		n.Title, tropic.FoldName(n.Title), n.District, n.Exploitation.String(), n.Exploitation.CountyLines, string(n.Status),
		n.CrimeReference, string(n.Offence), nullTime(n.CrimeRecorded), tx.now, nullID(actor.UserID), w.String(), c.ID, upd.Version)
	if err != nil {
		return fmt.Errorf("update case: %w", mapError(err))
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return s.stale("case", c.UpdatedBy, c.UpdatedAt)
	}
	if n.Title != c.Title {
		if err := setTerms(ctx, tx, termTitle, c.ID, false, n.Title); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseUpdated, objectType: "case", objectID: c.ID,
		detail: fmt.Sprintf("%s version %d", c.Reference, c.Version+1)}); err != nil {
		return err
	}
	return tx.Commit()
}

// ReopenCase reopens a closed case, with the reason recorded on its timeline.
func (s *CaseService) ReopenCase(ctx context.Context, actor tropic.Actor, ref, reason string, version int) error {
	reason = strings.TrimSpace(reason)
	var p tropic.Problems
	if reason == "" {
		p.Add("reason", "Enter why the case is being reopened")
	}
	tropic.CheckText(&p, "reason", "The reason", reason, tropic.MaxLongText)
	if err := p.Err(); err != nil {
		return err
	}
	return s.changeStatus(ctx, actor, ref, version, func(c *tropic.Case) (string, string, error) {
		if c.Status != tropic.CaseClosed {
			return "", "", tropic.Errorf(tropic.ECONFLICT, "This case is not closed.")
		}
		c.Status, c.Outcome = tropic.CaseActive, ""
		return tropic.AuditCaseReopened, "Case reopened: " + reason, nil
	})
}

// changeStatus closes or reopens: change sets the new status and returns the audit
// action and the timeline note.
func (s *CaseService) changeStatus(ctx context.Context, actor tropic.Actor, ref string, version int, change func(*tropic.Case) (string, string, error)) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, _, err := s.caseByRef(ctx, tx, actor, ref, true)
	if err != nil {
		return err
	}
	if err := tropic.MayChangeCase(actor, c); err != nil {
		return err
	}
	if err := s.changeStatusTx(ctx, tx, actor, c, version, change); err != nil {
		return err
	}
	return tx.Commit()
}

// changeStatusTx changes the status of case c, loaded in tx, against version.
func (s *CaseService) changeStatusTx(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, version int, change func(*tropic.Case) (string, string, error)) error {
	if c.Version != version {
		return s.stale("case", c.UpdatedBy, c.UpdatedAt)
	}
	action, note, err := change(c)
	if err != nil {
		return err
	}
	var closed any
	if c.Status == tropic.CaseClosed {
		closed = tx.now
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE cases SET status = ?, outcome = ?, closed_at = ?, version = version + 1, updated_at = ?, updated_by_user = ?, updated_by = ?
		WHERE id = ? AND version = ?`, string(c.Status), string(c.Outcome), closed, tx.now, nullID(actor.UserID), w.String(), c.ID, version)
	if err != nil {
		return fmt.Errorf("change case status: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return s.stale("case", c.UpdatedBy, c.UpdatedAt)
	}
	if err := insertRecord(ctx, tx, actor, w, c.ID, note); err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: "case", objectID: c.ID, detail: c.Reference + ": " + note})
}
