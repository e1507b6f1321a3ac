package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// The queue's bulk actions: tick two reports, forget the reason (the problem comes
// back with the ticks kept), give it, and both leave the queue.
func TestBrowserTriageBulkActionIsAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	email := brDemoAccount(t, inst, "triage.police@demo.tropic.example")
	first, second, third := brTriageIntake(t, inst, email), brTriageIntake(t, inst, email), brTriageIntake(t, inst, email)
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, email, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brOpen(t, b, inst.URL+"/triage")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)

	tick := func(ref string) string { return `input[name="report"][value="` + ref + `"]` }
	const submit = `form[action="/triage/bulk"] button[type="submit"]`
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(tick(first))), chromedp.Click(chromedp.CSS(tick(second))),
		chromedp.Click(chromedp.ID("action")), chromedp.Click(chromedp.CSS(submit))); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the error summary", `!!document.querySelector('.govuk-error-summary') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	brWaitFor(t, b, "focus on the error summary", `document.activeElement && document.activeElement.classList.contains('govuk-error-summary')`)
	if href := brEvalString(t, b, `document.querySelector('.govuk-error-summary__list a').getAttribute('href')`); href != "#reason" {
		t.Errorf("the error summary links to %q, want #reason", href)
	}
	ticked := brEvalString(t, b, `[...document.querySelectorAll('input[name="report"]:checked')].map(i => i.value).sort().join(' ')`)
	if want := strings.Join(sortedRefs(first, second), " "); ticked != want {
		t.Errorf("ticked after the problem: %q, want %q", ticked, want)
	}
	b.CheckAxe(t)

	if err := chromedp.Do(b.Ctx(), chromedp.SendKeys(chromedp.ID("reason"), "Test calls from a training exercise"), chromedp.Click(chromedp.CSS(submit))); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the success banner", `!!document.querySelector('.govuk-notification-banner--success') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	text := brMainText(t, b)
	if !strings.Contains(text, "No further action recorded for 2 reports") {
		t.Errorf("the queue does not confirm the action:\n%s", text)
	}
	listed := brEvalString(t, b, `[...document.querySelectorAll('main table tbody th a')].map(a => a.textContent.trim()).join(' ')`)
	if strings.Contains(listed, first) || strings.Contains(listed, second) || !strings.Contains(listed, third) {
		t.Errorf("the queue lists %q: want %s but not %s or %s", listed, third, first, second)
	}
	b.CheckAxe(t)
	for _, m := range b.ConsoleErrors() {
		if m.Source == "network" && strings.Contains(m.Text, "422") {
			continue // the refused first try
		}
		t.Errorf("browser problem: %s", m)
	}
}

func sortedRefs(refs ...string) []string {
	out := append([]string(nil), refs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// The call handlers' page from the keyboard: the first questions are those of the
// call, in the order a call handler asks them, and the form is sent with Enter.
func TestBrowserIntakeCallFromTheKeyboardIsAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	email := brDemoAccount(t, inst, "intake.police@demo.tropic.example")
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, email, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brOpen(t, b, inst.URL+"/intake/reports/new")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)

	// Tab from the first choice: one stop per question of the call, in order, and the
	// helpline's number in the hint for someone it is happening to (a tel: link).
	if err := chromedp.Do(b.Ctx(), chromedp.Focus(chromedp.ID("channel"))); err != nil {
		t.Fatal(err)
	}
	var stops []string
	for range 7 {
		stops = append(stops, brEvalString(t, b, `document.activeElement.name || document.activeElement.getAttribute('href')`))
		if err := chromedp.Do(b.Ctx(), chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := strings.Join(stops, " "), "channel reporter_anonymous reporter_name reporter_contact reporter_relationship tel:08000121700 language"; got != want {
		t.Errorf("tab stops %q, want %q", got, want)
	}

	// Space chooses; typing fills; Enter in a one-line answer sends.
	if err := chromedp.Do(b.Ctx(),
		chromedp.Focus(chromedp.ID("channel")), chromedp.KeyEvent(" "),
		chromedp.KeyEvent("\t"), chromedp.KeyEvent(" "), // the caller agrees to be contacted
		chromedp.KeyEvent("\t"), chromedp.KeyEvent("Dana Example"),
		chromedp.KeyEvent("\t"), chromedp.KeyEvent("07700 900999, after 6pm"),
		chromedp.Focus(chromedp.ID("description")), chromedp.KeyEvent("Men are driven to the farm at 4am and say they are not paid."),
		chromedp.Focus(chromedp.ID("seen_when")), chromedp.KeyEvent("Every morning\r"),
	); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the call recorded", `document.title.startsWith('Call recorded') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	text := brMainText(t, b)
	for _, want := range []string{"Helpline", "follow-up code"} {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(want)) {
			t.Errorf("the confirmation does not say %q:\n%s", want, text)
		}
	}
	b.CheckAxe(t)
	b.CheckNoConsoleErrors(t)
}
