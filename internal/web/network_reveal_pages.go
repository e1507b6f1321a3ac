package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// Revealing a person of the analysts' network (decision 75): where the network
// shows a pseudonymised person, each agency holding them and a link asking it to
// reveal who they are; the form; the analyst's own requests; and the holder's
// supervisor's decision, reached from the approvals queue.

// revealLink asks one holding agency to reveal a person.
type revealLink struct {
	Agency string
	Href   string
}

// revealLinks are a pseudonymised person's holders, each with the address asking it.
func revealLinks(n tropic.NetworkNode) []revealLink {
	if n.Kind != "person" || n.Revealed {
		return nil
	}
	var out []revealLink
	for _, h := range n.Holders {
		q := url.Values{"person": {n.Key}, "agency": {strconv.FormatInt(h.ID, 10)}}
		out = append(out, revealLink{Agency: h.Name, Href: "/analysis/reveals/new?" + q.Encode()})
	}
	return out
}

// holderNames names the agencies holding a person: "A, B".
func holderNames(n tropic.NetworkNode) string {
	names := make([]string, len(n.Holders))
	for i, h := range n.Holders {
		names[i] = h.Name
	}
	return strings.Join(names, ", ")
}

// revealForm is the form as typed.
type revealForm struct {
	Person, Agency, Purpose, Agreement, NoneWhy string
}

var revealFormOrder = []string{"purpose", "agreement", "agreement_reason"}

// readRevealForm reads the form, or the API's fields of the same names.
func readRevealForm(v url.Values) revealForm {
	return revealForm{Person: v.Get("person"), Agency: v.Get("agency"), Purpose: v.Get("purpose"), Agreement: v.Get("agreement"), NoneWhy: v.Get("agreement_reason")}
}

// request is the form as the domain reads it: an agency that is not a number names none.
func (f revealForm) request() *tropic.RevealRequest {
	agency, _ := strconv.ParseInt(f.Agency, 10, 64)
	return &tropic.RevealRequest{PersonKey: f.Person, AgencyID: max(agency, 0), Purpose: f.Purpose,
		AgreementID: agreementID(f.Agreement), NoAgreementReason: f.NoneWhy}
}

type revealAskPage struct {
	Layout
	Form             revealForm
	Agreements       []selectOption
	Days, VictimDays int
}

func (s *Server) renderRevealAsk(w http.ResponseWriter, r *http.Request, status int, f revealForm, errs []FieldError) {
	p := &revealAskPage{Layout: s.newLayout(r, "Ask to reveal a person"), Form: f, Days: tropic.RevealDays, VictimDays: tropic.RevealVictimDays}
	p.Nav = "network"
	p.Errors = errs
	holder, _ := strconv.ParseInt(f.Agency, 10, 64)
	var err error
	if p.Agreements, err = s.agreementChoices(r.Context(), actorOf(r), f.Agreement, p.User.AgencyID, holder); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "network_reveal_ask", p)
}

func (s *Server) handleRevealAskForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := readRevealForm(r.URL.Query())
		if !tropic.IsNetworkKey(f.Person) {
			s.notFound(w, r)
			return
		}
		f.Purpose, f.Agreement, f.NoneWhy = "", "", ""
		s.renderRevealAsk(w, r, http.StatusOK, f, nil)
	})
}

func (s *Server) handleRevealAsk() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		f := readRevealForm(r.PostForm)
		req := f.request()
		err := s.deps.Reveals.AskReveal(r.Context(), actorOf(r), req)
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, "Your request to reveal "+req.Pseudonym+" went to the supervisors at "+req.Agency+". You will be told of their decision in your notifications, and this page shows it.")
			http.Redirect(w, r, "/analysis/reveals", http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderRevealAsk(w, r, http.StatusUnprocessableEntity, f, fieldErrors(err, "", revealFormOrder...))
		default:
			s.fail(w, r, err)
		}
	})
}

// revealAgreementText says what a reveal request rests on.
func revealAgreementText(v tropic.RevealRequest) string {
	if v.AgreementID == 0 {
		return "None. " + v.NoAgreementReason
	}
	return v.AgreementTitle
}

type ownRevealRow struct {
	Anchor, Pseudonym, Holder, Purpose, Agreement, Requested string
	StatusLabel, StatusClass                                 string
	Decided, Name, Until                                     string
	Declined                                                 []string
}

type ownRevealsPage struct {
	Layout
	Flash string
	Rows  []ownRevealRow
}

