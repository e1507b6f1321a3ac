package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"tropic/internal/auth"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// meetingScene: the police convene a case conference with the council; an outside
// agency does not attend. On the agenda, a police case by reference only.
type meetingScene struct {
	ts                       *testServer
	police, council, outside *tropic.Agency
	pSup, pWorker, cAnalyst  *tropic.User
	cWorker, oWorker         *tropic.User
	meetingID                int64
	caseRef                  string
}

const sceneSecretTitle = "SCENE-SECRET Hidden nail bar"

func newMeetingScene(t *testing.T) *meetingScene {
	t.Helper()
	return newMeetingSceneOn(t, store.SQLite)
}

// newMeetingSceneOn is the scene on the database of dialect d.
func newMeetingSceneOn(t *testing.T, d store.Dialect) *meetingScene {
	t.Helper()
	ts := newTestServerOn(t, d, Config{MFAWaived: true})
	sc := &meetingScene{ts: ts, police: ts.agency}
	ctx := context.Background()
	mk := func(name string) *tropic.Agency {
		a := &tropic.Agency{Name: name, Kind: tropic.AgencyDistrictCouncil}
		if err := ts.agencies.CreateAgency(ctx, testAdmin, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	sc.council, sc.outside = mk("Dacorum Borough Council"), mk("Outside District Council")
	hash, err := auth.HashPassword(testPassword, testParams)
	if err != nil {
		t.Fatal(err)
	}
	user := func(a *tropic.Agency, email string, roles ...tropic.Role) *tropic.User {
		u := &tropic.User{Email: email, Name: "Person " + email, AgencyID: a.ID, Roles: roles}
		if err := ts.users.CreateUser(ctx, testAdmin, u, hash); err != nil {
			t.Fatal(err)
		}
		return u
	}
	sc.pSup = user(sc.police, "sup@police.example", tropic.RoleSupervisor)
	sc.pWorker = user(sc.police, "worker@police.example", tropic.RoleCaseworker)
	sc.cWorker = user(sc.council, "worker@council.example", tropic.RoleCaseworker)
	sc.cAnalyst = user(sc.council, "analyst@council.example", tropic.RoleAnalyst)
	sc.oWorker = user(sc.outside, "worker@outside.example", tropic.RoleSupervisor)
	c := &tropic.Case{Title: sceneSecretTitle, District: "st-albans"}
	if err := ts.srv.deps.Cases.CreateCase(ctx, tropic.ActorFor(sc.pWorker), c, ""); err != nil {
		t.Fatal(err)
	}
	sc.caseRef = c.Reference
	return sc
}

func (sc *meetingScene) as(t *testing.T, u *tropic.User) *client {
	t.Helper()
	c := sc.ts.client(t)
	c.signInWaived(u.Email)
	return c
}

func TestAMeetingIsArrangedAndAnAttendeeWithoutAccessSeesTheCaseByReferenceOnly(t *testing.T) {
	sc := newMeetingScene(t)
	sup := sc.as(t, sc.pSup)
	// Bad input names the field and keeps what was typed.
	res := sup.post("/meetings/new", url.Values{"kind": {"case_conference"}, "title": {"Typed title kept"}, "held_on": {"31/02/2026"},
		"agencies": {strconv.FormatInt(sc.council.ID, 10)}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#held_on"`) || !strings.Contains(res.body, "Typed title kept") {
		t.Fatalf("bad date: got %d\n%s", res.status, brief(res.body))
	}
	res = sup.post("/meetings/new", url.Values{"kind": {"case_conference"}, "title": {"Nail bar conference"}, "held_on": {"1/12/2026"},
		"agencies": {strconv.FormatInt(sc.council.ID, 10)}, "people": {"Sam Super, DS, police"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/meetings/") {
		t.Fatalf("create: got %d\n%s", res.status, brief(res.body))
	}
	path := res.location()
	sc.meetingID, _ = strconv.ParseInt(strings.TrimPrefix(path, "/meetings/"), 10, 64)
	if res := sup.post(path+"/items", url.Values{"mode": {"reference"}, "case": {sc.caseRef}}); res.status != http.StatusSeeOther {
		t.Fatalf("add item: got %d\n%s", res.status, brief(res.body))
	}
	m, err := sc.ts.srv.deps.Meetings.FindMeeting(context.Background(), tropic.ActorFor(sc.pSup), sc.meetingID)
	if err != nil {
		t.Fatal(err)
	}
	item := strconv.FormatInt(m.Items[0].ID, 10)
	if res := sup.post(path+"/items/"+item+"/minutes", url.Values{"minutes": {"SCENE-MINUTES passports held"}}); res.status != http.StatusSeeOther {
		t.Fatalf("minutes: got %d\n%s", res.status, brief(res.body))
	}
	// An action on the case cannot go to the council, who cannot see it.
	res = sup.post(path+"/actions", url.Values{"item": {item}, "text": {"Visit"}, "owner": {strconv.FormatInt(sc.cWorker.ID, 10)}, "due": {"8/12/2026"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#action-owner"`) {
		t.Fatalf("action for someone without access: got %d\n%s", res.status, brief(res.body))
	}
	if res := sup.post(path+"/actions", url.Values{"text": {"Send the safeguarding leaflet"}, "owner": {strconv.FormatInt(sc.cWorker.ID, 10)}, "due": {"1/1/2020"}}); res.status != http.StatusSeeOther {
		t.Fatalf("action: got %d\n%s", res.status, brief(res.body))
	}

	for _, u := range []*tropic.User{sc.cWorker, sc.cAnalyst} {
		c := sc.as(t, u)
		for _, p := range []string{path, path + "/minutes.pdf"} {
			res := c.get(p)
			if res.status != http.StatusOK || !strings.Contains(res.body, sc.caseRef) {
				t.Fatalf("%s %s: got %d\n%s", u.Email, p, res.status, brief(res.body))
			}
			for _, secret := range []string{"SCENE-SECRET", "SCENE-MINUTES"} {
				if strings.Contains(res.body, secret) {
					t.Errorf("%s sees %q at %s", u.Email, secret, p)
				}
			}
		}
	}
	// The owner's agency sees it all.
	if res := sc.as(t, sc.pWorker).get(path); !strings.Contains(res.body, "SCENE-SECRET") || !strings.Contains(res.body, "SCENE-MINUTES") {
		t.Errorf("the owning agency does not see its case on the agenda:\n%s", brief(res.body))
	}
	// The action is on its owner's home, overdue.
	home := sc.as(t, sc.cWorker).get("/staff")
	if !strings.Contains(home.body, "Send the safeguarding leaflet") || !strings.Contains(home.body, "Overdue") {
		t.Errorf("the owner's home does not show the overdue action:\n%s", brief(home.body))
	}
}

func TestAMeetingIsMissingToAnAgencyThatDoesNotAttend(t *testing.T) {
	sc := newMeetingScene(t)
	m := &tropic.Meeting{Kind: tropic.MeetingSteeringGroup, Title: "SCENE-STEERING", HeldOn: "2026-12-01", AgencyIDs: []int64{sc.council.ID}}
	if err := sc.ts.srv.deps.Meetings.CreateMeeting(context.Background(), tropic.ActorFor(sc.pSup), m); err != nil {
		t.Fatal(err)
	}
	c := sc.as(t, sc.oWorker)
	id := strconv.FormatInt(m.ID, 10)
	missing := c.get("/meetings/99999999")
	for _, p := range []string{"/meetings/" + id, "/meetings/" + id + "/minutes.pdf"} {
		got := c.get(p)
		if got.status != http.StatusNotFound || mainOf(got.body) != mainOf(missing.body) {
			t.Errorf("%s: got %d, want the missing page", p, got.status)
		}
	}
	if list := c.get("/meetings"); strings.Contains(list.body, "SCENE-STEERING") {
		t.Error("the meeting is listed to an agency that does not attend")
	}
}

func mainOf(body string) string {
	if m := mainRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return body
}
