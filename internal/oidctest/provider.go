// Package oidctest runs a real OpenID Connect provider for tests, on loopback: the
// authorisation code flow with PKCE, signed ID tokens, discovery and keys, built on
// github.com/zitadel/oidc/v3's op package with an in-memory store. It has no login
// form: whoever the test named with SignInAs signs in at the next authorisation, as
// if they had typed their password (and, if the test says so, a second factor).
package oidctest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Identity is who signs in at the provider, and what the ID token says of it.
type Identity struct {
	Subject       string
	Email         string
	EmailVerified bool
	AMR           []string // e.g. {"pwd", "mfa"}
	ACR           string
	// Audience, when set, is the ID token's audience (and authorised party) instead
	// of the client: a token the provider issued for another application, signed
	// with its real key, which a relying party must refuse.
	Audience []string
}

// Provider is a running OpenID provider with one registered client.
type Provider struct {
	Issuer       string // its address, e.g. http://127.0.0.1:34567
	ClientID     string
	ClientSecret string

	store *memStore
}

// Start starts a provider for t whose one client may redirect to redirectURIs, and
// stops it when t ends.
func Start(t testing.TB, redirectURIs ...string) *Provider {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("oidctest: listen: %v", err)
	}
	issuer := "http://" + ln.Addr().String()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{Issuer: issuer, ClientID: "tropic-" + rand.Text()[:8], ClientSecret: rand.Text()}
	p.store = &memStore{
		key: key, keyID: rand.Text()[:10],
		client:   &client{id: p.ClientID, secret: p.ClientSecret, redirects: redirectURIs, issuer: issuer},
		requests: map[string]*authRequest{}, codes: map[string]string{}, users: map[string]Identity{},
	}
	cfg := &op.Config{CryptoKey: sha256.Sum256([]byte(rand.Text())), CodeMethodS256: true, AuthMethodPost: true, SupportedScopes: []string{"openid", "email", "profile"}}
	provider, err := op.NewProvider(cfg, p.store, op.StaticIssuer(issuer), op.WithAllowInsecure())
	if err != nil {
		t.Fatalf("oidctest: provider: %v", err)
	}
	mux := http.NewServeMux()
	// The "login page": completes the request as the identity the test chose.
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("authRequestID")
		if p.store.holding() && r.URL.Query().Get("continue") == "" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>Test provider</title></head><body><main><h1>Test provider</h1>
