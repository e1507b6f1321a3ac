package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// referralEnv is a case env with a police case holding one potential victim and one
// suspect, and the referral service.
type referralEnv struct {
	*caseEnv
	referrals *store.ReferralService
	c         *tropic.Case
	victim    int64 // the victim's case-person link
	suspect   int64
}

func newReferralEnv(t *testing.T, d store.Dialect) *referralEnv {
	t.Helper()
	e := &referralEnv{caseEnv: newCaseEnv(t, d)}
	e.referrals = store.NewReferralService(e.db)
	e.c = e.newCase(t, e.pWorker, "Sparkle car wash")
	e.person(t, e.pWorker, e.c, tropic.Person{GivenName: "Ana", FamilyName: "Popescu", DateOfBirth: "1999-02-03", Email: "ana.popescu@example.org", Phone: "07700 900123"}, tropic.RolePotentialVictim)
	e.person(t, e.pWorker, e.c, tropic.Person{GivenName: "Viktor", FamilyName: "Boss"}, tropic.RoleSuspect)
	for _, cp := range e.find(t, e.pWorker, e.c.Reference).People {
		if cp.Role == tropic.RolePotentialVictim {
			e.victim = cp.ID
		} else {
			e.suspect = cp.ID
		}
	}
	return e
}

func nrmAdult(submitted string) *tropic.Referral {
	return &tropic.Referral{AgeGroup: tropic.AgeAdult, Consent: true, ConsentAt: submitted, SubmittedOn: submitted,
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}, Location: "uk",
		CompetentAuthority: "sca", SupportProvider: "The Salvation Army", Notes: "Interpreter: Romanian"}
}

func dtnAdult(submitted string) *tropic.Referral {
	return &tropic.Referral{AgeGroup: tropic.AgeAdult, SubmittedOn: submitted, Gender: "female", Nationality: "Romanian",
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}, Location: "uk"}
}

func (e *referralEnv) refer(t *testing.T, actor tropic.Actor, r *tropic.Referral) *tropic.Referral {
	t.Helper()
	person := e.victim
	if r.Route == tropic.RouteDtN || (!r.Consent && r.AgeGroup == tropic.AgeAdult && !r.PossiblyChild) {
		person = 0
	}
	if err := e.referrals.CreateReferral(ctx, actor, e.c.Reference, person, r); err != nil {
		t.Fatalf("create referral: %v", err)
	}
	return r
}

func TestAChildIsReferredIntoTheNRMWithoutConsentAndThePoliceGetATaskToRecordTheCrime(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		r := &tropic.Referral{AgeGroup: tropic.AgeChild, SubmittedOn: "2026-03-13", ChildrensServices: "Hertfordshire County Council", ICTG: true}
		if err := e.referrals.CreateReferral(ctx, e.cWorker, e.c.Reference, e.victim, r); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("an agency that cannot see the case: got %v, want not found", err)
		}
		e.refer(t, e.pWorker, r)
		if r.Route != tropic.RouteNRM || r.ID == 0 || r.CaseID != e.c.ID || r.PersonID == 0 || r.AgencyID != e.police.ID || r.Version != 1 {
			t.Fatalf("got %+v, want an NRM referral on the case by the police", r)
		}
		tasks, err := e.cases.FindTasks(ctx, e.pWorker, tropic.TaskFilter{MyAgency: true})
		if err != nil {
			t.Fatal(err)
		}
		// Saturday 14 March 2026: one working day on is Monday 16 March.
		want := fmt.Sprintf("Record the crime for NRM referral %d", r.ID)
		if len(tasks) != 1 || tasks[0].Title != want || tasks[0].AssignedAgency != e.police.ID || tasks[0].Due != "2026-03-16" || tasks[0].CaseID != e.c.ID {
			t.Fatalf("got tasks %+v, want one %q for the police due 2026-03-16", tasks, want)
		}
		acts := e.actions(t)
		if !slices.Contains(acts, tropic.AuditReferralCreated) || acts[len(acts)-1] != tropic.AuditCaseTaskAdded {
			t.Fatalf("got audit %v, want referral.created then case.task_added", acts)
		}
		for _, ev := range []string{e.lastEvent(t).Detail} {
			if strings.Contains(ev, "Ana") || strings.Contains(ev, "Popescu") {
				t.Fatalf("audit detail %q names the person", ev)
			}
		}

		withCrime := nrmAdult("2026-03-13")
		withCrime.CrimeReference = "41/12345/26"
		e.refer(t, e.pWorker, withCrime)
		if tasks, _ := e.cases.FindTasks(ctx, e.pWorker, tropic.TaskFilter{MyAgency: true}); len(tasks) != 1 {
			t.Fatalf("a referral with a crime reference: got %d tasks, want still 1", len(tasks))
		}
	})
}

