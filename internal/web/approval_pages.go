package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The supervisors' approvals queue: every request waiting on a case of their agency
// (share requests, other agencies' access requests, role changes, and case closures
// once that source is wired), oldest first, from its sources (Deps.Approvals). Shares
// and access requests are decided here; a role change, which needs a note, on its page.

type approvalRow struct {
	Kind        string
	Anchor      string
	CaseRef     string
	CaseHref    string
	What        string
	Detail      string
	Reason      []string
	RequestedBy string
	Waiting     string
	DecideHref  string // approve or decline here
	ApproveOnly bool   // only approve here: declining needs a reason (GoHref)
	GoHref      string // or decide there
	GoText      string
	Agreement   string // a share or access request: what it rests on
	FlagLabel   string // flagged: no agreement, or a lapsed one
	FlagClass   string
	Withdrawn   string // an access request whose link was withdrawn since: why it cannot be approved
}

type approvalCount struct {
	Label string
	N     int
}

type approvalsPage struct {
	Layout
	Flash   string
	Rows    []approvalRow
	Counts  []approvalCount
	Expired int // live shares of the agency's cases under a lapsed agreement
}

// approvals lists the queue of the signed-in supervisor; nothing for anyone else.
func (s *Server) approvals(r *http.Request) ([]tropic.Approval, error) {
	return tropic.CollectApprovals(r.Context(), actorOf(r), s.deps.Approvals)
}

// requireSupervisor answers as a missing page to anyone who is not a supervisor, or
// when no approvals are wired.
func (s *Server) requireSupervisor(next http.Handler) http.Handler {
	return s.browser(s.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !canSupervise(userFrom(r.Context())) || len(s.deps.Approvals) == 0 {
			s.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})))
}

// approvalCounts counts the queue by kind, in a fixed order, leaving out kinds with none.
func approvalCounts(list []tropic.Approval) []approvalCount {
	by := tropic.CountApprovals(list)
	var out []approvalCount
	for _, k := range tropic.ApprovalKinds {
		if by[k] > 0 {
			out = append(out, approvalCount{Label: approvalCountLabel(k, by[k]), N: by[k]})
		}
	}
	return out
}

func approvalCountLabel(k tropic.ApprovalKind, n int) string {
	switch k {
	case tropic.ApproveShare:
		return plural(n, "share request", "share requests")
	case tropic.ApproveAccess:
		return plural(n, "access request", "access requests")
	case tropic.ApproveRoleChange:
		return plural(n, "role change", "role changes")
	case tropic.ApproveClosure:
		return plural(n, "case closure", "case closures")
	case tropic.ApproveRetention:
		return plural(n, "retention review", "retention reviews")
	case tropic.ApproveReveal:
		return plural(n, "reveal request", "reveal requests")
	}
	return plural(n, string(k), string(k))
}

// shareAgreement says what a share or access request rests on, flagged when no
// agreement applies or its agreement has lapsed.
func (row *approvalRow) shareAgreement(sh *tropic.Share, now time.Time) {
	if sh == nil {
		return
	}
	row.Agreement = shareAgreementText(sh)
	row.FlagLabel, row.FlagClass = shareFlagTag(sh.Flag(now))
}

