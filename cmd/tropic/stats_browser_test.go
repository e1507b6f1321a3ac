package main

import (
	"strings"
	"testing"

	"tropic/internal/browsertest"
)

// The public statistics dashboard on the demo: axe-clean, charts with their text
// alternatives, the disclosure rule stated, and no CSP violation or script error.
func TestBrowserPublicStatisticsAreAccessible(t *testing.T) {
	brSkipInShortMode(t)
	inst := brStartDemo(t)
	b := browsertest.New(t) // after the server, see brSkipInShortMode

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
	if n := brEvalString(t, b, `String(document.querySelectorAll('svg.app-chart title').length)`); n != "9" {
		t.Errorf("%s charts with a <title>, want 9 (3 by month, 3 by quarter, 3 by year)", n)
	}
	b.CheckAxe(t)
	b.CheckNoConsoleErrors(t)
}

// The demo's releases: the list and an earlier release's own page are axe-clean,
// the earlier release says it is not the latest, and states the revisions policy.
func TestBrowserStatisticsReleasesAreAccessible(t *testing.T) {
	brSkipInShortMode(t)
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
