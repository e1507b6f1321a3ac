// Package browsertest drives headless Chromium from Go tests, with axe-core
// accessibility checks. It is imported only by other packages' _test.go files.
//
// Usage:
//
//	b := browsertest.New(t)                        // skips if Chromium is missing
//	err := chromedp.Do(b.Ctx(), chromedp.Navigate(srv.URL+"/report"),
//		chromedp.WaitVisible(chromedp.ID("where")))
//	b.CheckAxe(t)                                  // WCAG 2.2 AA rules of axe-core
//	b.CheckNoConsoleErrors(t)                      // CSP violations, JS errors, failed loads
//	err = b.PressShift(3)                          // Exit this page by keyboard
//
// API:
//
//   - New(t) starts a headless Chromium for the test with its own temporary
//     profile and a whole-test timeout (2m, or TROPIC_BROWSER_TIMEOUT such as
//     "5m"), and stops it in t.Cleanup. When the test has failed, the cleanup
//     first saves a full-page PNG to <module root>/testdata/screenshots/<TestName>.png
//     (gitignored) and logs the path.
//   - Ctx() is the context for chromedp.Do / chromedp.Run / chromedp.Call. It
//     carries the whole-test timeout.
//   - CheckAxe(t) injects axe-core into the current page and fails the test
//     listing every violation (rule id, impact, help, targets, html) of the tags
//     wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa. AxeViolations(t) returns the
//     same list without failing.
//   - PressShift(n) presses Shift n times as real key events (keyup is what
//     GOV.UK Frontend's Exit this page listens to).
//   - ConsoleErrors() returns error-level browser log entries (CSP violations
//     have Source "security"), console.error calls and uncaught exceptions seen
//     since New; CSPViolations() only the CSP ones; CheckNoConsoleErrors(t)
//     fails the test listing them.
//
// Environment:
//
//   - TROPIC_TEST_BROWSER=1: a missing Chromium or axe-core fails the test
//     instead of skipping it (CI sets this). Without it, `go test -short` also
//     skips browser tests.
//   - TROPIC_CHROMIUM_PATH: the Chromium binary; default /usr/lib/chromium/chromium,
//     then /usr/bin/chromium.
//   - TROPIC_AXE_PATH: axe.min.js; default <module root>/node_modules/axe-core/axe.min.js
//     (npm ci installs the pinned axe-core 4.14.1).
package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// DefaultTimeout is the whole-test budget of a Browser unless
// TROPIC_BROWSER_TIMEOUT says otherwise: a guard against a hung page, not a speed
// test. Browser tests run two at a time (t.Parallel) on CI's two cores under -race,
// so each takes longer than it would alone.
const DefaultTimeout = 2 * time.Minute

// startupTimeout bounds the start of Chromium itself.
const startupTimeout = 30 * time.Second

// Browser is one headless Chromium with one tab, owned by one test.
type Browser struct {
	t          *testing.T
	browserCtx context.Context // no timeout: lives until cleanup
	ctx        context.Context // browserCtx + whole-test timeout

	cancelTimeout context.CancelFunc

	mu       sync.Mutex
	closed   bool // set in cleanup; no t.Logf afterwards
	messages []Message
}

// Message is one problem reported by the page: a browser log entry of level
// error (Source is for example "security" for CSP violations, "network" for
// failed loads), a console.error call (Source "console-api") or an uncaught
// exception (Source "exception").
type Message struct {
	Source string
	Level  string
	Text   string
	URL    string
}

func (m Message) String() string {
	s := fmt.Sprintf("[%s %s] %s", m.Source, m.Level, m.Text)
	if m.URL != "" {
		s += " (" + m.URL + ")"
	}
	return s
}

// strict reports whether browser tests must run (TROPIC_TEST_BROWSER=1).
func strict() bool { return os.Getenv("TROPIC_TEST_BROWSER") == "1" }

