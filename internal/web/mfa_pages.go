package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"tropic/internal/tropic"
)

type mfaPage struct {
	Layout
	Setup  bool   // first sign-in: show the QR code and the secret
	Secret string // formatted for typing, setup only
	Code   string
	// SecurityKey: the user has a security key, which the page offers besides the code.
	SecurityKey bool
}

// pendingLogin returns the user waiting for their second factor, or sends them back
// to sign in when there is none or it has gone stale.
func (s *Server) pendingLogin(w http.ResponseWriter, r *http.Request) (*tropic.Login, bool) {
	id := s.sessions.GetInt64(r.Context(), sessPendingID)
	at := time.Unix(s.sessions.GetInt64(r.Context(), sessPendingAt), 0)
	if id == 0 || s.now().Sub(at) > pendingLifetime {
		http.Redirect(w, r, "/login?expired=1", http.StatusSeeOther)
		return nil, false
	}
	login, err := s.deps.Users.FindLogin(r.Context(), s.sessions.GetString(r.Context(), sessPendingEmail))
	if err != nil || login.User.ID != id || login.User.Disabled {
		s.sessions.Destroy(r.Context())
		http.Redirect(w, r, "/login?expired=1", http.StatusSeeOther)
		return nil, false
	}
	return login, true
}

// pendingEnrolled is pendingLogin for the steps after enrolment: a user without an
// authenticator app yet is sent to set one up.
func (s *Server) pendingEnrolled(w http.ResponseWriter, r *http.Request) (*tropic.Login, bool) {
	login, ok := s.pendingLogin(w, r)
	if ok && login.MFASecret == "" {
		http.Redirect(w, r, "/login/mfa/setup", http.StatusSeeOther)
		return nil, false
	}
	return login, ok
}

// reserveAttempt reserves one attempt at a second factor against the account (see
// ReserveLoginAttempt). Refused, it returns the message to show; err is any other failure.
func (s *Server) reserveAttempt(r *http.Request, userID int64) (refused string, err error) {
	if err := s.deps.Users.ReserveLoginAttempt(r.Context(), userID, s.cfg.LoginPolicy); err != nil {
		if c := tropic.ErrorCode(err); c != tropic.ELOCKED && c != tropic.ETOOMANY {
			return "", err
		}
		return tropic.ErrorMessage(err), nil
	}
	return "", nil
}

// enrolSecret returns the secret being enrolled, making one on the first visit. It
// lives in the server-side session until a code proves the app has it.
func (s *Server) enrolSecret(r *http.Request, login *tropic.Login) (secret, url string, err error) {
	secret = s.sessions.GetString(r.Context(), sessPendingSecret)
	if secret == "" {
		if secret, err = s.deps.TOTP.NewSecret(s.cfg.PartnershipName, login.User.Email); err != nil {
			return "", "", err
		}
		s.sessions.Put(r.Context(), sessPendingSecret, secret)
	}
	return secret, s.deps.TOTP.KeyURL(s.cfg.PartnershipName, login.User.Email, secret), nil
}

func (s *Server) handleMFASetupForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login, ok := s.pendingLogin(w, r)
		if !ok {
			return
		}
		if login.MFASecret != "" {
			http.Redirect(w, r, "/login/mfa", http.StatusSeeOther)
			return
		}
		secret, _, err := s.enrolSecret(r, login)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p := &mfaPage{Layout: s.signInLayout(r, "Set up your authenticator app"), Setup: true, Secret: formatSecret(secret)}
		s.render(w, r, http.StatusOK, "mfa", p)
	})
}

// handleMFAQRCode draws the enrolment QR code on the server: the secret never leaves
// for a third-party service.
func (s *Server) handleMFAQRCode() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login, ok := s.pendingLogin(w, r)
		if !ok {
			return
		}
		if login.MFASecret != "" {
			s.notFound(w, r)
			return
		}
		_, url, err := s.enrolSecret(r, login)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		png, err := s.deps.TOTP.QRCode(url, 240)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	})
}

