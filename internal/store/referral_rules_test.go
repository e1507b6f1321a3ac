package store_test

import (
	"slices"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// The NRM corrections of issue 11 (item 14), through the store on both databases.

// TestASuspendedRGDecisionIsNotOverdueInListsOrTheDigest: the person went missing, so
// the RG decision waits for them, not for the competent authority.
func TestASuspendedRGDecisionIsNotOverdueInListsOrTheDigest(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		// Today is Saturday 14 March 2026: both were due on Friday 13 March.
		late := e.refer(t, e.pWorker, nrmAdult("2026-03-06"))
		suspended := e.refer(t, e.pWorker, nrmAdult("2026-03-06"))
		if err := e.referrals.RecordDecision(ctx, e.pWorker, suspended.ID, tropic.ReferralDecision{Kind: "rg", Date: "2026-03-10", Outcome: tropic.RGSuspended}, 1); err != nil {
			t.Fatal(err)
		}
		list, _, err := e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Overdue: true})
		if err != nil || !slices.Equal(ids(list), []int64{late.ID}) {
			t.Fatalf("overdue: got %v, %v; want only the referral that is not suspended", ids(list), err)
		}
		list, _, _ = e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Waiting: true})
		if !slices.Equal(ids(list), []int64{late.ID}) {
			t.Fatalf("waiting: got %v, want only %d", ids(list), late.ID)
		}
		list, _, _ = e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Status: "rg_suspended"})
		if !slices.Equal(ids(list), []int64{suspended.ID}) {
			t.Fatalf("status rg_suspended: got %v, want %d", ids(list), suspended.ID)
		}
		if err := e.referrals.SetReminderEmail(ctx, e.pSuper, e.police.ID, "nrm@police.example"); err != nil {
			t.Fatal(err)
		}
		digests, err := e.referrals.FindReminderDigests(ctx, e.clock.Now(), 100)
		if err != nil || len(digests) != 1 || digests[0].OverdueRG != 1 {
			t.Fatalf("digests: got %+v, %v; want one overdue RG (the suspended one is not)", digests, err)
		}
		// When the person is found, the RG decision is recorded after the suspension.
		if err := e.referrals.RecordDecision(ctx, e.pWorker, suspended.ID, tropic.ReferralDecision{Kind: "rg", Date: "2026-03-12", Outcome: tropic.RGPositive}, 2); err != nil {
			t.Fatalf("an RG decision after the suspension: %v", err)
		}
	})
}

// TestANegativeRGOverturnedOnReconsiderationAllowsACGDecision: the overturned decision
// is positive from the day of the reconsideration, and the recovery period runs from it.
func TestANegativeRGOverturnedOnReconsiderationAllowsACGDecision(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		r := e.refer(t, e.pWorker, nrmAdult("2025-06-02"))
		steps := []tropic.ReferralDecision{
			{Kind: "rg", Date: "2025-06-06", Outcome: tropic.RGNegative},
			{Kind: "reconsideration_requested", Date: "2025-06-10"},
			{Kind: "reconsideration_decided", Date: "2025-07-01", Outcome: "overturned"},
		}
		for i, s := range steps {
			if err := e.referrals.RecordDecision(ctx, e.pWorker, r.ID, s, i+1); err != nil {
				t.Fatalf("%s: %v", s.Kind, err)
			}
		}
		got, err := e.referrals.FindReferral(ctx, e.pWorker, r.ID)
		if err != nil || got.RGOutcome != tropic.RGPositive || got.Status() != "awaiting_cg" || got.PositiveRGDate() != "2025-07-01" {
			t.Fatalf("after the overturn: got %+v, %v; want a positive RG of 1 July awaiting CG", got, err)
		}
		// 30 days from 1 July 2025 is 31 July: a CG of 20 July is inside the recovery period.
		err = e.referrals.RecordDecision(ctx, e.pWorker, r.ID, tropic.ReferralDecision{Kind: "cg", Date: "2025-07-20", Outcome: tropic.CGVictimSlavery}, 4)
		if tropic.ErrorFields(err)["date"] == "" {
			t.Fatalf("a CG inside the recovery period from the overturn: got %v, want refused on the date", err)
		}
		if err := e.referrals.RecordDecision(ctx, e.pWorker, r.ID, tropic.ReferralDecision{Kind: "cg", Date: "2025-08-01", Outcome: tropic.CGVictimSlavery}, 4); err != nil {
			t.Fatalf("a CG after the recovery period: %v", err)
		}
	})
}

