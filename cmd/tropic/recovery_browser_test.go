package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tropic/internal/auth"
	"tropic/internal/browsertest"
)

// brEnrol sets up the authenticator app on the setup page the browser is on, and
// returns the secret and the recovery codes shown once after it.
func brEnrol(t *testing.T, b *browsertest.Browser) (secret string, codes []string) {
	t.Helper()
	secret, err := chromedp.Run(b.Ctx(), chromedp.Text(chromedp.ID("secret")))
	if err != nil {
		t.Fatal(err)
	}
	secret = strings.ReplaceAll(strings.TrimSpace(secret), " ", "")
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	brSubmit(t, b, "/login/mfa/setup", "code", code)
	brWaitFor(t, b, "the recovery codes", `document.querySelectorAll('#recovery-codes li').length === 10 && document.readyState === 'complete'`)
	list := brEvalString(t, b, `[...document.querySelectorAll('#recovery-codes code')].map(c => c.innerText).join(' ')`)
	return secret, strings.Fields(list)
}

func TestBrowserRecoveryCodeInsteadOfTheAuthenticatorApp(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--mfa")
	b := browsertest.New(t) // after the server, see brSkipInShortMode
	email := brDemoAccount(t, inst, "analyst.county@demo.tropic.example")

	brSignIn(t, b, inst.URL, email, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/login/mfa/setup")
	_, codes := brEnrol(t, b)
	if len(codes) != 10 {
		t.Fatalf("recovery codes on the page: %q", codes)
	}
	brOpen(t, b, inst.URL+"/account/recovery-codes")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	if text := brMainText(t, b); !strings.Contains(text, "You have 10 unused recovery codes.") {
		t.Errorf("recovery codes page says:\n%s", text)
	}
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`form[action="/logout"] button`))); err != nil {
		t.Fatal(err)
	}
	brWaitForURL(t, b, inst.URL+"/login?signed_out=1")

	brSignIn(t, b, inst.URL, email, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/login/mfa")
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`main a[href="/login/mfa/recovery"]`))); err != nil {
		t.Fatal(err)
	}
	brWaitForURL(t, b, inst.URL+"/login/mfa/recovery")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brSubmit(t, b, "/login/mfa/recovery", "code", "AAAA-BBBB")
	brWaitFor(t, b, "the error summary", `!!document.querySelector('.govuk-error-summary') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brSubmit(t, b, "/login/mfa/recovery", "code", strings.ToLower(codes[3]))
	brWaitForURL(t, b, inst.URL+"/account/recovery-codes")
	if text := brMainText(t, b); !strings.Contains(text, "You have 9 unused recovery codes.") {
		t.Errorf("after using a code the page says:\n%s", text)
	}
}
