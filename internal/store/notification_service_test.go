package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// notifications lists what actor has been told, newest first, failing on error.
func (e *caseEnv) notifications(t *testing.T, actor tropic.Actor) []*tropic.Notification {
	t.Helper()
	list, _, err := store.NewNotificationService(e.db).FindNotifications(ctx, actor, false, 0, 0)
	if err != nil {
		t.Fatalf("find notifications: %v", err)
	}
	return list
}

func kinds(list []*tropic.Notification) []tropic.NotificationKind {
	var out []tropic.NotificationKind
	for _, n := range list {
		out = append(out, n.Kind)
	}
	return out
}

func TestShareRoleChangeAndTaskEventsNotifyWhoActsOnThem(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Car wash, Watford")

		sh := &tropic.Share{AgencyID: e.council.ID, Scope: tropic.ShareWhole, LawfulBasis: "gdpr_6_1_e", Reason: "Joint visit", NoAgreementReason: "No agreement in the test register"}
		if err := e.cases.RequestShare(ctx, e.pWorker, c.Reference, sh); err != nil {
			t.Fatal(err)
		}
		got := e.notifications(t, e.pSuper)
		if len(got) != 1 || got[0].Kind != tropic.NotifyShareRequested || got[0].Subject != c.Reference || got[0].Link != "/approvals" {
			t.Fatalf("supervisor got %+v, want one share request for %s linking to the queue", got, c.Reference)
		}
		if n := e.notifications(t, e.pWorker); len(n) != 0 {
			t.Fatalf("the requester got %+v, want nothing for their own act", n)
		}
		if n := e.notifications(t, e.cSuper); len(n) != 0 {
			t.Fatalf("another agency's supervisor got %+v, want nothing", n)
		}
		if err := e.cases.DecideShare(ctx, e.pSuper, sh.ID, false, "The council has no part in this case yet"); err != nil {
			t.Fatal(err)
		}
		got = e.notifications(t, e.pWorker)
		if len(got) != 1 || got[0].Kind != tropic.NotifyShareDecided || !strings.Contains(got[0].Text, "declined. The supervisor's reason is on the case page") ||
			strings.Contains(got[0].Text, "no part") {
			t.Fatalf("requester got %+v, want the share declined", got)
		}

		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Jay", FamilyName: "Smith", ApproxAge: 16}, tropic.RolePotentialVictim)
		link := e.find(t, e.pWorker, c.Reference).People[0]
		rc, err := e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleSuspect, "Seen dealing on his own account")
		if err != nil {
			t.Fatal(err)
		}
		if k := kinds(e.notifications(t, e.pSuper)); !slices.Equal(k, []tropic.NotificationKind{tropic.NotifyRoleChangeWaiting, tropic.NotifyShareRequested}) {
			t.Fatalf("supervisor got %v, want the role change newest first", k)
		}
		if err := e.cases.DecideRoleChange(ctx, e.pSuper, rc.ID, true, "Agreed"); err != nil {
			t.Fatal(err)
		}
		got = e.notifications(t, e.pWorker)
		if got[0].Kind != tropic.NotifyRoleChangeDecided || !strings.Contains(got[0].Text, "approved") {
			t.Fatalf("requester got %+v, want the role change approved first", got[0])
		}
		for _, n := range append(e.notifications(t, e.pWorker), e.notifications(t, e.pSuper)...) {
			if strings.Contains(n.Text, "Jay") || strings.Contains(n.Text, "Smith") {
				t.Fatalf("notification %q names the person; it may be e-mailed", n.Text)
			}
		}

		if err := e.cases.AddTask(ctx, e.pSuper, c.Reference, &tropic.Task{Title: "Call the NRM hub", AssignedUser: e.pWorker2.UserID}); err != nil {
			t.Fatal(err)
		}
		if err := e.cases.AddTask(ctx, e.pSuper, c.Reference, &tropic.Task{Title: "For the agency", AssignedAgency: e.police.ID}); err != nil {
			t.Fatal(err)
		}
		if k := kinds(e.notifications(t, e.pWorker2)); !slices.Equal(k, []tropic.NotificationKind{tropic.NotifyTaskAssigned}) {
			t.Fatalf("assignee got %v, want one task assigned (a task for the agency tells nobody)", k)
		}
	})
}

