package jobs_test

import (
	"context"
	"testing"
	"time"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// A report that arrives with a case's phone number, typed another way, is matched
// by the report_match job: triage then sees the match without matching on view.
func TestNewReportIsMatchedAgainstCasesByAJob(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := setup(t, d, nil, nil) // with the store's matcher, as serve has
			matches := store.NewMatchService(f.db, phone.Parse)
			agencies, users := store.NewAgencyService(f.db), store.NewUserService(f.db)
			police := &tropic.Agency{Name: "Hertfordshire Constabulary", Kind: tropic.AgencyPolice, TriageHub: true}
			if err := agencies.CreateAgency(ctx, system, police); err != nil {
				t.Fatal(err)
			}
			u := &tropic.User{Email: "pat.worker@police.example", Name: "Pat Worker", AgencyID: police.ID, Roles: []tropic.Role{tropic.RoleCaseworker, tropic.RoleTriage}}
			if err := users.CreateUser(ctx, system, u, "not-a-real-hash"); err != nil {
				t.Fatal(err)
			}
			worker := tropic.ActorFor(u)
			cases := store.NewCaseService(f.db, phone.Parse)
			c := &tropic.Case{Title: "Car wash", District: "st-albans", Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}}
			if err := cases.CreateCase(ctx, worker, c, ""); err != nil {
				t.Fatal(err)
			}
			if err := cases.AddPhone(ctx, worker, c.Reference, &tropic.CasePhone{Number: "+44 7700 900123"}); err != nil {
				t.Fatal(err)
			}

			r := create(t, f, urgentReport()) // phone "07700 900123"
			other := create(t, f, routineReport())
			// The periodic job matches them within a few runs.
			var got map[int64][]tropic.Link
			for deadline := time.Now().Add(20 * time.Second); ; {
				var err error
				if got, err = matches.ReportMatches(ctx, worker, []int64{r.ID, other.ID}); err != nil {
					t.Fatal(err)
				}
				if len(got[r.ID]) > 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if len(got[r.ID]) != 1 || got[r.ID][0].CaseRef != c.Reference || got[r.ID][0].Kind != tropic.LinkPhone {
				t.Errorf("report %s matches %+v, want case %s on its phone", r.Reference, got[r.ID], c.Reference)
			}
			if len(got[other.ID]) != 0 {
				t.Errorf("report without identifiers matches %+v, want nothing", got[other.ID])
			}
		})
	}
}
