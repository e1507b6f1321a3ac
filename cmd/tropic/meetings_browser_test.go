package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

var brMeetingRE = regexp.MustCompile(`/meetings/(\d+)`)

// brCheckWidths checks the page with axe, and that it fits, at 390 px and 1280 px.
func brCheckWidths(t *testing.T, b *browsertest.Browser, what string) {
	t.Helper()
	for _, w := range []int64{390, 1280} {
		if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(w, 900)); err != nil {
			t.Fatal(err)
		}
		brWaitForGOVUKFrontend(t, b)
		brFits(t, b, w)
		b.CheckAxe(t)
	}
	if t.Failed() {
		t.Logf("at %s", what)
	}
}

// brSwitchTo signs out whoever is signed in, and signs in as the demo account email.
func brSwitchTo(t *testing.T, b *browsertest.Browser, inst *instance, email string) {
	t.Helper()
	if brEvalBool(t, b, `document.querySelector('form[action="/logout"] button') !== null`) {
		brClickAndWait(t, b, `form[action="/logout"] button`, "signed out", `location.pathname === '/login'`)
	}
	brSignIn(t, b, inst.URL, brDemoAccount(t, inst, email), defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
}

// Meetings in a real browser, each page checked with axe at 390 px and 1280 px: the
// list, the form to arrange a meeting (and its errors), a meeting with its keeper's
// forms, and a meeting seen by an attendee without access to a case on its agenda.
func TestBrowserMeetingsAreAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--cases", "12")
	ids := brMeetingRE.FindAllStringSubmatch(inst.Stdout.String(), -1)
	if len(ids) < 2 {
		t.Fatalf("the demo names no meetings:\n%s", inst.Stdout)
	}
	steering, conference := "/meetings/"+ids[0][1], "/meetings/"+ids[1][1]
	b := browsertest.New(t)
	check := func(what string) { t.Helper(); brCheckWidths(t, b, what) }
	signInAs := func(email string) { t.Helper(); brSwitchTo(t, b, inst, email) }
	open := func(path string) {
		t.Helper()
		brOpen(t, b, inst.URL+path)
		brWaitForGOVUKFrontend(t, b)
	}

	// The police unit's supervisor keeps the case conference's record.
	signInAs("supervisor.police@demo.tropic.example")
	brClickAndWait(t, b, `.govuk-service-navigation a[href="/meetings"]`, "the meetings", `location.pathname === '/meetings'`)
	if page := brMainText(t, b); !strings.Contains(page, "Steering group: quarterly review") || !strings.Contains(page, "Case conference: nail bars") {
		t.Errorf("the meetings list:\n%s", page)
	}
	check("the meetings list")
	open("/meetings/new")
	check("the new meeting form")
	brType(t, b, "title", "Browser test tasking")
	brClickAndWait(t, b, `main form[action="/meetings/new"] button`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	if got := brEvalString(t, b, `document.getElementById('title').value`); got != "Browser test tasking" {
		t.Errorf("the title is %q after the errors, want it kept", got)
	}
	check("the new meeting form's errors")
	open(conference)
	if page := brMainText(t, b); !strings.Contains(page, "Add to the agenda") || !strings.Contains(page, "Shared with the attending agencies") {
		t.Errorf("the conference for its keeper:\n%s", page)
	}
	check("the conference, for its keeper")
	brClickAndWait(t, b, `main form[action$="/items"] button`, "the agenda form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	check("the agenda form's errors")
	open(steering)
	check("the steering group, for an attendee")

	// The county's caseworker, in a browser of their own (each has a time budget): the
	// second case is shown by reference only.
	b = browsertest.New(t)
	signInAs("caseworker.county@demo.tropic.example")
	open(conference)
	if page := brMainText(t, b); !strings.Contains(page, "Your agency has no access to this case") || strings.Contains(page, "Add to the agenda") {
		t.Errorf("the conference for an attendee without access:\n%s", page)
	}
	check("the conference, for an attendee without access")

}

// The partnership plan, its forms' errors, and the actions on an owner's home page,
// at 390 px and 1280 px.
func TestBrowserThePlanAndMyActionsAreAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--cases", "12")
	b := browsertest.New(t)
	check := func(what string) { t.Helper(); brCheckWidths(t, b, what) }
	brSwitchTo(t, b, inst, "analyst.county@demo.tropic.example")
	// The county's analyst keeps the plan, and has an overdue action.
	if page := brMainText(t, b); !strings.Contains(page, "My actions") || !strings.Contains(page, "Overdue") {
		t.Errorf("the analyst's home has no overdue action:\n%s", page)
	}
	check("the home page with actions")
	brClickAndWait(t, b, `.govuk-service-navigation a[href="/plan"]`, "the plan", `location.pathname === '/plan'`)
	if page := brMainText(t, b); !strings.Contains(page, "Every potential victim is referred into the NRM") || !strings.Contains(page, "History of the status") {
		t.Errorf("the plan:\n%s", page)
	}
	check("the plan")
	brType(t, b, "title", "Browser test objective")
	brClickAndWait(t, b, `main form[action="/plan/objectives"] button`, "the objective form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	if got := brEvalString(t, b, `document.getElementById('title').value`); got != "Browser test objective" {
		t.Errorf("the objective is %q after the errors, want it kept", got)
	}
	check("the plan's errors")
}

// Changing a meeting in a real browser, at 390 px and 1280 px: the form, its errors
// (keeping what was typed), the meeting after the change, and the cancelled meeting.
func TestBrowserChangingAMeetingIsAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--cases", "12")
	ids := brMeetingRE.FindAllStringSubmatch(inst.Stdout.String(), -1)
	if len(ids) < 2 {
		t.Fatalf("the demo names no meetings:\n%s", inst.Stdout)
	}
	conference := "/meetings/" + ids[1][1]
	b := browsertest.New(t)
	check := func(what string) { t.Helper(); brCheckWidths(t, b, what) }
	brSwitchTo(t, b, inst, "supervisor.police@demo.tropic.example")

	// The demo's case conference took place (its minutes are written): its date
	// cannot be moved, and the form says why, keeping what was typed.
	brOpen(t, b, inst.URL+conference+"/edit")
	brWaitForGOVUKFrontend(t, b)
	brReplace(t, b, "held_on", "15/12/2026")
	brClickAndWait(t, b, `main form[action$="/edit"] button`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	if page := brMainText(t, b); !strings.Contains(page, "so it took place on") {
		t.Errorf("moving a meeting that took place:\n%s", page)
	}

	// A meeting arranged for next week, changed and then cancelled.
	next := time.Now().AddDate(0, 0, 7).Format("02/01/2006")
	brOpen(t, b, inst.URL+"/meetings/new")
	brWaitForGOVUKFrontend(t, b)
	brClickAndWait(t, b, `label[for="kind"]`, "a kind chosen", `document.getElementById('kind').checked`)
	brType(t, b, "title", "Browser test tasking", "held_on", next)
	brClickAndWait(t, b, `label[for="agencies"]`, "an agency attending", `document.getElementById('agencies').checked`)
	brClickAndWait(t, b, `main form[action="/meetings/new"] button`, "the new meeting", `/^\/meetings\/\d+$/.test(location.pathname)`)
	brClickAndWait(t, b, `main a[href$="/edit"]`, "the edit form", `location.pathname.endsWith('/edit')`)
	check("the form changing a meeting")
	brReplace(t, b, "title", "Browser test conference", "held_on", "31/02/2026")
	brClickAndWait(t, b, `main form[action$="/edit"] button`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	if got := brEvalString(t, b, `document.getElementById('title').value`); got != "Browser test conference" {
		t.Errorf("the title is %q after the errors, want it kept", got)
	}
	check("the form changing a meeting, with errors")
	brReplace(t, b, "held_on", "15/12/2026")
	brClickAndWait(t, b, `main form[action$="/edit"] button`, "the changed meeting", `/^\/meetings\/\d+$/.test(location.pathname) && document.querySelector('.govuk-notification-banner') !== null`)
	if page := brMainText(t, b); !strings.Contains(page, "Browser test conference") || !strings.Contains(page, "15 December 2026") {
		t.Errorf("the meeting after the change:\n%s", page)
	}
	check("the changed meeting")
	brClickAndWait(t, b, `main a[href$="/edit"]`, "the edit form", `location.pathname.endsWith('/edit')`)
	brType(t, b, "reason", "Nobody can come")
	brClickAndWait(t, b, `main form[action$="/cancel"] button`, "the cancelled meeting", `/^\/meetings\/\d+$/.test(location.pathname) && document.querySelector('main .govuk-warning-text') !== null`)
	check("the cancelled meeting")
}

// brReplace replaces what the fields hold, by id: id, text, id, text...
func brReplace(t *testing.T, b *browsertest.Browser, pairs ...string) {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !brEvalBool(t, b, `(document.getElementById('`+pairs[i]+`').value = '') === ''`) {
			t.Fatalf("clearing %s", pairs[i])
		}
	}
	brType(t, b, pairs...)
}
