package tropic

import (
	"context"
	"strings"
	"time"
)

// Handoffs (issue 12, items 1 and 9): the triage hub passes a report to an agency,
// with a reason, and chooses whether the reporter's contact details go with it; the
// agency's caseworkers and supervisors find it in their inbox, acknowledge it, and
// accept it (a case created from it, or the report added to one of theirs) or return
// it with a reason, which puts it back in the triage queue. Who may read a report,
// and how much of it, is ReportAccessFor: the one rule the store, the pages and the
// API apply.

// HandoffState is where a report passed to an agency stands.
type HandoffState string

const (
	HandoffPassed       HandoffState = "passed"       // waiting for the agency
	HandoffAcknowledged HandoffState = "acknowledged" // someone at the agency has it in hand
	HandoffAccepted     HandoffState = "accepted"     // the agency made a case of it, or added it to one
	HandoffReturned     HandoffState = "returned"     // the agency gave it back to the triage hub
)

// Open says whether the agency still has the report to decide on.
func (s HandoffState) Open() bool { return s == HandoffPassed || s == HandoffAcknowledged }

// Label names the state for people.
func (s HandoffState) Label() string {
	switch s {
	case HandoffPassed:
		return "Not acknowledged"
	case HandoffAcknowledged:
		return "Acknowledged"
	case HandoffAccepted:
		return "Accepted"
	case HandoffReturned:
		return "Returned"
	}
	return string(s)
}

// Handoff is one passing of a report to an agency, and what became of it.
type Handoff struct {
	ID             int64        `json:"-"`
	ReportID       int64        `json:"-"`
	AgencyID       int64        `json:"agency_id"`
	Agency         string       `json:"agency"`
	State          HandoffState `json:"state"`
	Reason         string       `json:"reason"`
	IncludeContact bool         `json:"include_reporter_contact"`
	PassedByUser   int64        `json:"-"`
	PassedBy       string       `json:"passed_by"` // "Name, Agency"
	PassedAt       time.Time    `json:"passed_at"`
	AcknowledgedBy string       `json:"acknowledged_by,omitempty"`
	AcknowledgedAt time.Time    `json:"acknowledged_at,omitzero"`
	AcceptedBy     string       `json:"accepted_by,omitempty"`
	AcceptedAt     time.Time    `json:"accepted_at,omitzero"`
	CaseReference  string       `json:"case_reference,omitempty"` // the case it was accepted into
	ReturnedBy     string       `json:"returned_by,omitempty"`
	ReturnedAt     time.Time    `json:"returned_at,omitzero"`
	ReturnReason   string       `json:"return_reason,omitempty"`
}

// LatestHandoff is the report's most recent handoff, or nil when it was never passed.
func (r *Report) LatestHandoff() *Handoff {
	if n := len(r.Handoffs); n > 0 {
		return r.Handoffs[n-1]
	}
	return nil
}

// Returned says whether the report is back with the triage hub because the agency it
// was passed to returned it, and has not been decided on since.
func (r *Report) Returned() bool {
	h := r.LatestHandoff()
	return h != nil && h.State == HandoffReturned && r.Status == ReportNew
}

// ReportAccess is how much of a report an actor may read.
type ReportAccess int

const (
	ReportHidden   ReportAccess = iota // nothing: the report answers as a missing one
	ReportReceived                     // the agency it was passed to: the reporter's contact details only if triage included them
	ReportTaken                        // call handlers of the agency that took it: all of it
	ReportHub                          // the triage hub (and the system): all of it
)

// ReportAccessFor decides what the actor may read of a report: the triage hub (triage
// users of an agency that is part of it, Actor.TriageHub) reads every report; call
// handlers read the reports their agency took; the caseworkers, supervisors and
// triage users of the agency a report is passed to read it while it is theirs
// (passed to them, or accepted by them; not once returned). Everyone else, triage
// users of other agencies included, reads nothing.
func ReportAccessFor(a Actor, r *Report) ReportAccess {
	switch {
	case a.IsSystem(), a.InTriageHub():
		return ReportHub
	case a.Has(RoleIntake) && r.CreatedByAgency != 0 && r.CreatedByAgency == a.AgencyID:
		return ReportTaken
	case r.PassedToAgency != 0 && r.PassedToAgency == a.AgencyID && (CaseWorker(a) || a.Has(RoleTriage)):
		return ReportReceived
	}
	return ReportHidden
}

