package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// sceneMeeting arranges the scene's meeting, with the case on the agenda by reference.
func (sc *meetingScene) sceneMeeting(t *testing.T) *tropic.Meeting {
	t.Helper()
	ctx := context.Background()
	m := &tropic.Meeting{Kind: tropic.MeetingCaseConference, Title: "SCENE conference", HeldOn: "2026-12-01", AgencyIDs: []int64{sc.council.ID}}
	svc := sc.ts.srv.deps.Meetings
	if err := svc.CreateMeeting(ctx, tropic.ActorFor(sc.pSup), m); err != nil {
		t.Fatal(err)
	}
	if err := svc.AddAgendaItem(ctx, tropic.ActorFor(sc.pSup), m.ID, tropic.AgendaInput{Mode: tropic.AgendaReference, CaseRef: sc.caseRef}); err != nil {
		t.Fatal(err)
	}
	sc.meetingID = m.ID
	return m
}

func TestAMeetingIsChangedAgainstTheVersionSeenAndAStaleSaveKeepsWhatWasTyped(t *testing.T) {
	sc := newMeetingScene(t)
	m := sc.sceneMeeting(t)
	path := "/meetings/" + strconv.FormatInt(m.ID, 10)
	sup := sc.as(t, sc.pSup)
	page := sup.get(path + "/edit")
	if page.status != http.StatusOK || !strings.Contains(page.body, `name="version" value="1"`) || !strings.Contains(page.body, `value="1/12/2026"`) {
		t.Fatalf("edit page: got %d\n%s", page.status, brief(page.body))
	}
	if res := sc.as(t, sc.cWorker).get(path + "/edit"); res.status != http.StatusForbidden {
		t.Fatalf("an attendee's edit page: got %d", res.status)
	}
	council := strconv.FormatInt(sc.council.ID, 10)
	form := func(title, heldOn, version string, agencies ...string) url.Values {
		return url.Values{"kind": {"tasking"}, "title": {title}, "held_on": {heldOn}, "version": {version}, "agencies": agencies}
	}
	// Bad input names the field and keeps what was typed.
	res := sup.post(path+"/edit", form("Typed title kept", "31/02/2026", "1", council))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#held_on"`) || !strings.Contains(res.body, "Typed title kept") {
		t.Fatalf("bad date: got %d\n%s", res.status, brief(res.body))
	}
	// Someone else saves first: the stale save is refused, naming who and when, and
	// what was typed is kept.
	if err := sc.ts.srv.deps.Meetings.UpdateMeeting(context.Background(), tropic.ActorFor(sc.pSup), m.ID, tropic.MeetingEdit{Kind: m.Kind,
		Title: "Changed elsewhere", HeldOn: m.HeldOn, AgencyIDs: []int64{sc.council.ID}, Version: 1}); err != nil {
		t.Fatal(err)
	}
	res = sup.post(path+"/edit", form("My typed title", "8/12/2026", "1", council))
	if res.status != http.StatusConflict || !strings.Contains(res.body, "Person sup@police.example") || !strings.Contains(res.body, "changed this meeting at") ||
		!strings.Contains(res.body, "My typed title") || !strings.Contains(res.body, "08/12/2026") && !strings.Contains(res.body, "8/12/2026") {
		t.Fatalf("stale save: got %d\n%s", res.status, brief(res.body))
	}
	if !strings.Contains(res.body, `name="version" value="2"`) {
		t.Fatalf("the refused form does not carry the version now:\n%s", brief(res.body))
	}
	// Saved again against the version now, the change holds; the council is told of the date.
	res = sup.post(path+"/edit", form("My typed title", "8/12/2026", "2", council))
	if res.status != http.StatusSeeOther || res.location() != path {
		t.Fatalf("save: got %d\n%s", res.status, brief(res.body))
	}
	got := sup.get(path)
	if !strings.Contains(got.body, "My typed title") || !strings.Contains(got.body, "Meeting changed.") {
		t.Fatalf("meeting after the change:\n%s", brief(got.body))
	}
	// Taking the council off the list: the meeting is missing to it.
	outside := strconv.FormatInt(sc.outside.ID, 10)
	if res := sup.post(path+"/edit", form("My typed title", "8/12/2026", "3", outside)); res.status != http.StatusSeeOther {
		t.Fatalf("change of agencies: got %d\n%s", res.status, brief(res.body))
	}
	if res := sc.as(t, sc.cWorker).get(path); res.status != http.StatusNotFound {
		t.Fatalf("removed agency reads the meeting: %d", res.status)
	}
	// The outside agency, added, sees the case by reference only.
	if res := sc.as(t, sc.oWorker).get(path); res.status != http.StatusOK || strings.Contains(res.body, "SCENE-SECRET") || !strings.Contains(res.body, sc.caseRef) {
		t.Fatalf("added agency: got %d\n%s", res.status, brief(res.body))
	}
	// Cancelling needs a reason; then the meeting shows it and has no keeper's forms.
	if res := sup.post(path+"/cancel", url.Values{"reason": {""}, "version": {"4"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#reason"`) {
		t.Fatalf("cancel without a reason: got %d\n%s", res.status, brief(res.body))
	}
	if res := sup.post(path+"/cancel", url.Values{"reason": {"Nobody can come"}, "version": {"4"}}); res.status != http.StatusSeeOther {
		t.Fatalf("cancel: got %d\n%s", res.status, brief(res.body))
	}
	got = sup.get(path)
	if !strings.Contains(got.body, "Nobody can come") || strings.Contains(got.body, "/edit") || strings.Contains(got.body, `action="`+path+`/items"`) {
		t.Fatalf("cancelled meeting:\n%s", brief(got.body))
	}
	if res := sup.get(path + "/edit"); res.status != http.StatusConflict {
		t.Fatalf("edit page of a cancelled meeting: got %d", res.status)
	}
}

func TestTheMeetingAPIShowsAnAttendeeWithoutAccessTheCaseByReferenceOnly(t *testing.T) {
	sc := newMeetingScene(t)
	m := sc.sceneMeeting(t)
	if err := sc.ts.srv.deps.Meetings.RecordMinutes(context.Background(), tropic.ActorFor(sc.pSup), m.ID, mustItem(t, sc, m.ID), "SCENE-MINUTES passports"); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/meetings/" + strconv.FormatInt(m.ID, 10)
	council, _ := sc.ts.newToken(sc.cWorker.ID, time.Time{})
	res, body := jsonCall(t, sc.ts, http.MethodGet, path, council, nil)
	if res.status != http.StatusOK || strings.Contains(res.body, "SCENE-SECRET") || strings.Contains(res.body, "SCENE-MINUTES") || !strings.Contains(res.body, sc.caseRef) {
		t.Fatalf("council reads: %d %s", res.status, res.body)
	}
	item := body["items"].([]any)[0].(map[string]any)
	if item["readable"] != false || item["minutes_hidden"] != true {
		t.Fatalf("council's item: %v", item)
	}
	outside, _ := sc.ts.newToken(sc.oWorker.ID, time.Time{})
	if res, _ := jsonCall(t, sc.ts, http.MethodGet, path, outside, nil); res.status != http.StatusNotFound {
		t.Fatalf("outsider reads: %d", res.status)
	}
	// The keeper changes it by API: a stale version is refused with who and when.
	sup, _ := sc.ts.newToken(sc.pSup.ID, time.Time{})
	// Its minutes are written, so it took place: its date is not moved.
	if res, _ := jsonCall(t, sc.ts, http.MethodPatch, path, sup, map[string]any{"version": 1, "held_on": "2026-12-08"}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, `"held_on"`) || !strings.Contains(res.body, "took place") {
		t.Fatalf("patch moving a meeting that took place: %d %s", res.status, res.body)
	}
	if res, _ := jsonCall(t, sc.ts, http.MethodPatch, path, sup, map[string]any{"version": 1, "title": "Changed by API"}); res.status != http.StatusOK {
		t.Fatalf("patch: %d %s", res.status, res.body)
	}
	res, body = jsonCall(t, sc.ts, http.MethodPatch, path, sup, map[string]any{"version": 1, "title": "late"})
	if res.status != http.StatusConflict || !strings.Contains(res.body, "changed this meeting at") {
		t.Fatalf("stale patch: %d %s", res.status, res.body)
	}
	res, _ = jsonCall(t, sc.ts, http.MethodPatch, path, sup, map[string]any{"version": 2, "agency_ids": []int64{}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"agency_ids"`) {
		t.Fatalf("patch without agencies: %d %s", res.status, res.body)
	}
	if res, _ := jsonCall(t, sc.ts, http.MethodPatch, path, sup, map[string]any{"version": 2, "colour": "red"}); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown field: %d %s", res.status, res.body)
	}
	// Nor is it cancelled; a meeting arranged and not yet held is.
	if res, _ := jsonCall(t, sc.ts, http.MethodPost, path+"/cancel", sup, map[string]any{"version": 2, "reason": "Nobody can come"}); res.status != http.StatusConflict ||
		!strings.Contains(res.body, "took place") {
		t.Fatalf("cancel of a meeting that took place: %d %s", res.status, res.body)
	}
	res, body = jsonCall(t, sc.ts, http.MethodPost, "/api/v1/meetings", sup, map[string]any{"kind": "tasking", "title": "Next tasking",
		"held_on": time.Now().AddDate(0, 0, 7).Format(time.DateOnly), "agency_ids": []int64{sc.cWorker.AgencyID}})
	if res.status != http.StatusCreated {
		t.Fatalf("arrange: %d %s", res.status, res.body)
	}
	next := "/api/v1/meetings/" + strconv.FormatInt(int64(body["id"].(float64)), 10)
	if res, _ := jsonCall(t, sc.ts, http.MethodPost, next+"/cancel", sup, map[string]any{"version": 1, "reason": "Nobody can come"}); res.status != http.StatusOK {
		t.Fatalf("cancel: %d %s", res.status, res.body)
	}
	// The plan by API: everyone reads it; only its keepers change it.
	analyst, _ := sc.ts.newToken(sc.cAnalyst.ID, time.Time{})
	if res, _ := jsonCall(t, sc.ts, http.MethodPost, "/api/v1/plan/objectives", analyst, map[string]any{"title": "Fewer victims", "rag": "amber"}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"reason"`) {
		t.Fatalf("objective without a reason: %d %s", res.status, res.body)
	}
	if res, _ := jsonCall(t, sc.ts, http.MethodPost, "/api/v1/plan/objectives", analyst, map[string]any{"title": "Fewer victims", "rag": "amber", "reason": "Baseline"}); res.status != http.StatusCreated {
		t.Fatalf("objective: %d %s", res.status, res.body)
	}
	if res, _ := jsonCall(t, sc.ts, http.MethodPost, "/api/v1/plan/objectives", council, map[string]any{"title": "x", "rag": "amber", "reason": "x"}); res.status != http.StatusForbidden {
		t.Fatalf("caseworker's objective: %d %s", res.status, res.body)
	}
	if res, body := jsonCall(t, sc.ts, http.MethodGet, "/api/v1/plan", council, nil); res.status != http.StatusOK || len(body["objectives"].([]any)) != 1 {
		t.Fatalf("plan: %d %s", res.status, res.body)
	}
}

func mustItem(t *testing.T, sc *meetingScene, id int64) int64 {
	t.Helper()
	m, err := sc.ts.srv.deps.Meetings.FindMeeting(context.Background(), tropic.ActorFor(sc.pSup), id)
	if err != nil {
		t.Fatal(err)
	}
	return m.Items[0].ID
}

func TestTheMeetingAndPlanSchemasMatchTheCode(t *testing.T) {
	checkSchemasMatchCode(t, loadOpenAPISchemas(t), []codeSchema{
		{name: "Meeting", typ: apiMeeting{}}, {name: "AgendaItem", typ: apiAgendaItem{}}, {name: "MeetingAction", typ: apiMeetingActionV{}},
		{name: "MeetingList", typ: apiMeetingList{}},
		{name: "MeetingInput", typ: apiMeetingInput{}, input: true}, {name: "MeetingPatch", typ: apiMeetingPatch{}, input: true},
		{name: "MeetingCancel", typ: apiMeetingCancel{}, input: true}, {name: "AgendaItemInput", typ: apiAgendaInput{}, input: true},
		{name: "MinutesInput", typ: apiMinutesInput{}, input: true}, {name: "MeetingActionInput", typ: apiActionInput{}, input: true},
		{name: "ActionStatusInput", typ: apiStatusInput{}, input: true},
		{name: "Plan", typ: apiPlan{}}, {name: "Objective", typ: apiObjective{}}, {name: "RAGChange", typ: apiRAGChange{}},
		{name: "PlanAction", typ: apiPlanActionV{}},
		{name: "ObjectiveInput", typ: apiObjectiveInput{}, input: true}, {name: "RAGInput", typ: apiRAGInput{}, input: true},
		{name: "PlanActionInput", typ: apiPlanActionInput{}, input: true},
	})
}

// A meeting yet to take place offers no minutes or action forms, says from when they
// can be recorded, and refuses minutes posted anyway, naming the field; moved to
// today, it offers both.
func TestAMeetingYetToTakePlaceOffersNoMinutesOrActions(t *testing.T) {
	sc := newMeetingScene(t)
	ctx := context.Background()
	now := sc.ts.clock.Now().In(partnershipZone)
	later := now.AddDate(0, 0, 7)
	m := &tropic.Meeting{Kind: tropic.MeetingTasking, Title: "SCENE tasking", HeldOn: later.Format(time.DateOnly), AgencyIDs: []int64{sc.council.ID}}
	svc := sc.ts.srv.deps.Meetings
	if err := svc.CreateMeeting(ctx, tropic.ActorFor(sc.pSup), m); err != nil {
		t.Fatal(err)
	}
	if err := svc.AddAgendaItem(ctx, tropic.ActorFor(sc.pSup), m.ID, tropic.AgendaInput{Mode: tropic.AgendaTopic, Topic: "Car washes"}); err != nil {
		t.Fatal(err)
	}
	got, err := svc.FindMeeting(ctx, tropic.ActorFor(sc.pSup), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	path := "/meetings/" + strconv.FormatInt(m.ID, 10)
	sup := sc.as(t, sc.pSup)
	page := sup.get(path)
	when := "can be recorded from " + later.Format("2 January 2006") + ", the day of the meeting"
	if page.status != http.StatusOK || !strings.Contains(page.body, when) || strings.Contains(page.body, "/minutes\" novalidate") ||
		strings.Contains(page.body, `action="`+path+`/actions"`) || !strings.Contains(page.body, "Add to the agenda") {
		t.Fatalf("a meeting next week: got %d\n%s", page.status, brief(page.body))
	}
	res := sup.post(path+"/items/"+strconv.FormatInt(got.Items[0].ID, 10)+"/minutes", url.Values{"minutes": {"Typed too early"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Minutes can be recorded from "+later.Format("2 January 2006")) {
		t.Fatalf("minutes posted before the meeting: got %d\n%s", res.status, brief(res.body))
	}
	if err := svc.UpdateMeeting(ctx, tropic.ActorFor(sc.pSup), m.ID, tropic.MeetingEdit{Kind: m.Kind, Title: m.Title, HeldOn: now.Format(time.DateOnly),
		AgencyIDs: []int64{sc.council.ID}, Version: 1}); err != nil {
		t.Fatalf("moving a meeting yet to take place: %v", err)
	}
	page = sup.get(path)
	if strings.Contains(page.body, "can be recorded from") || !strings.Contains(page.body, "/minutes\" novalidate") || !strings.Contains(page.body, `action="`+path+`/actions"`) {
		t.Fatalf("a meeting today: got %d\n%s", page.status, brief(page.body))
	}
}
