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
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// escalationRuns counts the escalation runs that have finished.
func escalationRuns(t *testing.T, q *jobs.Queue) int {
	t.Helper()
	res, err := q.Client().JobList(context.Background(), river.NewJobListParams().Kinds(tropic.ReportEscalationJob{}.Kind()).
		States(rivertype.JobStateCompleted).First(10000))
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Jobs)
}

// waitRuns waits until more than n escalation runs have finished.
func waitRuns(t *testing.T, q *jobs.Queue, n int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); escalationRuns(t, q) <= n; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no escalation run after %d within 20s", n)
		}
	}
}

// An emergency that nobody claims within its hour is e-mailed again to the triage
// addresses: once, with no personal data, and not again after a restart.
func TestUnclaimedEmergencyIsEscalatedByEmailOnceAndNotAgainAfterARestart(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			mp := mailpittest.Start(t)
			// The queue's clock runs two hours ahead: a report made now is over its
			// emergency target of an hour.
			escalate := func(cfg *jobs.Config) {
				cfg.Escalator = cfg.Reports.(*store.ReportService)
				cfg.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
				cfg.EscalationInterval = 200 * time.Millisecond
			}
			f := setup(t, d, mailerFor(t, mp), escalate)
			r := urgentReport()
			r.InDanger = tropic.AnswerYes
			create(t, f, r)
			routine := create(t, f, routineReport())

			// The new emergency's own e-mail, then its escalation.
			msgs := mp.WaitFor(t, f.to, 2, 20*time.Second)
			var esc []int
			for i, m := range msgs {
				if strings.HasPrefix(m.Subject, "Escalation:") {
					esc = append(esc, i)
				}
			}
			if len(esc) != 1 {
				t.Fatalf("messages %+v, want one escalation", msgs)
			}
			m := msgs[esc[0]]
			if want := "Escalation: emergency report " + r.Reference + " is not claimed"; m.Subject != want {
				t.Errorf("subject %q, want %q", m.Subject, want)
			}
			raw, text := messageText(t, mp, m.ID)
			for _, want := range []string{r.Reference, "Emergency", "St Albans City and District", "target of 1 hour", baseURL + "/triage/reports/" + r.Reference} {
				if !strings.Contains(text, want) {
					t.Errorf("message lacks %q:\n%s", want, text)
				}
			}
			holdsNoPersonalData(t, raw, text)
			if strings.Contains(text, routine.Reference) {
				t.Errorf("the routine report was escalated:\n%s", text)
			}

			// Two more runs send nothing more.
			waitRuns(t, f.queue, escalationRuns(t, f.queue)+1)
			// Restart: a new queue on the same database runs the job afresh.
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := f.queue.Stop(stopCtx); err != nil {
				t.Fatal(err)
			}
			before := escalationRuns(t, f.queue)
			q2, err := jobs.New(jobs.Config{Dialect: jobs.Dialect(d), DB: f.db.SQL(), Logger: slog.New(slog.NewTextHandler(f.logs, nil)),
				Reports: store.NewReportService(f.db, nil, nil), Escalator: store.NewReportService(f.db, nil, nil),
				Mailer: mailerFor(t, mp), TriageEmails: []string{f.to}, BaseURL: baseURL,
				Now: func() time.Time { return time.Now().Add(3 * time.Hour) }, EscalationInterval: 200 * time.Millisecond, FetchPollInterval: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if err := q2.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				q2.Stop(ctx)
			})
			waitRuns(t, q2, before+1)
			if got := mp.MessagesTo(t, f.to); len(got) != 2 {
				t.Errorf("%d messages after the restart, want still 2: %+v", len(got), got)
			}
		})
	}
}
