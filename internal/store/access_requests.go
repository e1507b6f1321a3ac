package store

import (
	"context"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

var _ tropic.AccessRequestService = (*LinkService)(nil)

// RequestAccess asks the agency holding a record that the actor's case links to, and
// that the actor may not see, to share it: one requested share (kind access) of each
// of the holder's cases that hold the identifier, for the holder's supervisors to
// decide as any share, and a notification to them. tropic.MayRequestAccess decides.
// Anything the actor may not name (a case they may not see, an identifier not on it,
// an agency holding no such record) answers as a record that does not exist.
func (s *LinkService) RequestAccess(ctx context.Context, actor tropic.Actor, r *tropic.AccessRequest) error {
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	g, err := agreementByID(ctx, tx, r.AgreementID)
	if err != nil {
		return err
	}
	if err := r.Validate(s.cases.local(tx), g, actor.AgencyID); err != nil {
		return err
	}
	c, _, err := s.cases.caseByRef(ctx, tx, actor, r.CaseReference, false)
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return tropic.NoRecordToRequest()
	}
	if err != nil {
		return err
	}
	ids, err := caseIdentifiers(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	var id *identifier
	for i := range ids {
		if ids[i].kind == r.Kind && (strings.EqualFold(ids[i].typed, r.Value) || ids[i].key == r.Value) {
			id = &ids[i]
			break
		}
	}
	if id == nil {
		return tropic.NoRecordToRequest()
	}
	if err := tx.QueryRow(ctx, `SELECT name FROM agencies WHERE id = ?`, r.AgencyID).Scan(&r.AgencyName); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return tropic.NoRecordToRequest()
		}
		return fmt.Errorf("find agency: %w", err)
	}
	caseIDs, err := queryIDs(ctx, tx, matchQueries[id.kind].cases+` LIMIT ?`, append(matchArgs(*id), maxLinksPerIdentifier)...)
	if err != nil {
		return fmt.Errorf("match %s: %w", id.kind, err)
	}
	var candidates []tropic.AccessCandidate
	refs := map[int64]string{}
	for _, cid := range caseIDs {
		if cid == c.ID {
			continue
		}
		cand := tropic.AccessCandidate{CaseID: cid}
		var ref string
		if err := tx.QueryRow(ctx, `SELECT owner_agency_id, reference FROM cases WHERE id = ?`, cid).Scan(&cand.OwnerID, &ref); err != nil {
			return fmt.Errorf("read linked case: %w", err)
		}
		if cand.Shares, err = loadShares(ctx, tx, cid); err != nil {
			return err
		}
		refs[cid] = ref
		candidates = append(candidates, cand)
	}
	targets, err := tropic.MayRequestAccess(actor, r.AgencyID, candidates, s.cases.local(tx))
	if err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	var mine string
	if err := tx.QueryRow(ctx, `SELECT name FROM agencies WHERE id = ?`, actor.AgencyID).Scan(&mine); err != nil {
		return fmt.Errorf("find agency: %w", err)
	}
	via := id.kind.Label() + " " + id.typed
	for _, cid := range targets {
		shareID, err := tx.insert(ctx, `INSERT INTO case_shares (case_id, agency_id, scope, lawful_basis, reason, until_day, status, kind, via,
			requested_by_user, requested_by, created_at, agreement_id, no_agreement_reason) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)`,
			cid, actor.AgencyID, string(r.Scope), r.LawfulBasis, r.Reason, string(tropic.ShareRequested), string(tropic.ShareByRequest), via,
			nullID(actor.UserID), w.String(), tx.now, nullID(r.AgreementID), r.NoAgreement)
		if err != nil {
			return fmt.Errorf("request access: %w", err)
		}
		// The audit names the identifier's kind, not its value.
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditAccessAsked, objectType: "case", objectID: cid,
			detail: fmt.Sprintf("share %d for %s, asked from %s through a shared %s: %s, %s, %s: %s", shareID, mine, c.Reference, id.kind.Label(), r.Scope, r.LawfulBasis,
				agreementCited(&tropic.Share{AgreementID: r.AgreementID, NoAgreementReason: r.NoAgreement}), r.Reason)}); err != nil {
			return err
		}
		if err := notifyAgency(ctx, tx, actor, accessRequestedNotice(refs[cid], mine), r.AgencyID, tropic.RoleSupervisor); err != nil {
			return err
		}
	}
	r.Requests = len(targets)
	return tx.Commit()
}
