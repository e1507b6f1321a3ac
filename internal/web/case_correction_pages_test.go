package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"tropic/internal/tropic"
)

// itemID reads the id of the first item of part on the case's correction list.
func (e *caseEnv) itemID(c *client, ref, part string) string {
	e.t.Helper()
	res := c.get("/cases/" + ref + "/items")
	wantStatus(e.t, res, http.StatusOK)
	m := regexp.MustCompile(`/` + part + `/(\d+)/edit`).FindStringSubmatch(res.body)
	if m == nil {
		e.t.Fatalf("no %s to change on the list:\n%s", part, pageText(res.body))
	}
	return m[1]
}

// A phone corrected by the police stops linking their case to the council's at once;
// the council sees the link withdrawn, not silently gone.
func TestACorrectedPhoneShowsTheOtherAgencyTheLinkWithdrawn(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	policeRef := e.newCase(police, "Sparkle car wash (police title)")
	wantRedirect(t, police.post("/cases/"+policeRef+"/phones/new", url.Values{"number": {"07700 900123"}}), "/cases/"+policeRef)
	council := e.as(e.cWorker)
	councilRef := e.newCase(council, "Overcrowded house")
	wantRedirect(t, council.post("/cases/"+councilRef+"/phones/new", url.Values{"number": {"07700900123"}}), "/cases/"+councilRef)
	wantContains(t, pageText(council.get("/cases/"+councilRef).body), "1 other record): 1 record held by Hertfordshire Constabulary")

	id := e.itemID(police, policeRef, "phones")
	res := police.post("/cases/"+policeRef+"/phones/"+id+"/edit", url.Values{"number": {"07700 900999"}, "version": {"1"}})
	wantRedirect(t, res, "/cases/"+policeRef)
	wantContains(t, pageText(police.get("/cases/"+policeRef).body), "The phone number has been changed.", "07700 900999")

	page := pageText(council.get("/cases/" + councilRef).body)
	wantContains(t, page, "Link withdrawn", "the link to a record held by Hertfordshire Constabulary was withdrawn on", "(the other record was corrected)")
	wantNotContains(t, page, "1 record held by Hertfordshire Constabulary", policeRef, "police title")
	// The council cannot reach the police's phone through its own case, or the police's.
	wantStatus(t, council.get("/cases/"+policeRef+"/phones/"+id+"/edit"), http.StatusNotFound)
	wantStatus(t, council.get("/cases/"+councilRef+"/phones/"+id+"/edit"), http.StatusNotFound)
}

// A save over a colleague's newer one is refused naming them, keeping what was typed;
// a bad value names the field and keeps it too.
func TestAStaleOrBadCorrectionKeepsWhatWasTyped(t *testing.T) {
	e := newCaseEnv(t)
	alex, bea := e.as(e.worker), e.as(e.worker2)
	ref := e.newCase(alex, "Sparkle car wash")
	wantRedirect(t, alex.post("/cases/"+ref+"/vehicles/new", url.Values{"registration": {"AB12 CDE"}}), "/cases/"+ref)
	id := e.itemID(alex, ref, "vehicles")
	path := "/cases/" + ref + "/vehicles/" + id + "/edit"
	wantContains(t, alex.get(path).body, `value="AB12 CDE"`)
	wantRedirect(t, bea.post(path, url.Values{"registration": {"AB12 CDF"}, "version": {"1"}}), "/cases/"+ref)

	res := alex.post(path, url.Values{"registration": {"AB12 CDG"}, "description": {"Blue van"}, "version": {"1"}})
	wantStatus(t, res, http.StatusConflict)
	page := pageText(res.body)
	wantContains(t, page, "Bea Bello (Hertfordshire Constabulary) changed this vehicle at", "The vehicle as it is now", "AB12 CDF")
	wantContains(t, res.body, `value="AB12 CDG"`, `value="Blue van"`, `name="version" value="2"`)

	res = alex.post(path, url.Values{"registration": {"!!"}, "version": {"2"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, "Enter a registration number using letters and numbers only", `value="!!"`, `href="#registration"`)
}

// Victim first on the pages: a caseworker is told to ask a supervisor; the supervisor
// takes the potential victim off the case with a reason, recorded in the timeline; a
// second removal finds nothing.
func TestTakingAPotentialVictimOffACaseIsForASupervisor(t *testing.T) {
	e := newCaseEnv(t)
	alex, sam := e.as(e.worker), e.as(e.super)
	ref := e.newCase(alex, "Cannabis farm")
	e.addPerson(alex, ref, url.Values{"given_name": {"Tran"}, "family_name": {"Van Minh"}, "role": {"potential_victim"}})
	id := e.itemID(sam, ref, "people")
	path := "/cases/" + ref + "/people/" + id + "/remove"
	if body := alex.get("/cases/" + ref + "/items").body; regexp.MustCompile(`/people/\d+/remove`).MatchString(body) {
		t.Error("the list offers a caseworker the removal of a potential victim")
	}
	res := alex.post(path, url.Values{"reason": {"entered_in_error"}, "version": {"1"}})
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, pageText(res.body), "only a supervisor at Hertfordshire Constabulary can take them off it")

	res = sam.get(path)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, pageText(res.body), "Take the person off the case", "Tran Van Minh (potential victim)", "Entered in error", "Not connected to this case")
	res = sam.post(path, url.Values{"reason": {"other"}, "version": {"1"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, "Enter why it is being removed", `href="#detail"`)
	wantRedirect(t, sam.post(path, url.Values{"reason": {"other"}, "detail": {"Recorded on the wrong case"}, "version": {"1"}}), "/cases/"+ref)
	page := pageText(sam.get("/cases/" + ref).body)
	wantContains(t, page, "The person has been removed from the case.", "Removed a person from the case: Recorded on the wrong case.")
	wantStatus(t, sam.post(path, url.Values{"reason": {"entered_in_error"}, "version": {"1"}}), http.StatusNotFound)
	if got := e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditCasePartRemoved}); len(got) != 1 {
		t.Errorf("got %d removal audit events, want 1", len(got))
	}
}

