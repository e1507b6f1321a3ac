package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// bulkForm is the queue's bulk form as a browser sends it.
func bulkForm(action string, refs []string, pairs ...string) url.Values {
	v := url.Values{"action": {action}, "report": refs, "return": {"/triage"}}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return v
}

func (e *triageEnv) status(ref string) *tropic.Report {
	e.t.Helper()
	r, err := e.ts.srv.deps.Reports.FindReportByReference(context.Background(), testAdmin, ref)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func TestTriageBulkNoFurtherActionFromTheQueue(t *testing.T) {
	e := newTriageEnv(t)
	a, b, c := e.report(3*time.Hour, nil), e.report(2*time.Hour, nil), e.report(time.Hour, nil)
	priya := e.as(e.priya)
	queue := priya.get("/triage")
	wantStatus(t, queue, http.StatusOK)
	wantContains(t, queue.body, `name="report" type="checkbox" value="`+a.Reference+`"`, "Select report "+b.Reference, "Act on the selected reports", "Apply to the selected reports")

	// No reason: the queue again, with the problem, the ticks and nothing changed.
	res := priya.post("/triage/bulk", bulkForm("no_further_action", []string{a.Reference, b.Reference}))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, "Enter why no further action is needed for these reports", `href="#reason"`)
	for _, ref := range []string{a.Reference, b.Reference} {
		wantContains(t, res.body, `value="`+ref+`" checked`)
	}
	wantNotContains(t, res.body, `value="`+c.Reference+`" checked`)
	if r := e.status(a.Reference); r.Status != tropic.ReportNew {
		t.Fatalf("%s is %s after a refused bulk action", a.Reference, r.Status)
	}

	res = priya.post("/triage/bulk", bulkForm("no_further_action", []string{a.Reference, b.Reference}, "reason", "Two calls about the same training exercise"))
	wantRedirect(t, res, "/triage")
	queue = priya.get("/triage")
	wantContains(t, pageText(queue.body), "No further action recorded for 2 reports: "+a.Reference+", "+b.Reference+". They have left the queue.")
	wantRefs(t, queue.body, c.Reference)
	for _, r := range []triageReport{a, b} {
		if got := e.status(r.Reference); got.Status != tropic.ReportNoFurtherAction {
			t.Errorf("%s is %s, want no further action", r.Reference, got.Status)
		}
		if ev := e.auditFor(tropic.AuditReportDecided, r.ID); len(ev) != 1 || ev[0].UserID != e.priya.ID {
			t.Errorf("%s: audit %+v, want one decision by Priya", r.Reference, ev)
		}
	}
}

func TestTriageBulkOnAStaleSelectionNamesTheReportAndChangesNothing(t *testing.T) {
	e := newTriageEnv(t)
	a, b := e.report(2*time.Hour, nil), e.report(time.Hour, nil)
	priya := e.as(e.priya)
	wantStatus(t, priya.get("/triage"), http.StatusOK)
	// Meanwhile Tom decides one of the two Priya has ticked.
	if err := e.ts.srv.deps.Reports.DecideReport(context.Background(), tropic.ActorFor(e.tom), b.Reference,
		tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Spoke to the caller"}); err != nil {
		t.Fatal(err)
	}
	res := priya.post("/triage/bulk", bulkForm("no_further_action", []string{a.Reference, b.Reference}, "reason", "Nothing to act on"))
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, pageText(res.body), "Nothing was changed: "+b.Reference+" has been decided by Tom Reed meanwhile (no further action)",
		"Nothing to act on")
	wantContains(t, res.body, `href="#references"`, `id="references" name="report" type="checkbox" value="`+a.Reference+`" checked`)
	if r := e.status(a.Reference); r.Status != tropic.ReportNew {
		t.Errorf("%s is %s, want it unchanged", a.Reference, r.Status)
	}
}

