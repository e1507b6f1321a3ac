package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"tropic/internal/browsertest"
)

// Rights requests as the demo police's data protection officer, axe-clean at 1280 px
// and 390 px: the list with its form (refused naming the field and keeping what was
// typed, then recorded), the request with a search of the agency's people, a person
// confirmed and the package to review; the demo's request with its package released
// and downloaded as a PDF; and the open requests on the home page.
func TestBrowserARightsRequestIsRecordedAndWorkedByTheDPO(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--cases", "1")
	dpo := brDemoAccount(t, inst, "dpo.police@demo.tropic.example")
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, dpo, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brOpen(t, b, inst.URL+"/rights")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "SAR-DEMO-1") {
		t.Errorf("the list lacks the demo's request:\n%s", text)
	}
	seeded := brEvalString(t, b, `document.querySelector('main table a[href^="/rights/"]').getAttribute('href')`)
	b.CheckAxe(t)
	brAxeAt(t, b, 390)

	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("kind"))); err != nil {
		t.Fatal(err)
	}
	brType(t, b, "received_on", "31/1/2026", "reference", "SAR-BROWSER-1")
	brClickAndWait(t, b, `main form[action="/rights"] button[type="submit"]`, "the form with errors", `!!document.querySelector('.govuk-error-summary')`)
	if v := brEvalString(t, b, `document.querySelector('#reference').value`); v != "SAR-BROWSER-1" {
		t.Errorf("the reference typed was not kept: %q", v)
	}
	if !strings.Contains(brMainText(t, b), "Say how the requester's identity was verified") {
		t.Errorf("the identity note is not asked for:\n%s", brMainText(t, b))
	}
	b.CheckAxe(t)
	brType(t, b, "identity_verified", "Passport seen at the front desk")
	brClickAndWait(t, b, `main form[action="/rights"] button[type="submit"]`, "the request", `location.pathname.startsWith('/rights/')`)
	if text := brMainText(t, b); !strings.Contains(text, "28 February 2026") || !strings.Contains(text, "No person record is confirmed") {
		t.Errorf("the new request:\n%s", text)
	}
	b.CheckAxe(t)
	brAxeAt(t, b, 390)

	// A search of the agency's people; the first found is confirmed, and the package shows.
	brType(t, b, "search-name", "a")
	brClickAndWait(t, b, `main form[method="get"] button[type="submit"]`, "the search refused", `!!document.querySelector('.govuk-error-summary')`)
	b.CheckAxe(t)
	brEvalString(t, b, `document.querySelector('#search-name').value = 'an'`)
	brClickAndWait(t, b, `main form[method="get"] button[type="submit"]`, "the search results", `!document.querySelector('.govuk-error-summary')`)
	b.CheckAxe(t)
	brAxeAt(t, b, 390)
	if brEvalString(t, b, `String(!!document.querySelector('main form[action$="/people"] button'))`) == "true" {
		brClickAndWait(t, b, `main form[action$="/people"] button`, "the package", `document.body.innerText.includes('Person record confirmed')`)
		if text := brMainText(t, b); !strings.Contains(text, "Release and download the package") {
			t.Errorf("the package to review:\n%s", text)
		}
		b.CheckAxe(t)
		brAxeAt(t, b, 390)
	} else {
		t.Logf("the demo case has no one whose name holds \"an\"")
	}

	// The demo's request: its requester confirmed, the package to release as a PDF
	// for them (or JSON), which the browser downloads.
	brOpen(t, b, inst.URL+seeded)
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "Release and download the package (PDF)") || !strings.Contains(text, "SAR-DEMO-1") {
		t.Errorf("the demo's request:\n%s", text)
	}
	brCheckWidths(t, b, "the demo's access request")
	pdf, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[string](`(async () => {
		const form = document.querySelector('main form[action$="/release"]');
		const res = await fetch(form.action, {method: 'POST', body: new URLSearchParams({format: 'pdf'})});
		return res.headers.get('Content-Type') + ' ' + (await res.text()).slice(0, 5);
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if pdf != "application/pdf %PDF-" {
		t.Errorf("the PDF download answered %q", pdf)
	}
	brOpen(t, b, inst.URL+seeded)
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "Package released by") || !strings.Contains(text, "Download the released package (PDF)") {
		t.Errorf("the released request:\n%s", text)
	}
	brCheckWidths(t, b, "the released access request")

	brOpen(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "Rights requests") || !strings.Contains(text, "Overdue") || !strings.Contains(text, "SAR-DEMO-1") {
		t.Errorf("the home page does not show the open request:\n%s", text)
	}
	b.CheckAxe(t)
	brAxeAt(t, b, 390)
}
