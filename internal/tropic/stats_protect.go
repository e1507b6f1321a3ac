package tropic

import (
	"sort"
	"time"
)

// Disclosure control over everything a page publishes about one figure (DESIGN.md
// §4 rule 5), as one problem.
//
// Every published count of a figure is a count over a span of consecutive pieces:
// a month, quarter or year is a run of days, and a breakdown not by time is a run of
// its own cells whose sum is the period's total. What a reader knows is a bound on
// each published span (exact; "fewer than k": 1 to k-1; hidden: at least k, or
// anything when the whole breakdown is withheld) and that every piece is at least 0.
// Written over prefix sums S (a span [a, b) is S[b] - S[a]), each of these is a
// difference constraint, so the exact range of any span given all of them is a
// shortest path (lineRanges): no guessing at which subtractions an attacker might
// try. Rule: nothing published narrows a count shown as "fewer than k": every value
// from 1 to k-1 stays possible.

// unbounded stands for "no upper bound".
const unbounded = 1 << 40

// lineSpan is the published count over pieces a to b-1 (nodes a and b).
type lineSpan struct{ a, b int }

// lineRanges is the exact range of each span given a bound on each of the first
// bounded spans (Hi unbounded: none; the rest are only asked about) and that every
// piece between two consecutive nodes is at least 0; ok is false when the bounds
// contradict each other.
func lineRanges(nodes int, spans []lineSpan, bounds []Range, bounded int) (out []Range, ok bool) {
	d, ok := lineMatrix(nodes, spans[:bounded], bounds, nil, nil)
	if !ok {
		return nil, false
	}
	return spanRanges(nodes, d, spans), true
}

// spanRanges reads the range of each span from a closed matrix.
func spanRanges(n int, d []int, spans []lineSpan) []Range {
	out := make([]Range, len(spans))
	for j, s := range spans {
		out[j] = Range{Lo: -d[s.b*n+s.a], Hi: min(d[s.a*n+s.b], unbounded)}
	}
	return out
}

// lineMatrix closes the constraints over prefix sums S: d[i*n+j] bounds S[j] - S[i]
// from above, given a bound on each span, that every piece is at least 0, and, when
// not nil, the upper bounds upper holds (its entries i < j) and the lower bounds
// lower holds (its entries j > i) of another closed matrix: counts only grow, so an
// earlier release's counts are at most a later one's, and a later one's at least an
// earlier one's. ok is false when the bounds contradict each other.
func lineMatrix(n int, spans []lineSpan, bounds []Range, upper, lower []int) ([]int, bool) {
	d := make([]int, n*n)
	for i := range d {
		d[i] = unbounded
	}
	for i := 0; i < n; i++ {
		d[i*n+i] = 0
		if i+1 < n {
			d[(i+1)*n+i] = 0 // S[i] - S[i+1] <= 0: a piece is at least 0
		}
		for j := i + 1; upper != nil && j < n; j++ {
			d[i*n+j] = min(d[i*n+j], upper[i*n+j])
		}
		for j := 0; lower != nil && j < i; j++ {
			d[i*n+j] = min(d[i*n+j], lower[i*n+j])
		}
	}
	for j, s := range spans {
		if r := bounds[j]; r.Hi < unbounded {
			d[s.a*n+s.b] = min(d[s.a*n+s.b], r.Hi)
		}
		d[s.b*n+s.a] = min(d[s.b*n+s.a], -bounds[j].Lo)
	}
	for k := 0; k < n; k++ {
		krow := d[k*n : k*n+n]
		for i := 0; i < n; i++ {
			dik := d[i*n+k]
			if dik >= unbounded {
				continue
			}
			row := d[i*n : i*n+n]
			for j, dkj := range krow {
				if dkj < unbounded && dik+dkj < row[j] {
					row[j] = dik + dkj
				}
			}
		}
	}
	for i := 0; i < n; i++ {
		if d[i*n+i] < 0 {
			return nil, false
		}
	}
	return d, true
}

