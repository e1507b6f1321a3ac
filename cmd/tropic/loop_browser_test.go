package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// Issue 12 item 14: the whole loop through real pages, axe on each. A member of the
// public reports a phone that a police case already holds; the hub's triage officer
// (offered an earlier call about the phone as a one-click duplicate) passes the
// report to the county council with a reason; the council's caseworker
// finds it in "Passed to us", acknowledges it, makes a case of it (which links at
// once to the police case by the phone) and takes charge of it; the reporter adds
// information with the reference and code; the officer in charge sees the
// notification in the header and reads the new information on the case's report.
func TestBrowserWholeLoopFromPublicReportToOfficerReadingTheReportersNewInformation(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	triage := brDemoAccount(t, inst, "triage.police@demo.tropic.example")
	council := brDemoAccount(t, inst, "caseworker.county@demo.tropic.example")
	const phone = "07700 900618"
	police := brCaseWith(t, inst, brToken(t, inst, brDemoAccount(t, inst, "caseworker.police@demo.tropic.example")),
		"Hand car wash, Hatfield Road (loop browser test)", "+44 7700 900618", "")

	// A call about the same phone, taken by the hub an hour before.
	earlier := brAPI(t, inst, brToken(t, inst, triage), "POST", "/api/v1/reports", `{"description": "A caller says men are collected from the car wash at dawn.",
	 "location": {"district": "st-albans"}, "in_danger": false, "people": {"children_involved": false},
	 "phones": ["`+phone+`"], "reporter": {"anonymous": true}, "channel": "helpline"}`, http.StatusCreated)["reference"].(string)

	b := browsertest.New(t) // after the server, see brSkipInShortMode
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b.Ctx(), actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	click := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }
	page := func(what, ready string) {
		t.Helper()
		brWaitFor(t, b, what, `document.readyState === 'complete' && (`+ready+`)`)
		brWaitForGOVUKFrontend(t, b)
		b.CheckAxe(t)
	}
	signOut := func() {
		t.Helper()
		brClickAndWait(t, b, `form[action="/logout"] button`, "signed out", `!document.querySelector('form[action="/logout"]')`)
	}

	// 1. The public report, with the phone the police case holds.
	brOpen(t, b, inst.URL+"/report/new")
	page("the report form", `location.pathname === '/report/new'`)
	do("opening the groups of people and phone numbers", click(`#group-people summary`), click(`#group-phones summary`))
	do("filling in the report",
		chromedp.SendKeys(chromedp.ID("description"), "Men at the hand car wash sleep in a container behind it."),
		click(`label[for="in_danger-2"]`),
		chromedp.SetValue(chromedp.ID("district"), "st-albans"),
		click(`label[for="children_involved-2"]`),
		chromedp.SendKeys(chromedp.ID("phone_1"), phone),
		click(`label[for="reporter_anonymous"]`),
		click(`form[action="/report/check"] button[type="submit"]:not([name="add"])`))
	page("check your answers", `!!document.querySelector('form[action="/report/submit"]')`)
	do("sending the report", click(`form[action="/report/submit"] button[data-prevent-double-click]`))
	page("the confirmation", `!!document.querySelector('.govuk-panel--confirmation')`)
	ref := strings.TrimSpace(brEvalString(t, b, `document.getElementById('reference').innerText`))
	code := strings.TrimSpace(brEvalString(t, b, `document.getElementById('follow-up-code').innerText`))

	// 2. The hub's triage officer passes it to the county council with a reason.
	brSignIn(t, b, inst.URL, triage, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brOpen(t, b, inst.URL+"/triage/reports/"+ref)
	page("the triage report", `location.pathname === '/triage/reports/`+ref+`'`)
	// The police case holding the phone is a case this triage officer may not open:
	// the match names its holder, and the case is neither named nor offered.
	if text := brMainText(t, b); !strings.Contains(text, "Phone number "+phone+" (2 other records): Report "+earlier+" and 1 record held by Hertfordshire Constabulary") ||
		strings.Contains(text, police) {
		t.Errorf("the triage report does not show the match by its holder alone:\n%s", text)
	}
	// The earlier report on the phone is offered as a one-click duplicate.
	if !brEvalBool(t, b, `!!document.querySelector('form[action$="/decision"] input[name="duplicate_of"][type="hidden"][value="`+earlier+`"]')`) {
		t.Errorf("the triage report does not offer report %s as a duplicate", earlier)
	}
	county := brEvalString(t, b, `[...document.querySelectorAll('#agency option')].find(o => o.textContent.trim() === 'Hertfordshire County Council').value`)
	do("passing the report to the council",
		click(`#decision-3`),
		chromedp.SetValue(chromedp.ID("agency"), county),
		chromedp.SendKeys(chromedp.ID("reason"), "Housing in a container: council to lead the welfare visit"),
		click(`form[action$="/decision"]:has(#decision-3) button[type="submit"]`))
	page("the decision recorded", `!!document.querySelector('.govuk-notification-banner--success')`)
	if text := brMainText(t, b); !strings.Contains(text, "Hertfordshire County Council") {
		t.Errorf("the triage report does not show it passed to the council:\n%s", text)
	}
	signOut()

	// 3. The council's caseworker: "Passed to us", acknowledge, create a case.
	brSignIn(t, b, inst.URL, council, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	page("the staff home", `true`)
	if home := brMainText(t, b); !strings.Contains(home, "Passed to us") {
		t.Errorf("the council's home does not show what was passed to it:\n%s", home)
	}
	do("opening the inbox", click(`.govuk-service-navigation a[href="/inbox"]`))
	page("the inbox", `location.pathname === '/inbox'`)
	do("opening the report", click(`main a[href="/inbox/reports/`+ref+`"]`))
	page("the passed report", `location.pathname === '/inbox/reports/`+ref+`'`)
	if text := brMainText(t, b); !strings.Contains(text, "Housing in a container: council to lead the welfare visit") {
		t.Errorf("the council does not read triage's reason:\n%s", text)
	}
	do("acknowledging", click(`#acknowledge`))
	page("the acknowledgement", `!!document.querySelector('.govuk-notification-banner--success') && !document.getElementById('acknowledge')`)
	do("creating a case",
		click(`#accept`),
		chromedp.SendKeys(chromedp.ID("case_title"), "Container behind the hand car wash"),
		click(`form[action$="/accept"] button[type="submit"]`))
	page("the new case", `location.pathname.startsWith('/cases/C-')`)
	caseRef := strings.TrimPrefix(brEvalString(t, b, `location.pathname`), "/cases/")
	text := brMainText(t, b)
	if !strings.Contains(text, "Report "+ref) {
		t.Errorf("the case does not list its report:\n%s", text)
	}
	// The exact link by the phone: the police case is not the council's to see,
	// so it is told by who holds it.
	links := brEvalString(t, b, `(e => e ? e.innerText : '')(document.querySelector('#links ~ ul.govuk-list'))`)
	if !strings.Contains(links, "Phone number "+phone+" (2 other records): 1 record held by Hertfordshire Constabulary Modern Slavery Unit") || strings.Contains(text, police) {
		t.Errorf("the case does not link to the police case by the phone (and only by who holds it):\n%s\n%s", text, links)
	}

	// Take charge of the case, unless already in charge.
	if !strings.Contains(text, "(you)") {
		brOpen(t, b, inst.URL+"/cases/"+caseRef+"/officer")
		page("the officer page", `!!document.getElementById('officer')`)
		me := brEvalString(t, b, `[...document.querySelectorAll('#officer option')].find(o => o.textContent.trim().endsWith('(you)')).value`)
		do("taking charge", chromedp.SetValue(chromedp.ID("officer"), me), click(`main form button[type="submit"]`))
		page("the case with its officer", `location.pathname === '/cases/`+caseRef+`' && !!document.querySelector('.govuk-notification-banner--success')`)
	}
	name := strings.TrimSuffix(strings.TrimSpace(brEvalString(t, b,
		`[...document.querySelectorAll('.govuk-summary-list__row')].find(r => r.querySelector('dt').textContent.trim() === 'Officer in charge').querySelector('dd').textContent`)), " (you)")
	if name == "" || name == "Nobody yet" {
		t.Fatalf("the case has no officer in charge: %q", name)
	}
	unreadBefore := brEvalString(t, b, `(document.getElementById('unread-count') || {innerText: '0'}).innerText`)
	signOut()

	// 4. The reporter adds information with the reference and code.
	brOpen(t, b, inst.URL+"/report/follow-up")
	page("add information", `!!document.querySelector('form[action="/report/follow-up"]')`)
	const more = "A minibus with blacked-out windows now collects the men at 6am."
	do("adding information",
		chromedp.SendKeys(chromedp.ID("reference"), ref),
		chromedp.SendKeys(chromedp.ID("code"), code),
		chromedp.SendKeys(chromedp.ID("information"), more),
		click(`form[action="/report/follow-up"] button[type="submit"]`))
	page("information added", `location.pathname === '/report/follow-up/done'`)

	// 5. The officer in charge: the header counts the notification; it leads to the
	// case's report, which shows what the reporter added.
	brSignIn(t, b, inst.URL, council, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	page("the staff home again", `!!document.getElementById('unread-count')`)
	if after := brEvalString(t, b, `document.getElementById('unread-count').innerText`); after == unreadBefore {
		t.Errorf("the unread count stayed %q after the reporter added information", after)
	}
	do("opening the notifications", click(`.govuk-service-navigation a[href="/notifications"]`))
	page("the notifications", `location.pathname === '/notifications'`)
	reportPath := "/cases/" + caseRef + "/reports/" + ref
	// The list links through /notifications/{id}, which marks it read on the way.
	brEvalBool(t, b, `([...document.querySelectorAll('main table a')].find(a => a.innerText.includes(`+brJsString("added information to report "+ref)+`)).click(), true)`)
	page("the report on the case", `location.pathname === '`+reportPath+`'`)
	if text := brMainText(t, b); !strings.Contains(text, more) || !strings.Contains(text, "The reporter added information") {
		t.Errorf("the officer does not read the reporter's new information:\n%s", text)
	}

	for _, m := range b.ConsoleErrors() {
		t.Errorf("browser problem: %s", m)
	}
}
