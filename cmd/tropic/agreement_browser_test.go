package main

import (
	"strings"
	"testing"

	"tropic/internal/browsertest"
)

// The register of sharing agreements on the demo: the partnership administrator's
// home lists the agreements due for review; the register, an agreement with its
// history, the form refusing a blank agreement; the police supervisor's shares under
// the lapsed agreement. Each page axe-clean at 1280 px and 390 px.
func TestBrowserSharingAgreementRegisterAndExpiredSharesAreAccessible(t *testing.T) {
	brParallel(t)
	inst := startDemo(t, "--cases", "1")
	admin := brDemoAccount(t, inst, "partnership.admin@demo.tropic.example")
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, admin, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)
	home := brMainText(t, b)
	for _, want := range []string{"Sharing agreements to review", "Police and county council child exploitation protocol", "Review due soon",
		"Police and Safe Harbour victim support protocol", "Review date passed"} {
		if !strings.Contains(home, want) {
			t.Errorf("the partnership administrator's home lacks %q:\n%s", want, home)
		}
	}
	brCheckWidths(t, b, "sharing agreements")

	brOpen(t, b, inst.URL+"/admin/agreements")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "Hertfordshire Modern Slavery Partnership information sharing agreement") || !strings.Contains(text, "In force") {
		t.Errorf("the register:\n%s", text)
	}
	brCheckWidths(t, b, "sharing agreements")
	brClickAndWait(t, b, `main table a.govuk-link`, "an agreement's page", `/^\/admin\/agreements\/\d+$/.test(location.pathname)`)
	if text := brMainText(t, b); !strings.Contains(text, "History") || !strings.Contains(text, "Sharing agreement added") {
		t.Errorf("the agreement's page has no history:\n%s", text)
	}
	brCheckWidths(t, b, "sharing agreements")

	brOpen(t, b, inst.URL+"/admin/agreements/new")
	brWaitForGOVUKFrontend(t, b)
	brCheckWidths(t, b, "sharing agreements")
	brType(t, b, "title", "Typed and kept")
	brClickAndWait(t, b, `main form button[type="submit"]`, "the error summary", `!!document.querySelector('.govuk-error-summary')`)
	if text := brMainText(t, b); !strings.Contains(text, "Choose at least two agencies") || !strings.Contains(text, "Enter the review date") {
		t.Errorf("the refused form:\n%s", text)
	}
	if v := brEvalString(t, b, `document.getElementById('title').value`); v != "Typed and kept" {
		t.Errorf("the title typed was not kept: %q", v)
	}
	brCheckWidths(t, b, "sharing agreements")

	// The police supervisor: the approvals queue and the shares under the lapsed agreement.
	super := brDemoAccount(t, inst, "supervisor.police@demo.tropic.example")
	bs := browsertest.New(t)
	brSignIn(t, bs, inst.URL, super, defaultDemoPassword)
	brWaitForURL(t, bs, inst.URL+"/staff")
	brOpen(t, bs, inst.URL+"/approvals")
	brWaitForGOVUKFrontend(t, bs)
	if text := brMainText(t, bs); !strings.Contains(text, "No sharing agreement") {
		t.Errorf("the queue does not flag the share request citing no agreement:\n%s", text)
	}
	brCheckWidths(t, bs, "sharing agreements")
	brOpen(t, bs, inst.URL+"/approvals/expired-shares")
	brWaitForGOVUKFrontend(t, bs)
	if !strings.Contains(brMainText(t, bs), "Shares under an expired agreement") {
		t.Errorf("the expired shares page:\n%s", brMainText(t, bs))
	}
	brCheckWidths(t, bs, "sharing agreements")
	if brEvalString(t, bs, `String(!!document.querySelector('input[name=share]'))`) == "true" {
		brClickAndWait(t, bs, `main form button[type="submit"]`, "the shares ended", `!!document.querySelector('.govuk-notification-banner--success')`)
		if text := brMainText(t, bs); !strings.Contains(text, "ended") || !strings.Contains(text, "No share of your agency's cases rests on an agreement past its review date") {
			t.Errorf("after ending them all:\n%s", text)
		}
		brCheckWidths(t, bs, "sharing agreements")
	}
}
