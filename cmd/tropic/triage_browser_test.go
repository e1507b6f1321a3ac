package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// brTriageReport is an emergency report as a helpline call handler sends it.
const brTriageReport = `{"description": "A woman at the nail bar on London Road says she is locked in at night and cannot leave.",
 "location": {"address": "London Road nail bar", "postcode": "SG1 1AA", "district": "stevenage"},
 "in_danger": true, "exploitation_types": ["labour"], "indicators": ["locked_in", "documents_withheld"],
 "people": {"count": 1, "children_involved": false},
 "phones": ["07700 900456"], "reporter": {"anonymous": true}, "channel": "helpline"}`

// brTriageIntake sends brTriageReport through the JSON API with a token made by
// "tropic token create" for the triage officer, and returns its reference.
func brTriageIntake(t *testing.T, inst *instance, email string) string {
	t.Helper()
	vars := demoVars(inst)
	secret, stderr, err := tropicCmd(t, vars, "", "token", "create", "--user", email, "--name", "browser test")
	if err != nil {
		t.Fatalf("token create: %v (%s)", err, stderr)
	}
	req, err := http.NewRequest(http.MethodPost, inst.URL+"/api/v1/reports", strings.NewReader(brTriageReport))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(secret))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var created struct{ Reference, Urgency string }
	if err := json.NewDecoder(res.Body).Decode(&created); err != nil || res.StatusCode != http.StatusCreated || created.Reference == "" {
		t.Fatalf("POST /api/v1/reports: %d %+v %v", res.StatusCode, created, err)
	}
	if created.Urgency != "emergency" {
		t.Errorf("the report's urgency is %q, want emergency", created.Urgency)
	}
	return created.Reference
}

func TestBrowserTriageQueueReportAndDecisionAreAccessible(t *testing.T) {
	brParallel(t)
	inst := startDemo(t)
	email := brDemoAccount(t, inst, "triage.police@demo.tropic.example")
	ref := brTriageIntake(t, inst, email)
	b := browsertest.New(t)

	brSignIn(t, b, inst.URL, email, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)
	if home := brMainText(t, b); !strings.Contains(home, "emergency") || !strings.Contains(home, "Go to the triage queue") {
		t.Errorf("the staff home does not count the urgent reports:\n%s", home)
	}

	// The queue, reached from the service navigation.
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`.govuk-service-navigation a[href="/triage"]`))); err != nil {
		t.Fatal(err)
	}
	brWaitForURL(t, b, inst.URL+"/triage")
	brWaitForGOVUKFrontend(t, b)
	if first := brEvalString(t, b, `document.querySelector('main table tbody tr').innerText`); !strings.Contains(first, "Emergency") {
		t.Errorf("the first report in the queue is %q, want an emergency", first)
	}
	b.CheckAxe(t)

	// Find the report by its reference, typed as people type it, from the keyboard.
	if err := chromedp.Do(b.Ctx(),
		chromedp.Focus(chromedp.ID("ref")),
		chromedp.SendKeys(chromedp.ID("ref"), strings.ToLower(strings.ReplaceAll(ref, "-", ""))+"\r"),
	); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the search result", `location.search.startsWith('?ref=') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	links := brEvalString(t, b, `[...document.querySelectorAll('main table a')].map(a => a.textContent.trim()).join(' ')`)
	if links != ref {
		t.Fatalf("searching for %s lists %q", ref, links)
	}
	if err := chromedp.Do(b.Ctx(), chromedp.Focus(chromedp.CSS(`main table a`)), chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	brWaitForURL(t, b, inst.URL+"/triage/reports/"+ref)
	brWaitForGOVUKFrontend(t, b)
	text := brMainText(t, b)
	for _, want := range []string{"London Road nail bar", "Locked in, or not allowed to leave", "07700 900456 (+447700900456)", "Anonymous", "Not claimed"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report page does not show %q", want)
		}
	}
	b.CheckAxe(t)

	// Claim it: the success banner, and the claim shown.
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("claim"))); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the claim's success banner", `!!document.querySelector('.govuk-notification-banner--success') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	if !strings.Contains(brMainText(t, b), "You are working on this report") {
		t.Error("after claiming, the page does not say who is working on the report")
	}
	b.CheckAxe(t)

	// Passing to an agency without choosing it: the decision comes back with the
	// error summary, focused, and the reason kept.
	if err := chromedp.Do(b.Ctx(),
		chromedp.Click(chromedp.ID("decision-3")),
		chromedp.SendKeys(chromedp.ID("reason"), "Council to lead the welfare visit"),
		chromedp.Click(chromedp.CSS(`form[action$="/decision"] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the error summary", `!!document.querySelector('.govuk-error-summary') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	brWaitFor(t, b, "focus on the error summary", `document.activeElement && document.activeElement.classList.contains('govuk-error-summary')`)
	if href := brEvalString(t, b, `document.querySelector('.govuk-error-summary__list a').getAttribute('href')`); href != "#agency" {
		t.Errorf("the error summary links to %q, want #agency", href)
	}
	if kept := brEvalString(t, b, `document.getElementById('reason').value`); kept != "Council to lead the welfare visit" {
		t.Errorf("the reason typed became %q", kept)
	}
	if title := brEvalString(t, b, `document.title`); !strings.HasPrefix(title, "Error: ") {
		t.Errorf("title %q, want it to start with Error:", title)
	}
	b.CheckAxe(t)

	// Choose the agency and the decision is recorded; the report leaves the queue.
	if err := chromedp.Do(b.Ctx(),
		chromedp.SetValue(chromedp.ID("agency"), brEvalString(t, b, `document.querySelector('#agency option:nth-child(2)').value`)),
		chromedp.Click(chromedp.CSS(`form[action$="/decision"] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the decision's success banner", `!!document.querySelector('.govuk-notification-banner--success') && document.readyState === 'complete'`)
	if text := brMainText(t, b); !strings.Contains(text, "Decision: Passed to agency") || !strings.Contains(text, "Council to lead the welfare visit") {
		t.Errorf("the timeline does not show the decision:\n%s", text)
	}
	b.CheckAxe(t)
	// Only the 422 of the decision with a problem may show as a failed load.
	for _, m := range b.ConsoleErrors() {
		if m.Source == "network" && strings.Contains(m.Text, "422") {
			continue
		}
		t.Errorf("browser problem: %s", m)
	}
}
