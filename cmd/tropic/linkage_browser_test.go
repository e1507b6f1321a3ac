package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// brAPI calls the JSON API with a token, failing the test unless it answers want.
func brAPI(t *testing.T, inst *instance, token, method, path, body string, want int) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, inst.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %v %v", method, path, res.StatusCode, want, out, err)
	}
	return out
}

// brToken makes an API token for a demo account with "tropic token create".
func brToken(t *testing.T, inst *instance, email string) string {
	t.Helper()
	vars := demoVars(inst)
	secret, stderr, err := tropicCmd(t, vars, "", "token", "create", "--user", email, "--name", "linkage browser test")
	if err != nil {
		t.Fatalf("token create: %v (%s)", err, stderr)
	}
	return strings.TrimSpace(secret)
}

// brCaseWith creates a case through the API with a phone and a person on it, and
// returns its reference.
func brCaseWith(t *testing.T, inst *instance, token, title, phone, person string) string {
	t.Helper()
	c := brAPI(t, inst, token, "POST", "/api/v1/cases", `{"title": "`+title+`", "district": "st-albans", "exploitation_types": ["labour"]}`, http.StatusCreated)
	ref, _ := c["reference"].(string)
	if phone != "" {
		brAPI(t, inst, token, "POST", "/api/v1/cases/"+ref+"/phones", `{"number": "`+phone+`"}`, http.StatusCreated)
	}
	if person != "" {
		brAPI(t, inst, token, "POST", "/api/v1/cases/"+ref+"/people", person, http.StatusCreated)
	}
	return ref
}

