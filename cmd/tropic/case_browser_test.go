package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tropic/internal/browsertest"
)

// brClickAndWait clicks the element sel and waits until expr holds on the next page.
func brClickAndWait(t *testing.T, b *browsertest.Browser, sel, what, expr string) {
	t.Helper()
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
	brWaitFor(t, b, what, expr+` && document.readyState === 'complete'`)
	brWaitForGOVUKFrontend(t, b)
}

// brType types into the fields by id: id, text, id, text...
func brType(t *testing.T, b *browsertest.Browser, pairs ...string) {
	t.Helper()
	var actions []chromedp.Action[chromedp.Void]
	for i := 0; i+1 < len(pairs); i += 2 {
		actions = append(actions, chromedp.SendKeys(chromedp.ID(pairs[i]), pairs[i+1]))
	}
	if err := chromedp.Do(b.Ctx(), actions...); err != nil {
		t.Fatalf("typing into %v: %v", pairs, err)
	}
}

// brNewCase creates a case through the form and returns its reference.
func brNewCase(t *testing.T, b *browsertest.Browser, base, title string) string {
	t.Helper()
	brOpen(t, b, base+"/cases/new")
	brWaitForGOVUKFrontend(t, b)
	brType(t, b, "title", title)
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID("exploitation-2"))); err != nil { // labour
		t.Fatal(err)
	}
	brClickAndWait(t, b, `main form button[type="submit"]`, "the new case", `location.pathname.startsWith('/cases/C-')`)
	return strings.TrimPrefix(brEvalString(t, b, `location.pathname`), "/cases/")
}

// brAddAnna fills in the new person form for the case with the same made-up person.
func brAddAnna(t *testing.T, b *browsertest.Browser, base, ref, roleID string) {
	t.Helper()
	brOpen(t, b, base+"/cases/"+ref+"/people/new")
	brWaitForGOVUKFrontend(t, b)
	if err := chromedp.Do(b.Ctx(), chromedp.Click(chromedp.ID(roleID))); err != nil {
		t.Fatal(err)
	}
	brType(t, b, "given_name", "Anna", "family_name", "Kowalska", "date_of_birth", "1998-04-27", "phone", "07700 900456",
		"immigration_status", "Asylum claim pending (browser test)")
}

