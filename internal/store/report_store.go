package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"tropic/internal/tropic"
)

// Jobs queues background work inside a store transaction, so that work is queued if
// and only if the change commits. The jobs package implements it on River.
type Jobs interface {
	EnqueueTx(ctx context.Context, tx *sql.Tx, job tropic.Job) error
}

// ReportService stores reports and their triage.
type ReportService struct {
	db         *DB
	jobs       Jobs // may be nil: no notifications
	parsePhone tropic.PhoneParser

	// Districts change rarely and are read by every report form and submission;
	// they are kept for a few seconds. Another process's new district shows within that.
	districtsMu   sync.Mutex
	districts     []tropic.District
	districtsRead time.Time
}

// districtsTTL is how long the district list is reused.
const districtsTTL = 10 * time.Second

var _ tropic.ReportService = (*ReportService)(nil)

// NewReportService returns the report service on db. jobs may be nil.
func NewReportService(db *DB, jobs Jobs, parsePhone tropic.PhoneParser) *ReportService {
	return &ReportService{db: db, jobs: jobs, parsePhone: parsePhone}
}

// CreateReport validates and stores a report, once per form key; a form key used
// before goes to resend.
func (s *ReportService) CreateReport(ctx context.Context, actor tropic.Actor, r *tropic.Report, formKeyHash string) (tropic.ReportSent, error) {
	if err := tropic.MayRecordReport(actor); err != nil {
		return 0, err
	}
	districts, err := s.FindDistricts(ctx)
	if err != nil {
		return 0, err
	}
	if r.FollowUpHash == "" {
		return 0, fmt.Errorf("create report: no follow-up code hash")
	}
	// Sealed before the transaction: the slow hash holds no lock.
	sealedCode, err := s.db.sealFollowUpCode(r.FollowUpHash)
	if err != nil {
		return 0, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	howHeard, err := findHowHeardOptions(ctx, tx)
	if err != nil {
		return 0, err
	}
	if err := r.Validate(districts, howHeard, s.parsePhone, tx.now); err != nil {
		return 0, err
	}
	r.ReceivedAt = tx.now
	r.Status = tropic.ReportNew
	r.Urgency, r.UrgencyReason = r.AssessUrgency()
	r.CreatedByUser, r.CreatedByAgency = actor.UserID, actor.AgencyID
	var fk any
	if formKeyHash != "" {
		fk = formKeyHash
	}
	inds := make([]string, len(r.Indicators))
	for i, v := range r.Indicators {
		inds[i] = string(v)
	}
	// ON CONFLICT DO NOTHING keeps the transaction usable on PostgreSQL when the form
	// key was seen before (a second submission) or, once in a trillion, a fresh
	// reference collides: no row comes back, and the two are told apart below.
	for attempt := 0; ; attempt++ {
		r.Reference = tropic.NewReference()
		err = tx.QueryRow(ctx, `INSERT INTO reports (reference, channel, received_at, description, address, postcode, district,
			seen_on, seen_when, in_danger, exploitation, county_lines, indicators, people_count, children_involved, people_description,
			reporter_anonymous, reporter_name, reporter_contact, reporter_relationship, how_heard, language, form_language,
			urgency, urgency_rank, urgency_reason, status, created_by_user, created_by_agency, follow_up_hash, form_key_hash, reporter_notify_consent)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING RETURNING id`,
			r.Reference, string(r.Channel), r.ReceivedAt, r.Description, r.Location.Address, r.Location.Postcode, r.Location.District,
			r.SeenOn, r.SeenWhen, string(r.InDanger), r.Exploitation.String(), r.Exploitation.CountyLines, strings.Join(inds, ","),
			r.People.Count, string(r.People.ChildrenInvolved), r.People.Description,
			r.Reporter.Anonymous, r.Reporter.Name, r.Reporter.Contact, string(r.Reporter.Relationship), r.HowHeard, r.Language, r.FormLanguage,
			string(r.Urgency), r.Urgency.Rank(), r.UrgencyReason, string(r.Status), nullID(actor.UserID), nullID(actor.AgencyID), sealedCode, fk, r.Reporter.NotifyConsent).Scan(&r.ID)
		if err == nil {
			break
		}
		if tropic.ErrorCode(mapError(err)) != tropic.ENOTFOUND || attempt > 3 {
			return 0, fmt.Errorf("create report: %w", err)
		}
		if formKeyHash != "" {
			var ref string
			err := tx.QueryRow(ctx, `SELECT reference FROM reports WHERE form_key_hash = ?`+tx.db.forUpdate(), formKeyHash).Scan(&ref)
			if err == nil {
				return s.resend(ctx, tx, actor, r, ref)
			} else if tropic.ErrorCode(mapError(err)) != tropic.ENOTFOUND {
				return 0, fmt.Errorf("find report by form key: %w", err)
			}
		}
	}
	for i, v := range r.Vehicles {
		if _, err := tx.Exec(ctx, `INSERT INTO report_vehicles (report_id, position, registration, normalised, description) VALUES (?, ?, ?, ?, ?)`,
			r.ID, i, v.Registration, v.Normalised, v.Description); err != nil {
			return 0, fmt.Errorf("add vehicle: %w", err)
		}
	}
	for i, p := range r.Phones {
		if _, err := tx.Exec(ctx, `INSERT INTO report_phones (report_id, position, number, e164) VALUES (?, ?, ?, ?)`, r.ID, i, p.Number, p.E164); err != nil {
			return 0, fmt.Errorf("add phone: %w", err)
		}
	}
	for i, b := range r.Businesses {
		if _, err := tx.Exec(ctx, `INSERT INTO report_businesses (report_id, position, name, name_folded) VALUES (?, ?, ?, ?)`,
			r.ID, i, b, s.db.businessKey(b)); err != nil {
			return 0, fmt.Errorf("add business: %w", err)
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportCreated, objectType: "report", objectID: r.ID,
		detail: string(r.Channel) + "; " + string(r.Urgency)}); err != nil {
		return 0, err
	}
	if err := s.notifyUrgent(ctx, tx, r.ID, r.Urgency); err != nil {
		return 0, err
	}
	// Matching against cases is not done here: the report_match job matches new
	// reports (reports.matched is false) in batches, so the public form waits for
	// neither the matching nor a job of its own (decision record 14).
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit report: %w", err)
	}
	return tropic.ReportStored, nil
}