// ownRevealStatus names a request's state for its requester at now.
func ownRevealStatus(r tropic.RevealRequest, now time.Time) (string, string) {
	switch {
	case r.Status == tropic.RevealRequested:
		return "Waiting for a decision", "govuk-tag--yellow"
	case r.Status == tropic.RevealDeclined:
		return "Declined", "govuk-tag--grey"
	case r.Active(now) && r.Name != "":
		return "Approved", "govuk-tag--green"
	case r.Active(now):
		return "No longer held", "govuk-tag--grey"
	}
	return "Ended", "govuk-tag--red"
}

func (s *Server) handleOwnReveals() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, err := s.deps.Reveals.FindOwnReveals(r.Context(), actorOf(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &ownRevealsPage{Layout: s.newLayout(r, "Your requests to reveal people"), Flash: s.sessions.PopString(r.Context(), sessCaseFlash)}
		p.Nav = "network"
		for _, v := range list {
			row := ownRevealRow{Anchor: "reveal-" + strconv.FormatInt(v.ID, 10), Pseudonym: v.Pseudonym, Holder: v.Agency, Purpose: v.Purpose,
				Agreement: revealAgreementText(v), Requested: displayDateTime(v.RequestedAt), Name: v.Name}
			row.StatusLabel, row.StatusClass = ownRevealStatus(v, s.now())
			if !v.DecidedAt.IsZero() {
				row.Decided = displayDateTime(v.DecidedAt)
			}
			if v.Status == tropic.RevealDeclined {
				row.Declined = paragraphs(v.DecisionReason)
			}
			if !v.Until.IsZero() {
				row.Until = displayDateTime(v.Until)
			}
			p.Rows = append(p.Rows, row)
		}
		s.render(w, r, http.StatusOK, "network_reveals", p)
	})
}

type revealDecisionPage struct {
	Layout
	R              tropic.RevealRequest
	Agreement      string
	FlagLabel      string
	FlagClass      string
	Purpose        []string
	Waiting        string
	Days           int
	Decided        string
	DecisionReason []string
	Action         string
	Decisions      []selectOption
	Typed          string
}

var revealDecisions = []selectOption{
	{Value: "approve", Label: "Approve: reveal the name to the analyst who asked"},
	{Value: "decline", Label: "Decline the request"},
}

func (s *Server) renderRevealDecision(w http.ResponseWriter, r *http.Request, status int, id int64, chosen, typed string, errs []FieldError) {
	v, err := s.deps.Reveals.FindReveal(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &revealDecisionPage{Layout: s.newLayout(r, "Reveal request: "+v.Pseudonym), R: *v, Purpose: paragraphs(v.Purpose),
		Waiting: displayDateTime(v.RequestedAt), Typed: typed, Days: tropic.RevealDays}
	if v.Victim {
		p.Days = tropic.RevealVictimDays
	}
	p.Agreement = revealAgreementText(*v)
	if v.AgreementID == 0 {
		p.FlagLabel, p.FlagClass = shareFlagTag(tropic.ShareFlagNoAgreement)
	}
	p.Nav = "approvals"
	p.Errors = errs
	if v.Status == tropic.RevealRequested {
		p.Action = "/approvals/reveals/" + strconv.FormatInt(id, 10)
		for _, d := range revealDecisions {
			d.Selected = d.Value == chosen
			p.Decisions = append(p.Decisions, d)
		}
		p.Decisions = radioOptions("decision", p.Decisions)
	} else {
		p.Decided = map[tropic.RevealStatus]string{tropic.RevealApproved: "Approved", tropic.RevealDeclined: "Declined"}[v.Status] + ", " + displayDateTime(v.DecidedAt)
		p.DecisionReason = paragraphs(v.DecisionReason)
	}
	s.render(w, r, status, "network_reveal_decision", p)
}

func (s *Server) handleRevealDecisionForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, ok := s.accessDecisionID(w, r); ok {
			s.renderRevealDecision(w, r, http.StatusOK, id, "", "", nil)
		}
	})
}

// handleRevealDecision approves or declines (with a reason) a reveal request.
func (s *Server) handleRevealDecision() http.Handler {
	return s.handleQueueDecision(func(r *http.Request, id int64, approve bool, reason string) error {
		return s.deps.Reveals.DecideReveal(r.Context(), actorOf(r), id, approve, reason)
	}, s.renderRevealDecision,
		"You approved the request. The analyst who asked sees the name in the partnership network for a limited time, and has been told.",
		"You declined the request. The analyst who asked has been told, and can read your reason.")
}

// requireReveals answers as a missing page when reveals are not wired.
func (s *Server) requireReveals(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Reveals == nil {
			s.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
