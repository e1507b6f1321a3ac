package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// Reports passed to agencies: the handoff rows, the agency's inbox, and acknowledging,
// accepting (through linkReport) and returning a report. Who may read a report and how
// much is tropic.ReportAccessFor; who may act on a handoff is tropic.MayActOnHandoff.

var _ tropic.InboxService = (*ReportService)(nil)

// inHub reads, in the transaction, whether the actor's agency is part of the triage
// hub: the store's answer, whatever the actor was built with.
func inHub(ctx context.Context, tx *Tx, actor tropic.Actor) (tropic.Actor, error) {
	if actor.IsSystem() || !actor.Has(tropic.RoleTriage) {
		actor.TriageHub = false
		return actor, nil
	}
	if err := tx.QueryRow(ctx, `SELECT triage_hub FROM agencies WHERE id = ?`, actor.AgencyID).Scan(&actor.TriageHub); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			actor.TriageHub = false
			return actor, nil
		}
		return actor, fmt.Errorf("find actor's agency: %w", err)
	}
	return actor, nil
}

const handoffColumns = `h.id, h.report_id, h.agency_id, a.name, h.state, h.reason, h.include_contact, COALESCE(h.passed_by, 0),
	COALESCE(pu.name, ''), COALESCE(pa.name, ''), h.passed_at, COALESCE(ku.name, ''), h.ack_at,
	COALESCE(cu.name, ''), h.accepted_at, COALESCE(c.reference, ''), COALESCE(ru.name, ''), h.returned_at, h.return_reason`

const handoffFrom = ` FROM report_handoffs h JOIN agencies a ON a.id = h.agency_id
	LEFT JOIN users pu ON pu.id = h.passed_by LEFT JOIN agencies pa ON pa.id = pu.agency_id
	LEFT JOIN users ku ON ku.id = h.ack_by LEFT JOIN users cu ON cu.id = h.accepted_by
	LEFT JOIN users ru ON ru.id = h.returned_by LEFT JOIN cases c ON c.id = h.case_id `

func scanHandoff(sc interface{ Scan(...any) error }, extra ...any) (*tropic.Handoff, error) {
	var h tropic.Handoff
	var state, passer, passerAgency string
	var ackAt, acceptedAt, returnedAt sql.NullTime
	dest := append([]any{&h.ID, &h.ReportID, &h.AgencyID, &h.Agency, &state, &h.Reason, &h.IncludeContact, &h.PassedByUser,
		&passer, &passerAgency, &h.PassedAt, &h.AcknowledgedBy, &ackAt, &h.AcceptedBy, &acceptedAt, &h.CaseReference,
		&h.ReturnedBy, &returnedAt, &h.ReturnReason}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, mapError(err)
	}
	h.State = tropic.HandoffState(state)
	h.PassedBy = passer
	if passer != "" && passerAgency != "" {
		h.PassedBy = passer + ", " + passerAgency
	}
	h.PassedAt = h.PassedAt.UTC()
	h.AcknowledgedAt, h.AcceptedAt, h.ReturnedAt = ackAt.Time.UTC(), acceptedAt.Time.UTC(), returnedAt.Time.UTC()
	if !ackAt.Valid {
		h.AcknowledgedAt = time.Time{}
	}
	if !acceptedAt.Valid {
		h.AcceptedAt = time.Time{}
	}
	if !returnedAt.Valid {
		h.ReturnedAt = time.Time{}
	}
	return &h, nil
}

// loadHandoffs fills in the handoffs of the given reports, oldest first, with one query.
func loadHandoffs(ctx context.Context, tx *Tx, reports ...*tropic.Report) error {
	if len(reports) == 0 {
		return nil
	}
	byID := make(map[int64]*tropic.Report, len(reports))
	marks := make([]string, 0, len(reports))
	args := make([]any, 0, len(reports))
	for _, r := range reports {
		if byID[r.ID] == nil {
			byID[r.ID] = r
			marks = append(marks, "?")
			args = append(args, r.ID)
		}
	}
	rows, err := tx.Query(ctx, `SELECT `+handoffColumns+handoffFrom+`WHERE h.report_id IN (`+strings.Join(marks, ",")+`) ORDER BY h.id`, args...)
	if err != nil {
		return fmt.Errorf("find handoffs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			return err
		}
		r := byID[h.ReportID]
		r.Handoffs = append(r.Handoffs, h)
	}
	return rows.Err()
}

