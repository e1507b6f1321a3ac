package tropic

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DefaultDisclosureThreshold is the smallest count published as it is (DESIGN.md §4
// rule 5): counts from 1 to threshold-1 are shown as "fewer than threshold".
const DefaultDisclosureThreshold = 5

// Period is a span of whole days, both ends included. From and To hold dates (their
// clock is ignored).
type Period struct {
	From, To time.Time
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// NewPeriod returns the period from one date to another, both included.
func NewPeriod(from, to time.Time) Period { return Period{From: dateOf(from), To: dateOf(to)} }

// YearToDate is 1 January of now's year to now's date, in now's location.
func YearToDate(now time.Time) Period {
	d := dateOf(now)
	return Period{From: time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC), To: d}
}

// PublishedYearToDate is the year to date that public figures cover: to the end of
// the last complete month (in January, the whole of last year). Publishing only
// complete months, fixed once published, stops anyone learning about one person by
// comparing the figures of one day with the next.
func PublishedYearToDate(now time.Time) Period {
	d := dateOf(now)
	end := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	return Period{From: time.Date(end.Year(), 1, 1, 0, 0, 0, 0, time.UTC), To: end}
}

// sameDayLastYear moves a date back a year; 29 February becomes 28 February.
func sameDayLastYear(t time.Time) time.Time {
	if t.Month() == time.February && t.Day() == 29 {
		return time.Date(t.Year()-1, time.February, 28, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year()-1, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// SamePeriodLastYear is the same span of days a year earlier.
func (p Period) SamePeriodLastYear() Period {
	return Period{From: sameDayLastYear(p.From), To: sameDayLastYear(p.To)}
}

// Bounds returns the period as instants in loc: [start, end), end being the start of
// the day after To.
func (p Period) Bounds(loc *time.Location) (start, end time.Time) {
	if loc == nil {
		loc = time.UTC
	}
	start = time.Date(p.From.Year(), p.From.Month(), p.From.Day(), 0, 0, 0, 0, loc)
	end = time.Date(p.To.Year(), p.To.Month(), p.To.Day()+1, 0, 0, 0, 0, loc)
	return start, end
}

// Valid reports whether the period has both dates and does not end before it starts.
func (p Period) Valid() bool { return !p.From.IsZero() && !p.To.IsZero() && !p.To.Before(p.From) }

// String is "1 January 2017 to 27 July 2017".
func (p Period) String() string {
	return p.From.Format("2 January 2006") + " to " + p.To.Format("2 January 2006")
}

// Months lists the first day of each month the period touches.
func (p Period) Months() []time.Time {
	var out []time.Time
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(p.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// Figure is a published statistic.
type Figure string

const (
	FigureReports   Figure = "reports"   // reports received
	FigureCases     Figure = "cases"     // cases opened
	FigureOffences  Figure = "offences"  // cases with a crime reference, by crime recorded date
	FigureVictims   Figure = "victims"   // people added to a case as potential victims
	FigureReferrals Figure = "referrals" // NRM referrals submitted
	FigureDtN       Figure = "dtn"       // Duty to Notify reports submitted
)

// Figures lists the figures in display order.
var Figures = []Figure{FigureReports, FigureCases, FigureOffences, FigureVictims, FigureReferrals, FigureDtN}

// Valid reports whether f is a known figure.
func (f Figure) Valid() bool {
	for _, v := range Figures {
		if v == f {
			return true
		}
	}
	return false
}

// nouns gives the singular and plural phrases of a figure's headline.
func (f Figure) nouns() (one, many string) {
	switch f {
	case FigureReports:
		return "report received", "reports received"
	case FigureCases:
		return "case opened", "cases opened"
	case FigureOffences:
		return "offence recorded", "offences recorded"
	case FigureVictims:
		return "potential victim identified", "potential victims identified"
	case FigureReferrals:
		return "NRM referral made", "NRM referrals made"
	case FigureDtN:
		return "Duty to Notify report made", "Duty to Notify reports made"
	case FigureRGDecisions:
		return "Reasonable Grounds decision made", "Reasonable Grounds decisions made"
	case FigureCGDecisions:
		return "Conclusive Grounds decision made", "Conclusive Grounds decisions made"
	}
	return string(f), string(f)
}

// Label names the figure as a heading.
func (f Figure) Label() string {
	switch f {
	case FigureReports:
		return "Reports received"
	case FigureCases:
		return "Cases opened"
	case FigureOffences:
		return "Offences recorded"
	case FigureVictims:
		return "Potential victims identified"
	case FigureReferrals:
		return "NRM referrals"
	case FigureDtN:
		return "Duty to Notify reports"
	case FigureRGDecisions:
		return "NRM Reasonable Grounds decisions"
	case FigureCGDecisions:
		return "NRM Conclusive Grounds decisions"
	}
	return string(f)
}

// Dimension is what a table breaks a figure down by.
type Dimension string

const (
	DimMonth        Dimension = "month"
	DimExploitation Dimension = "exploitation" // Home Office combined label
	DimAgeGroup     Dimension = "age_group"
	DimGender       Dimension = "gender"
	DimNationality  Dimension = "nationality"
	DimDistrict     Dimension = "district"
	DimAgency       Dimension = "agency" // the referring or owning agency
	DimOffence      Dimension = "offence"
)

// Label names the dimension.
func (d Dimension) Label() string {
	switch d {
	case DimMonth:
		return "Month"
	case DimExploitation:
		return "Type of exploitation"
	case DimAgeGroup:
		return "Age at exploitation"
	case DimGender:
		return "Gender"
	case DimNationality:
		return "Nationality"
	case DimDistrict:
		return "District"
	case DimAgency:
		return "Referring agency"
	case DimOffence:
		return "Offence"
	case DimQuarter:
		return "Quarter"
	case DimYear:
		return "Year"
	case DimOutcome:
		return "Outcome"
	}
	return string(d)
}

// Dimensions lists, for each figure, the breakdowns published.
func (f Figure) Dimensions() []Dimension {
	switch f {
	case FigureReports, FigureCases:
		return []Dimension{DimMonth, DimExploitation, DimDistrict}
	case FigureOffences:
		return []Dimension{DimMonth, DimOffence, DimDistrict}
	case FigureVictims:
		return []Dimension{DimMonth, DimGender}
	case FigureReferrals:
		return []Dimension{DimMonth, DimExploitation, DimAgeGroup, DimGender, DimNationality, DimDistrict, DimAgency}
	case FigureDtN:
		return []Dimension{DimMonth, DimExploitation, DimGender, DimNationality, DimAgency}
	}
	return nil
}

// Cell is one count of a table.
type Cell struct {
	Label     string
	Count     int
	Suppress  Suppression // why the count is not published, if it is not
	Published string      // the count as shown: "12", "fewer than 5", "hidden"
}

// Suppression says why a count is withheld.
type Suppression int

const (
	NotSuppressed Suppression = iota
	Primary                   // a count from 1 to threshold-1
	Secondary                 // hidden so that a primary count cannot be worked out
	// Unpublished is a small total not published at all, because even "fewer than
	// k" would narrow another small count given what earlier releases said.
	Unpublished
)

// UnpublishedText is how an unpublished total reads: a reader learns nothing of it.
const UnpublishedText = "not published"

// Table is a figure over a period broken down by one dimension; the cells partition
// the total.
type Table struct {
	Figure    Figure
	Dimension Dimension
	Period    Period
	Cells     []Cell
	Total     Cell
	Withheld  bool // too few to break down safely: every cell hidden
	Threshold int  // the threshold applied; 0 for exact (staff) counts
	NoTotal   bool // the cells' sum is not published (a trend)
}

// ID names the table in download addresses: "referrals-district".
func (t Table) ID() string { return string(t.Figure) + "-" + string(t.Dimension) }

// Title is "NRM referrals by district".
func (t Table) Title() string {
	return t.Figure.Label() + " by " + strings.ToLower(t.Dimension.Label())
}

// NewTable builds a table with exact counts; the total is the cells' sum.
func NewTable(f Figure, d Dimension, p Period, counts map[string]int, order []string) Table {
	t := Table{Figure: f, Dimension: d, Period: p}
	seen := map[string]bool{}
	add := func(label string) {
		if seen[label] {
			return
		}
		seen[label] = true
		t.Cells = append(t.Cells, Cell{Label: label, Count: counts[label]})
		t.Total.Count += counts[label]
	}
	for _, l := range order {
		add(l)
	}
	var rest []string
	for l := range counts {
		if !seen[l] {
			rest = append(rest, l)
		}
	}
	sort.Strings(rest)
	for _, l := range rest {
		add(l)
	}
	t.Total.Label = "Total"
	t.exact()
	return t
}

func (t *Table) exact() {
	for i := range t.Cells {
		t.Cells[i].Published = strconv.Itoa(t.Cells[i].Count)
	}
	t.Total.Published = strconv.Itoa(t.Total.Count)
	if t.NoTotal {
		t.Total.Published = ""
	}
}

// FewerThan is how a primary-suppressed count reads.
func FewerThan(threshold int) string { return "fewer than " + strconv.Itoa(threshold) }

// HiddenText is how a secondary-suppressed count reads.
const HiddenText = "hidden"

// ShowCount is a count as published under threshold (0 or less: exact).
func ShowCount(n, threshold int) string {
	if threshold > 0 && n > 0 && n < threshold {
		return FewerThan(threshold)
	}
	return strconv.Itoa(n)
}

// DisclosureRule states the rule for pages and downloads.
func DisclosureRule(threshold int) string {
	return fmt.Sprintf("Counts from 1 to %d are shown as \"fewer than %d\" so that nobody can be identified. "+
		"Where such a count could otherwise be worked out, even in part, from the other figures here (totals, other breakdowns, "+
		"months, quarters and years, including periods in between), further counts are also hidden (shown as \"%s\"), "+
		"or a whole breakdown is: nothing here narrows a count shown as \"fewer than %d\" below 1 to %d.",
		threshold-1, threshold, HiddenText, threshold, threshold-1)
}

// Range is what someone could deduce about a withheld count: Lo to Hi, both included.
type Range struct{ Lo, Hi int }

// Deduce is exactly what anyone can work out about each cell of one published table
// from it alone, knowing the rule: a shown cell is exact; a "fewer than k" cell is 1
// to k-1; a hidden cell is at least k (it was not small), or anything from 0 when the
// whole breakdown is withheld; the cells sum to the total; no cell is below 0. Hi is
// 1<<40 when nothing bounds a cell from above. ok is false when the total is not
// published exactly. Suppress protects against more than this: every table of a
// figure at once, months, quarters and years included.
func Deduce(t Table, threshold int) (ranges []Range, ok bool) {
	n := len(t.Cells)
	spans := make([]lineSpan, 0, n+1)
	bounds := make([]Range, 0, n+1)
	rule := func(s Suppression, count int) Range {
		switch s {
		case Primary:
			return Range{1, threshold - 1}
		case Secondary:
			return Range{threshold, unbounded}
		}
		return Range{count, count}
	}
	for j, c := range t.Cells {
		spans = append(spans, lineSpan{j, j + 1})
		if t.Withheld {
			bounds = append(bounds, Range{0, unbounded})
		} else {
			bounds = append(bounds, rule(c.Suppress, c.Count))
		}
	}
	if !t.NoTotal {
		spans = append(spans, lineSpan{0, n})
		bounds = append(bounds, rule(t.Total.Suppress, t.Total.Count))
		ok = t.Total.Suppress == NotSuppressed
	}
	r, feasible := lineRanges(n+1, spans, bounds, len(spans))
	if !feasible {
		return bounds[:n], false
	}
	return r[:n], ok
}

// Suppress applies disclosure control to tables, returning copies fit to publish,
// so that nothing published narrows a count shown as "fewer than threshold" (every
// value from 1 to threshold-1 stays possible) by any arithmetic over all the tables
// together. The tables of one figure are treated as one problem:
//   - counts from 1 to threshold-1 are shown as "fewer than threshold" (primary
//     suppression; 0 is shown);
//   - its breakdowns by month, quarter and year (each cell's period follows from
//     the table's period: see timeCells) and the totals of all its tables are sums
//     of the same days, so they are protected jointly: further counts are hidden,
//     and when that is not enough whole breakdowns are withheld (years first, then
//     quarters, then months), until no small count can be narrowed (secondary
//     suppression); a total is hidden only if nothing else would do;
//   - a breakdown of a small or hidden total is withheld whole; any other breakdown
//     shares only its total with the rest (what one breakdown shows adds nothing to
//     another beyond the total) and is protected on its own in the same way.
//
// Tables of one figure and period should agree on the total; the largest is used.
// A table with NoTotal publishes no total (a trend); a table with no cells is a
// total on its own (a sentence's count), hidden before any other total if one must
// be.
func Suppress(tables []Table, threshold int) []Table {
	return SuppressKnown(tables, threshold, Known{})
}

// Known is what earlier releases told readers: lower bounds that still hold, and
// the counts of earlier releases themselves, which today's can only exceed.
type Known struct {
	Bounds  []KnownBound
	Earlier []EarlierCount
}

// EarlierCount is a count of a figure over a period in an earlier release: what a
// reader knows of it (Lo to Hi, when Published), and whether it was protected (1
// to k-1 then), so that nothing published now narrows it.
type EarlierCount struct {
	Figure    Figure
	Period    Period
	Release   int // which earlier release
	Published bool
	Lo, Hi    int // Hi: 1<<40 for no bound
	Small     bool
}

// KnownBound is what earlier releases told a reader about a figure over a period:
// at least Lo. Records are only ever added to a period that has been published (a
// late or back-dated record), so an earlier release's lower bound still holds.
type KnownBound struct {
	Figure Figure
	Period Period
	Lo     int
}

// SuppressKnown is Suppress when readers already know the bounds of earlier
// releases: nothing published now, together with them, narrows a count shown as
// "fewer than threshold".
func SuppressKnown(tables []Table, threshold int, known Known) []Table {
	out := make([]Table, len(tables))
	for i, t := range tables {
		t.Cells = append([]Cell(nil), t.Cells...)
		out[i] = t
	}
	if threshold < 2 {
		for i := range out {
			out[i].exact()
		}
		return out
	}
	type key struct {
		f Figure
		p Period
	}
	totals := map[key]int{}
	byFigure := map[Figure][]*Table{}
	var figures []Figure
	for i := range out {
		t := &out[i]
		k := key{t.Figure, t.Period}
		totals[k] = max(totals[k], t.Total.Count)
		if byFigure[t.Figure] == nil {
			figures = append(figures, t.Figure)
		}
		byFigure[t.Figure] = append(byFigure[t.Figure], t)
	}
	for _, f := range figures {
		ts := byFigure[f]
		for _, t := range ts {
			t.Threshold = threshold
			t.Total.Count = totals[key{t.Figure, t.Period}]
			t.Total.Suppress = NotSuppressed
			t.Withheld = false
			for j := range t.Cells {
				t.Cells[j].Suppress = NotSuppressed
			}
		}
		var kf Known
		for _, b := range known.Bounds {
			if b.Figure == f && b.Period.Valid() {
				kf.Bounds = append(kf.Bounds, b)
			}
		}
		for _, c := range known.Earlier {
			if c.Figure == f && c.Period.Valid() {
				kf.Earlier = append(kf.Earlier, c)
			}
		}
		totalState := protectTime(ts, threshold, kf)
		for _, t := range ts {
			if !t.NoTotal {
				t.Total.Suppress = totalState[t.Period]
			}
			if _, timed := timeCells(*t); timed {
				publish(t, threshold, false)
				continue
			}
			switch {
			case t.Total.Suppress != NotSuppressed:
				t.Withheld = true
			case t.Total.Count > 0 && len(t.Cells) > 0:
				protectBreakdown(t, threshold)
			}
			publish(t, threshold, true)
		}
	}
	return out
}

// publish writes the published text of the total and, when cells is true, of the
// cells (those of a withheld table all read "hidden").
func publish(t *Table, threshold int, cells bool) {
	t.Total.Published = publishedAs(t.Total, threshold)
	if t.NoTotal {
		t.Total.Published = ""
	}
	for j := range t.Cells {
		if !cells {
			break
		}
		c := &t.Cells[j]
		if t.Withheld {
			c.Suppress = Secondary
			if c.Count > 0 && c.Count < threshold {
				c.Suppress = Primary
			}
			c.Published = HiddenText
			continue
		}
		c.Published = publishedAs(*c, threshold)
	}
}

// Headline says a figure so far this year against the same period last year, in
// plain English: "18 offences recorded so far this year, against 7 in the same
// period last year". Counts from 1 to threshold-1 read "fewer than threshold"
// (threshold 0: exact).
func Headline(f Figure, thisYear, lastYear, threshold int) string {
	one, many := f.nouns()
	small := func(n int) bool { return threshold > 0 && n > 0 && n < threshold }
	var subject string
	switch {
	case thisYear == 0:
		subject = "No " + many
	case small(thisYear):
		subject = "Fewer than " + strconv.Itoa(threshold) + " " + many
	case thisYear == 1:
		subject = "1 " + one
	default:
		subject = strconv.Itoa(thisYear) + " " + many
	}
	switch {
	case thisYear == 0 && lastYear == 0:
		return subject + " so far this year or in the same period last year"
	case thisYear == lastYear && !small(thisYear):
		return subject + " so far this year, the same as in the same period last year"
	case lastYear == 0:
		return subject + " so far this year, against none in the same period last year"
	}
	return subject + " so far this year, against " + ShowCount(lastYear, threshold) + " in the same period last year"
}

// StatsFilter narrows staff statistics. Zero values mean everything.
type StatsFilter struct {
	District     string
	AgencyID     int64
	Exploitation ExploitationType
}

// StatsService counts the figures. Counts are exact; publishing them goes through
// Suppress.
type StatsService interface {
	// Count is one figure over a period.
	Count(ctx context.Context, f Figure, p Period, filter StatsFilter) (int, error)
	// Breakdown is one figure over a period by a dimension.
	Breakdown(ctx context.Context, f Figure, d Dimension, p Period, filter StatsFilter) (Table, error)
	// Months counts a figure month by month over a period, each month clipped to it.
	Months(ctx context.Context, f Figure, p Period, filter StatsFilter) ([]int, error)
	// Decisions are the NRM decisions made in a period and their waiting times.
	Decisions(ctx context.Context, p Period, filter StatsFilter) (NRMDecisions, error)
	// MaxAge is how stale an answer may be.
	MaxAge() time.Duration
	// Zone is the time zone whose days periods count.
	Zone() *time.Location
}

// HeadlineFor says a figure over any period against the same period a year earlier:
// "12 offences recorded from 1 March 2017 to 31 May 2017, against 7 in the same
// period a year earlier". A year-to-date period reads as Headline does.
func HeadlineFor(f Figure, p Period, ytd bool, thisYear, lastYear, threshold int) string {
	if ytd {
		return Headline(f, thisYear, lastYear, threshold)
	}
	s := Headline(f, thisYear, lastYear, threshold)
	s = strings.Replace(s, "so far this year", "from "+p.String(), 1)
	return strings.Replace(s, "in the same period last year", "in the same period a year earlier", 1)
}

// Trend units: a figure counted quarter by quarter or year by year.
const (
	DimQuarter Dimension = "quarter"
	DimYear    Dimension = "year"
)

// QuarterPeriod is quarter q (1 to 4) of year.
func QuarterPeriod(year, q int) Period {
	from := time.Date(year, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
	return Period{From: from, To: from.AddDate(0, 3, -1)}
}

// QuarterOf is the quarter a date falls in.
func QuarterOf(t time.Time) (year, q int) { return t.Year(), (int(t.Month())-1)/3 + 1 }

// QuarterName is "2026-Q3".
func QuarterName(year, q int) string { return fmt.Sprintf("%d-Q%d", year, q) }

// QuarterLabel is "July to September 2026".
func QuarterLabel(year, q int) string {
	p := QuarterPeriod(year, q)
	return p.From.Format("January") + " to " + p.To.Format("January 2006")
}

// ParseQuarter reads "2026-Q3".
func ParseQuarter(s string) (year, q int, err error) {
	y, qs, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "-Q")
	year, err1 := strconv.Atoi(y)
	q, err2 := strconv.Atoi(qs)
	if !ok || err1 != nil || err2 != nil || year < 1900 || year > 9999 || q < 1 || q > 4 {
		return 0, 0, Errorf(EINVALID, "Enter a quarter like 2026-Q3.")
	}
	return year, q, nil
}

// TrendPeriod is one step of a trend: a quarter or a year, the last one clipped to
// the trend's end.
type TrendPeriod struct {
	Label  string
	Period Period
}

// TrendPeriods lists the n quarters (DimQuarter) or years (DimYear) ending with the
// one holding to, oldest first; the last is clipped to to.
func TrendPeriods(unit Dimension, to time.Time, n int) []TrendPeriod {
	to = dateOf(to)
	out := make([]TrendPeriod, 0, n)
	for i := n - 1; i >= 0; i-- {
		var tp TrendPeriod
		if unit == DimYear {
			y := to.Year() - i
			tp = TrendPeriod{Label: strconv.Itoa(y), Period: Period{From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)}}
		} else {
			y, q := QuarterOf(to)
			q -= i
			for q < 1 {
				q += 4
				y--
			}
			tp = TrendPeriod{Label: QuarterName(y, q), Period: QuarterPeriod(y, q)}
		}
		if tp.Period.To.After(to) {
			tp.Period.To = to
			tp.Label += " (to " + to.Format("2 January") + ")"
		}
		out = append(out, tp)
	}
	return out
}

// Figures about NRM decisions, published as tables of their own.
const (
	FigureRGDecisions Figure    = "rg_decisions" // Reasonable Grounds decisions made
	FigureCGDecisions Figure    = "cg_decisions" // Conclusive Grounds decisions made
	DimOutcome        Dimension = "outcome"
)

// NRMDecisions are the NRM decisions made in a period (by the decision's date) and
// how long they took, in calendar days: submission to a Reasonable Grounds decision,
// and Reasonable Grounds to Conclusive Grounds. A suspension is not a decision.
type NRMDecisions struct {
	RGPositive, RGNegative                   int
	CGTrafficking, CGSlavery, CGInsufficient int
	RGMedianDays, RGP90Days                  float64
	CGMedianDays, CGP90Days                  float64
}

// RGDecided and CGDecided count the decisions behind the waiting times.
func (d NRMDecisions) RGDecided() int { return d.RGPositive + d.RGNegative }
func (d NRMDecisions) CGDecided() int { return d.CGTrafficking + d.CGSlavery + d.CGInsufficient }

// Tables are the decisions by outcome, with exact counts.
func (d NRMDecisions) Tables(p Period) []Table {
	rg := NewTable(FigureRGDecisions, DimOutcome, p, map[string]int{"Positive": d.RGPositive, "Negative": d.RGNegative}, []string{"Positive", "Negative"})
	cg := NewTable(FigureCGDecisions, DimOutcome, p, map[string]int{
		"Victim of human trafficking": d.CGTrafficking, "Victim of slavery, servitude or forced labour": d.CGSlavery, "Not enough evidence": d.CGInsufficient},
		[]string{"Victim of human trafficking", "Victim of slavery, servitude or forced labour", "Not enough evidence"})
	return []Table{rg, cg}
}

// WaitingTime is a median or 90th percentile as published: in days to one decimal
// place, or withheld when fewer than threshold decisions are behind it (threshold
// 0: always shown).
func WaitingTime(days float64, decided, threshold int) string {
	switch {
	case decided == 0:
		return "no decisions"
	case threshold > 0 && decided < threshold:
		return "not published (" + FewerThan(threshold) + " decisions)"
	}
	return strconv.FormatFloat(days, 'f', 1, 64) + " days"
}
