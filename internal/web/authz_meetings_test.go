package web

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"tropic/internal/tropic"
)

// The authorisation matrix's rows for meetings and the partnership plan. A's meeting
// is attended by B and C; D, E and F do not attend, and find no such meeting. The
// matrix case is on its agenda by reference only, so that the matrix's own check (no
// answer shows the case's title to a user without access) holds the need-to-know
// rule of agendas to every page of the meeting.

func (f *matrixFixture) userOf(agency string, role tropic.Role) *tropic.User {
	for _, u := range f.users {
		if !u.anonymous && u.agency == agency && u.role == role {
			return u.user
		}
	}
	f.t.Fatalf("no %s %s in the matrix", agency, role)
	return nil
}

// meetingsFixture makes A's meeting and the plan's objective once.
func (f *matrixFixture) meetingsFixture() {
	f.t.Helper()
	if f.meetingID != 0 {
		return
	}
	ctx := context.Background()
	svc := f.ts.srv.deps.Meetings
	m := &tropic.Meeting{Kind: tropic.MeetingCaseConference, Title: "Matrix case conference", HeldOn: "2026-12-01",
		AgencyIDs: []int64{f.agencies["B"].ID, f.agencies["C"].ID}}
	f.must(svc.CreateMeeting(ctx, f.aSup, m))
	f.must(svc.AddAgendaItem(ctx, f.aSup, m.ID, tropic.AgendaInput{Mode: tropic.AgendaTopic, Topic: "Matrix topic"}))
	f.must(svc.AddAgendaItem(ctx, f.aSup, m.ID, tropic.AgendaInput{Mode: tropic.AgendaReference, CaseRef: f.ref}))
	got, err := svc.FindMeeting(ctx, f.aSup, m.ID)
	f.must(err)
	owner := f.userOf("A", tropic.RoleCaseworker).ID
	a := &tropic.MeetingAction{Action: tropic.Action{Text: "Matrix action", OwnerUserID: owner, Due: "2026-12-08"}}
	f.must(svc.AddMeetingAction(ctx, f.aSup, m.ID, a))
	f.meetingID, f.meetingItem, f.meetingAction = m.ID, got.Items[0].ID, a.ID

	plan := f.ts.srv.deps.Plan
	analyst := tropic.ActorFor(f.userOf("A", tropic.RoleAnalyst))
	f.objectiveID, err = plan.CreateObjective(ctx, analyst, tropic.ObjectiveInput{Title: "Matrix objective", RAG: tropic.RAGAmber, Reason: "Matrix"})
	f.must(err)
	pa := &tropic.PlanAction{Action: tropic.Action{Text: "Matrix plan action", OwnerUserID: owner, Due: "2026-12-08"}}
	f.must(plan.AddPlanAction(ctx, analyst, f.objectiveID, pa))
	f.planAction = pa.ID
}

func attends(u *matrixUser) bool { return slices.Contains([]string{"A", "B", "C"}, u.agency) }

// convenes: supervisors and partnership administrators arrange meetings.
func convenes(u *matrixUser) bool {
	return u.role == tropic.RoleSupervisor || u.role == tropic.RolePartnershipAdmin
}

func mayConvene(u *matrixUser) expect {
	if convenes(u) {
		return allowed
	}
	return refused
}

// mayReadMeeting: the attending agencies' staff, whatever their role; to anyone else
// the meeting is missing.
func mayReadMeeting(u *matrixUser) expect {
	if attends(u) {
		return allowed
	}
	return hidden
}

// mayRunMeeting: A's conveners keep the record; other attendees are refused.
func mayRunMeeting(u *matrixUser) expect {
	switch {
	case !attends(u):
		return hidden
	case u.agency == "A" && convenes(u):
		return allowed
	}
	return forbidden
}

// mayUpdateMeetingAction: the owner (A's caseworker) or A's conveners.
func mayUpdateMeetingAction(u *matrixUser) expect {
	if e := mayRunMeeting(u); e != forbidden {
		return e
	}
	if u.agency == "A" && u.role == tropic.RoleCaseworker {
		return allowed
	}
	return forbidden
}

// mayChangePlan: analysts and partnership administrators.
func mayChangePlan(u *matrixUser) expect {
	if u.role == tropic.RoleAnalyst || u.role == tropic.RolePartnershipAdmin {
		return allowed
	}
	return forbidden
}

func mayUpdatePlanAction(u *matrixUser) expect {
	if u.agency == "A" && u.role == tropic.RoleCaseworker {
		return allowed
	}
	return mayChangePlan(u)
}

func meetingPath2(format string, id func(*matrixFixture) []any) func(*matrixFixture, *matrixUser, bool) string {
	return func(f *matrixFixture, _ *matrixUser, missing bool) string {
		args := id(f)
		if missing {
			args[0] = missingID
		}
		return fmt.Sprintf(format, args...)
	}
}