func (s *Server) handleMFASetup() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		login, ok := s.pendingLogin(w, r)
		if !ok {
			return
		}
		if login.MFASecret != "" {
			http.Redirect(w, r, "/login/mfa", http.StatusSeeOther)
			return
		}
		secret, _, err := s.enrolSecret(r, login)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		code := strings.TrimSpace(r.PostFormValue("code"))
		p := &mfaPage{Layout: s.signInLayout(r, "Set up your authenticator app"), Setup: true, Secret: formatSecret(secret), Code: code}
		step, valid := s.deps.TOTP.Check(secret, code, s.now())
		if !valid {
			p.Errors = []FieldError{{Field: "code", Message: codeProblem(code)}}
			s.render(w, r, http.StatusUnprocessableEntity, "mfa", p)
			return
		}
		if err := s.deps.Users.EnrolMFA(r.Context(), login.User.ID, secret, step); err != nil {
			s.fail(w, r, err)
			return
		}
		// Signed in, the user is shown their recovery codes once, then goes on.
		next := safeNext(s.sessions.GetString(r.Context(), sessNext))
		codes, err := s.newRecoveryCodes(r, tropic.ActorFor(login.User), login.User.ID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if !s.startSession(w, r, login.User.ID, "password and authenticator app (enrolled)") {
			return
		}
		// The layout of a signed-in page: the user is in the request from now on.
		s.showNewRecoveryCodes(w, r.WithContext(context.WithValue(r.Context(), ctxUser, login.User)), codes, next)
	})
}

// formatSecret groups a base32 secret in fours for typing it by hand.
func formatSecret(secret string) string { return tropic.GroupInFours(secret, " ") }

// codeProblem explains why a code was refused.
func codeProblem(code string) string {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
	switch {
	case digits == "":
		return "Enter the 6-digit code from your authenticator app"
	case len(digits) != 6 || strings.Trim(digits, "0123456789") != "":
		return "The code must be 6 digits, like 123456"
	}
	return "The code is not right. Check the time on your phone is set automatically, then enter the code your app shows now"
}

func (s *Server) handleMFAForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login, ok := s.pendingEnrolled(w, r)
		if !ok {
			return
		}
		p := &mfaPage{Layout: s.signInLayout(r, "Enter your security code")}
		if s.keysOn() {
			keys, err := s.deps.SecurityKeys.FindSecurityKeys(r.Context(), login.User.ID)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			p.SecurityKey = len(keys) > 0
		}
		s.render(w, r, http.StatusOK, "mfa", p)
	})
}

func (s *Server) handleMFA() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		login, ok := s.pendingEnrolled(w, r)
		if !ok {
			return
		}
		code := strings.TrimSpace(r.PostFormValue("code"))
		p := &mfaPage{Layout: s.signInLayout(r, "Enter your security code"), Code: code}
		// Codes are reserved against the account like passwords, so that simultaneous
		// guesses get no more tries than the policy allows.
		if refused, err := s.reserveAttempt(r, login.User.ID); err != nil {
			s.serverError(w, r, err)
			return
		} else if refused != "" {
			p.Errors = []FieldError{{Field: "code", Message: refused}}
			s.render(w, r, http.StatusTooManyRequests, "mfa", p)
			return
		}
		step, valid := s.deps.TOTP.Check(login.MFASecret, code, s.now())
		if !valid {
			s.limiter.Add(s.clientAddr(r))
			if err := s.deps.Users.RecordLoginFailure(r.Context(), login.User.ID, "wrong security code", s.cfg.LoginPolicy); err != nil {
				s.serverError(w, r, err)
				return
			}
			p.Errors = []FieldError{{Field: "code", Message: codeProblem(code)}}
			s.render(w, r, http.StatusUnprocessableEntity, "mfa", p)
			return
		}
		if err := s.deps.Users.UseMFAStep(r.Context(), login.User.ID, step); err != nil {
			if tropic.ErrorCode(err) == tropic.ECONFLICT { // a right code used already: not a guess
				if err := s.deps.Users.ReleaseLoginAttempt(r.Context(), login.User.ID); err != nil {
					s.serverError(w, r, err)
					return
				}
				p.Errors = []FieldError{{Field: "code", Message: tropic.ErrorMessage(err)}}
				s.render(w, r, http.StatusUnprocessableEntity, "mfa", p)
				return
			}
			s.serverError(w, r, err)
			return
		}
		s.completeLogin(w, r, login.User.ID, "password and authenticator app", safeNext(s.sessions.GetString(r.Context(), sessNext)))
	})
}
