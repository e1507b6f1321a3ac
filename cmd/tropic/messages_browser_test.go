package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// Issue 15 item 1 in real browsers, axe on each page at 1280 and 390 pixels: the
// hub's triage officer writes to the reporter from the report's page (a blank message
// first, refused by its field); the reporter, with JavaScript off, signs in with the
// reference and code (a wrong code first), reads the message and the broad status, and
// replies; triage reads the reply.
func TestBrowserTriageWritesToTheReporterWhoRepliesWithoutJavaScript(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	triage := brDemoAccount(t, inst, "triage.police@demo.tropic.example")
	token := brToken(t, inst, triage)
	created := brAPI(t, inst, token, "POST", "/api/v1/reports", `{"description": "A caller says two women never leave the nail bar.",
	 "location": {"district": "st-albans"}, "in_danger": false, "people": {"children_involved": false},
	 "reporter": {"anonymous": true}, "channel": "helpline"}`, http.StatusCreated)
	ref, code := created["reference"].(string), created["follow_up_code"].(string)
	path := inst.URL + "/triage/reports/" + ref

	staff := browsertest.New(t) // after the server, see brSkipInShortMode
	brSignIn(t, staff, inst.URL, triage, defaultDemoPassword)
	brWaitForURL(t, staff, inst.URL+"/staff")
	for i, width := range []int64{1280, 390} {
		if err := chromedp.Do(staff.Ctx(), chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		brOpen(t, staff, path)
		brWaitForGOVUKFrontend(t, staff)
		brFits(t, staff, width)
		staff.CheckAxe(t)
		if i == 0 {
			brClickAndWait(t, staff, `form[action$="/messages"] button[type="submit"]`, "the message's error",
				`document.querySelector('.govuk-error-summary a[href="#message"]') !== null`)
			brFits(t, staff, width)
			staff.CheckAxe(t)
			brType(t, staff, "message", "Thank you for calling. Which nail bar is it?")
			brClickAndWait(t, staff, `form[action$="/messages"] button[type="submit"]`, "the message sent",
				`document.querySelector('main').innerText.includes('Your message has been sent.')`)
			staff.CheckAxe(t)
		}
	}

	reporter := browsertest.New(t)
	disableScripts := func(off bool) {
		t.Helper()
		if _, err := chromedp.Call(reporter.Ctx(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off}); err != nil {
			t.Fatal(err)
		}
	}
	disableScripts(true)
	// axe awaits timers, which do not fire while scripts are disabled: allow scripts
	// for the check (the page's own were skipped when it loaded, and stay so).
	checkAxe := func() {
		t.Helper()
		disableScripts(false)
		reporter.CheckAxe(t)
		if brEvalBool(t, reporter, `document.body.classList.contains('govuk-frontend-supported')`) {
			t.Fatal("the page's scripts ran during the axe check")
		}
		disableScripts(true)
	}
	submit := func(what, ready string) {
		t.Helper()
		if err := chromedp.Do(reporter.Ctx(), chromedp.Click(chromedp.CSS(`main form button[type="submit"]`))); err != nil {
			t.Fatalf("submitting for %s: %v", what, err)
		}
		brWaitFor(t, reporter, what, `document.readyState === 'complete' && (`+ready+`)`)
	}
	for i, width := range []int64{1280, 390} {
		if err := chromedp.Do(reporter.Ctx(), chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		brOpen(t, reporter, inst.URL+"/report/follow-up/messages")
		if brEvalBool(t, reporter, `document.body.classList.contains('govuk-frontend-supported')`) {
			t.Fatal("the page's scripts ran although JavaScript is disabled")
		}
		brFits(t, reporter, width)
		checkAxe()
		if i == 0 {
			brType(t, reporter, "reference", ref, "code", "AAAAA-AAAAA")
			submit("the wrong code's error", `document.querySelector('.govuk-error-summary') !== null`)
			brFits(t, reporter, width)
			checkAxe()
			brOpen(t, reporter, inst.URL+"/report/follow-up/messages")
		}
		brType(t, reporter, "reference", ref, "code", code)
		submit("the messages", `document.getElementById('broad-status') !== null`)
		brFits(t, reporter, width)
		checkAxe()
		main := brMainText(t, reporter)
		for _, want := range []string{"The partnership wrote", "Which nail bar is it?", "We have received your report."} {
			if !strings.Contains(main, want) {
				t.Errorf("the reporter's page lacks %q:\n%s", want, main)
			}
		}
		if i == 1 {
			brType(t, reporter, "reply", "The one next to the station, Glow Nails.")
			submit("the reply sent", `document.querySelector('main').innerText.includes('Your reply has been sent.')`)
			brFits(t, reporter, width)
			checkAxe()
		}
	}

	// Triage sees the reply (through the API: each browser's time is bounded, and the
	// staff page showing replies is checked in internal/web).
	got := brAPI(t, inst, token, "GET", "/api/v1/reports/"+ref+"/messages", "", http.StatusOK)["messages"].([]any)
	if len(got) != 2 || !strings.Contains(got[1].(map[string]any)["text"].(string), "Glow Nails") {
		t.Errorf("triage reads %v, want the question and the reply", got)
	}
}
