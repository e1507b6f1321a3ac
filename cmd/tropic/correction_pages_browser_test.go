package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// Every kind of item a case holds has its change page and its removal page, and each
// of the fourteen is checked with axe and for fitting the screen at desktop and phone
// width; each removal page also with its errors (no reason chosen), and a change page
// refused because someone saved first (it names them and keeps what was typed).
func TestBrowserEveryChangeAndRemovalPageIsAccessible(t *testing.T) {
	brParallel(t)
	inst := startDemo(t, "--cases", "1")
	super := brDemoAccount(t, inst, "supervisor.police@demo.tropic.example")
	token := brToken(t, inst, super)
	me := brAPI(t, inst, token, "GET", "/api/v1/me", "", http.StatusOK)
	agency := int64(me["agency"].(map[string]any)["id"].(float64))
	ref := brCaseWith(t, inst, token, "Every change and removal page", "07700 900331",
		`{"given_name": "Anna", "family_name": "Browser", "role": "suspect"}`)
	path := "/api/v1/cases/" + ref
	people := brAPI(t, inst, token, "GET", path, "", http.StatusOK)["people"].([]any)
	person := int64(people[0].(map[string]any)["person"].(map[string]any)["id"].(float64))
	brAPI(t, inst, token, "POST", path+"/places", `{"kind": "workplace", "address": "12 London Road", "postcode": "AL1 3JX"}`, http.StatusCreated)
	brAPI(t, inst, token, "POST", path+"/businesses", `{"name": "Sparkle Hand Car Wash", "kind": "car_wash"}`, http.StatusCreated)
	brAPI(t, inst, token, "POST", path+"/vehicles", `{"registration": "AB12 CDE", "description": "White van"}`, http.StatusCreated)
	brAPI(t, inst, token, "POST", path+"/orders", fmt.Sprintf(`{"person_id": %d, "kind": "stro", "made_on": "2026-01-05"}`, person), http.StatusCreated)
	brAPI(t, inst, token, "POST", path+"/tasks", fmt.Sprintf(`{"title": "Visit the car wash", "agency_id": %d, "due": "2030-01-31"}`, agency), http.StatusCreated)

	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, super, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	parts := []string{"people", "places", "businesses", "vehicles", "phones", "orders", "tasks"}
	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		for _, part := range parts {
			for _, form := range []string{"edit", "remove"} {
				brOpen(t, b, inst.URL+"/cases/"+ref+"/items")
				brWaitForGOVUKFrontend(t, b)
				sel := `main a[href*="/` + part + `/"][href$="/` + form + `"]`
				brClickAndWait(t, b, sel, part+" "+form, `location.pathname.endsWith('/`+form+`')`)
				brFits(t, b, width)
				b.CheckAxe(t)
				if form == "remove" {
					brClickAndWait(t, b, `main form button[type="submit"]`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
					brFits(t, b, width)
					b.CheckAxe(t)
				}
			}
		}
	}

	// Someone else saves first: the change page is refused naming them, keeping what was typed.
	brOpen(t, b, inst.URL+"/cases/"+ref+"/items")
	brWaitForGOVUKFrontend(t, b)
	brClickAndWait(t, b, `main a[href*="/vehicles/"][href$="/edit"]`, "the vehicle's change form", `location.pathname.endsWith('/edit')`)
	vehicles := brAPI(t, inst, token, "GET", path, "", http.StatusOK)["vehicles"].([]any)
	vehicle := int64(vehicles[0].(map[string]any)["id"].(float64))
	brAPI(t, inst, token, "PATCH", fmt.Sprintf("%s/vehicles/%d", path, vehicle), `{"version": 1, "description": "Blue van"}`, http.StatusOK)
	if err := chromedp.Do(b.Ctx(), chromedp.SetValue(chromedp.ID("description"), "Red van")); err != nil {
		t.Fatal(err)
	}
	brClickAndWait(t, b, `main form button[type="submit"]`, "the refusal", `document.querySelector('.govuk-error-summary') !== null`)
	brFits(t, b, 390)
	b.CheckAxe(t)
	main := brMainText(t, b)
	for _, want := range []string{"changed this vehicle at", "The vehicle as it is now", "Blue van"} {
		if !strings.Contains(main, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, main)
		}
	}
	if got := brEvalString(t, b, `document.getElementById('description').value`); got != "Red van" {
		t.Errorf("the form holds %q, want what was typed (Red van)", got)
	}
}
