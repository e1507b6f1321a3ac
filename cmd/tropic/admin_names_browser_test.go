package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"tropic/internal/browsertest"
)

// The name lists page, as the demo's partnership administrator: an empty form is
// refused naming its fields and keeping what was typed; an entry added shows in
// force with its source; withdrawn, it shows as history; the administration history
// tells both. Axe-clean at 1280 px and 390 px.
func TestBrowserNameListsAreExtendedByThePartnershipAdministrator(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--cases", "0")
	admin := brDemoAccount(t, inst, "partnership.admin@demo.tropic.example")
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, admin, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brOpen(t, b, inst.URL+"/admin/names")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "None: matching reads the lists kept with Tropic only") {
		t.Errorf("the page before any entry:\n%s", text)
	}
	b.CheckAxe(t)
	brAxeAt(t, b, 390)

	// Only a name typed: the list, the forms and the source are asked for, the name kept.
	brType(t, b, "name", "Zenebech")
	brClickAndWait(t, b, `main form[action="/admin/names"] button[type="submit"]`, "the form with errors", `!!document.querySelector('.govuk-error-summary')`)
	if n := brEvalString(t, b, `String(document.querySelectorAll('.govuk-error-summary__list li').length)`); n != "3" {
		t.Errorf("%s errors, want 3 (list, forms, source):\n%s", n, brMainText(t, b))
	}
	if v := brEvalString(t, b, `document.querySelector('#name').value`); v != "Zenebech" {
		t.Errorf("the name typed was not kept: %q", v)
	}
	b.CheckAxe(t)

	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("list"))); err != nil {
		t.Fatal(err)
	}
	brType(t, b, "forms", "Zeni Zene", "source", "The partnership's Tigrinya interpreter")
	brClickAndWait(t, b, `main form[action="/admin/names"] button[type="submit"]`, "the entry added", `!document.querySelector('.govuk-error-summary') && document.body.innerText.includes('Entry added for Zenebech')`)
	text := brMainText(t, b)
	if !strings.Contains(text, "Zeni, Zene") || !strings.Contains(text, "The partnership's Tigrinya interpreter") || !strings.Contains(text, "Familiar forms") {
		t.Errorf("the entry in force:\n%s", text)
	}
	b.CheckAxe(t)
	brAxeAt(t, b, 390)

	brClickAndWait(t, b, `main .govuk-summary-card form button[type="submit"]`, "the entry withdrawn", `document.body.innerText.includes('Entry withdrawn')`)
	if text := brMainText(t, b); !strings.Contains(text, "Withdrawn entries") || !strings.Contains(text, "withdrawn ") {
		t.Errorf("after withdrawing:\n%s", text)
	}
	b.CheckAxe(t)
	brOpen(t, b, inst.URL+"/admin/history")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); strings.Count(text, "Name lists changed") < 2 {
		t.Errorf("the administration history does not tell the entry added and withdrawn:\n%s", text)
	}
}
