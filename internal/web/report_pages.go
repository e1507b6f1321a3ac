package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The public report journey: a start page, one form, "Check your answers" and the
// confirmation, with no account, no session and no JavaScript needed. The answers
// live in the pages themselves (hidden fields on "Check your answers"), so a
// validation error, an idle browser or going back never loses what someone typed;
// the form key in the form makes sending twice create one report.

// Reports sent from one client address are limited in memory only (see limiter);
// Config.ReportRateLimit changes the number.
const (
	reportLimit       = 10
	reportLimitWindow = 10 * time.Minute
)

// reportActor is who the audit trail says made a report sent through the public form.
var reportActor = tropic.SystemActor("public form")

func (s *Server) handleReportStart() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &simplePage{Layout: s.newLayout(r, "Report a concern about modern slavery")}
		p.Public = true
		s.render(w, r, http.StatusOK, "report_start", p)
	})
}

// handleReportSelfStart is the start of the route for the person it is happening to:
// 999 and the helpline first, what "victim first" means for them, then four questions.
func (s *Server) handleReportSelfStart() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &simplePage{Layout: s.newLayout(r, "If this is happening to you")}
		p.Public = true
		s.render(w, r, http.StatusOK, "report_self_start", p)
	})
}

// handleReportSelfForm shows the short form of the route for the person it is
// happening to. It is the report form with four questions: the same check, send and
// follow-up pages serve it, and the report says who made it (so it is urgent).
func (s *Server) handleReportSelfForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		districts, err := s.deps.Reports.FindDistricts(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		f := &reportForm{report: &tropic.Report{Reporter: tropic.Reporter{Relationship: tropic.RelationshipSelf}},
			formKey: tropic.NewFormKey(), districts: districts, self: true}
		s.renderReportForm(w, r, http.StatusOK, f)
	})
}

// handleReportForm shows the blank form with a fresh form key. A campaign page links
// here with ?how_heard=campaign:SLUG: when that names a live campaign, its answer is
// chosen already; anything else in the query is ignored.
func (s *Server) handleReportForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		districts, err := s.deps.Reports.FindDistricts(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		f := &reportForm{report: &tropic.Report{}, formKey: tropic.NewFormKey(), districts: districts, addAnother: true}
		f.report.HowHeard = s.liveCampaignHowHeard(r.Context(), r.URL.Query().Get("how_heard"))
		s.render(w, r, http.StatusOK, "report_form", s.newReportFormPage(r.Context(), s.newLayout(r, "Report a concern"), f))
	})
}

// readReport parses and validates a posted report form, answering refusals itself.
// A missing or malformed form key is replaced only where nothing is sent yet.
func (s *Server) readReport(w http.ResponseWriter, r *http.Request) (*reportForm, bool) {
	if !s.parseForm(w, r) {
		return nil, false
	}
	if strings.TrimSpace(r.PostForm.Get(reportHoneypot)) != "" {
		// Bots fill in every field; people never see this one. Nothing is stored, but
		// a person whose browser filled it in can go back to their answers.
		answers := url.Values{}
		for k, v := range r.PostForm {
			if k != reportHoneypot {
				answers[k] = v
			}
		}
		s.renderReportRefusal(w, r, http.StatusBadRequest, "Your report was not sent",
			[]string{"The form came back with something typed in a field that people cannot see and should leave empty. Automated programs that send spam do this, so your report has not been sent.",
				"If you are a person, go back to your answers and send them again. If that does not work, call the Modern Slavery Helpline on 08000 121 700, free and open 24 hours, and tell them what you saw."}, answers)
		return nil, false
	}
	f, err := s.readReportForm(r.Context(), r.PostForm)
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	return f, true
}

func (s *Server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, f *reportForm) {
	if !tropic.ValidFormKey(f.formKey) {
		f.formKey = tropic.NewFormKey()
	}
	if f.self {
		p := s.newReportFormPage(r.Context(), s.newLayout(r, "Tell us what is happening"), f)
		selfFormWords(p)
		s.render(w, r, status, "report_self_form", p)
		return
	}
	f.addAnother = true
	s.render(w, r, status, "report_form", s.newReportFormPage(r.Context(), s.newLayout(r, "Report a concern"), f))
}

