package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

const shareColumns = `s.id, s.case_id, s.agency_id, a.name, s.scope, s.lawful_basis, s.reason, s.until_day, s.status,
	s.kind, s.via, s.access_by, s.decision_reason, s.requested_by, s.granted_by, s.created_at, s.decided_at, s.revoked_at,
	COALESCE(s.agreement_id, 0), COALESCE(g.title, ''), COALESCE(g.review_on, ''), s.no_agreement_reason`

// shareFrom joins what shareColumns reads.
const shareFrom = ` FROM case_shares s JOIN agencies a ON a.id = s.agency_id LEFT JOIN sharing_agreements g ON g.id = s.agreement_id`

func scanShare(sc interface{ Scan(...any) error }) (*tropic.Share, error) {
	var sh tropic.Share
	var scope, status, kind, by string
	var decided, revoked sql.NullTime
	if err := sc.Scan(&sh.ID, &sh.CaseID, &sh.AgencyID, &sh.AgencyName, &scope, &sh.LawfulBasis, &sh.Reason, &sh.Until, &status,
		&kind, &sh.Via, &by, &sh.DecisionReason, &sh.RequestedBy, &sh.GrantedBy, &sh.CreatedAt, &decided, &revoked,
		&sh.AgreementID, &sh.AgreementTitle, &sh.AgreementReviewOn, &sh.NoAgreementReason); err != nil {
		return nil, mapError(err)
	}
	sh.Scope, sh.Status, sh.Kind, sh.CreatedAt = tropic.ShareScope(scope), tropic.ShareStatus(status), tropic.ShareKind(kind), sh.CreatedAt.UTC()
	sh.AccessBy = tropic.AccessBy(by)
	if decided.Valid {
		sh.DecidedAt = decided.Time.UTC()
	}
	if revoked.Valid {
		sh.RevokedAt = revoked.Time.UTC()
	}
	return &sh, nil
}

// loadShares loads every share of a case, whatever its status: AccessTo picks the live ones.
func loadShares(ctx context.Context, tx *Tx, caseID int64) ([]*tropic.Share, error) {
	rows, err := tx.Query(ctx, `SELECT `+shareColumns+shareFrom+` WHERE s.case_id = ? ORDER BY s.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("load shares: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Share
	for rows.Next() {
		sh, err := scanShare(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// RequestShare asks to share the case with another agency; a supervisor of the owner
// shares at once. Only the owning agency shares its case, citing an agreement from the
// register that covers both agencies or saying why none applies
// (tropic.CheckShareAgreement, in this transaction).
func (s *CaseService) RequestShare(ctx context.Context, actor tropic.Actor, caseRef string, sh *tropic.Share) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, shares, err := s.caseByRef(ctx, tx, actor, caseRef, true)
	if err != nil {
		return err
	}
	if err := tropic.MayChangeCase(actor, c); err != nil {
		return err
	}
	g, err := agreementByID(ctx, tx, sh.AgreementID)
	if err != nil {
		return err
	}
	if err := sh.Validate(s.local(tx), g, c.OwnerAgencyID); err != nil {
		return err
	}
	badAgency := func(msg string) error {
		return &tropic.Error{Code: tropic.EINVALID, Message: msg, Fields: map[string]string{"agency": msg}}
	}
	if sh.AgencyID == c.OwnerAgencyID {
		return badAgency("Choose another agency: this case is already your agency's")
	}
	if err := tx.QueryRow(ctx, `SELECT name FROM agencies WHERE id = ?`, sh.AgencyID).Scan(&sh.AgencyName); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return badAgency("Choose an agency from the list")
		}
		return fmt.Errorf("find agency: %w", err)
	}
	if err := tropic.MayAskShare(&tropic.Share{CaseID: c.ID, AgencyID: sh.AgencyID, Scope: sh.Scope, Until: sh.Until}, shares, s.local(tx)); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	sh.CaseID, sh.RequestedBy, sh.CreatedAt, sh.Status, sh.Kind, sh.Via = c.ID, w.String(), tx.now, tropic.ShareRequested, tropic.ShareByOwner, ""
	sh.GrantedBy, sh.DecidedAt, sh.RevokedAt = "", time.Time{}, time.Time{}
	var grantedByUser any
	action := tropic.AuditShareRequested
	if tropic.IsOwnerSupervisor(actor, c.OwnerAgencyID) {
		sh.Status, sh.GrantedBy, sh.DecidedAt, grantedByUser = tropic.ShareActive, w.String(), tx.now, nullID(actor.UserID)
		action = tropic.AuditShareGranted
	}
	if g != nil {
		sh.AgreementReviewOn = g.ReviewOn
	}
	if err := insertShare(ctx, tx, actor, c, sh, grantedByUser, action); err != nil {
		return err
	}
	if sh.Status == tropic.ShareRequested {
		if err := notifyAgency(ctx, tx, actor, shareRequestedNotice(sh.ID, c.Reference, sh.AgencyName), c.OwnerAgencyID, tropic.RoleSupervisor); err != nil {
			return err
		}
	} else if err := s.shareBecameActive(ctx, tx, actor, c, sh, append(shares, sh), 0); err != nil {
		return err
	}
	return tx.Commit()
}

// agreementCited says for the audit trail what a share rests on.
func agreementCited(sh *tropic.Share) string {
	if sh.AgreementID != 0 {
		return fmt.Sprintf("agreement %d", sh.AgreementID)
	}
	return "no agreement: " + sh.NoAgreementReason
}

// insertShare writes a share of case c and its audit event; sh is filled in but for its
// id, and has passed tropic.CheckShareAgreement in this transaction.
func insertShare(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, sh *tropic.Share, grantedByUser any, action string) error {
	var err error
	sh.ID, err = tx.insert(ctx, `INSERT INTO case_shares (case_id, agency_id, scope, lawful_basis, reason, until_day, status,
		requested_by_user, requested_by, granted_by_user, granted_by, created_at, decided_at, agreement_id, no_agreement_reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, sh.AgencyID, string(sh.Scope), sh.LawfulBasis, sh.Reason, sh.Until, string(sh.Status),
		nullID(actor.UserID), sh.RequestedBy, grantedByUser, sh.GrantedBy, sh.CreatedAt, nullTime(sh.DecidedAt), nullID(sh.AgreementID), sh.NoAgreementReason)
	if err != nil {
		return fmt.Errorf("share case: %w", err)
	}
	return appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: "case", objectID: c.ID,
		detail: fmt.Sprintf("share %d with %s: %s, %s, until %q, %s: %s", sh.ID, sh.AgencyName, sh.Scope, sh.LawfulBasis, sh.Until, agreementCited(sh), sh.Reason)})
}

