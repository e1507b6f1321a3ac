package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// "Add information to a report": the reporter's reference and follow-up code let
// them append to the report's timeline, with no account. A wrong code, an unknown
// reference and a report that has seen many wrong codes get the same answer; the
// right code always gets through. Wrong codes are counted per client address here
// (in memory; past the limit they answer 429) and per report in the store.
const (
	followUpLimit       = 10
	followUpLimitWindow = 15 * time.Minute
)

// followUpPage keeps what was typed, the code too, on every error.
type followUpPage struct {
	Layout
	Reference   string
	Code        string
	Information string
}

func (s *Server) newFollowUpPage(r *http.Request) *followUpPage {
	p := &followUpPage{Layout: s.publicLayout(r, "followup.title")}
	return p
}

func (s *Server) handleFollowUpForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusOK, "followup", s.newFollowUpPage(r))
	})
}

func (s *Server) handleFollowUp() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		p := s.newFollowUpPage(r)
		p.Reference = strings.TrimSpace(r.PostForm.Get("reference"))
		p.Code = strings.TrimSpace(r.PostForm.Get("code"))
		p.Information = strings.ReplaceAll(r.PostForm.Get("information"), "\r\n", "\n")

		// The same checks as the store's, so that every problem shows at once.
		var problems tropic.Problems
		ref, refErr := tropic.ParseReference(p.Reference)
		switch {
		case p.Reference == "":
			problems.Add("reference", p.T("followup.reference_required"))
		case refErr != nil:
			problems.Add("reference", p.T("followup.reference_invalid"))
		}
		switch {
		case p.Code == "":
			problems.Add("code", p.T("followup.code_required"))
		case len(p.Code) > 40 || tropic.HasControlChars(p.Code):
			problems.Add("code", p.T("followup.code_invalid"))
		}
		p.Information = tropic.CheckFollowUp(&problems, p.Information)
		if err := problems.Err(); err != nil {
			p.Errors = p.publicErrors(errorsFrom(err, "reference", "code", "information"))
			s.render(w, r, http.StatusUnprocessableEntity, "followup", p)
			return
		}

		// The code is checked before any limit: the right code always gets through.
		// Wrong ones are counted per address here, and past the limit refused with 429,
		// the same for every reference, known or not.
		addr := s.clientAddr(r)
		err := s.deps.Reports.AddFollowUp(r.Context(), ref, tropic.HashFollowUpCode(p.Code), p.Information)
		switch tropic.ErrorCode(err) {
		case "":
			// Redirect, so that a refresh cannot add the information twice.
			http.Redirect(w, r, p.Link("/report/follow-up/done"), http.StatusSeeOther)
		case tropic.EUNAUTHORISED:
			if blocked, wait := s.followUpLimiter.Blocked(addr); blocked {
				w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
				p.Errors = []FieldError{{Field: "reference", Message: p.T("followup.too_many", "count", waitMinutes(wait))}}
				s.render(w, r, http.StatusTooManyRequests, "followup", p)
				return
			}
			s.followUpLimiter.Add(addr)
			p.Errors = p.publicErrors([]FieldError{{Field: "reference", Message: tropic.ErrorMessage(err)}})
			s.render(w, r, http.StatusUnprocessableEntity, "followup", p)
		case tropic.EINVALID:
			p.Errors = p.publicErrors(errorsFrom(err, "reference", "code", "information"))
			s.render(w, r, http.StatusUnprocessableEntity, "followup", p)
		default:
			s.serverError(w, r, err)
		}
	})
}

func (s *Server) handleFollowUpDone() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &simplePage{Layout: s.publicLayout(r, "followup_done.title")}
		s.render(w, r, http.StatusOK, "followup_done", p)
	})
}

// waitMinutes is how long to wait, in whole minutes rounded up.
func waitMinutes(d time.Duration) int { return int((d + time.Minute - 1) / time.Minute) }
