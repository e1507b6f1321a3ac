package store_test

import (
	"slices"
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// shareOf is the share id of case ref as actor sees it.
func (e *caseEnv) shareOf(t *testing.T, actor tropic.Actor, ref string, id int64) *tropic.Share {
	t.Helper()
	for _, sh := range e.find(t, actor, ref).Shares {
		if sh.ID == id {
			return sh
		}
	}
	t.Fatalf("share %d not on %s", id, ref)
	return nil
}

// When the council's access request is approved, the police's own request to share the
// same case with the council, asking no more, closes as covered in the same
// transaction: off the queue, its requester told why. A new request the active share
// covers is refused; one asking more (the whole case) waits, until a share of the
// whole case made at once by a supervisor covers it.
func TestAnActiveShareClosesTheRequestsItCovers(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAccessEnv(t, d) // the council asks to see the case without sensitive fields
		r := e.request
		if err := e.links.RequestAccess(ctx, e.cWorker, &r); err != nil {
			t.Fatal(err)
		}
		same := &tropic.Share{AgencyID: e.council.ID, Scope: tropic.ShareWithoutSensitive, LawfulBasis: "dpa_sch1_18", Reason: "Joint visit",
			NoAgreementReason: "No agreement in the test register"}
		if err := e.cases.RequestShare(ctx, e.pWorker, e.police.Reference, same); err != nil {
			t.Fatal(err)
		}
		if q := e.approvalsOf(e.pSuper); len(q) != 2 {
			t.Fatalf("queue %+v, want the access request and the share request", q)
		}
		if err := e.cases.DecideShare(ctx, e.pSuper, r.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if q := e.approvalsOf(e.pSuper); len(q) != 0 {
			t.Fatalf("queue %+v, want empty: the share request is covered", q)
		}
		got := e.shareOf(t, e.pSuper, e.police.Reference, same.ID)
		if got.Status != tropic.ShareCovered || !strings.HasPrefix(got.DecisionReason, "Already shared: share ") || got.DecidedAt.IsZero() {
			t.Fatalf("the covered request is %q (%q), want covered, saying why", got.Status, got.DecisionReason)
		}
		told := e.notifications(t, e.pWorker)
		if len(told) != 1 || told[0].Kind != tropic.NotifyShareDecided || !strings.Contains(told[0].Text, "was closed: the case is already shared") {
			t.Fatalf("the covered request's requester told %+v, want closed as already shared", told)
		}
		if n := countOf(e.actions(t), tropic.AuditShareCovered); n != 1 {
			t.Fatalf("got %d requests closed as covered in the audit trail, want 1", n)
		}
		// Replayed, by another agency, by another role: the covered request is not decided.
		wantCode(t, e.cases.DecideShare(ctx, e.pSuper, same.ID, true, ""), tropic.ECONFLICT)
		wantCode(t, e.cases.DecideShare(ctx, e.charitySuper, same.ID, true, ""), tropic.ENOTFOUND)
		wantCode(t, e.cases.DecideShare(ctx, e.pWorker, same.ID, true, ""), tropic.EFORBIDDEN)
		// A new request the active share covers is refused; one asking more is not.
		again := *same
		again.ID = 0
		wantCode(t, e.cases.RequestShare(ctx, e.pWorker, e.police.Reference, &again), tropic.ECONFLICT)
		wantCode(t, e.cases.RequestShare(ctx, e.pSuper, e.police.Reference, &again), tropic.ECONFLICT)
		seen := e.request
		wantCode(t, e.links.RequestAccess(ctx, e.cWorker, &seen), tropic.ECONFLICT)
		whole := e.request
		whole.Scope = tropic.ShareWhole
		if err := e.links.RequestAccess(ctx, e.cWorker, &whole); err != nil {
			t.Fatalf("asking for the whole case with only a share without sensitive fields: %v", err)
		}
		if st := e.shareOf(t, e.pSuper, e.police.Reference, whole.ID).Status; st != tropic.ShareRequested {
			t.Fatalf("the request for the whole case is %q, want waiting", st)
		}
		// A supervisor sharing the whole case at once closes the council's access
		// request for it.
		e.share(t, e.pSuper, e.police, e.council.ID, tropic.ShareWhole, "")
		if st := e.shareOf(t, e.pSuper, e.police.Reference, whole.ID).Status; st != tropic.ShareCovered {
			t.Fatalf("the council's request for the whole case is %q, want covered", st)
		}
		own, err := e.links.FindOwnAccessRequests(ctx, e.cWorker)
		if err != nil {
			t.Fatal(err)
		}
		if own[0].ID != whole.ID || own[0].Status != tropic.ShareCovered || !strings.HasPrefix(own[0].DecisionReason, "Already shared") {
			t.Fatalf("the requester's own list %+v, want their request closed as already shared", own[0])
		}
		if q := e.approvalsOf(e.pSuper); len(q) != 0 {
			t.Fatalf("queue %+v, want empty", q)
		}
	})
}

