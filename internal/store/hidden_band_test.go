package store_test

import (
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// The attack of issue 11 hole 6: a council caseworker guesses a police-only date of
// birth twice (day and month swapped, then one part off). Both guesses "partly
// agree", but the model scores them differently; the suggestion about the hidden
// record must not tell them apart: no exact probability, and a band derived from the
// coarse explanation alone.
func TestAHiddenSuggestionDoesNotTellTheDateOfBirthLevelThroughItsProbability(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		var got []tropic.PersonSuggestion
		var stored []string
		for _, dob := range []string{"1990-04-03", "1990-03-05"} { // day and month swapped; one part off
			e := newMatchEnv(t, d)
			police := e.newCase(t, e.pWorker, "Car wash, Hatfield Road")
			e.person(t, e.pWorker, police, tropic.Person{GivenName: "Jon", FamilyName: "Smith", DateOfBirth: "1990-03-04", Phone: "07700 900123"}, tropic.RoleSuspect)
			c := e.newCase(t, e.cWorker, "Overcrowded house")
			e.person(t, e.cWorker, c, tropic.Person{GivenName: "Jon", FamilyName: "Smith", DateOfBirth: dob, Phone: "07700 900123"}, tropic.RolePotentialVictim)
			got = append(got, only(t, e.suggestions(t, e.cWorker, c.Reference)))
			stored = append(stored, e.rows(t, `SELECT probability FROM person_matches`)...)
		}
		if len(stored) != 2 || stored[0] == stored[1] {
			t.Fatalf("got stored probabilities %v, want two different ones (else the attack proves nothing)", stored)
		}
		for i := range got {
			if got[i].Visible || got[i].Probability != 0 || got[i].Band == "" {
				t.Fatalf("got %+v, want a hidden suggestion with a band and no probability", got[i])
			}
		}
		if got[0].Explanation != "given name agrees; family name agrees; date of birth partly agrees; phone agrees" {
			t.Fatalf("got explanation %q", got[0].Explanation)
		}
		if !equalSuggestion(got[0], got[1]) {
			t.Fatalf("the two guesses are told apart:\n%+v\n%+v", got[0], got[1])
		}
	})
}

func equalSuggestion(a, b tropic.PersonSuggestion) bool {
	return a.ID == b.ID && a.PersonID == b.PersonID && a.PersonName == b.PersonName && a.Status == b.Status && a.Probability == b.Probability && a.Band == b.Band &&
		a.Explanation == b.Explanation && a.Visible == b.Visible && a.HeldBy == b.HeldBy && a.DecidedBy == b.DecidedBy && a.Reason == b.Reason
}
