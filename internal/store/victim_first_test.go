package store_test

import (
	"slices"
	"testing"

	"tropic/internal/phone"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// rolesOf lists the roles a case shows for the people named given (by given name).
func rolesOf(t *testing.T, e *matchEnv, actor tropic.Actor, ref, given string) []tropic.PersonRole {
	t.Helper()
	var out []tropic.PersonRole
	for _, cp := range e.find(t, actor, ref).People {
		if cp.Person.GivenName == given {
			out = append(out, cp.Role)
		}
	}
	return out
}

func hasRole(roles []tropic.PersonRole, r tropic.PersonRole) bool { return slices.Contains(roles, r) }

// recordAgain is the detour of the attack: the person of p recorded again on case a
// as a suspect, that record put on a second case in role, and the one suggestion
// made there (the first record).
func recordAgain(t *testing.T, e *matchEnv, a *tropic.Case, p tropic.Person, role tropic.PersonRole) (*tropic.Case, tropic.PersonSuggestion) {
	t.Helper()
	again := e.person(t, e.pWorker, a, p, tropic.RoleSuspect)
	b := e.newCase(t, e.pWorker, "Second case of "+p.GivenName)
	if err := e.cases.AddExistingPerson(ctx, e.pWorker, b.Reference, again.ID, role); err != nil {
		t.Fatal(err)
	}
	return b, only(t, e.suggestions(t, e.pWorker, b.Reference))
}

// The attack of issue 11 hole 5: a supervisor declines making a potential victim a
// suspect; the caseworker records the person again as a suspect on the same case,
// puts that record on a second case and, from there, merges the victim's record
// into it. Before the fix the victim's row was hidden behind the suspect row, with
// no role change recorded. Now the merge becomes a request for the owner's supervisor.
func TestAMergeCannotHideAPotentialVictimBehindASuspectRecord(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		a := e.newCase(t, e.pWorker, "County lines, Hemel")
		jay := tropic.Person{GivenName: "Jay", FamilyName: "Smith", DateOfBirth: "2008-05-06", Phone: "07700 900456"}
		e.person(t, e.pWorker, a, jay, tropic.RolePotentialVictim)
		link := e.find(t, e.pWorker, a.Reference).People[0]
		rc, err := e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleSuspect, "Seen dealing on his own account")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.cases.DecideRoleChange(ctx, e.pSuper, rc.ID, false, "He was compelled; keep as a victim"); err != nil {
			t.Fatal(err)
		}

		// The detour: the same person again, as a suspect, on the same case and a second one.
		b, m := recordAgain(t, e, a, jay, tropic.RoleSuspect)
		err = e.matches.Decide(ctx, e.pWorker, b.Reference, m.ID, tropic.DecideMerge, "One boy, recorded twice")
		wantCode(t, err, tropic.ECONFLICT)

		if roles := rolesOf(t, e, e.pWorker, a.Reference, "Jay"); !hasRole(roles, tropic.RolePotentialVictim) {
			t.Fatalf("case %s shows Jay as %v, want still a potential victim", a.Reference, roles)
		}
		if got := e.rows(t, `SELECT COUNT(*) FROM people WHERE merged_into IS NOT NULL`); got[0] != "0" {
			t.Fatalf("got %s merged people, want none until a supervisor decides", got[0])
		}
		pending, err := e.cases.FindRoleChanges(ctx, e.pSuper, true)
		if err != nil || len(pending) != 1 || pending[0].CasePersonID != link.ID || pending[0].From != tropic.RolePotentialVictim ||
			pending[0].To != tropic.RoleSuspect || pending[0].CaseReference != a.Reference {
			t.Fatalf("got %+v, %v, want one request: Jay's row on %s, potential victim to suspect", pending, err, a.Reference)
		}
		// Asking twice does not queue twice.
		wantCode(t, e.matches.Decide(ctx, e.pWorker, b.Reference, m.ID, tropic.DecideMerge, "One boy, recorded twice"), tropic.ECONFLICT)
		if again, _ := e.cases.FindRoleChanges(ctx, e.pSuper, true); len(again) != 1 {
			t.Fatalf("got %d pending requests, want 1", len(again))
		}

		// Once a supervisor approves, the merge hides nothing and goes through.
		if err := e.cases.DecideRoleChange(ctx, e.pSuper, pending[0].ID, true, "Agreed after review"); err != nil {
			t.Fatal(err)
		}
		if err := e.matches.Decide(ctx, e.pWorker, b.Reference, m.ID, tropic.DecideMerge, "One boy, recorded twice"); err != nil {
			t.Fatal(err)
		}
		if roles := rolesOf(t, e, e.pWorker, a.Reference, "Jay"); len(roles) != 1 || roles[0] != tropic.RoleSuspect {
			t.Fatalf("got %v, want Jay once, as a suspect, after approval and merge", roles)
		}
	})
}

