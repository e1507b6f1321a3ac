package store_test

import (
	"strings"
	"testing"
	"time"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestNetworkReveals(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		m := store.NewMatchService(e.db, phone.Parse)
		f := seedNetwork(t, e)
		notes := store.NewNotificationService(e.db)
		user := func(a *tropic.Agency, email, name string, roles ...tropic.Role) tropic.Actor {
			u := &tropic.User{Email: email, Name: name, AgencyID: a.ID, Roles: roles}
			if err := e.users.CreateUser(ctx, admin, u, fakeHash); err != nil {
				t.Fatal(err)
			}
			return tropic.ActorFor(u)
		}
		other := user(e.council, "other.analyst@council.example", "Otto Analyst", tropic.RoleAnalyst)
		selfSup := user(e.police, "ana.sup@police.example", "Ada Analyst", tropic.RoleAnalyst, tropic.RoleSupervisor)
		q := tropic.NetworkQuery{By: tropic.NetworkByVehicle, Search: "AB12CDE"}
		view := func(t *testing.T, a tropic.Actor, q tropic.NetworkQuery) *tropic.Network {
			t.Helper()
			n, err := m.AnalystNetwork(ctx, a, q, 0)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// The victim on case A, which the police hold.
		var marek tropic.NetworkNode
		for _, nd := range view(t, e.cAnalyst, q).Nodes {
			if nd.Kind == "person" && len(nd.Holders) == 1 && nd.Holders[0].ID == e.police.ID {
				marek = nd // the last of A's two people; either will do, but check which below
			}
		}
		if marek.Key == "" {
			t.Fatal("want a person held by the police")
		}
		ask := func(t *testing.T, a tropic.Actor, key string, agency int64, purpose string) (*tropic.RevealRequest, error) {
			t.Helper()
			r := &tropic.RevealRequest{PersonKey: key, AgencyID: agency, Purpose: purpose, NoAgreementReason: "Urgent safeguarding: no agreement covers analysts"}
			return r, m.AskReveal(ctx, a, r)
		}

		t.Run("Asking needs a purpose and an agreement or why none; a caseworker may not ask; a non-holder is not asked", func(t *testing.T) {
			r := &tropic.RevealRequest{PersonKey: marek.Key, AgencyID: e.police.ID}
			err := m.AskReveal(ctx, e.cAnalyst, r)
			fields := tropic.ErrorFields(err)
			if tropic.ErrorCode(err) != tropic.EINVALID || fields["purpose"] == "" || fields["agreement_reason"] == "" {
				t.Fatalf("got %v, want purpose and agreement_reason problems", err)
			}
			if _, err := ask(t, e.cWorker, marek.Key, e.police.ID, "x"); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
				t.Fatalf("caseworker: got %v", err)
			}
			if _, err := ask(t, e.cAnalyst, marek.Key, e.council.ID, "x"); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Fatalf("non-holder: got %v", err)
			}
			if _, err := ask(t, e.cAnalyst, "person:0123456789abcdef", e.police.ID, "x"); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Fatalf("unknown person: got %v", err)
			}
		})

		r, err := ask(t, e.cAnalyst, marek.Key, e.police.ID, "Three cases share the van; we need to know whether this is the same controller.")
		if err != nil {
			t.Fatal(err)
		}
		if ev := e.lastEvent(t); ev.Action != tropic.AuditRevealRequested {
			t.Fatalf("got audit %+v", ev)
		}

		t.Run("The request waits in the holder's queue and notifies its supervisors", func(t *testing.T) {
			list, err := m.FindRevealApprovals(ctx, e.pSuper)
			if err != nil || len(list) != 1 || list[0].ID != r.ID || !strings.Contains(list[0].What, marek.Label) {
				t.Fatalf("got %+v, %v", list, err)
			}
			if list, _ := m.FindRevealApprovals(ctx, e.cSuper); len(list) != 0 {
				t.Fatalf("another agency's queue: got %+v", list)
			}
			ns, _, err := notes.FindNotifications(ctx, e.pSuper, true, 10, 0)
			if err != nil || len(ns) == 0 || !strings.Contains(ns[0].Link, "/approvals/reveals/") {
				t.Fatalf("got %+v, %v", ns, err)
			}
		})
		t.Run("Another agency's supervisor cannot read or decide it: as if missing", func(t *testing.T) {
			_, err1 := m.FindReveal(ctx, e.cSuper, r.ID)
			err2 := m.DecideReveal(ctx, e.cSuper, r.ID, true, "")
			_, err3 := m.FindReveal(ctx, e.pSuper, r.ID+1000)
			if tropic.ErrorCode(err1) != tropic.ENOTFOUND || tropic.ErrorCode(err2) != tropic.ENOTFOUND || tropic.ErrorMessage(err1) != tropic.ErrorMessage(err3) {
				t.Fatalf("got %v, %v; missing: %v", err1, err2, err3)
			}
			if err := m.DecideReveal(ctx, e.pWorker, r.ID, true, ""); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Fatalf("a caseworker of the holder: got %v", err)
			}
		})
		t.Run("A requester who supervises the holder cannot approve their own request", func(t *testing.T) {
			own, err := ask(t, selfSup, marek.Key, e.police.ID, "My own purpose")
			if err != nil {
				t.Fatal(err)
			}
			if err := m.DecideReveal(ctx, selfSup, own.ID, true, ""); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
				t.Fatalf("got %v", err)
			}
		})

		if err := m.DecideReveal(ctx, e.pSuper, r.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		var name string
		t.Run("Approved: the requester alone sees the name, in the page and the exports; the view is audited", func(t *testing.T) {
			n := view(t, e.cAnalyst, q)
			nd := nodeByKey(n, marek.Key)
			if nd == nil || !nd.Revealed || (nd.Label != "Marek Nowak" && nd.Label != "Tomek Kowalski") {
				t.Fatalf("got %+v", nd)
			}
			name = nd.Label
			if ev := e.lastEvent(t); !strings.Contains(ev.Detail, "people named by reveal") {
				t.Fatalf("got audit %+v", ev)
			}
			x := view(t, e.cAnalyst, tropic.NetworkQuery{By: q.By, Search: q.Search, Export: "csv"})
			if nd := nodeByKey(x, marek.Key); nd == nil || nd.Label != name {
				t.Fatalf("export: got %+v", nd)
			}
			if ev := e.lastEvent(t); ev.Action != tropic.AuditAnalystNetworkExported || !strings.Contains(ev.Detail, "people named by reveal") {
				t.Fatalf("got audit %+v", ev)
			}
			for _, a := range []tropic.Actor{other, selfSup} {
				if nd := nodeByKey(view(t, a, q), marek.Key); nd == nil || nd.Revealed || nd.Label != marek.Label {
					t.Fatalf("%s: got %+v", a.Label, nd)
				}
			}
			own, err := m.FindOwnReveals(ctx, e.cAnalyst)
			if err != nil || len(own) != 1 || own[0].Status != tropic.RevealApproved || own[0].Name != name {
				t.Fatalf("got %+v, %v", own, err)
			}
			ns, _, _ := notes.FindNotifications(ctx, e.cAnalyst, true, 10, 0)
			if len(ns) == 0 || !strings.Contains(ns[0].Text, "approved") {
				t.Fatalf("got %+v", ns)
			}
		})
		t.Run("A replay of the approval, or a decline after it, is refused", func(t *testing.T) {
			for _, approve := range []bool{true, false} {
				if err := m.DecideReveal(ctx, e.pSuper, r.ID, approve, "again"); tropic.ErrorCode(err) != tropic.ECONFLICT {
					t.Fatalf("got %v", err)
				}
			}
		})
		t.Run("A decline needs its reason; the requester reads it", func(t *testing.T) {
			d, err := ask(t, other, marek.Key, e.police.ID, "Another purpose")
			if err != nil {
				t.Fatal(err)
			}
			if err := m.DecideReveal(ctx, e.pSuper, d.ID, false, " "); tropic.ErrorFields(err)["reason"] == "" {
				t.Fatalf("got %v", err)
			}
			if err := m.DecideReveal(ctx, e.pSuper, d.ID, false, "Not proportionate"); err != nil {
				t.Fatal(err)
			}
			own, _ := m.FindOwnReveals(ctx, other)
			if len(own) != 1 || own[0].Status != tropic.RevealDeclined || own[0].DecisionReason != "Not proportionate" || own[0].Name != "" {
				t.Fatalf("got %+v", own)
			}
			if nd := nodeByKey(view(t, other, q), marek.Key); nd.Revealed {
				t.Fatalf("got %+v", nd)
			}
		})
		t.Run("A person the holder no longer holds is not revealed", func(t *testing.T) {
			raw := openRaw(t, e.dialect, e.dsn)
			var person int64
			for _, p := range []string{"Marek", "Tomek"} {
				if strings.HasPrefix(name, p) {
					person = raw.id(t, `SELECT id FROM people WHERE given_name = ?`, p)
				}
			}
			// On the council's case C too, then removed from the police's case A.
			raw.exec(t, `INSERT INTO case_people (case_id, person_id, role, added_at) VALUES (?, ?, 'witness', ?)`, f.c.ID, person, raw.timeArg(t0))
			raw.exec(t, `DELETE FROM case_people WHERE case_id = ? AND person_id = ?`, f.a.ID, person)
			n := view(t, e.cAnalyst, tropic.NetworkQuery{By: tropic.NetworkByReference, Search: f.c.Reference})
			for _, nd := range n.Nodes {
				if nd.Revealed || strings.Contains(nd.Label, name) {
					t.Fatalf("got %+v", nd)
				}
			}
			raw.exec(t, `DELETE FROM case_people WHERE case_id = ? AND person_id = ?`, f.c.ID, person)
			raw.exec(t, `INSERT INTO case_people (case_id, person_id, role, added_at) VALUES (?, ?, 'potential_victim', ?)`, f.a.ID, person, raw.timeArg(t0))
		})
		t.Run("The reveal ends with its period", func(t *testing.T) {
			if nd := nodeByKey(view(t, e.cAnalyst, q), marek.Key); !nd.Revealed {
				t.Fatalf("before the end: got %+v", nd)
			}
			e.clock.Advance(tropic.RevealDays*24*time.Hour + time.Minute)
			if nd := nodeByKey(view(t, e.cAnalyst, q), marek.Key); nd.Revealed || nd.Label != marek.Label {
				t.Fatalf("after the end: got %+v", nd)
			}
			own, _ := m.FindOwnReveals(ctx, e.cAnalyst)
			if own[0].Name != "" || own[0].Active(e.clock.Now()) {
				t.Fatalf("got %+v", own[0])
			}
		})
	})
}
