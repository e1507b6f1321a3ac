package tropic

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Public statistics are published as releases (DESIGN.md §4 rule 5): on a schedule,
// the figures of closed periods are computed once, frozen and kept. Later changes to
// the data appear only in a later release, as revisions.

// ReleaseSchedule says how often releases are published.
type ReleaseSchedule string

const (
	ReleaseMonthly   ReleaseSchedule = "monthly"
	ReleaseQuarterly ReleaseSchedule = "quarterly"
)

// ParseReleaseSchedule reads "monthly" or "quarterly".
func ParseReleaseSchedule(s string) (ReleaseSchedule, error) {
	switch ReleaseSchedule(strings.ToLower(strings.TrimSpace(s))) {
	case ReleaseMonthly:
		return ReleaseMonthly, nil
	case ReleaseQuarterly:
		return ReleaseQuarterly, nil
	}
	return "", Errorf(EINVALID, "The release schedule is monthly or quarterly, not %q.", s)
}

// ClosedPeriod is the latest month (monthly) or quarter (quarterly) that ended
// before today, and its release's name: "2026-10" or "2026-Q3".
func (s ReleaseSchedule) ClosedPeriod(today time.Time) (string, Period) {
	d := dateOf(today)
	if s == ReleaseQuarterly {
		y, q := QuarterOf(d)
		if q--; q == 0 {
			y, q = y-1, 4
		}
		return QuarterName(y, q), QuarterPeriod(y, q)
	}
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	return first.Format("2006-01"), Period{From: first, To: first.AddDate(0, 1, -1)}
}

// ParseReleasePeriod reads a release's name, "2026-10" (a month) or "2026-Q3" (a
// quarter), into the period it closes.
func ParseReleasePeriod(s string) (string, Period, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if strings.Contains(s, "-Q") {
		y, q, err := ParseQuarter(s)
		if err != nil {
			return "", Period{}, Errorf(EINVALID, "Enter the period like 2026-Q3 or 2026-10.")
		}
		return QuarterName(y, q), QuarterPeriod(y, q), nil
	}
	m, err := time.Parse("2006-01", s)
	if err != nil || m.Year() < 1900 {
		return "", Period{}, Errorf(EINVALID, "Enter the period like 2026-Q3 or 2026-10.")
	}
	return m.Format("2006-01"), Period{From: m, To: m.AddDate(0, 1, -1)}, nil
}

// ReleaseChartFigures are the figures a release gives quarter by quarter and year by
// year, and draws month by month.
var ReleaseChartFigures = []Figure{FigureReports, FigureOffences, FigureReferrals}

// Release is one frozen publication of the public statistics.
type Release struct {
	ID          int64     `json:"-"`
	Name        string    `json:"name"`         // "2026-Q3", "2026-10"
	Covers      Period    `json:"covers"`       // 1 January to the end of the closed period
	LastYear    Period    `json:"last_year"`    // the same days a year earlier
	Quarter     Period    `json:"quarter"`      // the quarter its breakdowns cover
	QuarterFrom string    `json:"quarter_from"` // the release that first published them
	CutOff      time.Time `json:"cut_off"`      // the data as it stood then
	PublishedAt time.Time `json:"published_at"`
	Threshold   int       `json:"threshold"`
	// Tables are as published: counts of cells not shown are 0.
	Tables    []Table           `json:"tables"`
	Headlines []ReleaseHeadline `json:"headlines"`
	Waiting   ReleaseWaiting    `json:"waiting"`
	Revisions []Revision        `json:"revisions"`
	// Truth holds the exact counts behind Tables (same order), for the disclosure
	// audit only: never shown or served.
	Truth []Table `json:"-"`
	Hash  string  `json:"-"` // SHA-256 of Content and Truth, checked on every read
}

// ReleaseHeadline is a figure's sentence, and its counts as published.
type ReleaseHeadline struct {
	Figure   Figure `json:"figure"`
	Sentence string `json:"sentence"`
	ThisYear string `json:"this_year"`
	LastYear string `json:"last_year"`
}