func approvalRowFrom(a tropic.Approval, now time.Time) approvalRow {
	id := strconv.FormatInt(a.ID, 10)
	row := approvalRow{Kind: a.Kind.Label(), Anchor: string(a.Kind) + "-" + id, CaseRef: a.CaseReference, CaseHref: casePath(a.CaseReference),
		What: a.What, Reason: paragraphs(a.Reason), RequestedBy: a.RequestedBy, Waiting: displayDateTime(a.RequestedAt)}
	switch a.Kind {
	case tropic.ApproveShare:
		row.What = "Share with " + a.Agency + ": " + lowerFirst(shareScopeLabel(a.Scope))
		row.Detail = "Lawful basis: " + lawfulBasisLabel(a.LawfulBasis)
		// Declining needs a reason the requester reads: on its own page.
		row.DecideHref, row.ApproveOnly = "/approvals/shares/"+id, true
		row.GoHref, row.GoText = shareDeclinePath(a.CaseReference, a.ID), "Decline it with a reason"
		row.shareAgreement(a.Share, now)
	case tropic.ApproveAccess:
		row.What = a.Agency + " asks to see " + lowerFirst(shareScopeLabel(a.Scope))
		row.Detail = accessViaText(a.AccessBy, a.Via) + " Lawful basis: " + lawfulBasisLabel(a.LawfulBasis)
		// Declining needs a reason the requester reads: on the request's own page.
		row.DecideHref, row.ApproveOnly = "/approvals/shares/"+id, true
		row.GoHref, row.GoText = "/approvals/access/"+id, "Read the request, or decline it with a reason"
		if row.Withdrawn = a.Withdrawn; row.Withdrawn != "" {
			row.DecideHref, row.GoText = "", "Read the request and decline it"
		}
		row.shareAgreement(a.Share, now)
	case tropic.ApproveRoleChange:
		row.What = "A person from " + lowerFirst(a.From.Label()) + " to " + lowerFirst(a.To.Label())
		row.GoHref, row.GoText = "/cases/role-changes", "Decide with a note"
	case tropic.ApproveClosure:
		row.GoHref, row.GoText = casePath(a.CaseReference)+"/close", "Decide on the close page"
	case tropic.ApproveReveal:
		row.CaseHref = ""
		row.Agreement = revealAgreementText(tropic.RevealRequest{AgreementID: a.Share.AgreementID, AgreementTitle: a.Share.AgreementTitle,
			NoAgreementReason: a.Share.NoAgreementReason})
		if a.Share.AgreementID == 0 {
			row.FlagLabel, row.FlagClass = shareFlagTag(tropic.ShareFlagNoAgreement)
		}
		row.GoHref, row.GoText = "/approvals/reveals/"+id, "Read the request and decide it"
	case tropic.ApproveRetention:
		row.CaseHref = recordHref(a.Record, a.CaseReference)
		row.GoHref, row.GoText = "/retention#review-"+id, "Keep or dispose on the retention page"
	default:
		row.GoHref, row.GoText = casePath(a.CaseReference), "Decide on the case"
	}
	return row
}

// lowerFirst puts a label inside a sentence: "The whole case" → "the whole case".
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func (s *Server) handleApprovals() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, err := s.approvals(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &approvalsPage{Layout: s.newLayout(r, "Approvals"), Flash: s.sessions.PopString(r.Context(), sessCaseFlash), Counts: approvalCounts(list)}
		p.Nav = "approvals"
		if s.deps.Agreements != nil {
			expired, err := s.deps.Agreements.FindExpiredShares(r.Context(), actorOf(r))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			p.Expired = len(expired)
		}
		for _, a := range list {
			p.Rows = append(p.Rows, approvalRowFrom(a, s.now()))
		}
		s.render(w, r, http.StatusOK, "approvals", p)
	})
}

// handleApprovalShareDecision approves or declines a share or access request from the
// queue, and goes back to it.
func (s *Server) handleApprovalShareDecision() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			s.notFound(w, r)
			return
		}
		if !s.parseForm(w, r) {
			return
		}
		approve := r.PostFormValue("decision") == "approve"
		if !approve && r.PostFormValue("decision") != "decline" {
			s.renderError(w, r, http.StatusUnprocessableEntity, "There is a problem", "Choose approve or decline.")
			return
		}
		if err := s.deps.Cases.DecideShare(r.Context(), actorOf(r), id, approve, ""); err != nil {
			s.fail(w, r, err)
			return
		}
		msg := "You declined the request. The agency cannot see the case, and whoever asked has been told."
		if approve {
			msg = "You approved the request. The agency can now see the case, and whoever asked has been told."
		}
		s.caseFlash(r, msg)
		http.Redirect(w, r, "/approvals", http.StatusSeeOther)
	})
}
