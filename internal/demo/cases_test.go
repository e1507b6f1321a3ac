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

// seeded is a demo partnership with reports and cases on a fresh database.
type seeded struct {
	reports demo.ReportStats
	cases   demo.CaseStats
	svc     *store.CaseService
	users   *store.UserService
	agency  *store.AgencyService
	db      *store.DB
	clock   *storetest.Clock
}

func seed(t *testing.T, d store.Dialect, seed uint64, now time.Time) seeded {
	t.Helper()
	ctx := context.Background()
	clock := storetest.NewClock(now)
	db := storetest.Open(t, d, store.Options{Now: clock.Now})
	s := seeded{svc: store.NewCaseService(db, phone.Parse), users: store.NewUserService(db), agency: store.NewAgencyService(db), db: db, clock: clock}
	hash, err := auth.HashPassword("demo-test", auth.Params{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, demo.Services{Agencies: s.agency, Users: s.users}, demo.Options{Seed: seed, PasswordHash: hash}); err != nil {
		t.Fatalf("seed partnership: %v", err)
	}
	reports := store.NewReportService(db, nil, phone.Parse)
	g := demo.NewGenerator(seed)
	s.reports, err = demo.SeedReports(ctx, g, demo.ReportServices{Reports: reports, Agencies: s.agency, Users: s.users, SetNow: clock.Set},
		now.AddDate(-2, 0, 0), now, 120)
	if err != nil {
		t.Fatalf("seed reports: %v", err)
	}
	s.cases, err = demo.SeedCases(ctx, g, demo.CaseServices{Cases: s.svc, Reports: reports, Agencies: s.agency, Users: s.users,
		Agreements: s.svc, SetNow: clock.Set}, now, 60)
	if err != nil {
		t.Fatalf("seed cases: %v", err)
	}
	clock.Set(now)
	return s
}

func TestSeedCasesIsDeterministicAndShowsTheS45Notice(t *testing.T) {
	now := time.Date(2026, time.November, 20, 12, 0, 0, 0, time.UTC)
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			first, second := seed(t, d, 7, now), seed(t, d, 7, now)
			a, b := first.cases, second.cases
			a.S45Case, b.S45Case = "", "" // references are random; everything else follows the seed
			if a != b || first.reports != second.reports {
				t.Errorf("same seed, different data:\n%+v %+v\n%+v %+v", first.reports, a, second.reports, b)
			}
			c := first.cases
			if c.Cases < 55 || c.FromReports == 0 || c.LinkedReports == 0 || c.Closed == 0 || c.Shares == 0 || c.Tasks == 0 ||
				c.Notes == 0 || c.RoleRequests == 0 || c.S45 < 3 || c.NearDuplicates < 2 {
				t.Errorf("seeded %+v; want about 60 cases, some from reports and each kind of record", c)
			}
			if c.People < 2*c.Cases {
				t.Errorf("seeded %d people on %d cases; want several a case", c.People, c.Cases)
			}

			ctx := context.Background()
			u, err := first.users.FindUserByEmail(ctx, "caseworker.police@"+demo.EmailDomain)
			if err != nil {
				t.Fatal(err)
			}
			police := tropic.ActorFor(u)
			if c.S45Case == "" {
				t.Fatal("no police case with a suspect who is a potential victim on a council's case")
			}
			got, err := first.svc.FindCase(ctx, police, c.S45Case)
			if err != nil {
				t.Fatalf("police read their s.45 case: %v", err)
			}
			if len(got.Notices) == 0 {
				t.Fatalf("case %s shows the police no s.45 notice", c.S45Case)
			}
			n := got.Notices[0]
			if n.ContactAgency == "" || n.ContactAgency == got.OwnerAgency {
				t.Errorf("s.45 notice %+v: want another agency to contact than the owner %q", n, got.OwnerAgency)
			}
			suspect := false
			for _, p := range got.People {
				suspect = suspect || p.Person != nil && p.Person.ID == n.PersonID && p.Role == tropic.RoleSuspect
			}
			if !suspect {
				t.Errorf("s.45 notice %+v names no suspect of case %s", n, c.S45Case)
			}
		})
	}
}

func TestCampaignSlugsMatchAttributions(t *testing.T) {
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, w := range demo.CampaignWeeks(from, from.AddDate(2, 0, 0)) {
		c := &tropic.Campaign{Name: w.Name, Slug: w.Slug(), StartsOn: w.Start.Format(time.DateOnly), EndsOn: w.Start.AddDate(0, 0, 6).Format(time.DateOnly)}
		if err := c.Validate(); err != nil {
			t.Fatalf("demo campaign %s: %v", w.Slug(), err)
		}
	}
}

// TestDemoSharesCiteTheRegister: the demo's register has an agreement due for review
// and one past it; most shares cite the narrowest agreement covering both agencies,
// a few cite none (flagged), and those under the lapsed one are listed for the police
// supervisor to end.
func TestDemoSharesCiteTheRegister(t *testing.T) {
	now := time.Date(2026, time.November, 20, 12, 0, 0, 0, time.UTC)
	s := seed(t, storetest.Dialects(t)[0], 7, now)
	ctx := context.Background()
	u, err := s.users.FindUserByEmail(ctx, "supervisor.police@"+demo.EmailDomain)
	if err != nil {
		t.Fatal(err)
	}
	super := tropic.ActorFor(u)
	register, err := s.svc.FindAgreements(ctx, super)
	if err != nil || len(register) != 3 {
		t.Fatalf("register: %d agreements, %v", len(register), err)
	}
	due, lapsed := 0, 0
	for _, g := range register {
		if g.Expired(now) {
			lapsed++
		} else if g.ReviewDue(now) {
			due++
		}
	}
	if due != 1 || lapsed != 1 {
		t.Errorf("register: %d due for review, %d past it; want one of each", due, lapsed)
	}
	expired, err := s.svc.FindExpiredShares(ctx, super)
	if err != nil || len(expired) == 0 {
		t.Fatalf("shares under the lapsed agreement: %d, %v", len(expired), err)
	}
	for _, e := range expired {
		if e.Agreement != demo.AgreementCharity {
			t.Errorf("share %d under %q listed as expired", e.ShareID, e.Agreement)
		}
	}
	t.Logf("%d shares, %d citing no agreement, %d live under the lapsed agreement", s.cases.Shares, s.cases.SharesWithoutAgreement, len(expired))
	if c := s.cases; c.SharesWithoutAgreement == 0 || c.SharesWithoutAgreement*5 > c.Shares {
		t.Errorf("%d of %d shares cite no agreement; want a few", c.SharesWithoutAgreement, c.Shares)
	}
}
