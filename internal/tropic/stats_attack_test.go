package tropic

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The attacker of the public statistics (DESIGN.md §4 rule 5). It knows everything
// published (every cell, total and trend, as the strings a reader sees), the rule
// (a "fewer than k" count is 1 to k-1; a hidden count of a table shown in part is at
// least k, since small counts read "fewer than k" and zeros read 0; a hidden count of
// a withheld table is anything) and that counts are whole numbers, at least 0. It
// works out, for every protected count (1 to k-1), which values are still possible,
// by an exact search over whole-number tables consistent with all of it: a small
// constraint solver (bounds propagation and branching) written independently of
// Suppress. Rule stated on the page: nothing published may narrow a count shown as
// "fewer than k": every value from 1 to k-1 must stay possible.

// attackTable is a table as published, with what the attacker knows of its shape:
// the period each cell covers (nil for a breakdown that is not by time).
type attackTable struct {
	pub     Table
	periods []Period
}

// term is coef × variable.
type term struct{ v, coef int }

// linear is lo <= Σ terms <= hi (hi < 0: no upper bound).
type linear struct {
	terms  []term
	lo, hi int
}

// cpModel is whole-number variables, each at least 0, under linear constraints.
type cpModel struct {
	vars  int
	hint  []int // a value to try first for each variable (the truth, in these tests)
	cap   int   // no variable need exceed this
	cons  []linear
	nodes int
}

// feasible reports whether some assignment satisfies every constraint and extra;
// ok is false when the search ran out of budget.
func (m *cpModel) feasible(extra linear) (found, ok bool) {
	lo := make([]int, m.vars)
	hi := make([]int, m.vars)
	for i := range hi {
		hi[i] = m.cap
	}
	cons := append(append([]linear(nil), m.cons...), extra)
	m.nodes = 0
	return m.search(cons, lo, hi)
}

