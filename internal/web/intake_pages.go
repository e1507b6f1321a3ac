package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"tropic/internal/tropic"
)

// The call handlers' page: one form for a report taken by phone, in person or from a
// partner, with what the public form asks, how the report came in and whether the
// caller agrees to be contacted. It checks the answers as the public form and the API
// do (Report.Validate), the store assesses the urgency, and the form key in the form
// makes sending twice record one report (decision record 8). Like the API, it gives
// the reference and a follow-up code, for the call handler to read to the caller.

// intake guards the call handlers' page: staff who may record a call
// (tropic.CanTakeReports); anyone else gets the missing page.
func (s *Server) intake(h http.Handler) http.Handler {
	return s.browser(s.requireUser(s.requireTakeReports(h)))
}

// canTakeReports says whether u may use the call handlers' page.
func canTakeReports(u *tropic.User) bool {
	return u != nil && tropic.CanTakeReports(tropic.ActorFor(u))
}

func (s *Server) requireTakeReports(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !canTakeReports(userFrom(r.Context())) {
			s.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// intakeFieldOrder is the order of the call handlers' page, for the error summary:
// the call and the caller first, then the public form's questions.
func intakeFieldOrder() []string {
	first := []string{"channel", "reporter_anonymous", "reporter_name", "reporter_contact", "reporter_relationship", "language"}
	seen := map[string]bool{}
	for _, f := range first {
		seen[f] = true
	}
	order := first
	for _, f := range reportFieldOrder() {
		if !seen[f] {
			order = append(order, f)
		}
	}
	return order
}

// readIntakeForm reads the page as the public form is read, and then what only the
// page asks: the channel, and an explicit answer on the caller's consent to be
// contacted (the public form infers it from the details typed; a call handler says).
func (s *Server) readIntakeForm(ctx context.Context, v url.Values) (*reportForm, error) {
	f, err := s.readReportForm(ctx, v)
	if err != nil {
		return nil, err
	}
	fields := map[string]string{}
	for _, e := range f.errors {
		fields[e.Field] = e.Message
	}
	f.report.Channel = tropic.Channel(v.Get("channel"))
	if !f.report.Channel.TakenByStaff() {
		fields["channel"] = "Choose how the report reached you"
	}
	if a := v.Get("reporter_anonymous"); a != "yes" && a != "no" {
		fields["reporter_anonymous"] = "Choose whether the caller agrees to be contacted"
	}
	f.errors = nil
	if len(fields) > 0 {
		f.errors = errorsFrom(&tropic.Error{Code: tropic.EINVALID, Fields: fields}, intakeFieldOrder()...)
	}
	return f, nil
}

// intakeFormPage is the call handlers' page: the public form's parts, worded for the
// call handler, with the channel and the caller's consent.
type intakeFormPage struct {
	*reportFormPage
	Channel reportChoices
	Consent reportChoices
}

func (s *Server) renderIntakeForm(w http.ResponseWriter, r *http.Request, status int, f *reportForm, errs ...FieldError) {
	if !tropic.ValidFormKey(f.formKey) {
		f.formKey = tropic.NewFormKey()
	}
	if f.values == nil {
		f.values = url.Values{}
	}
	l := s.newLayout(r, "Record a call")
	l.Nav = "intake"
	p := &intakeFormPage{reportFormPage: s.newReportFormPage(r.Context(), l, f)}
	p.Public = false
	p.Errors = append(p.Errors, errs...)
	msg := p.FieldMessage
	var channels []reportChoice
	for _, c := range tropic.StaffChannels {
		channels = append(channels, reportChoice{Value: string(c), Label: c.Label()})
	}
	p.Channel = newReportChoices("channel", "How did the report reach you?", "", msg("channel"), false, []string{f.values.Get("channel")}, channels...)
	p.Consent = newReportChoices("reporter_anonymous", "Does the caller agree to be contacted?",
		"If they stay anonymous, the report holds nothing about them: leave their details blank.", msg("reporter_anonymous"), false,
		[]string{f.values.Get("reporter_anonymous")},
		reportChoice{Value: "no", Label: "Yes, record their name and how to contact them"},
		reportChoice{Value: "yes", Label: "No, they stay anonymous"})
	p.Relationship.Legend = "Who is the caller?"
	p.InDanger.Hint = "If someone is in immediate danger, transfer the call to 999 or the control room now."
	p.Children.Hint = ""
	p.HowHeard.Legend = "How did the caller hear about this service?"
	p.HowHeard.Heading = false
	p.Exploitation.Legend = "What kind of exploitation do they think it is?"
	// The page's sections are the headings: its questions are not headings of their own.
	p.InDanger.Heading, p.Exploitation.Heading = false, false
	s.render(w, r, status, "intake_report_form", p)
}

// handleIntakeForm shows the blank page with a fresh form key.
func (s *Server) handleIntakeForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		districts, err := s.deps.Reports.FindDistricts(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.renderIntakeForm(w, r, http.StatusOK, &reportForm{report: &tropic.Report{}, formKey: tropic.NewFormKey(), districts: districts})
	})
}

