package tropic

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
)

// References and follow-up codes use Crockford's base32 alphabet: no I, L, O or U, so
// that what is read out over the phone is not misheard or mistyped.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// ReferenceLength is the number of random characters in a report reference (45 bits),
// followed by one check character: "KM7Q-2XP-A72" (4-3-3, which reads apart from a
// follow-up code's 5-5).
//
// References issued before decision record 25 have 8 random characters and a Luhn
// mod 32 check character, "KM7Q-2XPA-7" (4-4-1). They are still accepted: the length
// tells the two schemes apart, and a mistyped character or a swap of neighbours never
// changes the length, so a new reference is only ever checked by the new scheme.
const ReferenceLength = 9

// legacyReferenceLength is the number of random characters in a reference issued
// under the old Luhn mod 32 scheme.
const legacyReferenceLength = 8

// NewReference returns a fresh random reference like "KM7Q-2XP-A72".
func NewReference() string {
	b := make([]byte, ReferenceLength)
	rand.Read(b)
	s := make([]byte, ReferenceLength)
	for i, v := range b {
		s[i] = crockford[v&31] // 256 is a multiple of 32: every character is equally likely
	}
	return formatReference(string(s) + string(dammCheck(string(s))))
}

// formatReference groups a compact reference for people: 4-3-3 for a reference of
// the current scheme, 4-4-1 for one of the old.
func formatReference(s string) string {
	if len(s) == legacyReferenceLength+1 {
		return s[:4] + "-" + s[4:8] + "-" + s[8:]
	}
	return s[:4] + "-" + s[4:7] + "-" + s[7:]
}

// The check character of a current reference is Damm's, over the quasigroup of order
// 32 given by x∗y = α·x + y in GF(32) (GF(2)[t] modulo t⁵ + t² + 1, α = t; characters
// are their index in the alphabet read as a polynomial). It is a quasigroup because α
// is not 0, and weakly totally antisymmetric because α is not 1:
// (c∗x)∗y = (c∗y)∗x means α·x + y = α·y + x, that is (α+1)(x+y) = 0, so x = y.
// A Damm check therefore catches every single changed character and every swap of
// two different neighbours, the check character included (TestDammQuasigroup proves
// both exhaustively). Decision record 25.

// gfMulAlpha multiplies x by α = t in GF(32).
func gfMulAlpha(x byte) byte {
	x <<= 1
	if x&32 != 0 {
		x ^= 0b100101 // t⁵ = t² + 1
	}
	return x
}

// dammOp is the quasigroup operation x∗y = α·x + y.
func dammOp(x, y byte) byte { return gfMulAlpha(x) ^ y }

// dammState runs the Damm check over s, from the interim digit 0.
func dammState(s string) byte {
	var st byte
	for i := 0; i < len(s); i++ {
		st = dammOp(st, byte(strings.IndexByte(crockford, s[i])))
	}
	return st
}

// dammCheck is the character c with dammState(s + c) = 0: α·state, since α·x + c = 0
// means c = α·x in characteristic 2.
func dammCheck(s string) byte { return crockford[gfMulAlpha(dammState(s))] }

// luhnCheck is the Luhn mod 32 check character of references issued before the
// Damm scheme. It catches every single mistyped character but misses swaps of "0"
// and "Z" (values 0 and 31), so it is used only to accept those references.
func luhnCheck(s string) byte {
	factor, sum := 2, 0
	for i := len(s) - 1; i >= 0; i-- {
		add := factor * strings.IndexByte(crockford, s[i])
		if factor == 2 {
			factor = 1
		} else {
			factor = 2
		}
		sum += add/32 + add%32
	}
	return crockford[(32-sum%32)%32]
}

// ErrBadReference says a reference is not one Tropic could have given: it is
// mistyped, or was never a reference.
var ErrBadReference = errors.New("not a valid reference")

// ErrReferenceMistyped is a reference of the right shape whose check character does
// not match: a character was mistyped, so "it should look like ..." would mislead.
// It is an ErrBadReference.
var ErrReferenceMistyped = fmt.Errorf("%w: a character is mistyped", ErrBadReference)

// ParseReference reads a reference as people type it: any case, with or without
// spaces and hyphens, with O for 0 and I or L for 1. It returns the canonical form
// or ErrBadReference when the check character does not match: 10 characters are a
// current reference (Damm), 9 one issued before (Luhn mod 32).
func ParseReference(s string) (string, error) {
	if len(s) > 40 {
		return "", ErrBadReference
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || strings.IndexByte(crockford, byte(r)) < 0 {
			return "", ErrBadReference
		}
		b.WriteRune(r)
	}
	c := b.String()
	switch len(c) {
	case ReferenceLength + 1:
		if dammState(c) != 0 {
			return "", ErrReferenceMistyped
		}
	case legacyReferenceLength + 1:
		if luhnCheck(c[:legacyReferenceLength]) != c[legacyReferenceLength] {
			return "", ErrReferenceMistyped
		}
	default:
		return "", ErrBadReference
	}
	return formatReference(c), nil
}

// FollowUpCode derives the follow-up code from the form's key. The key is 128 random
// bits that only the reporter's browser holds, so the code is unguessable; deriving
// it means that a report submitted twice (double click, refresh) shows the same code
// again, while the store keeps only hashes of the key and the code.
func FollowUpCode(formKey string) string {
	sum := sha256.Sum256([]byte("tropic follow-up code\x00" + formKey))
	code := make([]byte, 10)
	for i := range code {
		code[i] = crockford[sum[i]&31]
	}
	return string(code[:5]) + "-" + string(code[5:])
}

// NewFollowUpCode returns a random follow-up code, for reports taken without a form key.
func NewFollowUpCode() string {
	b := make([]byte, 16)
	rand.Read(b)
	return FollowUpCode(string(b))
}

// HashFollowUpCode is a follow-up code read as people type it and hashed with
// SHA-256: what the store seals with a slow salted hash (argon2id) and checks against
// what it sealed. The SHA-256 form alone is never stored: the code has only about 50
// random bits, which a fast hash would give back to an offline search.
func HashFollowUpCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch r {
		case ' ', '-':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		b.WriteRune(r)
	}
	return hashHex("tropic follow-up code hash\x00" + b.String())
}

// HashFormKey is the stored form of a form key, used to recognise a second submission.
func HashFormKey(formKey string) string { return hashHex("tropic form key\x00" + formKey) }

// ValidFormKey reports whether k looks like a key Tropic made: 32 hex digits.
func ValidFormKey(k string) bool {
	if len(k) != 32 {
		return false
	}
	for _, r := range k {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// NewFormKey returns a fresh form key.
func NewFormKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	const hexdigits = "0123456789abcdef"
	out := make([]byte, 32)
	for i, v := range b {
		out[2*i], out[2*i+1] = hexdigits[v>>4], hexdigits[v&15]
	}
	return string(out)
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	const hexdigits = "0123456789abcdef"
	out := make([]byte, 64)
	for i, v := range sum {
		out[2*i], out[2*i+1] = hexdigits[v>>4], hexdigits[v&15]
	}
	return string(out)
}