// A merge hides a row that was once a potential victim's (since made a witness)
// behind a suspect row: the detour through another role does not avoid a supervisor.
func TestAMergeCannotHideAOnceVictimWitnessBehindASuspect(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		a := e.newCase(t, e.pWorker, "Nail bar, Watford")
		mai := tropic.Person{GivenName: "Mai", FamilyName: "Tran", DateOfBirth: "1999-02-03"}
		e.person(t, e.pWorker, a, mai, tropic.RolePotentialVictim)
		link := e.find(t, e.pWorker, a.Reference).People[0]
		if _, err := e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleWitness, ""); err != nil {
			t.Fatal(err)
		}
		b, m := recordAgain(t, e, a, mai, tropic.RoleWitness)
		wantCode(t, e.matches.Decide(ctx, e.pWorker, b.Reference, m.ID, tropic.DecideMerge, "Same woman"), tropic.ECONFLICT)
		if roles := rolesOf(t, e, e.pWorker, a.Reference, "Mai"); !hasRole(roles, tropic.RoleWitness) {
			t.Fatalf("got %v, want the witness row still shown", roles)
		}
		if p, _ := e.cases.FindRoleChanges(ctx, e.pSuper, true); len(p) != 1 || p[0].From != tropic.RoleWitness || p[0].To != tropic.RoleSuspect {
			t.Fatalf("got %+v, want a request witness to suspect", p)
		}
	})
}

// Four eyes: a user who is both caseworker and supervisor may not approve their own
// request, whether it came from a role change or a merge; another supervisor may.
func TestASupervisorMayNotApproveTheirOwnRoleChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		u := &tropic.User{Email: "bo.th@police.example", Name: "Bo Both", AgencyID: e.police.ID, Roles: []tropic.Role{tropic.RoleCaseworker, tropic.RoleSupervisor}}
		if err := e.users.CreateUser(ctx, admin, u, fakeHash); err != nil {
			t.Fatal(err)
		}
		both := tropic.ActorFor(u)
		a := e.newCase(t, both, "Car wash, Hatfield Road")
		e.person(t, both, a, tropic.Person{GivenName: "Ion", FamilyName: "Popa", ApproxAge: 30}, tropic.RolePotentialVictim)
		link := e.find(t, both, a.Reference).People[0]
		rc, err := e.cases.ChangeRole(ctx, both, link.ID, tropic.RoleSuspect, "Runs the rota")
		if err != nil || rc.Status != tropic.RoleChangeRequested {
			t.Fatalf("got %+v, %v, want a request even from a supervisor", rc, err)
		}
		wantCode(t, e.cases.DecideRoleChange(ctx, both, rc.ID, true, "Mine, approved"), tropic.EFORBIDDEN)
		if got := e.find(t, both, a.Reference).People[0]; got.Role != tropic.RolePotentialVictim {
			t.Fatalf("got role %q, want still a potential victim", got.Role)
		}
		if err := e.cases.DecideRoleChange(ctx, e.pSuper, rc.ID, true, "Agreed"); err != nil {
			t.Fatalf("another supervisor approves: %v", err)
		}
		if got := e.find(t, both, a.Reference).People[0]; got.Role != tropic.RoleSuspect {
			t.Fatalf("got role %q, want suspect after another supervisor approved", got.Role)
		}
	})
}

