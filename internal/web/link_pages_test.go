package web

import (
	"net/url"
	"testing"

	"tropic/internal/tropic"
)

// The same phone typed three ways on a police case, a council case and a public
// report links all three; each user sees the other side only if they may.
func TestLinksShowTheOtherSideOnlyWhenPermitted(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	policeRef := e.newCase(police, "Sparkle car wash (police title)")
	wantRedirect(t, police.post("/cases/"+policeRef+"/phones/new", url.Values{"number": {"07700 900123"}}), "/cases/"+policeRef)
	council := e.as(e.cWorker)
	councilRef := e.newCase(council, "Overcrowded house")
	wantRedirect(t, council.post("/cases/"+councilRef+"/phones/new", url.Values{"number": {"+44 7700 900123"}}), "/cases/"+councilRef)
	rep := e.report(0, func(r *tropic.Report) { r.Phones = []tropic.Phone{{Number: "(07700) 900 123"}} })
	other := e.report(0, func(r *tropic.Report) { r.Phones = []tropic.Phone{{Number: "07700900123"}} })

	page := pageText(council.get("/cases/" + councilRef).body)
	wantContains(t, page, "Possible links",
		"Phone number +44 7700 900123: a match exists in a record held by Hertfordshire Constabulary: contact them",
		"Phone number +44 7700 900123: a match exists in a record held by the triage hub: contact them")
	wantNotContains(t, page, policeRef, "police title", rep.Reference, other.Reference)
	if got := e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditCaseLinksViewed}); len(got) == 0 {
		t.Error("viewing links wrote no case.links_viewed audit event")
	}

	// After a share, the police case is linked by reference and title.
	e.share(policeRef, e.council, tropic.ShareWithoutSensitive)
	body := council.get("/cases/" + councilRef).body
	wantContains(t, body, `href="/cases/`+policeRef+`"`)
	wantContains(t, pageText(body), policeRef+": Sparkle car wash (police title)")

	// Triage sees on the report who holds the cases, and the other report itself.
	triage := e.as(e.tom) // triage alone: sees reports, no cases
	res := triage.get(triageReportPath(rep.Reference))
	page = pageText(res.body)
	wantContains(t, page, "Matches",
		"Phone number (07700) 900 123: a match exists in a record held by Hertfordshire Constabulary: contact them",
		"Phone number (07700) 900 123: a match exists in a record held by Watford Borough Council: contact them",
		"Report "+other.Reference)
	wantContains(t, res.body, `href="`+triageReportPath(other.Reference)+`"`)
	wantNotContains(t, page, policeRef, councilRef, "police title", "Overcrowded house")
	// A triage officer who also works the police's cases sees that case itself.
	wantContains(t, e.as(e.priya).get(triageReportPath(rep.Reference)).body, `href="/cases/`+policeRef+`"`)
}
