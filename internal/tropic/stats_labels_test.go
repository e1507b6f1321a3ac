package tropic

import (
	"slices"
	"testing"
)

func TestStatsBreakdownLabels(t *testing.T) {
	for _, c := range []struct {
		d         Dimension
		key, want string
	}{
		{DimExploitation, "sexual", "Sexual"},
		{DimExploitation, "labour,sexual", MoreThanOneType},
		{DimExploitation, "", "Not specified or unknown"},
		{DimExploitation, "=HYPERLINK(1)", "Not specified or unknown"},
		{DimAgeGroup, "adult", "Adult (18 or over)"},
		{DimAgeGroup, "child", "Child (under 18)"},
		{DimAgeGroup, "", NotRecorded},
		{DimGender, "female", "Female"},
		{DimGender, "typed text", NotRecorded},
		{DimOffence, "msa_s2", "MSA 2015 s.2: human trafficking"},
		{DimOffence, "", NotRecorded},
		{DimOffence, "typed text", NotRecorded},
		{DimNationality, "British", "United Kingdom"},
		{DimNationality, "Albanian", "Europe"},
		{DimNationality, "unknown", NotRecorded},
		{DimNationality, "=HYPERLINK(1)", "Other"},
	} {
		label, order, ok := BreakdownLabels(c.d)
		if !ok {
			t.Fatalf("%s: no labels", c.d)
		}
		got := label(c.key)
		if got != c.want {
			t.Errorf("%s %q: %q, want %q", c.d, c.key, got, c.want)
		}
		// Every label but "not recorded" is one of the fixed list: nothing else shows.
		if got != NotRecorded && !slices.Contains(order, got) {
			t.Errorf("%s %q: %q is not in the fixed list %q", c.d, c.key, got, order)
		}
	}
	for _, d := range []Dimension{DimDistrict, DimAgency, DimMonth} {
		if _, _, ok := BreakdownLabels(d); ok {
			t.Errorf("%s: fixed labels, want stored names or periods", d)
		}
	}
	if _, order, _ := BreakdownLabels(DimExploitation); len(order) != len(ExploitationTypes)+2 || order[len(order)-1] != MoreThanOneType {
		t.Errorf("exploitation order %q", order)
	}
	named := NamedLabels(map[string]string{"dacorum": "Dacorum"})
	if named("dacorum") != "Dacorum" || named("") != NotRecorded || named("0") != NotRecorded || named("typed") != NotRecorded {
		t.Errorf("named labels")
	}
}
