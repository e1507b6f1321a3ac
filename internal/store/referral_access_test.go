package store_test

import (
	"context"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// TestOnlyCaseWorkersReadReferralsEvenOfTheirOwnAgency is hole 7 of issue 11 at the
// store: intake, triage, analyst and administrator users of the referring agency read
// the agency's NRM referrals (Home Office and crime references, notes, the case
// reference) through the API, which the pages refused. Now the store refuses them
// every referral exactly as a missing one, refuses them the list and the figures, and
// lets no one but the referring agency's case workers record a decision.
func TestOnlyCaseWorkersReadReferralsEvenOfTheirOwnAgency(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		nrm := nrmAdult("2026-03-10")
		nrm.HomeOfficeReference, nrm.CrimeReference = "HO-SECRET-1", "CR-SECRET-1"
		e.refer(t, e.pWorker, nrm)
		dtn := e.refer(t, e.pWorker, dtnAdult("2026-03-11"))
		as := func(a *tropic.Agency, email string, roles ...tropic.Role) tropic.Actor {
			u := &tropic.User{Email: email, Name: "Someone " + email, AgencyID: a.ID, Roles: roles}
			if err := e.users.CreateUser(context.Background(), admin, u, fakeHash); err != nil {
				t.Fatalf("create user %q: %v", email, err)
			}
			return tropic.ActorFor(u)
		}
		outsiders := map[string]tropic.Actor{
			"police intake":   as(e.police, "in.take@police.example", tropic.RoleIntake),
			"police admin":    as(e.police, "ad.min@police.example", tropic.RoleAdmin),
			"police triage":   e.pTriage,
			"police analyst":  as(e.police, "an.alyst@police.example", tropic.RoleAnalyst),
			"council worker":  e.cWorker,
			"council analyst": e.cAnalyst,
		}
		_, missing := e.referrals.FindReferral(ctx, e.pWorker, 999999)
		if tropic.ErrorCode(missing) != tropic.ENOTFOUND {
			t.Fatalf("a missing referral: got %v", missing)
		}
		for who, actor := range outsiders {
			for _, id := range []int64{nrm.ID, dtn.ID} {
				got, err := e.referrals.FindReferral(ctx, actor, id)
				if err == nil || err.Error() != missing.Error() {
					t.Errorf("%s reads referral %d: got %+v, %v; want exactly the missing answer", who, id, got, err)
				}
				err = e.referrals.RecordDecision(ctx, actor, id, tropic.ReferralDecision{Kind: "rg", Date: "2026-03-12", Outcome: tropic.RGPositive}, 1)
				if err == nil || err.Error() != missing.Error() {
					t.Errorf("%s records a decision on referral %d: got %v; want exactly the missing answer", who, id, err)
				}
			}
			if who == "council worker" {
				continue // a case worker of another agency: lists nothing of the police's
			}
			list, total, err := e.referrals.FindReferrals(ctx, actor, tropic.ReferralFilter{})
			if tropic.ErrorCode(err) != tropic.EFORBIDDEN || total != 0 || len(list) != 0 {
				t.Errorf("%s lists referrals: got %d (%v); want refused", who, total, err)
			}
			if _, _, err := e.referrals.Figures(ctx, actor); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
				t.Errorf("%s reads the decision times: got %v; want refused", who, err)
			}
		}
		if _, total, err := e.referrals.FindReferrals(ctx, e.cWorker, tropic.ReferralFilter{}); err != nil || total != 0 {
			t.Errorf("the council's case worker lists %d referrals (%v), want none", total, err)
		}

		// An agency that sees the case reads the NRM referral, but may not decide on it.
		e.share(t, e.pSuper, e.c, e.council.ID, tropic.ShareWhole, "")
		got, err := e.referrals.FindReferral(ctx, e.cWorker, nrm.ID)
		if err != nil || got.PersonName != "Ana Popescu" || got.Access != tropic.ReferralRead {
			t.Fatalf("an agency that sees the case: got %+v, %v; want the referral, to read", got, err)
		}
		err = e.referrals.RecordDecision(ctx, e.cWorker, nrm.ID, tropic.ReferralDecision{Kind: "rg", Date: "2026-03-12", Outcome: tropic.RGPositive}, got.Version)
		if tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("an agency that sees the case records a decision: got %v; want forbidden", err)
		}
		// The list, counted and paged in the database, says the same: the NRM
		// referral, not the Duty to Notify report.
		if list, total, err := e.referrals.FindReferrals(ctx, e.cWorker, tropic.ReferralFilter{}); err != nil || total != 1 || len(list) != 1 || list[0].ID != nrm.ID {
			t.Errorf("the council's case worker, with the case shared, lists %d referrals (%v), want only NRM referral %d", total, err, nrm.ID)
		}
		if _, err := e.referrals.FindReferral(ctx, e.cAnalyst, nrm.ID); err == nil || err.Error() != missing.Error() {
			t.Errorf("the council's analyst, with the case shared: got %v; want exactly the missing answer", err)
		}
		// The referring agency's case workers read and decide.
		if got, err := e.referrals.FindReferral(ctx, e.pWorker2, nrm.ID); err != nil || got.Access != tropic.ReferralDecide || got.HomeOfficeReference != "HO-SECRET-1" {
			t.Fatalf("the referring agency: got %+v, %v", got, err)
		}
	})
}
