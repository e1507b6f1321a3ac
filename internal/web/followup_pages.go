package web

import (
	"errors"
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
		ref := checkReporterCredentials(&p.Layout, &problems, p.Reference, p.Code)
		p.Information = tropic.CheckFollowUp(&problems, p.Information)
		if err := problems.Err(); err != nil {
			p.Errors = p.publicErrors(errorsFrom(err, "reference", "code", "information"))
			s.render(w, r, http.StatusUnprocessableEntity, "followup", p)
			return
		}

		err := s.deps.Reports.AddFollowUp(r.Context(), ref, tropic.HashFollowUpCode(p.Code), p.Information)
		switch tropic.ErrorCode(err) {
		case "":
			// Redirect, so that a refresh cannot add the information twice.
			http.Redirect(w, r, p.Link("/report/follow-up/done"), http.StatusSeeOther)
		case tropic.EUNAUTHORISED:
			status, errs := s.reporterDenied(w, r, &p.Layout, err)
			p.Errors = errs
			s.render(w, r, status, "followup", p)
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

// checkReporterCredentials checks a reference and follow-up code as typed, as the
// store checks them, so that every problem shows at once; it returns the reference in
// its canonical form.
func checkReporterCredentials(l *Layout, problems *tropic.Problems, reference, code string) string {
	ref, refErr := tropic.ParseReference(reference)
	switch {
	case reference == "":
		problems.Add("reference", l.T("followup.reference_required"))
	case errors.Is(refErr, tropic.ErrReferenceMistyped):
		problems.Add("reference", l.T("followup.reference_mistyped"))
	case refErr != nil:
		problems.Add("reference", l.T("followup.reference_invalid"))
	}
	switch {
	case code == "":
		problems.Add("code", l.T("followup.code_required"))
	case len(code) > 40 || tropic.HasControlChars(code):
		problems.Add("code", l.T("followup.code_invalid"))
	}
	return ref
}

// reporterDenied answers a wrong reference or code (err, EUNAUTHORISED) on any
// follow-up page: the status and the problem to show by the reference, in the page's
// language. The code is checked before any limit, so the right code always gets
// through; wrong ones are counted per address, and past the limit refused with 429,
// the same for every reference, known or not.
func (s *Server) reporterDenied(w http.ResponseWriter, r *http.Request, l *Layout, err error) (int, []FieldError) {
	addr := s.clientAddr(r)
	if blocked, wait := s.followUpLimiter.Blocked(addr); blocked {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return http.StatusTooManyRequests, []FieldError{{Field: "reference", Message: l.T("followup.too_many", "count", waitMinutes(wait))}}
	}
	s.followUpLimiter.Add(addr)
	return http.StatusUnprocessableEntity, l.publicErrors([]FieldError{{Field: "reference", Message: tropic.ErrorMessage(err)}})
}

// waitMinutes is how long to wait, in whole minutes rounded up.
func waitMinutes(d time.Duration) int { return int((d + time.Minute - 1) / time.Minute) }
