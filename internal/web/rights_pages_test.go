package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tropic/internal/auth"
	"tropic/internal/tropic"
)

// TestAnAccessRequestIsRecordedWorkedAndReleasedWithThirdPartiesRedacted walks the
// pages: the police data protection officer records a request (bad input kept), finds
// and confirms the requester, shows and redacts a third party, and releases the JSON
// package; the request is on their home, overdue; a caseworker and another agency's
// officer find no such page.
func TestAnAccessRequestIsRecordedWorkedAndReleasedWithThirdPartiesRedacted(t *testing.T) {
	sc := newMeetingScene(t)
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
	res = dpo.post(path+"/people", url.Values{"person": {strconv.FormatInt(rita.ID, 10)}, "confirm": {"yes"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("confirm: got %d\n%s", res.status, brief(res.body))
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
	res = dpo.post(path+"/release", url.Values{})
	if res.status != http.StatusOK || !strings.Contains(res.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("release: got %d\n%s", res.status, brief(res.body))
	}
	if !strings.Contains(res.body, "Rita") || !strings.Contains(res.body, tropic.RedactedThirdParty) || strings.Contains(res.body, "Tom") {
		t.Fatalf("package:\n%s", res.body)
	}
	if page := dpo.get(path); !strings.Contains(page.body, "Package released by") {
		t.Fatalf("release not shown:\n%s", brief(page.body))
	}
}
