package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"tropic/internal/jobs"
	"tropic/internal/notify"
	"tropic/internal/notify/mailpittest"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

var system = tropic.SystemActor("test")

const baseURL = "https://tropic.partnership.test"

// logBuffer collects the queue's logs; a failing test prints them.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	db      *store.DB
	queue   *jobs.Queue
	reports *store.ReportService
	logs    *logBuffer
	to      string
}

// setup opens a migrated database of dialect d with River's schema, and a started
// queue whose notifications go to a fresh recipient through mailer (nil: no e-mail).
func setup(t *testing.T, d store.Dialect, mailer jobs.Mailer, mod func(*jobs.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, d)
	if _, err := jobs.Migrate(ctx, jobs.Dialect(d), db.SQL(), nil); err != nil {
		t.Fatalf("migrate River: %v", err)
	}
	f := &fixture{db: db, logs: &logBuffer{}, to: mailpittest.NewRecipient(t, "triage")}
	cfg := jobs.Config{
		Dialect: jobs.Dialect(d), DB: db.SQL(), Logger: slog.New(slog.NewTextHandler(f.logs, nil)),
		Reports: store.NewReportService(db, nil, phone.Parse), TriageEmails: []string{f.to}, BaseURL: baseURL,
		Matcher:           store.NewMatchService(db, phone.Parse),
		MatchInterval:     200 * time.Millisecond,
		FetchPollInterval: 200 * time.Millisecond,
	}
	if mailer != nil {
		cfg.Mailer = mailer
	}
	if mod != nil {
		mod(&cfg)
	}
	q, err := jobs.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.queue = q
	f.reports = store.NewReportService(db, q, phone.Parse)
	if err := f.reports.CreateDistrict(ctx, system, tropic.District{Slug: "st-albans", Name: "St Albans City and District"}); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		if err := q.Stop(stopCtx); err != nil {
			t.Errorf("stop queue: %v", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("stopping the queue took %v", d)
		}
		if t.Failed() {
			t.Logf("queue logs:\n%s", f.logs.String())
		}
	})
	return f
}

