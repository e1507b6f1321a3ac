package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// The requester's own requests for access, newest first, and how each was decided:
// where the notification of a decision leads. The holder's case is named only once
// the requester's agency may see it; before that, and after a refusal, a request says
// no more than the "held by" it came from.

type ownAccessRow struct {
	Anchor      string
	Holder      string
	FromCase    string
	FromHref    string
	Asked       string // what the request named, as the requester knows it
	What        string
	LawfulBasis string
	Reason      []string
	Requested   string
	StatusLabel string
	StatusClass string
	Decided     string
	Declined    []string // the supervisor's reason for declining
	Covered     bool     // closed because a share already gave what it asked: Declined says so
	CaseRef     string   // the holder's case, once shared
	CaseHref    string
	Withdrawn   string // waiting, but its link was withdrawn since: why
}

type ownAccessPage struct {
	Layout
	Flash string
	Rows  []ownAccessRow
}

// accessAskedText says, to the requester, what their request named.
func accessAskedText(by tropic.AccessBy, via string) string {
	switch by {
	case tropic.AccessByMatch:
		return "A possible match for a person on your case"
	case tropic.AccessByS45:
		return "The case on which a suspect on your case is a potential victim"
	}
	return "A record with the same " + via + " as your case"
}

// ownAccessStatus names a request's state for its requester.
func ownAccessStatus(r tropic.OwnAccessRequest) (string, string) {
	switch {
	case r.Status == tropic.ShareRequested && r.Withdrawn != "":
		return "Link withdrawn", "govuk-tag--grey"
	case r.Status == tropic.ShareRequested:
		return "Waiting for a decision", "govuk-tag--yellow"
	case r.Status == tropic.ShareActive && r.CaseReference != "":
		return "Approved", "govuk-tag--green"
	case r.Status == tropic.ShareDeclined:
		return "Declined", "govuk-tag--grey"
	case r.Status == tropic.ShareCovered:
		return "Already shared", "govuk-tag--grey"
	}
	return "Access ended", "govuk-tag--red" // revoked, or past its end date
}

func ownAccessRowFrom(r tropic.OwnAccessRequest) ownAccessRow {
	row := ownAccessRow{Anchor: "request-" + strconv.FormatInt(r.ID, 10), Holder: r.Holder, FromCase: r.FromCase, Asked: accessAskedText(r.By, r.Via),
		What: shareScopeLabel(r.Scope), LawfulBasis: lawfulBasisLabel(r.LawfulBasis), Reason: paragraphs(r.Reason),
		Requested: displayDateTime(r.RequestedAt), CaseRef: r.CaseReference, Withdrawn: r.Withdrawn}
	if r.FromCase != "" {
		row.FromHref = casePath(r.FromCase)
	}
	if r.CaseReference != "" {
		row.CaseHref = casePath(r.CaseReference)
	}
	row.StatusLabel, row.StatusClass = ownAccessStatus(r)
	if !r.DecidedAt.IsZero() {
		row.Decided = displayDateTime(r.DecidedAt)
	}
	if r.Status == tropic.ShareDeclined || r.Status == tropic.ShareCovered {
		row.Declined, row.Covered = paragraphs(r.DecisionReason), r.Status == tropic.ShareCovered
	}
	return row
}

func (s *Server) handleOwnAccessRequests() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A page for those who work cases: to anyone else, as every such page, missing.
		if s.deps.Access == nil || tropic.MayListOwnAccessRequests(actorOf(r)) != nil {
			s.notFound(w, r)
			return
		}
		list, err := s.deps.Access.FindOwnAccessRequests(r.Context(), actorOf(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &ownAccessPage{Layout: s.newLayout(r, "Your requests for access"), Flash: s.sessions.PopString(r.Context(), sessCaseFlash)}
		p.Nav = "cases"
		for _, a := range list {
			p.Rows = append(p.Rows, ownAccessRowFrom(a))
		}
		s.render(w, r, http.StatusOK, "access_requests", p)
	})
}