// reportForHandoff loads, for update, the report ref and its handoffs, and checks that
// the actor may act on it for the agency it was passed to.
func reportForHandoff(ctx context.Context, tx *Tx, actor tropic.Actor, ref string) (*tropic.Report, *tropic.Handoff, error) {
	notFound := tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	ref, err := tropic.ParseReference(ref)
	if err != nil {
		return nil, nil, notFound
	}
	if actor, err = inHub(ctx, tx, actor); err != nil {
		return nil, nil, err
	}
	r := &tropic.Report{Reference: ref}
	var passedTo, createdBy sql.NullInt64
	var status string
	if err := tx.QueryRow(ctx, `SELECT id, status, passed_to_agency, created_by_agency FROM reports WHERE reference = ?`+tx.db.forUpdate(), ref).
		Scan(&r.ID, &status, &passedTo, &createdBy); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return nil, nil, notFound
		}
		return nil, nil, fmt.Errorf("find report: %w", err)
	}
	r.Status, r.PassedToAgency, r.CreatedByAgency = tropic.ReportStatus(status), passedTo.Int64, createdBy.Int64
	if err := tropic.MayActOnHandoff(actor, r); err != nil {
		return nil, nil, err
	}
	if err := loadHandoffs(ctx, tx, r); err != nil {
		return nil, nil, err
	}
	h := r.LatestHandoff()
	if h == nil || h.AgencyID != r.PassedToAgency {
		return nil, nil, notFound
	}
	return r, h, nil
}

// findHandoff reads one handoff again, after a change.
func findHandoff(ctx context.Context, tx *Tx, id int64) (*tropic.Handoff, error) {
	h, err := scanHandoff(tx.QueryRow(ctx, `SELECT `+handoffColumns+handoffFrom+`WHERE h.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("find handoff: %w", err)
	}
	return h, nil
}

// AcknowledgeReport records that the actor's agency has the report in hand. Done again,
// or after the report was accepted, it changes nothing and returns the handoff as it is.
func (s *ReportService) AcknowledgeReport(ctx context.Context, actor tropic.Actor, ref string) (*tropic.Handoff, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, h, err := reportForHandoff(ctx, tx, actor, ref)
	if err != nil {
		return nil, err
	}
	if h.State != tropic.HandoffPassed {
		return h, nil // acknowledged (or accepted) already: a replay changes nothing
	}
	if _, err := tx.Exec(ctx, `UPDATE report_handoffs SET state = ?, ack_by = ?, ack_at = ? WHERE id = ?`,
		string(tropic.HandoffAcknowledged), actor.UserID, tx.now, h.ID); err != nil {
		return nil, fmt.Errorf("acknowledge report: %w", err)
	}
	if err := addReportNote(ctx, tx, r.ID, actor.UserID, "Acknowledged by "+h.Agency+"."); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportAcknowledged, objectType: "report", objectID: r.ID, detail: h.Agency}); err != nil {
		return nil, err
	}
	if h, err = findHandoff(ctx, tx, h.ID); err != nil {
		return nil, err
	}
	return h, tx.Commit()
}

// ReturnReport gives the report back to the triage queue with the agency's reason: it
// is new again, flagged as returned, and the agency no longer reads it. Whoever passed
// it is told.
func (s *ReportService) ReturnReport(ctx context.Context, actor tropic.Actor, ref, reason string) (*tropic.Handoff, error) {
	reason, err := tropic.ReturnReason(reason)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, h, err := reportForHandoff(ctx, tx, actor, ref)
	if err != nil {
		return nil, err
	}
	if h.State == tropic.HandoffAccepted {
		return nil, tropic.Errorf(tropic.ECONFLICT, "%s accepted this report into case %s: it can no longer be returned.", h.AcceptedBy, h.CaseReference)
	}
	if _, err := tx.Exec(ctx, `UPDATE report_handoffs SET state = ?, returned_by = ?, returned_at = ?, return_reason = ? WHERE id = ?`,
		string(tropic.HandoffReturned), actor.UserID, tx.now, reason, h.ID); err != nil {
		return nil, fmt.Errorf("return report: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE reports SET status = ?, passed_to_agency = NULL, needs_attention = ? WHERE id = ?`,
		string(tropic.ReportNew), false, r.ID); err != nil {
		return nil, fmt.Errorf("return report: %w", err)
	}
	if err := addReportNote(ctx, tx, r.ID, actor.UserID, "Returned to the triage hub by "+h.Agency+": "+reason); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportReturned, objectType: "report", objectID: r.ID, detail: h.Agency}); err != nil {
		return nil, err
	}
	if err := notifyUsers(ctx, tx, actor, tropic.Notification{Kind: tropic.NotifyReportReturned, Subject: r.Reference,
		Text: h.Agency + " returned report " + r.Reference + " to the triage queue.", Link: "/triage/reports/" + r.Reference}, h.PassedByUser); err != nil {
		return nil, err
	}
	if h, err = findHandoff(ctx, tx, h.ID); err != nil {
		return nil, err
	}
	return h, tx.Commit()
}

