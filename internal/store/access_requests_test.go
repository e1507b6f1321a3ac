package store_test

import (
	"slices"
	"testing"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// accessEnv: the police hold a case with a phone number; the council's own case has
// the same number, so the council's caseworker sees "held by" the police.
type accessEnv struct {
	*caseEnv
	links        *store.LinkService
	police, mine *tropic.Case
	charitySuper tropic.Actor
	request      tropic.AccessRequest
	approvalsOf  func(a tropic.Actor) []tropic.Approval
}

func newAccessEnv(t *testing.T, d store.Dialect) *accessEnv {
	e := &accessEnv{caseEnv: newCaseEnv(t, d)}
	e.links = store.NewLinkService(e.db, phone.Parse)
	e.police = e.newCase(t, e.pWorker, "Car wash, Watford")
	e.mine = e.newCase(t, e.cWorker, "Nail bar, Watford")
	for _, x := range []struct {
		a tropic.Actor
		c *tropic.Case
	}{{e.pWorker, e.police}, {e.cWorker, e.mine}} {
		if err := e.cases.AddPhone(ctx, x.a, x.c.Reference, &tropic.CasePhone{Number: "07700 900123"}); err != nil {
			t.Fatal(err)
		}
	}
	charity := e.agency(t, "Safe Harbour")
	u := e.user(t, charity.ID, "sup@charity.example", tropic.RoleSupervisor)
	e.charitySuper = tropic.ActorFor(u)
	e.request = tropic.AccessRequest{CaseReference: e.mine.Reference, Kind: tropic.LinkPhone, Value: "07700 900123", AgencyID: e.police.ID,
		Scope: tropic.ShareWithoutSensitive, LawfulBasis: "dpa_sch1_18", Reason: "The same phone runs both premises", NoAgreement: "No agreement in the test register"}
	e.request.AgencyID = e.caseEnv.police.ID
	e.approvalsOf = func(a tropic.Actor) []tropic.Approval {
		list, err := tropic.CollectApprovals(ctx, a, []tropic.ApprovalSource{e.cases.FindShareApprovals, e.cases.FindAccessApprovals, e.cases.FindRoleChangeApprovals})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	return e
}

func TestAccessRequestReachesTheHoldersSupervisorsAndTheDecisionTheRequester(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAccessEnv(t, d)
		r := e.request
		if err := e.links.RequestAccess(ctx, e.cWorker, &r); err != nil {
			t.Fatal(err)
		}
		if r.Requests != 1 || r.AgencyName != "Hertfordshire Constabulary" {
			t.Fatalf("got %d requests to %q, want 1 to the police", r.Requests, r.AgencyName)
		}
		q := e.approvalsOf(e.pSuper)
		if len(q) != 1 || q[0].Kind != tropic.ApproveAccess || q[0].CaseReference != e.police.Reference || q[0].Agency != "Hertfordshire County Council" ||
			q[0].Via != "phone number 07700 900123" {
			t.Fatalf("police queue %+v, want the council's access request to their case", q)
		}
		if k := kinds(e.notifications(t, e.pSuper)); !slices.Equal(k, []tropic.NotificationKind{tropic.NotifyAccessRequested}) {
			t.Fatalf("police supervisor told %v, want the access request", k)
		}
		if q := e.approvalsOf(e.cSuper); len(q) != 0 {
			t.Fatalf("the council's queue holds %+v, want nothing of the police's case", q)
		}
		// Replayed while it waits: refused, nothing new.
		again := e.request
		wantCode(t, e.links.RequestAccess(ctx, e.cWorker, &again), tropic.ECONFLICT)

		// Only the holder's supervisors decide: to the requester's supervisor, who may
		// not see the case, and to a third agency's, the share does not exist.
		sh := q[0].ID
		wantCode(t, e.cases.DecideShare(ctx, e.cSuper, sh, true, ""), tropic.ENOTFOUND)
		wantCode(t, e.cases.DecideShare(ctx, e.charitySuper, sh, true, ""), tropic.ENOTFOUND)
		wantCode(t, e.cases.DecideShare(ctx, e.pWorker, sh, true, ""), tropic.EFORBIDDEN)
		if _, err := e.cases.FindCase(ctx, e.cWorker, e.police.Reference); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("before the decision the council got %v, want not found", err)
		}
		if err := e.cases.DecideShare(ctx, e.pSuper, sh, true, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.cases.DecideShare(ctx, e.pSuper, sh, false, ""), tropic.ECONFLICT) // replay of a decided request
		got := e.find(t, e.cWorker, e.police.Reference)
		if got.Access != tropic.AccessWithoutSensitive {
			t.Fatalf("council's access %v, want without sensitive fields as asked", got.Access)
		}
		told := e.notifications(t, e.cWorker)
		if len(told) != 1 || told[0].Kind != tropic.NotifyAccessDecided || told[0].Link != "/cases/"+e.police.Reference {
			t.Fatalf("requester told %+v, want access approved linking to the case", told)
		}
		if q := e.approvalsOf(e.pSuper); len(q) != 0 {
			t.Fatalf("queue after the decision %+v, want empty", q)
		}
		// Now they see it: nothing to ask.
		seen := e.request
		wantCode(t, e.links.RequestAccess(ctx, e.cWorker, &seen), tropic.ECONFLICT)
		if n := countOf(e.actions(t), tropic.AuditAccessAsked); n != 1 {
			t.Fatalf("got %d access requests audited, want 1", n)
		}
	})
}

