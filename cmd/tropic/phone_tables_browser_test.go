package main

import (
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// brTablesFit checks that no table on the page scrolls sideways in its box (the page
// itself is brFits'), naming the first that does.
func brTablesFit(t *testing.T, b *browsertest.Browser, width int64) {
	t.Helper()
	if w := brEvalString(t, b, `(() => { const e = [...document.querySelectorAll('main .app-table-wrapper')].find(e => e.scrollWidth > e.clientWidth + 1);
		return e ? (e.querySelector('caption') || e).textContent.trim() + ': ' + e.scrollWidth + ' px in ' + e.clientWidth : 'ok' })()`); w != "ok" {
		t.Errorf("at %d px on %s a table scrolls sideways: %s", width, brEvalString(t, b, `location.pathname`), w)
	}
}

// The users list (as the partnership's and as an agency's administrator) and the
// analysts' network read at a phone's width without scrolling sideways, the tables
// stacked a row at a time; at a desktop's width "Sign out" and "Your sessions" each
// stay on one line. axe at both widths.
func TestBrowserStaffTablesFitAPhone(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	b := browsertest.New(t)
	check := func(path string) {
		t.Helper()
		brOpen(t, b, inst.URL+path)
		brWaitForGOVUKFrontend(t, b)
		brCheckWidths(t, b, path)
		if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(390, 900)); err != nil {
			t.Fatal(err)
		}
		brTablesFit(t, b, 390)
		if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
		for _, item := range []string{`form[action="/logout"] button`, `a[href="/account/sessions"]`} {
			// The lines its words are drawn on: the tops of its text's boxes.
			if brEvalBool(t, b, `(e => { const r = document.createRange(); r.selectNodeContents(e);
				return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1 })(document.querySelector('.govuk-service-navigation `+item+`'))`) {
				t.Errorf("at 1280 px on %s the navigation's %s wraps onto two lines", path, item)
			}
		}
	}
	brSignIn(t, b, inst.URL, brDemoAccount(t, inst, "partnership.admin@demo.tropic.example"), defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	check("/admin/users")
	brSwitchTo(t, b, inst, "admin.police@demo.tropic.example")
	check("/admin/users")
	// The supervisor's navigation is among the longest (approvals, unread notifications).
	brSwitchTo(t, b, inst, "supervisor.police@demo.tropic.example")
	check("/notifications")
	// Three cases joined by a phone, for the networks' tables of records.
	police := brToken(t, inst, brDemoAccount(t, inst, "caseworker.police@demo.tropic.example"))
	const person = `{"given_name": "Anna", "family_name": "Kowalska", "date_of_birth": "1998-04-27", "role": "potential_victim"}`
	ref := brCaseWith(t, inst, police, "Car wash, Victoria Street (phone width test)", "07700 900321", person)
	brCaseWith(t, inst, police, "Nail bar, London Road (phone width test)", "07700 900321", person)
	brCaseWith(t, inst, police, "House, Hatfield Road (phone width test)", "07700 900321", person)
	brSwitchTo(t, b, inst, "caseworker.police@demo.tropic.example")
	check("/cases/" + ref + "/network")
	brSwitchTo(t, b, inst, "analyst.police@demo.tropic.example")
	check("/analysis/network")
	check("/analysis/network?by=phone&q=07700900321")
}
