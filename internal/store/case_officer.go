package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

// The officer in charge of a case, its review date, and closing by a supervisor
// (issue 12, item 5). The rules are tropic's: MayBeOfficer, MayCloseCase,
// MayRequestClosure, MayDecideClosure and MayConfirmClosure.

// checkAssignment checks an officer in charge and a review date for case c (its owner
// known), normalising the date.
func (s *CaseService) checkAssignment(ctx context.Context, tx *Tx, c *tropic.Case, officerID int64, reviewOn *string) error {
	var p tropic.Problems
	*reviewOn = tropic.ValidateReviewDate(&p, *reviewOn, s.local(tx))
	if err := p.Err(); err != nil {
		return err
	}
	if officerID == 0 {
		return nil
	}
	officer, err := findUser(ctx, tx, `u.id = ?`, officerID)
	if err != nil && tropic.ErrorCode(err) != tropic.ENOTFOUND {
		return err
	}
	return tropic.MayBeOfficer(officer, c.OwnerAgencyID)
}

// notifyOfficer tells the officer in charge of c that the case is theirs.
func notifyOfficer(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case) error {
	if c.OfficerUserID == 0 {
		return nil
	}
	return notifyUsers(ctx, tx, actor, tropic.Notification{Kind: tropic.NotifyCaseAssigned, Subject: c.Reference,
		Text: "You are the officer in charge of case " + c.Reference + ".", Link: "/cases/" + c.Reference}, c.OfficerUserID)
}

// AssignCase sets the officer in charge of a case and its review date, against the
// version the editor saw; a new officer is told.
func (s *CaseService) AssignCase(ctx context.Context, actor tropic.Actor, ref string, a tropic.CaseAssignment) error {
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
	if err := s.checkAssignment(ctx, tx, c, a.OfficerUserID, &a.ReviewOn); err != nil {
		return err
	}
	if c.Version != a.Version {
		return s.stale("case", c.UpdatedBy, c.UpdatedAt)
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE cases SET officer_user_id = ?, review_on = ?, version = version + 1, updated_at = ?, updated_by_user = ?, updated_by = ?
		WHERE id = ? AND version = ?`, nullID(a.OfficerUserID), a.ReviewOn, tx.now, nullID(actor.UserID), w.String(), c.ID, a.Version)
	if err != nil {
		return fmt.Errorf("assign case: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return s.stale("case", c.UpdatedBy, c.UpdatedAt)
	}
	if a.OfficerUserID != c.OfficerUserID {
		n := *c
		n.OfficerUserID = a.OfficerUserID
		if err := notifyOfficer(ctx, tx, actor, &n); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseAssigned, objectType: "case", objectID: c.ID,
		detail: fmt.Sprintf("%s officer %d review %q", c.Reference, a.OfficerUserID, a.ReviewOn)}); err != nil {
		return err
	}
	return tx.Commit()
}

// CloseCase closes the case when a supervisor of the owning agency asks, once they
// have confirmed its warnings; from the owner's other case workers it becomes a
// request for a supervisor (returned), and the supervisors are told.
func (s *CaseService) CloseCase(ctx context.Context, actor tropic.Actor, ref string, cl tropic.CaseClosure) (*tropic.ClosureRequest, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, _, err := s.caseByRef(ctx, tx, actor, ref, true)
	if err != nil {
		return nil, err
	}
	closeNow := tropic.MayCloseCase(actor, c) == nil
	if !closeNow {
		if err := tropic.MayRequestClosure(actor, c); err != nil {
			return nil, err
		}
	}
	if err := cl.Validate(!closeNow); err != nil {
		return nil, err
	}
	if c.Status == tropic.CaseClosed {
		return nil, tropic.Errorf(tropic.ECONFLICT, "This case is already closed.")
	}
	if c.Version != cl.Version {
		return nil, s.stale("case", c.UpdatedBy, c.UpdatedAt)
	}
	pending, err := pendingClosure(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	if !closeNow {
		if pending != nil {
			return nil, tropic.Errorf(tropic.ECONFLICT, "%s has already asked for this case to be closed; a supervisor will decide.", pending.RequestedBy)
		}
		req, err := s.requestClosure(ctx, tx, actor, c, cl)
		if err != nil {
			return nil, err
		}
		return req, tx.Commit()
	}
	if err := s.closeConfirmed(ctx, tx, actor, c, cl); err != nil {
		return nil, err
	}
	if pending != nil { // a supervisor closed it themselves: the request is answered
		if err := s.answerClosure(ctx, tx, actor, c, pending, tropic.ClosureApproved, "Closed by a supervisor."); err != nil {
			return nil, err
		}
	}
	return nil, tx.Commit()
}

// closeConfirmed closes c with cl's outcome once its warnings are confirmed.
func (s *CaseService) closeConfirmed(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, cl tropic.CaseClosure) error {
	warnings, err := closureWarnings(ctx, tx, c.ID, s.today(tx))
	if err != nil {
		return err
	}
	if err := tropic.MayConfirmClosure(warnings, cl.Confirmed); err != nil {
		return err
	}
	return s.changeStatusTx(ctx, tx, actor, c, cl.Version, func(c *tropic.Case) (string, string, error) {
		c.Status, c.Outcome = tropic.CaseClosed, cl.Outcome
		return tropic.AuditCaseClosed, "Case closed: " + caseOutcomeLabel(cl.Outcome), nil
	})
}

func caseOutcomeLabel(o tropic.CaseOutcome) string {
	for _, v := range tropic.CaseOutcomes {
		if v.Key == o {
			return v.Label
		}
	}
	return string(o)
}

// requestClosure records a request to close c and tells the agency's supervisors.
func (s *CaseService) requestClosure(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, cl tropic.CaseClosure) (*tropic.ClosureRequest, error) {
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	req := &tropic.ClosureRequest{CaseID: c.ID, CaseReference: c.Reference, Outcome: cl.Outcome, Reason: cl.Reason, Status: tropic.ClosureRequested,
		RequestedByID: actor.UserID, RequestedBy: w.String(), RequestedAt: tx.now}
	if err := tx.QueryRow(ctx, `INSERT INTO case_closure_requests (case_id, agency_id, outcome, reason, status, requested_by_user, requested_by, requested_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, c.OwnerAgencyID, string(cl.Outcome), cl.Reason, string(tropic.ClosureRequested),
		nullID(actor.UserID), req.RequestedBy, tx.now).Scan(&req.ID); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ECONFLICT {
			return nil, tropic.Errorf(tropic.ECONFLICT, "Someone has already asked for this case to be closed; a supervisor will decide.")
		}
		return nil, fmt.Errorf("request closure: %w", err)
	}
	if err := insertRecord(ctx, tx, actor, w, c.ID, "Asked a supervisor to close the case: "+caseOutcomeLabel(cl.Outcome)+". "+cl.Reason); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseClosureRequested, objectType: "case", objectID: c.ID, detail: c.Reference}); err != nil {
		return nil, err
	}
	n := tropic.Notification{Kind: tropic.NotifyClosureRequested, Subject: c.Reference, About: aboutID("closure", req.ID),
		Text: "A request to close case " + c.Reference + " waits for a supervisor's decision.", Link: "/cases/" + c.Reference + "/close"}
	if err := notifyAgency(ctx, tx, actor, n, c.OwnerAgencyID, tropic.RoleSupervisor); err != nil {
		return nil, err
	}
	return req, nil
}