// propagate tightens bounds to a fixpoint; false when a constraint cannot hold.
func propagate(cons []linear, lo, hi []int) bool {
	for changed := true; changed; {
		changed = false
		for _, c := range cons {
			minSum, maxSum := 0, 0
			for _, t := range c.terms {
				if t.coef > 0 {
					minSum += t.coef * lo[t.v]
					maxSum += t.coef * hi[t.v]
				} else {
					minSum += t.coef * hi[t.v]
					maxSum += t.coef * lo[t.v]
				}
			}
			if minSum > c.hi && c.hi >= 0 || maxSum < c.lo {
				return false
			}
			for _, t := range c.terms {
				// Bounds of this term given the others' extremes.
				var tMin, tMax int
				if t.coef > 0 {
					tMin, tMax = t.coef*lo[t.v], t.coef*hi[t.v]
				} else {
					tMin, tMax = t.coef*hi[t.v], t.coef*lo[t.v]
				}
				restMin, restMax := minSum-tMin, maxSum-tMax
				newMax := tMax
				if c.hi >= 0 {
					newMax = min(tMax, c.hi-restMin)
				}
				newMin := max(tMin, c.lo-restMax)
				if newMin > newMax {
					return false
				}
				var vlo, vhi int
				if t.coef > 0 {
					vlo, vhi = ceilDiv(newMin, t.coef), floorDiv(newMax, t.coef)
				} else {
					vlo, vhi = ceilDiv(newMax, t.coef), floorDiv(newMin, t.coef)
				}
				if vlo > lo[t.v] {
					lo[t.v], changed = vlo, true
				}
				if vhi < hi[t.v] {
					hi[t.v], changed = vhi, true
				}
				if lo[t.v] > hi[t.v] {
					return false
				}
			}
		}
	}
	return true
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func ceilDiv(a, b int) int { return -floorDiv(-a, b) }

func (m *cpModel) search(cons []linear, lo, hi []int) (found, ok bool) {
	m.nodes++
	if m.nodes > 2_000_000 {
		return false, false
	}
	if !propagate(cons, lo, hi) {
		return false, true
	}
	pick := -1
	for i := range lo {
		if lo[i] < hi[i] && (pick < 0 || hi[i]-lo[i] < hi[pick]-lo[pick]) {
			pick = i
		}
	}
	if pick < 0 {
		return true, true
	}
	mid := lo[pick] + (hi[pick]-lo[pick])/2
	halves := [][2]int{{lo[pick], mid}, {mid + 1, hi[pick]}}
	if m.hint[pick] > mid {
		halves[0], halves[1] = halves[1], halves[0]
	}
	for _, half := range halves {
		l, h := append([]int(nil), lo...), append([]int(nil), hi...)
		l[pick], h[pick] = half[0], half[1]
		found, ok := m.search(cons, l, h)
		if !ok || found {
			return found, ok
		}
	}
	return false, true
}

// strengthen adds, for each constraint whose terms (all +1) contain another's, the
// constraint on their difference: what subtracting one published sum from another
// gives. It is implied by the rest, so it changes no answer; it only lets bounds
// propagation see at once what the search would otherwise find by branching.
func (m *cpModel) strengthen() {
	n := len(m.cons)
	sets := make([]map[int]bool, n)
	for i, c := range m.cons {
		sets[i] = map[int]bool{}
		for _, t := range c.terms {
			if t.coef != 1 {
				sets[i] = nil
				break
			}
			sets[i][t.v] = true
		}
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a, b := sets[i], sets[j]
			if i == j || a == nil || b == nil || len(a) >= len(b) {
				continue
			}
			inside := true
			for v := range a {
				if !b[v] {
					inside = false
					break
				}
			}
			if !inside {
				continue
			}
			var rest []term
			for _, t := range m.cons[j].terms {
				if !a[t.v] {
					rest = append(rest, t)
				}
			}
			lo := m.cons[j].lo
			if m.cons[i].hi >= 0 {
				lo = max(0, m.cons[j].lo-m.cons[i].hi)
			} else {
				lo = 0
			}
			hi := -1
			if m.cons[j].hi >= 0 {
				hi = max(0, m.cons[j].hi-m.cons[i].lo)
			}
			m.cons = append(m.cons, linear{terms: rest, lo: lo, hi: hi})
		}
	}
}

// knownOf is what a published string tells the attacker.
func knownOf(published string, withheld bool, k int) (lo, hi int, any bool) {
	switch {
	case published == "":
		return 0, -1, true
	case published == FewerThan(k):
		return 1, k - 1, false
	case published == HiddenText && withheld:
		return 0, -1, false
	case published == HiddenText:
		return k, -1, false
	}
	n, err := strconv.Atoi(published)
	if err != nil {
		panic("unreadable published count " + strconv.Quote(published))
	}
	return n, n, false
}

// protected is a count the attacker tries to narrow.
type protected struct {
	total      bool
	smallTotal bool // a cell of a table whose total is "fewer than k"
	where      string
	count      int
	expr       []term
}

