package demo_test

import (
	"context"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/demo"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

func TestTheDemoCountyCouncilHasReportsWaitingInItsInbox(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC) // a Wednesday
	clock := storetest.NewClock(now)
	db := storetest.Open(t, store.SQLite, store.Options{Now: clock.Now})
	agencies, users, reports := store.NewAgencyService(db), store.NewUserService(db), store.NewReportService(db, nil, phone.Parse)
	hash, err := auth.HashPassword("demo-test", auth.Params{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, demo.Services{Agencies: agencies, Users: users}, demo.Options{Seed: 1, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedReports(ctx, demo.NewGenerator(1), demo.ReportServices{Reports: reports, Agencies: agencies, Users: users, SetNow: clock.Set},
		now.AddDate(0, -2, 0), now, 50); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedInbox(ctx, demo.InboxServices{Reports: reports, Agencies: agencies, Users: users, SetNow: clock.Set}, now); err != nil {
		t.Fatal(err)
	}
	worker, err := users.FindUserByEmail(ctx, "caseworker.county@"+demo.EmailDomain)
	if err != nil {
		t.Fatal(err)
	}
	actor := tropic.ActorFor(worker)
	items, n, err := reports.FindInbox(ctx, actor, tropic.InboxFilter{})
	if err != nil || n != 3 {
		t.Fatalf("the county's inbox holds %d (%v), want 3 waiting", n, err)
	}
	states := map[tropic.HandoffState]int{}
	for _, it := range items {
		states[it.State]++
	}
	if states[tropic.HandoffPassed] != 2 || states[tropic.HandoffAcknowledged] != 1 {
		t.Errorf("states %v, want 2 not acknowledged and 1 acknowledged", states)
	}
	cuts := tropic.AcknowledgeOverdueCuts(tropic.DefaultAcknowledgeTargets, now, tropic.NewCalendar(nil))
	if _, late, _ := reports.FindInbox(ctx, actor, tropic.InboxFilter{AckOverdue: cuts}); late != 1 {
		t.Errorf("%d reports past their acknowledgement time, want 1", late)
	}
	hub, err := users.FindUserByEmail(ctx, "triage.police@"+demo.EmailDomain)
	if err != nil {
		t.Fatal(err)
	}
	queue, _, err := reports.FindReports(ctx, tropic.ActorFor(hub), tropic.ReportFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	returned := 0
	for _, r := range queue {
		if r.Returned() {
			returned++
		}
	}
	if returned != 1 {
		t.Errorf("%d returned reports in the hub's queue, want 1", returned)
	}
}
