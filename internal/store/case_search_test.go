package store_test

import (
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestSearchFindsCasesTheUserMaySee(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Sparkle hand car wash, St Albans")
		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Zoë", FamilyName: "O'Brien-Smith", Aliases: []string{"Żaneta"}}, tropic.RolePotentialVictim)
		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Marek", FamilyName: "Wiśniewski", Phone: "+44 7700 900456"}, tropic.RoleSuspect)
		for _, err := range []error{
			e.cases.AddPhone(ctx, e.pWorker, c.Reference, &tropic.CasePhone{Number: "07700900123"}),
			e.cases.AddVehicle(ctx, e.pWorker, c.Reference, &tropic.CaseVehicle{Registration: "ab12 cde", Description: "white van"}),
			e.cases.AddPlace(ctx, e.pWorker, c.Reference, &tropic.Place{Kind: "workplace", Address: "1 London Road", Postcode: "al1 3jx"}),
			e.cases.AddBusiness(ctx, e.pWorker, c.Reference, &tropic.Business{Name: "Crystal Nails Ltd", Kind: "nail_bar", CompanyNumber: "01234567"}),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		other := e.newCase(t, e.cWorker, "Council's case")
		e.person(t, e.cWorker, other, tropic.Person{GivenName: "Zoe", FamilyName: "Brien"}, tropic.RolePotentialVictim)
		if err := e.cases.AddPhone(ctx, e.cWorker, other.Reference, &tropic.CasePhone{Number: "07700 900123"}); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			query, wantMatch string
		}{
			{"+44 7700 900123", "phone: 07700900123"},
			{"(07700) 900-456", "phone: +44 7700 900456 (Marek Wiśniewski)"},
			{"AB12CDE", "vehicle: ab12 cde"},
			{"a b 1 2 c d e", "vehicle: ab12 cde"},
			{"AL13JX", "postcode: AL1 3JX"},
			{"al1", "postcode: AL1 3JX"},
			{"zoe", "person: Zoë O'Brien-Smith"},
			{"OBRIEN", "person: Zoë O'Brien-Smith"},
			{"o brien", "person: Zoë O'Brien-Smith"},
			{"smith zo", "person: Zoë O'Brien-Smith"},
			{"wisniewski", "person: Marek Wiśniewski"},
			{"zaneta", "alias: Żaneta (Zoë O'Brien-Smith)"},
			{"crystal", "business: Crystal Nails Ltd"},
			{"nails ltd", "business: Crystal Nails Ltd"},
			{"sparkle", "title: Sparkle hand car wash, St Albans"},
			{c.Reference, "reference: " + c.Reference},
			{"nothing like it", ""},
		}
		for _, tt := range tests {
			t.Run(tt.query, func(t *testing.T) {
				hits, err := e.cases.Search(ctx, e.pWorker, tt.query, 10)
				if err != nil {
					t.Fatal(err)
				}
				if tt.wantMatch == "" {
					if len(hits) != 0 {
						t.Fatalf("got %d hits (%s), want none", len(hits), hits[0].Match)
					}
					return
				}
				if len(hits) != 1 || hits[0].Case.ID != c.ID || hits[0].Match != tt.wantMatch || hits[0].Case.Access != tropic.AccessWhole {
					var got []string
					for _, h := range hits {
						got = append(got, h.Case.Reference+" "+h.Match)
					}
					t.Fatalf("got %q, want only %s matching %q", got, c.Reference, tt.wantMatch)
				}
			})
		}
		// The council finds its own case by the same phone, not the police's.
		hits, _ := e.cases.Search(ctx, e.cWorker, "+447700900123", 10)
		if len(hits) != 1 || hits[0].Case.ID != other.ID {
			t.Fatalf("got %v, want only the council's case", hits)
		}
		if hits, _ := e.cases.Search(ctx, e.cAnalyst, "+447700900123", 10); len(hits) != 0 {
			t.Fatalf("got %d hits for an analyst, want none", len(hits))
		}
	})
}

