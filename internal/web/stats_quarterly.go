package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"tropic/internal/tropic"
)

// The quarterly report for the steering group and the Police and Crime
// Commissioner: the quarter against the same quarter a year earlier and the
// quarter before, the year to the quarter's end against the same days a year
// earlier, the main tables and the NRM waiting times. Its audience is closed, so
// its counts are exact and it is marked OFFICIAL-SENSITIVE; what the public sees
// are the statistics releases.

// OfficialSensitive is the report's marking and handling instruction.
const officialSensitive = "OFFICIAL-SENSITIVE: exact counts for the steering group and the Police and Crime Commissioner. " +
	"Do not publish or forward them; the public statistics are the partnership's releases, where small numbers are protected."

type quarterlyReport struct {
	Layout
	Quarter, Label string
	Marking        string
	Quarterly      []string // headline sentences: the quarter against a year earlier
	Previous       []string // the quarter against the quarter before
	PreviousLabel  string
	YearToDate     []string // the year to the quarter's end against a year earlier
	YTDPeriod      tropic.Period
	Stats          *statsData
	Main           []quarterlyTable
	Campaigns      []string // each campaign that started in the quarter, and its effect
	Actions        []string // the partnership plan's open actions, overdue first
	// Commentary is what the coordinator wrote for this export (not stored: it goes
	// into the page and the PDF made from the form that holds it).
	Commentary string
}

// CommentaryParagraphs splits the commentary at its line breaks, for the page.
func (rep *quarterlyReport) CommentaryParagraphs() []string {
	var out []string
	for _, p := range strings.Split(rep.Commentary, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// quarterlyTable is a table of the report with its bars: each row's count as a
// share (0 to 100) of the table's largest.
type quarterlyTable struct {
	statsTable
	Bars []int
}

func withBars(t statsTable) quarterlyTable {
	qt := quarterlyTable{statsTable: t, Bars: make([]int, len(t.Cells))}
	top := 0
	for _, c := range t.Cells {
		top = max(top, c.Count)
	}
	for i, c := range t.Cells {
		if top > 0 {
			qt.Bars[i] = c.Count * 100 / top
		}
	}
	return qt
}

// mainQuarterlyTables are the tables the report prints.
var mainQuarterlyTables = map[string]bool{
	"reports-district": true, "cases-exploitation": true, "offences-offence": true, "offences-district": true,
	"referrals-exploitation": true, "referrals-age_group": true, "referrals-gender": true, "referrals-nationality": true,
	"referrals-district": true, "referrals-agency": true, "dtn-exploitation": true,
	"rg_decisions-outcome": true, "cg_decisions-outcome": true,
}

// quarterly builds the report for ?quarter=2026-Q3 (default: the last complete
// quarter); a quarter in progress runs to today.
func (s *Server) quarterly(r *http.Request) (*quarterlyReport, int, error) {
	today := s.statsNow()
	year, q := tropic.QuarterOf(today)
	if q--; q == 0 {
		year, q = year-1, 4
	}
	rep := &quarterlyReport{Layout: s.newLayout(r, "Quarterly statistics report")}
	rep.Nav = "statistics"
	rep.PrintOnly = true
	if v := r.FormValue("quarter"); v != "" {
		y, qq, err := tropic.ParseQuarter(v)
		if err != nil {
			return nil, http.StatusBadRequest, err
		}
		year, q = y, qq
	}
	p := tropic.QuarterPeriod(year, q)
	todayDate := tropic.NewPeriod(today, today).To
	if p.From.After(todayDate) {
		return nil, http.StatusBadRequest, tropic.Errorf(tropic.EINVALID, "Choose a quarter that has started.")
	}
	if p.To.After(todayDate) {
		p.To = todayDate
	}
	rep.Quarter, rep.Label = tropic.QuarterName(year, q), tropic.QuarterLabel(year, q)
	rep.Marking = officialSensitive
	ytd := tropic.NewPeriod(p.To.AddDate(0, 0, -p.To.YearDay()+1), p.To)
	rep.YTDPeriod = ytd
	py, pq := year, q-1
	if pq == 0 {
		py, pq = year-1, 4
	}
	prev := tropic.QuarterPeriod(py, pq)
	rep.PreviousLabel = tropic.QuarterLabel(py, pq)
	d, err := s.buildStats(r.Context(), p, tropic.StatsFilter{}, ytd, ytd.SamePeriodLastYear(), prev)
	if err != nil {
		return nil, http.StatusInternalServerError, err
	}
	rep.Stats = d
	for _, h := range d.Headlines {
		rep.Quarterly = append(rep.Quarterly, h.Sentence)
	}
	for _, f := range tropic.Figures {
		now, then := d.Sums[statsSum{f, ytd}], d.Sums[statsSum{f, ytd.SamePeriodLastYear()}]
		rep.YearToDate = append(rep.YearToDate, headlineSentence(f, ytd, false, now, then, 0)+".")
		before := d.Sums[statsSum{f, prev}].Total.Count
		for _, t := range d.Tables {
			if t.ID == string(f)+"-month" {
				rep.Previous = append(rep.Previous, quarterOnQuarter(f, t.Total.Count, before, rep.PreviousLabel))
			}
		}
	}
	if rep.Campaigns, err = s.quarterCampaigns(r, p); err != nil {
		return nil, http.StatusInternalServerError, err
	}
	if rep.Actions, err = s.openPlanActions(r, todayDate); err != nil {
		return nil, http.StatusInternalServerError, err
	}
	for _, t := range d.Tables {
		if mainQuarterlyTables[t.ID] {
			rep.Main = append(rep.Main, withBars(t))
		}
	}
	return rep, http.StatusOK, nil
}

// quarterCampaigns says, for each campaign that started in the quarter, how reports
// moved in the weeks from its start, as the campaign's effect page does; nothing
// for a reader who may not see campaigns' effect.
func (s *Server) quarterCampaigns(r *http.Request, p tropic.Period) ([]string, error) {
	actor := actorOf(r)
	if s.deps.Campaigns == nil || !tropic.CanManageCampaigns(actor) {
		return nil, nil
	}
	all, err := s.deps.Campaigns.FindCampaigns(r.Context())
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range all {
		if c.Start().Before(p.From) || c.Start().After(p.To) {
			continue
		}
		eff, err := s.deps.Campaigns.CampaignEffect(r.Context(), actor, c, c.Start(), c.Start(), effectWeeks)
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s (from %s): %d reports in the %d weeks from its start, against %d in the %d weeks before (%s) and %d in the same weeks last year (%s); %d said they heard of the service through it.",
			c.Name, c.Start().Format("2 January 2006"), eff.After, eff.WindowWeeks, eff.Before, eff.WindowWeeks, changeWords(eff.Before, eff.After),
			eff.LastYear, changeWords(eff.LastYear, eff.After), eff.Attributed))
	}
	return out, nil
}

