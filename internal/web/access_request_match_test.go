package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"
)

// The person-match path of an access request through the pages and the API: the
// police see a possible match held by Watford Borough Council, ask for access with a
// reason, and until the council's supervisor approves nothing they are shown names
// the council's person or case. The council's supervisor reads the request with their
// own person named, declines without a reason (refused), then with one; the police
// read the reason on their list of requests.
func TestAccessRequestFromAPossibleMatchThroughThePages(t *testing.T) {
	e := newCaseEnv(t)
	police, council, cSuper := e.as(e.worker), e.as(e.cWorker), e.as(e.cSuper)
	policeRef := e.newCase(police, "Car wash, Victoria Street")
	e.addPerson(police, policeRef, anna)
	councilRef := e.newCase(council, "Overcrowded house (council title)")
	e.addPerson(council, councilRef, annaAgain)
	secrets := []string{councilRef, "council title", "Ana Kowalska", "Ana "}

	matches := police.get("/cases/" + policeRef + "/matches")
	wantContains(t, pageText(matches.body), "A possible match is held by Watford Borough Council.", "Ask Watford Borough Council for access to their record")
	ask := regexp.MustCompile(`href="(/cases/[^"]+/access-request\?[^"]+)"`).FindStringSubmatch(matches.body)
	if ask == nil {
		t.Fatal("no request offered beside the possible match")
	}
	askPath := html.UnescapeString(ask[1])
	form := police.get(askPath)
	wantStatus(t, form, http.StatusOK)
	wantContains(t, pageText(form.body), "Another agency holds a person record that Tropic suggests may be the same person as someone on your case.",
		"Back to the possible matches")
	wantNotContains(t, form.body, secrets...)

	q, _ := url.ParseQuery(askPath[len("/cases/"+policeRef+"/access-request?"):])
	post := url.Values{"match": q["match"], "agency": q["agency"], "reason": {"  "}}
	res := police.post("/cases/"+policeRef+"/access-request", post)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `href="#scope"`, `href="#lawful_basis"`, `href="#reason"`, `name="match" value="`+q.Get("match")+`"`)

	// Asking Watford for a match on a case one's own agency... asks nobody: the
	// police cannot ask themselves.
	own := url.Values{"match": q["match"], "agency": {itoa(e.police.ID)}, "scope": {"whole"}, "lawful_basis": {"dpa_part3"}, "reason": {"Ours"}}
	wantStatus(t, police.post("/cases/"+policeRef+"/access-request", own), http.StatusUnprocessableEntity)

	post.Set("scope", "whole")
	post.Set("lawful_basis", "dpa_part3")
	post.Set("reason", "She may be the woman we found at the car wash")
	post.Set("agreement", "none")
	post.Set("agreement_reason", "No agreement in the test register")
	wantRedirect(t, police.post("/cases/"+policeRef+"/access-request", post), "/cases/"+policeRef+"/matches")
	wantStatus(t, police.post("/cases/"+policeRef+"/access-request", post), http.StatusConflict) // a replay

	// The requester's list and the API: waiting, naming nothing of the council's record.
	mine := police.get("/access-requests")
	wantContains(t, pageText(mine.body), "A record held by Watford Borough Council", "Waiting for a decision", "A possible match for a person on your case")
	wantNotContains(t, mine.body, secrets...)
	tok, _ := e.ts.newToken(e.worker.ID, time.Now().Add(time.Hour))
	api, _ := jsonCall(t, e.ts, "GET", "/api/v1/access-requests", tok, nil)
	wantStatus(t, api, http.StatusOK)
	wantContains(t, api.body, `"by": "match"`, `"status": "requested"`)
	wantNotContains(t, api.body, secrets...)

	// The council's supervisor: the queue, then the request's page.
	queue := cSuper.get("/approvals")
	wantContains(t, pageText(queue.body), "a possible match", "Read the request, or decline it with a reason")
	m := regexp.MustCompile(`href="(/approvals/access/(\d+))"`).FindStringSubmatch(queue.body)
	if m == nil {
		t.Fatal("no link to the request's page in the queue")
	}
	// Another agency's staff find no such page; the requester's own supervisor neither.
	for _, u := range []*client{police, e.as(e.super), council} {
		wantStatus(t, u.get(m[1]), http.StatusNotFound)
	}
	wantStatus(t, e.as(e.super).post(m[1], url.Values{"decision": {"approve"}}), http.StatusNotFound)
	page := cSuper.get(m[1])
	wantStatus(t, page, http.StatusOK)
	wantContains(t, pageText(page.body), "Alex Archer", "Ana Kowalska", "She may be the woman we found at the car wash")

	// Declining without a reason: refused, naming the field, the choice kept.
	bad := cSuper.post(m[1], url.Values{"decision": {"decline"}, "reason": {" "}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.body, `href="#reason"`, `value="decline" checked`)
	wantRedirect(t, cSuper.post(m[1], url.Values{"decision": {"decline"}, "reason": {"Not the same person: the dates of birth differ"}}), "/approvals")
	replay := cSuper.post(m[1], url.Values{"decision": {"approve"}})
	wantStatus(t, replay, http.StatusConflict)
	wantContains(t, pageText(replay.body), "already been decided")

	// The requester is told, and reads why on their list; still nothing of the record.
	told := police.get("/notifications").body
	wantContains(t, pageText(told), "was declined")
	// Followed, the notification leads to the request on their list.
	open := regexp.MustCompile(`href="(/notifications/\d+)"`).FindStringSubmatch(told)
	if open == nil {
		t.Fatal("the notification leads nowhere")
	}
	wantRedirect(t, police.get(open[1]), "/access-requests#request-"+m[2])
	mine = police.get("/access-requests")
	wantContains(t, pageText(mine.body), "Declined", "Not the same person: the dates of birth differ")
	wantNotContains(t, mine.body, secrets...)
	wantStatus(t, police.get("/cases/"+councilRef), http.StatusNotFound)
}
