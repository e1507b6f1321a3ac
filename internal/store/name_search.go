package store

import (
	"context"
	"fmt"
)

// nameTermsSetting marks people's and aliases' search terms as rewritten with their
// joined keys (tropic.NameSearchTerms, issue 19 item 5).
const nameTermsSetting = "name_search_terms_version"

// BackfillNameSearchTerms rewrites the search terms of people and aliases stored
// before names were kept with their joined keys, in batches of backfillBatch, once:
// the settings row says it is done, so a later start reads nothing. Every write of a
// name (adding, correcting, the bulk loader) keeps the terms current itself. It
// returns how many names it rewrote; run it after migrating.
func BackfillNameSearchTerms(ctx context.Context, db *DB) (int, error) {
	if done, err := settingDone(ctx, db, nameTermsSetting); err != nil || done {
		return 0, err
	}
	total := 0
	for _, k := range []struct{ kind, query string }{
		{termPerson, `SELECT id, given_name || ' ' || family_name FROM people WHERE id > ? ORDER BY id LIMIT ?`},
		{termAlias, `SELECT id, alias FROM person_aliases WHERE id > ? ORDER BY id LIMIT ?`},
	} {
		var after int64
		for {
			n, last, err := backfillNameTerms(ctx, db, k.kind, k.query, after)
			total += n
			if err != nil || n < backfillBatch {
				if err != nil {
					return total, err
				}
				break
			}
			after = last
		}
	}
	return total, markSettingDone(ctx, db, nameTermsSetting)
}

func backfillNameTerms(ctx context.Context, db *DB, kind, query string, after int64) (int, int64, error) {
	tx, err := db.beginTx(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, query, after, backfillBatch)
	if err != nil {
		return 0, 0, fmt.Errorf("find names to index: %w", err)
	}
	type name struct {
		id   int64
		text string
	}
	var batch []name
	for rows.Next() {
		var n name
		if err := rows.Scan(&n.id, &n.text); err != nil {
			rows.Close()
			return 0, 0, err
		}
		batch = append(batch, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	var last int64
	for _, n := range batch {
		if err := setTerms(ctx, tx, kind, n.id, false, n.text); err != nil {
			return 0, 0, err
		}
		last = n.id
	}
	return len(batch), last, tx.Commit()
}
