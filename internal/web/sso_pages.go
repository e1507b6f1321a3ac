package web

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"tropic/internal/tropic"
)

// Single sign-on with an agency's OpenID provider (issue 13 item 5). /login/sso/{id}
// starts the authorisation code flow (state, nonce and PKCE verifier kept in the
// server-side session); /login/sso/callback finishes it once: the pending sign-on is
// taken out of the session before anything is checked, so a replayed or late answer
// finds none. The provider's second factor counts where the agency trusts it and the
// token says one was used; otherwise Tropic's own follows, as after a password.

const (
	sessSSOProvider = "sso_provider"
	sessSSOState    = "sso_state"
	sessSSONonce    = "sso_nonce"
	sessSSOVerifier = "sso_verifier"
	sessSSOAt       = "sso_at"
)

// ssoCallbackPath is the one redirect URI to register with every provider.
const ssoCallbackPath = "/login/sso/callback"

// ssoLink is a provider's button on the sign-in page.
type ssoLink struct{ ID, Label string }

type ssoFailedPage struct {
	Layout
	Message string
}

// ssoProvider returns the configured provider with this id, nil if none.
func (s *Server) ssoProvider(id string) *tropic.SSOProvider {
	for i := range s.cfg.SSOProviders {
		if s.cfg.SSOProviders[i].ID == id {
			return &s.cfg.SSOProviders[i]
		}
	}
	return nil
}

func (s *Server) ssoLinks() []ssoLink {
	var out []ssoLink
	for _, p := range s.cfg.SSOProviders {
		out = append(out, ssoLink{ID: p.ID, Label: p.Label})
	}
	return out
}

func (s *Server) ssoRedirectURL() string {
	return strings.TrimRight(s.cfg.BaseURL, "/") + ssoCallbackPath
}

// ssoFailed shows why a single sign-on did not sign in, with the way back.
func (s *Server) ssoFailed(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.render(w, r, status, "sso_failed", &ssoFailedPage{Layout: s.signInLayout(r, "You are not signed in"), Message: msg})
}

const ssoStale = "Your sign-in took too long, or this answer from your agency's sign-in was used already. Sign in again."

func (s *Server) handleSSOStart() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := s.ssoProvider(r.PathValue("id"))
		if p == nil {
			s.notFound(w, r)
			return
		}
		state, nonce, verifier := rand.Text(), rand.Text(), rand.Text()+rand.Text() // 128 bits each; the verifier 52 characters
		to, err := s.deps.SSOConnector.AuthCodeURL(r.Context(), p, s.ssoRedirectURL(), state, nonce, verifier)
		if err != nil {
			s.log.Error("single sign-on: start", "provider", p.ID, "error", err.Error())
			s.ssoFailed(w, r, http.StatusBadGateway, "Tropic cannot reach "+p.Label+" at the moment. Try again in a few minutes.")
			return
		}
		ctx := r.Context()
		s.sessions.Put(ctx, sessSSOProvider, p.ID)
		s.sessions.Put(ctx, sessSSOState, state)
		s.sessions.Put(ctx, sessSSONonce, nonce)
		s.sessions.Put(ctx, sessSSOVerifier, verifier)
		s.sessions.Put(ctx, sessSSOAt, s.now().Unix())
		s.sessions.Put(ctx, sessNext, safeNext(r.URL.Query().Get("next")))
		http.Redirect(w, r, to, http.StatusSeeOther)
	})
}

// ssoCallback is what a provider sends back.
type ssoCallback struct {
	State, Code string
	Error       string // the provider's error code, if it refused
}

var errBadCallback = errors.New("bad single sign-on callback")