// ReleaseWaiting are the NRM waiting times of the release's quarter as published.
type ReleaseWaiting struct {
	RGMedian, RGP90, CGMedian, CGP90 string
}

// Revision is a published count that changed since the previous release.
type Revision struct {
	Table string `json:"table"`
	Label string `json:"label"`
	Was   string `json:"was"`
	Now   string `json:"now"`
}

// RevisionsPolicy states how releases are revised, for pages and downloads.
const RevisionsPolicy = "Each release is frozen when it is published and never changed. " +
	"It counts the records as they stood at its cut-off. Records added or corrected later, including ones dated in months already published, " +
	"are counted in the next release, which restates the months of this year and last year and the quarter and year trends; " +
	"counts that changed since the previous release are listed as revisions. " +
	"The breakdowns of a quarter (by district, type of exploitation, agency and so on) and its NRM decisions are published once, " +
	"in the first release after the quarter ends, and are not revised: later changes appear only in the totals."

// Content is the release as published, encoded for storage.
func (r *Release) Content() ([]byte, error) { return json.Marshal(r) }

// TruthContent is the exact counts, encoded for storage.
func (r *Release) TruthContent() ([]byte, error) { return json.Marshal(r.Truth) }

// ReleaseHash is the hash stored with a release and checked on every read.
func ReleaseHash(content, truth []byte) string {
	h := sha256.New()
	h.Write(content)
	h.Write([]byte{0})
	h.Write(truth)
	return hex.EncodeToString(h.Sum(nil))
}

// IsLastYear reports whether a table of the release is last year's comparison.
func (r *Release) IsLastYear(t Table) bool { return t.Period == r.LastYear && r.LastYear != r.Covers }

// IsBreakdown reports whether a table is one of the quarter's breakdowns.
func (r *Release) IsBreakdown(t Table) bool {
	return t.Period == r.Quarter && t.Dimension != DimMonth
}

// ReleaseStore keeps releases. Releases are immutable: there is no way to change
// or delete one.
type ReleaseStore interface {
	// PublishRelease stores a release; a release of the same name exists already:
	// ECONFLICT.
	PublishRelease(ctx context.Context, actor Actor, r *Release) (*Release, error)
	// FindReleases lists every release, the one covering the latest data first.
	FindReleases(ctx context.Context) ([]*Release, error)
	// FindRelease is one release; ENOTFOUND when there is none.
	FindRelease(ctx context.Context, id int64) (*Release, error)
	// LatestRelease is the release covering the latest data; ENOTFOUND when none is.
	LatestRelease(ctx context.Context) (*Release, error)
}

// MayPublishRelease lets the system (the schedule, the command line) and analysts
// publish releases.
func MayPublishRelease(a Actor) error {
	if a.IsSystem() || a.Has(RoleAnalyst) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only an analyst can publish statistics.")
}

// ReleaseInput is what BuildRelease needs.
type ReleaseInput struct {
	Name      string
	Closed    Period // the month or quarter the release closes
	Threshold int
	Now       time.Time  // the cut-off
	Earlier   []*Release // every earlier release, oldest first
}

