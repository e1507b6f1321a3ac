package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// Shares under an expired agreement: the live shares of a supervisor's agency's cases
// whose sharing agreement has passed its review date, ended in bulk (each audited on
// its case).

type expiredShareRow struct {
	ID                              string
	CaseRef, CaseHref               string
	Agency, Scope, Agreement, Since string
	ReviewOn                        string
	Checked                         bool
}

type expiredSharesPage struct {
	Layout
	Flash string
	Rows  []expiredShareRow
}

func (s *Server) renderExpiredShares(w http.ResponseWriter, r *http.Request, status int, checked map[string]bool, errs []FieldError) {
	list, err := s.deps.Agreements.FindExpiredShares(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &expiredSharesPage{Layout: s.newLayout(r, "Shares under an expired agreement"), Flash: s.sessions.PopString(r.Context(), sessCaseFlash)}
	p.Nav, p.Errors = "approvals", errs
	for _, e := range list {
		id := strconv.FormatInt(e.ShareID, 10)
		p.Rows = append(p.Rows, expiredShareRow{ID: id, CaseRef: e.CaseReference, CaseHref: casePath(e.CaseReference) + "#sharing",
			Agency: e.Agency, Scope: shareScopeLabel(e.Scope), Agreement: e.Agreement, ReviewOn: caseDate(e.ReviewOn),
			Since: displayDateTime(e.Since), Checked: checked == nil || checked[id]})
	}
	s.render(w, r, status, "expired_shares", p)
}

func (s *Server) handleExpiredShares() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderExpiredShares(w, r, http.StatusOK, nil, nil)
	})
}

// handleEndExpiredShares ends the ticked shares, all or none.
func (s *Server) handleEndExpiredShares() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		var ids []int64
		checked := map[string]bool{}
		for _, v := range r.PostForm["share"] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				continue
			}
			ids, checked[v] = append(ids, id), true
		}
		n, err := s.deps.Agreements.EndExpiredShares(r.Context(), actorOf(r), ids)
		switch tropic.ErrorCode(err) {
		case "":
			s.caseFlash(r, plural(n, "share", "shares")+" ended. The agencies no longer see those cases; each ending is in the case's audit trail.")
			http.Redirect(w, r, "/approvals/expired-shares", http.StatusSeeOther)
		case tropic.EINVALID:
			s.renderExpiredShares(w, r, http.StatusUnprocessableEntity, checked, []FieldError{{Field: "shares", Message: "Choose the shares to end"}})
		default:
			// Not found: another supervisor ended one a moment before, or an id not of
			// this agency's expired shares: the missing page, nothing ended.
			s.fail(w, r, err)
		}
	})
}
