package web

import (
	"context"
	"strconv"

	"tropic/internal/tropic"
)

// The authorisation matrix's rows for requests to reveal people of the analysts'
// network (decision 75).

// revealAnalyst is B's analyst: the person asked about is on A's case.
func (f *matrixFixture) revealAnalyst() tropic.Actor {
	for _, u := range f.users {
		if u.agency == "B" && u.role == tropic.RoleAnalyst {
			return u.actor()
		}
	}
	f.t.Fatal("no analyst at B")
	return tropic.Actor{}
}

// revealKey is the network key of a person on A's case.
func (f *matrixFixture) revealKey() string {
	f.t.Helper()
	n, err := f.ts.srv.deps.Matches.AnalystNetwork(context.Background(), f.revealAnalyst(), tropic.NetworkQuery{By: tropic.NetworkByReference, Search: f.ref}, 0)
	f.must(err)
	for _, nd := range n.Nodes {
		if nd.Kind == "person" && len(nd.Holders) > 0 {
			return nd.Key
		}
	}
	f.t.Fatal("no person in the network of A's case")
	return ""
}

// revealAsked makes a fresh request of B's analyst to A; f.shareID is it.
func (f *matrixFixture) revealAsked() {
	f.t.Helper()
	r := &tropic.RevealRequest{PersonKey: f.revealKey(), AgencyID: f.agencies["A"].ID, Purpose: "Matrix purpose", NoAgreementReason: "No agreement in the test register"}
	f.must(f.ts.srv.deps.Reveals.AskReveal(context.Background(), f.revealAnalyst(), r))
	f.shareID = r.ID
}

// mayDecideReveal: A's supervisors decide; to anyone else the request is missing
// (pages: the queue is the supervisors').
func mayDecideReveal(u *matrixUser) expect {
	if u.role == tropic.RoleSupervisor && u.agency == "A" {
		return allowed
	}
	if u.role == tropic.RoleSupervisor {
		return hidden
	}
	return refused
}

func mayDecideRevealAPI(u *matrixUser) expect {
	if u.role == tropic.RoleSupervisor && u.agency == "A" {
		return allowed
	}
	return hidden
}

func revealBody(key string) func(f *matrixFixture, _ *matrixUser) any {
	return func(f *matrixFixture, _ *matrixUser) any {
		if key == "" {
			key = f.revealKey()
		}
		return form("person", key, "agency", strconv.FormatInt(f.agencies["A"].ID, 10), "purpose", "Matrix purpose", "agreement_reason", "No agreement in the test register")
	}
}

func revealJSON(key string) func(f *matrixFixture, _ *matrixUser) any {
	return func(f *matrixFixture, _ *matrixUser) any {
		if key == "" {
			key = f.revealKey()
		}
		return map[string]any{"person": key, "agency_id": f.agencies["A"].ID, "purpose": "Matrix purpose", "agreement_reason": "No agreement in the test register"}
	}
}

const missingRevealKey = "person:0123456789abcdef"

func revealAPIRows() []matrixRow {
	return []matrixRow{
		{name: "GET /api/v1/network-reveals", rule: mayAnalyseNetwork, path: fixed("/api/v1/network-reveals")},
		{name: "POST /api/v1/network-reveals", rule: mayAnalyseNetwork, path: fixed("/api/v1/network-reveals"), body: revealJSON(""),
			missingPath: "/api/v1/network-reveals", missingBody: revealJSON(missingRevealKey)},
		{name: "POST /api/v1/network-reveals/{id}/decision", rule: mayDecideRevealAPI,
			before: func(f *matrixFixture, _ *matrixUser) { f.revealAsked() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/network-reveals/%d/decision", f.shareID, missing)
			}, body: jsonBody(map[string]any{"approve": false, "reason": "Not needed now"})},
	}
}

func revealPageRows() []matrixRow {
	return []matrixRow{
		{name: "GET /analysis/reveals", rule: mayAnalyseNetwork, path: fixed("/analysis/reveals")},
		{name: "GET /analysis/reveals/new", rule: mayAnalyseNetwork, path: fixed("/analysis/reveals/new?person=" + missingRevealKey + "&agency=1")},
		{name: "POST /analysis/reveals", rule: mayAnalyseNetwork, path: fixed("/analysis/reveals"), body: revealBody(""),
			missingPath: "/analysis/reveals", missingBody: revealBody(missingRevealKey)},
		{name: "GET /approvals/reveals/{id}", rule: mayDecideReveal,
			before: func(f *matrixFixture, _ *matrixUser) { f.revealAsked() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/approvals/reveals/%d", f.shareID, missing)
			}},
		{name: "POST /approvals/reveals/{id}", rule: mayDecideReveal,
			before: func(f *matrixFixture, _ *matrixUser) { f.revealAsked() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/approvals/reveals/%d", f.shareID, missing)
			}, body: formBody("decision", "decline", "reason", "Not needed now")},
	}
}