func TestTheStoreAppliesTheConsentGateForTheActorsAgency(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		tests := []struct {
			name          string
			age           tropic.AgeGroup
			possiblyChild bool
			consent       bool
			fr, dtn       bool
			person        bool
			route         tropic.Route
			field         string
		}{
			{"a child without consent, by a first responder, goes into the NRM", tropic.AgeChild, false, false, true, true, true, tropic.RouteNRM, ""},
			{"an adult who may be a child, without consent, goes into the NRM", tropic.AgeAdult, true, false, true, false, true, tropic.RouteNRM, ""},
			{"a consenting adult, by a first responder, goes into the NRM", tropic.AgeAdult, false, true, true, false, true, tropic.RouteNRM, ""},
			{"an adult without consent, by a bound agency, is only notified", tropic.AgeAdult, false, false, true, true, false, tropic.RouteDtN, ""},
			{"an adult without consent, by an agency not bound, is refused", tropic.AgeAdult, false, false, true, false, false, "", "consent"},
			{"a child, by an agency that is not a first responder, is refused", tropic.AgeChild, false, false, false, true, true, "", "agency"},
			{"a consenting adult, by an agency that is not a first responder, is refused", tropic.AgeAdult, false, true, false, true, true, "", "agency"},
			{"an adult without consent, by a bound agency that is not a first responder, is notified", tropic.AgeAdult, false, false, false, true, false, tropic.RouteDtN, ""},
		}
		for i, tt := range tests {
			a := &tropic.Agency{Name: fmt.Sprintf("Agency %d", i), Kind: tropic.AgencyCharity, FirstResponder: tt.fr, DutyToNotify: tt.dtn}
			if err := e.agencies.CreateAgency(ctx, admin, a); err != nil {
				t.Fatal(err)
			}
			e.share(t, e.pSuper, e.c, a.ID, tropic.ShareWhole, "")
			u := e.user(t, a.ID, fmt.Sprintf("worker%d@agency.example", i))
			r := &tropic.Referral{AgeGroup: tt.age, PossiblyChild: tt.possiblyChild, Consent: tt.consent, SubmittedOn: "2026-03-13"}
			person := int64(0)
			if tt.person {
				person = e.victim
			}
			err := e.referrals.CreateReferral(ctx, tropic.ActorFor(u), e.c.Reference, person, r)
			if tt.field != "" {
				if tropic.ErrorFields(err)[tt.field] == "" {
					t.Errorf("%s: got %v, want refused on %q", tt.name, err, tt.field)
				}
				continue
			}
			if err != nil || r.Route != tt.route {
				t.Errorf("%s: got %q, %v; want %q", tt.name, r.Route, err, tt.route)
			}
		}
	})
}

func TestANRMReferralIsForAPotentialVictimOnTheCase(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		for _, person := range []int64{0, e.suspect, 999999} {
			err := e.referrals.CreateReferral(ctx, e.pWorker, e.c.Reference, person, nrmAdult("2026-03-13"))
			if tropic.ErrorFields(err)["person"] == "" {
				t.Errorf("case person %d: got %v, want refused on person", person, err)
			}
		}
		e.share(t, e.pSuper, e.c, e.council.ID, tropic.ShareWithoutSensitive, "")
		if err := e.referrals.CreateReferral(ctx, e.cWorker, e.c.Reference, e.victim, nrmAdult("2026-03-13")); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("a share without sensitive fields: got %v, want forbidden", err)
		}
		// An analyst sees no case, so the case they name answers as a missing one.
		if err := e.referrals.CreateReferral(ctx, e.cAnalyst, e.c.Reference, e.victim, nrmAdult("2026-03-13")); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("an analyst: got %v, want not found", err)
		}
	})
}