// TestSearchFindsNamesAsPeopleTypeThem: names found however their spaces, apostrophes,
// hyphens, case and accents are typed, on both databases, after a correction and after
// a backfill of names stored before the keys; and never a person on a case the
// searcher may not see.
func TestSearchFindsNamesAsPeopleTypeThem(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Hand car wash")
		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Siobhán", FamilyName: "O'Brien"}, tropic.RolePotentialVictim)
		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Callum", FamilyName: "McDonald"}, tropic.RoleWitness)
		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Ann", FamilyName: "Smith-Jones"}, tropic.RoleOtherPerson)
		corrected := e.person(t, e.pWorker, c, tropic.Person{GivenName: "Ted", FamilyName: "Mac Intyre"}, tropic.RoleOtherPerson)
		// The council's case holds names the police must not find.
		hidden := e.newCase(t, e.cWorker, "Council's case")
		e.person(t, e.cWorker, hidden, tropic.Person{GivenName: "Hidden", FamilyName: "O'Hara"}, tropic.RolePotentialVictim)
		e.person(t, e.cWorker, hidden, tropic.Person{GivenName: "Hidden", FamilyName: "McDonald-Price"}, tropic.RoleOtherPerson)

		// A name corrected: found by the new name, not by the old.
		p, _, err := e.cases.FindPerson(ctx, e.pWorker, corrected.ID)
		if err != nil {
			t.Fatal(err)
		}
		p.FamilyName = "MacIntosh"
		if err := e.cases.UpdatePerson(ctx, e.pWorker, p); err != nil {
			t.Fatal(err)
		}

		check := func(t *testing.T, who tropic.Actor, query string, want ...string) {
			t.Helper()
			hits, err := e.cases.Search(ctx, who, query, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Match)
			}
			if strings.Join(got, "; ") != strings.Join(want, "; ") {
				t.Errorf("%q: got %q, want %q", query, got, want)
			}
		}
		run := func(t *testing.T) {
			for _, tt := range []struct{ query, want string }{
				{"OBRIEN", "person: Siobhán O'Brien"},
				{"obrien", "person: Siobhán O'Brien"},
				{"O Brien", "person: Siobhán O'Brien"},
				{"o'brien", "person: Siobhán O'Brien"},
				{"siobhan obrien", "person: Siobhán O'Brien"},
				{"mc donald", "person: Callum McDonald"},
				{"McDonald", "person: Callum McDonald"},
				{"MCDON", "person: Callum McDonald"},
				{"Smith", "person: Ann Smith-Jones"},
				{"Jones", "person: Ann Smith-Jones"},
				{"smith jones", "person: Ann Smith-Jones"},
				{"smithjones", "person: Ann Smith-Jones"},
				{"mac intosh", "person: Ted MacIntosh"},
				{"intyre", ""},
				{"OHARA", ""},
				{"mcdonald price", ""},
			} {
				if tt.want == "" {
					check(t, e.pWorker, tt.query)
				} else {
					check(t, e.pWorker, tt.query, tt.want)
				}
			}
			// Another agency's case worker finds their own, not the police's.
			check(t, e.cWorker, "o hara", "person: Hidden O'Hara")
			check(t, e.cWorker, "OBRIEN")
			check(t, e.cWorker, "mc donald", "person: Hidden McDonald-Price")
			check(t, e.cAnalyst, "OHARA")
		}
		t.Run("as written", run)

		// Names stored before the keys (their terms only words) are found after the backfill.
		statsExec(t, e.env, `DELETE FROM search_terms WHERE kind = 'person'`)
		for _, n := range []string{"siobhan", "o", "brien", "callum", "mcdonald", "ann", "smith", "jones", "ted", "macintosh", "hidden", "hara", "price"} {
			statsExec(t, e.env, `INSERT INTO search_terms (kind, term, object_id) SELECT 'person', ?, id FROM people WHERE name_folded LIKE ?`, n, "%"+n+"%")
		}
		statsExec(t, e.env, `DELETE FROM settings WHERE key = 'name_search_terms_version'`)
		check(t, e.pWorker, "OBRIEN")
		n, err := store.BackfillNameSearchTerms(ctx, e.db)
		if err != nil || n == 0 {
			t.Fatalf("backfill: %d, %v", n, err)
		}
		if n, err := store.BackfillNameSearchTerms(ctx, e.db); err != nil || n != 0 {
			t.Fatalf("backfill again: %d, %v; want nothing done", n, err)
		}
		t.Run("backfilled", run)
	})
}