// BuildRelease computes a release: the year to the end of the closed period and the
// same days last year, month by month; the quarter and year trends of the charted
// figures; and the breakdowns of the latest closed quarter (copied from the release
// that first published them, if one did). Everything computed goes through
// disclosure control at once, knowing what earlier releases published.
func BuildRelease(ctx context.Context, st StatsService, in ReleaseInput) (*Release, error) {
	covers := Period{From: time.Date(in.Closed.To.Year(), 1, 1, 0, 0, 0, 0, time.UTC), To: in.Closed.To}
	r := &Release{Name: in.Name, Covers: covers, LastYear: covers.SamePeriodLastYear(), CutOff: in.Now.UTC(), Threshold: in.Threshold}
	y, q := QuarterOf(in.Closed.To)
	if r.Quarter = QuarterPeriod(y, q); r.Quarter.To.After(in.Closed.To) {
		if q--; q == 0 {
			y, q = y-1, 4
		}
		r.Quarter = QuarterPeriod(y, q)
	}
	var raw []Table
	for _, f := range Figures {
		for _, p := range []Period{covers, r.LastYear} {
			t, err := st.Breakdown(ctx, f, DimMonth, p, StatsFilter{})
			if err != nil {
				return nil, err
			}
			raw = append(raw, t)
		}
	}
	trends, err := TrendTables(ctx, st, covers.To, StatsFilter{})
	if err != nil {
		return nil, err
	}
	raw = append(raw, trends...)
	var copied []Table
	var copiedTruth []Table
	for _, e := range in.Earlier {
		if e.Quarter == r.Quarter && e.QuarterFrom != "" {
			r.QuarterFrom, r.Waiting = e.QuarterFrom, e.Waiting
			for i, t := range e.Tables {
				if e.IsBreakdown(t) {
					copied = append(copied, t)
					if i < len(e.Truth) {
						copiedTruth = append(copiedTruth, e.Truth[i])
					}
				}
			}
			break
		}
	}
	var dec NRMDecisions
	if r.QuarterFrom == "" {
		r.QuarterFrom = r.Name
		for _, f := range Figures {
			for _, d := range f.Dimensions() {
				if d == DimMonth {
					continue
				}
				t, err := st.Breakdown(ctx, f, d, r.Quarter, StatsFilter{})
				if err != nil {
					return nil, err
				}
				raw = append(raw, t)
			}
		}
		if dec, err = st.Decisions(ctx, r.Quarter, StatsFilter{}); err != nil {
			return nil, err
		}
		raw = append(raw, dec.Tables(r.Quarter)...)
	}
	bounds, err := knownBounds(ctx, st, in.Earlier)
	if err != nil {
		return nil, err
	}
	pub := SuppressKnown(raw, in.Threshold, Known{Bounds: bounds, Earlier: earlierCounts(in.Earlier)})
	MarkNoData(pub, raw)
	for i := range pub {
		pub[i].hideCounts()
	}
	r.Tables = append(pub, copied...)
	r.Truth = append(raw, copiedTruth...)
	if r.QuarterFrom == r.Name {
		r.Waiting = ReleaseWaiting{
			RGMedian: WaitingTime(dec.RGMedianDays, dec.RGDecided(), in.Threshold),
			RGP90:    WaitingTime(dec.RGP90Days, dec.RGDecided(), in.Threshold),
			CGMedian: WaitingTime(dec.CGMedianDays, dec.CGDecided(), in.Threshold),
			CGP90:    WaitingTime(dec.CGP90Days, dec.CGDecided(), in.Threshold),
		}
	}
	for _, f := range Figures {
		now, then := r.Table(f, DimMonth, covers), r.Table(f, DimMonth, r.LastYear)
		r.Headlines = append(r.Headlines, ReleaseHeadline{Figure: f, Sentence: releaseSentence(f, covers, now, then, in.Threshold),
			ThisYear: now.Total.Published, LastYear: then.Total.Published})
	}
	if n := len(in.Earlier); n > 0 {
		r.Revisions = Revisions(in.Earlier[n-1], r)
	}
	return r, nil
}

// hideCounts zeroes the counts a reader is not shown.
func (t *Table) hideCounts() {
	for j := range t.Cells {
		if t.Withheld || t.Cells[j].Suppress != NotSuppressed {
			t.Cells[j].Count = 0
		}
	}
	if t.Total.Suppress != NotSuppressed || t.NoTotal {
		t.Total.Count = 0
	}
}

// Table is the release's table of a figure by a dimension over a period (an empty
// table when there is none).
func (r *Release) Table(f Figure, d Dimension, p Period) Table {
	for _, t := range r.Tables {
		if t.Figure == f && t.Dimension == d && t.Period == p {
			return t
		}
	}
	return Table{Figure: f, Dimension: d, Period: p}
}

