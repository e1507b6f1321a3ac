package tropic

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestKAnonymiseRandom checks k on the output for random inputs: every combination of
// quasi-identifiers in the output occurs at least k times, and no row is invented.
func TestKAnonymiseRandom(t *testing.T) {
	g := rand.New(rand.NewPCG(1, 2))
	pick := func(s []string) string { return s[g.IntN(len(s))] }
	ages := []string{"0-8", "9-17", "18-25", "26-38", "39-47", "48+", "unknown"}
	genders := []string{"female", "male", "other", "unknown"}
	nats := []string{"British", "Albanian", "Romanian", "Vietnamese", "Eritrean", "Sudanese", "Chilean", "unknown"}
	dists := []string{"Watford", "Dacorum", "Stevenage", "St Albans", "Broxbourne", "unknown"}
	expl := []string{"Labour", "Sexual", "Criminal", "Domestic", "Sexual & Labour", "Labour & Criminal"}
	for trial := 0; trial < 200; trial++ {
		n := g.IntN(400)
		k := 2 + g.IntN(15)
		if trial%3 == 0 {
			k = 11
		}
		recs := make([]ExportRecord, n)
		for i := range recs {
			e := pick(expl)
			recs[i] = ExportRecord{Year: 2020 + g.IntN(3), AgeBand: pick(ages), Gender: pick(genders), Nationality: pick(nats),
				District: pick(dists), Exploitation: e, Multiple: len(e) > 9}
		}
		res := KAnonymise(recs, k, g.Float64()*0.2)
		count := map[string]int{}
		for _, r := range res.Rows {
			count[r.Key()]++
		}
		for key, c := range count {
			if c < k {
				t.Fatalf("trial %d: combination %q occurs %d times, below k=%d", trial, key, c, k)
			}
		}
		if len(res.Rows)+res.Suppressed != n {
			t.Fatalf("trial %d: %d rows + %d suppressed != %d records", trial, len(res.Rows), res.Suppressed, n)
		}
	}
}

func TestKAnonymiseKeepsLargeGroupsExact(t *testing.T) {
	var recs []ExportRecord
	for i := 0; i < 11; i++ {
		recs = append(recs, ExportRecord{Year: 2024, AgeBand: "26-38", Gender: "male", Nationality: "Albanian", District: "Watford", Exploitation: "Labour"})
	}
	res := KAnonymise(recs, 11, 0)
	if len(res.Rows) != 11 || res.Rows[0].District != "Watford" || res.Rows[0].Nationality != "Albanian" || res.Levels != [4]int{} {
		t.Fatalf("got %+v", res)
	}
	recs = append(recs, ExportRecord{Year: 2024, AgeBand: "26-38", Gender: "male", Nationality: "Romanian", District: "Dacorum", Exploitation: "Labour"})
	res = KAnonymise(recs, 11, 0)
	if len(res.Rows) != 0 || res.Suppressed != 12 {
		// 12 rows can't be 11-anonymous in two groups; the lone row forces
		// generalisation until both share a group.
		if len(res.Rows) != 12 {
			t.Fatalf("got %d rows, %d suppressed", len(res.Rows), res.Suppressed)
		}
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
