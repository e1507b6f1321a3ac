package store

import (
	"context"
	"database/sql"
	"fmt"

	"tropic/internal/tropic"
)

// CredentialService keeps forgotten-password links and recovery codes, and changes
// passwords (tropic.CredentialService). It stores hashes only.
type CredentialService struct{ db *DB }

var _ tropic.CredentialService = (*CredentialService)(nil)

// NewCredentialService returns the credential service on db.
func NewCredentialService(db *DB) *CredentialService { return &CredentialService{db: db} }

// userWithHash reads a user and their password hash in tx, locking the row.
func userWithHash(ctx context.Context, tx *Tx, where string, arg any) (*tropic.User, string, error) {
	var hash string
	u, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+`, u.password_hash`+userFrom+`WHERE `+where+tx.db.forUpdate(), arg), &hash)
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, "", tropic.Errorf(tropic.ENOTFOUND, "User not found.")
	} else if err != nil {
		return nil, "", fmt.Errorf("find user: %w", err)
	}
	return u, hash, nil
}

// RequestPasswordReset stores a forgotten-password link for the account at email.
func (s *CredentialService) RequestPasswordReset(ctx context.Context, email, tokenHash string) (*tropic.User, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, hash, err := userWithHash(ctx, tx, `u.email = ?`, tropic.NormaliseEmail(email))
	if err != nil {
		return nil, err
	}
	if err := tropic.MayResetPassword(u, hash); err != nil {
		return nil, err
	}
	// One live link at a time: a new request ends the earlier ones.
	if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, tx.now, u.ID); err != nil {
		return nil, fmt.Errorf("end earlier resets: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		u.ID, tokenHash, tx.now, tx.now.Add(tropic.PasswordResetLifetime)); err != nil {
		return nil, fmt.Errorf("store reset: %w", mapError(err))
	}
	actor := tropic.Actor{UserID: u.ID, AgencyID: u.AgencyID, Label: "forgotten password"}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPasswordResetAsked, objectType: "user", objectID: u.ID}); err != nil {
		return nil, err
	}
	return u, tx.Commit()
}

var errBadResetLink = tropic.Errorf(tropic.EINVALID, "This link to reset your password has expired or has been used already. Ask for a new one.")

// liveReset returns the user a live link belongs to (lock: its row is locked).
func liveReset(ctx context.Context, tx *Tx, tokenHash string, lock bool) (id, userID int64, err error) {
	var expires sql.NullTime
	var used sql.NullTime
	q := `SELECT id, user_id, expires_at, used_at FROM password_resets WHERE token_hash = ?`
	if lock {
		q += tx.db.forUpdate()
	}
	err = tx.QueryRow(ctx, q, tokenHash).
		Scan(&id, &userID, &expires, &used)
	if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
		return 0, 0, errBadResetLink
	} else if err != nil {
		return 0, 0, fmt.Errorf("find reset: %w", err)
	}
	if used.Valid || !tx.now.Before(expires.Time) {
		return 0, 0, errBadResetLink
	}
	return id, userID, nil
}

// CheckPasswordReset reports whether tokenHash is a live link.
func (s *CredentialService) CheckPasswordReset(ctx context.Context, tokenHash string) error {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, _, err = liveReset(ctx, tx, tokenHash, false)
	return err
}

// ResetPassword uses a live link once.
func (s *CredentialService) ResetPassword(ctx context.Context, tokenHash, passwordHash string) (int64, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	id, userID, err := liveReset(ctx, tx, tokenHash, true)
	if err != nil {
		return 0, err
	}
	u, hash, err := userWithHash(ctx, tx, `u.id = ?`, userID)
	if err != nil {
		return 0, err
	}
	if tropic.MayResetPassword(u, hash) != nil { // disabled, or moved to single sign-on, since
		return 0, errBadResetLink
	}
	// used_at IS NULL again: of two simultaneous uses only one changes a row.
	res, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL`, tx.now, id)
	if err != nil {
		return 0, fmt.Errorf("use reset: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, errBadResetLink
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?`, passwordHash, userID); err != nil {
		return 0, fmt.Errorf("reset password: %w", err)
	}
	n, err := endSessions(ctx, tx, `user_id = ?`, userID)
	if err != nil {
		return 0, err
	}
	actor := tropic.Actor{UserID: u.ID, AgencyID: u.AgencyID, Label: "forgotten password"}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPasswordReset, objectType: "user", objectID: userID,
		detail: fmt.Sprintf("by e-mailed link; %d sessions ended", n)}); err != nil {
		return 0, err
	}
	return userID, tx.Commit()
}

