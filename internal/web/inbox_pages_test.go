package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// inboxEnv is the triage environment (the police and Watford form the hub) with a
// county council outside the hub: a caseworker, a supervisor and a triage user.
type inboxEnv struct {
	*triageEnv
	county                   *tropic.Agency
	cWorker, cSuper, cTriage *tropic.User
}

func newInboxEnv(t *testing.T) *inboxEnv {
	t.Helper()
	e := &inboxEnv{triageEnv: newTriageEnv(t), county: &tropic.Agency{Name: "Hertfordshire County Council", Kind: tropic.AgencyCountyCouncil}}
	if err := e.ts.agencies.CreateAgency(context.Background(), testAdmin, e.county); err != nil {
		t.Fatal(err)
	}
	e.cWorker = e.addStaff("chris@county.example", "Chris Okafor", e.county, tropic.RoleCaseworker)
	e.cSuper = e.addStaff("sue@county.example", "Sue Marlow", e.county, tropic.RoleSupervisor)
	e.cTriage = e.addStaff("tia@county.example", "Tia Rudd", e.county, tropic.RoleTriage)
	return e
}

// namedReport is a report whose reporter left a name and an address to reach them.
func namedReport(r *tropic.Report) {
	r.Reporter = tropic.Reporter{Name: "Rita Reporter", Contact: "rita@example.net", Relationship: tropic.RelationshipPublic}
}