// handoffOnLink is called by linkReport, in its transaction, when a report is newly
// linked to case c. A report the actor's agency was passed is thereby accepted. A
// report waiting with another agency is theirs until they return it, and one accepted
// already went into its case: both are refused, so that a replayed or racing "accept"
// cannot make a second case.
func handoffOnLink(ctx context.Context, tx *Tx, actor tropic.Actor, r *tropic.Report, c *tropic.Case) error {
	if err := loadHandoffs(ctx, tx, r); err != nil {
		return err
	}
	h := r.LatestHandoff()
	if h == nil || h.State == tropic.HandoffReturned || h.AgencyID != r.PassedToAgency {
		return nil
	}
	if h.State == tropic.HandoffAccepted {
		return tropic.Errorf(tropic.ECONFLICT, "Report %s was accepted into case %s by %s already.", r.Reference, h.CaseReference, h.AcceptedBy)
	}
	if h.AgencyID != actor.AgencyID {
		return tropic.Errorf(tropic.ECONFLICT, "Report %s was passed to %s, and is theirs until they accept or return it.", r.Reference, h.Agency)
	}
	// The hub's own triage users may add a report passed to their agency to its case.
	if !actor.InTriageHub() {
		if err := tropic.MayActOnHandoff(actor, r); err != nil {
			return err
		}
	}
	var ackBy, ackAt any = actor.UserID, tx.now
	if h.State == tropic.HandoffAcknowledged {
		ackBy, ackAt = nil, nil // kept as they are
	}
	if _, err := tx.Exec(ctx, `UPDATE report_handoffs SET state = ?, accepted_by = ?, accepted_at = ?, case_id = ?,
		ack_by = COALESCE(ack_by, ?), ack_at = COALESCE(ack_at, ?) WHERE id = ?`,
		string(tropic.HandoffAccepted), actor.UserID, tx.now, c.ID, ackBy, ackAt, h.ID); err != nil {
		return fmt.Errorf("accept report: %w", err)
	}
	return appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportAccepted, objectType: "report", objectID: r.ID, detail: h.Agency + "; " + c.Reference})
}

// passReport records the hub's passing of report r to agency a, tells the agency's
// caseworkers and supervisors, and queues the e-mail to its inbox address. A report
// already with that agency is left as it is (a replayed decision); one with another
// agency is theirs until they return it.
func (s *ReportService) passReport(ctx context.Context, tx *Tx, actor tropic.Actor, r *tropic.Report, a *tropic.Agency, d tropic.ReportDecision) (replay bool, err error) {
	if err := loadHandoffs(ctx, tx, r); err != nil {
		return false, err
	}
	if h := r.LatestHandoff(); h != nil && h.AgencyID == r.PassedToAgency && r.PassedToAgency != 0 && h.State != tropic.HandoffReturned {
		if h.AgencyID == a.ID && r.Status == tropic.ReportPassedToAgency {
			return true, nil
		}
		if h.State == tropic.HandoffAccepted {
			return false, tropic.Errorf(tropic.ECONFLICT, "%s accepted report %s into case %s already.", h.Agency, r.Reference, h.CaseReference)
		}
		return false, tropic.Errorf(tropic.ECONFLICT, "Report %s was passed to %s, and is theirs until they accept or return it.", r.Reference, h.Agency)
	}
	if a.Disabled {
		return false, &tropic.Error{Code: tropic.EINVALID, Message: a.Name + " is disabled", Fields: map[string]string{"agency": a.Name + " is disabled: choose another agency"}}
	}
	if _, err := tx.insert(ctx, `INSERT INTO report_handoffs (report_id, agency_id, state, reason, include_contact, passed_by, passed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.ID, a.ID, string(tropic.HandoffPassed), d.Reason, d.IncludeReporterContact, nullID(actor.UserID), tx.now); err != nil {
		if isUniqueViolation(err) {
			return false, tropic.Errorf(tropic.ECONFLICT, "Report %s was passed to another agency a moment ago.", r.Reference)
		}
		return false, fmt.Errorf("pass report: %w", err)
	}
	n := tropic.Notification{Kind: tropic.NotifyReportPassed, Subject: r.Reference,
		Text: "Report " + r.Reference + " was passed to " + a.Name + " by the triage hub.", Link: "/inbox/reports/" + r.Reference}
	if err := notifyAgency(ctx, tx, actor, n, a.ID, tropic.RoleCaseworker, tropic.RoleSupervisor); err != nil {
		return false, err
	}
	if s.jobs != nil && a.InboxEmail != "" {
		if err := s.jobs.EnqueueTx(ctx, tx.Tx, tropic.ReportPassedJob{ReportID: r.ID, AgencyID: a.ID}); err != nil {
			return false, fmt.Errorf("queue inbox e-mail: %w", err)
		}
	}
	return false, nil
}

// addReportNote puts a staff entry on the report's timeline.
func addReportNote(ctx context.Context, tx *Tx, reportID, userID int64, text string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO report_notes (report_id, at, source, user_id, text) VALUES (?, ?, 'staff', ?, ?)`,
		reportID, tx.now, nullID(userID), text); err != nil {
		return fmt.Errorf("add note: %w", err)
	}
	return nil
}

