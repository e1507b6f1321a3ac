package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// The demo's county council has reports waiting in its inbox (demo.SeedInbox).
func TestBrowserInboxAndItsReportPageAreAccessible(t *testing.T) {
	brParallel(t)
	inst := startDemo(t)
	email := brDemoAccount(t, inst, "caseworker.county@demo.tropic.example")
	b := browsertest.New(t)

	brSignIn(t, b, inst.URL, email, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)
	if home := brMainText(t, b); !strings.Contains(home, "Passed to us") || !strings.Contains(home, "3 waiting") || !strings.Contains(home, "1 overdue") {
		t.Errorf("the staff home does not count the reports passed to the county:\n%s", home)
	}

	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`.govuk-service-navigation a[href="/inbox"]`))); err != nil {
		t.Fatal(err)
	}
	brWaitForURL(t, b, inst.URL+"/inbox")
	brWaitForGOVUKFrontend(t, b)
	list := brMainText(t, b)
	for _, want := range []string{"Not acknowledged", "Acknowledged", "Overdue", "Urgent"} {
		if !strings.Contains(list, want) {
			t.Errorf("the inbox does not show %q:\n%s", want, list)
		}
	}
	b.CheckAxe(t)

	// The first report is the most urgent: the one past its acknowledgement time.
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`main table tbody tr a`))); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the report page", `location.pathname.startsWith('/inbox/reports/') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "Overdue by") || !strings.Contains(text, "Children involved") {
		t.Errorf("the report page does not show the report and its lateness:\n%s", text)
	}
	b.CheckAxe(t)

	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("acknowledge"))); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the acknowledgement's banner", `!!document.querySelector('.govuk-notification-banner--success') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	if !strings.Contains(brMainText(t, b), "Acknowledged by") {
		t.Error("after acknowledging, the page does not say who acknowledged it")
	}
	b.CheckAxe(t)

	// Returning without a reason: the error summary, and the page still accessible.
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`form[action$="/return"] button[type="submit"]`))); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the error summary", `!!document.querySelector('.govuk-error-summary') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	if href := brEvalString(t, b, `document.querySelector('.govuk-error-summary__list a').getAttribute('href')`); href != "#reason" {
		t.Errorf("the error summary links to %q, want #reason", href)
	}
	b.CheckAxe(t)
	for _, m := range b.ConsoleErrors() {
		if m.Source == "network" && strings.Contains(m.Text, "422") {
			continue
		}
		t.Errorf("browser problem: %s", m)
	}
}
