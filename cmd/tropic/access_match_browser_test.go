package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// A request for access from a possible person match, in a real browser at desktop
// and phone width: the police caseworker asks Watford for the record beside the
// match (the form, its errors, the flash), reads the request on their list; Watford's
// supervisor opens it from the queue and declines it (with the error for a missing
// reason). Every page is checked with axe and fits the screen, and none shown to the
// police names Watford's person or case.
func TestBrowserAccessRequestFromAPossibleMatchIsAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t, "--cases", "1")
	worker := brDemoAccount(t, inst, "caseworker.police@demo.tropic.example")
	super := brDemoAccount(t, inst, "supervisor.watford@demo.tropic.example")
	police := brToken(t, inst, worker)
	watford := brToken(t, inst, brDemoAccount(t, inst, "caseworker.watford@demo.tropic.example"))
	pairs := map[int64][2]string{
		1280: {`{"given_name": "Anna", "family_name": "Kowalska", "date_of_birth": "1998-04-27", "phone": "07700 900456", "role": "potential_victim"}`,
			`{"given_name": "Ana", "family_name": "Kowalska", "date_of_birth": "1998-04-27", "phone": "+44 7700 900456", "role": "witness"}`},
		390: {`{"given_name": "Mariusz", "family_name": "Nowak", "date_of_birth": "1987-11-02", "phone": "07700 900789", "role": "potential_victim"}`,
			`{"given_name": "Marius", "family_name": "Nowak", "date_of_birth": "1987-11-02", "phone": "+44 7700 900789", "role": "witness"}`},
	}

	for _, width := range []int64{1280, 390} {
		// A browser for each part at each width: each has its own deadline. After the
		// server, see brSkipInShortMode.
		open := func(email string) *browsertest.Browser {
			br := browsertest.New(t)
			if err := chromedp.Do(br.Ctx(), chromedp.EmulateViewport(width, 900)); err != nil {
				t.Fatal(err)
			}
			brSignIn(t, br, inst.URL, email, defaultDemoPassword)
			brWaitForURL(t, br, inst.URL+"/staff")
			return br
		}
		b := open(worker)
		mine := brCaseWith(t, inst, police, "Car wash (access browser test)", "", pairs[width][0])
		theirs := brCaseWith(t, inst, watford, "House (Watford only)", "", pairs[width][1])
		secret := []string{theirs, "Watford only", strings.Split(pairs[width][1], `"`)[3] + " "}
		noSecret := func(page string) {
			t.Helper()
			text := brMainText(t, b)
			for _, s := range secret {
				if strings.Contains(text, s) {
					t.Errorf("at %d px the %s tells the police %q:\n%s", width, page, s, text)
				}
			}
		}

		// The possible match, and the request beside it.
		brOpen(t, b, inst.URL+"/cases/"+mine+"/matches")
		brWaitForGOVUKFrontend(t, b)
		brClickAndWait(t, b, `main a.app-ask-access`, "the request form", `location.pathname.endsWith('/access-request')`)
		if text := brMainText(t, b); !strings.Contains(text, "may be the same person as someone on your case") {
			t.Errorf("the form does not say what is asked:\n%s", text)
		}
		noSecret("request form")
		b.CheckAxe(t)
		brFits(t, b, width)
		brClickAndWait(t, b, `main form button[type="submit"]`, "the form's errors", `document.querySelector('.govuk-error-summary') !== null`)
		b.CheckAxe(t)
		brFits(t, b, width)
		if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("scope")), chromedp.Click(chromedp.ID("lawful_basis")),
			chromedp.SetValue(chromedp.ID("agreement"), "none")); err != nil {
			t.Fatal(err)
		}
		brType(t, b, "reason", "She may be the woman found at the car wash (browser test)",
			"agreement_reason", "A one-off request while the borough council joins the register (browser test)")
		brClickAndWait(t, b, `main form button[type="submit"]`, "back on the matches with the flash",
			`location.pathname.endsWith('/matches') && document.querySelector('.govuk-notification-banner--success') !== null`)
		b.CheckAxe(t)
		brOpen(t, b, inst.URL+"/access-requests")
		brWaitForGOVUKFrontend(t, b)
		if text := brMainText(t, b); !strings.Contains(text, "Waiting for a decision") {
			t.Errorf("the list does not show the request waiting:\n%s", text)
		}
		noSecret("list of requests")
		b.CheckAxe(t)
		brFits(t, b, width)

		// Watford's supervisor: the queue, the request's page, a decline.
		bs := open(super)
		brOpen(t, bs, inst.URL+"/approvals")
		brWaitForGOVUKFrontend(t, bs)
		brClickAndWait(t, bs, `main a[href^="/approvals/access/"]`, "the request's page", `location.pathname.startsWith('/approvals/access/')`)
		if text := brMainText(t, bs); !strings.Contains(text, "a possible match") {
			t.Errorf("the request's page does not say how they came to ask:\n%s", text)
		}
		bs.CheckAxe(t)
		brFits(t, bs, width)
		if err := chromedp.Do(bs.Ctx(), chromedp.Click(chromedp.CSS(`input[name="decision"][value="decline"]`))); err != nil {
			t.Fatal(err)
		}
		brClickAndWait(t, bs, `main form button[type="submit"]`, "the missing reason", `document.querySelector('.govuk-error-summary') !== null`)
		bs.CheckAxe(t)
		brFits(t, bs, width)
		brType(t, bs, "reason", "Not the same person (browser test)")
		brClickAndWait(t, bs, `main form button[type="submit"]`, "the queue with the flash",
			`location.pathname === '/approvals' && document.querySelector('.govuk-notification-banner--success') !== null`)
		bs.CheckAxe(t)

		b = open(worker)
		brOpen(t, b, inst.URL+"/access-requests")
		brWaitForGOVUKFrontend(t, b)
		if text := brMainText(t, b); !strings.Contains(text, "Not the same person (browser test)") {
			t.Errorf("the requester does not read why it was declined:\n%s", text)
		}
		noSecret("list of requests, declined")
		b.CheckAxe(t)
	}
}