// intakeRecordedPage confirms a recorded call, with what to read to the caller.
type intakeRecordedPage struct {
	Layout
	Reference, Code        string
	Channel                string
	Urgency, UrgencyReason string
	Emergency              bool
	Anonymous              bool
	SentBefore             bool // the same form was sent again: the report recorded the first time
}

// handleIntakeRecord records the call once per form key and user, and shows the
// reference and follow-up code. Sent again (a double click, a refresh), it shows the
// same report; sent again with changed answers, it refuses, as the API does, and the
// first report stays as it was.
func (s *Server) handleIntakeRecord() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		f, err := s.readIntakeForm(r.Context(), r.PostForm)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if f.errors != nil {
			s.renderIntakeForm(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		if !tropic.ValidFormKey(f.formKey) {
			f.formKey = ""
			s.renderIntakeForm(w, r, http.StatusUnprocessableEntity, f, FieldError{Message: "This form has expired, so the call has not been recorded yet. Check the answers below and select \"Record the call\" again."})
			return
		}
		u := userFrom(r.Context())
		actor := tropic.ActorFor(u)
		// Keys are scoped to the user, as the API's are, so that no one else's form
		// key (nor the public form's) names this report.
		scoped := fmt.Sprintf("intake:%d:%s", u.ID, f.formKey)
		code := tropic.FollowUpCode(scoped)
		rep := f.report
		rep.FollowUpHash = tropic.HashFollowUpCode(code)
		sent, err := s.deps.Reports.CreateReport(r.Context(), actor, rep, tropic.HashFormKey(scoped))
		switch {
		case tropic.ErrorFields(err)["form_key"] != "":
			f.formKey = "" // a new key: sent again, these answers make a new report
			s.renderIntakeForm(w, r, http.StatusUnprocessableEntity, f, FieldError{Message: "This form was already recorded as a report with different answers; that report is unchanged. If these answers are a different call, select \"Record the call\" again to record it as a new report."})
			return
		case tropic.ErrorCode(err) == tropic.EINVALID:
			f.errors = errorsFrom(err, intakeFieldOrder()...)
			s.renderIntakeForm(w, r, http.StatusUnprocessableEntity, f)
			return
		case err != nil:
			s.log.Error("internal error", "request_id", requestID(r.Context()), "error", err.Error())
			s.renderIntakeForm(w, r, http.StatusInternalServerError, f, FieldError{Message: "Sorry, there is a problem with the service and the call has not been recorded. The answers are below: try again in a few minutes."})
			return
		}
		l := s.newLayout(r, "Call recorded")
		l.Nav = "intake"
		s.render(w, r, http.StatusOK, "intake_report_recorded", &intakeRecordedPage{Layout: l, Reference: rep.Reference, Code: code,
			Channel: rep.Channel.Label(), Urgency: rep.Urgency.Label(), UrgencyReason: rep.UrgencyReason,
			Emergency: rep.Urgency == tropic.UrgencyEmergency, Anonymous: rep.Reporter.Anonymous, SentBefore: sent == tropic.ReportSentBefore})
	})
}
