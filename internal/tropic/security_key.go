package tropic

import (
	"context"
	"strings"
	"time"
)

// Security keys and passkeys (WebAuthn) as a second factor besides the authenticator
// app (issue 13 item 6). Tropic keeps each key's credential as the WebAuthn library
// serialises it (public key, sign counter, flags): nothing secret.

// SecurityKey is one registered WebAuthn credential of a user.
type SecurityKey struct {
	ID           int64
	UserID       int64
	Name         string // the user's name for it, e.g. "Blue YubiKey"
	CredentialID string // base64url of the credential id
	Data         []byte // the library's JSON of the credential
	CreatedAt    time.Time
	LastUsedAt   time.Time // zero: never used to sign in
}

// Audit actions of security keys.
const (
	AuditSecurityKeyAdded   = "mfa.security_key_added"
	AuditSecurityKeyUsed    = "login.security_key_used"
	AuditSecurityKeyRemoved = "mfa.security_key_removed"
)

// MaxSecurityKeys is how many keys one user may register.
const MaxSecurityKeys = 10

// ValidateSecurityKeyName checks the name a user gives a key.
func ValidateSecurityKeyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	var p Problems
	if name == "" {
		p.Add("name", "Enter a name for the security key, like Blue key or Work laptop")
	} else {
		CheckText(&p, "name", "Name", name, 60)
	}
	return name, p.Err()
}

// MayRemoveSecurityKey decides whether a user may remove one of their own keys: not
// the last second factor they hold (no authenticator app, no other key), as Tropic
// asks every staff member for one; an administrator's reset of the second factor is the
// way out then.
func MayRemoveSecurityKey(hasAuthenticatorApp bool, keys int) error {
	if !hasAuthenticatorApp && keys <= 1 {
		return Errorf(ECONFLICT, "This is your only second factor, so it cannot be removed: add another security key or set up an authenticator app first.")
	}
	return nil
}

// SecurityKeyService keeps users' security keys.
type SecurityKeyService interface {
	// AddSecurityKey registers a key for the actor themself (at most MaxSecurityKeys).
	AddSecurityKey(ctx context.Context, actor Actor, k *SecurityKey) error
	// FindSecurityKeys lists a user's keys, oldest first.
	FindSecurityKeys(ctx context.Context, userID int64) ([]*SecurityKey, error)
	// UseSecurityKey records a sign-in with the key (its updated data: the sign
	// counter) and audits it; ENOTFOUND if the user has no such key.
	UseSecurityKey(ctx context.Context, userID int64, credentialID string, data []byte) error
	// RemoveSecurityKey removes one of the actor's own keys (MayRemoveSecurityKey);
	// ENOTFOUND for a key that is not theirs.
	RemoveSecurityKey(ctx context.Context, actor Actor, keyID int64) error
}
