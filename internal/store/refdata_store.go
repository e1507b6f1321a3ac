package store

import (
	"context"
	"fmt"

	"tropic/internal/tropic"
)

// ReferenceDataService keeps the settings edited in the browser and the "how did you
// hear" options (tropic.ReferenceDataService). A setting not stored is the default the
// service was made with: the server's flags, else the built-in value.
type ReferenceDataService struct {
	db       *DB
	defaults tropic.Settings
}

var _ tropic.ReferenceDataService = (*ReferenceDataService)(nil)

// NewReferenceDataService returns the service on db; what defaults leave out is the
// built-in default.
func NewReferenceDataService(db *DB, defaults tropic.Settings) *ReferenceDataService {
	return &ReferenceDataService{db: db, defaults: defaults.WithDefaults()}
}

// FindSettings returns the settings in force.
func (s *ReferenceDataService) FindSettings(ctx context.Context) (tropic.Settings, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return tropic.Settings{}, err
	}
	defer tx.Rollback()
	return s.settings(ctx, tx)
}

func (s *ReferenceDataService) settings(ctx context.Context, tx *Tx) (tropic.Settings, error) {
	out := s.defaults
	out.Stored = nil
	rows, err := tx.Query(ctx, `SELECT name, value FROM partnership_settings`)
	if err != nil {
		return out, fmt.Errorf("find settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return out, fmt.Errorf("scan setting: %w", err)
		}
		out.Apply(name, value)
	}
	return out, rows.Err()
}

// SetSetting changes a setting and records the change with the value it replaces.
func (s *ReferenceDataService) SetSetting(ctx context.Context, actor tropic.Actor, name, value string) error {
	value, err := tropic.NormaliseSetting(name, value)
	if err != nil {
		return err
	}
	if err := tropic.MayManageReferenceData(actor); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Two administrators saving at once: the second waits for the first (once the
	// setting is stored), and records the first's value as the old one.
	was := s.defaults.Value(name)
	var stored string
	err = tx.QueryRow(ctx, `SELECT value FROM partnership_settings WHERE name = ?`+tx.db.forUpdate(), name).Scan(&stored)
	if err == nil {
		was = stored
	} else if tropic.ErrorCode(mapError(err)) != tropic.ENOTFOUND {
		return fmt.Errorf("set %s: %w", name, err)
	}
	if was == value {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO partnership_settings (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value); err != nil {
		return fmt.Errorf("set %s: %w", name, err)
	}
	if err := recordReferenceChange(ctx, tx, actor, name, was, value); err != nil {
		return err
	}
	return tx.Commit()
}

// recordReferenceChange keeps a change in the history and the audit trail.
func recordReferenceChange(ctx context.Context, tx *Tx, actor tropic.Actor, name, old, new string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO reference_changes (name, old_value, new_value, changed_at, user_id, actor_label) VALUES (?, ?, ?, ?, ?, ?)`,
		name, old, new, tx.now, nullID(actor.UserID), actor.Label); err != nil {
		return fmt.Errorf("record reference change: %w", err)
	}
	detail := fmt.Sprintf("%s: %q to %q", name, old, new)
	if old == "" {
		detail = fmt.Sprintf("%s: added %q", name, new)
	}
	return appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReferenceChanged, objectType: "reference", detail: detail})
}

// FindHowHeardOptions lists every option, retired too, in their order.
func (s *ReferenceDataService) FindHowHeardOptions(ctx context.Context) ([]tropic.HowHeardOption, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findHowHeardOptions(ctx, tx)
}

func findHowHeardOptions(ctx context.Context, tx *Tx) ([]tropic.HowHeardOption, error) {
	rows, err := tx.Query(ctx, `SELECT code, label, retired, position FROM how_heard_options ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("find how-heard options: %w", err)
	}
	defer rows.Close()
	var out []tropic.HowHeardOption
	for rows.Next() {
		var o tropic.HowHeardOption
		if err := rows.Scan(&o.Code, &o.Label, &o.Retired, &o.Position); err != nil {
			return nil, fmt.Errorf("scan how-heard option: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// AddHowHeardOption adds an option at the end of the list.
func (s *ReferenceDataService) AddHowHeardOption(ctx context.Context, actor tropic.Actor, o tropic.HowHeardOption) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if err := tropic.MayManageReferenceData(actor); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.Exec(ctx, `INSERT INTO how_heard_options (code, label, position, retired)
		SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ? FROM how_heard_options WHERE TRUE ON CONFLICT (code) DO NOTHING`, o.Code, o.Label, false)
	if err != nil {
		return fmt.Errorf("add how-heard option: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("add how-heard option: %w", err)
	} else if n == 0 {
		msg := "There is an option with this code already: change its answer or bring it back instead"
		return &tropic.Error{Code: tropic.ECONFLICT, Message: msg, Fields: map[string]string{"code": msg}}
	}
	o.Retired = false
	if err := recordReferenceChange(ctx, tx, actor, tropic.HowHeardChange(o.Code), "", o.HistoryValue()); err != nil {
		return err
	}
	return tx.Commit()
}

// UpdateHowHeardOption changes an option's label and whether it is retired; its code
// stays, as reports hold it.
func (s *ReferenceDataService) UpdateHowHeardOption(ctx context.Context, actor tropic.Actor, o tropic.HowHeardOption) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if err := tropic.MayManageReferenceData(actor); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var was tropic.HowHeardOption
	err = tx.QueryRow(ctx, `SELECT code, label, retired FROM how_heard_options WHERE code = ?`+tx.db.forUpdate(), o.Code).
		Scan(&was.Code, &was.Label, &was.Retired)
	if err != nil {
		return mapError(err)
	}
	if was.Label == o.Label && was.Retired == o.Retired {
		return tx.Commit()
	}
	if _, err := tx.Exec(ctx, `UPDATE how_heard_options SET label = ?, retired = ? WHERE code = ?`, o.Label, o.Retired, o.Code); err != nil {
		return fmt.Errorf("change how-heard option: %w", err)
	}
	if err := recordReferenceChange(ctx, tx, actor, tropic.HowHeardChange(o.Code), was.HistoryValue(), o.HistoryValue()); err != nil {
		return err
	}
	return tx.Commit()
}

// FindReferenceChanges lists the changes, newest first.
func (s *ReferenceDataService) FindReferenceChanges(ctx context.Context) ([]tropic.ReferenceChange, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT c.name, c.old_value, c.new_value, c.changed_at, COALESCE(u.name, c.actor_label)
		FROM reference_changes c LEFT JOIN users u ON u.id = c.user_id ORDER BY c.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("find reference changes: %w", err)
	}
	defer rows.Close()
	var out []tropic.ReferenceChange
	for rows.Next() {
		var c tropic.ReferenceChange
		if err := rows.Scan(&c.Name, &c.Old, &c.New, &c.At, &c.ActorName); err != nil {
			return nil, fmt.Errorf("scan reference change: %w", err)
		}
		c.At = c.At.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