func meetingPageRows() []matrixRow {
	before := func(f *matrixFixture, _ *matrixUser) { f.meetingsFixture() }
	meeting := func(f *matrixFixture) []any { return []any{f.meetingID} }
	rows := []matrixRow{
		{name: "GET /meetings", rule: signedIn, path: fixed("/meetings"), before: before},
		{name: "GET /meetings/new", rule: mayConvene, path: fixed("/meetings/new")},
		{name: "POST /meetings/new", rule: mayConvene, path: fixed("/meetings/new"),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("kind", "tasking", "title", "Matrix tasking", "held_on", "2/12/2026",
					"agencies", strconv.FormatInt(f.agencies["A"].ID, 10), "agencies", strconv.FormatInt(f.agencies["B"].ID, 10))
			}},
		{name: "GET /meetings/{id}", rule: mayReadMeeting, before: before, path: meetingPath2("/meetings/%d", meeting)},
		{name: "GET /meetings/{id}/minutes.pdf", rule: mayReadMeeting, before: before, path: meetingPath2("/meetings/%d/minutes.pdf", meeting)},
		{name: "POST /meetings/{id}/items", rule: mayRunMeeting, before: before, path: meetingPath2("/meetings/%d/items", meeting),
			body: formBody("mode", "topic", "topic", "Matrix topic added")},
		{name: "POST /meetings/{id}/items/{item}/minutes", rule: mayRunMeeting, before: before,
			path: meetingPath2("/meetings/%d/items/%d/minutes", func(f *matrixFixture) []any { return []any{f.meetingID, f.meetingItem} }),
			body: formBody("minutes", "Matrix minutes")},
		{name: "POST /meetings/{id}/actions", rule: mayRunMeeting, before: before, path: meetingPath2("/meetings/%d/actions", meeting),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("text", "Matrix action added", "owner", strconv.FormatInt(f.userOf("B", tropic.RoleCaseworker).ID, 10), "due", "9/12/2026")
			}},
		{name: "POST /meetings/{id}/actions/{action}/status", rule: mayUpdateMeetingAction, before: before,
			path: meetingPath2("/meetings/%d/actions/%d/status", func(f *matrixFixture) []any { return []any{f.meetingID, f.meetingAction} }),
			body: formBody("status", "in_progress")},
		{name: "GET /plan", rule: signedIn, path: fixed("/plan"), before: before},
		{name: "GET /plan/progress.pdf", rule: signedIn, path: fixed("/plan/progress.pdf"), before: before},
		{name: "POST /plan/objectives", rule: mayChangePlan, path: fixed("/plan/objectives"),
			body: formBody("title", "Matrix objective added", "rag", "green", "reason", "Matrix")},
		{name: "POST /plan/objectives/{id}/rag", rule: mayChangePlan, before: before,
			path: meetingPath2("/plan/objectives/%d/rag", func(f *matrixFixture) []any { return []any{f.objectiveID} }),
			body: formBody("rag", "red", "reason", "Matrix")},
		{name: "POST /plan/objectives/{id}/actions", rule: mayChangePlan, before: before,
			path: meetingPath2("/plan/objectives/%d/actions", func(f *matrixFixture) []any { return []any{f.objectiveID} }),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("text", "Matrix plan action added", "owner", strconv.FormatInt(f.userOf("C", tropic.RoleAnalyst).ID, 10), "due", "9/12/2026")
			}},
		{name: "POST /plan/actions/{id}/status", rule: mayUpdatePlanAction, before: before,
			path: meetingPath2("/plan/actions/%d/status", func(f *matrixFixture) []any { return []any{f.planAction} }),
			body: formBody("status", "in_progress")},
	}
	return append(rows, meetingChangeRows(false)...)
}

// meetingVersion is the version of A's meeting now, for a change made against it.
func (f *matrixFixture) meetingVersion(id int64) int {
	m, err := f.ts.srv.deps.Meetings.FindMeeting(context.Background(), f.aSup, id)
	f.must(err)
	return m.Version
}

// freshMeeting makes a meeting of A's attended by B and C, for a row that ends it.
func (f *matrixFixture) freshMeeting(_ *matrixUser) {
	f.meetingsFixture()
	m := &tropic.Meeting{Kind: tropic.MeetingTasking, Title: "Matrix meeting to cancel", HeldOn: "2026-12-03",
		AgencyIDs: []int64{f.agencies["B"].ID, f.agencies["C"].ID}}
	f.must(f.ts.srv.deps.Meetings.CreateMeeting(context.Background(), f.aSup, m))
	f.cancelID = m.ID
}

