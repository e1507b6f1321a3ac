package main

// The public report journey in real Chromium, with JavaScript and without it:
// start page, form, form with errors, "Check your answers", "Change", confirmation,
// and adding information, with axe on every page.

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
	"tropic/internal/tropic"
)

func TestBrowserReportJourneyWithJavaScript(t *testing.T)    { brReportJourney(t, true) }
func TestBrowserReportJourneyWithoutJavaScript(t *testing.T) { brReportJourney(t, false) }

func brReportJourney(t *testing.T, js bool) {
	brParallel(t)
	inst := startDemo(t)
	b := browsertest.New(t)
	disableScripts := func(off bool) {
		t.Helper()
		if _, err := chromedp.Call(b.Ctx(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off}); err != nil {
			t.Fatal(err)
		}
	}
	if !js {
		disableScripts(true)
	}
	// axe awaits timers, which do not fire while scripts are disabled. Allowing
	// scripts for the check does not run the page's own: those were skipped when
	// it loaded, which the check below makes sure of.
	checkAxe := func(what string) {
		t.Helper()
		if js {
			b.CheckAxe(t)
			return
		}
		disableScripts(false)
		b.CheckAxe(t)
		if brEvalBool(t, b, `document.body.classList.contains('govuk-frontend-supported')`) {
			t.Fatalf("%s: the page's scripts ran during the axe check", what)
		}
		disableScripts(true)
	}
	// page waits for a page after a navigation or a form post, then checks it
	// carries Exit this page, and runs axe.
	page := func(what, ready string) {
		t.Helper()
		brWaitFor(t, b, what, `document.readyState === 'complete' && (`+ready+`)`)
		if js {
			brWaitForGOVUKFrontend(t, b)
		} else if brEvalBool(t, b, `document.body.classList.contains('govuk-frontend-supported')`) {
			t.Fatalf("%s: the page's scripts ran although JavaScript is disabled", what)
		}
		if !brEvalBool(t, b, `!!document.querySelector('.govuk-exit-this-page a[href="/exit"]') && !!document.querySelector('a.govuk-js-exit-this-page-skiplink[href="/exit"]')`) {
			t.Errorf("%s has no Exit this page", what)
		}
		checkAxe(what)
	}
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b.Ctx(), actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	h1Is := func(prefix string) string {
		return `(document.querySelector('h1') || {innerText: ''}).innerText.trim().startsWith(` + brJsString(prefix) + `)`
	}
	value := func(id string) string { return brEvalString(t, b, `document.getElementById(`+brJsString(id)+`).value`) }
	click := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
	typeIn := func(id, text string) chromedp.Action[chromedp.Void] { return chromedp.SendKeys(chromedp.ID(id), text) }

	// From the home page to the start page: 999 first.
	brOpen(t, b, inst.URL+"/")
	do("following the link to report", click(`main a[href="/report"]`))
	page("the start page", `location.pathname === '/report' && `+h1Is("Report a concern about modern slavery"))
	if w := brEvalString(t, b, `document.querySelector('main .govuk-warning-text').innerText`); !strings.Contains(w, "999") {
		t.Errorf("the first warning on the start page is %q, want the 999 number", w)
	}
	do("starting", click(`a.govuk-button--start[href="/report/new"]`))
	page("the form", `location.pathname === '/report/new' && `+h1Is("Report a concern"))

	// The form, answered with a postcode that cannot be one.
	const description = "Four men sleep in the back of the car wash.\nA van collects them at 5am."
	// The optional groups are folded: open the ones this reporter answers.
	do("opening the optional groups", click(`#group-noticed summary`), click(`#group-people summary`), click(`#group-vehicles summary`),
		click(`#group-phones summary`), click(`#group-businesses summary`), click(`#group-about summary`))
	do("filling in the form",
		typeIn("description", description),
		click(`label[for="in_danger-2"]`),
		typeIn("address", "Sparkle Car Wash, London Road"),
		typeIn("postcode", "AL1 XXX"),
		chromedp.SetValue(chromedp.ID("district"), "st-albans"),
		typeIn("seen_on", "20"), typeIn("seen_on-month", "11"), typeIn("seen_on-year", "2025"),
		typeIn("seen_when", "most mornings"),
		click(`label[for="exploitation-2"]`),
		click(`input[name="indicators"][value="documents_withheld"] + label`),
		typeIn("people_count", "4"),
		click(`label[for="children_involved-2"]`),
		typeIn("vehicle_1_registration", "AB12 CDE"), typeIn("vehicle_1_description", "white van"),
		typeIn("phone_1", "07700 900123"),
		typeIn("business_1", "Sparkle Car Wash"),
		click(`label[for="reporter_anonymous"]`),
		click(`label[for="reporter_relationship"]`),
		click(`label[for="how_heard-2"]`),
		click(`form[action="/report/check"] button[type="submit"]:not([name="add"])`),
	)
	page("the form with errors", `!!document.querySelector('.govuk-error-summary')`)
	if title := brEvalString(t, b, `document.title`); !strings.HasPrefix(title, "Error: ") {
		t.Errorf("title of the form with errors is %q", title)
	}
	if href := brEvalString(t, b, `document.querySelector('.govuk-error-summary__list a').getAttribute('href')`); href != "#postcode" {
		t.Errorf("the error summary links to %q, want #postcode", href)
	}
	if js {
		brWaitFor(t, b, "focus on the error summary", `document.activeElement && document.activeElement.classList.contains('govuk-error-summary')`)
	}
	// Nothing typed is lost.
	for id, want := range map[string]string{"description": description, "postcode": "AL1 XXX", "district": "st-albans", "seen_on-year": "2025",
		"people_count": "4", "vehicle_1_registration": "AB12 CDE", "phone_1": "07700 900123", "business_1": "Sparkle Car Wash"} {
		if got := value(id); got != want {
			t.Errorf("after the error, %s holds %q, want %q", id, got, want)
		}
	}
	if !brEvalBool(t, b, `document.querySelector('input[name="indicators"][value="documents_withheld"]').checked && document.getElementById('how_heard-2').checked`) {
		t.Error("after the error, the ticked sign or the chosen answer is lost")
	}

	// Put the postcode right: "Check your answers".
	do("correcting the postcode",
		chromedp.SetValue(chromedp.ID("postcode"), "al1 3jx"),
		click(`form[action="/report/check"] button[type="submit"]:not([name="add"])`))
	page("check your answers", h1Is("Check your answers"))
	text := brMainText(t, b)
	for _, want := range []string{"AL1 3JX", "St Albans", "20 November 2025", "Someone else holds their passport or ID", "AB12 CDE: white van", "Yes, I want to stay anonymous"} {
		if !strings.Contains(text, want) {
			t.Errorf("check your answers does not show %q", want)
		}
	}

	// Change an answer, and come back.
	do("changing the postcode", click(`button[formaction="/report/edit#postcode"]`))
	page("the form to change an answer", `location.pathname === '/report/edit' && `+h1Is("Report a concern"))
	if got := value("postcode"); got != "AL1 3JX" {
		t.Errorf("the form to change an answer shows postcode %q", got)
	}
	do("changing the number of people",
		chromedp.SetValue(chromedp.ID("people_count"), "5"),
		click(`form[action="/report/check"] button[type="submit"]:not([name="add"])`))
	page("check your answers again", h1Is("Check your answers"))

	// Send it.
	do("sending the report", click(`form[action="/report/submit"] button[data-prevent-double-click]`))
	page("the confirmation", `!!document.querySelector('.govuk-panel--confirmation')`)
	ref := strings.TrimSpace(brEvalString(t, b, `document.getElementById('reference').innerText`))
	code := strings.TrimSpace(brEvalString(t, b, `document.getElementById('follow-up-code').innerText`))
	if _, err := tropic.ParseReference(ref); err != nil {
		t.Fatalf("the confirmation shows reference %q: %v", ref, err)
	}
	if len(code) != 11 {
		t.Fatalf("the confirmation shows follow-up code %q", code)
	}

	// Add information: first with a wrong code, then with the right one. The link is
	// in view, beside the one to the messages, under the 999 warning.
	if !brEvalBool(t, b, `!!document.querySelector('#follow-up-links a[href="/report/follow-up/messages"]')`) {
		t.Error("the confirmation does not link to the messages about the report")
	}
	do("opening add information", click(`#follow-up-links a[href="/report/follow-up"]`))
	page("add information", `location.pathname === '/report/follow-up' && `+h1Is("Add information to a report"))
	do("adding information with a wrong code",
		typeIn("reference", strings.ToLower(ref)),
		typeIn("code", "AAAAA-AAAAA"),
		typeIn("information", "The van came back today."),
		click(`form[action="/report/follow-up"] button[type="submit"]`))
	page("add information with errors", `!!document.querySelector('.govuk-error-summary')`)
	if got := value("information"); got != "The van came back today." {
		t.Errorf("after the wrong code, the information holds %q", got)
	}
	do("adding information with the right code",
		chromedp.SetValue(chromedp.ID("code"), code),
		click(`form[action="/report/follow-up"] button[type="submit"]`))
	page("information added", `location.pathname === '/report/follow-up/done' && `+h1Is("Information added to your report"))

	// The only failed loads are the pages answered 422 on purpose.
	for _, m := range b.ConsoleErrors() {
		if m.Source == "network" && strings.Contains(m.Text, "422") {
			continue
		}
		t.Errorf("browser problem: %s", m)
	}
	if c := brSessionCookie(t, b, inst.URL); c != "" {
		t.Error("the public journey left a session cookie")
	}
}
