package web

import (
	"context"
	"strconv"

	"tropic/internal/tropic"
)

// The authorisation matrix's rows for rights requests. Every agency of the matrix has
// a data protection officer, so only A's works A's requests; everyone else finds no
// such request, and the list and form are for officers only. The requester is a
// person on A's other case, so that no answer shows the matrix case to the officer.

// rightsFixture is A's access request, made afresh before each call.
type rightsFixture struct {
	person, third int64 // the requester's record on A's other case, and a third party there
	requestID     int64
}

// freshRightsRequest opens an access request of A's with the requester confirmed.
func (f *matrixFixture) freshRightsRequest() {
	f.t.Helper()
	ctx := context.Background()
	if f.rights.person == 0 {
		p := &tropic.Person{GivenName: "Rita", FamilyName: "Matrix"}
		f.must(f.cases.AddPerson(ctx, f.aWorker, f.otherRef, p, tropic.RolePotentialVictim))
		q := &tropic.Person{GivenName: "Thea", FamilyName: "Matrix"}
		f.must(f.cases.AddPerson(ctx, f.aWorker, f.otherRef, q, tropic.RoleWitness))
		f.rights.person, f.rights.third = p.ID, q.ID
	}
	dpo := tropic.ActorFor(f.userOf("A", tropic.RoleDPO))
	svc := f.ts.srv.deps.Rights
	r := &tropic.RightsRequest{Kind: tropic.RightsAccess, ReceivedOn: "2026-01-31", IdentityVerified: "Matrix passport seen"}
	f.must(svc.OpenRightsRequest(ctx, dpo, r))
	f.must(svc.ConfirmRightsPerson(ctx, dpo, r.ID, f.rights.person, true))
	f.rights.requestID = r.ID
}

// mayWorkRights: a data protection officer, for their own agency's requests.
func mayWorkRights(u *matrixUser) expect {
	if u.role == tropic.RoleDPO {
		return allowed
	}
	return refused
}

// mayWorkARights: A's data protection officer; to anyone else the request is missing.
func mayWorkARights(u *matrixUser) expect {
	if u.role == tropic.RoleDPO && u.agency == "A" {
		return allowed
	}
	return hidden
}

func rightsPageRows() []matrixRow {
	before := func(f *matrixFixture, _ *matrixUser) { f.freshRightsRequest() }
	path := func(suffix string) func(*matrixFixture, *matrixUser, bool) string {
		return func(f *matrixFixture, _ *matrixUser, missing bool) string {
			id := f.rights.requestID
			if missing {
				id = missingID
			}
			return "/rights/" + strconv.FormatInt(id, 10) + suffix
		}
	}
	person := func(id func(f *matrixFixture) int64, pairs ...string) func(*matrixFixture, *matrixUser) any {
		return func(f *matrixFixture, _ *matrixUser) any {
			return form(append([]string{"person", strconv.FormatInt(id(f), 10)}, pairs...)...)
		}
	}
	return []matrixRow{
		{name: "GET /rights", rule: mayWorkRights, path: fixed("/rights")},
		{name: "POST /rights", rule: mayWorkRights, path: fixed("/rights"),
			body: formBody("kind", "erasure", "received_on", "1/2/2026", "identity_verified", "Matrix licence seen")},
		{name: "GET /rights/{id}", rule: mayWorkARights, before: before, path: path("")},
		{name: "POST /rights/{id}/extend", rule: mayWorkARights, before: before, path: path("/extend"), body: formBody("reason", "Matrix: complex")},
		{name: "POST /rights/{id}/close", rule: mayWorkARights, before: before, path: path("/close"),
			body: formBody("status", "refused", "outcome", "Matrix refusal", "exemption", "law enforcement, DPA 2018 s.45(4)")},
		{name: "POST /rights/{id}/people", rule: mayWorkARights, before: before, path: path("/people"),
			body: person(func(f *matrixFixture) int64 { return f.rights.person }, "confirm", "no")},
		{name: "POST /rights/{id}/redaction", rule: mayWorkARights, before: before, path: path("/redaction"),
			body: person(func(f *matrixFixture) int64 { return f.rights.third }, "redact", "no", "reason", "Matrix reason")},
		{name: "POST /rights/{id}/release", rule: mayWorkARights, before: before, path: path("/release")},
	}
}