// TestAPersonWhoMayBeAChildIsReferredAndStoredAsAChildWhateverTheAgeGroup: s.51 over
// the API's fields, where age_group and possibly_child are separate.
func TestAPersonWhoMayBeAChildIsReferredAndStoredAsAChildWhateverTheAgeGroup(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		for _, age := range []tropic.AgeGroup{tropic.AgeAdult, ""} {
			r := &tropic.Referral{AgeGroup: age, PossiblyChild: true, SubmittedOn: "2026-03-13", ChildrensServices: "Hertfordshire County Council",
				AgeAtExploitation: tropic.AgeAdult}
			err := e.referrals.CreateReferral(ctx, e.pWorker, e.c.Reference, e.victim, r)
			if tropic.ErrorFields(err)["age_at_exploitation"] == "" {
				t.Fatalf("age group %q, possibly a child, exploited as an adult: got %v, want refused on age_at_exploitation", age, err)
			}
			r.AgeAtExploitation = ""
			e.refer(t, e.pWorker, r)
			got, err := e.referrals.FindReferral(ctx, e.pWorker, r.ID)
			if err != nil || got.Route != tropic.RouteNRM || got.AgeGroup != tropic.AgeChild || !got.PossiblyChild || got.AgeAtExploitation != tropic.AgeChild {
				t.Fatalf("age group %q, possibly a child, no consent: got %+v, %v; want an NRM referral of a child exploited as a child", age, got, err)
			}
		}
		adult := nrmAdult("2026-03-13")
		adult.AgeAtExploitation = tropic.AgeChild // exploited as a child, referred as an adult
		e.refer(t, e.pWorker, adult)
		got, err := e.referrals.FindReferral(ctx, e.pWorker, adult.ID)
		if err != nil || got.AgeGroup != tropic.AgeAdult || got.AgeAtExploitation != tropic.AgeChild {
			t.Fatalf("an adult exploited as a child: got age group %q at exploitation %q, %v", got.AgeGroup, got.AgeAtExploitation, err)
		}
	})
}

// TestCountyLinesIsStoredAsCriminalExploitation: the flag brings the type with it on
// a referral (and on a case, through the same ExploitationSet).
func TestCountyLinesIsStoredAsCriminalExploitation(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		r := nrmAdult("2026-03-13")
		r.Exploitation = tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitNotSpecified}, CountyLines: true}
		e.refer(t, e.pWorker, r)
		got, err := e.referrals.FindReferral(ctx, e.pWorker, r.ID)
		if err != nil || !slices.Equal(got.Exploitation.Types, []tropic.ExploitationType{tropic.ExploitCriminal}) || !got.Exploitation.CountyLines {
			t.Fatalf("county lines: got %+v, %v; want criminal with county lines", got.Exploitation, err)
		}
	})
}

// TestTheResearchExportCountsAgeByTheCalendar: someone born on 1 March 2000 (a leap
// year) is 18 on 1 March 2018, though that is day 60 of 2018 and day 61 of 2000.
func TestTheResearchExportCountsAgeByTheCalendar(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		e.person(t, e.pWorker, e.c, tropic.Person{GivenName: "Mara", FamilyName: "Test", DateOfBirth: "2000-03-01"}, tropic.RolePotentialVictim)
		var link int64
		for _, cp := range e.find(t, e.pWorker, e.c.Reference).People {
			if cp.Person.DateOfBirth == "2000-03-01" {
				link = cp.ID
			}
		}
		r := nrmAdult("2018-03-01")
		if err := e.referrals.CreateReferral(ctx, e.pWorker, e.c.Reference, link, r); err != nil {
			t.Fatal(err)
		}
		recs, err := store.NewCampaignService(e.db).ExportRecords(ctx, admin)
		if err != nil || len(recs) != 1 {
			t.Fatalf("export: got %+v, %v; want one record", recs, err)
		}
		if recs[0].Age != 18 || recs[0].Year != 2018 {
			t.Fatalf("export: got age %d in %d, want 18 (on the day) in 2018", recs[0].Age, recs[0].Year)
		}
	})
}

// TestAgenciesOfTheNewKindsAreStored: the Home Office, the NCA and the GLAA.
func TestAgenciesOfTheNewKindsAreStored(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		for _, k := range []tropic.AgencyKind{tropic.AgencyHomeOffice, tropic.AgencyNCA, tropic.AgencyGLAA} {
			a := &tropic.Agency{Name: "Agency " + string(k), Kind: k, FirstResponder: k.FirstResponderDefault(), DutyToNotify: k.DutyToNotifyDefault()}
			if err := e.agencies.CreateAgency(ctx, admin, a); err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			got, err := e.agencies.FindAgencyByID(ctx, a.ID)
			if err != nil || got.Kind != k || !got.FirstResponder || !got.DutyToNotify {
				t.Fatalf("%s: got %+v, %v; want a first responder bound by the Duty to Notify", k, got, err)
			}
		}
	})
}
