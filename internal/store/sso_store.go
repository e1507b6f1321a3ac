package store

import (
	"context"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

// SSOService finds or makes the accounts behind single sign-on (tropic.SSOService).
type SSOService struct{ db *DB }

var _ tropic.SSOService = (*SSOService)(nil)

// NewSSOService returns the single sign-on service on db.
func NewSSOService(db *DB) *SSOService { return &SSOService{db: db} }

var errOtherAgency = tropic.Errorf(tropic.EFORBIDDEN, "This account belongs to another agency in Tropic. Ask your administrator.")

// SignInWithSSO returns (linking or making) the user behind a verified identity.
func (s *SSOService) SignInWithSSO(ctx context.Context, p *tropic.SSOProvider, id tropic.SSOIdentity) (*tropic.User, bool, error) {
	if err := tropic.MaySignInWithSSO(p, id); err != nil {
		return nil, false, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	actor := tropic.Actor{AgencyID: p.AgencyID, Label: "single sign-on " + p.ID}
	var userID int64
	err = tx.QueryRow(ctx, `SELECT user_id FROM user_identities WHERE issuer = ? AND subject = ?`, id.Issuer, id.Subject).Scan(&userID)
	linked := err == nil
	if err != nil && tropic.ErrorCode(mapError(err)) != tropic.ENOTFOUND {
		return nil, false, fmt.Errorf("find identity: %w", err)
	}
	var u *tropic.User
	created := false
	switch {
	case linked:
		u, err = findUser(ctx, tx, `u.id = ?`, userID)
	default:
		u, err = findUser(ctx, tx, `u.email = ?`, tropic.NormaliseEmail(id.Email))
		if tropic.ErrorCode(err) == tropic.ENOTFOUND {
			u, err = createSSOUser(ctx, tx, actor, p, id)
			created = true
		}
	}
	if err != nil {
		return nil, false, err
	}
	if u.AgencyID != p.AgencyID {
		return nil, false, errOtherAgency
	}
	if u.Disabled {
		return nil, false, tropic.Errorf(tropic.EFORBIDDEN, "This account is disabled. Ask your administrator.")
	}
	if linked {
		if _, err := tx.Exec(ctx, `UPDATE user_identities SET last_used_at = ? WHERE issuer = ? AND subject = ?`, tx.now, id.Issuer, id.Subject); err != nil {
			return nil, false, fmt.Errorf("note identity use: %w", err)
		}
	} else {
		if _, err := tx.Exec(ctx, `INSERT INTO user_identities (user_id, issuer, subject, created_at, last_used_at) VALUES (?, ?, ?, ?, ?)`,
			u.ID, id.Issuer, id.Subject, tx.now, tx.now); err != nil {
			return nil, false, fmt.Errorf("link identity: %w", mapError(err))
		}
		detail := "linked to the existing account at sign-on through " + p.ID
		if created {
			detail = "created at first sign-on through " + p.ID + ", with no role"
		}
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditSSOLinked, objectType: "user", objectID: u.ID, detail: detail}); err != nil {
			return nil, false, err
		}
	}
	return u, created, tx.Commit()
}

// createSSOUser makes the account of a first sign-on: in the provider's agency, no
// role, no password.
func createSSOUser(ctx context.Context, tx *Tx, actor tropic.Actor, p *tropic.SSOProvider, id tropic.SSOIdentity) (*tropic.User, error) {
	name := strings.TrimSpace(id.Name)
	if name == "" {
		name, _, _ = strings.Cut(id.Email, "@")
	}
	uid, err := tx.insert(ctx, `INSERT INTO users (email, name, agency_id, password_hash, created_at) VALUES (?, ?, ?, '', ?)`,
		tropic.NormaliseEmail(id.Email), name, p.AgencyID, tx.now)
	if err != nil {
		return nil, fmt.Errorf("create user at sign-on: %w", mapError(err))
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditUserCreated, objectType: "user", objectID: uid,
		detail: "single sign-on " + p.ID + "; no role"}); err != nil {
		return nil, err
	}
	return findUser(ctx, tx, `u.id = ?`, uid)
}
