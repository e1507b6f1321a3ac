// Package jobs runs Tropic's background work on River (github.com/riverqueue/river),
// in the application's own database, through database/sql on both dialects:
// riversqlite for SQLite and riverdatabasesql for PostgreSQL. Both take the *sql.DB
// the store writes with, so a job is inserted inside the store's *sql.Tx and exists
// if and only if that transaction commits (store.Jobs).
//
// riverdatabasesql works jobs as well as inserting them: without a pgx listener it
// runs River in poll-only mode (no LISTEN/NOTIFY), which is what this package asks
// for on SQLite too. Jobs are found within FetchPollInterval (1 s) of their commit.
//
// SQLite has one writer connection (store.DB.SQL has MaxOpenConns(1), as River's
// SQLite driver recommends). River shares it with requests: each poll and each
// maintenance pass is one short transaction, the reindexer is turned off there,
// and the worker reads reports on the store's reader pool.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"tropic/internal/tropic"
)

// Dialect names the database River runs on; it matches store.Dialect's values.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

func newDriver(d Dialect, db *sql.DB) (riverdriver.Driver[*sql.Tx], error) {
	if db == nil {
		return nil, errors.New("jobs: no database")
	}
	switch d {
	case SQLite:
		return riversqlite.New(db), nil
	case Postgres:
		return riverdatabasesql.New(db), nil
	}
	return nil, fmt.Errorf("jobs: unknown database dialect %q", d)
}

// Mailer sends a plain-text e-mail; notify.Mailer is one.
type Mailer interface {
	Send(ctx context.Context, to []string, subject, textBody string) error
}

// ReportFinder is what the notification worker reads: a report's summary (no
// personal data) and the district names. store.ReportService is one.
type ReportFinder interface {
	FindReportSummary(ctx context.Context, actor tropic.Actor, id int64) (*tropic.Report, error)
	FindDistricts(ctx context.Context) ([]tropic.District, error)
}

// Defaults.
const (
	DefaultFetchPollInterval = time.Second
	DefaultMaxAttempts       = 10 // with River's backoff (attempt⁴ s), about 4.5 hours of retries
)

// Config configures a Queue.
type Config struct {
	Dialect Dialect
	DB      *sql.DB // the writer pool: store.DB.SQL()
	Logger  *slog.Logger

	Reports ReportFinder
	// Reporters gives the address of a reporter who agreed to be e-mailed that a
	// message waits; nil: such e-mails are logged as not sent.
	Reporters ReporterAddressFinder
	Matcher   ReportMatcher // nil: new reports are not matched against the cases
	// MatchInterval is how often new reports are matched (default 2 s).
	MatchInterval time.Duration
	Mailer        Mailer   // nil: notifications are logged as not sent, and complete
	TriageEmails  []string // who is told about urgent and emergency reports
	BaseURL       string   // e.g. https://tropic.partnership.example; links are relative without it

	// Escalator, when set, escalates emergency reports that nobody claimed by their
	// target (TriageTargets, default tropic.DefaultTriageTargets), checked every
	// EscalationInterval (default 1 minute) on the clock Now.
	Escalator     Escalator
	TriageTargets tropic.TriageTargets
	// Settings, when set, gives the targets in force at each run (changed in the
	// browser), over TriageTargets.
	Settings           SettingsFinder
	EscalationInterval time.Duration

	FetchPollInterval time.Duration // default 1 s
	MaxAttempts       int           // default 10
	// RetryDelay, when set, replaces River's backoff (for tests).
	RetryDelay func(attempt int) time.Duration
	// Workers is how many jobs run at once; default 2.
	Workers int

	// Reminders, when set, enables the daily referral reminder digest (reminders.go),
	// sent at ReminderHour:00 UTC (default 07:00) and counting CG waits longer than
	// ReminderCGDays (default 365). Now is the clock the digest counts on (default
	// time.Now).
	Reminders ReminderFinder
	Agencies  AgencyLister // optional: to log first responders without a reminder address, and for agencies' inbox addresses
	// AuditCheckpoints, when set, puts the day's signed audit checkpoint at the end
	// of each digest (made by the digest when none was made in the last day).
	AuditCheckpoints AuditCheckpointer
	// AuditCheckpointEmails get the day's audit checkpoint on its own every day, with
	// the digest's run, whether or not any agency has referrals to chase: the
	// custodians of the audit trail keep the copies outside the database.
	AuditCheckpointEmails []string
	ReminderCGDays        int
	// Notifications, when set, e-mails users their notifications as each chose: each one
	// every NotificationInterval (default a minute), or a daily digest at ReminderHour.
	Notifications        NotificationMailer
	NotificationInterval time.Duration
	ReminderHour         int
	Now                  func() time.Time
	// StatsReleases, when set, publishes each statistics release when its period
	// has closed (stats_release.go), checking every hour.
	StatsReleases StatsPublisher
	// Retention, when set, queues the records at the end of their retention period
	// for review every day at 02:00 UTC and at start (retention.go).
	Retention Retention
	// Misuse, when set, raises misuse alerts from the last two days of the access log
	// every hour and at start (misuse.go).
	Misuse Misuse
}

