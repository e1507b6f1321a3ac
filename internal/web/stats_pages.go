package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The published statistics (DESIGN.md §4 rule 5): the public dashboard and its
// downloads show counts under disclosure control; the analysts' page shows exact
// counts, with filters.

// chartFigures are the figures drawn as month-by-month charts.
var chartFigures = tropic.ReleaseChartFigures

// statsTable is a published table with the name it is downloaded by.
type statsTable struct {
	ID    string
	Title string
	tropic.Table
}

type statsHeadline struct {
	Figure             tropic.Figure
	Sentence           string
	ThisYear, LastYear string
}

type statsChart struct {
	ID    string
	Title string
	Desc  string
	SVG   template.HTML
	Rows  []statsChartRow
}

type statsChartRow struct{ Month, ThisYear, LastYear string }

// statsData is everything the dashboard shows.
type statsData struct {
	Period, LastYear tropic.Period
	Threshold        int // 0: exact counts
	Rule             string
	Headlines        []statsHeadline
	Charts           []statsChart
	Tables           []statsTable
	Trends           []statsTrend
	Decisions        statsDecisions
	MaxAge           time.Duration
	YTD              bool // the period is the year to date: headlines read "so far this year"
	// Sums are the counts of further periods that sentences give (the quarterly
	// report's year to date), by figure and period, under the same control.
	Sums map[statsSum]tropic.Table
	// Release is the release shown (public pages); nil on staff pages.
	Release *releaseInfo
	// NoRelease: the public page, before any release is published.
	NoRelease bool
}

type statsSum struct {
	Figure tropic.Figure
	Period tropic.Period
}

// headlineSentence says a figure over p against a year earlier, unless disclosure
// control hid either count.
func headlineSentence(f tropic.Figure, p tropic.Period, ytd bool, now, then tropic.Table, threshold int) string {
	if now.Total.Suppress >= tropic.Secondary || then.Total.Suppress >= tropic.Secondary {
		return f.Label() + " from " + p.String() + ": not published, as it would let a small count be worked out"
	}
	return tropic.HeadlineFor(f, p, ytd, now.Total.Count, then.Total.Count, threshold)
}

// statsTrend is a figure quarter by quarter or year by year: a chart and its table.
type statsTrend struct {
	Chart statsChart
	statsTable
}

// statsDecisions are the NRM waiting times as published.
type statsDecisions struct {
	RGDecided, CGDecided string
	RGMedian, RGP90      string
	CGMedian, CGP90      string
	RGTable, CGTable     statsTable
}

// MaxAgeText is how stale the figures may be, in words.
func (d *statsData) MaxAgeText() string {
	switch m := int(d.MaxAge.Minutes()); {
	case d.MaxAge <= 0:
		return ""
	case m <= 1:
		return "1 minute"
	default:
		return strconv.Itoa(m) + " minutes"
	}
}