// releaseSentence says a figure so far this year against last year, unless
// disclosure control hid either count: "18 offences recorded so far this year (to
// 31 July), against 7 in the same period last year."
func releaseSentence(f Figure, p Period, now, then Table, threshold int) string {
	if now.Total.Suppress >= Secondary || then.Total.Suppress >= Secondary {
		return f.Label() + " from " + p.String() + ": not published, as it would let a small count be worked out."
	}
	// The true counts of a published total are shown, or read "fewer than k".
	this, last := now.Total.Count, then.Total.Count
	if now.Total.Suppress == Primary {
		this = 1
	}
	if then.Total.Suppress == Primary {
		last = 1
	}
	s := Headline(f, this, last, threshold)
	return strings.Replace(s, "so far this year", "so far this year (to "+p.To.Format("2 January 2006")+")", 1) + "."
}

// knownBounds is what readers know from earlier releases about the figures' lines
// (totals, months, quarters, years, and every period in between that these give):
// at least what each release allowed. Records are only added to a published period,
// so an earlier release's lower bounds still hold; its upper bounds do not. A bound
// is lowered to the period's present count if that has fallen (a correction), so
// that the bounds always hold.
func knownBounds(ctx context.Context, st StatsService, earlier []*Release) ([]KnownBound, error) {
	var out []KnownBound
	for _, f := range Figures {
		type pub struct {
			p     Period
			bound Range
		}
		var perRelease [][]pub
		var periods []Period
		for _, e := range earlier {
			var ps []pub
			add := func(p Period, text string, withheld bool) {
				r, ok := knownRange(text, e.Threshold, withheld)
				if !ok {
					return
				}
				ps = append(ps, pub{p, r})
				periods = append(periods, p)
			}
			for _, t := range e.Tables {
				if t.Figure != f {
					continue
				}
				cells, timed := timeCells(t)
				if !timed && !(e.IsBreakdown(t) && e.QuarterFrom == e.Name) {
					continue
				}
				if !t.NoTotal {
					add(t.Period, t.Total.Published, false)
				}
				for j, p := range cells {
					add(p, t.Cells[j].Published, t.Withheld)
				}
			}
			perRelease = append(perRelease, ps)
		}
		if len(periods) == 0 {
			continue
		}
		cuts, node := PeriodCuts(periods)
		// The present count of every piece between two cuts, added up as needed.
		prefix := make([]int, len(cuts))
		for i := 1; i < len(cuts); i++ {
			n, err := st.Count(ctx, f, Period{From: cuts[i-1], To: cuts[i].AddDate(0, 0, -1)}, StatsFilter{})
			if err != nil {
				return nil, err
			}
			prefix[i] = prefix[i-1] + n
		}
		n := len(cuts)
		var pairs []lineSpan
		for a := 0; a < n; a++ {
			for b := a + 1; b < n; b++ {
				pairs = append(pairs, lineSpan{a, b})
			}
		}
		// Oldest first: each release's counts are at least the one before's.
		var lower []int
		for _, ps := range perRelease {
			spans := make([]lineSpan, len(ps))
			bounds := make([]Range, len(ps))
			for i, x := range ps {
				spans[i], bounds[i] = lineSpan{node[x.p.From], node[x.p.To.AddDate(0, 0, 1)]}, x.bound
			}
			d, ok := lineMatrix(n, spans, bounds, nil, lower)
			if !ok { // a correction lowered a count: start again from this release
				if d, ok = lineMatrix(n, spans, bounds, nil, nil); !ok {
					continue
				}
			}
			lower = d
		}
		lo := make([]int, len(pairs))
		if lower != nil {
			for j, r := range spanRanges(n, lower, pairs) {
				lo[j] = r.Lo
			}
		}
		for j, sp := range pairs {
			if lo[j] > 0 {
				out = append(out, KnownBound{Figure: f, Period: Period{From: cuts[sp.a], To: cuts[sp.b].AddDate(0, 0, -1)},
					Lo: min(lo[j], prefix[sp.b]-prefix[sp.a])})
			}
		}
	}
	return out, nil
}

