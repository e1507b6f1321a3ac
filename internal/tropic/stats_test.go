package tropic

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

func TestHeadline(t *testing.T) {
	for _, c := range []struct {
		f         Figure
		now, then int
		k         int
		want      string
	}{
		{FigureOffences, 18, 7, 0, "18 offences recorded so far this year, against 7 in the same period last year"},
		{FigureOffences, 18, 7, 5, "18 offences recorded so far this year, against 7 in the same period last year"},
		{FigureOffences, 1, 2, 0, "1 offence recorded so far this year, against 2 in the same period last year"},
		{FigureOffences, 7, 7, 5, "7 offences recorded so far this year, the same as in the same period last year"},
		{FigureOffences, 0, 3, 0, "No offences recorded so far this year, against 3 in the same period last year"},
		{FigureOffences, 0, 0, 5, "No offences recorded so far this year or in the same period last year"},
		{FigureOffences, 6, 0, 5, "6 offences recorded so far this year, against none in the same period last year"},
		{FigureReferrals, 3, 12, 5, "Fewer than 5 NRM referrals made so far this year, against 12 in the same period last year"},
		{FigureReferrals, 3, 3, 5, "Fewer than 5 NRM referrals made so far this year, against fewer than 5 in the same period last year"},
		{FigureReports, 1, 1, 0, "1 report received so far this year, the same as in the same period last year"},
	} {
		if got := Headline(c.f, c.now, c.then, c.k); got != c.want {
			t.Errorf("Headline(%s, %d, %d, %d)\n got %q\nwant %q", c.f, c.now, c.then, c.k, got, c.want)
		}
	}
}

func TestPeriods(t *testing.T) {
	now := time.Date(2017, 7, 27, 15, 4, 0, 0, time.UTC)
	ytd := YearToDate(now)
	if ytd.String() != "1 January 2017 to 27 July 2017" {
		t.Errorf("ytd %s", ytd)
	}
	if got := ytd.SamePeriodLastYear().String(); got != "1 January 2016 to 27 July 2016" {
		t.Errorf("last year %s", got)
	}
	leap := NewPeriod(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC))
	if got := leap.SamePeriodLastYear().String(); got != "1 January 2023 to 28 February 2023" {
		t.Errorf("leap %s", got)
	}
	loc, _ := time.LoadLocation("Europe/London")
	s, e := NewPeriod(time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC)).Bounds(loc)
	if e.Sub(s) != 24*time.Hour || s.UTC().Hour() != 23 {
		t.Errorf("bounds %v %v", s, e)
	}
	if n := len(ytd.Months()); n != 7 {
		t.Errorf("months %d", n)
	}
}

// attack tries to work out every withheld count of the published tables by simple
// subtraction: the total (from any table of the figure, or the headline) less the
// shown cells, when one cell is withheld; and by bounds, knowing the rule.
func attack(t *testing.T, published []Table, k int) {
	t.Helper()
	totals := map[Figure]string{}
	for _, tb := range published {
		if prev, ok := totals[tb.Figure]; ok && prev != tb.Total.Published {
			t.Fatalf("totals disagree: %s and %s", prev, tb.Total.Published)
		}
		totals[tb.Figure] = tb.Total.Published
	}
	for _, tb := range published {
		total, err := strconv.Atoi(totals[tb.Figure])
		if err != nil {
			for _, c := range tb.Cells {
				if c.Published != HiddenText {
					t.Errorf("%s: total withheld but cell %q shows %q", tb.ID(), c.Label, c.Published)
				}
			}
			continue
		}
		shown, withheld := 0, []int{}
		for i, c := range tb.Cells {
			if n, err := strconv.Atoi(c.Published); err == nil {
				if n != c.Count {
					t.Errorf("%s: %q published %d, is %d", tb.ID(), c.Label, n, c.Count)
				}
				if n > 0 && n < k {
					t.Errorf("%s: %q published small count %d", tb.ID(), c.Label, n)
				}
				shown += n
			} else {
				withheld = append(withheld, i)
			}
		}
		if len(withheld) == 1 && tb.Cells[withheld[0]].Count > 0 {
			t.Errorf("%s: %q recovered by subtraction: %d", tb.ID(), tb.Cells[withheld[0]].Label, total-shown)
		}
		if len(withheld) > 0 && total-shown == len(withheld) && !tb.Withheld {
			t.Errorf("%s: every withheld cell is 1 (sum %d over %d cells)", tb.ID(), total-shown, len(withheld))
		}
		ranges, _ := Deduce(tb, k)
		for _, i := range withheld {
			if ranges[i].Lo >= ranges[i].Hi {
				t.Errorf("%s: %q worked out as %d (is %d)", tb.ID(), tb.Cells[i].Label, ranges[i].Lo, tb.Cells[i].Count)
			}
		}
	}
}

