package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"tropic/internal/tropic"
)

type loginPage struct {
	Layout
	Email     string
	Next      string
	SignedOut bool
	Expired   bool
	Reset     bool // the password was reset: sign in with the new one
	SSO       []ssoLink
}

// badCredentials is the one answer for an unknown e-mail address, a wrong password
// and a disabled account, so that nobody can learn which accounts exist.
const badCredentials = "Enter a correct email address and password. If you have forgotten your password, choose \"Forgotten your password?\" below."

func (s *Server) handleLoginForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.sessions.GetInt64(r.Context(), sessUserID) != 0 {
			http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
			return
		}
		p := &loginPage{Layout: s.signInLayout(r, "Sign in"), Next: r.URL.Query().Get("next"),
			SignedOut: r.URL.Query().Get("signed_out") == "1", Expired: r.URL.Query().Get("expired") == "1",
			Reset: r.URL.Query().Get("reset") == "1", SSO: s.ssoLinks()}
		s.render(w, r, http.StatusOK, "login", p)
	})
}

func (s *Server) handleLogin() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		p := &loginPage{Layout: s.signInLayout(r, "Sign in"), Email: strings.TrimSpace(r.PostFormValue("email")), Next: r.PostFormValue("next"), SSO: s.ssoLinks()}
		password := r.PostFormValue("password")
		var problems tropic.Problems
		if p.Email == "" {
			problems.Add("email", "Enter your email address")
		} else if len(p.Email) > 254 || tropic.HasControlChars(p.Email) {
			problems.Add("email", "Enter an email address in the correct format, like name@example.org")
		}
		if password == "" {
			problems.Add("password", "Enter your password")
		} else if len(password) > 1024 {
			problems.Add("password", "Password must be 1024 characters or fewer")
		}
		if err := problems.Err(); err != nil {
			p.Errors = errorsFrom(err, "email", "password")
			s.render(w, r, http.StatusUnprocessableEntity, "login", p)
			return
		}
		// Every attempt is reserved (counted as a failure) before its password is
		// checked: per address in memory, per account in the database, so that a burst
		// of simultaneous attempts gets no more checks than one after another would.
		addr := s.clientAddr(r)
		if ok, wait := s.limiter.Reserve(addr); !ok {
			setRetryAfter(w, wait)
			p.Errors = []FieldError{{Field: "email", Message: fmt.Sprintf("There have been too many failed sign-in attempts from your network. Try again in %d minutes.", int(wait.Minutes())+1)}}
			s.render(w, r, http.StatusTooManyRequests, "login", p)
			return
		}
		fail := func(userID int64, reason string) {
			if err := s.deps.Users.RecordLoginFailure(r.Context(), userID, reason, s.cfg.LoginPolicy); err != nil {
				s.serverError(w, r, err)
				return
			}
			p.Errors = []FieldError{{Field: "email", Message: badCredentials}}
			s.render(w, r, http.StatusUnprocessableEntity, "login", p)
		}
		login, err := s.deps.Users.FindLogin(r.Context(), p.Email)
		if tropic.ErrorCode(err) == tropic.ENOTFOUND {
			if !s.inHashSlot(func() { s.deps.Passwords.DummyVerify(password) }) {
				s.limiter.Release(addr)
				s.signInBusy(w, r, p)
				return
			}
			fail(0, "unknown account")
			return
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
		if err := s.deps.Users.ReserveLoginAttempt(r.Context(), login.User.ID, s.cfg.LoginPolicy); err != nil {
			if code := tropic.ErrorCode(err); code != tropic.ELOCKED && code != tropic.ETOOMANY {
				s.serverError(w, r, err)
				return
			}
			p.Errors = []FieldError{{Field: "email", Message: tropic.ErrorMessage(err)}}
			s.render(w, r, http.StatusTooManyRequests, "login", p)
			return
		}
		var ok bool
		check := func() { ok, err = s.deps.Passwords.VerifyPassword(password, login.PasswordHash) }
		if !tropic.HasTropicPassword(login.PasswordHash) { // single sign-on only: no password is right
			check = func() { s.deps.Passwords.DummyVerify(password) }
		}
		if !s.inHashSlot(check) {
			s.limiter.Release(addr)
			if err := s.deps.Users.ReleaseLoginAttempt(r.Context(), login.User.ID); err != nil {
				s.serverError(w, r, err)
				return
			}
			s.signInBusy(w, r, p)
			return
		}
		if err != nil {
			s.serverError(w, r, fmt.Errorf("verify password of user %d: %w", login.User.ID, err))
			return
		}
		if !ok {
			fail(login.User.ID, "wrong password")
			return
		}
		if login.User.Disabled {
			fail(login.User.ID, "disabled account")
			return
		}
		s.limiter.Release(addr)
		// A new session token at each change of privilege, against session fixation.
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			s.serverError(w, r, err)
			return
		}
		next := safeNext(p.Next)
		if s.cfg.MFAWaived {
			s.completeLogin(w, r, login.User.ID, "password; multi-factor authentication waived (demo)", next)
			return
		}
		// The password was right: its attempt is taken back, and the second factor
		// reserves its own.
		if err := s.deps.Users.ReleaseLoginAttempt(r.Context(), login.User.ID); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.awaitSecondFactor(w, r, login.User, login.MFASecret != "", next)
	})
}

