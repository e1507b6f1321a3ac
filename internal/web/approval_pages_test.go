package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// The loop of an access request through the pages and the API: a council caseworker
// sees "held by" the police on their case, asks for access, the police supervisor is
// notified and approves it from the approvals queue, and the caseworker is notified
// and reads the case.
func TestAccessRequestFromHeldByToTheQueueAndBack(t *testing.T) {
	e := newCaseEnv(t)
	police, council, super := e.as(e.worker), e.as(e.cWorker), e.as(e.super)
	policeRef := e.newCase(police, "Sparkle car wash (police title)")
	wantRedirect(t, police.post("/cases/"+policeRef+"/phones/new", url.Values{"number": {"07700 900123"}}), "/cases/"+policeRef)
	councilRef := e.newCase(council, "Overcrowded house")
	wantRedirect(t, council.post("/cases/"+councilRef+"/phones/new", url.Values{"number": {"07700 900123"}}), "/cases/"+councilRef)

	ask := regexp.MustCompile(`href="(/cases/[^"]+/access-request\?[^"]+)"`).FindStringSubmatch(council.get("/cases/" + councilRef).body)
	if ask == nil {
		t.Fatal("no link to ask for access on the case page")
	}
	askPath := html.UnescapeString(ask[1])
	form := council.get(askPath)
	wantContains(t, pageText(form.body), "Ask for access to a record", "the same phone number 07700 900123")
	wantNotContains(t, form.body, policeRef, "police title")

	// Bad input: each field named, the reason kept.
	q, _ := url.ParseQuery(askPath[len("/cases/"+councilRef+"/access-request?"):])
	post := url.Values{"kind": q["kind"], "value": q["value"], "agency": q["agency"], "reason": {"  "}}
	res := council.post("/cases/"+councilRef+"/access-request", post)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("got %d, want 422", res.status)
	}
	wantContains(t, res.body, `href="#scope"`, `href="#lawful_basis"`, `href="#reason"`)
	post.Set("scope", "whole")
	post.Set("lawful_basis", "dpa_sch1_18")
	post.Set("agreement_reason", "No agreement in the test register")
	post.Set("reason", "Same phone as the house we inspect")
	wantRedirect(t, council.post("/cases/"+councilRef+"/access-request", post), "/cases/"+councilRef)
	again := council.post("/cases/"+councilRef+"/access-request", post)
	if again.status != http.StatusConflict {
		t.Fatalf("a replay got %d, want 409", again.status)
	}

	home := super.get("/staff")
	wantContains(t, pageText(home.body), "<li>1 access request</li>", "1 unread notification")
	notes := pageText(super.get("/notifications").body)
	wantContains(t, notes, e.council.Name+" asks for access to case "+policeRef)
	queue := super.get("/approvals")
	wantContains(t, pageText(queue.body), "Access request:", e.council.Name+" asks to see the whole case", "the same phone number 07700 900123",
		"Same phone as the house we inspect")
	m := regexp.MustCompile(`action="(/approvals/shares/(\d+))"`).FindStringSubmatch(queue.body)
	if m == nil {
		t.Fatal("no decision form in the queue")
	}
	// Another agency's supervisor cannot decide it.
	if res := e.as(e.cSuper).post(m[1], url.Values{"decision": {"approve"}}); res.status != http.StatusNotFound {
		t.Fatalf("the requester's supervisor got %d, want 404", res.status)
	}
	wantRedirect(t, super.post(m[1], url.Values{"decision": {"approve"}}), "/approvals")
	wantContains(t, pageText(super.get("/approvals").body), "Nothing waits for a decision.")
	// The supervisor's own notification of the request now says how it was decided.
	notes = pageText(super.get("/notifications").body)
	wantContains(t, notes, e.council.Name+"'s request for access to case "+policeRef+" was approved on ", "Done")
	wantNotContains(t, notes, "waits for a supervisor's decision")

	// The requester is told, reads it, and marks it read.
	list := council.get("/notifications")
	wantContains(t, pageText(list.body), "was approved: case "+policeRef+" is shared with your agency")
	wantContains(t, list.body, `id="unread-count"`)
	wantContains(t, council.get("/cases/"+policeRef).body, "police title")
	wantRedirect(t, council.post("/notifications/read", url.Values{}), "/notifications")
	wantNotContains(t, council.get("/notifications").body, `id="unread-count"`)

	// The API: notifications, marking another user's as read, the queue, and the request.
	tok, _ := e.ts.newToken(e.cWorker.ID, time.Now().Add(time.Hour))
	stok, _ := e.ts.newToken(e.super.ID, time.Now().Add(time.Hour))
	res, body := jsonCall(t, e.ts, "GET", "/api/v1/notifications", tok, nil)
	if res.status != http.StatusOK || body["total"].(float64) != 1 || body["unread"].(float64) != 0 {
		t.Fatalf("GET notifications: %d %s", res.status, res.body)
	}
	_, sbody := jsonCall(t, e.ts, "GET", "/api/v1/notifications?unread=true", stok, nil)
	theirs := sbody["notifications"].([]any)[0].(map[string]any)["id"].(float64)
	if res, _ := jsonCall(t, e.ts, "POST", "/api/v1/notifications/read", tok, map[string]any{"ids": []int64{int64(theirs)}}); res.status != http.StatusNotFound {
		t.Fatalf("marking another user's notification: %d, want 404", res.status)
	}
	if res, _ := jsonCall(t, e.ts, "POST", "/api/v1/notifications/read", stok, map[string]any{"ids": []int64{int64(theirs)}}); res.status != http.StatusOK {
		t.Fatalf("marking one's own: %d %s", res.status, res.body)
	}
	if res, body := jsonCall(t, e.ts, "GET", "/api/v1/approvals", stok, nil); res.status != http.StatusOK || len(body["approvals"].([]any)) != 0 {
		t.Fatalf("GET approvals: %d %s", res.status, res.body)
	}
	// Asking again now that the case is shared: conflict; from a case one may not
	// see, or a case that does not exist: the same 404.
	in := map[string]any{"case_reference": councilRef, "kind": "phone", "value": "07700 900123", "agency_id": e.police.ID,
		"scope": "whole", "lawful_basis": "consent", "reason": "Again", "no_agreement_reason": "No agreement in the test register"}
	if res, _ := jsonCall(t, e.ts, "POST", "/api/v1/access-requests", tok, in); res.status != http.StatusConflict {
		t.Fatalf("asking for a case already seen: %d, want 409", res.status)
	}
	wtok, _ := e.ts.newToken(e.worker2.ID, time.Now().Add(time.Hour))
	in["case_reference"] = councilRef
	hidden, _ := jsonCall(t, e.ts, "POST", "/api/v1/access-requests", wtok, in)
	in["case_reference"] = tropic.NewCaseReference()
	missing, _ := jsonCall(t, e.ts, "POST", "/api/v1/access-requests", wtok, in)
	if hidden.status != http.StatusNotFound || hidden.body != missing.body {
		t.Fatalf("a case one may not see: %d %s; a missing case: %d %s; want the same 404", hidden.status, hidden.body, missing.status, missing.body)
	}
}

// TestOpenAPIApprovalSchemasMatchTheCode holds the notification, approval and access
// request schemas to their Go types.
func TestOpenAPIApprovalSchemasMatchTheCode(t *testing.T) {
	checkSchemasMatchCode(t, loadOpenAPISchemas(t), []codeSchema{
		{"AgencySummary", agencySummary{}, false},
		{"Notification", tropic.Notification{}, false},
		{"NotificationList", apiNotificationList{}, false},
		{"NotificationsReadInput", apiNotificationsReadInput{}, true},
		{"Approval", apiApproval{}, false},
		{"ApprovalList", apiApprovalList{}, false},
		{"AccessRequestInput", apiAccessRequestInput{}, true},
		{"AccessRequestResult", apiAccessRequestResult{}, false},
		{"OwnAccessRequest", apiOwnAccessRequest{}, false},
		{"OwnAccessRequestList", apiOwnAccessRequestList{}, false},
	})
}
