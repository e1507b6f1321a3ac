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

// ReminderFinder counts, per first-responder agency, the referrals that need chasing;
// store.ReferralService is one (tropic.ReferralReminders).
type ReminderFinder interface {
	FindReminderDigests(ctx context.Context, now time.Time, cgWaitDays int) ([]tropic.ReminderDigest, error)
}

// AgencyLister lists the partnership's agencies, so that the digest can log the first
// responders it skips for want of an address; store.AgencyService is one.
type AgencyLister interface {
	FindAgencies(ctx context.Context) ([]*tropic.Agency, error)
}

// AuditCheckpointer gives the audit checkpoint the digest carries: the newest made
// within maxAge, or a new one; store.AuditService is one. When the chain does not
// verify it makes none and returns the problem.
type AuditCheckpointer interface {
	DailyAuditCheckpoint(ctx context.Context, maxAge time.Duration) (*tropic.AuditCheckpoint, *tropic.AuditProblem, error)
}

// Reminder defaults.
const (
	DefaultReminderCGDays = 365 // a CG wait longer than this is counted
	DefaultReminderHour   = 7   // the digest goes at 07:00 UTC
)

// ReminderDigestJob sends the day's referral reminder digests. It has no arguments:
// it counts afresh when it runs.
type ReminderDigestJob struct{}

// Kind names the job.
func (ReminderDigestJob) Kind() string { return "referral_reminder_digest" }

// dailyAt is a River schedule: every day at hour:00 UTC.
type dailyAt int

