package web

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
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
	wantContains(t, page, "Possible links", "only the agency holding it is named: contact them",
		"Phone number +44 7700 900123</span> (2 other records): 1 record held by Hertfordshire Constabulary (<a class=\"govuk-link\" href=\"/cases/"+councilRef+"/access-request?agency=",
		"kind=phone&value=%2B44+7700+900123\">ask for access</a>) and 1 record held by the triage hub")
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
		"Phone number (07700) 900 123</span> (3 other records): ",
		">Report "+other.Reference+"</a>, 1 record held by Hertfordshire Constabulary and 1 record held by Watford Borough Council")
	wantContains(t, res.body, `href="`+triageReportPath(other.Reference)+`"`)
	wantNotContains(t, page, policeRef, councilRef, "police title", "Overcrowded house")
	// A triage officer who also works the police's cases sees that case itself.
	wantContains(t, e.as(e.priya).get(triageReportPath(rep.Reference)).body, `href="/cases/`+policeRef+`"`)
}

func TestLinksAreGroupedByTheIdentifierTheyShare(t *testing.T) {
	var rows []linkRow
	business := "Business name Lotus Massage Studio"
	for i := range 5 {
		ref := fmt.Sprintf("C-AAAA-AAAA-%c", 'A'+i)
		rows = append(rows, linkRow{What: business, Text: ref + ": Lotus", Href: "/cases/" + ref})
	}
	rows = append(rows,
		linkRow{What: "Phone number 07700 900921", HeldBy: "Hertfordshire County Council"},
		linkRow{What: business, HeldBy: "St Albans City and District Council"},
		linkRow{What: "Phone number 07700 900921", Text: "C-BBBB-BBBB-B: County lines", Href: "/cases/C-BBBB-BBBB-B"},
		linkRow{What: business, HeldBy: "St Albans City and District Council"},
		linkRow{What: business, Text: "C-AAAA-AAAA-A: Lotus", Href: "/cases/C-AAAA-AAAA-A"}, // the same case again
		linkRow{What: business, HeldBy: tropic.TriageHub},
	)
	got := groupLinks(rows)
	want := []linkGroup{
		{What: business, Records: 8, Folded: true, Entries: []linkEntry{
			{Text: "C-AAAA-AAAA-A: Lotus", Href: "/cases/C-AAAA-AAAA-A"},
			{Text: "C-AAAA-AAAA-B: Lotus", Href: "/cases/C-AAAA-AAAA-B", Sep: ", "},
			{Text: "C-AAAA-AAAA-C: Lotus", Href: "/cases/C-AAAA-AAAA-C", Sep: ", "},
			{Text: "C-AAAA-AAAA-D: Lotus", Href: "/cases/C-AAAA-AAAA-D", Sep: ", "},
			{Text: "C-AAAA-AAAA-E: Lotus", Href: "/cases/C-AAAA-AAAA-E", Sep: ", "},
			{Text: "2 records held by St Albans City and District Council", Sep: ", "},
			{Text: "1 record held by the triage hub", Sep: " and "},
		}},
		{What: "Phone number 07700 900921", Records: 2, Entries: []linkEntry{
			{Text: "C-BBBB-BBBB-B: County lines", Href: "/cases/C-BBBB-BBBB-B"},
			{Text: "1 record held by Hertfordshire County Council", Sep: " and "},
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups\n got %+v\nwant %+v", got, want)
	}
}

func TestCasePageGroupsPossibleLinks(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	ref := e.newCase(police, "Car wash")
	wantRedirect(t, police.post("/cases/"+ref+"/phones/new", url.Values{"number": {"07700 900123"}}), "/cases/"+ref)
	var others []string
	for i := range 4 {
		other := e.newCase(police, fmt.Sprint("Car wash ", i))
		wantRedirect(t, police.post("/cases/"+other+"/phones/new", url.Values{"number": {"07700900123"}}), "/cases/"+other)
		others = append(others, other)
	}
	page := pageText(police.get("/cases/" + ref).body)
	// One line for the phone, the four cases folded away beneath it.
	if n := strings.Count(page, `bold">Phone number 07700 900123</span>`); n != 1 {
		t.Errorf("the phone is listed %d times, want once", n)
	}
	wantContains(t, page, "Phone number 07700 900123</span> (4 other records)",
		`<span class="govuk-details__summary-text">Show the 4 records<span class="govuk-visually-hidden"> with Phone number 07700 900123</span>`,
		`<li><a class="govuk-link" href="/cases/`+others[3]+`">`+others[3]+`: Car wash 3</a></li>`)
}
