package store

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// MigrationState says where the schema stands against the migrations this binary knows.
type MigrationState struct {
	Current int64 // applied in the database
	Known   int64 // the newest this binary has
}

// Pending reports whether migrations remain to apply.
func (s MigrationState) Pending() bool { return s.Current < s.Known }

// TooNew reports whether the database was migrated by a newer Tropic.
func (s MigrationState) TooNew() bool { return s.Current > s.Known }

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
		// Several processes may start at once against one database: an advisory
		// lock makes them take turns.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db.write, sub, opts...)
}

// SchemaDigest is a hash of dialect d's migrations, names and contents: two databases
// migrated by binaries with the same digest have the same schema. Tests use it to
// migrate once and copy the result (see storetest).
func SchemaDigest(d Dialect) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations, "migrations/"+string(d), func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := migrations.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("schema digest: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// MigrationState reads the applied and known schema versions.
func (db *DB) MigrationState(ctx context.Context) (MigrationState, error) {
	p, err := db.provider()
	if err != nil {
		return MigrationState{}, fmt.Errorf("migrations: %w", err)
	}
	cur, known, err := p.GetVersions(ctx)
	if err != nil {
		return MigrationState{}, fmt.Errorf("read schema version: %w", err)
	}
	return MigrationState{Current: cur, Known: known}, nil
}

// Migrate applies pending migrations and returns the versions applied. It refuses a
// database whose schema is newer than this binary knows.
func (db *DB) Migrate(ctx context.Context) ([]int64, error) {
	state, err := db.MigrationState(ctx)
	if err != nil {
		return nil, err
	}
	if state.TooNew() {
		return nil, fmt.Errorf("the database schema is at version %d, newer than this tropic knows (%d): run a newer tropic", state.Current, state.Known)
	}
	p, err := db.provider()
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}
