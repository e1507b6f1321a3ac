package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tropic/internal/oidc"
	"tropic/internal/oidctest"
	"tropic/internal/tropic"
)

// ssoServer starts a real OpenID provider and a test server whose agency signs in
// through it, with addresses @police.example.
func ssoServer(t *testing.T, cfg Config, trustMFA bool) (*testServer, *oidctest.Provider) {
	t.Helper()
	op := oidctest.Start(t)
	cfg.SSOProviders = []tropic.SSOProvider{{ID: "police", Label: "Hertfordshire Constabulary account", Issuer: op.Issuer,
		ClientID: op.ClientID, ClientSecret: op.ClientSecret, Domains: []string{"police.example"}, TrustMFA: trustMFA,
		MFAMethods: tropic.DefaultSSOMFAMethods}}
	ts := newTestServer(t, cfg, func(d *Deps) { d.SSOConnector = oidc.New() })
	// The agency exists once the server does; the address is known once it listens.
	ts.srv.cfg.SSOProviders[0].AgencyID = ts.agency.ID
	ts.srv.cfg.BaseURL = ts.http.URL
	op.AllowRedirect(ts.http.URL + ssoCallbackPath)
	return ts, op
}

// follow follows redirects from res (through the provider and back) until an answer
// that is not a redirect, or one to a Tropic page; it returns that last answer.
func (c *client) follow(res *response) *response {
	c.t.Helper()
	for i := 0; i < 10 && res.status >= 300 && res.status < 400; i++ {
		loc := res.location()
		if strings.HasPrefix(loc, "/") {
			if !strings.HasPrefix(loc, "/login/sso/") {
				return res
			}
			loc = c.ts.http.URL + loc
		}
		if strings.HasPrefix(loc, c.ts.http.URL) && !strings.Contains(loc, ssoCallbackPath) {
			return res
		}
		req, err := http.NewRequest(http.MethodGet, loc, nil)
		if err != nil {
			c.t.Fatal(err)
		}
		res = c.do(req)
	}
	return res
}

// signOn starts a single sign-on at the sign-in page and follows it through.
func (c *client) signOn() *response {
	c.t.Helper()
	return c.follow(c.get("/login/sso/police"))
}

func TestSingleSignOnFirstTimeMakesAnAccountWithNoRole(t *testing.T) {
	t.Parallel()
	ts, op := ssoServer(t, Config{}, true)
	c := ts.client(t)
	wantContains(t, c.get("/login").body, `href="/login/sso/police"`, "Sign in with Hertfordshire Constabulary account")
	op.SignInAs(oidctest.Identity{Subject: "s-1", Email: "New.Officer@police.example", EmailVerified: true, AMR: []string{"pwd", "mfa"}})
	res := c.signOn()
	wantRedirect(t, res, "/staff")
	u, err := ts.users.FindUserByEmail(context.Background(), "new.officer@police.example")
	if err != nil || len(u.Roles) != 0 || u.AgencyID != ts.agency.ID {
		t.Fatalf("the new account: %+v, %v; want one in the agency with no role", u, err)
	}
	home := c.get("/staff")
	wantStatus(t, home, http.StatusOK)
	wantContains(t, home.body, "new.officer@police.example")
	actions := strings.Join(ts.auditActions(tropic.AuditFilter{Limit: 50}), "\n")
	wantContains(t, actions, "user.created single sign-on police; no role", "login.succeeded single sign-on police with the provider's multi-factor authentication")
}

func TestSingleSignOnWithoutTrustedMFAAsksForTropicsSecondFactor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		trust bool
		amr   []string
	}{
		{"The agency does not trust the provider's MFA.", false, []string{"pwd", "mfa"}},
		{"The token says only a password was used.", true, []string{"pwd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, op := ssoServer(t, Config{}, tt.trust)
			ts.addUser("sam@police.example") // invited before: matched by address
			c := ts.client(t)
			op.SignInAs(oidctest.Identity{Subject: "s-sam", Email: "sam@police.example", EmailVerified: true, AMR: tt.amr})
			wantRedirect(t, c.signOn(), "/login/mfa/setup")
			wantRedirect(t, c.get("/staff"), "/login")
			page := c.get("/login/mfa/setup")
			m := secretRE.FindStringSubmatch(page.body)
			if m == nil {
				t.Fatalf("no setup key:\n%s", page.body)
			}
			res := c.post("/login/mfa/setup", url.Values{"code": {c.code(strings.ReplaceAll(m[1], " ", ""))}})
			wantStatus(t, res, http.StatusOK)
			wantStatus(t, c.get("/staff"), http.StatusOK)
		})
	}
}

