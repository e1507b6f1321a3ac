package web

import (
	"cmp"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

type triageTimelineEntry struct {
	Title      string
	When       string
	Paragraphs []string
}

// triageForms is what was typed into the report page's forms, kept on a re-render.
type triageForms struct {
	Note          string
	Urgency       string
	UrgencyReason string
	Decision      string
	Reason        string
	DuplicateOf   string
	Agency        string
	CaseTitle     string // the title of a case created from the report
	CaseReference string // the case to add the report to
	// IncludeContact: the reporter's contact details go with a report passed to an agency.
	IncludeContact bool
	// Message to the reporter, and the key that makes the form post once.
	Message, MessageKey string
}

type triageReportPage struct {
	Layout
	Reference      string
	Path           string
	Flash          string // the success message of the action just done
	UrgencyLabel   string
	UrgencyClass   string
	UrgencyReason  string
	Target         string // when triage should decide, for an undecided report
	OverTarget     string // how long past it, "" when it is not
	StatusLabel    string
	StatusClass    string
	Decided        bool
	NewInformation bool
	Returned       string        // "Returned by AGENCY: reason", for a report an agency gave back
	Handoffs       []handoffView // each passing to an agency, oldest first
	WithAgency     string        // the agency that has the report to decide on, "" when none

	ClaimedByMe bool
	ClaimedBy   string // who, when someone else is working on it
	ClaimedAt   string

	Sections  []summarySection
	Timeline  []triageTimelineEntry
	Links     []linkGroup // records matching this report's phones, vehicles, postcode, businesses
	ShowLinks bool
	// MatchingCases (of the user's agency) and MatchingReports are offered as
	// one-click decisions: add to that case, duplicate of that report.
	MatchingCases, MatchingReports []linkChoice

	Form       triageForms
	CanMessage bool // the form to write to the reporter is offered
	Urgencies  []selectOption
	Agencies   []selectOption
}

// handleTriageReport shows one report with its timeline and the triage actions.
func (s *Server) handleTriageReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flash := s.sessions.PopString(r.Context(), sessTriageFlash)
		s.renderTriageReport(w, r, http.StatusOK, triageForms{}, nil, flash)
	})
}

