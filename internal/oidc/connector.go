// Package oidc signs staff in through their agency's OpenID provider: the
// authorisation code flow with PKCE, state and nonce, and ID tokens checked with
// github.com/coreos/go-oidc (signature against the provider's published keys, issuer,
// audience, expiry) and golang.org/x/oauth2. It implements tropic.SSOConnector.
package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"tropic/internal/tropic"
)

// Connector talks to the configured providers. Each provider's discovery document is
// fetched on first use and kept; a provider that cannot be reached then is asked
// again next time.
type Connector struct {
	client *http.Client

	mu        sync.Mutex
	providers map[string]*gooidc.Provider // by issuer
}

var _ tropic.SSOConnector = (*Connector)(nil)

// New returns a Connector whose requests to providers time out after 15 seconds.
func New() *Connector {
	return &Connector{client: &http.Client{Timeout: 15 * time.Second}, providers: map[string]*gooidc.Provider{}}
}

func (c *Connector) ctx(ctx context.Context) context.Context {
	return gooidc.ClientContext(ctx, c.client)
}

// provider returns the discovered provider for p.
func (c *Connector) provider(ctx context.Context, p *tropic.SSOProvider) (*gooidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if op, ok := c.providers[p.Issuer]; ok {
		return op, nil
	}
	op, err := gooidc.NewProvider(c.ctx(ctx), p.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", p.Issuer, err)
	}
	c.providers[p.Issuer] = op
	return op, nil
}

func (c *Connector) config(ctx context.Context, p *tropic.SSOProvider, redirectURL string) (*oauth2.Config, *gooidc.Provider, error) {
	op, err := c.provider(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	scopes := append([]string{gooidc.ScopeOpenID, "email", "profile"}, p.Scopes...)
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: op.Endpoint(), RedirectURL: redirectURL, Scopes: scopes}, op, nil
}

// AuthCodeURL is where the browser goes to sign in.
func (c *Connector) AuthCodeURL(ctx context.Context, p *tropic.SSOProvider, redirectURL, state, nonce, verifier string) (string, error) {
	cfg, _, err := c.config(ctx, p, redirectURL)
	if err != nil {
		return "", err
	}
	return cfg.AuthCodeURL(state, gooidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// ErrToken says the provider's answer was not a valid ID token for this sign-in.
var ErrToken = errors.New("the ID token is not valid for this sign-in")

// Exchange swaps the code for an ID token and checks it.
func (c *Connector) Exchange(ctx context.Context, p *tropic.SSOProvider, redirectURL, code, verifier, nonce string) (tropic.SSOIdentity, error) {
	cfg, op, err := c.config(ctx, p, redirectURL)
	if err != nil {
		return tropic.SSOIdentity{}, err
	}
	tok, err := cfg.Exchange(c.ctx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return tropic.SSOIdentity{}, fmt.Errorf("%w: exchange: %v", ErrToken, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return tropic.SSOIdentity{}, fmt.Errorf("%w: no id_token", ErrToken)
	}
	idt, err := op.Verifier(&gooidc.Config{ClientID: p.ClientID}).Verify(c.ctx(ctx), raw)
	if err != nil {
		return tropic.SSOIdentity{}, fmt.Errorf("%w: %v", ErrToken, err)
	}
	if nonce == "" || idt.Nonce != nonce {
		return tropic.SSOIdentity{}, fmt.Errorf("%w: nonce does not match", ErrToken)
	}
	// With several audiences, the token must have been issued to this client (azp).
	var claims json.RawMessage
	if err := idt.Claims(&claims); err != nil {
		return tropic.SSOIdentity{}, fmt.Errorf("%w: %v", ErrToken, err)
	}
	id, err := IdentityFromClaims(claims)
	if err != nil {
		return tropic.SSOIdentity{}, err
	}
	if len(idt.Audience) > 1 && id.azp != p.ClientID {
		return tropic.SSOIdentity{}, fmt.Errorf("%w: several audiences and azp is not this client", ErrToken)
	}
	id.Issuer, id.Subject = idt.Issuer, idt.Subject
	return id.SSOIdentity, nil
}

// identity is an SSOIdentity with the claims checked only here.
type identity struct {
	tropic.SSOIdentity
	azp string
}

// IdentityFromClaims reads the claims Tropic uses from a verified ID token's payload.
// It accepts amr as a list of strings, and email_verified as a boolean or the string
// "true"/"false" (some providers send that).
func IdentityFromClaims(payload []byte) (identity, error) {
	var c struct {
		Email         string          `json:"email"`
		EmailVerified json.RawMessage `json:"email_verified"`
		Name          string          `json:"name"`
		AMR           []string        `json:"amr"`
		ACR           string          `json:"acr"`
		AZP           string          `json:"azp"`
		Subject       string          `json:"sub"`
		Issuer        string          `json:"iss"`
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		return identity{}, fmt.Errorf("%w: claims: %v", ErrToken, err)
	}
	id := identity{SSOIdentity: tropic.SSOIdentity{Issuer: c.Issuer, Subject: c.Subject, Email: tropic.NormaliseEmail(c.Email), Name: c.Name,
		AMR: slices.Clip(c.AMR), ACR: c.ACR}, azp: c.AZP}
	switch string(c.EmailVerified) {
	case "", "null":
	case "true", `"true"`:
		v := true
		id.EmailVerified = &v
	case "false", `"false"`:
		v := false
		id.EmailVerified = &v
	default:
		return identity{}, fmt.Errorf("%w: email_verified is neither true nor false", ErrToken)
	}
	if len(id.Email) > 254 || tropic.HasControlChars(id.Email) || len(id.Name) > 200 || tropic.HasControlChars(id.Name) {
		return identity{}, fmt.Errorf("%w: email or name too long or with control characters", ErrToken)
	}
	return id, nil
}
