package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestTokens(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := e.agency(t, "Police")
		owner := e.user(t, a.ID, "owner@example.org", tropic.RoleAnalyst)
		leaver := e.user(t, a.ID, "leaver@example.org")
		actor := tropic.ActorFor(owner)

		// newToken stores a token with the given expiry for user, and returns its hash.
		n := 0
		newToken := func(t *testing.T, userID int64, expires time.Time) (*tropic.Token, string) {
			t.Helper()
			n++
			hash := fmt.Sprintf("token-hash-%d", n)
			tok := &tropic.Token{UserID: userID, Name: "script", Prefix: "tropic_abcdef", ExpiresAt: expires}
			if err := e.tokens.CreateToken(ctx, actor, tok, hash); err != nil {
				t.Fatalf("create token: %v", err)
			}
			return tok, hash
		}

		tests := []struct {
			name     string
			hash     func(t *testing.T) string // sets up and returns the hash to authenticate with
			wantCode string
		}{
			{"A live token authenticates its user", func(t *testing.T) string {
				_, h := newToken(t, owner.ID, time.Time{})
				return h
			}, ""},
			{"A token not yet expired authenticates", func(t *testing.T) string {
				_, h := newToken(t, owner.ID, e.clock.Now().Add(time.Hour))
				e.clock.Advance(time.Hour - time.Microsecond)
				return h
			}, ""},
			{"An unknown hash is unauthorised", func(t *testing.T) string { return strings.Repeat("0", 64) }, tropic.EUNAUTHORISED},
			{"An empty hash is unauthorised", func(t *testing.T) string { return "" }, tropic.EUNAUTHORISED},
			{"A token at its expiry time is unauthorised", func(t *testing.T) string {
				_, h := newToken(t, owner.ID, e.clock.Now().Add(time.Hour))
				e.clock.Advance(time.Hour)
				return h
			}, tropic.EUNAUTHORISED},
			{"A revoked token is unauthorised", func(t *testing.T) string {
				tok, h := newToken(t, owner.ID, time.Time{})
				if err := e.tokens.RevokeToken(ctx, actor, tok.ID); err != nil {
					t.Fatalf("revoke: %v", err)
				}
				return h
			}, tropic.EUNAUTHORISED},
			{"A token of a user disabled after it was issued is unauthorised", func(t *testing.T) string {
				_, h := newToken(t, leaver.ID, time.Time{})
				if err := e.users.DisableUser(ctx, admin, leaver.ID); err != nil {
					t.Fatalf("disable: %v", err)
				}
				return h
			}, tropic.EUNAUTHORISED},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u, err := e.tokens.AuthenticateToken(ctx, tt.hash(t))
				wantCode(t, err, tt.wantCode)
				if tt.wantCode == "" && (u.ID != owner.ID || joinRoles(u.Roles) != "analyst") {
					t.Fatalf("got user %d with roles %v, want %d with analyst", u.ID, u.Roles, owner.ID)
				}
			})
		}
	})
}

