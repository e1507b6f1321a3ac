package web

import (
	"html"
	"html/template"
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
		p := &simplePage{Layout: s.publicLayout(r, "start.title")}
		p.JourneyStart = true
		s.render(w, r, http.StatusOK, "report_start", p)
	})
}

// handleReportSelfStart is the start of the route for the person it is happening to:
// 999 and the helpline first, what "victim first" means for them, then four questions.
func (s *Server) handleReportSelfStart() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &simplePage{Layout: s.publicLayout(r, "self.caption")}
		p.JourneyStart = true
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
		s.renderReportForm(w, r, http.StatusOK, f)
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
		s.renderReportRefusal(w, r, http.StatusBadRequest, "refused.honeypot_title",
			[]string{"refused.honeypot_1", "refused.honeypot_2_html"}, nil, answers)
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
		p := s.newReportFormPage(r.Context(), s.reportFormLayout(r, "self.title"), f)
		selfFormWords(p)
		s.render(w, r, status, "report_self_form", p)
		return
	}
	f.addAnother = true
	s.render(w, r, status, "report_form", s.newReportFormPage(r.Context(), s.reportFormLayout(r, "form.title"), f))
}

// reportFormLayout is the layout of the report forms: the language chooser sends
// the answers typed so far back to the form in the language chosen.
func (s *Server) reportFormLayout(r *http.Request, titleID string) Layout {
	l := s.publicLayout(r, titleID)
	l.ChooserForm, l.chooserPath = "report-form", "/report/edit"
	return l
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
		s.renderReportCheck(w, r, http.StatusOK, f, "")
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
		case r.PostForm.Get("add") != "" || r.PostForm.Get("switch_lang") != "":
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
			s.renderReportCheck(w, r, http.StatusUnprocessableEntity, f, "check.expired")
			return
		}
		addr := s.clientAddr(r)
		if blocked, wait := s.reportLimiter.Blocked(addr); blocked && s.cfg.ReportRateLimit > 0 {
			minutes := waitMinutes(wait)
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			s.renderReportRefusal(w, r, http.StatusTooManyRequests, "refused.limit_title",
				[]string{"refused.limit_1", "refused.limit_2_html"},
				[][]any{{"count", s.cfg.ReportRateLimit, "minutes", int(reportLimitWindow.Minutes())}, {"count", minutes}},
				f.encoded())
			return
		}
		rep := f.report
		rep.Channel = tropic.ChannelWeb
		// The report keeps the language of the form it was made in.
		lang, _ := s.locales.fromRequest(r)
		rep.FormLanguage = lang.Tag
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
			s.renderReportCheck(w, r, http.StatusInternalServerError, f2, "check.not_sent")
			return
		}
		// A new report, or changed answers added to one, count towards the limit.
		if sent != tropic.ReportSentBefore && s.cfg.ReportRateLimit > 0 {
			s.reportLimiter.Add(addr)
		}
		title := "sent.title"
		if sent == tropic.ReportAddedTo {
			title = "sent.added_page_title"
		}
		p := &reportSentPage{Layout: s.publicLayout(r, title), Reference: rep.Reference, Code: code,
			InDanger: inDanger || rep.InDanger == tropic.AnswerYes, Anonymous: rep.Reporter.Anonymous, AddedTo: sent == tropic.ReportAddedTo}
		// The reference and code are shown once: the chooser would leave them behind.
		p.NoChooser = true
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

// reportCheckPage shows the answers with every one of them in hidden fields.
type reportCheckPage struct {
	Layout
	Rows     []reportCheckRow
	Hidden   []reportHidden
	InDanger bool
}

func (s *Server) renderReportCheck(w http.ResponseWriter, r *http.Request, status int, f *reportForm, errID string) {
	p := &reportCheckPage{Layout: s.publicLayout(r, "check.title"), Hidden: reportHiddenFields(f.encoded()),
		InDanger: f.report.InDanger == tropic.AnswerYes}
	p.Rows = reportAnswered(reportCheckRows(&p.Layout, f.report, f.districts, f.howHeard, f.self))
	// The chooser shows these answers again in the language chosen.
	p.ChooserForm, p.chooserPath = "answers", "/report/check"
	if errID != "" {
		p.Errors = []FieldError{{Message: p.T(errID)}}
	}
	s.render(w, r, status, "report_check", p)
}

// reportAnswered keeps the questions answered: the optional questions skipped do
// not lengthen the page on a phone. Each "Change" opens the whole form, where a
// skipped question can still be answered.
func reportAnswered(rows []reportCheckRow) []reportCheckRow {
	var out []reportCheckRow
	for _, row := range rows {
		if strings.TrimSpace(row.Value) != "" || len(row.Items) > 0 {
			out = append(out, row)
		}
	}
	return out
}

