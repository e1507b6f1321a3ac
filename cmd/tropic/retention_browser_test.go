package main

import (
	"strings"
	"testing"
	"time"

	"tropic/internal/browsertest"
)

// The retention review page in a real browser, checked with axe: a review kept with a
// reason (after the form's errors, which keep what was typed), one disposed of, the
// approvals queue linking to them, and the privacy notice stating the schedule.
func TestBrowserRetentionReviewsAreAccessibleAndKeepOrDispose(t *testing.T) {
	brParallel(t)
	inst := startDemo(t, "--cases", "1", "--reports-per-year", "300") // years of reports, some past their retention period
	if !strings.Contains(inst.Stdout.String(), "wait for review at /retention") {
		t.Fatalf("the demo does not say what waits for retention review:\n%s", inst.Stdout)
	}
	super := brDemoAccount(t, inst, "supervisor.police@demo.tropic.example")
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, super, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")

	brOpen(t, b, inst.URL+"/retention")
	brWaitForGOVUKFrontend(t, b)
	page := brMainText(t, b)
	for _, want := range []string{"Retention reviews", "The retention schedule", "2 years after the decision", "MoPI"} {
		if !strings.Contains(page, want) {
			t.Errorf("the retention page lacks %q:\n%s", want, page)
		}
	}
	b.CheckAxe(t)
	n := brEvalString(t, b, `String(document.querySelectorAll('main .govuk-summary-card').length)`)
	if n == "0" || n == "1" {
		t.Fatalf("%s reviews wait for supervisor.police; the demo should leave two or more:\n%s", n, page)
	}
	first := brEvalString(t, b, `document.querySelector('main .govuk-summary-card').id`)
	ref := brEvalString(t, b, `document.querySelector('main .govuk-summary-card .app-reference').innerText`)

	// Keep it: without a date, the form comes back naming it and keeping the reason.
	id := strings.TrimPrefix(first, "review-")
	brType(t, b, "reason-"+id, "A linked prosecution is pending (browser test)")
	brClickAndWait(t, b, "#"+first+` form input[value="retain"] ~ button`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	if got := brEvalString(t, b, `document.getElementById('reason-`+id+`').value`); got != "A linked prosecution is pending (browser test)" {
		t.Errorf("the reason typed is %q after the error, want it kept", got)
	}
	if !strings.Contains(brMainText(t, b), "Enter the date to keep it until") {
		t.Errorf("the error does not name the date:\n%s", brMainText(t, b))
	}
	b.CheckAxe(t)
	until := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	brType(t, b, "retain_until-"+id, until)
	brClickAndWait(t, b, "#"+first+` form input[value="retain"] ~ button`, "the kept record", `document.querySelector('main') !== null && document.querySelector('main').innerText.includes('You kept the record')`)
	if page := brMainText(t, b); !strings.Contains(page, "You kept the record until "+until) || !strings.Contains(page, "Kept until "+until) {
		t.Errorf("no record kept until %s:\n%s", until, page)
	}
	b.CheckAxe(t)

	// Dispose of the next one: gone from the queue, listed as disposed of, no link.
	next := brEvalString(t, b, `document.querySelector('main .govuk-summary-card .app-reference').innerText`)
	brClickAndWait(t, b, `main .govuk-summary-card form input[value="dispose"] ~ button`, "the disposal", `document.querySelector('main').innerText.includes('You disposed of the record')`)
	if page := brMainText(t, b); !strings.Contains(page, next) || !strings.Contains(page, "Disposed of") || next == ref {
		t.Errorf("the disposal of %s is not listed:\n%s", next, page)
	}
	if brEvalBool(t, b, `[...document.querySelectorAll('main a')].some(a => a.innerText === `+brJsString(next)+`)`) {
		t.Errorf("the disposed record %s is still a link", next)
	}
	b.CheckAxe(t)

	// The approvals queue has the reviews as one more kind of request.
	brOpen(t, b, inst.URL+"/approvals")
	brWaitForGOVUKFrontend(t, b)
	if !strings.Contains(brMainText(t, b), "Retention review") {
		t.Errorf("the approvals queue lacks the retention reviews:\n%s", brMainText(t, b))
	}
	b.CheckAxe(t)

	// The public privacy notice states the schedule in force.
	brOpen(t, b, inst.URL+"/privacy")
	brWaitForGOVUKFrontend(t, b)
	if p := brMainText(t, b); !strings.Contains(p, "6 years after the case is closed") || strings.Contains(p, "does not yet delete") {
		t.Errorf("the privacy notice does not state the schedule:\n%s", p)
	}
	b.CheckAxe(t)
}