// buildStats computes the staff dashboard, exact counts, for a period against the
// same period a year earlier, and each figure's count over the further periods sums
// names. The public figures are releases (stats_releases.go).
func (s *Server) buildStats(ctx context.Context, p tropic.Period, filter tropic.StatsFilter, sums ...tropic.Period) (*statsData, error) {
	st := s.deps.Stats
	last := p.SamePeriodLastYear()
	d := &statsData{Period: p, LastYear: last, MaxAge: st.MaxAge(), YTD: p == tropic.YearToDate(s.statsNow())}
	var raw []tropic.Table
	for _, f := range tropic.Figures {
		for _, dim := range f.Dimensions() {
			t, err := st.Breakdown(ctx, f, dim, p, filter)
			if err != nil {
				return nil, err
			}
			raw = append(raw, t)
		}
		// Last year by month: the chart's comparison, and the headline's other count.
		t, err := st.Breakdown(ctx, f, tropic.DimMonth, last, filter)
		if err != nil {
			return nil, err
		}
		raw = append(raw, t)
	}
	trends, err := tropic.TrendTables(ctx, st, p.To, filter)
	if err != nil {
		return nil, err
	}
	for _, f := range tropic.Figures {
		for _, sp := range sums {
			n, err := st.Count(ctx, f, sp, filter)
			if err != nil {
				return nil, err
			}
			// A count on its own, published only in a sentence.
			trends = append(trends, tropic.Table{Figure: f, Period: sp, Total: tropic.Cell{Label: "Total", Count: n, Published: strconv.Itoa(n)}})
		}
	}
	// Published, every table of a figure goes through disclosure control at once:
	// months, quarters and years are sums of the same days.
	pub := append(raw, trends...)
	tropic.MarkNoData(pub, pub)
	pub, trends = pub[:len(raw)], pub[len(raw):]
	d.Sums = map[statsSum]tropic.Table{}
	for _, t := range trends {
		if len(t.Cells) == 0 {
			d.Sums[statsSum{t.Figure, t.Period}] = t
			continue
		}
		st := statsTable{ID: t.ID(), Title: t.Figure.Label() + " by " + strings.ToLower(t.Dimension.Label()), Table: t}
		d.Trends = append(d.Trends, statsTrend{Chart: trendChart(st), statsTable: st})
	}
	byID := map[string]tropic.Table{}
	for _, t := range pub {
		id := t.ID()
		title := t.Title()
		if t.Period == last {
			id += "-last-year"
			title += ", same period last year"
		}
		byID[id] = t
		d.Tables = append(d.Tables, statsTable{ID: id, Title: title, Table: t})
	}
	for _, f := range tropic.Figures {
		now, then := byID[string(f)+"-month"], byID[string(f)+"-month-last-year"]
		sentence := headlineSentence(f, p, d.YTD, now, then, 0)
		h := statsHeadline{Figure: f, Sentence: sentence + ".",
			ThisYear: now.Total.Published, LastYear: then.Total.Published}
		d.Headlines = append(d.Headlines, h)
	}
	for _, f := range chartFigures {
		now, then := byID[string(f)+"-month"], byID[string(f)+"-month-last-year"]
		d.Charts = append(d.Charts, monthChart(f, now, then, p, last))
	}
	if err := s.addDecisions(ctx, d, filter); err != nil {
		return nil, err
	}
	return d, nil
}

// addDecisions adds the NRM decisions made in the period, by outcome, and the
// waiting times. Published, the counts go through disclosure control and a median
// or 90th percentile is shown only when at least threshold decisions are behind it.
func (s *Server) addDecisions(ctx context.Context, d *statsData, filter tropic.StatsFilter) error {
	dec, err := s.deps.Stats.Decisions(ctx, d.Period, filter)
	if err != nil {
		return err
	}
	tables := dec.Tables(d.Period)
	var out []statsTable
	for _, t := range tables {
		st := statsTable{ID: t.ID(), Title: t.Title(), Table: t}
		out = append(out, st)
		d.Tables = append(d.Tables, st)
	}
	d.Decisions = statsDecisions{
		RGDecided: tables[0].Total.Published, CGDecided: tables[1].Total.Published,
		RGMedian: tropic.WaitingTime(dec.RGMedianDays, dec.RGDecided(), d.Threshold),
		RGP90:    tropic.WaitingTime(dec.RGP90Days, dec.RGDecided(), d.Threshold),
		CGMedian: tropic.WaitingTime(dec.CGMedianDays, dec.CGDecided(), d.Threshold),
		CGP90:    tropic.WaitingTime(dec.CGP90Days, dec.CGDecided(), d.Threshold),
		RGTable:  out[0], CGTable: out[1],
	}
	return nil
}

