package store_test

import (
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// meetingEnv: a case conference convened by the police, attended by the council and a
// charity; a fourth agency does not attend. On its agenda, one police case shared for
// the meeting and one by reference only.
type meetingEnv struct {
	*caseEnv
	meetings         *store.MeetingService
	charity, outside *tropic.Agency
	chWorker         tropic.Actor // the charity's caseworker: attends
	oSuper, oWorker  tropic.Actor // the outside agency: does not attend
	m                *tropic.Meeting
	shared, byRef    *tropic.Case
}

func newMeetingEnv(t *testing.T, d store.Dialect) *meetingEnv {
	t.Helper()
	e := &meetingEnv{caseEnv: newCaseEnv(t, d)}
	e.meetings = store.NewMeetingService(e.db)
	e.charity = e.agency(t, "Herts Freedom Charity")
	e.outside = e.agency(t, "Outside Borough Council")
	e.chWorker = tropic.ActorFor(e.user(t, e.charity.ID, "cw@charity.example", tropic.RoleCaseworker))
	e.oSuper = tropic.ActorFor(e.user(t, e.outside.ID, "os@outside.example", tropic.RoleSupervisor))
	e.oWorker = tropic.ActorFor(e.user(t, e.outside.ID, "ow@outside.example", tropic.RoleCaseworker))
	e.m = &tropic.Meeting{Kind: tropic.MeetingCaseConference, Title: "Car wash case conference", HeldOn: "2026-03-20",
		AgencyIDs: []int64{e.council.ID, e.charity.ID}, People: "Sam Super\nAlex Archer"}
	if err := e.meetings.CreateMeeting(ctx, e.pSuper, e.m); err != nil {
		t.Fatalf("create meeting: %v", err)
	}
	e.shared = e.newCase(t, e.pWorker, "SHARED-TITLE Victoria Street car wash")
	e.byRef = e.newCase(t, e.pWorker, "SECRET-TITLE Hidden nail bar")
	if err := e.meetings.AddAgendaItem(ctx, e.pSuper, e.m.ID, tropic.AgendaInput{Mode: tropic.AgendaShared, CaseRef: e.shared.Reference,
		Scope: tropic.ShareWhole, LawfulBasis: "dpa_sch1_18", Until: "2026-04-19", NoAgreement: "No agreement in the test register"}); err != nil {
		t.Fatalf("add shared item: %v", err)
	}
	if err := e.meetings.AddAgendaItem(ctx, e.pSuper, e.m.ID, tropic.AgendaInput{Mode: tropic.AgendaReference, CaseRef: e.byRef.Reference}); err != nil {
		t.Fatalf("add reference item: %v", err)
	}
	return e
}

func (e *meetingEnv) read(t *testing.T, actor tropic.Actor) *tropic.Meeting {
	t.Helper()
	m, err := e.meetings.FindMeeting(ctx, actor, e.m.ID)
	if err != nil {
		t.Fatalf("find meeting: %v", err)
	}
	return m
}

func TestAnAttendeeWithoutAccessSeesACaseOnTheAgendaByReferenceOnly(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMeetingEnv(t, d)
		e.onTheDay()
		m := e.read(t, e.pSuper)
		if err := e.meetings.RecordMinutes(ctx, e.pSuper, m.ID, m.Items[1].ID, "SECRET-MINUTES the manager holds passports"); err != nil {
			t.Fatal(err)
		}
		if err := e.meetings.RecordMinutes(ctx, e.pSuper, m.ID, m.Items[0].ID, "Agreed a joint visit"); err != nil {
			t.Fatal(err)
		}
		// The shared case is shared with both attending agencies, until the day given,
		// on the basis cited: the council's caseworker sees it like any shared case.
		c := e.find(t, e.cWorker, e.shared.Reference)
		if c.Access != tropic.AccessWhole {
			t.Fatalf("council access %v, want whole", c.Access)
		}
		for _, who := range []tropic.Actor{e.cWorker, e.chWorker} {
			got := e.read(t, who)
			if len(got.Items) != 2 {
				t.Fatalf("got %d items, want 2", len(got.Items))
			}
			sh, ref := got.Items[0], got.Items[1]
			if sh.CaseTitle != e.shared.Title || sh.Minutes != "Agreed a joint visit" {
				t.Errorf("shared item: got %q, %q", sh.CaseTitle, sh.Minutes)
			}
			if ref.CaseReference != e.byRef.Reference || ref.CaseTitle != "" || ref.Minutes != "" || !ref.MinutesHidden || ref.Readable() {
				t.Errorf("reference-only item shows more than its reference: %+v", ref)
			}
		}
		// The police see both in full.
		if got := e.read(t, e.pWorker); got.Items[1].CaseTitle != e.byRef.Title || !strings.Contains(got.Items[1].Minutes, "SECRET-MINUTES") {
			t.Errorf("owner sees %+v", got.Items[1])
		}
		// The reference-only case is not shared: the council still cannot open it.
		_, err := e.cases.FindCase(ctx, e.cWorker, e.byRef.Reference)
		wantNotFoundLikeMissing(t, e.caseEnv, err)
		// An action on the reference-only case cannot go to someone who cannot see it;
		// one kept by the police is hidden from the council.
		people, err := e.meetings.FindMeetingPeople(ctx, e.pSuper, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(people) < 4 {
			t.Fatalf("got %d people, want those of the three agencies", len(people))
		}
		err = e.meetings.AddMeetingAction(ctx, e.pSuper, m.ID, &tropic.MeetingAction{ItemID: m.Items[1].ID,
			Action: tropic.Action{Text: "Visit", OwnerUserID: e.cWorker.UserID, Due: "2026-03-27"}})
		wantField(t, err, "owner")
		if err := e.meetings.AddMeetingAction(ctx, e.pSuper, m.ID, &tropic.MeetingAction{ItemID: m.Items[1].ID,
			Action: tropic.Action{Text: "SECRET-ACTION check the passports", OwnerUserID: e.pWorker.UserID, Due: "2026-03-27"}}); err != nil {
			t.Fatal(err)
		}
		got := e.read(t, e.cWorker)
		if len(got.Actions) != 1 || !got.Actions[0].Hidden || got.Actions[0].Text != "" {
			t.Fatalf("council sees the police's action on a case it cannot see: %+v", got.Actions)
		}
	})
}