func TestTheLoopThroughTheInboxPages(t *testing.T) {
	e := newInboxEnv(t)
	rep := e.report(time.Hour, namedReport)
	hub, worker := e.as(e.priya), e.as(e.cWorker)
	path := triageReportPath(rep.Reference)

	// Not passed yet: the county sees nothing of it.
	wantMissing(t, worker, worker.get(inboxReportPath(rep.Reference)))
	wantNotContains(t, worker.get("/inbox").body, rep.Reference)

	// Passing needs a reason; what was typed stays.
	res := hub.post(path+"/decision", url.Values{"decision": {"passed_to_agency"}, "agency": {itoa(e.county.ID)}, "include_reporter_contact": {"yes"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, pageText(res.body), `href="#reason"`, "Enter why the report is passed to this agency", `id="include_reporter_contact" name="include_reporter_contact" type="checkbox" value="yes" aria-describedby="include_reporter_contact-hint" checked`)
	wantRedirect(t, hub.post(path+"/decision", url.Values{"decision": {"passed_to_agency"}, "agency": {itoa(e.county.ID)}, "reason": {"A welfare visit first"}}), path)
	wantContains(t, pageText(hub.get(path).body), "Passed to agencies", "Hertfordshire County Council", "Not acknowledged", "A welfare visit first",
		"Not sent: the reporter's name and contact details stay with the triage hub.")

	// The county's home and inbox show it; the report reads without the contact details.
	wantContains(t, pageText(worker.get("/staff").body), "Passed to us", "1 waiting", "1 not acknowledged")
	wantContains(t, pageText(worker.get("/inbox").body), rep.Reference, "Not acknowledged", "St Albans")
	raw := worker.get(inboxReportPath(rep.Reference)).body
	if !regexp.MustCompile(`>Passed to</dt>\s*<dd class="govuk-summary-list__value">Hertfordshire County Council</dd>`).MatchString(raw) {
		t.Errorf("the inbox report's \"Passed to\" row does not name the agency:\n%s", brief(raw))
	}
	page := pageText(raw)
	wantContains(t, page, "A welfare visit first", "The triage hub did not pass on the reporter's name and contact details", "Four men sleep")
	wantNotContains(t, page, "Rita Reporter", "rita@example.net")
	// The county's triage user reads it, in the queue and the inbox, but does not act.
	tia := e.as(e.cTriage)
	wantContains(t, tia.get("/triage").body, `href="`+inboxReportPath(rep.Reference)+`"`)
	wantNotContains(t, tia.get(inboxReportPath(rep.Reference)).body, `action="`+inboxReportPath(rep.Reference)+`/acknowledge"`)
	wantMissing(t, tia, tia.get(path))
	// Watford's caseworker (the hub's other agency) sees nothing of it.
	other := e.as(e.caseworker)
	wantMissing(t, other, other.get(inboxReportPath(rep.Reference)))
	wantMissing(t, other, other.post(inboxReportPath(rep.Reference)+"/acknowledge", nil))

	// Acknowledged, twice: the first stands.
	wantRedirect(t, worker.post(inboxReportPath(rep.Reference)+"/acknowledge", nil), inboxReportPath(rep.Reference))
	e.ts.clock.Advance(10 * time.Minute) // within the sessions' idle time
	wantRedirect(t, e.as(e.cSuper).post(inboxReportPath(rep.Reference)+"/acknowledge", nil), inboxReportPath(rep.Reference))
	wantContains(t, pageText(hub.get(path).body), "Acknowledged by Chris Okafor")
	if n := len(e.auditFor(tropic.AuditReportAcknowledged, rep.ID)); n != 1 {
		t.Errorf("%d acknowledgements audited, want 1", n)
	}

	// The hub cannot decide again while the county has it.
	res = hub.post(path+"/decision", url.Values{"decision": {"no_further_action"}, "reason": {"Changed our mind"}})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, pageText(res.body), "is theirs until they accept or return it")

	// Returning needs a reason; accepting makes a case of the county's.
	res = worker.post(inboxReportPath(rep.Reference)+"/return", url.Values{"reason": {" "}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, pageText(res.body), `href="#reason"`, "Enter why you are returning the report")
	res = worker.post(inboxReportPath(rep.Reference)+"/accept", url.Values{"accept": {"create_case"}, "case_title": {"Car wash, Victoria Street"}})
	ref := refFrom(t, res)
	wantContains(t, pageText(worker.get("/cases/"+ref).body), "accepted: it is on case "+ref)
	wantContains(t, pageText(hub.get(path).body), "Accepted by Chris Okafor", "the report is on case "+ref)
	// Accepted again (a double submit): no second case.
	res = e.as(e.cSuper).post(inboxReportPath(rep.Reference)+"/accept", url.Values{"accept": {"create_case"}, "case_title": {"Again"}})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, pageText(res.body), "was accepted into case "+ref)
}

func TestAReturnedReportIsFlaggedInTheQueue(t *testing.T) {
	e := newInboxEnv(t)
	rep := e.report(time.Hour, namedReport)
	if err := e.ts.srv.deps.Reports.DecideReport(context.Background(), tropic.ActorFor(e.priya), rep.Reference,
		tropic.ReportDecision{Status: tropic.ReportPassedToAgency, AgencyID: e.county.ID, Reason: "Theirs", IncludeReporterContact: true}); err != nil {
		t.Fatal(err)
	}
	worker := e.as(e.cWorker)
	wantContains(t, pageText(worker.get(inboxReportPath(rep.Reference)).body), "Rita Reporter", "rita@example.net")
	res := worker.post(inboxReportPath(rep.Reference)+"/return", url.Values{"reason": {"Not in our area: Watford's"}})
	wantRedirect(t, res, "/inbox")
	wantContains(t, pageText(worker.get("/inbox").body), "has been returned to the triage hub")
	wantMissing(t, worker, worker.get(inboxReportPath(rep.Reference)))
	queue := pageText(e.as(e.priya).get("/triage").body)
	wantContains(t, queue, rep.Reference, "Returned", "Returned by Hertfordshire County Council: Not in our area: Watford's")
}

func TestReportsNotAcknowledgedInTimeAreFlaggedToTheHub(t *testing.T) {
	e := newInboxEnv(t)
	rep := e.report(time.Hour, func(r *tropic.Report) { r.InDanger = tropic.AnswerYes }) // an emergency: one hour to acknowledge
	if err := e.ts.srv.deps.Reports.DecideReport(context.Background(), tropic.ActorFor(e.priya), rep.Reference,
		tropic.ReportDecision{Status: tropic.ReportPassedToAgency, AgencyID: e.county.ID, Reason: "Theirs"}); err != nil {
		t.Fatal(err)
	}
	wantNotContains(t, pageText(e.as(e.priya).get("/staff").body), "not acknowledged")
	e.ts.clock.Advance(90 * time.Minute)
	hub := e.as(e.priya) // signed in again: the first session has been idle too long
	wantContains(t, pageText(hub.get("/staff").body), "1 not acknowledged", "1 report passed to an agency has not been acknowledged in time")
	queue := pageText(hub.get("/triage?status=unacknowledged").body)
	wantContains(t, queue, rep.Reference, "With Hertfordshire County Council", "overdue by 30 minutes")
	wantContains(t, pageText(e.as(e.cWorker).get("/staff").body), "1 overdue")
}

func TestTheHandoffAPI(t *testing.T) {
	e := newInboxEnv(t)
	rep := e.report(time.Hour, namedReport)
	hubToken, _ := e.ts.newToken(e.priya.ID, time.Time{})
	tiaToken, _ := e.ts.newToken(e.cTriage.ID, time.Time{})
	workerToken, _ := e.ts.newToken(e.cWorker.ID, time.Time{})
	otherToken, _ := e.ts.newToken(e.caseworker.ID, time.Time{})
	decision := "/api/v1/reports/" + rep.Reference + "/decision"
	pass := map[string]any{"decision": "pass_to_agency", "agency_id": e.county.ID, "reason": "A welfare visit first", "include_reporter_contact": true}

	if res, _ := jsonCall(t, e.ts, "POST", decision, tiaToken, pass); res.status != http.StatusNotFound {
		t.Fatalf("a triage user outside the hub deciding: %d %s, want 404", res.status, res.body)
	}
	if res, body := jsonCall(t, e.ts, "POST", decision, hubToken, map[string]any{"decision": "pass_to_agency", "agency_id": e.county.ID}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"reason"`) {
		t.Fatalf("passing without a reason: %d %v", res.status, body)
	}
	res, body := jsonCall(t, e.ts, "POST", decision, hubToken, pass)
	if res.status != http.StatusOK || body["status"] != "passed_to_agency" || body["handoff"].(map[string]any)["state"] != "passed" {
		t.Fatalf("pass: %d %s", res.status, res.body)
	}
	if res, _ := jsonCall(t, e.ts, "POST", decision, hubToken, pass); res.status != http.StatusOK {
		t.Fatalf("the pass replayed: %d %s, want the same answer", res.status, res.body)
	}
	if res, _ := jsonCall(t, e.ts, "POST", decision, hubToken, map[string]any{"decision": "pass_to_agency", "agency_id": e.other.ID, "reason": "Theirs"}); res.status != http.StatusConflict {
		t.Fatalf("passing to another agency meanwhile: %d %s, want 409", res.status, res.body)
	}

	res, body = jsonCall(t, e.ts, "GET", "/api/v1/inbox", workerToken, nil)
	if res.status != http.StatusOK || body["total"] != float64(1) || strings.Contains(res.body, "rita@example.net") {
		t.Fatalf("the county's inbox: %d %s", res.status, res.body)
	}
	tomToken, _ := e.ts.newToken(e.tom.ID, time.Time{})
	if res, _ := jsonCall(t, e.ts, "GET", "/api/v1/inbox", tomToken, nil); res.status != http.StatusForbidden {
		t.Errorf("the inbox of a triage user of the hub: %d, want 403 (the hub has the queue)", res.status)
	}
	res, _ = jsonCall(t, e.ts, "GET", "/api/v1/reports/"+rep.Reference, workerToken, nil)
	if res.status != http.StatusOK || !strings.Contains(res.body, "rita@example.net") || !strings.Contains(res.body, `"handoffs"`) {
		t.Fatalf("the county reading the report sent with contact details: %d %s", res.status, res.body)
	}
	if res, _ := jsonCall(t, e.ts, "GET", "/api/v1/reports/"+rep.Reference, otherToken, nil); res.status != http.StatusNotFound {
		t.Errorf("another agency's caseworker reading it: %d, want 404", res.status)
	}
	ack := "/api/v1/reports/" + rep.Reference + "/acknowledge"
	for range 2 {
		res, body = jsonCall(t, e.ts, "POST", ack, workerToken, nil)
		if res.status != http.StatusOK || body["handoff"].(map[string]any)["acknowledged_by"] != "Chris Okafor" {
			t.Fatalf("acknowledge: %d %s", res.status, res.body)
		}
	}
	if res, _ := jsonCall(t, e.ts, "POST", ack, otherToken, nil); res.status != http.StatusNotFound {
		t.Errorf("another agency acknowledging: %d, want 404", res.status)
	}
	accept := "/api/v1/reports/" + rep.Reference + "/accept"
	res, body = jsonCall(t, e.ts, "POST", accept, workerToken, map[string]any{"case_title": "From the API"})
	if res.status != http.StatusOK || body["handoff"].(map[string]any)["state"] != "accepted" || body["case_reference"] == "" {
		t.Fatalf("accept: %d %s", res.status, res.body)
	}
	if res, _ := jsonCall(t, e.ts, "POST", accept, workerToken, map[string]any{"case_title": "Again"}); res.status != http.StatusConflict {
		t.Errorf("accept replayed: %d %s, want 409", res.status, res.body)
	}
	if res, _ := jsonCall(t, e.ts, "POST", "/api/v1/reports/"+rep.Reference+"/return", workerToken, map[string]any{"reason": "Too late"}); res.status != http.StatusConflict {
		t.Errorf("returning an accepted report: %d %s, want 409", res.status, res.body)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
