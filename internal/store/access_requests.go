package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

var _ tropic.AccessRequestService = (*LinkService)(nil)

// RequestAccess asks the agency holding a record that the actor's case links to, and
// that the actor may not see, to share it: one requested share (kind access) of each
// of the holder's cases that hold the record, for the holder's supervisors to decide
// as any share, and a notification to them. The record is named as the actor met it
// (tropic.AccessRequest): a shared identifier, a possible person match on the case,
// or a suspect on it who is a potential victim on the holder's case.
// tropic.MayRequestAccess decides. Anything the actor may not name (a case they may
// not see, an identifier, match or person not on it, an agency holding no such
// record) answers as a record that does not exist.
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
	named, err := s.namedRecord(ctx, tx, c, r)
	if err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT name FROM agencies WHERE id = ?`, r.AgencyID).Scan(&r.AgencyName); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return tropic.NoRecordToRequest()
		}
		return fmt.Errorf("find agency: %w", err)
	}
	var candidates []tropic.AccessCandidate
	refs := map[int64]string{}
	for _, cid := range named.cases {
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
	targets, err := tropic.MayRequestAccess(actor, r.AgencyID, r.Scope, candidates, s.cases.local(tx))
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
	for i, cid := range targets {
		shareID, err := tx.insert(ctx, `INSERT INTO case_shares (case_id, agency_id, scope, lawful_basis, reason, until_day, status, kind, via,
			access_by, from_case_id, match_id, person_id, requested_by_user, requested_by, created_at, agreement_id, no_agreement_reason)
			VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			cid, actor.AgencyID, string(r.Scope), r.LawfulBasis, r.Reason, string(tropic.ShareRequested), string(tropic.ShareByRequest), named.via,
			string(r.By()), c.ID, nullID(r.MatchID), nullID(named.person), nullID(actor.UserID), w.String(), tx.now, nullID(r.AgreementID), r.NoAgreement)
		if err != nil {
			return fmt.Errorf("request access: %w", err)
		}
		if i == 0 {
			r.ID = shareID
		}
		// The audit names how the record was named, not an identifier's value.
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditAccessAsked, objectType: "case", objectID: cid,
			detail: fmt.Sprintf("share %d for %s, asked from %s through %s: %s, %s, %s: %s", shareID, mine, c.Reference, named.audit, r.Scope, r.LawfulBasis,
				agreementCited(&tropic.Share{AgreementID: r.AgreementID, NoAgreementReason: r.NoAgreement}), r.Reason)}); err != nil {
			return err
		}
		if err := notifyAgency(ctx, tx, actor, accessRequestedNotice(shareID, refs[cid], mine), r.AgencyID, tropic.RoleSupervisor); err != nil {
			return err
		}
	}
	r.Requests = len(targets)
	return tx.Commit()
}

// namedRecord is the record an access request names, found from the actor's case.
type namedRecord struct {
	cases  []int64 // the cases that hold it (the actor's own among them, perhaps)
	via    string  // an identifier: "phone number 07700 900123", for the holder's supervisors
	person int64   // a match: the holder's person record; an s.45 notice: the actor's
	audit  string  // how it was named, for the audit trail: no identifier's value, no name
}

