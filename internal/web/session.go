package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"tropic/internal/tropic"
)

// Session keys. A user is signed in when sessUserID is set; between the password
// and the second factor only sessPendingID is.
const (
	sessUserID        = "user_id"
	sessPendingID     = "pending_user_id"
	sessPendingEmail  = "pending_email"
	sessPendingAt     = "pending_at"
	sessPendingSecret = "pending_mfa_secret"
	sessNext          = "next"
	// sessPendingNewPassword: the second factor passed (its method), and the user must
	// choose a new password before they are signed in.
	sessPendingNewPassword = "pending_new_password"
)

// pendingLifetime is how long a password stays good while the second factor is awaited.
const pendingLifetime = 10 * time.Minute

func userFrom(ctx context.Context) *tropic.User {
	u, _ := ctx.Value(ctxUser).(*tropic.User)
	return u
}

// requireUser lets signed-in, enabled staff through and sends everyone else to sign
// in, coming back here afterwards.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := s.sessions.GetInt64(r.Context(), sessUserID)
		if id == 0 {
			s.redirectToLogin(w, r)
			return
		}
		u, err := s.deps.Users.FindUserByID(r.Context(), id)
		if tropic.ErrorCode(err) == tropic.ENOTFOUND || (err == nil && u.Disabled) {
			s.sessions.Destroy(r.Context())
			s.redirectToLogin(w, r)
			return
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxUser, u)))
	})
}

func (s *Server) redirectToLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/staff" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeNext returns next if it is a path on this site, else the staff home. Browsers
// read a backslash as a slash and drop tabs and newlines, and http.Redirect cleans
// the path, so "/./\evil.example" and "/\t/evil.example" would both leave for
// //evil.example: backslashes and control characters are refused anywhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") || strings.ContainsFunc(next, unicode.IsControl) {
		return "/staff"
	}
	return next
}

// sessionLimits are the idle timeout and absolute lifetime of staff sessions.
func (c Config) sessionLimits() tropic.SessionLimits {
	return tropic.SessionLimits{Idle: c.SessionIdle, Lifetime: c.SessionLifetime}
}