// protectCount is one published count of a protection problem.
type protectCount struct {
	span   lineSpan
	count  int
	state  Suppression
	total  bool  // a total (headline): hidden only when nothing else protects
	spare  bool  // a total no breakdown divides (a sentence's count): hidden before other totals
	groups []int // the breakdowns the count is a cell of
}

// protection is the disclosure-control problem of one figure's line.
type protection struct {
	k        int
	nodes    int
	counts   []protectCount
	withheld []bool // per breakdown: every cell hidden
	order    []int  // breakdowns in the order they are withheld when they must be
	// periods: every span between two nodes is a count of its own (a period of
	// days, published or not: December is Q4 less October and November), protected
	// like a published one when the true counts determine it.
	periods bool
	truth   []int // per node pair a*nodes+b: the span's count, or -1 when not determined
	// fixed are bounds a reader already has from earlier releases: a span is at
	// least lo. They are not counts to hide, only what the reader knows.
	fixed []fixedBound
	// earlier are the lines of earlier releases: what they published bounds their
	// counts, and each of their counts is at most today's, so what is published now
	// can narrow their small counts (targets) too.
	earlier []earlierLine
}

// earlierLine is an earlier release's line: its published spans and bounds, and
// the spans whose count was 1 to k-1 then.
type earlierLine struct {
	spans   []lineSpan
	bounds  []Range
	targets []lineSpan
}

// fixedBound is a lower bound on a span known from an earlier release.
type fixedBound struct {
	span lineSpan
	lo   int
}

// spansAndBounds lists the published spans and what a reader knows of each.
func (p *protection) spansAndBounds(exact bool) ([]lineSpan, []Range) {
	spans := make([]lineSpan, len(p.counts), len(p.counts)+len(p.fixed))
	bounds := make([]Range, len(p.counts), len(p.counts)+len(p.fixed))
	for i, c := range p.counts {
		spans[i], bounds[i] = c.span, p.known(i)
		if exact {
			bounds[i] = Range{c.count, c.count}
		}
	}
	for _, f := range p.fixed {
		spans = append(spans, f.span)
		bounds = append(bounds, Range{f.lo, unbounded})
	}
	return spans, bounds
}

// findTruth works out every span's count from the true published counts.
func (p *protection) findTruth() {
	n := p.nodes
	p.truth = make([]int, n*n)
	spans, bounds := p.spansAndBounds(true)
	for i := range p.truth {
		p.truth[i] = -1
	}
	var pairs []lineSpan
	for a := 0; a < n; a++ {
		for b := a + 1; b < n; b++ {
			pairs = append(pairs, lineSpan{a, b})
		}
	}
	r, ok := lineRanges(n, append(spans, pairs...), append(bounds, make([]Range, len(pairs))...), len(spans))
	if !ok {
		return
	}
	for j, s := range pairs {
		if x := r[len(spans)+j]; x.Lo == x.Hi {
			p.truth[s.a*n+s.b] = x.Lo
		}
	}
}

// visible reports whether a reader sees count i as more than "hidden, anything":
// it is a total, or a cell of a breakdown not withheld.
func (p *protection) visible(i int) bool {
	c := p.counts[i]
	if c.total {
		return true
	}
	for _, g := range c.groups {
		if !p.withheld[g] {
			return true
		}
	}
	return false
}

// known is what a reader knows of count i.
func (p *protection) known(i int) Range {
	c := p.counts[i]
	switch {
	case !p.visible(i) || c.state == Unpublished:
		return Range{0, unbounded}
	case c.state == Primary:
		return Range{1, p.k - 1}
	case c.state == Secondary:
		return Range{p.k, unbounded}
	}
	return Range{c.count, c.count}
}

