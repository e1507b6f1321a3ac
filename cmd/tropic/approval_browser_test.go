package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

var demoApprovalCases = regexp.MustCompile(`access request from the county council's case (C-[0-9A-Z-]+), a role change on (C-[0-9A-Z-]+)`)

// The demo's approvals queue, notifications and the request for access, in a real
// browser, each page checked with axe.
func TestBrowserApprovalsNotificationsAndAccessRequestsAreAccessible(t *testing.T) {
	brParallel(t)
	inst := startDemo(t, "--cases", "1")
	m := demoApprovalCases.FindStringSubmatch(inst.Stdout.String())
	if m == nil {
		t.Fatalf("the demo does not say where its approvals are:\n%s", inst.Stdout)
	}
	countyRef, policeRef := m[1], m[2]
	super := brDemoAccount(t, inst, "supervisor.police@demo.tropic.example")
	county := brDemoAccount(t, inst, "caseworker.county@demo.tropic.example")
	b := browsertest.New(t)

	// The supervisor's home counts what waits; the header counts the unread.
	brSignIn(t, b, inst.URL, super, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)
	home := brMainText(t, b)
	for _, want := range []string{"4 requests wait", "1 share request", "1 access request", "1 role change", "1 case closure"} {
		if !strings.Contains(home, want) {
			t.Errorf("home lacks %q:\n%s", want, home)
		}
	}
	// At least the three requests; the demo's history may add more.
	if n := brEvalString(t, b, `document.getElementById('unread-count').innerText`); !regexp.MustCompile(`^([3-9]|\d\d+)\s+unread$`).MatchString(n) {
		t.Errorf("the header's unread count is %q, want 3 or more unread", n)
	}
	b.CheckAxe(t)

	brClickAndWait(t, b, `.govuk-service-navigation a[href="/approvals"]`, "the approvals queue", `location.pathname === '/approvals'`)
	queue := brMainText(t, b)
	if i, j := strings.Index(queue, "Role change"), strings.Index(queue, "Share request"); i < 0 || j < i {
		t.Errorf("the queue is not oldest first (role change before share request):\n%s", queue)
	}
	b.CheckAxe(t)
	brClickAndWait(t, b, `.govuk-service-navigation a[href="/notifications"]`, "notifications", `location.pathname === '/notifications'`)
	if !strings.Contains(brMainText(t, b), "asks for access to case "+policeRef) {
		t.Errorf("no access request notification:\n%s", brMainText(t, b))
	}
	b.CheckAxe(t)
	brClickAndWait(t, b, `main form[action="/notifications/read"] button`, "all read", `!document.getElementById('unread-count')`)
	b.CheckAxe(t)
	brOpen(t, b, inst.URL+"/account/notifications")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brClickAndWait(t, b, `main form button[type="submit"]`, "the saved choice", `document.querySelector('.govuk-notification-banner--success') !== null`)

	// The county caseworker asks for access to another record held by the police.
	bc := browsertest.New(t)
	brSignIn(t, bc, inst.URL, county, defaultDemoPassword)
	brWaitForURL(t, bc, inst.URL+"/staff")
	brOpen(t, bc, inst.URL+"/cases/"+countyRef)
	brWaitForGOVUKFrontend(t, bc)
	brClickAndWait(t, bc, `#links ~ ul a[href*="/access-request"]`, "the request form", `location.pathname.endsWith('/access-request')`)
	bc.CheckAxe(t)
	brClickAndWait(t, bc, `main form button[type="submit"]`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	bc.CheckAxe(t)
	if err := chromedp.Do(bc.Ctx(), chromedp.Click(chromedp.ID("scope")), chromedp.Click(chromedp.ID("lawful_basis"))); err != nil {
		t.Fatal(err)
	}
	brType(t, bc, "reason", "A second look (browser test)")
	brType(t, bc, "agreement_reason", "Checking the register first (browser test)")
	// The county already asked in the demo, so the request waits: refused as a replay.
	brClickAndWait(t, bc, `main form button[type="submit"]`, "the refusal of a second request while one waits",
		`document.querySelector('main') !== null && document.querySelector('main').innerText.includes('already asked for this record')`)
	bc.CheckAxe(t)
}
