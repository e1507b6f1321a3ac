package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// A caseworker's task, overdue, is listed once on their home, under "For me", with
// its tag: not again for the agency, nor a third time as overdue.
func TestStaffHomeListsEachTaskOnce(t *testing.T) {
	e := newCaseEnv(t)
	worker := e.as(e.worker)
	ref := e.newCase(worker, "Car wash, Watford")
	wantRedirect(t, worker.post("/cases/"+ref+"/tasks/new", url.Values{"title": {"Visit the premises"},
		"assignee": {"user:" + strconv.FormatInt(e.worker.ID, 10)}, "due": {"1/1/2020"}}), "/cases/"+ref)
	wantRedirect(t, worker.post("/cases/"+ref+"/tasks/new", url.Values{"title": {"Ring the hub"},
		"assignee": {"agency:" + strconv.FormatInt(e.police.ID, 10)}}), "/cases/"+ref)
	home := mainContent(worker.get("/staff").body)
	if n := strings.Count(home, ">Visit the premises</a>"); n != 1 {
		t.Fatalf("the task is listed %d times, want once:\n%s", n, pageText(home))
	}
	if n := strings.Count(home, ">Ring the hub</a>"); n != 1 {
		t.Fatalf("the agency's task is listed %d times, want once:\n%s", n, pageText(home))
	}
	mine, agency := strings.Index(home, ">For me<"), strings.Index(home, ">For my agency<")
	if i := strings.Index(home, ">Visit the premises</a>"); mine < 0 || agency < 0 || i < mine || i > agency {
		t.Fatalf("the user's task is not under For me:\n%s", pageText(home))
	}
	if i := strings.Index(home, ">Ring the hub</a>"); i < agency {
		t.Fatalf("the agency's task is not under For my agency:\n%s", pageText(home))
	}
	wantContains(t, home, "Overdue")
	wantNotContains(t, home, "More overdue tasks")
}

var shareDeclineRE = regexp.MustCompile(`href="(/cases/C-[0-9A-Z-]+/shares/\d+/decline)"`)

// Declining a share request asks for the reason its requester reads, on a page that
// works without JavaScript and keeps what was typed; only the owner's supervisors
// find it; a replay is refused. On both databases.
func TestShareDeclineAsksForTheReason(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) { shareDecline(t, newCaseEnvOn(t, d)) })
	}
}

func shareDecline(t *testing.T, e *caseEnv) {
	{
		worker, super := e.as(e.worker), e.as(e.super)
		ref := e.newCase(worker, "Car wash, Watford")
		wantRedirect(t, worker.post("/cases/"+ref+"/share", url.Values{"agency": {strconv.FormatInt(e.council.ID, 10)}, "scope": {"whole"},
			"lawful_basis": {"gdpr_6_1_e"}, "reason": {"Joint visit"}, "agreement_reason": {"No agreement in the test register"}}), "/cases/"+ref)
		for _, page := range []string{"/cases/" + ref, "/approvals"} {
			body := super.get(page).body
			m := shareDeclineRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s offers no decline page:\n%s", page, pageText(body))
			}
			if strings.Contains(body, `name="decision" value="decline"`) {
				t.Fatalf("%s still declines with a bare button", page)
			}
		}
		path := shareDeclineRE.FindStringSubmatch(super.get("/cases/" + ref).body)[1]
		wantContains(t, pageText(super.get(path).body), "Decline sharing with "+e.council.Name, "Joint visit")
		// Another agency's supervisor, the owner's caseworker: missing.
		wantStatus(t, e.as(e.cSuper).get(path), http.StatusNotFound)
		wantStatus(t, worker.get(path), http.StatusForbidden)
		wantStatus(t, e.as(e.cSuper).post(path, url.Values{"reason": {"No"}}), http.StatusNotFound)
		wantStatus(t, worker.post(path, url.Values{"reason": {"No"}}), http.StatusForbidden)
		// No reason: refused on the page, naming the field.
		res := super.post(path, url.Values{"reason": {"   "}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `href="#reason"`, "Enter why you decline the request")
		long := strings.Repeat("x", tropic.MaxLongText+1)
		res = super.post(path, url.Values{"reason": {long}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, long) // kept as typed
		wantRedirect(t, super.post(path, url.Values{"reason": {"The council has no part in this yet"}}), "/cases/"+ref)
		// The requester reads the reason on the case page; a replay is refused.
		wantContains(t, pageText(worker.get("/cases/"+ref).body), "Declined", "The council has no part in this yet")
		wantStatus(t, super.post(path, url.Values{"reason": {"Again"}}), http.StatusConflict)
		wantStatus(t, super.get(path), http.StatusConflict)
	}
}
