package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
	"tropic/internal/notify/mailpittest"
)

var brResetPathRE = regexp.MustCompile(`/password/reset\?token=[A-Za-z0-9]+`)

// brSubmit fills in the fields of the form posting to action (id, value pairs) and sends it.
func brSubmit(t *testing.T, b *browsertest.Browser, action string, fields ...string) {
	t.Helper()
	var acts []chromedp.Action[chromedp.Void]
	for i := 0; i+1 < len(fields); i += 2 {
		acts = append(acts, chromedp.SetValue(chromedp.ID(fields[i]), fields[i+1]))
	}
	acts = append(acts, chromedp.Click(chromedp.CSS(`form[action="`+action+`"] button[type="submit"]`)))
	if err := chromedp.Do(b.Ctx(), acts...); err != nil {
		t.Fatalf("submitting %s: %v", action, err)
	}
}

func TestBrowserForgottenPasswordThroughEmailAndChangingIt(t *testing.T) {
	brParallel(t)
	mp := mailpittest.Start(t)
	inst := brStartDemo(t, "--smtp-addr", mp.SMTPAddr, "--smtp-tls", "none", "--mail-from", "Tropic <tropic@demo.tropic.example>",
		"--triage-emails", mailpittest.NewRecipient(t, "triage"))
	b := browsertest.New(t) // after the server, see brSkipInShortMode
	email := brDemoAccount(t, inst, "analyst.county@demo.tropic.example")
	before := len(mp.MessagesTo(t, email))

	brOpen(t, b, inst.URL+"/login")
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(`a[href="/password/forgot"]`))); err != nil {
		t.Fatal(err)
	}
	brWaitForURL(t, b, inst.URL+"/password/forgot")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brSubmit(t, b, "/password/forgot", "email", email)
	brWaitFor(t, b, "the answer", `document.querySelector('h1') && document.querySelector('h1').innerText === 'Check your email'`)
	b.CheckAxe(t)

	msgs := mp.WaitFor(t, email, before+1, 20*time.Second)
	path := brResetPathRE.FindString(mp.Text(t, msgs[0].ID))
	if path == "" {
		t.Fatalf("no reset link in the e-mail:\n%s", mp.Text(t, msgs[0].ID))
	}
	brOpen(t, b, inst.URL+path)
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brSubmit(t, b, "/password/reset", "password", "password1234", "confirm", "password1234")
	brWaitFor(t, b, "the error summary", `!!document.querySelector('.govuk-error-summary') && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brSubmit(t, b, "/password/reset", "password", "violet kettle harbour", "confirm", "violet kettle harbour")
	brWaitForURL(t, b, inst.URL+"/login?reset=1")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	if text := brMainText(t, b); !strings.Contains(text, "Your password has been changed") {
		t.Errorf("the sign-in page says:\n%s", text)
	}

	brSignIn(t, b, inst.URL, email, "violet kettle harbour")
	brWaitForURL(t, b, inst.URL+"/staff")
	brOpen(t, b, inst.URL+"/account/password")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brSubmit(t, b, "/account/password", "current", "violet kettle harbour", "password", "amber lantern orchard", "confirm", "amber lantern orchard")
	brWaitForURL(t, b, inst.URL+"/account/password")
	brWaitFor(t, b, "the confirmation", `document.querySelector('main').innerText.includes('Your password has been changed')`)
	b.CheckAxe(t)

	brOpen(t, b, inst.URL+"/account/confirm?next=/staff")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brSubmit(t, b, "/account/confirm", "password", "amber lantern orchard")
	brWaitForURL(t, b, inst.URL+"/staff")
}
