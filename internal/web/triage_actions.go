package web

import (
	"net/http"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// The triage actions on a report: claim, note, urgency and decision. Each posts a
// form; success goes back to the report with a message, a problem re-renders the
// report with the problem and what was typed.

// triageAction decodes a triage form and runs do with the acting user and the
// report's canonical reference. do returns the success message or an error.
func (s *Server) triageAction(decode func(*http.Request) (triageForms, []string), do func(r *http.Request, actor tropic.Actor, ref string, f triageForms) (string, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, err := tropic.ParseReference(r.PathValue("ref"))
		if err != nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		form, order := decode(r)
		msg, err := do(r, tropic.ActorFor(userFrom(r.Context())), ref, form)
		switch tropic.ErrorCode(err) {
		case "":
			s.sessions.Put(r.Context(), sessTriageFlash, msg)
			http.Redirect(w, r, triageReportPath(ref), http.StatusSeeOther)
		case tropic.EINVALID, tropic.ETOOMANY:
			s.renderTriageReport(w, r, statusFor(tropic.ErrorCode(err)), form, errorsFrom(err, order...), "")
		case tropic.ECONFLICT:
			// Someone else claimed the report first: say who, and offer to take it over.
			field := "take_over"
			if form.Decision != "" { // the report is with an agency, or was decided a moment ago
				field = "decision"
			}
			s.renderTriageReport(w, r, http.StatusConflict, form, []FieldError{{Field: field, Message: tropic.ErrorMessage(err)}}, "")
		default:
			s.fail(w, r, err)
		}
	})
}

// handleTriageClaim marks the user as working on the report; taking over another
// person's claim must be asked for with take_over=1.
func (s *Server) handleTriageClaim() http.Handler {
	return s.triageAction(
		func(r *http.Request) (triageForms, []string) { return triageForms{}, nil },
		func(r *http.Request, actor tropic.Actor, ref string, _ triageForms) (string, error) {
			takeOver := r.PostFormValue("take_over") == "1"
			if err := s.deps.Reports.ClaimReport(r.Context(), actor, ref, takeOver); err != nil {
				return "", err
			}
			if takeOver {
				return "You have taken over this report. You are now working on it.", nil
			}
			return "You are now working on this report.", nil
		})
}

// handleTriageNote adds a staff note to the report's timeline.
func (s *Server) handleTriageNote() http.Handler {
	return s.triageAction(
		func(r *http.Request) (triageForms, []string) {
			return triageForms{Note: r.PostFormValue("note")}, []string{"note"}
		},
		func(r *http.Request, actor tropic.Actor, ref string, f triageForms) (string, error) {
			return "Your note has been added to the timeline.", s.deps.Reports.AddReportNote(r.Context(), actor, ref, f.Note)
		})
}

// handleTriageUrgency changes the report's urgency, with a reason.
func (s *Server) handleTriageUrgency() http.Handler {
	return s.triageAction(
		func(r *http.Request) (triageForms, []string) {
			return triageForms{Urgency: r.PostFormValue("urgency"), UrgencyReason: r.PostFormValue("urgency_reason")}, []string{"urgency", "urgency_reason"}
		},
		func(r *http.Request, actor tropic.Actor, ref string, f triageForms) (string, error) {
			u := tropic.Urgency(f.Urgency)
			return "Urgency changed to " + strings.ToLower(u.Label()) + ".", s.deps.Reports.SetUrgency(r.Context(), actor, ref, u, f.UrgencyReason)
		})
}

// handleTriageDecision records the triage decision, with who and why. Creating a
// case, or adding the report to one, is handled with the cases (case_triage.go).
func (s *Server) handleTriageDecision() http.Handler {
	decide := s.triageAction(
		func(r *http.Request) (triageForms, []string) {
			return triageForms{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason"),
					DuplicateOf: r.PostFormValue("duplicate_of"), Agency: r.PostFormValue("agency"),
					IncludeContact: r.PostFormValue("include_reporter_contact") == "yes"},
				[]string{"decision", "duplicate_of", "agency", "reason"}
		},
		func(r *http.Request, actor tropic.Actor, ref string, f triageForms) (string, error) {
			d := tropic.ReportDecision{Status: tropic.ReportStatus(f.Decision), Reason: f.Reason}
			// The other choices' fields stay in the form when hidden: take only the chosen one's.
			switch d.Status {
			case tropic.ReportDuplicate:
				d.DuplicateOf = f.DuplicateOf
			case tropic.ReportPassedToAgency:
				d.AgencyID, _ = strconv.ParseInt(f.Agency, 10, 64)
				d.IncludeReporterContact = f.IncludeContact
			}
			if err := s.deps.Reports.DecideReport(r.Context(), actor, ref, d); err != nil {
				return "", err
			}
			if d.Status == tropic.ReportPassedToAgency {
				return "Decision recorded: passed to agency. It waits in the agency's inbox, and its caseworkers and supervisors have been told. The report has left the queue.", nil
			}
			return "Decision recorded: " + strings.ToLower(d.Status.Label()) + ". The report has left the queue.", nil
		})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		if isTriageCaseDecision(r.PostFormValue("decision")) {
			s.handleTriageCaseDecision(w, r)
			return
		}
		decide.ServeHTTP(w, r)
	})
}
