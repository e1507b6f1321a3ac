package web

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"tropic/internal/tropic"
)

// Security keys and passkeys (WebAuthn) as a second factor besides the authenticator
// app (issue 13 item 6). A user who confirmed who they are recently adds keys at
// /account/security-keys; at sign-in, after the password, "Use a security key" stands
// for the security code. The ceremonies are JSON between static/webauthn.mjs and the
// handlers below; the challenge lives in the server-side session and is used once.

const (
	sessWebAuthnRegister = "webauthn_register" // SessionData of an enrolment in progress
	sessWebAuthnLogin    = "webauthn_login"    // SessionData of a sign-in in progress
)

// maxWebAuthnBody bounds the JSON of a ceremony (an attestation is a few kilobytes).
const maxWebAuthnBody = 64 << 10

// newWebAuthn sets up the relying party from the service's address; nil (security
// keys off) when the address cannot be one (an IP address is not a valid RP ID).
func newWebAuthn(cfg Config) (*webauthn.WebAuthn, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("base URL %q", cfg.BaseURL)
	}
	return webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: "Tropic – " + cfg.PartnershipName,
		RPOrigins: []string{u.Scheme + "://" + u.Host}})
}

// keyUser is a Tropic user as the WebAuthn library sees them.
type keyUser struct {
	u     *tropic.User
	creds []webauthn.Credential
}

func (k keyUser) WebAuthnID() []byte                         { return binary.BigEndian.AppendUint64(nil, uint64(k.u.ID)) }
func (k keyUser) WebAuthnName() string                       { return k.u.Email }
func (k keyUser) WebAuthnDisplayName() string                { return k.u.Name }
func (k keyUser) WebAuthnCredentials() []webauthn.Credential { return k.creds }

// loadKeyUser reads u's registered keys.
func (s *Server) loadKeyUser(r *http.Request, u *tropic.User) (keyUser, []*tropic.SecurityKey, error) {
	keys, err := s.deps.SecurityKeys.FindSecurityKeys(r.Context(), u.ID)
	if err != nil {
		return keyUser{}, nil, err
	}
	ku := keyUser{u: u}
	for _, k := range keys {
		var c webauthn.Credential
		if err := json.Unmarshal(k.Data, &c); err != nil {
			return keyUser{}, nil, fmt.Errorf("security key %d: %w", k.ID, err)
		}
		ku.creds = append(ku.creds, c)
	}
	return ku, keys, nil
}

// keysOn reports whether security keys can be used on this service.
func (s *Server) keysOn() bool { return s.webauthn != nil && s.deps.SecurityKeys != nil }

// jsonAnswer writes v as JSON with status.
func jsonAnswer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// keyProblem is a ceremony's refusal: a message for the page, and the field it is about.
type keyProblem struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// readKeyBody reads a ceremony's JSON body, bounded.
func readKeyBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebAuthnBody))
	if err != nil {
		jsonAnswer(w, http.StatusRequestEntityTooLarge, keyProblem{Error: "What your browser sent is too large."})
		return nil, false
	}
	return body, true
}

// putSessionData keeps a ceremony's challenge in the session.
func (s *Server) putSessionData(r *http.Request, key string, d *webauthn.SessionData) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), key, string(b))
	return nil
}

// popSessionData takes a ceremony's challenge out of the session: it is used once.
func (s *Server) popSessionData(r *http.Request, key string) (webauthn.SessionData, bool) {
	var d webauthn.SessionData
	raw := s.sessions.PopString(r.Context(), key)
	return d, raw != "" && json.Unmarshal([]byte(raw), &d) == nil
}

type securityKeysPage struct {
	Layout
	Flash string
	Keys  []securityKeyRow
	On    bool
}

type securityKeyRow struct {
	ID                    int64
	Name, Added, LastUsed string
}

func (s *Server) handleSecurityKeys() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderSecurityKeys(w, r, http.StatusOK, nil)
	})
}

func (s *Server) renderSecurityKeys(w http.ResponseWriter, r *http.Request, status int, problems []FieldError) {
	{
		p := &securityKeysPage{Layout: s.newLayout(r, "Security keys and passkeys"), On: s.keysOn()}
		p.Errors = problems
		if p.On {
			_, keys, err := s.loadKeyUser(r, userFrom(r.Context()))
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			for _, k := range keys {
				row := securityKeyRow{ID: k.ID, Name: k.Name, Added: displayDateTime(k.CreatedAt), LastUsed: "Not yet"}
				if !k.LastUsedAt.IsZero() {
					row.LastUsed = displayDateTime(k.LastUsedAt)
				}
				p.Keys = append(p.Keys, row)
			}
		}
		if r.URL.Query().Get("added") == "1" {
			p.Flash = "Your security key has been added. You can use it to sign in."
		}
		if r.URL.Query().Get("removed") == "1" {
			p.Flash = "Your security key has been removed. It can no longer be used to sign in."
		}
		s.render(w, r, status, "account_security_keys", p)
	}
}