// deficit is how far the protected counts are narrowed in all: 0 when every count
// from 1 to k-1 (published, or with periods any period, or an earlier release's)
// could still be anything from 1 to k-1, and every such cell (not a total) could
// have at least two values (which only matters when k is 2: "fewer than 2" is 1).
func (p *protection) deficit() int {
	spans, bounds := p.spansAndBounds(false)
	n := p.nodes
	var pairs []lineSpan
	if p.periods {
		for a := 0; a < n; a++ {
			for b := a + 1; b < n; b++ {
				if t := p.truth[a*n+b]; t > 0 && t < p.k {
					pairs = append(pairs, lineSpan{a, b})
				}
			}
		}
	}
	dm, ok := lineMatrix(n, spans, bounds, nil, nil)
	if !ok { // cannot happen: the true counts satisfy every bound
		return 0
	}
	r := spanRanges(n, dm, append(spans, pairs...))
	short := func(r Range) int { return max(0, r.Lo-1) + max(0, p.k-1-r.Hi) }
	d := 0
	for i, c := range p.counts {
		if c.count > 0 && c.count < p.k {
			d += short(r[i])
			if !c.total && r[i].Hi <= r[i].Lo {
				d++
			}
		}
	}
	for j := range pairs {
		d += short(r[len(spans)+j])
	}
	// Newest first: each earlier release's counts are at most the next one's.
	upper := dm
	for i := len(p.earlier) - 1; i >= 0; i-- {
		e := p.earlier[i]
		de, ok := lineMatrix(n, e.spans, e.bounds, upper, nil)
		if !ok {
			break // a correction lowered a count since: the earlier bounds no longer fit
		}
		for _, x := range spanRanges(n, de, e.targets) {
			d += short(x)
		}
		upper = de
	}
	return d
}

// solve marks small counts "fewer than k", then, until nothing is narrowed, hides
// further counts one at a time: the smallest shown count whose hiding narrows less,
// or else a sentence's count (spare total) that does, or else withholds the
// breakdown that helps most; other totals are hidden only when nothing else is
// left. Then it gives back, latest first, every breakdown and count it turns out
// not to need.
func (p *protection) solve() {
	for i, c := range p.counts {
		if c.count > 0 && c.count < p.k {
			p.counts[i].state = Primary
		}
	}
	var hidden, withheld []int
	d := p.deficit()
	for d > 0 {
		best, bestD := p.bestToHide(d, false, false)
		if best < 0 {
			best, bestD = p.bestToHide(d, true, true)
		}
		if best < 0 {
			g, gd := -1, d
			for _, cand := range p.order {
				if p.withheld[cand] {
					continue
				}
				p.withheld[cand] = true
				if nd := p.deficit(); g < 0 || nd < gd {
					g, gd = cand, nd
				}
				p.withheld[cand] = false
			}
			if g >= 0 {
				p.withheld[g], d = true, gd
				withheld = append(withheld, g)
				continue
			}
			if best, bestD = p.bestToHide(d, true, false); best < 0 {
				best, bestD = p.anyToHide()
			}
			if best < 0 {
				// Everything is hidden already: a small total that still narrows
				// another count is not published at all.
				if u := p.bestToUnpublish(d); u >= 0 {
					p.counts[u].state = Unpublished
					d = p.deficit()
					continue
				}
				return
			}
		}
		p.counts[best].state = Secondary
		hidden = append(hidden, best)
		d = bestD
	}
	for i := len(withheld) - 1; i >= 0; i-- {
		p.withheld[withheld[i]] = false
		if p.deficit() > 0 {
			p.withheld[withheld[i]] = true
		}
	}
	for i := len(hidden) - 1; i >= 0; i-- {
		p.counts[hidden[i]].state = NotSuppressed
		if p.deficit() > 0 {
			p.counts[hidden[i]].state = Secondary
		}
	}
}

// bestToHide is the smallest shown count whose hiding leaves a deficit below d
// (totals only when totals is true, and then spare ones only when spare is), with
// that deficit; -1 when none lowers it.
func (p *protection) bestToHide(d int, totals, spare bool) (best, bestD int) {
	best, bestD = -1, d
	var cands []int
	for i, c := range p.counts {
		if c.state != NotSuppressed || c.count < p.k || c.total != totals || totals && spare && !c.spare || !p.visible(i) {
			continue
		}
		cands = append(cands, i)
	}
	sort.SliceStable(cands, func(a, b int) bool { return p.counts[cands[a]].count < p.counts[cands[b]].count })
	for _, i := range cands {
		p.counts[i].state = Secondary
		nd := p.deficit()
		p.counts[i].state = NotSuppressed
		if nd < bestD {
			best, bestD = i, nd
			break
		}
	}
	return best, bestD
}

