package store_test

import (
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// TestADutyToNotifyReportIsCorrectedByItsAgencyAlone (issue 19, item 4): the agency
// that made a report corrects its answers for a reason, against the version it read (a
// stale save names who changed it and when); the history keeps the answers changed and
// the audit trail their names only; another agency can neither correct nor withdraw
// it; a correction that would identify the person is refused; a published statistics
// release keeps what it published, and the next lists the change as a revision.
func TestADutyToNotifyReportIsCorrectedByItsAgencyAlone(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		rel := newDtNReleases(t, e)
		r := rel.reports[0]

		feb := "2026-02-03"
		male := tropic.Gender("male")
		fix := tropic.DutyToNotifyCorrection{Version: 1, Reason: tropic.CorrectedMistake, SubmittedOn: &feb, Gender: &male}
		// Another agency sees no report to correct or withdraw; a triage officer of the same agency neither.
		wantCode(t, e.referrals.CorrectDutyToNotify(ctx, e.cWorker, r.ID, fix), tropic.ENOTFOUND)
		wantCode(t, e.referrals.CorrectDutyToNotify(ctx, e.cSuper, r.ID, fix), tropic.ENOTFOUND)
		wantCode(t, e.referrals.WithdrawDutyToNotify(ctx, e.cWorker, r.ID, tropic.RemovedInError, 1), tropic.ENOTFOUND)
		if err := e.referrals.CorrectDutyToNotify(ctx, e.pTriage, r.ID, fix); err == nil {
			t.Fatal("a triage officer corrected a Duty to Notify report")
		}
		// A reason is required; nothing identifying may come in; nothing changed is refused.
		noReason := fix
		noReason.Reason = ""
		if err := e.referrals.CorrectDutyToNotify(ctx, e.pWorker, r.ID, noReason); tropic.ErrorFields(err)["reason"] == "" {
			t.Fatalf("no reason: %v, want the reason asked for", err)
		}
		named := "Ana Popescu, born 3 February 1999"
		bad := tropic.DutyToNotifyCorrection{Version: 1, Reason: tropic.CorrectedInformation, Nationality: &named}
		if err := e.referrals.CorrectDutyToNotify(ctx, e.pWorker, r.ID, bad); tropic.ErrorFields(err)["nationality"] == "" {
			t.Fatalf("an identifying nationality: %v, want it refused", err)
		}
		same := "2026-01-10"
		wantCode(t, e.referrals.CorrectDutyToNotify(ctx, e.pWorker, r.ID, tropic.DutyToNotifyCorrection{Version: 1, Reason: tropic.CorrectedMistake, SubmittedOn: &same}), tropic.EINVALID)

		must(t, e.referrals.CorrectDutyToNotify(ctx, e.pWorker2, r.ID, fix))
		if ev := e.lastEvent(t); ev.Action != tropic.AuditReferralCorrected || ev.Detail != "entry_mistake: Date the report was made; Gender" {
			t.Fatalf("audit %+v, want the correction with its reason's code and the answers' names", ev)
		}
		// A stale save: refused, naming who changed the report and when.
		albanian := "Albanian"
		err := e.referrals.CorrectDutyToNotify(ctx, e.pWorker, r.ID, tropic.DutyToNotifyCorrection{Version: 1, Reason: tropic.CorrectedInformation, Nationality: &albanian})
		wantCode(t, err, tropic.ECONFLICT)
		if msg := tropic.ErrorMessage(err); !strings.Contains(msg, "Quinn Other") || !strings.Contains(msg, "14 March 2026") {
			t.Fatalf("stale save: %q, want who and when", msg)
		}
		got, err := e.referrals.FindReferral(ctx, e.pWorker, r.ID)
		must(t, err)
		if got.SubmittedOn != feb || got.Gender != male || got.Nationality != "Romanian" || got.Version != 2 || len(got.Corrections) != 1 {
			t.Fatalf("got %+v, want corrected at version 2 with one correction", got)
		}
		if c := got.Corrections[0]; c.Reason != tropic.CorrectedMistake || !strings.Contains(c.By, "Quinn Other") ||
			strings.Join(c.Changes, "; ") != "Date the report was made: 2026-01-10 to 2026-02-03; Gender: Female to Male" {
			t.Fatalf("history %+v", c)
		}
		// The published release is unchanged; the next counts the correction, as a revision.
		rel.wantJanuaryRevised(t)
		// Withdrawn, it is corrected no more; an NRM referral is not corrected this way.
		must(t, e.referrals.WithdrawDutyToNotify(ctx, e.pWorker, r.ID, tropic.RemovedInError, 2))
		wantCode(t, e.referrals.CorrectDutyToNotify(ctx, e.pWorker, r.ID, tropic.DutyToNotifyCorrection{Version: 3, Reason: tropic.CorrectedInformation, Nationality: &albanian}), tropic.ECONFLICT)
		nrm := e.refer(t, e.pWorker, nrmAdult("2026-03-13"))
		wantCode(t, e.referrals.CorrectDutyToNotify(ctx, e.pWorker, nrm.ID, tropic.DutyToNotifyCorrection{Version: 1, Reason: tropic.CorrectedInformation, Nationality: &albanian}), tropic.EINVALID)
	})
}

// dtnReleases: six Duty to Notify reports, three in January and three in February,
// and a published release of January that counts three.
type dtnReleases struct {
	e       *referralEnv
	stats   *store.StatsService
	rs      *store.ReleaseService
	reports []*tropic.Referral
	january *tropic.Release
}

func newDtNReleases(t *testing.T, e *referralEnv) *dtnReleases {
	t.Helper()
	f := &dtnReleases{e: e, stats: store.NewStatsService(e.db), rs: store.NewReleaseService(e.db)}
	f.stats.SetTTL(0)
	for _, day := range []string{"2026-01-10", "2026-01-11", "2026-01-12", "2026-02-10", "2026-02-11", "2026-02-12"} {
		f.reports = append(f.reports, e.refer(t, e.pWorker, dtnAdult(day)))
	}
	var err error
	f.january, err = tropic.PublishRelease(ctx, f.stats, f.rs, tropic.SystemActor("test"), "2026-01", tropic.NewPeriod(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)), 1, t0, false)
	must(t, err)
	if got := dtnInRelease(f.january); got != "3" {
		t.Fatalf("the January release counts %s reports, want 3", got)
	}
	return f
}

func dtnInRelease(rel *tropic.Release) string {
	return rel.Table(tropic.FigureDtN, tropic.DimMonth, rel.Covers).Total.Published
}

// wantJanuaryRevised checks, after one January report stopped counting, that the
// published January release still says 3 and February's lists January 3 to 2 as a
// revision.
func (f *dtnReleases) wantJanuaryRevised(t *testing.T) {
	t.Helper()
	kept, err := f.rs.FindRelease(ctx, f.january.ID)
	must(t, err)
	if got := dtnInRelease(kept); got != "3" {
		t.Errorf("the published January release now says %s, want the 3 it published", got)
	}
	february, err := tropic.PublishRelease(ctx, f.stats, f.rs, tropic.SystemActor("test"), "2026-02", tropic.NewPeriod(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)), 1, t0, false)
	must(t, err)
	var revised []string
	for _, rev := range february.Revisions {
		revised = append(revised, rev.Table+": "+rev.Label+" "+rev.Was+" to "+rev.Now)
	}
	if !strings.Contains(strings.Join(revised, "\n"), "January 2026 3 to 2") {
		t.Errorf("revisions %q, want January's Duty to Notify reports revised from 3 to 2", revised)
	}
}
