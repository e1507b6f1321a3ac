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

// Escalator escalates emergency reports left unclaimed past their target, and
// keeps which escalations have been e-mailed; store.ReportService is one.
type Escalator interface {
	EscalateEmergencies(ctx context.Context, actor tropic.Actor, cut time.Time, target tropic.TriageSpan) (int, error)
	FindUnsentEscalations(ctx context.Context, actor tropic.Actor, limit int) ([]*tropic.Report, error)
	MarkEscalationEmailed(ctx context.Context, actor tropic.Actor, id int64) error
}

// DefaultEscalationInterval is how often emergency reports are checked against
// their target: a report is escalated within this of missing it.
const DefaultEscalationInterval = time.Minute

// escalationBatch bounds the e-mails one run sends; the next run sends the rest.
const escalationBatch = 200

// escalationWorker escalates each emergency report that nobody claimed by its
// target, once: the store records the escalation and notifies the hub's triage
// users in one transaction, then the worker e-mails the triage addresses and marks
// each escalation e-mailed. A restart, or a second process, finds them recorded and
// sends nothing again; an e-mail that failed is tried again at the next run.
type escalationWorker struct {
	river.WorkerDefaults[tropic.ReportEscalationJob]
	escalator Escalator
	reports   ReportFinder         // district names
	targets   tropic.TriageTargets // when settings is nil
	settings  SettingsFinder       // the targets in force, read at each run; nil: targets
	mailer    Mailer
	to        []string
	baseURL   string
	now       func() time.Time
	log       *slog.Logger
	actor     tropic.Actor
}

func (w *escalationWorker) Timeout(*river.Job[tropic.ReportEscalationJob]) time.Duration {
	return 5 * time.Minute
}

func (w *escalationWorker) Work(ctx context.Context, job *river.Job[tropic.ReportEscalationJob]) error {
	targets := w.targets
	if w.settings != nil {
		set, err := w.settings.FindSettings(ctx)
		if err != nil {
			return fmt.Errorf("find triage targets: %w", err)
		}
		targets = set.TriageTargets
	}
	n, err := w.escalator.EscalateEmergencies(ctx, w.actor, tropic.EscalationCut(targets, w.now()), targets.Emergency)
	if err != nil {
		return fmt.Errorf("escalate emergency reports: %w", err)
	}
	if n > 0 {
		w.log.Info("emergency reports escalated: unclaimed past their target", "reports", n, "target", targets.Emergency.String())
	}
	unsent, err := w.escalator.FindUnsentEscalations(ctx, w.actor, escalationBatch)
	if err != nil {
		return fmt.Errorf("find unsent escalations: %w", err)
	}
	if len(unsent) == 0 {
		return nil
	}
	if w.mailer == nil || len(w.to) == 0 {
		w.log.Warn("escalation e-mail NOT sent: e-mail is not configured (set TROPIC_SMTP_ADDR, TROPIC_MAIL_FROM and TROPIC_TRIAGE_EMAILS); the hub's triage users were notified in the service",
			"reports", len(unsent))
		return nil
	}
	names := districtNames{finder: w.reports}
	for _, r := range unsent {
		district, err := names.name(ctx, r.Location.District)
		if err != nil {
			return err
		}
		subject, body := EscalationEmail(r, district, targets.Emergency, w.baseURL)
		if err := w.mailer.Send(ctx, w.to, subject, body); err != nil {
			// The escalation stays unsent; the next run tries again.
			w.log.Warn("escalation e-mail failed; it is tried again at the next run", "reference", r.Reference, "error", err.Error())
			return err
		}
		if err := w.escalator.MarkEscalationEmailed(ctx, w.actor, r.ID); err != nil {
			return fmt.Errorf("mark escalation of %s e-mailed: %w", r.Reference, err)
		}
		w.log.Info("escalation e-mail sent", "reference", r.Reference, "recipients", len(w.to))
	}
	return nil
}

// EscalationEmail writes the escalation of report r: its reference, urgency,
// district, the target it missed and a link, and nothing else.
func EscalationEmail(r *tropic.Report, district string, target tropic.TriageSpan, baseURL string) (subject, body string) {
	link := strings.TrimRight(baseURL, "/") + "/triage/reports/" + url.PathEscape(r.Reference)
	subject = fmt.Sprintf("Escalation: emergency report %s is not claimed", r.Reference)
	var b strings.Builder
	fmt.Fprintf(&b, "Nobody has claimed emergency report %s within its target of %s.\n", r.Reference, target.Label())
	b.WriteString("Emergency means the report says someone is in immediate danger. Claim it in the triage queue now.\n")
	fmt.Fprintf(&b, "\nReference: %s\nUrgency:   %s\nDistrict:  %s\n", r.Reference, r.Urgency.Label(), district)
	fmt.Fprintf(&b, "\nOpen it in Tropic (sign-in required):\n%s\n", link)
	b.WriteString("\nThis e-mail holds no details of the report or of anyone in it; they are in Tropic only.\n" +
		"You receive it because this address is set as a triage address of the partnership.\n")
	return subject, b.String()
}

// addEscalation registers the escalation worker and its schedule.
func addEscalation(workers *river.Workers, cfg Config, log *slog.Logger) (*river.PeriodicJob, error) {
	targets := cfg.TriageTargets
	if targets == (tropic.TriageTargets{}) {
		targets = tropic.DefaultTriageTargets
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if err := river.AddWorkerSafely(workers, &escalationWorker{escalator: cfg.Escalator, reports: cfg.Reports, targets: targets, settings: cfg.Settings,
		mailer: cfg.Mailer, to: cfg.TriageEmails, baseURL: cfg.BaseURL, now: now, log: log,
		actor: tropic.SystemActor("report escalation")}); err != nil {
		return nil, err
	}
	every := cfg.EscalationInterval
	if every <= 0 {
		every = DefaultEscalationInterval
	}
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return tropic.ReportEscalationJob{}, nil },
		&river.PeriodicJobOpts{ID: "report_escalation", RunOnStart: true}), nil
}

// SettingsFinder reads the settings in force (tropic.ReferenceDataService).
type SettingsFinder interface {
	FindSettings(ctx context.Context) (tropic.Settings, error)
}
