package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"tropic/internal/tropic"
)

// UserService stores staff accounts and their sign-in state.
type UserService struct{ db *DB }

var _ tropic.UserService = (*UserService)(nil)

// NewUserService returns the user service on db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

// CreateUser validates and stores a new user with the given password hash, and audits it.
func (s *UserService) CreateUser(ctx context.Context, actor tropic.Actor, u *tropic.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	agency, err := findAgency(ctx, tx, `id = ?`, u.AgencyID)
	if err != nil && tropic.ErrorCode(err) != tropic.ENOTFOUND {
		return err
	} else if err != nil {
		return &tropic.Error{Code: tropic.EINVALID, Message: "Choose an agency that exists", Fields: map[string]string{"agency": "Choose an agency that exists"}}
	}
	u.CreatedAt = tx.now
	u.ID, err = tx.insert(ctx, `INSERT INTO users (email, name, agency_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		u.Email, u.Name, u.AgencyID, passwordHash, u.CreatedAt)
	if isUniqueViolation(err) {
		return &tropic.Error{Code: tropic.ECONFLICT, Message: "A user with this email address already exists", Fields: map[string]string{"email": "A user with this email address already exists"}}
	} else if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	for _, r := range u.Roles {
		if _, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, u.ID, string(r)); err != nil {
			return fmt.Errorf("add role: %w", mapError(err))
		}
	}
	u.Agency = agency
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditUserCreated, objectType: "user", objectID: u.ID,
		detail: "agency " + agency.Name + "; roles " + joinRoles(u.Roles)}); err != nil {
		return err
	}
	return tx.Commit()
}

func joinRoles(roles []tropic.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

const userColumns = `u.id, u.email, u.name, u.agency_id, u.disabled, u.mfa_secret <> '', u.created_at,
	u.password_hash = '' AND NOT ` + userHasSSO + `, u.must_change_password, u.last_login_at,
	` + userHasKey + `, ` + userHasSSO + `,
	a.id, a.name, a.kind, a.first_responder, a.duty_to_notify, a.disabled, a.triage_hub, a.created_at`

// A user has a security key; signs in through an identity provider (and so, without a
// Tropic password, is not an invited user who has yet to choose one).
const (
	userHasKey = `EXISTS (SELECT 1 FROM security_keys k WHERE k.user_id = u.id)`
	userHasSSO = `EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = u.id)`
)

const userFrom = ` FROM users u JOIN agencies a ON a.id = u.agency_id `

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*tropic.User, error) {
	var u tropic.User
	var a tropic.Agency
	var kind string
	var lastLogin sql.NullTime
	dest := append([]any{&u.ID, &u.Email, &u.Name, &u.AgencyID, &u.Disabled, &u.MFAEnrolled, &u.CreatedAt,
		&u.Invited, &u.MustChangePassword, &lastLogin, &u.SecurityKey, &u.SingleSignOn,
		&a.ID, &a.Name, &kind, &a.FirstResponder, &a.DutyToNotify, &a.Disabled, &a.TriageHub, &a.CreatedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, mapError(err)
	}
	// The one place where a user of a disabled agency becomes a disabled user: every
	// sign-in, session, token and assignment check reads users through here.
	u.Disabled = u.Disabled || a.Disabled
	a.Kind = tropic.AgencyKind(kind)
	u.CreatedAt, a.CreatedAt = u.CreatedAt.UTC(), a.CreatedAt.UTC()
	if lastLogin.Valid {
		u.LastLoginAt = lastLogin.Time.UTC()
	}
	u.Agency = &a
	return &u, nil
}

// loadRoles fills in the roles of the given users with one query.
func loadRoles(ctx context.Context, tx *Tx, users ...*tropic.User) error {
	if len(users) == 0 {
		return nil
	}
	byID := make(map[int64]*tropic.User, len(users))
	ph := make([]string, len(users))
	args := make([]any, len(users))
	for i, u := range users {
		byID[u.ID] = u
		ph[i] = "?"
		args[i] = u.ID
	}
	rows, err := tx.Query(ctx, `SELECT user_id, role FROM user_roles WHERE user_id IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return err
		}
		byID[id].Roles = append(byID[id].Roles, tropic.Role(role))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range users {
		sortRoles(u.Roles)
	}
	return nil
}

// sortRoles puts roles in the display order of tropic.Roles.
func sortRoles(roles []tropic.Role) {
	rank := func(r tropic.Role) int {
		for i, v := range tropic.Roles {
			if v == r {
				return i
			}
		}
		return len(tropic.Roles)
	}
	for i := 1; i < len(roles); i++ {
		for j := i; j > 0 && rank(roles[j]) < rank(roles[j-1]); j-- {
			roles[j], roles[j-1] = roles[j-1], roles[j]
		}
	}
}

