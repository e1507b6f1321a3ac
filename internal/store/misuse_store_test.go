package store_test

import (
	"fmt"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// Scripted misuse raises each alert once, with the DPOs told; the same day's normal
// work (a caseworker on their own cases, a partner on a shared case) raises none.
func TestMisuseAlertsFireOnScriptedMisuseAndStayQuietOnNormalWork(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		raw := openRaw(t, d, e.dsn)
		dpo := tropic.ActorFor(e.user(t, e.council.ID, "dee.pio@council.example", tropic.RoleDPO))
		misuse := store.NewMisuseService(e.db, tropic.DefaultMisuseRules)
		system := tropic.SystemActor("misuse alerts")
		start := e.clock.Now()

		// Normal work: Pat's twelve cases, each viewed by Pat; one shared with the council and read there.
		var refs []string
		for i := range 12 {
			refs = append(refs, e.newCase(t, e.pWorker, fmt.Sprintf("Case %d", i)).Reference)
		}
		for _, ref := range refs {
			e.find(t, e.pWorker, ref)
		}
		e.share(t, e.pSuper, e.find(t, e.pWorker, refs[0]), e.council.ID, tropic.ShareWhole, "")
		e.find(t, e.cWorker, refs[0])
		// People named as staff are: Quinn Other (pWorker2) and Pat Worker (pWorker).
		quinn := e.person(t, e.pWorker, e.find(t, e.pWorker, refs[1]), tropic.Person{GivenName: "Quinn", FamilyName: "Other"}, tropic.RoleWitness)
		pat := e.person(t, e.pWorker, e.find(t, e.pWorker, refs[2]), tropic.Person{GivenName: "Pat", FamilyName: "Worker"}, tropic.RoleWitness)
		if n, err := misuse.DetectMisuse(ctx, system, start, start.Add(24*time.Hour)); err != nil || n != 0 {
			t.Fatalf("normal work raised %d alerts (%v), want none", n, err)
		}

		// Misuse: Quinn reads all twelve of Pat's cases, and the two people; a council
		// view of a police case without a share (which access control forbids: written raw).
		for _, ref := range refs {
			e.find(t, e.pWorker2, ref)
		}
		for _, p := range []*tropic.Person{quinn, pat} {
			if _, _, err := e.cases.FindPerson(ctx, e.pWorker2, p.ID); err != nil {
				t.Fatal(err)
			}
		}
		unshared := raw.id(t, `SELECT id FROM cases WHERE reference = ?`, refs[5])
		raw.exec(t, `INSERT INTO case_access_log (case_id, user_id, user_label, agency_id, agency, at) VALUES (?, ?, 'Alex Archer', ?, 'Council', ?)`,
			unshared, e.cWorker.UserID, e.council.ID, raw.timeArg(e.clock.Now()))

		if _, err := misuse.DetectMisuse(ctx, e.pSuper, start, start.Add(24*time.Hour)); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Fatalf("a supervisor raising alerts: %v, want forbidden", err)
		}
		n, err := misuse.DetectMisuse(ctx, system, start, start.Add(24*time.Hour))
		if err != nil || n != 4 {
			t.Fatalf("raised %d (%v), want 4: unrelated views, no share, own record, colleague", n, err)
		}
		if n, _ := misuse.DetectMisuse(ctx, system, start, start.Add(24*time.Hour)); n != 0 {
			t.Fatalf("a second run raised %d, want none again", n)
		}
		if _, err := misuse.FindMisuseAlerts(ctx, e.pSuper, true); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Fatalf("a supervisor reading alerts: %v, want forbidden", err)
		}
		alerts, err := misuse.FindMisuseAlerts(ctx, dpo, true)
		if err != nil || len(alerts) != 4 {
			t.Fatalf("alerts %v %v", alerts, err)
		}
		got := map[tropic.MisuseKind]*tropic.MisuseAlert{}
		for _, a := range alerts {
			got[a.Kind] = a
		}
		if a := got[tropic.MisuseUnrelatedViews]; a == nil || a.UserID != e.pWorker2.UserID || a.Count != 12 {
			t.Errorf("unrelated views: %+v, want Quinn's, 12 cases", a)
		}
		if a := got[tropic.MisuseNoShare]; a == nil || a.UserID != e.cWorker.UserID || a.ObjectID != unshared {
			t.Errorf("no share: %+v", a)
		}
		if a := got[tropic.MisuseOwnRecord]; a == nil || a.ObjectID != quinn.ID || a.UserID != e.pWorker2.UserID {
			t.Errorf("own record: %+v", a)
		}
		if a := got[tropic.MisuseColleague]; a == nil || a.ObjectID != pat.ID {
			t.Errorf("colleague: %+v", a)
		}
		for _, a := range alerts {
			if exp := a.Explain(); exp == "" || a.User == "" {
				t.Errorf("alert %+v is not explained", a)
			}
		}
		if notes := notificationsOf(t, raw); len(notes) == 0 || notes[len(notes)-1].Kind != tropic.NotifyMisuseAlert || notes[len(notes)-1].UserID != dpo.UserID {
			t.Errorf("the DPO was not told: %+v", notes)
		}

		id := got[tropic.MisuseOwnRecord].ID
		wantCode(t, misuse.DecideMisuseAlert(ctx, e.pSuper, id, tropic.MisuseDecision{Status: tropic.MisuseExplained, Note: "x"}), tropic.EFORBIDDEN)
		wantField(t, misuse.DecideMisuseAlert(ctx, dpo, id, tropic.MisuseDecision{Status: "maybe"}), "status")
		if err := misuse.DecideMisuseAlert(ctx, dpo, id, tropic.MisuseDecision{Status: tropic.MisuseExplained, Note: "A witness who shares the name"}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, misuse.DecideMisuseAlert(ctx, dpo, id, tropic.MisuseDecision{Status: tropic.MisuseConfirmed, Note: "again"}), tropic.ECONFLICT)
		wantCode(t, misuse.DecideMisuseAlert(ctx, dpo, 999999, tropic.MisuseDecision{Status: tropic.MisuseConfirmed, Note: "none"}), tropic.ENOTFOUND)
		if open, _ := misuse.FindMisuseAlerts(ctx, dpo, true); len(open) != 3 {
			t.Errorf("%d open alerts after closing one, want 3", len(open))
		}
	})
}