func TestTriageBulkAssignToAColleague(t *testing.T) {
	e := newTriageEnv(t)
	pat := e.addStaff("pat@police.example", "Pat Okafor", e.ts.agency, tropic.RoleTriage)
	a, b := e.report(2*time.Hour, nil), e.report(time.Hour, nil)
	priya := e.as(e.priya)
	queue := priya.get("/triage")
	// The colleagues offered: triage users of Priya's agency, not Tom of the council.
	wantContains(t, queue.body, `<option value="`+strconv.FormatInt(pat.ID, 10)+`">Pat Okafor</option>`, "Priya Shah (you)")
	wantNotContains(t, queue.body, "Tom Reed")

	res := priya.post("/triage/bulk", bulkForm("assign", []string{a.Reference, b.Reference}, "assignee_id", strconv.FormatInt(e.tom.ID, 10)))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, "Choose a triage colleague of your agency from the list")

	res = priya.post("/triage/bulk", bulkForm("assign", []string{a.Reference, b.Reference}, "assignee_id", strconv.FormatInt(pat.ID, 10)))
	wantRedirect(t, res, "/triage")
	wantContains(t, pageText(priya.get("/triage").body), "2 reports assigned to Pat Okafor")
	for _, r := range []triageReport{a, b} {
		if got := e.status(r.Reference); got.ClaimedBy == nil || got.ClaimedBy.ID != pat.ID {
			t.Errorf("%s held by %+v, want Pat", r.Reference, got.ClaimedBy)
		}
		if ev := e.auditFor(tropic.AuditReportAssigned, r.ID); len(ev) != 1 {
			t.Errorf("%s: %d assignment events, want 1", r.Reference, len(ev))
		}
	}
}

func TestTriageBulkAPI(t *testing.T) {
	e := newTriageEnv(t)
	a, b := e.report(2*time.Hour, nil), e.report(time.Hour, nil)
	priyaToken, _ := e.ts.newToken(e.priya.ID, e.ts.clock.Now().Add(time.Hour))
	caseToken, _ := e.ts.newToken(e.caseworker.ID, e.ts.clock.Now().Add(time.Hour))
	body := map[string]any{"action": "no_further_action", "references": []string{a.Reference, b.Reference}, "reason": "Test calls"}

	res, got := jsonCall(t, e.ts, "POST", "/api/v1/reports/bulk", caseToken, body)
	wantStatus(t, res, http.StatusForbidden)
	if e.status(a.Reference).Status != tropic.ReportNew {
		t.Fatal("a caseworker's bulk action changed a report")
	}

	// Tom decides b first: Priya's call is refused whole, naming b.
	if err := e.ts.srv.deps.Reports.DecideReport(context.Background(), tropic.ActorFor(e.tom), b.Reference,
		tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Spoke to the caller"}); err != nil {
		t.Fatal(err)
	}
	res, got = jsonCall(t, e.ts, "POST", "/api/v1/reports/bulk", priyaToken, body)
	wantStatus(t, res, http.StatusConflict)
	if msg := got["error"].(map[string]any)["message"].(string); !strings.Contains(msg, b.Reference+" has been decided by Tom Reed meanwhile") {
		t.Errorf("message %q does not name %s", msg, b.Reference)
	}
	if e.status(a.Reference).Status != tropic.ReportNew {
		t.Fatal("a refused bulk action changed a report")
	}

	body["references"] = []string{strings.ToLower(a.Reference)}
	res, got = jsonCall(t, e.ts, "POST", "/api/v1/reports/bulk", priyaToken, body)
	wantStatus(t, res, http.StatusOK)
	if refs, _ := got["references"].([]any); len(refs) != 1 || refs[0] != a.Reference {
		t.Errorf("answer %v, want [%s]", got, a.Reference)
	}
	res, got = jsonCall(t, e.ts, "POST", "/api/v1/reports/bulk", priyaToken, map[string]any{"action": "assign", "references": []string{}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if f := got["error"].(map[string]any)["fields"].(map[string]any); f["references"] == nil || f["assignee_id"] == nil {
		t.Errorf("fields %v, want references and assignee_id", f)
	}
}
