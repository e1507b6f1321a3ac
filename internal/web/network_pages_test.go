package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

// phoneCases makes a police case and a council case with the same phone typed two
// ways, and a second police case with it too; it returns their references.
func phoneCases(e *caseEnv) (police, council, police2 string) {
	e.t.Helper()
	pw := e.as(e.worker)
	police = e.newCase(pw, "Sparkle car wash (police title)")
	wantRedirect(e.t, pw.post("/cases/"+police+"/phones/new", url.Values{"number": {"07700 900123"}}), "/cases/"+police)
	e.addPerson(pw, police, anna)
	cw := e.as(e.cWorker)
	council = e.newCase(cw, "Overcrowded house (council title)")
	wantRedirect(e.t, cw.post("/cases/"+council+"/phones/new", url.Values{"number": {"+44 7700 900123"}}), "/cases/"+council)
	e.addPerson(cw, council, url.Values{"role": {"witness"}, "given_name": {"Wiktor"}, "family_name": {"Zielinski"}})
	police2 = e.newCase(pw, "Van seen at the car wash")
	wantRedirect(e.t, pw.post("/cases/"+police2+"/phones/new", url.Values{"number": {"(07700) 900 123"}}), "/cases/"+police2)
	return police, council, police2
}

func TestCaseNetworkReachesOtherCasesThroughASharedPhone(t *testing.T) {
	e := newCaseEnv(t)
	policeRef, councilRef, police2 := phoneCases(e)
	police := e.as(e.worker)

	res := police.get("/cases/" + policeRef + "/network")
	wantStatus(t, res, http.StatusOK)
	page := pageText(res.body)
	wantContains(t, page, "How this case connects to other records", "records, ", "connections.",
		// The other police case, reached through the phone, is named and linked.
		`href="/cases/`+police2+`"`, police2,
		// The council's case is drawn but says only who holds it.
		"Held by Watford Borough Council", "Case, held by Watford Borough Council",
		// The SVG: labelled, with links by keyboard and titles.
		`<svg class="app-network" id="network"`, `aria-labelledby="network-title"`, `<a class="app-network__link" href="/cases/`+police2+`"><title>Case `+police2,
		`<a class="app-network__link" href="/people/`, "<title>Person Anna Kowalska</title>",
		// The key, and the tables.
		"Key", "Case (square)", "Person (circle)", "Phone number (triangle)", "dashed outline",
		"The records in the network", "The connections", "Why")
	wantNotContains(t, page, councilRef, "council title", "Wiktor", "Zielinski")
	if !strings.Contains(page, `<option value="2" selected>`) {
		t.Error("the default depth is not 2")
	}
	if got := e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditNetworkViewed}); len(got) == 0 {
		t.Error("viewing the network wrote no audit event")
	}

	// A case two steps away: sharing a vehicle with the second case. One step does
	// not reach it; the default two do, and so does a depth out of range.
	wantRedirect(t, police.post("/cases/"+police2+"/vehicles/new", url.Values{"registration": {"AB12 CDE"}}), "/cases/"+police2)
	police3 := e.newCase(police, "Van stopped on the A1")
	wantRedirect(t, police.post("/cases/"+police3+"/vehicles/new", url.Values{"registration": {"ab12cde"}}), "/cases/"+police3)
	page = pageText(police.get("/cases/" + policeRef + "/network?depth=1").body)
	wantContains(t, page, `<option value="1" selected>`, police2)
	wantNotContains(t, page, police3)
	page = pageText(police.get("/cases/" + policeRef + "/network").body)
	wantContains(t, page, police3, "Vehicle AB12 CDE")
	wantContains(t, pageText(police.get("/cases/"+policeRef+"/network?depth=9").body), `<option value="2" selected>`, police3)

	// Shared, the council's case is named.
	e.shareAs(e.cSuper, councilRef, e.police, tropic.ShareWithoutSensitive)
	wantContains(t, pageText(police.get("/cases/"+policeRef+"/network").body), `href="/cases/`+councilRef+`"`)

	// A case the user may not see is the missing page, and so is the network of one
	// that does not exist.
	council := e.as(e.cWorker)
	wantMissing(t, council, council.get("/cases/"+policeRef+"/network"))
	wantMissing(t, council, council.get("/cases/C-ZZZZ-ZZZZ-Z/network"))
	// The case page links to its network.
	wantContains(t, police.get("/cases/"+policeRef).body, `href="/cases/`+policeRef+`/network"`)
}

func TestAnalystNetworkIsPseudonymisedAndForAnalystsOnly(t *testing.T) {
	e := newCaseEnv(t)
	policeRef, councilRef, police2 := phoneCases(e)

	analyst := e.as(e.analyst)
	res := analyst.get("/analysis/network")
	wantStatus(t, res, http.StatusOK)
	page := pageText(res.body)
	wantContains(t, page, "Network of records", "Group 1: ", "Cases held by", "Hertfordshire Constabulary", "Watford Borough Council",
		"Pseudonym", `<svg class="app-network" id="group-1"`, `role="img" aria-labelledby="group-1-title"`)
	wantNotContains(t, page, policeRef, councilRef, police2, "Anna", "Kowalska", "Wiktor", "7700", "900123", "+44",
		"car wash", "council title", "police title", `href="/cases`, `href="/people`)
	// Offered in the analyst's navigation.
	wantContains(t, res.body, `href="/analysis/network" aria-current="page">Network</a>`)
	if got := e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditAnalystNetwork}); len(got) == 0 {
		t.Error("viewing the analysts' network wrote no audit event")
	}

	// Anyone else gets the missing page, byte for byte, and is not offered it.
	for _, u := range []*tropic.User{e.worker, e.super, e.tom, e.cSuper} {
		c := e.as(u)
		res := c.get("/analysis/network")
		wantMissing(t, c, res)
		wantNotContains(t, c.get("/staff").body, `href="/analysis/network"`)
	}
	// Signed out: to the sign-in page.
	if res := e.ts.client(t).get("/analysis/network"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/login") {
		t.Errorf("signed out: got %d to %q, want a redirect to sign in", res.status, res.location())
	}
}

func TestTriageQueueSaysWhichCasesAReportMatches(t *testing.T) {
	e := newCaseEnv(t)
	policeRef, councilRef, _ := phoneCases(e)
	rep := e.report(0, func(r *tropic.Report) { r.Phones = []tropic.Phone{{Number: "07700900123"}} })
	lone := e.report(0, func(r *tropic.Report) { r.Phones = []tropic.Phone{{Number: "07700900999"}} })
	for _, id := range []int64{rep.ID, lone.ID} {
		if err := e.ts.srv.deps.Matches.RefreshReportMatches(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}

	// A triage officer who works the police's cases sees those cases by reference;
	// the council's is told only by who holds it.
	res := e.as(e.priya).get("/triage")
	page := pageText(res.body)
	wantContains(t, page, `<a class="govuk-link app-nowrap" href="/cases/`+policeRef+`">Matches `+policeRef+`</a>`,
		"Matches a case held by Watford Borough Council")
	wantNotContains(t, page, councilRef)
	// The council's triage officer, who works no cases, sees only who holds them.
	page = pageText(e.as(e.tom).get("/triage").body)
	wantContains(t, page, "Matches a case held by Hertfordshire Constabulary")
	wantNotContains(t, page, policeRef, councilRef)
	// The report that matches nothing says nothing.
	row := page[strings.Index(page, lone.Reference):]
	if i := strings.Index(row, "</tr>"); i >= 0 && strings.Contains(row[:i], "Matches") {
		t.Errorf("a report matching nothing says it matches:\n%s", row[:i])
	}
}
