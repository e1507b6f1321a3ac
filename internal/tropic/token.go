package tropic

import (
	"context"
	"time"
)

// Token is an API token. Only a hash of its secret is stored; the secret is shown once.
type Token struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	Name       string    `json:"name"`
	Prefix     string    `json:"prefix"` // the first characters of the secret, to tell tokens apart
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
}

// TokenService manages API tokens.
type TokenService interface {
	CreateToken(ctx context.Context, actor Actor, t *Token, secretHash string) error
	RevokeToken(ctx context.Context, actor Actor, id int64) error
	FindTokens(ctx context.Context, userID int64) ([]*Token, error)
	// AuthenticateToken returns the enabled user owning an unrevoked, unexpired token
	// with this hash, and notes its use; EUNAUTHORISED otherwise.
	AuthenticateToken(ctx context.Context, secretHash string) (*User, error)
}
