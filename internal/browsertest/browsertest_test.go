package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const strictCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const goodPage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Report a concern - Tropic</title></head>
<body>
<header><p>Tropic</p></header>
<main>
<h1>Report a concern</h1>
<form method="post" action="/submit">
<label for="where">Where did you see it?</label>
<input id="where" name="where" type="text">
<button type="submit">Continue</button>
</form>
</main>
<footer><p><a href="/accessibility">Accessibility statement</a></p></footer>
</body>
</html>`

const badPage = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"></head>
<body>
<img src="/nothing.png">
<input type="text">
<a href="/x"></a>
</body>
</html>`

// cspPage breaks its own CSP twice: an inline style attribute and an inline script.
const cspPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>CSP</title></head>
<body><main><h1 style="color: red">CSP</h1><script>document.title = 'ran'</script></main></body></html>`

const keysPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Keys</title><script src="/keys.js" defer></script></head>
<body><main><h1>Keys</h1><p id="count">0</p></main></body></html>`

// keysJS counts Shift key-ups the way GOV.UK Frontend's Exit this page does.
const keysJS = `let n = 0, modified = false;
document.addEventListener('keyup', e => {
  if (e.key === 'Shift' && !modified) { n++; document.getElementById('count').textContent = String(n) }
  modified = e.shiftKey
}, true)`

func server(t *testing.T) *httptest.Server {
	t.Helper()
	page := func(csp, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if csp != "" {
				w.Header().Set("Content-Security-Policy", csp)
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(body))
		}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /good", page(strictCSP, goodPage))
	mux.Handle("GET /bad", page("", badPage))
	mux.Handle("GET /csp", page(strictCSP, cspPage))
	mux.Handle("GET /keys", page(strictCSP, keysPage))
	mux.HandleFunc("GET /keys.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write([]byte(keysJS))
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestGoodPagePassesAxe(t *testing.T) {
	srv := server(t)
	b := New(t)
	if err := chromedp.Do(b.Ctx(), chromedp.Navigate(srv.URL+"/good"), chromedp.WaitVisible(chromedp.ID("where"))); err != nil {
		t.Fatal(err)
	}
	b.CheckAxe(t) // injection works under the page's strict CSP
	b.CheckNoConsoleErrors(t)
}

func TestBadPageHasViolations(t *testing.T) {
	srv := server(t)
	b := New(t)
	if err := chromedp.Do(b.Ctx(), chromedp.Navigate(srv.URL+"/bad")); err != nil {
		t.Fatal(err)
	}
	vs := b.AxeViolations(t)
	if len(vs) == 0 {
		t.Fatal("axe found no violations on the bad page")
	}
	got := map[string]bool{}
	for _, v := range vs {
		got[v.ID] = true
		if len(v.Nodes) == 0 || v.Help == "" {
			t.Errorf("violation %s has no nodes or help: %+v", v.ID, v)
		}
	}
	for _, id := range []string{"html-has-lang", "document-title", "image-alt", "label", "link-name"} {
		if !got[id] {
			t.Errorf("axe did not report %q; got %v", id, vs)
		}
	}
	// Running twice reuses the injected axe.
	if again := b.AxeViolations(t); len(again) != len(vs) {
		t.Errorf("second run: %d violations, first %d", len(again), len(vs))
	}
	t.Logf("first violation as CheckAxe prints it:\n%s", vs[0])
}

func TestCSPViolationsAreCollected(t *testing.T) {
	srv := server(t)
	b := New(t)
	if err := chromedp.Do(b.Ctx(), chromedp.Navigate(srv.URL+"/csp")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(b.Ctx(), chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title == "ran" {
		t.Error("inline script ran despite the CSP")
	}
	vs := b.CSPViolations()
	if len(vs) < 2 {
		t.Fatalf("want CSP violations for the inline style and the inline script, got %v (all: %v)", vs, b.ConsoleErrors())
	}
	for _, v := range vs {
		t.Logf("collected: %s", v)
	}
}

func TestPressShift(t *testing.T) {
	srv := server(t)
	b := New(t)
	if err := chromedp.Do(b.Ctx(), chromedp.Navigate(srv.URL+"/keys"), chromedp.WaitReady(chromedp.ID("count"))); err != nil {
		t.Fatal(err)
	}
	// Wait for the deferred script to have registered its listener.
	if _, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[bool](`new Promise(r => document.readyState === 'complete' ? r(true) : addEventListener('load', () => r(true)))`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	if err := b.PressShift(3); err != nil {
		t.Fatal(err)
	}
	count, err := chromedp.Run(b.Ctx(), chromedp.Text(chromedp.ID("count")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(count) != "3" {
		t.Errorf("Shift key-ups counted = %q, want 3", count)
	}
	b.CheckNoConsoleErrors(t)
}

func TestScreenshot(t *testing.T) {
	srv := server(t)
	b := New(t)
	if err := chromedp.Do(b.Ctx(), chromedp.Navigate(srv.URL+"/good")); err != nil {
		t.Fatal(err)
	}
	b.saveScreenshot(t) // what the cleanup does when a test fails
	path, err := screenshotPath(t.Name())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		// Remove the file, then the folders only if they are empty (os.Remove
		// refuses a non-empty folder).
		os.Remove(path)
		os.Remove(filepath.Dir(path))
		os.Remove(filepath.Dir(filepath.Dir(path)))
	}()
	if !strings.HasPrefix(string(data), "\x89PNG\r\n\x1a\n") {
		t.Errorf("%s is not a PNG", path)
	}
}
