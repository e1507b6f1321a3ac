package store_test

import (
	"slices"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// TestReferralStatusInSQLIsTheDomains: the list filters status in the database, so
// referrals in every status are listed under exactly the status the domain gives
// them (tropic.Referral.Status), and the waiting list holds those awaiting RG or CG.
func TestReferralStatusInSQLIsTheDomains(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		decide := func(r *tropic.Referral, ds ...tropic.ReferralDecision) {
			t.Helper()
			for _, dec := range ds {
				got, err := e.referrals.FindReferral(ctx, e.pWorker, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if err := e.referrals.RecordDecision(ctx, e.pWorker, r.ID, dec, got.Version); err != nil {
					t.Fatalf("decision %+v: %v", dec, err)
				}
			}
		}
		rg := func(o string) tropic.ReferralDecision {
			return tropic.ReferralDecision{Kind: "rg", Date: "2026-01-10", Outcome: o}
		}
		e.refer(t, e.pWorker, nrmAdult("2026-01-02")) // awaiting_rg
		decide(e.refer(t, e.pWorker, nrmAdult("2026-01-02")), rg(tropic.RGPositive))
		decide(e.refer(t, e.pWorker, nrmAdult("2026-01-02")), rg(tropic.RGNegative))
		decide(e.refer(t, e.pWorker, nrmAdult("2026-01-02")), rg(tropic.RGSuspended))
		decide(e.refer(t, e.pWorker, nrmAdult("2026-01-02")), rg(tropic.RGNegative),
			tropic.ReferralDecision{Kind: "reconsideration_requested", Date: "2026-01-12"})
		decide(e.refer(t, e.pWorker, nrmAdult("2026-01-02")), rg(tropic.RGNegative),
			tropic.ReferralDecision{Kind: "reconsideration_requested", Date: "2026-01-12"},
			tropic.ReferralDecision{Kind: "reconsideration_decided", Date: "2026-01-14", Outcome: "overturned"})
		decide(e.refer(t, e.pWorker, nrmAdult("2026-01-02")), tropic.ReferralDecision{Kind: "withdrawn", Date: "2026-01-05"})
		decide(e.refer(t, e.pWorker, nrmAdult("2026-01-02")), rg(tropic.RGPositive), tropic.ReferralDecision{Kind: "disqualified", Date: "2026-01-11"})
		decide(e.refer(t, e.pWorker, nrmAdult("2026-01-02")), rg(tropic.RGPositive),
			tropic.ReferralDecision{Kind: "cg", Date: "2026-02-20", Outcome: tropic.CGVictimSlavery})
		e.refer(t, e.pWorker, dtnAdult("2026-01-03"))

		all, total, err := e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Limit: 500})
		if err != nil || total != len(all) || total != 10 {
			t.Fatalf("all: %d of %d (%v), want 10", len(all), total, err)
		}
		want := map[string][]int64{}
		for _, r := range all {
			want[r.Status()] = append(want[r.Status()], r.ID)
		}
		for _, status := range tropic.ReferralStatuses {
			got, n, err := e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Status: status})
			ids := []int64{}
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			if err != nil || n != len(want[status]) || len(ids) != len(want[status]) || (len(ids) > 0 && !slices.Equal(ids, want[status])) {
				t.Errorf("status %s: got %v (total %d, %v), want %v", status, ids, n, err, want[status])
			}
		}
		waiting, n, err := e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Waiting: true})
		if err != nil || n != 3 || len(waiting) != 3 {
			t.Fatalf("waiting: %d (%v), want awaiting RG, awaiting CG and the overturned one", n, err)
		}
		for _, r := range waiting {
			if s := r.Status(); s != "awaiting_rg" && s != "awaiting_cg" {
				t.Errorf("waiting list holds referral %d, %s", r.ID, s)
			}
		}
		// Counting up to 4 of 10: the total says only "more than 4".
		if list, n, err := e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{CountUpTo: 4}); err != nil || n != 5 || len(list) != 10 {
			t.Errorf("counting up to 4: %d rows, total %d (%v), want 10 rows and total 5", len(list), n, err)
		}
		// Paging: the total stays, the pages follow one another.
		page, n, err := e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Limit: 4, Offset: 8})
		if err != nil || n != 10 || len(page) != 2 || page[0].ID != all[8].ID || page[1].ID != all[9].ID {
			t.Errorf("last page: %d rows of %d (%v), want referrals %d and %d", len(page), n, err, all[8].ID, all[9].ID)
		}
	})
}