// ChangePassword sets the actor's own password and ends their other sessions.
func (s *CredentialService) ChangePassword(ctx context.Context, actor tropic.Actor, passwordHash, keepSession string) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, hash, err := userWithHash(ctx, tx, `u.id = ?`, actor.UserID)
	if err != nil {
		return err
	}
	if err := tropic.MayChangePassword(actor, u, hash); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, u.ID); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	// Unused reset links would undo the change: they end with it.
	if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, tx.now, u.ID); err != nil {
		return fmt.Errorf("end resets: %w", err)
	}
	n, err := endSessions(ctx, tx, `user_id = ? AND token_hash <> ?`, u.ID, tropic.HashSecret(keepSession))
	if err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPasswordChanged, objectType: "user", objectID: u.ID,
		detail: fmt.Sprintf("%d other sessions ended", n)}); err != nil {
		return err
	}
	return tx.Commit()
}

// ReplaceRecoveryCodes stores new recovery code hashes; the old codes stop working.
func (s *CredentialService) ReplaceRecoveryCodes(ctx context.Context, actor tropic.Actor, userID int64, codeHashes []string) error {
	if len(codeHashes) != tropic.RecoveryCodeCount {
		return fmt.Errorf("replace recovery codes: %d codes, want %d", len(codeHashes), tropic.RecoveryCodeCount)
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findUser(ctx, tx, `u.id = ?`, userID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("drop recovery codes: %w", err)
	}
	for _, h := range codeHashes {
		if _, err := tx.Exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)`, userID, h, tx.now); err != nil {
			return fmt.Errorf("store recovery code: %w", mapError(err))
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditRecoveryCodesSet, objectType: "user", objectID: userID,
		detail: fmt.Sprintf("%d codes", len(codeHashes))}); err != nil {
		return err
	}
	return tx.Commit()
}

// UseRecoveryCode spends one unused code.
func (s *CredentialService) UseRecoveryCode(ctx context.Context, userID int64, codeHash string) (int, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.Exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`, tx.now, userID, codeHash)
	if err != nil {
		return 0, fmt.Errorf("use recovery code: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, tropic.Errorf(tropic.ENOTFOUND, "This recovery code is not right, or has been used already.")
	}
	left, err := countRecoveryCodes(ctx, tx, userID)
	if err != nil {
		return 0, err
	}
	var agencyID int64
	if err := tx.QueryRow(ctx, `SELECT agency_id FROM users WHERE id = ?`, userID).Scan(&agencyID); err != nil {
		return 0, fmt.Errorf("use recovery code: %w", mapError(err))
	}
	if err := appendAudit(ctx, tx, tropic.Actor{UserID: userID, AgencyID: agencyID}, auditEntry{action: tropic.AuditRecoveryCodeUsed, objectType: "user", objectID: userID,
		detail: fmt.Sprintf("%d codes left", left)}); err != nil {
		return 0, err
	}
	return left, tx.Commit()
}

func countRecoveryCodes(ctx context.Context, tx *Tx, userID int64) (int, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count recovery codes: %w", err)
	}
	return n, nil
}

// CountRecoveryCodes says how many unused codes userID has.
func (s *CredentialService) CountRecoveryCodes(ctx context.Context, userID int64) (int, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	return countRecoveryCodes(ctx, tx, userID)
}
