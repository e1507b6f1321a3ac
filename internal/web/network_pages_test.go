package web

import (
	"context"
	"fmt"
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
	if !strings.Contains(page, `<option value="1" selected>`) {
		t.Error("the default depth is not 1")
	}
	// The drawing scrolls sideways on a narrow screen, and the keyboard can scroll it.
	wantContains(t, page, `<div class="app-network-scroll" tabindex="0" role="region" aria-label="Network of case `+policeRef+`: the drawing`)
	// Connections name this case the same way, and link what the user may open.
	wantContains(t, page, `<a class="govuk-link" href="/cases/`+policeRef+`">Case `+policeRef+`: Sparkle car wash (police title) (this case)</a>`)
	wantNotContains(t, page, "(this record)", "Nothing else connects to this case")
	if got := e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditNetworkViewed}); len(got) == 0 {
		t.Error("viewing the network wrote no audit event")
	}

	// A case two steps away: sharing a vehicle with the second case. One step (the
	// default, and what a depth out of range means) does not reach it; two do.
	wantRedirect(t, police.post("/cases/"+police2+"/vehicles/new", url.Values{"registration": {"AB12 CDE"}}), "/cases/"+police2)
	police3 := e.newCase(police, "Van stopped on the A1")
	wantRedirect(t, police.post("/cases/"+police3+"/vehicles/new", url.Values{"registration": {"ab12cde"}}), "/cases/"+police3)
	page = pageText(police.get("/cases/" + policeRef + "/network").body)
	wantContains(t, page, `<option value="1" selected>`, police2)
	wantNotContains(t, page, police3)
	page = pageText(police.get("/cases/" + policeRef + "/network?depth=2").body)
	wantContains(t, page, `<option value="2" selected>`, police3, "Vehicle AB12 CDE", "Recorded on case "+police2)
	wantContains(t, pageText(police.get("/cases/"+policeRef+"/network?depth=9").body), `<option value="1" selected>`)

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
	wantContains(t, page, "Network of records", "The records read form 1 group of connected records.", "Group 1: ",
		"3 cases, 2 people and 1 phone number; cases held by Hertfordshire Constabulary and Watford Borough Council.",
		"Pseudonym", `<svg class="app-network" id="group-1"`, `role="img" aria-labelledby="group-1-title"`,
		// The tables are folded away.
		`<details class="govuk-details">`, "Show the table of 6 records")
	wantNotContains(t, page, policeRef, councilRef, police2, "Anna", "Kowalska", "Wiktor", "7700", "900123", "+44",
		"Sparkle car wash", "council title", "police title", `href="/cases`, `href="/people`)
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
	wantContains(t, page, `<strong class="govuk-tag govuk-tag--purple app-nowrap">Matches 3 cases</strong>`,
		`<span class="govuk-visually-hidden"> that report `+rep.Reference+` matches</span>`,
		`<li><a class="govuk-link app-nowrap" href="/cases/`+policeRef+`">`+policeRef+`</a></li>`,
		"<li>A case held by Watford Borough Council: contact them</li>",
		// The reference is never broken across lines.
		`<a class="govuk-link app-nowrap" href="/triage/reports/`+rep.Reference+`">`)
	wantNotContains(t, page, councilRef)
	// The council's triage officer, who works no cases, sees only who holds them.
	page = pageText(e.as(e.tom).get("/triage").body)
	wantContains(t, page, "Matches 2 cases", "<li>A case held by Hertfordshire Constabulary: contact them</li>")
	wantNotContains(t, page, policeRef, councilRef)
	// The report that matches nothing says nothing.
	row := page[strings.Index(page, lone.Reference):]
	if i := strings.Index(row, "</tr>"); i >= 0 && strings.Contains(row[:i], "Matches") {
		t.Errorf("a report matching nothing says it matches:\n%s", row[:i])
	}
}

func TestCaseNetworkSaysWhenNothingElseConnects(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	ref := e.newCase(police, "A case of its own")
	wantRedirect(t, police.post("/cases/"+ref+"/phones/new", url.Values{"number": {"07700 900555"}}), "/cases/"+ref)
	e.addPerson(police, ref, anna)
	page := pageText(police.get("/cases/" + ref + "/network").body)
	wantContains(t, page, "Nothing else connects to this case through its people, phones, vehicles, places or businesses.",
		// Its own people and phone are still drawn and listed.
		"Phone number 07700 900555", "Recorded on this case", "Anna Kowalska")
	wantNotContains(t, page, "The network is larger than this")
}

func TestCaseNetworkLargerThanTheDrawingShowsTheNearestRecords(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	// The first case has two phones; the others one each, half of them the one and
	// half the other (the store follows up to 50 records from one identifier).
	var refs []string
	for i := range caseNetworkLimit + 2 {
		ref := e.newCase(police, fmt.Sprint("Car wash ", i))
		for j, phone := range []string{"07700 900777", "07700 900778"} {
			if i == 0 || i%2 == j {
				wantRedirect(t, police.post("/cases/"+ref+"/phones/new", url.Values{"number": {phone}}), "/cases/"+ref)
			}
		}
		refs = append(refs, ref)
	}
	// One step from the case already reaches more cases than the drawing holds:
	// fewer steps would not help, so the page does not suggest them.
	page := pageText(police.get("/cases/" + refs[0] + "/network").body)
	wantContains(t, page, "The network is larger than this: the drawing shows the records nearest the case.", refs[0])
	wantNotContains(t, page, "Choose fewer steps")
	svg := page[strings.Index(page, `<svg class="app-network"`):]
	svg = svg[:strings.Index(svg, "</svg>")]
	if n := strings.Count(svg, `class="app-network__node `); n != caseNetworkLimit {
		t.Errorf("%d nodes drawn, want %d", n, caseNetworkLimit)
	}
	wantContains(t, pageText(police.get("/cases/"+refs[0]+"/network?depth=2").body), "Choose fewer steps")
}

func TestAnalystNetworkShowsTheFiveLargestGroups(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	// Seven pairs of cases, each pair sharing its own phone; the first pair shares a
	// vehicle with a third case too.
	for i := range 7 {
		phone := fmt.Sprintf("07700 90010%d", i)
		for j := range 2 {
			ref := e.newCase(police, fmt.Sprint("Pair ", i, " case ", j))
			wantRedirect(t, police.post("/cases/"+ref+"/phones/new", url.Values{"number": {phone}}), "/cases/"+ref)
			if i == 0 && j == 1 {
				wantRedirect(t, police.post("/cases/"+ref+"/vehicles/new", url.Values{"registration": {"AB12 CDE"}}), "/cases/"+ref)
			}
		}
	}
	third := e.newCase(police, "Third case")
	wantRedirect(t, police.post("/cases/"+third+"/vehicles/new", url.Values{"registration": {"AB12CDE"}}), "/cases/"+third)

	page := pageText(e.as(e.analyst).get("/analysis/network").body)
	wantContains(t, page, "The records read form 7 groups of connected records: the 5 largest are shown.",
		"Group 1: 5 records, 4 connections", "3 cases, 1 phone number and 1 vehicle; cases held by Hertfordshire Constabulary.",
		"Group 5: 3 records, 2 connections", `id="group-5"`)
	wantNotContains(t, page, `id="group-6"`, "Group 6")
}
