package jobs_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"tropic/internal/jobs"
	"tropic/internal/notify/mailpittest"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// reminderFixture is a partnership with a first-responder police force (with a
// reminder address) and a council first responder without one, each with an overdue
// Reasonable Grounds decision and a long Conclusive Grounds wait.
type reminderFixture struct {
	db                *store.DB
	referrals         *store.ReferralService
	police, council   *tropic.Agency
	policeTo, quietTo string
	caseRefs          []string
}

// victim is the potential victim referred: none of this may be e-mailed.
var victim = tropic.Person{GivenName: "Zofia", FamilyName: "Quillinanova", DateOfBirth: "1994-03-17",
	Phone: "07700 900456", Email: "zofia.q@example.net", Nationality: "Polish"}

// auditKeys keys the fixture's audit chain, as serve's is keyed.
var auditKeys, _ = tropic.ParseAuditKeys("kjobs:" + strings.Repeat("3c", 32))

func newReminderFixture(t *testing.T, d store.Dialect) *reminderFixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, d, store.Options{AuditKeys: auditKeys})
	if _, err := jobs.Migrate(ctx, jobs.Dialect(d), db.SQL(), nil); err != nil {
		t.Fatalf("migrate River: %v", err)
	}
	f := &reminderFixture{db: db, referrals: store.NewReferralService(db),
		policeTo: mailpittest.NewRecipient(t, "nrm-police"), quietTo: mailpittest.NewRecipient(t, "nrm-quiet")}
	agencies, users := store.NewAgencyService(db), store.NewUserService(db)
	reports, cases := store.NewReportService(db, nil, phone.Parse), store.NewCaseService(db, phone.Parse)
	if err := reports.CreateDistrict(ctx, system, tropic.District{Slug: "st-albans", Name: "St Albans City and District"}); err != nil {
		t.Fatal(err)
	}
	f.police = &tropic.Agency{Name: "Hertfordshire Constabulary", Kind: tropic.AgencyPolice, FirstResponder: true, DutyToNotify: true}
	f.council = &tropic.Agency{Name: "Watford Borough Council", Kind: tropic.AgencyDistrictCouncil, FirstResponder: true, DutyToNotify: true}
	quiet := &tropic.Agency{Name: "Dacorum Borough Council", Kind: tropic.AgencyDistrictCouncil, FirstResponder: true, DutyToNotify: true}
	for _, a := range []*tropic.Agency{f.police, f.council, quiet} {
		if err := agencies.CreateAgency(ctx, system, a); err != nil {
			t.Fatal(err)
		}
	}
	for a, to := range map[int64]string{f.police.ID: f.policeTo, quiet.ID: f.quietTo} {
		if err := f.referrals.SetReminderEmail(ctx, system, a, to); err != nil {
			t.Fatalf("set reminder email: %v", err)
		}
	}
	today := time.Now().UTC()
	for _, a := range []*tropic.Agency{f.police, f.council} {
		u := &tropic.User{Email: "worker@" + strings.ToLower(a.Name[:4]) + ".example", Name: "Pat Worker", AgencyID: a.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
		if err := users.CreateUser(ctx, system, u, "not-a-real-hash"); err != nil {
			t.Fatal(err)
		}
		actor := tropic.ActorFor(u)
		c := &tropic.Case{Title: "Car wash on the ring road", District: "st-albans", Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}}
		if err := cases.CreateCase(ctx, actor, c, ""); err != nil {
			t.Fatal(err)
		}
		f.caseRefs = append(f.caseRefs, c.Reference)
		// Two overdue RG decisions and one long CG wait; a fresh referral and a recent
		// RG decision are not counted.
		plan := []struct{ submitted, rg string }{
			{today.AddDate(0, 0, -30).Format(time.DateOnly), ""},
			{today.AddDate(0, 0, -20).Format(time.DateOnly), ""},
			{today.Format(time.DateOnly), ""},
			{today.AddDate(-2, 0, 0).Format(time.DateOnly), today.AddDate(-2, 0, 7).Format(time.DateOnly)},
			{today.AddDate(0, -3, 0).Format(time.DateOnly), today.AddDate(0, -3, 5).Format(time.DateOnly)},
		}
		for i, p := range plan {
			person := victim
			person.GivenName += strings.Repeat("a", i) // several people, one name family
			if err := cases.AddPerson(ctx, actor, c.Reference, &person, tropic.RolePotentialVictim); err != nil {
				t.Fatal(err)
			}
			found, err := cases.FindCase(ctx, actor, c.Reference)
			if err != nil {
				t.Fatal(err)
			}
			var link int64
			for _, cp := range found.People {
				if cp.Person != nil && cp.Person.ID == person.ID {
					link = cp.ID
				}
			}
			r := &tropic.Referral{AgeGroup: tropic.AgeAdult, Consent: true, SubmittedOn: p.submitted, CrimeReference: "41/12345/25",
				Notes: "Zofia told us about the debt to the gangmaster"}
			if err := f.referrals.CreateReferral(ctx, actor, c.Reference, link, r); err != nil {
				t.Fatalf("create referral: %v", err)
			}
			if p.rg != "" {
				if err := f.referrals.RecordDecision(ctx, actor, r.ID, tropic.ReferralDecision{Kind: "rg", Date: p.rg, Outcome: tropic.RGPositive}, r.Version); err != nil {
					t.Fatalf("record RG: %v", err)
				}
			}
		}
	}
	return f
}