// parseSSOCallback reads the provider's answer: state and either code or error, each
// once, short, printable ASCII.
func parseSSOCallback(q url.Values) (ssoCallback, error) {
	one := func(name string) (string, error) {
		v := q[name]
		if len(v) > 1 {
			return "", errBadCallback
		}
		if len(v) == 0 {
			return "", nil
		}
		if len(v[0]) > 2048 || strings.ContainsFunc(v[0], func(r rune) bool { return r < 0x21 || r > 0x7e }) {
			return "", errBadCallback
		}
		return v[0], nil
	}
	var cb ssoCallback
	var err error
	if cb.State, err = one("state"); err != nil {
		return cb, err
	}
	if cb.Code, err = one("code"); err != nil {
		return cb, err
	}
	if cb.Error, err = one("error"); err != nil {
		return cb, err
	}
	if cb.State == "" || (cb.Code == "") == (cb.Error == "") {
		return cb, errBadCallback
	}
	return cb, nil
}

// takePendingSSO returns and forgets the sign-on this session started.
func (s *Server) takePendingSSO(r *http.Request) (p *tropic.SSOProvider, state, nonce, verifier string, fresh bool) {
	ctx := r.Context()
	p = s.ssoProvider(s.sessions.PopString(ctx, sessSSOProvider))
	state, nonce, verifier = s.sessions.PopString(ctx, sessSSOState), s.sessions.PopString(ctx, sessSSONonce), s.sessions.PopString(ctx, sessSSOVerifier)
	at, _ := s.sessions.Pop(ctx, sessSSOAt).(int64)
	fresh = p != nil && state != "" && s.now().Unix()-at <= int64(pendingLifetime.Seconds())
	return p, state, nonce, verifier, fresh
}

func (s *Server) handleSSOCallback() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, state, nonce, verifier, fresh := s.takePendingSSO(r)
		cb, err := parseSSOCallback(r.URL.Query())
		switch {
		case err != nil:
			s.ssoFailed(w, r, http.StatusBadRequest, "This answer from your agency's sign-in is not one Tropic can read. Sign in again.")
			return
		case !fresh || subtle.ConstantTimeCompare([]byte(cb.State), []byte(state)) != 1:
			s.ssoFailed(w, r, http.StatusBadRequest, ssoStale)
			return
		case cb.Error != "":
			s.ssoFailed(w, r, http.StatusUnauthorized, "You did not sign in at "+p.Label+". Sign in again, or ask your administrator.")
			return
		}
		id, err := s.deps.SSOConnector.Exchange(r.Context(), p, s.ssoRedirectURL(), cb.Code, verifier, nonce)
		if err != nil {
			s.log.Warn("single sign-on: token refused", "provider", p.ID, "error", err.Error())
			s.ssoRefused(w, r, http.StatusUnauthorized, "single sign-on "+p.ID+": token refused",
				"Tropic could not check the sign-in from "+p.Label+". Sign in again; if this happens again, tell your administrator.")
			return
		}
		u, _, err := s.deps.SSO.SignInWithSSO(r.Context(), p, id)
		if c := tropic.ErrorCode(err); c == tropic.EFORBIDDEN || c == tropic.EUNAUTHORISED {
			s.ssoRefused(w, r, http.StatusForbidden, "single sign-on "+p.ID+": account refused", tropic.ErrorMessage(err))
			return
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			s.serverError(w, r, err)
			return
		}
		next := safeNext(s.sessions.PopString(r.Context(), sessNext))
		switch {
		case p.VouchesForMFA(id):
			s.completeLogin(w, r, u.ID, "single sign-on "+p.ID+" with the provider's multi-factor authentication", next)
		case s.cfg.MFAWaived:
			s.completeLogin(w, r, u.ID, "single sign-on "+p.ID+"; multi-factor authentication waived (demo)", next)
		default:
			s.awaitSecondFactor(w, r, u, u.MFAEnrolled, next)
		}
	})
}

// ssoRefused records a refused sign-on (against nobody: the account is not known
// for sure) and says why.
func (s *Server) ssoRefused(w http.ResponseWriter, r *http.Request, status int, reason, msg string) {
	s.limiter.Add(s.clientAddr(r))
	if err := s.deps.Users.RecordLoginFailure(r.Context(), 0, reason, s.cfg.LoginPolicy); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.ssoFailed(w, r, status, msg)
}