// bestToUnpublish is the small total ("fewer than k") whose not being published at
// all lowers the deficit most; -1 when none does.
func (p *protection) bestToUnpublish(d int) int {
	best, bestD := -1, d
	for i, c := range p.counts {
		if c.state != Primary || !c.total {
			continue
		}
		p.counts[i].state = Unpublished
		if nd := p.deficit(); nd < bestD {
			best, bestD = i, nd
		}
		p.counts[i].state = Primary
	}
	return best
}

// anyToHide is the smallest shown total (spare ones first), when hiding no single
// count lowers the deficit.
func (p *protection) anyToHide() (best, bestD int) {
	best = -1
	for i, c := range p.counts {
		if c.state != NotSuppressed || c.count < p.k || !c.total {
			continue
		}
		if best < 0 || c.spare && !p.counts[best].spare || c.spare == p.counts[best].spare && c.count < p.counts[best].count {
			best = i
		}
	}
	if best >= 0 {
		p.counts[best].state = Secondary
		bestD = p.deficit()
		p.counts[best].state = NotSuppressed
	}
	return best, bestD
}

// timeCells is the period of each cell of a table by month, quarter or year (each
// clipped to the table's period); ok is false for any other table.
func timeCells(t Table) (out []Period, ok bool) {
	if !t.Period.Valid() {
		return nil, false
	}
	clip := func(p Period) Period {
		if p.From.Before(t.Period.From) {
			p.From = t.Period.From
		}
		if p.To.After(t.Period.To) {
			p.To = t.Period.To
		}
		return p
	}
	switch t.Dimension {
	case DimMonth:
		for _, m := range t.Period.Months() {
			out = append(out, clip(Period{From: m, To: m.AddDate(0, 1, -1)}))
		}
	case DimQuarter, DimYear:
		step := 3
		if t.Dimension == DimYear {
			step = 12
		}
		f := t.Period.From
		if f.Day() != 1 || (int(f.Month())-1)%step != 0 {
			return nil, false
		}
		for m := f; !m.After(t.Period.To); m = m.AddDate(0, step, 0) {
			out = append(out, clip(Period{From: m, To: m.AddDate(0, step, -1)}))
		}
	default:
		return nil, false
	}
	return out, len(out) == len(t.Cells)
}

// withholdRank orders breakdowns by time for withholding: years, then quarters,
// then months, earlier periods first.
func withholdRank(t Table) int {
	switch t.Dimension {
	case DimYear:
		return 0
	case DimQuarter:
		return 1
	}
	return 2
}

