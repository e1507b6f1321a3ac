package main

import (
	"regexp"
	"strings"
	"testing"

	"tropic/internal/browsertest"
)

// Issue 12, items 2, 3 and 5 in a browser: the officer in charge reads the report
// behind their case with the reporter's later information; the officer page; the
// close page as a caseworker's request and as the supervisor's decision. Every page
// passes axe.
func TestBrowserReportsOnCasesOfficerAndClosureRequestAreAccessible(t *testing.T) {
	brParallel(t)
	inst := startDemo(t, "--cases", "6")
	m := regexp.MustCompile(`Case (C-[A-Z0-9-]+) was made from report ([A-Z0-9-]+), which the reporter added to later; case (C-[A-Z0-9-]+) waits`).
		FindStringSubmatch(inst.Stdout.String())
	if m == nil {
		t.Fatalf("the demo does not name its workflow cases:\n%s", inst.Stdout.String())
	}
	reportCase, report, closing := m[1], m[2], m[3]
	worker := brDemoAccount(t, inst, "caseworker.police@demo.tropic.example")
	supervisor := brDemoAccount(t, inst, "supervisor.police@demo.tropic.example")
	b := browsertest.New(t)

	brSignIn(t, b, inst.URL, worker, defaultDemoPassword)
	brWaitForURL(t, b, inst.URL+"/staff")

	// "My cases": the officer in charge's.
	brOpen(t, b, inst.URL+"/cases?scope=mine")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, reportCase) || !strings.Contains(text, "Cases I am officer in charge of") {
		t.Errorf("my cases do not list %s:\n%s", reportCase, text)
	}
	b.CheckAxe(t)

	// The case lists its report; the report shows the reporter's follow-up and contact.
	brOpen(t, b, inst.URL+"/cases/"+reportCase)
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "Report "+report) || !strings.Contains(text, "White Transit van (from report "+report+")") {
		t.Errorf("the case does not show its report and what it carried:\n%s", text)
	}
	brClickAndWait(t, b, `a[href="/cases/`+reportCase+`/reports/`+report+`"]`, "the report on the case", `location.pathname.endsWith('/reports/`+report+`')`)
	if text := brMainText(t, b); !strings.Contains(text, "bandaged hand") || !strings.Contains(text, "The reporter added information") ||
		!strings.Contains(text, "demo.reporter@") {
		t.Errorf("the report page lacks the follow-up or the reporter's contact:\n%s", text)
	}
	b.CheckAxe(t)

	// The officer page.
	brOpen(t, b, inst.URL+"/cases/"+reportCase+"/officer")
	brWaitForGOVUKFrontend(t, b)
	b.CheckAxe(t)

	// The caseworker sees their request waiting.
	brOpen(t, b, inst.URL+"/cases/"+closing+"/close")
	brWaitForGOVUKFrontend(t, b)
	if text := brMainText(t, b); !strings.Contains(text, "A request to close the case is waiting") {
		t.Errorf("the close page does not say a request waits:\n%s", text)
	}
	b.CheckAxe(t)

	// The supervisor decides it.
	b2 := browsertest.New(t)
	brSignIn(t, b2, inst.URL, supervisor, defaultDemoPassword)
	brWaitForURL(t, b2, inst.URL+"/staff")
	brOpen(t, b2, inst.URL+"/cases/"+closing+"/close")
	brWaitForGOVUKFrontend(t, b2)
	if text := brMainText(t, b2); !strings.Contains(text, "Decide the request to close the case") {
		t.Errorf("the supervisor is not offered the decision:\n%s", text)
	}
	b2.CheckAxe(t)
	brClickAndWait(t, b2, `#decision`, "the approve choice", `document.querySelector('#decision').checked`)
	brClickAndWait(t, b2, `main form button[type="submit"]`, "the case", `location.pathname === '/cases/`+closing+`'`)
	if text := brMainText(t, b2); !strings.Contains(text, "The request is approved and the case is closed") {
		t.Errorf("no success message:\n%s", text)
	}
	b2.CheckAxe(t)
}
