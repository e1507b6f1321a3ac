package main

// Every public page in every shipped language, in real Chromium at 390 and 1280
// pixels, with axe at both widths: lang and dir on <html>, the computed direction
// (right to left for Arabic), no message missing, the unreviewed-translation notice
// on every page of a language no native speaker has reviewed, the character count's
// live message in the language (brCheckCharacterCount). One demo; English
// first, then the other languages beside each other (go test -parallel: two at a
// time on CI), each in a Chromium of its own with one tab, reused for each of its
// pages; the viewport changes without reloading.

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

func TestBrowserEveryPublicPageInEveryLanguage(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	langs := []struct{ tag, dir string }{
		{"en", "ltr"}, {"sq", "ltr"}, {"vi", "ltr"}, {"ro", "ltr"}, {"pl", "ltr"}, {"ar", "rtl"}, {"ti", "ltr"}, {"zh-Hans", "ltr"},
	}
	if only := os.Getenv("TROPIC_I18N_BROWSER_LANGS"); only != "" { // a subset, while developing
		var keep []struct{ tag, dir string }
		for _, l := range langs {
			if strings.Contains(","+only+",", ","+l.tag+",") {
				keep = append(keep, l)
			}
		}
		langs = keep
	}
	// The first language finds a campaign page of the demo's and sends the report;
	// the others, run after it and beside each other, read what it found.
	var slug, formKey string
	for i, l := range langs {
		ok := t.Run(l.tag, func(t *testing.T) {
			if i > 0 {
				brMaybeParallel(t)
			}
			brEveryPublicPageIn(t, inst, l.tag, l.dir, &slug, &formKey, i == 0)
		})
		if i == 0 && !ok {
			return
		}
	}
}

// brEveryPublicPageIn checks every public page in one language, in a Chromium of its
// own. The first language (first) finds the campaign page (slug) and sends the report
// whose form key (formKey) the others send again: the same answers with the same form
// key show the same confirmation and store nothing new.
func brEveryPublicPageIn(t *testing.T, inst *instance, tag, dir string, slug, formKey *string, first bool) {
	b := browsertest.New(t)
	started := time.Now()
	if first {
		// A campaign page of the demo's, found once.
		brOpen(t, b, inst.URL+"/campaigns")
		*slug = brEvalString(t, b, `(document.querySelector('main h3 a') || {getAttribute: () => ''}).getAttribute('href').split('?')[0]`)
	}
	pages := 0
	var axeTime time.Duration
	// check looks at the page now open, at both widths.
	check := func(tag, dir, what string) {
		t.Helper()
		pages++
		brWaitForGOVUKFrontend(t, b)
		got := brEvalString(t, b, `document.documentElement.lang + ' ' + document.documentElement.dir + ' ' + getComputedStyle(document.querySelector('main')).direction`)
		if want := tag + " " + dir + " " + dir; got != want {
			t.Errorf("%s in %s: lang, dir and computed direction %q, want %q", what, tag, got, want)
		}
		if missing := brEvalString(t, b, `(document.body.innerText.match(/\[[a-z_]+\.[a-z0-9_.]+\]/) || [''])[0]`); missing != "" {
			t.Errorf("%s in %s shows the missing message %s", what, tag, missing)
		}
		if tag != "en" {
			if !brEvalBool(t, b, `!!document.getElementById('translation-notice')`) {
				t.Errorf("%s in %s does not say its translation is unreviewed", what, tag)
			}
			if d := brEvalString(t, b, `getComputedStyle(document.querySelector('#translation-notice [lang=en]')).direction`); d != "ltr" {
				t.Errorf("%s in %s: the English notice runs %s", what, tag, d)
			}
		}
		for _, w := range []struct{ width, height int64 }{{390, 844}, {1280, 900}} {
			if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(w.width, w.height)); err != nil {
				t.Fatal(err)
			}
			if wide := brEvalString(t, b, `(e => e.scrollWidth > e.clientWidth ? e.scrollWidth + ' px wide, the screen ' + e.clientWidth : 'ok')(document.documentElement)`); wide != "ok" {
				t.Errorf("%s in %s at %d px: the page scrolls sideways: %s", what, tag, w.width, wide)
			}
			if misplaced := brEvalString(t, b, brMirroredLayout); misplaced != "" {
				t.Errorf("%s in %s at %d px: laid out for the other direction: %s", what, tag, w.width, misplaced)
			}
			axeStart := time.Now()
			b.CheckAxe(t)
			axeTime += time.Since(axeStart)
		}
	}
	// submit clicks a button and waits for the next page.
	submit := func(sel, what string) {
		t.Helper()
		brEvalBool(t, b, `(window.__before = true)`)
		brEvalBool(t, b, `(document.querySelector(`+brJsString(sel)+`).click(), true)`)
		brWaitFor(t, b, what, `!window.__before && document.readyState === 'complete'`)
	}

	q := "?lang=" + tag
	for _, path := range []string{"/", "/report", "/report/me", "/report/follow-up/done", "/privacy", "/accessibility", "/campaigns", *slug, "/no-such-page"} {
		if path == "" {
			continue
		}
		brOpen(t, b, inst.URL+path+q)
		check(tag, dir, path)
	}
	// The follow-up form, then its problems.
	brOpen(t, b, inst.URL+"/report/follow-up"+q)
	check(tag, dir, "the follow-up form")
	brCheckCharacterCount(t, b, tag, "information", 5000)
	submit(`form[action^="/report/follow-up"] button.govuk-button`, "the follow-up's problems")
	check(tag, dir, "the follow-up's problems")
	// The four questions, then their problem.
	brOpen(t, b, inst.URL+"/report/me/new"+q)
	check(tag, dir, "the four questions")
	brCheckCharacterCount(t, b, tag, "description", 5000)
	submit(`#report-form > button.govuk-button`, "the four questions' problem")
	check(tag, dir, "the four questions' problem")
	// The full form, check your answers, and the confirmation. The first language
	// sends the report; the others send the same answers with the same form key,
	// which shows the same confirmation and stores nothing new.
	brOpen(t, b, inst.URL+"/report/new"+q)
	check(tag, dir, "the report form")
	brCheckCharacterCount(t, b, tag, "description", 5000)
	brEvalBool(t, b, `(document.getElementById('description').value = 'Eight people sleep above the nail bar.', true)`)
	submit(`#report-form > button.govuk-button`, "check your answers")
	check(tag, dir, "check your answers")
	if first {
		*formKey = brEvalString(t, b, `document.querySelector('#answers input[name=form_key]').value`)
	} else {
		brEvalBool(t, b, fmt.Sprintf(`(document.querySelector('#answers input[name=form_key]').value = %s, true)`, brJsString(*formKey)))
	}
	submit(`#answers > button.govuk-button`, "the confirmation")
	if !brEvalBool(t, b, `!!document.getElementById('follow-up-code')`) {
		t.Fatalf("no confirmation in %s:\n%s", tag, brMainText(t, b))
	}
	check(tag, dir, "the confirmation")
	// Messages about the report: the sign-in form, its problems, and the thread
	// (no message yet) with the reference and code just given.
	ref := brEvalString(t, b, `document.getElementById('reference').textContent.trim()`)
	code := brEvalString(t, b, `document.getElementById('follow-up-code').textContent.trim()`)
	brOpen(t, b, inst.URL+"/report/follow-up/messages"+q)
	check(tag, dir, "the messages sign-in form")
	submit(`form[action^="/report/follow-up/messages"] button.govuk-button`, "the messages sign-in's problems")
	check(tag, dir, "the messages sign-in's problems")
	brEvalBool(t, b, fmt.Sprintf(`(document.getElementById('reference').value = %s, document.getElementById('code').value = %s, true)`, brJsString(ref), brJsString(code)))
	submit(`form[action^="/report/follow-up/messages"] button.govuk-button`, "the messages")
	if !brEvalBool(t, b, `!!document.getElementById('broad-status')`) {
		t.Fatalf("no thread in %s:\n%s", tag, brMainText(t, b))
	}
	check(tag, dir, "the messages")

	for _, m := range b.CSPViolations() {
		t.Errorf("CSP violation: %s", m)
	}
	for _, m := range b.ConsoleErrors() {
		if m.Source == "network" && strings.Contains(m.Text, "404") {
			continue // the missing page is meant to be missing
		}
		if m.Source == "network" && strings.Contains(m.Text, "422") {
			continue // pages of problems answer 422
		}
		t.Errorf("browser problem: %s", m)
	}
	t.Logf("%d pages in %s at 390 and 1280 pixels (%d axe runs, %s of axe) in %s", pages, tag, 2*pages, axeTime.Round(time.Second), time.Since(started).Round(time.Second))
}