func TestSuppressIssueCase(t *testing.T) {
	p := YearToDate(time.Date(2017, 7, 27, 0, 0, 0, 0, time.UTC))
	district := NewTable(FigureReferrals, DimDistrict, p, map[string]int{
		"Broxbourne": 3, "Dacorum": 12, "Watford": 9, "Stevenage": 0,
	}, nil)
	gender := NewTable(FigureReferrals, DimGender, p, map[string]int{"Female": 11, "Male": 13}, nil)
	age := NewTable(FigureReferrals, DimAgeGroup, p, map[string]int{"Adult": 22, "Child": 2}, nil)
	out := Suppress([]Table{district, gender, age}, 5)
	for _, c := range out[0].Cells {
		if c.Label == "Broxbourne" && c.Published != "fewer than 5" {
			t.Errorf("Broxbourne shows %q", c.Published)
		}
		if c.Label == "Stevenage" && c.Published != "0" {
			t.Errorf("Stevenage shows %q", c.Published)
		}
	}
	if out[0].Total.Published != "24" {
		t.Errorf("total %q", out[0].Total.Published)
	}
	attack(t, out, 5)
}

func TestSuppressAttackRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	p := YearToDate(time.Date(2017, 7, 27, 0, 0, 0, 0, time.UTC))
	for round := 0; round < 3000; round++ {
		k := 2 + r.IntN(10)
		total := r.IntN(60)
		tables := randomTables(r, p, k, total, []Dimension{DimDistrict, DimGender, DimAgency, DimMonth}, 6)
		out := Suppress(tables, k)
		attack(t, out, k)
		if t.Failed() {
			t.Fatalf("round %d k=%d total=%d", round, k, total)
		}
	}
}

func TestSuppressExactBelowTwo(t *testing.T) {
	tb := NewTable(FigureCases, DimDistrict, Period{}, map[string]int{"a": 1, "b": 3}, nil)
	out := Suppress([]Table{tb}, 0)
	if out[0].Cells[0].Published != "1" {
		t.Errorf("exact: %q", out[0].Cells[0].Published)
	}
}

// randomTables breaks total down by each dimension into 1 to most cells, about half
// of them small (k or less).
func randomTables(r *rand.Rand, p Period, k, total int, dims []Dimension, most int) []Table {
	var tables []Table
	for _, d := range dims {
		n := 1 + r.IntN(most)
		counts := map[string]int{}
		left := total
		for i := 0; i < n-1; i++ {
			c := r.IntN(left + 1)
			if r.IntN(2) == 0 {
				c = r.IntN(min(left, k) + 1)
			}
			counts[string(rune('a'+i))] = c
			left -= c
		}
		counts[string(rune('a'+n-1))] = left
		tables = append(tables, NewTable(FigureReferrals, d, p, counts, nil))
	}
	return tables
}

// TestStatsDeduceIssueExample: published "Sexual fewer than 5, Labour fewer than 5,
// Domestic 5, total 13", anyone works out both small counts as 4 (Deduce used to
// subtract the shown cells twice and answer 1 to 2).
func TestStatsDeduceIssueExample(t *testing.T) {
	tb := Table{Figure: FigureReferrals, Dimension: DimExploitation, Cells: []Cell{
		{Label: "Sexual", Count: 4, Suppress: Primary}, {Label: "Labour", Count: 4, Suppress: Primary}, {Label: "Domestic", Count: 5}},
		Total: Cell{Label: "Total", Count: 13}}
	ranges, ok := Deduce(tb, 5)
	if !ok {
		t.Fatal("the total is published")
	}
	for i, want := range []Range{{4, 4}, {4, 4}, {5, 5}} {
		if ranges[i] != want {
			t.Errorf("%s: %v, want %v", tb.Cells[i].Label, ranges[i], want)
		}
	}
	// Hiding Domestic (at least 5) leaves each small count anything from 1 to 4.
	tb.Cells[2].Suppress = Secondary
	ranges, _ = Deduce(tb, 5)
	if ranges[0] != (Range{1, 4}) || ranges[1] != (Range{1, 4}) || ranges[2] != (Range{5, 11}) {
		t.Errorf("with Domestic hidden: %v", ranges)
	}
}