// unavailable skips the test, or fails it when TROPIC_TEST_BROWSER=1.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if strict() {
		t.Fatalf("browser test cannot run (TROPIC_TEST_BROWSER=1): %s", msg)
	}
	t.Skipf("skipping browser test: %s (set TROPIC_TEST_BROWSER=1 to make this a failure)", msg)
}

// chromiumPath finds the Chromium binary.
func chromiumPath() (string, error) {
	candidates := []string{"/usr/lib/chromium/chromium", "/usr/bin/chromium"}
	if p := os.Getenv("TROPIC_CHROMIUM_PATH"); p != "" {
		candidates = []string{p}
	}
	for _, p := range candidates {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("Chromium not found at %s (Debian: apt-get install chromium)", strings.Join(candidates, " or "))
}

// moduleRoot walks up from the working directory (the package directory under
// go test) to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

func testTimeout(t *testing.T) time.Duration {
	d := DefaultTimeout
	if s := os.Getenv("TROPIC_BROWSER_TIMEOUT"); s != "" {
		v, err := time.ParseDuration(s)
		if err != nil || v <= 0 {
			t.Fatalf("TROPIC_BROWSER_TIMEOUT=%q: want a positive duration such as 90s", s)
		}
		d = v
	}
	// Leave room for the cleanup (screenshot) before go test's own deadline.
	if dl, ok := t.Deadline(); ok {
		if left := time.Until(dl) - 15*time.Second; left > 0 && left < d {
			d = left
		}
	}
	return d
}

// New starts headless Chromium for the test. See the package documentation.
func New(t *testing.T) *Browser {
	t.Helper()
	if testing.Short() && !strict() {
		t.Skip("skipping browser test in -short mode")
	}
	execPath, err := chromiumPath()
	if err != nil {
		unavailable(t, "%v", err)
	}
	udd, err := os.MkdirTemp("", "tropic-chromium-")
	if err != nil {
		t.Fatalf("browsertest: user data dir: %v", err)
	}

	b := &Browser{t: t}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox, // needed when running as root (CI)
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(udd),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx,
		chromedp.WithLogf(b.logf), chromedp.WithErrorf(b.logf))
	b.browserCtx = browserCtx

	// Start the browser with a context that has no timeout (a timeout on the
	// first call would bound the browser's life), but give up if it hangs.
	startTimer := time.AfterFunc(startupTimeout, cancelBrowser)
	startErr := chromedp.Listen(browserCtx, b.onEvent) // starts the browser and opens the tab
	startTimer.Stop()

	b.ctx = browserCtx
	b.cancelTimeout = func() {}
	t.Cleanup(func() {
		if t.Failed() && startErr == nil {
			b.saveScreenshot(t)
		}
		b.cancelTimeout()
		_ = chromedp.Cancel(browserCtx) // closes the browser and waits
		cancelBrowser()
		cancelAlloc() // waits for the process to exit
		if err := os.RemoveAll(udd); err != nil {
			t.Logf("browsertest: removing %s: %v", udd, err)
		}
		b.mu.Lock()
		b.closed = true
		b.mu.Unlock()
	})
	if startErr != nil {
		t.Fatalf("browsertest: starting Chromium (%s): %v", execPath, startErr)
	}
	b.ctx, b.cancelTimeout = context.WithTimeout(browserCtx, testTimeout(t))
	return b
}

// Ctx is the context for chromedp.Do, chromedp.Run and chromedp.Call. It
// carries the whole-test timeout.
func (b *Browser) Ctx() context.Context { return b.ctx }

// logf is chromedp's logger; it never logs after the test's cleanup.
func (b *Browser) logf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.t.Logf("chromedp: "+format, args...)
	}
}

