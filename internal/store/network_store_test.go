package store_test

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// networkFixture is four cases and what joins them:
//
//	A (police, the root): Marek Nowak (07700 900123), Tomek Kowalski, AB12 CDE, AL1 3JX
//	B (police): ab12cde, 07700 900555
//	C (council): 07700 900555, Ivana Petrova (07700 900777), XY99 ZZZ
//	D (council): Tomasz Kowalski, linked as the same person as Tomek on A
//	E (council): nothing in common with any
type networkFixture struct {
	a, b, c, d, e *tropic.Case
	tomek, tomasz *tropic.Person
}

func seedNetwork(t *testing.T, e *caseEnv) *networkFixture {
	t.Helper()
	f := &networkFixture{}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.a = e.newCase(t, e.pWorker, "Sparkle hand car wash")
	e.person(t, e.pWorker, f.a, tropic.Person{GivenName: "Marek", FamilyName: "Nowak", Phone: "07700 900123"}, tropic.RolePotentialVictim)
	f.tomek = e.person(t, e.pWorker, f.a, tropic.Person{GivenName: "Tomek", FamilyName: "Kowalski"}, tropic.RoleSuspect)
	must(e.cases.AddVehicle(ctx, e.pWorker, f.a.Reference, &tropic.CaseVehicle{Registration: "AB12 CDE"}))
	must(e.cases.AddPlace(ctx, e.pWorker, f.a.Reference, &tropic.Place{Kind: tropic.PlaceKinds[0].Key, Address: "1 Ring Road", Postcode: "al1 3jx"}))

	f.b = e.newCase(t, e.pWorker, "Van seen at dawn pick-ups")
	must(e.cases.AddVehicle(ctx, e.pWorker, f.b.Reference, &tropic.CaseVehicle{Registration: "ab12cde"}))
	must(e.cases.AddPhone(ctx, e.pWorker, f.b.Reference, &tropic.CasePhone{Number: "07700 900555"}))

	f.c = e.newCase(t, e.cWorker, "Overcrowded house, Hatfield Road")
	must(e.cases.AddPhone(ctx, e.cWorker, f.c.Reference, &tropic.CasePhone{Number: "+44 7700 900555"}))
	e.person(t, e.cWorker, f.c, tropic.Person{GivenName: "Ivana", FamilyName: "Petrova", Phone: "07700 900777"}, tropic.RolePotentialVictim)
	must(e.cases.AddVehicle(ctx, e.cWorker, f.c.Reference, &tropic.CaseVehicle{Registration: "XY99 ZZZ"}))

	f.d = e.newCase(t, e.cWorker, "Housing referral, Tomasz")
	f.tomasz = e.person(t, e.cWorker, f.d, tropic.Person{GivenName: "Tomasz", FamilyName: "Kowalski"}, tropic.RolePotentialVictim)
	lo, hi := min(f.tomek.ID, f.tomasz.ID), max(f.tomek.ID, f.tomasz.ID)
	raw := openRaw(t, e.dialect, e.dsn)
	raw.exec(t, `INSERT INTO person_matches (person_a, person_b, probability, explanation, status, found_at) VALUES (?, ?, 0.97, 'family name the same', 'linked', ?)`,
		lo, hi, raw.timeArg(t0))

	f.e = e.newCase(t, e.cWorker, "Nothing in common")
	must(e.cases.AddPhone(ctx, e.cWorker, f.e.Reference, &tropic.CasePhone{Number: "07700 900999"}))
	return f
}

func nodeByKey(n *tropic.Network, key string) *tropic.NetworkNode {
	for i := range n.Nodes {
		if n.Nodes[i].Key == key {
			return &n.Nodes[i]
		}
	}
	return nil
}

func caseKey(c *tropic.Case) string { return fmt.Sprintf("case:%d", c.ID) }

// hiddenNode finds the hidden node of a kind held by an agency; its key must mean
// nothing outside the answer.
func hiddenNode(t *testing.T, n *tropic.Network, kind, heldBy string) *tropic.NetworkNode {
	t.Helper()
	for i := range n.Nodes {
		if nd := &n.Nodes[i]; nd.Kind == kind && !nd.Visible && nd.HeldBy == heldBy {
			if !strings.HasPrefix(nd.Key, "hidden:") {
				t.Fatalf("hidden node %+v has a key from the database", nd)
			}
			return nd
		}
	}
	return nil
}

