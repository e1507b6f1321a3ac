// Package disclosure attacks the published statistics releases as an outsider
// would (DESIGN.md §4 rule 5, issue 14 item 2): every count published in every
// release is a linear function of unknown true counts, and for each protected count
// a linear programme (gonum's simplex) finds the least and greatest values that
// everything published together allows. A protected count passes when every value
// from 1 to k-1 stays possible.
//
// The unknowns of a figure are its counts over the pieces of time that the
// published periods cut (mostly months), once per release: a release counts the
// records as they stood at its cut-off, and records are only added later (late or
// back-dated), so a piece's count never falls from one release to the next. A
// quarter's breakdown (by district, exploitation, ...) is published once with an
// exact total, or withheld whole; its cells are unknowns of their own whose sum is
// the total.
package disclosure

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"

	"tropic/internal/tropic"
)

// Finding is a protected count that what was published narrows.
type Finding struct {
	Release string        // the release whose count it is
	Figure  tropic.Figure // the figure
	What    string        // "March 2017", or "Watford in NRM referrals by district"
	Truth   int           // the count as it stood
	Lo, Hi  float64       // what can be worked out: Lo to Hi (Hi +Inf: no bound)
}

func (f Finding) String() string {
	hi := "no limit"
	if !math.IsInf(f.Hi, 1) {
		hi = strconv.FormatFloat(f.Hi, 'f', 2, 64)
	}
	return fmt.Sprintf("release %s, %s, %s: true count %d, can be worked out to %.2f to %s", f.Release, f.Figure.Label(), f.What, f.Truth, f.Lo, hi)
}

// Report is what an audit found.
type Report struct {
	Releases  int
	Protected int // protected counts checked
	Programs  int // linear programmes solved
	// MaxVars and MaxRows are the size of the largest programme.
	MaxVars, MaxRows int
	// Narrowest is the protected count the attacker got closest to pinning down
	// (the smallest Hi - Lo), for the report.
	Narrowest *Finding
	Findings  []Finding
}

// Options tune an audit.
type Options struct {
	// Window is how many consecutive releases are attacked together (0: all of
	// them at once). Every window of that many is attacked.
	Window int
}

