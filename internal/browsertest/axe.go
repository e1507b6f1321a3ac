package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule tags CheckAxe runs: WCAG 2.0, 2.1 and 2.2, levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// Violation is one failed axe-core rule with the elements that fail it.
type Violation struct {
	ID      string          `json:"id"`
	Impact  string          `json:"impact"`
	Help    string          `json:"help"`
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that fails a rule.
type ViolationNode struct {
	Target         []string `json:"target"`
	HTML           string   `json:"html"`
	FailureSummary string   `json:"failureSummary"`
}

func (v Violation) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&sb, "\n    - %s\n      %s", strings.Join(n.Target, " "), n.HTML)
		if n.FailureSummary != "" {
			fmt.Fprintf(&sb, "\n      %s", strings.ReplaceAll(n.FailureSummary, "\n", "\n      "))
		}
	}
	return sb.String()
}

type axeResult struct {
	Version    string      `json:"version"`
	Passes     int         `json:"passes"`
	Violations []Violation `json:"violations"`
}

var axeCache struct {
	sync.Mutex
	path string
	src  string
}

// axeSource returns the text of axe.min.js, skipping or failing the test when
// it is missing (see the package documentation).
func axeSource(t testing.TB) string {
	t.Helper()
	path := os.Getenv("TROPIC_AXE_PATH")
	if path == "" {
		root, err := moduleRoot()
		if err != nil {
			unavailable(t, "axe-core: %v", err)
		}
		path = filepath.Join(root, "node_modules", "axe-core", "axe.min.js")
	}
	axeCache.Lock()
	defer axeCache.Unlock()
	if axeCache.path == path {
		return axeCache.src
	}
	b, err := os.ReadFile(path)
	if err != nil {
		unavailable(t, "axe-core not found (%v); run `npm ci` at the module root or set TROPIC_AXE_PATH", err)
	}
	axeCache.path, axeCache.src = path, string(b)
	return axeCache.src
}

// axeRunScript runs axe on the whole document with AxeTags and maps the result
// to plain JSON (the raw result is large and can be cyclic; targets can be
// nested arrays inside shadow DOM, hence String).
func axeRunScript() string {
	tags := `'` + strings.Join(AxeTags, `','`) + `'`
	return `axe.run(document, {
  runOnly: {type: 'tag', values: [` + tags + `]},
  resultTypes: ['violations']
}).then(r => ({
  version: r.testEngine.version,
  passes: r.passes.length,
  violations: r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, failureSummary: n.failureSummary || ''}))
  }))
}))`
}

// AxeViolations injects axe-core into the current page (if not there yet),
// runs it with AxeTags and returns the violations. It fails the test only if
// axe cannot run.
func (b *Browser) AxeViolations(t *testing.T) []Violation {
	t.Helper()
	src := axeSource(t)
	present, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object' && typeof window.axe.run === 'function'`))
	if err != nil {
		t.Fatalf("browsertest: checking for axe-core: %v", err)
	}
	if !present {
		// Runtime.evaluate is not page script, so a strict page CSP does not block it.
		if err := chromedp.Do(b.ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			t.Fatalf("browsertest: injecting axe-core: %v", err)
		}
	}
	res, err := chromedp.Run(b.ctx, chromedp.Evaluate[axeResult](axeRunScript(), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browsertest: running axe-core: %v", err)
	}
	return res.Violations
}

// CheckAxe runs axe-core on the current page and fails the test listing every
// WCAG 2.2 A/AA violation.
func (b *Browser) CheckAxe(t *testing.T) {
	t.Helper()
	vs := b.AxeViolations(t)
	if len(vs) == 0 {
		return
	}
	url, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string]("location.href"))
	var sb strings.Builder
	fmt.Fprintf(&sb, "axe-core: %d accessibility violation(s) on %s:", len(vs), url)
	for _, v := range vs {
		sb.WriteString("\n  " + strings.ReplaceAll(v.String(), "\n", "\n  "))
	}
	t.Error(sb.String())
}
