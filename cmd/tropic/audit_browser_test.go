package main

import (
	"strings"
	"testing"

	"tropic/internal/browsertest"
)

// The audit search in a real browser, checked with axe: from the navigation, a search
// with results and pages, and a search with a wrong date.
func TestBrowserAuditSearchIsAccessible(t *testing.T) {
	brSkipInShortMode(t)
	inst := startDemo(t, "--cases", "1")
	dpo := brDemoAccount(t, inst, "dpo.police@demo.tropic.example")
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, dpo, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)
	brClickAndWait(t, b, `.govuk-service-navigation a[href="/audit"]`, "the audit search", `location.pathname === '/audit'`)
	b.CheckAxe(t)
	brType(t, b, "action", "case.")
	brClickAndWait(t, b, `main form[action="/audit"] button`, "the results", `document.getElementById('results') !== null`)
	if page := brMainText(t, b); !strings.Contains(page, "case.created") || !strings.Contains(page, "Export these events") {
		t.Errorf("no case events found:\n%s", page)
	}
	b.CheckAxe(t)
	brOpen(t, b, inst.URL+"/audit?from=soon")
	brWaitForGOVUKFrontend(t, b)
	if !strings.Contains(brMainText(t, b), "Enter a date like") {
		t.Errorf("a wrong date is not named:\n%s", brMainText(t, b))
	}
	b.CheckAxe(t)
}