// handleReportCheck checks the answers and shows them to be checked, or the form
// again with its errors.
func (s *Server) handleReportCheck() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.readReport(w, r)
		if !ok {
			return
		}
		if f.errors != nil {
			s.renderReportForm(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		if !tropic.ValidFormKey(f.formKey) {
			f.formKey = tropic.NewFormKey()
		}
		s.renderReportCheck(w, r, http.StatusOK, f, nil)
	})
}

// handleReportEdit shows the form filled in with the answers from "Check your answers".
func (s *Server) handleReportEdit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.readReport(w, r)
		if !ok {
			return
		}
		status := http.StatusOK
		switch {
		case r.PostForm.Get("add") != "":
			// "Add another": one more row, and no errors yet: the answers are checked
			// when the person continues.
			f.errors = nil
		case f.errors != nil:
			status = http.StatusUnprocessableEntity
		}
		s.renderReportForm(w, r, status, f)
	})
}

// handleReportSubmit stores the report, once per form key, and shows the reference
// and follow-up code. The report is committed before the page is written. The same
// form sent again shows the same page; sent again with changed answers, it says
// plainly that the report was sent before and that the changes were added to it.
func (s *Server) handleReportSubmit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.readReport(w, r)
		if !ok {
			return
		}
		if f.errors != nil {
			s.renderReportForm(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		if !tropic.ValidFormKey(f.formKey) {
			f.formKey = tropic.NewFormKey()
			s.renderReportCheck(w, r, http.StatusUnprocessableEntity, f, []FieldError{{Message: "This form has expired, so your report has not been sent yet. Your answers are below: check them and select \"Send report\" again."}})
			return
		}
		addr := s.clientAddr(r)
		if blocked, wait := s.reportLimiter.Blocked(addr); blocked && s.cfg.ReportRateLimit > 0 {
			minutes := waitMinutes(wait)
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			s.renderReportRefusal(w, r, http.StatusTooManyRequests, "Your report has not been sent yet",
				[]string{fmt.Sprintf("To stop misuse, this service takes up to %d reports in %d minutes from one internet connection, and that many have been sent from yours.", s.cfg.ReportRateLimit, int(reportLimitWindow.Minutes())),
					fmt.Sprintf("Try again in %d minutes: your answers are kept on this page. If someone is in immediate danger, call 999 now. You can also call the Modern Slavery Helpline on 08000 121 700.", minutes)},
				f.encoded())
			return
		}
		rep := f.report
		rep.Channel = tropic.ChannelWeb
		code := tropic.FollowUpCode(f.formKey)
		rep.FollowUpHash = tropic.HashFollowUpCode(code)
		// The page answers what the reporter sent now, whatever the stored report said.
		inDanger := rep.InDanger == tropic.AnswerYes
		sent, err := s.deps.Reports.CreateReport(r.Context(), reportActor, rep, tropic.HashFormKey(f.formKey))
		switch {
		case tropic.ErrorCode(err) == tropic.EINVALID:
			f.errors = errorsFrom(err, reportFieldOrder()...)
			s.renderReportForm(w, r, http.StatusUnprocessableEntity, f)
			return
		case err != nil:
			// The answers stay on the page to be sent again.
			s.log.Error("internal error", "request_id", requestID(r.Context()), "error", err.Error())
			f2, rerr := s.readReportForm(r.Context(), r.PostForm)
			if rerr != nil {
				s.serverError(w, r, err)
				return
			}
			s.renderReportCheck(w, r, http.StatusInternalServerError, f2, []FieldError{{Message: "Sorry, there is a problem with the service and your report has not been sent. Your answers are below: try sending it again in a few minutes, or call the Modern Slavery Helpline on 08000 121 700."}})
			return
		}
		// A new report, or changed answers added to one, count towards the limit.
		if sent != tropic.ReportSentBefore && s.cfg.ReportRateLimit > 0 {
			s.reportLimiter.Add(addr)
		}
		title := "Report sent"
		if sent == tropic.ReportAddedTo {
			title = "Your report was already sent: your changes have been added to it"
		}
		p := &reportSentPage{Layout: s.newLayout(r, title), Reference: rep.Reference, Code: code,
			InDanger: inDanger || rep.InDanger == tropic.AnswerYes, Anonymous: rep.Reporter.Anonymous, AddedTo: sent == tropic.ReportAddedTo}
		p.Public = true
		s.render(w, r, http.StatusOK, "report_sent", p)
	})
}