// namedRecord finds the cases holding the record r names on the actor's case c. An
// identifier, match or person that is not on c answers as no record at all.
func (s *LinkService) namedRecord(ctx context.Context, tx *Tx, c *tropic.Case, r *tropic.AccessRequest) (*namedRecord, error) {
	switch r.By() {
	case tropic.AccessByMatch:
		m, _, other, err := matchOnCase(ctx, tx, c, r.MatchID)
		if tropic.ErrorCode(err) == tropic.ENOTFOUND || err == nil && m.status != tropic.MatchOpen {
			return nil, tropic.NoRecordToRequest() // only a suggestion still to decide is asked about
		}
		if err != nil {
			return nil, err
		}
		ids, err := queryIDs(ctx, tx, `SELECT DISTINCT case_id FROM case_people WHERE person_id = ? ORDER BY case_id LIMIT ?`, other, maxLinksPerIdentifier)
		if err != nil {
			return nil, fmt.Errorf("find the matched record's cases: %w", err)
		}
		return &namedRecord{cases: ids, person: other, audit: fmt.Sprintf("possible person match %d", m.id)}, nil
	case tropic.AccessByS45:
		if ok, err := suspectOnCase(ctx, tx, c.ID, r.PersonID); err != nil || !ok {
			return nil, cmp.Or(err, tropic.NoRecordToRequest())
		}
		// The same cases loadNotices tells of: the person, or a record linked to theirs,
		// a potential victim on another case.
		ids, err := queryIDs(ctx, tx, s45Cases+` ORDER BY 1 LIMIT ?`, append(s45Args(c.ID, r.PersonID), maxLinksPerIdentifier)...)
		if err != nil {
			return nil, fmt.Errorf("find the s.45 cases: %w", err)
		}
		return &namedRecord{cases: ids, person: r.PersonID, audit: fmt.Sprintf("an s.45 notice on person %d", r.PersonID)}, nil
	}
	ids, err := caseIdentifiers(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	id := ids.find(r.Kind, r.Value)
	if id == nil {
		return nil, tropic.NoRecordToRequest()
	}
	caseIDs, err := queryIDs(ctx, tx, matchQueries[id.kind].cases+` LIMIT ?`, append(matchArgs(*id), maxLinksPerIdentifier)...)
	if err != nil {
		return nil, fmt.Errorf("match %s: %w", id.kind, err)
	}
	return &namedRecord{cases: caseIDs, via: id.kind.Label() + " " + id.typed, audit: "a shared " + id.kind.Label()}, nil
}

// s45Cases finds the cases an s.45 notice tells of (as loadNotices does): those on
// which the person (s45Args), or a record linked to theirs, is a potential victim.
const s45Cases = `SELECT other.case_id FROM case_people other
	WHERE other.person_id = ? AND other.role = ? AND other.case_id <> ?
	UNION
	SELECT other.case_id FROM person_matches m
	JOIN case_people other ON other.person_id = (CASE WHEN m.person_a = ? THEN m.person_b ELSE m.person_a END)
		AND other.role = ? AND other.case_id <> ?
	JOIN people op ON op.id = other.person_id
	WHERE m.status = ? AND (m.person_a = ? OR m.person_b = ?) AND op.merged_into IS NULL`

func s45Args(caseID, personID int64) []any {
	return []any{personID, string(tropic.RolePotentialVictim), caseID,
		personID, string(tropic.RolePotentialVictim), caseID, string(tropic.MatchLinked), personID, personID}
}

// suspectOnCase says whether the person is a suspect on the case (not merged away).
func suspectOnCase(ctx context.Context, tx *Tx, caseID, personID int64) (bool, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_people cp JOIN people p ON p.id = cp.person_id
		WHERE cp.case_id = ? AND cp.person_id = ? AND cp.role = ? AND p.merged_into IS NULL`, caseID, personID, string(tropic.RoleSuspect)).Scan(&n); err != nil {
		return false, fmt.Errorf("find the suspect: %w", err)
	}
	return n > 0, nil
}

// find is the identifier of that kind typed (or normalised) as value, nil if none;
// spaces and case aside, so that a number retyped as it was is still the same.
func (ids identifiers) find(kind tropic.LinkKind, value string) *identifier {
	loose := func(s string) string { return strings.ReplaceAll(s, " ", "") }
	for i := range ids {
		if ids[i].kind == kind && (strings.EqualFold(loose(ids[i].typed), loose(value)) || ids[i].key == value) {
			return &ids[i]
		}
	}
	return nil
}

// accessBasis finds how what an access request rests on stands now: whether the case
// it was asked from still names the holder's case (sh.CaseID) the way the request did.
// It reads, without locking, only what tropic.AccessBasis needs; the holder's
// supervisor and the requester learn no more from it than the request told them.
func accessBasis(ctx context.Context, tx *Tx, sh *tropic.Share) (tropic.AccessBasis, error) {
	var from, match, person sql.NullInt64
	var by, via string
	if err := tx.QueryRow(ctx, `SELECT from_case_id, match_id, person_id, access_by, via FROM case_shares WHERE id = ?`, sh.ID).
		Scan(&from, &match, &person, &by, &via); err != nil {
		return tropic.AccessBasis{}, fmt.Errorf("find what the request rests on: %w", err)
	}
	b := tropic.AccessBasis{By: tropic.AccessBy(by), Via: via}
	if from.Valid {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM cases WHERE id = ?`, from.Int64).Scan(&n); err != nil {
			return b, fmt.Errorf("find the requester's case: %w", err)
		}
		b.FromCase = n > 0
	}
	if !b.FromCase {
		return b, nil
	}
	// holds says whether the query's cases include the case.
	holds := func(caseID int64, query string, args ...any) (bool, error) {
		var n int
		err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM (`+query+`) named WHERE named.case_id = ?`, append(args, caseID)...).Scan(&n)
		return n > 0, err
	}
	var err error
	switch b.By {
	case tropic.AccessByMatch:
		// Still a suggestion to decide, or confirmed (linked, merged): one of its two
		// records on each case. Rejected or taken back, it is withdrawn.
		var status string
		var pa, pb int64
		err = tx.QueryRow(ctx, `SELECT status, person_a, person_b FROM person_matches WHERE id = ?`, match.Int64).Scan(&status, &pa, &pb)
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return b, nil
		}
		switch tropic.MatchStatus(status) {
		case tropic.MatchOpen, tropic.MatchLinked, tropic.MatchMerged:
			const either = `SELECT cp.case_id FROM case_people cp JOIN people p ON p.id = cp.person_id WHERE cp.person_id IN (?, ?) AND p.merged_into IS NULL`
			if b.Holds, err = holds(from.Int64, either, pa, pb); err == nil && b.Holds {
				b.Holds, err = holds(sh.CaseID, either, pa, pb)
			}
		}
	case tropic.AccessByS45:
		if b.Holds, err = suspectOnCase(ctx, tx, from.Int64, person.Int64); err == nil && b.Holds {
			b.Holds, err = holds(sh.CaseID, s45Cases, s45Args(from.Int64, person.Int64)...)
		}
	default:
		kind, value, ok := tropic.ParseVia(via)
		var ids identifiers
		if ok {
			ids, err = caseIdentifiers(ctx, tx, from.Int64)
		}
		if id := ids.find(kind, value); err == nil && id != nil {
			b.Holds, err = holds(sh.CaseID, matchQueries[id.kind].cases, matchArgs(*id)...)
		}
	}
	if err != nil {
		return b, fmt.Errorf("check what the request rests on: %w", err)
	}
	return b, nil
}

// maxOwnAccessRequests bounds the requester's list: the newest first.
const maxOwnAccessRequests = 200

// FindOwnAccessRequests lists the requests for access the actor made, newest first,
// with how each was decided. The holder's case is named only while the actor's agency
// may see it (approved, the share live): before, or after a refusal, the request
// tells no more than "held by AGENCY" did.
func (s *LinkService) FindOwnAccessRequests(ctx context.Context, actor tropic.Actor) ([]tropic.OwnAccessRequest, error) {
	if err := tropic.MayListOwnAccessRequests(actor); err != nil {
		return nil, err
	}
	tx, err := s.cases.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT s.id, s.case_id, c.owner_agency_id, c.reference, a.name, COALESCE(s.from_case_id, 0), s.access_by, s.via,
		s.scope, s.lawful_basis, s.reason, s.status, s.created_at, s.decided_at, s.decision_reason
		FROM case_shares s JOIN cases c ON c.id = s.case_id JOIN agencies a ON a.id = c.owner_agency_id
		WHERE s.requested_by_user = ? AND s.kind = ? AND s.agency_id = ? ORDER BY s.created_at DESC, s.id DESC LIMIT ?`,
		actor.UserID, string(tropic.ShareByRequest), actor.AgencyID, maxOwnAccessRequests)
	if err != nil {
		return nil, fmt.Errorf("find own access requests: %w", err)
	}
	type found struct {
		r             tropic.OwnAccessRequest
		caseID, owner int64
		holderRef     string
		fromCase      int64
	}
	var list []found
	for rows.Next() {
		var f found
		var by, scope, status string
		var decided sql.NullTime
		if err := rows.Scan(&f.r.ID, &f.caseID, &f.owner, &f.holderRef, &f.r.Holder, &f.fromCase, &by, &f.r.Via, &scope, &f.r.LawfulBasis,
			&f.r.Reason, &status, &f.r.RequestedAt, &decided, &f.r.DecisionReason); err != nil {
			rows.Close()
			return nil, err
		}
		f.r.By, f.r.Scope, f.r.Status, f.r.RequestedAt = tropic.AccessBy(by), tropic.ShareScope(scope), tropic.ShareStatus(status), f.r.RequestedAt.UTC()
		if decided.Valid {
			f.r.DecidedAt = decided.Time.UTC()
		}
		list = append(list, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	now := s.cases.local(tx)
	out := make([]tropic.OwnAccessRequest, 0, len(list))
	for _, f := range list {
		if f.r.Status == tropic.ShareRequested {
			b, err := accessBasis(ctx, tx, &tropic.Share{ID: f.r.ID, CaseID: f.caseID})
			if err != nil {
				return nil, err
			}
			f.r.Withdrawn = b.Withdrawn()
		}
		if f.r.Status == tropic.ShareActive {
			shares, err := loadShares(ctx, tx, f.caseID)
			if err != nil {
				return nil, err
			}
			if tropic.AccessTo(actor, f.owner, shares, now) != tropic.AccessNone {
				f.r.CaseReference = f.holderRef
			}
		}
		if f.fromCase != 0 {
			// The requester's own case, named while they may still see it.
			var owner int64
			var ref string
			err := tx.QueryRow(ctx, `SELECT owner_agency_id, reference FROM cases WHERE id = ?`, f.fromCase).Scan(&owner, &ref)
			if err != nil && tropic.ErrorCode(mapError(err)) != tropic.ENOTFOUND {
				return nil, fmt.Errorf("find the requester's case: %w", err)
			}
			if err == nil {
				shares, err := loadShares(ctx, tx, f.fromCase)
				if err != nil {
					return nil, err
				}
				if tropic.AccessTo(actor, owner, shares, now) != tropic.AccessNone {
					f.r.FromCase = ref
				}
			}
		}
		out = append(out, f.r)
	}
	return out, nil
}

// FindAccessApproval reads one access request for a supervisor of the agency that
// holds the case asked for, to decide: anyone else finds no such request. A request
// by a possible match names the holder's own person it concerns, while that person
// is on the case.
func (s *LinkService) FindAccessApproval(ctx context.Context, actor tropic.Actor, shareID int64) (*tropic.AccessApproval, error) {
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sh, c, err := s.cases.shareForOwnerSupervisor(ctx, tx, actor, shareID)
	if err != nil {
		return nil, err
	}
	if sh.Kind != tropic.ShareByRequest {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Share not found.")
	}
	a := &tropic.AccessApproval{Approval: tropic.Approval{Kind: tropic.ApproveAccess, ID: sh.ID, CaseReference: c.Reference, Agency: sh.AgencyName,
		Scope: sh.Scope, LawfulBasis: sh.LawfulBasis, Via: sh.Via, AccessBy: sh.AccessBy, Reason: sh.Reason, RequestedBy: sh.RequestedBy,
		RequestedAt: sh.CreatedAt, Share: sh}, Status: sh.Status, DecidedAt: sh.DecidedAt, DecisionReason: sh.DecisionReason}
	if sh.Status == tropic.ShareRequested {
		b, err := accessBasis(ctx, tx, sh)
		if err != nil {
			return nil, err
		}
		a.Withdrawn = b.Withdrawn()
	}
	if sh.AccessBy == tropic.AccessByMatch {
		var person sql.NullInt64
		if err := tx.QueryRow(ctx, `SELECT person_id FROM case_shares WHERE id = ?`, sh.ID).Scan(&person); err != nil {
			return nil, fmt.Errorf("find the request's person: %w", err)
		}
		onCase, err := casePersonIDs(ctx, tx, c.ID)
		if err != nil {
			return nil, err
		}
		if person.Valid && onCase[person.Int64] {
			labels, err := personLabels(ctx, tx, []int64{person.Int64})
			if err != nil {
				return nil, err
			}
			a.PersonID, a.PersonName = person.Int64, labels[person.Int64]
		}
	}
	return a, tx.Commit()
}
