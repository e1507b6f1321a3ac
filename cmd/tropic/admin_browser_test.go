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

// brCheckPhone checks the page with axe at a phone's width too, then goes back to the
// desktop width.
func brCheckPhone(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	brAxeAt(t, b, 375)
}

// brAxeAt checks the page with axe at a width, and that nothing scrolls sideways
// there, then goes back to the desktop width.
func brAxeAt(t *testing.T, b *browsertest.Browser, width int64) {
	t.Helper()
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(width, 844)); err != nil {
		t.Fatal(err)
	}
	if n := brEvalString(t, b, `String(document.documentElement.scrollWidth > window.innerWidth + 1)`); n == "true" {
		t.Errorf("%s scrolls sideways at %d px: %s", brEvalString(t, b, `location.pathname`), width,
			brEvalString(t, b, `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0,6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(' | ')`))
	}
	b.CheckAxe(t)
	if err := chromedp.Do(b.Ctx(), chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
}

var brInviteLinkRE = regexp.MustCompile(`/invite/([A-Za-z0-9_-]{43})`)

// The administration pages on the demo, as its partnership administrator: users, a
// user's page, leavers, agencies with a refused form, the history; then the invitation
// journey through a real SMTP server (mailpit): the e-mail, the link, choosing a
// password with a mistake first, signed in, and the used link refused plainly. Every
// page is axe-clean, at a desktop's width and a phone's.
func TestBrowserAdministrationPagesAndTheInvitationJourney(t *testing.T) {
	brParallel(t)
	mp := mailpittest.Start(t)
	triage := mailpittest.NewRecipient(t, "triage")
	inst := brStartDemo(t, "--cases", "0", "--smtp-addr", mp.SMTPAddr, "--smtp-tls", "none",
		"--mail-from", "Tropic <tropic@demo.tropic.example>", "--triage-emails", triage)
	admin := brDemoAccount(t, inst, "partnership.admin@demo.tropic.example")
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, admin, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)

	page := func(path, want string) {
		t.Helper()
		brOpen(t, b, inst.URL+path)
		brWaitForGOVUKFrontend(t, b)
		if text := brMainText(t, b); !strings.Contains(text, want) {
			t.Errorf("%s does not say %q:\n%s", path, want, text)
		}
		b.CheckAxe(t)
		brCheckPhone(t, b)
	}
	page("/admin/users", "new.starter.police@demo.tropic.example") // the pending invitation
	page("/admin/users?status=invited", "Invited")
	// Second factors besides the app: an account of the council's identity provider,
	// active without a Tropic password; a security key.
	page("/admin/users?mfa=sso&status=active", "sso.officer.council@demo.tropic.example")
	page("/admin/users?mfa=key", "key.holder.police@demo.tropic.example")
	page("/admin/leavers", "former.caseworker.police@demo.tropic.example")
	page("/admin/history", "Administration history")
	// Newest first: the demo's invitations, back-dated days, come after the fifty-odd
	// changes of its set-up, on the second page.
	page("/admin/history?page=2", "Invited")
	page("/admin/agencies", "Safe Harbour Herts (charity)")
	page("/admin/districts", "Add a district")
	page("/admin/holidays", "Record a change")
	page("/admin/agencies/new", "Add an agency")

	// An agency's page, from the list.
	brOpen(t, b, inst.URL+"/admin/agencies")
	brWaitForGOVUKFrontend(t, b)
	brClickAndWait(t, b, `main table a.govuk-link`, "an agency's page", `location.pathname.endsWith('/edit')`)
	if text := brMainText(t, b); !strings.Contains(text, "Inbox address") || !strings.Contains(text, "NRM reminder address") {
		t.Errorf("the agency's page:\n%s", text)
	}
	b.CheckAxe(t)
	brCheckPhone(t, b)
	brOpen(t, b, inst.URL+"/admin/agencies/new")
	brWaitForGOVUKFrontend(t, b)

	// The agency form refuses what is missing, naming the fields.
	brClickAndWait(t, b, `main form button[type="submit"]`, "the form with errors", `!!document.querySelector('.govuk-error-summary')`)
	if n := brEvalString(t, b, `String(document.querySelectorAll('.govuk-error-summary__list li').length)`); n != "2" {
		t.Errorf("%s errors, want 2 (name and kind):\n%s", n, brMainText(t, b))
	}
	b.CheckAxe(t)

	// The leaver's page, from the list of users.
	brOpen(t, b, inst.URL+"/admin/users?idle=90")
	brWaitForGOVUKFrontend(t, b)
	brClickAndWait(t, b, `main table a.govuk-link`, "a user's page", `location.pathname.startsWith('/admin/users/')`)
	if text := brMainText(t, b); !strings.Contains(text, "Sign out everywhere") || !strings.Contains(text, "Roles") {
		t.Errorf("the user's page:\n%s", text)
	}
	b.CheckAxe(t)
	brCheckPhone(t, b)

	// Invite someone to the county council as a caseworker.
	to := mailpittest.NewRecipient(t, "invitee")
	page("/admin/users/invite", "The link works once, for 72 hours")
	brType(t, b, "name", "Browser Invitee", "email", to)
	brEvalString(t, b, `(() => { const s = document.querySelector('#agency'); s.value = [...s.options].find(o => o.text === 'Hertfordshire County Council').value; return s.value; })()`)
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("role-caseworker"))); err != nil {
		t.Fatal(err)
	}
	brClickAndWait(t, b, `main form button[type="submit"]`, "the invited user's page", `location.pathname.startsWith('/admin/users/') && location.pathname !== '/admin/users/invite'`)
	if text := brMainText(t, b); !strings.Contains(text, "Invitation sent") || !strings.Contains(text, "the link works until") {
		t.Errorf("after inviting:\n%s", text)
	}
	b.CheckAxe(t)

	msgs := mp.WaitFor(t, to, 1, 20*time.Second)
	body := mp.Text(t, msgs[0].ID)
	m := brInviteLinkRE.FindStringSubmatch(body)
	if m == nil || strings.Contains(body, "Browser Invitee") {
		t.Fatalf("the invitation e-mail holds no link, or names the person:\n%s", body)
	}

	// The invitee, in their own browser.
	c := browsertest.New(t)
	link := inst.URL + "/invite/" + m[1]
	brOpen(t, c, link)
	brWaitForGOVUKFrontend(t, c)
	if text := brMainText(t, c); !strings.Contains(text, "Choose your password") || !strings.Contains(text, "Hertfordshire County Council") {
		t.Fatalf("the invitation page:\n%s", text)
	}
	c.CheckAxe(t)
	brCheckPhone(t, c)
	brType(t, c, "password", "heron marble tuesday 6", "confirm", "heron marble tuesday 7")
	brClickAndWait(t, c, `main form button[type="submit"]`, "the form with an error", `!!document.querySelector('.govuk-error-summary')`)
	if text := brMainText(t, c); !strings.Contains(text, "Type the same password again") {
		t.Errorf("the mistyped confirmation:\n%s", text)
	}
	c.CheckAxe(t)
	brType(t, c, "password", "heron marble tuesday 6", "confirm", "heron marble tuesday 6")
	brClickAndWait(t, c, `main form button[type="submit"]`, "the staff home", `location.pathname === '/staff'`) // the demo waives MFA
	if text := brMainText(t, c); strings.Contains(text, "Choose your password") {
		t.Errorf("not signed in after choosing a password:\n%s", text)
	}

	// The link, used, says so plainly.
	brOpen(t, c, link)
	brWaitForGOVUKFrontend(t, c)
	if text := brMainText(t, c); !strings.Contains(text, "has been used already") {
		t.Errorf("the used link:\n%s", text)
	}
	c.CheckAxe(t)

	// The demo's leaver was asked for a new password: signing in, they choose one first.
	d := browsertest.New(t)
	brSignIn(t, d, inst.URL, "former.caseworker.police@demo.tropic.example", defaultDemoPassword)
	brWaitForURL(t, d, inst.URL+"/login/password")
	brWaitForGOVUKFrontend(t, d)
	if text := brMainText(t, d); !strings.Contains(text, "Your administrator has asked you to choose a new password") {
		t.Errorf("the new-password page:\n%s", text)
	}
	d.CheckAxe(t)
	brCheckPhone(t, d)
	brType(t, d, "password", "lantern oyster pebble 3", "confirm", "lantern oyster pebble 3")
	brClickAndWait(t, d, `main form button[type="submit"]`, "the staff home", `location.pathname === '/staff'`)
}
