package demo_test

import (
	"context"
	"testing"
	"time"

	"tropic/internal/demo"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// The demo's access request waits for the police data protection officer, in time,
// its requester confirmed; released, its package names no third party.
func TestTheDemoPoliceHaveAnAccessRequestInProgress(t *testing.T) {
	now := time.Date(2026, time.November, 20, 12, 0, 0, 0, time.UTC)
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			s := seed(t, d, 7, now)
			ctx := context.Background()
			rights := store.NewRightsService(s.db)
			st, err := demo.SeedRights(ctx, demo.RightsServices{Rights: rights, Cases: s.svc, Users: s.users, SetNow: s.clock.Set}, now)
			s.clock.Set(now)
			if err != nil || st.Request == 0 {
				t.Fatalf("seed rights: %+v, %v", st, err)
			}
			u, err := s.users.FindUserByEmail(ctx, "dpo.police@"+demo.EmailDomain)
			if err != nil {
				t.Fatal(err)
			}
			dpo := tropic.ActorFor(u)
			list, err := rights.FindRightsRequests(ctx, dpo)
			if err != nil || len(list) != 1 {
				t.Fatalf("the police officer's requests: %d, %v", len(list), err)
			}
			r := list[0]
			if r.ID != st.Request || r.Kind != tropic.RightsAccess || r.Status != tropic.RightsOpen || r.Deadline != "2026-12-02" ||
				r.Overdue(now.Format(time.DateOnly)) {
				t.Errorf("the demo's request: %+v", r)
			}
			pkg, err := rights.ReleaseRightsPackage(ctx, dpo, r.ID)
			if err != nil || len(pkg.Subjects) != 1 || len(pkg.Subjects[0].Cases) == 0 {
				t.Fatalf("the package: %+v, %v", pkg, err)
			}
			for _, c := range pkg.Subjects[0].Cases {
				for _, tp := range c.ThirdParties {
					if !tp.Redacted || tp.Name != tropic.RedactedThirdParty {
						t.Errorf("case %s names a third party: %+v", c.Reference, tp)
					}
				}
			}
		})
	}
}
