package store

import (
	"context"
	"fmt"
	"strings"

	"tropic/internal/linkage"
)

// personKeysVersion names the rules personKeys follows. Rows written by older rules
// (0: before migration 0007) are refilled by BackfillPersonKeys; raise it when the
// rules change.
const personKeysVersion = 1

// personKeyset is what the matcher blocks people on, besides phone and date of birth.
type personKeyset struct {
	emailNorm  string // linkage.NormaliseEmail
	nameKey    string // phonetic keys of given and family name, sorted: an order swap gives the same key
	surnameKey string // phonetic key of the family name
}

func personKeys(given, family, email string) personKeyset {
	k := personKeyset{emailNorm: linkage.NormaliseEmail(email), surnameKey: phoneticKey(family)}
	var parts []string
	for _, n := range []string{phoneticKey(given), k.surnameKey} {
		if n != "" {
			parts = append(parts, n)
		}
	}
	if len(parts) == 2 && parts[1] < parts[0] {
		parts[0], parts[1] = parts[1], parts[0]
	}
	k.nameKey = strings.Join(parts, " ")
	return k
}

// phoneticKey is the phonetic key of a whole name part, its words run together as
// linkage.Record.Prepare runs them ("Mary Ann" as "maryann").
func phoneticKey(name string) string {
	return linkage.Phonetic(strings.ReplaceAll(linkage.NormaliseName(name), " ", ""))
}

// backfillBatch is how many people one transaction of BackfillPersonKeys refills.
const backfillBatch = 500

// BackfillPersonKeys fills the matching keys of people written before the current
// rules (keys_version below personKeysVersion), such as those created before
// migration 0007, in batches of 500, and returns how many it filled. Run it after
// migrating; it does nothing once every row is current.
func BackfillPersonKeys(ctx context.Context, db *DB) (int, error) {
	total := 0
	for {
		n, err := backfillPersonKeys(ctx, db)
		total += n
		if err != nil {
			return total, err
		}
		if n < backfillBatch {
			return total, nil
		}
	}
}

func backfillPersonKeys(ctx context.Context, db *DB) (int, error) {
	tx, err := db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT id, given_name, family_name, email FROM people WHERE keys_version < ? ORDER BY id LIMIT ?`,
		personKeysVersion, backfillBatch)
	if err != nil {
		return 0, fmt.Errorf("find people to key: %w", err)
	}
	type person struct {
		id                   int64
		given, family, email string
	}
	var batch []person
	for rows.Next() {
		var p person
		if err := rows.Scan(&p.id, &p.given, &p.family, &p.email); err != nil {
			rows.Close()
			return 0, err
		}
		batch = append(batch, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, p := range batch {
		k := personKeys(p.given, p.family, p.email)
		if _, err := tx.Exec(ctx, `UPDATE people SET email_norm = ?, name_key = ?, surname_key = ?, keys_version = ? WHERE id = ?`,
			k.emailNorm, k.nameKey, k.surnameKey, personKeysVersion, p.id); err != nil {
			return 0, fmt.Errorf("key person: %w", err)
		}
	}
	return len(batch), tx.Commit()
}
