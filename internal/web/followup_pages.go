package web

import (
	"fmt"
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
	p := &followUpPage{Layout: s.newLayout(r, "Add information to a report")}
	p.Public = true
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
		ref := checkReporterCredentials(&problems, p.Reference, p.Code)
		p.Information = tropic.CheckFollowUp(&problems, p.Information)
		if err := problems.Err(); err != nil {
			p.Errors = errorsFrom(err, "reference", "code", "information")
			s.render(w, r, http.StatusUnprocessableEntity, "followup", p)
			return
		}

		err := s.deps.Reports.AddFollowUp(r.Context(), ref, tropic.HashFollowUpCode(p.Code), p.Information)
		switch tropic.ErrorCode(err) {
		case "":
			// Redirect, so that a refresh cannot add the information twice.
			http.Redirect(w, r, "/report/follow-up/done", http.StatusSeeOther)
		case tropic.EUNAUTHORISED:
			status, msg := s.reporterDenied(w, r, err)
			p.Errors = []FieldError{{Field: "reference", Message: msg}}
			s.render(w, r, status, "followup", p)
		case tropic.EINVALID:
			p.Errors = errorsFrom(err, "reference", "code", "information")
			s.render(w, r, http.StatusUnprocessableEntity, "followup", p)
		default:
			s.serverError(w, r, err)
		}
	})
}

func (s *Server) handleFollowUpDone() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &simplePage{Layout: s.newLayout(r, "Information added to your report")}
		p.Public = true
		s.render(w, r, http.StatusOK, "followup_done", p)
	})
}

// checkReporterCredentials checks a reference and follow-up code as typed, as the
// store checks them, so that every problem shows at once; it returns the reference in
// its canonical form.
func checkReporterCredentials(problems *tropic.Problems, reference, code string) string {
	ref, refErr := tropic.ParseReference(reference)
	switch {
	case reference == "":
		problems.Add("reference", "Enter the reference of your report, like KM7Q-2XP-A72")
	case refErr != nil:
		problems.Add("reference", "Check the reference: it should look like KM7Q-2XP-A72")
	}
	switch {
	case code == "":
		problems.Add("code", "Enter the follow-up code you were given with your reference")
	case len(code) > 40 || tropic.HasControlChars(code):
		problems.Add("code", "Check the follow-up code: it should look like 7KQ2M-XP4AT")
	}
	return ref
}

// reporterDenied answers a wrong reference or code (err, EUNAUTHORISED) on any
// follow-up page: the status and the message to show by the reference. The code is
// checked before any limit, so the right code always gets through; wrong ones are
// counted per address, and past the limit refused with 429, the same for every
// reference, known or not.
func (s *Server) reporterDenied(w http.ResponseWriter, r *http.Request, err error) (int, string) {
	addr := s.clientAddr(r)
	if blocked, wait := s.followUpLimiter.Blocked(addr); blocked {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return http.StatusTooManyRequests, fmt.Sprintf("There have been too many attempts with a wrong reference or code from your internet connection. Try again in %d minutes, or call the Modern Slavery Helpline on 08000 121 700.", waitMinutes(wait))
	}
	s.followUpLimiter.Add(addr)
	return http.StatusUnprocessableEntity, tropic.ErrorMessage(err)
}

// waitMinutes is how long to wait, in whole minutes rounded up.
func waitMinutes(d time.Duration) int { return int((d + time.Minute - 1) / time.Minute) }
