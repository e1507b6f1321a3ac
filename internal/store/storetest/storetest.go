// Package storetest opens fresh, migrated Tropic databases for tests: a SQLite file in
// the test's temporary directory, or a throwaway PostgreSQL database created through
// TROPIC_TEST_POSTGRES_URL and dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"tropic/internal/auth"

	"tropic/internal/linkage"
	"tropic/internal/store"
)

// PostgresURLEnv names the variable holding a PostgreSQL URL whose role may create
// databases. When it is empty, only SQLite is tested.
const PostgresURLEnv = "TROPIC_TEST_POSTGRES_URL"

// skipOnce logs the PostgreSQL skip once per test binary, not once per test.
var skipOnce sync.Once

// Dialects returns the dialects to test: SQLite always, PostgreSQL when
// TROPIC_TEST_POSTGRES_URL is set.
func Dialects(t testing.TB) []store.Dialect {
	t.Helper()
	if os.Getenv(PostgresURLEnv) == "" {
		skipOnce.Do(func() { t.Log("PostgreSQL tests skipped: set " + PostgresURLEnv) })
		return []store.Dialect{store.SQLite}
	}
	return []store.Dialect{store.SQLite, store.Postgres}
}

// Open returns a fresh, migrated database of dialect d, closed (and for PostgreSQL
// dropped) when the test ends. opts, if given, sets the clock; the matcher is the
// default linkage one unless opts names another.
func Open(t testing.TB, d store.Dialect, opts ...store.Options) *store.DB {
	t.Helper()
	db, _ := OpenURL(t, d, opts...)
	return db
}

// OpenURL is Open that also returns the database's DSN (a file path for SQLite, a
// postgres:// URL for PostgreSQL), so that a test can open a second handle or start a
// second process on the same database.
func OpenURL(t testing.TB, d store.Dialect, opts ...store.Options) (db *store.DB, dsn string) {
	t.Helper()
	if len(opts) > 1 {
		t.Fatalf("storetest.OpenURL: got %d options, want at most 1", len(opts))
	}
	var o store.Options
	if len(opts) == 1 {
		o = opts[0]
	}
	if o.Matcher == nil {
		o.Matcher = linkage.DefaultMatcher() // as cmd/tropic wires it
	}
	if o.FollowUpCodes == nil {
		// Sealed as cmd/tropic seals them, at a token cost: tests make many reports.
		o.FollowUpCodes = auth.Passwords{Params: auth.DemoFollowUpCodeParams}
	}
	dsn = newMigratedDatabase(t, d)
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, o)
	if err != nil {
		t.Fatalf("open %s test database: %v", d, err)
	}
	// Registered after the database's own cleanup, so it runs first: close, then drop.
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close %s test database: %v", d, err)
		}
	})
	// The copy is already at the newest version; this checks it, and would apply any
	// migration the template lacked.
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s test database: %v", d, err)
	}
	return db, dsn
}

// NewDatabase creates an empty database of dialect d, without opening or migrating
// it, and returns its DSN. SQLite files live in t.TempDir(); a PostgreSQL database is
// dropped (with any connections still open to it) when the test ends.
func NewDatabase(t testing.TB, d store.Dialect) string {
	t.Helper()
	switch d {
	case store.SQLite:
		return filepath.Join(t.TempDir(), "tropic.db")
	case store.Postgres:
		return newPostgresDatabase(t)
	}
	t.Fatalf("storetest: unknown dialect %q", d)
	return ""
}

func newPostgresDatabase(t testing.TB) string {
	t.Helper()
	return newPostgresDatabaseFrom(t, "")
}

// newPostgresDatabaseFrom creates a database copied from template, or an empty one
// when template is "".
func newPostgresDatabaseFrom(t testing.TB, template string) string {
	t.Helper()
	admin := os.Getenv(PostgresURLEnv)
	if admin == "" {
		t.Fatalf("storetest: PostgreSQL asked for but %s is not set", PostgresURLEnv)
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("storetest: parse %s: %v", PostgresURLEnv, err)
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("storetest: random name: %v", err)
	}
	name := "tropic_test_" + hex.EncodeToString(b)

	// The names are made here of hex digits only, so they are safe to splice in.
	create := `CREATE DATABASE ` + name
	if template != "" {
		create += ` TEMPLATE ` + template
	}
	if err := adminExec(admin, create); err != nil {
		t.Fatalf("storetest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// FORCE ends connections a test left open, such as a second server process's.
		// It cannot end one of a role the test's role may not signal (autovacuum
		// working on the database as the superuser): that one ends soon, so try again.
		var err error
		for try := 0; try < 20; try++ {
			if err = adminExec(admin, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err == nil || !strings.Contains(err.Error(), "42501") {
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
		if err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// adminExec runs one statement on a short-lived connection to the admin URL, so that
// parallel tests do not each hold one open for their whole run.
func adminExec(admin, stmt string) error {
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = conn.ExecContext(ctx, stmt)
	return err
}

// Clock is a settable clock for store.Options.Now, safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// adminExists reports whether a database of that name exists.
func adminExists(admin, name string) (bool, error) {
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var n int
	err = conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n)
	return n > 0, err
}