func TestADutyToNotifyReportRefusesIdentifyingFieldsAndStoresNoneOfThem(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		tests := []struct {
			name   string
			person int64
			set    func(r *tropic.Referral)
			field  string
		}{
			{"the person on the case", e.victim, func(*tropic.Referral) {}, "person"},
			{"a person id", 0, func(r *tropic.Referral) { r.PersonID = 1 }, "person"},
			{"a name", 0, func(r *tropic.Referral) { r.PersonName = "Ana Popescu" }, "person"},
			{"free text", 0, func(r *tropic.Referral) { r.Notes = "Ana, born 3 February 1999" }, "notes"},
			{"a crime reference", 0, func(r *tropic.Referral) { r.CrimeReference = "41/12345/26" }, "crime_reference"},
			{"a Home Office reference", 0, func(r *tropic.Referral) { r.HomeOfficeReference = "NRM-123" }, "home_office_reference"},
			{"a support provider", 0, func(r *tropic.Referral) { r.SupportProvider = "The Salvation Army" }, "support_provider"},
		}
		for _, tt := range tests {
			r := dtnAdult("2026-03-13")
			tt.set(r)
			err := e.referrals.CreateReferral(ctx, e.pWorker, e.c.Reference, tt.person, r)
			if tropic.ErrorCode(err) != tropic.EINVALID || tropic.ErrorFields(err)[tt.field] == "" {
				t.Errorf("%s: got %v, want refused on %q", tt.name, err, tt.field)
			}
		}
		r := e.refer(t, e.pWorker, dtnAdult("2026-03-13"))
		if r.Route != tropic.RouteDtN || r.CaseID != 0 || r.PersonID != 0 {
			t.Fatalf("got %+v, want a Duty to Notify report with no case or person", r)
		}
		// Read the stored row as it is: every column, as text.
		rows, err := e.db.SQL().QueryContext(ctx, `SELECT * FROM referrals`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		n := 0
		for rows.Next() {
			n++
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				s := ""
				if b, ok := v.([]byte); ok {
					s = strings.ToLower(string(b))
				} else if v != nil {
					s = strings.ToLower(fmt.Sprint(v))
				}
				switch cols[i] {
				case "case_id", "person_id":
					if v != nil {
						t.Errorf("column %s holds %v, want NULL", cols[i], v)
					}
				case "notes", "home_office_reference", "crime_reference", "support_provider", "childrens_services", "consent_at":
					if s != "" {
						t.Errorf("column %s holds %q, want nothing", cols[i], s)
					}
				}
				for _, bad := range []string{"ana", "popescu", "1999", "07700", "@example.org"} {
					if strings.Contains(s, bad) {
						t.Errorf("column %s holds %q, which identifies the person (%q)", cols[i], s, bad)
					}
				}
			}
		}
		if n != 1 {
			t.Fatalf("got %d rows, want 1", n)
		}
		// The database refuses a person on a DtN row too, whatever writes it.
		if _, err := e.db.SQL().ExecContext(ctx, rebind(d, `UPDATE referrals SET notes = ? WHERE id = ?`), "Ana", r.ID); err == nil {
			t.Fatal("writing free text on a DtN row: got no error, want the CHECK to refuse it")
		}
	})
}

// rebind writes ? placeholders as PostgreSQL's $n.
func rebind(d store.Dialect, q string) string {
	if d != store.Postgres {
		return q
	}
	for i := 1; strings.Contains(q, "?"); i++ {
		q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
	}
	return q
}

func TestDecisionsAreRecordedInOrderAgainstTheCurrentVersion(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		r := e.refer(t, e.pWorker, nrmAdult("2026-01-05"))
		cg := tropic.ReferralDecision{Kind: "cg", Date: "2026-03-01", Outcome: tropic.CGVictimSlavery}
		if err := e.referrals.RecordDecision(ctx, e.pWorker, r.ID, cg, 1); tropic.ErrorFields(err)["kind"] == "" {
			t.Fatalf("a CG before the RG: got %v, want refused on kind", err)
		}
		early := tropic.ReferralDecision{Kind: "rg", Date: "2026-01-04", Outcome: tropic.RGPositive}
		if err := e.referrals.RecordDecision(ctx, e.pWorker, r.ID, early, 1); tropic.ErrorFields(err)["date"] == "" {
			t.Fatalf("an RG before the referral: got %v, want refused on date", err)
		}
		rg := tropic.ReferralDecision{Kind: "rg", Date: "2026-01-09", Outcome: tropic.RGPositive}
		if err := e.referrals.RecordDecision(ctx, e.cWorker, r.ID, rg, 1); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("another agency: got %v, want not found", err)
		}
		if err := e.referrals.RecordDecision(ctx, e.pWorker, r.ID, rg, 1); err != nil {
			t.Fatalf("record RG: %v", err)
		}
		if err := e.referrals.RecordDecision(ctx, e.pWorker2, r.ID, cg, 1); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Fatalf("a stale version: got %v, want a conflict", err)
		}
		inRecovery := tropic.ReferralDecision{Kind: "cg", Date: "2026-02-01", Outcome: tropic.CGVictimSlavery}
		if err := e.referrals.RecordDecision(ctx, e.pWorker2, r.ID, inRecovery, 2); tropic.ErrorFields(err)["date"] == "" {
			t.Fatalf("a CG in the recovery period: got %v, want refused on date", err)
		}
		if err := e.referrals.RecordDecision(ctx, e.pWorker2, r.ID, cg, 2); err != nil {
			t.Fatalf("record CG: %v", err)
		}
		got, err := e.referrals.FindReferral(ctx, e.pWorker, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RGDate != "2026-01-09" || got.CGOutcome != tropic.CGVictimSlavery || got.Version != 3 || got.Status() != "cg_decided" {
			t.Fatalf("got %+v, want RG and CG recorded at version 3", got)
		}
		if !slices.Contains(e.actions(t), tropic.AuditReferralDecision) {
			t.Fatal("got no referral.decision_recorded audit event")
		}
	})
}

