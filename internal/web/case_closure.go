package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// Closing a case needs a supervisor of its agency (issue 12, item 5): a caseworker's
// close becomes a request, which a supervisor approves or refuses on the same page,
// with what closing would leave open listed for them to confirm.

// closureView is a request to close, as the close page shows it.
type closureView struct {
	RequestedBy string
	RequestedAt string
	Outcome     string
	Reason      string
}

// fillClosureOptions sets what the close page offers user actor on case c.
func fillClosureOptions(p *caseFormPage, c *tropic.Case, actor tropic.Actor) {
	p.Warnings = c.ClosureWarnings
	p.CloseNow = tropic.MayCloseCase(actor, c) == nil
	if !p.CloseNow {
		p.Heading, p.Submit = "Ask a supervisor to close the case", "Send the request"
		p.Intro = "Closing a case needs a supervisor of " + c.OwnerAgency + ". Your request goes to them; the case stays open until one approves it."
	}
	req := c.PendingClosure
	if req == nil {
		return
	}
	p.Pending = &closureView{RequestedBy: req.RequestedBy, RequestedAt: displayDateTime(req.RequestedAt),
		Outcome: caseOutcomeLabel(req.Outcome), Reason: req.Reason}
	if tropic.MayDecideClosure(actor, c, req) != nil {
		p.NoForm = true
		p.Heading = "A request to close the case is waiting"
		p.Intro = "A supervisor of " + c.OwnerAgency + " other than the person who asked will approve or refuse it."
		return
	}
	p.Heading, p.Submit, p.Intro = "Decide the request to close the case", "Record the decision", ""
	p.Action = casePath(c.Reference) + "/closure"
	p.Decisions = radioOptions("decision", []selectOption{
		{Value: "approve", Label: "Approve: close the case with this outcome", Selected: p.Form.Decision == "approve"},
		{Value: "refuse", Label: "Refuse: the case stays open", Selected: p.Form.Decision == "refuse"},
	})
}

// handleCaseClosureDecision records a supervisor's decision on the request to close.
func (s *Server) handleCaseClosureDecision() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := caseRefFrom(r)
		if !ok {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		f := caseCloseForm.decode(r)
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		var err error
		switch f.Decision {
		case "approve", "refuse":
			err = s.deps.Cases.DecideClosure(r.Context(), actorOf(r), ref, f.Decision == "approve", f.Notes, f.Confirm)
		default:
			err = invalid("decision", "Choose whether to approve or refuse the request")
		}
		if err != nil {
			s.caseFormProblem(w, r, caseCloseForm, version, f, err)
			return
		}
		msg := "The request is refused; the case stays open. The person who asked can see why in the timeline."
		if f.Decision == "approve" {
			msg = "The request is approved and the case is closed."
		}
		s.caseFlash(r, msg)
		http.Redirect(w, r, casePath(ref), http.StatusSeeOther)
	})
}

// officerOptions lists who may be officer in charge: the agency's caseworkers and
// supervisors (tropic.MayBeOfficer).
func officerOptions(users []*tropic.User, chosen string, me int64) []selectOption {
	out := []selectOption{{Value: "", Label: "Nobody yet", Selected: chosen == ""}}
	for _, u := range users {
		if u.Disabled || !canWorkCases(u) {
			continue
		}
		id := strconv.FormatInt(u.ID, 10)
		label := u.Name
		if u.ID == me {
			label += " (you)"
		}
		out = append(out, selectOption{Value: id, Label: label, Selected: chosen == id})
	}
	return out
}
