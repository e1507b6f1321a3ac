package store_test

import (
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
			{"OBRIEN", ""},
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