// meetingChangeRows are the rows changing and cancelling a meeting, of pages and API.
func meetingChangeRows(api bool) []matrixRow {
	before := func(f *matrixFixture, _ *matrixUser) { f.meetingsFixture() }
	meeting := func(f *matrixFixture) []any { return []any{f.meetingID} }
	cancel := func(f *matrixFixture) []any { return []any{f.cancelID} }
	if api {
		return []matrixRow{
			{name: "PATCH /api/v1/meetings/{id}", rule: mayRunMeeting, before: before, path: meetingPath2("/api/v1/meetings/%d", meeting),
				body: func(f *matrixFixture, _ *matrixUser) any {
					return map[string]any{"version": f.meetingVersion(f.meetingID), "people": "Matrix person"}
				}},
			{name: "POST /api/v1/meetings/{id}/cancel", rule: mayRunMeeting, before: freshMeeting, path: meetingPath2("/api/v1/meetings/%d/cancel", cancel),
				body: func(f *matrixFixture, _ *matrixUser) any {
					return map[string]any{"version": 1, "reason": "Matrix: no longer needed"}
				}},
		}
	}
	return []matrixRow{
		{name: "GET /meetings/{id}/edit", rule: mayRunMeeting, before: before, path: meetingPath2("/meetings/%d/edit", meeting)},
		{name: "POST /meetings/{id}/edit", rule: mayRunMeeting, before: before, path: meetingPath2("/meetings/%d/edit", meeting),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("kind", "case_conference", "title", "Matrix case conference", "held_on", "1/12/2026",
					"agencies", strconv.FormatInt(f.agencies["B"].ID, 10), "agencies", strconv.FormatInt(f.agencies["C"].ID, 10),
					"version", strconv.Itoa(f.meetingVersion(f.meetingID)))
			}},
		{name: "POST /meetings/{id}/cancel", rule: mayRunMeeting, before: freshMeeting, path: meetingPath2("/meetings/%d/cancel", cancel),
			body: formBody("reason", "Matrix: no longer needed", "version", "1")},
	}
}

var freshMeeting = (*matrixFixture).freshMeeting

// meetingAPIRows: the API of meetings and the plan answers as the pages do.
func meetingAPIRows() []matrixRow {
	before := func(f *matrixFixture, _ *matrixUser) { f.meetingsFixture() }
	meeting := func(f *matrixFixture) []any { return []any{f.meetingID} }
	return append([]matrixRow{
		{name: "GET /api/v1/meetings", rule: signedIn, path: fixed("/api/v1/meetings"), before: before},
		{name: "POST /api/v1/meetings", rule: mayConvene, path: fixed("/api/v1/meetings"),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"kind": "tasking", "title": "Matrix tasking by API", "held_on": "2026-12-02", "agency_ids": []int64{f.agencies["A"].ID, f.agencies["B"].ID}}
			}},
		{name: "GET /api/v1/meetings/{id}", rule: mayReadMeeting, before: before, path: meetingPath2("/api/v1/meetings/%d", meeting)},
		{name: "POST /api/v1/meetings/{id}/items", rule: mayRunMeeting, before: before, path: meetingPath2("/api/v1/meetings/%d/items", meeting),
			body: jsonBody(map[string]any{"mode": "topic", "topic": "Matrix topic added by API"})},
		{name: "POST /api/v1/meetings/{id}/items/{item}/minutes", rule: mayRunMeeting, before: before,
			path: meetingPath2("/api/v1/meetings/%d/items/%d/minutes", func(f *matrixFixture) []any { return []any{f.meetingID, f.meetingItem} }),
			body: jsonBody(map[string]any{"minutes": "Matrix minutes by API"})},
		{name: "POST /api/v1/meetings/{id}/actions", rule: mayRunMeeting, before: before, path: meetingPath2("/api/v1/meetings/%d/actions", meeting),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"text": "Matrix action by API", "owner_user_id": f.userOf("B", tropic.RoleCaseworker).ID, "due": "2026-12-09"}
			}},
		{name: "POST /api/v1/meetings/{id}/actions/{action}/status", rule: mayUpdateMeetingAction, before: before,
			path: meetingPath2("/api/v1/meetings/%d/actions/%d/status", func(f *matrixFixture) []any { return []any{f.meetingID, f.meetingAction} }),
			body: jsonBody(map[string]any{"status": "in_progress"})},
		{name: "GET /api/v1/plan", rule: signedIn, path: fixed("/api/v1/plan"), before: before},
		{name: "POST /api/v1/plan/objectives", rule: mayChangePlan, path: fixed("/api/v1/plan/objectives"),
			body: jsonBody(map[string]any{"title": "Matrix objective by API", "rag": "green", "reason": "Matrix"})},
		{name: "POST /api/v1/plan/objectives/{id}/rag", rule: mayChangePlan, before: before,
			path: meetingPath2("/api/v1/plan/objectives/%d/rag", func(f *matrixFixture) []any { return []any{f.objectiveID} }),
			body: jsonBody(map[string]any{"rag": "red", "reason": "Matrix"})},
		{name: "POST /api/v1/plan/objectives/{id}/actions", rule: mayChangePlan, before: before,
			path: meetingPath2("/api/v1/plan/objectives/%d/actions", func(f *matrixFixture) []any { return []any{f.objectiveID} }),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"text": "Matrix plan action by API", "owner_user_id": f.userOf("C", tropic.RoleAnalyst).ID, "due": "2026-12-09"}
			}},
		{name: "POST /api/v1/plan/actions/{id}/status", rule: mayUpdatePlanAction, before: before,
			path: meetingPath2("/api/v1/plan/actions/%d/status", func(f *matrixFixture) []any { return []any{f.planAction} }),
			body: jsonBody(map[string]any{"status": "in_progress"})},
	}, meetingChangeRows(true)...)
}