// reportCheckRows lays the answers out as the form asks them, in one list: short
// enough, once the questions skipped are left out, to need no headings.
// The route for the person it is happening to shows its four questions only.
func reportCheckRows(l *Layout, r *tropic.Report, districts []tropic.District, howHeardOptions []tropic.HowHeardOption, self bool) []reportCheckRow {
	t := l.T
	district := ""
	switch d := r.Location.District; d {
	case "":
	case "not_sure":
		district = t("answer.not_sure")
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
		seenOn = l.date(d)
	}
	var kinds []string
	for _, et := range r.Exploitation.Types {
		kinds = append(kinds, l.exploitationLabel(et))
	}
	if r.Exploitation.CountyLines {
		kinds = append(kinds, t("form.county_lines"))
	}
	var signs []string
	for _, i := range r.Indicators {
		signs = append(signs, l.indicatorLabel(i))
	}
	count := ""
	if r.People.Count > 0 {
		count = strconv.Itoa(r.People.Count)
	}
	answer := func(a tropic.YesNoUnsure) string {
		if a == "" {
			return ""
		}
		return t("answer." + string(a))
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
	about := []reportCheckRow{{Key: t("check.anonymous"), Value: t("form.anonymous_yes"), Anchor: "reporter_anonymous"}}
	if !r.Reporter.Anonymous {
		about = []reportCheckRow{
			{Key: t("check.anonymous"), Value: t("check.anonymous_no"), Anchor: "reporter_anonymous"},
			{Key: t("form.your_name"), Value: r.Reporter.Name, Anchor: "reporter_name"},
			{Key: t("form.how_to_contact"), Value: r.Reporter.Contact, Anchor: "reporter_contact"},
		}
		if r.Reporter.NotifyConsent {
			about = append(about, reportCheckRow{Key: t("check.notify"), Value: t("answer.yes"), Anchor: "reporter_notify_consent"})
		}
	}
	relationship := ""
	if r.Reporter.Relationship != "" {
		relationship = t("relationship." + string(r.Reporter.Relationship))
	}
	heard := reportHowHeardText(l, r.HowHeard, howHeardOptions)
	about = append(about,
		reportCheckRow{Key: t("check.who_you_are"), Value: relationship, Anchor: "reporter_relationship"},
		reportCheckRow{Key: t("check.how_heard"), Value: heard, Anchor: "how_heard"},
		reportCheckRow{Key: t("form.language"), Value: r.Language, Anchor: "language"})

	if self {
		contact := []reportCheckRow{{Key: t("check.contact_me"), Value: t("self.contact_no"), Anchor: "reporter_anonymous"}}
		if !r.Reporter.Anonymous {
			contact = []reportCheckRow{
				{Key: t("check.contact_me"), Value: t("check.contact_me_yes"), Anchor: "reporter_anonymous"},
				{Key: t("form.your_name"), Value: r.Reporter.Name, Anchor: "reporter_name"},
				{Key: t("check.how_when"), Value: r.Reporter.Contact, Anchor: "reporter_contact"},
			}
			if r.Reporter.NotifyConsent {
				contact = append(contact, reportCheckRow{Key: t("check.notify"), Value: t("answer.yes"), Anchor: "reporter_notify_consent"})
			}
		}
		rows := []reportCheckRow{
			{Key: t("check.self_what_to_you"), Value: r.Description, Anchor: "description"},
			{Key: t("check.self_in_danger"), Value: answer(r.InDanger), Anchor: "in_danger"},
			{Key: t("self.address"), Value: r.Location.Address, Anchor: "address"},
			{Key: t("check.district"), Value: district, Anchor: "district"},
		}
		return append(append(rows, contact...), reportCheckRow{Key: t("form.language"), Value: r.Language, Anchor: "language"})
	}
	return append([]reportCheckRow{
		{Key: t("form.section_what"), Value: r.Description, Anchor: "description"},
		{Key: t("check.in_danger_key"), Value: answer(r.InDanger), Anchor: "in_danger"},
		{Key: t("label.address"), Value: r.Location.Address, Anchor: "address"},
		{Key: t("form.postcode"), Value: r.Location.Postcode, Anchor: "postcode"},
		{Key: t("check.district"), Value: district, Anchor: "district"},
		{Key: t("check.date"), Value: seenOn, Anchor: "seen_on"},
		{Key: t("form.section_when"), Value: r.SeenWhen, Anchor: "seen_when"},
		{Key: t("check.kind"), Items: kinds, Anchor: "exploitation"},
		{Key: t("check.signs"), Items: signs, Anchor: "indicators"},
		{Key: t("check.people_count"), Value: count, Anchor: "people_count"},
		{Key: t("check.children"), Value: answer(r.People.ChildrenInvolved), Anchor: "children_involved"},
		{Key: t("label.people_description"), Value: r.People.Description, Anchor: "people_description"},
		{Key: t("form.section_vehicles"), Items: vehicles, Anchor: "vehicle_1_registration"},
		{Key: t("form.section_phones"), Items: phones, Anchor: "phone_1"},
		{Key: t("form.section_businesses"), Items: r.Businesses, Anchor: "business_1"},
	}, about...)
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
	Paragraphs []template.HTML
	Hidden     []reportHidden
}

// renderReportRefusal: headingID and paragraphIDs are message ids; args, when
// given, are each paragraph's values. An id ending in _html may hold links (a tel:
// number); the others are text.
func (s *Server) renderReportRefusal(w http.ResponseWriter, r *http.Request, status int, headingID string, paragraphIDs []string, args [][]any, answers url.Values) {
	p := &reportRefusalPage{Layout: s.publicLayout(r, headingID), Hidden: reportHiddenFields(answers)}
	p.Heading = p.Title
	for i, id := range paragraphIDs {
		var a []any
		if i < len(args) {
			a = args[i]
		}
		text := template.HTML(html.EscapeString(p.T(id, a...)))
		if strings.HasSuffix(id, "_html") {
			text = p.TH(id, a...)
		}
		p.Paragraphs = append(p.Paragraphs, text)
	}
	s.render(w, r, status, "report_refused", p)
}
