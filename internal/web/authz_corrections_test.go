package web

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// The authorisation matrix's rows for correcting the record (issue 19): each call
// acts on an item made for it, so that a call that removes leaves the next one
// something to act on. A potential victim's link is taken off only by a supervisor
// of the owner (victim first); A's caseworkers are told so, as is everyone else who
// sees the case.

// freshPhone records a phone number on the case for the next call.
func (f *matrixFixture) freshPhone() {
	f.t.Helper()
	ph := &tropic.CasePhone{Number: "07700 900555"}
	f.must(f.cases.AddPhone(context.Background(), f.aSup, f.ref, ph))
	f.itemID = ph.ID
}

// freshLink puts a new person on the case in role for the next call.
func (f *matrixFixture) freshLink(role tropic.PersonRole) {
	f.t.Helper()
	p := &tropic.Person{GivenName: "Matrix", FamilyName: fmt.Sprintf("Corrected %d", time.Now().UnixNano())}
	f.must(f.cases.AddPerson(context.Background(), f.aSup, f.ref, p, role))
	for _, cp := range f.findCase().People {
		if cp.Person.ID == p.ID {
			f.itemID = cp.ID
		}
	}
}

func (f *matrixFixture) freshTask() { f.taskForA(); f.itemID = f.taskID }

func onItem(prefix, part, rest string) func(*matrixFixture, *matrixUser, bool) string {
	return onCaseID(prefix+"%s/"+part+"/%d"+rest, func(f *matrixFixture) int64 { return f.itemID })
}

func before(hook func(*matrixFixture)) func(*matrixFixture, *matrixUser) {
	return func(f *matrixFixture, _ *matrixUser) { hook(f) }
}

func correctionPageRows() []matrixRow {
	const c = "/cases/"
	victim := before(func(f *matrixFixture) { f.freshLink(tropic.RolePotentialVictim) })
	witness := before(func(f *matrixFixture) { f.freshLink(tropic.RoleWitness) })
	_, withdrawals := withdrawalRows()
	return append(withdrawals, []matrixRow{
		{name: "GET /cases/{ref}/items", rule: mayContribute, path: onCase(c, "/items")},
		{name: "GET /cases/{ref}/{part}/{id}/edit", rule: mayChange, before: before((*matrixFixture).freshPhone), path: onItem(c, "phones", "/edit")},
		{name: "POST /cases/{ref}/{part}/{id}/edit", rule: mayChange, before: before((*matrixFixture).freshPhone), path: onItem(c, "phones", "/edit"),
			body: formBody("number", "07700 900556", "version", "1")},
		{name: "POST /cases/{ref}/{part}/{id}/edit ?task", rule: mayChange, before: before((*matrixFixture).freshTask), path: onItem(c, "tasks", "/edit"),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("title", "A task, corrected", "assignee", fmt.Sprint("agency:", f.agencies["A"].ID), "version", "1")
			}},
		{name: "GET /cases/{ref}/{part}/{id}/remove", rule: mayChange, before: before((*matrixFixture).freshPhone), path: onItem(c, "phones", "/remove")},
		{name: "POST /cases/{ref}/{part}/{id}/remove", rule: mayChange, before: before((*matrixFixture).freshPhone), path: onItem(c, "phones", "/remove"),
			body: formBody("reason", "entered_in_error", "version", "1")},
		{name: "GET /cases/{ref}/{part}/{id}/edit ?link", rule: mayChange, before: witness, path: onItem(c, "people", "/edit")},
		{name: "POST /cases/{ref}/{part}/{id}/edit ?link", rule: mayChange, before: witness, path: onItem(c, "people", "/edit"),
			body: formBody("role", "other", "version", "1")},
		{name: "GET /cases/{ref}/{part}/{id}/edit ?task", rule: mayChange, before: before((*matrixFixture).freshTask), path: onItem(c, "tasks", "/edit")},
		{name: "GET /cases/{ref}/{part}/{id}/remove ?task", rule: mayChange, before: before((*matrixFixture).freshTask), path: onItem(c, "tasks", "/remove")},
		{name: "POST /cases/{ref}/{part}/{id}/remove ?task", rule: mayChange, before: before((*matrixFixture).freshTask), path: onItem(c, "tasks", "/remove"),
			body: formBody("reason", "duplicate", "version", "1")},
		{name: "POST /cases/{ref}/{part}/{id}/remove ?witness", rule: mayChange, before: witness, path: onItem(c, "people", "/remove"),
			body: formBody("reason", "entered_in_error", "version", "1")},
		{name: "GET /cases/{ref}/{part}/{id}/remove ?victim", rule: mayDecide, before: victim, path: onItem(c, "people", "/remove")},
		{name: "POST /cases/{ref}/{part}/{id}/remove ?victim", rule: mayDecide, before: victim, path: onItem(c, "people", "/remove"),
			body: formBody("reason", "not_connected", "version", "1")},
	}...)
}