// notifyUrgent queues the notification of a report that is urgent or an emergency.
func (s *ReportService) notifyUrgent(ctx context.Context, tx *Tx, id int64, u tropic.Urgency) error {
	if u == tropic.UrgencyRoutine || s.jobs == nil {
		return nil
	}
	if err := s.jobs.EnqueueTx(ctx, tx.Tx, tropic.UrgentReportJob{ReportID: id}); err != nil {
		return fmt.Errorf("queue urgent report notification: %w", err)
	}
	return nil
}

// resend applies tropic.ResendReport to answers r sent again under the form key of
// the stored report ref, and fills r with the stored report. Changed answers go on
// the timeline once (a double click on them adds one note), flag the report for
// triage and raise its urgency when they make it more urgent.
func (s *ReportService) resend(ctx context.Context, tx *Tx, actor tropic.Actor, r *tropic.Report, ref string) (tropic.ReportSent, error) {
	stored, err := findReport(ctx, tx, ref)
	if err != nil {
		return 0, err
	}
	res, err := tropic.ResendReport(stored, r)
	if err != nil {
		return 0, err
	}
	if len(res.Changes) == 0 {
		*r = *stored
		return tropic.ReportSentBefore, nil
	}
	if n := len(stored.Notes); n > 0 && stored.Notes[n-1].Source == "reporter" && stored.Notes[n-1].Text == res.Note {
		*r = *stored
		return tropic.ReportAddedTo, nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO report_notes (report_id, at, source, text) VALUES (?, ?, 'reporter', ?)`, stored.ID, tx.now, res.Note); err != nil {
		return 0, fmt.Errorf("add changed answers: %w", err)
	}
	detail := fmt.Sprintf("%d answers changed", len(res.Changes))
	if res.Urgency != "" {
		stored.Urgency, stored.UrgencyReason = res.Urgency, res.UrgencyReason
		detail += "; urgency raised to " + string(res.Urgency)
	}
	if _, err := tx.Exec(ctx, `UPDATE reports SET needs_attention = ?, urgency = ?, urgency_rank = ?, urgency_reason = ? WHERE id = ?`,
		true, string(stored.Urgency), stored.Urgency.Rank(), stored.UrgencyReason, stored.ID); err != nil {
		return 0, fmt.Errorf("flag report: %w", err)
	}
	if res.Urgency != "" {
		if err := s.notifyUrgent(ctx, tx, stored.ID, res.Urgency); err != nil {
			return 0, err
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportResent, objectType: "report", objectID: stored.ID, detail: detail}); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit changed answers: %w", err)
	}
	stored.NeedsAttention = true
	stored.Notes = append(stored.Notes, tropic.ReportNote{At: tx.now, Source: "reporter", Text: res.Note})
	*r = *stored
	return tropic.ReportAddedTo, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const reportColumns = `r.id, r.reference, r.channel, r.received_at, r.description, r.address, r.postcode, r.district,
	r.seen_on, r.seen_when, r.in_danger, r.exploitation, r.county_lines, r.indicators, r.people_count, r.children_involved, r.people_description,
	r.reporter_anonymous, r.reporter_name, r.reporter_contact, r.reporter_relationship, r.how_heard, r.language, r.form_language,
	r.urgency, r.urgency_reason, r.urgency_override, r.status, r.needs_attention, r.created_by_user, r.created_by_agency,
	r.claimed_by, r.claimed_at, r.passed_to_agency, r.duplicate_of, r.follow_up_hash, r.reporter_notify_consent`

func scanReport(sc interface{ Scan(...any) error }) (*tropic.Report, error) {
	var r tropic.Report
	var channel, inDanger, exploitation, indicators, children, relationship, urgency, status string
	var createdBy, createdByAgency, claimedBy, passedTo sql.NullInt64
	var claimedAt sql.NullTime
	err := sc.Scan(&r.ID, &r.Reference, &channel, &r.ReceivedAt, &r.Description, &r.Location.Address, &r.Location.Postcode, &r.Location.District,
		&r.SeenOn, &r.SeenWhen, &inDanger, &exploitation, &r.Exploitation.CountyLines, &indicators, &r.People.Count, &children, &r.People.Description,
		&r.Reporter.Anonymous, &r.Reporter.Name, &r.Reporter.Contact, &relationship, &r.HowHeard, &r.Language, &r.FormLanguage,
		&urgency, &r.UrgencyReason, &r.UrgencyOverride, &status, &r.NeedsAttention, &createdBy, &createdByAgency,
		&claimedBy, &claimedAt, &passedTo, &r.DuplicateOf, &r.FollowUpHash, &r.Reporter.NotifyConsent)
	if err != nil {
		return nil, mapError(err)
	}
	r.Channel, r.InDanger, r.People.ChildrenInvolved = tropic.Channel(channel), tropic.YesNoUnsure(inDanger), tropic.YesNoUnsure(children)
	r.Reporter.Relationship, r.Urgency, r.Status = tropic.Relationship(relationship), tropic.Urgency(urgency), tropic.ReportStatus(status)
	r.Exploitation.Types = tropic.ParseExploitationTypes(exploitation)
	for _, i := range strings.Split(indicators, ",") {
		if i != "" {
			r.Indicators = append(r.Indicators, tropic.Indicator(i))
		}
	}
	r.CreatedByUser, r.CreatedByAgency, r.PassedToAgency = createdBy.Int64, createdByAgency.Int64, passedTo.Int64
	if claimedBy.Valid {
		r.ClaimedBy = &tropic.User{ID: claimedBy.Int64}
		r.ClaimedAt = claimedAt.Time.UTC()
	}
	r.ReceivedAt = r.ReceivedAt.UTC()
	return &r, nil
}

// findReport loads a whole report, with its lists and timeline.
func findReport(ctx context.Context, tx *Tx, ref string) (*tropic.Report, error) {
	r, err := scanReport(tx.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports r WHERE r.reference = ?`, ref))
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find report: %w", err)
	}
	if r.ClaimedBy != nil {
		if u, err := findUser(ctx, tx, `u.id = ?`, r.ClaimedBy.ID); err == nil {
			r.ClaimedBy = u
		}
	}
	rows, err := tx.Query(ctx, `SELECT registration, normalised, description FROM report_vehicles WHERE report_id = ? ORDER BY position`, r.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v tropic.Vehicle
		if err := rows.Scan(&v.Registration, &v.Normalised, &v.Description); err != nil {
			rows.Close()
			return nil, err
		}
		r.Vehicles = append(r.Vehicles, v)
	}
	rows.Close()
	rows, err = tx.Query(ctx, `SELECT number, e164 FROM report_phones WHERE report_id = ? ORDER BY position`, r.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p tropic.Phone
		if err := rows.Scan(&p.Number, &p.E164); err != nil {
			rows.Close()
			return nil, err
		}
		r.Phones = append(r.Phones, p)
	}
	rows.Close()
	rows, err = tx.Query(ctx, `SELECT name FROM report_businesses WHERE report_id = ? ORDER BY position`, r.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return nil, err
		}
		r.Businesses = append(r.Businesses, b)
	}
	rows.Close()
	if err := loadHandoffs(ctx, tx, r); err != nil {
		return nil, err
	}
	if err := loadMessages(ctx, tx, r); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT n.at, n.source, COALESCE(u.name, ''), COALESCE(a.name, ''), n.text FROM report_notes n
		LEFT JOIN users u ON u.id = n.user_id LEFT JOIN agencies a ON a.id = u.agency_id WHERE n.report_id = ? ORDER BY n.id`, r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n tropic.ReportNote
		if err := rows.Scan(&n.At, &n.Source, &n.User, &n.Agency, &n.Text); err != nil {
			return nil, err
		}
		n.At = n.At.UTC()
		r.Notes = append(r.Notes, n)
	}
	return r, rows.Err()
}

// FindReportByReference returns a report the actor may see, limited to what they may
// read (tropic.ReportSightFor: the triage hub, the agency it was passed to, and anyone
// who sees a case it is linked to), and audits the view. A report the actor may not
// see answers as a missing one.
func (s *ReportService) FindReportByReference(ctx context.Context, actor tropic.Actor, ref string) (*tropic.Report, error) {
	ref, err := tropic.ParseReference(ref)
	if err != nil {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if actor, err = inHub(ctx, tx, actor); err != nil {
		return nil, err
	}
	r, err := reportAsSeenBy(ctx, tx, actor, ref, nil)
	if err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportViewed, objectType: "report", objectID: r.ID}); err != nil {
		return nil, err
	}
	return r, tx.Commit()
}

// openQueue is the triage queue's default view: new reports, and decided ones with
// new information. It is the predicate of the partial index reports_open, word for
// word, so that the index serves both the count and the page.
const openQueue = "(r.status = '" + string(tropic.ReportNew) + "' OR r.needs_attention)"

// FindReports returns the triage queue: by urgency, then oldest first. The triage hub
// lists every report; triage users of other agencies only those passed to theirs
// (tropic.ReportAccessFor); anyone else gets an empty list.
func (s *ReportService) FindReports(ctx context.Context, actor tropic.Actor, f tropic.ReportFilter) ([]*tropic.Report, int, error) {
	if !actor.Has(tropic.RoleTriage) && !actor.IsSystem() {
		return nil, 0, nil
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if actor, err = inHub(ctx, tx, actor); err != nil {
		return nil, 0, err
	}
	where, args := []string{"1=1"}, []any{}
	if !actor.IsSystem() && !actor.InTriageHub() {
		where = append(where, "r.passed_to_agency = ?")
		args = append(args, actor.AgencyID)
		if len(f.Statuses) == 0 {
			f.Statuses = []tropic.ReportStatus{tropic.ReportPassedToAgency, tropic.ReportLinkedToCase}
		}
	}
	if len(f.AckOverdue) == len(tropic.Urgencies) {
		cond, a := ackOverdueCondition(f.AckOverdue)
		where = append(where, "r.status = ? AND EXISTS (SELECT 1 FROM report_handoffs h WHERE h.report_id = r.id AND h.state = ? AND "+cond+")")
		args = append(append(args, string(tropic.ReportPassedToAgency), string(tropic.HandoffPassed)), a...)
		f.Statuses = []tropic.ReportStatus{tropic.ReportPassedToAgency}
	}
	if len(f.Statuses) == 0 {
		// With literals, the same predicate as the open queue's partial index (0381).
		where = append(where, openQueue)
	} else {
		ph := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			ph[i] = "?"
			args = append(args, string(st))
		}
		where = append(where, "r.status IN ("+strings.Join(ph, ",")+")")
	}
	if f.District != "" {
		where = append(where, "r.district = ?")
		args = append(args, f.District)
	}
	if f.Exploitation != "" {
		// Types are stored comma-joined; match a whole item.
		where = append(where, "(',' || r.exploitation || ',') LIKE ? ESCAPE '\\'")
		args = append(args, "%,"+likeEscape(string(f.Exploitation))+",%")
	}
	if f.Channel != "" {
		where = append(where, "r.channel = ?")
		args = append(args, string(f.Channel))
	}
	if f.Urgency != "" {
		where = append(where, "r.urgency_rank = ?") // the queue's index holds the rank
		args = append(args, f.Urgency.Rank())
	}
	if !f.From.IsZero() {
		where = append(where, "r.received_at >= ?")
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where = append(where, "r.received_at < ?")
		args = append(args, f.To.UTC())
	}
	if f.Reference != "" {
		ref, err := tropic.ParseReference(f.Reference)
		if err != nil {
			return nil, 0, nil
		}
		where = []string{"r.reference = ?"}
		args = []any{ref}
		if !actor.IsSystem() && !actor.InTriageHub() {
			where = append(where, "r.passed_to_agency = ?")
			args = append(args, actor.AgencyID)
		}
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM reports r WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count reports: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := tx.Query(ctx, `SELECT `+reportColumns+` FROM reports r WHERE `+cond+` ORDER BY r.urgency_rank, r.received_at, r.id LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("find reports: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Report
	claimers := map[int64]bool{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, 0, err
		}
		if r.ClaimedBy != nil {
			claimers[r.ClaimedBy.ID] = true
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	names := map[int64]*tropic.User{}
	for id := range claimers {
		if u, err := findUser(ctx, tx, `u.id = ?`, id); err == nil {
			names[id] = u
		}
	}
	for _, r := range out {
		if r.ClaimedBy != nil && names[r.ClaimedBy.ID] != nil {
			r.ClaimedBy = names[r.ClaimedBy.ID]
		}
	}
	if err := loadHandoffs(ctx, tx, out...); err != nil {
		return nil, 0, err
	}
	if !actor.IsSystem() && !actor.InTriageHub() {
		for _, r := range out {
			r.Limit(tropic.ReportSightFor(actor, r, nil))
		}
	}
	return out, total, nil
}

// AddFollowUp appends the reporter's further information. The code is checked first:
// the right code always gets through, however many wrong ones the report has seen.
// A wrong code and an unknown reference answer alike, in the same steps (one row
// read, one slow verification, nothing written), so that nothing tells whether
// a reference exists: with a code of 50 random bits, guessing is hopeless at any rate
// the service can answer (docs/decisions.md, "The right follow-up code always gets
// through"). codeHash is tropic.HashFollowUpCode of the code typed; the store holds
// it sealed (followup_codes.go) and verifies it here, outside the write transaction.
func (s *ReportService) AddFollowUp(ctx context.Context, ref, codeHash, text string) error {
	var p tropic.Problems
	text = tropic.CheckFollowUp(&p, text)
	if err := p.Err(); err != nil {
		return err
	}
	id, stored, sealed, err := s.db.reporterReport(ctx, ref, codeHash)
	if err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `INSERT INTO report_notes (report_id, at, source, text) VALUES (?, ?, 'reporter', ?)`, id, tx.now, text); err != nil {
		return fmt.Errorf("add follow-up: %w", err)
	}
	// New information on a report already triaged brings it back to the queue's attention.
	if _, err := tx.Exec(ctx, `UPDATE reports SET needs_attention = (status <> ?) WHERE id = ?`, string(tropic.ReportNew), id); err != nil {
		return err
	}
	if err := sealOnUse(ctx, tx, id, stored, sealed); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, tropic.SystemActor("public follow-up"), auditEntry{action: tropic.AuditReportFollowUp, objectType: "report", objectID: id}); err != nil {
		return err
	}
	if err := notifyOfficersOfFollowUp(ctx, tx, id, ref); err != nil {
		return err
	}
	return tx.Commit()
}

