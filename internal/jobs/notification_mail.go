package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"tropic/internal/tropic"
)

// NotificationMailer claims the notifications to e-mail, marking them in the claiming
// transaction so that nothing is sent twice, and gives back those whose e-mail failed;
// store.NotificationService is one.
type NotificationMailer interface {
	ClaimNotificationMail(ctx context.Context, choice tropic.NotificationEmail, limit int) ([]tropic.NotificationMail, error)
	ReleaseNotificationMail(ctx context.Context, ids []int64) error
}

// DefaultNotificationInterval is how often notifications are e-mailed to the users
// who want each one.
const DefaultNotificationInterval = time.Minute

// NotificationMailJob e-mails the notifications claimed for Choice: one e-mail each
// ("each"), or one per user listing them ("digest", daily).
type NotificationMailJob struct {
	Choice tropic.NotificationEmail `json:"choice"`
}

// Kind names the job.
func (NotificationMailJob) Kind() string { return "notification_mail" }

// notificationMailWorker sends each user's notifications as they chose: only each
// notification's text and link, which hold no personal data.
type notificationMailWorker struct {
	river.WorkerDefaults[NotificationMailJob]
	claims  NotificationMailer
	mailer  Mailer
	baseURL string
	log     *slog.Logger
}

func (w *notificationMailWorker) Timeout(*river.Job[NotificationMailJob]) time.Duration {
	return 5 * time.Minute
}

func (w *notificationMailWorker) Work(ctx context.Context, job *river.Job[NotificationMailJob]) error {
	var sent, failed int
	var errs []error
	for {
		mails, err := w.claims.ClaimNotificationMail(ctx, job.Args.Choice, 200)
		if err != nil {
			return fmt.Errorf("claim notifications to e-mail: %w", err)
		}
		if len(mails) == 0 {
			break
		}
		var release []int64
		for _, m := range mails {
			if w.mailer == nil || m.Email == "" {
				continue // claimed and not sent: logged below
			}
			subject, body := NotificationEmail(m, job.Args.Choice, w.baseURL)
			if err := w.mailer.Send(ctx, []string{m.Email}, subject, body); err != nil {
				failed++
				errs = append(errs, fmt.Errorf("user %d: %w", m.UserID, err))
				release = append(release, tropic.NotificationMailIDs([]tropic.NotificationMail{m})...)
				continue
			}
			sent++
		}
		if w.mailer == nil {
			w.log.Warn("notification e-mail NOT sent: e-mail is not configured (set TROPIC_SMTP_ADDR and TROPIC_MAIL_FROM)", "e-mails", len(mails))
		}
		if len(release) > 0 {
			// Given back for the retry; the others stay sent.
			if err := w.claims.ReleaseNotificationMail(ctx, release); err != nil {
				errs = append(errs, err)
			}
			break
		}
	}
	w.log.Info("notification e-mail done", "choice", job.Args.Choice, "sent", sent, "failed", failed)
	return errors.Join(errs...)
}

// NotificationEmail writes one user's e-mail: the notifications' text and links under
// baseURL, nothing else.
func NotificationEmail(m tropic.NotificationMail, choice tropic.NotificationEmail, baseURL string) (subject, body string) {
	base := strings.TrimRight(baseURL, "/")
	var b strings.Builder
	if choice == tropic.NotificationEmailDigest {
		subject = fmt.Sprintf("Tropic: %d unread notifications", len(m.Notifications))
		if len(m.Notifications) == 1 {
			subject = "Tropic: 1 unread notification"
		}
		b.WriteString("Your unread notifications in Tropic:\n\n")
	} else {
		subject = "Tropic notification"
		if s := m.Notifications[0].Subject; s != "" {
			subject += " about " + s
		}
	}
	for _, n := range m.Notifications {
		b.WriteString(n.Text + "\n")
		if n.Link != "" {
			b.WriteString("  " + base + n.Link + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("Sign in to Tropic to act on it. This e-mail holds no details of anyone; they are in Tropic only.\n" +
		"Choose how you hear of notifications by e-mail at " + base + "/account/notifications\n")
	return subject, b.String()
}

// QueueNotificationMail queues one run for choice now, outside its schedule.
func (q *Queue) QueueNotificationMail(ctx context.Context, choice tropic.NotificationEmail) error {
	if _, err := q.client.Insert(ctx, NotificationMailJob{Choice: choice}, nil); err != nil {
		return fmt.Errorf("queue notification mail: %w", err)
	}
	return nil
}

// addNotificationMail registers the worker and its schedules: "each" every interval,
// the digest daily at hour:00 UTC.
func addNotificationMail(workers *river.Workers, cfg Config, log *slog.Logger) ([]*river.PeriodicJob, error) {
	if err := river.AddWorkerSafely(workers, &notificationMailWorker{claims: cfg.Notifications, mailer: cfg.Mailer, baseURL: cfg.BaseURL, log: log}); err != nil {
		return nil, err
	}
	every := cfg.NotificationInterval
	if every <= 0 {
		every = DefaultNotificationInterval
	}
	hour := cfg.ReminderHour
	if hour <= 0 || hour > 23 {
		hour = DefaultReminderHour
	}
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) {
				return NotificationMailJob{Choice: tropic.NotificationEmailEach}, nil
			}, &river.PeriodicJobOpts{ID: "notification_mail_each"}),
		river.NewPeriodicJob(dailyAt(hour),
			func() (river.JobArgs, *river.InsertOpts) {
				return NotificationMailJob{Choice: tropic.NotificationEmailDigest}, nil
			}, &river.PeriodicJobOpts{ID: "notification_mail_digest"}),
	}, nil
}
