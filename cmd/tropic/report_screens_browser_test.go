package main

// The public report journey's length on a phone (issue 15): a typical report walked
// from the start page to the confirmation at 390×844 px, each page counted as the
// phone screens it takes to scroll through, ceil(scrollHeight / 844).

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// brPhoneHeight is the height of the phone the journeys are counted on (390×844).
const brPhoneHeight = 844

// brReportScreensTarget is issue 15's target for a typical report, and the journeys are
// held to it (decision 77): the start page and the confirmation fit one screen each,
// with what is not needed first folded below them, the form takes 4 and "Check your
// answers" 2. The route for the person it is happening to takes 8 too: its help page 2,
// its questions 3, and "Check your answers" 1. Lower them if the journeys shorten.
const (
	brReportScreensTarget = 8
	brMaxReportScreens    = 8
	brMaxSelfRouteScreens = 8
)

// brScreens counts the phone screens the page in the tab takes, and its height: the
// bottom of its footer, which scrollHeight would round up to the screen's height when
// the page is shorter, so that the log shows how far a page is from a screen's edge.
func brScreens(t *testing.T, b *browsertest.Browser) (screens, height int) {
	t.Helper()
	height, err := strconv.Atoi(brEvalString(t, b, `String(Math.ceil(Math.max(
		document.querySelector('footer').getBoundingClientRect().bottom + window.scrollY,
		document.documentElement.scrollHeight > window.innerHeight ? document.documentElement.scrollHeight : 0)))`))
	if err != nil {
		t.Fatal(err)
	}
	return max(1, (height+brPhoneHeight-1)/brPhoneHeight), height
}

// brScreenCount adds up the screens of the pages a journey passes through.
type brScreenCount struct {
	pages []string
	total int
}

func (c *brScreenCount) add(t *testing.T, b *browsertest.Browser, what string) {
	t.Helper()
	n, height := brScreens(t, b)
	c.pages = append(c.pages, fmt.Sprintf("%s: %d (%d px)", what, n, height))
	c.total += n
}

func (c *brScreenCount) String() string {
	return strings.Join(c.pages, ", ") + "; total " + strconv.Itoa(c.total)
}

// A typical report: someone saw something, says what in a sentence or two, where and
// when, gives one vehicle, and stays anonymous.
func TestBrowserTypicalReportPhoneScreens(t *testing.T) {
	brSkipInShortMode(t)
	inst := brStartDemo(t)
	b := browsertest.New(t)
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(390, brPhoneHeight)); err != nil {
		t.Fatal(err)
	}
	var count brScreenCount
	page := func(what, ready string) {
		t.Helper()
		brWaitFor(t, b, what, `document.readyState === 'complete' && (`+ready+`)`)
		brWaitForGOVUKFrontend(t, b)
		count.add(t, b, what)
	}
	submit := `form[action="/report/check"] button[type="submit"]:not([name="add"])`

	brOpen(t, b, inst.URL+"/report")
	page("start page", `location.pathname === '/report'`)
	brClickAndWait(t, b, `a.govuk-button--start[href="/report/new"]`, "the form", `location.pathname === '/report/new'`)
	brWaitFor(t, b, "the form", `!!document.getElementById('description')`)
	brClickAndWait(t, b, `#group-vehicles summary`, "the vehicles opened", `document.getElementById('group-vehicles').open`)
	brType(t, b, "description", "Four men sleep in the back of the car wash. A van collects them at 5am.",
		"address", "Sparkle Car Wash, London Road, St Albans",
		"seen_when", "Most mornings last week",
		"vehicle_1_registration", "AB12 CDE", "vehicle_1_description", "white van")
	brClickAndWait(t, b, `label[for="reporter_anonymous"]`, "anonymity chosen", `document.getElementById('reporter_anonymous').checked`)
	// The form is counted as it is sent: filled in, with the vehicle's group open.
	page("form", `document.getElementById('group-vehicles').open`)
	brClickAndWait(t, b, submit, "check your answers", `location.pathname === '/report/check'`)
	page("check your answers", `document.querySelector('h1').innerText.startsWith('Check your answers')`)
	brClickAndWait(t, b, `form[action="/report/submit"] button.govuk-button`, "the confirmation", `!!document.getElementById('reference')`)
	page("confirmation", `!!document.getElementById('follow-up-code')`)
	t.Logf("a typical report at 390×844 px: %s (target %d)", &count, brReportScreensTarget)
	if count.total > brMaxReportScreens {
		t.Errorf("a typical report takes %d phone screens, want at most %d (%s)", count.total, brMaxReportScreens, &count)
	}

	// Choosing to give your details opens the group that asks for them.
	brOpen(t, b, inst.URL+"/report/new")
	brWaitForGOVUKFrontend(t, b)
	brClickAndWait(t, b, `label[for="reporter_anonymous-2"]`, "your details opened", `document.getElementById('group-details').open`)

	// The route for the person it is happening to, counted the same way.
	count = brScreenCount{}
	brOpen(t, b, inst.URL+"/report")
	page("start page", `location.pathname === '/report'`)
	brClickAndWait(t, b, `main a[href="/report/me"]`, "the help page", `location.pathname === '/report/me'`)
	page("help page", `!!document.querySelector('a[href="tel:08000121700"]')`)
	brClickAndWait(t, b, `a.govuk-button--start[href="/report/me/new"]`, "the questions", `location.pathname === '/report/me/new'`)
	page("questions", `!!document.getElementById('description')`)
	brType(t, b, "description", "They keep my passport. I work every day and get no money.")
	brClickAndWait(t, b, `label[for="reporter_anonymous-2"]`, "anonymity chosen", `document.getElementById('reporter_anonymous-2').checked`)
	brClickAndWait(t, b, submit, "check your answers", `location.pathname === '/report/check'`)
	page("check your answers", `document.querySelector('h1').innerText.startsWith('Check your answers')`)
	brClickAndWait(t, b, `form[action="/report/submit"] button.govuk-button`, "the confirmation", `!!document.getElementById('reference')`)
	page("confirmation", `!!document.getElementById('follow-up-code')`)
	t.Logf("the route for the person it is happening to at 390×844 px: %s", &count)
	if count.total > brMaxSelfRouteScreens {
		t.Errorf("the route for the person it is happening to takes %d phone screens, want at most %d (%s)", count.total, brMaxSelfRouteScreens, &count)
	}
}