func TestReferralsAreSeenByTheReferringAgencyAndThoseWhoSeeTheCase(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		nrm := e.refer(t, e.pWorker, nrmAdult("2026-03-10"))
		dtn := e.refer(t, e.pWorker, dtnAdult("2026-03-11"))
		got, err := e.referrals.FindReferral(ctx, e.pWorker2, nrm.ID)
		if err != nil || got.PersonName != "Ana Popescu" || got.CaseReference != e.c.Reference {
			t.Fatalf("the referring agency: got %+v, %v; want the referral with the name", got, err)
		}
		_, missing := e.referrals.FindReferral(ctx, e.cWorker, 999999)
		for _, id := range []int64{nrm.ID, dtn.ID} {
			_, err := e.referrals.FindReferral(ctx, e.cWorker, id)
			if tropic.ErrorCode(err) != tropic.ENOTFOUND || err.Error() != missing.Error() {
				t.Fatalf("another agency, referral %d: got %v, want exactly not found", id, err)
			}
		}
		e.share(t, e.pSuper, e.c, e.council.ID, tropic.ShareWithoutSensitive, "")
		got, err = e.referrals.FindReferral(ctx, e.cWorker, nrm.ID)
		if err != nil || got.PersonName != "Ana Popescu" {
			t.Fatalf("an agency that sees the case: got %+v, %v; want the referral with the name", got, err)
		}
		if _, err := e.referrals.FindReferral(ctx, e.cWorker, dtn.ID); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("a DtN report for an agency that sees the case: got %v, want not found", err)
		}
		list, total, err := e.referrals.FindReferrals(ctx, e.cWorker, tropic.ReferralFilter{})
		if err != nil || total != 1 || list[0].ID != nrm.ID {
			t.Fatalf("the council's list: got %d (%v), want the NRM referral only", total, err)
		}
		list, total, _ = e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{})
		if total != 2 || list[0].ID != dtn.ID || list[1].ID != nrm.ID {
			t.Fatalf("the police's list: got %d, want both, newest first", total)
		}
		if _, total, _ := e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Route: tropic.RouteDtN}); total != 1 {
			t.Fatalf("by route: got %d, want 1", total)
		}
		if _, total, _ := e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Status: "notified"}); total != 1 {
			t.Fatalf("by status: got %d, want 1", total)
		}
	})
}