// reportForTriage loads a report for a triage action, refusing anyone but the
// triage hub.
func reportForTriage(ctx context.Context, tx *Tx, actor tropic.Actor, ref string) (*tropic.Report, error) {
	actor, err := inHub(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	if !actor.InTriageHub() {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	}
	ref, err = tropic.ParseReference(ref)
	if err != nil {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	}
	var id int64
	var claimedBy, passedTo sql.NullInt64
	var status string
	if err := tx.QueryRow(ctx, `SELECT id, claimed_by, status, passed_to_agency FROM reports WHERE reference = ?`+tx.db.forUpdate(), ref).Scan(&id, &claimedBy, &status, &passedTo); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
		}
		return nil, err
	}
	r := &tropic.Report{ID: id, Reference: ref, Status: tropic.ReportStatus(status), PassedToAgency: passedTo.Int64}
	if claimedBy.Valid {
		r.ClaimedBy = &tropic.User{ID: claimedBy.Int64}
	}
	return r, nil
}

// ClaimReport marks the actor as working the report. Taking over another person's
// claim must be asked for explicitly.
func (s *ReportService) ClaimReport(ctx context.Context, actor tropic.Actor, ref string, takeOver bool) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := reportForTriage(ctx, tx, actor, ref)
	if err != nil {
		return err
	}
	if r.ClaimedBy != nil && r.ClaimedBy.ID != actor.UserID && !takeOver {
		u, _ := findUser(ctx, tx, `u.id = ?`, r.ClaimedBy.ID)
		who := "someone else"
		if u != nil {
			who = u.Name + " (" + u.Agency.Name + ")"
		}
		return tropic.Errorf(tropic.ECONFLICT, "%s is already working on this report. Take it over only if you have agreed it with them.", who)
	}
	if _, err := tx.Exec(ctx, `UPDATE reports SET claimed_by = ?, claimed_at = ? WHERE id = ?`, actor.UserID, tx.now, r.ID); err != nil {
		return fmt.Errorf("claim report: %w", err)
	}
	detail := ""
	if r.ClaimedBy != nil && r.ClaimedBy.ID != actor.UserID {
		detail = fmt.Sprintf("taken over from user %d", r.ClaimedBy.ID)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportClaimed, objectType: "report", objectID: r.ID, detail: detail}); err != nil {
		return err
	}
	return tx.Commit()
}