// reportCheckRow is one answer on "Check your answers".
type reportCheckRow struct {
	Key    string
	Value  string   // free text, shown with its line breaks
	Items  []string // a list, one line each
	Anchor string   // the field "Change" goes to
}

type reportCheckSection struct {
	Heading string
	Rows    []reportCheckRow
}

// reportCheckPage shows the answers with every one of them in hidden fields.
type reportCheckPage struct {
	Layout
	Sections []reportCheckSection
	Hidden   []reportHidden
	InDanger bool
}

func (s *Server) renderReportCheck(w http.ResponseWriter, r *http.Request, status int, f *reportForm, errs []FieldError) {
	p := &reportCheckPage{Layout: s.newLayout(r, "Check your answers before sending your report"),
		Sections: reportCheckSections(f.report, f.districts, f.howHeard, f.self), Hidden: reportHiddenFields(f.encoded()),
		InDanger: f.report.InDanger == tropic.AnswerYes}
	p.Public = true
	p.Errors = errs
	s.render(w, r, status, "report_check", p)
}

// reportCheckSections lays the answers out as the form asks them.
// The route for the person it is happening to shows its four questions only.
func reportCheckSections(r *tropic.Report, districts []tropic.District, howHeard []tropic.HowHeardOption, self bool) []reportCheckSection {
	district := ""
	switch d := r.Location.District; d {
	case "":
	case "not_sure":
		district = "Not sure"
	default:
		district = d
		for _, k := range districts {
			if k.Slug == d {
				district = k.Name
			}
		}
	}
	seenOn := ""
	if d, err := time.Parse(time.DateOnly, r.SeenOn); err == nil {
		seenOn = d.Format("2 January 2006")
	}
	var kinds []string
	for _, t := range r.Exploitation.Types {
		kinds = append(kinds, t.PlainLabel())
	}
	if r.Exploitation.CountyLines {
		kinds = append(kinds, "It involves county lines")
	}
	var signs []string
	for _, i := range r.Indicators {
		signs = append(signs, i.Label())
	}
	count := ""
	if r.People.Count > 0 {
		count = strconv.Itoa(r.People.Count)
	}
	answer := func(a tropic.YesNoUnsure) string {
		if a == "" {
			return ""
		}
		return a.Label()
	}
	var vehicles, phones []string
	for _, v := range r.Vehicles {
		parts := []string{}
		for _, part := range []string{v.Registration, v.Description} {
			if part != "" {
				parts = append(parts, part)
			}
		}
		vehicles = append(vehicles, strings.Join(parts, ": "))
	}
	for _, p := range r.Phones {
		phones = append(phones, p.Number)
	}
	about := []reportCheckRow{{Key: "Anonymous", Value: "Yes, I want to stay anonymous", Anchor: "reporter_anonymous"}}
	if !r.Reporter.Anonymous {
		about = []reportCheckRow{
			{Key: "Anonymous", Value: "No, I have given my details", Anchor: "reporter_anonymous"},
			{Key: "Your name", Value: r.Reporter.Name, Anchor: "reporter_name"},
			{Key: "How to contact you", Value: r.Reporter.Contact, Anchor: "reporter_contact"},
		}
		if r.Reporter.NotifyConsent {
			about = append(about, reportCheckRow{Key: "Email me when a message waits", Value: "Yes", Anchor: "reporter_notify_consent"})
		}
	}
	relationship := ""
	if r.Reporter.Relationship != "" {
		relationship = r.Reporter.Relationship.Label()
	}
	heard := howHeardText(r.HowHeard, howHeard)
	about = append(about,
		reportCheckRow{Key: "Who you are", Value: relationship, Anchor: "reporter_relationship"},
		reportCheckRow{Key: "How you heard about this service", Value: heard, Anchor: "how_heard"},
		reportCheckRow{Key: "Language", Value: r.Language, Anchor: "language"})

	if self {
		contact := []reportCheckRow{{Key: "Contact me", Value: "No, I want to stay anonymous", Anchor: "reporter_anonymous"}}
		if !r.Reporter.Anonymous {
			contact = []reportCheckRow{
				{Key: "Contact me", Value: "Yes, in the way I say", Anchor: "reporter_anonymous"},
				{Key: "Your name", Value: r.Reporter.Name, Anchor: "reporter_name"},
				{Key: "How and when it is safe to contact you", Value: r.Reporter.Contact, Anchor: "reporter_contact"},
			}
			if r.Reporter.NotifyConsent {
				contact = append(contact, reportCheckRow{Key: "Email me when a message waits", Value: "Yes", Anchor: "reporter_notify_consent"})
			}
		}
		return []reportCheckSection{
			{"What is happening", []reportCheckRow{
				{Key: "What is happening to you", Value: r.Description, Anchor: "description"},
				{Key: "In danger now", Value: answer(r.InDanger), Anchor: "in_danger"},
			}},
			{"Where you are", []reportCheckRow{
				{Key: "Town, area or address", Value: r.Location.Address, Anchor: "address"},
				{Key: "District", Value: district, Anchor: "district"},
			}},
			{"Contacting you", append(contact, reportCheckRow{Key: "Language", Value: r.Language, Anchor: "language"})},
		}
	}
	return []reportCheckSection{
		{"What you saw", []reportCheckRow{
			{Key: "What you saw", Value: r.Description, Anchor: "description"},
			{Key: "Anyone in immediate danger", Value: answer(r.InDanger), Anchor: "in_danger"},
		}},
		{"Where and when", []reportCheckRow{
			{Key: "Address or description of the place", Value: r.Location.Address, Anchor: "address"},
			{Key: "Postcode", Value: r.Location.Postcode, Anchor: "postcode"},
			{Key: "District", Value: district, Anchor: "district"},
			{Key: "Date", Value: seenOn, Anchor: "seen_on"},
			{Key: "When", Value: r.SeenWhen, Anchor: "seen_when"},
		}},
		{"What you noticed", []reportCheckRow{
			{Key: "Kind of exploitation", Items: kinds, Anchor: "exploitation"},
			{Key: "Signs", Items: signs, Anchor: "indicators"},
		}},
		{"People, vehicles, phones and businesses", []reportCheckRow{
			{Key: "Number of people", Value: count, Anchor: "people_count"},
			{Key: "Children involved", Value: answer(r.People.ChildrenInvolved), Anchor: "children_involved"},
			{Key: "Description of the people", Value: r.People.Description, Anchor: "people_description"},
			{Key: "Vehicles", Items: vehicles, Anchor: "vehicle_1_registration"},
			{Key: "Phone numbers", Items: phones, Anchor: "phone_1"},
			{Key: "Businesses", Items: r.Businesses, Anchor: "business_1"},
		}},
		{"About you", about},
	}
}

// reportSentPage is the confirmation: shown once, straight after the report is stored.
type reportSentPage struct {
	Layout
	Reference string
	Code      string
	InDanger  bool
	Anonymous bool
	AddedTo   bool // the form was sent before; the changed answers were added to that report
}

// reportRefusalPage explains why something was not accepted, and carries the
// answers back to "Check your answers" where it can.
type reportRefusalPage struct {
	Layout
	Heading    string
	Paragraphs []string
	Hidden     []reportHidden
}

func (s *Server) renderReportRefusal(w http.ResponseWriter, r *http.Request, status int, heading string, paragraphs []string, answers url.Values) {
	p := &reportRefusalPage{Layout: s.newLayout(r, heading), Heading: heading, Paragraphs: paragraphs, Hidden: reportHiddenFields(answers)}
	p.Public = true
	s.render(w, r, status, "report_refused", p)
}