func mailerFor(t *testing.T, s *mailpittest.Server) *notify.Mailer {
	t.Helper()
	m, err := notify.New(notify.Config{Host: s.Host, Port: s.Port, TLS: notify.TLSNone, From: "Tropic <tropic@partnership.test>", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// personal is the personal data of the test report: none of it may be e-mailed.
var personal = []string{
	"Zebulon Quxworth", "locking the workers", // description
	"Philippa Wexcombe", "philippa.wexcombe@example.net", // reporter
	"07700 900123", "07700900123", "+447700900123", "7700900123", // phone
	"AB12 CDE", "AB12CDE", "white Transit van", // vehicle
	"14 Quillfeather Lane", "Quillfeather", "AL5 2JX", "AL52JX", // address, postcode
	"one with a limp",                                        // people
	"Sparkle Hand Car Wash",                                  // business
	"around six in the morning",                              // when
	"children involved", "locked in", "not allowed to leave", // the urgency's reasons
}

// messageText returns message id as sent and as decoded text.
func messageText(t *testing.T, mp *mailpittest.Server, id string) (raw, text string) {
	t.Helper()
	// Quoted-printable soft line breaks could split a phrase in the raw message.
	return strings.NewReplacer("=\r\n", "", "=\n", "").Replace(mp.Raw(t, id)), mp.Text(t, id)
}

// holdsNoPersonalData fails the test if a message holds any of personal.
func holdsNoPersonalData(t *testing.T, raw, text string) {
	t.Helper()
	for _, p := range personal {
		for name, s := range map[string]string{"raw message": raw, "decoded text": text} {
			if strings.Contains(strings.ToLower(s), strings.ToLower(p)) {
				t.Errorf("%s contains personal data %q:\n%s", name, p, s)
			}
		}
	}
}

func urgentReport() *tropic.Report {
	return &tropic.Report{
		Channel:      tropic.ChannelWeb,
		Description:  "Saw a man called Zebulon Quxworth locking the workers into the unit at night.",
		Location:     tropic.Location{Address: "14 Quillfeather Lane, Harpenden", Postcode: "AL5 2JX", District: "st-albans"},
		SeenWhen:     "around six in the morning",
		InDanger:     tropic.AnswerNo,
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}},
		Indicators:   []tropic.Indicator{"locked_in"},
		People:       tropic.People{Count: 3, ChildrenInvolved: tropic.AnswerYes, Description: "three young men, one with a limp"},
		Vehicles:     []tropic.Vehicle{{Registration: "AB12 CDE", Description: "white Transit van"}},
		Phones:       []tropic.Phone{{Number: "07700 900123"}},
		Businesses:   []string{"Sparkle Hand Car Wash"},
		Reporter:     tropic.Reporter{Name: "Philippa Wexcombe", Contact: "philippa.wexcombe@example.net", Relationship: tropic.RelationshipPublic},
		FollowUpHash: "test-hash",
	}
}

func routineReport() *tropic.Report {
	return &tropic.Report{
		Description:  "A car wash where the staff never seem to go home.",
		Location:     tropic.Location{District: "st-albans"},
		FollowUpHash: "test-hash",
		Reporter:     tropic.Reporter{Anonymous: true},
	}
}

func create(t *testing.T, f *fixture, r *tropic.Report) *tropic.Report {
	t.Helper()
	if _, err := f.reports.CreateReport(context.Background(), system, r, ""); err != nil {
		t.Fatalf("create report: %v", err)
	}
	return r
}

func jobRows(t *testing.T, f *fixture) []*rivertype.JobRow {
	t.Helper()
	res, err := f.queue.Client().JobList(context.Background(), river.NewJobListParams().Kinds(tropic.UrgentReportJob{}.Kind()).First(1000))
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs
}

// waitJobs waits until every queued notification job has finished, and returns them.
func waitJobs(t *testing.T, f *fixture, want int) []*rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rows := jobRows(t, f)
		done := 0
		for _, j := range rows {
			if j.FinalizedAt != nil {
				done++
			}
		}
		if len(rows) == want && done == want {
			return rows
		}
		if time.Now().After(deadline) {
			var states []string
			for _, j := range rows {
				states = append(states, fmt.Sprintf("%d:%s(attempt %d)", j.ID, j.State, j.Attempt))
			}
			t.Fatalf("jobs %v after 20s, want %d finished", states, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestUrgentReportIsEmailedWithoutPersonalData(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			mp := mailpittest.Start(t)
			f := setup(t, d, mailerFor(t, mp), nil)
			r := create(t, f, urgentReport())
			if r.Urgency != tropic.UrgencyUrgent {
				t.Fatalf("test report is %s, want urgent", r.Urgency)
			}
			msgs := mp.WaitFor(t, f.to, 1, 20*time.Second)
			rows := waitJobs(t, f, 1)
			if rows[0].State != rivertype.JobStateCompleted || rows[0].Attempt != 1 {
				t.Errorf("job %s after %d attempts, want completed after 1", rows[0].State, rows[0].Attempt)
			}
			if len(msgs) != 1 {
				t.Fatalf("%d messages, want exactly 1", len(msgs))
			}
			if want := "Urgent report " + r.Reference; msgs[0].Subject != want {
				t.Errorf("subject %q, want %q", msgs[0].Subject, want)
			}
			raw, text := messageText(t, mp, msgs[0].ID)
			for _, want := range []string{r.Reference, "Urgent", "St Albans City and District", baseURL + "/triage/reports/" + r.Reference} {
				if !strings.Contains(text, want) {
					t.Errorf("message lacks %q:\n%s", want, text)
				}
			}
			holdsNoPersonalData(t, raw, text)
			// Still exactly one, a moment later.
			time.Sleep(300 * time.Millisecond)
			if n := len(mp.MessagesTo(t, f.to)); n != 1 {
				t.Errorf("%d messages in the end, want 1", n)
			}
		})
	}
}

func TestEmergencyReport(t *testing.T) {
	t.Parallel()
	mp := mailpittest.Start(t)
	f := setup(t, store.SQLite, mailerFor(t, mp), nil)
	r := urgentReport()
	r.InDanger = tropic.AnswerYes
	r.Location.District = "not_sure"
	create(t, f, r)
	msgs := mp.WaitFor(t, f.to, 1, 20*time.Second)
	if want := "Emergency report " + r.Reference; msgs[0].Subject != want {
		t.Errorf("subject %q, want %q", msgs[0].Subject, want)
	}
	text := mp.Text(t, msgs[0].ID)
	for _, want := range []string{"Emergency", "District:  Not sure", "immediate danger"} {
		if !strings.Contains(text, want) {
			t.Errorf("message lacks %q:\n%s", want, text)
		}
	}
}

