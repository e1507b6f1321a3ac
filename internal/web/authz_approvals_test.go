package web

import (
	"context"
	"fmt"
	"strconv"

	"tropic/internal/tropic"
)

// The authorisation matrix's rows for notifications, the approvals queue and access
// requests, and what their before-hooks set up.

// heldRef is a case of F's with the case's phone number: A, B and C's case workers
// see it only as "held by F" from the case, and may ask F for it.
func (f *matrixFixture) heldCase() {
	f.t.Helper()
	if f.heldRef == "" {
		var fWorker tropic.Actor
		for _, u := range f.users {
			if u.agency == "F" && u.role == tropic.RoleCaseworker {
				fWorker = u.actor()
			}
		}
		c := &tropic.Case{Title: "Held by F", District: "st-albans"}
		f.must(f.cases.CreateCase(context.Background(), fWorker, c, ""))
		f.must(f.cases.AddPhone(context.Background(), fWorker, c.Reference, &tropic.CasePhone{Number: "07700900123"}))
		f.heldRef = c.Reference
	}
	f.declineAccessRequests()
}

// declineAccessRequests declines what earlier rows asked of F, so that each user's
// request is a new one.
func (f *matrixFixture) declineAccessRequests() {
	f.t.Helper()
	for _, u := range f.users {
		if u.agency != "F" || u.role != tropic.RoleSupervisor {
			continue
		}
		list, err := f.ts.srv.deps.Approvals[1](context.Background(), u.actor())
		f.must(err)
		for _, a := range list {
			f.must(f.cases.DecideShare(context.Background(), u.actor(), a.ID, false, "Not needed now"))
		}
	}
}

// accessAskedOfA makes a fresh request of F's caseworker for access to A's case (the
// two share a phone number), after declining any earlier one; f.shareID is it.
func (f *matrixFixture) accessAskedOfA() {
	f.t.Helper()
	f.heldCase()
	ctx := context.Background()
	list, err := f.ts.srv.deps.Approvals[1](ctx, f.aSup)
	f.must(err)
	for _, a := range list {
		f.must(f.cases.DecideShare(ctx, f.aSup, a.ID, false, "Not needed now"))
	}
	var fWorker tropic.Actor
	for _, u := range f.users {
		if u.agency == "F" && u.role == tropic.RoleCaseworker {
			fWorker = u.actor()
		}
	}
	r := &tropic.AccessRequest{CaseReference: f.heldRef, Kind: tropic.LinkPhone, Value: "07700900123", AgencyID: f.agencies["A"].ID,
		Scope: tropic.ShareWithoutSensitive, LawfulBasis: "dpa_sch1_18", Reason: "The same phone", NoAgreement: "No agreement in the test register"}
	f.must(f.ts.srv.deps.Access.RequestAccess(ctx, fWorker, r))
	f.shareID = r.ID
}

// mayAskAccess: who may see the case may ask F for what it holds; to anyone else the
// case, and so the request, does not exist.
func mayAskAccess(u *matrixUser) expect {
	if u.access() == tropic.AccessNone {
		return hidden
	}
	return allowed
}

// mayDecideFromQueue: the queue is the supervisors'; there, a share is decided as on
// its case.
func mayDecideFromQueue(u *matrixUser) expect {
	if u.role != tropic.RoleSupervisor {
		return refused
	}
	return mayDecideShare(u)
}

func accessRequestBody(f *matrixFixture, _ *matrixUser) any {
	return map[string]any{"case_reference": f.ref, "kind": "phone", "value": "07700900123", "agency_id": f.agencies["F"].ID,
		"scope": "without_sensitive", "lawful_basis": "dpa_sch1_18", "reason": "The same phone", "no_agreement_reason": "No agreement in the test register"}
}

func approvalAPIRows() []matrixRow {
	return []matrixRow{
		{name: "GET /api/v1/notifications", rule: signedIn, path: fixed("/api/v1/notifications")},
		{name: "POST /api/v1/notifications/read", rule: signedIn, path: fixed("/api/v1/notifications/read"), body: jsonBody(map[string]any{"all": true})},
		{name: "GET /api/v1/approvals", rule: signedIn, path: fixed("/api/v1/approvals")},
		{name: "GET /api/v1/access-requests", rule: mayList, path: fixed("/api/v1/access-requests")},
		{name: "POST /api/v1/access-requests", rule: mayAskAccess, before: func(f *matrixFixture, _ *matrixUser) { f.heldCase() },
			path: fixed("/api/v1/access-requests"), body: accessRequestBody,
			missingPath: "/api/v1/access-requests",
			missingBody: func(f *matrixFixture, u *matrixUser) any {
				b := accessRequestBody(f, u).(map[string]any)
				b["case_reference"] = matrixMissingRef
				return b
			}},
	}
}

