package store_test

import (
	"fmt"
	"strings"
	"testing"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// The police hold a suspect, Jon Smith; the council's case has John Smyth, whom the
// matcher suggests may be the same man. The council sees only "held by the police"
// and asks for access by the suggestion.
func TestAccessRequestByAPossibleMatchNeverNamesTheHoldersRecordBeforeApproval(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		links := store.NewLinkService(e.db, phone.Parse)
		police := e.newCase(t, e.pWorker, "Car wash, Hatfield Road")
		jonOnPolice := e.person(t, e.pWorker, police, jon, tropic.RoleSuspect)
		council := e.newCase(t, e.cWorker, "Overcrowded house")
		e.person(t, e.cWorker, council, john, tropic.RolePotentialVictim)
		m := only(t, e.suggestions(t, e.cWorker, council.Reference))
		if m.Visible || len(m.Holders) != 1 || m.Holders[0].ID != e.police.ID || m.Holders[0].Name != e.police.Name {
			t.Fatalf("got %+v, want a hidden suggestion held by the police alone", m)
		}
		ask := func(actor tropic.Actor, mod func(r *tropic.AccessRequest)) (*tropic.AccessRequest, error) {
			r := &tropic.AccessRequest{CaseReference: council.Reference, MatchID: m.ID, AgencyID: e.police.ID, Scope: tropic.ShareWithoutSensitive,
				LawfulBasis: "dpa_sch1_18", Reason: "He may be the man who recruited our victim", NoAgreement: "No agreement in the test register"}
			if mod != nil {
				mod(r)
			}
			return r, links.RequestAccess(ctx, actor, r)
		}

		t.Run("An agency cannot ask for its own record", func(t *testing.T) {
			_, err := ask(e.cWorker, func(r *tropic.AccessRequest) { r.AgencyID = e.council.ID })
			wantCode(t, err, tropic.EINVALID)
		})
		t.Run("A match not on the case answers as one that does not exist", func(t *testing.T) {
			other := e.newCase(t, e.cWorker, "Another house")
			_, a := ask(e.cWorker, func(r *tropic.AccessRequest) { r.CaseReference = other.Reference })
			_, b := ask(e.cWorker, func(r *tropic.AccessRequest) { r.MatchID = m.ID + 1000 })
			if tropic.ErrorCode(a) != tropic.ENOTFOUND || a.Error() != b.Error() {
				t.Fatalf("another case's match: %v; a missing match: %v; want the same not found", a, b)
			}
		})
		t.Run("A caseworker who may not see the case cannot name it", func(t *testing.T) {
			_, err := ask(e.pWorker, nil)
			wantCode(t, err, tropic.ENOTFOUND)
		})

		r, err := ask(e.cWorker, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Requests != 1 || r.ID == 0 || r.AgencyName != e.police.Name {
			t.Fatalf("got %+v, want one request to the police", r)
		}
		_, err = ask(e.cWorker, nil)
		wantCode(t, err, tropic.ECONFLICT) // replayed while it waits

		// The holder's supervisor: in the queue, on the request's page with their own person.
		q := e.approvalsOf(t, e.pSuper)
		if len(q) != 1 || q[0].Kind != tropic.ApproveAccess || q[0].AccessBy != tropic.AccessByMatch || q[0].CaseReference != police.Reference || q[0].Via != "" {
			t.Fatalf("police queue %+v, want the council's request by a match", q)
		}
		a, err := links.FindAccessApproval(ctx, e.pSuper, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.PersonID != jonOnPolice.ID || a.PersonName != "Jon Smith" || a.Status != tropic.ShareRequested || a.Agency != e.council.Name {
			t.Fatalf("got %+v, want the police's own suspect named to their supervisor", a)
		}
		if k := kinds(e.notifications(t, e.pSuper)); len(k) != 1 || k[0] != tropic.NotifyAccessRequested {
			t.Fatalf("police supervisor told %v, want the access request", k)
		}
		t.Run("Only the holder's supervisors read or decide it", func(t *testing.T) {
			for _, who := range []tropic.Actor{e.cSuper, e.cWorker} {
				_, err := links.FindAccessApproval(ctx, who, r.ID)
				wantCode(t, err, tropic.ENOTFOUND)
				wantCode(t, e.cases.DecideShare(ctx, who, r.ID, true, ""), tropic.ENOTFOUND)
			}
			wantCode(t, e.cases.DecideShare(ctx, e.pWorker, r.ID, true, ""), tropic.EFORBIDDEN)
		})

		// The requester's view while it waits: nothing of the police's person or case.
		own := e.ownRequests(t, links, e.cWorker)
		if len(own) != 1 || own[0].Status != tropic.ShareRequested || own[0].By != tropic.AccessByMatch || own[0].Holder != e.police.Name ||
			own[0].FromCase != council.Reference || own[0].CaseReference != "" {
			t.Fatalf("requester's list %+v, want the one request waiting, naming no police case", own)
		}
		wantNothingOf(t, fmt.Sprintf("%+v", own), police.Reference, "Jon", "Smith", "Hatfield")
		if list := e.ownRequests(t, links, e.cSuper); len(list) != 0 {
			t.Fatalf("a colleague's list %+v, want only their own requests", list)
		}

		t.Run("Declining needs a reason", func(t *testing.T) {
			wantCode(t, e.cases.DecideShare(ctx, e.pSuper, r.ID, false, "  "), tropic.EINVALID)
		})
		if err := e.cases.DecideShare(ctx, e.pSuper, r.ID, false, "Not the same man: different height on the custody record"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.cases.DecideShare(ctx, e.pSuper, r.ID, true, ""), tropic.ECONFLICT) // a replayed decision
		own = e.ownRequests(t, links, e.cWorker)
		if own[0].Status != tropic.ShareDeclined || own[0].DecisionReason == "" || own[0].CaseReference != "" {
			t.Fatalf("got %+v, want declined with the reason, still naming no case", own[0])
		}
		told := e.notifications(t, e.cWorker)
		if len(told) != 1 || told[0].Kind != tropic.NotifyAccessDecided || told[0].Link != fmt.Sprintf("/access-requests#request-%d", r.ID) ||
			strings.Contains(told[0].Text, "custody") || strings.Contains(told[0].Text, police.Reference) {
			t.Fatalf("requester told %+v, want the refusal linking to their list, without the reason or the case", told)
		}
		if _, err := e.cases.FindCase(ctx, e.cWorker, police.Reference); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("after the refusal the council got %v, want not found", err)
		}

		// Asked again, and approved: the case is shared as asked.
		r2, err := ask(e.cWorker, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.cases.DecideShare(ctx, e.pSuper, r2.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if got := e.find(t, e.cWorker, police.Reference); got.Access != tropic.AccessWithoutSensitive {
			t.Fatalf("council's access %v, want without sensitive fields as asked", got.Access)
		}
		own = e.ownRequests(t, links, e.cWorker)
		if own[0].ID != r2.ID || own[0].Status != tropic.ShareActive || own[0].CaseReference != police.Reference {
			t.Fatalf("got %+v, want the approved request naming the shared case", own[0])
		}
		_, err = ask(e.cWorker, nil)
		wantCode(t, err, tropic.ECONFLICT) // nothing left to ask
	})
}

// A suspect on the police's case is a potential victim on the council's: the s.45
// notice tells the police to contact the council, and they may ask from it.
func TestAccessRequestFromAnS45Notice(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		links := store.NewLinkService(e.db, phone.Parse)
		police := e.newCase(t, e.pWorker, "Cannabis grow")
		suspect := e.person(t, e.pWorker, police, jon, tropic.RoleSuspect)
		council := e.newCase(t, e.cWorker, "Safeguarding referral")
		e.person(t, e.cWorker, council, john, tropic.RolePotentialVictim)
		// Linked while the council shared its case; the share has ended since.
		m := only(t, e.suggestions(t, e.pWorker, police.Reference))
		sh := e.share(t, e.cSuper, council, e.police.ID, tropic.ShareWithoutSensitive, "")
		if err := e.matches.Decide(ctx, e.pWorker, police.Reference, m.ID, tropic.DecideLink, "Same phone, same man on the CCTV"); err != nil {
			t.Fatal(err)
		}
		if err := e.cases.RevokeShare(ctx, e.cSuper, sh.ID); err != nil {
			t.Fatal(err)
		}
		n := e.find(t, e.pWorker, police.Reference).Notices
		if len(n) != 1 || n[0].AgencyID != e.council.ID {
			t.Fatalf("got notices %+v, want one naming the council", n)
		}
		r := &tropic.AccessRequest{CaseReference: police.Reference, PersonID: suspect.ID, AgencyID: e.council.ID, Scope: tropic.ShareWhole,
			LawfulBasis: "dpa_part3", Reason: "Before we interview him as a suspect", NoAgreement: "No agreement in the test register"}
		if err := links.RequestAccess(ctx, e.pWorker, r); err != nil {
			t.Fatal(err)
		}
		q := e.approvalsOf(t, e.cSuper)
		if len(q) != 1 || q[0].AccessBy != tropic.AccessByS45 || q[0].CaseReference != council.Reference {
			t.Fatalf("council queue %+v, want the police's request by the s.45 notice", q)
		}
		// A person not a suspect on the case names nothing.
		bad := *r
		bad.PersonID = suspect.ID + 999
		wantCode(t, links.RequestAccess(ctx, e.pWorker, &bad), tropic.ENOTFOUND)
	})
}

func (e *matchEnv) approvalsOf(t *testing.T, a tropic.Actor) []tropic.Approval {
	t.Helper()
	list, err := tropic.CollectApprovals(ctx, a, []tropic.ApprovalSource{e.cases.FindShareApprovals, e.cases.FindAccessApprovals})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (e *matchEnv) ownRequests(t *testing.T, links *store.LinkService, a tropic.Actor) []tropic.OwnAccessRequest {
	t.Helper()
	list, err := links.FindOwnAccessRequests(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// wantNothingOf fails if text holds any of words.
func wantNothingOf(t *testing.T, text string, words ...string) {
	t.Helper()
	for _, w := range words {
		if strings.Contains(text, w) {
			t.Fatalf("got %s, want no %q in it", text, w)
		}
	}
}
