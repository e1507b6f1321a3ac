package web

import (
	"net"
	"net/url"
	"strings"
	"testing"

	cdpwebauthn "github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"tropic/internal/auth"
	"tropic/internal/browsertest"
	"tropic/internal/tropic"
)

// keyServer is a test server reached at http://localhost:PORT: WebAuthn needs a
// domain name (an IP address cannot be a relying party's id).
func keyServer(t *testing.T) (*testServer, string) {
	t.Helper()
	ts := newTestServer(t, Config{})
	u, _ := url.Parse(ts.http.URL)
	_, port, _ := net.SplitHostPort(u.Host)
	base := "http://localhost:" + port
	ts.srv.cfg.BaseURL = base
	wa, err := newWebAuthn(ts.srv.cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.srv.webauthn = wa
	return ts, base
}

// bType fills a field and sends the form posting to action.
func bSubmit(t *testing.T, b *browsertest.Browser, action string, fields ...string) {
	t.Helper()
	var acts []chromedp.Action[chromedp.Void]
	for i := 0; i+1 < len(fields); i += 2 {
		acts = append(acts, chromedp.SetValue(chromedp.ID(fields[i]), fields[i+1]))
	}
	acts = append(acts, chromedp.Click(chromedp.CSS(`form[action="`+action+`"] button[type="submit"]`)))
	if err := chromedp.Do(b.Ctx(), acts...); err != nil {
		t.Fatalf("submitting %s: %v", action, err)
	}
}

func TestBrowserSecurityKeyEnrolAndSignIn(t *testing.T) {
	ts, base := keyServer(t)
	ts.addUser("sam@police.example")
	b := browsertest.New(t)
	at := func(path string) string {
		return `location.href === '` + base + path + `' && document.readyState === 'complete'`
	}
	// A virtual authenticator, as a USB security key that verifies its user.
	if _, err := chromedp.Call(b.Ctx(), cdpwebauthn.Enable, cdpwebauthn.EnableParams{}); err != nil {
		t.Fatalf("WebAuthn domain: %v", err)
	}
	if _, err := chromedp.Call(b.Ctx(), cdpwebauthn.AddVirtualAuthenticator, cdpwebauthn.AddVirtualAuthenticatorParams{Options: &cdpwebauthn.VirtualAuthenticatorOptions{
		Protocol: cdpwebauthn.AuthenticatorProtocolCtap2, Transport: cdpwebauthn.AuthenticatorTransportUsb,
		HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true}}); err != nil {
		t.Fatalf("virtual authenticator: %v", err)
	}
	signIn := func() {
		t.Helper()
		if err := chromedp.Do(b.Ctx(), chromedp.Navigate(base+"/login")); err != nil {
			t.Fatal(err)
		}
		bWaitFor(t, b, "the sign-in page", at("/login"))
		bSubmit(t, b, "/login", "email", "sam@police.example", "password", testPassword)
	}

	// First sign-in: the authenticator app, then the recovery codes, then home.
	signIn()
	bWaitFor(t, b, "the setup page", at("/login/mfa/setup"))
	secret, err := chromedp.Run(b.Ctx(), chromedp.Text(chromedp.ID("secret")))
	if err != nil {
		t.Fatal(err)
	}
	code, err := auth.TOTPCode(strings.ReplaceAll(strings.TrimSpace(secret), " ", ""), ts.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	bSubmit(t, b, "/login/mfa/setup", "code", code)
	bWaitFor(t, b, "the recovery codes", `document.querySelectorAll('#recovery-codes li').length === 10`)

	// Adding a key.
	if err := chromedp.Do(b.Ctx(), chromedp.Navigate(base+"/account/security-keys")); err != nil {
		t.Fatal(err)
	}
	bWaitFor(t, b, "the keys page", at("/account/security-keys")+` && !document.getElementById('add-key').hidden`)
	b.CheckAxe(t)
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("add-key"))); err != nil {
		t.Fatal(err)
	}
	bWaitFor(t, b, "the name's error", `!document.getElementById('key-error').hidden`)
	if text := bMainText(t, b); !strings.Contains(text, "Enter a name for the security key") {
		t.Errorf("without a name the page says:\n%s", text)
	}
	b.CheckAxe(t)
	if err := chromedp.Do(b.Ctx(), chromedp.SetValue(chromedp.ID("key-name"), "Blue key"), chromedp.Click(chromedp.ID("add-key"))); err != nil {
		t.Fatal(err)
	}
	bWaitFor(t, b, "the key added", at("/account/security-keys?added=1"))
	if text := bMainText(t, b); !strings.Contains(text, "Blue key") || !strings.Contains(text, "Your security key has been added") {
		t.Errorf("after adding, the page says:\n%s", text)
	}
	b.CheckAxe(t)

	// Signing in again: the password, then the key instead of a code.
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`form[action="/logout"] button`))); err != nil {
		t.Fatal(err)
	}
	bWaitFor(t, b, "signed out", at("/login?signed_out=1"))
	signIn()
	bWaitFor(t, b, "the second factor", at("/login/mfa")+` && !document.getElementById('use-key').hidden`)
	b.CheckAxe(t)
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("use-key"))); err != nil {
		t.Fatal(err)
	}
	bWaitFor(t, b, "the staff home", at("/staff"))
	actions := strings.Join(ts.auditActions(tropic.AuditFilter{Limit: 100}), "\n")
	if !strings.Contains(actions, tropic.AuditSecurityKeyAdded) || !strings.Contains(actions, "login.succeeded password and security key") {
		t.Errorf("audit trail:\n%s", actions)
	}

	// Removing the key (the authenticator app stays): the page at a phone's width too.
	if err := chromedp.Do(b.Ctx(), chromedp.Navigate(base+"/account/security-keys")); err != nil {
		t.Fatal(err)
	}
	bWaitFor(t, b, "the keys page", at("/account/security-keys"))
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	b.CheckAxe(t)
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.CSS(`form[action$="/remove"] button`))); err != nil {
		t.Fatal(err)
	}
	bWaitFor(t, b, "the key removed", at("/account/security-keys?removed=1"))
	if text := bMainText(t, b); !strings.Contains(text, "You have no security keys") || !strings.Contains(text, "Your security key has been removed") {
		t.Errorf("after removing, the page says:\n%s", text)
	}
	b.CheckAxe(t)
}
