package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tropic/internal/jobs"
	"tropic/internal/notify"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// mailFlags are the e-mail settings of serve and demo: flags that default to the
// environment. The SMTP password comes from the environment only, so that it never
// shows in the process list.
type mailFlags struct {
	smtpAddr, smtpUser, smtpTLS, from, triage, baseURL *string
	auditTo                                            *string
	smtpPassword                                       string
	reminderCGDays                                     *string
}

func addMailFlags(fs *flag.FlagSet, e *env) *mailFlags {
	return &mailFlags{
		smtpAddr: fs.String("smtp-addr", e.getenv("TROPIC_SMTP_ADDR"), "SMTP server host:port for notification e-mail; without it, notifications are logged, not sent (TROPIC_SMTP_ADDR)"),
		smtpUser: fs.String("smtp-username", e.getenv("TROPIC_SMTP_USERNAME"), "SMTP username; the password comes from TROPIC_SMTP_PASSWORD (TROPIC_SMTP_USERNAME)"),
		smtpTLS:  fs.String("smtp-tls", envOr(e, "TROPIC_SMTP_TLS", string(notify.TLSOpportunistic)), "SMTP encryption: none, opportunistic (STARTTLS when offered) or mandatory (TROPIC_SMTP_TLS)"),
		from:     fs.String("mail-from", e.getenv("TROPIC_MAIL_FROM"), "sender of notification e-mail, e.g. 'Tropic <tropic@partnership.example>' (TROPIC_MAIL_FROM)"),
		triage:   fs.String("triage-emails", e.getenv("TROPIC_TRIAGE_EMAILS"), "comma-separated addresses told about urgent and emergency reports (TROPIC_TRIAGE_EMAILS)"),
		baseURL:  fs.String("base-url", e.getenv("TROPIC_BASE_URL"), "the service's address as staff reach it, for links in e-mail (TROPIC_BASE_URL; default: the listen address)"),
		auditTo: fs.String("audit-checkpoint-emails", e.getenv("TROPIC_AUDIT_CHECKPOINT_EMAILS"),
			"comma-separated addresses that get the audit trail's signed checkpoint every day, to keep outside the database (TROPIC_AUDIT_CHECKPOINT_EMAILS)"),
		smtpPassword: e.getenv("TROPIC_SMTP_PASSWORD"),
		reminderCGDays: fs.String("reminder-cg-days", envOr(e, "TROPIC_REMINDER_CG_DAYS", strconv.Itoa(jobs.DefaultReminderCGDays)),
			"the daily NRM reminder digest (07:00 UTC, to each first responder's reminder address) counts Conclusive Grounds waits longer than this many days (TROPIC_REMINDER_CG_DAYS)"),
	}
}

// listenBaseURL is the default for --base-url: the address serve listens on.
func listenBaseURL(addr string, tls bool) string {
	if tls {
		return "https://" + addr
	}
	return "http://" + addr
}

// mailSettings are checked mail flags.
type mailSettings struct {
	mailer         *notify.Mailer // nil: e-mail is off
	to             []string
	auditTo        []string // custodians of the daily audit checkpoint
	baseURL        string
	reminderCGDays int
	// triageTargets say when an unclaimed emergency is escalated; the zero value
	// is tropic.DefaultTriageTargets.
	triageTargets tropic.TriageTargets
}

// settings checks the flags. Setting some but not all of the SMTP address, the sender
// and the triage addresses is a mistake, not "e-mail off".
func (m *mailFlags) settings(defaultBaseURL string) (mailSettings, error) {
	s := mailSettings{baseURL: *m.baseURL}
	days, err := strconv.Atoi(strings.TrimSpace(*m.reminderCGDays))
	if err != nil || days < 1 {
		return s, usageError(fmt.Sprintf("--reminder-cg-days %q: give a whole number of days, 1 or more", *m.reminderCGDays))
	}
	s.reminderCGDays = days
	if s.baseURL == "" {
		s.baseURL = defaultBaseURL
	}
	if u, err := url.Parse(s.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return s, usageError(fmt.Sprintf("--base-url %q: give the service's address, like https://tropic.partnership.example", s.baseURL))
	}
	if *m.smtpAddr == "" && *m.from == "" && *m.triage == "" {
		if strings.TrimSpace(*m.auditTo) != "" {
			return s, usageError("--audit-checkpoint-emails needs e-mail: set --smtp-addr, --mail-from and --triage-emails too (TROPIC_SMTP_ADDR, TROPIC_MAIL_FROM, TROPIC_TRIAGE_EMAILS)")
		}
		return s, nil
	}
	if *m.smtpAddr == "" || *m.from == "" || *m.triage == "" {
		return s, usageError("e-mail notifications need all of --smtp-addr, --mail-from and --triage-emails (TROPIC_SMTP_ADDR, TROPIC_MAIL_FROM, TROPIC_TRIAGE_EMAILS), or none of them")
	}
	host, port, err := notify.ParseAddr(*m.smtpAddr)
	if err != nil {
		return s, usageError("--smtp-addr: " + err.Error())
	}
	policy, err := notify.ParseTLSPolicy(*m.smtpTLS)
	if err != nil {
		return s, usageError("--smtp-tls: " + err.Error())
	}
	if s.to, err = notify.ParseAddresses(*m.triage); err != nil || len(s.to) == 0 {
		return s, usageError(fmt.Sprintf("--triage-emails %q: give one or more e-mail addresses, separated by commas", *m.triage))
	}
	if strings.TrimSpace(*m.auditTo) != "" {
		if s.auditTo, err = notify.ParseAddresses(*m.auditTo); err != nil || len(s.auditTo) == 0 {
			return s, usageError(fmt.Sprintf("--audit-checkpoint-emails %q: give one or more e-mail addresses, separated by commas", *m.auditTo))
		}
	}
	s.mailer, err = notify.New(notify.Config{Host: host, Port: port, Username: *m.smtpUser, Password: m.smtpPassword, TLS: policy, From: *m.from})
	if err != nil {
		return s, usageError(err.Error())
	}
	return s, nil
}