// brScreenshot saves a full-page PNG of the current page when TROPIC_TEST_SCREENSHOTS
// names a folder, so that a person can look at the pages.
func brScreenshot(t *testing.T, b *browsertest.Browser, name string) {
	t.Helper()
	dir := os.Getenv("TROPIC_TEST_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.Ctx(), chromedp.FullScreenshot(100)) // 100: PNG
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}

// The suggestions page with its decision form (and after a mistake), the network of
// a case, reached and followed by keyboard, and the analysts' network: all
// axe-clean, and a record held by another agency told only by who holds it.
func TestBrowserLinkagePagesAreAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	worker := brDemoAccount(t, inst, "caseworker.police@demo.tropic.example")
	analyst := brDemoAccount(t, inst, "analyst.police@demo.tropic.example")
	police := brToken(t, inst, worker)
	watford := brToken(t, inst, brDemoAccount(t, inst, "caseworker.watford@demo.tropic.example"))

	const anna = `{"given_name": "Anna", "family_name": "Kowalska", "date_of_birth": "1998-04-27", "phone": "07700 900456", "role": "potential_victim"}`
	const ana = `{"given_name": "Ana", "family_name": "Kowalska", "date_of_birth": "1998-04-27", "phone": "+44 7700 900456", "role": "witness"}`
	carWash := brCaseWith(t, inst, police, "Car wash, Victoria Street (browser test)", "07700 900123", anna)
	nailBar := brCaseWith(t, inst, police, "Nail bar, London Road (browser test)", "(07700) 900 123", ana)
	council := brCaseWith(t, inst, watford, "Overcrowded house (council only)", "+44 7700 900123", ana)

	b := browsertest.New(t) // after the server, see brSkipInShortMode
	brSignIn(t, b, inst.URL, worker, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")

	// From the case page to its possible matches.
	brOpen(t, b, inst.URL+"/cases/"+carWash)
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "2 possible matches to decide.") {
		t.Errorf("the case page does not count the suggestions:\n%s", text)
	}
	brClickAndWait(t, b, `main a[href="/cases/`+carWash+`/matches"]`, "the matches page", `location.pathname.endsWith('/matches')`)
	text := brMainText(t, b)
	for _, want := range []string{"2 possible matches to decide for 1 person on this case.", "Anna Kowalska: 2 possible matches",
		"Ana Kowalska, on " + nailBar, "A record held by Watford Borough Council", "Strong",
		"A possible match is held by Watford Borough Council. Ask them to review it", "Same person: link the records",
		"Not relevant to this case: do not suggest again"} {
		if !strings.Contains(text, want) {
			t.Errorf("the matches page does not show %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, council) || strings.Contains(text, "council only") {
		t.Errorf("the matches page tells of the council's case:\n%s", text)
	}
	b.CheckAxe(t)
	brScreenshot(t, b, "matches")

	// Save without choosing: the error summary, focused, naming the field; the
	// reason kept.
	card := `document.querySelector('.govuk-summary-card form .govuk-radios').closest('form')`
	formID := brEvalString(t, b, card+`.getAttribute('action').split('/').pop()`)
	if err := chromedp.Do(b.Ctx(), chromedp.SendKeys(chromedp.ID("match-"+formID+"-reason"), "Same date of birth and phone")); err != nil {
		t.Fatal(err)
	}
	brClickAndWait(t, b, `form[action$="/matches/`+formID+`"] button[type="submit"]`, "the error summary", `!!document.querySelector('.govuk-error-summary')`)
	brWaitFor(t, b, "focus on the error summary", `document.activeElement && document.activeElement.classList.contains('govuk-error-summary')`)
	if href := brEvalString(t, b, `document.querySelector('.govuk-error-summary__list a').getAttribute('href')`); href != "#match-"+formID+"-decision" {
		t.Errorf("the error summary links to %q", href)
	}
	if kept := brEvalString(t, b, `document.getElementById('match-`+formID+`-reason').value`); kept != "Same date of birth and phone" {
		t.Errorf("the reason typed became %q", kept)
	}
	b.CheckAxe(t)
	brScreenshot(t, b, "matches-error")

	// Link them: the success banner, and the records listed as linked.
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("match-"+formID+"-decision"))); err != nil {
		t.Fatal(err)
	}
	brClickAndWait(t, b, `form[action$="/matches/`+formID+`"] button[type="submit"]`, "the success banner", `!!document.querySelector('.govuk-notification-banner--success')`)
	if text := brMainText(t, b); !strings.Contains(text, "The records are linked as the same person") || !strings.Contains(text, "Linked records") {
		t.Errorf("the link is not shown:\n%s", text)
	}
	b.CheckAxe(t)

	// The network: drawn on the server, the council's case only as held by them.
	brOpen(t, b, inst.URL+"/cases/"+carWash+"/network")
	brWaitForGOVUKFrontend(t, b)
	text = brMainText(t, b)
	for _, want := range []string{"How this case connects to other records", "records,", "Held by Watford Borough Council", nailBar, "Key", "The connections"} {
		if !strings.Contains(text, want) {
			t.Errorf("the network page does not show %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, council) {
		t.Errorf("the network tells of the council's case:\n%s", text)
	}
	if n := brEvalString(t, b, `String(document.querySelectorAll('svg.app-network a.app-network__link').length)`); n == "0" {
		t.Fatal("the network has no links to follow")
	}
	b.CheckAxe(t)
	brScreenshot(t, b, "network")

	// Tab from the depth form's button to the drawing's box (which scrolls on a
	// narrow screen), then into the drawing: the first node link takes the focus,
	// shows it, and Enter follows it.
	// (A paragraph on asking for access may hold links in between: Tab past them.)
	if err := chromedp.Do(b.Ctx(), chromedp.Focus(chromedp.CSS(`form[action$="/network"] button`))); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if brEvalString(t, b, `String(!!(document.activeElement && document.activeElement.matches('.app-network-scroll')))`) == "true" {
			break
		}
		if err := chromedp.Do(b.Ctx(), chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
	}
	brWaitFor(t, b, "focus on the drawing's box", `!!(document.activeElement && document.activeElement.matches('.app-network-scroll'))`)
	if err := chromedp.Do(b.Ctx(), chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "focus on a node of the drawing", `!!(document.activeElement && document.activeElement.closest('svg.app-network') && document.activeElement.matches('a.app-network__link'))`)
	href := brEvalString(t, b, `document.activeElement.getAttribute('href')`)
	if fill := brEvalString(t, b, `getComputedStyle(document.activeElement.querySelector('.app-network__shape')).fill`); fill != "rgb(255, 221, 0)" {
		t.Errorf("the focused node is filled %s, want the yellow of the focus style", fill)
	}
	brScreenshot(t, b, "network-focus")
	if err := chromedp.Do(b.Ctx(), chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the node's page", `location.pathname + location.search === `+brJsString(href)+` && document.readyState === 'complete'`)

	// On a phone the pages fit the screen: the drawing keeps a legible size in a box
	// that scrolls sideways, and wide tables scroll in theirs.
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/cases/" + carWash + "/network", "/cases/" + carWash + "/matches", "/cases/" + carWash} {
		brOpen(t, b, inst.URL+path)
		brWaitForGOVUKFrontend(t, b)
		if w := brEvalString(t, b, `(e => e.scrollWidth > e.clientWidth ? e.scrollWidth + ' px wide, the screen ' + e.clientWidth : 'ok')(document.documentElement)`); w != "ok" {
			t.Errorf("on a phone %s is %s", path, w)
		}
		b.CheckAxe(t)
		brScreenshot(t, b, "phone-"+strings.ReplaceAll(strings.Trim(path, "/"), "/", "-"))
	}
	brOpen(t, b, inst.URL+"/cases/"+carWash+"/network")
	if w := brEvalString(t, b, `(w => w >= 720 ? 'ok' : w + ' px')(document.querySelector('.app-network-scroll svg').getBoundingClientRect().width)`); w != "ok" {
		t.Errorf("on a phone the drawing is %s wide, want at least 720 px (in a box that scrolls)", w)
	}
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	// The analyst: the partnership's network from the navigation, pseudonymised.
	brClickAndWait(t, b, `form[action="/logout"] button`, "signed out", `!document.querySelector('form[action="/logout"]')`)
	brSignIn(t, b, inst.URL, analyst, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)
	brClickAndWait(t, b, `.govuk-service-navigation a[href="/analysis/network"]`, "the analysts' network", `location.pathname === '/analysis/network'`)
	text = brMainText(t, b)
	if !strings.Contains(text, "Group 1") || !strings.Contains(text, "Watford Borough Council") {
		t.Errorf("the analysts' network does not show the groups and agencies:\n%s", text)
	}
	for _, secret := range []string{"Kowalska", "Anna", carWash, nailBar, council, "7700", "Car wash"} {
		if strings.Contains(text, secret) {
			t.Errorf("the analysts' network shows %q", secret)
		}
	}
	b.CheckAxe(t)
	brScreenshot(t, b, "analyst-network")

	// The analyst searches for the phone, typed another way, among labour cases: the
	// three cases it joins are found, pseudonymised; then expands a case one step.
	brSubmit(t, b, "/analysis/network", "by", "phone", "q", "07700900123", "exploitation", "labour")
	brWaitFor(t, b, "the search", `location.search.includes('q=07700900123') && document.querySelector('#found-heading') !== null`)
	text = brMainText(t, b)
	for _, want := range []string{"Every record found", "(searched for)", "Watford Borough Council", "Hertfordshire Constabulary", "Expand", "links as CSV for i2 Analyst’s Notebook", "Timeline of the cases found"} {
		if !strings.Contains(text, want) {
			t.Errorf("the network searched by phone does not show %q:\n%s", want, text)
		}
	}
	for _, secret := range []string{"Kowalska", "Anna", carWash, nailBar, council, "7700"} {
		if strings.Contains(text, secret) {
			t.Errorf("the network searched by phone shows %q", secret)
		}
	}
	brCheckWidths(t, b, "the analysts' network searched by phone")
	brScreenshot(t, b, "analyst-network-search")
	brClickAndWait(t, b, `main td a[href*="expand=person"]`, "a person expanded", `location.search.includes('expand=person')`)
	brCheckWidths(t, b, "the analysts' network with a person expanded")
	// A postcode that is not one: the message names the field and keeps what was typed.
	brOpen(t, b, inst.URL+"/analysis/network?by=postcode&q=nowhere")
	if !strings.Contains(brMainText(t, b), "Enter a full postcode") || brEvalString(t, b, `document.querySelector('#q').value`) != "nowhere" {
		t.Errorf("a bad postcode does not say so and keep it:\n%s", brMainText(t, b))
	}
	brCheckWidths(t, b, "the analysts' network with a bad postcode")

	// Only the 422 of the decision without a choice may show as a failed load.
	for _, m := range b.ConsoleErrors() {
		if m.Source == "network" && strings.Contains(m.Text, "422") {
			continue
		}
		t.Errorf("browser problem: %s", m)
	}
}
