package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

var revealLinkRE = regexp.MustCompile(`href="(/analysis/reveals/new\?[^"]+)">Ask Hertfordshire Constabulary to reveal`)

func TestAnalystAsksToRevealAPersonAndTheHolderApproves(t *testing.T) {
	e := newCaseEnv(t)
	phoneCases(e)
	analyst := e.as(e.analyst)
	page := analyst.get("/analysis/network")
	wantStatus(t, page, http.StatusOK)
	m := revealLinkRE.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("want a link asking the police to reveal their person:\n%s", page.body)
	}
	wantContains(t, page.body, "Ask Watford Borough Council to reveal")
	ask := html.UnescapeString(m[1])
	form := analyst.get(ask)
	wantStatus(t, form, http.StatusOK)
	wantContains(t, form.body, "Ask to reveal a person", "for 90 days (30 for a potential victim)", "Supervisors see a request without an agreement flagged.")
	u, _ := url.Parse(ask)
	v := u.Query()

	// A request without a purpose or an agreement names both fields and keeps what was typed.
	bad := analyst.post("/analysis/reveals", url.Values{"person": v["person"], "agency": v["agency"], "agreement_reason": {"Typed reason"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.body, `href="#purpose"`, "Enter the purpose", "Typed reason")
	if got := e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditRevealRequested}); len(got) != 0 {
		t.Fatalf("a refused request wrote %v", got)
	}

	v.Set("purpose", "The phone joins three cases: is this the same controller?")
	v.Set("agreement_reason", "Urgent safeguarding")
	wantRedirect(t, analyst.post("/analysis/reveals", v), "/analysis/reveals")
	own := analyst.get("/analysis/reveals")
	wantContains(t, own.body, "Waiting for a decision", "held by Hertfordshire Constabulary", "is this the same controller?")

	// The police supervisor sees it in the queue and in their notifications, and approves.
	sup := e.as(e.super)
	queue := sup.get("/approvals")
	wantContains(t, queue.body, "Reveal request", "1 reveal request", "potential victim", "Read the request and decide it")
	wantContains(t, sup.get("/notifications").body, "An analyst asks your agency to reveal who")
	id := regexp.MustCompile(`/approvals/reveals/(\d+)`).FindStringSubmatch(queue.body)[1]
	wantContains(t, sup.get("/approvals/reveals/"+id).body, "as a potential victim", "for 30 days")
	wantStatus(t, sup.post("/approvals/reveals/"+id, url.Values{"decision": {"decline"}}), http.StatusUnprocessableEntity)
	wantRedirect(t, sup.post("/approvals/reveals/"+id, url.Values{"decision": {"approve"}}), "/approvals")
	// A replay is refused.
	wantStatus(t, sup.post("/approvals/reveals/"+id, url.Values{"decision": {"approve"}}), http.StatusConflict)
	// Another agency's supervisor finds nothing.
	wantStatus(t, e.as(e.cSuper).get("/approvals/reveals/"+id), http.StatusNotFound)

	// The analyst sees the name on the page, in the table and in both exports; the views are audited.
	wantContains(t, analyst.get("/analysis/reveals").body, "Approved", "Anna Kowalska")
	page = analyst.get("/analysis/network")
	wantContains(t, page.body, "Anna Kowalska", "Name revealed to you")
	if strings.Contains(page.body, ">Ask Hertfordshire Constabulary to reveal") {
		t.Error("the revealed person is still offered for a reveal")
	}
	wantContains(t, analyst.get("/analysis/network.csv").body, "Anna Kowalska")
	wantContains(t, analyst.get("/analysis/network.graphml").body, "Anna Kowalska")
	exported := 0
	for _, ev := range e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditAnalystNetworkExported}) {
		if strings.Contains(ev, "people named by reveal") {
			exported++
		}
	}
	if exported != 2 {
		t.Errorf("got %d exports audited with the reveal, want 2", exported)
	}
	// Another analyst of the same agency still sees the pseudonym.
	other := e.as(e.addStaff("ana2@police.example", "Otto Lyst", e.police, tropic.RoleAnalyst))
	wantNotContains(t, other.get("/analysis/network").body, "Anna", "Kowalska")
	wantNotContains(t, other.get("/analysis/network.csv").body, "Anna", "Kowalska")
}