func TestBrowserCasePagesShareFlowAndVictimToSuspectApprovalAreAccessible(t *testing.T) {
	brParallel(t)
	inst := startDemo(t, "--reports-per-year", "0")
	worker := brDemoAccount(t, inst, "caseworker.police@demo.tropic.example")
	supervisor := brDemoAccount(t, inst, "supervisor.police@demo.tropic.example")
	b := browsertest.New(t)

	brSignIn(t, b, inst.URL, worker, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brWaitForGOVUKFrontend(t, b)

	// The cases list, reached from the service navigation.
	brClickAndWait(t, b, `.govuk-service-navigation a[href="/cases"]`, "the cases list", `location.pathname === '/cases'`)
	if cur := brEvalString(t, b, `document.querySelector('.govuk-tabs__list-item--selected a').innerText`); cur != "Our cases" {
		t.Errorf("the current tab is %q, want Our cases", cur)
	}
	b.CheckAxe(t)

	// A case, and a person on it.
	ref1 := brNewCase(t, b, inst.URL, "Car wash on Victoria Street (browser test)")
	if !strings.Contains(brMainText(t, b), "Case "+ref1+" has been created") {
		t.Errorf("no success message on the new case:\n%s", brMainText(t, b))
	}
	brAddAnna(t, b, inst.URL, ref1, "role") // potential victim
	brClickAndWait(t, b, `main form button[type="submit"]`, "the person on the case", `location.hash === '#people'`)
	b.CheckAxe(t)

	// The same person on a second case: the matches step offers the existing record.
	ref2 := brNewCase(t, b, inst.URL, "Burglaries, Stevenage (browser test)")
	brAddAnna(t, b, inst.URL, ref2, "role-2") // suspect
	brClickAndWait(t, b, `main form button[type="submit"]`, "the possible matches", `document.querySelector('h1').innerText.includes('already recorded')`)
	b.CheckAxe(t)
	if !brEvalBool(t, b, `(() => {
		const hint = [...document.querySelectorAll('.govuk-radios__hint')].find(h => h.innerText.includes('`+ref1+`'));
		if (!hint) return false;
		document.getElementById(hint.id.replace('-item-hint', '')).click();
		return true;
	})()`) {
		t.Fatalf("the matches do not offer the record on %s:\n%s", ref1, brMainText(t, b))
	}
	brClickAndWait(t, b, `main form button[type="submit"]`, "the existing person on the case", `location.hash === '#people'`)
	text := brMainText(t, b)
	if !strings.Contains(text, "No duplicate was made") || !strings.Contains(text, "is a potential victim on another case held by") {
		t.Errorf("the second case does not show the linked record and the s.45 notice:\n%s", text)
	}
	b.CheckAxe(t)

	// Share the case: the form, its error summary, and the request sent.
	brOpen(t, b, inst.URL+"/cases/"+ref2+"/share")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)
	brClickAndWait(t, b, `main form button[type="submit"]`, "the error summary", `!!document.querySelector('.govuk-error-summary')`)
	brWaitFor(t, b, "focus on the error summary", `document.activeElement && document.activeElement.classList.contains('govuk-error-summary')`)
	b.CheckAxe(t)
	if err := chromedp.Do(b.Ctx(),
		chromedp.SetValue(chromedp.ID("agency"), brEvalString(t, b, `document.querySelector('#agency option:nth-child(2)').value`)),
		chromedp.Click(chromedp.ID("scope-2")),
		chromedp.Click(chromedp.ID("lawful_basis")),
		chromedp.SendKeys(chromedp.ID("reason"), "Joint visit with the council"),
		chromedp.SendKeys(chromedp.ID("agreement_reason"), "No agreement in the register covers this visit"),
	); err != nil {
		t.Fatal(err)
	}
	brClickAndWait(t, b, `main form button[type="submit"]`, "the share requested", `!!document.querySelector('.govuk-notification-banner--success')`)
	if text := brMainText(t, b); !strings.Contains(text, "has been sent to a supervisor") || !strings.Contains(text, "Awaiting a supervisor") {
		t.Errorf("the share request is not shown:\n%s", text)
	}

	// Ask for the potential victim on the first case to be treated as a suspect.
	brOpen(t, b, inst.URL+"/cases/"+ref1)
	brClickAndWait(t, b, `main .govuk-summary-card__actions a[href^="/people/"]`, "the person's page", `location.pathname.startsWith('/people/')`)
	b.CheckAxe(t)
	prefix := brEvalString(t, b, `(() => {
		const h = [...document.querySelectorAll('.govuk-summary-card__title a')].find(a => a.innerText === '`+ref1+`');
		return h.closest('.govuk-summary-card').querySelector('select').id.replace('role', '');
	})()`)
	if err := chromedp.Do(b.Ctx(),
		chromedp.SetValue(chromedp.ID(prefix+"role"), "suspect"),
		chromedp.SendKeys(chromedp.ID(prefix+"reason"), "Seen directing the others (browser test)"),
	); err != nil {
		t.Fatal(err)
	}
	link := strings.TrimSuffix(strings.TrimPrefix(prefix, "link-"), "-")
	brClickAndWait(t, b, `form[action$="/cases/`+link+`/role"] button[type="submit"]`, "the request sent", `!!document.querySelector('.govuk-notification-banner--success')`)
	if text := brMainText(t, b); !strings.Contains(text, "needs a supervisor’s approval") {
		t.Errorf("the change was not turned into a request:\n%s", text)
	}

	// The supervisor approves it.
	brClickAndWait(t, b, `form[action="/logout"] button`, "signed out", `!document.querySelector('form[action="/logout"]')`)
	brSignIn(t, b, inst.URL, supervisor, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")
	brOpen(t, b, inst.URL+"/cases/role-changes")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "Anna Kowalska: Potential victim to Suspect") || !strings.Contains(text, "Seen directing the others") {
		t.Fatalf("the request is not on the supervisor's page:\n%s", text)
	}
	b.CheckAxe(t)
	brClickAndWait(t, b, `main form button[value="approve"]`, "the approval", `!!document.querySelector('.govuk-notification-banner--success')`)
	if text := brMainText(t, b); !strings.Contains(text, "You approved the change of role") {
		t.Errorf("no approval message:\n%s", text)
	}
	b.CheckAxe(t)

	// The supervisor's view of the shared case: the request to decide, and who has seen it.
	brOpen(t, b, inst.URL+"/cases/"+ref2)
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "Who has seen this record") || !strings.Contains(text, "Awaiting a supervisor") {
		t.Errorf("the supervisor does not see the access log and the share to decide:\n%s", text)
	}
	b.CheckAxe(t)

	// Only the 422 of the share form with problems may show as a failed load.
	for _, m := range b.ConsoleErrors() {
		if m.Source == "network" && strings.Contains(m.Text, "422") {
			continue
		}
		t.Errorf("browser problem: %s", m)
	}
}