// shareForOwnerSupervisor loads a share for a decision by a supervisor of the owner.
func (s *CaseService) shareForOwnerSupervisor(ctx context.Context, tx *Tx, actor tropic.Actor, shareID int64) (*tropic.Share, *tropic.Case, error) {
	const notFound = "Share not found."
	var caseID int64
	if err := tx.QueryRow(ctx, `SELECT case_id FROM case_shares WHERE id = ?`, shareID).Scan(&caseID); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return nil, nil, tropic.Errorf(tropic.ENOTFOUND, notFound)
		}
		return nil, nil, fmt.Errorf("find share: %w", err)
	}
	c, shares, err := s.caseByID(ctx, tx, actor, caseID, true, notFound)
	if err != nil {
		return nil, nil, err
	}
	var sh *tropic.Share
	for _, v := range shares {
		if v.ID == shareID {
			sh = v
		}
	}
	if sh == nil {
		return nil, nil, tropic.Errorf(tropic.ENOTFOUND, notFound)
	}
	if err := tropic.MayDecideShare(actor, c, sh); err != nil {
		return nil, nil, err
	}
	return sh, c, nil
}

// DecideShare approves or declines a requested share; tropic.CheckShareDecision says
// when a refusal needs its reason (another agency's request for access), which is
// kept for the requester to read. A request for access is approved only while what it
// rests on holds (tropic.MayApproveAccess), checked here in the transaction.
func (s *CaseService) DecideShare(ctx context.Context, actor tropic.Actor, shareID int64, approve bool, reason string) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sh, c, err := s.shareForOwnerSupervisor(ctx, tx, actor, shareID)
	if err != nil {
		return err
	}
	if reason, err = tropic.CheckShareDecision(sh, approve, reason); err != nil {
		return err
	}
	if approve && sh.Kind == tropic.ShareByRequest {
		// What the request rests on may have been corrected away since it was made.
		b, err := accessBasis(ctx, tx, sh)
		if err != nil {
			return err
		}
		if err := tropic.MayApproveAccess(b); err != nil {
			return err
		}
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	status, action, granted, grantedBy := tropic.ShareDeclined, tropic.AuditShareDeclined, any(nil), ""
	if approve {
		status, action, granted, grantedBy = tropic.ShareActive, tropic.AuditShareGranted, nullID(actor.UserID), w.String()
	}
	// Only a request still waiting is decided: two supervisors deciding at once, or a
	// replayed decision, find it decided (PostgreSQL reads committed rows).
	res, err := tx.Exec(ctx, `UPDATE case_shares SET status = ?, granted_by_user = ?, granted_by = ?, decided_at = ?, decision_reason = ? WHERE id = ? AND status = ?`,
		string(status), granted, grantedBy, tx.now, reason, sh.ID, string(tropic.ShareRequested))
	if err != nil {
		return fmt.Errorf("decide share: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "This request has already been decided.")
	}
	detail := fmt.Sprintf("share %d with %s", sh.ID, sh.AgencyName)
	if reason != "" {
		detail += ": " + reason
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: "case", objectID: c.ID, detail: detail}); err != nil {
		return err
	}
	var requester sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT requested_by_user FROM case_shares WHERE id = ?`, sh.ID).Scan(&requester); err != nil {
		return fmt.Errorf("find who asked for share: %w", err)
	}
	if err := notifyUsers(ctx, tx, actor, shareDecidedNotice(sh, c.Reference, c.OwnerAgency, approve), requester.Int64); err != nil {
		return err
	}
	if err := settleShareNotices(ctx, tx, sh, c.Reference, decidedWord(approve), s.local(tx)); err != nil {
		return err
	}
	if approve {
		shares, err := loadShares(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		sh.Status, sh.DecidedAt = tropic.ShareActive, tx.now
		if err := s.shareBecameActive(ctx, tx, actor, c, sh, shares, requester.Int64); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// shareBecameActive does, in the transaction that made sh active, what follows: the
// requests still waiting for the same case and agency that sh already covers
// (tropic.CoveredBy) close as covered, each requester told why; and the receiving
// agency's caseworkers and supervisors, who work shared cases, are told the case is
// theirs to see (as a report passed to an agency is told to them), but for told, who
// asked for it and was told already.
func (s *CaseService) shareBecameActive(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, sh *tropic.Share, shares []*tropic.Share, told int64) error {
	now := tx.now
	for _, r := range tropic.CoveredBy(sh, shares, now) {
		reason := tropic.CoveredReason(sh)
		res, err := tx.Exec(ctx, `UPDATE case_shares SET status = ?, decided_at = ?, decision_reason = ? WHERE id = ? AND status = ?`,
			string(tropic.ShareCovered), now, reason, r.ID, string(tropic.ShareRequested))
		if err != nil {
			return fmt.Errorf("close covered request: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue
		}
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditShareCovered, objectType: "case", objectID: c.ID,
			detail: fmt.Sprintf("share %d with %s: %s", r.ID, r.AgencyName, reason)}); err != nil {
			return err
		}
		var requester sql.NullInt64
		if err := tx.QueryRow(ctx, `SELECT requested_by_user FROM case_shares WHERE id = ?`, r.ID).Scan(&requester); err != nil {
			return fmt.Errorf("find who asked for share: %w", err)
		}
		if err := notifyUsers(ctx, tx, actor, shareCoveredNotice(r, c.Reference, c.OwnerAgency), requester.Int64); err != nil {
			return err
		}
		// The supervisors' "waits for a decision" about it is settled as a decision's is.
		if err := settleShareNotices(ctx, tx, r, c.Reference, "closed as already shared", s.local(tx)); err != nil {
			return err
		}
	}
	// notifyAgency leaves out its actor: here, whoever asked, told by their own notice.
	// The actor deciding is of the owning agency, never among those told.
	return notifyAgency(ctx, tx, tropic.Actor{UserID: told}, caseSharedNotice(c.Reference, c.OwnerAgency, sh.Scope), sh.AgencyID,
		tropic.RoleCaseworker, tropic.RoleSupervisor)
}

// RevokeShare ends an active share, or withdraws a requested one.
func (s *CaseService) RevokeShare(ctx context.Context, actor tropic.Actor, shareID int64) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sh, c, err := s.shareForOwnerSupervisor(ctx, tx, actor, shareID)
	if err != nil {
		return err
	}
	if sh.Status != tropic.ShareActive && sh.Status != tropic.ShareRequested {
		return tropic.Errorf(tropic.ECONFLICT, "This share has already ended.")
	}
	if _, err := tx.Exec(ctx, `UPDATE case_shares SET status = ?, revoked_at = ?, revoked_by_user = ? WHERE id = ?`,
		string(tropic.ShareRevoked), tx.now, nullID(actor.UserID), sh.ID); err != nil {
		return fmt.Errorf("revoke share: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditShareRevoked, objectType: "case", objectID: c.ID,
		detail: fmt.Sprintf("share %d with %s", sh.ID, sh.AgencyName)}); err != nil {
		return err
	}
	if sh.Status == tropic.ShareRequested {
		if err := settleShareNotices(ctx, tx, sh, c.Reference, "withdrawn", s.local(tx)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// FindAccessLog lists who has seen the case and its people, newest first: supervisors
// of the owning agency only. Reading it is audited too.
func (s *CaseService) FindAccessLog(ctx context.Context, actor tropic.Actor, caseRef string) ([]tropic.AccessLogEntry, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, _, err := s.caseByRef(ctx, tx, actor, caseRef, false)
	if err != nil {
		return nil, err
	}
	if err := tropic.MayReadAccessLog(actor, c); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT l.at, l.user_label, l.agency, l.person_id IS NOT NULL, COALESCE(p.given_name, ''), COALESCE(p.family_name, '')
		FROM case_access_log l LEFT JOIN people p ON p.id = l.person_id WHERE l.case_id = ? ORDER BY l.at DESC, l.id DESC LIMIT 1000`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("find access log: %w", err)
	}
	var out []tropic.AccessLogEntry
	for rows.Next() {
		var e tropic.AccessLogEntry
		var person bool
		var given, family string
		if err := rows.Scan(&e.At, &e.User, &e.Agency, &person, &given, &family); err != nil {
			rows.Close()
			return nil, err
		}
		e.At, e.What = e.At.UTC(), "case"
		if person {
			e.What = "person " + personLabel(&tropic.Person{GivenName: given, FamilyName: family})
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditAccessLogViewed, objectType: "case", objectID: c.ID, detail: c.Reference}); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}