// Through the API: a PATCH changes only the fields given against the version read; a
// replayed DELETE finds nothing; a caseworker cannot remove a potential victim's link.
func TestCorrectionsThroughTheAPI(t *testing.T) {
	e := newCaseAPIEnv(t)
	_, tok := e.staff("pat@police.example", "Pat Worker", e.ts.agency, tropic.RoleCaseworker)
	_, sup := e.staff("sue@police.example", "Sue Visor", e.ts.agency, tropic.RoleSupervisor)
	res, c := jsonCall(t, e.ts, "POST", "/api/v1/cases", tok, map[string]any{"title": "Sparkle car wash"})
	wantStatus(t, res, http.StatusCreated)
	ref := c["reference"].(string)
	res, ph := jsonCall(t, e.ts, "POST", "/api/v1/cases/"+ref+"/phones", tok, map[string]any{"number": "07700 900123", "notes": "The manager's"})
	wantStatus(t, res, http.StatusCreated)
	item := "/api/v1/cases/" + ref + "/phones/" + jsonID(ph)

	res, _ = jsonCall(t, e.ts, "PATCH", item, tok, map[string]any{"number": "07700 900999"})
	wantStatus(t, res, http.StatusUnprocessableEntity) // no version
	res, got := jsonCall(t, e.ts, "PATCH", item, tok, map[string]any{"version": 1, "number": "07700 900999"})
	wantStatus(t, res, http.StatusOK)
	if got["number"] != "07700 900999" || got["notes"] != "The manager's" || got["e164"] != "+447700900999" {
		t.Fatalf("got %v, want the number changed and the notes kept", got)
	}
	res, _ = jsonCall(t, e.ts, "PATCH", item, tok, map[string]any{"version": 1, "notes": "Stale"})
	wantStatus(t, res, http.StatusConflict)

	res, _ = jsonCall(t, e.ts, "DELETE", item, tok, map[string]any{"version": 2, "reason": "because"})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res, _ = jsonCall(t, e.ts, "DELETE", item, tok, map[string]any{"version": 2, "reason": "duplicate"})
	wantStatus(t, res, http.StatusOK)
	res, _ = jsonCall(t, e.ts, "DELETE", item, tok, map[string]any{"version": 2, "reason": "duplicate"})
	wantStatus(t, res, http.StatusNotFound)

	res, _ = jsonCall(t, e.ts, "POST", "/api/v1/cases/"+ref+"/people", tok, map[string]any{"given_name": "Tran", "family_name": "Van Minh", "role": "potential_victim"})
	wantStatus(t, res, http.StatusCreated)
	res, cs := jsonCall(t, e.ts, "GET", "/api/v1/cases/"+ref, tok, nil)
	wantStatus(t, res, http.StatusOK)
	people := cs["people"].([]any)
	link := "/api/v1/cases/" + ref + "/people/" + jsonID(people[0].(map[string]any))
	res, _ = jsonCall(t, e.ts, "DELETE", link, tok, map[string]any{"version": 1, "reason": "entered_in_error"})
	wantStatus(t, res, http.StatusForbidden)
	res, _ = jsonCall(t, e.ts, "DELETE", link, sup, map[string]any{"version": 1, "reason": "entered_in_error"})
	wantStatus(t, res, http.StatusOK)
}

