package web

import (
	"net/http"
	"net/url"
	"strconv"

	"tropic/internal/tropic"
)

// "Passed to us": the inbox of reports the triage hub passed to an agency, for its
// caseworkers and supervisors (and, to read, its triage users outside the hub). Anyone
// else gets the missing page; a report not passed to the user's agency is missing too.

// sessInboxFlash holds the success message shown once after an inbox action.
const sessInboxFlash = "inbox_flash"

// inboxPageSize is how many reports one page of the inbox lists.
const inboxPageSize = 50

// canReadInbox says whether u has an inbox (tropic.MayReadInbox).
func canReadInbox(u *tropic.User) bool { return u != nil && tropic.MayReadInbox(tropic.ActorFor(u)) }

// inbox wraps an inbox page: a browser route for signed-in staff with an inbox.
func (s *Server) inbox(h http.Handler) http.Handler {
	return s.browser(s.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !canReadInbox(userFrom(r.Context())) || s.deps.Inbox == nil {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})))
}

// inboxReportPath is the inbox page of a report.
func inboxReportPath(ref string) string { return "/inbox/reports/" + ref }

type inboxRow struct {
	Reference    string
	Href         string
	UrgencyLabel string
	UrgencyClass string
	Received     string
	District     string
	Passed       string
	StateLabel   string
	StateClass   string
	Overdue      string // how long past its acknowledgement time
	CaseRef      string
}

type inboxListPage struct {
	Layout
	Flash      string
	Show       string // "" (waiting), "accepted" or "all"
	Views      []selectOption
	Rows       []inboxRow
	Total      int
	Overdue    int // waiting reports not acknowledged in time
	Targets    string
	Pagination *pagination
}

// handleInboxList lists the reports passed to the user's agency, most urgent and
// oldest first: those waiting, or those accepted, or all.
func (s *Server) handleInboxList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, actor := r.Context(), actorOf(r)
		p := &inboxListPage{Layout: s.newLayout(r, "Passed to us"), Flash: s.sessions.PopString(ctx, sessInboxFlash)}
		p.Nav = "inbox"
		q := r.URL.Query()
		f := tropic.InboxFilter{Limit: inboxPageSize}
		switch p.Show = q.Get("show"); p.Show {
		case "accepted":
			f.States = []tropic.HandoffState{tropic.HandoffAccepted}
		case "all":
			f.States = []tropic.HandoffState{tropic.HandoffPassed, tropic.HandoffAcknowledged, tropic.HandoffAccepted}
		default:
			p.Show = ""
		}
		p.Views = []selectOption{{Value: "", Label: "Waiting for us"}, {Value: "accepted", Label: "Accepted"}, {Value: "all", Label: "All"}}
		for i := range p.Views {
			p.Views[i].Selected = p.Views[i].Value == p.Show
		}
		page, _ := strconv.Atoi(q.Get("page"))
		page = max(page, 1)
		f.Offset = (page - 1) * inboxPageSize
		items, total, err := s.deps.Inbox.FindInbox(ctx, actor, f)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		cuts, err := s.ackCuts(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if _, p.Overdue, err = s.deps.Inbox.FindInbox(ctx, actor, tropic.InboxFilter{AckOverdue: cuts, Limit: 1}); err != nil {
			s.serverError(w, r, err)
			return
		}
		districts, cal, err := s.districtsAndCalendar(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		now := s.now()
		p.Total, p.Targets = total, targetsLabel(cal.Acknowledge)
		for _, it := range items {
			p.Rows = append(p.Rows, inboxRow{
				Reference: it.Reference, Href: inboxReportPath(it.Reference),
				UrgencyLabel: it.Urgency.Label(), UrgencyClass: urgencyTag(it.Urgency),
				Received: displayDateTime(it.ReceivedAt), District: districtName(it.District, districts),
				Passed: displayDateTime(it.PassedAt), StateLabel: it.State.Label(), StateClass: handoffStateTag(it.State),
				Overdue: s.ackOverdue(&it.Handoff, it.Urgency, now, cal), CaseRef: it.CaseReference,
			})
		}
		p.Pagination = newPagination(page, inboxPageSize, total, func(n int) string {
			v := url.Values{}
			if p.Show != "" {
				v.Set("show", p.Show)
			}
			if n > 1 {
				v.Set("page", strconv.Itoa(n))
			}
			if len(v) == 0 {
				return "/inbox"
			}
			return "/inbox?" + v.Encode()
		})
		s.render(w, r, http.StatusOK, "inbox_list", p)
	})
}

