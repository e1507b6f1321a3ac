package tropic

import (
	"slices"
	"strings"
	"time"
)

// Changing and cancelling a meeting (issue 17). A meeting is changed against the
// version its editor saw. Need to know holds through a change: an agency that stops
// attending loses, in the same transaction, every share made for the meeting; an
// agency that starts attending is shared nothing by the change, and sees the cases
// already on the agenda by reference only (AgendaView) unless it already has access.
// Sharing with it is the add-item rule's alone (MayShareForMeeting, MeetingShare):
// the keeper adds the case again as shared, citing a lawful basis for the new agency.

// MeetingEdit is a change to a meeting's date, title, kind and who attends.
type MeetingEdit struct {
	Kind      MeetingKind
	Title     string
	HeldOn    string // YYYY-MM-DD
	AgencyIDs []int64
	People    string
	Version   int // the version the editor saw
}

// Apply returns the meeting as the edit would leave it, checked as a new meeting is
// (Meeting.Validate): the convening agency always attends.
func (e MeetingEdit) Apply(m *Meeting) (*Meeting, error) {
	n := *m
	n.Kind, n.Title, n.HeldOn, n.People = e.Kind, e.Title, e.HeldOn, e.People
	n.AgencyIDs, n.Agencies = slices.Clone(e.AgencyIDs), nil
	if err := n.Validate(); err != nil {
		return nil, err
	}
	return &n, nil
}

// MeetingChanges is what an edit changes of who attends and when.
type MeetingChanges struct {
	Removed, Added []int64 // agencies that stop or start attending
	DateChanged    bool
}

// ChangesOf compares a meeting before and after an edit.
func ChangesOf(before, after *Meeting) MeetingChanges {
	var c MeetingChanges
	for _, id := range before.AgencyIDs {
		if !slices.Contains(after.AgencyIDs, id) {
			c.Removed = append(c.Removed, id)
		}
	}
	for _, id := range after.AgencyIDs {
		if !slices.Contains(before.AgencyIDs, id) {
			c.Added = append(c.Added, id)
		}
	}
	c.DateChanged = before.HeldOn != after.HeldOn
	return c
}

// Cancelled says whether the meeting was cancelled.
func (m *Meeting) Cancelled() bool { return !m.CancelledAt.IsZero() }

// MayChangeMeeting: whoever keeps the record changes a meeting (MayRunMeeting), and
// a cancelled meeting is not changed at all: not its details, agenda, minutes or
// actions set at it.
func MayChangeMeeting(a Actor, m *Meeting) error {
	if !MayRunMeeting(a, m) {
		return Errorf(EFORBIDDEN, "Only a supervisor or partnership administrator at %s keeps the record of this meeting.", m.ConvenorAgency)
	}
	if m.Cancelled() {
		return Errorf(ECONFLICT, "This meeting was cancelled, so it can no longer be changed.")
	}
	return nil
}

// A meeting whose minutes or actions are recorded took place: the minutes say when it
// was held and the actions stand, so it is not cancelled and its date is not moved.
// Minutes and actions are recorded only on or after the day of the meeting
// (MayRecordMeeting), so that "recorded" does mean it took place.

// Held says whether the day of the meeting has come (UK time, on day now): from then
// its minutes and actions may be recorded.
func (m *Meeting) Held(now time.Time) bool {
	return m.HeldOn <= now.In(ukZone()).Format(time.DateOnly)
}

// HeldDay is the day of the meeting as people write it.
func (m *Meeting) HeldDay() string {
	if d, err := time.Parse(time.DateOnly, m.HeldOn); err == nil {
		return d.Format("2 January 2006")
	}
	return m.HeldOn
}

// MayRecordMeeting refuses to record minutes or an action (field names which, for
// the message) before the day of the meeting (on day now).
func MayRecordMeeting(m *Meeting, field string, now time.Time) error {
	if m.Held(now) {
		return nil
	}
	what := "Minutes"
	if field != "minutes" {
		what = "Actions"
	}
	var p Problems
	p.Add(field, what+" can be recorded from "+m.HeldDay()+", the day of the meeting: it has not taken place yet")
	return p.Err()
}

// MayCancelMeeting refuses to cancel a meeting that took place.
func MayCancelMeeting(m *Meeting) error {
	if m.Recorded {
		return Errorf(ECONFLICT, "This meeting has minutes or actions recorded, so it took place and cannot be cancelled.")
	}
	return nil
}

// MayMoveMeeting refuses an edit that moves the date of a meeting that took place.
func MayMoveMeeting(before *Meeting, ch MeetingChanges) error {
	if !before.Recorded || !ch.DateChanged {
		return nil
	}
	var p Problems
	p.Add("held_on", "This meeting has minutes or actions recorded, so it took place on "+before.HeldDay()+": its date cannot be moved")
	return p.Err()
}

// ValidateCancelReason checks why a meeting is cancelled: the attendees are told it.
func ValidateCancelReason(reason *string) error {
	var p Problems
	*reason = strings.TrimSpace(*reason)
	if *reason == "" {
		p.Add("reason", "Enter why the meeting is cancelled: the agencies attending are told")
	}
	CheckText(&p, "reason", "The reason", *reason, MaxLongText)
	return p.Err()
}

// Audit actions and notifications of changes to meetings.
const (
	AuditMeetingChanged   = "meeting.changed"
	AuditMeetingCancelled = "meeting.cancelled"
	// NotifyMeetingChanged: a meeting my agency attends was arranged, moved or
	// cancelled, or my agency was added to or removed from it.
	NotifyMeetingChanged NotificationKind = "meeting_changed"
)

// MeetingNotified are the roles told of a change to a meeting at each agency it
// concerns: those who arrange and attend meetings for their agency.
var MeetingNotified = []Role{RoleSupervisor, RolePartnershipAdmin}
