package main

// The route for the person it is happening to, in real Chromium at phone width, with
// JavaScript and without: start page, help page, four questions, check, send; axe on
// every page, and the screens counted.

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

func TestBrowserReportSelfRouteOnAPhone(t *testing.T) { brSelfRoute(t, true) }

func TestBrowserReportSelfRouteWithoutJavaScript(t *testing.T) { brSelfRoute(t, false) }

func brSelfRoute(t *testing.T, js bool) {
	brParallel(t)
	inst := brStartDemo(t)
	b := browsertest.New(t)
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(390, brPhoneHeight)); err != nil {
		t.Fatal(err)
	}
	scripts := func(off bool) {
		t.Helper()
		if _, err := chromedp.Call(b.Ctx(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off}); err != nil {
			t.Fatal(err)
		}
	}
	scripts(!js)
	screens := 0
	page := func(what, ready string) {
		t.Helper()
		brWaitFor(t, b, what, `document.readyState === 'complete' && (`+ready+`)`)
		if js {
			brWaitForGOVUKFrontend(t, b)
			b.CheckAxe(t)
		} else {
			if brEvalBool(t, b, `document.body.classList.contains('govuk-frontend-supported')`) {
				t.Fatalf("%s: the page's scripts ran although JavaScript is disabled", what)
			}
			// axe awaits timers, which do not fire while scripts are disabled; allowing
			// them for the check does not run the page's own, skipped when it loaded.
			scripts(false)
			b.CheckAxe(t)
			scripts(true)
		}
		n, _ := brScreens(t, b)
		screens += n
	}
	// click clicks and waits until ready holds; with JavaScript, for GOV.UK Frontend too.
	click := func(sel, what, ready string) {
		t.Helper()
		if js {
			brClickAndWait(t, b, sel, what, ready)
			return
		}
		if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		brWaitFor(t, b, what, `document.readyState === 'complete' && (`+ready+`)`)
	}

	brOpen(t, b, inst.URL+"/report")
	click(`main a[href="/report/me"]`, "the help page", `location.pathname === '/report/me'`)
	page("the help page", `!!document.querySelector('a[href="tel:08000121700"]')`)
	click(`a.govuk-button--start[href="/report/me/new"]`, "the four questions", `location.pathname === '/report/me/new'`)
	page("the four questions", `!!document.getElementById('description')`)
	if brEvalBool(t, b, `!!document.querySelector('input:checked')`) {
		t.Error("an answer is chosen before the person chose it")
	}
	brType(t, b, "description", "They keep my passport. I work every day and get no money.",
		"reporter_contact", "07700 900456, text only after 9pm", "language", "Albanian")
	click(`label[for="reporter_anonymous"]`, "contact chosen", `document.getElementById('reporter_anonymous').checked`)
	click(`form[action="/report/check"] button[type="submit"]:not([name="add"])`, "check your answers", `location.pathname === '/report/check'`)
	page("check your answers", `document.querySelector('h1').innerText.startsWith('Check your answers')`)
	if text := brMainText(t, b); !strings.Contains(text, "07700 900456, text only after 9pm") || strings.Contains(text, "Vehicles") {
		t.Errorf("check your answers shows the wrong questions:\n%s", text)
	}
	click(`form[action="/report/submit"] button.govuk-button`, "the confirmation", `!!document.getElementById('reference')`)
	page("the confirmation", `!!document.getElementById('follow-up-code')`)
	t.Logf("the route for the person it is happening to takes %d phone screens (390×844) from the help page to the confirmation (JavaScript %v)", screens, js)
}
