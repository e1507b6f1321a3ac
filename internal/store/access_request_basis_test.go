package store_test

import (
	"strings"
	"testing"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// A request for access rests on a link. Corrected away after the request (the phone
// number mistyped, the possible match rejected), the link is withdrawn, and with it the
// request's ground: the holder's queue and page and the requester's list say so, and
// approving it is refused in the store, however it is asked (a replayed form, the API).
func TestAnAccessRequestWhoseLinkWasWithdrawnCannotBeApproved(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAccessEnv(t, d)
		r := e.request
		if err := e.links.RequestAccess(ctx, e.cWorker, &r); err != nil {
			t.Fatal(err)
		}
		withdrawn := func() (queue, page, own string) {
			t.Helper()
			q := e.approvalsOf(e.pSuper)
			a, err := e.links.FindAccessApproval(ctx, e.pSuper, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			mine, err := e.links.FindOwnAccessRequests(ctx, e.cWorker)
			if err != nil {
				t.Fatal(err)
			}
			if len(q) != 1 || len(mine) != 1 || mine[0].Status != tropic.ShareRequested {
				t.Fatalf("queue %+v, own %+v: want the one request waiting", q, mine)
			}
			return q[0].Withdrawn, a.Withdrawn, mine[0].Withdrawn
		}
		if q, p, o := withdrawn(); q+p+o != "" {
			t.Fatalf("a request on a link that holds says %q, %q, %q", q, p, o)
		}

		// The council retypes the number as it was: the same number, the link holds.
		ph := *e.find(t, e.cWorker, e.mine.Reference).Phones[0]
		ph.Number = "07700900123"
		if err := e.cases.UpdatePhone(ctx, e.cWorker, e.mine.Reference, &ph); err != nil {
			t.Fatal(err)
		}
		if q, p, o := withdrawn(); q+p+o != "" {
			t.Fatalf("the number retyped as it was withdrew the request: %q, %q, %q", q, p, o)
		}

		// Then corrects it: the number was mistyped. No link, no ground.
		ph.Number = "07700 900999"
		if err := e.cases.UpdatePhone(ctx, e.cWorker, e.mine.Reference, &ph); err != nil {
			t.Fatal(err)
		}
		q, p, o := withdrawn()
		want := "no longer has the same phone number 07700 900123"
		if !strings.Contains(q, want) || p != q || o != q {
			t.Fatalf("after the correction: queue %q, page %q, own list %q; want each to say %q", q, p, o, want)
		}
		err := e.cases.DecideShare(ctx, e.pSuper, r.ID, true, "")
		wantCode(t, err, tropic.ECONFLICT)
		if !strings.Contains(tropic.ErrorMessage(err), "can no longer be approved") || !strings.Contains(tropic.ErrorMessage(err), want) {
			t.Fatalf("refused with %q, want why", tropic.ErrorMessage(err))
		}
		if _, err := e.cases.FindCase(ctx, e.cWorker, e.police.Reference); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("after the refused approval the council got %v, want not found", err)
		}
		if n := countOf(e.actions(t), tropic.AuditShareGranted); n != 0 {
			t.Fatalf("got %d shares granted, want none", n)
		}
		// It may still be declined, with a reason.
		if err := e.cases.DecideShare(ctx, e.pSuper, r.ID, false, "The number was mistyped on your case"); err != nil {
			t.Fatal(err)
		}
		if q := e.approvalsOf(e.pSuper); len(q) != 0 {
			t.Fatalf("queue after the refusal %+v, want empty", q)
		}
	})
}