// FindInbox lists the reports passed to the actor's agency, most urgent and oldest
// first: by default those waiting (passed or acknowledged). Anyone without an inbox
// (tropic.MayReadInbox) gets an empty list.
func (s *ReportService) FindInbox(ctx context.Context, actor tropic.Actor, f tropic.InboxFilter) ([]*tropic.InboxItem, int, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if actor, err = inHub(ctx, tx, actor); err != nil {
		return nil, 0, err
	}
	if !tropic.MayReadInbox(actor) {
		return nil, 0, nil
	}
	states := f.States
	if len(states) == 0 {
		states = []tropic.HandoffState{tropic.HandoffPassed, tropic.HandoffAcknowledged}
	}
	where, args := []string{"h.agency_id = ?"}, []any{actor.AgencyID}
	marks := make([]string, 0, len(states))
	for _, st := range states {
		if st == tropic.HandoffReturned {
			continue // a returned report is no longer the agency's to read
		}
		marks = append(marks, "?")
		args = append(args, string(st))
	}
	if len(marks) == 0 {
		return nil, 0, nil
	}
	where = append(where, "h.state IN ("+strings.Join(marks, ",")+")")
	if len(f.AckOverdue) == len(tropic.Urgencies) {
		cond, a := ackOverdueCondition(f.AckOverdue)
		where, args = append(where, "h.state = ? AND "+cond), append(append(args, string(tropic.HandoffPassed)), a...)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM report_handoffs h JOIN reports r ON r.id = h.report_id WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count inbox: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := tx.Query(ctx, `SELECT `+handoffColumns+`, r.reference, r.urgency, r.received_at, r.district, r.status`+handoffFrom+
		`JOIN reports r ON r.id = h.report_id WHERE `+cond+` ORDER BY r.urgency_rank, h.passed_at, h.id LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("find inbox: %w", err)
	}
	defer rows.Close()
	out := []*tropic.InboxItem{}
	for rows.Next() {
		var it tropic.InboxItem
		var urgency, status string
		h, err := scanHandoff(rows, &it.Reference, &urgency, &it.ReceivedAt, &it.District, &status)
		if err != nil {
			return nil, 0, err
		}
		it.Handoff, it.Urgency, it.Status, it.ReceivedAt = *h, tropic.Urgency(urgency), tropic.ReportStatus(status), it.ReceivedAt.UTC()
		out = append(out, &it)
	}
	return out, total, rows.Err()
}

// ackOverdueCondition is the SQL for "passed before the cut for the report's urgency",
// on handoffs h of reports r.
func ackOverdueCondition(cuts []time.Time) (string, []any) {
	parts := make([]string, len(cuts))
	args := make([]any, 0, 2*len(cuts))
	for rank, cut := range cuts {
		parts[rank] = "(r.urgency_rank = ? AND h.passed_at < ?)"
		args = append(args, rank, cut.UTC())
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// waitingWithAgency refuses a decision on a report while an agency has it to decide on.
func waitingWithAgency(ctx context.Context, tx *Tx, r *tropic.Report) error {
	if r.Status != tropic.ReportPassedToAgency {
		return nil
	}
	if err := loadHandoffs(ctx, tx, r); err != nil {
		return err
	}
	if h := r.LatestHandoff(); h != nil && h.State.Open() {
		return tropic.Errorf(tropic.ECONFLICT, "Report %s was passed to %s, and is theirs until they accept or return it.", r.Reference, h.Agency)
	}
	return nil
}
