package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"tropic/internal/auth"
	"tropic/internal/demo"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
	"tropic/internal/web"
)

// defaultDemoPassword is printed at start; it only ever guards made-up data.
const defaultDemoPassword = "demo-partnership-2026"

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "[options]", "Run Tropic on a fresh SQLite database with a synthetic demo partnership.\nMulti-factor authentication is waived for the demo accounts, and every staff page says so.")
	dir := fs.String("dir", "", "folder for the demo database (default: a new temporary folder)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	password := fs.String("demo-password", defaultDemoPassword, "the password all demo accounts share")
	seed := fs.Uint64("seed", 1, "seed of the demo data generator")
	requireMFA := fs.Bool("mfa", false, "require multi-factor authentication for demo accounts too")
	reportsPerYear := fs.Int("reports-per-year", 300, "about how many synthetic reports a year of demo history holds")
	cases := fs.Int("cases", 300, "about how many synthetic cases the demo history holds")
	exitURL := fs.String("exit-url", "https://www.bbc.co.uk/weather", "the neutral site 'Exit this page' leads to")
	retention := addRetentionFlag(fs, e)
	mailFlags := addMailFlags(fs, e)
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	schedule, err := retentionSchedule(*retention)
	if err != nil {
		return err
	}
	mail, err := mailFlags.settings(listenBaseURL(*addr, false))
	if err != nil {
		return err
	}
	start := time.Now()
	if *dir == "" {
		d, err := os.MkdirTemp("", "tropic-demo-")
		if err != nil {
			return err
		}
		*dir = d
	}
	path := filepath.Join(*dir, "tropic.db")
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("tropic demo: %s exists already; the demo starts from a fresh database (choose another --dir)", path)
	}
	// The demo's audit chain is keyed like a real one, with a key made in its folder,
	// so that 'tropic audit verify' and 'audit checkpoint' work on it.
	keyPath := filepath.Join(*dir, "audit.key")
	key, err := tropic.NewAuditKey(rand.Reader)
	if err != nil {
		return err
	}
	keys, err := tropic.NewAuditKeyring(key)
	if err != nil {
		return err
	}
	keys = keys.WithKeyedFromStart() // a new database: every event is keyed
	if err := writeAuditKeyFile(keyPath, "# Tropic demo audit key: for this demo's database only.\n"+tropic.KeyedFromStart+"\n"+key.String()+"\n"); err != nil {
		return fmt.Errorf("tropic demo: write the audit key: %w", err)
	}
	// The demo writes years of history: its store's clock is moved to each moment as
	// it is written, then handed back to the wall clock before serving.
	clock := &demoClock{}
	// Its thousands of synthetic reports seal their follow-up codes at a token cost
	// (auth.DemoFollowUpCodeParams), for this demo database only.
	db, err := openDB(ctx, path, true, store.Options{Now: clock.Now, AuditKeys: keys, FollowUpCodes: auth.Passwords{Params: auth.DemoFollowUpCodeParams}})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := newServices(db)
	svc.setRetention(schedule)
	hash, err := auth.HashPassword(*password, auth.DefaultParams)
	if err != nil {
		return err
	}
	accounts, err := demo.Seed(ctx, demo.Services{Agencies: svc.agencies, Users: svc.users}, demo.Options{Seed: *seed, PasswordHash: hash})
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	history := store.NewReportService(db, nil, phone.Parse) // no notifications for history
	gen := demo.NewGenerator(*seed)
	stats, err := demo.SeedReports(ctx, gen, demo.ReportServices{Reports: history, Agencies: svc.agencies, Users: svc.users, SetNow: clock.Set},
		time.Date(now.Year()-3, time.January, 1, 0, 0, 0, 0, time.UTC), now, *reportsPerYear)
	if err == nil {
		_, err = demo.SeedCampaigns(ctx, svc.campaigns, time.Date(now.Year()-3, time.January, 1, 0, 0, 0, 0, time.UTC), now)
	}
	var over demo.OverTarget // reports over their triage target, one to escalate (escalation.go)
	if err == nil {
		over, err = demo.SeedOverTarget(ctx, demo.ReportServices{Reports: history, Agencies: svc.agencies, Users: svc.users, SetNow: clock.Set}, now)
	}
	var caseStats demo.CaseStats
	if err == nil && *cases > 0 {
		caseStats, err = demo.SeedCases(ctx, gen, demo.CaseServices{Cases: svc.cases.WithDeferredReportMatches(), Reports: history, Agencies: svc.agencies, Users: svc.users,
			Agreements: svc.cases, SetNow: clock.Set},
			now, *cases)
	}
	var refStats demo.ReferralStats
	if err == nil && *cases > 0 { // referrals come from the cases' potential victims
		refStats, err = demo.SeedReferrals(ctx, gen, demo.ReferralServices{Cases: svc.cases, Referrals: svc.referrals, Agencies: svc.agencies,
			Users: svc.users, SetNow: clock.Set}, now)
	}
	var apprStats demo.ApprovalStats
	if err == nil && *cases > 0 { // the police unit's approvals queue, and notifications
		apprStats, err = demo.SeedApprovals(ctx, gen, demo.ApprovalServices{Cases: svc.cases, Access: store.NewLinkService(db, phone.Parse),
			Users: svc.users, SetNow: clock.Set, Agreements: svc.cases}, now)
	}
	if err == nil { // reports waiting in the county council's inbox
		err = demo.SeedInbox(ctx, demo.InboxServices{Reports: history, Agencies: svc.agencies, Users: svc.users, SetNow: clock.Set}, now)
	}
	if err == nil { // a partnership administrator and the administration pages' data (issue 13)
		var admins []demo.Account
		admins, err = demo.SeedAdministration(ctx, gen, demo.AdminServices{Agencies: svc.agencies, Users: svc.users, Invites: svc.invites, Reference: svc.reference,
			SSO: store.NewSSOService(db), SecurityKeys: store.NewSecurityKeyService(db), SetNow: clock.Set}, hash, now)
		accounts = append(accounts, admins...)
	}
	clock.Set(time.Time{})
	var flow demo.WorkflowStats
	if err == nil && *cases > 0 { // officers in charge, a report on a case, a closure waiting (demo/workflow.go)
		flow, err = demo.SeedWorkflow(ctx, demo.CaseServices{Cases: svc.cases, Reports: history, Messages: history, Agencies: svc.agencies, Users: svc.users}, now)
	}
	if err == nil { // the history was written without matching reports to cases
		_, err = svc.matches.RefreshAllReportMatches(ctx)
	}
	var releases []*tropic.Release
	if err == nil { // the statistics releases the schedule would have published
		var threshold int
		if threshold, err = svc.disclosureThreshold(ctx); err == nil {
			releases, err = demo.PublishReleases(ctx, svc.stats, svc.releases, clock.Set, threshold, now)
		}
	}
	var retStats demoRetentionStats
	if err == nil { // records past their retention period: disposed of, or waiting for review (demo_retention.go)
		retStats, err = demoRetention(ctx, svc, now)
	}
	var falseAlarms int
	var scriptedMisuse string
	if err == nil { // the demo's normal work read for misuse, then one misuse scripted (demo_misuse.go)
		falseAlarms, scriptedMisuse, err = demoMisuse(ctx, svc, time.Date(now.Year()-3, time.January, 1, 0, 0, 0, 0, time.UTC), now)
	}
	var meetStats demo.MeetingStats
	if err == nil { // the steering group's meetings, their actions and the partnership plan (demo/meetings.go)
		meetStats, err = demo.SeedMeetings(ctx, demo.MeetingServices{Meetings: store.NewMeetingService(db), Plan: store.NewPlanService(db), Cases: svc.cases,
			Agencies: svc.agencies, Users: svc.users, Agreements: svc.cases, SetNow: clock.Set}, now)
	}
	var rights demo.RightsStats
	if err == nil && *cases > 0 { // a subject access request at the police unit (demo/rights.go)
		rights, err = demo.SeedRights(ctx, demo.RightsServices{Rights: store.NewRightsService(db), Cases: svc.cases, Users: svc.users, SetNow: clock.Set}, now)
	}
	if err != nil {
		return err
	}
	svc.useMailer(mail) // invitations from the administration pages
	svc.releaseSchedule = tropic.ReleaseQuarterly
	stopJobs, err := startJobs(ctx, newLogger(e), svc, mail) // notifications of new reports (jobs.go)
	if err != nil {
		return err
	}
	defer stopJobs()
	cfg := web.Config{PartnershipName: demo.PartnershipName, MFAWaived: !*requireMFA, ExitURL: *exitURL, BaseURL: mail.baseURL, Version: version,
		PublicNotice: demo.PublicNotice(), Retention: schedule}
	return serve(ctx, e, newLogger(e), svc, cfg, listeners{addr: *addr}, func(url string) {
		fmt.Fprintf(e.stdout, "Tropic demo is running at %s (ready in %.1fs)\n", url, time.Since(start).Seconds())
		fmt.Fprintf(e.stdout, "Database: %s (synthetic data only: %d reports, %d triaged; %d cases, %d people)\n", path, stats.Reports, stats.Decided,
			caseStats.Cases, caseStats.People)
		fmt.Fprintf(e.stdout, "Statistics: %d quarterly releases published, at %s/statistics/releases\n", len(releases), url)
		fmt.Fprint(e.stdout, demoStory(releases, caseStats.Story, url))
		fmt.Fprintf(e.stdout, "Audit key: %s (for commands on this database: %s=%s)\n", keyPath, auditKeyFileEnv, keyPath)
		fmt.Fprintf(e.stdout, "NRM: %d referrals (%d Duty to Notify reports), %d awaiting RG (%d overdue), %d awaiting CG; reminder digests go to %s\n",
			refStats.Referrals, refStats.DtN, refStats.AwaitingRG, refStats.OverdueRG, refStats.AwaitingCG, strings.Join(refStats.ReminderEmails, ", "))
		fmt.Fprintf(e.stdout, "Triage: %s are over their target; emergency %s is unclaimed, so it is escalated as the demo starts (triage users notified, triage addresses e-mailed again).\n",
			strings.Join(over.All, ", "), over.Escalated)
		if flow.ReportCase != "" {
			fmt.Fprintf(e.stdout, "Case %s was made from report %s, which the reporter added to later; case %s waits for supervisor.police to approve its closure.\n",
				flow.ReportCase, flow.Report, flow.ClosureCase)
		}
		if flow.FollowUpCode != "" {
			fmt.Fprintf(e.stdout, "Triage asked the reporter of %s a question, and they replied: read it at %s/report/follow-up/messages with follow-up code %s.\n", flow.Report, url, flow.FollowUpCode)
		}
		if caseStats.S45Case != "" {
			fmt.Fprintf(e.stdout, "Case %s shows the s.45 notice to caseworker.police.\n", caseStats.S45Case)
		}
		if apprStats.PoliceCase != "" {
			fmt.Fprintf(e.stdout, "supervisor.police has approvals to decide (a share, an access request from the county council's case %s, a role change on %s) and unread notifications, as do caseworker.police and caseworker.county.\n",
				apprStats.CountyCase, apprStats.PoliceCase)
		}
		if caseStats.Shares > 0 {
			fmt.Fprintf(e.stdout, "Sharing agreements: the register (partnership.admin: /admin/agreements) has one agreement due for review and one past it; %d of %d shares cite no agreement and show flagged; supervisor.police can end the shares under the lapsed one at /approvals/expired-shares.\n",
				caseStats.SharesWithoutAgreement, caseStats.Shares)
		}
		if caseStats.NearDuplicates > 0 {
			fmt.Fprintf(e.stdout, "%d people are recorded twice by different agencies, a little differently: the cases' \"Possible matches\" suggest them.\n", caseStats.NearDuplicates)
		}
		fmt.Fprintf(e.stdout, "Access alerts: the demo's whole access log, its normal work, raises %d; then %s, which raises one for the DPOs (dpo.police: /audit/alerts).\n",
			falseAlarms, scriptedMisuse)
		if retStats.Queued > 0 {
			fmt.Fprintf(e.stdout, "Retention: %d records were past their retention period; the demo supervisors disposed of %d that fell due over a month ago (%.1fs, one transaction each), and %d wait for review at /retention.\n",
				retStats.Queued, retStats.Disposed, retStats.Took.Seconds(), retStats.Waiting)
		}
		fmt.Fprintf(e.stdout, "Meetings: the steering group met 6 days ago (/meetings/%d; analyst.county's action is overdue) and a case conference 2 days ago (/meetings/%d; case %s shared for it, %s by reference only); the partnership plan has %d objectives with their RAG history at /plan.\n",
			meetStats.Steering, meetStats.Conference, orNone(meetStats.SharedCase), orNone(meetStats.RefCase), meetStats.Objectives)
		if rights.Request != 0 {
			due, _ := time.Parse(time.DateOnly, rights.Deadline)
			fmt.Fprintf(e.stdout, "Rights requests: a subject access request, due by %s, waits for dpo.police at %s/rights/%d: the requester's record is confirmed and the package is ready to review and release (PDF or JSON).\n",
				due.Format("2 January 2006"), url, rights.Request)
		}
		if !*requireMFA {
			fmt.Fprintln(e.stdout, "Multi-factor authentication is waived for demo accounts.")
		}
		fmt.Fprintf(e.stdout, "Demo accounts (password %q):\n%s", *password, demo.FormatAccounts(accounts))
		fmt.Fprintf(e.stdout, "Sign in at %s/login. Press Ctrl+C to stop.\n", url)
	})
}

// demoStory says where the release that tells the seed's story of offences is,
// and what it says of them: the story's sentence, or (should disclosure control
// have withheld it) what it published instead. It is "" when the demo has no story.
func demoStory(releases []*tropic.Release, story *demo.OffenceStory, url string) string {
	if story == nil {
		return ""
	}
	r, said := story.Told(releases)
	if r == nil {
		return ""
	}
	where := fmt.Sprintf("%s/statistics/releases/%s (and %s/api/v1/statistics/releases/%s)", url, r.IDString(), url, r.IDString())
	if said == story.Sentence() {
		return fmt.Sprintf("The seed's story: statistics release %s says %q at %s\n", r.Name, said, where)
	}
	return fmt.Sprintf("Statistics release %s was to tell the seed's story (%d offences against %d), but says %q at %s\n",
		r.Name, story.ThisYear, story.LastYear, said, where)
}

// demoClock is the wall clock, unless set to a moment in the demo's history.
type demoClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *demoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at.IsZero() {
		return time.Now()
	}
	return c.at
}

// Set moves the clock to t; the zero time hands it back to the wall clock.
func (c *demoClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = t
}

// orNone is s, or "none" for an empty one.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
