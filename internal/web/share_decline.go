package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// Declining a share request: a page of its own, so the reason the requester reads is
// asked for without JavaScript and kept when the decline is refused. Approving stays
// a button on the case and the approvals queue. Only supervisors of the owning agency
// decide (tropic.MayDecideShare); who may not see the case finds the page missing.

type shareDeclinePage struct {
	Layout
	CaseRef   string
	CaseHref  string
	Agency    string // the agency it would share with
	What      string
	Reason    []string
	Requested string
	Action    string
	Typed     string
}

// shareDeclinePath is the page that declines share id of case ref.
func shareDeclinePath(ref string, id int64) string {
	return casePath(ref) + "/shares/" + strconv.FormatInt(id, 10) + "/decline"
}

func (s *Server) renderShareDecline(w http.ResponseWriter, r *http.Request, status int, typed string, errs []FieldError) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return
	}
	c := s.loadCase(w, r)
	if c == nil {
		return
	}
	var sh *tropic.Share
	for _, v := range c.Shares {
		if v.ID == id && v.Kind == tropic.ShareByOwner {
			sh = v
		}
	}
	if sh == nil {
		s.notFound(w, r)
		return
	}
	if err := tropic.MayDecideShare(actorOf(r), c, sh); err != nil {
		s.fail(w, r, err) // the owner's other staff: forbidden, as the store answers
		return
	}
	if _, err := tropic.CheckShareDecision(sh, true, ""); err != nil {
		s.fail(w, r, err) // decided already: a conflict, said as such
		return
	}
	p := &shareDeclinePage{Layout: s.newLayout(r, "Decline sharing case "+c.Reference), CaseRef: c.Reference, CaseHref: casePath(c.Reference),
		Agency: sh.AgencyName, What: shareScopeLabel(sh.Scope), Reason: paragraphs(sh.Reason), Requested: sh.RequestedBy + ", " + displayDateTime(sh.CreatedAt),
		Action: shareDeclinePath(c.Reference, id), Typed: typed}
	p.Nav = "cases"
	p.Errors = errs
	s.render(w, r, status, "share_decline", p)
}

func (s *Server) handleShareDeclineForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderShareDecline(w, r, http.StatusOK, "", nil)
	})
}

// handleShareDecline declines a share request with the reason its requester reads.
func (s *Server) handleShareDecline() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := caseRefFrom(r)
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if !ok || err != nil || id <= 0 {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		reason := r.PostFormValue("reason")
		err = s.deps.Cases.DecideShare(r.Context(), actorOf(r), id, false, reason)
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, "You declined the share. The agency cannot see the case; whoever asked has been told, and can read your reason.")
			http.Redirect(w, r, casePath(ref), http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderShareDecline(w, r, http.StatusUnprocessableEntity, reason, errorsFrom(err, "reason"))
		default:
			s.fail(w, r, err)
		}
	})
}
