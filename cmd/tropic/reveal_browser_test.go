package main

import (
	"strings"
	"testing"

	"tropic/internal/browsertest"
)

// Revealing a person of the analysts' network in a real browser, each page checked
// with axe at 390 px and 1280 px: the analyst finds a person held by Watford by a
// phone, asks Watford to reveal them (the form, its errors, their requests); Watford's
// supervisor finds it in the approvals queue and notifications, and approves; the
// analyst then sees the name in the network.
func TestBrowserAnalystAsksToRevealAPerson(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--cases", "12")
	watford := brToken(t, inst, brDemoAccount(t, inst, "caseworker.watford@demo.tropic.example"))
	brCaseWith(t, inst, watford, "Overcrowded house (reveal test)", "07700 900246",
		`{"given_name": "Zofia", "family_name": "Revealova", "role": "potential_victim"}`)
	b := browsertest.New(t) // after the server, see brSkipInShortMode
	check := func(what string) { t.Helper(); brCheckWidths(t, b, what) }
	search := func() {
		t.Helper()
		brOpen(t, b, inst.URL+"/analysis/network?by=phone&q=07700900246")
		brWaitForGOVUKFrontend(t, b)
	}

	brSwitchTo(t, b, inst, "analyst.police@demo.tropic.example")
	search()
	if text := brMainText(t, b); strings.Contains(text, "Revealova") || !strings.Contains(text, "Ask Watford Borough Council to reveal") {
		t.Fatalf("the network before the reveal:\n%s", text)
	}
	check("the network with a person to reveal")
	brClickAndWait(t, b, `main td a[href^="/analysis/reveals/new"]`, "the reveal form", `location.pathname === '/analysis/reveals/new'`)
	check("the reveal form")
	brType(t, b, "agreement_reason", "Urgent safeguarding")
	brClickAndWait(t, b, `main form[action="/analysis/reveals"] button`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	if got := brEvalString(t, b, `document.getElementById('agreement_reason').value`); got != "Urgent safeguarding" {
		t.Errorf("the reason is %q after the errors, want it kept", got)
	}
	check("the reveal form's errors")
	brType(t, b, "purpose", "The phone joins cases of two agencies")
	brClickAndWait(t, b, `main form[action="/analysis/reveals"] button`, "the analyst's requests", `location.pathname === '/analysis/reveals' && document.querySelector('.govuk-error-summary') === null`)
	if text := brMainText(t, b); !strings.Contains(text, "Waiting for a decision") {
		t.Errorf("the analyst's requests:\n%s", text)
	}
	check("the analyst's requests to reveal")

	brSwitchTo(t, b, inst, "supervisor.watford@demo.tropic.example")
	brOpen(t, b, inst.URL+"/notifications")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "An analyst asks your agency to reveal who") {
		t.Errorf("the supervisor's notifications:\n%s", text)
	}
	check("the supervisor's notifications")
	brOpen(t, b, inst.URL+"/approvals")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "Reveal request") || !strings.Contains(text, "potential victim") {
		t.Errorf("the approvals queue:\n%s", text)
	}
	check("the approvals queue with a reveal request")
	brClickAndWait(t, b, `main a[href^="/approvals/reveals/"]`, "the reveal request", `location.pathname.startsWith('/approvals/reveals/')`)
	check("the reveal request")
	brClick(t, b, "decision")
	brClickAndWait(t, b, `main form[action^="/approvals/reveals/"] button`, "the queue", `location.pathname === '/approvals'`)

	brSwitchTo(t, b, inst, "analyst.police@demo.tropic.example")
	search()
	if text := brMainText(t, b); !strings.Contains(text, "Zofia Revealova") || !strings.Contains(text, "Name revealed to you") {
		t.Errorf("the network after the reveal:\n%s", text)
	}
	check("the network with a person revealed")
}
