package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"tropic/internal/tropic"
)

// urgentReportWorker e-mails the triage addresses about an urgent or emergency
// report. The message holds the reference, the urgency, the district and a link,
// and nothing about the people in the report or the reporter: it reads only the
// report's summary.
type urgentReportWorker struct {
	river.WorkerDefaults[tropic.UrgentReportJob]
	reports ReportFinder
	mailer  Mailer
	to      []string
	baseURL string
	log     *slog.Logger
	actor   tropic.Actor
}

// Timeout bounds one attempt: loading the report and one SMTP conversation.
func (w *urgentReportWorker) Timeout(*river.Job[tropic.UrgentReportJob]) time.Duration {
	return time.Minute
}

func (w *urgentReportWorker) Work(ctx context.Context, job *river.Job[tropic.UrgentReportJob]) error {
	r, err := w.reports.FindReportSummary(ctx, w.actor, job.Args.ReportID)
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		// Retrying cannot help: the report is gone.
		w.log.Warn("urgent report notification: report not found; not sent", "report_id", job.Args.ReportID)
		return river.JobCancel(fmt.Errorf("report %d not found", job.Args.ReportID))
	} else if err != nil {
		return fmt.Errorf("load report %d: %w", job.Args.ReportID, err)
	}
	if r.Urgency != tropic.UrgencyUrgent && r.Urgency != tropic.UrgencyEmergency {
		w.log.Info("urgent report notification: the report is no longer urgent; not sent", "reference", r.Reference, "urgency", string(r.Urgency))
		return nil
	}
	if w.mailer == nil || len(w.to) == 0 {
		w.log.Warn("urgent report notification NOT sent: e-mail is not configured (set TROPIC_SMTP_ADDR, TROPIC_MAIL_FROM and TROPIC_TRIAGE_EMAILS)",
			"reference", r.Reference, "urgency", string(r.Urgency))
		return nil
	}
	names := districtNames{finder: w.reports}
	district, err := names.name(ctx, r.Location.District)
	if err != nil {
		return err
	}
	subject, body := UrgentReportEmail(r, district, w.baseURL)
	if err := w.mailer.Send(ctx, w.to, subject, body); err != nil {
		if job.Attempt >= job.MaxAttempts {
			w.log.Error("urgent report notification failed for the last time; giving up: the triage hub must be told another way",
				"reference", r.Reference, "attempt", job.Attempt, "error", err.Error())
		} else {
			w.log.Warn("urgent report notification failed; River will retry", "reference", r.Reference,
				"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "error", err.Error())
		}
		return err
	}
	w.log.Info("urgent report notification sent", "reference", r.Reference, "urgency", string(r.Urgency),
		"recipients", len(w.to), "attempt", job.Attempt)
	return nil
}

// districtNames turns district slugs into their names for people, reading the
// list at most once.
type districtNames struct {
	finder ReportFinder
	list   []tropic.District
}

func (d *districtNames) name(ctx context.Context, slug string) (string, error) {
	switch slug {
	case "":
		return "Not given", nil
	case "not_sure":
		return "Not sure", nil
	}
	if d.list == nil {
		ds, err := d.finder.FindDistricts(ctx)
		if err != nil {
			return "", fmt.Errorf("load districts: %w", err)
		}
		d.list = ds
	}
	for _, k := range d.list {
		if k.Slug == slug {
			return k.Name, nil
		}
	}
	return slug, nil
}

// UrgentReportEmail writes the notification about report r: its reference, urgency,
// district and a link to it under baseURL, and nothing else.
func UrgentReportEmail(r *tropic.Report, district, baseURL string) (subject, body string) {
	link := strings.TrimRight(baseURL, "/") + "/triage/reports/" + url.PathEscape(r.Reference)
	subject = fmt.Sprintf("%s report %s", r.Urgency.Label(), r.Reference)
	var b strings.Builder
	fmt.Fprintf(&b, "A new %s report is waiting in the triage queue.\n", strings.ToLower(r.Urgency.Label()))
	if r.Urgency == tropic.UrgencyEmergency {
		b.WriteString("Emergency means the report says someone is in immediate danger.\n")
	}
	fmt.Fprintf(&b, "\nReference: %s\nUrgency:   %s\nDistrict:  %s\n", r.Reference, r.Urgency.Label(), district)
	fmt.Fprintf(&b, "\nOpen it in Tropic (sign-in required):\n%s\n", link)
	b.WriteString("\nThis e-mail holds no details of the report or of anyone in it; they are in Tropic only.\n" +
		"You receive it because this address is set as a triage address of the partnership.\n")
	return subject, b.String()
}
