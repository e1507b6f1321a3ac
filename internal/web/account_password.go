package web

import (
	"fmt"
	"net/http"

	"tropic/internal/tropic"
)

// Changing one's own password (issue 13 item 7): the current password is asked for,
// the new one checked as at every setting of a password, and the user's other
// sessions end. Users of single sign-on have no Tropic password to change.

type accountPasswordPage struct {
	Layout
	Flash        string
	HasPassword  bool
	PasswordHint string
}

const sessPasswordFlash = "password_flash"

// ownLogin is the signed-in user's sign-in record (their password hash).
func (s *Server) ownLogin(r *http.Request) (*tropic.Login, error) {
	u := userFrom(r.Context())
	login, err := s.deps.Users.FindLogin(r.Context(), u.Email)
	if err == nil && login.User.ID != u.ID {
		err = fmt.Errorf("sign-in record of %d is %d's", u.ID, login.User.ID)
	}
	return login, err
}

func (s *Server) accountPasswordPage(r *http.Request, login *tropic.Login) *accountPasswordPage {
	p := &accountPasswordPage{Layout: s.newLayout(r, "Change your password"), HasPassword: tropic.HasTropicPassword(login.PasswordHash), PasswordHint: newPasswordHint}
	p.Nav = "password"
	return p
}

func (s *Server) handleAccountPasswordForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login, err := s.ownLogin(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p := s.accountPasswordPage(r, login)
		p.Flash = s.sessions.PopString(r.Context(), sessPasswordFlash)
		s.render(w, r, http.StatusOK, "account_password", p)
	})
}

func (s *Server) handleAccountPassword() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		login, err := s.ownLogin(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p := s.accountPasswordPage(r, login)
		if !p.HasPassword {
			s.render(w, r, http.StatusUnprocessableEntity, "account_password", p)
			return
		}
		current := r.PostFormValue("current")
		if current == "" {
			p.Errors = []FieldError{{Field: "current", Message: "Enter your current password"}}
			s.render(w, r, http.StatusUnprocessableEntity, "account_password", p)
			return
		}
		// The current password is guessed no faster here than at sign-in: a session
		// left open is not a way round the lock.
		if ok, status, msg := s.checkOwnPassword(r, login, current); !ok {
			p.Errors = []FieldError{{Field: "current", Message: msg}}
			s.render(w, r, status, "account_password", p)
			return
		}
		hash, status, errs := s.newPasswordHash(r.PostFormValue("password"), r.PostFormValue("confirm"))
		if errs != nil {
			p.Errors = errs
			s.render(w, r, status, "account_password", p)
			return
		}
		if err := s.deps.Credentials.ChangePassword(r.Context(), actorOf(r), hash, s.sessions.Token(r.Context())); err != nil {
			s.fail(w, r, err)
			return
		}
		s.markAuthenticated(r)
		s.sessions.Put(r.Context(), sessPasswordFlash, "Your password has been changed. You have been signed out of your other sessions.")
		http.Redirect(w, r, "/account/password", http.StatusSeeOther)
	})
}

// checkOwnPassword checks the signed-in user's password, reserved against their
// account like a sign-in. Refused, it gives the status and the message to show.
func (s *Server) checkOwnPassword(r *http.Request, login *tropic.Login, password string) (bool, int, string) {
	id := login.User.ID
	if err := s.deps.Users.ReserveLoginAttempt(r.Context(), id, s.cfg.LoginPolicy); err != nil {
		if c := tropic.ErrorCode(err); c == tropic.ELOCKED || c == tropic.ETOOMANY {
			return false, http.StatusTooManyRequests, tropic.ErrorMessage(err)
		}
		s.log.Error("reserve attempt", "error", err.Error())
		return false, http.StatusInternalServerError, "Something went wrong. Try again."
	}
	var ok bool
	var err error
	if !s.inHashSlot(func() { ok, err = s.deps.Passwords.VerifyPassword(password, login.PasswordHash) }) {
		_ = s.deps.Users.ReleaseLoginAttempt(r.Context(), id)
		return false, http.StatusServiceUnavailable, "Too many people are signing in at this moment. Wait a few seconds and try again."
	}
	if err == nil && ok {
		if err := s.deps.Users.ReleaseLoginAttempt(r.Context(), id); err != nil {
			s.log.Error("release attempt", "error", err.Error())
		}
		return true, 0, ""
	}
	if err := s.deps.Users.RecordLoginFailure(r.Context(), id, "wrong password to confirm", s.cfg.LoginPolicy); err != nil {
		s.log.Error("record failure", "error", err.Error())
	}
	return false, http.StatusUnprocessableEntity, "Your password is not right"
}
