package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// The reference data pages on the demo, as its partnership administrator: the "how did
// you hear" answers and the statistics and targets settings, each with the demo's
// history of changes; a threshold out of bounds refused, naming the field and keeping
// what was typed; the answer added on the demo offered on the public form. Every page is
// axe-clean at 1280 px and at 390 px (a phone), and fits the phone's width.
func TestBrowserReferenceDataPages(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--cases", "0")
	admin := brDemoAccount(t, inst, "partnership.admin@demo.tropic.example")
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, admin, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)

	atWidths := func() {
		t.Helper()
		b.CheckAxe(t)
		if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(390, 844)); err != nil {
			t.Fatal(err)
		}
		brFits(t, b, 390)
		b.CheckAxe(t)
		if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
	}
	page := func(path string, wants ...string) {
		t.Helper()
		brOpen(t, b, inst.URL+path)
		brWaitForGOVUKFrontend(t, b)
		text := brMainText(t, b)
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s does not say %q:\n%s", path, want, text)
			}
		}
		atWidths()
	}
	page("/admin/how-heard", "A local radio programme", "Searching online, for example on Google", "added the answer local_radio", "Retire")
	page("/admin/settings", "stay exactly as they were published", "Disclosure threshold", "Save triage targets", "changed the disclosure threshold from 6 to 5")

	// A threshold out of bounds: refused on its field, what was typed kept.
	brEvalString(t, b, `(() => { document.querySelector('#disclosure_threshold').value = ''; return 'ok'; })()`)
	brType(t, b, "disclosure_threshold", "25")
	brClickAndWait(t, b, `form[action="/admin/settings/threshold"] button[type="submit"]`, "the refused threshold", `!!document.querySelector('.govuk-error-summary')`)
	if text := brMainText(t, b); !strings.Contains(text, "Enter the disclosure threshold as a whole number from 3 to 20") {
		t.Errorf("the refused threshold:\n%s", text)
	}
	if v := brEvalString(t, b, `document.querySelector('#disclosure_threshold').value`); v != "25" {
		t.Errorf("the threshold field holds %q, want what was typed", v)
	}
	atWidths()

	// Newest first: the demo's reference data changes, back-dated weeks, come after the
	// fifty-odd changes of its set-up, on the second page.
	page("/admin/history?page=2", "Reference data changed")
	// The public form folds the question away: open it to read the new answer.
	brOpen(t, b, inst.URL+"/report/new")
	brClickAndWait(t, b, `#group-about summary`, "the group about the reporter opened", `document.getElementById('group-about').open`)
	if text := brMainText(t, b); !strings.Contains(text, "A local radio programme") {
		t.Errorf("/report/new does not offer the new answer:\n%s", text)
	}
	// Back at the top, where Exit this page (sticky once scrolled) covers no field.
	brEvalString(t, b, `(() => { window.scrollTo(0, 0); return 'ok'; })()`)
	atWidths()
}
