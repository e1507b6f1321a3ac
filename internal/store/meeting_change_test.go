package store_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// edit is an edit of the env's meeting as it stands, changed by change.
func (e *meetingEnv) edit(t *testing.T, change func(*tropic.MeetingEdit)) tropic.MeetingEdit {
	t.Helper()
	m := e.read(t, e.pSuper)
	ed := tropic.MeetingEdit{Kind: m.Kind, Title: m.Title, HeldOn: m.HeldOn, AgencyIDs: m.AgencyIDs, People: m.People, Version: m.Version}
	change(&ed)
	return ed
}

func without(ids []int64, drop int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id != drop {
			out = append(out, id)
		}
	}
	return out
}

func TestRemovingAnAgencyFromAMeetingEndsWhatWasSharedWithItForTheMeeting(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMeetingEnv(t, d)
		chSuper := tropic.ActorFor(e.user(t, e.charity.ID, "cs@charity.example", tropic.RoleSupervisor))
		if c := e.find(t, e.chWorker, e.shared.Reference); c.Access != tropic.AccessWhole {
			t.Fatalf("charity access before %v, want whole", c.Access)
		}
		ed := e.edit(t, func(ed *tropic.MeetingEdit) {
			ed.AgencyIDs = without(ed.AgencyIDs, e.charity.ID)
			ed.AgencyIDs = append(ed.AgencyIDs, e.outside.ID)
			ed.HeldOn = "2026-03-27"
		})
		if err := e.meetings.UpdateMeeting(ctx, e.pSuper, e.m.ID, ed); err != nil {
			t.Fatal(err)
		}
		// The charity no longer attends: the meeting is missing to it, and the share made
		// for the meeting has ended.
		if _, err := e.meetings.FindMeeting(ctx, e.chWorker, e.m.ID); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("removed agency reads the meeting: %v", err)
		}
		if _, err := e.cases.FindCase(ctx, e.chWorker, e.shared.Reference); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("removed agency still reads the shared case: %v", err)
		}
		// The council still attends and keeps its share.
		if c := e.find(t, e.cWorker, e.shared.Reference); c.Access != tropic.AccessWhole {
			t.Fatalf("council access after %v, want whole", c.Access)
		}
		// The agency added is shared nothing: it sees both cases by reference only.
		got := e.read(t, e.oWorker)
		if got.HeldOn != "2026-03-27" || got.Version != 2 {
			t.Fatalf("meeting after edit: %s version %d", got.HeldOn, got.Version)
		}
		for _, it := range got.Items {
			if it.Readable() || it.CaseTitle != "" {
				t.Fatalf("added agency reads item %+v", it)
			}
		}
		if _, err := e.cases.FindCase(ctx, e.oWorker, e.shared.Reference); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("added agency reads the shared case: %v", err)
		}
		// Those concerned are told: the council of the new date, the outside agency
		// that it attends, the charity that it no longer does; nobody is told a title.
		// (The council was told before that the meeting was arranged: the newest is first.)
		notes := store.NewNotificationService(e.db)
		for _, c := range []struct {
			who  tropic.Actor
			want string
		}{{e.cSuper, "moved from 20 March 2026 to 27 March 2026"}, {e.oSuper, "now attends"}, {chSuper, "no longer attends"}} {
			list, _, err := notes.FindNotifications(ctx, c.who, true, 10, 0)
			if err != nil || len(list) == 0 || list[0].Kind != tropic.NotifyMeetingChanged || !strings.Contains(list[0].Text, c.want) ||
				strings.Contains(list[0].Text, "TITLE") {
				t.Fatalf("notifications of %d: %+v (%v), want %q", c.who.UserID, list, err, c.want)
			}
		}
		wantAction(t, e, tropic.AuditMeetingChanged)
		// The keeper shares the case with the added agency by adding it again, under the
		// add-item rule, citing a lawful basis.
		if err := e.meetings.AddAgendaItem(ctx, e.pSuper, e.m.ID, tropic.AgendaInput{Mode: tropic.AgendaShared, CaseRef: e.shared.Reference,
			Scope: tropic.ShareWhole, LawfulBasis: "dpa_sch1_18", Until: "2026-04-19", NoAgreement: "No agreement in the test register"}); err != nil {
			t.Fatal(err)
		}
		if c := e.find(t, e.oWorker, e.shared.Reference); c.Access != tropic.AccessWhole {
			t.Fatalf("added agency after sharing %v, want whole", c.Access)
		}
	})
}

func TestAStaleMeetingEditIsRefusedNamingWhoChangedIt(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMeetingEnv(t, d)
		first := e.edit(t, func(ed *tropic.MeetingEdit) { ed.Title = "Moved case conference" })
		second := e.edit(t, func(ed *tropic.MeetingEdit) { ed.AgencyIDs = without(ed.AgencyIDs, e.charity.ID) })
		if err := e.meetings.UpdateMeeting(ctx, e.pSuper, e.m.ID, first); err != nil {
			t.Fatal(err)
		}
		err := e.meetings.UpdateMeeting(ctx, e.pSuper, e.m.ID, second)
		if tropic.ErrorCode(err) != tropic.ECONFLICT || !strings.Contains(tropic.ErrorMessage(err), "changed this meeting at") {
			t.Fatalf("stale edit: %v", err)
		}
		// Nothing of the stale edit was written: the charity still attends and reads.
		if c := e.find(t, e.chWorker, e.shared.Reference); c.Access != tropic.AccessWhole {
			t.Fatalf("charity access after a refused edit %v", c.Access)
		}
		// Bad input names the field and writes nothing.
		bad := e.edit(t, func(ed *tropic.MeetingEdit) { ed.HeldOn, ed.AgencyIDs = "2026-02-30", nil })
		err = e.meetings.UpdateMeeting(ctx, e.pSuper, e.m.ID, bad)
		if f := tropic.ErrorFields(err); f["held_on"] == "" || f["agencies"] == "" {
			t.Fatalf("bad edit: %v %v", err, f)
		}
		// Only the keeper changes it: an attendee is refused, an outsider finds nothing.
		ok := e.edit(t, func(ed *tropic.MeetingEdit) {})
		if err := e.meetings.UpdateMeeting(ctx, e.cSuper, e.m.ID, ok); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Fatalf("attendee's edit: %v", err)
		}
		if err := e.meetings.UpdateMeeting(ctx, e.oSuper, e.m.ID, ok); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("outsider's edit: %v", err)
		}
	})
}

