package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// The attack of issue 11 hole 5 through the API: the person recorded again as a
// suspect, that record put on a second case and the victim's record merged into it.
// The merge answers 409 and becomes a request in the supervisor's queue; the case
// still shows the potential victim.
func TestAPIMergeCannotHideAPotentialVictimBehindASuspect(t *testing.T) {
	e := newCaseEnv(t)
	worker := e.as(e.worker)
	first := e.newCase(worker, "County lines, Hemel")
	e.addPerson(worker, first, anna)
	suspect := cloneValues(anna)
	suspect.Set("role", "suspect")
	e.addPerson(worker, first, suspect)
	ids := personHrefRE.FindAllStringSubmatch(worker.get("/cases/"+first).body, -1)
	if len(ids) < 2 || ids[0][1] == ids[len(ids)-1][1] {
		t.Fatalf("want two records on the case, got %v", ids)
	}
	again, _ := strconv.ParseInt(ids[len(ids)-1][1], 10, 64)
	second := e.newCase(worker, "Cuckooed flat, Apsley")
	token, _ := e.ts.newToken(e.worker.ID, time.Time{})
	res, _ := jsonCall(t, e.ts, "POST", "/api/v1/cases/"+second+"/people/link", token, map[string]any{"person_id": again, "role": "suspect"})
	wantStatus(t, res, http.StatusCreated)

	base := "/api/v1/cases/" + second + "/matches"
	res, body := jsonCall(t, e.ts, "GET", base, token, nil)
	wantStatus(t, res, http.StatusOK)
	list, _ := body["suggestions"].([]any)
	if len(list) != 1 {
		t.Fatalf("got %d suggestions, want 1:\n%s", len(list), res.body)
	}
	id := int64(list[0].(map[string]any)["id"].(float64))
	res, _ = jsonCall(t, e.ts, "POST", fmt.Sprintf("%s/%d", base, id), token, map[string]any{"decision": "merge", "reason": "One woman, recorded twice"})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res.body, "supervisor")

	wantContains(t, pageText(worker.get("/cases/"+first).body), "Potential victim")

	// The page says the same, keeping what was typed.
	page := worker.post("/cases/"+second+"/matches/"+strconv.FormatInt(id, 10), url.Values{"decision": {"merge"}, "reason": {"Same boy (page)"}})
	wantStatus(t, page, http.StatusConflict)
	wantContains(t, pageText(page.body), "the records were not merged", "Same boy (page)")

	super := e.as(e.super)
	wantContains(t, pageText(super.get("/cases/role-changes").body), "Anna Kowalska: Potential victim to Suspect", first, "Asked by merging two records")
}

// Four eyes: a user who is caseworker and supervisor asks for a change of role and
// may not approve it, on the page or through the API; another supervisor may.
func TestCaseSupervisorMayNotApproveTheirOwnRoleChange(t *testing.T) {
	e := newCaseEnv(t)
	bothUser := e.addStaff("bo@police.example", "Bo Both", e.police, tropic.RoleCaseworker, tropic.RoleSupervisor)
	both := e.as(bothUser)
	ref := e.newCase(both, "Cannabis grow, Stevenage")
	e.addPerson(both, ref, anna)
	id := personID(t, both.get("/cases/"+ref).body)
	m := regexp.MustCompile(`action="(/people/` + id + `/cases/(\d+)/role)"`).FindStringSubmatch(both.get("/people/" + id).body)
	if m == nil {
		t.Fatal("no role form on the person page")
	}
	wantRedirect(t, both.post(m[1], url.Values{"role": {"suspect"}, "reason": {"Runs the rota (test)"}}), "/people/"+id)
	list := both.get("/cases/role-changes")
	rc := regexp.MustCompile(`name="id" value="(\d+)"`).FindStringSubmatch(list.body)
	if rc == nil {
		t.Fatalf("no request on the page:\n%s", pageText(list.body))
	}
	res := both.post("/cases/role-changes", url.Values{"id": {rc[1]}, "decision": {"approve"}, "note": {"mine (test)"}})
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, pageText(res.body), "You cannot do this", "another supervisor")
	token, _ := e.ts.newToken(bothUser.ID, time.Time{})
	res, _ = jsonCall(t, e.ts, "POST", "/api/v1/role-changes/"+rc[1]+"/decision", token, map[string]any{"approve": true})
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, pageText(both.get("/cases/"+ref).body), "Potential victim", "awaits a supervisor")

	wantRedirect(t, e.as(e.super).post("/cases/role-changes", url.Values{"id": {rc[1]}, "decision": {"approve"}}), "/cases/role-changes")
	wantNotContains(t, pageText(both.get("/cases/"+ref).body), "awaits a supervisor")
}

// A request for a change of role reaches the supervisors' home page, not only the case
// it is on: the handoff lands on the screen of whoever decides it.
func TestARoleChangeRequestReachesTheSupervisorsHome(t *testing.T) {
	e := newCaseEnv(t)
	worker, super := e.as(e.worker), e.as(e.super)
	wantContains(t, pageText(super.get("/staff").body), "Nothing waits for a supervisor's decision.")
	ref := e.newCase(worker, "Nail bar, Hatfield")
	e.addPerson(worker, ref, anna)
	id := personID(t, worker.get("/cases/"+ref).body)
	m := regexp.MustCompile(`action="(/people/` + id + `/cases/(\d+)/role)"`).FindStringSubmatch(worker.get("/people/" + id).body)
	if m == nil {
		t.Fatal("no role form on the person page")
	}
	wantRedirect(t, worker.post(m[1], url.Values{"role": {"suspect"}, "reason": {"Seen collecting cash (test)"}}), "/people/"+id)
	home := super.get("/staff")
	wantContains(t, pageText(home.body), "1 request waits for a supervisor's decision on your agency's cases:", "<li>1 role change</li>", "1 unread notification")
	wantContains(t, home.body, `href="/approvals"`, `id="unread-count"`)
	queue := pageText(super.get("/approvals").body)
	wantContains(t, queue, `Role change: <a class="govuk-link app-reference" href="/cases/`+ref+`">`, "A person from potential victim to suspect", "Seen collecting cash (test)", "Decide with a note")
	wantNotContains(t, queue, "Anna") // the queue names no person
	wantNotContains(t, pageText(worker.get("/staff").body), "To decide")
}
