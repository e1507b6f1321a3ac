package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"tropic/internal/jobs"
	"tropic/internal/notify/mailpittest"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// reporterFinder gives the queue the report service once the test's database exists.
type reporterFinder struct{ s *store.ReportService }

func (r *reporterFinder) FindReporterNotifyEmail(ctx context.Context, actor tropic.Actor, id int64) (string, error) {
	return r.s.FindReporterNotifyEmail(ctx, actor, id)
}

func TestAReporterWhoAgreedIsEmailedThatAMessageWaitsWithoutTheMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mp := mailpittest.Start(t)
	reporter := mailpittest.NewRecipient(t, "reporter")
	finder := &reporterFinder{}
	f := setup(t, store.SQLite, mailerFor(t, mp), func(c *jobs.Config) { c.Reporters = finder })
	finder.s = f.reports
	hub := &tropic.Agency{Name: "Herts Police MSU", Kind: tropic.AgencyPolice, TriageHub: true}
	if err := store.NewAgencyService(f.db).CreateAgency(ctx, system, hub); err != nil {
		t.Fatal(err)
	}
	triage := &tropic.User{Email: "triage@police.example", Name: "Tri Age", AgencyID: hub.ID, Roles: []tropic.Role{tropic.RoleTriage}}
	if err := store.NewUserService(f.db).CreateUser(ctx, system, triage, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"); err != nil {
		t.Fatal(err)
	}
	r := urgentReport()
	r.Reporter = tropic.Reporter{Name: "Philippa Wexcombe", Contact: reporter + ", after 6pm", NotifyConsent: true}
	r = create(t, f, r)
	if _, err := f.reports.SendReportMessage(ctx, tropic.ActorFor(triage), r.Reference, "SECRET-TEXT is the van still there?", ""); err != nil {
		t.Fatal(err)
	}
	msgs := mp.WaitFor(t, reporter, 1, 20*time.Second)
	if msgs[0].Subject != "A message is waiting for you" {
		t.Errorf("subject %q", msgs[0].Subject)
	}
	text := mp.Text(t, msgs[0].ID)
	if !strings.Contains(text, baseURL+"/report/follow-up/messages") {
		t.Errorf("the e-mail does not say where to read the message:\n%s", text)
	}
	for _, p := range []string{"SECRET-TEXT", r.Reference, "Philippa", "Herts Police", "Tri Age"} {
		if strings.Contains(text, p) || strings.Contains(msgs[0].Subject, p) {
			t.Errorf("the e-mail holds %q:\n%s", p, text)
		}
	}
}