// A case shared with an agency lands on the screens of those who work shared cases
// there (caseworkers and supervisors), in the transaction that makes it active: not
// its analysts, not the owner's staff, and not twice for whoever asked.
func TestAShareBecomingActiveTellsTheReceivingAgency(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Car wash, Hitchin")
		sh := e.share(t, e.pWorker, c, e.council.ID, tropic.ShareWhole, "")
		for _, a := range []tropic.Actor{e.cWorker, e.cSuper, e.cAnalyst} {
			if n := e.notifications(t, a); len(n) != 0 {
				t.Fatalf("council told %+v before the share is active", n)
			}
		}
		if err := e.cases.DecideShare(ctx, e.pSuper, sh.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		for _, a := range []tropic.Actor{e.cWorker, e.cSuper} {
			n := e.notifications(t, a)
			if len(n) != 1 || n[0].Kind != tropic.NotifyCaseShared || n[0].Subject != c.Reference || n[0].Link != "/cases/"+c.Reference {
				t.Fatalf("council user %d told %+v, want the case shared with them", a.UserID, n)
			}
		}
		if n := e.notifications(t, e.cAnalyst); len(n) != 0 {
			t.Fatalf("the council's analyst told %+v, want nothing", n)
		}
		if k := kinds(e.notifications(t, e.pWorker2)); slices.Contains(k, tropic.NotifyCaseShared) {
			t.Fatalf("the owner's staff told %v", k)
		}
		// A supervisor sharing at once tells them too (a second case).
		c2 := e.newCase(t, e.pWorker, "Nail bar, Hitchin")
		e.share(t, e.pSuper, c2, e.council.ID, tropic.ShareWithoutSensitive, "")
		n := e.notifications(t, e.cWorker)
		if len(n) != 2 || !strings.Contains(n[0].Text+n[1].Text, "shared case "+c2.Reference+" with your agency (the case without sensitive fields)") {
			t.Fatalf("council caseworker told %+v, want the second case too", n)
		}
	})
}

// The council's caseworker asked for access: told once, by the decision, not again by
// the agency-wide notice; their supervisor is told the case is shared.
func TestAnApprovedAccessRequestTellsTheRequesterOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAccessEnv(t, d)
		r := e.request
		if err := e.links.RequestAccess(ctx, e.cWorker, &r); err != nil {
			t.Fatal(err)
		}
		if err := e.cases.DecideShare(ctx, e.pSuper, r.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if k := kinds(e.notifications(t, e.cWorker)); !slices.Equal(k, []tropic.NotificationKind{tropic.NotifyAccessDecided}) {
			t.Fatalf("requester told %v, want only the decision", k)
		}
		if k := kinds(e.notifications(t, e.cSuper)); !slices.Equal(k, []tropic.NotificationKind{tropic.NotifyCaseShared}) {
			t.Fatalf("the requester's supervisor told %v, want the case shared", k)
		}
	})
}