// onEvent runs on chromedp's reading goroutine: it must be quick.
func (b *Browser) onEvent(ev any) {
	var m Message
	switch ev := ev.(type) {
	case *cdplog.EventEntryAdded:
		if ev.Entry == nil || ev.Entry.Level != cdplog.EntryLevelError {
			return
		}
		m = Message{Source: string(ev.Entry.Source), Level: string(ev.Entry.Level), Text: ev.Entry.Text, URL: ev.Entry.URL}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			switch {
			case a == nil:
			case len(a.Value) > 0:
				parts = append(parts, string(a.Value))
			default:
				parts = append(parts, a.Description)
			}
		}
		m = Message{Source: "console-api", Level: string(ev.Type), Text: strings.Join(parts, " ")}
	case *runtime.EventExceptionThrown:
		if ev.ExceptionDetails == nil {
			return
		}
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		m = Message{Source: "exception", Level: "error", Text: text, URL: d.URL}
	default:
		return
	}
	b.mu.Lock()
	b.messages = append(b.messages, m)
	b.mu.Unlock()
}

// ConsoleErrors returns the problems the browser reported since New. It first
// makes a round trip to the browser so that events already sent are counted.
func (b *Browser) ConsoleErrors() []Message {
	_, _ = chromedp.Run(b.ctx, chromedp.Evaluate[int]("0"))
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Message(nil), b.messages...)
}

// CSPViolations returns the Content-Security-Policy violations reported since New.
func (b *Browser) CSPViolations() []Message {
	var out []Message
	for _, m := range b.ConsoleErrors() {
		if m.Source == string(cdplog.EntrySourceSecurity) || strings.Contains(m.Text, "Content Security Policy") {
			out = append(out, m)
		}
	}
	return out
}

// CheckNoConsoleErrors fails the test if the browser reported any problem
// since New (CSP violations, JavaScript errors, failed resource loads).
func (b *Browser) CheckNoConsoleErrors(t *testing.T) {
	t.Helper()
	msgs := b.ConsoleErrors()
	if len(msgs) == 0 {
		return
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d browser console error(s):", len(msgs))
	for _, m := range msgs {
		sb.WriteString("\n  " + m.String())
	}
	t.Error(sb.String())
}

// PressShift presses Shift n times as real key events (rawKeyDown and keyUp),
// as a person would to trigger Exit this page.
func (b *Browser) PressShift(n int) error {
	press := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, p := range []input.DispatchKeyEventParams{
			{Type: input.DispatchKeyEventTypeRawKeyDown, Modifiers: 8 /* Shift */, Key: "Shift", Code: "ShiftLeft", WindowsVirtualKeyCode: 16, NativeVirtualKeyCode: 16, Location: 1},
			{Type: input.DispatchKeyEventTypeKeyUp, Key: "Shift", Code: "ShiftLeft", WindowsVirtualKeyCode: 16, NativeVirtualKeyCode: 16, Location: 1},
		} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	})
	for i := 0; i < n; i++ {
		if err := chromedp.Do(b.ctx, press); err != nil {
			return fmt.Errorf("pressing Shift (%d of %d): %w", i+1, n, err)
		}
		if i < n-1 {
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}

// screenshotPath is <module root>/testdata/screenshots/<TestName>.png.
func screenshotPath(testName string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	name := strings.NewReplacer("/", "__", "\\", "_", ":", "_", " ", "_").Replace(testName)
	return filepath.Join(root, "testdata", "screenshots", name+".png"), nil
}

func (b *Browser) saveScreenshot(t *testing.T) {
	ctx, cancel := context.WithTimeout(b.browserCtx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 => PNG
	if err != nil {
		t.Logf("browsertest: no screenshot of the failed test: %v", err)
		return
	}
	path, err := screenshotPath(t.Name())
	if err == nil {
		err = os.MkdirAll(filepath.Dir(path), 0o755)
	}
	if err == nil {
		err = os.WriteFile(path, png, 0o644)
	}
	if err != nil {
		t.Logf("browsertest: saving screenshot: %v", err)
		return
	}
	url, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("location.href"))
	t.Logf("browsertest: screenshot of %s saved to %s", url, path)
}
