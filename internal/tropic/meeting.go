package tropic

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Multi-agency meetings (issue 17, item 1): case conferences, tasking meetings and the
// steering group. Need to know holds here as everywhere: a meeting is seen only by the
// agencies attending it (to anyone else it is missing), and of a case on its agenda a
// reader sees the case's title and the item's minutes only with access to the case;
// without it, the case's reference and owner only.

// MeetingKind is what sort of meeting it is.
type MeetingKind string

const (
	MeetingCaseConference MeetingKind = "case_conference"
	MeetingTasking        MeetingKind = "tasking"
	MeetingSteeringGroup  MeetingKind = "steering_group"
)

// MeetingKinds lists the kinds in display order.
var MeetingKinds = []MeetingKind{MeetingCaseConference, MeetingTasking, MeetingSteeringGroup}

// Label names the kind for people.
func (k MeetingKind) Label() string {
	switch k {
	case MeetingCaseConference:
		return "Case conference"
	case MeetingTasking:
		return "Tasking meeting"
	case MeetingSteeringGroup:
		return "Steering group"
	}
	return string(k)
}

// Meeting is one multi-agency meeting.
type Meeting struct {
	ID               int64
	Kind             MeetingKind
	Title            string
	HeldOn           string  // YYYY-MM-DD
	AgencyIDs        []int64 // the agencies attending; the convening agency is always one
	Agencies         []string
	People           string // the people attending, as typed, one a line
	ConvenorAgencyID int64
	ConvenorAgency   string
	CreatedBy        string
	CreatedAt        time.Time
	Version          int // changes with every edit (MeetingEdit)
	UpdatedBy        string
	UpdatedAt        time.Time // zero: never changed
	CancelledAt      time.Time // zero: not cancelled
	CancelledBy      string
	CancelReason     string
	Recorded         bool // minutes or actions are recorded: it took place (MayCancelMeeting, MayMoveMeeting)
	Items            []*AgendaItem
	Actions          []*MeetingAction
	// MayRun: the reader may add to the agenda, minute items and set actions.
	MayRun bool
}

