package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

// NameListService keeps the entries partnership administrators add to the name
// lists person matching reads (tropic.NameListService).
type NameListService struct{ db *DB }

var _ tropic.NameListService = (*NameListService)(nil)

// NewNameListService returns the name list service of db.
func NewNameListService(db *DB) *NameListService { return &NameListService{db: db} }

// NameEntries lists every entry, in force or withdrawn, oldest first.
func (s *NameListService) NameEntries(ctx context.Context) ([]tropic.NameEntry, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return loadNameEntries(ctx, tx, false)
}

// loadNameEntries reads the entries, only those in force when inForce.
func loadNameEntries(ctx context.Context, tx *Tx, inForce bool) ([]tropic.NameEntry, error) {
	q := `SELECT n.id, n.list, n.name, n.forms, n.source, COALESCE(a.name, ''), n.added_at, COALESCE(w.name, ''), n.withdrawn_at
		FROM name_entries n LEFT JOIN users a ON a.id = n.added_by LEFT JOIN users w ON w.id = n.withdrawn_by`
	if inForce {
		q += ` WHERE n.withdrawn_at IS NULL`
	}
	rows, err := tx.Query(ctx, q+` ORDER BY n.id`)
	if err != nil {
		return nil, fmt.Errorf("load name entries: %w", err)
	}
	defer rows.Close()
	var out []tropic.NameEntry
	for rows.Next() {
		var e tropic.NameEntry
		var forms string
		var withdrawn sql.NullTime
		if err := rows.Scan(&e.ID, &e.List, &e.Name, &forms, &e.Source, &e.AddedBy, &e.AddedAt, &e.WithdrawnBy, &withdrawn); err != nil {
			return nil, fmt.Errorf("scan name entry: %w", err)
		}
		e.Forms = strings.Split(forms, "\n")
		e.AddedAt = e.AddedAt.UTC()
		if withdrawn.Valid {
			e.WithdrawnAt = withdrawn.Time.UTC()
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddNameEntry checks the entry and adds it, audited in the same transaction.
func (s *NameListService) AddNameEntry(ctx context.Context, actor tropic.Actor, e tropic.NameEntry) (int64, error) {
	if err := tropic.CheckNameEntry(&e); err != nil {
		return 0, err
	}
	if err := tropic.MayChangeNameLists(actor); err != nil {
		return 0, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO name_entries (list, name, forms, source, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		e.List, e.Name, strings.Join(e.Forms, "\n"), e.Source, nullID(actor.UserID), tx.now).Scan(&id); err != nil {
		return 0, fmt.Errorf("add name entry: %w", err)
	}
	detail := fmt.Sprintf("added to %s: %s: %s (source: %s)", e.List, e.Name, strings.Join(e.Forms, ", "), e.Source)
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditNameListChanged, objectType: "name_entry", objectID: id, detail: detail}); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// WithdrawNameEntry stops the matcher reading an entry, audited in the same
// transaction; the row stays as history.
func (s *NameListService) WithdrawNameEntry(ctx context.Context, actor tropic.Actor, id int64) error {
	if err := tropic.MayChangeNameLists(actor); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var list, name string
	var withdrawn sql.NullTime
	err = tx.QueryRow(ctx, `SELECT list, name, withdrawn_at FROM name_entries WHERE id = ?`, id).Scan(&list, &name, &withdrawn)
	switch {
	case err == sql.ErrNoRows:
		return tropic.Errorf(tropic.ENOTFOUND, "There is no such entry in the name lists.")
	case err != nil:
		return fmt.Errorf("find name entry: %w", err)
	case withdrawn.Valid:
		return tropic.Errorf(tropic.ECONFLICT, "This entry was withdrawn already.")
	}
	// withdrawn_at IS NULL: of two administrators withdrawing at once, one withdraws
	res, err := tx.Exec(ctx, `UPDATE name_entries SET withdrawn_by = ?, withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL`, nullID(actor.UserID), tx.now, id)
	if err != nil {
		return fmt.Errorf("withdraw name entry: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "This entry was withdrawn already.")
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditNameListChanged, objectType: "name_entry", objectID: id,
		detail: fmt.Sprintf("withdrawn from %s: %s", list, name)}); err != nil {
		return err
	}
	return tx.Commit()
}
