package store_test

import (
	"strings"
	"testing"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// networkLabels maps the labels of a network's nodes to their nodes.
func networkLabels(n *tropic.Network) map[string]tropic.NetworkNode {
	out := map[string]tropic.NetworkNode{}
	for _, nd := range n.Nodes {
		out[nd.Label] = nd
	}
	return out
}

func countKind(n *tropic.Network, kind string) int {
	c := 0
	for _, nd := range n.Nodes {
		if nd.Kind == kind {
			c++
		}
	}
	return c
}

func TestAnalystNetworkSearchFilterAndExpand(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		m := store.NewMatchService(e.db, phone.Parse)
		f := seedNetwork(t, e)
		if err := e.cases.AddBusiness(ctx, e.pWorker, f.a.Reference, &tropic.Business{Name: "Sparkle Hand Car Wash", Kind: "car_wash"}); err != nil {
			t.Fatal(err)
		}
		raw := openRaw(t, e.dialect, e.dsn)
		raw.exec(t, `UPDATE cases SET district = 'watford', exploitation = 'sexual,criminal' WHERE id = ?`, f.c.ID)
		search := func(t *testing.T, q tropic.NetworkQuery) *tropic.Network {
			t.Helper()
			n, err := m.AnalystNetwork(ctx, e.cAnalyst, q, 0)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		secrets := []string{"Marek", "Nowak", "Tomek", "Tomasz", "Kowalski", "Ivana", "Petrova", "07700", "+447700", "AB12", "XY99"}
		for _, c := range []*tropic.Case{f.a, f.b, f.c, f.d, f.e} {
			secrets = append(secrets, c.Reference, c.Title)
		}

		t.Run("A vehicle finds its cases two steps out, the business and the place named, people pseudonymised", func(t *testing.T) {
			n := search(t, tropic.NetworkQuery{By: tropic.NetworkByVehicle, Search: "AB12CDE"})
			text := networkText(n)
			if n.Nodes[0].Kind != "vehicle" || !n.Nodes[0].Root || n.Nodes[0].Steps != 0 {
				t.Fatalf("got first %+v, want the vehicle searched for", n.Nodes[0])
			}
			if got := countKind(n, "case"); got != 2 {
				t.Fatalf("got %d cases, want A and B:\n%s", got, text)
			}
			labels := networkLabels(n)
			if _, ok := labels["Sparkle Hand Car Wash"]; !ok {
				t.Fatalf("want the business named:\n%s", text)
			}
			if _, ok := labels["AL1 3JX"]; !ok {
				t.Fatalf("want the place named:\n%s", text)
			}
			for _, nd := range n.Nodes {
				if !tropic.PartnershipNetworkNames(nd.Kind) && !pseudonymLabel.MatchString(nd.Label) {
					t.Fatalf("got %+v, want a pseudonym", nd)
				}
			}
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Fatalf("got %q in the network:\n%s", s, text)
				}
			}
			if ev := e.lastEvent(t); ev.Action != tropic.AuditAnalystNetwork || !strings.Contains(ev.Detail, "search by vehicle") {
				t.Fatalf("got audit %+v", ev)
			}

			// Expanding the phone B shares with C reaches C, a step further.
			var phoneKey string
			for _, nd := range n.Nodes {
				if nd.Kind == "phone" && nd.Steps == 2 && !nd.Expanded {
					phoneKey = nd.Key
				}
			}
			if phoneKey == "" {
				t.Fatalf("want B's phone two steps out, not expanded:\n%s", text)
			}
			x := search(t, tropic.NetworkQuery{By: tropic.NetworkByVehicle, Search: "AB12CDE", Expand: []string{phoneKey}})
			if got := countKind(x, "case"); got != 3 {
				t.Fatalf("got %d cases, want C too:\n%s", got, networkText(x))
			}
			for _, nd := range x.Nodes {
				if nd.Key == phoneKey && !nd.Expanded {
					t.Fatalf("got %+v, want it expanded", nd)
				}
				if nd.Kind == "case" && nd.HeldBy == "Hertfordshire County Council" && nd.Steps != 3 {
					t.Fatalf("got %+v, want C three steps out", nd)
				}
			}
			// A key that is not among the records is ignored.
			y := search(t, tropic.NetworkQuery{By: tropic.NetworkByVehicle, Search: "AB12CDE", Expand: []string{"phone:0123456789abcdef"}})
			if len(y.Nodes) != len(n.Nodes) {
				t.Fatalf("got %d nodes, want %d", len(y.Nodes), len(n.Nodes))
			}
		})
		t.Run("A phone finds the cases holding it, by any spelling", func(t *testing.T) {
			n := search(t, tropic.NetworkQuery{By: tropic.NetworkByPhone, Search: "+44 (0)7700 900555"})
			if got := countKind(n, "case"); got < 2 {
				t.Fatalf("got %d cases, want B and C:\n%s", got, networkText(n))
			}
		})
		t.Run("A business by its name in any case, a case by its reference", func(t *testing.T) {
			if n := search(t, tropic.NetworkQuery{By: tropic.NetworkByBusiness, Search: "sparkle hand car wash"}); countKind(n, "case") != 1 {
				t.Fatalf("got %s", networkText(n))
			}
			if n := search(t, tropic.NetworkQuery{By: tropic.NetworkByReference, Search: f.c.Reference}); !n.Nodes[0].Root || n.Nodes[0].HeldBy != "Hertfordshire County Council" {
				t.Fatalf("got %s", networkText(n))
			}
		})
		t.Run("The filters keep the cases of the district and type", func(t *testing.T) {
			q := tropic.NetworkQuery{By: tropic.NetworkByPhone, Search: "07700 900555", District: "watford"}
			if n := search(t, q); countKind(n, "case") != 1 {
				t.Fatalf("got %s", networkText(n))
			}
			q.District, q.Exploitation = "", tropic.ExploitLabour
			if n := search(t, q); countKind(n, "case") != 1 {
				t.Fatalf("got %s", networkText(n))
			}
			if n := search(t, tropic.NetworkQuery{Exploitation: tropic.ExploitOrgan}); len(n.Nodes) != 0 {
				t.Fatalf("got %s, want nothing", networkText(n))
			}
			if n := search(t, tropic.NetworkQuery{District: "st-albans"}); countKind(n, "case") != 3 {
				t.Fatalf("got %s, want A, B and D", networkText(n))
			}
			if ev := e.lastEvent(t); !strings.Contains(ev.Detail, "in st-albans") {
				t.Fatalf("got audit %+v", ev)
			}
		})
		t.Run("Nothing found is an empty network; a phone that is not one names the search", func(t *testing.T) {
			if n := search(t, tropic.NetworkQuery{By: tropic.NetworkByPostcode, Search: "ZZ1 1ZZ"}); len(n.Nodes) != 0 {
				t.Fatalf("got %s", networkText(n))
			}
			_, err := m.AnalystNetwork(ctx, e.cAnalyst, tropic.NetworkQuery{By: tropic.NetworkByPhone, Search: "not a phone"}, 0)
			if tropic.ErrorFields(err)["q"] == "" {
				t.Fatalf("got %v, want a problem with q", err)
			}
		})
		t.Run("An export holds no one's identity and is audited as one", func(t *testing.T) {
			for _, q := range []tropic.NetworkQuery{{Export: "csv"}, {By: tropic.NetworkByPhone, Search: "07700 900555", Export: "csv"}} {
				text := networkText(search(t, q))
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Fatalf("got %q in the export:\n%s", s, text)
					}
				}
			}
			search(t, tropic.NetworkQuery{By: tropic.NetworkByVehicle, Search: "AB12CDE", Export: "graphml"})
			if ev := e.lastEvent(t); ev.Action != tropic.AuditAnalystNetworkExported || !strings.HasPrefix(ev.Detail, "graphml export") {
				t.Fatalf("got audit %+v", ev)
			}
		})
		t.Run("A caseworker is refused", func(t *testing.T) {
			_, err := m.AnalystNetwork(ctx, e.pWorker, tropic.NetworkQuery{By: tropic.NetworkByVehicle, Search: "AB12CDE"}, 0)
			wantCode(t, err, tropic.EFORBIDDEN)
		})
	})
}