// awaitSecondFactor holds u's right password (or redeemed invitation) in the session
// and goes on to their second factor: set up if they have none yet.
func (s *Server) awaitSecondFactor(w http.ResponseWriter, r *http.Request, u *tropic.User, enrolled bool, next string) {
	s.putPending(r, u, next)
	if !enrolled {
		http.Redirect(w, r, "/login/mfa/setup", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/login/mfa", http.StatusSeeOther)
}

func (s *Server) putPending(r *http.Request, u *tropic.User, next string) {
	s.sessions.Put(r.Context(), sessPendingID, u.ID)
	s.sessions.Put(r.Context(), sessPendingEmail, u.Email)
	s.sessions.Put(r.Context(), sessPendingAt, s.now().Unix())
	s.sessions.Put(r.Context(), sessNext, next)
}

// inHashSlot runs check (a password check: 64 MiB of argon2id by default) in one of
// the Config.HashSlots slots, and reports false, without running it, when every slot is
// taken.
func (s *Server) inHashSlot(check func()) bool {
	if !s.hashing.tryAcquire() {
		return false
	}
	defer s.hashing.release()
	check()
	return true
}

// signInBusy answers a sign-in when every password-checking slot is taken: at once,
// rather than queueing requests that would each hold 64 MiB once served.
func (s *Server) signInBusy(w http.ResponseWriter, r *http.Request, p *loginPage) {
	w.Header().Set("Retry-After", "1")
	p.Errors = []FieldError{{Field: "email", Message: "Too many people are signing in at this moment. Wait a few seconds and try again."}}
	s.render(w, r, http.StatusServiceUnavailable, "login", p)
}

// setRetryAfter tells a client refused for a while when to try again, in whole seconds.
func setRetryAfter(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
}

// completeLogin records the sign-in, turns the session into a signed-in one and goes
// on to next; a user an administrator asked for a new password chooses it first,
// after their second factor (so that whoever holds only the old password cannot
// choose it).
func (s *Server) completeLogin(w http.ResponseWriter, r *http.Request, userID int64, method, next string) {
	u, err := s.deps.Users.FindUserByID(r.Context(), userID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if u.MustChangePassword {
		s.putPending(r, u, next)
		s.sessions.Put(r.Context(), sessPendingNewPassword, method)
		http.Redirect(w, r, "/login/password", http.StatusSeeOther)
		return
	}
	if s.startSession(w, r, userID, method) {
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

// startSession records the sign-in and turns the session into a signed-in one; on
// failure it has answered with an error and reports false.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64, method string) bool {
	if err := s.deps.Users.RecordLoginSuccess(r.Context(), userID, method); err != nil {
		s.serverError(w, r, err)
		return false
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.serverError(w, r, err)
		return false
	}
	for _, k := range []string{sessPendingID, sessPendingEmail, sessPendingAt, sessPendingSecret, sessNext, sessPendingNewPassword} {
		s.sessions.Remove(r.Context(), k)
	}
	s.sessions.Put(r.Context(), sessUserID, userID)
	s.markAuthenticated(r)
	return true
}

func (s *Server) handleLogout() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.signOut(w, r, s.sessions.GetInt64(r.Context(), sessUserID))
	})
}

// signOut records userID's sign-out (0: nobody was signed in), ends this session and
// goes to the sign-in page.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request, userID int64) {
	if userID != 0 {
		if err := s.deps.Users.RecordLogout(r.Context(), userID); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/login?signed_out=1", http.StatusSeeOther)
}