// attackAll checks the published tables as an attacker and reports every protected
// count whose possible values are narrower than 1 to k-1, and every published
// number that is small or wrong.
func attackAll(t *testing.T, tables []attackTable, k int, truth func(Figure, Period) int) {
	t.Helper()
	m := &cpModel{}
	var prot []protected
	cap := k
	for _, at := range tables {
		cap += at.pub.Total.Count
		for _, c := range at.pub.Cells {
			cap += c.Count
		}
	}
	m.cap = cap
	// Time segments per figure: the attacker cuts the calendar at every boundary
	// of every period published for the figure.
	type seg struct {
		f    Figure
		from time.Time
	}
	bounds := map[Figure][]time.Time{}
	addBound := func(f Figure, d time.Time) {
		for _, b := range bounds[f] {
			if b.Equal(d) {
				return
			}
		}
		bounds[f] = append(bounds[f], d)
	}
	for _, at := range tables {
		addBound(at.pub.Figure, at.pub.Period.From)
		addBound(at.pub.Figure, at.pub.Period.To.AddDate(0, 0, 1))
		for _, p := range at.periods {
			addBound(at.pub.Figure, p.From)
			addBound(at.pub.Figure, p.To.AddDate(0, 0, 1))
		}
	}
	segVar := map[seg]int{}
	for f, bs := range bounds {
		sort.Slice(bs, func(i, j int) bool { return bs[i].Before(bs[j]) })
		bounds[f] = bs
		for i, b := range bs[:len(bs)-1] {
			segVar[seg{f, b}] = m.vars
			m.vars++
			h := 0
			if truth != nil {
				h = truth(f, Period{From: b, To: bs[i+1].AddDate(0, 0, -1)})
			}
			m.hint = append(m.hint, h)
		}
	}
	periodExpr := func(f Figure, p Period) []term {
		var ts []term
		end := p.To.AddDate(0, 0, 1)
		for _, b := range bounds[f] {
			if !b.Before(p.From) && b.Before(end) {
				ts = append(ts, term{segVar[seg{f, b}], 1})
			}
		}
		return ts
	}
	publishedNumber := func(where, s string, count int) {
		if n, err := strconv.Atoi(s); err == nil {
			if n != count {
				t.Errorf("%s: published %d, is %d", where, n, count)
			}
			if n > 0 && n < k {
				t.Errorf("%s: published small count %d", where, n)
			}
		}
	}
	smallTotal := false
	add := func(where string, expr []term, published string, withheld bool, count int) {
		isTotal := strings.HasSuffix(where, " total")
		lo, hi, none := knownOf(published, withheld, k)
		publishedNumber(where, published, count)
		if !none {
			m.cons = append(m.cons, linear{terms: expr, lo: lo, hi: hi})
		}
		if count > 0 && count < k {
			prot = append(prot, protected{total: isTotal, smallTotal: smallTotal, where: where, count: count, expr: expr})
		}
	}
	for ti, at := range tables {
		tb := at.pub
		smallTotal = tb.Total.Published == FewerThan(k)
		id := fmt.Sprintf("%s[%d] %s", tb.ID(), ti, tb.Period)
		total := periodExpr(tb.Figure, tb.Period)
		if !tb.NoTotal {
			add(id+" total", total, tb.Total.Published, false, tb.Total.Count)
		} else if tb.Total.Published != "" {
			t.Errorf("%s: a trend publishes its total %q", id, tb.Total.Published)
		}
		if at.periods != nil {
			for i, c := range tb.Cells {
				add(id+" "+c.Label, periodExpr(tb.Figure, at.periods[i]), c.Published, tb.Withheld, c.Count)
			}
			continue
		}
		if len(tb.Cells) == 0 {
			continue // a total on its own
		}
		// A breakdown not by time: its own cells, summing to the period's count.
		sum := make([]term, 0, len(tb.Cells)+len(total))
		for _, c := range tb.Cells {
			v := m.vars
			m.vars++
			m.hint = append(m.hint, c.Count)
			sum = append(sum, term{v, 1})
			add(id+" "+c.Label, []term{{v, 1}}, c.Published, tb.Withheld, c.Count)
		}
		// Implied, but it lets propagation see it: the cells sum to the published total.
		if lo, hi, none := knownOf(tb.Total.Published, false, k); !none && !tb.NoTotal {
			m.cons = append(m.cons, linear{terms: append([]term(nil), sum...), lo: lo, hi: hi})
		}
		for _, tt := range total {
			sum = append(sum, term{tt.v, -1})
		}
		m.cons = append(m.cons, linear{terms: sum, lo: 0, hi: 0})
	}
	// Every period between two cuts is a count too (December is the fourth quarter
	// less October and November), published or not.
	if truth != nil {
		for f, bs := range bounds {
			for a := 0; a < len(bs); a++ {
				for b := a + 1; b < len(bs); b++ {
					per := Period{From: bs[a], To: bs[b].AddDate(0, 0, -1)}
					if n := truth(f, per); n > 0 && n < k {
						prot = append(prot, protected{total: true, where: string(f) + " period " + per.String(), count: n, expr: periodExpr(f, per)})
					}
				}
			}
		}
	}
	m.strengthen()
	if found, ok := m.feasible(linear{}); !ok || !found {
		t.Fatalf("the attacker finds the published tables inconsistent (found %v, finished %v, %d nodes)", found, ok, m.nodes)
	}
	for _, p := range prot {
		for v := 1; v < k; v++ {
			found, ok := m.feasible(linear{terms: p.expr, lo: v, hi: v})
			if !ok {
				t.Errorf("%s = %d: the attacker ran out of budget (%d variables, %d constraints)", p.where, v, m.vars, len(m.cons))
				return
			}
			if !found {
				t.Errorf("%s (is %d): the attacker rules out %d, so the count is narrowed below 1 to %d", p.where, p.count, v, k-1)
			}
		}
		if k == 2 && !p.total && !p.smallTotal { // "fewer than 2" is 1: another value must stay possible
			zero, ok1 := m.feasible(linear{terms: p.expr, lo: 0, hi: 0})
			more, ok2 := m.feasible(linear{terms: p.expr, lo: 2, hi: -1})
			if !ok1 || !ok2 || !zero && !more {
				t.Errorf("%s (is %d): the attacker works it out (budget %v %v)", p.where, p.count, ok1, ok2)
			}
		}
	}
}

