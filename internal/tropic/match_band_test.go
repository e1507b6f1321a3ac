package tropic

import "testing"

func TestBands(t *testing.T) {
	for _, tc := range []struct {
		p    float64
		want MatchBand
	}{{0.999, BandStrong}, {0.95, BandStrong}, {0.949, BandLikely}, {0.8, BandLikely}, {0.79, BandPossible}, {0, BandPossible}} {
		if got := BandOfProbability(tc.p); got != tc.want {
			t.Errorf("BandOfProbability(%v) = %q, want %q", tc.p, got, tc.want)
		}
	}
	g, f, d, p := "given name", "family name", "date of birth", "phone"
	for _, tc := range []struct {
		name   string
		fields []FieldAgreement
		want   MatchBand
		text   string
	}{
		{"names, phone agree, date partly", []FieldAgreement{{g, Agrees}, {f, Agrees}, {d, PartlyAgrees}, {p, Agrees}}, BandStrong,
			"given name agrees; family name agrees; date of birth partly agrees; phone agrees"},
		{"all partly", []FieldAgreement{{g, PartlyAgrees}, {f, PartlyAgrees}, {d, PartlyAgrees}, {p, Agrees}}, BandLikely,
			"given name partly agrees; family name partly agrees; date of birth partly agrees; phone agrees"},
		{"one differing field is never strong", []FieldAgreement{{g, Agrees}, {f, Agrees}, {d, Differs}, {p, Agrees}, {"e-mail", Agrees}}, BandLikely,
			"given name agrees; family name agrees; date of birth differs; phone agrees; e-mail agrees"},
		{"names alone", []FieldAgreement{{g, Agrees}, {f, PartlyAgrees}, {d, AgreementUnknown}}, BandPossible, "given name agrees; family name partly agrees"},
		{"nothing", nil, BandPossible, ""},
	} {
		if got := CoarseBand(tc.fields); got != tc.want {
			t.Errorf("%s: CoarseBand = %q, want %q", tc.name, got, tc.want)
		}
		if got := CoarseExplanation(tc.fields); got != tc.text {
			t.Errorf("%s: CoarseExplanation = %q, want %q", tc.name, got, tc.text)
		}
	}
}