// trendChart draws a trend as bars, with a text alternative; the data table goes
// beneath it. A withheld trend draws no bars.
func trendChart(t statsTable) statsChart {
	c := statsChart{ID: "chart-" + t.ID, Title: t.Title}
	var desc []string
	maxV := 1
	for _, cell := range t.Cells {
		desc = append(desc, cell.Label+": "+cell.Published)
		if cell.Suppress == tropic.NotSuppressed && cell.Count > maxV {
			maxV = cell.Count
		}
	}
	c.Desc = "Bar chart. " + strings.Join(desc, "; ") + ". The same figures are in the table below."
	drawn := 0
	for _, cell := range t.Cells {
		if !t.Withheld && cell.Suppress == tropic.NotSuppressed && cell.Count > 0 {
			drawn++
		}
	}
	switch {
	case t.Withheld:
		c.Desc = "No chart: these counts would let a small count be worked out, so they are hidden."
		return c
	case drawn == 0:
		c.Desc = noChart("count", t.Threshold)
		return c
	}
	const w, h, left, bottom, top = 480, 260, 50, 46, 14
	plotH := h - bottom - top
	n := len(t.Cells)
	slot := float64(w-left-10) / float64(max(n, 1))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="app-chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-title %s-desc" xmlns="http://www.w3.org/2000/svg">`, w, h, c.ID, c.ID)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, c.ID, template.HTMLEscapeString(c.Title), c.ID, template.HTMLEscapeString(c.Desc))
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#0b0c0c"/>`, left, h-bottom, w-10, h-bottom)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="17" text-anchor="end" fill="#0b0c0c">%d</text>`, left-4, top+14, maxV)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="17" text-anchor="end" fill="#0b0c0c">0</text>`, left-4, h-bottom)
	for i, cell := range t.Cells {
		x := float64(left) + slot*float64(i) + slot*0.15
		if !t.Withheld && cell.Suppress == tropic.NotSuppressed && cell.Count > 0 {
			bh := float64(plotH) * float64(cell.Count) / float64(maxV)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#1d70b8"/>`, x, float64(h-bottom)-bh, slot*0.7, bh)
		}
		// "2025-Q1" on two lines ("Q1", "2025"), so that eight fit on a phone.
		label, _, _ := strings.Cut(cell.Label, " (")
		year, q, quarter := strings.Cut(label, "-")
		cx := x + slot*0.35
		if quarter {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="17" text-anchor="middle" fill="#0b0c0c"><tspan x="%.1f">%s</tspan><tspan x="%.1f" dy="18">%s</tspan></text>`,
				cx, h-bottom+20, cx, template.HTMLEscapeString(q), cx, template.HTMLEscapeString(year))
			continue
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="17" text-anchor="middle" fill="#0b0c0c">%s</text>`, cx, h-bottom+20, template.HTMLEscapeString(label))
	}
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String()) // built here from escaped text and numbers only
	return c
}

