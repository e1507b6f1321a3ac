package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	plain := newTestServer(t, Config{MFAWaived: true})
	plain.addUser("sam@police.example")
	secure := newTestServer(t, Config{MFAWaived: true, SecureCookies: true})
	secure.addUser("sam@police.example")

	tests := []struct {
		name   string
		staff  bool // signed in first
		path   string
		status int
		page   bool // an HTML page with the inline script
	}{
		{"The public home page carries every security header.", false, "/", http.StatusOK, true},
		{"The accessibility statement carries every security header.", false, "/accessibility", http.StatusOK, true},
		{"The sign-in page carries every security header.", false, "/login", http.StatusOK, true},
		{"A staff page carries every security header.", true, "/staff", http.StatusOK, true},
		{"The not-found page carries every security header.", false, "/nope", http.StatusNotFound, true},
		{"An API answer carries every security header.", false, "/api/v1/me", http.StatusUnauthorized, false},
		{"The OpenAPI document carries every security header.", false, "/api/v1/openapi.json", http.StatusOK, false},
		{"A static file carries every security header.", false, "/static/app.css", http.StatusOK, false},
		{"The health check carries every security header.", false, "/healthz", http.StatusOK, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := plain.client(t)
			if tt.staff {
				c.signInWaived("sam@police.example")
			}
			res := c.get(tt.path)
			wantStatus(t, res, tt.status)
			csp := res.header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("Content-Security-Policy %q allows unsafe scripts", csp)
			}
			for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
				if got := res.header.Get(name); got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
			if got := res.header.Get("Strict-Transport-Security"); got != "" {
				t.Errorf("Strict-Transport-Security %q sent without SecureCookies", got)
			}
			if tt.page {
				n := headerNonce(res.header)
				if n == "" || pageNonce(res.body) != n {
					t.Errorf("the inline script's nonce %q is not the header's %q", pageNonce(res.body), n)
				}
				again := c.get(tt.path)
				if headerNonce(again.header) == n {
					t.Errorf("the nonce %q was used for two responses", n)
				}
			}
		})
	}

	t.Run("HSTS is sent when the server is configured for TLS.", func(t *testing.T) {
		res := secure.client(t).get("/")
		if got := res.header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
			t.Errorf("Strict-Transport-Security: got %q, want max-age=...", got)
		}
	})

	cookieTests := []struct {
		name       string
		ts         *testServer
		wantSecure bool
	}{
		{"The session cookie is HttpOnly and SameSite=Lax, and not Secure over plain HTTP.", plain, false},
		{"The session cookie is Secure when the server is configured for TLS.", secure, true},
	}
	for _, tt := range cookieTests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.ts.client(t).login("sam@police.example", testPassword, "")
			wantRedirect(t, res, "/staff")
			c := res.sessionCookie()
			if c == nil {
				t.Fatal("no session cookie was set at sign-in")
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.wantSecure {
				t.Errorf("cookie: HttpOnly %v, SameSite %v, Secure %v; want true, Lax, %v", c.HttpOnly, c.SameSite, c.Secure, tt.wantSecure)
			}
			if c.MaxAge != 0 || !c.Expires.IsZero() {
				t.Errorf("cookie persists (Max-Age %d, Expires %v); want a session cookie", c.MaxAge, c.Expires)
			}
		})
	}
}

func TestPublicPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true, ExitURL: "https://neutral.example/weather"})
	ts.addUser("sam@police.example")

	pages := []struct {
		name, path string
		wants      []string
	}{
		{"The home page puts 999 first and gives 101 and the Modern Slavery Helpline.", "/", []string{"999", "101", "08000 121 700"}},
		{"The accessibility statement is public.", "/accessibility", []string{"Accessibility"}},
		{"The privacy notice is public.", "/privacy", []string{"rivacy"}},
	}
	for _, tt := range pages {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			res := c.get(tt.path)
			wantStatus(t, res, http.StatusOK)
			if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			wantContains(t, res.body, `href="/exit"`, "Exit this page")
			wantContains(t, mainContent(res.body), tt.wants...)
			if res.header.Get("Set-Cookie") != "" {
				t.Errorf("viewing %s set a cookie: %q", tt.path, res.header.Values("Set-Cookie"))
			}
			if n := len(c.hc.Jar.Cookies(mustURL(t, ts.http.URL))); n != 0 {
				t.Errorf("the browser holds %d cookies after viewing %s, want none", n, tt.path)
			}
			for _, third := range []string{"googletagmanager", "google-analytics", "https://fonts.", "cdn."} {
				wantNotContains(t, res.body, third)
			}
		})
	}

	t.Run("On the home page 999 comes before the other numbers.", func(t *testing.T) {
		main := mainContent(ts.client(t).get("/").body)
		i999, i101, iMSH := strings.Index(main, "999"), strings.Index(main, "101"), strings.Index(main, "08000 121 700")
		if i999 < 0 || i999 > i101 || i999 > iMSH {
			t.Errorf("999 at %d, 101 at %d, 08000 121 700 at %d: want 999 first", i999, i101, iMSH)
		}
	})

	t.Run("The sign-in page and the not-found page set no cookie either.", func(t *testing.T) {
		for _, p := range []string{"/login", "/nope", "/static/app.css", "/favicon.ico"} {
			if res := ts.client(t).get(p); res.header.Get("Set-Cookie") != "" {
				t.Errorf("GET %s set a cookie: %q", p, res.header.Values("Set-Cookie"))
			}
		}
	})

	t.Run("Exit this page signs a member of staff out and leaves for the neutral site.", func(t *testing.T) {
		c := ts.client(t)
		c.signInWaived("sam@police.example")
		token := c.sessionToken()
		res := c.get("/exit")
		wantRedirect(t, res, "https://neutral.example/weather")
		if got := res.header.Get("Clear-Site-Data"); !strings.Contains(got, `"cookies"`) {
			t.Errorf("Clear-Site-Data: got %q, want it to clear cookies", got)
		}
		if c.sessionToken() != "" {
			t.Errorf("the browser still holds a session cookie after exit")
		}
		wantRedirect(t, c.get("/staff"), "/login")
		// The session is gone on the server too, not only from the browser.
		thief := ts.client(t)
		thief.setSessionToken(token)
		wantRedirect(t, thief.get("/staff"), "/login")
	})

	t.Run("Exit this page works without a session.", func(t *testing.T) {
		wantRedirect(t, ts.client(t).get("/exit"), "https://neutral.example/weather")
	})

	t.Run("An unknown page answers 404 with a page.", func(t *testing.T) {
		res := ts.client(t).get("/no/such/page")
		wantStatus(t, res, http.StatusNotFound)
		wantContains(t, res.body, "Page not found", `href="/exit"`)
		if !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
			t.Errorf("Content-Type %q, want HTML", res.header.Get("Content-Type"))
		}
	})

	t.Run("An unknown API route answers 404 in the JSON error shape.", func(t *testing.T) {
		res := ts.client(t).get("/api/v1/nope")
		wantStatus(t, res, http.StatusNotFound)
		wantJSONError(t, res, "not_found")
	})

	assets := []struct {
		name, path, contentType string
	}{
		{"The favicon is served.", "/favicon.ico", "image/"},
		{"The stylesheet is served.", "/static/app.css", "text/css"},
	}
	for _, tt := range assets {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.client(t).get(tt.path)
			wantStatus(t, res, http.StatusOK)
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %s...", ct, tt.contentType)
			}
			if len(res.body) == 0 {
				t.Error("empty body")
			}
		})
	}

	t.Run("The static folder is not listed.", func(t *testing.T) {
		if res := ts.client(t).get("/static/"); res.status != http.StatusNotFound {
			t.Errorf("GET /static/: got %d, want 404", res.status)
		}
	})
}

// wantJSONError checks the error shape of DESIGN.md §5 and its code.
func wantJSONError(t testing.TB, res *response, code string) {
	t.Helper()
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
	var body struct {
		Error *struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"error"`
	}
	dec := json.NewDecoder(strings.NewReader(res.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || body.Error == nil {
		t.Fatalf("body is not the error shape (%v):\n%s", err, res.body)
	}
	if body.Error.Code != code || body.Error.Message == "" {
		t.Errorf("error: code %q message %q, want code %q and a message", body.Error.Code, body.Error.Message, code)
	}
}
