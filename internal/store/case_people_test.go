package store_test

import (
	"slices"
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestPotentialVictimBecomesSuspectOnlyWithASupervisor(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "County lines, Hemel")
		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Jay", FamilyName: "Smith", ApproxAge: 16}, tropic.RolePotentialVictim)
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWhole, "")
		link := e.find(t, e.pWorker, c.Reference).People[0]

		_, err := e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleSuspect, " ")
		wantField(t, err, "reason")
		_, err = e.cases.ChangeRole(ctx, e.cWorker, link.ID, tropic.RoleSuspect, "seen dealing")
		wantCode(t, err, tropic.EFORBIDDEN)
		rc, err := e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleSuspect, "Seen dealing on his own account")
		if err != nil {
			t.Fatal(err)
		}
		if rc.Status != tropic.RoleChangeRequested || rc.PersonName != "Jay Smith" || rc.CaseReference != c.Reference {
			t.Fatalf("got %+v, want a request for Jay Smith", rc)
		}
		got := e.find(t, e.pWorker, c.Reference).People[0]
		if got.Role != tropic.RolePotentialVictim || got.PendingRole == nil || got.PendingRole.ID != rc.ID {
			t.Fatalf("got role %q pending %+v, want still a potential victim with the request pending", got.Role, got.PendingRole)
		}
		_, err = e.cases.ChangeRole(ctx, e.pSuper, link.ID, tropic.RoleSuspect, "again")
		wantCode(t, err, tropic.ECONFLICT)

		wantCode(t, e.cases.DecideRoleChange(ctx, e.pWorker, rc.ID, true, ""), tropic.EFORBIDDEN)
		wantCode(t, e.cases.DecideRoleChange(ctx, e.cSuper, rc.ID, true, ""), tropic.EFORBIDDEN) // sees the case, not the owner
		wantCode(t, e.cases.DecideRoleChange(ctx, e.pSuper, 987654, true, ""), tropic.ENOTFOUND)
		pending, err := e.cases.FindRoleChanges(ctx, e.pSuper, true)
		if err != nil || len(pending) != 1 || pending[0].ID != rc.ID {
			t.Fatalf("got %v, %v, want the one pending request", pending, err)
		}
		if other, _ := e.cases.FindRoleChanges(ctx, e.cSuper, true); len(other) != 0 {
			t.Fatalf("got %d requests for the council's supervisor, want none", len(other))
		}
		if err := e.cases.DecideRoleChange(ctx, e.pSuper, rc.ID, false, "He was compelled; keep as a victim"); err != nil {
			t.Fatal(err)
		}
		if got := e.find(t, e.pWorker, c.Reference).People[0]; got.Role != tropic.RolePotentialVictim || got.PendingRole != nil {
			t.Fatalf("got %+v, want still a potential victim after a decline", got)
		}
		wantCode(t, e.cases.DecideRoleChange(ctx, e.pSuper, rc.ID, true, ""), tropic.ECONFLICT)

		rc, err = e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleSuspect, "Recruiting other children")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.cases.DecideRoleChange(ctx, e.pSuper, rc.ID, true, "Agreed after review"); err != nil {
			t.Fatal(err)
		}
		if got := e.find(t, e.pWorker, c.Reference).People[0]; got.Role != tropic.RoleSuspect {
			t.Fatalf("got role %q, want suspect after approval", got.Role)
		}
		all, _ := e.cases.FindRoleChanges(ctx, e.pSuper, false)
		if len(all) != 2 || all[0].Status != tropic.RoleChangeApproved || all[0].DecidedBy != "Sam Super (Hertfordshire Constabulary)" || all[1].DecisionNote != "He was compelled; keep as a victim" {
			t.Fatalf("got %+v, want the approval and the decline recorded", all)
		}

		// Other changes apply at once, with or without a supervisor.
		rc, err = e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleWitness, "")
		if err != nil || rc.Status != tropic.RoleChangeApproved {
			t.Fatalf("got %+v, %v, want the change applied", rc, err)
		}
		if got := e.find(t, e.pWorker, c.Reference).People[0]; got.Role != tropic.RoleWitness {
			t.Fatalf("got role %q, want witness", got.Role)
		}
		_, err = e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleWitness, "")
		wantField(t, err, "role")
		acts := e.actions(t)
		for _, a := range []string{tropic.AuditRoleChangeAsked, tropic.AuditRoleChangeDeclined, tropic.AuditRoleChangeApproved, tropic.AuditRoleChanged} {
			if !slices.Contains(acts, a) {
				t.Errorf("got actions %v, want %q", acts, a)
			}
		}
	})
}

