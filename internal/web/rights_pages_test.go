package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tropic/internal/auth"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// TestAnAccessRequestIsRecordedWorkedAndReleasedWithThirdPartiesRedacted walks the
// pages: the police data protection officer records a request (bad input kept), finds
// and confirms the requester, shows and redacts a third party, and releases the JSON
// package, as JSON and as a PDF for the requester; the request is on their home,
// overdue; a caseworker and another agency's officer find no such page. On both
// databases.
func TestAnAccessRequestIsRecordedWorkedAndReleasedWithThirdPartiesRedacted(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			testAccessRequestPages(t, d)
		})
	}
}

func testAccessRequestPages(t *testing.T, d store.Dialect) {
	sc := newMeetingSceneOn(t, d)
	ctx := context.Background()
	hash, err := auth.HashPassword(testPassword, testParams)
	if err != nil {
		t.Fatal(err)
	}
	user := func(a *tropic.Agency, email string, roles ...tropic.Role) *tropic.User {
		u := &tropic.User{Email: email, Name: "Person " + email, AgencyID: a.ID, Roles: roles}
		if err := sc.ts.users.CreateUser(ctx, testAdmin, u, hash); err != nil {
			t.Fatal(err)
		}
		return u
	}
	pDPO := user(sc.police, "dpo@police.example", tropic.RoleDPO)
	cDPO := user(sc.council, "dpo@council.example", tropic.RoleDPO)
	rita := &tropic.Person{GivenName: "Rita", FamilyName: "Requester"}
	tom := &tropic.Person{GivenName: "Tom", FamilyName: "Thirdparty"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(sc.ts.srv.deps.Cases.AddPerson(ctx, tropic.ActorFor(sc.pWorker), sc.caseRef, rita, tropic.RolePotentialVictim))
	must(sc.ts.srv.deps.Cases.AddPerson(ctx, tropic.ActorFor(sc.pWorker), sc.caseRef, tom, tropic.RoleSuspect))
	// A second record of hers, on a second case, with a third party whose name the
	// officer shows with a reason.
	second := &tropic.Case{Title: "Car wash welfare visit", District: "st-albans"}
	must(sc.ts.srv.deps.Cases.CreateCase(ctx, tropic.ActorFor(sc.pWorker), second, ""))
	rita2 := &tropic.Person{GivenName: "Rita", FamilyName: "Requestor", Aliases: []string{"Reet"}, DateOfBirth: "1990-04-02",
		Nationality: "Albanian", Phone: "07700 900461"}
	vera := &tropic.Person{GivenName: "Vera", FamilyName: "Visible"}
	must(sc.ts.srv.deps.Cases.AddPerson(ctx, tropic.ActorFor(sc.pWorker), second.Reference, rita2, tropic.RoleWitness))
	must(sc.ts.srv.deps.Cases.AddPerson(ctx, tropic.ActorFor(sc.pWorker), second.Reference, vera, tropic.RoleWitness))

	dpo := sc.as(t, pDPO)
	res := dpo.post("/rights", url.Values{"kind": {"access"}, "received_on": {"31/1/2026"}, "reference": {"TYPED-REF-KEPT"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#identity_verified"`) || !strings.Contains(res.body, "TYPED-REF-KEPT") {
		t.Fatalf("no identity note: got %d\n%s", res.status, brief(res.body))
	}
	res = dpo.post("/rights", url.Values{"kind": {"access"}, "received_on": {"31/1/2026"}, "identity_verified": {"Passport seen"}, "reference": {"SAR-7"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/rights/") {
		t.Fatalf("record: got %d\n%s", res.status, brief(res.body))
	}
	path := res.location()
	if page := dpo.get(path); !strings.Contains(page.body, "28 February 2026") {
		t.Fatalf("deadline not shown:\n%s", brief(page.body))
	}
	if page := dpo.get(path + "?name=rita"); !strings.Contains(page.body, "Rita Requester") || strings.Contains(page.body, "Tom Thirdparty") {
		t.Fatalf("search:\n%s", brief(page.body))
	}
	for _, p := range []*tropic.Person{rita, rita2} {
		res = dpo.post(path+"/people", url.Values{"person": {strconv.FormatInt(p.ID, 10)}, "confirm": {"yes"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("confirm: got %d\n%s", res.status, brief(res.body))
		}
	}
	if res := dpo.post(path+"/redaction", url.Values{"person": {strconv.FormatInt(vera.ID, 10)}, "redact": {"no"}, "reason": {"Asked to be named"}}); res.status != http.StatusSeeOther {
		t.Fatalf("show Vera: got %d", res.status)
	}
	page := dpo.get(path)
	if !strings.Contains(page.body, "Tom Thirdparty") || !strings.Contains(page.body, "Redacted") || !strings.Contains(page.body, sc.caseRef) {
		t.Fatalf("review:\n%s", brief(page.body))
	}
	tomID := strconv.FormatInt(tom.ID, 10)
	res = dpo.post(path+"/redaction", url.Values{"person": {tomID}, "redact": {"no"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#redact-`+tomID+`-reason"`) {
		t.Fatalf("show a name without reason: got %d\n%s", res.status, brief(res.body))
	}
	if res := dpo.post(path+"/redaction", url.Values{"person": {tomID}, "redact": {"no"}, "reason": {"In her own statement"}}); res.status != http.StatusSeeOther {
		t.Fatalf("show: got %d", res.status)
	}
	if res := dpo.post(path+"/redaction", url.Values{"person": {tomID}, "redact": {"yes"}}); res.status != http.StatusSeeOther {
		t.Fatalf("redact: got %d", res.status)
	}
	// Others find no such request, nor its package.
	for _, u := range []*tropic.User{sc.pWorker, sc.pSup, cDPO} {
		c := sc.as(t, u)
		if res := c.get(path); res.status != http.StatusNotFound {
			t.Errorf("%s GET %s: got %d", u.Email, path, res.status)
		}
		// Another agency's officer lists only their own agency's requests.
		if res := c.get("/rights"); (u == cDPO) != (res.status == http.StatusOK) || strings.Contains(res.body, "SAR-7") {
			t.Errorf("%s GET /rights: got %d", u.Email, res.status)
		}
		if res := c.post(path+"/release", url.Values{}); res.status != http.StatusNotFound || strings.Contains(res.body, "Rita") {
			t.Errorf("%s releases: got %d", u.Email, res.status)
		}
	}
	home := dpo.get("/staff")
	if !strings.Contains(home.body, "Rights requests") || !strings.Contains(home.body, "Overdue") {
		t.Errorf("home lacks the overdue request:\n%s", brief(home.body))
	}
	// The PDF for the requester: every record about her, by kind; Tom redacted, Vera
	// shown with the reason; its release audited as the JSON's is.
	res = dpo.post(path+"/release", url.Values{"format": {"pdf"}})
	if res.status != http.StatusOK || !strings.HasPrefix(res.body, "%PDF") || res.header.Get("Content-Type") != "application/pdf" ||
		res.header.Get("Cache-Control") != "no-store" || !strings.Contains(res.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("release as PDF: got %d %v\n%s", res.status, res.header, brief(res.body))
	}
	wantContains(t, res.body, sc.police.Name, "SAR-7", "31 January 2026", "28 February 2026", "Your personal details: record 1 of 2",
		"Your personal details: record 2 of 2", "Rita", "Requester", "Requestor", "Reet", "2 April 1990", "Albanian", "07700 900461",
		"Cases you are named on", sc.caseRef, sceneSecretTitle, second.Reference, "Car wash welfare visit", tropic.RedactedThirdParty,
		"Vera Visible", "Asked to be named")
	if strings.Contains(res.body, "Tom") || strings.Contains(res.body, "Thirdparty") {
		t.Errorf("the PDF names the redacted third party")
	}
	if got := sc.ts.auditActions(tropic.AuditFilter{Action: "rights.released"}); len(got) != 1 || !strings.Contains(got[0], "2 person records") {
		t.Errorf("the PDF's release audited as %q", got)
	}
	res = dpo.post(path+"/release", url.Values{"format": {"json"}})
	if res.status != http.StatusOK || !strings.Contains(res.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("release: got %d\n%s", res.status, brief(res.body))
	}
	if !strings.Contains(res.body, "Rita") || !strings.Contains(res.body, tropic.RedactedThirdParty) || strings.Contains(res.body, "Tom") {
		t.Fatalf("package:\n%s", res.body)
	}
	if page := dpo.get(path); !strings.Contains(page.body, "Package released by") {
		t.Fatalf("release not shown:\n%s", brief(page.body))
	}
	// Releasing the package is an export of personal data: signed in longer ago than
	// the re-authentication window, the officer confirms who they are first and comes
	// back to the request; another agency's officer still finds no such request.
	other := sc.as(t, cDPO)
	sc.ts.clock.Advance(sc.ts.cfg.ReauthWindow)
	if res := other.post(path+"/release", url.Values{}); res.status != http.StatusNotFound {
		t.Errorf("another agency's officer, signed in long ago, releases: got %d to %q", res.status, res.location())
	}
	wantRedirect(t, dpo.post(path+"/release", url.Values{"format": {"json"}}), "/account/confirm?next="+url.QueryEscape(path))
	if got := sc.ts.auditActions(tropic.AuditFilter{Action: "rights.released"}); len(got) != 2 {
		t.Errorf("a release without a recent proof was audited: %q", got)
	}
	wantRedirect(t, dpo.post("/account/confirm", url.Values{"password": {testPassword}, "next": {path}}), path)
	if res := dpo.post(path+"/release", url.Values{"format": {"json"}}); res.status != http.StatusOK || !strings.Contains(res.body, "Rita") {
		t.Errorf("release after confirming: got %d\n%s", res.status, brief(res.body))
	}
}

// The PDF's layout prints a third party marked redacted as redacted even when the
// package still carries the name (as the officer's review does), and a shown name with
// its reason.
func TestTheAccessRequestPDFNeverNamesARedactedThirdParty(t *testing.T) {
	pkg := &tropic.RightsPackage{RequestID: 3, Agency: "Testshire Police", ReceivedOn: "2026-11-18", Deadline: "2026-12-18",
		Subjects: []tropic.RightsSubject{{GivenName: "Rita", FamilyName: "Requester", Cases: []tropic.RightsCase{{Reference: "C-1", Title: "Nail bar",
			OpenedOn: "2026-01-02", Role: "Potential victim", ThirdParties: []tropic.RightsThirdParty{
				{Name: "Tom Hidden", Role: "Suspect", Redacted: true}, {Name: "Vera Shown", Role: "Witness", Reason: "Asked to be named"}}}}}}}
	var text []string
	for _, sec := range rightsSections(pkg) {
		for _, row := range sec.Rows {
			text = append(append(text, row.Key), row.Values...)
		}
	}
	all := strings.Join(text, "\n")
	if strings.Contains(all, "Tom") || !strings.Contains(all, tropic.RedactedThirdParty) || !strings.Contains(all, "Vera Shown") ||
		!strings.Contains(all, "Asked to be named") || !strings.Contains(all, "Rita") {
		t.Errorf("the PDF's text:\n%s", all)
	}
}
