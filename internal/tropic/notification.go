package tropic

import (
	"context"
	"time"
)

// NotificationKind names what a notification tells (issue 12, item 7).
type NotificationKind string

const (
	NotifyReportPassed      NotificationKind = "report_passed"       // a report was passed to my agency
	NotifyReportReturned    NotificationKind = "report_returned"     // an agency returned a report to triage
	NotifyReportNewInfo     NotificationKind = "report_new_info"     // the reporter added to a report on my case
	NotifyReporterReplied   NotificationKind = "reporter_replied"    // the reporter answered a message on a report I read
	NotifyShareRequested    NotificationKind = "share_requested"     // a share of my agency's case waits for a decision
	NotifyShareDecided      NotificationKind = "share_decided"       // a share I asked for was decided
	NotifyAccessRequested   NotificationKind = "access_requested"    // someone asks for a record my agency holds
	NotifyAccessDecided     NotificationKind = "access_decided"      // my access request was decided
	NotifyCaseShared        NotificationKind = "case_shared"         // another agency's case was shared with my agency
	NotifyTaskAssigned      NotificationKind = "task_assigned"       // a task was assigned to me
	NotifyRoleChangeWaiting NotificationKind = "role_change_waiting" // a change of a person's role waits for a supervisor
	NotifyRoleChangeDecided NotificationKind = "role_change_decided" // a role change I asked for was decided
	NotifyCaseAssigned      NotificationKind = "case_assigned"       // I was made officer in charge of a case
	NotifyClosureRequested  NotificationKind = "closure_requested"   // a case closure waits for a supervisor
	NotifyEscalation        NotificationKind = "escalation"          // a report is over its target
	NotifyRetentionDue      NotificationKind = "retention_due"       // my agency's records reached the end of their retention period
	NotifyMisuseAlert       NotificationKind = "misuse_alert"        // access patterns that suggest misuse, for data protection officers
)

// Notification is one thing one user is told. Text is a sentence with no personal data
// (a reference, an agency's name, a kind of decision), because it may go by e-mail;
// Link is the page where the user acts on it.
type Notification struct {
	ID        int64            `json:"id"`
	UserID    int64            `json:"-"`
	Kind      NotificationKind `json:"kind"`
	Subject   string           `json:"subject"` // the reference of the report or case it is about
	Text      string           `json:"text"`
	Link      string           `json:"link"`
	CreatedAt time.Time        `json:"created_at"`
	ReadAt    *time.Time       `json:"read_at,omitempty"`
	// About names the one thing a notification asks for ("share:12"): a user is told
	// of it once while it waits, and the transaction that decides it rewrites Text to
	// say how it stands and sets DoneAt. Empty: a notification of an event only.
	About  string     `json:"-"`
	DoneAt *time.Time `json:"done_at,omitempty"`
}

// NotificationEmail is how a user hears of notifications by e-mail.
type NotificationEmail string

const (
	NotificationEmailEach   NotificationEmail = "each"   // one e-mail per notification
	NotificationEmailDigest NotificationEmail = "digest" // one e-mail a day listing them
	NotificationEmailNone   NotificationEmail = "none"   // only in the service
)

// Valid reports whether m is a known choice.
func (m NotificationEmail) Valid() bool {
	return m == NotificationEmailEach || m == NotificationEmailDigest || m == NotificationEmailNone
}

// NotificationService lists and marks a user's own notifications. Notifications are
// written by the store in the transaction of the change they tell of.
type NotificationService interface {
	FindNotifications(ctx context.Context, actor Actor, unreadOnly bool, limit, offset int) ([]*Notification, int, error)
	CountUnreadNotifications(ctx context.Context, actor Actor) (int, error)
	// MarkNotificationsRead marks the actor's notifications read: those with the ids
	// given, or all of them when ids is empty.
	MarkNotificationsRead(ctx context.Context, actor Actor, ids []int64) error
	// OpenNotification marks one of the actor's notifications read and returns where
	// it leads: following a notification is reading it. Another user's is missing.
	OpenNotification(ctx context.Context, actor Actor, id int64) (link string, err error)
}
