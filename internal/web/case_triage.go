package web

import (
	"net/http"
	"strings"

	"tropic/internal/tropic"
)

// The triage decisions that make cases: "create a case" opens one from the report,
// owned by the triage officer's agency; "add to an existing case" links the report to
// a case that agency owns. Either way the report leaves the queue, and the officer
// lands on the case.

// triageAddToCase is the decision form's value for adding the report to a case; the
// report's status is then "linked to case", as when a case is created from it.
const triageAddToCase = "add_to_case"

// isTriageCaseDecision says whether the posted decision makes or feeds a case.
func isTriageCaseDecision(decision string) bool {
	return decision == string(tropic.ReportLinkedToCase) || decision == triageAddToCase
}

// handleTriageCaseDecision records a case decision on the report in the path. The
// form has been parsed.
func (s *Server) handleTriageCaseDecision(w http.ResponseWriter, r *http.Request) {
	ref, err := tropic.ParseReference(r.PathValue("ref"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	ctx, actor := r.Context(), actorOf(r)
	form := triageForms{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason"),
		CaseTitle: r.PostFormValue("case_title"), CaseReference: r.PostFormValue("case_reference")}
	var caseRef, msg string
	if form.Decision == triageAddToCase {
		caseRef, err = tropic.ParseCaseReference(form.CaseReference)
		if err != nil {
			err = invalid("case_reference", "Enter the reference of a case your agency owns, like C-KM7Q-2XP-A72")
		} else {
			err = s.deps.Cases.LinkReport(ctx, actor, caseRef, ref)
			if code := tropic.ErrorCode(err); code == tropic.ENOTFOUND || code == tropic.EFORBIDDEN {
				// The same answer for a missing case and one the agency does not own.
				err = invalid("case_reference", "There is no case "+caseRef+" that your agency owns. Check the reference")
			}
		}
		msg = "Report " + ref + " has been added to this case. It has left the triage queue."
	} else {
		rep, ferr := s.deps.Reports.FindReportByReference(ctx, actor, ref)
		if ferr != nil {
			s.fail(w, r, ferr)
			return
		}
		district := s.lookupDistrictName(r, rep.Location.District)
		title := strings.TrimSpace(form.CaseTitle)
		if title == "" { // left blank: the title the form offers
			title = caseTitleFromReport(rep, district)
		}
		c := &tropic.Case{Title: title, Exploitation: rep.Exploitation}
		if district != "" {
			c.District = rep.Location.District
		}
		err = s.deps.Cases.CreateCase(ctx, actor, c, ref)
		if tropic.ErrorCode(err) == tropic.EINVALID {
			fields := map[string]string{}
			for k, v := range tropic.ErrorFields(err) {
				switch k {
				case "title":
					fields["case_title"] = v
				default:
					fields["decision"] = v
				}
			}
			err = &tropic.Error{Code: tropic.EINVALID, Message: tropic.ErrorMessage(err), Fields: fields}
		}
		caseRef = c.Reference
		msg = "Case " + c.Reference + " has been created from report " + ref + ". Your agency owns it; the report is linked to it and has left the triage queue."
	}
	if err == nil && strings.TrimSpace(form.Reason) != "" {
		err = s.deps.Reports.AddReportNote(ctx, actor, ref, "Decision: linked to case "+caseRef+". "+strings.TrimSpace(form.Reason))
	}
	switch tropic.ErrorCode(err) {
	case "":
		if canWorkCases(userFrom(ctx)) {
			s.caseFlash(r, msg)
			http.Redirect(w, r, casePath(caseRef), http.StatusSeeOther)
			return
		}
		// The triage hub does not see cases: it stays on the report.
		s.sessions.Put(ctx, sessTriageFlash, msg+" Your agency's caseworkers will find it under Our cases.")
		http.Redirect(w, r, triageReportPath(ref), http.StatusSeeOther)
	case tropic.EINVALID:
		s.renderTriageReport(w, r, http.StatusUnprocessableEntity, form, errorsFrom(err, "decision", "case_title", "case_reference", "reason"), "")
	default:
		s.fail(w, r, err)
	}
}

// triageCaseTitle is the title the "create a case" choice offers: what was typed, or
// one made from the report.
func triageCaseTitle(typed string, rep *tropic.Report, districts []tropic.District) string {
	if typed != "" {
		return typed
	}
	name := ""
	for _, d := range districts {
		if d.Slug == rep.Location.District {
			name = d.Name
		}
	}
	return caseTitleFromReport(rep, name)
}