// Linking two records of one person changes no role: each row keeps its own, and the
// victim row still shows on its case.
func TestLinkingRecordsChangesNoRole(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		a := e.newCase(t, e.pWorker, "County lines, Hemel")
		jay := tropic.Person{GivenName: "Jay", FamilyName: "Smith", DateOfBirth: "2008-05-06"}
		e.person(t, e.pWorker, a, jay, tropic.RolePotentialVictim)
		const roles = `SELECT id, role FROM case_people ORDER BY id`
		b, m := recordAgain(t, e, a, jay, tropic.RoleSuspect)
		before := e.rows(t, roles)
		if err := e.matches.Decide(ctx, e.pWorker, b.Reference, m.ID, tropic.DecideLink, ""); err != nil {
			t.Fatal(err)
		}
		if got := e.rows(t, roles); !slices.Equal(got, before) {
			t.Fatalf("got %v, want roles unchanged %v", got, before)
		}
		if r := rolesOf(t, e, e.pWorker, a.Reference, "Jay"); !hasRole(r, tropic.RolePotentialVictim) {
			t.Fatalf("got %v, want the victim row still shown", r)
		}
	})
}

// Undoing a merge moves rows back with the roles they have: a row moved to the
// survivor keeps the victim-first guard, and its role, on the way back.
func TestUndoingAMergeChangesNoRoleAndKeepsTheGuard(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		a := e.newCase(t, e.pWorker, "Car wash")
		s := e.person(t, e.pWorker, a, jon, tropic.RoleSuspect)
		b := e.newCase(t, e.pWorker2, "Nail bar")
		e.person(t, e.pWorker2, b, john, tropic.RolePotentialVictim)
		m := only(t, e.suggestions(t, e.pWorker, a.Reference))
		if err := e.matches.Decide(ctx, e.pWorker, a.Reference, m.ID, tropic.DecideMerge, "One man, two spellings"); err != nil {
			t.Fatal(err)
		}
		moved := e.find(t, e.pWorker2, b.Reference).People[0]
		if moved.Person.ID != s.ID || moved.Role != tropic.RolePotentialVictim {
			t.Fatalf("got %+v, want the survivor on %s as a potential victim", moved, b.Reference)
		}
		rc, err := e.cases.ChangeRole(ctx, e.pWorker2, moved.ID, tropic.RoleSuspect, "Now a suspect, after the merge")
		if err != nil || rc.Status != tropic.RoleChangeRequested {
			t.Fatalf("got %+v, %v, want a request for a supervisor", rc, err)
		}
		if err := e.matches.UndoMerge(ctx, e.pWorker, a.Reference, m.ID, "Different men"); err != nil {
			t.Fatal(err)
		}
		back := e.find(t, e.pWorker2, b.Reference).People[0]
		if back.Person.ID == s.ID || back.Role != tropic.RolePotentialVictim || back.PendingRole == nil {
			t.Fatalf("got %+v, want the other record back, a potential victim, with the request still pending", back)
		}
	})
}

// The bulk loader has no supervisor: a person twice on one case, as potential victim
// and then suspect, is refused by the victim-first rule as Add reads it.
func TestBulkLoadRefusesAVictimAlsoASuspectOnOneCase(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		l, err := e.db.NewCaseLoader(ctx, phone.Parse, "bulk test", t0)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Abort()
		p := &tropic.Person{GivenName: "Ana", FamilyName: "Lupu", ApproxAge: 20}
		bc := &store.BulkCase{Case: tropic.Case{Title: "Bulk", District: "st-albans", OwnerAgencyID: e.police.ID,
			Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}},
			People: []store.BulkPerson{{Person: p, Role: tropic.RolePotentialVictim}, {Person: p, Role: tropic.RoleSuspect}}}
		wantCode(t, l.Add(ctx, bc), tropic.EFORBIDDEN)
	})
}