// answerClosure records the decision on a pending request and tells its requester.
func (s *CaseService) answerClosure(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, req *tropic.ClosureRequest, st tropic.ClosureStatus, note string) error {
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE case_closure_requests SET status = ?, decided_by_user = ?, decided_by = ?, decided_at = ?, decision_note = ?
		WHERE id = ? AND status = ?`, string(st), nullID(actor.UserID), w.String(), tx.now, note, req.ID, string(tropic.ClosureRequested))
	if err != nil {
		return fmt.Errorf("decide closure: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "This request to close the case has already been decided.")
	}
	if err := settleNotifications(ctx, tx, aboutID("closure", req.ID), settledText("The request to close case "+c.Reference, string(st), s.local(tx)), false); err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseClosureDecided, objectType: "case", objectID: c.ID,
		detail: c.Reference + " " + string(st)})
}

// DecideClosure approves (closing the case with the requested outcome, once its
// warnings are confirmed) or refuses the pending request to close the case.
func (s *CaseService) DecideClosure(ctx context.Context, actor tropic.Actor, ref string, approve bool, note string, confirmed bool) error {
	note = strings.TrimSpace(note)
	var p tropic.Problems
	if !approve && note == "" {
		p.Add("note", "Enter why the case should stay open, for the person who asked")
	}
	tropic.CheckText(&p, "note", "The note", note, tropic.MaxLongText)
	if err := p.Err(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, _, err := s.caseByRef(ctx, tx, actor, ref, true)
	if err != nil {
		return err
	}
	req, err := pendingClosure(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	if req == nil {
		if err := tropic.MayChangeCase(actor, c); err != nil {
			return err
		}
		return tropic.Errorf(tropic.ECONFLICT, "No request to close this case is waiting.")
	}
	if err := tropic.MayDecideClosure(actor, c, req); err != nil {
		return err
	}
	st := tropic.ClosureRefused
	if approve {
		st = tropic.ClosureApproved
		if err := s.closeConfirmed(ctx, tx, actor, c, tropic.CaseClosure{Outcome: req.Outcome, Version: c.Version, Confirmed: confirmed}); err != nil {
			return err
		}
	} else {
		w, err := actorWho(ctx, tx, actor)
		if err != nil {
			return err
		}
		if err := insertRecord(ctx, tx, actor, w, c.ID, "Refused the request to close the case: "+note); err != nil {
			return err
		}
	}
	if err := s.answerClosure(ctx, tx, actor, c, req, st, note); err != nil {
		return err
	}
	return tx.Commit()
}

const closureColumns = `r.id, r.case_id, c.reference, r.outcome, r.reason, r.status, r.requested_by_user, r.requested_by, r.requested_at`

func scanClosure(sc interface{ Scan(...any) error }) (*tropic.ClosureRequest, error) {
	var req tropic.ClosureRequest
	var outcome, status string
	var by sql.NullInt64
	if err := sc.Scan(&req.ID, &req.CaseID, &req.CaseReference, &outcome, &req.Reason, &status, &by, &req.RequestedBy, &req.RequestedAt); err != nil {
		return nil, mapError(err)
	}
	req.Outcome, req.Status, req.RequestedByID, req.RequestedAt = tropic.CaseOutcome(outcome), tropic.ClosureStatus(status), by.Int64, req.RequestedAt.UTC()
	return &req, nil
}

// pendingClosure is the request to close the case that waits, or nil.
func pendingClosure(ctx context.Context, tx *Tx, caseID int64) (*tropic.ClosureRequest, error) {
	req, err := scanClosure(tx.QueryRow(ctx, `SELECT `+closureColumns+` FROM case_closure_requests r JOIN cases c ON c.id = r.case_id
		WHERE r.case_id = ? AND r.status = ?`, caseID, string(tropic.ClosureRequested)))
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find closure request: %w", err)
	}
	return req, nil
}

// closureWarnings says what closing the case would leave open, on day today.
func closureWarnings(ctx context.Context, tx *Tx, caseID int64, today string) ([]string, error) {
	var referrals, tasks, shares int
	if err := tx.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM referrals WHERE case_id = ? AND cg_date = '' AND withdrawn_on = ''),
		(SELECT COUNT(*) FROM case_tasks WHERE case_id = ? AND NOT done),
		(SELECT COUNT(*) FROM case_shares WHERE case_id = ? AND status = 'active' AND (until_day = '' OR until_day >= ?))`,
		caseID, caseID, caseID, today).Scan(&referrals, &tasks, &shares); err != nil {
		return nil, fmt.Errorf("count what is open: %w", err)
	}
	return tropic.ClosureWarnings(referrals, tasks, shares), nil
}

