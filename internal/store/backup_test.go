package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestBackup(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := e.agency(t, "Police")
		e.user(t, a.ID, "one@example.org", tropic.RoleTriage)
		e.user(t, a.ID, "two@example.org", tropic.RoleAdmin, tropic.RoleAnalyst)
		dir := t.TempDir()

		tests := []struct {
			name string
			only store.Dialect
			run  func(t *testing.T)
		}{
			{"A backup opens as a current database holding the same users and an intact chain", store.SQLite, func(t *testing.T) {
				path := filepath.Join(dir, "copy.db")
				if err := e.db.Backup(ctx, path); err != nil {
					t.Fatalf("backup: %v", err)
				}
				// The live database goes on changing; the copy must not.
				e.user(t, a.ID, "three@example.org")

				copyDB, err := store.Open(ctx, path, store.Options{AuditKeys: testAuditKeys})
				if err != nil {
					t.Fatalf("open backup: %v", err)
				}
				t.Cleanup(func() { copyDB.Close() })
				state, err := copyDB.MigrationState(ctx)
				if err != nil || state.Pending() || state.TooNew() {
					t.Fatalf("got migration state %+v, %v; want current", state, err)
				}
				users, err := store.NewUserService(copyDB).FindUsers(ctx, tropic.UserFilter{IncludeDisabled: true})
				if err != nil {
					t.Fatalf("find users in backup: %v", err)
				}
				var got []string
				for _, u := range users {
					got = append(got, u.Email+":"+joinRoles(u.Roles))
				}
				if want := []string{"one@example.org:triage", "two@example.org:analyst,admin"}; !slices.Equal(got, want) {
					t.Fatalf("got users %q, want %q", got, want)
				}
				v, err := store.NewAuditService(copyDB).VerifyAudit(ctx)
				if err != nil || v.Events != 3 || v.Problem != nil {
					t.Fatalf("got %+v, %v; want 3 events and no problem", v, err)
				}
			}},
			{"A backup refuses to overwrite an existing file", store.SQLite, func(t *testing.T) {
				path := filepath.Join(dir, "exists.db")
				old := []byte("keep me")
				if err := os.WriteFile(path, old, 0o600); err != nil {
					t.Fatal(err)
				}
				if err := e.db.Backup(ctx, path); err == nil {
					t.Fatal("got no error, want a refusal to overwrite")
				}
				if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
					t.Fatalf("got file %q after the refusal, want %q unchanged", got, old)
				}
			}},
			{"A backup into a directory that does not exist fails", store.SQLite, func(t *testing.T) {
				if err := e.db.Backup(ctx, filepath.Join(dir, "missing", "copy.db")); err == nil {
					t.Fatal("got no error, want one")
				}
			}},
			{"PostgreSQL is not backed up by tropic", store.Postgres, func(t *testing.T) {
				if err := e.db.Backup(ctx, filepath.Join(dir, "pg.db")); !errors.Is(err, store.ErrBackupPostgres) {
					t.Fatalf("got %v, want ErrBackupPostgres", err)
				}
				if _, err := os.Stat(filepath.Join(dir, "pg.db")); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("got stat error %v, want no file written", err)
				}
			}},
		}
		for _, tt := range tests {
			if tt.only != d {
				continue
			}
			t.Run(tt.name, tt.run)
		}
	})
}
