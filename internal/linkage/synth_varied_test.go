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