// PeopleLines returns the people attending, one a line.
func (m *Meeting) PeopleLines() []string {
	var out []string
	for _, l := range strings.Split(m.People, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Validate checks a new meeting. The convening agency is added to those attending.
func (m *Meeting) Validate() error {
	var p Problems
	if !slices.Contains(MeetingKinds, m.Kind) {
		p.Add("kind", "Choose the kind of meeting")
	}
	m.Title = strings.TrimSpace(m.Title)
	if m.Title == "" {
		p.Add("title", "Enter a title for the meeting")
	}
	CheckText(&p, "title", "The title", m.Title, MaxShortText)
	if d, err := time.Parse(time.DateOnly, m.HeldOn); err != nil || d.Year() < 2000 || d.Year() > 2100 {
		p.Add("held_on", "Enter the date of the meeting, like 14/12/2026")
	}
	m.People = strings.TrimSpace(m.People)
	CheckText(&p, "people", "The people attending", m.People, MaxLongText)
	if m.ConvenorAgencyID != 0 && !slices.Contains(m.AgencyIDs, m.ConvenorAgencyID) {
		m.AgencyIDs = append(m.AgencyIDs, m.ConvenorAgencyID)
	}
	slices.Sort(m.AgencyIDs)
	m.AgencyIDs = slices.Compact(m.AgencyIDs)
	if len(m.AgencyIDs) < 2 {
		p.Add("agencies", "Choose at least one other agency attending")
	}
	return p.Err()
}

// CanConveneMeetings says who may create meetings: supervisors (who already decide
// their agency's shares) and partnership administrators (who run the steering group).
// Tropic has no separate coordinator role; analysts prepare the plan instead.
func CanConveneMeetings(a Actor) bool {
	return a.Has(RoleSupervisor) || a.Has(RolePartnershipAdmin)
}

// MayConveneMeeting refuses anyone who may not create meetings.
func MayConveneMeeting(a Actor) error {
	if a.IsSystem() || CanConveneMeetings(a) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only a supervisor or a partnership administrator can arrange a meeting.")
}

// MaySeeMeeting says whether the actor's agency attends the meeting: anyone else is
// told the meeting does not exist.
func MaySeeMeeting(a Actor, agencyIDs []int64) bool {
	return a.IsSystem() || slices.Contains(agencyIDs, a.AgencyID)
}

// MayRunMeeting says whether the actor keeps the meeting's record: the agenda, the
// minutes and the actions. Those who may convene meetings, at the convening agency.
func MayRunMeeting(a Actor, m *Meeting) bool {
	return a.IsSystem() || (CanConveneMeetings(a) && a.AgencyID == m.ConvenorAgencyID)
}

// AgendaMode is how an agenda item stands.
type AgendaMode string

const (
	AgendaTopic     AgendaMode = "topic"     // no case: a topic, seen by every attendee
	AgendaShared    AgendaMode = "shared"    // a case shared with the attending agencies for the meeting
	AgendaReference AgendaMode = "reference" // a case shown by reference only to attendees without access
)

// AgendaItem is one item of a meeting's agenda, as one reader may see it.
type AgendaItem struct {
	ID            int64
	Position      int
	Mode          AgendaMode
	Topic         string
	CaseID        int64
	CaseReference string
	CaseOwner     string     // the owning agency's name
	CaseTitle     string     // only with access
	Access        CaseAccess // the reader's access to the case
	LawfulBasis   string     // AgendaShared: the basis the case was shared on
	ShareUntil    string     // AgendaShared: the last day of the share
	Minutes       string     // only when the reader may see them
	MinutesHidden bool       // minutes were written that the reader may not see
	MinutesBy     string
	MinutesAt     time.Time
}

// Readable says whether the reader sees the item's content: a topic, or a case they
// have access to.
func (it *AgendaItem) Readable() bool { return it.Mode == AgendaTopic || it.Access != AccessNone }

// AgendaView applies need to know to an item for a reader with access to its case:
// without access, the case's title and the minutes are taken out. The one place that
// decides what an attendee sees of a case on an agenda.
func AgendaView(it *AgendaItem, access CaseAccess) {
	it.Access = access
	if it.Mode == AgendaTopic {
		it.Access = AccessWhole
		return
	}
	if access == AccessNone {
		it.CaseTitle = ""
		if it.Minutes != "" {
			it.Minutes, it.MinutesHidden, it.MinutesBy, it.MinutesAt = "", true, "", time.Time{}
		}
	}
}

// AgendaInput is an item to add to an agenda.
type AgendaInput struct {
	Mode        AgendaMode
	Topic       string
	CaseRef     string
	Scope       ShareScope // AgendaShared
	LawfulBasis string     // AgendaShared
	Until       string     // AgendaShared: YYYY-MM-DD
	// AgendaShared: the agreement from the register each share cites (0: none), or why
	// none applies (CheckShareAgreement, for each agency shared with).
	AgreementID int64
	NoAgreement string
}

// MaxMeetingShareDays is how long after the meeting a share made for it may last.
const MaxMeetingShareDays = 90

// Validate checks an agenda item for a meeting held on heldOn, on day now.
func (in *AgendaInput) Validate(heldOn string, now time.Time) error {
	var p Problems
	switch in.Mode {
	case AgendaTopic:
		in.Topic = strings.TrimSpace(in.Topic)
		if in.Topic == "" {
			p.Add("topic", "Enter the topic")
		}
		CheckText(&p, "topic", "The topic", in.Topic, MaxShortText)
	case AgendaShared, AgendaReference:
		ref, err := ParseCaseReference(in.CaseRef)
		if err != nil {
			p.Add("case", "Enter the case's reference as the case page shows it, starting C-")
		}
		in.CaseRef = ref
		if in.Mode == AgendaShared {
			sh := Share{Scope: in.Scope, LawfulBasis: in.LawfulBasis, Reason: "for a meeting", Until: in.Until}
			sh.checkTerms(&p, now)
			held, _ := time.Parse(time.DateOnly, heldOn)
			until, err := time.Parse(time.DateOnly, in.Until)
			switch {
			case in.Until == "":
				p.Add("until", "Enter the last day the share lasts: a share for a meeting ends")
			case err == nil && until.After(held.AddDate(0, 0, MaxMeetingShareDays)):
				p.Add("until", "Enter a last day at most 90 days after the meeting")
			}
		}
	default:
		p.Add("mode", "Choose how the item stands: a topic, a case shared for the meeting, or a case by reference only")
	}
	return p.Err()
}

// MayShareForMeeting: sharing a case for a meeting is a share like any other, and
// only a supervisor of the owning agency shares without asking (MayDecideShare).
func MayShareForMeeting(a Actor, c *Case) error {
	if IsOwnerSupervisor(a, c.OwnerAgencyID) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only a supervisor at %s can share its case for a meeting. Add the case by reference only, or ask them.", c.OwnerAgency)
}

// MeetingShare is the share made for a meeting m of case c with an attending agency:
// the item's terms, citing the item's agreement g if it covers the owner and the
// agency and is in force on day now, or saying why none applies (CheckShareAgreement).
func MeetingShare(m *Meeting, in AgendaInput, c *Case, agencyID int64, agencyName string, g *SharingAgreement, now time.Time) (*Share, error) {
	sh := &Share{CaseID: c.ID, AgencyID: agencyID, AgencyName: agencyName, Scope: in.Scope, LawfulBasis: in.LawfulBasis,
		Reason: MeetingShareReason(m), Until: in.Until, Status: ShareActive, Kind: ShareByOwner,
		AgreementID: in.AgreementID, NoAgreementReason: in.NoAgreement}
	var p Problems
	CheckShareAgreement(&p, sh, g, c.OwnerAgencyID, agencyID, now)
	if g != nil {
		sh.AgreementReviewOn = g.ReviewOn
	}
	return sh, p.Err()
}

// MeetingShareReason is the reason recorded on a share made for a meeting.
func MeetingShareReason(m *Meeting) string {
	return "For the " + strings.ToLower(m.Kind.Label()) + " \"" + m.Title + "\" on " + m.HeldOn
}

// ActionStatus is where an action of a meeting or of the plan stands.
type ActionStatus string

const (
	ActionOpen       ActionStatus = "open"
	ActionInProgress ActionStatus = "in_progress"
	ActionDone       ActionStatus = "done"
	ActionDropped    ActionStatus = "dropped"
)

// ActionStatuses lists the statuses in display order.
var ActionStatuses = []ActionStatus{ActionOpen, ActionInProgress, ActionDone, ActionDropped}

// Label names the status for people.
func (s ActionStatus) Label() string {
	switch s {
	case ActionOpen:
		return "Open"
	case ActionInProgress:
		return "In progress"
	case ActionDone:
		return "Done"
	case ActionDropped:
		return "Dropped"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s ActionStatus) Valid() bool { return slices.Contains(ActionStatuses, s) }

// Finished says whether nothing more is to be done.
func (s ActionStatus) Finished() bool { return s == ActionDone || s == ActionDropped }

// Action is an action with an owner and a due date: of a meeting or of the plan.
type Action struct {
	ID          int64
	Text        string
	OwnerUserID int64
	Owner       string // the owner's name and agency
	Due         string // YYYY-MM-DD
	Status      ActionStatus
	UpdatedBy   string
	UpdatedAt   time.Time
}

// Overdue says whether the action is unfinished after its due day (today YYYY-MM-DD).
func (a *Action) Overdue(today string) bool { return !a.Status.Finished() && a.Due < today }

// Validate checks a new action.
func (a *Action) Validate() error {
	var p Problems
	a.Text = strings.TrimSpace(a.Text)
	if a.Text == "" {
		p.Add("text", "Enter what is to be done")
	}
	CheckText(&p, "text", "The action", a.Text, MaxLongText)
	if a.OwnerUserID <= 0 {
		p.Add("owner", "Choose who owns the action")
	}
	if d, err := time.Parse(time.DateOnly, a.Due); err != nil || d.Year() < 2000 || d.Year() > 2100 {
		p.Add("due", "Enter the due date, like 31/01/2027")
	}
	if a.Status == "" {
		a.Status = ActionOpen
	}
	return p.Err()
}

// MeetingAction is an action set at a meeting, as one reader may see it.
type MeetingAction struct {
	Action
	MeetingID     int64
	MeetingTitle  string
	MeetingHeldOn string
	ItemID        int64 // the agenda item it comes from; 0: the meeting as a whole
	// Hidden: the action is on a case the reader may not see, so its text is not shown.
	Hidden bool
}

// MayUpdateAction: the owner of an action, or whoever keeps its record, sets its status.
func MayUpdateAction(a Actor, ownerUserID int64, keeper bool) error {
	if keeper || (a.UserID != 0 && a.UserID == ownerUserID) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only the owner of the action, or whoever keeps the record, can change its status.")
}

// CheckActionOwner: an action on a case is owned by someone who may see the case, so
// that the owner can act on it; ownerAccess is the owner's access to the item's case
// (AccessWhole for a topic).
func CheckActionOwner(ownerAccess CaseAccess) error {
	if ownerAccess == AccessNone {
		msg := "Choose an owner who can see the case: this person's agency has no access to it"
		return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{"owner": msg}}
	}
	return nil
}

// MeetingPerson is someone at an attending agency who may own an action.
type MeetingPerson struct {
	UserID int64
	Name   string
	Agency string
}

// MeetingService keeps meetings, their agendas, minutes and actions.
type MeetingService interface {
	CreateMeeting(ctx context.Context, actor Actor, m *Meeting) error
	// FindMeetings lists the meetings the actor's agency attends, newest first, without
	// their agendas.
	FindMeetings(ctx context.Context, actor Actor) ([]*Meeting, error)
	// FindMeeting reads a meeting as the actor may see it (AgendaView); a meeting the
	// actor's agency does not attend is not found.
	FindMeeting(ctx context.Context, actor Actor, id int64) (*Meeting, error)
	AddAgendaItem(ctx context.Context, actor Actor, meetingID int64, in AgendaInput) error
	RecordMinutes(ctx context.Context, actor Actor, meetingID, itemID int64, minutes string) error
	AddMeetingAction(ctx context.Context, actor Actor, meetingID int64, a *MeetingAction) error
	SetMeetingActionStatus(ctx context.Context, actor Actor, meetingID, actionID int64, status ActionStatus) error
	// UpdateMeeting changes a meeting against the version the editor saw (ECONFLICT
	// naming who changed it and when): an agency that stops attending loses the shares
	// made for the meeting, and those concerned are told.
	UpdateMeeting(ctx context.Context, actor Actor, id int64, e MeetingEdit) error
	// CancelMeeting cancels a meeting with a reason, ending the shares made for it and
	// telling the agencies attending.
	CancelMeeting(ctx context.Context, actor Actor, id int64, reason string, version int) error
	// FindMeetingPeople lists who may own the meeting's actions: the enabled users of
	// the attending agencies.
	FindMeetingPeople(ctx context.Context, actor Actor, meetingID int64) ([]MeetingPerson, error)
	// FindMyActions lists the actor's unfinished actions, of meetings and of the plan.
	FindMyActions(ctx context.Context, actor Actor) ([]*MeetingAction, []*PlanAction, error)
}

// Audit actions of meetings and the plan.
const (
	AuditMeetingCreated       = "meeting.created"
	AuditMeetingViewed        = "meeting.viewed"
	AuditMeetingItemAdded     = "meeting.item_added"
	AuditMeetingMinutes       = "meeting.minutes"
	AuditMeetingActionAdded   = "meeting.action_added"
	AuditMeetingActionStatus  = "meeting.action_status"
	AuditPlanObjectiveCreated = "plan.objective_created"
	AuditPlanRAGChanged       = "plan.rag_changed"
	AuditPlanActionAdded      = "plan.action_added"
	AuditPlanActionStatus     = "plan.action_status"
)

// Notification kinds of meetings and the plan.
const (
	NotifyMeetingAction NotificationKind = "meeting_action" // an action of a meeting was given to me
	NotifyPlanAction    NotificationKind = "plan_action"    // an action of the partnership plan was given to me
)

// MaxMinutesText is the longest minutes of one agenda item.
const MaxMinutesText = 20000

// ValidateMinutes checks the minutes of an item.
func ValidateMinutes(minutes *string) error {
	var p Problems
	*minutes = strings.TrimSpace(*minutes)
	if *minutes == "" {
		p.Add("minutes", "Enter the minutes of the item")
	}
	CheckText(&p, "minutes", "The minutes", *minutes, MaxMinutesText)
	return p.Err()
}