// Queue is Tropic's River client: it queues jobs in store transactions and works them.
type Queue struct {
	client    *river.Client[*sql.Tx]
	log       *slog.Logger
	reminders bool // the reminder digest worker is registered
}

// New builds the River client. It does not start working jobs; see Start.
func New(cfg Config) (*Queue, error) {
	drv, err := newDriver(cfg.Dialect, cfg.DB)
	if err != nil {
		return nil, err
	}
	if cfg.Reports == nil {
		return nil, errors.New("jobs: no report finder")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "jobs")
	if cfg.FetchPollInterval <= 0 {
		cfg.FetchPollInterval = DefaultFetchPollInterval
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	workers := river.NewWorkers()
	urgent := &urgentReportWorker{
		reports: cfg.Reports, mailer: cfg.Mailer, to: cfg.TriageEmails, baseURL: cfg.BaseURL, log: log,
		actor: tropic.SystemActor("urgent report notification"),
	}
	if err := river.AddWorkerSafely(workers, urgent); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &reportPassedWorker{urgent: urgent, agencies: cfg.Agencies, mailer: cfg.Mailer,
		baseURL: cfg.BaseURL, log: log}); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &messageWaitsWorker{reporters: cfg.Reporters, mailer: cfg.Mailer, baseURL: cfg.BaseURL, log: log}); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	var periodic []*river.PeriodicJob
	if cfg.Reminders != nil {
		if periodic, err = addReminders(workers, cfg, log); err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
	}
	if cfg.Notifications != nil {
		pjs, err := addNotificationMail(workers, cfg, log)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		periodic = append(periodic, pjs...)
	}
	if cfg.Matcher != nil {
		pj, err := addReportMatching(workers, cfg, log)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		periodic = append(periodic, pj)
	}
	if cfg.Retention != nil {
		pjs, err := addRetention(workers, cfg, log)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		periodic = append(periodic, pjs...)
	}
	if cfg.Misuse != nil {
		pj, err := addMisuse(workers, cfg, log)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		periodic = append(periodic, pj)
	}
	if cfg.Escalator != nil {
		pj, err := addEscalation(workers, cfg, log)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		periodic = append(periodic, pj)
	}
	if cfg.StatsReleases != nil {
		pj, err := addStatsReleases(workers, cfg, log)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		periodic = append(periodic, pj)
	}
	rc := &river.Config{
		Logger:            log,
		Workers:           workers,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		FetchPollInterval: cfg.FetchPollInterval,
		FetchCooldown:     min(100*time.Millisecond, cfg.FetchPollInterval/2),
		MaxAttempts:       cfg.MaxAttempts,
		JobTimeout:        2 * time.Minute,
		PollOnly:          true,
		PeriodicJobs:      periodic,
	}
	if cfg.RetryDelay != nil {
		rc.RetryPolicy = retryPolicy(cfg.RetryDelay)
	}
	if cfg.Dialect == SQLite {
		// REINDEX would hold the only writer connection; River's tables stay small
		// (finished jobs are deleted after a day), so they need no reindexing.
		rc.ReindexerSchedule = river.NeverSchedule()
	}
	client, err := river.NewClient(drv, rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Queue{client: client, log: log, reminders: cfg.Reminders != nil}, nil
}

type retryPolicy func(attempt int) time.Duration

func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(p(job.Attempt))
}

// EnqueueTx queues job in tx: it exists if and only if tx commits. It implements
// store.Jobs.
func (q *Queue) EnqueueTx(ctx context.Context, tx *sql.Tx, job tropic.Job) error {
	if _, err := q.client.InsertTx(ctx, tx, job, nil); err != nil {
		return fmt.Errorf("queue %s job: %w", job.Kind(), err)
	}
	return nil
}

// Start begins fetching and working jobs in the background. Cancelling ctx does not
// stop it (so that a signal does not abandon a job half done): call Stop.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for those running to finish until ctx ends,
// then cancels them (River retries a cancelled job later).
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err != nil && ctx.Err() != nil {
		q.log.Warn("jobs still running at shutdown; cancelling them", "error", err.Error())
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return q.client.StopAndCancel(hard)
	}
	return err
}

// Client exposes River's client, for tests and tools that list jobs.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }
