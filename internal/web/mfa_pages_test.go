package web

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

func TestMFA(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{PartnershipName: "Test Partnership"})
	sam := ts.addUser("sam@police.example", tropic.RoleTriage, tropic.RoleAnalyst)

	c := ts.client(t)
	var secret string

	t.Run("The first sign-in goes to authenticator setup, with the secret as text and a QR code drawn here.", func(t *testing.T) {
		res := c.login("sam@police.example", testPassword, "/staff?tab=tasks")
		wantRedirect(t, res, "/login/mfa/setup")
		wantRedirect(t, c.get("/staff"), "/login") // a password alone does not sign in
		page := c.get("/login/mfa/setup")
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page.body, `<img class="app-qr" src="/login/mfa/qr.png"`, `id="secret"`)
		m := secretRE.FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("no secret on the setup page:\n%s", page.body)
		}
		secret = strings.ReplaceAll(m[1], " ", "")
		if len(secret) < 16 {
			t.Errorf("secret %q is too short", secret)
		}
		if again := secretRE.FindStringSubmatch(c.get("/login/mfa/setup").body); again == nil || strings.ReplaceAll(again[1], " ", "") != secret {
			t.Errorf("reloading the setup page changed the secret")
		}
		qr := c.get("/login/mfa/qr.png")
		wantStatus(t, qr, http.StatusOK)
		if ct := qr.header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("QR code Content-Type %q, want image/png", ct)
		}
		img, err := png.Decode(bytes.NewReader([]byte(qr.body)))
		if err != nil {
			t.Fatalf("QR code is not a PNG: %v", err)
		}
		if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
			t.Errorf("QR code is %v, too small to scan", b)
		}
	})
	if secret == "" {
		t.FailNow()
	}

	t.Run("Someone else cannot fetch the QR code.", func(t *testing.T) {
		wantRedirect(t, ts.client(t).get("/login/mfa/qr.png"), "/login?expired=1")
	})

	wrong := []struct {
		name, code, want string
	}{
		{"An empty code asks for the code.", "", "Enter the 6-digit code"},
		{"A code of letters says it must be 6 digits.", "abcdef", "The code must be 6 digits"},
		{"A short code says it must be 6 digits.", "123", "The code must be 6 digits"},
		{"A wrong code says it is not right and keeps what was typed.", wrongCode(c.code(secret)), "The code is not right"},
	}
	for _, tt := range wrong {
		t.Run(tt.name, func(t *testing.T) {
			res := c.post("/login/mfa/setup", url.Values{"code": {tt.code}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res.body, tt.want, `href="#code"`, `value="`+tt.code+`"`)
			if !strings.HasPrefix(pageTitle(res.body), "Error: ") {
				t.Errorf("title %q does not start with Error: ", pageTitle(res.body))
			}
		})
	}

	var signedIn string
	t.Run("The right code signs in, with a new session token, shows the recovery codes once and goes on to next.", func(t *testing.T) {
		pending := c.sessionToken()
		res := c.post("/login/mfa/setup", url.Values{"code": {c.code(secret)}})
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, "Save your recovery codes", `href="/staff?tab=tasks"`)
		if codes := recoveryCodesIn(res.body); len(codes) != tropic.RecoveryCodeCount {
			t.Errorf("%d recovery codes shown, want %d", len(codes), tropic.RecoveryCodeCount)
		}
		if got := res.header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control %q on the recovery codes, want no-store", got)
		}
		signedIn = c.sessionToken()
		if signedIn == "" || signedIn == pending {
			t.Errorf("session token %q after sign-in, %q before: want a new one", signedIn, pending)
		}
		old := ts.client(t)
		old.setSessionToken(pending)
		wantRedirect(t, old.get("/staff"), "/login")
		wantRedirect(t, old.get("/login/mfa"), "/login?expired=1")
	})

	t.Run("The staff home shows the user's agency and roles, and no MFA waiver.", func(t *testing.T) {
		res := c.get("/staff")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, "Hertfordshire Constabulary", "Triage, Analyst", "sam@police.example")
		wantNotContains(t, res.body, "Multi-factor authentication is switched off", `href="/exit"`)
		if got := res.header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control %q on a staff page, want no-store", got)
		}
	})

	t.Run("Enrolment and the sign-in are audited.", func(t *testing.T) {
		got := ts.auditActions(tropic.AuditFilter{UserID: sam.ID, Limit: 500})
		for _, want := range []string{"mfa.enrolled ", "login.succeeded password and authenticator app (enrolled)"} {
			if !containsString(got, want) {
				t.Errorf("audit events %q lack %q", got, want)
			}
		}
	})

	t.Run("The session lives in the database and expires 30 minutes after use.", func(t *testing.T) {
		var expiry time.Time
		if err := ts.db.SQL().QueryRow(`SELECT expiry FROM sessions WHERE token_hash = ?`, tropic.HashSecret(signedIn)).Scan(&expiry); err != nil {
			t.Fatalf("read session row: %v", err)
		}
		if d := time.Until(expiry); d < 29*time.Minute || d > 31*time.Minute {
			t.Errorf("session expires in %v, want 30 minutes", d)
		}
	})

	t.Run("Signing out and in again asks for a code, not setup, and refuses the code already used.", func(t *testing.T) {
		wantRedirect(t, c.post("/logout", nil), "/login?signed_out=1")
		wantRedirect(t, c.login("sam@police.example", testPassword, ""), "/login/mfa")
		wantRedirect(t, c.get("/login/mfa/setup"), "/login/mfa")
		page := c.get("/login/mfa")
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page.body, "Enter your security code")
		wantNotContains(t, page.body, `id="secret"`, "qr.png")
		if res := c.get("/login/mfa/qr.png"); res.status == http.StatusOK {
			t.Errorf("the QR code of an enrolled account is served again")
		}

		used := c.code(secret)
		res := c.post("/login/mfa", url.Values{"code": {used}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "This code has been used already", `value="`+used+`"`)

		res = c.post("/login/mfa", url.Values{"code": {wrongCode(used)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "The code is not right", `value="`+wrongCode(used)+`"`)

		ts.clock.Advance(30 * time.Second)
		wantRedirect(t, c.post("/login/mfa", url.Values{"code": {c.code(secret)}}), "/staff")
		wantStatus(t, c.get("/staff"), http.StatusOK)
	})

	t.Run("A pending sign-in expires after ten minutes.", func(t *testing.T) {
		d := ts.client(t)
		wantRedirect(t, d.login("sam@police.example", testPassword, ""), "/login/mfa")
		ts.clock.Advance(11 * time.Minute)
		wantRedirect(t, d.post("/login/mfa", url.Values{"code": {d.code(secret)}}), "/login?expired=1")
		wantContains(t, d.get("/login?expired=1").body, "Sign in again")
	})
}

// wrongCode is a well-formed code that is not code.
func wrongCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+5)%10
	return string(b)
}

