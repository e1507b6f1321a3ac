package tropic

import (
	"strings"
	"testing"
	"time"
)

func TestAgendaViewShowsACaseByReferenceOnlyWithoutAccess(t *testing.T) {
	for _, tc := range []struct {
		name        string
		access      CaseAccess
		wantTitle   bool
		wantMinutes bool
	}{
		{"Without access, the title and minutes are taken out.", AccessNone, false, false},
		{"With a share without sensitive fields, both are shown.", AccessWithoutSensitive, true, true},
		{"With the whole case, both are shown.", AccessWhole, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it := &AgendaItem{Mode: AgendaReference, CaseReference: "C-REF", CaseTitle: "Secret title", Minutes: "Secret minutes", MinutesBy: "Sam"}
			AgendaView(it, tc.access)
			if (it.CaseTitle != "") != tc.wantTitle || (it.Minutes != "") != tc.wantMinutes || it.CaseReference != "C-REF" {
				t.Fatalf("got %+v", it)
			}
			if !tc.wantMinutes && (!it.MinutesHidden || it.MinutesBy != "") {
				t.Fatalf("hidden minutes are not marked hidden, or name their author: %+v", it)
			}
			if it.Readable() != (tc.access != AccessNone) {
				t.Fatalf("Readable() = %v", it.Readable())
			}
		})
	}
	topic := &AgendaItem{Mode: AgendaTopic, Topic: "Campaign", Minutes: "Agreed"}
	AgendaView(topic, AccessNone)
	if topic.Minutes != "Agreed" || !topic.Readable() {
		t.Fatalf("a topic is hidden: %+v", topic)
	}
}

func TestWhoConvenesAndKeepsAMeeting(t *testing.T) {
	m := &Meeting{ConvenorAgencyID: 1}
	for _, tc := range []struct {
		name          string
		a             Actor
		convene, runs bool
	}{
		{"A supervisor of the convening agency keeps it.", Actor{UserID: 1, AgencyID: 1, Roles: []Role{RoleSupervisor}}, true, true},
		{"A partnership administrator of the convening agency keeps it.", Actor{UserID: 2, AgencyID: 1, Roles: []Role{RolePartnershipAdmin}}, true, true},
		{"A supervisor of another agency convenes, but not this one.", Actor{UserID: 3, AgencyID: 2, Roles: []Role{RoleSupervisor}}, true, false},
		{"A caseworker neither convenes nor keeps.", Actor{UserID: 4, AgencyID: 1, Roles: []Role{RoleCaseworker}}, false, false},
		{"An analyst neither convenes nor keeps.", Actor{UserID: 5, AgencyID: 1, Roles: []Role{RoleAnalyst}}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanConveneMeetings(tc.a); got != tc.convene {
				t.Errorf("CanConveneMeetings = %v", got)
			}
			if got := MayRunMeeting(tc.a, m); got != tc.runs {
				t.Errorf("MayRunMeeting = %v", got)
			}
		})
	}
	if MaySeeMeeting(Actor{UserID: 9, AgencyID: 3}, []int64{1, 2}) {
		t.Error("an agency that does not attend sees the meeting")
	}
}

// FuzzMeetingInput: whatever a form sends, validation answers with problems named by
// field (or none), never a panic, and an accepted agenda item is one of the modes.
func FuzzMeetingInput(f *testing.F) {
	f.Add("case_conference", "Title", "2026-12-01", "shared", "C-ABCD", "whole", "consent", "2026-12-20", "text", "2026-12-08")
	f.Add("", "", "", "", "", "", "", "", "", "")
	f.Add("tasking", strings.Repeat("x", 300), "2026-02-30", "reference", "\xff", "x", "x", "1/1/2027", "\x00", "9999-99-99")
	f.Fuzz(func(t *testing.T, kind, title, held, mode, ref, scope, basis, until, text, due string) {
		m := &Meeting{Kind: MeetingKind(kind), Title: title, HeldOn: held, ConvenorAgencyID: 1, AgencyIDs: []int64{2}}
		checkFields(t, m.Validate(), "kind", "title", "held_on", "people", "agencies")
		in := &AgendaInput{Mode: AgendaMode(mode), Topic: title, CaseRef: ref, Scope: ShareScope(scope), LawfulBasis: basis, Until: until}
		err := in.Validate("2026-12-01", time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
		checkFields(t, err, "mode", "topic", "case", "scope", "lawful_basis", "reason", "until")
		if err == nil && in.Mode != AgendaTopic && in.Mode != AgendaShared && in.Mode != AgendaReference {
			t.Fatalf("accepted mode %q", in.Mode)
		}
		a := &Action{Text: text, OwnerUserID: 1, Due: due}
		checkFields(t, a.Validate(), "text", "owner", "due")
		o := &ObjectiveInput{Title: title, Figure: Figure(scope), RAG: RAG(mode), Reason: text}
		checkFields(t, o.Validate(), "title", "description", "figure", "rag", "reason")
	})
}

func checkFields(t *testing.T, err error, allowed ...string) {
	t.Helper()
	if err == nil {
		return
	}
	if ErrorCode(err) != EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	for f := range ErrorFields(err) {
		ok := false
		for _, a := range allowed {
			ok = ok || a == f
		}
		if !ok {
			t.Fatalf("problem for unknown field %q: %v", f, err)
		}
	}
}

// A meeting's minutes and actions wait for its day, in UK time: late on the evening
// before (UTC) in summer is already the day in the UK.
func TestMayRecordMeetingWaitsForTheDayOfTheMeeting(t *testing.T) {
	m := &Meeting{HeldOn: "2026-07-10"}
	for _, c := range []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2026, 7, 9, 22, 59, 0, 0, time.UTC), false},
		{time.Date(2026, 7, 9, 23, 0, 0, 0, time.UTC), true}, // midnight in London (BST)
		{time.Date(2026, 7, 20, 9, 0, 0, 0, time.UTC), true},
	} {
		err := MayRecordMeeting(m, "minutes", c.now)
		if (err == nil) != c.want {
			t.Errorf("at %v: %v", c.now, err)
		}
		if err != nil && ErrorFields(err)["minutes"] != "Minutes can be recorded from 10 July 2026, the day of the meeting: it has not taken place yet" {
			t.Errorf("message %q", ErrorFields(err)["minutes"])
		}
	}
	if ErrorFields(MayRecordMeeting(m, "text", time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)))["text"] == "" {
		t.Error("an action before the meeting names no field")
	}
}
