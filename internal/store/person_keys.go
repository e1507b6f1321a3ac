package store

import (
	"context"
	"fmt"

	"tropic/internal/tropic"
)

// personKeysVersion names the rules the matcher's PersonKeys follows. Rows written by older rules
// (0: before migration 0007; 1: before names in other scripts were romanised, issue 18)
// are refilled by BackfillPersonKeys; raise it when the rules change.
const personKeysVersion = 2

// personKeys are the matcher's keys of a person (tropic.PersonMatcher.PersonKeys).
func (db *DB) personKeys(given, family, email string) tropic.PersonKeys {
	return db.personMatcher().PersonKeys(given, family, email)
}

// businessKey is the business-name identifier links are made on (tropic.PersonMatcher.BusinessKey).
func (db *DB) businessKey(name string) string { return db.personMatcher().BusinessKey(name) }

// personMatcher is Options.Matcher; a service that needs it on a DB opened without
// one is a wiring mistake, told at once.
func (db *DB) personMatcher() tropic.PersonMatcher {
	if db.matcher == nil {
		panic("store: this database was opened without Options.Matcher, which matching needs (see cmd/tropic/wire.go)")
	}
	return db.matcher
}

// scoringMatcher is the matcher with the name lists' entries in force as read in
// tx, so that every process scores with the lists as they stand now, scoring
// among as many people as there are (tropic.PersonMatcher.ForPeople).
func (tx *Tx) scoringMatcher(ctx context.Context) (tropic.PersonMatcher, error) {
	entries, err := loadNameEntries(ctx, tx, true)
	if err != nil {
		return nil, err
	}
	// about how many people there are: the highest id, one indexed read (people
	// merged away are counted, a small over-estimate)
	var people int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM people`).Scan(&people); err != nil {
		return nil, fmt.Errorf("count people: %w", err)
	}
	return tx.db.personMatcher().WithNames(entries).ForPeople(people), nil
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
		k := db.personKeys(p.given, p.family, p.email)
		if _, err := tx.Exec(ctx, `UPDATE people SET email_norm = ?, name_key = ?, surname_key = ?, keys_version = ? WHERE id = ?`,
			k.EmailNorm, k.NameKey, k.SurnameKey, personKeysVersion, p.id); err != nil {
			return 0, fmt.Errorf("key person: %w", err)
		}
	}
	return len(batch), tx.Commit()
}
