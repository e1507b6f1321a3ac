package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
	"tropic/internal/oidctest"
)

// bWaitFor polls a JavaScript expression until it is true (errors while a page loads
// count as "not yet").
func bWaitFor(t *testing.T, b *browsertest.Browser, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.Ctx(), 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	loc, _ := chromedp.Run(b.Ctx(), chromedp.Location())
	t.Fatalf("timed out waiting for %s (at %s)", what, loc)
}

func bMainText(t *testing.T, b *browsertest.Browser) string {
	t.Helper()
	text, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// bSignOn opens the sign-in page, checks it with axe, and chooses the agency's account.
func bSignOn(t *testing.T, b *browsertest.Browser, ts *testServer) {
	t.Helper()
	if err := chromedp.Do(b.Ctx(), chromedp.Navigate(ts.http.URL+"/login")); err != nil {
		t.Fatal(err)
	}
	bWaitFor(t, b, "the sign-in page", `document.readyState === 'complete' && !!document.querySelector('a[href="/login/sso/police"]')`)
	b.CheckAxe(t)
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`a[href="/login/sso/police"]`))); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserSingleSignOn(t *testing.T) {
	ts, op := ssoServer(t, Config{}, true)
	b := browsertest.New(t)
	onPage := func(path string) string {
		return `location.href.startsWith('` + ts.http.URL + path + `') && document.readyState === 'complete'`
	}

	t.Run("A first sign-in makes the account and reaches the staff home.", func(t *testing.T) {
		op.SignInAs(oidctest.Identity{Subject: "b-1", Email: "first.time@police.example", EmailVerified: true, AMR: []string{"pwd", "mfa"}})
		bSignOn(t, b, ts)
		bWaitFor(t, b, "the staff home", onPage("/staff"))
		if text := bMainText(t, b); !strings.Contains(text, "first.time@police.example") {
			t.Errorf("staff home:\n%s", text)
		}
		b.CheckAxe(t)
		if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`form[action="/logout"] button`))); err != nil {
			t.Fatal(err)
		}
		bWaitFor(t, b, "signed out", onPage("/login?signed_out=1"))
	})
	t.Run("An address of an unknown domain is refused.", func(t *testing.T) {
		op.SignInAs(oidctest.Identity{Subject: "b-2", Email: "someone@elsewhere.example", EmailVerified: true, AMR: []string{"mfa"}})
		bSignOn(t, b, ts)
		bWaitFor(t, b, "the refusal", onPage(ssoCallbackPath)+` && !!document.getElementById('sso-message')`)
		if text := bMainText(t, b); !strings.Contains(text, "not one of the agency") {
			t.Errorf("refusal says:\n%s", text)
		}
		b.CheckAxe(t)
	})
	t.Run("A token for another application is refused.", func(t *testing.T) {
		op.SignInAs(oidctest.Identity{Subject: "b-3", Email: "aud@police.example", EmailVerified: true, AMR: []string{"mfa"}, Audience: []string{"another-app"}})
		bSignOn(t, b, ts)
		bWaitFor(t, b, "the refusal", onPage(ssoCallbackPath)+` && !!document.getElementById('sso-message')`)
		if text := bMainText(t, b); !strings.Contains(text, "could not check the sign-in") {
			t.Errorf("refusal says:\n%s", text)
		}
	})
	t.Run("A sign-in finished after 10 minutes is refused (expired state).", func(t *testing.T) {
		op.SignInAs(oidctest.Identity{Subject: "b-4", Email: "slow@police.example", EmailVerified: true, AMR: []string{"mfa"}})
		op.Hold(true)
		defer op.Hold(false)
		bSignOn(t, b, ts)
		bWaitFor(t, b, "the provider's page", `document.readyState === 'complete' && !!document.getElementById('continue')`)
		ts.clock.Advance(pendingLifetime + time.Minute)
		if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("continue"))); err != nil {
			t.Fatal(err)
		}
		bWaitFor(t, b, "the refusal", onPage(ssoCallbackPath)+` && !!document.getElementById('sso-message')`)
		if text := bMainText(t, b); !strings.Contains(text, "took too long") {
			t.Errorf("refusal says:\n%s", text)
		}
	})
}
