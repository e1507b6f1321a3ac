package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// waitingNotices are the notifications of actor's that still say something waits.
func (e *caseEnv) waitingNotices(t *testing.T, actor tropic.Actor) []string {
	t.Helper()
	var out []string
	for _, n := range e.notifications(t, actor) {
		if strings.Contains(n.Text, "wait") {
			out = append(out, n.Text)
		}
	}
	return out
}

// A notification asking for a decision says, once it is decided or withdrawn, how it
// was decided and when, and is done; it never goes on saying that it waits.
func TestANotificationOfARequestSaysHowItWasDecided(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Car wash, Watford")
		day := e.clock.Now().Format("2 January 2006")
		ask := func() *tropic.Share {
			sh := &tropic.Share{AgencyID: e.council.ID, Scope: tropic.ShareWhole, LawfulBasis: "gdpr_6_1_e", Reason: "Joint visit", NoAgreementReason: "No agreement in the test register"}
			must(t, e.cases.RequestShare(ctx, e.pWorker, c.Reference, sh))
			return sh
		}
		declined := ask()
		if w := e.waitingNotices(t, e.pSuper); len(w) != 1 {
			t.Fatalf("supervisor is told %q, want one request waiting", w)
		}
		must(t, e.cases.DecideShare(ctx, e.pSuper, declined.ID, false, "The council holds no part in this case"))
		withdrawn := ask()
		must(t, e.cases.RevokeShare(ctx, e.pSuper, withdrawn.ID))

		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Jay", FamilyName: "Smith", ApproxAge: 16}, tropic.RolePotentialVictim)
		link := e.find(t, e.pWorker, c.Reference).People[0]
		rc, err := e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleSuspect, "Seen dealing on his own account")
		must(t, err)
		must(t, e.cases.DecideRoleChange(ctx, e.pSuper, rc.ID, true, "Agreed"))

		if w := e.waitingNotices(t, e.pSuper); len(w) != 0 {
			t.Fatalf("after the decisions the supervisor is still told %q", w)
		}
		want := []string{
			"The request to change a person's role on case " + c.Reference + " was approved on " + day + ".",
			"The request to share case " + c.Reference + " with " + e.council.Name + " was withdrawn on " + day + ".",
			"The request to share case " + c.Reference + " with " + e.council.Name + " was declined on " + day + ".",
		}
		got := e.notifications(t, e.pSuper)
		if len(got) != len(want) {
			t.Fatalf("supervisor got %d notifications, want %d: %+v", len(got), len(want), got)
		}
		for i, n := range got {
			if n.Text != want[i] || n.DoneAt == nil {
				t.Errorf("notification %d: %q (done %v), want %q, done", i, n.Text, n.DoneAt, want[i])
			}
		}
	})
}

// A case that holds the postcode twice (two places) is asked for once, and its
// holder's supervisor is told once.
func TestAnAccessRequestForACaseNamedTwiceIsNotifiedOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		police := e.newCase(t, e.pWorker, "Car wash, Watford")
		must(t, e.cases.AddPlace(ctx, e.pWorker, police.Reference, &tropic.Place{Kind: "workplace", Postcode: "WD17 1AA", Address: "Unit 1"}))
		must(t, e.cases.AddPlace(ctx, e.pWorker, police.Reference, &tropic.Place{Kind: "home", Postcode: "WD17 1AA", Address: "Flat above"}))
		council := e.newCase(t, e.cWorker, "Overcrowded house")
		must(t, e.cases.AddPlace(ctx, e.cWorker, council.Reference, &tropic.Place{Kind: "home", Postcode: "WD17 1AA", Address: "Flat above"}))
		r := &tropic.AccessRequest{CaseReference: council.Reference, Kind: tropic.LinkPostcode, Value: "WD17 1AA", AgencyID: e.police.ID,
			Scope: tropic.ShareWithoutSensitive, LawfulBasis: "dpa_sch1_18", NoAgreement: "No agreement in the test register", Reason: "The same address"}
		must(t, store.NewLinkService(e.db, phone.Parse).RequestAccess(ctx, e.cWorker, r))
		if r.Requests != 1 {
			t.Errorf("%d requests made, want one for the one case", r.Requests)
		}
		if told := len(slices.DeleteFunc(kinds(e.notifications(t, e.pSuper)), func(k tropic.NotificationKind) bool { return k != tropic.NotifyAccessRequested })); told != 1 {
			t.Fatalf("the holder's supervisor was told %d times, want once", told)
		}
	})
}

// The supervisors' notification of records due for retention review says how many
// wait now, and once none does, that all were reviewed.
func TestTheRetentionNotificationCountsWhatStillWaits(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		for range 2 {
			r := routineReport(tropic.ChannelWeb)
			if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
				t.Fatal(err)
			}
			must(t, e.reports.DecideReport(ctx, e.pTriage, r.Reference, tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Seen to"}))
		}
		ret := store.NewRetentionService(e.db, tropic.DefaultRetention)
		system := tropic.SystemActor("retention")
		e.clock.Advance(2*366*24*time.Hour + time.Hour)
		if n, err := ret.QueueDueReviews(ctx, system, e.clock.Now()); err != nil || n != 2 {
			t.Fatalf("queued %d (%v), want the two reports", n, err)
		}
		told := func() *tropic.Notification {
			t.Helper()
			var out []*tropic.Notification
			for _, n := range e.notifications(t, e.pSuper) {
				if n.Kind == tropic.NotifyRetentionDue {
					out = append(out, n)
				}
			}
			if len(out) != 1 {
				t.Fatalf("supervisor has %d retention notifications, want one", len(out))
			}
			return out[0]
		}
		if n := told(); !strings.HasPrefix(n.Text, "2 records have reached the end of the retention period and wait for review.") || n.DoneAt != nil {
			t.Fatalf("told %q", n.Text)
		}
		waiting, _, err := ret.FindRetentionReviews(ctx, e.pSuper)
		must(t, err)
		must(t, ret.DecideRetention(ctx, e.pSuper, waiting[0].ID, tropic.RetentionDecision{Dispose: true}))
		if n := told(); !strings.HasPrefix(n.Text, "1 record has reached the end of the retention period and waits for review.") || n.DoneAt != nil {
			t.Fatalf("after one disposal told %q", n.Text)
		}
		must(t, ret.DecideRetention(ctx, e.pSuper, waiting[1].ID, tropic.RetentionDecision{Dispose: true}))
		if n := told(); n.Text != tropic.RetentionReviewedText || n.DoneAt == nil {
			t.Fatalf("after both disposals told %q (done %v)", n.Text, n.DoneAt)
		}
	})
}
