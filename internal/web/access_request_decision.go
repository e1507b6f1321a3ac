package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// An access request as the holding agency's supervisor decides it: what was asked,
// by whom, why and how the requester came to ask (for a possible match, the person
// on the supervisor's own case it concerns), then approve (the case is shared as
// asked) or decline with a reason, which the requester reads. Only supervisors of
// the agency holding the case find the page.

type accessDecisionPage struct {
	Layout
	ID          string
	Agency      string // who asks
	CaseRef     string
	CaseHref    string
	What        string // "The whole case"
	Via         string // how they came to ask
	LawfulBasis string
	Agreement   string // what the request rests on: an agreement, or why none applies
	FlagLabel   string // flagged: no agreement, or a lapsed one
	FlagClass   string
	Reason      []string
	RequestedBy string
	Waiting     string
	PersonName  string // a match: the supervisor's own person it concerns
	PersonHref  string
	Withdrawn   string // its link withdrawn since it was made: why it can only be declined
	// Decided: the request is no longer waiting; what became of it.
	Decided        string
	DecisionReason []string
	Action         string
	Decisions      []selectOption
	Typed          string
}

// accessViaText says, to the holder, how the requesting agency came to ask: as it
// stood then, since a correction may withdraw the link after (tropic.AccessBasis).
func accessViaText(by tropic.AccessBy, via string) string {
	switch by {
	case tropic.AccessByMatch:
		return "When it asked, Tropic suggested that a person on its case might be the same person as one on this case (a possible match)."
	case tropic.AccessByS45:
		return "When it asked, a suspect on its case was a potential victim on this case: the s.45 defence may apply."
	}
	return "When it asked, its own case had the same " + via + "."
}

var accessDecisions = []selectOption{
	{Value: "approve", Label: "Approve: share the case as asked"},
	{Value: "decline", Label: "Decline the request"},
}

func (s *Server) renderAccessDecision(w http.ResponseWriter, r *http.Request, status int, id int64, chosen, typed string, errs []FieldError) {
	if s.deps.Access == nil {
		s.notFound(w, r)
		return
	}
	a, err := s.deps.Access.FindAccessApproval(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &accessDecisionPage{Layout: s.newLayout(r, "Access request: "+a.CaseReference), ID: strconv.FormatInt(a.ID, 10), Agency: a.Agency,
		CaseRef: a.CaseReference, CaseHref: casePath(a.CaseReference), What: shareScopeLabel(a.Scope), Via: accessViaText(a.AccessBy, a.Via),
		LawfulBasis: lawfulBasisLabel(a.LawfulBasis), Reason: paragraphs(a.Reason), RequestedBy: a.RequestedBy, Waiting: displayDateTime(a.RequestedAt),
		PersonName: a.PersonName, Typed: typed}
	if a.PersonID != 0 {
		p.PersonHref = personPath(a.PersonID)
	}
	if a.Share != nil {
		p.Agreement = shareAgreementText(a.Share)
		p.FlagLabel, p.FlagClass = shareFlagTag(a.Share.Flag(s.now()))
	}
	p.Nav = "approvals"
	p.Errors = errs
	if a.Status == tropic.ShareRequested {
		p.Action, p.Withdrawn = "/approvals/access/"+p.ID, a.Withdrawn
		for _, d := range accessDecisions {
			if p.Withdrawn != "" && d.Value == "approve" {
				continue // the store refuses it: not offered
			}
			d.Selected = d.Value == chosen || p.Withdrawn != ""
			p.Decisions = append(p.Decisions, d)
		}
		p.Decisions = radioOptions("decision", p.Decisions)
	} else {
		label, _ := shareStatusTag(a.Status)
		p.Decided = label
		if !a.DecidedAt.IsZero() {
			p.Decided += ", " + displayDateTime(a.DecidedAt)
		}
		p.DecisionReason = paragraphs(a.DecisionReason)
	}
	s.render(w, r, status, "access_decision", p)
}

// accessDecisionID reads the request's id from the path; false after answering.
func (s *Server) accessDecisionID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return 0, false
	}
	return id, true
}

func (s *Server) handleAccessDecisionForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := s.accessDecisionID(w, r); ok {
			s.renderAccessDecision(w, r, http.StatusOK, id, "", "", nil)
		}
	})
}

// handleAccessDecision approves or declines (with a reason) an access request.
func (s *Server) handleAccessDecision() http.Handler {
	return s.handleQueueDecision(func(r *http.Request, id int64, approve bool, reason string) error {
		return s.deps.Cases.DecideShare(r.Context(), actorOf(r), id, approve, reason)
	}, s.renderAccessDecision,
		"You approved the request. The agency can now see the case, and whoever asked has been told.",
		"You declined the request. The agency cannot see the case; whoever asked has been told, and can read your reason.")
}

// handleQueueDecision approves or declines (with a reason) a request of the approvals
// queue decided on its own page, then goes back to the queue; render shows the page
// again with what was chosen and typed, and the problems.
func (s *Server) handleQueueDecision(decide func(r *http.Request, id int64, approve bool, reason string) error,
	render func(w http.ResponseWriter, r *http.Request, status int, id int64, chosen, typed string, errs []FieldError), approved, declined string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.accessDecisionID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		decision, reason := r.PostFormValue("decision"), r.PostFormValue("reason")
		var err error
		if decision != "approve" && decision != "decline" {
			err = invalid("decision", "Choose whether to approve or decline the request")
		} else {
			err = decide(r, id, decision == "approve", reason)
		}
		switch tropic.ErrorCode(err) {
		case "":
			msg := declined
			if decision == "approve" {
				msg = approved
			}
			s.caseFlash(r, msg)
			http.Redirect(w, r, "/approvals", http.StatusSeeOther)
		case tropic.EINVALID:
			render(w, r, http.StatusUnprocessableEntity, id, decision, reason, fieldErrors(err, "", "decision", "reason"))
		case tropic.ECONFLICT:
			render(w, r, http.StatusConflict, id, "", "", []FieldError{{Message: tropic.ErrorMessage(err)}})
		default:
			s.fail(w, r, err)
		}
	})
}
