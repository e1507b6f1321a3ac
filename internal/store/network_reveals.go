package store

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// Requests to reveal a pseudonymised person of the analysts' network (decision 75):
// asked of the agency holding the person, decided by its supervisors in their
// approvals queue, and shown to the requester alone until the reveal ends. The rules
// are tropic's (ValidateReveal, MayDecideReveal), checked here in the transaction.

var _ tropic.NetworkRevealService = (*MatchService)(nil)

// personPseudonym is a person's pseudonym under key, as the network keys them.
func personPseudonym(key []byte, id int64) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("person:" + strconv.FormatInt(id, 10)))
	return hex.EncodeToString(mac.Sum(nil))[:16]
}

// revealLabel is how the network labels a person before any reveal.
func revealLabel(pseudonym string) string {
	return nodeKindNames["person"] + " " + strings.ToUpper(pseudonym[:6])
}

// personByKey finds the person a network key names among those agency holds (on a
// case it owns): the pseudonym is keyed, so the agency's live person records are read
// and each keyed in turn (0 when none is: unknown, or not held by agency).
func personByKey(ctx context.Context, tx *Tx, key []byte, nodeKey string, agency int64) (int64, error) {
	want, ok := strings.CutPrefix(nodeKey, "person:")
	if !ok {
		return 0, nil
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT p.id FROM people p JOIN case_people cp ON cp.person_id = p.id
		JOIN cases c ON c.id = cp.case_id WHERE c.owner_agency_id = ? AND p.merged_into IS NULL ORDER BY p.id`, agency)
	if err != nil {
		return 0, fmt.Errorf("find person by pseudonym: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		if personPseudonym(key, id) == want {
			return id, nil
		}
	}
	return 0, rows.Err()
}

// personHolding says whether agency owns a case person is on, and whether the person
// is a potential victim on one of its cases.
func personHolding(ctx context.Context, tx *Tx, person, agency int64) (holds, victim bool, err error) {
	rows, err := tx.Query(ctx, `SELECT cp.role FROM case_people cp JOIN cases c ON c.id = cp.case_id
		WHERE cp.person_id = ? AND c.owner_agency_id = ?`, person, agency)
	if err != nil {
		return false, false, fmt.Errorf("read person's holders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var role string
		if err := rows.Scan(&role); err != nil {
			return false, false, err
		}
		holds = true
		victim = victim || tropic.PersonRole(role) == tropic.RolePotentialVictim
	}
	return holds, victim, rows.Err()
}

// AskReveal asks the holding agency's supervisors to reveal a person of the network,
// notifying them in the same transaction.
func (s *MatchService) AskReveal(ctx context.Context, actor tropic.Actor, r *tropic.RevealRequest) error {
	if err := tropic.MayAskReveal(actor); err != nil {
		return err
	}
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	key, err := pseudonymKey(ctx, tx)
	if err != nil {
		return err
	}
	person, err := personByKey(ctx, tx, key, r.PersonKey, r.AgencyID)
	if err != nil {
		return err
	}
	holds := false
	if person != 0 {
		if holds, r.Victim, err = personHolding(ctx, tx, person, r.AgencyID); err != nil {
			return err
		}
	}
	g, err := agreementByID(ctx, tx, r.AgreementID)
	if err != nil {
		return err
	}
	if err := tropic.ValidateReveal(actor, r, g, holds, s.cases.local(tx)); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT name FROM agencies WHERE id = ?`, r.AgencyID).Scan(&r.Agency); err != nil {
		return fmt.Errorf("find agency: %w", mapError(err))
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	r.Status, r.RequestedBy, r.RequestedByID, r.RequestedAt = tropic.RevealRequested, w.String(), actor.UserID, tx.now
	r.Pseudonym = revealLabel(personPseudonym(key, person))
	if r.ID, err = tx.insert(ctx, `INSERT INTO network_reveals (person_id, agency_id, requested_by_user, requested_by, requester_agency_id, purpose,
		agreement_id, no_agreement_reason, victim, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		person, r.AgencyID, actor.UserID, r.RequestedBy, actor.AgencyID, r.Purpose, nullID(r.AgreementID), r.NoAgreementReason, r.Victim,
		string(r.Status), tx.now); err != nil {
		return fmt.Errorf("ask reveal: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditRevealRequested, objectType: "person", objectID: person,
		detail: fmt.Sprintf("reveal request %d of %s to %s: %s; %s", r.ID, r.Pseudonym, r.Agency, revealCited(r), r.Purpose)}); err != nil {
		return err
	}
	n := tropic.Notification{Kind: tropic.NotifyAccessRequested, Subject: r.Pseudonym, Link: "/approvals/reveals/" + strconv.FormatInt(r.ID, 10), About: aboutID("reveal", r.ID),
		Text: "An analyst asks your agency to reveal who " + r.Pseudonym + " in the partnership network is."}
	if err := notifyAgency(ctx, tx, actor, n, r.AgencyID, tropic.RoleSupervisor); err != nil {
		return err
	}
	return tx.Commit()
}

// revealCited says for the audit trail what a reveal rests on.
func revealCited(r *tropic.RevealRequest) string {
	if r.AgreementID != 0 {
		return fmt.Sprintf("agreement %d", r.AgreementID)
	}
	return "no agreement: " + r.NoAgreementReason
}

const revealColumns = `r.id, r.person_id, r.agency_id, a.name, r.purpose, COALESCE(r.agreement_id, 0), COALESCE(g.title, ''), r.no_agreement_reason,
	r.victim, r.status, r.requested_by, r.requested_by_user, r.created_at, r.decided_by, r.decided_at, r.decision_reason, r.reveal_until`

const revealFrom = ` FROM network_reveals r JOIN agencies a ON a.id = r.agency_id LEFT JOIN sharing_agreements g ON g.id = r.agreement_id`

// readReveals reads requests and labels each by the person's pseudonym.
func readReveals(ctx context.Context, tx *Tx, key []byte, where string, args ...any) ([]tropic.RevealRequest, []int64, error) {
	rows, err := tx.Query(ctx, `SELECT `+revealColumns+revealFrom+` WHERE `+where, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("read reveal requests: %w", err)
	}
	defer rows.Close()
	var out []tropic.RevealRequest
	var people []int64
	for rows.Next() {
		var r tropic.RevealRequest
		var person int64
		var status string
		var decided, until sql.NullTime
		if err := rows.Scan(&r.ID, &person, &r.AgencyID, &r.Agency, &r.Purpose, &r.AgreementID, &r.AgreementTitle, &r.NoAgreementReason,
			&r.Victim, &status, &r.RequestedBy, &r.RequestedByID, &r.RequestedAt, &r.DecidedBy, &decided, &r.DecisionReason, &until); err != nil {
			return nil, nil, err
		}
		r.Status, r.RequestedAt = tropic.RevealStatus(status), r.RequestedAt.UTC()
		if decided.Valid {
			r.DecidedAt = decided.Time.UTC()
		}
		if until.Valid {
			r.Until = until.Time.UTC()
		}
		r.PersonKey = "person:" + personPseudonym(key, person)
		r.Pseudonym = revealLabel(personPseudonym(key, person))
		out = append(out, r)
		people = append(people, person)
	}
	return out, people, rows.Err()
}

// FindOwnReveals lists the actor's requests, newest first; an approved one still in
// force carries the name.
func (s *MatchService) FindOwnReveals(ctx context.Context, actor tropic.Actor) ([]tropic.RevealRequest, error) {
	if err := tropic.MayAskReveal(actor); err != nil {
		return nil, err
	}
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	key, err := pseudonymKey(ctx, tx)
	if err != nil {
		return nil, err
	}
	list, people, err := readReveals(ctx, tx, key, `r.requested_by_user = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, actor.UserID, maxApprovals)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Active(tx.now) {
			if list[i].Name, err = revealedName(ctx, tx, people[i], list[i].AgencyID); err != nil {
				return nil, err
			}
		}
	}
	return list, tx.Commit()
}