// startJobs starts the River client that sends notifications, and gives the report
// service the queue, so that an urgent report queues its e-mail in the transaction
// that stores it. The returned function stops the client gracefully.
func startJobs(ctx context.Context, log *slog.Logger, svc *services, mail mailSettings) (stop func(), err error) {
	var mailer jobs.Mailer
	if mail.mailer != nil {
		mailer = mail.mailer
		svc.mail = mail.mailer // forgotten-password links
	} else {
		log.Warn("e-mail notifications are off: urgent reports are logged, not e-mailed (set TROPIC_SMTP_ADDR, TROPIC_MAIL_FROM and TROPIC_TRIAGE_EMAILS)")
	}
	// Users' notifications are e-mailed only when e-mail is configured: without it they
	// stay in the service, and are not marked as e-mailed.
	var notices jobs.NotificationMailer
	if mailer != nil {
		notices = store.NewNotificationService(svc.db)
	}
	q, err := jobs.New(jobs.Config{
		Dialect: jobs.Dialect(svc.db.Dialect()), DB: svc.db.SQL(), Logger: log,
		Notifications: notices,                                          // each user's notifications, as they chose (each, or a daily digest)
		Reports:       store.NewReportService(svc.db, nil, phone.Parse), // reads only: no queue needed
		Reporters:     store.NewReportService(svc.db, nil, phone.Parse), // reporters who agreed to be told a message waits
		Mailer:        mailer, TriageEmails: mail.to, BaseURL: mail.baseURL,
		Matcher: svc.matches, // new reports matched against cases (report_match job)
		// Emergencies unclaimed past their target: the hub told and e-mailed again.
		Escalator: store.NewReportService(svc.db, nil, phone.Parse), TriageTargets: mail.triageTargets,
		Settings: svc.reference, // the targets changed in the browser, over the flag
		// The daily NRM reminder digest (07:00 UTC): counts and links only.
		Reminders: svc.referrals, Agencies: svc.agencies, ReminderCGDays: mail.reminderCGDays,
		AuditCheckpoints:      svc.audit,    // the day's signed checkpoint ends each digest
		AuditCheckpointEmails: mail.auditTo, // and goes to its custodians every day
		StatsReleases:         svc.statsPublisher(),
		Retention:             svc.retention, // records at the end of their retention period queued for review, daily
		Misuse:                svc.misuse,    // access patterns that suggest misuse, for the DPOs, hourly
	})
	if err != nil {
		return nil, err
	}
	svc.reports = store.NewReportService(svc.db, q, phone.Parse)
	if err := q.Start(ctx); err != nil {
		return nil, err
	}
	return func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(stopCtx); err != nil {
			log.Warn("stop jobs", "error", err.Error())
		}
	}, nil
}

// migrateJobs brings River's schema up to date when apply is set, and otherwise
// refuses a database that lacks River's migrations. Either way it refuses a schema
// newer than this binary knows.
func migrateJobs(ctx context.Context, db *store.DB, apply bool) ([]int, error) {
	d := jobs.Dialect(db.Dialect())
	s, err := jobs.State(ctx, d, db.SQL())
	if err != nil {
		return nil, err
	}
	switch {
	case s.TooNew():
		return nil, fmt.Errorf("the job queue schema is at version %d, newer than this tropic knows (%d): run the newer tropic, or restore a backup", s.Current, s.Known)
	case len(s.Pending) == 0:
		return nil, nil
	case !apply:
		return nil, fmt.Errorf("the job queue schema is at version %d but this tropic needs %d: run 'tropic migrate' first", s.Current, s.Known)
	}
	return jobs.Migrate(ctx, d, db.SQL(), nil)
}

// migrateJobsCmd is the job queue's part of 'tropic migrate'.
func migrateJobsCmd(ctx context.Context, e *env, db *store.DB) error {
	applied, err := migrateJobs(ctx, db, true)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(e.stdout, "the job queue schema is up to date")
		return nil
	}
	fmt.Fprintf(e.stdout, "applied %d job queue migrations; the job queue schema is at version %d\n", len(applied), applied[len(applied)-1])
	return nil
}

// jobsStatusCmd is the job queue's part of 'tropic migrate --status'.
func jobsStatusCmd(ctx context.Context, e *env, db *store.DB) error {
	s, err := jobs.State(ctx, jobs.Dialect(db.Dialect()), db.SQL())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "job queue schema version %d; this tropic knows %d\n", s.Current, s.Known)
	return nil
}
