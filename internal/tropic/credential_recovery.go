package tropic

import (
	"context"
	"strings"
	"time"
)

// Recovering and changing credentials (issue 13 items 6 and 7): forgotten-password
// links, changing one's password, and recovery codes for a lost second factor.

// PasswordResetLifetime is how long a forgotten-password link works; it works once.
const PasswordResetLifetime = time.Hour

// RecoveryCodeCount is how many recovery codes a user is given at a time.
const RecoveryCodeCount = 10

// Audit actions of this file's changes. Their detail never holds a token, a code or
// an e-mail address.
const (
	AuditPasswordResetAsked = "user.password_reset_requested"
	AuditPasswordReset      = "user.password_reset"
	AuditPasswordChanged    = "user.password_changed"
	AuditRecoveryCodesSet   = "user.recovery_codes_set"
	AuditRecoveryCodeUsed   = "login.recovery_code_used"
)

// HasTropicPassword reports whether a stored password hash is a password at all:
// users who sign in through their agency's single sign-on have none ("").
func HasTropicPassword(passwordHash string) bool { return passwordHash != "" }

// MayResetPassword decides whether a forgotten-password link may be sent to (or used
// for) u: an enabled account with a Tropic password. A refusal is "not found", so that
// the page that asks says the same whatever the address.
func MayResetPassword(u *User, passwordHash string) error {
	if u == nil || u.Disabled || !HasTropicPassword(passwordHash) {
		return Errorf(ENOTFOUND, "User not found.")
	}
	return nil
}

// MayChangePassword decides whether actor may change the password of u: only their
// own, and only a Tropic password (single sign-on users change theirs with their
// agency).
func MayChangePassword(actor Actor, u *User, passwordHash string) error {
	if u == nil || actor.UserID != u.ID || u.Disabled {
		return Errorf(ENOTFOUND, "User not found.")
	}
	if !HasTropicPassword(passwordHash) {
		return Errorf(EINVALID, "You sign in with your agency's account, so Tropic holds no password for you. Change it with your agency.")
	}
	return nil
}

// NormaliseRecoveryCode is how a typed recovery code is compared: case, spaces and
// hyphens do not matter.
func NormaliseRecoveryCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// GroupInFours writes s in groups of four characters joined by sep, for reading and
// typing codes and keys by hand.
func GroupInFours(s, sep string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CredentialService keeps forgotten-password links and recovery codes, and changes
// passwords. Tokens and codes arrive hashed (HashSecret); none is ever stored or
// returned in clear.
type CredentialService interface {
	// RequestPasswordReset stores a link's token hash for the account at email if
	// MayResetPassword allows, ending any earlier link of theirs, and returns the
	// user; ENOTFOUND otherwise. The link works for PasswordResetLifetime.
	RequestPasswordReset(ctx context.Context, email, tokenHash string) (*User, error)
	// CheckPasswordReset reports whether tokenHash is a live link (EINVALID if not).
	CheckPasswordReset(ctx context.Context, tokenHash string) error
	// ResetPassword uses a live link once: it sets the new password hash, clears any
	// lock, ends every session of the user and audits it, returning the user's id.
	// EINVALID for a link that is unknown, used, expired or no longer allowed.
	ResetPassword(ctx context.Context, tokenHash, passwordHash string) (int64, error)
	// ChangePassword sets the actor's own password as MayChangePassword allows and
	// ends their other sessions (all but keepSession's token).
	ChangePassword(ctx context.Context, actor Actor, passwordHash, keepSession string) error
	// ReplaceRecoveryCodes stores new code hashes for userID, the old ones ending.
	ReplaceRecoveryCodes(ctx context.Context, actor Actor, userID int64, codeHashes []string) error
	// UseRecoveryCode spends one unused code of userID's, and returns how many are
	// left; ENOTFOUND if codeHash is none of theirs or was used.
	UseRecoveryCode(ctx context.Context, userID int64, codeHash string) (int, error)
	// CountRecoveryCodes says how many unused codes userID has.
	CountRecoveryCodes(ctx context.Context, userID int64) (int, error)
}

// Mailer sends a plain-text e-mail; internal/notify's Mailer is one.
type Mailer interface {
	Send(ctx context.Context, to []string, subject, textBody string) error
}