func approvalPageRows() []matrixRow {
	return []matrixRow{
		{name: "GET /notifications", rule: signedIn, path: fixed("/notifications")},
		{name: "POST /notifications/read", rule: signedIn, path: fixed("/notifications/read"), body: formBody()},
		// Each user opens a notification of their own; another's is missing (TestOpeningANotification).
		{name: "GET /notifications/{id}", rule: signedIn, path: func(f *matrixFixture, u *matrixUser, missing bool) string {
			if missing || u.anonymous {
				return "/notifications/" + fmt.Sprint(missingID)
			}
			return "/notifications/" + fmt.Sprint(f.notificationFor(u))
		}},
		{name: "GET /account/notifications", rule: signedIn, path: fixed("/account/notifications")},
		{name: "POST /account/notifications", rule: signedIn, path: fixed("/account/notifications"), body: formBody("notification_email", "digest")},
		{name: "GET /approvals", rule: mayListSupervisor, path: fixed("/approvals")},
		{name: "GET /approvals/expired-shares", rule: mayListSupervisor, path: fixed("/approvals/expired-shares")},
		{name: "POST /approvals/expired-shares", rule: mayEndExpired,
			before:      func(f *matrixFixture, _ *matrixUser) { f.expiredShare() },
			after:       func(f *matrixFixture) { f.clearScratchShares() },
			path:        fixed("/approvals/expired-shares"),
			body:        func(f *matrixFixture, _ *matrixUser) any { return form("share", strconv.FormatInt(f.shareID, 10)) },
			missingPath: "/approvals/expired-shares", missingBody: formBody("share", fmt.Sprint(missingID))},
		{name: "POST /approvals/shares/{id}", rule: mayDecideFromQueue,
			before: func(f *matrixFixture, _ *matrixUser) { f.scratchShare(f.aWorker) },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/approvals/shares/%d", f.shareID, missing)
			}, body: formBody("decision", "approve")},
		{name: "GET /approvals/access/{id}", rule: mayDecideFromQueue,
			before: func(f *matrixFixture, _ *matrixUser) { f.accessAskedOfA() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/approvals/access/%d", f.shareID, missing)
			}},
		{name: "POST /approvals/access/{id}", rule: mayDecideFromQueue,
			before: func(f *matrixFixture, _ *matrixUser) { f.accessAskedOfA() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/approvals/access/%d", f.shareID, missing)
			}, body: formBody("decision", "decline", "reason", "Not needed now")},
		{name: "GET /access-requests", rule: mayList, path: fixed("/access-requests")},
		{name: "GET /cases/{ref}/access-request", rule: mayAskAccess, path: onCase("/cases/", "/access-request?kind=phone&value=07700900123")},
		{name: "POST /cases/{ref}/access-request", rule: mayAskAccess, before: func(f *matrixFixture, _ *matrixUser) { f.heldCase() },
			path: onCase("/cases/", "/access-request"),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("kind", "phone", "value", "07700900123", "agency", strconv.FormatInt(f.agencies["F"].ID, 10),
					"scope", "without_sensitive", "lawful_basis", "dpa_sch1_18", "reason", "The same phone", "agreement_reason", "No agreement in the test register")
			}},
	}
}

// notificationFor writes a notification to u, leading to their home, and returns its id.
func (f *matrixFixture) notificationFor(u *matrixUser) int64 {
	f.t.Helper()
	db := f.ts.db.SQL()
	if _, err := db.Exec(fmt.Sprintf(`INSERT INTO notifications (user_id, kind, text, link, created_at) VALUES (%d, 'share_requested', 'A matrix notification', '/staff', CURRENT_TIMESTAMP)`, u.user.ID)); err != nil {
		f.t.Fatal(err)
	}
	var id int64
	if err := db.QueryRow(fmt.Sprintf(`SELECT MAX(id) FROM notifications WHERE user_id = %d`, u.user.ID)).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}
