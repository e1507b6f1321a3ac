package demo_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/demo"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

func seedReferrals(t *testing.T, seed uint64, now time.Time) (demo.ReferralStats, *store.ReferralService, *store.UserService) {
	t.Helper()
	ctx := context.Background()
	clock := storetest.NewClock(now)
	db := storetest.Open(t, store.SQLite, store.Options{Now: clock.Now})
	agencies, users, cases := store.NewAgencyService(db), store.NewUserService(db), store.NewCaseService(db, phone.Parse)
	reports, referrals := store.NewReportService(db, nil, phone.Parse), store.NewReferralService(db)
	hash, err := auth.HashPassword("demo-test", auth.Params{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, demo.Services{Agencies: agencies, Users: users}, demo.Options{Seed: seed, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	g := demo.NewGenerator(seed)
	if _, err := demo.SeedReports(ctx, g, demo.ReportServices{Reports: reports, Agencies: agencies, Users: users, SetNow: clock.Set},
		now.AddDate(-3, 0, 0), now, 120); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedCases(ctx, g, demo.CaseServices{Cases: cases, Reports: reports, Agencies: agencies, Users: users, SetNow: clock.Set}, now, 120); err != nil {
		t.Fatal(err)
	}
	stats, err := demo.SeedReferrals(ctx, g, demo.ReferralServices{Cases: cases, Referrals: referrals, Agencies: agencies, Users: users, SetNow: clock.Set}, now)
	if err != nil {
		t.Fatalf("seed referrals: %v", err)
	}
	clock.Set(now)
	return stats, referrals, users
}

func TestSeedReferralsHasRealisticDecisionTimes(t *testing.T) {
	now := time.Date(2026, time.November, 20, 12, 0, 0, 0, time.UTC)
	start := time.Now()
	s, referrals, users := seedReferrals(t, 3, now)
	t.Logf("seeded %+v in %v", s, time.Since(start))
	again, _, _ := seedReferrals(t, 3, now)
	if strings.Join(s.ReminderEmails, ",") != strings.Join(again.ReminderEmails, ",") || s.Referrals != again.Referrals ||
		s.RGDecided != again.RGDecided || s.CGDecided != again.CGDecided || s.DtN != again.DtN {
		t.Errorf("same seed, different referrals: %+v and %+v", s, again)
	}
	if s.Referrals < 40 || s.DtN == 0 || s.Children == 0 || s.RGDecided == 0 || s.CGDecided == 0 || s.AwaitingCG == 0 {
		t.Errorf("seeded %+v; want referrals of every kind", s)
	}
	if want := "nrm@police." + demo.EmailDomain; len(s.ReminderEmails) == 0 || s.ReminderEmails[0] != want {
		t.Errorf("reminder e-mails %v, want %s first", s.ReminderEmails, want)
	}

	// The police unit's referrals, read as its caseworker: decision times as the
	// Home Office's are, and DtN reports that name no one.
	u, err := users.FindUserByEmail(context.Background(), "caseworker.police@"+demo.EmailDomain)
	if err != nil {
		t.Fatal(err)
	}
	actor := tropic.ActorFor(u)
	refs, total, err := referrals.FindReferrals(context.Background(), actor, tropic.ReferralFilter{Limit: 1000})
	if err != nil || total == 0 {
		t.Fatalf("police referrals: %d, %v", total, err)
	}
	cal := tropic.NewCalendar(tropic.KnownHolidayChanges)
	var rgWorking, cgDays []int
	for _, r := range refs {
		if r.Route == tropic.RouteDtN {
			if r.PersonID != 0 || r.PersonName != "" || r.CaseID != 0 || r.Notes != "" || r.CrimeReference != "" {
				t.Errorf("a DtN report identifies someone: %+v", r)
			}
			continue
		}
		sub, _ := time.Parse(time.DateOnly, r.SubmittedOn)
		if r.RGDate != "" {
			rg, _ := time.Parse(time.DateOnly, r.RGDate)
			rgWorking = append(rgWorking, cal.WorkingDaysBetween(sub, rg))
			if r.CGDate != "" {
				cg, _ := time.Parse(time.DateOnly, r.CGDate)
				cgDays = append(cgDays, int(cg.Sub(rg).Hours()/24))
			}
		}
	}
	sort.Ints(rgWorking)
	sort.Ints(cgDays)
	if len(rgWorking) == 0 || rgWorking[len(rgWorking)/2] > 10 {
		t.Errorf("median RG time %v working days; want within 10", rgWorking)
	}
	if len(cgDays) > 0 && (cgDays[0] < 180) {
		t.Errorf("CG waits %v; want 6 months at least", cgDays)
	}
	overdue, _, err := referrals.FindReferrals(context.Background(), actor, tropic.ReferralFilter{Overdue: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("police: %d referrals, %d overdue RG now, RG working days %v, CG days %v", total, len(overdue), rgWorking, cgDays)
}
