package tropic

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestKAnonymiseRandom checks k on the output for random inputs: every row of the
// output is shared by at least k rows, no record is lost or invented, and each value
// is either "any" or one the record's hierarchy allows.
func TestKAnonymiseRandom(t *testing.T) {
	g := rand.New(rand.NewPCG(1, 2))
	pick := func(s []string) string { return s[g.IntN(len(s))] }
	genders := []string{"female", "male", "other", "unknown"}
	nats := []string{"British", "Albanian", "Romanian", "Vietnamese", "Eritrean", "Sudanese", "Chilean", "unknown", "Polish", "Chinese"}
	dists := []string{"Watford", "Dacorum", "Stevenage", "St Albans", "Broxbourne", "unknown"}
	types := []ExploitationType{ExploitLabour, ExploitSexual, ExploitCriminal, ExploitDomestic, ExploitOrgan}
	for trial := 0; trial < 200; trial++ {
		n := g.IntN(600)
		k := 2 + g.IntN(15)
		if trial%3 == 0 {
			k = 11
		}
		recs := make([]ExportRecord, n)
		for i := range recs {
			var ex []ExploitationType
			for range 1 + g.IntN(2) {
				ex = append(ex, types[g.IntN(len(types))])
			}
			recs[i] = ExportRecord{Year: 2020 + g.IntN(3), Age: g.IntN(70) - 5, AgeGroup: AgeGroup(pick([]string{"", string(AgeChild), string(AgeAdult)})),
				Gender: pick(genders), Nationality: pick(nats), District: pick(dists), Exploitation: ex}
		}
		res := KAnonymise(recs, k)
		count := map[string]int{}
		for _, r := range res.Rows {
			if len(r) != len(HTCDSHeader) {
				t.Fatalf("trial %d: row %q has %d cells, header %d", trial, r, len(r), len(HTCDSHeader))
			}
			count[strings.Join(r, "|")]++
		}
		for key, c := range count {
			if c < k {
				t.Fatalf("trial %d: row %q occurs %d times, below k=%d", trial, key, c, k)
			}
		}
		if len(res.Rows)+res.Suppressed != n || (n >= k && res.Suppressed != 0) {
			t.Fatalf("trial %d: %d rows + %d suppressed, %d records, k=%d", trial, len(res.Rows), res.Suppressed, n, k)
		}
	}
}

// TestKAnonymiseKeepsCommonCombinationsExact: a common combination stays exact while
// a rare record beside it is generalised, not the whole column.
func TestKAnonymiseKeepsCommonCombinationsExact(t *testing.T) {
	common := ExportRecord{Year: 2024, Age: 30, Gender: "male", Nationality: "Albanian", District: "Watford", Exploitation: []ExploitationType{ExploitLabour}}
	var recs []ExportRecord
	for range 22 {
		recs = append(recs, common)
	}
	res := KAnonymise(recs, 11)
	want := HTCDSRow{"2024", "Masculine", "30--38", "ALB", "Watford", "ForcedLabour", "", "1", "", ""}
	if len(res.Rows) != 22 || strings.Join(res.Rows[0], "|") != strings.Join(want, "|") {
		t.Fatalf("22 identical records: got %q, want %q", res.Rows, want)
	}
	rare := common
	rare.Nationality, rare.District, rare.Exploitation = "Romanian", "Dacorum", []ExploitationType{ExploitCriminal}
	recs = append(recs, rare)
	res = KAnonymise(recs, 11)
	exact := 0
	for _, r := range res.Rows {
		if strings.Join(r, "|") == strings.Join(want, "|") {
			exact++
		}
	}
	if exact < 11 || len(res.Rows) != 23 {
		t.Fatalf("one rare record beside 22 common: %d rows exact of %d, want at least 11 exact:\n%q", exact, len(res.Rows), res.Rows)
	}
	if res.Exact[qiCitizenship] < 11.0/23 || res.NotAny[qiYear] != 1 {
		t.Fatalf("figures: exact %v, not any %v", res.Exact, res.NotAny)
	}
	if res := KAnonymise(recs[:10], 11); len(res.Rows) != 0 || res.Suppressed != 10 {
		t.Fatalf("fewer than k records: got %d rows, %d suppressed; want all suppressed", len(res.Rows), res.Suppressed)
	}
}

// TestHTCDSVocabularies: the values are HTCDS's and the CTDC's, never what was typed.
func TestHTCDSVocabularies(t *testing.T) {
	if got := citizenshipPath("Vietnamese"); strings.Join(got, "/") != "Asia/South-eastern Asia/VNM" {
		t.Errorf("Vietnamese: %q", got)
	}
	if got := citizenshipPath("Martian <script>"); strings.Join(got, "/") != "Other" {
		t.Errorf("free text: %q", got)
	}
	for age, want := range map[int]string{0: "0--8", 9: "09--17", 17: "09--17", 18: "18--20", 23: "21--23", 29: "27--29", 30: "30--38", 47: "39--47", 48: "48+"} {
		if p := ageBroadPath(age, ""); p[len(p)-1] != want {
			t.Errorf("age %d: %q, want %s", age, p, want)
		}
	}
	if v, illicit := htcdsExploitation([]ExploitationType{ExploitCriminal, ExploitLabour, ExploitDomestic}); strings.Join(v, ";") != "ForcedLabour;Servitude" || !illicit {
		t.Errorf("criminal, labour, domestic: %q %v", v, illicit)
	}
	for g, want := range map[string]string{"female": "Feminine", "Male": "Masculine", "other": "NonConforming", "": "NonSpecifiedUnknown"} {
		if got := htcdsGender(g); got != want {
			t.Errorf("gender %q: %s, want %s", g, got, want)
		}
	}
}

// BenchmarkKAnonymise: the export of 20,000 referrals.
func BenchmarkKAnonymise(b *testing.B) {
	g := rand.New(rand.NewPCG(3, 4))
	nats := []string{"British", "Albanian", "Romanian", "Vietnamese", "Eritrean", "Sudanese", "Polish", "Chinese", "unknown"}
	recs := make([]ExportRecord, 20000)
	for i := range recs {
		recs[i] = ExportRecord{Year: 2015 + g.IntN(10), Age: g.IntN(60), Gender: []string{"female", "male"}[g.IntN(2)],
			Nationality: nats[g.IntN(len(nats))], District: strconv.Itoa(g.IntN(10)), Exploitation: []ExploitationType{ExploitLabour}}
	}
	for b.Loop() {
		KAnonymise(recs, 11)
	}
}

func TestCampaignLive(t *testing.T) {
	c := &Campaign{Name: "Spot the signs", StartsOn: "2026-03-10", EndsOn: "2026-03-16"}
	if err := c.Validate(); err != nil || c.Slug != "spot-the-signs" {
		t.Fatalf("validate: %v, slug %q", err, c.Slug)
	}
	for day, want := range map[string]bool{"2026-03-09T23:59:59Z": false, "2026-03-10T00:00:00Z": true, "2026-03-16T23:00:00Z": true, "2026-03-17T00:00:00Z": false} {
		at, _ := time.Parse(time.RFC3339, day)
		if got := c.Live(at); got != want {
			t.Errorf("Live(%s) = %v, want %v", day, got, want)
		}
	}
	bad := &Campaign{Name: "", Slug: "Bad Slug", StartsOn: "2026-03-10", EndsOn: "2026-03-01", Hashtags: []string{"#ok", "no spaces"}}
	f := ErrorFields(bad.Validate())
	for _, k := range []string{"name", "slug", "ends_on", "hashtags"} {
		if f[k] == "" {
			t.Errorf("no error for %s: %v", k, f)
		}
	}
}
