package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

func TestSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		s := e.sessions
		// Each step acts on the store, moves the clock, then looks the token up.
		tests := []struct {
			name     string
			act      func(t *testing.T)
			advance  time.Duration
			token    string
			wantData string
			wantOK   bool
		}{
			{name: "An unknown token is not found, without an error", token: "nope"},
			{name: "A committed session is found with its data",
				act: func(t *testing.T) {
					mustCommit(t, s, "alpha", "one", t0.Add(time.Minute))
				}, token: "alpha", wantData: "one", wantOK: true},
			{name: "Committing a session again replaces its data and expiry",
				act: func(t *testing.T) {
					mustCommit(t, s, "alpha", "two", t0.Add(2*time.Second))
				}, token: "alpha", wantData: "two", wantOK: true},
			{name: "A session is found up to just before its expiry",
				advance: 1500 * time.Millisecond, token: "alpha", wantData: "two", wantOK: true},
			{name: "A session is not found at its expiry",
				advance: 500 * time.Millisecond, token: "alpha"},
			{name: "An expiry with a fraction of a second is honoured after a whole-second one",
				act: func(t *testing.T) {
					mustCommit(t, s, "beta", "b", e.clock.Now().Add(250*time.Millisecond))
				}, advance: 249 * time.Millisecond, token: "beta", wantData: "b", wantOK: true},
			{name: "A deleted session is not found",
				act: func(t *testing.T) {
					mustCommit(t, s, "gamma", "g", e.clock.Now().Add(time.Hour))
					if err := s.Delete("gamma"); err != nil {
						t.Fatalf("delete: %v", err)
					}
				}, token: "gamma"},
			{name: "Deleting an unknown session is not an error",
				act: func(t *testing.T) {
					if err := s.DeleteCtx(ctx, "never"); err != nil {
						t.Fatalf("delete: %v", err)
					}
				}, token: "never"},
			{name: "A session committed in another time zone expires at the same instant",
				act: func(t *testing.T) {
					tokyo := time.FixedZone("JST", 9*3600)
					mustCommit(t, s, "delta", "d", e.clock.Now().Add(time.Second).In(tokyo))
				}, advance: time.Second, token: "delta"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.act != nil {
					tt.act(t)
				}
				e.clock.Advance(tt.advance)
				data, ok, err := s.FindCtx(ctx, tt.token)
				if err != nil {
					t.Fatalf("find: %v", err)
				}
				if ok != tt.wantOK || string(data) != tt.wantData {
					t.Fatalf("got %q, %v; want %q, %v", data, ok, tt.wantData, tt.wantOK)
				}
			})
		}
	})
}

func mustCommit(t *testing.T, s *store.SessionStore, token, data string, expiry time.Time) {
	t.Helper()
	if err := s.Commit(token, []byte(data), expiry); err != nil {
		t.Fatalf("commit %s: %v", token, err)
	}
}

func TestDeleteExpiredSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		s := e.sessions
		mustCommit(t, s, "old", "o", t0.Add(-time.Hour))
		mustCommit(t, s, "edge", "e", t0.Add(time.Second))
		mustCommit(t, s, "live", "l", t0.Add(time.Hour))
		tests := []struct {
			name     string
			at       time.Duration // the clock, after t0
			wantGone int64
			wantLive []string
		}{
			{"Only sessions past their expiry are deleted", 0, 1, []string{"edge", "live"}},
			{"Nothing is deleted when nothing has expired since", 999 * time.Millisecond, 0, []string{"edge", "live"}},
			{"A session is deleted at its expiry", time.Second, 1, []string{"live"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.clock.Set(t0.Add(tt.at))
				n, err := s.DeleteExpired(ctx)
				if err != nil || n != tt.wantGone {
					t.Fatalf("got %d, %v; want %d deleted", n, err, tt.wantGone)
				}
				// Look from before every expiry, so that only deleted rows are missing.
				e.clock.Set(t0.Add(-2 * time.Hour))
				for _, tok := range []string{"old", "edge", "live"} {
					_, ok, err := s.Find(tok)
					if err != nil {
						t.Fatalf("find %s: %v", tok, err)
					}
					if want := slices.Contains(tt.wantLive, tok); ok != want {
						t.Fatalf("got %s present %v, want %v", tok, ok, want)
					}
				}
			})
		}
	})
}

// Hole 10 (issue 11): sessions were stored in clear, so a backup gave working staff
// sessions. The table holds only the hash of a token, and migration 0110 leaves no
// token stored before it.
func TestSessionTokensAreStoredHashed(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		t.Run("The table holds the token's hash, and the hash does not find the session", func(t *testing.T) {
			e := newEnv(t, d)
			const token = "a-session-token-from-a-cookie"
			mustCommit(t, e.sessions, token, "staff", t0.Add(time.Hour))
			var stored string
			if err := e.db.SQL().QueryRow(`SELECT token_hash FROM sessions`).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if stored == token || stored != tropic.HashSecret(token) {
				t.Fatalf("got %q stored, want the hash of the token, %q", stored, tropic.HashSecret(token))
			}
			if _, ok, err := e.sessions.FindCtx(ctx, stored); ok || err != nil {
				t.Fatalf("the stored value used as a token: got found %v, %v; want not found", ok, err)
			}
			if _, ok, err := e.sessions.FindCtx(ctx, token); !ok || err != nil {
				t.Fatalf("the token: got found %v, %v; want found", ok, err)
			}
		})
		t.Run("Migrating deletes the sessions stored in clear", func(t *testing.T) {
			dsn := storetest.NewDatabase(t, d)
			db, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := store.MigrateTo(ctx, db, 7); err != nil {
				t.Fatal(err)
			}
			q := `INSERT INTO sessions (token, data, expiry) VALUES ('clear-token', 'x', '2999-01-01 00:00:00')`
			if _, err := db.SQL().Exec(q); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil || n != 0 {
				t.Fatalf("got %d sessions (%v) after migrating, want none", n, err)
			}
		})
	})
}
