package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// RemoveFromCase takes one item off a case with a reason, in one transaction: the row
// goes, its values go to a tombstone (case_removals) that the retention schedule
// disposes of, the timeline says what kind of item went and why, and the audit trail
// names the item and the tombstone by id. A replayed removal finds nothing to remove.
func (s *CaseService) RemoveFromCase(ctx context.Context, actor tropic.Actor, caseRef string, r tropic.Removal) error {
	if !r.Part.Valid() {
		return itemNotFound(r.Part)
	}
	if err := r.Validate(); err != nil {
		return err
	}
	k := correction{part: r.Part, itemID: r.ItemID, version: r.Version, action: tropic.AuditCasePartRemoved, withdrawn: string(r.Reason)}
	switch r.Part {
	case tropic.PartTask:
		k.may = mayChangeTask(ctx, actor, r.ItemID)
	case tropic.PartPerson:
		k.may = func(tx *Tx, c *tropic.Case, _ []*tropic.Share) error {
			was, err := wasVictimOnCase(ctx, tx, c.ID, r.ItemID)
			if err != nil {
				return err
			}
			return tropic.MayRemoveCaseLink(actor, c, was)
		}
	}
	k.apply = func(tx *Tx, c *tropic.Case, _ []*tropic.Share, w who) (string, error) {
		table := partTables[r.Part]
		record := map[string]any{}
		row, err := snapshotRows(ctx, tx, `SELECT * FROM `+table+` WHERE id = ?`, r.ItemID)
		if err != nil {
			return "", err
		}
		record[table] = row
		if err := s.beforeRemoval(ctx, tx, c, r, record); err != nil {
			return "", err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE id = ?`, r.ItemID); err != nil {
			return "", fmt.Errorf("remove %s: %w", r.Part.Label(), mapError(err))
		}
		if err := afterRemoval(ctx, tx, r, record); err != nil {
			return "", err
		}
		js, err := json.Marshal(record)
		if err != nil {
			return "", err
		}
		tomb, err := tx.insert(ctx, `INSERT INTO case_removals (case_id, part, item_id, reason, reason_text, record, removed_at, removed_by_user, removed_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, string(r.Part), r.ItemID, string(r.Reason), r.Detail, string(js), tx.now, nullID(actor.UserID), w.String())
		if err != nil {
			return "", fmt.Errorf("keep removed %s: %w", r.Part.Label(), err)
		}
		// The timeline names the kind of item, not its value: the value is the
		// tombstone's to keep and, in time, to dispose of.
		if err := insertRecord(ctx, tx, actor, w, c.ID, fmt.Sprintf("Removed a %s from the case: %s.", r.Part.Label(), r.Text())); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s %d removed (%s), tombstone %d", r.Part, r.ItemID, r.Reason, tomb), nil
	}
	return s.correct(ctx, actor, caseRef, k)
}

// beforeRemoval refuses a removal that would leave something pointing at nothing, and
// moves into record what goes with the item: for a person's link, its role history
// and the merge moves that name it.
func (s *CaseService) beforeRemoval(ctx context.Context, tx *Tx, c *tropic.Case, r tropic.Removal, record map[string]any) error {
	switch r.Part {
	case tropic.PartBusiness:
		return setTerms(ctx, tx, termBusiness, r.ItemID, false)
	case tropic.PartPerson:
	default:
		return nil
	}
	var person int64
	if err := tx.QueryRow(ctx, `SELECT person_id FROM case_people WHERE id = ?`, r.ItemID).Scan(&person); err != nil {
		return fmt.Errorf("find person on case: %w", err)
	}
	var orders, referrals int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_orders WHERE case_id = ? AND person_id = ?`, c.ID, person).Scan(&orders); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM referrals WHERE case_id = ? AND person_id = ?`, c.ID, person).Scan(&referrals); err != nil {
		return err
	}
	switch {
	case referrals > 0:
		return tropic.Errorf(tropic.ECONFLICT, "An NRM referral of this person is recorded on this case, so they cannot be taken off it. The referral stays with the case; record its withdrawal if it was made in error.")
	case orders > 0:
		return tropic.Errorf(tropic.ECONFLICT, "An order against this person is recorded on this case. Remove the order first, then take the person off the case.")
	}
	for _, t := range []string{"role_changes", "person_merge_moves"} {
		rows, err := snapshotRows(ctx, tx, `SELECT * FROM `+t+` WHERE case_person_id = ?`, r.ItemID)
		if err != nil {
			return err
		}
		record[t] = rows
		if _, err := tx.Exec(ctx, `DELETE FROM `+t+` WHERE case_person_id = ?`, r.ItemID); err != nil {
			return fmt.Errorf("clear %s: %w", t, err)
		}
	}
	return nil
}

// afterRemoval drops the open suggestions of a person taken off their last case: no
// case holds them now, so nobody can decide on them.
func afterRemoval(ctx context.Context, tx *Tx, r tropic.Removal, record map[string]any) error {
	if r.Part != tropic.PartPerson {
		return nil
	}
	rows, _ := record["case_people"].([]map[string]any)
	if len(rows) != 1 {
		return nil
	}
	person := rows[0]["person_id"]
	if _, err := tx.Exec(ctx, `DELETE FROM person_matches WHERE status = ? AND (person_a = ? OR person_b = ?)
		AND NOT EXISTS (SELECT 1 FROM case_people WHERE person_id = ?)`, string(tropic.MatchOpen), person, person, person); err != nil {
		return fmt.Errorf("drop suggestions: %w", err)
	}
	return nil
}

// snapshotRows reads rows as column → value, for a tombstone.
func snapshotRows(ctx context.Context, tx *Tx, query string, args ...any) ([]map[string]any, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read for tombstone: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := map[string]any{}
		for i, c := range cols {
			switch v := vals[i].(type) {
			case []byte:
				row[c] = string(v)
			case time.Time:
				row[c] = v.UTC().Format(time.RFC3339Nano)
			default:
				row[c] = v
			}
		}
		out = append(out, row)
	}
	return out, rows.Err()
}
