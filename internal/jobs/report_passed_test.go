package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"tropic/internal/jobs"
	"tropic/internal/notify/mailpittest"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

func TestAReportPassedToAnAgencyIsEmailedToItsInboxWithoutPersonalData(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			mp := mailpittest.Start(t)
			inbox := mailpittest.NewRecipient(t, "inbox")
			lister := &agencyLister{}
			f := setup(t, d, mailerFor(t, mp), func(c *jobs.Config) { c.Agencies = lister })
			agencies := store.NewAgencyService(f.db)
			lister.s = agencies
			hub := &tropic.Agency{Name: "Herts Police MSU", Kind: tropic.AgencyPolice, TriageHub: true}
			county := &tropic.Agency{Name: "Herts County Council", Kind: tropic.AgencyCountyCouncil, InboxEmail: inbox}
			for _, a := range []*tropic.Agency{hub, county} {
				if err := agencies.CreateAgency(ctx, system, a); err != nil {
					t.Fatal(err)
				}
			}
			triage := &tropic.User{Email: "triage@police.example", Name: "Tri Age", AgencyID: hub.ID, Roles: []tropic.Role{tropic.RoleTriage}}
			if err := store.NewUserService(f.db).CreateUser(ctx, system, triage, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"); err != nil {
				t.Fatal(err)
			}
			r := create(t, f, urgentReport())
			if err := f.reports.DecideReport(ctx, tropic.ActorFor(triage), r.Reference, tropic.ReportDecision{Status: tropic.ReportPassedToAgency,
				AgencyID: county.ID, Reason: "Philippa Wexcombe saw it: a welfare visit", IncludeReporterContact: true}); err != nil {
				t.Fatal(err)
			}
			msgs := mp.WaitFor(t, inbox, 1, 20*time.Second)
			if want := "Urgent report " + r.Reference + " passed to Herts County Council"; msgs[0].Subject != want {
				t.Errorf("subject %q, want %q", msgs[0].Subject, want)
			}
			raw, text := mp.Raw(t, msgs[0].ID), mp.Text(t, msgs[0].ID)
			raw = strings.NewReplacer("=\r\n", "", "=\n", "").Replace(raw)
			for _, want := range []string{r.Reference, "Urgent", "St Albans City and District", baseURL + "/inbox/reports/" + r.Reference} {
				if !strings.Contains(text, want) {
					t.Errorf("message lacks %q:\n%s", want, text)
				}
			}
			for _, p := range append(personal, "welfare visit") { // nor the reason, which triage typed
				for name, s := range map[string]string{"raw message": raw, "decoded text": text} {
					if strings.Contains(strings.ToLower(s), strings.ToLower(p)) {
						t.Errorf("%s contains %q:\n%s", name, p, s)
					}
				}
			}
			// The pass replayed queues nothing more.
			if err := f.reports.DecideReport(ctx, tropic.ActorFor(triage), r.Reference, tropic.ReportDecision{Status: tropic.ReportPassedToAgency,
				AgencyID: county.ID, Reason: "Again"}); err != nil {
				t.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond)
			if n := len(mp.MessagesTo(t, inbox)); n != 1 {
				t.Errorf("%d messages to the inbox, want 1", n)
			}
		})
	}
}

// agencyLister gives the queue the agencies once the test's database exists.
type agencyLister struct{ s *store.AgencyService }

func (l *agencyLister) FindAgencies(ctx context.Context) ([]*tropic.Agency, error) {
	return l.s.FindAgencies(ctx)
}
