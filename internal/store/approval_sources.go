package store

import (
	"context"
	"fmt"

	"tropic/internal/tropic"
)

// The approvals queue's sources in this store: requested shares of the agency's cases
// (asked by its own staff, or by another agency as access requests) and role changes
// waiting on them. Each is one read transaction, oldest first; tropic.CollectApprovals
// merges them.

// maxApprovals bounds one source's list: a queue longer than this is a backlog to clear,
// not a page to read.
const maxApprovals = 500

// FindShareApprovals lists the share requests of the actor's agency's cases.
func (s *CaseService) FindShareApprovals(ctx context.Context, actor tropic.Actor) ([]tropic.Approval, error) {
	return s.requestedShares(ctx, actor, tropic.ShareByOwner, tropic.ApproveShare)
}

// FindAccessApprovals lists other agencies' requests for access to the actor's
// agency's cases.
func (s *CaseService) FindAccessApprovals(ctx context.Context, actor tropic.Actor) ([]tropic.Approval, error) {
	return s.requestedShares(ctx, actor, tropic.ShareByRequest, tropic.ApproveAccess)
}

func (s *CaseService) requestedShares(ctx context.Context, actor tropic.Actor, kind tropic.ShareKind, as tropic.ApprovalKind) ([]tropic.Approval, error) {
	if !tropic.MayListApprovals(actor) {
		return nil, nil
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT s.id, s.case_id, c.reference, a.name, s.scope, s.lawful_basis, s.via, s.access_by, s.reason, s.requested_by, s.created_at,
			COALESCE(s.agreement_id, 0), COALESCE(g.title, ''), COALESCE(g.review_on, ''), s.no_agreement_reason
		FROM case_shares s JOIN cases c ON c.id = s.case_id JOIN agencies a ON a.id = s.agency_id LEFT JOIN sharing_agreements g ON g.id = s.agreement_id
		WHERE s.status = ? AND s.kind = ? AND c.owner_agency_id = ? ORDER BY s.created_at, s.id LIMIT ?`,
		string(tropic.ShareRequested), string(kind), actor.AgencyID, maxApprovals)
	if err != nil {
		return nil, fmt.Errorf("find share requests: %w", err)
	}
	var out []tropic.Approval
	for rows.Next() {
		a := tropic.Approval{Kind: as, Share: &tropic.Share{Status: tropic.ShareRequested, Kind: kind}}
		var scope, by string
		if err := rows.Scan(&a.ID, &a.Share.CaseID, &a.CaseReference, &a.Agency, &scope, &a.LawfulBasis, &a.Via, &by, &a.Reason, &a.RequestedBy, &a.RequestedAt,
			&a.Share.AgreementID, &a.Share.AgreementTitle, &a.Share.AgreementReviewOn, &a.Share.NoAgreementReason); err != nil {
			rows.Close()
			return nil, err
		}
		a.Scope, a.RequestedAt, a.Share.ID = tropic.ShareScope(scope), a.RequestedAt.UTC(), a.ID
		if kind == tropic.ShareByRequest {
			a.AccessBy = tropic.AccessBy(by)
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if kind == tropic.ShareByRequest {
		// Say which requests rest on a link withdrawn since: they cannot be approved.
		for i := range out {
			b, err := accessBasis(ctx, tx, out[i].Share)
			if err != nil {
				return nil, err
			}
			out[i].Withdrawn = b.Withdrawn()
		}
	}
	return out, nil
}

// FindRoleChangeApprovals lists the role changes waiting on the actor's agency's
// cases. It names no person: the queue says what is asked, the case says of whom.
func (s *CaseService) FindRoleChangeApprovals(ctx context.Context, actor tropic.Actor) ([]tropic.Approval, error) {
	if !tropic.MayListApprovals(actor) {
		return nil, nil
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT rc.id, c.reference, rc.from_role, rc.to_role, rc.reason, rc.requested_by, rc.requested_at
		FROM role_changes rc JOIN cases c ON c.id = rc.case_id
		WHERE rc.status = ? AND c.owner_agency_id = ? ORDER BY rc.requested_at, rc.id LIMIT ?`,
		string(tropic.RoleChangeRequested), actor.AgencyID, maxApprovals)
	if err != nil {
		return nil, fmt.Errorf("find role changes: %w", err)
	}
	defer rows.Close()
	var out []tropic.Approval
	for rows.Next() {
		a := tropic.Approval{Kind: tropic.ApproveRoleChange}
		var from, to string
		if err := rows.Scan(&a.ID, &a.CaseReference, &from, &to, &a.Reason, &a.RequestedBy, &a.RequestedAt); err != nil {
			return nil, err
		}
		a.From, a.To, a.RequestedAt = tropic.PersonRole(from), tropic.PersonRole(to), a.RequestedAt.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// FindClosureApprovals lists the requests to close the actor's agency's cases, for the
// approvals queue; the case's own close page decides them.
func (s *CaseService) FindClosureApprovals(ctx context.Context, actor tropic.Actor) ([]tropic.Approval, error) {
	if !tropic.MayListApprovals(actor) {
		return nil, nil
	}
	pending, err := s.FindClosureRequests(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := make([]tropic.Approval, 0, len(pending))
	for _, p := range pending {
		out = append(out, tropic.Approval{Kind: tropic.ApproveClosure, ID: p.ID, CaseReference: p.CaseReference, What: "Close the case: " + p.Outcome.Label(),
			Reason: p.Reason, RequestedBy: p.RequestedBy, RequestedAt: p.RequestedAt})
	}
	return out, nil
}
