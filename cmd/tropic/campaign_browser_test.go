package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// Campaigns on the demo, as an analyst: the staff list, the form with errors, a new
// campaign, its effect page and its public page, whose link opens the report form
// with the campaign chosen. Every page is axe-clean.
func TestBrowserCampaignPagesAreAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	analyst := brDemoAccount(t, inst, "analyst.police@demo.tropic.example")
	b := browsertest.New(t)

	brSignIn(t, b, inst.URL, analyst, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)

	// The staff list holds the demo's seeded campaigns.
	brOpen(t, b, inst.URL+"/staff/campaigns")
	brWaitForGOVUKFrontend(t, b)
	springSlug := "spot-the-signs-" + time.Now().UTC().AddDate(-1, 0, 0).Format("2006") // seeded whatever today is
	if text := brMainText(t, b); !strings.Contains(text, "Spot the signs") {
		t.Errorf("the campaign list does not show the demo campaigns:\n%s", text)
	}
	b.CheckAxe(t)

	// The form with errors: a bad web address name and the days the wrong way round.
	brOpen(t, b, inst.URL+"/staff/campaigns/new")
	brWaitForGOVUKFrontend(t, b)
	brType(t, b, "name", "Look closer (browser test)", "slug", "Not A Slug", "starts_on", "2026-03-10", "ends_on", "2026-03-01")
	brClickAndWait(t, b, `main form button[type="submit"]`, "the form with errors", `!!document.querySelector('.govuk-error-summary')`)
	if n := brEvalString(t, b, `String(document.querySelectorAll('.govuk-error-summary__list li').length)`); n != "2" {
		t.Errorf("%s errors in the summary, want 2:\n%s", n, brMainText(t, b))
	}
	b.CheckAxe(t)

	// Put it right: a campaign running from yesterday for a week.
	now := time.Now().UTC()
	if err := chromedp.Do(b.Ctx(),
		chromedp.Clear(chromedp.ID("slug")), chromedp.Clear(chromedp.ID("starts_on")), chromedp.Clear(chromedp.ID("ends_on")),
	); err != nil {
		t.Fatal(err)
	}
	brType(t, b, "slug", "look-closer", "hashtags", "#LookCloser",
		"starts_on", now.AddDate(0, 0, -1).Format(time.DateOnly), "ends_on", now.AddDate(0, 0, 6).Format(time.DateOnly),
		"description", "Look closer at car washes and nail bars.")
	brClickAndWait(t, b, `main form button[type="submit"]`, "the campaign list", `location.pathname === '/staff/campaigns'`)
	if text := brMainText(t, b); !strings.Contains(text, "Look closer (browser test) saved") {
		t.Errorf("no success message after saving:\n%s", text)
	}

	// A poster: first a web page dressed as a PNG, refused with the description kept;
	// then a real PNG wider than a phone's screen.
	dir := t.TempDir()
	fake, real := filepath.Join(dir, "poster.png"), filepath.Join(dir, "real.png")
	if err := os.WriteFile(fake, []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	var png1 bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 900, 450))
	for x := 0; x < 900; x++ {
		img.Set(x, x/2, color.NRGBA{0, 90, 110, 255})
	}
	if err := png.Encode(&png1, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, png1.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	brOpen(t, b, inst.URL+"/staff/campaigns/look-closer/edit")
	brWaitForGOVUKFrontend(t, b)
	brType(t, b, "alt", "A line rising across the poster")
	if err := chromedp.Do(b.Ctx(), chromedp.SetUploadFiles(chromedp.ID("poster"), []string{fake})); err != nil {
		t.Fatal(err)
	}
	brClickAndWait(t, b, `form[enctype="multipart/form-data"] button[type="submit"]`, "the upload with an error", `!!document.querySelector('.govuk-error-summary')`)
	if text := brMainText(t, b); !strings.Contains(text, "The poster must be a PNG or JPEG image") {
		t.Errorf("the refused upload does not say why:\n%s", text)
	}
	if v := brEvalString(t, b, `document.getElementById('alt').value`); v != "A line rising across the poster" {
		t.Errorf("the description typed was not kept: %q", v)
	}
	brAxeAt(t, b, 390)
	brAxeAt(t, b, 1280)
	if err := chromedp.Do(b.Ctx(), chromedp.SetUploadFiles(chromedp.ID("poster"), []string{real})); err != nil {
		t.Fatal(err)
	}
	brClickAndWait(t, b, `form[enctype="multipart/form-data"] button[type="submit"]`, "the edit page with the poster", `!!document.querySelector('img.app-poster')`)
	brAxeAt(t, b, 390)

	// The effect page, on last year's seeded spring campaign.
	brOpen(t, b, inst.URL+"/staff/campaigns/"+springSlug+"/effect")
	brWaitForGOVUKFrontend(t, b)
	if n := brEvalString(t, b, `String(document.querySelectorAll('main svg').length)`); n == "0" {
		t.Errorf("the effect page has no chart:\n%s", brMainText(t, b))
	}
	// The browser tests' demo has no report history, so no district table; the
	// comparison with last year and the caveat on seasons are always there.
	if n := brEvalString(t, b, `String(document.querySelectorAll('#seasonality, #last-year').length)`); n != "2" {
		t.Errorf("the effect page has no comparison with last year or no caveat on seasons:\n%s", brMainText(t, b))
	}
	b.CheckAxe(t)

	// The public page, and its link to the report form with the campaign chosen.
	brOpen(t, b, inst.URL+"/campaigns/look-closer")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "Look closer at car washes") || !strings.Contains(text, "The signs to look for") {
		t.Errorf("the public page:\n%s", text)
	}
	if n := brEvalString(t, b, `String(document.querySelectorAll('script[src^="http"], iframe, img[src^="http"]').length)`); n != "0" {
		t.Errorf("the public page loads %s third-party scripts, frames or images", n)
	}
	// The poster shows, from Tropic, with its description.
	if got := brEvalString(t, b, `(i => i ? i.complete + ' ' + i.naturalWidth + ' ' + i.alt : 'none')(document.querySelector('main img.app-poster'))`); got != "true 900 A line rising across the poster" {
		t.Errorf("the poster on the public page: %s", got)
	}
	brAxeAt(t, b, 390)
	brAxeAt(t, b, 1280)
	brClickAndWait(t, b, `main a[href^="/report/new"]`, "the report form", `location.pathname === '/report/new'`)
	if v := brEvalString(t, b, `(document.querySelector('input[name="how_heard"]:checked') || {value: ''}).value`); v != "campaign:look-closer" {
		t.Errorf("the report form has %q chosen for how you heard, want campaign:look-closer", v)
	}
	// Only the 422 of the form with errors may show as a failed load.
	for _, m := range b.ConsoleErrors() {
		if m.Source == "network" && strings.Contains(m.Text, "422") {
			continue
		}
		t.Errorf("browser problem: %s", m)
	}
}