// CanSeeReport says whether the actor reads the report directly (ReportAccessFor),
// not through a case it is linked to (ReportSightFor).
func CanSeeReport(a Actor, r *Report) bool { return ReportAccessFor(a, r) != ReportHidden }

// SeesReporterContact says whether a reader with access x sees the reporter's name
// and contact details: the hub and the call handlers who took them do; the agency
// the report was passed to only if triage chose to include them when passing it.
func (x ReportAccess) SeesReporterContact(r *Report) bool {
	switch x {
	case ReportHub, ReportTaken:
		return true
	case ReportReceived:
		h := r.LatestHandoff()
		return h != nil && h.AgencyID == r.PassedToAgency && h.IncludeContact
	}
	return false
}

// MayActOnHandoff decides whether the actor may acknowledge, accept or return a report
// passed to an agency: the caseworkers and supervisors of that agency, while the
// report is theirs. A report the actor may not read answers as missing.
func MayActOnHandoff(a Actor, r *Report) error {
	if r.PassedToAgency == 0 || r.PassedToAgency != a.AgencyID || !CanSeeReport(a, r) {
		return Errorf(ENOTFOUND, "Report not found.")
	}
	if !CaseWorker(a) {
		return Errorf(EFORBIDDEN, "Only caseworkers and supervisors act on the reports passed to their agency.")
	}
	return nil
}

// MayReadInbox says whether the actor has an inbox of reports passed to their agency:
// caseworkers and supervisors, and triage users outside the hub (who see only what is
// passed to their agency).
func MayReadInbox(a Actor) bool {
	return a.AgencyID != 0 && (CaseWorker(a) || (a.Has(RoleTriage) && !a.TriageHub))
}

// ReturnReason checks the reason an agency gives for returning a report.
func ReturnReason(reason string) (string, error) {
	var p Problems
	reason = strings.TrimSpace(reason)
	if reason == "" {
		p.Add("reason", "Enter why you are returning the report to the triage hub")
	} else {
		CheckText(&p, "reason", "The reason", reason, MaxLongText)
	}
	return reason, p.Err()
}

// InboxFilter narrows an agency's inbox.
type InboxFilter struct {
	States []HandoffState // default: passed and acknowledged
	// AckOverdue, when set, keeps only reports not acknowledged and passed before the
	// cut for their urgency, indexed by Urgency.Rank (AcknowledgeOverdueCuts).
	AckOverdue []time.Time
	Limit      int
	Offset     int
}

// InboxItem is one report in an agency's inbox: what the list shows, no personal data.
type InboxItem struct {
	Handoff
	Reference  string
	Urgency    Urgency
	ReceivedAt time.Time
	District   string // a slug
	Status     ReportStatus
}

// AcknowledgeOverdueCuts are the instants before which a report of each urgency
// (indexed by Urgency.Rank) passed to an agency and not acknowledged is overdue at
// now: OverTargetBefore on the acknowledgement targets. Pass now in the partnership's zone.
func AcknowledgeOverdueCuts(targets TriageTargets, now time.Time, cal *Calendar) []time.Time {
	cuts := make([]time.Time, len(Urgencies))
	for _, u := range Urgencies {
		cuts[u.Rank()] = OverTargetBefore(targets, u, now, cal)
	}
	return cuts
}

// DefaultAcknowledgeTargets are how soon an agency should acknowledge a report passed
// to it, by urgency: an emergency within the hour, round the clock; an urgent report
// within one working day; a routine one within two.
var DefaultAcknowledgeTargets = TriageTargets{
	Emergency: TriageSpan{Duration: time.Hour},
	Urgent:    TriageSpan{WorkingDays: 1},
	Routine:   TriageSpan{WorkingDays: 2},
}

// InboxService is an agency's inbox of reports passed to it.
type InboxService interface {
	// FindInbox lists the handoffs to the actor's agency, most urgent and oldest first.
	FindInbox(ctx context.Context, actor Actor, f InboxFilter) ([]*InboxItem, int, error)
	// AcknowledgeReport records that the actor's agency has the report in hand; done
	// again, it changes nothing and says who acknowledged it.
	AcknowledgeReport(ctx context.Context, actor Actor, ref string) (*Handoff, error)
	// ReturnReport gives the report back to the triage queue with a reason.
	ReturnReport(ctx context.Context, actor Actor, ref, reason string) (*Handoff, error)
}