func findUser(ctx context.Context, tx *Tx, where string, arg any) (*tropic.User, error) {
	u, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+userFrom+`WHERE `+where, arg))
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "User not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, loadRoles(ctx, tx, u)
}

// FindUserByID returns one user, ENOTFOUND if there is none.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*tropic.User, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findUser(ctx, tx, `u.id = ?`, id)
}

// FindUserByEmail returns the user with this e-mail address, ENOTFOUND if there is none.
func (s *UserService) FindUserByEmail(ctx context.Context, email string) (*tropic.User, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findUser(ctx, tx, `u.email = ?`, tropic.NormaliseEmail(email))
}

// FindUsers returns the users f asks for, by agency and e-mail address.
func (s *UserService) FindUsers(ctx context.Context, f tropic.UserFilter) ([]*tropic.User, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	where, args := "WHERE 1=1", []any{}
	if f.AgencyID != 0 {
		where += " AND u.agency_id = ?"
		args = append(args, f.AgencyID)
	}
	switch f.Status {
	case tropic.UserActive:
		where += " AND u.disabled = ? AND a.disabled = ? AND (u.password_hash <> '' OR " + userHasSSO + ")"
		args = append(args, false, false)
	case tropic.UserInvited:
		where += " AND u.disabled = ? AND a.disabled = ? AND u.password_hash = '' AND NOT " + userHasSSO
		args = append(args, false, false)
	case tropic.UserDisabled:
		where += " AND (u.disabled = ? OR a.disabled = ?)"
		args = append(args, true, true)
	default:
		if !f.IncludeDisabled {
			where += " AND u.disabled = ? AND a.disabled = ?"
			args = append(args, false, false)
		}
	}
	if f.Role != "" {
		where += " AND u.id IN (SELECT user_id FROM user_roles WHERE role = ?)"
		args = append(args, string(f.Role))
	}
	switch f.MFA {
	case tropic.MFAApp:
		where += " AND u.mfa_secret <> ''"
	case tropic.MFAKey:
		where += " AND " + userHasKey
	case tropic.MFASSO:
		where += " AND " + userHasSSO
	case tropic.MFANone:
		where += " AND u.mfa_secret = '' AND NOT " + userHasKey + " AND NOT " + userHasSSO
	}
	if !f.NotSignedInSince.IsZero() {
		where += " AND COALESCE(u.last_login_at, u.created_at) < ?"
		args = append(args, f.NotSignedInSince.UTC())
	}
	rows, err := tx.Query(ctx, `SELECT `+userColumns+userFrom+where+` ORDER BY a.name, u.email`, args...)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	var out []*tropic.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, loadRoles(ctx, tx, out...)
}

// changeUser sets columns of one user's row (set: "col = ?, ...") if rule allows the
// actor on the user as they stand in the transaction, audited as action.
func (s *UserService) changeUser(ctx context.Context, actor tropic.Actor, id int64, rule userRule, action, set string, args ...any) error {
	return s.changeUserThen(ctx, actor, id, rule, action, nil, set, args...)
}

// userRule is one of tropic's rules on administering an account.
type userRule func(tropic.Actor, *tropic.User) error