// openPlanActions lists the partnership plan's unfinished actions as of today, the
// overdue first, each with its objective, owner, due date and status.
func (s *Server) openPlanActions(r *http.Request, today time.Time) ([]string, error) {
	if s.deps.Plan == nil {
		return nil, nil
	}
	objectives, err := s.deps.Plan.FindPlan(r.Context(), actorOf(r))
	if err != nil {
		return nil, err
	}
	day := today.Format(time.DateOnly)
	var overdue, due []string
	for _, o := range objectives {
		for _, a := range o.Actions {
			if a.Status.Finished() {
				continue
			}
			line := fmt.Sprintf("%s (%s): %s, due %s, %s", a.Text, o.Title, a.Owner, caseDate(a.Due), strings.ToLower(a.Status.Label()))
			if a.Overdue(day) {
				overdue = append(overdue, "Overdue: "+line+".")
			} else {
				due = append(due, line+".")
			}
		}
	}
	return append(overdue, due...), nil
}

// quarterOnQuarter says a figure's quarter against the quarter before: "12 NRM
// referrals made this quarter, against 9 in April to June 2026".
func quarterOnQuarter(f tropic.Figure, now, before int, label string) string {
	s := tropic.Headline(f, now, before, 0)
	s = strings.Replace(s, "so far this year", "this quarter", 1)
	s = strings.Replace(s, "in the same period last year", "in "+label, 1)
	return strings.Replace(s, "as in the same period last year", "as in "+label, 1) + "."
}

func (s *Server) quarterlyFail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if status == http.StatusBadRequest {
		s.renderError(w, r, status, "There is no report for that quarter", tropic.ErrorMessage(err)+" Choose a quarter on the statistics page.")
		return
	}
	s.serverError(w, r, err)
}

