package linkage

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestLinkageSynthesizeVariedIsDeterministicBySeed(t *testing.T) {
	a, b, c := SynthesizeVaried(2000, 7), SynthesizeVaried(2000, 7), SynthesizeVaried(2000, 8)
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs with seed 7 differ")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 7 and 8 give the same records")
	}
}

// Every variation occurs, and each looks as it says against its original.
func TestLinkageSynthesizeVariedMakesEveryVariation(t *testing.T) {
	ps := SynthesizeVaried(20000, 1)
	original := map[int]SynthPerson{}
	seen := map[string]int{}
	scripts := map[string]bool{}
	for _, p := range ps {
		if p.Variation == VarOriginal {
			original[p.Entity] = p.SynthPerson
			continue
		}
		o := original[p.Entity]
		seen[p.Variation]++
		ok := true
		switch p.Variation {
		case VarScript:
			for _, r := range p.Given + p.Surname {
				for name, tab := range map[string]*unicode.RangeTable{"Cyrillic": unicode.Cyrillic, "Arabic": unicode.Arabic, "Ethiopic": unicode.Ethiopic, "Han": unicode.Han} {
					if unicode.Is(tab, r) {
						scripts[name] = true
					}
				}
				if r = unicode.ToLower(r); strings.ContainsRune("șşțţłëçễ", r) {
					scripts[string(r)] = true
				}
			}
		case VarSwapped:
			ok = p.Given == o.Surname && p.Surname == o.Given
		case VarDOBSwapped:
			ok = p.DOB[4:6] == o.DOB[6:] && p.DOB[6:] == o.DOB[4:6] && p.DOB != o.DOB
		case VarYearOnly:
			ok = p.DOB == o.DOB[:4]
		case VarAddress:
			ok = p.Postcode != o.Postcode
		case VarStructure:
			ok = len(strings.Fields(p.Given+" "+p.Surname)) != len(strings.Fields(o.Given+" "+o.Surname)) || p.Given == "" || p.Surname == ""
		}
		if !ok {
			t.Errorf("%s: %+v from %+v", p.Variation, p.SynthPerson, o)
		}
	}
	t.Logf("%v %v", seen, scripts)
	for _, v := range Variations {
		if seen[v] < 200 {
			t.Errorf("%d records with %s, want at least 200", seen[v], v)
		}
	}
	for _, s := range []string{"Cyrillic", "Arabic", "Ethiopic", "Han", "ș", "ş", "ț", "ł", "ë", "ç", "ễ"} {
		if !scripts[s] {
			t.Errorf("no record in another script has %s", s)
		}
	}
}

// What WriteFEBRL writes, ReadFEBRLVariations reads back: entities and variations.
func TestLinkageVariedFEBRLRoundTrip(t *testing.T) {
	ps := SynthesizeVaried(500, 3)
	var b strings.Builder
	if err := WriteFEBRL(&b, ps); err != nil {
		t.Fatal(err)
	}
	recs, ents, vars, err := ReadFEBRLVariations(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	want, wantEnts, wantVars := VariedRecords(ps)
	if len(recs) != len(want) {
		t.Fatalf("read %d records, wrote %d", len(recs), len(want))
	}
	for i := range recs {
		if ents[i] != wantEnts[i] || vars[i] != wantVars[i] || recs[i].Given != want[i].Given || recs[i].Surname != want[i].Surname || recs[i].DOB != want[i].DOB {
			t.Fatalf("record %d read as %+v %s %s, want %+v %s %s", i, recs[i], ents[i], vars[i], want[i], wantEnts[i], wantVars[i])
		}
	}
}

// The targets of issue 18 with the model the service scores with, at its own
// threshold, on generated partnership-shaped records of a seed the model never
// saw (it was trained on seed 1): precision at least 0.98 and F1 at least 0.90
// overall; and per variation, blocking keeps its true pairs and the model finds
// most of them, linking few strangers (a year of birth only links the most:
// precision 0.94 there, as strangers of one name and year look alike). A change to romanising, the name
// levels, blocking or the default model that loses a variation fails here.
func TestLinkageDefaultModelPerVariation(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and scores 10,000 records")
	}
	recs, ents, vars := VariedRecords(SynthesizeVaried(10000, 7))
	pairs := Candidates(recs)
	m := DefaultModel().ForRecords(len(recs))
	var keep []Pair
	for _, p := range pairs {
		if m.Probability(p.V) >= m.Threshold {
			keep = append(keep, p)
		}
	}
	q := Evaluate(ents, keep)
	t.Logf("precision %.4f recall %.4f F1 %.4f", q.Precision, q.Recall, q.F1)
	if q.Precision < 0.98 || q.F1 < 0.90 {
		t.Errorf("precision %.4f, F1 %.4f; want at least 0.98 and 0.90", q.Precision, q.F1)
	}
	got, blocked := EvaluateVariations(ents, vars, keep), EvaluateVariations(ents, vars, pairs)
	for _, v := range Variations {
		g, b := got[v], blocked[v]
		t.Logf("%-26s pairs %4d precision %.4f recall %.4f blocking recall %.4f", v, g.TP+g.FN, g.Precision, g.Recall, b.Recall)
		if g.TP+g.FN < 200 {
			t.Errorf("%s: %d true pairs, too few to judge", v, g.TP+g.FN)
		}
		if b.Recall < 0.99 || g.Recall < variationRecallFloor[v] || g.Precision < 0.93 {
			t.Errorf("%s: blocking recall %.4f, recall %.4f, precision %.4f; want at least 0.99, %.2f and 0.93",
				v, b.Recall, g.Recall, g.Precision, variationRecallFloor[v])
		}
	}
}

// variationRecallFloor is the recall each variation must keep in
// TestLinkageDefaultModelPerVariation: a little under what the default model
// reaches (December 2026), lower where the records say less (a year of birth
// only, an address missing or moved: strangers of one name and year look alike).
var variationRecallFloor = map[string]float64{
	VarScript: 0.85, VarTranslit: 0.80, VarSwapped: 0.86, VarFamiliar: 0.88, VarStructure: 0.87,
	VarDOBSwapped: 0.90, VarYearOnly: 0.73, VarAddress: 0.80,
}
