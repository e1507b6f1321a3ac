package web

import (
	"context"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// The authorisation matrix's rows for the data protection officer's audit search.

// mayAuditSearch: only a data protection officer, of any agency.
func mayAuditSearch(u *matrixUser) expect {
	if u.role == tropic.RoleDPO {
		return allowed
	}
	return refused
}

func auditPageRows() []matrixRow {
	return append(misusePageRows(),
		matrixRow{name: "GET /audit", rule: mayAuditSearch, path: fixed("/audit?action=case.")},
		matrixRow{name: "POST /audit/export", rule: mayAuditSearch, path: fixed("/audit/export"), body: formBody("action", "case.viewed")},
	)
}

// freshAlert raises a new misuse alert: A's caseworker views a new person on A's other
// case who has their own name.
func (f *matrixFixture) freshAlert() {
	f.t.Helper()
	ctx := context.Background()
	p := &tropic.Person{GivenName: "Caseworker", FamilyName: "A"}
	f.must(f.cases.AddPerson(ctx, f.aWorker, f.otherRef, p, tropic.RoleWitness))
	_, _, err := f.cases.FindPerson(ctx, f.aWorker, p.ID)
	f.must(err)
	misuse := f.ts.srv.deps.Misuse.(*store.MisuseService)
	now := f.ts.clock.Now()
	_, err = misuse.DetectMisuse(ctx, tropic.SystemActor("misuse alerts"), now.Add(-time.Hour), now.Add(time.Hour))
	f.must(err)
	for _, u := range f.users {
		if u.role == tropic.RoleDPO {
			open, err := misuse.FindMisuseAlerts(ctx, u.actor(), true)
			f.must(err)
			f.alertID = open[0].ID
			return
		}
	}
}

func misusePageRows() []matrixRow {
	return []matrixRow{
		{name: "GET /audit/alerts", rule: mayAuditSearch, path: fixed("/audit/alerts")},
		{name: "POST /audit/alerts/{id}", rule: mayAuditSearch, before: func(f *matrixFixture, _ *matrixUser) { f.freshAlert() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/audit/alerts/%d", f.alertID, missing)
			},
			body: formBody("status", "explained", "note", "Matrix: a witness with the same name")},
	}
}