func startReminderQueue(t *testing.T, f *reminderFixture, d store.Dialect, mailer jobs.Mailer, logs *logBuffer) *jobs.Queue {
	t.Helper()
	q, err := jobs.New(jobs.Config{
		Dialect: jobs.Dialect(d), DB: f.db.SQL(), Logger: slog.New(slog.NewTextHandler(logs, nil)),
		Reports: store.NewReportService(f.db, nil, phone.Parse), Mailer: mailer, BaseURL: baseURL,
		Reminders: f.referrals, Agencies: store.NewAgencyService(f.db), ReminderCGDays: 365,
		AuditCheckpoints:  store.NewAuditService(f.db),
		FetchPollInterval: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q.Stop(stopCtx)
		if t.Failed() {
			t.Logf("queue logs:\n%s", logs.String())
		}
	})
	return q
}

func TestReminderDigestIsEmailedWithCountsAndNoPersonalData(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			mp := mailpittest.Start(t)
			f := newReminderFixture(t, d)
			logs := &logBuffer{}
			q := startReminderQueue(t, f, d, mailerFor(t, mp), logs)
			if err := q.QueueReminderDigest(context.Background()); err != nil {
				t.Fatal(err)
			}
			msgs := mp.WaitFor(t, f.policeTo, 1, 20*time.Second)
			waitKind(t, q, jobs.ReminderDigestJob{}.Kind(), 1)
			if len(msgs) != 1 {
				t.Fatalf("%d messages, want 1", len(msgs))
			}
			raw, text := mp.Raw(t, msgs[0].ID), mp.Text(t, msgs[0].ID)
			raw = strings.NewReplacer("=\r\n", "", "=\n", "").Replace(raw)
			if want := "NRM referrals to chase: 2 overdue RG, 1 long CG waits"; msgs[0].Subject != want {
				t.Errorf("subject %q, want %q", msgs[0].Subject, want)
			}
			for _, want := range []string{f.police.Name, "(past the 5-working-day target): 2", "more than 365 days for a Conclusive Grounds decision: 1",
				baseURL + "/referrals?overdue=1", baseURL + "/referrals?waiting=1"} {
				if !strings.Contains(text, want) {
					t.Errorf("message lacks %q:\n%s", want, text)
				}
			}
			// The digest ends with the day's signed audit checkpoint, which the chain
			// extends: partners keep it outside the database.
			cps, err := tropic.ParseAuditCheckpoints(text)
			if err != nil || len(cps) != 1 {
				t.Fatalf("the digest carries no audit checkpoint line (%v):\n%s", err, text)
			}
			if v, err := store.NewAuditService(f.db).VerifyAuditCheckpoints(context.Background(), cps); err != nil || v.Problem != nil || v.Checkpoints != 1 || cps[0].Seq != v.Events {
				t.Errorf("the digest's checkpoint %v: got %+v, %v; want the chain's head, verified", cps[0], v, err)
			}
			personal := []string{victim.GivenName, victim.FamilyName, victim.DateOfBirth, "17/03/1994", "17 March 1994", "07700 900456",
				"07700900456", "+447700900456", victim.Email, "41/12345/25", "debt to the gangmaster", "Car wash"}
			personal = append(personal, f.caseRefs...)
			for _, p := range personal {
				for name, s := range map[string]string{"raw message": raw, "decoded text": text} {
					if strings.Contains(strings.ToLower(s), strings.ToLower(p)) {
						t.Errorf("%s contains personal data %q:\n%s", name, p, s)
					}
				}
			}
			// The agency with an address but nothing overdue gets nothing; the council
			// without an address is skipped and logged.
			time.Sleep(300 * time.Millisecond)
			if n := len(mp.MessagesTo(t, f.quietTo)); n != 0 {
				t.Errorf("the agency with nothing to chase got %d messages", n)
			}
			if !strings.Contains(logs.String(), "no reminder address") || !strings.Contains(logs.String(), f.council.Name) {
				t.Errorf("the council without a reminder address is not logged as skipped:\n%s", logs.String())
			}
			if n := len(mp.MessagesTo(t, f.policeTo)); n != 1 {
				t.Errorf("%d messages in the end, want 1", n)
			}
		})
	}
}