<form method="get" action="/login"><input type="hidden" name="authRequestID" value="%s"><input type="hidden" name="continue" value="1">
<button type="submit" id="continue">Continue</button></form></main></body></html>`, html.EscapeString(id))
			return
		}
		if err := p.store.complete(id); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, issuer+op.AuthCallbackURL(provider)(r.Context(), id), http.StatusFound)
	})
	mux.Handle("/", provider)
	mux.Handle("POST /oauth/token", p.store.reissuing(provider))
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	srv.Start()
	t.Cleanup(srv.Close)
	return p
}

// AllowRedirect registers one more redirect URI of the client (a server started
// after the provider).
func (p *Provider) AllowRedirect(uri string) {
	p.store.mu.Lock()
	defer p.store.mu.Unlock()
	p.store.client.redirects = append(p.store.client.redirects, uri)
}

// Hold makes the provider stop at a page with a Continue button (id "continue")
// before it answers, as a person would at a real provider's sign-in.
func (p *Provider) Hold(hold bool) {
	p.store.mu.Lock()
	defer p.store.mu.Unlock()
	p.store.hold = hold
}

func (s *memStore) holding() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hold
}

// SignInAs makes id the one who signs in at the next authorisation.
func (p *Provider) SignInAs(id Identity) {
	p.store.mu.Lock()
	defer p.store.mu.Unlock()
	p.store.next = &id
}

// memStore is op.Storage in memory.
type memStore struct {
	mu       sync.Mutex
	key      *rsa.PrivateKey
	keyID    string
	client   *client
	requests map[string]*authRequest
	codes    map[string]string // code -> request id
	users    map[string]Identity
	next     *Identity
	hold     bool
}

var _ op.Storage = (*memStore)(nil)

var errNotFound = errors.New("not found")

func (s *memStore) complete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	req, ok := s.requests[id]
	if !ok {
		return errNotFound
	}
	if s.next == nil {
		return errors.New("oidctest: nobody to sign in (call SignInAs)")
	}
	req.identity, req.done, req.authTime = *s.next, true, time.Now()
	s.users[s.next.Subject] = *s.next
	return nil
}

func (s *memStore) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	req := &authRequest{id: rand.Text(), req: *r}
	s.requests[req.id] = req
	return req, nil
}

func (s *memStore) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req, ok := s.requests[id]; ok {
		return req, nil
	}
	return nil, errNotFound
}

func (s *memStore) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errNotFound
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *memStore) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest ends a request once its code is exchanged: a code works once.
func (s *memStore) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

func (s *memStore) CreateAccessToken(context.Context, op.TokenRequest) (string, time.Time, error) {
	return rand.Text(), time.Now().Add(5 * time.Minute), nil
}

func (s *memStore) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errors.New("oidctest: no refresh tokens")
}

func (s *memStore) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *memStore) TerminateSession(context.Context, string, string) error { return nil }

func (s *memStore) RevokeToken(context.Context, string, string, string) *oidc.Error { return nil }

func (s *memStore) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *memStore) SigningKey(context.Context) (op.SigningKey, error) {
	return signingKey{id: s.keyID, key: s.key}, nil
}

func (s *memStore) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *memStore) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{id: s.keyID, key: &s.key.PublicKey}}, nil
}

func (s *memStore) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if id != s.client.id {
		return nil, errNotFound
	}
	return s.client, nil
}

func (s *memStore) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if id != s.client.id || secret != s.client.secret {
		return errors.New("oidctest: wrong client credentials")
	}
	return nil
}

func (s *memStore) SetUserinfoFromScopes(_ context.Context, info *oidc.UserInfo, subject, _ string, scopes []string) error {
	s.mu.Lock()
	id := s.users[subject]
	s.mu.Unlock()
	info.Subject = subject
	for _, sc := range scopes {
		if sc == oidc.ScopeEmail {
			info.Email, info.EmailVerified = id.Email, oidc.Bool(id.EmailVerified)
			if !id.EmailVerified { // said, not left out (the typed field omits false)
				info.AppendClaims("email_verified", false)
			}
		}
	}
	return nil
}

func (s *memStore) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, _, subject, _ string) error {
	return s.SetUserinfoFromScopes(ctx, info, subject, "", []string{oidc.ScopeEmail})
}

func (s *memStore) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errors.New("oidctest: no introspection")
}

func (s *memStore) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *memStore) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotFound
}

func (s *memStore) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("oidctest: no JWT profile")
}

func (s *memStore) Health(context.Context) error { return nil }

// authRequest is one authorisation in progress.
type authRequest struct {
	id       string
	req      oidc.AuthRequest
	identity Identity
	done     bool
	authTime time.Time
}

func (a *authRequest) GetID() string                      { return a.id }
func (a *authRequest) GetACR() string                     { return a.identity.ACR }
func (a *authRequest) GetAMR() []string                   { return a.identity.AMR }
func (a *authRequest) GetAuthTime() time.Time             { return a.authTime }
func (a *authRequest) GetClientID() string                { return a.req.ClientID }
func (a *authRequest) GetNonce() string                   { return a.req.Nonce }
func (a *authRequest) GetRedirectURI() string             { return a.req.RedirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType { return a.req.ResponseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return a.req.ResponseMode }
func (a *authRequest) GetScopes() []string                { return a.req.Scopes }
func (a *authRequest) GetState() string                   { return a.req.State }
func (a *authRequest) GetSubject() string                 { return a.identity.Subject }
func (a *authRequest) Done() bool                         { return a.done }

func (a *authRequest) GetAudience() []string { return []string{a.req.ClientID} }

func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.req.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.req.CodeChallenge, Method: a.req.CodeChallengeMethod}
}

// client is the one registered relying party: a confidential web client.
type client struct {
	id, secret, issuer string
	redirects          []string
}

func (c *client) GetID() string                       { return c.id }
func (c *client) RedirectURIs() []string              { return slices.Clone(c.redirects) }
func (c *client) PostLogoutRedirectURIs() []string    { return nil }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType        { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *client) LoginURL(id string) string           { return c.issuer + "/login?authRequestID=" + id }
func (c *client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c *client) IDTokenLifetime() time.Duration      { return 5 * time.Minute }
func (c *client) DevMode() bool                       { return true } // http redirects on loopback
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) IsScopeAllowed(string) bool           { return false }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true } // e-mail in the ID token
func (c *client) ClockSkew() time.Duration             { return 0 }

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

type publicKey struct {
	id  string
	key *rsa.PublicKey
}

func (k publicKey) ID() string                         { return k.id }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return k.key }

// reissuing serves the token endpoint and, for a sign-in whose identity names another
// audience, signs the ID token again with that audience alone: zitadel always adds
// the client it answers to the audience, as a real provider does for its own client.
func (s *memStore) reissuing(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var res map[string]any
		if rec.Code == http.StatusOK && json.Unmarshal(body, &res) == nil {
			if raw, ok := res["id_token"].(string); ok {
				if re, err := s.withAudience(raw); err == nil && re != "" {
					res["id_token"] = re
					body, _ = json.Marshal(res)
				}
			}
		}
		maps.Copy(w.Header(), rec.Header())
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

// withAudience re-signs an ID token whose subject signed in with Identity.Audience
// set; "" when there is nothing to change.
func (s *memStore) withAudience(raw string) (string, error) {
	tok, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return "", err
	}
	payload, err := tok.Verify(&s.key.PublicKey)
	if err != nil {
		return "", err
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		return "", err
	}
	sub, _ := claims["sub"].(string)
	s.mu.Lock()
	aud := s.users[sub].Audience
	s.mu.Unlock()
	if len(aud) == 0 {
		return "", nil
	}
	claims["aud"], claims["azp"], claims["client_id"] = aud, aud[0], aud[0]
	payload, err = json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: s.key}, (&jose.SignerOptions{}).WithHeader("kid", s.keyID).WithType("JWT"))
	if err != nil {
		return "", err
	}
	signed, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return signed.CompactSerialize()
}
