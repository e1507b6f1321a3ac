package store

import "context"

// MigrateTo applies the migrations up to version and no further, for tests of a
// migration's effect on rows written before it.
func MigrateTo(ctx context.Context, db *DB, version int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}
