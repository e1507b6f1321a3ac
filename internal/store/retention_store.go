package store

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// RetentionService finds the records at the end of their retention period, queues
// them for their owning agency's review, and carries out the supervisors' decisions
// (disposal.go deletes).
type RetentionService struct {
	db       *DB
	schedule tropic.RetentionSchedule
}

// NewRetentionService returns the retention service on db under schedule.
func NewRetentionService(db *DB, schedule tropic.RetentionSchedule) *RetentionService {
	return &RetentionService{db: db, schedule: schedule}
}

// Schedule is the schedule the service applies.
func (s *RetentionService) Schedule() tropic.RetentionSchedule { return s.schedule }

// FindDueRecords lists the records whose retention period ended by now and that are
// neither waiting for review nor retained past today: what QueueDueReviews would queue.
func (s *RetentionService) FindDueRecords(ctx context.Context, actor tropic.Actor, now time.Time) ([]tropic.DueRecord, error) {
	if err := tropic.MayRunRetention(actor); err != nil {
		return nil, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return s.dueRecords(ctx, tx, now)
}

// QueueDueReviews puts each due record in its owning agency's review queue, audits it,
// and tells the agency's supervisors how many records wait; it returns how many it
// queued. A record already waiting is not queued twice, by this process or another.
func (s *RetentionService) QueueDueReviews(ctx context.Context, actor tropic.Actor, now time.Time) (int, error) {
	if err := tropic.MayRunRetention(actor); err != nil {
		return 0, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	due, err := s.dueRecords(ctx, tx, now)
	if err != nil {
		return 0, err
	}
	byAgency := map[int64]int{}
	var agencies []int64
	for _, d := range due {
		id, err := tx.insert(ctx, `INSERT INTO retention_reviews (record_kind, record_id, reference, agency_id, due_on, rule, queued_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			string(d.Kind), d.ID, d.Reference, d.AgencyID, d.DueOn.Format(time.DateOnly), d.Rule, tx.now)
		if tropic.ErrorCode(err) == tropic.ENOTFOUND {
			continue // queued meanwhile by another process: nothing returned
		}
		if err != nil {
			return 0, fmt.Errorf("queue retention review: %w", err)
		}
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditRetentionDue, objectType: string(d.Kind), objectID: d.ID,
			detail: fmt.Sprintf("review %d: %s", id, d.Rule)}); err != nil {
			return 0, err
		}
		if byAgency[d.AgencyID] == 0 {
			agencies = append(agencies, d.AgencyID)
		}
		byAgency[d.AgencyID]++
	}
	n := 0
	for _, a := range agencies {
		if err := tellRetentionWaiting(ctx, tx, actor, a, true); err != nil {
			return 0, err
		}
		n += byAgency[a]
	}
	return n, tx.Commit()
}

// tellRetentionWaiting brings the agency's supervisors' notification of the records
// waiting for retention review up to date, in the transaction that changed how many
// wait: one open notification each, saying how many wait now (read again when more
// were queued), or, when none does, that all were reviewed, and done.
func tellRetentionWaiting(ctx context.Context, tx *Tx, actor tropic.Actor, agencyID int64, queued bool) error {
	var waiting int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM retention_reviews WHERE agency_id = ? AND status = 'due'`, agencyID).Scan(&waiting); err != nil {
		return fmt.Errorf("count retention reviews waiting: %w", err)
	}
	about := aboutID("retention_agency", agencyID)
	if waiting == 0 {
		return settleNotifications(ctx, tx, about, tropic.RetentionReviewedText, false)
	}
	n := tropic.RetentionDueNotice(waiting)
	n.About = about
	if err := settleNotifications(ctx, tx, about, n.Text, true); err != nil {
		return err
	}
	if !queued {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE notifications SET read_at = NULL WHERE about = ? AND done_at IS NULL`, about); err != nil {
		return fmt.Errorf("tell of more records due: %w", err)
	}
	return notifyAgency(ctx, tx, actor, n, agencyID, tropic.RoleSupervisor)
}

// dueRecords finds the due records in tx, oldest first.
func (s *RetentionService) dueRecords(ctx context.Context, tx *Tx, now time.Time) ([]tropic.DueRecord, error) {
	today := now.UTC().Format(time.DateOnly)
	// Waiting, or retained past today: not due again yet.
	pending := func(kind tropic.RecordKind, col string) string {
		return `NOT EXISTS (SELECT 1 FROM retention_reviews v WHERE v.record_kind = '` + string(kind) + `' AND v.record_id = ` + col + `
			AND (v.status = 'due' OR (v.status = 'retained' AND v.retain_until > '` + today + `')))`
	}
	var out []tropic.DueRecord
	statuses := make([]any, 0, len(tropic.ReportsNotTakenFurther)+1)
	for _, st := range tropic.ReportsNotTakenFurther {
		statuses = append(statuses, string(st))
	}
	reportRule := s.schedule.ReportNotTakenFurther.Label() + " after the decision"
	rows, err := tx.Query(ctx, `SELECT r.id, r.reference, a.id, a.name, r.decided_at
		FROM reports r LEFT JOIN users du ON du.id = r.decided_by
		JOIN agencies a ON a.id = COALESCE(r.passed_to_agency, du.agency_id, r.created_by_agency)
		WHERE r.status IN (?, ?, ?) AND r.decided_at IS NOT NULL AND r.decided_at <= ?
		AND NOT EXISTS (SELECT 1 FROM case_reports cr WHERE cr.report_id = r.id)
		AND `+pending(tropic.RecordReport, "r.id")+` ORDER BY r.decided_at, r.id`,
		append(statuses, now.UTC().AddDate(0, -int(s.schedule.ReportNotTakenFurther), 0))...)
	if err != nil {
		return nil, fmt.Errorf("find reports due for review: %w", err)
	}
	for rows.Next() {
		d := tropic.DueRecord{Kind: tropic.RecordReport, Rule: reportRule}
		if err := rows.Scan(&d.ID, &d.Reference, &d.AgencyID, &d.Agency, &d.Since); err != nil {
			rows.Close()
			return nil, err
		}
		d.DueOn = s.schedule.ReportNotTakenFurther.After(d.Since)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Cases closed at least the shortest period ago; each then by its own period.
	shortest := min(s.schedule.CaseClosed, s.schedule.CaseCrimeRecorded)
	for _, p := range s.schedule.Outcomes {
		shortest = min(shortest, p)
	}
	rows, err = tx.Query(ctx, `SELECT c.id, c.reference, a.id, a.name, c.closed_at, c.outcome, c.crime_reference <> ''
		FROM cases c JOIN agencies a ON a.id = c.owner_agency_id
		WHERE c.status = ? AND c.closed_at IS NOT NULL AND c.closed_at <= ?
		AND `+pending(tropic.RecordCase, "c.id")+` ORDER BY c.closed_at, c.id`,
		string(tropic.CaseClosed), now.UTC().AddDate(0, -int(shortest), 0))
	if err != nil {
		return nil, fmt.Errorf("find cases due for review: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d := tropic.DueRecord{Kind: tropic.RecordCase}
		var outcome string
		var crime bool
		if err := rows.Scan(&d.ID, &d.Reference, &d.AgencyID, &d.Agency, &d.Since, &outcome, &crime); err != nil {
			return nil, err
		}
		p := s.schedule.ForCase(tropic.CaseOutcome(outcome), crime)
		if d.DueOn = p.After(d.Since); d.DueOn.After(now) {
			continue
		}
		d.Rule = p.Label() + " after the case is closed"
		if crime {
			d.Rule += " (a crime was recorded)"
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

const retentionColumns = `v.id, v.record_kind, v.record_id, v.reference, v.agency_id, v.due_on, v.rule, v.status, v.retain_until, v.reason, v.decided_by, v.decided_at, v.queued_at`

func scanRetentionReview(sc interface{ Scan(...any) error }) (*tropic.RetentionReview, error) {
	var r tropic.RetentionReview
	var kind, status, due string
	var decidedAt *time.Time
	if err := sc.Scan(&r.ID, &kind, &r.RecordID, &r.Reference, &r.AgencyID, &due, &r.Rule, &status, &r.RetainUntil, &r.Reason, &r.DecidedBy, &decidedAt, &r.QueuedAt); err != nil {
		return nil, err
	}
	r.Kind, r.Status = tropic.RecordKind(kind), tropic.RetentionStatus(status)
	r.DueOn, _ = time.Parse(time.DateOnly, due)
	if decidedAt != nil {
		r.DecidedAt = decidedAt.UTC()
	}
	r.QueuedAt = r.QueuedAt.UTC()
	return &r, nil
}

// FindRetentionReviews lists the actor's agency's reviews: those waiting (oldest due
// first) and the latest decided. Only supervisors have a queue; anyone else gets none.
func (s *RetentionService) FindRetentionReviews(ctx context.Context, actor tropic.Actor) (waiting, decided []*tropic.RetentionReview, err error) {
	if !tropic.MayListApprovals(actor) {
		return nil, nil, nil
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	for _, q := range []struct {
		where string
		out   *[]*tropic.RetentionReview
		limit int
	}{
		{`v.status = 'due' ORDER BY v.due_on, v.id`, &waiting, maxApprovals},
		{`v.status <> 'due' ORDER BY v.decided_at DESC, v.id DESC`, &decided, 50},
	} {
		rows, err := tx.Query(ctx, `SELECT `+retentionColumns+` FROM retention_reviews v WHERE v.agency_id = ? AND `+q.where+` LIMIT ?`, actor.AgencyID, q.limit)
		if err != nil {
			return nil, nil, fmt.Errorf("find retention reviews: %w", err)
		}
		for rows.Next() {
			r, err := scanRetentionReview(rows)
			if err != nil {
				rows.Close()
				return nil, nil, err
			}
			*q.out = append(*q.out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return waiting, decided, nil
}

// FindRetentionApprovals lists the actor's agency's waiting reviews for the approvals
// queue; the retention page decides them.
func (s *RetentionService) FindRetentionApprovals(ctx context.Context, actor tropic.Actor) ([]tropic.Approval, error) {
	waiting, _, err := s.FindRetentionReviews(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := make([]tropic.Approval, 0, len(waiting))
	for _, r := range waiting {
		out = append(out, tropic.Approval{Kind: tropic.ApproveRetention, ID: r.ID, CaseReference: r.Reference, Record: r.Kind,
			What:        "Keep or dispose: " + r.Kind.Label() + ", due " + r.DueOn.Format("2 January 2006") + " (" + r.Rule + ")",
			Reason:      "The retention schedule keeps it for " + r.Rule + "; that period ended on " + r.DueOn.Format("2 January 2006") + ".",
			RequestedBy: "The retention schedule", RequestedAt: r.QueuedAt})
	}
	return out, nil
}

// DecideRetention carries out a supervisor's decision on review id: retain the record
// until a date for a reason, or dispose of it (and everything derived from it) in
// this one transaction. A review decided meanwhile is a conflict; another agency's
// answers as missing.
func (s *RetentionService) DecideRetention(ctx context.Context, actor tropic.Actor, id int64, d tropic.RetentionDecision) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := scanRetentionReview(tx.QueryRow(ctx, `SELECT `+retentionColumns+` FROM retention_reviews v WHERE v.id = ?`+tx.db.forUpdate(), id))
	if err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return tropic.Errorf(tropic.ENOTFOUND, "There is no such review.")
		}
		return fmt.Errorf("find retention review: %w", err)
	}
	if err := tropic.MayReviewRetention(actor, r.AgencyID); err != nil {
		return err
	}
	if r.Status != tropic.RetentionDue {
		return tropic.Errorf(tropic.ECONFLICT, "This review was already decided: the record was %s.", r.Status)
	}
	if err := d.Problems(tx.now); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	status, action, detail := tropic.RetentionRetained, tropic.AuditRetentionRetained, "retained until "+d.RetainUntil
	if d.Dispose {
		status, action, detail, d.RetainUntil, d.Reason = tropic.RetentionDisposed, tropic.AuditRetentionDisposed, "disposed: "+r.Rule, "", ""
		if r.Kind == tropic.RecordCase {
			err = disposeCase(ctx, tx, r.RecordID)
		} else {
			err = disposeReport(ctx, tx, r.RecordID)
		}
		if err != nil {
			return err
		}
	}
	res, err := tx.Exec(ctx, `UPDATE retention_reviews SET status = ?, retain_until = ?, reason = ?, decided_by_user = ?, decided_by = ?, decided_at = ?
		WHERE id = ? AND status = 'due'`, string(status), d.RetainUntil, d.Reason, nullID(actor.UserID), w.String(), tx.now, id)
	if err != nil {
		return fmt.Errorf("decide retention review: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "This review was decided meanwhile.")
	}
	// The reason may name people; the audit says only what was decided.
	if err := appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: string(r.Kind), objectID: r.RecordID,
		detail: fmt.Sprintf("review %d: %s", id, detail)}); err != nil {
		return err
	}
	if err := tellRetentionWaiting(ctx, tx, actor, r.AgencyID, false); err != nil {
		return err
	}
	return tx.Commit()
}
