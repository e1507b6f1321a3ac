package store_test

import (
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

var partnershipAdmin = tropic.SystemActor("name list test") // the system runs the partnership

// An administrator's entry is kept with its source, audited, listed as history when
// withdrawn, and only a partnership administrator may change the lists.
func TestNameEntriesAreAddedWithdrawnAndAudited(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		names := store.NewNameListService(e.db)
		entry := tropic.NameEntry{List: tropic.NameListFamiliar, Name: "Zenebech", Forms: []string{"Zeni", " Zene "}, Source: "Tigrinya interpreter"}
		if _, err := names.AddNameEntry(ctx, e.pWorker, entry); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Fatalf("a caseworker adding: %v, want forbidden", err)
		}
		if _, err := names.AddNameEntry(ctx, partnershipAdmin, tropic.NameEntry{List: tropic.NameListFamiliar, Name: "Zenebech"}); tropic.ErrorFields(err)["forms"] == "" {
			t.Fatalf("an entry without forms: %v, want a problem with forms", err)
		}
		id, err := names.AddNameEntry(ctx, partnershipAdmin, entry)
		if err != nil {
			t.Fatal(err)
		}
		got, err := names.NameEntries(ctx)
		if err != nil || len(got) != 1 || got[0].ID != id || got[0].Forms[1] != "Zene" || got[0].Source != "Tigrinya interpreter" || !got[0].InForce() {
			t.Fatalf("entries: %+v, %v", got, err)
		}
		if err := names.WithdrawNameEntry(ctx, e.pSuper, id); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Fatalf("a supervisor withdrawing: %v, want forbidden", err)
		}
		if err := names.WithdrawNameEntry(ctx, partnershipAdmin, id); err != nil {
			t.Fatal(err)
		}
		if err := names.WithdrawNameEntry(ctx, partnershipAdmin, id); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Fatalf("withdrawing again: %v, want a conflict", err)
		}
		if err := names.WithdrawNameEntry(ctx, partnershipAdmin, id+100); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("withdrawing no entry: %v, want not found", err)
		}
		got, _ = names.NameEntries(ctx)
		if len(got) != 1 || got[0].InForce() || got[0].WithdrawnAt.IsZero() {
			t.Fatalf("after withdrawing: %+v, want the entry kept as history", got)
		}
		raw := openRaw(t, d, e.dsn)
		var n int
		if err := raw.QueryRowContext(ctx, raw.q(`SELECT COUNT(*) FROM audit_events WHERE action = ? AND object_id = ?`), tropic.AuditNameListChanged, id).Scan(&n); err != nil || n != 2 {
			t.Fatalf("audit events of the entry: %d, %v; want 2 (added, withdrawn)", n, err)
		}
	})
}

// The store scores people with the entries in force: with the entry, two records of
// one woman, one by her familiar form, are suggested and told so; after it is
// withdrawn, records added later are scored without it.
func TestPersonMatchingReadsTheNameEntriesInForce(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		names := store.NewNameListService(e.db)
		id, err := names.AddNameEntry(ctx, partnershipAdmin, tropic.NameEntry{List: tropic.NameListFamiliar, Name: "Zenebech", Forms: []string{"Zeni"}, Source: "interpreter"})
		if err != nil {
			t.Fatal(err)
		}
		first := e.newCase(t, e.pWorker, "Nail bar")
		e.person(t, e.pWorker, first, tropic.Person{GivenName: "Zenebech", FamilyName: "Tekle", DateOfBirth: "1994-03-09"}, tropic.RolePotentialVictim)
		second := e.newCase(t, e.pWorker, "Hand car wash")
		e.person(t, e.pWorker, second, tropic.Person{GivenName: "Zeni", FamilyName: "Tekle", DateOfBirth: "1994-03-09"}, tropic.RolePotentialVictim)
		if got := only(t, e.suggestions(t, e.pWorker, second.Reference)); !strings.Contains(got.Explanation, "familiar form of Zenebech") {
			t.Fatalf("with the entry: %q, want the familiar form told", got.Explanation)
		}
		if err := names.WithdrawNameEntry(ctx, partnershipAdmin, id); err != nil {
			t.Fatal(err)
		}
		third := e.newCase(t, e.pWorker, "Farm")
		e.person(t, e.pWorker, third, tropic.Person{GivenName: "Zeni", FamilyName: "Tekle", DateOfBirth: "1994-03-09"}, tropic.RolePotentialVictim)
		for _, s := range e.suggestions(t, e.pWorker, third.Reference) {
			if strings.Contains(s.Explanation, "familiar form") {
				t.Errorf("after withdrawing: %q", s.Explanation)
			}
		}
	})
}
