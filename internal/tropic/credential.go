package tropic

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// PasswordChecker checks a password against its stored hash. internal/auth
// implements it (argon2id); cmd/tropic wires it into the web server, which holds no
// hashing code of its own.
type PasswordChecker interface {
	// VerifyPassword reports whether password matches hash; an error means the hash
	// is malformed.
	VerifyPassword(password, hash string) (bool, error)
	// DummyVerify costs what VerifyPassword costs, so that an unknown account takes as
	// long to refuse as a wrong password.
	DummyVerify(password string)
	// HashPassword hashes a new password (one tropic.ValidatePassword accepted) for
	// storing: an invited user's first, or one asked for at sign-in.
	HashPassword(password string) (string, error)
}

// TOTPAuthenticator makes and checks the time-based codes of authenticator apps
// (RFC 6238). internal/auth implements it.
type TOTPAuthenticator interface {
	// NewSecret returns a new base32 secret for account.
	NewSecret(issuer, account string) (string, error)
	// KeyURL is the otpauth:// address an app reads from the QR code.
	KeyURL(issuer, account, secret string) string
	// QRCode draws keyURL as a PNG of size by size pixels.
	QRCode(keyURL string, size int) ([]byte, error)
	// Check reports whether code is right for secret at now, and for which time step
	// (so that a step is used once).
	Check(secret, code string, now time.Time) (step int64, ok bool)
}

// HashSecret is what is stored of a bearer secret (an API token, a session token):
// the hex SHA-256 of it. The secrets are long and random, so an unsalted fast hash is
// enough; a copy of the database then holds nothing that works as a credential.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