// changeUserThen is changeUser running then (if not nil) in the same transaction.
func (s *UserService) changeUserThen(ctx context.Context, actor tropic.Actor, id int64, rule userRule, action string, then func(*Tx) error, set string, args ...any) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, err := findUser(ctx, tx, `u.id = ?`+tx.db.forUpdate(), id)
	if err != nil {
		return err
	}
	if err := rule(actor, u); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET `+set+` WHERE id = ?`, append(args, id)...); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	if then != nil {
		if err := then(tx); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: "user", objectID: id}); err != nil {
		return err
	}
	return tx.Commit()
}

// DisableUser stops a user signing in or using tokens, ends their sessions in the same
// transaction, and keeps their history.
func (s *UserService) DisableUser(ctx context.Context, actor tropic.Actor, id int64) error {
	endTheirs := func(tx *Tx) error {
		_, err := endSessions(ctx, tx, `user_id = ?`, id)
		return err
	}
	return s.changeUserThen(ctx, actor, id, tropic.MayDisableUser, tropic.AuditUserDisabled, endTheirs, `disabled = ?`, true)
}

// EnableUser lets a disabled user sign in again.
func (s *UserService) EnableUser(ctx context.Context, actor tropic.Actor, id int64) error {
	return s.changeUser(ctx, actor, id, tropic.MayManageUser, tropic.AuditUserEnabled, `disabled = ?`, false)
}

// SetPassword replaces a user's password hash and clears any lock.
func (s *UserService) SetPassword(ctx context.Context, actor tropic.Actor, id int64, passwordHash string) error {
	return s.changeUser(ctx, actor, id, tropic.MayManageUser, tropic.AuditUserPassword, `password_hash = ?, failed_attempts = 0, locked_until = NULL`, passwordHash)
}

// ResetMFA forgets a user's second factors (authenticator app, recovery codes and
// security keys): they set one up again at their next sign-in. Their sessions end
// with it (a lost phone may be in the wrong hands, signed in).
func (s *UserService) ResetMFA(ctx context.Context, actor tropic.Actor, id int64) error {
	forget := func(tx *Tx) error {
		for _, table := range []string{"recovery_codes", "security_keys"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE user_id = ?`, id); err != nil {
				return fmt.Errorf("reset mfa: %w", err)
			}
		}
		_, err := endSessions(ctx, tx, `user_id = ?`, id)
		return err
	}
	return s.changeUserThen(ctx, actor, id, tropic.MayManageUser, tropic.AuditMFAReset, forget, `mfa_secret = '', mfa_last_step = 0`)
}

// SetRoles replaces a user's roles as tropic.MaySetRoles allows, decided on the user
// as they stand in the transaction, and audits the change (an unchanged set is not).
func (s *UserService) SetRoles(ctx context.Context, actor tropic.Actor, id int64, roles []tropic.Role) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, err := findUser(ctx, tx, `u.id = ?`+tx.db.forUpdate(), id)
	if err != nil {
		return err
	}
	if err := tropic.MaySetRoles(actor, u, roles); err != nil {
		return err
	}
	var next []tropic.Role
	for _, r := range roles {
		if !slices.Contains(next, r) {
			next = append(next, r)
		}
	}
	sortRoles(next)
	if slices.Equal(next, u.Roles) {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM user_roles WHERE user_id = ?`, id); err != nil {
		return fmt.Errorf("set roles: %w", err)
	}
	for _, r := range next {
		if _, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, id, string(r)); err != nil {
			return fmt.Errorf("set roles: %w", mapError(err))
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditUserRoles, objectType: "user", objectID: id,
		detail: "roles " + joinRoles(u.Roles) + " -> " + joinRoles(next)}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindLogin returns the account behind an e-mail address for sign-in.
func (s *UserService) FindLogin(ctx context.Context, email string) (*tropic.Login, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var l tropic.Login
	var lastFail, locked sql.NullTime
	u, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+`, u.password_hash, u.mfa_secret, u.mfa_last_step, u.failed_attempts, u.last_failure_at, u.locked_until`+userFrom+`WHERE u.email = ?`,
		tropic.NormaliseEmail(email)), &l.PasswordHash, &l.MFASecret, &l.MFALastStep, &l.FailedAttempts, &lastFail, &locked)
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "User not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find login: %w", err)
	}
	if err := loadRoles(ctx, tx, u); err != nil {
		return nil, err
	}
	l.User, l.LastFailureAt, l.LockedUntil = u, lastFail.Time, locked.Time
	return &l, nil
}

// ReserveLoginAttempt admits one attempt under policy and counts it as a failure
// before the password or code is checked, in the transaction that read the counter
// (the row is locked on PostgreSQL; SQLite has one writer), so that concurrent
// attempts in any process never check more than the policy allows.
func (s *UserService) ReserveLoginAttempt(ctx context.Context, userID int64, policy tropic.LoginPolicy) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var l tropic.Login
	var lastFail, locked sql.NullTime
	if err := tx.QueryRow(ctx, `SELECT failed_attempts, last_failure_at, locked_until FROM users WHERE id = ?`+tx.db.forUpdate(), userID).
		Scan(&l.FailedAttempts, &lastFail, &locked); err != nil {
		return fmt.Errorf("reserve sign-in attempt: %w", mapError(err))
	}
	l.LastFailureAt, l.LockedUntil = lastFail.Time, locked.Time
	if err := policy.Admit(&l, tx.now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET failed_attempts = failed_attempts + 1, last_failure_at = ? WHERE id = ?`, tx.now, userID); err != nil {
		return fmt.Errorf("reserve sign-in attempt: %w", err)
	}
	return tx.Commit()
}

