package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/store/storetest"
)

func TestMigrate(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, d store.Dialect)
	}{
		{"An empty database has every known migration pending", func(t *testing.T, d store.Dialect) {
			db, err := store.Open(context.Background(), storetest.NewDatabase(t, d), store.Options{})
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			t.Cleanup(func() { db.Close() })
			state, err := db.MigrationState(context.Background())
			if err != nil {
				t.Fatalf("migration state: %v", err)
			}
			if state.Current != 0 || state.Known < 1 || !state.Pending() || state.TooNew() {
				t.Fatalf("got %+v (pending %v, too new %v), want current 0, known >= 1, pending", state, state.Pending(), state.TooNew())
			}
			applied, err := db.Migrate(context.Background())
			if err != nil {
				t.Fatalf("migrate: %v", err)
			}
			// Numbers may have gaps (each helper has a range), but rise and end at Known.
			if len(applied) == 0 || applied[len(applied)-1] != state.Known || !slices.IsSorted(applied) || len(slices.Compact(slices.Clone(applied))) != len(applied) {
				t.Fatalf("got applied %v, want rising migrations ending at %d", applied, state.Known)
			}
		}},
		{"A migrated database is current and migrating again applies nothing", func(t *testing.T, d store.Dialect) {
			db := storetest.Open(t, d)
			state, err := db.MigrationState(context.Background())
			if err != nil {
				t.Fatalf("migration state: %v", err)
			}
			if state.Current != state.Known || state.Pending() || state.TooNew() {
				t.Fatalf("got %+v, want current == known", state)
			}
			applied, err := db.Migrate(context.Background())
			if err != nil {
				t.Fatalf("migrate again: %v", err)
			}
			if len(applied) != 0 {
				t.Fatalf("got applied %v, want none", applied)
			}
		}},
		{"A database migrated by a newer tropic is refused", func(t *testing.T, d store.Dialect) {
			db, dsn := storetest.OpenURL(t, d)
			state, err := db.MigrationState(context.Background())
			if err != nil {
				t.Fatalf("migration state: %v", err)
			}
			raw := openRaw(t, d, dsn)
			raw.exec(t, fmt.Sprintf(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (%d, true)`, state.Known+1))

			state, err = db.MigrationState(context.Background())
			if err != nil {
				t.Fatalf("migration state: %v", err)
			}
			if !state.TooNew() || state.Current != state.Known+1 {
				t.Fatalf("got %+v, want current %d, too new", state, state.Known+1)
			}
			applied, err := db.Migrate(context.Background())
			if err == nil || !strings.Contains(err.Error(), "newer") {
				t.Fatalf("got applied %v, error %v; want an error saying the schema is newer", applied, err)
			}
		}},
	}
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				tt.run(t, d)
			})
		}
	})
}