func TestAPotentialVictimCannotBecomeASuspectByWayOfAnotherRole(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Nail bar, Watford")
		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Mai", FamilyName: "Tran", ApproxAge: 24}, tropic.RolePotentialVictim)
		link := e.find(t, e.pWorker, c.Reference).People[0]
		if rc, err := e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleWitness, ""); err != nil || rc.Status != tropic.RoleChangeApproved {
			t.Fatalf("victim to witness: got %+v, %v, want it applied at once", rc, err)
		}
		_, err := e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleSuspect, "")
		wantField(t, err, "reason")
		rc, err := e.cases.ChangeRole(ctx, e.pWorker, link.ID, tropic.RoleSuspect, "Takes the money from the others")
		if err != nil || rc.Status != tropic.RoleChangeRequested {
			t.Fatalf("witness (once a victim) to suspect: got %+v, %v, want a request for a supervisor", rc, err)
		}
		if got := e.find(t, e.pWorker, c.Reference).People[0]; got.Role != tropic.RoleWitness {
			t.Fatalf("got role %q, want still a witness until a supervisor decides", got.Role)
		}
	})
}

func TestS45NoticeNamesTheAgencyToContactWithoutLeakingTheOtherCase(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		police := e.newCase(t, e.pWorker, "Cannabis grow in Letchworth")
		p := e.person(t, e.pWorker, police, tropic.Person{GivenName: "Minh", FamilyName: "Nguyen", ImmigrationStatus: "Undocumented"}, tropic.RoleSuspect)
		// The council, with a whole share, records him as a potential victim on its own case.
		sh := e.share(t, e.pSuper, police, e.council.ID, tropic.ShareWhole, "")
		council := e.newCase(t, e.cWorker, "Secret council safeguarding case")
		if err := e.cases.AddExistingPerson(ctx, e.cWorker, council.Reference, p.ID, tropic.RolePotentialVictim); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.cases.AddExistingPerson(ctx, e.cWorker, council.Reference, p.ID, tropic.RoleWitness), tropic.ECONFLICT)
		if err := e.cases.RevokeShare(ctx, e.pSuper, sh.ID); err != nil {
			t.Fatal(err)
		}

		got := e.find(t, e.pWorker, police.Reference)
		want := []tropic.S45Notice{{PersonID: p.ID, PersonName: "Minh Nguyen", ContactAgency: "Hertfordshire County Council", AgencyID: e.council.ID}}
		if !slices.Equal(got.Notices, want) {
			t.Fatalf("got notices %+v, want %+v", got.Notices, want)
		}
		_, err := e.cases.FindCase(ctx, e.pWorker, council.Reference)
		wantNotFoundLikeMissing(t, e, err)
		_, links, err := e.cases.FindPerson(ctx, e.pWorker, p.ID)
		if err != nil || len(links) != 1 || links[0].CaseReference != police.Reference {
			t.Fatalf("got links %+v, %v, want only the police case", links, err)
		}
		if hits, _ := e.cases.Search(ctx, e.pWorker, "secret council", 10); len(hits) != 0 {
			t.Fatalf("got %v, want the council's case unfindable by the police", hits)
		}
		// The council's case, where he is a potential victim, has no notice.
		if n := e.find(t, e.cWorker, council.Reference).Notices; len(n) != 0 {
			t.Fatalf("got notices %+v on the victim's case, want none", n)
		}
	})
}