// Audit attacks releases (oldest first).
func Audit(releases []*tropic.Release, opt Options) (*Report, error) {
	rep := &Report{Releases: len(releases)}
	w := opt.Window
	if w <= 0 || w > len(releases) {
		w = len(releases)
	}
	seen := map[string]bool{}
	for start := 0; start+w <= len(releases); start++ {
		win := releases[start : start+w]
		for _, f := range tropic.Figures {
			if err := attackLine(rep, win, f, seen); err != nil {
				return nil, err
			}
		}
	}
	for _, r := range releases {
		if err := attackBreakdowns(rep, r); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// known is what a reader knows of a published count from its text.
func known(text string, k int, withheld bool) (lo, hi float64, ok bool) {
	switch {
	case text == "":
		return 0, 0, false
	case text == tropic.HiddenText:
		if withheld {
			return 0, 0, false
		}
		return float64(k), math.Inf(1), true
	case text == tropic.FewerThan(k):
		return 1, float64(k - 1), true
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, 0, false
	}
	return float64(n), float64(n), true
}

// span is a published count of a figure's line in one release of the window.
type span struct {
	p       tropic.Period
	release int
	lo, hi  float64
	small   bool // published "fewer than k"
}

// attackLine attacks one figure's line over a window of releases.
func attackLine(rep *Report, win []*tropic.Release, f tropic.Figure, seen map[string]bool) error {
	var spans []span
	truth := map[[2]any]int{} // (period, release) -> count as it stood
	for ri, r := range win {
		k := r.Threshold
		for ti, t := range r.Tables {
			if t.Figure != f {
				continue
			}
			var tt tropic.Table
			if ti < len(r.Truth) {
				tt = r.Truth[ti]
			}
			cells, timed := t.CellPeriods()
			if !timed && !(r.IsBreakdown(t) && r.QuarterFrom == r.Name) {
				continue
			}
			if !t.NoTotal {
				if lo, hi, ok := known(t.Total.Published, k, false); ok {
					spans = append(spans, span{t.Period, ri, lo, hi, t.Total.Published == tropic.FewerThan(k)})
				}
				if r.QuarterFrom == r.Name || timed {
					truth[[2]any{t.Period, ri}] = tt.Total.Count
				}
			}
			for j, p := range cells {
				if j < len(tt.Cells) {
					truth[[2]any{p, ri}] = tt.Cells[j].Count
				}
				if lo, hi, ok := known(t.Cells[j].Published, k, t.Withheld); ok {
					spans = append(spans, span{p, ri, lo, hi, t.Cells[j].Published == tropic.FewerThan(k)})
				}
			}
		}
	}
	if len(spans) == 0 {
		return nil
	}
	// The pieces of time the published periods cut.
	periods := make([]tropic.Period, len(spans))
	for i, s := range spans {
		periods[i] = s.p
	}
	cuts, node := tropic.PeriodCuts(periods)
	pieces := len(cuts) - 1
	nw := len(win)
	v := func(piece, release int) int { return piece*nw + release }
	terms := func(p tropic.Period, release int) []int {
		var out []int
		for piece := node[p.From]; piece < node[p.To.AddDate(0, 0, 1)]; piece++ {
			out = append(out, v(piece, release))
		}
		return out
	}
	m := &model{vars: pieces * nw}
	for _, s := range spans {
		m.bound(terms(s.p, s.release), s.lo, s.hi)
	}
	for piece := 0; piece < pieces; piece++ {
		for r := 0; r+1 < nw; r++ {
			// Records are only added: a piece never falls between releases.
			m.rows = append(m.rows, row{vars: []int{v(piece, r), v(piece, r+1)}, coefs: []float64{1, -1}, h: 0})
		}
	}
	// The protected counts: every count published "fewer than k", and every piece
	// whose count as it stood was 1 to k-1.
	type target struct {
		p       tropic.Period
		release int
	}
	var targets []target
	added := map[target]bool{}
	add := func(t target) {
		if !added[t] {
			added[t] = true
			targets = append(targets, t)
		}
	}
	for _, s := range spans {
		if s.small {
			add(target{s.p, s.release})
		}
	}
	for piece := 0; piece < pieces; piece++ {
		p := tropic.Period{From: cuts[piece], To: cuts[piece+1].AddDate(0, 0, -1)}
		for r := 0; r < nw; r++ {
			if n, ok := truth[[2]any{p, r}]; ok && n > 0 && n < win[r].Threshold {
				add(target{p, r})
			}
		}
	}
	for _, t := range targets {
		r := win[t.release]
		key := fmt.Sprint(r.Name, f, t.p, len(win), win[0].Name)
		n, ok := truth[[2]any{t.p, t.release}]
		if !ok || n <= 0 || n >= r.Threshold {
			continue // a "fewer than k" count always has its truth; a guard all the same
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		lo, hi, err := m.rangeOf(rep, terms(t.p, t.release))
		if err != nil {
			return fmt.Errorf("release %s, %s, %s: %w", r.Name, f.Label(), t.p, err)
		}
		rep.note(Finding{Release: r.Name, Figure: f, What: periodName(t.p), Truth: n, Lo: lo, Hi: hi}, r.Threshold)
	}
	return nil
}

// attackBreakdowns attacks the quarter's breakdowns a release first published: each
// is its cells under its exact total (a withheld one shows nothing of its cells).
func attackBreakdowns(rep *Report, r *tropic.Release) error {
	if r.QuarterFrom != r.Name {
		return nil
	}
	k := r.Threshold
	for ti, t := range r.Tables {
		if !r.IsBreakdown(t) || t.Withheld || ti >= len(r.Truth) {
			continue
		}
		total, _, ok := known(t.Total.Published, k, false)
		if !ok || t.Total.Published == tropic.FewerThan(k) || t.Total.Published == tropic.HiddenText {
			continue
		}
		tt := r.Truth[ti]
		m := &model{vars: len(t.Cells)}
		all := make([]int, len(t.Cells))
		for j, c := range t.Cells {
			all[j] = j
			if lo, hi, ok := known(c.Published, k, false); ok {
				m.bound([]int{j}, lo, hi)
			}
		}
		m.bound(all, total, total)
		for j, c := range tt.Cells {
			if c.Count <= 0 || c.Count >= k || j >= len(t.Cells) {
				continue
			}
			lo, hi, err := m.rangeOf(rep, []int{j})
			if err != nil {
				return fmt.Errorf("release %s, %s: %w", r.Name, t.Title(), err)
			}
			rep.note(Finding{Release: r.Name, Figure: t.Figure, What: c.Label + " in " + t.Title() + ", " + t.Period.String(), Truth: c.Count, Lo: lo, Hi: hi}, k)
		}
	}
	return nil
}

// note records a protected count's range, and a finding when it is narrowed.
func (rep *Report) note(f Finding, k int) {
	rep.Protected++
	const eps = 1e-6
	if f.Lo > 1+eps || f.Hi < float64(k-1)-eps || f.Hi-f.Lo < eps {
		rep.Findings = append(rep.Findings, f)
	}
	if rep.Narrowest == nil || f.Hi-f.Lo < rep.Narrowest.Hi-rep.Narrowest.Lo {
		c := f
		rep.Narrowest = &c
	}
}

// periodName is "March 2017", "2017-Q1", "2017" or the period's dates.
func periodName(p tropic.Period) string {
	switch {
	case p.From.Day() == 1 && p.To == p.From.AddDate(0, 1, -1):
		return p.From.Format("January 2006")
	case p.From.Day() == 1 && (p.From.Month()-1)%3 == 0 && p.To == p.From.AddDate(0, 3, -1):
		y, q := tropic.QuarterOf(p.From)
		return tropic.QuarterName(y, q)
	case p.From.YearDay() == 1 && p.To == p.From.AddDate(1, 0, -1):
		return strconv.Itoa(p.From.Year())
	}
	return p.String()
}

// row is Σ coefs × vars <= h.
type row struct {
	vars  []int
	coefs []float64
	h     float64
}

// model is a linear programme over variables at least 0.
type model struct {
	vars int
	rows []row
}

// bound adds lo <= Σ vars <= hi (hi +Inf: none).
func (m *model) bound(vars []int, lo, hi float64) {
	ones := make([]float64, len(vars))
	neg := make([]float64, len(vars))
	for i := range ones {
		ones[i], neg[i] = 1, -1
	}
	if lo > 0 {
		m.rows = append(m.rows, row{vars: vars, coefs: neg, h: -lo})
	}
	if !math.IsInf(hi, 1) {
		m.rows = append(m.rows, row{vars: vars, coefs: ones, h: hi})
	}
}

// rangeOf is the least and greatest value of Σ vars under the model's rows.
func (m *model) rangeOf(rep *Report, vars []int) (lo, hi float64, err error) {
	sf := m.standard()
	rep.MaxVars, rep.MaxRows = max(rep.MaxVars, sf.cols), max(rep.MaxRows, sf.rows)
	rep.Programs += 2
	lo, err = sf.minimise(vars, 1)
	if err != nil {
		return 0, 0, fmt.Errorf("least value: %w", err)
	}
	negHi, err := sf.minimise(vars, -1)
	switch {
	case errors.Is(err, lp.ErrUnbounded):
		hi = math.Inf(1)
	case err != nil:
		return 0, 0, fmt.Errorf("greatest value: %w", err)
	default:
		hi = -negHi
	}
	return lo, hi, nil
}

// standardForm is the model as A x = b, x >= 0, with a basis known to be feasible
// so that the simplex needs no search for one: each row gets a slack (the basis
// where its right-hand side is at least 0) or, where it is negative, is negated and
// gets an artificial variable (the basis there), which a large cost drives out
// (the "big M" method).
type standardForm struct {
	a          *mat.Dense
	b          []float64
	basis      []int
	rows, cols int
	vars       int
	artificial []int
}

// bigM is the cost of an artificial variable: far above any count here.
const bigM = 1e6

func (m *model) standard() *standardForm {
	// The simplex refuses a column of zeros: a variable no row mentions gets a row
	// of its own, bounding it by a number far above any count.
	used := make([]bool, m.vars)
	for _, r := range m.rows {
		for _, v := range r.vars {
			used[v] = true
		}
	}
	for v, u := range used {
		if !u {
			m.rows = append(m.rows, row{vars: []int{v}, coefs: []float64{1}, h: bigM})
		}
	}
	neg := 0
	for _, r := range m.rows {
		if r.h < 0 {
			neg++
		}
	}
	sf := &standardForm{rows: len(m.rows), vars: m.vars}
	sf.cols = m.vars + len(m.rows) + neg
	sf.a = mat.NewDense(sf.rows, sf.cols, nil)
	sf.b = make([]float64, sf.rows)
	next := m.vars + len(m.rows)
	for i, r := range m.rows {
		sign := 1.0
		if r.h < 0 {
			sign = -1
		}
		for j, v := range r.vars {
			sf.a.Set(i, v, sf.a.At(i, v)+sign*r.coefs[j])
		}
		sf.a.Set(i, m.vars+i, sign)
		sf.b[i] = sign * r.h
		if r.h < 0 {
			sf.a.Set(i, next, 1)
			sf.basis = append(sf.basis, next)
			sf.artificial = append(sf.artificial, next)
			next++
		} else {
			sf.basis = append(sf.basis, m.vars+i)
		}
	}
	return sf
}

// minimise is the least value of sign × Σ vars.
func (sf *standardForm) minimise(vars []int, sign float64) (opt float64, err error) {
	c := make([]float64, sf.cols)
	for _, v := range vars {
		c[v] = sign
	}
	for _, a := range sf.artificial {
		c[a] = bigM
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("simplex: %v", p)
		}
	}()
	opt, x, err := lp.Simplex(c, sf.a, sf.b, 1e-9, append([]int(nil), sf.basis...))
	if err != nil {
		return 0, err
	}
	for _, a := range sf.artificial {
		if x[a] > 1e-6 {
			return 0, errors.New("what was published is inconsistent: no counts fit it")
		}
	}
	return opt, nil
}

// Summary is the report in a few lines, for the command line.
func (rep *Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "attacked %d releases: %d protected counts, %d linear programmes (largest %d variables, %d constraints)\n",
		rep.Releases, rep.Protected, rep.Programs, rep.MaxVars, rep.MaxRows)
	if n := rep.Narrowest; n != nil {
		fmt.Fprintf(&b, "narrowest: %s\n", n)
	}
	if len(rep.Findings) == 0 {
		b.WriteString("no protected count is narrowed: every value from 1 to k-1 stays possible\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%d protected counts are narrowed:\n", len(rep.Findings))
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "  %s\n", f)
	}
	return b.String()
}
