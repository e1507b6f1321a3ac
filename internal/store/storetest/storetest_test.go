package storetest_test

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/store/storetest"
)

func TestOpen(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			tests := []struct {
				name string
				run  func(t *testing.T)
			}{
				{"A database is opened migrated, with the clock given", func(t *testing.T) {
					at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
					clock := storetest.NewClock(at)
					db := storetest.Open(t, d, store.Options{Now: clock.Now})
					if db.Dialect() != d {
						t.Fatalf("got dialect %q, want %q", db.Dialect(), d)
					}
					state, err := db.MigrationState(context.Background())
					if err != nil || state.Pending() {
						t.Fatalf("got %+v, %v; want a current schema", state, err)
					}
					if got := clock.Now(); !got.Equal(at) {
						t.Fatalf("got clock %v, want %v", got, at)
					}
					clock.Advance(time.Hour)
					if got := clock.Now(); !got.Equal(at.Add(time.Hour)) {
						t.Fatalf("got clock %v after an hour, want %v", got, at.Add(time.Hour))
					}
				}},
				{"Two databases opened in one test are separate", func(t *testing.T) {
					_, a := storetest.OpenURL(t, d)
					_, b := storetest.OpenURL(t, d)
					if a == b {
						t.Fatalf("got the same DSN %q twice, want two databases", a)
					}
				}},
				{"The database is removed when the test ends", func(t *testing.T) {
					var dsn string
					t.Run("inner", func(t *testing.T) {
						_, dsn = storetest.OpenURL(t, d)
						if !exists(t, d, dsn) {
							t.Fatalf("got no database at %s during the test, want one", dsn)
						}
					})
					if exists(t, d, dsn) {
						t.Fatalf("got a database at %s after the test, want it removed", dsn)
					}
				}},
			}
			for _, tt := range tests {
				t.Run(tt.name, tt.run)
			}
		})
	}
}

// exists reports whether the database at dsn is still there.
func exists(t *testing.T, d store.Dialect, dsn string) bool {
	t.Helper()
	if d == store.SQLite {
		_, err := os.Stat(dsn)
		return err == nil
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return db.PingContext(context.Background()) == nil
}