// monthChart draws months this year against last year as grouped bars, with the
// data as a table beneath. Withheld counts are not drawn; the table says why.
func monthChart(f tropic.Figure, now, then tropic.Table, p, last tropic.Period) statsChart {
	c := statsChart{ID: "chart-" + string(f), Title: f.Label() + " by month, this year and last year"}
	n := len(now.Cells)
	maxV := 1
	for i := 0; i < n; i++ {
		c.Rows = append(c.Rows, statsChartRow{Month: strings.Fields(now.Cells[i].Label)[0], ThisYear: now.Cells[i].Published})
		if i < len(then.Cells) {
			c.Rows[i].LastYear = then.Cells[i].Published
		}
		for _, cell := range []tropic.Cell{now.Cells[i], cellAt(then, i)} {
			if _, err := strconv.Atoi(cell.Published); err == nil && cell.Count > maxV {
				maxV = cell.Count
			}
		}
	}
	var desc []string
	drawn := 0
	for i, r := range c.Rows {
		desc = append(desc, fmt.Sprintf("%s: %s this year, %s last year", r.Month, r.ThisYear, r.LastYear))
		for _, cell := range []tropic.Cell{now.Cells[i], cellAt(then, i)} {
			if _, err := strconv.Atoi(cell.Published); err == nil && cell.Count > 0 {
				drawn++
			}
		}
	}
	c.Desc = "Bar chart. " + strings.Join(desc, "; ") + ". The same figures are in the table below."
	if drawn == 0 {
		c.Desc = noChart("month", now.Threshold)
		return c
	}
	const w, h, left, bottom, top = 480, 270, 40, 36, 24
	plotH := h - bottom - top
	slot := float64(w-left-10) / float64(max(n, 1))
	bar := slot * 0.35
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="app-chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-title %s-desc" xmlns="http://www.w3.org/2000/svg">`, w, h, c.ID, c.ID)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, c.ID, template.HTMLEscapeString(c.Title), c.ID, template.HTMLEscapeString(c.Desc))
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#0b0c0c"/>`, left, h-bottom, w-10, h-bottom)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="17" text-anchor="end" fill="#0b0c0c">%d</text>`, left-4, top+14, maxV)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="17" text-anchor="end" fill="#0b0c0c">0</text>`, left-4, h-bottom)
	for i := 0; i < n; i++ {
		x := float64(left) + slot*float64(i) + slot*0.12
		for j, cell := range []tropic.Cell{now.Cells[i], cellAt(then, i)} {
			if _, err := strconv.Atoi(cell.Published); err != nil || cell.Count == 0 {
				continue
			}
			bh := float64(plotH) * float64(cell.Count) / float64(maxV)
			fill := "#1d70b8"
			if j == 1 {
				fill = "#505a5f"
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x+float64(j)*bar, float64(h-bottom)-bh, bar, bh, fill)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="17" text-anchor="middle" fill="#0b0c0c">%s</text>`, x+bar, h-bottom+22, template.HTMLEscapeString(c.Rows[i].Month[:3]))
	}
	fmt.Fprintf(&b, `<rect x="%d" y="4" width="14" height="14" fill="#1d70b8"/><text x="%d" y="17" font-size="17" fill="#0b0c0c">%d</text>`, w-180, w-160, p.From.Year())
	fmt.Fprintf(&b, `<rect x="%d" y="4" width="14" height="14" fill="#505a5f"/><text x="%d" y="17" font-size="17" fill="#0b0c0c">%d</text>`, w-90, w-70, last.From.Year())
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String()) // built here from escaped text and numbers only
	return c
}

// noChart says why there is no chart: nothing to draw but zeros (and, published,
// small or hidden counts), which a chart of empty axes would only hide.
func noChart(what string, threshold int) string {
	if threshold <= 0 {
		return "No chart: every " + what + " here is 0 or has no data, as the table below shows."
	}
	return "No chart: every " + what + " here is 0, " + tropic.FewerThan(threshold) + ", hidden or has no data, as the table below shows."
}

func cellAt(t tropic.Table, i int) tropic.Cell {
	if i < len(t.Cells) {
		return t.Cells[i]
	}
	return tropic.Cell{Published: "0"}
}

type statsPage struct {
	Layout
	*statsData
	Staff     bool
	Base      string // "/statistics" or "/staff/statistics"
	Query     string // the filters, for download links
	From, To  string
	District  string
	AgencyID  string
	Exploit   string
	Districts []tropic.District
	Agencies  []*tropic.Agency
	Exploits  []tropic.ExploitationType
}

// now is the partnership's today.
func (s *Server) statsNow() time.Time {
	return s.now().In(s.deps.Stats.Zone())
}

func (s *Server) handlePublicStats() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, ok := s.latestRelease(w, r)
		if !ok {
			return
		}
		if d == nil {
			d = &statsData{NoRelease: true}
		}
		p := &statsPage{Layout: s.newLayout(r, "Modern slavery statistics"), statsData: d, Base: "/statistics"}
		p.publicInEnglish()
		s.render(w, r, http.StatusOK, "statistics", p)
	})
}

// statsFile splits "referrals-district.csv" into the table and the format.
func statsFile(name string) (id, format string, ok bool) {
	for _, f := range []string{"csv", "json", "xlsx"} {
		if id, found := strings.CutSuffix(name, "."+f); found {
			return id, f, true
		}
	}
	return "", "", false
}

func (s *Server) handlePublicStatsDownload() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, ok := s.latestRelease(w, r)
		if !ok {
			return
		}
		if d == nil {
			s.notFound(w, r)
			return
		}
		s.writeStatsFile(w, r, d)
	})
}

func (s *Server) writeStatsFile(w http.ResponseWriter, r *http.Request, d *statsData) {
	id, format, ok := statsFile(r.PathValue("file"))
	if !ok {
		s.notFound(w, r)
		return
	}
	all := append([]statsTable(nil), d.Tables...)
	for _, t := range d.Trends {
		all = append(all, t.statsTable)
	}
	for _, t := range all {
		if t.ID != id {
			continue
		}
		switch format {
		case "json":
			w.Header().Set("Content-Disposition", `attachment; filename="`+id+`.json"`)
			writeJSON(w, http.StatusOK, apiStatsTableFrom(t, d))
			return
		case "xlsx":
			var buf bytes.Buffer
			if err := writeStatsXLSX(&buf, t, d.Rule); err != nil {
				s.serverError(w, r, err)
				return
			}
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Header().Set("Content-Disposition", `attachment; filename="`+id+`.xlsx"`)
			w.Header().Set("Cache-Control", "no-store")
			w.Write(buf.Bytes())
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+id+`.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		cw := csv.NewWriter(w)
		cw.Write([]string{csvCell(t.Title + ", " + t.Period.String())})
		if d.Rule != "" {
			cw.Write([]string{csvCell(d.Rule)})
		}
		cw.Write([]string{csvCell(t.Dimension.Label()), "Count"})
		for _, c := range t.Cells {
			cw.Write([]string{csvCell(c.Label), csvCell(c.Published)})
		}
		if t.Total.Published != "" {
			cw.Write([]string{"Total", csvCell(t.Total.Published)})
		}
		cw.Flush()
		return
	}
	s.notFound(w, r)
}