func TestAccessRequestForARecordThatDoesNotExistAnswersAsOneYouMayNotName(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAccessEnv(t, d)
		want := tropic.NoRecordToRequest().Error()
		for name, change := range map[string]func(r *tropic.AccessRequest){
			"a case that does not exist":                 func(r *tropic.AccessRequest) { r.CaseReference = tropic.NewCaseReference() },
			"another agency's case the user may not see": func(r *tropic.AccessRequest) { r.CaseReference = e.police.Reference },
			"an identifier not on the user's case":       func(r *tropic.AccessRequest) { r.Value = "07700 900999" },
			"an agency holding no such record":           func(r *tropic.AccessRequest) { r.AgencyID = e.charitySuper.AgencyID },
			"an agency that does not exist":              func(r *tropic.AccessRequest) { r.AgencyID = 98765 },
		} {
			r := e.request
			change(&r)
			err := e.links.RequestAccess(ctx, e.cWorker, &r)
			if tropic.ErrorCode(err) != tropic.ENOTFOUND || err.Error() != want {
				t.Errorf("%s: got %v, want exactly %q", name, err, want)
			}
		}
		bad := e.request
		bad.Reason, bad.LawfulBasis = " ", ""
		err := e.links.RequestAccess(ctx, e.cWorker, &bad)
		wantField(t, err, "reason")
		wantField(t, err, "lawful_basis")
		own := e.request
		own.CaseReference, own.AgencyID = e.police.Reference, e.police.ID
		wantField(t, e.links.RequestAccess(ctx, e.pWorker, &own), "agency")
		analyst := e.request
		wantCode(t, e.links.RequestAccess(ctx, e.cAnalyst, &analyst), tropic.ENOTFOUND)
		if q := e.approvalsOf(e.pSuper); len(q) != 0 {
			t.Fatalf("refused requests left %+v in the queue", q)
		}
	})
}

func TestApprovalsQueueListsTheAgencysRequestsOldestFirst(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAccessEnv(t, d)
		e.person(t, e.pWorker, e.police, tropic.Person{GivenName: "Jay", FamilyName: "Smith", ApproxAge: 16}, tropic.RolePotentialVictim)
		link := e.find(t, e.pWorker, e.police.Reference).People[0]
		if _, err := e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleSuspect, "Seen dealing"); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(60e9)
		r := e.request
		if err := e.links.RequestAccess(ctx, e.cWorker, &r); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(60e9)
		sh := &tropic.Share{AgencyID: e.council.ID, Scope: tropic.ShareWhole, LawfulBasis: "consent", Reason: "Joint visit", NoAgreementReason: "No agreement in the test register"}
		if err := e.cases.RequestShare(ctx, e.pWorker, e.police.Reference, sh); err != nil {
			t.Fatal(err)
		}
		var got []tropic.ApprovalKind
		for _, a := range e.approvalsOf(e.pSuper) {
			got = append(got, a.Kind)
		}
		if want := []tropic.ApprovalKind{tropic.ApproveRoleChange, tropic.ApproveAccess, tropic.ApproveShare}; !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v (oldest first)", got, want)
		}
		for _, a := range []tropic.Actor{e.pWorker, e.cWorker, e.cSuper, e.charitySuper} {
			if q := e.approvalsOf(a); len(q) != 0 {
				t.Fatalf("actor %+v sees %d approvals, want none", a, len(q))
			}
		}
	})
}
