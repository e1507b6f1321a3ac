package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// TokenService stores API tokens as hashes.
type TokenService struct{ db *DB }

var _ tropic.TokenService = (*TokenService)(nil)

// NewTokenService returns the token service on db.
func NewTokenService(db *DB) *TokenService { return &TokenService{db: db} }

// CreateToken stores a token's hash for an enabled user, and audits it.
func (s *TokenService) CreateToken(ctx context.Context, actor tropic.Actor, t *tropic.Token, secretHash string) error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		t.Name = "API token"
	}
	var p tropic.Problems
	tropic.CheckText(&p, "name", "Token name", t.Name, 100)
	if err := p.Err(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, err := findUser(ctx, tx, `u.id = ?`, t.UserID)
	if err != nil {
		return err
	}
	if u.Disabled {
		return tropic.Errorf(tropic.EINVALID, "This user is disabled; enable them before issuing a token.")
	}
	t.CreatedAt = tx.now
	var expires sql.NullTime
	if !t.ExpiresAt.IsZero() {
		expires = sql.NullTime{Time: t.ExpiresAt.UTC(), Valid: true}
	}
	t.ID, err = tx.insert(ctx, `INSERT INTO api_tokens (user_id, name, prefix, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.UserID, t.Name, t.Prefix, secretHash, t.CreatedAt, expires)
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditTokenCreated, objectType: "token", objectID: t.ID,
		detail: fmt.Sprintf("user %d; %s", t.UserID, t.Name)}); err != nil {
		return err
	}
	return tx.Commit()
}

// RevokeToken revokes a token; revoking a revoked token is a conflict.
func (s *TokenService) RevokeToken(ctx context.Context, actor tropic.Actor, id int64) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var revoked sql.NullTime
	if err := tx.QueryRow(ctx, `SELECT revoked_at FROM api_tokens WHERE id = ?`, id).Scan(&revoked); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return tropic.Errorf(tropic.ENOTFOUND, "Token %d not found.", id)
		}
		return fmt.Errorf("find token: %w", err)
	}
	if revoked.Valid {
		return tropic.Errorf(tropic.ECONFLICT, "Token %d was revoked already.", id)
	}
	if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, tx.now, id); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditTokenRevoked, objectType: "token", objectID: id}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindTokens lists a user's tokens, newest first (0 lists everyone's).
func (s *TokenService) FindTokens(ctx context.Context, userID int64) ([]*tropic.Token, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q, args := `SELECT id, user_id, name, prefix, created_at, expires_at, revoked_at, last_used_at FROM api_tokens`, []any{}
	if userID != 0 {
		q += ` WHERE user_id = ?`
		args = append(args, userID)
	}
	rows, err := tx.Query(ctx, q+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Token
	for rows.Next() {
		var t tropic.Token
		var exp, rev, used sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &exp, &rev, &used); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		t.ExpiresAt, t.RevokedAt, t.LastUsedAt = utc(exp), utc(rev), utc(used)
		out = append(out, &t)
	}
	return out, rows.Err()
}

// AuthenticateToken returns the enabled user owning a live token with this hash.
func (s *TokenService) AuthenticateToken(ctx context.Context, secretHash string) (*tropic.User, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var tokenID, userID int64
	var exp, rev, used sql.NullTime
	err = tx.QueryRow(ctx, `SELECT id, user_id, expires_at, revoked_at, last_used_at FROM api_tokens WHERE secret_hash = ?`, secretHash).Scan(&tokenID, &userID, &exp, &rev, &used)
	if err != nil || rev.Valid || (exp.Valid && !tx.now.Before(exp.Time)) {
		return nil, tropic.Errorf(tropic.EUNAUTHORISED, "The API token is missing, wrong, expired or revoked.")
	}
	u, err := findUser(ctx, tx, `u.id = ?`, userID)
	if err != nil || u.Disabled {
		return nil, tropic.Errorf(tropic.EUNAUTHORISED, "The API token is missing, wrong, expired or revoked.")
	}
	// Note the last use at most once a minute, to keep token reads from being writes.
	if !used.Valid || tx.now.Sub(used.Time) > 60e9 {
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, tx.now, tokenID); err != nil {
			return nil, fmt.Errorf("note token use: %w", err)
		}
	}
	return u, tx.Commit()
}

// utc is a nullable time in UTC, the zero time when null.
func utc(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}