func TestCancellingAMeetingEndsItsSharesAndTellsTheAttendees(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMeetingEnv(t, d)
		if err := e.meetings.CancelMeeting(ctx, e.pSuper, e.m.ID, "  ", 1); tropic.ErrorFields(err)["reason"] == "" {
			t.Fatalf("cancel without a reason: %v", err)
		}
		if err := e.meetings.CancelMeeting(ctx, e.pSuper, e.m.ID, "The visit happened already", 1); err != nil {
			t.Fatal(err)
		}
		for _, who := range []tropic.Actor{e.cWorker, e.chWorker} {
			if _, err := e.cases.FindCase(ctx, who, e.shared.Reference); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Fatalf("%d still reads the case shared for a cancelled meeting: %v", who.UserID, err)
			}
		}
		m := e.read(t, e.cWorker)
		if !m.Cancelled() || m.CancelReason != "The visit happened already" || m.MayRun {
			t.Fatalf("cancelled meeting reads %+v", m)
		}
		list, _, err := store.NewNotificationService(e.db).FindNotifications(ctx, e.cSuper, true, 10, 0)
		if err != nil || len(list) != 2 || !strings.Contains(list[0].Text, "cancelled: The visit happened already") {
			t.Fatalf("council told: %+v (%v)", list, err)
		}
		wantAction(t, e, tropic.AuditMeetingCancelled)
		// A cancelled meeting is not changed again.
		if err := e.meetings.CancelMeeting(ctx, e.pSuper, e.m.ID, "Again", 2); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Fatalf("second cancel: %v", err)
		}
		if err := e.meetings.AddAgendaItem(ctx, e.pSuper, e.m.ID, tropic.AgendaInput{Mode: tropic.AgendaTopic, Topic: "x"}); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Fatalf("adding to a cancelled meeting: %v", err)
		}
	})
}

func wantAction(t *testing.T, e *meetingEnv, action string) {
	t.Helper()
	if !slices.Contains(e.actions(t), action) {
		t.Fatalf("no %s in the audit trail", action)
	}
}

// A meeting whose minutes are written took place: it is not cancelled and its date
// is not moved (the minutes say when it was held), though its details still change.
func TestAMeetingThatTookPlaceIsNotCancelledOrMoved(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMeetingEnv(t, d)
		e.onTheDay()
		m := e.read(t, e.pSuper)
		if m.Recorded {
			t.Fatal("a meeting without minutes or actions reads as recorded")
		}
		if err := e.meetings.RecordMinutes(ctx, e.pSuper, m.ID, m.Items[0].ID, "Agreed a joint visit"); err != nil {
			t.Fatal(err)
		}
		if m = e.read(t, e.pSuper); !m.Recorded {
			t.Fatal("a meeting with minutes does not read as recorded")
		}
		if err := e.meetings.CancelMeeting(ctx, e.pSuper, m.ID, "Nobody came", m.Version); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Fatalf("cancelling a meeting that took place: %v", err)
		}
		moved := e.edit(t, func(x *tropic.MeetingEdit) { x.HeldOn = "2027-01-04" })
		if err := e.meetings.UpdateMeeting(ctx, e.pSuper, m.ID, moved); tropic.ErrorFields(err)["held_on"] == "" {
			t.Fatalf("moving a meeting that took place: %v", err)
		}
		retitled := e.edit(t, func(x *tropic.MeetingEdit) { x.Title = "Case conference (renamed)" })
		if err := e.meetings.UpdateMeeting(ctx, e.pSuper, m.ID, retitled); err != nil {
			t.Fatalf("renaming a meeting that took place: %v", err)
		}
		if m = e.read(t, e.pSuper); m.Cancelled() || m.Title != "Case conference (renamed)" {
			t.Fatalf("after the refusals and the change: %+v", m)
		}
	})
}

// Arranging a meeting tells those at each attending agency who would be told of a
// change to it (its supervisors and partnership administrators), in the same
// transaction; not its caseworkers, nor whoever arranged it.
func TestArrangingAMeetingTellsTheAttendingAgencies(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMeetingEnv(t, d)
		notes := store.NewNotificationService(e.db)
		list, _, err := notes.FindNotifications(ctx, e.cSuper, true, 10, 0)
		if err != nil || len(list) != 1 || list[0].Kind != tropic.NotifyMeetingChanged ||
			!strings.Contains(list[0].Text, `Your agency attends the case conference "Car wash case conference" on 20 March 2026, just arranged by`) ||
			list[0].Link != "/meetings/"+strconv.FormatInt(e.m.ID, 10) {
			t.Fatalf("the council's supervisor: %+v (%v)", list, err)
		}
		for _, who := range []tropic.Actor{e.cWorker, e.chWorker, e.pSuper, e.oSuper} {
			if list, _, err := notes.FindNotifications(ctx, who, true, 10, 0); err != nil || len(list) != 0 {
				t.Fatalf("%d told of the meeting: %+v (%v)", who.UserID, list, err)
			}
		}
	})
}