// revealedName is the name of a person still held by agency; "" when the agency no
// longer holds them (removed from its cases), so that nothing is revealed of them.
func revealedName(ctx context.Context, tx *Tx, person, agency int64) (string, error) {
	holds, _, err := personHolding(ctx, tx, person, agency)
	if err != nil || !holds {
		return "", err
	}
	var given, family string
	if err := tx.QueryRow(ctx, `SELECT given_name, family_name FROM people WHERE id = ? AND merged_into IS NULL`, person).Scan(&given, &family); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return "", nil
		}
		return "", fmt.Errorf("read revealed person: %w", err)
	}
	if name := strings.TrimSpace(given + " " + family); name != "" {
		return name, nil
	}
	var alias string
	if err := tx.QueryRow(ctx, `SELECT alias FROM person_aliases WHERE person_id = ? ORDER BY position LIMIT 1`, person).Scan(&alias); err != nil &&
		tropic.ErrorCode(mapError(err)) != tropic.ENOTFOUND {
		return "", fmt.Errorf("read person's alias: %w", err)
	}
	return cmp.Or(alias, "Person without a name"), nil
}

// revealForDecision loads request id for the actor's decision: missing to anyone but
// a supervisor of the holder (tropic.MayDecideReveal).
func (s *MatchService) revealForDecision(ctx context.Context, tx *Tx, actor tropic.Actor, id int64) (*tropic.RevealRequest, int64, error) {
	key, err := pseudonymKey(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	list, people, err := readReveals(ctx, tx, key, `r.id = ?`, id)
	if err != nil {
		return nil, 0, err
	}
	if len(list) == 0 || list[0].AgencyID != actor.AgencyID {
		return nil, 0, tropic.Errorf(tropic.ENOTFOUND, "Request not found.")
	}
	return &list[0], people[0], nil
}

// FindReveal is one request for a supervisor of the holder to read.
func (s *MatchService) FindReveal(ctx context.Context, actor tropic.Actor, id int64) (*tropic.RevealRequest, error) {
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, _, err := s.revealForDecision(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	if !actor.Has(tropic.RoleSupervisor) {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Request not found.")
	}
	return r, tx.Commit()
}

// DecideReveal approves or declines a request, once; the requester is notified in the
// same transaction. An approved reveal lasts tropic.RevealDays, a potential victim's
// tropic.RevealVictimDays.
func (s *MatchService) DecideReveal(ctx context.Context, actor tropic.Actor, id int64, approve bool, reason string) error {
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, person, err := s.revealForDecision(ctx, tx, actor, id)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if err := tropic.MayDecideReveal(actor, r, approve, reason); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	status, until, verb := tropic.RevealDeclined, time.Time{}, "declined"
	if approve {
		status, until, verb = tropic.RevealApproved, tropic.RevealUntil(tx.now, r.Victim), "approved"
	}
	// The status in the condition refuses a second decision made meanwhile.
	res, err := tx.Exec(ctx, `UPDATE network_reveals SET status = ?, decided_by_user = ?, decided_by = ?, decided_at = ?, decision_reason = ?, reveal_until = ?
		WHERE id = ? AND status = ?`, string(status), actor.UserID, w.String(), tx.now, reason, nullTime(until), id, string(tropic.RevealRequested))
	if err != nil {
		return fmt.Errorf("decide reveal: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "This request was decided already.")
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditRevealDecided, objectType: "person", objectID: person,
		detail: fmt.Sprintf("reveal request %d of %s %s: %s", id, r.Pseudonym, verb, reason)}); err != nil {
		return err
	}
	text := "Your request to reveal " + r.Pseudonym + " was " + verb + " by " + r.Agency + "."
	if approve {
		text += " You see their name in the partnership network until " + until.Format("2 January 2006") + "."
	}
	n := tropic.Notification{Kind: tropic.NotifyAccessDecided, Subject: r.Pseudonym, Text: text, Link: "/analysis/reveals#reveal-" + strconv.FormatInt(id, 10)}
	if err := notifyUsers(ctx, tx, actor, n, r.RequestedByID); err != nil {
		return err
	}
	if err := settleNotifications(ctx, tx, aboutID("reveal", id), settledText("An analyst's request to reveal who "+r.Pseudonym+" in the partnership network is", verb, tx.now), false); err != nil {
		return err
	}
	return tx.Commit()
}

// FindRevealApprovals lists the reveal requests waiting on the actor's agency.
func (s *MatchService) FindRevealApprovals(ctx context.Context, actor tropic.Actor) ([]tropic.Approval, error) {
	if !tropic.MayListApprovals(actor) {
		return nil, nil
	}
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	key, err := pseudonymKey(ctx, tx)
	if err != nil {
		return nil, err
	}
	list, _, err := readReveals(ctx, tx, key, `r.agency_id = ? AND r.status = ? ORDER BY r.created_at, r.id LIMIT ?`,
		actor.AgencyID, string(tropic.RevealRequested), maxApprovals)
	if err != nil {
		return nil, err
	}
	out := make([]tropic.Approval, 0, len(list))
	for _, r := range list {
		a := tropic.Approval{Kind: tropic.ApproveReveal, ID: r.ID, What: "Reveal " + r.Pseudonym + " in the partnership network to an analyst",
			Reason: r.Purpose, RequestedBy: r.RequestedBy, RequestedAt: r.RequestedAt,
			Share: &tropic.Share{AgreementID: r.AgreementID, AgreementTitle: r.AgreementTitle, NoAgreementReason: r.NoAgreementReason}}
		if r.Victim {
			a.What += " (a potential victim)"
		}
		out = append(out, a)
	}
	return out, tx.Commit()
}

// networkReveals names, in net, the people the actor's approved reveals in force show,
// and says for every person who holds them. It returns the requests used, for the
// audit trail.
func networkReveals(ctx context.Context, tx *Tx, actor tropic.Actor, g *partnershipGraph, names []string, net *tropic.Network) ([]string, error) {
	// The people shown, by pseudonym, then their ids from the graph: no work for
	// each record of the whole graph beyond a lookup.
	people := map[string]int64{} // node key: person id
	shown := map[string]bool{}
	for _, n := range net.Nodes {
		if p, ok := strings.CutPrefix(n.Key, "person:"); ok {
			shown[p] = true
		}
	}
	for i, gn := range g.nodes {
		if gn.kind == "person" && shown[names[i]] {
			id, _ := strconv.ParseInt(gn.ident, 10, 64)
			people["person:"+names[i]] = id
		}
	}
	type reveal struct{ id, agency int64 }
	active := map[int64][]reveal{}
	rows, err := tx.Query(ctx, `SELECT id, person_id, agency_id FROM network_reveals WHERE requested_by_user = ? AND status = ? AND reveal_until > ?`,
		actor.UserID, string(tropic.RevealApproved), tx.now)
	if err != nil {
		return nil, fmt.Errorf("read reveals: %w", err)
	}
	for rows.Next() {
		var rv reveal
		var person int64
		if err := rows.Scan(&rv.id, &person, &rv.agency); err != nil {
			rows.Close()
			return nil, err
		}
		active[person] = append(active[person], rv)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var ids []int64
	for _, n := range net.Nodes {
		if id, ok := people[n.Key]; ok && n.Kind == "person" {
			ids = append(ids, id)
		}
	}
	holders, err := queryHolders(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	var used []string
	for i := range net.Nodes {
		n := &net.Nodes[i]
		person, ok := people[n.Key]
		if n.Kind != "person" || !ok {
			continue
		}
		n.Holders = holders[person]
		for _, rv := range active[person] {
			name, err := revealedName(ctx, tx, person, rv.agency)
			if err != nil {
				return nil, err
			}
			if name != "" && !n.Revealed {
				n.Label, n.Revealed = name, true
				used = append(used, fmt.Sprintf("reveal %d", rv.id))
			}
		}
	}
	return used, nil
}

// queryHolders are the agencies owning a case each person is on, read in batches.
func queryHolders(ctx context.Context, tx *Tx, people []int64) (map[int64][]tropic.NetworkHolder, error) {
	out := map[int64][]tropic.NetworkHolder{}
	for len(people) > 0 {
		batch := people[:min(len(people), 500)]
		people = people[len(batch):]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := tx.Query(ctx, `SELECT DISTINCT cp.person_id, a.id, a.name FROM case_people cp JOIN cases c ON c.id = cp.case_id
			JOIN agencies a ON a.id = c.owner_agency_id WHERE cp.person_id IN (?`+strings.Repeat(", ?", len(batch)-1)+`) ORDER BY cp.person_id, a.name`, args...)
		if err != nil {
			return nil, fmt.Errorf("read people's holders: %w", err)
		}
		for rows.Next() {
			var person int64
			var h tropic.NetworkHolder
			if err := rows.Scan(&person, &h.ID, &h.Name); err != nil {
				rows.Close()
				return nil, err
			}
			out[person] = append(out[person], h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