// inboxForms is what was typed into the inbox report's forms, kept on a re-render.
type inboxForms struct {
	Accept        string // "create_case" or "add_to_case"
	CaseTitle     string
	CaseReference string
	Reason        string // for returning the report
	// Message to the reporter, and the key that makes the form post once.
	Message, MessageKey string
}

type inboxReportPage struct {
	Layout
	Reference    string
	Path         string
	Flash        string
	UrgencyLabel string
	UrgencyClass string
	Handoff      handoffView
	Open         bool // the agency has the report to decide on
	Acknowledged bool
	MayAct       bool // the user acknowledges, accepts and returns (caseworkers and supervisors)
	Withheld     bool // the reporter's contact details were not passed on
	Sections     []summarySection
	Timeline     []triageTimelineEntry
	Form         inboxForms
	CanMessage   bool // the form to write to the reporter is offered
}

// handleInboxReport shows a report passed to the user's agency, with the actions.
func (s *Server) handleInboxReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderInboxReport(w, r, http.StatusOK, inboxForms{}, nil, s.sessions.PopString(r.Context(), sessInboxFlash))
	})
}

// renderInboxReport loads the report in the path as the user's agency reads it. A
// report the user may not see, or one passed to another agency, is the missing page.
func (s *Server) renderInboxReport(w http.ResponseWriter, r *http.Request, status int, form inboxForms, errs []FieldError, flash string) {
	ctx, actor := r.Context(), actorOf(r)
	rep, err := s.deps.Reports.FindReportByReference(ctx, actor, r.PathValue("ref"))
	if err == nil && (rep.PassedToAgency != actor.AgencyID || rep.LatestHandoff() == nil) {
		err = tropic.Errorf(tropic.ENOTFOUND, "Report not found.") // the hub reads it on its triage page
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	districts, cal, err := s.districtsAndCalendar(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	now := s.now()
	views := s.handoffViews(rep, now, cal)
	h := rep.LatestHandoff()
	p := &inboxReportPage{
		Layout: s.newLayout(r, "Report "+rep.Reference), Reference: rep.Reference, Path: inboxReportPath(rep.Reference), Flash: flash,
		UrgencyLabel: rep.Urgency.Label(), UrgencyClass: urgencyTag(rep.Urgency), Handoff: views[len(views)-1],
		Open: h.State.Open(), Acknowledged: h.State != tropic.HandoffPassed, MayAct: tropic.MayActOnHandoff(actor, rep) == nil,
		Withheld: rep.ContactWithheld, Form: form,
	}
	p.Nav, p.Errors = "inbox", errs
	if p.CanMessage = s.deps.Messages != nil; p.Form.MessageKey == "" {
		p.Form.MessageKey = tropic.NewFormKey()
	}
	if p.Form.Accept == "" {
		p.Form.Accept = "create_case"
	}
	if p.Form.CaseTitle == "" {
		p.Form.CaseTitle = triageCaseTitle("", rep, districts)
	}
	// The report is passed to the reader's agency, named on its latest handoff.
	passedTo := map[int64]string{rep.PassedToAgency: p.Handoff.Agency}
	p.Sections = triageReportSections(rep, districts, s.howHeardLabels(r.Context()), passedTo, now, s.locales.LanguageName(rep.FormLanguage))
	p.Timeline = triageReportTimeline(rep)
	s.render(w, r, status, "inbox_report", p)
}

// inboxDone is where an inbox action leads, with its message: on a case page, the
// case's flash shows it.
type inboxDone struct {
	next, msg string
	toCase    bool
}

// inboxAction runs an inbox action on the report in the path; success goes where do
// says with its message, a problem re-renders the report with what was typed.
func (s *Server) inboxAction(do func(r *http.Request, actor tropic.Actor, ref string, f inboxForms) (inboxDone, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, err := tropic.ParseReference(r.PathValue("ref"))
		if err != nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		f := inboxForms{Accept: r.PostFormValue("accept"), CaseTitle: r.PostFormValue("case_title"),
			CaseReference: r.PostFormValue("case_reference"), Reason: r.PostFormValue("reason"),
			Message: r.PostFormValue("message"), MessageKey: r.PostFormValue("message_key")}
		done, err := do(r, actorOf(r), ref, f)
		switch tropic.ErrorCode(err) {
		case "":
			if done.toCase {
				s.caseFlash(r, done.msg)
			} else {
				s.sessions.Put(r.Context(), sessInboxFlash, done.msg)
			}
			http.Redirect(w, r, done.next, http.StatusSeeOther)
		case tropic.EINVALID, tropic.ETOOMANY:
			s.renderInboxReport(w, r, statusFor(tropic.ErrorCode(err)), f, errorsFrom(err, "accept", "case_title", "case_reference", "reason", "message", "key"), "")
		case tropic.ECONFLICT:
			s.renderInboxReport(w, r, http.StatusConflict, f, []FieldError{{Field: "accept", Message: tropic.ErrorMessage(err)}}, "")
		default:
			s.fail(w, r, err)
		}
	})
}

// handleInboxAcknowledge records that the user's agency has the report in hand.
func (s *Server) handleInboxAcknowledge() http.Handler {
	return s.inboxAction(func(r *http.Request, actor tropic.Actor, ref string, _ inboxForms) (inboxDone, error) {
		h, err := s.deps.Inbox.AcknowledgeReport(r.Context(), actor, ref)
		if err != nil {
			return inboxDone{}, err
		}
		return inboxDone{next: inboxReportPath(ref), msg: "Acknowledged by " + h.AcknowledgedBy + " on " + displayDateTime(h.AcknowledgedAt) + ". The triage hub can see it."}, nil
	})
}

// handleInboxAccept accepts the report: a case of the user's agency made from it, or
// the report added to one of the agency's cases (the case store's own paths, which
// record the acceptance in the same transaction).
func (s *Server) handleInboxAccept() http.Handler {
	return s.inboxAction(func(r *http.Request, actor tropic.Actor, ref string, f inboxForms) (inboxDone, error) {
		caseRef, err := s.acceptReport(r, actor, ref, f.Accept, f.CaseTitle, f.CaseReference)
		if err != nil {
			return inboxDone{}, err
		}
		return inboxDone{next: casePath(caseRef), msg: "Report " + ref + " accepted: it is on case " + caseRef + ", and the triage hub can see that.", toCase: true}, nil
	})
}

// handleInboxReturn gives the report back to the triage hub with a reason.
func (s *Server) handleInboxReturn() http.Handler {
	return s.inboxAction(func(r *http.Request, actor tropic.Actor, ref string, f inboxForms) (inboxDone, error) {
		if _, err := s.deps.Inbox.ReturnReport(r.Context(), actor, ref, f.Reason); err != nil {
			return inboxDone{}, err
		}
		return inboxDone{next: "/inbox", msg: "Report " + ref + " has been returned to the triage hub with your reason. It is no longer in your inbox."}, nil
	})
}

// acceptReport makes a case of the actor's agency from the report, or adds the report
// to one of its cases, and returns the case's reference. Problems name the form's fields.
func (s *Server) acceptReport(r *http.Request, actor tropic.Actor, ref, how, title, caseRef string) (string, error) {
	ctx := r.Context()
	switch how {
	case "add_to_case":
		cr, err := tropic.ParseCaseReference(caseRef)
		if err != nil {
			return "", invalid("case_reference", "Enter the reference of a case your agency owns, like C-KM7Q-2XP-A72")
		}
		err = s.deps.Cases.LinkReport(ctx, actor, cr, ref)
		if code := tropic.ErrorCode(err); code == tropic.ENOTFOUND || code == tropic.EFORBIDDEN {
			return "", invalid("case_reference", "There is no case "+cr+" that your agency owns. Check the reference")
		} else if code == tropic.EINVALID {
			return "", tropic.Errorf(tropic.ENOTFOUND, "Report not found.") // the report is no longer the agency's
		}
		return cr, err
	case "create_case":
		rep, err := s.deps.Reports.FindReportByReference(ctx, actor, ref)
		if err != nil {
			return "", err
		}
		district := s.lookupDistrictName(r, rep.Location.District)
		c := &tropic.Case{Title: title, Exploitation: rep.Exploitation}
		if c.Title == "" {
			c.Title = caseTitleFromReport(rep, district)
		}
		if district != "" {
			c.District = rep.Location.District
		}
		err = s.deps.Cases.CreateCase(ctx, actor, c, ref)
		if tropic.ErrorCode(err) == tropic.EINVALID {
			if m := tropic.ErrorFields(err)["title"]; m != "" {
				return "", invalid("case_title", m)
			}
			return "", tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
		}
		return c.Reference, err
	}
	return "", invalid("accept", "Choose whether to create a case or add the report to one of your agency's cases")
}
