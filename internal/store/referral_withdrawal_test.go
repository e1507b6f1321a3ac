package store_test

import (
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// A Duty to Notify report made in error is withdrawn by its agency alone, once, with a
// reason from the list; it then counts as withdrawn, not as made. An NRM referral is
// not withdrawn this way.
func TestADutyToNotifyReportMadeInErrorIsWithdrawn(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		stats := store.NewStatsService(e.db)
		stats.SetTTL(0)
		period := tropic.NewPeriod(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
		count := func() int {
			n, err := stats.Count(ctx, tropic.FigureDtN, period, tropic.StatsFilter{})
			must(t, err)
			return n
		}
		r := e.refer(t, e.pWorker, dtnAdult("2026-03-13"))
		e.refer(t, e.pWorker, dtnAdult("2026-03-14"))
		if n := count(); n != 2 {
			t.Fatalf("got %d reports made, want 2", n)
		}
		// Another agency does not see the report at all.
		wantCode(t, e.referrals.WithdrawDutyToNotify(ctx, e.cWorker, r.ID, tropic.RemovedInError, 1), tropic.ENOTFOUND)
		err := e.referrals.WithdrawDutyToNotify(ctx, e.pWorker, r.ID, tropic.RemovedNotConnected, 1)
		wantCode(t, err, tropic.EINVALID)
		if tropic.ErrorFields(err)["reason"] == "" {
			t.Fatalf("got %v, want the reason named", err)
		}
		wantCode(t, e.referrals.WithdrawDutyToNotify(ctx, e.pWorker, r.ID, tropic.RemovedInError, 2), tropic.ECONFLICT) // stale
		must(t, e.referrals.WithdrawDutyToNotify(ctx, e.pWorker2, r.ID, tropic.RemovedInError, 1))
		if ev := e.lastEvent(t); ev.Action != tropic.AuditReferralWithdrawn || ev.Detail != string(tropic.RemovedInError) {
			t.Fatalf("got audit %+v, want the withdrawal with its reason's code", ev)
		}
		// A replay finds it withdrawn already, and changes nothing.
		wantCode(t, e.referrals.WithdrawDutyToNotify(ctx, e.pWorker, r.ID, tropic.RemovedInError, 2), tropic.ECONFLICT)
		got, err := e.referrals.FindReferral(ctx, e.pWorker, r.ID)
		must(t, err)
		if got.Status() != "withdrawn" || got.WithdrawnReason != tropic.RemovedInError || got.WithdrawnOn == "" || got.Version != 2 {
			t.Fatalf("got %+v (status %s), want withdrawn as entered in error at version 2", got, got.Status())
		}
		if n := count(); n != 1 {
			t.Fatalf("got %d reports made, want the withdrawn one left out", n)
		}
		nrm := e.refer(t, e.pWorker, nrmAdult("2026-03-13"))
		wantCode(t, e.referrals.WithdrawDutyToNotify(ctx, e.pWorker, nrm.ID, tropic.RemovedInError, 1), tropic.EINVALID)
	})
}

// A withdrawal goes through the release process as a correction does: the published
// release keeps what it said, and the next release lists the month it changes as a
// revision (never a silent change).
func TestAWithdrawnDutyToNotifyReportIsARevisionInTheNextRelease(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		rel := newDtNReleases(t, e)
		must(t, e.referrals.WithdrawDutyToNotify(ctx, e.pWorker, rel.reports[0].ID, tropic.RemovedInError, 1))
		rel.wantJanuaryRevised(t)
	})
}