// handleSecurityKeyRemove removes one of the user's own keys, unless it is their last
// second factor (tropic.MayRemoveSecurityKey).
func (s *Server) handleSecurityKeyRemove() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok || !s.keysOn() {
			if ok {
				s.notFound(w, r)
			}
			return
		}
		err := s.deps.SecurityKeys.RemoveSecurityKey(r.Context(), actorOf(r), id)
		if code := tropic.ErrorCode(err); code == tropic.ECONFLICT {
			s.renderSecurityKeys(w, r, statusFor(code), []FieldError{{Message: tropic.ErrorMessage(err)}})
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/account/security-keys?removed=1", http.StatusSeeOther)
	})
}

// securityKeysPath is where re-authentication returns to before removing a key.
func securityKeysPath(*http.Request) string { return "/account/security-keys" }

// keyRequest is what the page sends to add a key.
type keyRequest struct {
	Name       string          `json:"name"`
	Credential json.RawMessage `json:"credential"`
}

// parseKeyRequest reads the page's request to add a key.
func parseKeyRequest(body []byte) (keyRequest, error) {
	var req keyRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return req, err
	}
	return req, nil
}

// handleSecurityKeyBegin starts adding a key: the options for navigator.credentials.create.
func (s *Server) handleSecurityKeyBegin() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.keysOn() {
			s.notFound(w, r)
			return
		}
		if !s.authenticatedRecently(r) {
			jsonAnswer(w, http.StatusForbidden, keyProblem{Error: "Confirm it is you first: reload the page."})
			return
		}
		body, ok := readKeyBody(w, r)
		if !ok {
			return
		}
		req, err := parseKeyRequest(body)
		if err != nil {
			jsonAnswer(w, http.StatusBadRequest, keyProblem{Error: "Tropic could not read what your browser sent. Reload the page and try again."})
			return
		}
		if _, err := tropic.ValidateSecurityKeyName(req.Name); err != nil {
			jsonAnswer(w, http.StatusUnprocessableEntity, keyProblem{Error: tropic.ErrorFields(err)["name"], Field: "name"})
			return
		}
		ku, _, err := s.loadKeyUser(r, userFrom(r.Context()))
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		options, session, err := s.webauthn.BeginRegistration(ku, webauthn.WithExclusions(webauthn.Credentials(ku.creds).CredentialDescriptors()),
			webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementDiscouraged))
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if err := s.putSessionData(r, sessWebAuthnRegister, session); err != nil {
			s.serverError(w, r, err)
			return
		}
		jsonAnswer(w, http.StatusOK, options)
	})
}

// handleSecurityKeyFinish checks the new key's attestation and keeps it.
func (s *Server) handleSecurityKeyFinish() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.keysOn() {
			s.notFound(w, r)
			return
		}
		// The challenge is used up by any answer, good or bad.
		session, started := s.popSessionData(r, sessWebAuthnRegister)
		body, ok := readKeyBody(w, r)
		if !ok {
			return
		}
		req, err := parseKeyRequest(body)
		var parsed *protocol.ParsedCredentialCreationData
		if err == nil {
			parsed, err = protocol.ParseCredentialCreationResponseBytes(req.Credential)
		}
		if err != nil {
			jsonAnswer(w, http.StatusBadRequest, keyProblem{Error: "Tropic could not read what your security key sent. Try again."})
			return
		}
		if !s.authenticatedRecently(r) || !started {
			jsonAnswer(w, http.StatusForbidden, keyProblem{Error: "Adding the key took too long, or was started elsewhere. Reload the page and try again."})
			return
		}
		u := userFrom(r.Context())
		ku, _, err := s.loadKeyUser(r, u)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		cred, err := s.webauthn.CreateCredential(ku, session, parsed)
		if err != nil {
			s.log.Warn("security key refused", "error", err.Error())
			jsonAnswer(w, http.StatusUnprocessableEntity, keyProblem{Error: "Tropic could not check this security key. Try again."})
			return
		}
		data, err := json.Marshal(cred)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		k := &tropic.SecurityKey{UserID: u.ID, Name: req.Name, CredentialID: base64.RawURLEncoding.EncodeToString(cred.ID), Data: data}
		if err := s.deps.SecurityKeys.AddSecurityKey(r.Context(), actorOf(r), k); err != nil {
			switch tropic.ErrorCode(err) {
			case tropic.EINVALID:
				jsonAnswer(w, http.StatusUnprocessableEntity, keyProblem{Error: tropic.ErrorFields(err)["name"], Field: "name"})
			case tropic.ECONFLICT:
				jsonAnswer(w, http.StatusConflict, keyProblem{Error: tropic.ErrorMessage(err)})
			default:
				s.serverError(w, r, err)
			}
			return
		}
		jsonAnswer(w, http.StatusOK, map[string]string{"next": "/account/security-keys?added=1"})
	})
}