func TestReminderDigestIsScheduledDaily(t *testing.T) {
	t.Parallel()
	f := newReminderFixture(t, store.SQLite)
	q := startReminderQueue(t, f, store.SQLite, nil, &logBuffer{})
	// River's periodic enqueuer runs on the leader only; the schedule itself is
	// checked here through the job's kind being registered and the next run time.
	if _, err := q.Client().Insert(context.Background(), jobs.ReminderDigestJob{}, nil); err != nil {
		t.Fatalf("the reminder job is not registered: %v", err)
	}
	waitKind(t, q, jobs.ReminderDigestJob{}.Kind(), 1)
	for _, c := range []struct{ now, want string }{
		{"2026-03-02T06:59:00Z", "2026-03-02T07:00:00Z"},
		{"2026-03-02T07:00:00Z", "2026-03-03T07:00:00Z"},
		{"2026-12-31T23:00:00Z", "2027-01-01T07:00:00Z"},
	} {
		now, _ := time.Parse(time.RFC3339, c.now)
		if got := jobs.NextReminderRun(now, 7).Format(time.RFC3339); got != c.want {
			t.Errorf("after %s the digest runs at %s, want %s", c.now, got, c.want)
		}
	}
}

// waitKind waits until want jobs of kind have finished, and checks they completed.
func waitKind(t *testing.T, q *jobs.Queue, kind string, want int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := q.Client().JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(100))
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, j := range res.Jobs {
			if j.FinalizedAt != nil {
				done++
				if j.State != rivertype.JobStateCompleted {
					t.Errorf("job %d %s: %v", j.ID, j.State, j.Errors)
				}
			}
		}
		if done >= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d %s jobs finished after 20s, want %d", done, kind, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestAuditCheckpointNote(t *testing.T) {
	c := auditKeys.SignCheckpoint(12, strings.Repeat("ab", 32), time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC))
	if got := jobs.AuditCheckpointNote(&c, nil); !strings.Contains(got, c.String()+"\n") || !strings.Contains(got, "tropic audit verify --checkpoint") {
		t.Errorf("got %q, want the checkpoint line and how to use it", got)
	}
	if got := jobs.AuditCheckpointNote(nil, &tropic.AuditProblem{Seq: 9, Reason: "row 9 was changed"}); !strings.Contains(got, "FAILED at event 9") || strings.Contains(got, "tropic-audit-checkpoint") {
		t.Errorf("got %q, want the failure named and no checkpoint", got)
	}
	if got := jobs.AuditCheckpointNote(nil, nil); got != "" {
		t.Errorf("got %q, want nothing without a checkpoint", got)
	}
	_, body := jobs.ReminderDigestEmail(tropic.ReminderDigest{AgencyName: "Police", OverdueRG: 1}, 365, baseURL, c.At, jobs.AuditCheckpointNote(&c, nil))
	if !strings.HasSuffix(body, c.String()+"\n") {
		t.Errorf("the digest does not end with the checkpoint:\n%s", body)
	}
}