// earlierWindow is how many earlier releases a release protects the counts of,
// besides its own (they only narrow as later releases show more).
const earlierWindow = 4

// earlierCounts lists the counts of the figures' lines in the latest earlier
// releases: what each published, and which were protected then.
func earlierCounts(earlier []*Release) []EarlierCount {
	var out []EarlierCount
	for i := max(0, len(earlier)-earlierWindow); i < len(earlier); i++ {
		e := earlier[i]
		add := func(f Figure, p Period, text string, withheld bool, truth int) {
			c := EarlierCount{Figure: f, Period: p, Release: i, Small: truth > 0 && truth < e.Threshold}
			if r, ok := knownRange(text, e.Threshold, withheld); ok {
				c.Published, c.Lo, c.Hi = true, r.Lo, r.Hi
			}
			if c.Published || c.Small {
				out = append(out, c)
			}
		}
		for ti, t := range e.Tables {
			if t.Figure == FigureRGDecisions || t.Figure == FigureCGDecisions || ti >= len(e.Truth) {
				continue
			}
			tt := e.Truth[ti]
			cells, timed := timeCells(t)
			if !timed && !(e.IsBreakdown(t) && e.QuarterFrom == e.Name) {
				continue
			}
			if !t.NoTotal {
				add(t.Figure, t.Period, t.Total.Published, false, tt.Total.Count)
			}
			for j, p := range cells {
				if j < len(tt.Cells) {
					add(t.Figure, p, t.Cells[j].Published, t.Withheld, tt.Cells[j].Count)
				}
			}
		}
	}
	return out
}

// knownRange is what a reader knows of a count from its published text.
func knownRange(text string, k int, withheld bool) (Range, bool) {
	switch text {
	case "":
		return Range{}, false
	case HiddenText:
		if withheld {
			return Range{}, false
		}
		return Range{k, unbounded}, true
	case FewerThan(k):
		return Range{1, k - 1}, true
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return Range{}, false
	}
	return Range{n, n}, true
}

// Revisions lists the counts published by both releases over the same days that
// read differently now (a count hidden in either is not compared).
func Revisions(prev, next *Release) []Revision {
	var out []Revision
	for _, t := range next.Tables {
		cells, timed := timeCells(t)
		if !timed {
			continue
		}
		for _, pt := range prev.Tables {
			if pt.Figure != t.Figure || pt.Dimension != t.Dimension {
				continue
			}
			pcells, ok := timeCells(pt)
			if !ok {
				continue
			}
			for i, p := range cells {
				for j, pp := range pcells {
					was, now := pt.Cells[j].Published, t.Cells[i].Published
					if p == pp && was != now && was != HiddenText && now != HiddenText {
						out = append(out, Revision{Table: t.Title(), Label: t.Cells[i].Label, Was: was, Now: now})
					}
				}
			}
		}
	}
	return out
}

// TrendTables counts the charted figures quarter by quarter (eight quarters) and
// year by year (five years) to a date, the last of each clipped to it. A trend
// publishes no total.
func TrendTables(ctx context.Context, st StatsService, to time.Time, filter StatsFilter) ([]Table, error) {
	var out []Table
	for _, unit := range []Dimension{DimQuarter, DimYear} {
		n := 8
		if unit == DimYear {
			n = 5
		}
		steps := TrendPeriods(unit, to, n)
		span := Period{From: steps[0].Period.From, To: steps[len(steps)-1].Period.To}
		for _, f := range ReleaseChartFigures {
			counts := map[string]int{}
			var order []string
			for _, step := range steps {
				c, err := st.Count(ctx, f, step.Period, filter)
				if err != nil {
					return nil, err
				}
				counts[step.Label] = c
				order = append(order, step.Label)
			}
			t := NewTable(f, unit, span, counts, order)
			t.NoTotal = true // a sum over the trend is not a figure anyone asked for
			t.Total.Published = ""
			out = append(out, t)
		}
	}
	return out, nil
}