func TestSingleSignOnRefusals(t *testing.T) {
	t.Parallel()
	ts, op := ssoServer(t, Config{}, true)
	other := &tropic.Agency{Name: "Herts County Council", Kind: tropic.AgencyCountyCouncil}
	if err := ts.agencies.CreateAgency(context.Background(), testAdmin, other); err != nil {
		t.Fatal(err)
	}
	moved := &tropic.User{Email: "moved@police.example", Name: "Moved", AgencyID: other.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
	if err := ts.users.CreateUser(context.Background(), testAdmin, moved, ""); err != nil {
		t.Fatal(err)
	}
	refused := []struct {
		name   string
		id     oidctest.Identity
		status int
		want   string
	}{
		{"An address of an unknown domain is refused.", oidctest.Identity{Subject: "s-x", Email: "someone@gmail.example", EmailVerified: true, AMR: []string{"mfa"}},
			http.StatusForbidden, "its email address is not one of the agency"},
		{"An address the provider has not verified is refused.", oidctest.Identity{Subject: "s-y", Email: "y@police.example", EmailVerified: false, AMR: []string{"mfa"}},
			http.StatusForbidden, "not verified"},
		{"An account of another agency is refused.", oidctest.Identity{Subject: "s-moved", Email: "moved@police.example", EmailVerified: true, AMR: []string{"mfa"}},
			http.StatusForbidden, "belongs to another agency"},
		{"A token issued for another application (wrong audience) is refused.", oidctest.Identity{Subject: "s-aud", Email: "aud@police.example", EmailVerified: true,
			AMR: []string{"mfa"}, Audience: []string{"another-application"}}, http.StatusUnauthorized, "could not check the sign-in"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			op.SignInAs(tt.id)
			res := c.signOn()
			wantStatus(t, res, tt.status)
			wantContains(t, res.body, tt.want, `href="/login"`)
			wantRedirect(t, c.get("/staff"), "/login")
		})
	}
	// The token was refused for its audience, not for anything else.
	wantContains(t, ts.logs.String(), "expected audience")
	if _, err := ts.users.FindUserByEmail(context.Background(), "someone@gmail.example"); tropic.ErrorCode(err) != tropic.ENOTFOUND {
		t.Errorf("a refused sign-on made an account: %v", err)
	}
}

// toCallback starts a sign-on and stops at the provider's answer, returning its URL.
func toCallback(t *testing.T, c *client) string {
	t.Helper()
	res := c.get("/login/sso/police")
	for i := 0; i < 10; i++ {
		loc := res.location()
		if strings.Contains(loc, ssoCallbackPath) {
			return loc
		}
		req, _ := http.NewRequest(http.MethodGet, loc, nil)
		res = c.do(req)
	}
	t.Fatalf("no callback after 10 redirects; last %d %s", res.status, res.location())
	return ""
}

func TestSingleSignOnStateIsSingleUseAndExpires(t *testing.T) {
	t.Parallel()
	ts, op := ssoServer(t, Config{}, true)
	op.SignInAs(oidctest.Identity{Subject: "s-1", Email: "pat@police.example", EmailVerified: true, AMR: []string{"mfa"}})

	t.Run("An answer after 10 minutes is refused.", func(t *testing.T) {
		c := ts.client(t)
		cb := toCallback(t, c)
		ts.clock.Advance(pendingLifetime + time.Second)
		res := c.get(strings.TrimPrefix(cb, ts.http.URL))
		wantStatus(t, res, http.StatusBadRequest)
		wantContains(t, res.body, "took too long")
	})
	t.Run("A replayed answer is refused, even in the browser that started it.", func(t *testing.T) {
		c := ts.client(t)
		cb := strings.TrimPrefix(toCallback(t, c), ts.http.URL)
		wantRedirect(t, c.get(cb), "/staff")
		res := c.get(cb)
		wantStatus(t, res, http.StatusBadRequest)
		attacker := ts.client(t)
		wantStatus(t, attacker.get(cb), http.StatusBadRequest)
	})
	t.Run("An answer with another state is refused, and the sign-on it belonged to ends.", func(t *testing.T) {
		c := ts.client(t)
		cb := toCallback(t, c)
		u, _ := url.Parse(cb)
		q := u.Query()
		q.Set("state", "forged")
		res := c.get(u.Path + "?" + q.Encode())
		wantStatus(t, res, http.StatusBadRequest)
		wantStatus(t, c.get(strings.TrimPrefix(cb, ts.http.URL)), http.StatusBadRequest)
	})
	t.Run("An answer with no sign-on started is refused.", func(t *testing.T) {
		wantStatus(t, ts.client(t).get(ssoCallbackPath+"?state=x&code=y"), http.StatusBadRequest)
	})
	t.Run("An unknown provider is the missing page.", func(t *testing.T) {
		wantStatus(t, ts.client(t).get("/login/sso/nobody"), http.StatusNotFound)
	})
}
