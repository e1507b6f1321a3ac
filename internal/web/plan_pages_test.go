package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestTheCoordinatorKeepsThePlanAndEveryoneReadsIt(t *testing.T) {
	sc := newMeetingScene(t)
	analyst := sc.as(t, sc.cAnalyst)
	// Refused input names the field and keeps what was typed.
	res := analyst.post("/plan/objectives", url.Values{"title": {"Typed objective kept"}, "figure": {"reports"}, "rag": {"purple"}, "reason": {"Baseline"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#rag"`) || !strings.Contains(res.body, "Typed objective kept") {
		t.Fatalf("bad status: got %d\n%s", res.status, brief(res.body))
	}
	res = analyst.post("/plan/objectives", url.Values{"title": {"More reports"}, "figure": {"reports"}, "rag": {"amber"}, "reason": {"Baseline"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: got %d\n%s", res.status, brief(res.body))
	}
	id := strings.TrimPrefix(res.location(), "/plan#objective-")
	if res := analyst.post("/plan/objectives/"+id+"/rag", url.Values{"rag": {"green"}, "reason": {"Reports rose"}}); res.status != http.StatusSeeOther {
		t.Fatalf("RAG: got %d\n%s", res.status, brief(res.body))
	}
	res = analyst.post("/plan/objectives/"+id+"/actions", url.Values{"text": {"Posters in libraries"}, "owner": {strconv.FormatInt(sc.pWorker.ID, 10)}, "due": {"2/1/2027"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("action: got %d\n%s", res.status, brief(res.body))
	}
	// A caseworker reads the plan and its history, but may not change it.
	worker := sc.as(t, sc.pWorker)
	page := worker.get("/plan")
	for _, want := range []string{"More reports", "Reports rose", "Baseline", "Posters in libraries", "no statistics release has published it yet"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the plan does not show %q", want)
		}
	}
	if strings.Contains(page.body, `action="/plan/objectives"`) {
		t.Error("a caseworker is offered the form to add an objective")
	}
	if res := worker.post("/plan/objectives/"+id+"/rag", url.Values{"rag": {"red"}, "reason": {"x"}}); res.status != http.StatusForbidden {
		t.Errorf("a caseworker changed the status: %d", res.status)
	}
	if home := worker.get("/staff"); !strings.Contains(home.body, "Posters in libraries") {
		t.Error("the action is not on its owner's home")
	}
	// The steering group's report lists the plan's open actions.
	if rep := analyst.get("/staff/statistics/quarterly"); !strings.Contains(rep.body, "Open actions of the partnership plan") ||
		!strings.Contains(rep.body, "Posters in libraries (More reports):") {
		t.Errorf("the steering group's report does not list the plan's open action:\n%s", brief(rep.body))
	}
	pdf := worker.get("/plan/progress.pdf")
	if pdf.status != http.StatusOK || pdf.header.Get("Content-Type") != "application/pdf" || !strings.Contains(pdf.body, "More reports") {
		t.Errorf("progress PDF: %d %s", pdf.status, pdf.header.Get("Content-Type"))
	}
}
