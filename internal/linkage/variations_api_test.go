package linkage

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"tropic/internal/tropic"
)

// Person matching in the store (and in reports, which it scores the same way)
// goes through Matcher.ScorePairs: names in another script, another
// transliteration, swapped or in a familiar form are scored as one person and
// told so, while two people of one community born the same day are not.
func TestLinkageScorePairsComparesNamesInOneSpace(t *testing.T) {
	m := DefaultMatcher()
	person := func(given, family, dob string) *tropic.PersonRecord {
		return &tropic.PersonRecord{Given: given, Family: family, DateOfBirth: dob}
	}
	shevchenko := person("Aleksandr", "Shevchenka", "1990-04-12")
	for _, c := range []struct {
		a, b    *tropic.PersonRecord
		explain string
	}{
		{person("Олександр", "Шевченко", "1990-04-12"), shevchenko, "after romanisation from Cyrillic"},
		{person("Mohamed", "Elhassan", "1988-01-02"), person("Hassan", "Mohammed", "1988-01-02"), "names swapped"},
		{person("Kasia", "Wiśniewska", "1992-05-06"), person("Katarzyna", "Wisniewska", "1992-05-06"), "familiar form of Katarzyna"},
	} {
		got := m.ScorePairs([]tropic.PersonPair{{A: c.a, B: c.b}})[0]
		if got.Probability < m.Threshold() || !got.NameEvidence || !strings.Contains(got.Explanation, c.explain) {
			t.Errorf("%s %s / %s %s: probability %.3f, name evidence %v, %q; want a match told %q",
				c.a.Given, c.a.Family, c.b.Given, c.b.Family, got.Probability, got.NameEvidence, got.Explanation, c.explain)
		}
	}
	other := m.ScorePairs([]tropic.PersonPair{{A: person("Олександр", "Шевченко", "1990-04-12"), B: person("Dmytro", "Bondarenko", "1990-04-12")}})[0]
	if other.Probability >= m.Threshold() || other.NameEvidence {
		t.Errorf("two Ukrainians born the same day scored %.3f (%q)", other.Probability, other.Explanation)
	}
}

// The one-against-all index blocks and compares as Dedupe does: a record written
// in another script, with the names swapped, or in one field is found among
// thousands of the partnership's communities.
func TestLinkageIndexFindsNamesWrittenAnotherWay(t *testing.T) {
	recs, _, _ := VariedRecords(SynthesizeVaried(3000, 5))
	m := DefaultModel()
	add := func(given, family, dob string) Record {
		return prepared(Record{Given: given, Surname: family, DOB: ParseDOB(dob), Postcode: "LU1 2AB", StreetNo: "7", Address: "Hart Lane"})
	}
	x := NewIndex(append(slices.Clone(recs), add("Oleksandr", "Shevchenko", "1990-04-12"), add("Nguyen", "Van An", "1991-09-09")))
	shevchenko, nguyen := x.Len()-2, x.Len()-1
	for _, c := range []struct {
		query Record
		want  int
	}{
		{prepared(Record{Given: "Олександр", Surname: "Шевченко", DOB: ParseDOB("1990")}), shevchenko},
		{prepared(Record{Given: "Shevchenko", Surname: "Aleksandr", DOB: ParseDOB("1990-04-12")}), shevchenko},
		{prepared(Record{Surname: "Nguyễn Văn An", DOB: ParseDOB("1991-09-09")}), nguyen},
		{prepared(Record{Given: "An", Surname: "Nguyen", DOB: ParseDOB("1991-09-09"), Postcode: "LU1 2AB"}), nguyen},
	} {
		got := x.Match(&c.query, m, 3)
		if !slices.Contains(ids(got), c.want) {
			t.Errorf("%s: found %v, want record %d (%s)", c.query.AsEntered(), ids(got), c.want, m.Explain(&c.query, new(x.Record(c.want))))
		}
	}
}

// A partnership administrator's entry in the name lists (tropic.NameEntry) is read
// beside the files: a familiar form the files lack is scored and told as one once
// the entry is given, and not before; the files' own families stay.
func TestLinkageMatcherReadsAdministratorsNameEntries(t *testing.T) {
	base := DefaultMatcher()
	pair := []tropic.PersonPair{{A: &tropic.PersonRecord{Given: "Zeni", Family: "Tekle", DateOfBirth: "1994-03-09"},
		B: &tropic.PersonRecord{Given: "Zenebech", Family: "Tekle", DateOfBirth: "1994-03-09"}}}
	before := base.ScorePairs(pair)[0]
	if strings.Contains(before.Explanation, "familiar form") {
		t.Fatalf("without the entry: %q; the files should not know Zeni", before.Explanation)
	}
	entries := []tropic.NameEntry{{ID: 1, List: tropic.NameListFamiliar, Name: "Zenebech", Forms: []string{"Zeni", "Zene"}, Source: "test"}}
	with := base.WithNames(entries)
	after := with.ScorePairs(pair)[0]
	if !strings.Contains(after.Explanation, "familiar form of Zenebech") || after.Probability <= before.Probability {
		t.Errorf("with the entry: %.3f %q; before %.3f; want a familiar form of Zenebech, scored higher", after.Probability, after.Explanation, before.Probability)
	}
	if again := base.WithNames(slices.Clone(entries)); again != with {
		t.Error("the same entries again built another matcher; want the one made before")
	}
	if base.WithNames(nil) != tropic.PersonMatcher(base) {
		t.Error("no entries: want the matcher of the files alone")
	}
	kasia := []tropic.PersonPair{{A: &tropic.PersonRecord{Given: "Kasia", Family: "Nowak", DateOfBirth: "1992-05-06"},
		B: &tropic.PersonRecord{Given: "Katarzyna", Family: "Nowak", DateOfBirth: "1992-05-06"}}}
	if got := with.ScorePairs(kasia)[0]; !strings.Contains(got.Explanation, "familiar form of Katarzyna") {
		t.Errorf("the files' family is lost with an entry: %q", got.Explanation)
	}
	if got := base.ScorePairs(pair)[0]; got.Explanation != before.Explanation {
		t.Errorf("the matcher of the files changed after WithNames: %q", got.Explanation)
	}
}

// Requests score at once, some with one set of entries and some with another
// (an administrator changing the lists meanwhile): each scores with its own.
func TestLinkageMatcherWithNamesAtOnce(t *testing.T) {
	base := DefaultMatcher()
	pair := []tropic.PersonPair{{A: &tropic.PersonRecord{Given: "Zeni", Family: "Tekle", DateOfBirth: "1994-03-09"},
		B: &tropic.PersonRecord{Given: "Zenebech", Family: "Tekle", DateOfBirth: "1994-03-09"}}}
	sets := [][]tropic.NameEntry{nil, {{ID: 1, List: tropic.NameListFamiliar, Name: "Zenebech", Forms: []string{"Zeni"}, Source: "test"}}}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				with := (g+i)%2 == 1
				got := base.WithNames(sets[(g+i)%2]).ForPeople(20000).ScorePairs(pair)[0]
				if strings.Contains(got.Explanation, "familiar form of Zenebech") != with {
					t.Errorf("with the entry %v: %q", with, got.Explanation)
					return
				}
			}
		}()
	}
	wg.Wait()
}
