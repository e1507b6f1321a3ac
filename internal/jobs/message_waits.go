package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"tropic/internal/tropic"
)

// ReporterAddressFinder gives the e-mail address of a report's reporter who agreed to
// be told that a message waits ("" when none, or no consent); store.ReportService is one.
type ReporterAddressFinder interface {
	FindReporterNotifyEmail(ctx context.Context, actor tropic.Actor, reportID int64) (string, error)
}

// messageWaitsWorker e-mails a reporter who agreed that the partnership wrote to them.
// The job holds the report's number only; the address is read now (a report disposed
// of, or a consent gone, sends nothing), and the e-mail holds no reference, no message
// and nothing about the report: whoever else reads the reporter's e-mail learns only
// that a message waits on the follow-up page.
type messageWaitsWorker struct {
	river.WorkerDefaults[tropic.MessageWaitsJob]
	reporters ReporterAddressFinder
	mailer    Mailer
	baseURL   string
	log       *slog.Logger
}

// Timeout bounds one attempt: one read and one SMTP conversation.
func (w *messageWaitsWorker) Timeout(*river.Job[tropic.MessageWaitsJob]) time.Duration {
	return time.Minute
}

func (w *messageWaitsWorker) Work(ctx context.Context, job *river.Job[tropic.MessageWaitsJob]) error {
	if w.reporters == nil || w.mailer == nil {
		w.log.Warn("a message waits for a reporter: e-mail NOT sent (e-mail is not configured); the message waits on the follow-up page", "report_id", job.Args.ReportID)
		return nil
	}
	to, err := w.reporters.FindReporterNotifyEmail(ctx, tropic.SystemActor("message waits e-mail"), job.Args.ReportID)
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return river.JobCancel(fmt.Errorf("report %d not found", job.Args.ReportID))
	} else if err != nil {
		return fmt.Errorf("load reporter's address for report %d: %w", job.Args.ReportID, err)
	}
	if to == "" {
		w.log.Info("a message waits for a reporter: no e-mail (no address, or no consent)", "report_id", job.Args.ReportID)
		return nil
	}
	subject, body := MessageWaitsEmail(w.baseURL)
	if err := w.mailer.Send(ctx, []string{to}, subject, body); err != nil {
		w.log.Warn("message waits e-mail failed; River will retry", "report_id", job.Args.ReportID, "attempt", job.Attempt, "error", err.Error())
		return err
	}
	w.log.Info("message waits e-mail sent", "report_id", job.Args.ReportID, "attempt", job.Attempt)
	return nil
}

// MessageWaitsEmail writes the e-mail telling a reporter that a message waits: where
// to read it, and nothing else (no reference, no message, no agency).
func MessageWaitsEmail(baseURL string) (subject, body string) {
	link := strings.TrimRight(baseURL, "/") + "/report/follow-up/messages"
	subject = "A message is waiting for you"
	var b strings.Builder
	b.WriteString("A message is waiting for you about the report you made.\n")
	fmt.Fprintf(&b, "\nTo read it, go to %s and enter your reference and follow-up code.\n", link)
	b.WriteString("\nThis e-mail does not contain the message.\n")
	b.WriteString("\nIf someone is in immediate danger, call 999.\n")
	return subject, b.String()
}