func TestTheWaitingListAndOverdueFilterFollowWorkingDays(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		// Today is Saturday 14 March 2026: a referral of Friday 6 March had its RG due on
		// Friday 13 March; one of Monday 9 March is due on Monday 16 March.
		late := e.refer(t, e.pWorker, nrmAdult("2026-03-06"))
		onTime := e.refer(t, e.pWorker, nrmAdult("2026-03-09"))
		decided := e.refer(t, e.pWorker, nrmAdult("2025-10-01"))
		if err := e.referrals.RecordDecision(ctx, e.pWorker, decided.ID, tropic.ReferralDecision{Kind: "rg", Date: "2025-10-06", Outcome: tropic.RGPositive}, 1); err != nil {
			t.Fatal(err)
		}
		e.refer(t, e.pWorker, dtnAdult("2026-03-01"))
		list, _, err := e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Overdue: true})
		if err != nil || len(list) != 1 || list[0].ID != late.ID {
			t.Fatalf("overdue: got %v, %v; want the referral of 6 March only", ids(list), err)
		}
		list, _, _ = e.referrals.FindReferrals(ctx, e.pWorker, tropic.ReferralFilter{Waiting: true})
		if want := []int64{decided.ID, late.ID, onTime.ID}; !slices.Equal(ids(list), want) {
			t.Fatalf("waiting: got %v, want %v (oldest first, no DtN)", ids(list), want)
		}

		if err := e.referrals.SetReminderEmail(ctx, e.pWorker, e.police.ID, "nrm@police.example"); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Fatalf("a caseworker sets the reminder address: got %v, want forbidden", err)
		}
		if err := e.referrals.SetReminderEmail(ctx, e.pSuper, e.police.ID, "not an address"); tropic.ErrorFields(err)["reminder_email"] == "" {
			t.Fatalf("a bad address: got %v, want refused", err)
		}
		if err := e.referrals.SetReminderEmail(ctx, e.pSuper, e.police.ID, "NRM@police.example"); err != nil {
			t.Fatal(err)
		}
		digests, err := e.referrals.FindReminderDigests(ctx, e.clock.Now(), 100)
		if err != nil {
			t.Fatal(err)
		}
		want := []tropic.ReminderDigest{{AgencyID: e.police.ID, AgencyName: e.police.Name, ReminderEmail: "nrm@police.example", OverdueRG: 1, LongCGWaits: 1}}
		if !slices.Equal(digests, want) {
			t.Fatalf("digests: got %+v, want %+v", digests, want)
		}
	})
}

func ids(rs []*tropic.Referral) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestFiguresGiveMedianAnd90thPercentileDaysForTheAgencyAndThePartnership(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		e.share(t, e.pSuper, e.c, e.council.ID, tropic.ShareWhole, "")
		decide := func(actor tropic.Actor, submitted, rg, cg string) {
			t.Helper()
			r := e.refer(t, actor, nrmAdult(submitted))
			if err := e.referrals.RecordDecision(ctx, actor, r.ID, tropic.ReferralDecision{Kind: "rg", Date: rg, Outcome: tropic.RGPositive}, 1); err != nil {
				t.Fatal(err)
			}
			if cg != "" {
				if err := e.referrals.RecordDecision(ctx, actor, r.ID, tropic.ReferralDecision{Kind: "cg", Date: cg, Outcome: tropic.CGVictimTrafficking}, 2); err != nil {
					t.Fatal(err)
				}
			}
		}
		decide(e.pWorker, "2025-01-06", "2025-01-10", "2025-03-11") // 4 days; CG 60 days later
		decide(e.pWorker, "2025-01-06", "2025-01-16", "")           // 10 days
		decide(e.cWorker, "2025-01-06", "2025-01-26", "2025-04-26") // 20 days; CG 90 days later
		e.refer(t, e.pWorker, nrmAdult("2026-03-10"))               // waiting
		e.refer(t, e.pWorker, dtnAdult("2026-03-10"))               // not in the figures
		mine, all, err := e.referrals.Figures(ctx, e.pWorker)
		if err != nil {
			t.Fatal(err)
		}
		wantMine := tropic.ReferralFigures{Referrals: 3, RGDecided: 2, RGMedianDays: 7, RGP90Days: 9.4, CGDecided: 1, CGMedianDays: 60, CGP90Days: 60}
		wantAll := tropic.ReferralFigures{Referrals: 4, RGDecided: 3, RGMedianDays: 10, RGP90Days: 18, CGDecided: 2, CGMedianDays: 75, CGP90Days: 87}
		if !near(mine, wantMine) || !near(all, wantAll) {
			t.Fatalf("got agency %+v and partnership %+v, want %+v and %+v", mine, all, wantMine, wantAll)
		}
	})
}

func near(a, b tropic.ReferralFigures) bool {
	close := func(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 }
	return a.Referrals == b.Referrals && a.RGDecided == b.RGDecided && a.CGDecided == b.CGDecided &&
		close(a.RGMedianDays, b.RGMedianDays) && close(a.RGP90Days, b.RGP90Days) && close(a.CGMedianDays, b.CGMedianDays) && close(a.CGP90Days, b.CGP90Days)
}

func TestHolidayChangesAreStoredAsTheKnownOneOffs(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newReferralEnv(t, d)
		got, err := e.referrals.HolidayChanges(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tropic.KnownHolidayChanges) {
			t.Fatalf("got %+v, want %+v", got, tropic.KnownHolidayChanges)
		}
	})
}