func jsonID(m map[string]any) string { return fmt.Sprint(int64(m["id"].(float64))) }

// Victim first is not got round by changing the role first, on the pages or through
// the API: a caseworker who makes a potential victim a witness (no supervisor needed
// for that) is neither offered nor allowed their removal; a supervisor is.
func TestAFormerPotentialVictimIsTakenOffOnlyByASupervisor(t *testing.T) {
	t.Run("pages", func(t *testing.T) {
		e := newCaseEnv(t)
		alex, sam := e.as(e.worker), e.as(e.super)
		ref := e.newCase(alex, "Cannabis farm")
		e.addPerson(alex, ref, url.Values{"given_name": {"Tran"}, "family_name": {"Van Minh"}, "role": {"potential_victim"}})
		id := e.itemID(alex, ref, "people")
		wantRedirect(t, alex.post("/cases/"+ref+"/people/"+id+"/edit", url.Values{"role": {"witness"}, "version": {"1"}}), "/cases/"+ref)
		wantContains(t, pageText(alex.get("/cases/"+ref+"/items").body), "Tran Van Minh (witness)")
		if body := alex.get("/cases/" + ref + "/items").body; regexp.MustCompile(`/people/\d+/remove`).MatchString(body) {
			t.Error("the list offers a caseworker the removal of a former potential victim")
		}
		path := "/cases/" + ref + "/people/" + id + "/remove"
		wantStatus(t, alex.get(path), http.StatusForbidden)
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(sam.get(path).body)[1]
		res := alex.post(path, url.Values{"reason": {"not_connected"}, "version": {version}})
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, pageText(res.body), "only a supervisor at Hertfordshire Constabulary can take them off it")
		if body := sam.get("/cases/" + ref + "/items").body; !regexp.MustCompile(`/people/\d+/remove`).MatchString(body) {
			t.Error("the list does not offer the supervisor the removal")
		}
		wantRedirect(t, sam.post(path, url.Values{"reason": {"not_connected"}, "version": {version}}), "/cases/"+ref)
	})
	t.Run("API", func(t *testing.T) {
		e := newCaseAPIEnv(t)
		_, tok := e.staff("pat@police.example", "Pat Worker", e.ts.agency, tropic.RoleCaseworker)
		_, sup := e.staff("sue@police.example", "Sue Visor", e.ts.agency, tropic.RoleSupervisor)
		res, c := jsonCall(t, e.ts, "POST", "/api/v1/cases", tok, map[string]any{"title": "Cannabis farm"})
		wantStatus(t, res, http.StatusCreated)
		ref := c["reference"].(string)
		res, _ = jsonCall(t, e.ts, "POST", "/api/v1/cases/"+ref+"/people", tok, map[string]any{"given_name": "Tran", "family_name": "Van Minh", "role": "potential_victim"})
		wantStatus(t, res, http.StatusCreated)
		res, cs := jsonCall(t, e.ts, "GET", "/api/v1/cases/"+ref, tok, nil)
		wantStatus(t, res, http.StatusOK)
		link := "/api/v1/cases/" + ref + "/people/" + jsonID(cs["people"].([]any)[0].(map[string]any))
		res, got := jsonCall(t, e.ts, "PATCH", link, tok, map[string]any{"version": 1, "role": "witness"})
		wantStatus(t, res, http.StatusOK)
		if got["role"] != "witness" || got["requested_role"] != nil {
			t.Fatalf("got %v, want the change to witness made at once", got)
		}
		version := got["version"]
		res, _ = jsonCall(t, e.ts, "DELETE", link, tok, map[string]any{"version": version, "reason": "not_connected"})
		wantStatus(t, res, http.StatusForbidden)
		res, _ = jsonCall(t, e.ts, "DELETE", link, sup, map[string]any{"version": version, "reason": "not_connected"})
		wantStatus(t, res, http.StatusOK)
	})
}