// fillClosure loads, for the owning agency, the request to close that waits and the
// warnings closing would give.
func (s *CaseService) fillClosure(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case) error {
	if actor.AgencyID != c.OwnerAgencyID || c.Status == tropic.CaseClosed {
		return nil
	}
	var err error
	if c.PendingClosure, err = pendingClosure(ctx, tx, c.ID); err != nil {
		return err
	}
	c.ClosureWarnings, err = closureWarnings(ctx, tx, c.ID, s.today(tx))
	return err
}

// FindClosureRequests lists the requests to close cases of the actor's agency that
// wait for a supervisor, oldest first: for the supervisors' approvals queue. Anyone
// but a supervisor gets an empty list.
func (s *CaseService) FindClosureRequests(ctx context.Context, actor tropic.Actor) ([]tropic.PendingClosure, error) {
	if !actor.Has(tropic.RoleSupervisor) || actor.AgencyID == 0 {
		return nil, nil
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT r.id, c.reference, r.outcome, r.requested_by, r.requested_at, r.reason FROM case_closure_requests r JOIN cases c ON c.id = r.case_id
		WHERE r.agency_id = ? AND r.status = ? ORDER BY r.requested_at, r.id`, actor.AgencyID, string(tropic.ClosureRequested))
	if err != nil {
		return nil, fmt.Errorf("find closure requests: %w", err)
	}
	defer rows.Close()
	var out []tropic.PendingClosure
	for rows.Next() {
		var p tropic.PendingClosure
		var outcome string
		if err := rows.Scan(&p.ID, &p.CaseReference, &outcome, &p.RequestedBy, &p.RequestedAt, &p.Reason); err != nil {
			return nil, err
		}
		p.Outcome = tropic.CaseOutcome(outcome)
		p.RequestedAt = p.RequestedAt.UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}