// protectTime applies disclosure control jointly to the breakdowns by time of one
// figure and the totals of all its tables: the months, quarters and years are sums
// of the same days, so each is protected against every other. It returns the
// state of each table's total, by period.
func protectTime(tables []*Table, k int, known Known) map[Period]Suppression {
	type spanKey struct{ from, to time.Time }
	var cuts []time.Time
	seen := map[time.Time]bool{}
	cut := func(d time.Time) {
		if !seen[d] {
			seen[d] = true
			cuts = append(cuts, d)
		}
	}
	cells := make([][]Period, len(tables))
	var timed []int
	for i, t := range tables {
		cut(t.Period.From)
		cut(t.Period.To.AddDate(0, 0, 1))
		if ps, ok := timeCells(*t); ok {
			cells[i] = ps
			timed = append(timed, i)
			for _, p := range ps {
				cut(p.From)
				cut(p.To.AddDate(0, 0, 1))
			}
		}
	}
	for _, b := range known.Bounds {
		cut(b.Period.From)
		cut(b.Period.To.AddDate(0, 0, 1))
	}
	for _, c := range known.Earlier {
		cut(c.Period.From)
		cut(c.Period.To.AddDate(0, 0, 1))
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].Before(cuts[j]) })
	node := map[time.Time]int{}
	for i, c := range cuts {
		node[c] = i
	}
	p := &protection{k: k, nodes: len(cuts), withheld: make([]bool, len(timed))}
	index := map[Period]int{}
	countOf := func(per Period, n int) int {
		i, ok := index[per]
		if !ok {
			i = len(p.counts)
			index[per] = i
			p.counts = append(p.counts, protectCount{span: lineSpan{node[per.From], node[per.To.AddDate(0, 0, 1)]}})
		}
		p.counts[i].count = max(p.counts[i].count, n)
		return i
	}
	for _, t := range tables {
		if !t.NoTotal {
			i := countOf(t.Period, t.Total.Count)
			p.counts[i].spare = (p.counts[i].spare || !p.counts[i].total) && len(t.Cells) == 0
			p.counts[i].total = true
		}
	}
	for g, ti := range timed {
		t := tables[ti]
		for j, per := range cells[ti] {
			i := countOf(per, t.Cells[j].Count)
			p.counts[i].groups = append(p.counts[i].groups, g)
		}
		// A breakdown of a small total is withheld whole.
		if !t.NoTotal && t.Total.Count > 0 && t.Total.Count < k {
			p.withheld[g] = true
		}
		p.order = append(p.order, g)
	}
	sort.SliceStable(p.order, func(a, b int) bool {
		ta, tb := tables[timed[p.order[a]]], tables[timed[p.order[b]]]
		if ra, rb := withholdRank(*ta), withholdRank(*tb); ra != rb {
			return ra < rb
		}
		return ta.Period.From.Before(tb.Period.From)
	})
	spanOf := func(per Period) lineSpan { return lineSpan{node[per.From], node[per.To.AddDate(0, 0, 1)]} }
	for _, b := range known.Bounds {
		if b.Lo > 0 {
			p.fixed = append(p.fixed, fixedBound{spanOf(b.Period), b.Lo})
		}
	}
	lines := map[int]*earlierLine{}
	var releases []int
	for _, c := range known.Earlier {
		e := lines[c.Release]
		if e == nil {
			e = &earlierLine{}
			lines[c.Release] = e
			releases = append(releases, c.Release)
		}
		if c.Published {
			e.spans = append(e.spans, spanOf(c.Period))
			e.bounds = append(e.bounds, Range{c.Lo, c.Hi})
		}
		if c.Small {
			e.targets = append(e.targets, spanOf(c.Period))
		}
	}
	sort.Ints(releases)
	for _, r := range releases {
		p.earlier = append(p.earlier, *lines[r])
	}
	p.periods = true
	p.findTruth()
	p.solve()
	for g, ti := range timed {
		t := tables[ti]
		t.Withheld = p.withheld[g]
		for j, per := range cells[ti] {
			i := index[per]
			t.Cells[j].Suppress = p.counts[i].state
			if t.Withheld && !p.visible(i) {
				t.Cells[j].Published = HiddenText
				if t.Cells[j].Suppress == NotSuppressed && t.Cells[j].Count > 0 {
					t.Cells[j].Suppress = Secondary
				}
			} else {
				t.Cells[j].Published = publishedAs(t.Cells[j], k)
			}
		}
	}
	totals := map[Period]Suppression{}
	for per, i := range index {
		if p.counts[i].total {
			totals[per] = p.counts[i].state
		}
	}
	return totals
}

// protectBreakdown applies disclosure control to one breakdown not by time, whose
// total is published exactly: its cells are pieces of a line whose whole is the
// total.
func protectBreakdown(t *Table, k int) {
	n := len(t.Cells)
	p := &protection{k: k, nodes: n + 1, withheld: []bool{false}, order: []int{0}}
	for j, c := range t.Cells {
		p.counts = append(p.counts, protectCount{span: lineSpan{j, j + 1}, count: c.Count, groups: []int{0}})
	}
	p.counts = append(p.counts, protectCount{span: lineSpan{0, n}, count: t.Total.Count, total: true})
	p.solve()
	t.Withheld = p.withheld[0]
	for j := range t.Cells {
		t.Cells[j].Suppress = p.counts[j].state
	}
}

// publishedAs is a count as shown under its state.
func publishedAs(c Cell, k int) string {
	switch c.Suppress {
	case Primary:
		return FewerThan(k)
	case Secondary:
		return HiddenText
	case Unpublished:
		return UnpublishedText
	}
	return ShowCount(c.Count, 0)
}