// edgesOf lists the edges touching key as "from -> to (why)".
func edgesOf(n *tropic.Network, key string) []string {
	var out []string
	for _, e := range n.Edges {
		if e.From == key || e.To == key {
			out = append(out, e.From+" -> "+e.To+" ("+e.Why+")")
		}
	}
	return out
}

// networkText is everything a network tells, as one string to search.
func networkText(n *tropic.Network) string {
	var b strings.Builder
	for _, nd := range n.Nodes {
		fmt.Fprintf(&b, "%+v\n", nd)
	}
	for _, e := range n.Edges {
		fmt.Fprintf(&b, "%+v\n", e)
	}
	return b.String()
}

func TestCaseNetworkWalksThroughSharedIdentifiersAndStopsAtHiddenRecords(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		m := store.NewMatchService(e.db, phone.Parse)
		f := seedNetwork(t, e)

		got, err := m.CaseNetwork(ctx, e.pWorker, f.a.Reference, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		text := networkText(got)
		t.Run("The root is the case asked for, first", func(t *testing.T) {
			if r := got.Nodes[0]; !r.Root || r.Key != caseKey(f.a) || !r.Visible || r.CaseRef != f.a.Reference {
				t.Fatalf("got first node %+v, want the root case %s", r, f.a.Reference)
			}
		})
		t.Run("A second case is reached through the shared vehicle, typed differently", func(t *testing.T) {
			b := nodeByKey(got, caseKey(f.b))
			if b == nil || !b.Visible || b.CaseRef != f.b.Reference || !strings.Contains(b.Label, f.b.Title) {
				t.Fatalf("got %+v, want case B visible", b)
			}
			want := "vehicle:AB12CDE -> " + caseKey(f.b) + " (same vehicle)"
			if edges := edgesOf(got, caseKey(f.b)); !strings.Contains(strings.Join(edges, "\n"), want) {
				t.Fatalf("got edges\n%s\nwant %q", strings.Join(edges, "\n"), want)
			}
			if v := nodeByKey(got, "vehicle:AB12CDE"); v == nil || !v.Visible || v.Label != "AB12 CDE" {
				t.Fatalf("got %+v, want the vehicle as the root case has it", v)
			}
		})
		t.Run("A case the viewer may not see is only held by its agency, and the walk stops there", func(t *testing.T) {
			c := hiddenNode(t, got, "case", "Hertfordshire County Council")
			if c == nil {
				t.Fatal("no hidden case held by the council")
			}
			want := tropic.NetworkNode{Key: c.Key, Kind: "case", Label: "Case held by Hertfordshire County Council", HeldBy: "Hertfordshire County Council"}
			if !reflect.DeepEqual(*c, want) {
				t.Fatalf("got %+v, want %+v", c, want)
			}
			if edges := edgesOf(got, c.Key); len(edges) != 1 || !strings.Contains(edges[0], "phone:+447700900555") {
				t.Fatalf("got edges %v, want the shared phone alone", edges)
			}
			for _, secret := range []string{f.c.Reference, f.c.Title, "Ivana", "Petrova", "900777", "+447700900777", "XY99", f.d.Reference, f.d.Title, f.e.Reference, "900999"} {
				if strings.Contains(text, secret) {
					t.Fatalf("got %q in the network, want nothing beyond the hidden case:\n%s", secret, text)
				}
			}
		})
		t.Run("A linked person record is joined, held by its agency while its case is not shared", func(t *testing.T) {
			p := hiddenNode(t, got, "person", "Hertfordshire County Council")
			if p == nil || p.Visible || p.Label != "Person held by Hertfordshire County Council" || p.Person != 0 || p.CaseRef != "" {
				t.Fatalf("got %+v, want a hidden person held by the council", p)
			}
			want := []string{fmt.Sprintf("person:%d -> %s (linked person)", f.tomek.ID, p.Key)}
			if edges := edgesOf(got, p.Key); !reflect.DeepEqual(edges, want) {
				t.Fatalf("got edges %v, want %v", edges, want)
			}
		})
		t.Run("The view is audited against the root case", func(t *testing.T) {
			ev := e.lastEvent(t)
			if ev.Action != tropic.AuditNetworkViewed || ev.ObjectID != f.a.ID || !strings.Contains(ev.Detail, f.b.Reference) || strings.Contains(ev.Detail, f.c.Reference) {
				t.Fatalf("got audit %+v, want network.viewed of case A naming B and not C", ev)
			}
		})
		t.Run("The same network is drawn in the same order twice", func(t *testing.T) {
			again, err := m.CaseNetwork(ctx, e.pWorker, f.a.Reference, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, again) {
				t.Fatalf("got\n%s\nthen\n%s", networkText(got), networkText(again))
			}
		})

		for _, tc := range []struct {
			name         string
			depth, limit int
			check        func(t *testing.T, n *tropic.Network)
		}{
			{"At depth one the walk reaches B and goes no further", 1, 0, func(t *testing.T, n *tropic.Network) {
				if nodeByKey(n, caseKey(f.b)) == nil || nodeByKey(n, caseKey(f.c)) != nil || nodeByKey(n, "phone:+447700900555") != nil {
					t.Fatalf("got\n%s\nwant B and nothing beyond it", networkText(n))
				}
			}},
			{"At the node limit the network is truncated", 2, 3, func(t *testing.T, n *tropic.Network) {
				if len(n.Nodes) != 3 || !n.Truncated || !n.Nodes[0].Root {
					t.Fatalf("got %d nodes, truncated %v, want 3 with the root, truncated", len(n.Nodes), n.Truncated)
				}
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n, err := m.CaseNetwork(ctx, e.pWorker, f.a.Reference, tc.depth, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, n)
				for _, e := range n.Edges {
					if nodeByKey(n, e.From) == nil || nodeByKey(n, e.To) == nil {
						t.Fatalf("got edge %+v to a node not drawn", e)
					}
				}
			})
		}

		t.Run("Who may not see the case is answered as for a missing one", func(t *testing.T) {
			_, err := m.CaseNetwork(ctx, e.cWorker, f.a.Reference, 0, 0)
			wantNotFoundLikeMissing(t, e, err)
			_, err = m.CaseNetwork(ctx, e.pTriage, f.a.Reference, 0, 0)
			wantCode(t, err, tropic.ENOTFOUND)
		})

		t.Run("Once the linked person's case is shared, the person and their case are named", func(t *testing.T) {
			e.share(t, e.cSuper, f.d, e.police.ID, tropic.ShareWithoutSensitive, "")
			n, err := m.CaseNetwork(ctx, e.pWorker, f.a.Reference, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			p := nodeByKey(n, fmt.Sprintf("person:%d", f.tomasz.ID))
			if p == nil || !p.Visible || p.Label != "Tomasz Kowalski" || p.Person != f.tomasz.ID || p.CaseRef != f.d.Reference {
				t.Fatalf("got %+v, want Tomasz Kowalski visible from case D", p)
			}
			if dn := nodeByKey(n, caseKey(f.d)); dn == nil || !dn.Visible {
				t.Fatalf("got %+v, want case D visible", dn)
			}
		})
	})
}