// handleStaffQuarterly shows the report (GET), or shows it with the commentary the
// coordinator typed (POST); with pdf, it sends the report as a PDF instead. A
// commentary that is too long shows the page again with the error and what was typed.
func (s *Server) handleStaffQuarterly(pdf bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && !s.parseForm(w, r) {
			return
		}
		rep, status, err := s.quarterly(r)
		if err != nil {
			s.quarterlyFail(w, r, status, err)
			return
		}
		if r.Method == http.MethodPost {
			rep.Commentary, err = tropic.CheckCommentary(r.PostForm.Get("commentary"))
			if err != nil {
				rep.Errors = fieldErrors(err, "", "commentary")
				s.render(w, r, http.StatusUnprocessableEntity, "statistics_quarterly", rep)
				return
			}
		}
		if !pdf {
			s.render(w, r, http.StatusOK, "statistics_quarterly", rep)
			return
		}
		b, err := quarterlyPDF(rep)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="statistics-`+rep.Quarter+`.pdf"`)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	})
}

// quarterlyPDF writes the report as an A4 PDF, uncompressed so that its text stays
// searchable.
func quarterlyPDF(rep *quarterlyReport) ([]byte, error) {
	title := "Modern slavery statistics: " + rep.Label
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(title, true)
	pdf.SetCreator("Tropic, "+rep.Partnership, true)
	pdf.SetCompression(false)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("OFFICIAL-SENSITIVE. %s. Quarterly report %s. Page %d", rep.Partnership, rep.Quarter, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	heading := func(text string) {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.MultiCell(0, 7, tr(text), "B", "L", false)
		pdf.Ln(1)
		pdf.SetFont("Helvetica", "", 10)
	}
	bullets := func(lines []string) {
		for _, l := range lines {
			pdf.MultiCell(0, 5, tr("- "+l), "", "L", false)
		}
	}
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.MultiCell(0, 8, tr(title), "", "L", false)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 5, tr(rep.Partnership+", for the steering group and the Police and Crime Commissioner. "+
		rep.Stats.Period.String()+", against "+rep.Stats.LastYear.String()+"."), "", "L", false)
	pdf.SetFont("Helvetica", "B", 10)
	pdf.MultiCell(0, 5, tr(rep.Marking), "1", "L", false)
	pdf.SetFont("Helvetica", "", 10)
	if rep.Commentary != "" {
		heading("Commentary")
		pdf.MultiCell(0, 5, tr(rep.Commentary), "", "L", false)
	}
	heading("The quarter against the same quarter a year earlier")
	bullets(rep.Quarterly)
	heading("The quarter against the quarter before (" + rep.PreviousLabel + ")")
	bullets(rep.Previous)
	heading("The year to date against the same period last year (" + rep.YTDPeriod.String() + ")")
	bullets(rep.YearToDate)
	if len(rep.Campaigns) > 0 {
		heading("Campaigns this quarter")
		bullets(rep.Campaigns)
	}
	heading("Open actions of the partnership plan")
	if len(rep.Actions) == 0 {
		bullets([]string{"None."})
	}
	bullets(rep.Actions)
	heading("NRM decisions and waiting times (calendar days)")
	d := rep.Stats.Decisions
	bullets([]string{
		"Reasonable Grounds decisions: " + d.RGDecided + "; median wait " + d.RGMedian + ", 90th percentile " + d.RGP90,
		"Conclusive Grounds decisions: " + d.CGDecided + "; median wait " + d.CGMedian + ", 90th percentile " + d.CGP90,
	})
	_, pageH := pdf.GetPageSize()
	for _, t := range rep.Main {
		// A table is not split, nor its heading left alone at the foot of a page.
		if need := float64(len(t.Cells)+1)*5 + 12; pdf.GetY()+need > pageH-18 && need < pageH-36 {
			pdf.AddPage()
		}
		heading(t.Title)
		pdf.SetFillColor(0x1d, 0x70, 0xb8)
		for i, c := range t.Cells {
			x, y := pdf.GetXY()
			pdf.CellFormat(80, 5, tr(c.Label), "", 0, "L", false, 0, "")
			if w := float64(t.Bars[i]) * 0.6; w > 0 { // a bar of up to 60 mm beside the label
				pdf.Rect(x+82, y+1, w, 3, "F")
			}
			pdf.SetX(x + 144)
			pdf.CellFormat(0, 5, tr(c.Published), "", 1, "R", false, 0, "")
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(144, 5, "Total", "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, tr(t.Total.Published), "", 1, "R", false, 0, "")
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write quarterly pdf: %w", err)
	}
	return buf.Bytes(), nil
}