func TestCreateToken(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := e.agency(t, "Police")
		u := e.user(t, a.ID, "tokens@example.org")
		gone := e.user(t, a.ID, "gone@example.org")
		if err := e.users.DisableUser(ctx, admin, gone.ID); err != nil {
			t.Fatalf("disable: %v", err)
		}
		tests := []struct {
			name      string
			token     tropic.Token
			hash      string
			wantCode  string
			wantField string
			wantName  string
		}{
			{name: "A token is stored with its name, prefix and expiry, and audited",
				token: tropic.Token{UserID: u.ID, Name: " Nightly export ", Prefix: "tropic_abc123", ExpiresAt: t0.Add(24 * time.Hour)},
				hash:  "hash-1", wantName: "Nightly export"},
			{name: "A token without a name is called API token",
				token: tropic.Token{UserID: u.ID, Prefix: "tropic_def456"},
				hash:  "hash-2", wantName: "API token"},
			{name: "A token name over 100 characters is invalid on the name field",
				token: tropic.Token{UserID: u.ID, Name: strings.Repeat("n", 101)},
				hash:  "hash-3", wantCode: tropic.EINVALID, wantField: "name"},
			{name: "A token for a user that does not exist is not found",
				token: tropic.Token{UserID: 987654, Name: "x"},
				hash:  "hash-4", wantCode: tropic.ENOTFOUND},
			{name: "A token for a disabled user is invalid",
				token: tropic.Token{UserID: gone.ID, Name: "x"},
				hash:  "hash-5", wantCode: tropic.EINVALID},
			{name: "A second token with the same hash is a conflict",
				token: tropic.Token{UserID: u.ID, Name: "copy"},
				hash:  "hash-1", wantCode: tropic.ECONFLICT},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(e.actions(t))
				tok := tt.token
				err := e.tokens.CreateToken(ctx, admin, &tok, tt.hash)
				wantCode(t, err, tt.wantCode)
				wantField(t, err, tt.wantField)
				if tt.wantCode != "" {
					if got := len(e.actions(t)); got != before {
						t.Fatalf("got %d audit events after a refused create, want %d", got, before)
					}
					return
				}
				found, err := e.tokens.FindTokens(ctx, u.ID)
				if err != nil || len(found) == 0 {
					t.Fatalf("got %v, %v; want the new token listed", found, err)
				}
				got := found[0] // newest first
				if got.ID != tok.ID || got.Name != tt.wantName || got.Prefix != tt.token.Prefix || !got.CreatedAt.Equal(t0) ||
					!got.ExpiresAt.Equal(tt.token.ExpiresAt) || !got.RevokedAt.IsZero() || !got.LastUsedAt.IsZero() {
					t.Fatalf("got %+v, want token %d named %q, prefix %q, expiring %v", got, tok.ID, tt.wantName, tt.token.Prefix, tt.token.ExpiresAt)
				}
				if ev := e.lastEvent(t); ev.Action != tropic.AuditTokenCreated || ev.ObjectType != "token" || ev.ObjectID != tok.ID {
					t.Fatalf("got audit event %+v, want %s of token %d", ev, tropic.AuditTokenCreated, tok.ID)
				}
			})
		}
	})
}

func TestRevokeToken(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.user(t, e.agency(t, "Police").ID, "revoke@example.org")
		tok := &tropic.Token{UserID: u.ID, Name: "to revoke"}
		if err := e.tokens.CreateToken(ctx, admin, tok, "revoke-hash"); err != nil {
			t.Fatalf("create token: %v", err)
		}
		tests := []struct {
			name       string
			id         int64
			wantCode   string
			wantAction string
		}{
			{"A live token is revoked and the revocation audited", tok.ID, "", tropic.AuditTokenRevoked},
			{"Revoking it twice is a conflict", tok.ID, tropic.ECONFLICT, ""},
			{"Revoking a token that does not exist is not found", 987654, tropic.ENOTFOUND, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(e.actions(t))
				e.clock.Advance(time.Minute)
				wantCode(t, e.tokens.RevokeToken(ctx, admin, tt.id), tt.wantCode)
				if tt.wantCode != "" {
					if got := len(e.actions(t)); got != before {
						t.Fatalf("got %d audit events after a refused revoke, want %d", got, before)
					}
					return
				}
				if ev := e.lastEvent(t); ev.Action != tt.wantAction || ev.ObjectID != tt.id {
					t.Fatalf("got audit event %+v, want %s of token %d", ev, tt.wantAction, tt.id)
				}
				found, err := e.tokens.FindTokens(ctx, 0)
				if err != nil || len(found) != 1 || !found[0].RevokedAt.Equal(e.clock.Now()) {
					t.Fatalf("got %v, %v; want one token revoked at %v", found, err, e.clock.Now())
				}
			})
		}
	})
}

func TestAuthenticateTokenNotesUse(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.user(t, e.agency(t, "Police").ID, "used@example.org")
		if err := e.tokens.CreateToken(ctx, admin, &tropic.Token{UserID: u.ID}, "used-hash"); err != nil {
			t.Fatalf("create token: %v", err)
		}
		tests := []struct {
			name     string
			advance  time.Duration
			wantUsed time.Time
		}{
			{"The first use is noted", 0, t0},
			{"A use within a minute of the last noted one is not noted again", 30 * time.Second, t0},
			{"A use more than a minute after the last noted one is noted", 31 * time.Second, t0.Add(61 * time.Second)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.clock.Advance(tt.advance)
				if _, err := e.tokens.AuthenticateToken(ctx, "used-hash"); err != nil {
					t.Fatalf("authenticate: %v", err)
				}
				found, err := e.tokens.FindTokens(ctx, u.ID)
				if err != nil || len(found) != 1 {
					t.Fatalf("got %v, %v; want one token", found, err)
				}
				if got := found[0].LastUsedAt; !got.Equal(tt.wantUsed) {
					t.Fatalf("got last used %v, want %v", got, tt.wantUsed)
				}
			})
		}
	})
}
