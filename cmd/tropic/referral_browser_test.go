package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// brClick clicks the elements by id, in order.
func brClick(t *testing.T, b *browsertest.Browser, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID(id))); err != nil {
			t.Fatalf("clicking #%s: %v", id, err)
		}
	}
}

func TestBrowserReferralFormsRecordListFiguresAndSummaryAreAccessible(t *testing.T) {
	brParallel(t)
	inst := brStartDemo(t)
	worker := brDemoAccount(t, inst, "caseworker.police@demo.tropic.example") // a first responder bound by the Duty to Notify
	b := browsertest.New(t)
	brSignIn(t, b, inst.URL, worker, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)

	ref := brNewCase(t, b, inst.URL, "Hand car wash, Hatfield (referral browser test)")
	brAddAnna(t, b, inst.URL, ref, "role") // potential victim
	brClickAndWait(t, b, `main form button[type="submit"]`, "the person on the case", `location.hash === '#people'`)
	brClickAndWait(t, b, `main .govuk-summary-card__actions a[href^="/people/"]`, "the person's page", `location.pathname.startsWith('/people/')`)
	referHref := brEvalString(t, b, `(document.querySelector('main a[href$="/referral/new"]') || {}).getAttribute?.('href') || ''`)
	if referHref == "" {
		t.Fatalf("no ‘Refer to the NRM’ link on the person's page:\n%s", brMainText(t, b))
	}

	// The consent gate, its errors, and the Duty to Notify form it leads an adult without consent to.
	brOpen(t, b, inst.URL+referHref)
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brClickAndWait(t, b, `main form button[type="submit"]`, "the error summary", `!!document.querySelector('.govuk-error-summary')`)
	b.CheckAxe(t)
	brClick(t, b, "age_group", "consent-2") // adult, no consent
	brClickAndWait(t, b, `main form button[type="submit"]`, "the Duty to Notify form", `document.querySelector('h1').innerText.includes('Duty to Notify')`)
	b.CheckAxe(t)
	if brEvalBool(t, b, `!!document.querySelector('main [name="notes"], main [name="given_name"], main [name="crime_reference"]')`) {
		t.Error("the Duty to Notify form offers a field that could identify the person")
	}
	brClick(t, b, "gender-2", "exploitation-2")
	if err := chromedp.Do(b.Ctx(), chromedp.SetValue(chromedp.ID("location"), "uk")); err != nil {
		t.Fatal(err)
	}
	brClickAndWait(t, b, `main form button[type="submit"]`, "the report", `location.pathname.startsWith('/referrals/')`)
	b.CheckAxe(t)
	if text := brMainText(t, b); !strings.Contains(text, "holds nothing that identifies the person") || strings.Contains(text, "Kowalska") {
		t.Errorf("the Duty to Notify report page:\n%s", text)
	}

	// A child goes into the NRM.
	brOpen(t, b, inst.URL+referHref)
	brWaitForGOVUKFrontend(t, b)
	brClick(t, b, "age_group-2")
	brClickAndWait(t, b, `main form button[type="submit"]`, "the NRM form", `document.querySelector('h1').innerText.includes('into the NRM')`)
	b.CheckAxe(t)
	brClick(t, b, "exploitation-2", "competent_authority")
	brType(t, b, "crime_reference", "41/BRW/26", "childrens_services", "Hertfordshire Children's Services", "notes", "Found at a welfare visit")
	if err := chromedp.Do(b.Ctx(), chromedp.SetValue(chromedp.ID("location"), "uk")); err != nil {
		t.Fatal(err)
	}
	brClickAndWait(t, b, `main form button[type="submit"]`, "the referral", `location.pathname.startsWith('/referrals/')`)
	b.CheckAxe(t)
	path := brEvalString(t, b, `location.pathname`)

	// A Conclusive Grounds decision before the Reasonable Grounds one is refused on the field.
	brClick(t, b, "decision_kind-2")
	brType(t, b, "decision_date", "2020-01-01")
	brClickAndWait(t, b, `main form[action$="/decisions"] button[type="submit"]`, "the decision's error", `!!document.querySelector('.govuk-error-summary')`)
	b.CheckAxe(t)

	// The summary, the lists and the figures.
	brOpen(t, b, inst.URL+path+"/summary")
	if text := brMainText(t, b); !strings.Contains(text, "41/BRW/26") || !strings.Contains(text, "Anna Kowalska") {
		t.Errorf("the summary lacks the referral's details:\n%s", text)
	}
	b.CheckAxe(t)
	brOpen(t, b, inst.URL+"/referrals")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brOpen(t, b, inst.URL+"/referrals?view=waiting&overdue=1")
	b.CheckAxe(t)
	brOpen(t, b, inst.URL+"/referrals/figures")
	b.CheckAxe(t)
}
