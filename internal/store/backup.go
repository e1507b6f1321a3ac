package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupPostgres says that PostgreSQL is backed up with its own tools.
var ErrBackupPostgres = errors.New("tropic backup copies SQLite databases; for PostgreSQL use pg_dump (for example: pg_dump --format=custom --file=tropic.dump \"$TROPIC_DATABASE_URL\")")

// Backup writes a consistent copy of a live SQLite database to path with VACUUM INTO,
// which readers and writers may use while it runs. It refuses to overwrite a file.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s exists already; choose a new file name", path)
	}
	if _, err := db.write.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