func TestSessionIdleExpiry(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{})
	// The session store applies the idle timeout with the injected clock (scs's own
	// expiry, stamped with time.Now, is not used); TestSessionIdleTimeoutSlidesWithUse
	// checks that each request slides it.
	tests := []struct {
		name    string
		email   string
		advance time.Duration
		want    int
	}{
		{"A session idle for 29 minutes is still signed in.", "a@police.example", 29 * time.Minute, http.StatusOK},
		{"A session idle for 31 minutes has ended.", "b@police.example", 31 * time.Minute, http.StatusSeeOther},
	}
	for _, tt := range tests {
		ts.addUser(tt.email)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts.clock.Set(time.Now().UTC().Truncate(time.Second))
			c := ts.client(t)
			c.enrol(tt.email)
			ts.clock.Advance(tt.advance)
			res := c.get("/staff")
			if res.status != tt.want {
				t.Fatalf("GET /staff: got %d, want %d", res.status, tt.want)
			}
			if tt.want == http.StatusSeeOther && res.location() != "/login" {
				t.Errorf("went to %q, want /login", res.location())
			}
		})
	}
}

func TestMFAWaived(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("sam@police.example")
	c := ts.client(t)
	before := c.sessionToken()
	wantRedirect(t, c.login("sam@police.example", testPassword, ""), "/staff")
	if c.sessionToken() == "" || c.sessionToken() == before {
		t.Errorf("no new session token at sign-in")
	}
	res := c.get("/staff")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "Multi-factor authentication is switched off")
	if l, _ := ts.users.FindLogin(context.Background(), "sam@police.example"); l.MFASecret != "" {
		t.Errorf("a waived sign-in enrolled a secret")
	}
	wantRedirect(t, c.get("/login/mfa"), "/login?expired=1")
}
