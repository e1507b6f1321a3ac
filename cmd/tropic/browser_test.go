package main

// Browser tests: real Chromium (through internal/browsertest) against the real
// server started through run. They skip when Chromium or axe-core is missing, and
// in -short mode, unless TROPIC_TEST_BROWSER=1.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tropic/internal/auth"
	"tropic/internal/browsertest"
)

// brNeutralSite stands in for the neutral site "Exit this page" leads to: this
// machine, like CI, has no internet, so `tropic demo --exit-url` points here.
type brNeutralSite struct {
	URL string // of the page to land on

	mu       sync.Mutex
	referers []string // one per visit of the page
}

const brNeutralPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Weather forecast</title></head>
<body><main><h1 id="neutral">Weather forecast</h1><p>Sunny spells.</p></main></body></html>`

func brStartNeutralSite(t *testing.T) *brNeutralSite {
	t.Helper()
	n := &brNeutralSite{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /weather", func(w http.ResponseWriter, r *http.Request) {
		n.mu.Lock()
		n.referers = append(n.referers, r.Header.Get("Referer"))
		n.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(brNeutralPage))
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	n.URL = srv.URL + "/weather"
	return n
}

// visits returns the Referer header of each visit so far.
func (n *brNeutralSite) visits() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.referers...)
}

// brStartDemo starts tropic demo without its years of synthetic reports, which
// these tests do not need and which take seconds to seed under -race.
func brStartDemo(t *testing.T, extra ...string) *instance {
	t.Helper()
	return startDemo(t, append([]string{"--reports-per-year", "0"}, extra...)...)
}

// brSkipInShortMode skips before the server starts, as browsertest.New would.
// The browser must start after the server: cleanups run last-in first-out, and
// Chromium keeps preconnected sockets that hold up the server's graceful
// shutdown for 5 seconds (net/http closes a connection that never sent a request
// only after 5 seconds) unless the browser has gone first.
func brSkipInShortMode(t *testing.T) {
	t.Helper()
	if testing.Short() && os.Getenv("TROPIC_TEST_BROWSER") != "1" {
		t.Skip("skipping browser test in -short mode")
	}
}

// brParallel is brSkipInShortMode, then t.Parallel: the test runs beside the other
// parallel tests, -parallel of them at a time (GOMAXPROCS by default: two on CI's two
// cores), once the package's other tests have run. A test that calls it shares nothing
// with the others: its own demo (startDemo: its own folder and port), its own
// Chromium (browsertest.New), its own mailpit recipients, and no t.Setenv.
func brParallel(t *testing.T) {
	t.Helper()
	brSkipInShortMode(t)
	brMaybeParallel(t)
}

// brMaybeParallel runs t beside the others, except under -race: there (CI, two cores
// shared with the other packages) each browser test's waits were measured one at a
// time, and two at once would starve them.
func brMaybeParallel(t *testing.T) {
	if !raceDetector {
		t.Parallel()
	}
}

// brWaitFor polls a JavaScript expression until it is true. Errors while a new page
// loads (the old execution context is gone) count as "not yet".
func brWaitFor(t *testing.T, b *browsertest.Browser, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.Ctx(), 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if b.Ctx().Err() != nil {
			t.Fatalf("waiting for %s: %v", what, b.Ctx().Err())
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	url, _ := chromedp.Run(b.Ctx(), chromedp.Location())
	t.Fatalf("timed out waiting for %s (at %s; last error: %v)", what, url, lastErr)
}

// brWaitForURL waits until the tab shows exactly url (query string included) and the
// page has loaded.
func brWaitForURL(t *testing.T, b *browsertest.Browser, url string) {
	t.Helper()
	brWaitFor(t, b, url, `location.href === `+brJsString(url)+` && document.readyState === 'complete'`)
}

// brJsString quotes s as a JavaScript string literal (s holds no quote or backslash).
func brJsString(s string) string {
	if strings.ContainsAny(s, `'\`+"\n") {
		panic("brJsString: unsupported character in " + s)
	}
	return `'` + s + `'`
}