// DecideReport records a triage decision with who and why. Passing a report to an
// agency records the handoff (passReport); a report waiting with an agency is theirs
// until they accept or return it, so no other decision is taken on it meanwhile.
func (s *ReportService) DecideReport(ctx context.Context, actor tropic.Actor, ref string, d tropic.ReportDecision) error {
	if err := d.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := reportForTriage(ctx, tx, actor, ref)
	if err != nil {
		return err
	}
	if err := s.decideReport(ctx, tx, actor, r, d); err != nil {
		return err
	}
	return tx.Commit()
}

// decideReport records decision d on report r in tx: the report, its timeline, the
// handoff when it is passed to an agency, and the audit trail. A report waiting with
// an agency is theirs until they accept or return it: no other decision meanwhile.
func (s *ReportService) decideReport(ctx context.Context, tx *Tx, actor tropic.Actor, r *tropic.Report, d tropic.ReportDecision) error {
	if d.Status != tropic.ReportPassedToAgency {
		if err := waitingWithAgency(ctx, tx, r); err != nil {
			return err
		}
	}
	var passedTo any
	note := d.Status.Label()
	switch d.Status {
	case tropic.ReportDuplicate:
		if d.DuplicateOf == r.Reference {
			return &tropic.Error{Code: tropic.EINVALID, Message: "A report cannot duplicate itself", Fields: map[string]string{"duplicate_of": "A report cannot duplicate itself; enter the other report's reference"}}
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM reports WHERE reference = ?`, d.DuplicateOf).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &tropic.Error{Code: tropic.EINVALID, Message: "There is no report with that reference", Fields: map[string]string{"duplicate_of": "There is no report with that reference"}}
		}
		note += " of " + d.DuplicateOf
	case tropic.ReportPassedToAgency:
		a, err := findAgency(ctx, tx, `id = ?`, d.AgencyID)
		if err != nil {
			return &tropic.Error{Code: tropic.EINVALID, Message: "Choose an agency from the list", Fields: map[string]string{"agency": "Choose an agency from the list"}}
		}
		replay, err := s.passReport(ctx, tx, actor, r, a, d)
		if err != nil || replay {
			return err
		}
		passedTo = a.ID
		note += ": " + a.Name
		if d.IncludeReporterContact {
			note += " (with the reporter's contact details)"
		} else {
			note += " (without the reporter's contact details)"
		}
	}
	if d.Reason != "" {
		note += ". " + d.Reason
	}
	if _, err := tx.Exec(ctx, `UPDATE reports SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ?, duplicate_of = ?, passed_to_agency = ?, needs_attention = ? WHERE id = ?`,
		string(d.Status), actor.UserID, tx.now, d.Reason, d.DuplicateOf, passedTo, false, r.ID); err != nil {
		return fmt.Errorf("decide report: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO report_notes (report_id, at, source, user_id, text) VALUES (?, ?, 'staff', ?, ?)`, r.ID, tx.now, actor.UserID, "Decision: "+note); err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportDecided, objectType: "report", objectID: r.ID, detail: note})
}

