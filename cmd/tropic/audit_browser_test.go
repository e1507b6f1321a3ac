package main

import (
	"strings"
	"testing"

	"tropic/internal/browsertest"
)

// The audit search in a real browser, checked with axe: from the navigation, a search
// with results and pages, and a search with a wrong date.
func TestBrowserAuditSearchIsAccessible(t *testing.T) {
	brParallel(t)
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
	// The same trail grouped by user and day.
	brOpen(t, b, inst.URL+"/audit?show=days&action=case.")
	brWaitForGOVUKFrontend(t, b)
	if page := brMainText(t, b); !strings.Contains(page, "Records viewed") || !strings.Contains(page, "Changes") {
		t.Errorf("no grouped view:\n%s", page)
	}
	b.CheckAxe(t)
	brOpen(t, b, inst.URL+"/audit?from=soon")
	brWaitForGOVUKFrontend(t, b)
	if !strings.Contains(brMainText(t, b), "Enter a date like") {
		t.Errorf("a wrong date is not named:\n%s", brMainText(t, b))
	}
	b.CheckAxe(t)

	// The access alerts: the demo's scripted one, explained; closed after the form's errors.
	if !strings.Contains(inst.Stdout.String(), "normal work, raises 0;") {
		t.Errorf("the demo's normal work raises alerts:\n%s", inst.Stdout)
	}
	brClickAndWait(t, b, `main a[href="/audit/alerts"]`, "the access alerts", `location.pathname === '/audit/alerts'`)
	page := brMainText(t, b)
	if !strings.Contains(page, "Their own name") || !strings.Contains(page, "whose name is the same as their own") {
		t.Fatalf("the scripted alert is not shown and explained:\n%s", page)
	}
	b.CheckAxe(t)
	id := strings.TrimPrefix(brEvalString(t, b, `document.querySelector('main .govuk-summary-card').id`), "alert-")
	brType(t, b, "note-"+id, "Asked them (browser test)")
	brClickAndWait(t, b, `main .govuk-summary-card form button`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	if got := brEvalString(t, b, `document.getElementById('note-`+id+`').value`); got != "Asked them (browser test)" {
		t.Errorf("the note is %q after the error, want it kept", got)
	}
	b.CheckAxe(t)
	brClickAndWait(t, b, `#status-`+id, "the choice", `document.getElementById('status-`+id+`').checked`)
	brClickAndWait(t, b, `main .govuk-summary-card form button`, "the closed alert", `document.querySelector('main').innerText.includes('You closed the alert')`)
	if page := brMainText(t, b); !strings.Contains(page, "No alert is open") || !strings.Contains(page, "Asked them (browser test)") {
		t.Errorf("the alert is not closed with its note:\n%s", page)
	}
	b.CheckAxe(t)
}
