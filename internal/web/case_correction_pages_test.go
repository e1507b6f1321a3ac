package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

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
	tok, ref := e.apiCaseByCaseworker("Sparkle car wash")
	_, sup := e.staff("sue@police.example", "Sue Visor", e.ts.agency, tropic.RoleSupervisor)
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

// apiCaseByCaseworker signs up Pat, a caseworker of the police, and has Pat open a
// case through the API; it returns Pat's token and the case's reference.
func (e *caseAPIEnv) apiCaseByCaseworker(title string) (tok, ref string) {
	e.t.Helper()
	_, tok = e.staff("pat@police.example", "Pat Worker", e.ts.agency, tropic.RoleCaseworker)
	res, c := jsonCall(e.t, e.ts, "POST", "/api/v1/cases", tok, map[string]any{"title": title})
	wantStatus(e.t, res, http.StatusCreated)
	return tok, c["reference"].(string)
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
		tok, ref := e.apiCaseByCaseworker("Cannabis farm")
		_, sup := e.staff("sue@police.example", "Sue Visor", e.ts.agency, tropic.RoleSupervisor)
		res, _ := jsonCall(t, e.ts, "POST", "/api/v1/cases/"+ref+"/people", tok, map[string]any{"given_name": "Tran", "family_name": "Van Minh", "role": "potential_victim"})
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

// Every kind of item is corrected and removed through the API by the same rules: a
// PATCH against the version read changes only the fields given and answers the new
// version; one against an older version is refused naming who changed it; a DELETE
// needs a reason from the list (and words for "other"), is refused when stale, is
// recorded in the timeline without the value, and a replay finds nothing.
func TestEveryItemIsCorrectedAndRemovedThroughTheAPI(t *testing.T) {
	e := newCaseAPIEnv(t)
	tok, ref := e.apiCaseByCaseworker("Sparkle car wash")
	_, tok2 := e.staff("bea@police.example", "Bea Bello", e.ts.agency, tropic.RoleCaseworker)
	path := "/api/v1/cases/" + ref
	res, _ := jsonCall(t, e.ts, "POST", path+"/people", tok, map[string]any{"given_name": "Anna", "family_name": "Kowalska", "role": "suspect"})
	wantStatus(t, res, http.StatusCreated)
	_, cs := jsonCall(t, e.ts, "GET", path, tok, nil)
	anna := jint(cs, "people", 0, "person", "id")
	yesterday := e.ts.clock.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	for _, tt := range []struct {
		part        string
		add, change map[string]any
		field, want string
	}{
		{"places", map[string]any{"kind": "workplace", "address": "12 London Road", "postcode": "AL1 3JX"}, map[string]any{"postcode": "al1 3jy"}, "postcode", "AL1 3JY"},
		{"businesses", map[string]any{"name": "Sparkle Hand Car Wash", "kind": "car_wash"}, map[string]any{"name": "Shine Nails"}, "name", "Shine Nails"},
		{"vehicles", map[string]any{"registration": "AB12 CDE"}, map[string]any{"registration": "AB12 CDF"}, "normalised", "AB12CDF"},
		{"phones", map[string]any{"number": "07700 900123"}, map[string]any{"number": "07700 900999"}, "e164", "+447700900999"},
		{"orders", map[string]any{"person_id": anna, "kind": "stro", "made_on": yesterday}, map[string]any{"kind": "stpo"}, "kind", "stpo"},
		{"tasks", map[string]any{"title": "Visit", "agency_id": e.police.ID}, map[string]any{"title": "Visit with the council", "due": "2030-01-31"}, "due", "2030-01-31"},
		{"people", nil, map[string]any{"role": "witness"}, "role", "witness"},
	} {
		t.Run(tt.part, func(t *testing.T) {
			var id string
			if tt.add != nil {
				res, got := jsonCall(t, e.ts, "POST", path+"/"+tt.part, tok, tt.add)
				wantStatus(t, res, http.StatusCreated)
				id = jsonID(got)
			} else {
				id = fmt.Sprint(jint(cs, "people", 0, "id"))
			}
			item := path + "/" + tt.part + "/" + id
			res, got := jsonCall(t, e.ts, "PATCH", item, tok, map[string]any{"version": 0})
			wantStatus(t, res, http.StatusConflict)
			change := map[string]any{"version": 1}
			for k, v := range tt.change {
				change[k] = v
			}
			res, got = jsonCall(t, e.ts, "PATCH", item, tok2, change)
			wantStatus(t, res, http.StatusOK)
			if fmt.Sprint(got[tt.field]) != tt.want || jint(got, "version") < 2 {
				t.Fatalf("PATCH: got %s, want %s %s at a new version", res.body, tt.field, tt.want)
			}
			version := jint(got, "version")
			// Pat read version 1: refused, naming Bea, and nothing of Pat's saved.
			res, _ = jsonCall(t, e.ts, "PATCH", item, tok, change)
			wantStatus(t, res, http.StatusConflict)
			wantContains(t, res.body, "Bea Bello (Hertfordshire Constabulary) changed this")
			res, _ = jsonCall(t, e.ts, "DELETE", item, tok, map[string]any{"version": 1, "reason": "duplicate"})
			wantStatus(t, res, http.StatusConflict)
			res, _ = jsonCall(t, e.ts, "DELETE", item, tok, map[string]any{"version": version, "reason": "other"})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res.body, `"detail"`)
			res, _ = jsonCall(t, e.ts, "DELETE", item, tok, map[string]any{"version": version, "reason": "other", "detail": "Belongs to another inquiry"})
			wantStatus(t, res, http.StatusOK)
			res, _ = jsonCall(t, e.ts, "DELETE", item, tok, map[string]any{"version": version, "reason": "other", "detail": "Belongs to another inquiry"})
			wantStatus(t, res, http.StatusNotFound)
			res, _ = jsonCall(t, e.ts, "PATCH", item, tok, map[string]any{"version": version})
			wantStatus(t, res, http.StatusNotFound)
			_, now := jsonCall(t, e.ts, "GET", path, tok, nil)
			if tt.part != "people" && jlen(now, tt.part) != 0 || tt.part == "people" && jlen(now, "people") != 0 {
				t.Fatalf("the case still holds %s: %v", tt.part, now[tt.part])
			}
		})
	}
	// Each removal is in the timeline, by its kind and reason, and in the audit trail without the value.
	_, now := jsonCall(t, e.ts, "GET", path, tok, nil)
	notes := fmt.Sprint(now["notes"])
	for _, kind := range []string{"place", "business", "vehicle", "phone number", "order", "task", "person"} {
		wantContains(t, notes, "Removed a "+kind+" from the case: Belongs to another inquiry.")
	}
	removals := e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditCasePartRemoved})
	if len(removals) != 7 {
		t.Errorf("got %d removals in the audit trail, want 7", len(removals))
	}
	wantNotContains(t, strings.Join(removals, "\n"), "inquiry", "London Road", "AL1", "Sparkle", "Shine", "AB12", "07700", "Kowalska", "Visit")
}