// The JSON form, for downloads and GET /api/v1/statistics.

type apiStatsCell struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

type apiStatsTable struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	Figure    string         `json:"figure"`
	Dimension string         `json:"dimension"`
	From      string         `json:"from"`
	To        string         `json:"to"`
	Cells     []apiStatsCell `json:"cells"`
	Total     string         `json:"total"`
	Withheld  bool           `json:"withheld"`
	Rule      string         `json:"rule,omitempty"`
}

type apiStatsHeadline struct {
	Figure   string `json:"figure"`
	Sentence string `json:"sentence"`
	ThisYear string `json:"this_year"`
	LastYear string `json:"last_year"`
}

type apiStats struct {
	From          string             `json:"from"`
	To            string             `json:"to"`
	LastYearFrom  string             `json:"last_year_from"`
	LastYearTo    string             `json:"last_year_to"`
	Threshold     int                `json:"threshold"`
	Rule          string             `json:"rule"`
	MaxAgeSeconds int                `json:"max_age_seconds"`
	Headlines     []apiStatsHeadline `json:"headlines"`
	Tables        []apiStatsTable    `json:"tables"`
}

func apiStatsTableFrom(t statsTable, d *statsData) apiStatsTable {
	out := apiStatsTable{ID: t.ID, Title: t.Title, Figure: string(t.Figure), Dimension: string(t.Dimension),
		From: t.Period.From.Format(time.DateOnly), To: t.Period.To.Format(time.DateOnly),
		Total: t.Total.Published, Withheld: t.Withheld, Rule: d.Rule, Cells: []apiStatsCell{}}
	for _, c := range t.Cells {
		out.Cells = append(out.Cells, apiStatsCell{Label: c.Label, Value: c.Published})
	}
	return out
}

func apiStatsOf(d *statsData) apiStats {
	out := apiStats{From: d.Period.From.Format(time.DateOnly), To: d.Period.To.Format(time.DateOnly),
		LastYearFrom: d.LastYear.From.Format(time.DateOnly), LastYearTo: d.LastYear.To.Format(time.DateOnly),
		Threshold: d.Threshold, Rule: d.Rule, MaxAgeSeconds: int(d.MaxAge.Seconds()),
		Headlines: []apiStatsHeadline{}, Tables: []apiStatsTable{}}
	for _, h := range d.Headlines {
		out.Headlines = append(out.Headlines, apiStatsHeadline{Figure: string(h.Figure), Sentence: h.Sentence, ThisYear: h.ThisYear, LastYear: h.LastYear})
	}
	for _, t := range d.Tables {
		out.Tables = append(out.Tables, apiStatsTableFrom(t, d))
	}
	return out
}