func (h dailyAt) Next(current time.Time) time.Time {
	c := current.UTC()
	next := time.Date(c.Year(), c.Month(), c.Day(), int(h), 0, 0, 0, time.UTC)
	if !next.After(c) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// NextReminderRun is when the daily digest next runs after now, at hour:00 UTC.
func NextReminderRun(now time.Time, hour int) time.Time { return dailyAt(hour).Next(now) }

// reminderWorker e-mails each first-responder agency's reminder address a digest of
// its overdue Reasonable Grounds decisions and long Conclusive Grounds waits: counts
// and links only, never a name, a reference or anything else about a person.
type reminderWorker struct {
	river.WorkerDefaults[ReminderDigestJob]
	finder   ReminderFinder
	agencies AgencyLister      // optional
	audit    AuditCheckpointer // optional
	auditTo  []string          // optional: custodians who get the checkpoint daily
	mailer   Mailer
	cgDays   int
	baseURL  string
	now      func() time.Time
	log      *slog.Logger
}

func (w *reminderWorker) Timeout(*river.Job[ReminderDigestJob]) time.Duration { return 5 * time.Minute }

func (w *reminderWorker) Work(ctx context.Context, job *river.Job[ReminderDigestJob]) error {
	now := w.now()
	digests, err := w.finder.FindReminderDigests(ctx, now, w.cgDays)
	if err != nil {
		return fmt.Errorf("count referrals for the reminder digests: %w", err)
	}
	w.logSkipped(ctx, digests)
	auditNote := w.auditNote(ctx)
	var sent, failed int
	var errs []error
	for _, d := range digests {
		if d.OverdueRG == 0 && d.LongCGWaits == 0 {
			continue // nothing to chase: no e-mail
		}
		if strings.TrimSpace(d.ReminderEmail) == "" {
			w.log.Info("referral reminder digest skipped: the agency has no reminder address (set one with 'tropic agency set-reminder-email')",
				"agency_id", d.AgencyID, "overdue_rg", d.OverdueRG, "long_cg_waits", d.LongCGWaits)
			continue
		}
		if w.mailer == nil {
			w.log.Warn("referral reminder digest NOT sent: e-mail is not configured (set TROPIC_SMTP_ADDR and TROPIC_MAIL_FROM)",
				"agency_id", d.AgencyID, "overdue_rg", d.OverdueRG, "long_cg_waits", d.LongCGWaits)
			continue
		}
		subject, body := ReminderDigestEmail(d, w.cgDays, w.baseURL, now, auditNote)
		if err := w.mailer.Send(ctx, []string{d.ReminderEmail}, subject, body); err != nil {
			failed++
			errs = append(errs, fmt.Errorf("agency %d: %w", d.AgencyID, err))
			w.log.Warn("referral reminder digest failed", "agency_id", d.AgencyID, "attempt", job.Attempt, "error", err.Error())
			continue
		}
		sent++
	}
	if err := w.sendCheckpoint(ctx, now, auditNote); err != nil {
		failed++
		errs = append(errs, err)
	} else if len(w.auditTo) > 0 && auditNote != "" && w.mailer != nil {
		sent++
	}
	w.log.Info("referral reminder digests done", "sent", sent, "failed", failed, "agencies", len(digests))
	// Retry only when nothing went: a retry after a partial failure would send the
	// digest twice to the agencies that got it.
	if failed > 0 && sent == 0 {
		return errors.Join(errs...)
	}
	return nil
}

// sendCheckpoint e-mails the day's audit note to the audit trail's custodians, if any.
func (w *reminderWorker) sendCheckpoint(ctx context.Context, now time.Time, auditNote string) error {
	if len(w.auditTo) == 0 || auditNote == "" {
		return nil
	}
	if w.mailer == nil {
		w.log.Warn("audit checkpoint NOT e-mailed: e-mail is not configured (set TROPIC_SMTP_ADDR and TROPIC_MAIL_FROM)")
		return nil
	}
	subject := "Tropic audit checkpoint, " + now.UTC().Format("2 January 2006")
	body := "The audit trail's signed checkpoint for " + now.UTC().Format("Monday 2 January 2006") + ".\n" +
		"You receive it because this address is set to keep Tropic's audit checkpoints (TROPIC_AUDIT_CHECKPOINT_EMAILS).\n\n" + auditNote
	if err := w.mailer.Send(ctx, w.auditTo, subject, body); err != nil {
		w.log.Warn("audit checkpoint e-mail failed", "error", err.Error())
		return fmt.Errorf("audit checkpoint: %w", err)
	}
	return nil
}

// auditNote is the digest's paragraph about the audit chain: the day's checkpoint,
// made here if none was made in the last day, so that every partner keeps a copy of
// it outside the database; or the news that the chain did not verify.
func (w *reminderWorker) auditNote(ctx context.Context) string {
	if w.audit == nil {
		return ""
	}
	c, p, err := w.audit.DailyAuditCheckpoint(ctx, 24*time.Hour)
	if err != nil {
		w.log.Warn("referral reminder digest: no audit checkpoint", "error", err.Error())
		return ""
	}
	if p != nil {
		w.log.Error("audit chain does not verify: no checkpoint made", "seq", p.Seq, "row_id", p.RowID, "reason", p.Reason)
	}
	return AuditCheckpointNote(c, p)
}

// AuditCheckpointNote writes the digest's paragraph about the audit chain from the
// checkpoint, or from the problem that prevented one.
func AuditCheckpointNote(c *tropic.AuditCheckpoint, p *tropic.AuditProblem) string {
	switch {
	case p != nil:
		return fmt.Sprintf("Audit chain check FAILED at event %d: ask your Tropic administrator to run 'tropic audit verify' today.\n", p.Seq)
	case c == nil:
		return ""
	}
	return "Audit checkpoint (keep this e-mail: 'tropic audit verify --checkpoint' proves the audit trail still holds\n" +
		"everything up to this line):\n" + c.String() + "\n"
}

// logSkipped logs each first-responder agency that has no reminder address: its
// overdue referrals go unreminded.
func (w *reminderWorker) logSkipped(ctx context.Context, digests []tropic.ReminderDigest) {
	if w.agencies == nil {
		return
	}
	agencies, err := w.agencies.FindAgencies(ctx)
	if err != nil {
		w.log.Warn("referral reminder digest: cannot list agencies to report those skipped", "error", err.Error())
		return
	}
	has := map[int64]bool{}
	for _, d := range digests {
		has[d.AgencyID] = strings.TrimSpace(d.ReminderEmail) != ""
	}
	for _, a := range agencies {
		if a.FirstResponder && !has[a.ID] {
			w.log.Info("referral reminder digest skipped: the agency has no reminder address (set one with 'tropic agency set-reminder-email')",
				"agency_id", a.ID, "agency", a.Name)
		}
	}
}

// ReminderDigestEmail writes one agency's digest: the counts and links to the lists
// in Tropic under baseURL, and nothing about anyone referred; auditNote, when set,
// ends it (AuditCheckpointNote).
func ReminderDigestEmail(d tropic.ReminderDigest, cgDays int, baseURL string, now time.Time, auditNote string) (subject, body string) {
	base := strings.TrimRight(baseURL, "/")
	subject = fmt.Sprintf("NRM referrals to chase: %d overdue RG, %d long CG waits", d.OverdueRG, d.LongCGWaits)
	var b strings.Builder
	fmt.Fprintf(&b, "Daily NRM referral reminder for %s, %s.\n\n", d.AgencyName, now.UTC().Format("Monday 2 January 2006"))
	fmt.Fprintf(&b, "Reasonable Grounds decisions overdue (past the 5-working-day target): %d\n", d.OverdueRG)
	if d.OverdueRG > 0 {
		fmt.Fprintf(&b, "  %s/referrals?overdue=1\n", base)
	}
	fmt.Fprintf(&b, "\nWaiting more than %d days for a Conclusive Grounds decision: %d\n", cgDays, d.LongCGWaits)
	if d.LongCGWaits > 0 {
		fmt.Fprintf(&b, "  %s/referrals?waiting=1\n", base)
	}
	b.WriteString("\nSign in to Tropic to see which referrals they are and to chase the competent authority.\n" +
		"This e-mail holds no details of any referral or of anyone referred; they are in Tropic only.\n" +
		"You receive it because this address is set as your agency's NRM reminder address.\n")
	if auditNote != "" {
		b.WriteString("\n" + auditNote)
	}
	return subject, b.String()
}

// QueueReminderDigest queues one run of the digest now, outside the daily schedule
// (for tests and for an administrator who wants it sent again).
func (q *Queue) QueueReminderDigest(ctx context.Context) error {
	if !q.reminders {
		return errors.New("jobs: reminder digests are not configured")
	}
	if _, err := q.client.Insert(ctx, ReminderDigestJob{}, nil); err != nil {
		return fmt.Errorf("queue reminder digest: %w", err)
	}
	return nil
}

// addReminders registers the digest worker and its daily schedule.
func addReminders(workers *river.Workers, cfg Config, log *slog.Logger) ([]*river.PeriodicJob, error) {
	w := &reminderWorker{finder: cfg.Reminders, agencies: cfg.Agencies, audit: cfg.AuditCheckpoints, auditTo: cfg.AuditCheckpointEmails, mailer: cfg.Mailer, cgDays: cfg.ReminderCGDays, baseURL: cfg.BaseURL, now: cfg.Now, log: log}
	if w.cgDays <= 0 {
		w.cgDays = DefaultReminderCGDays
	}
	if w.now == nil {
		w.now = time.Now
	}
	hour := cfg.ReminderHour
	if hour <= 0 || hour > 23 {
		hour = DefaultReminderHour
	}
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return nil, err
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(dailyAt(hour),
		func() (river.JobArgs, *river.InsertOpts) { return ReminderDigestJob{}, nil },
		&river.PeriodicJobOpts{ID: "referral_reminder_digest"})}, nil
}
