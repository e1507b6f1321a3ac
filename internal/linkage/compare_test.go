package linkage

import (
	"math"
	"strings"
	"testing"
)

func TestLinkageJaroWinkler(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.9611},
		{"dwayne", "duane", 0.84},
		{"dixon", "dicksonx", 0.8133},
		{"same", "same", 1},
		{"abc", "", 0},
		{"abc", "xyz", 0},
	} {
		if got := JaroWinkler(c.a, c.b); math.Abs(got-c.want) > 0.001 {
			t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.4f", c.a, c.b, got, c.want)
		}
	}
}

func TestLinkageWithinOneEdit(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"2119", "2119", true}, {"2119", "2118", true}, {"2119", "1219", true}, {"2119", "219", true},
		{"2119", "21190", true}, {"2119", "1291", false}, {"2119", "3118", false}, {"", "1", true},
	} {
		if got := WithinOneEdit(c.a, c.b); got != c.want {
			t.Errorf("WithinOneEdit(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestLinkagePhonetic(t *testing.T) {
	same := [][]string{{"smith", "smyth"}, {"mcdonald", "macdonald"}, {"knight", "night"}, {"philips", "filips"}, {"brown", "braun"}}
	for _, p := range same {
		if Phonetic(p[0]) != Phonetic(p[1]) {
			t.Errorf("Phonetic(%q) = %q, Phonetic(%q) = %q, want equal", p[0], Phonetic(p[0]), p[1], Phonetic(p[1]))
		}
	}
	if Phonetic("smith") == Phonetic("jones") || Phonetic("") != "" {
		t.Error("Phonetic does not tell smith from jones, or gives a key for nothing")
	}
}

func TestLinkageCompareDOB(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"19560409", "09/04/1956", DOBExact},
		{"19560409", "19560904", DOBSwapped},
		{"19560409", "19560419", DOBOneDiffers},
		{"19560409", "19650409", DOBOneDiffers},
		{"19560409", "1956", DOBYearOnly},
		{"19560409", "19571231", DOBDifferent},
		{"19560409", "", DOBMissing},
	} {
		if got := CompareDOB(ParseDOB(c.a), ParseDOB(c.b)); got != c.want {
			t.Errorf("CompareDOB(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestLinkageExplain(t *testing.T) {
	a := Record{Given: "Catherine", Surname: "Smith", Postcode: "AL1 3AB", DOB: ParseDOB("09/04/1980"), Phone: "07700 900123"}
	b := Record{Given: "Katherine", Surname: "Smith", Postcode: "al13ab", DOB: ParseDOB("1980-09-04"), Phone: "+44 7700 900123"}
	c := Record{Given: "Smith", Surname: "Catherine", DOB: ParseDOB("1980")}
	for _, r := range []*Record{&a, &b, &c} {
		r.Prepare()
	}
	recs := []Record{a, b, c}
	m := Train(recs, Candidates(recs), nil)
	got := m.Explain(&a, &b)
	for _, want := range []string{"given name is another transliteration", "same surname", "same postcode", "date of birth with day and month swapped", "same phone"} {
		if !strings.Contains(got, want) {
			t.Errorf("Explain = %q, want it to say %q", got, want)
		}
	}
	if got := m.Explain(&a, &c); !strings.Contains(got, "swapped") || !strings.Contains(got, "same year of birth only") {
		t.Errorf("Explain(swapped names) = %q", got)
	}
}