// brMirroredLayout lists what on the page is placed for the other direction: a radio's
// or checkbox's drawn control away from its input (GOV.UK Frontend draws it at the
// left; a right-to-left page puts the input at the right), a warning's icon at the
// far side of its text, a grid column not at the start of its row. "" when none is.
const brMirroredLayout = `(() => {
	const rtl = getComputedStyle(document.querySelector('main')).direction === 'rtl';
	const shown = el => el.getClientRects().length > 0;
	const start = r => rtl ? r.right : r.left;
	const bad = [];
	for (const item of document.querySelectorAll('.govuk-radios__item, .govuk-checkboxes__item')) {
		const input = item.querySelector('input'), label = item.querySelector('label');
		if (!input || !label || !shown(item)) continue;
		const box = item.getBoundingClientRect(), at = box.left + parseFloat(getComputedStyle(label, '::before').left);
		const want = input.getBoundingClientRect();
		if (at < want.left - 6 || at > want.right) bad.push('the control of ' + (input.id || input.name) + ' at x=' + Math.round(at) + ', its input at ' + Math.round(want.left) + '-' + Math.round(want.right));
	}
	for (const w of document.querySelectorAll('.govuk-warning-text')) {
		const icon = w.querySelector('.govuk-warning-text__icon');
		if (!icon || !shown(w)) continue;
		if (Math.abs(start(icon.getBoundingClientRect()) - start(w.getBoundingClientRect())) > 2) bad.push('a warning icon away from the start of its text');
	}
	for (const col of document.querySelectorAll('main .govuk-grid-row > [class*="govuk-grid-column"]:first-child')) {
		if (!shown(col)) continue;
		if (Math.abs(start(col.getBoundingClientRect()) - start(col.parentElement.getBoundingClientRect())) > 2) bad.push('a column away from the start of its row');
	}
	return bad.slice(0, 5).join('; ');
})()`