func TestANonAttendeeCannotTellAMeetingExists(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMeetingEnv(t, d)
		_, missing := e.meetings.FindMeeting(ctx, e.pSuper, e.m.ID+1000)
		for _, who := range []tropic.Actor{e.oWorker, e.oSuper} {
			_, err := e.meetings.FindMeeting(ctx, who, e.m.ID)
			if tropic.ErrorCode(err) != tropic.ENOTFOUND || err.Error() != missing.Error() {
				t.Fatalf("got %v, want exactly what a missing meeting answers: %v", err, missing)
			}
			list, err := e.meetings.FindMeetings(ctx, who)
			if err != nil || len(list) != 0 {
				t.Fatalf("outside agency lists %d meetings (%v)", len(list), err)
			}
			for _, err := range []error{
				e.meetings.AddAgendaItem(ctx, who, e.m.ID, tropic.AgendaInput{Mode: tropic.AgendaTopic, Topic: "Anything"}),
				e.meetings.RecordMinutes(ctx, who, e.m.ID, 1, "x"),
				e.meetings.SetMeetingActionStatus(ctx, who, e.m.ID, 1, tropic.ActionDone),
			} {
				if err.Error() != missing.Error() {
					t.Errorf("got %v, want %v", err, missing)
				}
			}
		}
		if list, err := e.meetings.FindMeetings(ctx, e.chWorker); err != nil || len(list) != 1 {
			t.Fatalf("attendee lists %d meetings (%v), want 1", len(list), err)
		}
	})
}

