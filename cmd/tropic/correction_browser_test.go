package main

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// Correcting the record in a real browser: the list of what a case holds, the change
// form (with its errors), and the removal form (with its errors), each checked with
// axe, at desktop and at phone width.
func TestBrowserCorrectingTheRecordIsAccessible(t *testing.T) {
	brParallel(t)
	inst := startDemo(t, "--cases", "1")
	super := brDemoAccount(t, inst, "supervisor.police@demo.tropic.example")
	token := brToken(t, inst, super)
	ref := brCaseWith(t, inst, token, "Correction browser test", "07700 900321",
		`{"given_name": "Nguyen", "family_name": "Browser", "role": "potential_victim"}`)
	brAPI(t, inst, token, "POST", "/api/v1/cases/"+ref+"/vehicles", `{"registration": "AB12 CDE"}`, http.StatusCreated)
	people := brAPI(t, inst, token, "GET", "/api/v1/cases/"+ref, "", http.StatusOK)["people"].([]any)
	link := fmt.Sprint(int64(people[0].(map[string]any)["id"].(float64)))
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	dtn := brAPI(t, inst, token, "POST", "/api/v1/cases/"+ref+"/people/"+link+"/referrals", `{"age_group": "adult", "consent": false, "submitted_on": "`+
		yesterday+`", "exploitation_types": ["labour"], "location": "uk", "gender": "male", "nationality": "Vietnamese"}`, http.StatusCreated)
	dtnPath := fmt.Sprintf("/referrals/%d", int64(dtn["id"].(float64)))
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, super, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")

	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		brOpen(t, b, inst.URL+"/cases/"+ref)
		brWaitForGOVUKFrontend(t, b)
		brClickAndWait(t, b, `a[href="/cases/`+ref+`/items"]`, "the list of what the case holds", `location.pathname.endsWith('/items')`)
		brFits(t, b, width)
		b.CheckAxe(t)

		// Change the phone number: a bad number is named, then a good one saved.
		brClickAndWait(t, b, `main a[href*="/phones/"][href$="/edit"]`, "the change form", `location.pathname.endsWith('/edit')`)
		brFits(t, b, width)
		b.CheckAxe(t)
		if err := chromedp.Do(b.Ctx(), chromedp.SetValue(chromedp.ID("number"), "not a number")); err != nil {
			t.Fatal(err)
		}
		brClickAndWait(t, b, `main form button[type="submit"]`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
		brFits(t, b, width)
		b.CheckAxe(t)
		number := map[int64]string{1280: "07700 900322", 390: "07700 900323"}[width]
		if err := chromedp.Do(b.Ctx(), chromedp.SetValue(chromedp.ID("number"), number)); err != nil {
			t.Fatal(err)
		}
		brClickAndWait(t, b, `main form button[type="submit"]`, "the case", `location.pathname === '/cases/`+ref+`'`)
		if main := brMainText(t, b); !regexp.MustCompile(`The phone number has been changed\.[\s\S]*` + number).MatchString(main) {
			t.Errorf("the case does not show the change:\n%s", main)
		}
	}

	// Remove the vehicle (phone width): the reason is asked for, then recorded.
	brOpen(t, b, inst.URL+"/cases/"+ref+"/items")
	brWaitForGOVUKFrontend(t, b)
	brClickAndWait(t, b, `main a[href*="/vehicles/"][href$="/remove"]`, "the removal form", `location.pathname.endsWith('/remove')`)
	brFits(t, b, 390)
	b.CheckAxe(t)
	brClickAndWait(t, b, `main form button[type="submit"]`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	b.CheckAxe(t)
	brClick(t, b, "reason-2") // duplicate
	brClickAndWait(t, b, `main form button[type="submit"]`, "the case", `location.pathname === '/cases/`+ref+`'`)
	if main := brMainText(t, b); !regexp.MustCompile(`Removed a vehicle from the case: duplicate\.`).MatchString(main) {
		t.Errorf("the timeline does not record the removal:\n%s", main)
	}

	// Take the potential victim off the case, as the supervisor (desktop width).
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	brOpen(t, b, inst.URL+"/cases/"+ref+"/items")
	brWaitForGOVUKFrontend(t, b)
	brClickAndWait(t, b, `main a[href*="/people/"][href$="/remove"]`, "the removal form", `location.pathname.endsWith('/remove')`)
	b.CheckAxe(t)
	brClickAndWait(t, b, `main a[href$="/items"], .govuk-back-link`, "back to the list", `location.pathname.endsWith('/items')`)
	brClickAndWait(t, b, `main a[href*="/people/"][href$="/edit"]`, "the link's change form", `location.pathname.endsWith('/edit')`)
	b.CheckAxe(t)

	// Withdraw the Duty to Notify report made in error (phone width).
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	brOpen(t, b, inst.URL+dtnPath)
	brWaitForGOVUKFrontend(t, b)
	brClickAndWait(t, b, `main a[href$="/withdraw"]`, "the withdrawal form", `location.pathname.endsWith('/withdraw')`)
	brFits(t, b, 390)
	b.CheckAxe(t)
	brClickAndWait(t, b, `main form button[type="submit"]`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
	b.CheckAxe(t)
	brClick(t, b, "reason")
	brClickAndWait(t, b, `main form button[type="submit"]`, "the report", `location.pathname === '`+dtnPath+`'`)
	if main := brMainText(t, b); !regexp.MustCompile(`The report has been withdrawn`).MatchString(main) {
		t.Errorf("the report does not say it was withdrawn:\n%s", main)
	}
	b.CheckAxe(t)
}

// brFits fails the test when the page is wider than the screen.
func brFits(t *testing.T, b *browsertest.Browser, width int64) {
	t.Helper()
	if w := brEvalString(t, b, `(e => e.scrollWidth > e.clientWidth ? e.scrollWidth + ' px wide, the screen ' + e.clientWidth : 'ok')(document.documentElement)`); w != "ok" {
		t.Errorf("at %d px the page %s is %s", width, brEvalString(t, b, `location.pathname`), w)
	}
}
