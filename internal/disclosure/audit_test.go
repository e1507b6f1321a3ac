package disclosure

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// record is one counted thing: its figure, the day it counts on, its category in
// each breakdown, and when it was entered (a late or back-dated record is entered
// after releases that cover its day).
type record struct {
	f       tropic.Figure
	day     time.Time
	cat     string
	entered time.Time
}

// history is a tropic.StatsService over generated records, as they stood at asOf.
type history struct {
	records []record
	asOf    time.Time
}

var categories = []string{"A", "B", "C", "D"}

func (h *history) counts(f tropic.Figure, p tropic.Period, by func(record) string) map[string]int {
	out := map[string]int{}
	for _, r := range h.records {
		if r.f == f && !r.entered.After(h.asOf) && !r.day.Before(p.From) && !r.day.After(p.To) {
			out[by(r)]++
		}
	}
	return out
}

func (h *history) Count(_ context.Context, f tropic.Figure, p tropic.Period, _ tropic.StatsFilter) (int, error) {
	return h.counts(f, p, func(record) string { return "" })[""], nil
}

func (h *history) Breakdown(_ context.Context, f tropic.Figure, d tropic.Dimension, p tropic.Period, _ tropic.StatsFilter) (tropic.Table, error) {
	if d == tropic.DimMonth {
		counts := h.counts(f, p, func(r record) string { return r.day.Format("January 2006") })
		var order []string
		for _, m := range p.Months() {
			order = append(order, m.Format("January 2006"))
		}
		return tropic.NewTable(f, d, p, counts, order), nil
	}
	// Each breakdown spreads the records over its categories in its own way.
	shift := len(d)
	counts := h.counts(f, p, func(r record) string {
		for i, c := range categories {
			if c == r.cat {
				return categories[(i+shift)%len(categories)]
			}
		}
		return r.cat
	})
	return tropic.NewTable(f, d, p, counts, categories), nil
}

func (h *history) Months(ctx context.Context, f tropic.Figure, p tropic.Period, filter tropic.StatsFilter) ([]int, error) {
	t, err := h.Breakdown(ctx, f, tropic.DimMonth, p, filter)
	var out []int
	for _, c := range t.Cells {
		out = append(out, c.Count)
	}
	return out, err
}

func (h *history) Decisions(context.Context, tropic.Period, tropic.StatsFilter) (tropic.NRMDecisions, error) {
	return tropic.NRMDecisions{}, nil
}
func (h *history) MaxAge() time.Duration { return 0 }
func (h *history) Zone() *time.Location  { return time.UTC }

// generate makes two years of small counts (0 to max a month per figure) for the
// offences and NRM referrals, a share of them entered late: up to five months after
// their day.
func generate(seed uint64, year, most int, late float64) *history {
	rng := rand.New(rand.NewPCG(seed, seed*7+1))
	h := &history{}
	for _, f := range []tropic.Figure{tropic.FigureOffences, tropic.FigureReferrals} {
		for m := time.Date(year-1, 1, 1, 0, 0, 0, 0, time.UTC); m.Year() <= year; m = m.AddDate(0, 1, 0) {
			for range rng.IntN(most + 1) {
				day := m.AddDate(0, 0, rng.IntN(28))
				entered := day
				if rng.Float64() < late {
					entered = day.AddDate(0, 0, 1+rng.IntN(150))
				}
				h.records = append(h.records, record{f: f, day: day, cat: categories[rng.IntN(len(categories))], entered: entered})
			}
		}
	}
	return h
}

// releases publishes n monthly releases from January of year on the history, each
// knowing the ones before it unless independent (the old live pages' way).
func releases(t *testing.T, h *history, year, n int, sched tropic.ReleaseSchedule, independent bool) []*tropic.Release {
	t.Helper()
	var out []*tropic.Release
	step := 1
	if sched == tropic.ReleaseQuarterly {
		step = 3
	}
	for i := 0; i < n; i++ {
		h.asOf = time.Date(year, time.Month(2+i*step), 2, 0, 0, 0, 0, time.UTC)
		name, closed := sched.ClosedPeriod(h.asOf)
		earlier := out
		if independent {
			earlier = nil
		}
		r, err := tropic.BuildRelease(context.Background(), h, tropic.ReleaseInput{Name: name, Closed: closed, Threshold: 5, Now: h.asOf, Earlier: earlier})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestAuditGeneratedHistories: monthly and quarterly releases of many small
// counts, with records entered late (back-dated) between releases, leave every
// protected count in every release every value from 1 to 4, against an attacker
// holding two consecutive releases at once, and three for one history (seed 3,
// where the middle release carries what the first says to the third).
func TestAuditGeneratedHistories(t *testing.T) {
	for _, c := range []struct {
		sched       tropic.ReleaseSchedule
		n, window   int
		first, last uint64
	}{
		{tropic.ReleaseMonthly, 8, 2, 1, 3},
		{tropic.ReleaseMonthly, 8, 3, 3, 3},
		{tropic.ReleaseQuarterly, 4, 2, 1, 3},
	} {
		for seed := c.first; seed <= c.last; seed++ {
			h := generate(seed, 2025, 6, 0.3)
			rs := releases(t, h, 2025, c.n, c.sched, false)
			rep, err := Audit(rs, Options{Window: c.window})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s, seed %d: %s", c.sched, seed, rep.Summary())
			if rep.Protected == 0 {
				t.Errorf("%s, seed %d: no protected count: the history has no small counts", c.sched, seed)
			}
			if len(rep.Findings) > 0 {
				t.Errorf("%s, seed %d: %d protected counts narrowed", c.sched, seed, len(rep.Findings))
			}
		}
	}
}

// TestAuditFindsReleasesMadeAlone: releases each protected on its own, as the live
// pages were, give small counts away once records come in late; the attacker finds
// them (the test can fail).
func TestAuditFindsReleasesMadeAlone(t *testing.T) {
	found := 0
	for seed := uint64(1); seed <= 3; seed++ {
		h := generate(seed, 2025, 6, 0.3)
		rs := releases(t, h, 2025, 4, tropic.ReleaseMonthly, true)
		rep, err := Audit(rs, Options{Window: 2})
		if err != nil {
			t.Fatal(err)
		}
		found += len(rep.Findings)
		if seed == 1 && len(rep.Findings) > 0 {
			t.Logf("for example: %s", rep.Findings[0])
		}
	}
	if found == 0 {
		t.Error("releases protected one at a time passed the attack")
	}
}

// TestAuditReadsPublishedText: what a reader knows of each published text.
func TestAuditReadsPublishedText(t *testing.T) {
	for _, c := range []struct {
		text     string
		withheld bool
		lo, hi   float64
		ok       bool
	}{
		{"12", false, 12, 12, true},
		{"0", false, 0, 0, true},
		{"fewer than 5", false, 1, 4, true},
		{"hidden", false, 5, math.Inf(1), true},
		{"hidden", true, 0, 0, false},
		{"not published", false, 0, 0, false},
		{"", false, 0, 0, false},
	} {
		lo, hi, ok := known(c.text, 5, c.withheld)
		if lo != c.lo || hi != c.hi || ok != c.ok {
			t.Errorf("known(%q, withheld %v) = %v, %v, %v; want %v, %v, %v", c.text, c.withheld, lo, hi, ok, c.lo, c.hi, c.ok)
		}
	}
}
