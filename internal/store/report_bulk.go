package store

import (
	"context"
	"database/sql"
	"fmt"

	"tropic/internal/tropic"
)

// BulkTriage applies one action to several reports of the queue in one transaction
// (tropic.ReportBulk): no further action with one reason, or assigning them to a
// triage colleague. Every report is locked and checked first (tropic.BulkProblem);
// if any cannot take the action nothing is changed and the refusal names each. Each
// report is audited on its own. It returns the references acted on.
func (s *ReportService) BulkTriage(ctx context.Context, actor tropic.Actor, b tropic.ReportBulk) ([]string, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if actor, err = inHub(ctx, tx, actor); err != nil {
		return nil, err
	}
	if err := tropic.MayBulkTriage(actor, actor.TriageHub); err != nil {
		return nil, err
	}
	var assignee *tropic.User
	if b.Action == tropic.BulkAssign {
		assignee, _ = findUser(ctx, tx, `u.id = ?`, b.AssigneeID)
		if err := tropic.MayAssignReportsTo(actor, assignee); err != nil {
			return nil, err
		}
	}
	reports := make([]*tropic.Report, 0, len(b.References))
	var problems []string
	for _, ref := range b.References {
		r, state, err := bulkReportState(ctx, tx, ref)
		if tropic.ErrorCode(err) == tropic.ENOTFOUND {
			problems = append(problems, "there is no report "+ref)
			continue
		} else if err != nil {
			return nil, err
		}
		if p := tropic.BulkProblem(actor, b, state); p != "" {
			problems = append(problems, p)
			continue
		}
		reports = append(reports, r)
	}
	if len(problems) > 0 {
		return nil, tropic.BulkRefusal(problems)
	}
	for _, r := range reports {
		switch b.Action {
		case tropic.BulkNoFurtherAction:
			err = s.decideReport(ctx, tx, actor, r, tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: b.Reason})
		case tropic.BulkAssign:
			err = assignReport(ctx, tx, actor, r, assignee)
		}
		if err != nil {
			return nil, err
		}
	}
	return b.References, tx.Commit()
}

// bulkReportState locks report ref and reads what a bulk action checks: its
// status, who decided it and who holds it.
func bulkReportState(ctx context.Context, tx *Tx, ref string) (*tropic.Report, tropic.BulkReportState, error) {
	st := tropic.BulkReportState{Reference: ref}
	var id int64
	var status string
	var claimedBy, decidedBy sql.NullInt64
	err := tx.QueryRow(ctx, `SELECT id, status, claimed_by, decided_by FROM reports WHERE reference = ?`+tx.db.forUpdate(), ref).
		Scan(&id, &status, &claimedBy, &decidedBy)
	if err != nil {
		return nil, st, mapError(err)
	}
	st.Status = tropic.ReportStatus(status)
	if decidedBy.Valid {
		if u, err := findUser(ctx, tx, `u.id = ?`, decidedBy.Int64); err == nil {
			st.DecidedBy = u.Name
		}
	}
	if claimedBy.Valid {
		st.ClaimedBy = &tropic.User{ID: claimedBy.Int64, Name: "someone else"}
		if u, err := findUser(ctx, tx, `u.id = ?`, claimedBy.Int64); err == nil {
			st.ClaimedBy = u
		}
	}
	return &tropic.Report{ID: id, Reference: ref, Status: st.Status, ClaimedBy: st.ClaimedBy}, st, nil
}

// assignReport makes u the one working on report r, on the timeline and in the
// audit trail (by user id: no names in the audit detail).
func assignReport(ctx context.Context, tx *Tx, actor tropic.Actor, r *tropic.Report, u *tropic.User) error {
	if _, err := tx.Exec(ctx, `UPDATE reports SET claimed_by = ?, claimed_at = ? WHERE id = ?`, u.ID, tx.now, r.ID); err != nil {
		return fmt.Errorf("assign report: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO report_notes (report_id, at, source, user_id, text) VALUES (?, ?, 'staff', ?, ?)`,
		r.ID, tx.now, actor.UserID, "Assigned to "+u.Name); err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportAssigned, objectType: "report", objectID: r.ID,
		detail: fmt.Sprintf("to user %d", u.ID)})
}