func correctionAPIRows() []matrixRow {
	const c = "/api/v1/cases/"
	victim := before(func(f *matrixFixture) { f.freshLink(tropic.RolePotentialVictim) })
	withdrawals, _ := withdrawalRows()
	return append(withdrawals, []matrixRow{
		{name: "PATCH /api/v1/cases/{reference}/{part}/{id}", rule: mayChange, before: before((*matrixFixture).freshPhone), path: onItem(c, "phones", ""),
			body: jsonBody(map[string]any{"version": 1, "number": "07700 900557"})},
		{name: "PATCH /api/v1/cases/{reference}/{part}/{id} ?task", rule: mayChange, before: before((*matrixFixture).freshTask), path: onItem(c, "tasks", ""),
			body: jsonBody(map[string]any{"version": 1, "title": "A task, corrected", "due": "2030-01-31"})},
		{name: "PATCH /api/v1/cases/{reference}/{part}/{id} ?link", rule: mayChange, before: before(func(f *matrixFixture) { f.freshLink(tropic.RoleWitness) }),
			path: onItem(c, "people", ""), body: jsonBody(map[string]any{"version": 1, "role": "other", "coerced_offender": false})},
		{name: "DELETE /api/v1/cases/{reference}/{part}/{id}", rule: mayChange, before: before((*matrixFixture).freshPhone), path: onItem(c, "phones", ""),
			body: jsonBody(map[string]any{"version": 1, "reason": "duplicate"})},
		{name: "DELETE /api/v1/cases/{reference}/{part}/{id} ?task", rule: mayChange, before: before((*matrixFixture).freshTask), path: onItem(c, "tasks", ""),
			body: jsonBody(map[string]any{"version": 1, "reason": "other", "detail": "Done elsewhere"})},
		{name: "DELETE /api/v1/cases/{reference}/{part}/{id} ?witness", rule: mayChange, before: before(func(f *matrixFixture) { f.freshLink(tropic.RoleWitness) }),
			path: onItem(c, "people", ""), body: jsonBody(map[string]any{"version": 1, "reason": "not_connected"})},
		{name: "DELETE /api/v1/cases/{reference}/{part}/{id} ?victim", rule: mayDecide, before: victim, path: onItem(c, "people", ""),
			body: jsonBody(map[string]any{"version": 1, "reason": "other", "detail": "Recorded on the wrong case"})},
	}...)
}

// freshDtN has B make a Duty to Notify report for the next call to withdraw.
func (f *matrixFixture) freshDtN() {
	f.t.Helper()
	dtn := &tropic.Referral{AgeGroup: tropic.AgeAdult, SubmittedOn: time.Now().AddDate(0, 0, -1).Format(time.DateOnly), Gender: "female",
		Nationality: "Polish", Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}, Location: "uk"}
	f.must(f.ts.srv.deps.Referrals.CreateReferral(context.Background(), f.bWorker, f.ref, 0, dtn))
	f.itemID = dtn.ID
}

// withdrawalRows: B's case workers alone withdraw B's Duty to Notify report.
func withdrawalRows() (api, pages []matrixRow) {
	path := func(format string) func(*matrixFixture, *matrixUser, bool) string {
		return func(f *matrixFixture, _ *matrixUser, missing bool) string { return idPath(format, f.itemID, missing) }
	}
	dtn := before((*matrixFixture).freshDtN)
	api = []matrixRow{{name: "POST /api/v1/referrals/{id}/withdrawal", rule: mayReadReport, before: dtn, path: path("/api/v1/referrals/%d/withdrawal"),
		body: jsonBody(map[string]any{"version": 1, "reason": "entered_in_error"})},
		// Corrected as withdrawn: B's case workers alone (issue 19, item 4).
		{name: "PATCH /api/v1/referrals/{id}", rule: mayReadReport, before: dtn, path: path("/api/v1/referrals/%d"),
			body: jsonBody(map[string]any{"version": 1, "reason": "entry_mistake", "gender": "male"})}}
	pages = []matrixRow{
		{name: "GET /referrals/{id}/withdraw", rule: mayReadReport, before: dtn, path: path("/referrals/%d/withdraw")},
		{name: "POST /referrals/{id}/withdraw", rule: mayReadReport, before: dtn, path: path("/referrals/%d/withdraw"),
			body: formBody("reason", "duplicate", "version", "1")},
		{name: "GET /referrals/{id}/correct", rule: mayReadReport, before: dtn, path: path("/referrals/%d/correct")},
		{name: "POST /referrals/{id}/correct", rule: mayReadReport, before: dtn, path: path("/referrals/%d/correct"),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("reason", "new_information", "version", "1", "submitted_on", f.ts.clock.Now().AddDate(0, 0, -1).Format(time.DateOnly),
					"gender", "male", "nationality", "Polish", "exploitation", "labour", "location", "uk")
			}},
	}
	return api, pages
}
