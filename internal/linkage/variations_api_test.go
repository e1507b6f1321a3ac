package linkage

import (
	"slices"
	"strings"
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