// plain wraps tables that are not by time.
func plain(ts []Table) []attackTable {
	out := make([]attackTable, len(ts))
	for i, t := range ts {
		out[i] = attackTable{pub: t}
	}
	return out
}

func TestStatsAttackIssueExample(t *testing.T) {
	// Issue 11 item 15: "Sexual < 5, Labour < 5, total 13 with one other cell of 5".
	p := YearToDate(time.Date(2017, 7, 27, 0, 0, 0, 0, time.UTC))
	tb := NewTable(FigureReferrals, DimExploitation, p, map[string]int{"Sexual": 4, "Labour": 4, "Domestic": 5}, []string{"Sexual", "Labour", "Domestic"})
	out := Suppress([]Table{tb}, 5)
	attackAll(t, plain(out), 5, nil)
	if out[0].Total.Published != "13" {
		t.Errorf("total %q", out[0].Total.Published)
	}
}

func TestStatsAttackRandomTables(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 15))
	p := YearToDate(time.Date(2017, 7, 27, 0, 0, 0, 0, time.UTC))
	for round := 0; round < 1500; round++ {
		k := 2 + r.IntN(7)
		total := r.IntN(50)
		tables := randomTables(r, p, k, total, []Dimension{DimDistrict, DimGender, DimAgency, DimExploitation}, 7)
		attackAll(t, plain(Suppress(tables, k)), k, nil)
		if t.Failed() {
			t.Fatalf("round %d k=%d total=%d: %+v", round, k, total, tables)
		}
	}
}

