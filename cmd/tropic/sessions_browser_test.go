package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// "Your sessions" (issue 13 item 8) in Chromium, with axe at a phone's and a desktop's
// width: two sessions of one user listed, the other one ended from the page, then
// every one by "Sign out everywhere".
func TestBrowserYourSessionsAndSigningOutEverywhere(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--reports-per-year", "30", "--cases", "0")
	b := browsertest.New(t) // after the server, see brSkipInShortMode
	email := brDemoAccount(t, inst, "caseworker.stalbans@demo.tropic.example")

	// The first session, kept outside the browser; the browser then signs in afresh.
	brSignIn(t, b, inst.URL, email, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	first := brSessionCookie(t, b, inst.URL)
	if _, err := chromedp.Call(b.Ctx(), network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	brSignIn(t, b, inst.URL, email, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	if status, _ := brStaffStatus(t, inst.URL, first); status != http.StatusOK {
		t.Fatalf("the first session: GET /staff got %d, want 200", status)
	}

	brOpen(t, b, inst.URL+"/account/sessions")
	text := brMainText(t, b)
	for _, want := range []string{"Your sessions", "A session ends after 30 minutes without use, and 12 hours after you signed in", "This session", "Sign out everywhere"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sessions page does not say %q:\n%s", want, text)
		}
	}
	if n := brEvalString(t, b, `String(document.querySelectorAll('main tbody tr').length)`); n != "2" {
		t.Errorf("the sessions page lists %s sessions, want 2", n)
	}
	brCheckWidths(t, b, "your sessions")

	brClickAndWait(t, b, `form[action="/account/sessions/others"] button`, "the other session ended",
		`document.querySelectorAll('main tbody tr').length === 1 && document.readyState === 'complete'`)
	if status, location := brStaffStatus(t, inst.URL, first); status != http.StatusSeeOther || !strings.HasPrefix(location, "/login") {
		t.Errorf("the other session after 'Sign out of all other sessions': GET /staff got %d to %q", status, location)
	}
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)

	brClickAndWait(t, b, `form[action="/account/sessions/all"] button`, "signed out everywhere", `location.pathname === '/login'`)
	brOpen(t, b, inst.URL+"/account/sessions")
	brWaitFor(t, b, "sent to sign in", `location.pathname === '/login'`)
}
