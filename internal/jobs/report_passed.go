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

// reportPassedWorker e-mails an agency's inbox address that the triage hub passed a
// report to it: the reference, the urgency, the district and a link to the report in
// the agency's inbox, and nothing about the people in it or the reporter.
type reportPassedWorker struct {
	river.WorkerDefaults[tropic.ReportPassedJob]
	urgent   *urgentReportWorker // for the report's summary and district names
	agencies AgencyLister
	mailer   Mailer
	baseURL  string
	log      *slog.Logger
}

// Timeout bounds one attempt: loading the report and one SMTP conversation.
func (w *reportPassedWorker) Timeout(*river.Job[tropic.ReportPassedJob]) time.Duration {
	return time.Minute
}

func (w *reportPassedWorker) Work(ctx context.Context, job *river.Job[tropic.ReportPassedJob]) error {
	r, err := w.urgent.reports.FindReportSummary(ctx, w.urgent.actor, job.Args.ReportID)
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return river.JobCancel(fmt.Errorf("report %d not found", job.Args.ReportID))
	} else if err != nil {
		return fmt.Errorf("load report %d: %w", job.Args.ReportID, err)
	}
	var agency *tropic.Agency
	if w.agencies != nil {
		all, err := w.agencies.FindAgencies(ctx)
		if err != nil {
			return fmt.Errorf("load agencies: %w", err)
		}
		for _, a := range all {
			if a.ID == job.Args.AgencyID {
				agency = a
			}
		}
	}
	if agency == nil || agency.InboxEmail == "" || w.mailer == nil {
		w.log.Warn("report passed to an agency: inbox e-mail NOT sent (no inbox address, or e-mail is not configured); its caseworkers and supervisors are notified in Tropic",
			"reference", r.Reference, "agency_id", job.Args.AgencyID)
		return nil
	}
	names := districtNames{finder: w.urgent.reports}
	district, err := names.name(ctx, r.Location.District)
	if err != nil {
		return err
	}
	subject, body := ReportPassedEmail(r, agency.Name, district, w.baseURL)
	if err := w.mailer.Send(ctx, []string{agency.InboxEmail}, subject, body); err != nil {
		w.log.Warn("inbox e-mail failed; River will retry", "reference", r.Reference, "attempt", job.Attempt, "error", err.Error())
		return err
	}
	w.log.Info("inbox e-mail sent", "reference", r.Reference, "agency_id", agency.ID, "attempt", job.Attempt)
	return nil
}

// ReportPassedEmail writes the e-mail telling agency that report r waits in its inbox:
// the reference, urgency, district and a link, and nothing else.
func ReportPassedEmail(r *tropic.Report, agency, district, baseURL string) (subject, body string) {
	link := strings.TrimRight(baseURL, "/") + "/inbox/reports/" + url.PathEscape(r.Reference)
	subject = fmt.Sprintf("%s report %s passed to %s", r.Urgency.Label(), r.Reference, agency)
	var b strings.Builder
	fmt.Fprintf(&b, "The triage hub has passed a %s report to %s.\n", strings.ToLower(r.Urgency.Label()), agency)
	fmt.Fprintf(&b, "\nReference: %s\nUrgency:   %s\nDistrict:  %s\n", r.Reference, r.Urgency.Label(), district)
	fmt.Fprintf(&b, "\nAcknowledge it, then accept or return it, in Tropic (sign-in required):\n%s\n", link)
	b.WriteString("\nThis e-mail holds no details of the report or of anyone in it; they are in Tropic only.\n" +
		"You receive it because this address is set as the agency's inbox address in Tropic.\n")
	return subject, b.String()
}