// A request by a possible match rests on the suggestion: rejected, it is withdrawn.
func TestAnAccessRequestByARejectedMatchCannotBeApproved(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		links := store.NewLinkService(e.db, phone.Parse)
		police := e.newCase(t, e.pWorker, "Car wash, Hatfield Road")
		e.person(t, e.pWorker, police, jon, tropic.RoleSuspect)
		council := e.newCase(t, e.cWorker, "Overcrowded house")
		e.person(t, e.cWorker, council, john, tropic.RolePotentialVictim)
		m := only(t, e.suggestions(t, e.cWorker, council.Reference))
		r := &tropic.AccessRequest{CaseReference: council.Reference, MatchID: m.ID, AgencyID: e.police.ID, Scope: tropic.ShareWithoutSensitive,
			LawfulBasis: "dpa_sch1_18", Reason: "He may be the man who recruited our victim", NoAgreement: "No agreement in the test register"}
		if err := links.RequestAccess(ctx, e.cWorker, r); err != nil {
			t.Fatal(err)
		}
		if q := e.approvalsOf(t, e.pSuper); len(q) != 1 || q[0].Withdrawn != "" {
			t.Fatalf("queue %+v, want the request, its ground holding", q)
		}
		if err := e.matches.Decide(ctx, e.cWorker, council.Reference, m.ID, tropic.DecideReject, "Different date of birth on the passport"); err != nil {
			t.Fatal(err)
		}
		q := e.approvalsOf(t, e.pSuper)
		if len(q) != 1 || !strings.Contains(q[0].Withdrawn, "possible match it rests on was withdrawn") {
			t.Fatalf("queue %+v, want the request marked withdrawn", q)
		}
		if own := e.ownRequests(t, links, e.cWorker); len(own) != 1 || own[0].Withdrawn != q[0].Withdrawn {
			t.Fatalf("requester's list %+v, want the request marked withdrawn", own)
		}
		wantCode(t, e.cases.DecideShare(ctx, e.pSuper, r.ID, true, ""), tropic.ECONFLICT)
		if _, err := e.cases.FindCase(ctx, e.cWorker, police.Reference); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("the council got %v, want not found", err)
		}
	})
}

// A request from an s.45 notice rests on the person being a potential victim on the
// holder's case: removed from it as not connected, the notice and the request's ground go.
func TestAnAccessRequestFromAWithdrawnS45NoticeCannotBeApproved(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		links := store.NewLinkService(e.db, phone.Parse)
		police := e.newCase(t, e.pWorker, "Cannabis grow")
		suspect := e.person(t, e.pWorker, police, jon, tropic.RoleSuspect)
		council := e.newCase(t, e.cWorker, "Safeguarding referral")
		victim := e.person(t, e.cWorker, council, john, tropic.RolePotentialVictim)
		m := only(t, e.suggestions(t, e.pWorker, police.Reference))
		sh := e.share(t, e.cSuper, council, e.police.ID, tropic.ShareWithoutSensitive, "")
		if err := e.matches.Decide(ctx, e.pWorker, police.Reference, m.ID, tropic.DecideLink, "Same phone, same man on the CCTV"); err != nil {
			t.Fatal(err)
		}
		if err := e.cases.RevokeShare(ctx, e.cSuper, sh.ID); err != nil {
			t.Fatal(err)
		}
		r := &tropic.AccessRequest{CaseReference: police.Reference, PersonID: suspect.ID, AgencyID: e.council.ID, Scope: tropic.ShareWhole,
			LawfulBasis: "dpa_part3", Reason: "Before we interview him as a suspect", NoAgreement: "No agreement in the test register"}
		if err := links.RequestAccess(ctx, e.pWorker, r); err != nil {
			t.Fatal(err)
		}
		if q := e.approvalsOf(t, e.cSuper); len(q) != 1 || q[0].Withdrawn != "" {
			t.Fatalf("council queue %+v, want the request, its ground holding", q)
		}
		var link *tropic.CasePerson
		for _, cp := range e.find(t, e.cSuper, council.Reference).People {
			if cp.Person.ID == victim.ID {
				link = cp
			}
		}
		if err := e.cases.RemoveFromCase(ctx, e.cSuper, council.Reference,
			tropic.Removal{Part: tropic.PartPerson, ItemID: link.ID, Version: link.Version, Reason: tropic.RemovedNotConnected}); err != nil {
			t.Fatal(err)
		}
		q := e.approvalsOf(t, e.cSuper)
		if len(q) != 1 || !strings.Contains(q[0].Withdrawn, "s.45 notice it rests on was withdrawn") {
			t.Fatalf("council queue %+v, want the request marked withdrawn", q)
		}
		wantCode(t, e.cases.DecideShare(ctx, e.cSuper, r.ID, true, ""), tropic.ECONFLICT)
	})
}