func TestRoutineReportSendsNothing(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			mp := mailpittest.Start(t)
			f := setup(t, d, mailerFor(t, mp), nil)
			routine := create(t, f, routineReport())
			if routine.Urgency != tropic.UrgencyRoutine {
				t.Fatalf("test report is %s, want routine", routine.Urgency)
			}
			if n := len(jobRows(t, f)); n != 0 {
				t.Fatalf("a routine report queued %d jobs", n)
			}
			// An urgent report afterwards is the barrier: once its e-mail is in,
			// anything about the routine one would be too.
			urgent := create(t, f, urgentReport())
			msgs := mp.WaitFor(t, f.to, 1, 20*time.Second)
			waitJobs(t, f, 1)
			time.Sleep(300 * time.Millisecond)
			msgs = mp.MessagesTo(t, f.to)
			if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, urgent.Reference) {
				t.Errorf("messages %+v, want only the urgent report's", msgs)
			}
		})
	}
}

func TestRolledBackTransactionQueuesNothing(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			mp := mailpittest.Start(t)
			f := setup(t, d, mailerFor(t, mp), nil)
			r := create(t, f, urgentReport())
			mp.WaitFor(t, f.to, 1, 20*time.Second)
			waitJobs(t, f, 1)

			ctx := context.Background()
			tx, err := f.db.SQL().BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.queue.EnqueueTx(ctx, tx, tropic.UrgentReportJob{ReportID: r.ID}); err != nil {
				t.Fatal(err)
			}
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(600 * time.Millisecond) // three polls
			if n := len(jobRows(t, f)); n != 1 {
				t.Errorf("%d jobs after the rollback, want the first one only", n)
			}
			if n := len(mp.MessagesTo(t, f.to)); n != 1 {
				t.Errorf("%d messages, want 1", n)
			}
		})
	}
}

// flakyProxy forwards TCP connections to an SMTP server, but drops the first
// `failures` of them at once, as a server that is down would.
type flakyProxy struct {
	ln       net.Listener
	target   string
	failures int32
	seen     atomic.Int32
	wg       sync.WaitGroup
}

func newFlakyProxy(t *testing.T, target string, failures int32) *flakyProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &flakyProxy{ln: ln, target: target, failures: failures}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.wg.Wait() })
	return p
}

func (p *flakyProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.seen.Add(1) <= p.failures {
			c.Close()
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer c.Close()
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				return
			}
			defer up.Close()
			done := make(chan struct{}, 2)
			go func() { io.Copy(up, c); up.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
			go func() { io.Copy(c, up); c.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
			<-done
			<-done
		}()
	}
}

func TestRetryDeliversWhenSMTPComesBack(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			mp := mailpittest.Start(t)
			proxy := newFlakyProxy(t, mp.SMTPAddr, 2)
			port := proxy.ln.Addr().(*net.TCPAddr).Port
			m, err := notify.New(notify.Config{Host: "127.0.0.1", Port: port, TLS: notify.TLSNone, From: "tropic@partnership.test", Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			f := setup(t, d, m, func(c *jobs.Config) {
				c.RetryDelay = func(int) time.Duration { return 100 * time.Millisecond }
			})
			r := create(t, f, urgentReport())
			msgs := mp.WaitFor(t, f.to, 1, 30*time.Second)
			rows := waitJobs(t, f, 1)
			if j := rows[0]; j.State != rivertype.JobStateCompleted || j.Attempt != 3 || len(j.Errors) != 2 {
				t.Errorf("job %s after %d attempts with %d errors, want completed at the 3rd attempt", j.State, j.Attempt, len(j.Errors))
			}
			if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, r.Reference) {
				t.Errorf("messages %+v, want one about %s", msgs, r.Reference)
			}
			if got := proxy.seen.Load(); got != 3 {
				t.Errorf("%d connections to SMTP, want 3", got)
			}
			if logs := f.logs.String(); !strings.Contains(logs, "River will retry") {
				t.Errorf("the failures were not logged:\n%s", logs)
			}
		})
	}
}

func TestWithoutMailConfigTheJobCompletesAndSaysSo(t *testing.T) {
	t.Parallel()
	f := setup(t, store.SQLite, nil, nil)
	r := create(t, f, urgentReport())
	rows := waitJobs(t, f, 1)
	if rows[0].State != rivertype.JobStateCompleted {
		t.Errorf("job %s, want completed", rows[0].State)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "NOT sent: e-mail is not configured") || !strings.Contains(logs, r.Reference) {
		t.Errorf("logs do not say the notification was not sent:\n%s", logs)
	}
	for _, p := range personal {
		if strings.Contains(logs, p) {
			t.Errorf("logs contain personal data %q", p)
		}
	}
}