// brOpen navigates to url and waits for the page, and for GOV.UK Frontend to have
// initialised when the page runs scripts.
func brOpen(t *testing.T, b *browsertest.Browser, url string) {
	t.Helper()
	if err := chromedp.Do(b.Ctx(), chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	brWaitFor(t, b, "the page to load", `document.readyState === 'complete'`)
}

// brWaitForGOVUKFrontend waits until initAll has run: every data-module on the page
// is marked initialised.
func brWaitForGOVUKFrontend(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	brWaitFor(t, b, "GOV.UK Frontend to initialise", `document.body.classList.contains('govuk-frontend-supported') &&
		[...document.querySelectorAll('[data-module]')].every(el => el.hasAttribute('data-' + el.dataset.module + '-init'))`)
}

func brEvalString(t *testing.T, b *browsertest.Browser, expr string) string {
	t.Helper()
	s, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return s
}

func brEvalBool(t *testing.T, b *browsertest.Browser, expr string) bool {
	t.Helper()
	v, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[bool](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// brMainText is the visible text of <main>.
func brMainText(t *testing.T, b *browsertest.Browser) string {
	t.Helper()
	return brEvalString(t, b, `document.querySelector('main').innerText`)
}

// brDemoAccount returns the demo account with the given e-mail address after checking
// that tropic demo printed it.
func brDemoAccount(t *testing.T, inst *instance, email string) string {
	t.Helper()
	if !strings.Contains(inst.Stdout.String(), email) {
		t.Fatalf("tropic demo did not print the account %s:\n%s", email, inst.Stdout)
	}
	return email
}

// brSignIn fills in and submits the real login page.
func brSignIn(t *testing.T, b *browsertest.Browser, base, email, password string) {
	t.Helper()
	brOpen(t, b, base+"/login")
	if err := chromedp.Do(b.Ctx(),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)),
	); err != nil {
		t.Fatalf("signing in as %s: %v", email, err)
	}
}

// brSessionCookie returns the browser's session cookie for base, or "".
func brSessionCookie(t *testing.T, b *browsertest.Browser, base string) string {
	t.Helper()
	res, err := chromedp.Call(b.Ctx(), network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/"}})
	if err != nil {
		t.Fatalf("reading cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == "tropic_session" {
			return c.Value
		}
	}
	return ""
}

// brStaffStatus asks for /staff with the given session cookie outside the browser and
// returns the status and Location (redirects are not followed).
func brStaffStatus(t *testing.T, base, cookie string) (int, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequest(http.MethodGet, base+"/staff", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "tropic_session", Value: cookie})
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET /staff: %v", err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

func TestBrowserPublicPagesAreAccessibleAndPutTheEmergencyNumberFirst(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	b := browsertest.New(t) // after the server, see brSkipInShortMode

	brOpen(t, b, inst.URL+"/")
	brWaitForGOVUKFrontend(t, b)
	if title := brEvalString(t, b, `document.title`); !strings.Contains(title, "Get help or report modern slavery") {
		t.Errorf("home page title = %q", title)
	}
	// The 999 warning is the first thing in <main> after the page's heading:
	// nothing but the <h1> comes before it.
	before := brEvalString(t, b, `(() => {
		const main = document.querySelector('main'), warning = main.querySelector('.govuk-warning-text');
		if (!warning) return 'NO WARNING';
		const r = document.createRange();
		r.setStart(main, 0);
		r.setEndBefore(warning);
		const h1 = main.querySelector('h1');
		let text = r.toString().replace(/\s+/g, ' ').trim();
		if (h1 && r.intersectsNode(h1)) text = text.replace(h1.textContent.replace(/\s+/g, ' ').trim(), '').trim();
		return text;
	})()`)
	if before != "" {
		t.Errorf("text before the 999 warning in <main> other than the heading: %q", before)
	}
	warning := brEvalString(t, b, `document.querySelector('main .govuk-warning-text').innerText`)
	if !strings.Contains(warning, "999") {
		t.Errorf("first warning in <main> is %q, want the 999 emergency number", warning)
	}
	text := brMainText(t, b)
	for _, want := range []string{"101", "08000 121 700"} {
		if !strings.Contains(text, want) {
			t.Errorf("home page does not mention %s", want)
		}
	}
	if i999, i101 := strings.Index(text, "999"), strings.Index(text, "101"); i999 > i101 {
		t.Errorf("999 (at %d) comes after 101 (at %d) on the home page", i999, i101)
	}
	b.CheckAxe(t)

	for _, p := range []struct{ path, heading string }{
		{"/accessibility", "Accessibility"},
		{"/privacy", "Privacy"},
		{"/login", "Sign in"},
	} {
		brOpen(t, b, inst.URL+p.path)
		brWaitForGOVUKFrontend(t, b)
		if h1 := brEvalString(t, b, `document.querySelector('h1').innerText`); !strings.Contains(h1, p.heading) {
			t.Errorf("%s: <h1> is %q, want it to contain %q", p.path, h1, p.heading)
		}
		b.CheckAxe(t)
	}
	// Everything so far loaded without a CSP violation or a script error.
	b.CheckNoConsoleErrors(t)

	// The 404 page. Chromium reports the 404 of the document itself as a failed
	// load, so only CSP violations and script errors count here.
	res, err := chromedp.Run(b.Ctx(), chromedp.NavigateResponse(inst.URL+"/no-such-page"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusNotFound {
		t.Errorf("/no-such-page answered %d, want 404", res.Status)
	}
	brWaitFor(t, b, "the 404 page to load", `document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	if h1 := brEvalString(t, b, `document.querySelector('h1').innerText`); !strings.Contains(h1, "Page not found") {
		t.Errorf("404 page <h1> is %q", h1)
	}
	b.CheckAxe(t)
	for _, m := range b.ConsoleErrors() {
		if m.Source == "network" && strings.Contains(m.Text, "404") {
			continue
		}
		t.Errorf("browser problem on the 404 page: %s", m)
	}
}

func TestBrowserExitThisPageButtonEndsTheSessionAndLeavesForTheNeutralSite(t *testing.T) {
	brParallel(t)
	neutral := brStartNeutralSite(t)
	inst := brStartDemo(t, "--exit-url", neutral.URL)
	b := browsertest.New(t) // after the server, see brSkipInShortMode

	// A signed-in member of staff looks at a public page, then leaves in a hurry.
	brSignIn(t, b, inst.URL, brDemoAccount(t, inst, "caseworker.police@demo.tropic.example"), defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	cookie := brSessionCookie(t, b, inst.URL)
	if cookie == "" {
		t.Fatal("no session cookie after signing in")
	}
	if code, _ := brStaffStatus(t, inst.URL, cookie); code != http.StatusOK {
		t.Fatalf("GET /staff with the session cookie: %d before exit, want 200", code)
	}

	brOpen(t, b, inst.URL+"/")
	brWaitForGOVUKFrontend(t, b)
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(".govuk-exit-this-page__button"))); err != nil {
		t.Fatal(err)
	}
	brWaitForURL(t, b, neutral.URL)
	if h1 := brEvalString(t, b, `document.querySelector('h1').innerText`); h1 != "Weather forecast" {
		t.Errorf("landed on a page whose heading is %q", h1)
	}
	visits := neutral.visits()
	if len(visits) != 1 {
		t.Fatalf("neutral site visited %d times, want 1", len(visits))
	}
	if visits[0] != "" {
		t.Errorf("the neutral site learned where the person came from: Referer %q", visits[0])
	}
	if got := brSessionCookie(t, b, inst.URL); got != "" {
		t.Errorf("the browser still holds a session cookie after exit")
	}
	// The old session is gone on the server too, not just in the browser.
	if code, loc := brStaffStatus(t, inst.URL, cookie); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("GET /staff with the pre-exit session cookie: %d %q, want 303 to /login", code, loc)
	}
	b.CheckNoConsoleErrors(t)
}

func TestBrowserPressingShiftThreeTimesLeavesForTheNeutralSite(t *testing.T) {
	brParallel(t)
	neutral := brStartNeutralSite(t)
	inst := brStartDemo(t, "--exit-url", neutral.URL)
	b := browsertest.New(t) // after the server, see brSkipInShortMode

	brOpen(t, b, inst.URL+"/privacy")
	brWaitForGOVUKFrontend(t, b)
	if err := b.PressShift(3); err != nil {
		t.Fatal(err)
	}
	brWaitForURL(t, b, neutral.URL)
	if n := len(neutral.visits()); n != 1 {
		t.Errorf("neutral site visited %d times, want 1", n)
	}
	b.CheckNoConsoleErrors(t)
}

func TestBrowserExitThisPageIsAPlainLinkToExitWithoutJavaScript(t *testing.T) {
	brParallel(t)
	neutral := brStartNeutralSite(t)
	inst := brStartDemo(t, "--exit-url", neutral.URL)
	b := browsertest.New(t) // after the server, see brSkipInShortMode

	if _, err := chromedp.Call(b.Ctx(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	brOpen(t, b, inst.URL+"/")
	// Runtime.evaluate still works with page scripts off; the page's own did not run.
	if brEvalBool(t, b, `document.body.classList.contains('govuk-frontend-supported')`) {
		t.Fatal("the page's scripts ran although JavaScript is disabled")
	}
	button := brEvalString(t, b, `(() => { const a = document.querySelector('.govuk-exit-this-page__button');
		return a ? a.tagName + ' ' + a.getAttribute('href') : 'missing' })()`)
	if button != "A /exit" {
		t.Fatalf("Exit this page without JavaScript is %q, want a link (A) to /exit", button)
	}
	skip := brEvalString(t, b, `(() => { const a = document.querySelector('.govuk-js-exit-this-page-skiplink');
		return a ? a.getAttribute('href') : 'missing' })()`)
	if skip != "/exit" {
		t.Errorf("the Exit this page skip link goes to %q, want /exit", skip)
	}
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(".govuk-exit-this-page__button"))); err != nil {
		t.Fatal(err)
	}
	brWaitForURL(t, b, neutral.URL)
	if n := len(neutral.visits()); n != 1 {
		t.Errorf("neutral site visited %d times, want 1", n)
	}
}

func TestBrowserStaffEnrolAnAuthenticatorAppOnFirstSignIn(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--mfa")
	b := browsertest.New(t) // after the server, see brSkipInShortMode
	email := brDemoAccount(t, inst, "caseworker.police@demo.tropic.example")

	brSignIn(t, b, inst.URL, email, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/login/mfa/setup")
	brWaitForGOVUKFrontend(t, b)

	// The QR code is drawn by the server and loads under the CSP.
	width, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[int](`new Promise(resolve => {
		const img = document.querySelector('img.app-qr');
		if (!img) return resolve(-1);
		if (img.complete) return resolve(img.naturalWidth);
		img.addEventListener('load', () => resolve(img.naturalWidth));
		img.addEventListener('error', () => resolve(0));
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if width <= 0 {
		t.Errorf("QR code image: naturalWidth %d, want it loaded", width)
	}
	b.CheckAxe(t)

	secret, err := chromedp.Run(b.Ctx(), chromedp.Text(chromedp.ID("secret")))
	if err != nil {
		t.Fatal(err)
	}
	secret = strings.ReplaceAll(strings.TrimSpace(secret), " ", "")
	if len(secret) < 16 {
		t.Fatalf("setup key on the page is %q", secret)
	}

	// A wrong code: the error summary, focused by GOV.UK Frontend, and axe clean.
	// The server accepts the codes of the neighbouring time steps too, so the
	// wrong code must differ from all three.
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := auth.TOTPCode(secret, time.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid[c] = true
	}
	wrong := "000000"
	for i := 1; valid[wrong]; i++ {
		wrong = strings.Repeat(string(rune('0'+i)), 6)
	}
	if err := chromedp.Do(b.Ctx(),
		chromedp.SendKeys(chromedp.ID("code"), wrong),
		chromedp.Click(chromedp.CSS(`form[action="/login/mfa/setup"] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the error summary", `!!document.querySelector('.govuk-error-summary') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	if title := brEvalString(t, b, `document.title`); !strings.HasPrefix(title, "Error: ") {
		t.Errorf("title on the error page is %q, want it to start with \"Error: \"", title)
	}
	brWaitFor(t, b, "focus on the error summary", `document.activeElement && document.activeElement.classList.contains('govuk-error-summary')`)
	if summary := brEvalString(t, b, `document.querySelector('.govuk-error-summary').innerText`); !strings.Contains(summary, "The code is not right") {
		t.Errorf("error summary says %q", summary)
	}
	if href := brEvalString(t, b, `document.querySelector('.govuk-error-summary__list a').getAttribute('href')`); href != "#code" {
		t.Errorf("error summary links to %q, want #code", href)
	}
	b.CheckAxe(t)
	// The setup key is unchanged: the same enrolment goes on.
	again, err := chromedp.Run(b.Ctx(), chromedp.Text(chromedp.ID("secret")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.ReplaceAll(strings.TrimSpace(again), " ", "") != secret {
		t.Errorf("setup key changed after a wrong code")
	}

	// The right code: signed in, on the staff home.
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.Ctx(),
		chromedp.SetValue(chromedp.ID("code"), code),
		chromedp.Click(chromedp.CSS(`form[action="/login/mfa/setup"] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	// The recovery codes, shown once, then on to the staff home.
	brWaitFor(t, b, "the recovery codes", `document.querySelectorAll('#recovery-codes li').length === 10 && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`main a.govuk-button`))); err != nil {
		t.Fatal(err)
	}
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)
	text := brMainText(t, b)
	for _, want := range []string{"Hertfordshire Constabulary Modern Slavery Unit", "Caseworker", email} {
		if !strings.Contains(text, want) {
			t.Errorf("staff home does not show %q:\n%s", want, text)
		}
	}
	if brEvalBool(t, b, `!!document.querySelector('.govuk-exit-this-page')`) {
		t.Error("staff home shows Exit this page, which is for public pages")
	}
	if strings.Contains(brEvalString(t, b, `document.body.innerText`), "Multi-factor authentication is switched off") {
		t.Error("staff home says MFA is switched off although the demo requires it")
	}
	b.CheckAxe(t)
	// Only the 422 of the wrong code's page may show as a failed load.
	for _, m := range b.ConsoleErrors() {
		if m.Source == "network" && strings.Contains(m.Text, "422") {
			continue
		}
		t.Errorf("browser problem: %s", m)
	}
}

func TestBrowserDemoStaffSignInWithoutMFAAndSignOut(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	b := browsertest.New(t) // after the server, see brSkipInShortMode
	email := brDemoAccount(t, inst, "triage.county@demo.tropic.example")

	brSignIn(t, b, inst.URL, email, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)
	banner := brEvalString(t, b, `(() => { const el = document.querySelector('.govuk-notification-banner'); return el ? el.innerText : '' })()`)
	if !strings.Contains(banner, "Multi-factor authentication is switched off") {
		t.Errorf("staff home has no demo banner saying MFA is off; banner: %q", banner)
	}
	text := brMainText(t, b)
	for _, want := range []string{"Hertfordshire County Council", "Triage"} {
		if !strings.Contains(text, want) {
			t.Errorf("staff home does not show %q", want)
		}
	}
	b.CheckAxe(t)

	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`form[action="/logout"] button`))); err != nil {
		t.Fatal(err)
	}
	brWaitFor(t, b, "the signed-out login page", `location.pathname === '/login' && document.readyState === 'complete'`)
	if msg := brMainText(t, b); !strings.Contains(msg, "You have signed out") {
		t.Errorf("after signing out the page says:\n%s", msg)
	}
	if c := brSessionCookie(t, b, inst.URL); c != "" {
		if code, _ := brStaffStatus(t, inst.URL, c); code == http.StatusOK {
			t.Error("the browser's session still opens /staff after signing out")
		}
	}
	brOpen(t, b, inst.URL+"/staff")
	brWaitFor(t, b, "the login page", `location.pathname === '/login'`)
	b.CheckNoConsoleErrors(t)
}