func TestNotificationsArePagedCountedAndMarkedOnlyByTheirOwner(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		ns := store.NewNotificationService(e.db)
		c := e.newCase(t, e.pWorker, "Nail bar, Stevenage")
		for i := range 5 {
			_ = i
			if err := e.cases.AddTask(ctx, e.pSuper, c.Reference, &tropic.Task{Title: "Task", AssignedUser: e.pWorker.UserID}); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(1)
		}
		if err := e.cases.AddTask(ctx, e.pWorker, c.Reference, &tropic.Task{Title: "Task", AssignedUser: e.pWorker2.UserID}); err != nil {
			t.Fatal(err)
		}
		page, total, err := ns.FindNotifications(ctx, e.pWorker, false, 2, 2)
		if err != nil || total != 5 || len(page) != 2 {
			t.Fatalf("got %d of %d (%v), want 2 of 5", len(page), total, err)
		}
		all := e.notifications(t, e.pWorker)
		if page[0].ID != all[2].ID || all[0].ID < all[1].ID {
			t.Fatalf("got page starting %d, list %d,%d..., want newest first and the third on the second page", page[0].ID, all[0].ID, all[1].ID)
		}
		other := e.notifications(t, e.pWorker2)[0]

		// Another user's id: refused as missing, and nothing marked, not even the actor's own.
		wantCode(t, ns.MarkNotificationsRead(ctx, e.pWorker, []int64{all[0].ID, other.ID}), tropic.ENOTFOUND)
		if n, _ := ns.CountUnreadNotifications(ctx, e.pWorker2); n != 1 {
			t.Fatalf("the other user has %d unread, want 1", n)
		}
		if n, _ := ns.CountUnreadNotifications(ctx, e.pWorker); n != 5 {
			t.Fatalf("got %d unread, want 5 (nothing marked)", n)
		}
		if err := ns.MarkNotificationsRead(ctx, e.pWorker, []int64{all[0].ID}); err != nil {
			t.Fatal(err)
		}
		unread, total, _ := ns.FindNotifications(ctx, e.pWorker, true, 0, 0)
		if total != 4 || len(unread) != 4 || unread[0].ID != all[1].ID {
			t.Fatalf("got %d unread, want 4 without the one marked", total)
		}
		if err := ns.MarkNotificationsRead(ctx, e.pWorker, nil); err != nil {
			t.Fatal(err)
		}
		if n, _ := ns.CountUnreadNotifications(ctx, e.pWorker); n != 0 {
			t.Fatalf("got %d unread after marking all, want 0", n)
		}
		if n, _ := ns.CountUnreadNotifications(ctx, e.pWorker2); n != 1 {
			t.Fatalf("marking all marked another user's: %d unread, want 1", n)
		}
	})
}

func TestNotificationMailIsClaimedOnceByEachUsersChoice(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		ns := store.NewNotificationService(e.db)
		setChoice := func(a tropic.Actor, m tropic.NotificationEmail) {
			t.Helper()
			if err := ns.SetNotificationEmail(ctx, a, m); err != nil {
				t.Fatal(err)
			}
		}
		setChoice(e.pWorker2, tropic.NotificationEmailDigest)
		setChoice(e.cWorker, tropic.NotificationEmailNone)
		wantCode(t, ns.SetNotificationEmail(ctx, e.cSuper, "weekly"), tropic.EINVALID)
		setChoice(e.cSuper, tropic.NotificationEmailNone) // told of the share below: not by e-mail
		c := e.newCase(t, e.pWorker, "Farm, Royston")
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWhole, "")
		for _, u := range []tropic.Actor{e.pWorker, e.pWorker, e.pWorker2, e.pWorker2, e.cWorker} {
			if err := e.cases.AddTask(ctx, e.pSuper, c.Reference, &tropic.Task{Title: "Task", AssignedUser: u.UserID}); err != nil {
				t.Fatal(err)
			}
		}
		read := e.notifications(t, e.pWorker)[0]
		if err := ns.MarkNotificationsRead(ctx, e.pWorker, []int64{read.ID}); err != nil {
			t.Fatal(err)
		}

		each, err := ns.ClaimNotificationMail(ctx, tropic.NotificationEmailEach, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(each) != 1 || each[0].Email != "pat.worker@police.example" || len(each[0].Notifications) != 1 || each[0].Notifications[0].ID == read.ID {
			t.Fatalf("got %+v, want one e-mail to Pat for the unread notification only", each)
		}
		if again, _ := ns.ClaimNotificationMail(ctx, tropic.NotificationEmailEach, 0); len(again) != 0 {
			t.Fatalf("claimed again: %+v, want nothing (each notification is sent once)", again)
		}
		digest, err := ns.ClaimNotificationMail(ctx, tropic.NotificationEmailDigest, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(digest) != 1 || digest[0].Email != "quinn.other@police.example" || len(digest[0].Notifications) != 2 {
			t.Fatalf("got %+v, want one digest to Quinn with two notifications", digest)
		}
		// A send that failed gives them back to the next claim.
		if err := ns.ReleaseNotificationMail(ctx, tropic.NotificationMailIDs(digest)); err != nil {
			t.Fatal(err)
		}
		if again, _ := ns.ClaimNotificationMail(ctx, tropic.NotificationEmailDigest, 0); len(again) != 1 || len(again[0].Notifications) != 2 {
			t.Fatalf("after release got %+v, want the digest again", again)
		}
		if _, err := ns.ClaimNotificationMail(ctx, tropic.NotificationEmailNone, 0); err == nil {
			t.Fatal("claimed mail for users who want none")
		}
		var waiting int
		if err := e.db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE emailed_at IS NULL`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting != 0 {
			t.Fatalf("%d notifications still wait for the e-mail step, want 0 (the council worker wants none)", waiting)
		}
	})
}

// Back-dated rows (the demo's, an import's) are listed by when they happened, not
// by when they were written.
func TestNotificationsAreListedByTimeNotInsertion(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Nail bar, Stevenage")
		now := e.clock.Now()
		for _, at := range []time.Time{now, now.Add(-2 * time.Hour), now.Add(-time.Hour)} {
			e.clock.Set(at)
			if err := e.cases.AddTask(ctx, e.pSuper, c.Reference, &tropic.Task{Title: "Task", AssignedUser: e.pWorker.UserID}); err != nil {
				t.Fatal(err)
			}
		}
		all := e.notifications(t, e.pWorker)
		if len(all) != 3 {
			t.Fatalf("got %d notifications, want 3", len(all))
		}
		for i, want := range []time.Time{now, now.Add(-time.Hour), now.Add(-2 * time.Hour)} {
			if !all[i].CreatedAt.Equal(want) {
				t.Fatalf("notification %d is of %v, want %v: newest first by time", i, all[i].CreatedAt, want)
			}
		}
	})
}