// renderTriageReport loads the report named in the path and renders its page with
// what was typed and any problems. A report the user may not see, or none, is a
// missing page.
func (s *Server) renderTriageReport(w http.ResponseWriter, r *http.Request, status int, form triageForms, errs []FieldError, flash string) {
	ctx := r.Context()
	user := userFrom(ctx)
	rep, err := s.deps.Reports.FindReportByReference(ctx, tropic.ActorFor(user), r.PathValue("ref"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	districts, err := s.deps.Reports.FindDistricts(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	agencies, err := s.deps.Agencies.FindAgencies(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	now := s.now()
	p := &triageReportPage{
		Layout:         s.newLayout(r, "Report "+rep.Reference),
		Reference:      rep.Reference,
		Path:           triageReportPath(rep.Reference),
		Flash:          flash,
		UrgencyLabel:   rep.Urgency.Label(),
		UrgencyClass:   urgencyTag(rep.Urgency),
		UrgencyReason:  rep.UrgencyReason,
		StatusLabel:    rep.Status.Label(),
		StatusClass:    reportStatusTag(rep.Status),
		Decided:        rep.Status != tropic.ReportNew,
		NewInformation: rep.NeedsAttention,
		Form:           form,
	}
	if p.CanMessage = s.deps.Messages != nil; p.Form.MessageKey == "" {
		p.Form.MessageKey = tropic.NewFormKey()
	}
	cal, err := s.triageCalendar(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Returned, p.Handoffs = returnedFlag(rep), s.handoffViews(rep, now, cal)
	if h := rep.LatestHandoff(); h != nil && h.State.Open() && rep.Status == tropic.ReportPassedToAgency {
		p.WithAgency = h.Agency
	}
	if rep.Status == tropic.ReportNew {
		due := tropic.TriageTarget(cal.Triage, rep.Urgency, rep.ReceivedAt.In(partnershipZone), cal.Calendar)
		p.Target = fmt.Sprintf("A decision by %s (%s: %s).", displayDeadline(due, cal.Calendar), strings.ToLower(rep.Urgency.Label()), cal.Triage.For(rep.Urgency).Label())
		p.OverTarget = s.overTarget(rep, now, cal)
	}
	p.Nav = "triage"
	p.Errors = errs
	p.Form.CaseTitle = triageCaseTitle(form.CaseTitle, rep, districts)
	if c := rep.ClaimedBy; c != nil {
		p.ClaimedAt = displayDateTime(rep.ClaimedAt)
		if c.ID == user.ID {
			p.ClaimedByMe = true
		} else {
			p.ClaimedBy = triagePerson(c)
		}
	}
	agencyName := map[int64]string{}
	p.Agencies = []selectOption{{Value: "", Label: "Choose an agency", Selected: form.Agency == ""}}
	for _, a := range agencies {
		agencyName[a.ID] = a.Name
		id := strconv.FormatInt(a.ID, 10)
		p.Agencies = append(p.Agencies, selectOption{Value: id, Label: a.Name, Selected: form.Agency == id})
	}
	for i, u := range tropic.Urgencies {
		id := "urgency"
		if i > 0 {
			id = fmt.Sprintf("urgency-%d", i+1)
		}
		p.Urgencies = append(p.Urgencies, selectOption{ID: id, Value: string(u), Label: u.Label(), Selected: form.Urgency == string(u)})
	}
	p.Sections = triageReportSections(rep, districts, s.howHeardLabels(ctx), agencyName, now, s.locales.LanguageName(rep.FormLanguage))
	p.Timeline = triageReportTimeline(rep)
	var links []tropic.Link
	if p.Links, links, p.ShowLinks, err = s.reportLinks(ctx, tropic.ActorFor(user), rep.Reference, p.ShowTriage); err != nil {
		s.fail(w, r, err)
		return
	}
	p.MatchingCases, p.MatchingReports = reportLinkChoices(links, user.AgencyID)
	s.render(w, r, status, "triage_report", p)
}

// triageReportSections lays the whole report out as summary lists. formLanguage
// names the language of the public form the report was sent in ("" when it came
// another way): the text is shown as the reporter wrote it, untranslated.
func triageReportSections(rep *tropic.Report, districts []tropic.District, howHeard []tropic.HowHeardOption, agencyName map[int64]string, now time.Time, formLanguage string) []summarySection {
	orNot := func(s string) []string {
		if ps := paragraphs(s); len(ps) > 0 {
			return ps
		}
		return []string{"Not given"}
	}
	list := func(items []string) []string {
		if len(items) == 0 {
			return []string{"None given"}
		}
		return items
	}

	exploitation := rep.Exploitation.Label()
	if rep.Exploitation.CountyLines {
		exploitation += " (county lines)"
	}
	var signs []string
	for _, i := range rep.Indicators {
		signs = append(signs, i.Label())
	}
	seen := summarySection{Title: "What was seen", Rows: []summaryRow{
		{"What they saw or heard", orNot(rep.Description)},
		{"Someone in immediate danger", []string{rep.InDanger.Label()}},
		{"Exploitation suspected", []string{exploitation}},
		{"Signs noticed", list(signs)},
	}}

	seenOn := rep.SeenOn
	if d, err := time.Parse(time.DateOnly, rep.SeenOn); err == nil {
		seenOn = d.Format("2 January 2006")
	}
	where := summarySection{Title: "Where and when", Rows: []summaryRow{
		{"Address or description of the place", orNot(rep.Location.Address)},
		{"Postcode", orNot(rep.Location.Postcode)},
		{"District", []string{districtName(rep.Location.District, districts)}},
		{"Date seen", orNot(seenOn)},
		{"When, in their words", orNot(rep.SeenWhen)},
	}}

	count := "Not known"
	if rep.People.Count > 0 {
		count = strconv.Itoa(rep.People.Count)
	}
	var vehicles, phones []string
	for _, v := range rep.Vehicles {
		switch {
		case v.Registration != "" && v.Description != "":
			vehicles = append(vehicles, v.Registration+": "+v.Description)
		case v.Registration != "":
			vehicles = append(vehicles, v.Registration)
		default:
			vehicles = append(vehicles, "No registration: "+v.Description)
		}
	}
	for _, ph := range rep.Phones {
		if ph.E164 != "" && ph.E164 != ph.Number {
			phones = append(phones, fmt.Sprintf("%s (%s)", ph.Number, ph.E164))
		} else {
			phones = append(phones, ph.Number)
		}
	}
	people := summarySection{Title: "People, vehicles, phones and businesses", Rows: []summaryRow{
		{"Number of people", []string{count}},
		{"Children involved", []string{rep.People.ChildrenInvolved.Label()}},
		{"Description of the people", orNot(rep.People.Description)},
		{"Vehicles", list(vehicles)},
		{"Phone numbers (as typed, then in E.164)", list(phones)},
		{"Businesses", list(rep.Businesses)},
	}}

	reporter := []string{"Anonymous"}
	if rep.ContactWithheld {
		reporter = []string{"Contact details not passed on: the triage hub holds them", rep.Reporter.Relationship.Label()}
	} else if !rep.Reporter.Anonymous {
		reporter = nil
		for _, s := range []string{rep.Reporter.Name, rep.Reporter.Contact} {
			if s != "" {
				reporter = append(reporter, s)
			}
		}
		reporter = append(reporter, rep.Reporter.Relationship.Label())
	} else if rep.Reporter.Relationship != "" {
		reporter = append(reporter, rep.Reporter.Relationship.Label())
	}
	about := summarySection{Title: "About the report", Rows: []summaryRow{
		{"Reporter", reporter},
		{"How they heard about the service", []string{cmp.Or(howHeardText(rep.HowHeard, howHeard), "Not given")}},
		{"Channel", []string{rep.Channel.Label()}},
		{"Language to contact them in", orNot(contactLanguageName(rep.Language))},
		{"Received", []string{displayDateTime(rep.ReceivedAt) + " (" + triageAge(now, rep.ReceivedAt) + ")"}},
	}}
	if formLanguage != "" {
		about.Rows = append(about.Rows, summaryRow{"Form used in", []string{formLanguage + ": the reporter's own words above are shown as they wrote them, untranslated"}})
	}
	switch rep.Status {
	case tropic.ReportPassedToAgency:
		about.Rows = append(about.Rows, summaryRow{"Passed to", []string{agencyName[rep.PassedToAgency]}})
	case tropic.ReportDuplicate:
		about.Rows = append(about.Rows, summaryRow{"Duplicate of", []string{rep.DuplicateOf}})
	}
	return []summarySection{seen, where, people, about}
}

// triageReportTimeline lists what happened to the report, oldest first: its notes
// and the messages with the reporter, by time.
func triageReportTimeline(rep *tropic.Report) []triageTimelineEntry {
	type dated struct {
		at time.Time
		e  triageTimelineEntry
	}
	var all []dated
	for _, n := range rep.Notes {
		e := triageTimelineEntry{When: displayDateTime(n.At), Paragraphs: paragraphs(n.Text)}
		switch {
		case n.Source == "reporter":
			e.Title = "The reporter added information"
		case n.User != "" && n.Agency != "":
			e.Title = n.User + ", " + n.Agency
		case n.User != "":
			e.Title = n.User
		default:
			e.Title = "Tropic"
		}
		all = append(all, dated{n.At, e})
	}
	for _, m := range rep.Messages {
		all = append(all, dated{m.At, triageTimelineEntry{Title: messageTitle(m), When: displayDateTime(m.At), Paragraphs: paragraphs(m.Text)}})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	out := []triageTimelineEntry{{Title: "Report received", When: displayDateTime(rep.ReceivedAt),
		Paragraphs: []string{"Through the " + strings.ToLower(rep.Channel.Label()) + "."}}}
	for _, d := range all {
		out = append(out, d.e)
	}
	return out
}
