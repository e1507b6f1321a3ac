package tropic

import (
	"context"
	"fmt"
	"time"
)

// Misuse alerts: patterns in who viewed what that suggest a look without a need to
// know, each explained in plain words and delivered to the data protection officers'
// queue. An alert is a question for a person, never a finding: the DPO closes it as
// explained or as misuse, with a note. Alerts name the member of staff and the record by
// kind and number, never the person in the record.

// MisuseKind is the pattern an alert found.
type MisuseKind string

const (
	// MisuseUnrelatedViews: in one day a user viewed many cases on which they have no
	// task, note, person added, officer role, approval or authorship.
	MisuseUnrelatedViews MisuseKind = "unrelated_views"
	// MisuseNoShare: a user viewed a case their agency neither owned nor had a live
	// share of at the time (access control should make this impossible).
	MisuseNoShare MisuseKind = "no_share"
	// MisuseOwnRecord: a user viewed a person whose name is their own.
	MisuseOwnRecord MisuseKind = "own_record"
	// MisuseColleague: a user viewed a person whose name is a colleague's at their agency.
	MisuseColleague MisuseKind = "colleague_record"
)

// MisuseRules are the thresholds of the alerts.
type MisuseRules struct {
	UnrelatedCasesPerDay int // views of this many unrelated cases in a day raise an alert
}

// DefaultMisuseRules: ten unrelated cases in a day. The demo's normal work raises no
// alert with it (docs/decisions.md).
var DefaultMisuseRules = MisuseRules{UnrelatedCasesPerDay: 10}

// MisuseAlert is one alert in the DPOs' queue.
type MisuseAlert struct {
	ID         int64
	Kind       MisuseKind
	UserID     int64
	User       string // "Pat Worker (Hertfordshire Constabulary)"
	Day        string // YYYY-MM-DD (UTC)
	ObjectType string // the record, when the alert is about one: "case" or "person"
	ObjectID   int64
	Count      int // how many records (unrelated views)
	Status     MisuseStatus
	Note       string
	DecidedBy  string
	FoundAt    time.Time
}

// MisuseStatus is where an alert stands.
type MisuseStatus string

const (
	MisuseOpen      MisuseStatus = "open"
	MisuseExplained MisuseStatus = "explained" // a need to know was found
	MisuseConfirmed MisuseStatus = "confirmed" // referred on as misuse
)

// Explain says in plain words what the alert saw and why it may matter.
func (a MisuseAlert) Explain() string {
	switch a.Kind {
	case MisuseUnrelatedViews:
		return fmt.Sprintf("%s viewed %d cases on %s on which they have no task, no note, added nobody, are not the officer in charge and decided nothing. Looking at many records with no part in them can be browsing without a need to know.",
			a.User, a.Count, a.Day)
	case MisuseNoShare:
		return fmt.Sprintf("%s viewed %s %d on %s, when their agency neither held it nor had a live share of it. Access control should not allow this: check how the record was reached.",
			a.User, a.ObjectType, a.ObjectID, a.Day)
	case MisuseOwnRecord:
		return fmt.Sprintf("%s viewed person %d on %s, whose name is the same as their own. Staff must not look up records about themselves; it may also be a different person with the same name.",
			a.User, a.ObjectID, a.Day)
	case MisuseColleague:
		return fmt.Sprintf("%s viewed person %d on %s, whose name is the same as a colleague's at their agency. Looking up a colleague needs a reason; it may also be a different person with the same name.",
			a.User, a.ObjectID, a.Day)
	}
	return string(a.Kind)
}

// Label names the kind for a heading.
func (k MisuseKind) Label() string {
	switch k {
	case MisuseUnrelatedViews:
		return "Many cases with no part in them"
	case MisuseNoShare:
		return "A case their agency could not see"
	case MisuseOwnRecord:
		return "Their own name"
	case MisuseColleague:
		return "A colleague's name"
	}
	return string(k)
}

// MayReviewMisuse lets a data protection officer read and close alerts.
func MayReviewMisuse(a Actor) error { return MaySearchAudit(a) }

// MisuseDecision closes an alert: explained (a need to know) or confirmed, with a note.
type MisuseDecision struct {
	Status MisuseStatus
	Note   string
}

// Problems checks the decision.
func (d MisuseDecision) Problems() error {
	var p Problems
	if d.Status != MisuseExplained && d.Status != MisuseConfirmed {
		p.Add("status", "Choose whether the views were explained or were misuse")
	}
	if d.Note == "" {
		p.Add("note", "Say what you found")
	} else {
		CheckText(&p, "note", "The note", d.Note, 2000)
	}
	return p.Err()
}

// MisuseService finds and reviews alerts.
type MisuseService interface {
	FindMisuseAlerts(ctx context.Context, actor Actor, open bool) ([]*MisuseAlert, error)
	DecideMisuseAlert(ctx context.Context, actor Actor, id int64, d MisuseDecision) error
}

// MisuseJob looks for misuse in the access log (daily).
type MisuseJob struct{}

// Kind names the job.
func (MisuseJob) Kind() string { return "misuse_alerts" }

// MisuseNotice tells the data protection officers of new alerts.
func MisuseNotice(n int) Notification {
	return Notification{Kind: NotifyMisuseAlert, Subject: "Access alerts", Link: "/audit/alerts",
		Text: countOf(n, "new alert asks", "new alerts ask") + " whether records were viewed without a need to know."}
}