// handleKeySignInBegin gives the options for navigator.credentials.get at the second
// factor: the keys of the user whose password was right.
func (s *Server) handleKeySignInBegin() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login, ok := s.pendingKeyLogin(w, r)
		if !ok {
			return
		}
		ku, _, err := s.loadKeyUser(r, login.User)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if len(ku.creds) == 0 {
			jsonAnswer(w, http.StatusNotFound, keyProblem{Error: "You have no security key. Use your authenticator app."})
			return
		}
		options, session, err := s.webauthn.BeginLogin(ku)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if err := s.putSessionData(r, sessWebAuthnLogin, session); err != nil {
			s.serverError(w, r, err)
			return
		}
		jsonAnswer(w, http.StatusOK, options)
	})
}

// pendingKeyLogin is the half-signed-in user for a security key ceremony; it answers
// in JSON when there is none.
func (s *Server) pendingKeyLogin(w http.ResponseWriter, r *http.Request) (*tropic.Login, bool) {
	if !s.keysOn() {
		s.notFound(w, r)
		return nil, false
	}
	rec := &redirectCatcher{header: http.Header{}}
	login, ok := s.pendingEnrolled(rec, r)
	if !ok {
		jsonAnswer(w, http.StatusUnauthorized, keyProblem{Error: "Your sign-in took too long or has ended. Sign in again."})
	}
	return login, ok
}

// redirectCatcher swallows the redirect pendingEnrolled would send a page to.
type redirectCatcher struct{ header http.Header }

func (c *redirectCatcher) Header() http.Header         { return c.header }
func (c *redirectCatcher) Write(b []byte) (int, error) { return len(b), nil }
func (c *redirectCatcher) WriteHeader(int)             {}

var errCloned = errors.New("the security key's counter went back: it may have been copied")

// handleKeySignIn checks the key's assertion and finishes the sign-in.
func (s *Server) handleKeySignIn() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login, ok := s.pendingKeyLogin(w, r)
		if !ok {
			return
		}
		session, started := s.popSessionData(r, sessWebAuthnLogin)
		if !started {
			jsonAnswer(w, http.StatusBadRequest, keyProblem{Error: "Start again: choose Use a security key."})
			return
		}
		body, ok := readKeyBody(w, r)
		if !ok {
			return
		}
		parsed, err := protocol.ParseCredentialRequestResponseBytes(body)
		if err != nil {
			jsonAnswer(w, http.StatusBadRequest, keyProblem{Error: "Tropic could not read what your security key sent. Try again."})
			return
		}
		if refused, err := s.reserveAttempt(r, login.User.ID); err != nil {
			s.serverError(w, r, err)
			return
		} else if refused != "" {
			jsonAnswer(w, http.StatusTooManyRequests, keyProblem{Error: refused})
			return
		}
		ku, _, err := s.loadKeyUser(r, login.User)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		cred, err := s.webauthn.ValidateLogin(ku, session, parsed)
		if err == nil && cred.Authenticator.CloneWarning {
			err = errCloned
		}
		if err != nil {
			s.limiter.Add(s.clientAddr(r))
			if err := s.deps.Users.RecordLoginFailure(r.Context(), login.User.ID, "security key refused", s.cfg.LoginPolicy); err != nil {
				s.serverError(w, r, err)
				return
			}
			s.log.Warn("security key sign-in refused", "user", login.User.ID, "error", err.Error())
			jsonAnswer(w, http.StatusUnprocessableEntity, keyProblem{Error: "Tropic could not check your security key. Try again, or use your authenticator app."})
			return
		}
		data, err := json.Marshal(cred)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if err := s.deps.SecurityKeys.UseSecurityKey(r.Context(), login.User.ID, base64.RawURLEncoding.EncodeToString(cred.ID), data); err != nil {
			s.fail(w, r, err)
			return
		}
		next := safeNext(s.sessions.GetString(r.Context(), sessNext))
		if !s.startSession(w, r, login.User.ID, "password and security key") {
			return
		}
		jsonAnswer(w, http.StatusOK, map[string]string{"next": next})
	})
}
