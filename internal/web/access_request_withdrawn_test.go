package web

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"tropic/internal/store/storetest"
)

// The attacker's test of a withdrawn link: the police ask for the council's record
// from a possible match, then reject the match themselves. The request rests on
// nothing now: the council's queue and the request's page say so and offer no
// approval, and approving it anyway (the request's page replayed from before, the
// queue's inline form, the API) is refused; the police's list says it too.
func TestAnAccessRequestWhoseLinkWasWithdrawnIsRefusedEverywhere(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) { withdrawnAccessRequest(t, newCaseEnvOn(t, d)) })
	}
}

func withdrawnAccessRequest(t *testing.T, e *caseEnv) {
	police, council, cSuper := e.as(e.worker), e.as(e.cWorker), e.as(e.cSuper)
	policeRef := e.newCase(police, "Car wash, Victoria Street")
	e.addPerson(police, policeRef, anna)
	councilRef := e.newCase(council, "Overcrowded house (council title)")
	e.addPerson(council, councilRef, annaAgain)

	matches := police.get("/cases/" + policeRef + "/matches")
	ask := regexp.MustCompile(`access-request\?agency=(\d+)&amp;match=(\d+)"`).FindStringSubmatch(matches.body)
	if ask == nil {
		t.Fatalf("no request offered beside the possible match:\n%s", pageText(matches.body))
	}
	agency, matchID := ask[1], ask[2]
	wantRedirect(t, police.post("/cases/"+policeRef+"/access-request", url.Values{"match": {matchID}, "agency": {agency}, "scope": {"whole"},
		"lawful_basis": {"dpa_part3"}, "reason": {"She may be the woman we found at the car wash"}, "agreement": {"none"},
		"agreement_reason": {"No agreement in the test register"}}), "/cases/"+policeRef+"/matches")

	queue := cSuper.get("/approvals")
	m := regexp.MustCompile(`href="/approvals/access/(\d+)"`).FindStringSubmatch(queue.body)
	if m == nil {
		t.Fatal("no link to the request's page in the queue")
	}
	id := m[1]
	page := "/approvals/access/" + id
	wantContains(t, queue.body, `action="/approvals/shares/`+id+`"`)
	wantNotContains(t, pageText(queue.body), "withdrawn")

	// The police look again: not the same woman.
	wantRedirect(t, police.post("/cases/"+policeRef+"/matches/"+matchID, url.Values{"decision": {"reject"}, "reason": {"Different date of birth on her passport"}}),
		"/cases/"+policeRef+"/matches")

	const why = "The possible match it rests on was withdrawn"
	queue = cSuper.get("/approvals")
	wantContains(t, pageText(queue.body), why, "It can no longer be approved.", "Read the request and decline it",
		"When it asked, Tropic suggested that a person on its case might be the same person")
	wantNotContains(t, queue.body, `action="/approvals/shares/`+id+`"`)
	form := cSuper.get(page)
	wantStatus(t, form, http.StatusOK)
	wantContains(t, pageText(form.body), why, "It can no longer be approved: decline it")
	wantContains(t, form.body, `value="decline" checked`)
	wantNotContains(t, form.body, `value="approve"`)

	// The old form, replayed; the queue's inline form; the API: each refused, saying why.
	replay := cSuper.post(page, url.Values{"decision": {"approve"}})
	wantStatus(t, replay, http.StatusConflict)
	wantContains(t, pageText(replay.body), "This request can no longer be approved.", why)
	inline := cSuper.post("/approvals/shares/"+id, url.Values{"decision": {"approve"}})
	wantStatus(t, inline, http.StatusConflict)
	wantContains(t, pageText(inline.body), "can no longer be approved")
	tok, _ := e.ts.newToken(e.cSuper.ID, time.Now().Add(time.Hour))
	api, _ := jsonCall(t, e.ts, "POST", "/api/v1/shares/"+id+"/decision", tok, map[string]any{"approve": true})
	wantStatus(t, api, http.StatusConflict)
	wantContains(t, api.body, "can no longer be approved")
	list, _ := jsonCall(t, e.ts, "GET", "/api/v1/approvals", tok, nil)
	wantContains(t, list.body, `"withdrawn": "`+why)
	wantStatus(t, police.get("/cases/"+councilRef), http.StatusNotFound)

	// The police's list and the API tell the truth.
	wantContains(t, pageText(police.get("/access-requests").body), "Link withdrawn", "Cannot be approved", why)
	pTok, _ := e.ts.newToken(e.worker.ID, time.Now().Add(time.Hour))
	own, _ := jsonCall(t, e.ts, "GET", "/api/v1/access-requests", pTok, nil)
	wantContains(t, own.body, `"status": "requested"`, `"withdrawn": "`+why)

	// Declined with a reason, it leaves the queue.
	wantRedirect(t, cSuper.post(page, url.Values{"decision": {"decline"}, "reason": {"The match was rejected"}}), "/approvals")
	wantNotContains(t, cSuper.get("/approvals").body, "/approvals/access/"+id+`"`)
}