// The daily checkpoint reaches its custodians even on a day when no agency has a
// referral to chase (and so gets no digest): the copy outside the database that
// 'tropic audit verify --checkpoint' needs must not depend on overdue decisions.
func TestAuditCheckpointIsEmailedDailyToItsCustodiansWithNothingToChase(t *testing.T) {
	t.Parallel()
	d := store.SQLite // the store's part is tested on both databases; this is the job's
	mp := mailpittest.Start(t)
	db := storetest.Open(t, d, store.Options{AuditKeys: auditKeys})
	ctx := context.Background()
	if _, err := jobs.Migrate(ctx, jobs.Dialect(d), db.SQL(), nil); err != nil {
		t.Fatalf("migrate River: %v", err)
	}
	// An agency with a reminder address but nothing overdue: no digest for it.
	agency := &tropic.Agency{Name: "Dacorum Borough Council", Kind: tropic.AgencyDistrictCouncil, FirstResponder: true, DutyToNotify: true}
	if err := store.NewAgencyService(db).CreateAgency(ctx, system, agency); err != nil {
		t.Fatal(err)
	}
	referrals := store.NewReferralService(db)
	agencyTo, custodian := mailpittest.NewRecipient(t, "nrm-nothing"), mailpittest.NewRecipient(t, "audit-custodian")
	if err := referrals.SetReminderEmail(ctx, system, agency.ID, agencyTo); err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	q, err := jobs.New(jobs.Config{
		Dialect: jobs.Dialect(d), DB: db.SQL(), Logger: slog.New(slog.NewTextHandler(logs, nil)),
		Reports: store.NewReportService(db, nil, phone.Parse), Mailer: mailerFor(t, mp), BaseURL: baseURL,
		Reminders: referrals, ReminderCGDays: 365,
		AuditCheckpoints: store.NewAuditService(db), AuditCheckpointEmails: []string{custodian},
		FetchPollInterval: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q.Stop(stopCtx)
		if t.Failed() {
			t.Logf("queue logs:\n%s", logs.String())
		}
	})
	if err := q.QueueReminderDigest(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := mp.WaitFor(t, custodian, 1, 20*time.Second)
	waitKind(t, q, jobs.ReminderDigestJob{}.Kind(), 1)
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Subject, "Tropic audit checkpoint, ") {
		t.Fatalf("custodian got %+v, want one checkpoint e-mail", msgs)
	}
	cps, err := tropic.ParseAuditCheckpoints(mp.Text(t, msgs[0].ID))
	if err != nil || len(cps) != 1 {
		t.Fatalf("the e-mail carries no checkpoint line (%v)", err)
	}
	if v, err := store.NewAuditService(db).VerifyAuditCheckpoints(ctx, cps); err != nil || v.Problem != nil || v.Checkpoints != 1 {
		t.Errorf("the e-mailed checkpoint: got %+v, %v; want it verified against the chain", v, err)
	}
	if got := mp.MessagesTo(t, agencyTo); len(got) != 0 {
		t.Errorf("an agency with nothing to chase got %d e-mails, want none", len(got))
	}
}