// ReleaseLoginAttempt takes back one reserved attempt (a right password awaiting the
// second factor).
func (s *UserService) ReleaseLoginAttempt(ctx context.Context, userID int64) error {
	if _, err := s.db.write.ExecContext(ctx, s.db.rebind(`UPDATE users SET failed_attempts = failed_attempts - 1 WHERE id = ? AND failed_attempts > 0`), userID); err != nil {
		return fmt.Errorf("release sign-in attempt: %w", err)
	}
	return nil
}

// RecordLoginFailure settles a reserved attempt as failed: it locks the account under
// policy when the counter (which counted the attempt when it was reserved) has reached
// the limit, and audits both.
func (s *UserService) RecordLoginFailure(ctx context.Context, userID int64, reason string, policy tropic.LoginPolicy) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	actor := tropic.Actor{UserID: userID, Label: "sign-in"}
	if userID != 0 {
		var failures int
		if err := tx.QueryRow(ctx, `UPDATE users SET last_failure_at = ? WHERE id = ? RETURNING failed_attempts`,
			tx.now, userID).Scan(&failures); err != nil {
			return fmt.Errorf("count failure: %w", mapError(err))
		}
		if policy.Locks(failures) {
			if _, err := tx.Exec(ctx, `UPDATE users SET locked_until = ?, failed_attempts = 0 WHERE id = ?`, tx.now.Add(policy.LockFor), userID); err != nil {
				return fmt.Errorf("lock account: %w", err)
			}
			if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditLoginLocked, objectType: "user", objectID: userID,
				detail: fmt.Sprintf("locked for %s after %d failures", policy.LockFor, failures)}); err != nil {
				return err
			}
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditLoginFailed, objectType: "user", objectID: userID, detail: reason}); err != nil {
		return err
	}
	return tx.Commit()
}

// RecordLoginSuccess clears the failure counter and audits the sign-in.
func (s *UserService) RecordLoginSuccess(ctx context.Context, userID int64, method string) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var agencyID int64
	if err := tx.QueryRow(ctx, `UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = ? WHERE id = ? RETURNING agency_id`, tx.now, userID).Scan(&agencyID); err != nil {
		return fmt.Errorf("record sign-in: %w", mapError(err))
	}
	if err := appendAudit(ctx, tx, tropic.Actor{UserID: userID, AgencyID: agencyID}, auditEntry{action: tropic.AuditLoginSucceeded, objectType: "user", objectID: userID, detail: method}); err != nil {
		return err
	}
	return tx.Commit()
}

// RecordLogout audits a sign-out.
func (s *UserService) RecordLogout(ctx context.Context, userID int64) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var agencyID int64
	if err := tx.QueryRow(ctx, `SELECT agency_id FROM users WHERE id = ?`, userID).Scan(&agencyID); err != nil {
		return fmt.Errorf("record sign-out: %w", mapError(err))
	}
	if err := appendAudit(ctx, tx, tropic.Actor{UserID: userID, AgencyID: agencyID}, auditEntry{action: tropic.AuditLogout, objectType: "user", objectID: userID}); err != nil {
		return err
	}
	return tx.Commit()
}

// EnrolMFA stores a verified TOTP secret; it refuses to replace one already enrolled.
func (s *UserService) EnrolMFA(ctx context.Context, userID int64, secret string, step int64) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var agencyID int64
	err = tx.QueryRow(ctx, `UPDATE users SET mfa_secret = ?, mfa_last_step = ? WHERE id = ? AND mfa_secret = '' RETURNING agency_id`, secret, step, userID).Scan(&agencyID)
	if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
		if _, ferr := findUser(ctx, tx, `u.id = ?`, userID); ferr != nil {
			return ferr
		}
		return tropic.Errorf(tropic.ECONFLICT, "Multi-factor authentication is already set up for this account.")
	} else if err != nil {
		return fmt.Errorf("enrol mfa: %w", err)
	}
	if err := appendAudit(ctx, tx, tropic.Actor{UserID: userID, AgencyID: agencyID}, auditEntry{action: tropic.AuditMFAEnrolled, objectType: "user", objectID: userID}); err != nil {
		return err
	}
	return tx.Commit()
}

// UseMFAStep records a TOTP time step as used, so that a code cannot be replayed.
func (s *UserService) UseMFAStep(ctx context.Context, userID int64, step int64) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.Exec(ctx, `UPDATE users SET mfa_last_step = ? WHERE id = ? AND mfa_last_step < ?`, step, userID, step)
	if err != nil {
		return fmt.Errorf("use mfa step: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tropic.Errorf(tropic.ECONFLICT, "This code has been used already. Wait for the next code from your app.")
	}
	return tx.Commit()
}
