package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"

	"github.com/riverqueue/river/rivermigrate"
)

// migrateLockKey is the PostgreSQL advisory lock under which River's migrations run,
// so that several processes starting at once take turns (rivermigrate takes none).
// It is ASCII "TropRivr".
const migrateLockKey int64 = 0x54726f7052697672

// MigrationState says where River's schema stands against the migrations this
// binary's River knows.
type MigrationState struct {
	Current int   // highest applied version, 0 for none
	Known   int   // highest version this binary knows
	Pending []int // known versions not yet applied
}

// TooNew reports whether a newer River migrated the database.
func (s MigrationState) TooNew() bool { return s.Current > s.Known }

func newMigrator(d Dialect, db *sql.DB, log *slog.Logger) (*rivermigrate.Migrator[*sql.Tx], error) {
	drv, err := newDriver(d, db)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: log.With("component", "jobs")})
	if err != nil {
		return nil, fmt.Errorf("job queue migrations: %w", err)
	}
	return m, nil
}

// State reads which of River's migrations are applied.
func State(ctx context.Context, d Dialect, db *sql.DB) (MigrationState, error) {
	m, err := newMigrator(d, db, nil)
	if err != nil {
		return MigrationState{}, err
	}
	return state(ctx, m)
}

func state(ctx context.Context, m *rivermigrate.Migrator[*sql.Tx]) (MigrationState, error) {
	existing, err := m.ExistingVersions(ctx)
	if err != nil {
		return MigrationState{}, fmt.Errorf("read job queue schema version: %w", err)
	}
	var s MigrationState
	applied := map[int]bool{}
	for _, v := range existing {
		applied[v.Version] = true
		s.Current = max(s.Current, v.Version)
	}
	for _, v := range m.AllVersions() {
		s.Known = max(s.Known, v.Version)
		if !applied[v.Version] {
			s.Pending = append(s.Pending, v.Version)
		}
	}
	slices.Sort(s.Pending)
	return s, nil
}

// Migrate applies River's pending migrations and returns the versions applied. It
// refuses a database that a newer River has migrated. On PostgreSQL it holds an
// advisory lock meanwhile, so that processes starting together take turns.
func Migrate(ctx context.Context, d Dialect, db *sql.DB, log *slog.Logger) ([]int, error) {
	m, err := newMigrator(d, db, log)
	if err != nil {
		return nil, err
	}
	if d == Postgres {
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("job queue migrations: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
			return nil, fmt.Errorf("job queue migrations: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey) // the lock also ends with the session
	}
	s, err := state(ctx, m)
	if err != nil {
		return nil, err
	}
	if s.TooNew() {
		return nil, fmt.Errorf("the job queue schema is at version %d, newer than this tropic knows (%d): run a newer tropic", s.Current, s.Known)
	}
	if len(s.Pending) == 0 {
		return nil, nil
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("apply job queue migrations: %w", err)
	}
	applied := make([]int, 0, len(res.Versions))
	for _, v := range res.Versions {
		applied = append(applied, v.Version)
	}
	return applied, nil
}
