package store

import (
	"context"
	"database/sql"
	"fmt"

	"tropic/internal/tropic"
)

// SecurityKeyService keeps users' WebAuthn credentials (tropic.SecurityKeyService).
type SecurityKeyService struct{ db *DB }

var _ tropic.SecurityKeyService = (*SecurityKeyService)(nil)

// NewSecurityKeyService returns the security key service on db.
func NewSecurityKeyService(db *DB) *SecurityKeyService { return &SecurityKeyService{db: db} }

// AddSecurityKey registers a key for the actor themself.
func (s *SecurityKeyService) AddSecurityKey(ctx context.Context, actor tropic.Actor, k *tropic.SecurityKey) error {
	name, err := tropic.ValidateSecurityKeyName(k.Name)
	if err != nil {
		return err
	}
	if actor.UserID == 0 || actor.UserID != k.UserID {
		return tropic.Errorf(tropic.ENOTFOUND, "User not found.")
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Locked, so that two keys added at once cannot pass the limit together.
	u, err := findUser(ctx, tx, `u.id = ?`+tx.db.forUpdate(), k.UserID)
	if err != nil {
		return err
	}
	if u.Disabled {
		return tropic.Errorf(tropic.ENOTFOUND, "User not found.")
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM security_keys WHERE user_id = ?`, k.UserID).Scan(&n); err != nil {
		return fmt.Errorf("count security keys: %w", err)
	}
	if n >= tropic.MaxSecurityKeys {
		return tropic.Errorf(tropic.ECONFLICT, "You have %d security keys, the most Tropic keeps. Remove one you no longer use first.", n)
	}
	k.Name, k.CreatedAt = name, tx.now
	k.ID, err = tx.insert(ctx, `INSERT INTO security_keys (user_id, name, credential_id, data, created_at) VALUES (?, ?, ?, ?, ?)`,
		k.UserID, k.Name, k.CredentialID, string(k.Data), k.CreatedAt)
	if isUniqueViolation(err) {
		return tropic.Errorf(tropic.ECONFLICT, "This security key is registered already.")
	} else if err != nil {
		return fmt.Errorf("add security key: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditSecurityKeyAdded, objectType: "user", objectID: k.UserID,
		detail: fmt.Sprintf("key %d", k.ID)}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindSecurityKeys lists a user's keys, oldest first.
func (s *SecurityKeyService) FindSecurityKeys(ctx context.Context, userID int64) ([]*tropic.SecurityKey, error) {
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT id, user_id, name, credential_id, data, created_at, last_used_at FROM security_keys WHERE user_id = ? ORDER BY id`), userID)
	if err != nil {
		return nil, fmt.Errorf("find security keys: %w", err)
	}
	defer rows.Close()
	var out []*tropic.SecurityKey
	for rows.Next() {
		var k tropic.SecurityKey
		var data string
		var used sql.NullTime
		if err := rows.Scan(&k.ID, &k.UserID, &k.Name, &k.CredentialID, &data, &k.CreatedAt, &used); err != nil {
			return nil, err
		}
		k.Data, k.CreatedAt, k.LastUsedAt = []byte(data), k.CreatedAt.UTC(), utc(used)
		out = append(out, &k)
	}
	return out, rows.Err()
}

// UseSecurityKey records a sign-in with a key and its new sign counter.
func (s *SecurityKeyService) UseSecurityKey(ctx context.Context, userID int64, credentialID string, data []byte) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id, agencyID int64
	err = tx.QueryRow(ctx, `UPDATE security_keys SET data = ?, last_used_at = ? WHERE user_id = ? AND credential_id = ? RETURNING id`,
		string(data), tx.now, userID, credentialID).Scan(&id)
	if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
		return tropic.Errorf(tropic.ENOTFOUND, "This security key is not registered for this account.")
	} else if err != nil {
		return fmt.Errorf("use security key: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT agency_id FROM users WHERE id = ?`, userID).Scan(&agencyID); err != nil {
		return fmt.Errorf("use security key: %w", mapError(err))
	}
	if err := appendAudit(ctx, tx, tropic.Actor{UserID: userID, AgencyID: agencyID}, auditEntry{action: tropic.AuditSecurityKeyUsed, objectType: "user", objectID: userID,
		detail: fmt.Sprintf("key %d", id)}); err != nil {
		return err
	}
	return tx.Commit()
}

// RemoveSecurityKey removes one of the actor's own keys, unless it is their last
// second factor.
func (s *SecurityKeyService) RemoveSecurityKey(ctx context.Context, actor tropic.Actor, keyID int64) error {
	if actor.UserID == 0 {
		return tropic.Errorf(tropic.ENOTFOUND, "Security key not found.")
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Locked, so that two keys removed at once cannot both pass as "not the last".
	u, err := findUser(ctx, tx, `u.id = ?`+tx.db.forUpdate(), actor.UserID)
	if err != nil {
		return err
	}
	var owner int64
	var n int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(CASE WHEN id = ? THEN user_id END), 0), COUNT(*) FROM security_keys WHERE user_id = ?`,
		keyID, actor.UserID).Scan(&owner, &n); err != nil {
		return fmt.Errorf("count security keys: %w", err)
	}
	if owner != actor.UserID {
		return tropic.Errorf(tropic.ENOTFOUND, "Security key not found.")
	}
	if err := tropic.MayRemoveSecurityKey(u.MFAEnrolled, n); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM security_keys WHERE id = ? AND user_id = ?`, keyID, actor.UserID); err != nil {
		return fmt.Errorf("remove security key: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditSecurityKeyRemoved, objectType: "user", objectID: actor.UserID,
		detail: fmt.Sprintf("key %d", keyID)}); err != nil {
		return err
	}
	return tx.Commit()
}
