package store_test

import (
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// Hole 6 (issue 11), by order: a charity caseworker records two guesses at a
// police-only person's date of birth on their own case. Both suggestions are hidden
// and in one band; before, they were listed in the model's probability order, so the
// first one listed was the closer guess, whichever was recorded first. Now the order
// is the band's, then the user's own person: it says nothing of the hidden record.
func TestHiddenSuggestionsAreNotOrderedByTheirProbability(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		for _, order := range [][]string{{"1990-04-03", "1990-03-05"}, {"1990-03-05", "1990-04-03"}} {
			e := newMatchEnv(t, d)
			police := e.newCase(t, e.pWorker, "Car wash, Hatfield Road")
			e.person(t, e.pWorker, police, tropic.Person{GivenName: "Jon", FamilyName: "Smith", DateOfBirth: "1990-03-04", Phone: "07700 900123"}, tropic.RoleSuspect)
			c := e.newCase(t, e.cWorker, "Overcrowded house")
			for _, dob := range order {
				e.person(t, e.cWorker, c, tropic.Person{GivenName: "Jon", FamilyName: "Smith", DateOfBirth: dob, Phone: "07700 900123"}, tropic.RolePotentialVictim)
			}
			var hidden []tropic.PersonSuggestion
			for _, s := range e.suggestions(t, e.cWorker, c.Reference) {
				if !s.Visible {
					hidden = append(hidden, s)
				}
			}
			if len(hidden) != 2 || hidden[0].Band != hidden[1].Band {
				t.Fatalf("guesses %v: got hidden suggestions %+v, want two in one band", order, hidden)
			}
			if hidden[0].PersonID > hidden[1].PersonID {
				t.Errorf("guesses recorded as %v: the later-recorded guess is listed first, so the order follows the model's probability", order)
			}
		}
	})
}