func TestPersonMatchesAmongRecordsTheUserMaySee(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Car wash")
		anna := e.person(t, e.pWorker, c, tropic.Person{GivenName: "Anna", FamilyName: "Kowalska", Aliases: []string{"Ania"}, DateOfBirth: "1998-04-02", Phone: "07700 900123"}, tropic.RolePotentialVictim)
		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Piotr", FamilyName: "Nowak", DateOfBirth: "1990"}, tropic.RoleSuspect)
		other := e.newCase(t, e.cWorker, "Council case")
		e.person(t, e.cWorker, other, tropic.Person{GivenName: "Anna", FamilyName: "Kowalska"}, tropic.RolePotentialVictim)

		tests := []struct {
			name        string
			p           tropic.Person
			wantID      int64
			wantReasons []string
		}{
			{"The same date of birth matches", tropic.Person{GivenName: "A", DateOfBirth: "1998-04-02"}, anna.ID, []string{"same date of birth"}},
			{"The same phone in another format matches", tropic.Person{Phone: "+44 7700 900123"}, anna.ID, []string{"same phone number"}},
			{"The name with accents and in another order matches", tropic.Person{GivenName: "KOWALSKA", FamilyName: "Annà"}, anna.ID, []string{"name matches"}},
			{"An alias matches the name", tropic.Person{GivenName: "Ania"}, anna.ID, []string{"alias matches"}},
			{"The same year of birth with a similar name matches", tropic.Person{GivenName: "Piotr", FamilyName: "Nowakowski", DateOfBirth: "1990-06-01"}, 0, []string{"born the same year, with a similar name"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := e.cases.FindPersonMatches(ctx, e.pWorker, &tt.p)
				if err != nil || len(got) != 1 {
					t.Fatalf("got %+v, %v, want one match (the council's Anna is not the police's to see)", got, err)
				}
				if (tt.wantID != 0 && got[0].Person.ID != tt.wantID) || !slices.Equal(got[0].Reasons, tt.wantReasons) || !slices.Equal(got[0].Cases, []string{c.Reference}) {
					t.Fatalf("got %+v reasons %v cases %v, want person %d for %v on %s", got[0].Person, got[0].Reasons, got[0].Cases, tt.wantID, tt.wantReasons, c.Reference)
				}
			})
		}
		if got, _ := e.cases.FindPersonMatches(ctx, e.pWorker, &tropic.Person{GivenName: "Nobody", FamilyName: "Known"}); len(got) != 0 {
			t.Fatalf("got %+v, want no match", got)
		}
	})
}

func TestPersonIsInvisibleWithoutACase(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Car wash")
		p := e.person(t, e.pWorker, c, tropic.Person{GivenName: "Anna", Health: "Asthma"}, tropic.RolePotentialVictim)
		_, _, err := e.cases.FindPerson(ctx, e.cWorker, p.ID)
		_, _, missing := e.cases.FindPerson(ctx, e.cWorker, 987654)
		if tropic.ErrorCode(err) != tropic.ENOTFOUND || err.Error() != missing.Error() {
			t.Fatalf("got %v, want what a missing person answers, %v", err, missing)
		}
		wantCode(t, e.cases.AddExistingPerson(ctx, e.cWorker, e.newCase(t, e.cWorker, "x").Reference, p.ID, tropic.RoleWitness), tropic.ENOTFOUND)
		q := *p
		wantCode(t, e.cases.UpdatePerson(ctx, e.cWorker, &q), tropic.ENOTFOUND)
		err = e.cases.AddPerson(ctx, e.pWorker, c.Reference, &tropic.Person{GivenName: "X"}, "villain")
		wantField(t, err, "role")
		err = e.cases.AddPerson(ctx, e.pWorker, c.Reference, &tropic.Person{GivenName: "X", Phone: "not a phone"}, tropic.RoleWitness)
		wantField(t, err, "phone")
		got, _, err := e.cases.FindPerson(ctx, e.pWorker, p.ID)
		if err != nil || got.Health != "Asthma" || got.SensitiveHidden {
			t.Fatalf("got %+v, %v, want the owner to see health", got, err)
		}
		if !strings.Contains(strings.Join(e.actions(t), " "), tropic.AuditPersonViewed) {
			t.Fatal("want the person's view audited")
		}
	})
}
