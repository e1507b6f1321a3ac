package store

import (
	"context"
	"database/sql"
	"fmt"

	"tropic/internal/tropic"
)

// InviteService keeps invitation links (tropic.InviteService): only the hash of each
// link's secret, its expiry, and whether it was used or replaced.
type InviteService struct{ db *DB }

var _ tropic.InviteService = (*InviteService)(nil)

// NewInviteService returns the invitation service on db.
func NewInviteService(db *DB) *InviteService { return &InviteService{db: db} }

// InviteUser adds u with no password and an invitation for them, as MayInviteUser
// allows, in one transaction, audited.
func (s *InviteService) InviteUser(ctx context.Context, actor tropic.Actor, u *tropic.User, tokenHash string) (*tropic.Invite, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	agency, err := findAgency(ctx, tx, `id = ?`, u.AgencyID)
	if err != nil || agency.Disabled {
		return nil, errAgencyUnusable
	}
	if err := tropic.MayInviteUser(actor, u); err != nil {
		return nil, err
	}
	u.CreatedAt, u.Agency, u.Invited = tx.now, agency, true
	u.ID, err = tx.insert(ctx, `INSERT INTO users (email, name, agency_id, password_hash, created_at) VALUES (?, ?, ?, '', ?)`,
		u.Email, u.Name, u.AgencyID, u.CreatedAt)
	if isUniqueViolation(err) {
		return nil, &tropic.Error{Code: tropic.ECONFLICT, Message: "A user with this email address already exists", Fields: map[string]string{"email": "A user with this email address already exists"}}
	} else if err != nil {
		return nil, fmt.Errorf("invite user: %w", err)
	}
	for _, r := range u.Roles {
		if _, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, u.ID, string(r)); err != nil {
			return nil, fmt.Errorf("add role: %w", mapError(err))
		}
	}
	inv, err := addInvite(ctx, tx, actor, u, tokenHash, "agency "+agency.Name+"; roles "+joinRoles(u.Roles))
	if err != nil {
		return nil, err
	}
	return inv, tx.Commit()
}

// ReinviteUser replaces the user's invitation links with a new one, as MayManageUser
// allows: for a user who lost the first e-mail, let it expire, or forgot their
// password. A disabled user is enabled first, deliberately, not by an invitation.
func (s *InviteService) ReinviteUser(ctx context.Context, actor tropic.Actor, userID int64, tokenHash string) (*tropic.Invite, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := findUser(ctx, tx, `u.id = ?`+tx.db.forUpdate(), userID)
	if err != nil {
		return nil, err
	}
	if err := tropic.MayManageUser(actor, u); err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, tropic.Errorf(tropic.ECONFLICT, "This account is disabled: re-enable it before sending an invitation.")
	}
	inv, err := addInvite(ctx, tx, actor, u, tokenHash, "again")
	if err != nil {
		return nil, err
	}
	return inv, tx.Commit()
}

// addInvite supersedes the user's earlier links and stores a new one, audited.
func addInvite(ctx context.Context, tx *Tx, actor tropic.Actor, u *tropic.User, tokenHash, detail string) (*tropic.Invite, error) {
	if len(tokenHash) != 64 {
		return nil, fmt.Errorf("invite: want the hex SHA-256 of the link's secret")
	}
	if _, err := tx.Exec(ctx, `UPDATE user_invites SET superseded = ? WHERE user_id = ? AND used_at IS NULL`, true, u.ID); err != nil {
		return nil, fmt.Errorf("supersede invitations: %w", err)
	}
	inv := &tropic.Invite{UserID: u.ID, User: u, CreatedAt: tx.now, ExpiresAt: tx.now.Add(tropic.InviteLifetime)}
	var by any
	if !actor.IsSystem() {
		by = actor.UserID
	}
	var err error
	inv.ID, err = tx.insert(ctx, `INSERT INTO user_invites (user_id, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		u.ID, tokenHash, by, inv.CreatedAt, inv.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("store invitation: %w", mapError(err))
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditUserInvited, objectType: "user", objectID: u.ID, detail: detail}); err != nil {
		return nil, err
	}
	return inv, nil
}

const inviteColumns = `id, user_id, created_at, expires_at, used_at, superseded`

func findInvite(ctx context.Context, tx *Tx, where string, args ...any) (*tropic.Invite, error) {
	var inv tropic.Invite
	var used sql.NullTime
	err := tx.QueryRow(ctx, `SELECT `+inviteColumns+` FROM user_invites WHERE `+where, args...).
		Scan(&inv.ID, &inv.UserID, &inv.CreatedAt, &inv.ExpiresAt, &used, &inv.Superseded)
	if err := mapError(err); tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Invitation not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find invitation: %w", err)
	}
	inv.CreatedAt, inv.ExpiresAt = inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()
	if used.Valid {
		inv.UsedAt = used.Time.UTC()
	}
	if inv.User, err = findUser(ctx, tx, `u.id = ?`, inv.UserID); err != nil {
		return nil, err
	}
	return &inv, nil
}

// FindInvite returns the invitation whose secret hashes to tokenHash.
func (s *InviteService) FindInvite(ctx context.Context, tokenHash string) (*tropic.Invite, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findInvite(ctx, tx, `token_hash = ?`, tokenHash)
}

// LatestInvite is the user's newest invitation, for their administration page.
func (s *InviteService) LatestInvite(ctx context.Context, actor tropic.Actor, userID int64) (*tropic.Invite, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err := findUser(ctx, tx, `u.id = ?`, userID)
	if err != nil {
		return nil, err
	}
	if err := tropic.MayAdminister(actor); err != nil {
		return nil, err
	}
	if scope, err := tropic.AdminAgencyScope(actor, 0); err != nil || (scope != 0 && scope != u.AgencyID) {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "User not found.")
	}
	return findInvite(ctx, tx, `user_id = ? ORDER BY id DESC LIMIT 1`, userID)
}

// AcceptInvite sets the password of the invitation's user and uses the link up, if it
// is still usable at this moment (decided under the row's lock: a link works once
// even when opened twice at the same time).
func (s *InviteService) AcceptInvite(ctx context.Context, tokenHash, passwordHash string) (*tropic.User, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	inv, err := findInvite(ctx, tx, `token_hash = ?`+tx.db.forUpdate(), tokenHash)
	if err != nil {
		return nil, err
	}
	if err := inv.Usable(tx.now); err != nil {
		return nil, err
	}
	res, err := tx.Exec(ctx, `UPDATE user_invites SET used_at = ? WHERE id = ? AND used_at IS NULL`, tx.now, inv.ID)
	if err != nil {
		return nil, fmt.Errorf("use invitation: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, (&tropic.Invite{UsedAt: tx.now}).Usable(tx.now)
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?`,
		passwordHash, false, inv.UserID); err != nil {
		return nil, fmt.Errorf("set password: %w", err)
	}
	if err := appendAudit(ctx, tx, tropic.ActorFor(inv.User), auditEntry{action: tropic.AuditUserInviteAccepted, objectType: "user", objectID: inv.UserID}); err != nil {
		return nil, err
	}
	return inv.User, tx.Commit()
}
