package web

import (
	"crypto/rand"
	"net/http"
	"strings"

	"tropic/internal/tropic"
)

// Recovery codes (issue 13 item 6): ten single-use codes, stored hashed, shown once
// when the authenticator app is set up and whenever the user makes new ones (which
// ends the old ones), accepted instead of a security code at sign-in.

// recoveryCodeLength is how many base32 characters a code has: 80 random bits, enough
// that the unsalted hash stored (tropic.HashSecret) cannot be reversed by trying.
const recoveryCodeLength = 16

type recoveryCodesPage struct {
	Layout
	Codes    []string // shown once, just made
	Next     string   // where "I have saved my codes" leads
	Enrolled bool     // the user has an authenticator app (and so codes)
	Left     int
}

type mfaRecoveryPage struct {
	Layout
	Code string
}

// newRecoveryCodes makes and stores a new set of codes for userID, the old ones
// ending, and returns them formatted for the user.
func (s *Server) newRecoveryCodes(r *http.Request, actor tropic.Actor, userID int64) ([]string, error) {
	codes := make([]string, tropic.RecoveryCodeCount)
	hashes := make([]string, tropic.RecoveryCodeCount)
	for i := range codes {
		c := rand.Text()[:recoveryCodeLength]
		codes[i], hashes[i] = tropic.GroupInFours(c, "-"), tropic.HashSecret(c)
	}
	return codes, s.deps.Credentials.ReplaceRecoveryCodes(r.Context(), actor, userID, hashes)
}

// showNewRecoveryCodes renders codes once, never to be cached.
func (s *Server) showNewRecoveryCodes(w http.ResponseWriter, r *http.Request, codes []string, next string) {
	w.Header().Set("Cache-Control", "no-store")
	p := &recoveryCodesPage{Layout: s.newLayout(r, "Save your recovery codes"), Codes: codes, Next: next}
	s.render(w, r, http.StatusOK, "recovery_codes", p)
}

func (s *Server) handleRecoveryCodes() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r.Context())
		p := &recoveryCodesPage{Layout: s.newLayout(r, "Recovery codes"), Enrolled: u.MFAEnrolled}
		if p.Enrolled {
			var err error
			if p.Left, err = s.deps.Credentials.CountRecoveryCodes(r.Context(), u.ID); err != nil {
				s.serverError(w, r, err)
				return
			}
		}
		s.render(w, r, http.StatusOK, "recovery_codes", p)
	})
}

// handleNewRecoveryCodes makes new codes (behind recentAuth: whoever holds an open
// session must not be able to take the account's recovery for themselves).
func (s *Server) handleNewRecoveryCodes() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r.Context())
		if !u.MFAEnrolled { // the page says there is no authenticator app to stand in for
			http.Redirect(w, r, "/account/recovery-codes", http.StatusSeeOther)
			return
		}
		codes, err := s.newRecoveryCodes(r, actorOf(r), u.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.showNewRecoveryCodes(w, r, codes, "/account/recovery-codes")
	})
}

func (s *Server) handleMFARecoveryForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.pendingEnrolled(w, r); !ok {
			return
		}
		s.render(w, r, http.StatusOK, "mfa_recovery", &mfaRecoveryPage{Layout: s.signInLayout(r, "Use a recovery code")})
	})
}

func (s *Server) handleMFARecovery() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		login, ok := s.pendingEnrolled(w, r)
		if !ok {
			return
		}
		p := &mfaRecoveryPage{Layout: s.signInLayout(r, "Use a recovery code"), Code: strings.TrimSpace(r.PostFormValue("code"))}
		code := tropic.NormaliseRecoveryCode(p.Code)
		switch {
		case code == "":
			p.Errors = []FieldError{{Field: "code", Message: "Enter one of your recovery codes"}}
		case len(code) != recoveryCodeLength:
			p.Errors = []FieldError{{Field: "code", Message: "A recovery code has 16 letters and digits, like ABCD-EFGH-JKLM-NPQR"}}
		}
		if p.Errors != nil {
			s.render(w, r, http.StatusUnprocessableEntity, "mfa_recovery", p)
			return
		}
		// Reserved against the account like a security code: guesses get no more tries.
		if refused, err := s.reserveAttempt(r, login.User.ID); err != nil {
			s.serverError(w, r, err)
			return
		} else if refused != "" {
			p.Errors = []FieldError{{Field: "code", Message: refused}}
			s.render(w, r, http.StatusTooManyRequests, "mfa_recovery", p)
			return
		}
		if _, err := s.deps.Credentials.UseRecoveryCode(r.Context(), login.User.ID, tropic.HashSecret(code)); err != nil {
			if tropic.ErrorCode(err) != tropic.ENOTFOUND {
				s.serverError(w, r, err)
				return
			}
			s.limiter.Add(s.clientAddr(r))
			if err := s.deps.Users.RecordLoginFailure(r.Context(), login.User.ID, "wrong recovery code", s.cfg.LoginPolicy); err != nil {
				s.serverError(w, r, err)
				return
			}
			p.Errors = []FieldError{{Field: "code", Message: tropic.ErrorMessage(err)}}
			s.render(w, r, http.StatusUnprocessableEntity, "mfa_recovery", p)
			return
		}
		s.completeLogin(w, r, login.User.ID, "password and recovery code", "/account/recovery-codes")
	})
}
