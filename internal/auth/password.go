// Package auth holds the cryptography of signing in: argon2id password hashes, TOTP
// codes for multi-factor authentication and API token secrets. It keeps no state.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters. Defaults follow RFC 9106's second recommended
// option and OWASP's guidance (64 MiB, 3 passes); tests may use cheaper ones.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams is what new hashes use.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2}

// FollowUpCodeParams are the cost of sealing a report's follow-up code: argon2id with
// 8 MiB and one pass, a salt per code. A code is not a password: it has about 50
// random bits, so even at 5 ms a guess, finding one code offline takes some 2^49
// guesses, about 90,000 core-years; OWASP's password minimum (19 MiB, 2 passes) cost 7
// times as much here and cut public intake, which seals a code per report, to a few
// reports a second under load. BenchmarkFollowUpCodeVerify measures it.
var FollowUpCodeParams = Params{Memory: 8 * 1024, Time: 1, Threads: 1}

// DemoFollowUpCodeParams are a token cost for the demo's synthetic reports only
// (thousands are seeded at start); never for a real database.
var DemoFollowUpCodeParams = Params{Memory: 64, Time: 1, Threads: 1}

// HashPassword returns a PHC-format argon2id hash of pw with a fresh salt.
func HashPassword(pw string, p Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrMalformedHash says a stored hash cannot be read.
var ErrMalformedHash = errors.New("malformed password hash")

// VerifyPassword reports whether pw matches the PHC-format hash, in constant time.
func VerifyPassword(pw, hash string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformedHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.Memory > 1<<22 || p.Time > 100 {
		return false, ErrMalformedHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformedHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false, ErrMalformedHash
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// DummyVerify spends the time of one verification, so that an unknown account answers
// as slowly as a wrong password.
func DummyVerify(pw string, p Params) {
	argon2.IDKey([]byte(pw), []byte("tropic-dummy-salt"), p.Time, p.Memory, p.Threads, 32)
}

// Passwords is the argon2id tropic.PasswordChecker, with the cost new hashes would
// use for DummyVerify.
type Passwords struct{ Params Params }

// VerifyPassword reports whether pw matches hash.
func (p Passwords) VerifyPassword(pw, hash string) (bool, error) { return VerifyPassword(pw, hash) }

// DummyVerify costs one verification at p's cost.
func (p Passwords) DummyVerify(pw string) { DummyVerify(pw, p.Params) }

// HashPassword hashes a new password at p's cost.
func (p Passwords) HashPassword(pw string) (string, error) { return HashPassword(pw, p.Params) }