// SetUrgency overrides the computed urgency, with a reason.
func (s *ReportService) SetUrgency(ctx context.Context, actor tropic.Actor, ref string, u tropic.Urgency, reason string) error {
	var p tropic.Problems
	reason = strings.TrimSpace(reason)
	if !u.Valid() {
		p.Add("urgency", "Choose emergency, urgent or routine")
	}
	if reason == "" {
		p.Add("urgency_reason", "Enter why the urgency should change")
	} else {
		tropic.CheckText(&p, "urgency_reason", "The reason", reason, tropic.MaxMediumText)
	}
	if err := p.Err(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := reportForTriage(ctx, tx, actor, ref)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("%s: %s", strings.ToLower(u.Label()), reason)
	if _, err := tx.Exec(ctx, `UPDATE reports SET urgency = ?, urgency_rank = ?, urgency_reason = ?, urgency_override = ? WHERE id = ?`,
		string(u), u.Rank(), text+" (changed by triage)", true, r.ID); err != nil {
		return fmt.Errorf("set urgency: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO report_notes (report_id, at, source, user_id, text) VALUES (?, ?, 'staff', ?, ?)`, r.ID, tx.now, actor.UserID, "Urgency changed to "+text); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportUrgency, objectType: "report", objectID: r.ID, detail: text}); err != nil {
		return err
	}
	return tx.Commit()
}

// AddReportNote adds a staff note to a report's timeline.
func (s *ReportService) AddReportNote(ctx context.Context, actor tropic.Actor, ref, text string) error {
	text = strings.TrimSpace(text)
	var p tropic.Problems
	if text == "" {
		p.Add("note", "Enter the note")
	} else {
		tropic.CheckText(&p, "note", "The note", text, tropic.MaxDescription)
	}
	if err := p.Err(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := reportForTriage(ctx, tx, actor, ref)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO report_notes (report_id, at, source, user_id, text) VALUES (?, ?, 'staff', ?, ?)`, r.ID, tx.now, actor.UserID, text); err != nil {
		return fmt.Errorf("add note: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportNote, objectType: "report", objectID: r.ID}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindDistricts lists the partnership's districts by name.
func (s *ReportService) FindDistricts(ctx context.Context) ([]tropic.District, error) {
	s.districtsMu.Lock()
	defer s.districtsMu.Unlock()
	if s.districts != nil && time.Since(s.districtsRead) < districtsTTL {
		return s.districts, nil
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT slug, name FROM districts ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("find districts: %w", err)
	}
	defer rows.Close()
	var out []tropic.District
	for rows.Next() {
		var d tropic.District
		if err := rows.Scan(&d.Slug, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if out == nil {
		out = []tropic.District{}
	}
	s.districts, s.districtsRead = out, time.Now()
	return out, nil
}

// CreateDistrict adds a district, as tropic.MayManageReferenceData allows.
func (s *ReportService) CreateDistrict(ctx context.Context, actor tropic.Actor, d tropic.District) error {
	if err := tropic.MayManageReferenceData(actor); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `INSERT INTO districts (slug, name, created_at) VALUES (?, ?, ?)`, d.Slug, d.Name, tx.now); err != nil {
		if isUniqueViolation(err) {
			return &tropic.Error{Code: tropic.ECONFLICT, Message: "A district with this slug or name exists already", Fields: map[string]string{"slug": "A district with this slug or name exists already"}}
		}
		return fmt.Errorf("create district: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditDistrictCreated, objectType: "district", detail: d.Slug + ": " + d.Name}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.districtsMu.Lock()
	s.districts = nil // this process sees its own change at once
	s.districtsMu.Unlock()
	return nil
}