// handleAPIStats serves the latest release.
func (s *Server) handleAPIStats() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Releases == nil {
			s.apiFail(w, r, tropic.Errorf(tropic.ENOTFOUND, "No statistics are published here."))
			return
		}
		rel, err := s.deps.Releases.LatestRelease(r.Context())
		if tropic.ErrorCode(err) == tropic.ENOTFOUND {
			err = tropic.Errorf(tropic.ENOTFOUND, "No statistics release has been published yet.")
		}
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiReleaseFullOf(rel, releaseData(rel, true, s.statsZone())))
	})
}

// Staff statistics: analysts only, exact counts, filters.

func canAnalyse(u *tropic.User) bool {
	return u != nil && tropic.MaySeeExactStatistics(tropic.ActorFor(u)) == nil
}

// requireAnalyst answers as a missing page to anyone but analysts (and administrators).
func (s *Server) requireAnalyst(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !canAnalyse(userFrom(r.Context())) || s.deps.Stats == nil {
			s.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// staffStatsRequest reads the filters; bad dates are reported on the page.
func (s *Server) staffStatsRequest(r *http.Request) (*statsPage, tropic.Period, tropic.StatsFilter) {
	p := &statsPage{Layout: s.newLayout(r, "Statistics"), Staff: true, Base: "/staff/statistics"}
	p.Nav = "statistics"
	q := r.URL.Query()
	period := tropic.YearToDate(s.statsNow())
	p.From, p.To = q.Get("from"), q.Get("to")
	parse := func(field, which, v string, into *time.Time) {
		if v == "" {
			return
		}
		d, ok := parseTypedDate(strings.TrimSpace(v))
		if !ok {
			p.Errors = append(p.Errors, FieldError{Field: field, Message: "Enter the " + which + " date as a day, month and year, like 31/1/2026"})
			return
		}
		*into = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	}
	parse("from", "start", p.From, &period.From)
	parse("to", "end", p.To, &period.To)
	if !period.Valid() {
		p.Errors = append(p.Errors, FieldError{Field: "to", Message: "The end date must be on or after the start date"})
		period = tropic.YearToDate(s.statsNow())
	}
	if p.From == "" {
		p.From = period.From.Format(time.DateOnly)
	}
	if p.To == "" {
		p.To = period.To.Format(time.DateOnly)
	}
	var f tropic.StatsFilter
	p.District = q.Get("district")
	f.District = p.District
	p.AgencyID = q.Get("agency")
	if id, err := strconv.ParseInt(p.AgencyID, 10, 64); err == nil {
		f.AgencyID = id
	}
	p.Exploit = q.Get("exploitation")
	if t := tropic.ExploitationType(p.Exploit); t.Valid() {
		f.Exploitation = t
	}
	p.Query = r.URL.RawQuery
	return p, period, f
}

func (s *Server) handleStaffStats() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, period, f := s.staffStatsRequest(r)
		d, err := s.buildStats(r.Context(), period, f)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p.statsData = d
		if s.deps.Reports != nil {
			p.Districts, _ = s.deps.Reports.FindDistricts(r.Context())
		}
		if s.deps.Agencies != nil {
			p.Agencies, _ = s.deps.Agencies.FindAgencies(r.Context())
		}
		p.Exploits = append([]tropic.ExploitationType(nil), tropic.ExploitationTypes...)
		status := http.StatusOK
		if len(p.Errors) > 0 {
			status = http.StatusBadRequest
		}
		s.render(w, r, status, "statistics", p)
	})
}

func (s *Server) handleStaffStatsDownload() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, period, f := s.staffStatsRequest(r)
		d, err := s.buildStats(r.Context(), period, f)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.writeStatsFile(w, r, d)
	})
}
