package store

import (
	"context"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

// AgencyService stores partner agencies.
type AgencyService struct{ db *DB }

var _ tropic.AgencyService = (*AgencyService)(nil)

// NewAgencyService returns the agency service on db.
func NewAgencyService(db *DB) *AgencyService { return &AgencyService{db: db} }

// CreateAgency validates and stores a new agency, and audits it.
func (s *AgencyService) CreateAgency(ctx context.Context, actor tropic.Actor, a *tropic.Agency) error {
	if err := tropic.MayManageAgencies(actor); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a.CreatedAt = tx.now
	a.ID, err = tx.insert(ctx, `INSERT INTO agencies (name, kind, first_responder, duty_to_notify, triage_hub, inbox_email, reminder_email, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Name, string(a.Kind), a.FirstResponder, a.DutyToNotify, a.TriageHub, a.InboxEmail, nullIfEmpty(a.ReminderEmail), a.CreatedAt)
	if isUniqueViolation(err) {
		return errAgencyNameTaken
	} else if err != nil {
		return fmt.Errorf("create agency: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditAgencyCreated, objectType: "agency", objectID: a.ID, detail: a.Name}); err != nil {
		return err
	}
	return tx.Commit()
}

var errAgencyNameTaken = &tropic.Error{Code: tropic.ECONFLICT, Message: "An agency with this name already exists", Fields: map[string]string{"name": "An agency with this name already exists"}}

// UpdateAgency changes an agency's name, kind, first responder, Duty to Notify, triage
// hub membership, inbox and reminder addresses, and audits what changed (the addresses
// by name of field only: they may name a person).
func (s *AgencyService) UpdateAgency(ctx context.Context, actor tropic.Actor, a *tropic.Agency) error {
	if err := tropic.MayManageAgencies(actor); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	old, err := findAgency(ctx, tx, `id = ?`+tx.db.forUpdate(), a.ID)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE agencies SET name = ?, kind = ?, first_responder = ?, duty_to_notify = ?, triage_hub = ?,
		inbox_email = ?, reminder_email = ? WHERE id = ?`,
		a.Name, string(a.Kind), a.FirstResponder, a.DutyToNotify, a.TriageHub, a.InboxEmail, nullIfEmpty(a.ReminderEmail), a.ID)
	if isUniqueViolation(err) {
		return errAgencyNameTaken
	} else if err != nil {
		return fmt.Errorf("update agency: %w", err)
	}
	a.Disabled, a.CreatedAt = old.Disabled, old.CreatedAt
	var changes []string
	change := func(field, was, is string) {
		if was != is {
			changes = append(changes, field+" "+was+" -> "+is)
		}
	}
	change("name", old.Name, a.Name)
	change("kind", string(old.Kind), string(a.Kind))
	change("first responder", yesNo(old.FirstResponder), yesNo(a.FirstResponder))
	change("duty to notify", yesNo(old.DutyToNotify), yesNo(a.DutyToNotify))
	change("triage hub", yesNo(old.TriageHub), yesNo(a.TriageHub))
	if old.InboxEmail != a.InboxEmail {
		changes = append(changes, "inbox address changed")
	}
	if old.ReminderEmail != a.ReminderEmail {
		changes = append(changes, "reminder address changed")
	}
	if len(changes) == 0 {
		return nil // nothing changed: nothing to audit
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditAgencyUpdated, objectType: "agency", objectID: a.ID,
		detail: strings.Join(changes, "; ")}); err != nil {
		return err
	}
	return tx.Commit()
}

// nullIfEmpty stores "" as NULL, for columns where NULL means none.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// DisableAgency stops the agency's users signing in or using their tokens (scanUser
// reads a user of a disabled agency as disabled) and ends their sessions; its records stay.
func (s *AgencyService) DisableAgency(ctx context.Context, actor tropic.Actor, id int64) error {
	return s.setDisabled(ctx, actor, id, true, tropic.AuditAgencyDisabled)
}

// EnableAgency lets the agency's users sign in again, except those disabled one by one.
func (s *AgencyService) EnableAgency(ctx context.Context, actor tropic.Actor, id int64) error {
	return s.setDisabled(ctx, actor, id, false, tropic.AuditAgencyEnabled)
}

func (s *AgencyService) setDisabled(ctx context.Context, actor tropic.Actor, id int64, disabled bool, action string) error {
	if err := tropic.MayManageAgencies(actor); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.Exec(ctx, `UPDATE agencies SET disabled = ? WHERE id = ?`, disabled, id)
	if err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tropic.Errorf(tropic.ENOTFOUND, "Agency not found.")
	}
	if disabled {
		if _, err := endSessions(ctx, tx, `user_id IN (SELECT id FROM users WHERE agency_id = ?)`, id); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: "agency", objectID: id}); err != nil {
		return err
	}
	return tx.Commit()
}

const agencyColumns = `id, name, kind, first_responder, duty_to_notify, disabled, triage_hub, inbox_email, COALESCE(reminder_email, ''), created_at`

func scanAgency(sc interface{ Scan(...any) error }) (*tropic.Agency, error) {
	var a tropic.Agency
	var kind string
	if err := sc.Scan(&a.ID, &a.Name, &kind, &a.FirstResponder, &a.DutyToNotify, &a.Disabled, &a.TriageHub, &a.InboxEmail, &a.ReminderEmail, &a.CreatedAt); err != nil {
		return nil, mapError(err)
	}
	a.Kind = tropic.AgencyKind(kind)
	a.CreatedAt = a.CreatedAt.UTC()
	return &a, nil
}

// FindAgencyByID returns one agency, ENOTFOUND if there is none.
func (s *AgencyService) FindAgencyByID(ctx context.Context, id int64) (*tropic.Agency, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findAgency(ctx, tx, `id = ?`, id)
}

// FindAgencyByName returns the agency with this exact name, ENOTFOUND if there is none.
func (s *AgencyService) FindAgencyByName(ctx context.Context, name string) (*tropic.Agency, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findAgency(ctx, tx, `name = ?`, name)
}

func findAgency(ctx context.Context, tx *Tx, where string, arg any) (*tropic.Agency, error) {
	a, err := scanAgency(tx.QueryRow(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE `+where, arg))
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Agency not found.")
	}
	return a, err
}

// FindAgencies returns every agency by name.
func (s *AgencyService) FindAgencies(ctx context.Context) ([]*tropic.Agency, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT `+agencyColumns+` FROM agencies ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("find agencies: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Agency
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