func TestMeetingActionsReachTheirOwnerAndOnlyTheyOrTheConvenorChangeThem(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMeetingEnv(t, d)
		e.onTheDay()
		notes := store.NewNotificationService(e.db)
		m := e.read(t, e.pSuper)
		a := &tropic.MeetingAction{ItemID: m.Items[0].ID, Action: tropic.Action{Text: "Joint visit", OwnerUserID: e.cWorker.UserID, Due: "2026-03-27"}}
		if err := e.meetings.AddMeetingAction(ctx, e.pSuper, m.ID, a); err != nil {
			t.Fatal(err)
		}
		list, _, err := notes.FindNotifications(ctx, e.cWorker, true, 10, 0)
		if err != nil || len(list) != 1 || list[0].Kind != tropic.NotifyMeetingAction || strings.Contains(list[0].Text, "SHARED-TITLE") ||
			!strings.Contains(list[0].Text, "case conference of 20 March 2026, due 27 March 2026") {
			t.Fatalf("owner's notifications: %+v (%v)", list, err)
		}
		mine, _, err := e.meetings.FindMyActions(ctx, e.cWorker)
		if err != nil || len(mine) != 1 || mine[0].Text != "Joint visit" {
			t.Fatalf("owner's actions: %+v (%v)", mine, err)
		}
		// Someone outside the attending agencies cannot own one.
		err = e.meetings.AddMeetingAction(ctx, e.pSuper, m.ID, &tropic.MeetingAction{Action: tropic.Action{Text: "x", OwnerUserID: e.oWorker.UserID, Due: "2026-03-27"}})
		wantField(t, err, "owner")
		// Another attendee may not change it; the owner and the convenor may.
		wantCode(t, e.meetings.SetMeetingActionStatus(ctx, e.chWorker, m.ID, a.ID, tropic.ActionDone), tropic.EFORBIDDEN)
		if err := e.meetings.SetMeetingActionStatus(ctx, e.cWorker, m.ID, a.ID, tropic.ActionInProgress); err != nil {
			t.Fatal(err)
		}
		if err := e.meetings.SetMeetingActionStatus(ctx, e.pSuper, m.ID, a.ID, tropic.ActionDone); err != nil {
			t.Fatal(err)
		}
		if mine, _, _ := e.meetings.FindMyActions(ctx, e.cWorker); len(mine) != 0 {
			t.Fatalf("a finished action stays on the owner's list: %+v", mine)
		}
		wantField(t, e.meetings.SetMeetingActionStatus(ctx, e.pSuper, m.ID, a.ID, "finished"), "status")
	})
}

func TestOnlyTheConvenorKeepsTheRecordAndOnlyTheOwnerSharesForAMeeting(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMeetingEnv(t, d)
		// Caseworkers do not convene meetings.
		wantCode(t, e.meetings.CreateMeeting(ctx, e.cWorker, &tropic.Meeting{Kind: tropic.MeetingTasking, Title: "T", HeldOn: "2026-03-20",
			AgencyIDs: []int64{e.police.ID}}), tropic.EFORBIDDEN)
		// An attending agency's supervisor does not keep the police's record.
		wantCode(t, e.meetings.AddAgendaItem(ctx, e.cSuper, e.m.ID, tropic.AgendaInput{Mode: tropic.AgendaTopic, Topic: "Ours"}), tropic.EFORBIDDEN)
		// The council convenes its own meeting: it may put the police's case it can see
		// on the agenda by reference, but not share it onwards.
		own := &tropic.Meeting{Kind: tropic.MeetingTasking, Title: "Council tasking", HeldOn: "2026-03-21", AgencyIDs: []int64{e.outside.ID}}
		if err := e.meetings.CreateMeeting(ctx, e.cSuper, own); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.meetings.AddAgendaItem(ctx, e.cSuper, own.ID, tropic.AgendaInput{Mode: tropic.AgendaShared, CaseRef: e.shared.Reference,
			Scope: tropic.ShareWhole, LawfulBasis: "dpa_sch1_18", Until: "2026-04-01", NoAgreement: "No agreement in the test register"}), tropic.EFORBIDDEN)
		if _, err := e.cases.FindCase(ctx, e.oWorker, e.shared.Reference); err == nil {
			t.Fatal("the outside agency can see the police's case")
		}
		// A case the convenor cannot see answers as a missing one.
		err := e.meetings.AddAgendaItem(ctx, e.cSuper, own.ID, tropic.AgendaInput{Mode: tropic.AgendaReference, CaseRef: e.byRef.Reference})
		errMissing := e.meetings.AddAgendaItem(ctx, e.cSuper, own.ID, tropic.AgendaInput{Mode: tropic.AgendaReference, CaseRef: tropic.NewCaseReference()})
		wantField(t, err, "case")
		if err.Error() != errMissing.Error() {
			t.Fatalf("a hidden case answers %v, a missing one %v", err, errMissing)
		}
		// Bad input names the field.
		wantField(t, e.meetings.AddAgendaItem(ctx, e.pSuper, e.m.ID, tropic.AgendaInput{Mode: tropic.AgendaShared, CaseRef: e.shared.Reference,
			Scope: tropic.ShareWhole, LawfulBasis: "dpa_sch1_18"}), "until")
		// A share for a meeting cites an agreement or says why none applies, as any share.
		other := e.newCase(t, e.pWorker, "Unshared car wash")
		wantField(t, e.meetings.AddAgendaItem(ctx, e.pSuper, e.m.ID, tropic.AgendaInput{Mode: tropic.AgendaShared, CaseRef: other.Reference,
			Scope: tropic.ShareWhole, LawfulBasis: "dpa_sch1_18", Until: "2026-04-19"}), "agreement_reason")
		wantField(t, e.meetings.AddAgendaItem(ctx, e.pSuper, e.m.ID, tropic.AgendaInput{Mode: tropic.AgendaShared, CaseRef: other.Reference,
			Scope: tropic.ShareWhole, LawfulBasis: "dpa_sch1_18", Until: "2026-04-19", AgreementID: 999999}), "agreement")
		wantField(t, e.meetings.AddAgendaItem(ctx, e.pSuper, e.m.ID, tropic.AgendaInput{Mode: tropic.AgendaShared, CaseRef: e.shared.Reference,
			Scope: tropic.ShareWhole, LawfulBasis: "dpa_sch1_18", Until: "2026-12-31"}), "until")
		wantField(t, e.meetings.CreateMeeting(ctx, e.pSuper, &tropic.Meeting{Kind: tropic.MeetingTasking, Title: "T", HeldOn: "2026-03-20",
			AgencyIDs: []int64{999999}}), "agencies")
		wantField(t, e.meetings.CreateMeeting(ctx, e.pSuper, &tropic.Meeting{Kind: tropic.MeetingTasking, Title: "T", HeldOn: "20/03/2026",
			AgencyIDs: []int64{e.council.ID}}), "held_on")
	})
}

