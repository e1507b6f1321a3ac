package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// Re-authentication for sensitive actions (issue 13 item 8): exports of personal data,
// and administrators' changes of roles and MFA resets, need the user to have proved
// who they are (password, second factor or single sign-on) within the last
// Config.ReauthWindow. recentAuth wraps such a route; a user whose proof is older is
// sent to /account/confirm and back.

// sessAuthAt is when the session's user last proved who they are (Unix seconds).
const sessAuthAt = "auth_at"

// defaultReauthWindow is how recent that proof must be unless configured.
const defaultReauthWindow = 15 * time.Minute

// markAuthenticated notes that the user proved who they are now.
func (s *Server) markAuthenticated(r *http.Request) {
	s.sessions.Put(r.Context(), sessAuthAt, s.now().Unix())
}

// authenticatedRecently reports whether the session's proof is within the window.
func (s *Server) authenticatedRecently(r *http.Request) bool {
	at := s.sessions.GetInt64(r.Context(), sessAuthAt)
	return at != 0 && s.now().Sub(time.Unix(at, 0)) < s.cfg.ReauthWindow
}

// recentAuth lets a signed-in user through to h only with a recent proof of who they
// are; otherwise it sends them to confirm it, coming back to this page (for a GET) or
// to the staff home (a form sent without it is not replayed: wrap its GET page too,
// so that the user confirms before they fill it in). It goes inside requireUser.
func (s *Server) recentAuth(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.authenticatedRecently(r) {
			h.ServeHTTP(w, r)
			return
		}
		s.askToConfirm(w, r)
	})
}

// recentAuthBack is recentAuth for a form's POST whose page is back(r): without a
// recent proof the user confirms who they are and comes back to that page, with the
// form to send again, rather than to the staff home.
func (s *Server) recentAuthBack(back func(*http.Request) string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.authenticatedRecently(r) {
			h.ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, "/account/confirm?next="+url.QueryEscape(back(r)), http.StatusSeeOther)
	})
}

// askToConfirm sends the user to confirm who they are, and back. Handlers that decide
// first whether the user may see the page at all (so that a refusal stays "not
// found") call it themselves when authenticatedRecently is false.
func (s *Server) askToConfirm(w http.ResponseWriter, r *http.Request) {
	next := "/staff"
	if r.Method == http.MethodGet {
		next = r.URL.RequestURI()
	}
	http.Redirect(w, r, "/account/confirm?next="+url.QueryEscape(next), http.StatusSeeOther)
}

type confirmPage struct {
	Layout
	Next   string
	Method string // "password", "code", or "" (nothing Tropic can check: sign in again)
}

// confirmMethod is how the user can prove who they are again: their Tropic password
// if they have one, otherwise their authenticator app's code.
func confirmMethod(login *tropic.Login) string {
	switch {
	case tropic.HasTropicPassword(login.PasswordHash):
		return "password"
	case login.MFASecret != "":
		return "code"
	}
	return ""
}

func (s *Server) newConfirmPage(r *http.Request, login *tropic.Login, next string) *confirmPage {
	return &confirmPage{Layout: s.newLayout(r, "Confirm it is you"), Next: safeNext(next), Method: confirmMethod(login)}
}

func (s *Server) handleConfirmForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login, err := s.ownLogin(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "account_confirm", s.newConfirmPage(r, login, r.URL.Query().Get("next")))
	})
}

func (s *Server) handleConfirm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		login, err := s.ownLogin(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p := s.newConfirmPage(r, login, r.PostFormValue("next"))
		switch p.Method {
		case "password":
			password := r.PostFormValue("password")
			if password == "" {
				p.Errors = []FieldError{{Field: "password", Message: "Enter your password"}}
				s.render(w, r, http.StatusUnprocessableEntity, "account_confirm", p)
				return
			}
			if ok, status, msg := s.checkOwnPassword(r, login, password); !ok {
				p.Errors = []FieldError{{Field: "password", Message: msg}}
				s.render(w, r, status, "account_confirm", p)
				return
			}
		case "code":
			code := strings.TrimSpace(r.PostFormValue("code"))
			if msg := s.checkOwnCode(r, login, code); msg != "" {
				p.Errors = []FieldError{{Field: "code", Message: msg}}
				s.render(w, r, http.StatusUnprocessableEntity, "account_confirm", p)
				return
			}
		default:
			s.render(w, r, http.StatusUnprocessableEntity, "account_confirm", p)
			return
		}
		s.markAuthenticated(r)
		http.Redirect(w, r, p.Next, http.StatusSeeOther)
	})
}

// checkOwnCode checks the signed-in user's authenticator code, reserved against their
// account and used once, like at sign-in; it returns what is wrong, "" if nothing.
func (s *Server) checkOwnCode(r *http.Request, login *tropic.Login, code string) string {
	id := login.User.ID
	if err := s.deps.Users.ReserveLoginAttempt(r.Context(), id, s.cfg.LoginPolicy); err != nil {
		return tropic.ErrorMessage(err)
	}
	step, valid := s.deps.TOTP.Check(login.MFASecret, code, s.now())
	if !valid {
		if err := s.deps.Users.RecordLoginFailure(r.Context(), id, "wrong security code to confirm", s.cfg.LoginPolicy); err != nil {
			s.log.Error("record failure", "error", err.Error())
		}
		return codeProblem(code)
	}
	if err := s.deps.Users.ReleaseLoginAttempt(r.Context(), id); err != nil {
		s.log.Error("release attempt", "error", err.Error())
	}
	if err := s.deps.Users.UseMFAStep(r.Context(), id, step); err != nil {
		return tropic.ErrorMessage(err)
	}
	return ""
}

// adminUserPath is the administration page of the user a form acts on.
// auditPath is the audit search, whose export needs a recent proof: the rows name
// staff and what they did.
func auditPath(*http.Request) string { return "/audit" }

func adminUserPath(r *http.Request) string {
	return "/admin/users/" + url.PathEscape(r.PathValue("id"))
}