// hierarchy builds what the dashboard publishes for one figure from month counts
// (month i is months[i], from January of start): the months so far this year and
// in the same months last year, a breakdown of this year's total, and the trends by
// quarter (eight) and year (five), each a sum of months, the last clipped.
func hierarchy(f Figure, start int, months []int, to time.Time, split func(int) map[string]int) []attackTable {
	truth := monthTruth(start, months)
	count := func(p Period) int { return truth(f, p) }
	monthTable := func(p Period) attackTable {
		counts := map[string]int{}
		var order []string
		var ps []Period
		for _, m := range p.Months() {
			mp := Period{From: m, To: m.AddDate(0, 1, -1)}
			l := m.Format("January 2006")
			counts[l] = count(mp)
			order = append(order, l)
			ps = append(ps, mp)
		}
		return attackTable{pub: NewTable(f, DimMonth, p, counts, order), periods: ps}
	}
	p := Period{From: time.Date(to.Year(), 1, 1, 0, 0, 0, 0, time.UTC), To: to}
	out := []attackTable{monthTable(p), monthTable(p.SamePeriodLastYear())}
	out = append(out, attackTable{pub: NewTable(f, DimDistrict, p, split(count(p)), nil)})
	for _, unit := range []Dimension{DimQuarter, DimYear} {
		n := 8
		if unit == DimYear {
			n = 5
		}
		steps := TrendPeriods(unit, to, n)
		counts := map[string]int{}
		var order []string
		var ps []Period
		for _, s := range steps {
			counts[s.Label] = count(s.Period)
			order = append(order, s.Label)
			ps = append(ps, s.Period)
		}
		tb := NewTable(f, unit, Period{From: steps[0].Period.From, To: steps[len(steps)-1].Period.To}, counts, order)
		tb.NoTotal = true
		tb.Total.Published = ""
		out = append(out, attackTable{pub: tb, periods: ps})
	}
	return out
}

// monthTruth counts a period from month counts starting in January of start (the
// attacker's search tries the truth first; it proves impossibilities all the same).
func monthTruth(start int, months []int) func(Figure, Period) int {
	return func(_ Figure, p Period) int {
		n := 0
		for i, c := range months {
			m := time.Date(start, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
			if !m.Before(p.From) && !m.After(p.To) {
				n += c
			}
		}
		return n
	}
}

func suppressAttack(in []attackTable, k int) []attackTable {
	raw := make([]Table, len(in))
	for i, at := range in {
		raw[i] = at.pub
	}
	pub := Suppress(raw, k)
	out := make([]attackTable, len(in))
	for i := range in {
		out[i] = attackTable{pub: pub[i], periods: in[i].periods}
	}
	return out
}

func TestStatsAttackQuarterGivesAwayMonth(t *testing.T) {
	// Published to 30 November 2017: the months of 2016 to November are shown, and
	// the fourth quarter and the year 2016 whole. December 2016 (2) is their
	// difference unless the hierarchy is protected as one.
	months := make([]int, 60) // 2013 to 2017
	for i := range months {
		months[i] = 6 + i%5
	}
	months[3*12+11] = 2 // December 2016, counted from January 2013
	months[59] = 0      // December 2017, not yet published
	to := time.Date(2017, 11, 30, 0, 0, 0, 0, time.UTC)
	in := hierarchy(FigureOffences, 2013, months, to, func(n int) map[string]int { return map[string]int{"a": n / 2, "b": n - n/2} })
	attackAll(t, suppressAttack(in, 5), 5, monthTruth(2013, months))
}

func TestStatsAttackRandomHierarchy(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 11))
	for round := 0; round < 100; round++ {
		k := 3 + r.IntN(4)
		months := make([]int, 60)
		scale := 1 + r.IntN(12)
		for i := range months {
			months[i] = r.IntN(scale + 1)
			if r.IntN(4) == 0 {
				months[i] = 0
			}
		}
		to := time.Date(2017, time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, -1)
		split := func(n int) map[string]int {
			a := r.IntN(n + 1)
			b := r.IntN(n - a + 1)
			return map[string]int{"a": a, "b": b, "c": n - a - b}
		}
		in := hierarchy(FigureReferrals, 2013, months, to, split)
		out := suppressAttack(in, k)
		attackAll(t, out, k, monthTruth(2013, months))
		if t.Failed() {
			t.Fatalf("round %d k=%d to=%s months=%v\n%s", round, k, to.Format(time.DateOnly), months, dump(out))
		}
	}
}

