package store_test

import (
	"context"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// emergencyReport is a report that says someone is in immediate danger.
func emergencyReport() *tropic.Report {
	r := routineReport(tropic.ChannelHelpline)
	r.InDanger = tropic.AnswerYes
	return r
}

// notificationsOf lists who was told what: user id, kind, subject, text and link.
func notificationsOf(t *testing.T, raw *rawDB) []tropic.Notification {
	t.Helper()
	rows, err := raw.QueryContext(context.Background(), `SELECT user_id, kind, subject, text, link FROM notifications ORDER BY user_id, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []tropic.Notification
	for rows.Next() {
		var n tropic.Notification
		if err := rows.Scan(&n.UserID, &n.Kind, &n.Subject, &n.Text, &n.Link); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func TestEmergencyUnclaimedPastItsTargetIsEscalatedOnceToTheHubsTriageUsers(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		raw := openRaw(t, d, e.dsn)
		raw.exec(t, `UPDATE agencies SET triage_hub = ? WHERE id = ?`, true, e.police.ID)
		pTriage2 := tropic.ActorFor(e.user(t, e.police.ID, "tam.triage@police.example", tropic.RoleTriage))
		// A triage user of an agency outside the hub sees only what is passed to it.
		cTriage := tropic.ActorFor(e.user(t, e.council.ID, "cat.triage@council.example", tropic.RoleTriage))
		create := func(r *tropic.Report) *tropic.Report {
			t.Helper()
			if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
				t.Fatal(err)
			}
			return r
		}
		due := create(emergencyReport())
		claimed := create(emergencyReport())
		decided := create(emergencyReport())
		self := routineReport(tropic.ChannelHelpline)
		self.Reporter.Relationship = tropic.RelationshipSelf
		if create(self).Urgency != tropic.UrgencyUrgent {
			t.Fatalf("a report by the person it happens to is %s, want urgent", self.Urgency)
		}
		if err := e.reports.ClaimReport(ctx, e.pTriage, claimed.Reference, false); err != nil {
			t.Fatal(err)
		}
		if err := e.reports.DecideReport(ctx, e.pTriage, decided.Reference, tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Spoke to the caller"}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(30 * time.Minute)
		recent := create(emergencyReport())
		e.clock.Advance(45 * time.Minute)
		// Now 75 minutes after the first reports, 45 after the recent one: with a
		// target of an hour only the first are over it.
		targets := tropic.DefaultTriageTargets
		cut := tropic.EscalationCut(targets, e.clock.Now())

		if _, err := e.reports.EscalateEmergencies(ctx, e.pTriage, cut, targets.Emergency); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Fatalf("a triage user escalating by hand: %v, want forbidden", err)
		}
		n, err := e.reports.EscalateEmergencies(ctx, admin, cut, targets.Emergency)
		if err != nil || n != 1 {
			t.Fatalf("escalated %d (%v), want 1: only %s", n, err, due.Reference)
		}
		want := tropic.EscalationNotice(due.Reference, targets.Emergency)
		got := notificationsOf(t, raw)
		if len(got) != 2 {
			t.Fatalf("notifications %+v, want one for each of the hub's two triage users", got)
		}
		for i, u := range []tropic.Actor{e.pTriage, pTriage2} {
			g := got[i]
			if g.UserID != u.UserID || g.Kind != tropic.NotifyEscalation || g.Subject != due.Reference || g.Text != want.Text || g.Link != "/triage/reports/"+due.Reference {
				t.Errorf("notification %d: %+v, want %+v for user %d", i, g, want, u.UserID)
			}
		}
		for _, g := range got {
			if g.UserID == cTriage.UserID || g.UserID == e.pWorker.UserID {
				t.Errorf("user %d outside the hub's triage was told: %+v", g.UserID, g)
			}
		}
		if want.Text != "Emergency report "+due.Reference+" has not been claimed within its target of 1 hour." {
			t.Errorf("notification text %q", want.Text)
		}
		if ev := e.lastEvent(t); ev.Action != tropic.AuditReportEscalated || ev.ObjectID != due.ID {
			t.Errorf("last audit event %s on %d, want %s on %d", ev.Action, ev.ObjectID, tropic.AuditReportEscalated, due.ID)
		}

		// Run again, later: nothing is escalated twice, and the recent report, now
		// over its target too, is escalated on its own.
		if n, err := e.reports.EscalateEmergencies(ctx, admin, cut, targets.Emergency); err != nil || n != 0 {
			t.Fatalf("second run escalated %d (%v), want 0", n, err)
		}
		e.clock.Advance(20 * time.Minute)
		if n, err := e.reports.EscalateEmergencies(ctx, admin, tropic.EscalationCut(targets, e.clock.Now()), targets.Emergency); err != nil || n != 1 {
			t.Fatalf("after the recent report's target: escalated %d (%v), want 1", n, err)
		}
		if got := notificationsOf(t, raw); len(got) != 4 {
			t.Errorf("%d notifications, want 4 (two reports, two triage users)", len(got))
		}

		// The e-mails: both unsent, oldest first, with no personal data read.
		unsent, err := e.reports.FindUnsentEscalations(ctx, admin, 10)
		if err != nil || len(unsent) != 2 || unsent[0].Reference != due.Reference || unsent[1].Reference != recent.Reference {
			t.Fatalf("unsent %v (%v), want %s then %s", refsOf(unsent), err, due.Reference, recent.Reference)
		}
		if unsent[0].Description != "" || unsent[0].Urgency != tropic.UrgencyEmergency {
			t.Errorf("summary %+v, want the urgency and no description", unsent[0])
		}
		if err := e.reports.MarkEscalationEmailed(ctx, admin, due.ID); err != nil {
			t.Fatal(err)
		}
		if unsent, _ := e.reports.FindUnsentEscalations(ctx, admin, 10); len(unsent) != 1 || unsent[0].Reference != recent.Reference {
			t.Errorf("after marking: unsent %v, want only %s", refsOf(unsent), recent.Reference)
		}
		if _, err := e.reports.FindUnsentEscalations(ctx, e.pTriage, 10); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("a user reading escalations: %v, want forbidden", err)
		}
	})
}

func refsOf(rs []*tropic.Report) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Reference)
	}
	return out
}
