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

// Correcting a Duty to Notify report in a real browser (issue 19, item 4): the form,
// its errors (no reason given), the saved correction in the report's history, each
// checked with axe, at desktop and at phone width.
func TestBrowserCorrectingADutyToNotifyReportIsAccessible(t *testing.T) {
	brParallel(t)
	inst := startDemo(t, "--cases", "1")
	super := brDemoAccount(t, inst, "supervisor.police@demo.tropic.example")
	token := brToken(t, inst, super)
	ref := brCaseWith(t, inst, token, "Duty to Notify correction browser test", "07700 900331",
		`{"given_name": "Tran", "family_name": "Browser", "role": "potential_victim"}`)
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
		brOpen(t, b, inst.URL+dtnPath)
		brWaitForGOVUKFrontend(t, b)
		brClickAndWait(t, b, `main a[href$="/correct"]`, "the correction form", `location.pathname.endsWith('/correct')`)
		brFits(t, b, width)
		b.CheckAxe(t)
		nationality := map[int64]string{1280: "Albanian", 390: "Romanian"}[width]
		if err := chromedp.Do(b.Ctx(), chromedp.SetValue(chromedp.ID("nationality"), nationality)); err != nil {
			t.Fatal(err)
		}
		// No reason: named, and what was typed kept.
		brClickAndWait(t, b, `main form button[type="submit"]`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
		brFits(t, b, width)
		b.CheckAxe(t)
		if got := brEvalString(t, b, `document.getElementById('nationality').value`); got != nationality {
			t.Errorf("the nationality typed is %q after the error, want %q kept", got, nationality)
		}
		brClick(t, b, "reason")
		brClickAndWait(t, b, `main form button[type="submit"]`, "the report", `location.pathname === '`+dtnPath+`'`)
		if main := brMainText(t, b); !regexp.MustCompile(`The report has been corrected[\s\S]*Corrections[\s\S]*Nationality: [A-Za-z]+ to ` + nationality).MatchString(main) {
			t.Errorf("the report does not show the correction in its history:\n%s", main)
		}
		brFits(t, b, width)
		b.CheckAxe(t)
	}
}
