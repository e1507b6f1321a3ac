package store

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// What the administration pages do with accounts (tropic.UserAdmin). The rules are
// tropic's (admin_rules.go), decided on the user as they stand in the transaction.

var _ tropic.UserAdmin = (*UserService)(nil)

// FindUsersAs lists users as tropic.AdminAgencyScope lets actor see them, filtered.
func (s *UserService) FindUsersAs(ctx context.Context, actor tropic.Actor, f tropic.UserFilter) ([]*tropic.User, error) {
	if err := tropic.MayAdminister(actor); err != nil {
		return nil, err
	}
	scope, err := tropic.AdminAgencyScope(actor, f.AgencyID)
	if err != nil {
		return nil, err
	}
	f.AgencyID = scope
	return s.FindUsers(ctx, f)
}

// FindUserAs returns one user, or ENOTFOUND when actor may not see them: an agency
// administrator sees their own agency's users only.
func (s *UserService) FindUserAs(ctx context.Context, actor tropic.Actor, id int64) (*tropic.User, error) {
	if err := tropic.MayAdminister(actor); err != nil {
		return nil, err
	}
	scope, err := tropic.AdminAgencyScope(actor, 0)
	if err != nil {
		return nil, err
	}
	u, err := s.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if scope != 0 && u.AgencyID != scope {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "User not found.")
	}
	return u, nil
}

// RequirePasswordChange asks the user for a new password at their next sign-in.
func (s *UserService) RequirePasswordChange(ctx context.Context, actor tropic.Actor, id int64) error {
	return s.changeUser(ctx, actor, id, tropic.MayManageUser, tropic.AuditUserPasswordRequired, `must_change_password = ?`, true)
}

// ChangePasswordAtSignIn stores the new password of a user who was asked for one (or
// chose to change it while signing in) and clears the request. The user acts: the
// web layer calls it only for the account whose password was just checked.
func (s *UserService) ChangePasswordAtSignIn(ctx context.Context, userID int64, passwordHash string) error {
	self := func(tropic.Actor, *tropic.User) error { return nil }
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return err
	}
	u, err := findUser(ctx, tx, `u.id = ?`, userID)
	tx.Rollback()
	if err != nil {
		return err
	}
	return s.changeUser(ctx, tropic.ActorFor(u), userID, self, tropic.AuditUserPasswordChanged,
		`password_hash = ?, must_change_password = ?, failed_attempts = 0, locked_until = NULL`, passwordHash, false)
}

// SignOutEverywhere ends every session of the user, as MayManageUser allows, and
// returns how many ended.
func (s *UserService) SignOutEverywhere(ctx context.Context, actor tropic.Actor, id int64) (int64, error) {
	var n int64
	endTheirs := func(tx *Tx) (err error) {
		n, err = endSessions(ctx, tx, `user_id = ?`, id)
		return err
	}
	// The row is touched (set to itself) so that the rule is decided under its lock.
	err := s.changeUserThen(ctx, actor, id, tropic.MayManageUser, tropic.AuditUserSignedOut, endTheirs, `disabled = disabled`)
	return n, err
}

// MoveUser moves a user to another agency that exists and is not disabled, as
// MayMoveUser allows. Their sessions and tokens follow them: every request reads the
// user, and so their agency, afresh.
func (s *UserService) MoveUser(ctx context.Context, actor tropic.Actor, id, agencyID int64) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, err := findUser(ctx, tx, `u.id = ?`+tx.db.forUpdate(), id)
	if err != nil {
		return err
	}
	if err := tropic.MayMoveUser(actor, u); err != nil {
		return err
	}
	to, err := findAgency(ctx, tx, `id = ?`, agencyID)
	if err != nil || to.Disabled {
		return errAgencyUnusable
	}
	if to.ID == u.AgencyID {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET agency_id = ? WHERE id = ?`, to.ID, id); err != nil {
		return fmt.Errorf("move user: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditUserMoved, objectType: "user", objectID: id,
		detail: "agency " + u.Agency.Name + " -> " + to.Name}); err != nil {
		return err
	}
	return tx.Commit()
}

// DisableLeavers disables, in one transaction, each of ids that has still not signed
// in since (a user who came back since the list was shown is skipped). A user the
// actor may not disable refuses the whole batch: nothing is written half-way.
func (s *UserService) DisableLeavers(ctx context.Context, actor tropic.Actor, ids []int64, since time.Time) (int, error) {
	if len(ids) == 0 {
		return 0, &tropic.Error{Code: tropic.EINVALID, Message: "Choose at least one user to disable", Fields: map[string]string{"users": "Choose at least one user to disable"}}
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	disabled := 0
	for _, id := range ids {
		u, err := findUser(ctx, tx, `u.id = ?`+tx.db.forUpdate(), id)
		if err != nil {
			return 0, err
		}
		if err := tropic.MayDisableUser(actor, u); err != nil {
			return 0, err
		}
		if u.Disabled || !lastSeen(u).Before(since) {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, true, id); err != nil {
			return 0, fmt.Errorf("disable leaver: %w", err)
		}
		if _, err := endSessions(ctx, tx, `user_id = ?`, id); err != nil {
			return 0, err
		}
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditUserDisabled, objectType: "user", objectID: id,
			detail: "leaver: not signed in since " + since.UTC().Format(time.DateOnly)}); err != nil {
			return 0, err
		}
		disabled++
	}
	return disabled, tx.Commit()
}

// errAgencyUnusable refuses to put a user in an agency that is missing or disabled.
var errAgencyUnusable = &tropic.Error{Code: tropic.EINVALID, Message: "Choose an agency that exists and is not disabled",
	Fields: map[string]string{"agency": "Choose an agency that exists and is not disabled"}}

// lastSeen is when the user last signed in or, never, when the account was made.
func lastSeen(u *tropic.User) time.Time {
	if u.LastLoginAt.IsZero() {
		return u.CreatedAt
	}
	return u.LastLoginAt
}