func TestJobForMissingReportIsCancelled(t *testing.T) {
	t.Parallel()
	mp := mailpittest.Start(t)
	f := setup(t, store.SQLite, mailerFor(t, mp), nil)
	ctx := context.Background()
	tx, err := f.db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.queue.EnqueueTx(ctx, tx, tropic.UrgentReportJob{ReportID: 987654}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows := waitJobs(t, f, 1)
	if rows[0].State != rivertype.JobStateCancelled || rows[0].Attempt != 1 {
		t.Errorf("job %s after %d attempts, want cancelled after 1", rows[0].State, rows[0].Attempt)
	}
	if n := len(mp.MessagesTo(t, f.to)); n != 0 {
		t.Errorf("%d messages, want none", n)
	}
}

// TestWorksAlongsideRequests creates urgent reports from several goroutines while
// River polls and works on the same writer connection: every report commits and
// every notification arrives.
func TestWorksAlongsideRequests(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			mp := mailpittest.Start(t)
			f := setup(t, d, mailerFor(t, mp), nil)
			const clients, each = 8, 5
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			errs := make(chan error, clients*each)
			var wg sync.WaitGroup
			for c := 0; c < clients; c++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < each; i++ {
						r := routineReport()
						if i%2 == 0 {
							r = urgentReport()
						}
						start := time.Now()
						_, err := f.reports.CreateReport(ctx, system, r, "")
						if err == nil && time.Since(start) > 5*time.Second {
							err = errors.New("a report took over 5s to commit")
						}
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			urgent := clients * ((each + 1) / 2)
			mp.WaitFor(t, f.to, urgent, 30*time.Second)
			waitJobs(t, f, urgent)
			if n := len(mp.MessagesTo(t, f.to)); n != urgent {
				t.Errorf("%d messages, want %d", n, urgent)
			}
		})
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.Open(t, d)
			s, err := jobs.State(ctx, jobs.Dialect(d), db.SQL())
			if err != nil {
				t.Fatal(err)
			}
			if s.Current != 0 || len(s.Pending) == 0 || s.Known != s.Pending[len(s.Pending)-1] {
				t.Fatalf("fresh database: %+v", s)
			}
			// Several processes may start at once (PostgreSQL): they take turns.
			n := 1
			if d == store.Postgres {
				n = 3
			}
			applied := make([][]int, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					applied[i], errs[i] = jobs.Migrate(ctx, jobs.Dialect(d), db.SQL(), nil)
				}()
			}
			wg.Wait()
			total := 0
			for i := range n {
				if errs[i] != nil {
					t.Fatalf("migrate %d: %v", i, errs[i])
				}
				total += len(applied[i])
			}
			if total != len(s.Pending) {
				t.Errorf("applied %d migrations in all, want %d", total, len(s.Pending))
			}
			again, err := jobs.Migrate(ctx, jobs.Dialect(d), db.SQL(), nil)
			if err != nil || len(again) != 0 {
				t.Errorf("second migrate applied %v, %v", again, err)
			}
			s, err = jobs.State(ctx, jobs.Dialect(d), db.SQL())
			if err != nil || len(s.Pending) != 0 || s.Current != s.Known {
				t.Errorf("after migrate: %+v, %v", s, err)
			}
		})
	}
}

func TestUrgentReportEmail(t *testing.T) {
	t.Parallel()
	r := &tropic.Report{Reference: "KM7Q-2XPA-7", Urgency: tropic.UrgencyUrgent}
	subject, body := jobs.UrgentReportEmail(r, "Dacorum", "https://tropic.example/")
	if subject != "Urgent report KM7Q-2XPA-7" {
		t.Errorf("subject %q", subject)
	}
	for _, want := range []string{"Reference: KM7Q-2XPA-7", "Urgency:   Urgent", "District:  Dacorum", "https://tropic.example/triage/reports/KM7Q-2XPA-7\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	mp := mailpittest.Start(t)
	proxy := newFlakyProxy(t, mp.SMTPAddr, 1000)
	m, err := notify.New(notify.Config{Host: "127.0.0.1", Port: proxy.ln.Addr().(*net.TCPAddr).Port, TLS: notify.TLSNone, From: "tropic@partnership.test", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	f := setup(t, store.SQLite, m, func(c *jobs.Config) {
		c.MaxAttempts = 2
		c.RetryDelay = func(int) time.Duration { return 50 * time.Millisecond }
	})
	r := create(t, f, urgentReport())
	rows := waitJobs(t, f, 1)
	if j := rows[0]; j.State != rivertype.JobStateDiscarded || j.Attempt != 2 {
		t.Errorf("job %s after %d attempts, want discarded after 2", j.State, j.Attempt)
	}
	if logs := f.logs.String(); !strings.Contains(logs, "giving up") || !strings.Contains(logs, r.Reference) {
		t.Errorf("giving up was not logged with the reference:\n%s", logs)
	}
	if n := len(mp.MessagesTo(t, f.to)); n != 0 {
		t.Errorf("%d messages, want none", n)
	}
}
