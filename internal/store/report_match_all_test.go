package store_test

import (
	"testing"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// Matching every report at once finds what matching them one by one finds.
func TestRefreshAllReportMatchesAgreesWithOneByOne(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			e := newCaseEnv(t, d)
			// Identifiers first, reports after, without the job: nothing is stored yet.
			c := e.newCase(t, e.pWorker, "Sparkle car wash")
			for _, err := range []error{
				e.cases.AddPhone(ctx, e.pWorker, c.Reference, &tropic.CasePhone{Number: "07700 900123"}),
				e.cases.AddVehicle(ctx, e.pWorker, c.Reference, &tropic.CaseVehicle{Registration: "ab12 cde"}),
				e.cases.AddBusiness(ctx, e.pWorker, c.Reference, &tropic.Business{Name: "Sparkle Car Wash Ltd", Kind: "car_wash"}),
			} {
				if err != nil {
					t.Fatal(err)
				}
			}
			person := e.newCase(t, e.pWorker, "A person's phone")
			e.person(t, e.pWorker, person, tropic.Person{GivenName: "Ana", FamilyName: "Pop", Phone: "07700 900456"}, tropic.RoleWitness)
			var reports []*tropic.Report
			for _, r := range []*tropic.Report{
				{Phones: []tropic.Phone{{Number: "+44 7700 900123"}}, Vehicles: []tropic.Vehicle{{Registration: "AB12CDE"}}},
				{Businesses: []string{"sparkle car wash limited"}},
				{Phones: []tropic.Phone{{Number: "(07700) 900 456"}}},
				{Phones: []tropic.Phone{{Number: "07700 900999"}}},
			} {
				reports = append(reports, e.newReport(t, r))
			}
			ids := []int64{reports[0].ID, reports[1].ID, reports[2].ID, reports[3].ID}
			matches := store.NewMatchService(e.db, phone.Parse)
			both := &tropic.User{Email: "tri.case@police.example", Name: "Tri Case", AgencyID: e.police.ID, Roles: []tropic.Role{tropic.RoleTriage, tropic.RoleCaseworker}}
			if err := e.users.CreateUser(ctx, admin, both, fakeHash); err != nil {
				t.Fatal(err)
			}
			tell := func() map[int64][]tropic.Link {
				t.Helper()
				got, err := matches.ReportMatches(ctx, tropic.ActorFor(both), ids) // sees the reports and the cases
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			n, err := matches.RefreshAllReportMatches(ctx)
			if err != nil {
				t.Fatal(err)
			}
			all := tell()
			if n != len(ids) || len(all[reports[0].ID]) != 2 || len(all[reports[1].ID]) != 1 || len(all[reports[2].ID]) != 1 || len(all[reports[3].ID]) != 0 {
				t.Fatalf("matched %d reports; all at once: %+v", n, all)
			}
			for _, id := range ids {
				if err := matches.RefreshReportMatches(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
			one := tell()
			for _, id := range ids {
				if len(one[id]) != len(all[id]) {
					t.Errorf("report %d: one by one %+v, all at once %+v", id, one[id], all[id])
				}
			}
			if again, err := matches.RefreshAllReportMatches(ctx); err != nil || again != len(ids) {
				t.Errorf("a second refresh matched %d reports (%v), want %d", again, err, len(ids))
			}
			for id, links := range tell() {
				if len(links) != len(all[id]) {
					t.Errorf("report %d after a second refresh: %+v, want %+v", id, links, all[id])
				}
			}
		})
	}
}