func dump(ts []attackTable) string {
	var b strings.Builder
	for _, at := range ts {
		fmt.Fprintf(&b, "%s %s withheld=%v total=%d/%s:", at.pub.ID(), at.pub.Period, at.pub.Withheld, at.pub.Total.Count, at.pub.Total.Published)
		for _, c := range at.pub.Cells {
			fmt.Fprintf(&b, " %s=%d/%s", c.Label, c.Count, c.Published)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestStatsAttackQuarterlyYearToDate(t *testing.T) {
	// The quarterly report for April to June 2017 gives the quarter by month, the
	// trends, and the year to date against the same period last year in sentences:
	// the year to date less the quarter is January to March (2 here).
	months := make([]int, 60)
	for i := range months {
		months[i] = 7 + i%3
	}
	months[4*12+0], months[4*12+1], months[4*12+2] = 1, 0, 1 // January to March 2017
	truth := monthTruth(2013, months)
	to := time.Date(2017, 6, 30, 0, 0, 0, 0, time.UTC)
	in := hierarchy(FigureReferrals, 2013, months, to, func(n int) map[string]int { return map[string]int{"a": n - n/3, "b": n / 3} })
	// hierarchy gives the year to date; make the first table the quarter.
	q := QuarterPeriod(2017, 2)
	in[0] = attackTable{pub: NewTable(FigureReferrals, DimMonth, q, map[string]int{"April 2017": months[51], "May 2017": months[52], "June 2017": months[53]}, []string{"April 2017", "May 2017", "June 2017"}),
		periods: []Period{{From: q.From, To: q.From.AddDate(0, 1, -1)}, {From: q.From.AddDate(0, 1, 0), To: q.From.AddDate(0, 2, -1)}, {From: q.From.AddDate(0, 2, 0), To: q.To}}}
	in[1] = attackTable{pub: NewTable(FigureReferrals, DimMonth, q.SamePeriodLastYear(), map[string]int{"April 2016": months[39], "May 2016": months[40], "June 2016": months[41]}, []string{"April 2016", "May 2016", "June 2016"}),
		periods: []Period{{From: time.Date(2016, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2016, 4, 30, 0, 0, 0, 0, time.UTC)}, {From: time.Date(2016, 5, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2016, 5, 31, 0, 0, 0, 0, time.UTC)}, {From: time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2016, 6, 30, 0, 0, 0, 0, time.UTC)}}}
	in[2] = attackTable{pub: NewTable(FigureReferrals, DimDistrict, q, map[string]int{"a": 10, "b": truth(FigureReferrals, q) - 10}, nil)}
	ytd := Period{From: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), To: to}
	for _, p := range []Period{ytd, ytd.SamePeriodLastYear()} {
		in = append(in, attackTable{pub: Table{Figure: FigureReferrals, Period: p, Total: Cell{Label: "Total", Count: truth(FigureReferrals, p)}}})
	}
	out := suppressAttack(in, 5)
	attackAll(t, out, 5, truth)
	if got := out[0].pub.Total.Published; got != strconv.Itoa(truth(FigureReferrals, q)) {
		t.Errorf("the quarter's total reads %q: a sentence's count should be hidden first", got)
	}
	if t.Failed() || testing.Verbose() {
		t.Log(dump(out))
	}
}

// BenchmarkSuppressDashboard is one figure as the public dashboard publishes it
// (months this year and last, a breakdown, eight quarters, five years), counts
// small enough that secondary suppression has work to do.
func BenchmarkStatsSuppressDashboard(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	months := make([]int, 60)
	for i := range months {
		months[i] = r.IntN(9)
	}
	in := hierarchy(FigureReferrals, 2013, months, time.Date(2017, 11, 30, 0, 0, 0, 0, time.UTC), func(n int) map[string]int {
		return map[string]int{"a": n / 2, "b": n / 3, "c": n - n/2 - n/3}
	})
	raw := make([]Table, len(in))
	for i, at := range in {
		raw[i] = at.pub
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Suppress(raw, 5)
	}
}
