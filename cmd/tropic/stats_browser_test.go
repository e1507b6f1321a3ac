package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// The public statistics dashboard on the demo: axe-clean, charts with their text
// alternatives, the disclosure rule stated, and no CSP violation or script error.
func TestBrowserPublicStatisticsAreAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--reports-per-year", "300") // reports to draw
	b := browsertest.New(t)                             // after the server, see brSkipInShortMode

	brOpen(t, b, inst.URL+"/statistics")
	brWaitForGOVUKFrontend(t, b)
	if h1 := brEvalString(t, b, `document.querySelector('h1').innerText`); !strings.Contains(h1, "statistics") {
		t.Errorf("<h1> is %q", h1)
	}
	text := brMainText(t, b)
	for _, want := range []string{"so far this year", "fewer than 5", "Exit this page"} {
		if !strings.Contains(text+brEvalString(t, b, `document.body.innerText`), want) {
			t.Errorf("the dashboard does not say %q", want)
		}
	}
	// Each of the 9 charts (3 by month, 3 by quarter, 3 by year) is drawn with a
	// <title>, or is a sentence saying why there is nothing to draw.
	charts := brEvalString(t, b, `String(document.querySelectorAll('svg.app-chart title').length)`)
	sentences := brEvalString(t, b, `String(Array.from(document.querySelectorAll('main p')).filter(p => p.innerText.startsWith('No chart:')).length)`)
	nCharts, _ := strconv.Atoi(charts)
	nSentences, _ := strconv.Atoi(sentences)
	if nCharts < 1 || nCharts+nSentences != 9 {
		t.Errorf("%s charts and %s sentences, want at least one chart and 9 in all", charts, sentences)
	}
	for _, want := range []string{"Key figures", "Contents"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dashboard has no %q", want)
		}
	}
	// On a phone 390 pixels wide the charts' labels are still at least 10 pixels high.
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	h := brEvalString(t, b, `String(Math.min(...Array.from(document.querySelectorAll('svg.app-chart text')).map(e => e.getBoundingClientRect().height)))`)
	if v, err := strconv.ParseFloat(h, 64); err != nil || v < 10 {
		t.Errorf("the smallest chart label is %s pixels high at 390 pixels wide, want 10 or more", h)
	}
	b.CheckAxe(t)
	b.CheckNoConsoleErrors(t)
}

// The demo's releases: the list and an earlier release's own page are axe-clean,
// the earlier release says it is not the latest, and states the revisions policy.
func TestBrowserStatisticsReleasesAreAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	b := browsertest.New(t)

	brOpen(t, b, inst.URL+"/statistics/releases")
	brWaitForGOVUKFrontend(t, b)
	if n := brEvalString(t, b, `String(document.querySelectorAll('main tbody tr').length)`); n == "0" || n == "1" {
		t.Fatalf("%s releases listed, want the demo's history", n)
	}
	b.CheckAxe(t)
	b.CheckNoConsoleErrors(t)

	// The oldest release, last in the list.
	href := brEvalString(t, b, `Array.from(document.querySelectorAll('main tbody a')).pop().getAttribute('href')`)
	brOpen(t, b, inst.URL+href)
	brWaitForGOVUKFrontend(t, b)
	text := brMainText(t, b)
	for _, want := range []string{"This is not the latest release", "Revisions", "Each release is frozen when it is published", "so far this year"} {
		if !strings.Contains(text, want) {
			t.Errorf("release page %s does not say %q", href, want)
		}
	}
	b.CheckAxe(t)
	b.CheckNoConsoleErrors(t)
}

// The steering group's quarterly report, as an analyst: axe-clean, marked
// OFFICIAL-SENSITIVE, with the quarter before, and no console errors.
func TestBrowserSteeringGroupReportIsAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--reports-per-year", "300")
	b := browsertest.New(t)
	analyst := brDemoAccount(t, inst, "analyst.police@demo.tropic.example")
	brSignIn(t, b, inst.URL, analyst, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")

	brOpen(t, b, inst.URL+"/staff/statistics/quarterly")
	brWaitForGOVUKFrontend(t, b)
	text := brMainText(t, b)
	for _, want := range []string{"OFFICIAL-SENSITIVE", "The quarter against the quarter before", "reports received"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	if n := brEvalString(t, b, `String(document.querySelectorAll('main table svg rect').length)`); n == "0" {
		t.Errorf("the report's tables have no bars")
	}
	b.CheckAxe(t)

	// The coordinator's commentary, shown at the top before export.
	brType(t, b, "commentary", "Referrals rose after the summer campaign.")
	brClickAndWait(t, b, `main form[method="post"] button[type="submit"]:not([formaction])`, "the report with commentary", `!!document.querySelector('#commentary-text')`)
	if text := brMainText(t, b); !strings.Contains(text, "Referrals rose after the summer campaign.") {
		t.Errorf("the commentary is not on the page:\n%s", text)
	}
	b.CheckAxe(t)
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	brFits(t, b, 390)
	b.CheckAxe(t)
	b.CheckNoConsoleErrors(t)
}