// onTheDay moves the clock to the morning of the meeting's day, when its minutes and
// actions may be recorded.
func (e *meetingEnv) onTheDay() {
	e.clock.Set(time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC))
}

// Minutes and actions are recorded on or after the day of the meeting, so that a
// meeting with them did take place: before it, both are refused naming the field.
func TestMinutesAndActionsWaitForTheDayOfTheMeeting(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMeetingEnv(t, d) // held on 20 March, the clock on 14 March
		m := e.read(t, e.pSuper)
		err := e.meetings.RecordMinutes(ctx, e.pSuper, m.ID, m.Items[0].ID, "Agreed a joint visit")
		if msg := tropic.ErrorFields(err)["minutes"]; !strings.Contains(msg, "from 20 March 2026") {
			t.Fatalf("minutes before the meeting: %v (%q)", err, msg)
		}
		a := &tropic.MeetingAction{Action: tropic.Action{Text: "Visit", OwnerUserID: e.cWorker.UserID, Due: "2026-04-01"}}
		err = e.meetings.AddMeetingAction(ctx, e.pSuper, m.ID, a)
		if msg := tropic.ErrorFields(err)["text"]; !strings.Contains(msg, "from 20 March 2026") {
			t.Fatalf("an action before the meeting: %v (%q)", err, msg)
		}
		if m = e.read(t, e.pSuper); m.Recorded || m.Items[0].Minutes != "" || len(m.Actions) != 0 {
			t.Fatalf("something was recorded before the meeting: %+v", m)
		}
		// Not yet recorded, so still moved; then, on its day, both are recorded.
		e.onTheDay()
		if err := e.meetings.RecordMinutes(ctx, e.pSuper, m.ID, m.Items[0].ID, "Agreed a joint visit"); err != nil {
			t.Fatalf("minutes on the day: %v", err)
		}
		if err := e.meetings.AddMeetingAction(ctx, e.pSuper, m.ID, a); err != nil {
			t.Fatalf("an action on the day: %v", err)
		}
		if m = e.read(t, e.pSuper); !m.Recorded {
			t.Fatal("minutes and an action recorded, yet the meeting does not read as recorded")
		}
	})
}
