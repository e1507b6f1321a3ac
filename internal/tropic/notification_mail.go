package tropic

import "context"

// NotificationMail is one e-mail to send a user: one notification (NotificationEmailEach)
// or the day's unread ones (NotificationEmailDigest). It carries only what may be
// e-mailed: each notification's text and link.
type NotificationMail struct {
	UserID        int64
	Email         string
	Notifications []Notification
}

// NotificationMailIDs lists the ids of the notifications in mails, to release them
// for another try when sending fails.
func NotificationMailIDs(mails []NotificationMail) []int64 {
	var out []int64
	for _, m := range mails {
		for _, n := range m.Notifications {
			out = append(out, n.ID)
		}
	}
	return out
}

// AuditNotificationEmailSet records a user's change of how they hear by e-mail.
const AuditNotificationEmailSet = "user.notification_email_set"

// NotificationSettings is how a user chooses to hear of notifications by e-mail:
// their own choice only.
type NotificationSettings interface {
	FindNotificationEmail(ctx context.Context, actor Actor) (NotificationEmail, error)
	SetNotificationEmail(ctx context.Context, actor Actor, m NotificationEmail) error
}

// NotificationCenter is what the pages and the API use: a user's notifications and
// their e-mail choice.
type NotificationCenter interface {
	NotificationService
	NotificationSettings
}
