package auth

import (
	"crypto/rand"
	"encoding/base32"
	"strings"

	"tropic/internal/tropic"
)

// TokenPrefix marks Tropic API tokens so that secret scanners and people can spot them.
const TokenPrefix = "tropic_"

// NewToken returns a new API token secret (shown once) and the hash to store.
// The secret holds 160 random bits, so a fast hash is enough to store it safely.
func NewToken() (secret, hash string, err error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return secret, HashToken(secret), nil
}

// HashToken returns the stored form of a token secret (tropic.HashSecret).
func HashToken(secret string) string { return tropic.HashSecret(secret) }

// DisplayPrefix is the part of a secret that may be shown to tell tokens apart.
func DisplayPrefix(secret string) string {
	if len(secret) < len(TokenPrefix)+6 {
		return secret
	}
	return secret[:len(TokenPrefix)+6]
}