// ReleaseTitle is "Statistics release 2026-Q3: 1 January 2026 to 30 September 2026".
func (r *Release) Title() string {
	return "Statistics release " + r.Name + ": " + r.Covers.String()
}

// IDString is the release's id in addresses.
func (r *Release) IDString() string { return strconv.FormatInt(r.ID, 10) }

// PublishDueRelease publishes the release of the latest closed period for the
// schedule, unless it is published already (then it returns nil, nil).
func PublishDueRelease(ctx context.Context, st StatsService, rs ReleaseStore, actor Actor, sched ReleaseSchedule, threshold int, now time.Time) (*Release, error) {
	name, closed := sched.ClosedPeriod(now.In(st.Zone()))
	return PublishRelease(ctx, st, rs, actor, name, closed, threshold, now, true)
}

// PublishRelease builds and stores the release closing a period; when quiet, an
// existing release of that name is no error (nil, nil).
func PublishRelease(ctx context.Context, st StatsService, rs ReleaseStore, actor Actor, name string, closed Period, threshold int, now time.Time, quiet bool) (*Release, error) {
	if err := MayPublishRelease(actor); err != nil {
		return nil, err
	}
	if !closed.To.Before(dateOf(now.In(st.Zone()))) {
		return nil, Errorf(EINVALID, "%s has not ended yet: a release covers closed periods only.", name)
	}
	list, err := rs.FindReleases(ctx)
	if err != nil {
		return nil, err
	}
	if len(list) > 0 && !list[0].Covers.To.Before(closed.To) && list[0].Name != name {
		return nil, Errorf(EINVALID, "Release %s covers to %s already: releases go forward in time.", list[0].Name, list[0].Covers.To.Format("2 January 2006"))
	}
	var earlier []*Release
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Name == name {
			if quiet {
				return nil, nil
			}
			return nil, Errorf(ECONFLICT, "Release %s is published already; releases are never changed.", name)
		}
		earlier = append(earlier, list[i])
	}
	r, err := BuildRelease(ctx, st, ReleaseInput{Name: name, Closed: closed, Threshold: threshold, Now: now, Earlier: earlier})
	if err != nil {
		return nil, fmt.Errorf("build release %s: %w", name, err)
	}
	return rs.PublishRelease(ctx, actor, r)
}

// PeriodCuts lists, in order, the days the periods start on and the days after
// they end, and numbers them: the pieces of time between consecutive cuts are what
// every period is a run of.
func PeriodCuts(periods []Period) ([]time.Time, map[time.Time]int) {
	node := map[time.Time]int{}
	var cuts []time.Time
	for _, p := range periods {
		for _, c := range []time.Time{p.From, p.To.AddDate(0, 0, 1)} {
			if _, ok := node[c]; !ok {
				node[c] = 0
				cuts = append(cuts, c)
			}
		}
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].Before(cuts[j]) })
	for i, c := range cuts {
		node[c] = i
	}
	return cuts, node
}

// CellPeriods is the period each cell of a table by month, quarter or year covers
// (clipped to the table's period); ok is false for a breakdown not by time.
func (t Table) CellPeriods() ([]Period, bool) { return timeCells(t) }

// NoDataText is how a period before the records began reads: 0 would say that
// nothing happened.
const NoDataText = "no data"

// MarkNoData marks the cells by month, quarter or year that end before the first
// day any of the tables counts anything "no data". truth holds the exact counts of
// pub (the same tables, in the same order; pub itself for exact tables).
func MarkNoData(pub, truth []Table) {
	var first time.Time
	for _, t := range truth {
		cells, ok := timeCells(t)
		for j, p := range cells {
			if ok && j < len(t.Cells) && t.Cells[j].Count > 0 && (first.IsZero() || p.From.Before(first)) {
				first = p.From
			}
		}
	}
	for i := range pub {
		cells, ok := timeCells(pub[i])
		for j, p := range cells {
			if ok && (first.IsZero() || p.To.Before(first)) && pub[i].Cells[j].Published == "0" {
				pub[i].Cells[j].Published = NoDataText
			}
		}
	}
}