var (
	pseudonymLabel = regexp.MustCompile(`^(Case|Person|Phone|Vehicle|Place|Business|E-mail) [0-9A-F]{6}$`)
	pseudonymKey   = regexp.MustCompile(`^(case|person|phone|vehicle|place|business|email):[0-9a-f]{16}$`)
)

func TestAnalystNetworkIsPseudonymised(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		m := store.NewMatchService(e.db, phone.Parse)
		f := seedNetwork(t, e)

		got, err := m.AnalystNetwork(ctx, e.cAnalyst, tropic.NetworkQuery{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		text := networkText(got)
		t.Run("No name, identifier, reference or title of the seeded records appears", func(t *testing.T) {
			// Each node is a kind and a pseudonym; with those set aside, what is left
			// (kinds, holding agencies, edges' reasons) must hold nothing of the records.
			var rest strings.Builder
			pseudonyms := map[string]string{}
			for _, n := range got.Nodes {
				if !pseudonymLabel.MatchString(n.Label) || !pseudonymKey.MatchString(n.Key) || n.Visible || n.CaseRef != "" || n.Report != "" || n.Person != 0 {
					t.Fatalf("got node %+v, want a kind and a pseudonym only", n)
				}
				pseudonyms[n.Key] = n.Kind
				fmt.Fprintf(&rest, "%s %s\n", n.Kind, n.HeldBy)
			}
			for _, e := range got.Edges {
				if pseudonyms[e.From] == "" || pseudonyms[e.To] == "" {
					t.Fatalf("got edge %+v to a node not drawn", e)
				}
				fmt.Fprintf(&rest, "%s %s %s\n", pseudonyms[e.From], pseudonyms[e.To], e.Why)
			}
			secrets := []string{"Marek", "Nowak", "Tomek", "Tomasz", "Kowalski", "Ivana", "Petrova", "07700", "+447700", "900555", "900123",
				"AB12", "ab12", "XY99", "AL1", "Ring Road"}
			for _, c := range []*tropic.Case{f.a, f.b, f.c, f.d, f.e} {
				secrets = append(secrets, c.Reference, c.Title)
			}
			for _, s := range secrets {
				if strings.Contains(rest.String(), s) {
					t.Fatalf("got %q in the analyst's network:\n%s", s, rest.String())
				}
			}
		})
		t.Run("The four connected cases form one group; the unconnected case and lone identifiers are left out", func(t *testing.T) {
			kinds := map[string]int{}
			heldBy := map[string]int{}
			for _, n := range got.Nodes {
				kinds[n.Kind]++
				if n.Kind == "case" {
					heldBy[n.HeldBy]++
				}
			}
			want := map[string]int{"case": 4, "person": 4, "phone": 1, "vehicle": 1}
			if !reflect.DeepEqual(kinds, want) {
				t.Fatalf("got kinds %v, want %v:\n%s", kinds, want, text)
			}
			if want := map[string]int{"Hertfordshire Constabulary": 2, "Hertfordshire County Council": 2}; !reflect.DeepEqual(heldBy, want) {
				t.Fatalf("got cases held by %v, want %v", heldBy, want)
			}
			if got.Truncated {
				t.Fatal("got a truncated network, want it whole")
			}
		})
		t.Run("Pseudonyms differ between records and stay the same between views", func(t *testing.T) {
			seen := map[string]bool{}
			for _, n := range got.Nodes {
				if seen[n.Label] || seen[n.Key] {
					t.Fatalf("got %q twice, want one pseudonym per record", n.Label)
				}
				seen[n.Label], seen[n.Key] = true, true
			}
			again, err := m.AnalystNetwork(ctx, e.cAnalyst, tropic.NetworkQuery{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, again) {
				t.Fatalf("got\n%s\nthen\n%s", text, networkText(again))
			}
		})
		t.Run("Another database gives the same records other pseudonyms", func(t *testing.T) {
			other := newCaseEnv(t, d)
			seedNetwork(t, other)
			n, err := store.NewMatchService(other.db, phone.Parse).AnalystNetwork(ctx, other.cAnalyst, tropic.NetworkQuery{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, nd := range n.Nodes {
				if nodeByKey(got, nd.Key) != nil {
					t.Fatalf("got %s in both databases, want pseudonyms keyed by each database's own secret", nd.Key)
				}
			}
		})
		t.Run("The view is audited", func(t *testing.T) {
			if ev := e.lastEvent(t); ev.Action != tropic.AuditAnalystNetwork || ev.UserID != e.cAnalyst.UserID {
				t.Fatalf("got audit %+v, want network.analyst_viewed by the analyst", ev)
			}
		})
		t.Run("A small limit keeps the largest group in part", func(t *testing.T) {
			n, err := m.AnalystNetwork(ctx, e.cAnalyst, tropic.NetworkQuery{}, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(n.Nodes) != 5 || !n.Truncated {
				t.Fatalf("got %d nodes, truncated %v, want 5, truncated", len(n.Nodes), n.Truncated)
			}
		})

		for _, tc := range []struct {
			name  string
			actor tropic.Actor
		}{
			{"A caseworker is refused", e.pWorker},
			{"A supervisor is refused", e.cSuper},
			{"Triage is refused", e.pTriage},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := m.AnalystNetwork(ctx, tc.actor, tropic.NetworkQuery{}, 0)
				wantCode(t, err, tropic.EFORBIDDEN)
			})
		}
	})
}
