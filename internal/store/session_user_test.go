package store_test

import (
	"context"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// commitFor stores a session bound to userID under the default limits.
func commitFor(t *testing.T, s *store.SessionStore, token string, userID int64) {
	t.Helper()
	if err := s.CommitSession(context.Background(), token, []byte("data-"+token), userID, tropic.SessionLimits{}); err != nil {
		t.Fatalf("commit %s: %v", token, err)
	}
}

// wantLive fails unless the session with token is found (or not) under the defaults.
func wantLive(t *testing.T, s *store.SessionStore, token string, want bool) {
	t.Helper()
	_, ok, err := s.FindSession(context.Background(), token, tropic.SessionLimits{})
	if err != nil || ok != want {
		t.Errorf("session %s: found %v, %v; want found %v", token, ok, err, want)
	}
}

func TestSessionLimitsInTheStore(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		s := e.sessions
		commitFor(t, s, "busy", 0)
		commitFor(t, s, "idle", 0)
		// "busy" is used every 25 minutes for 11h40; "idle" is left alone.
		for i := 0; i < 28; i++ {
			e.clock.Advance(25 * time.Minute)
			wantLive(t, s, "busy", true)
			commitFor(t, s, "busy", 0)
			if i == 0 {
				wantLive(t, s, "idle", true)
			}
			if i == 1 {
				wantLive(t, s, "idle", false) // 50 minutes idle
				// Its row expired with the idle timeout, not at the end of its lifetime.
				if n, err := s.DeleteExpired(context.Background()); err != nil || n != 1 {
					t.Errorf("deleting expired sessions after 50 minutes: %d, %v; want the idle one", n, err)
				}
			}
		}
		e.clock.Advance(20 * time.Minute) // 12 hours since "busy" began, used 20 minutes ago
		wantLive(t, s, "busy", false)
		// Use never moved its expiry past the end of its lifetime.
		if n, err := s.DeleteExpired(context.Background()); err != nil || n != 1 {
			t.Errorf("deleting expired sessions after 12 hours: %d, %v; want the busy one", n, err)
		}
	})
}

func TestUserSessionsListedAndEnded(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		police := e.agency(t, "Police")
		sam := e.user(t, police.ID, "sam@police.example")
		alex := e.user(t, police.ID, "alex@police.example")
		commitFor(t, e.sessions, "sam-laptop", sam.ID)
		e.clock.Advance(time.Minute)
		commitFor(t, e.sessions, "sam-phone", sam.ID)
		commitFor(t, e.sessions, "alex-desk", alex.ID)
		commitFor(t, e.sessions, "anonymous", 0)
		asSam, asAlex := tropic.ActorFor(sam), tropic.ActorFor(alex)

		list, err := e.sessions.ListSessions(ctx, asSam, sam.ID, "sam-laptop", tropic.SessionLimits{})
		if err != nil || len(list) != 2 {
			t.Fatalf("Sam's sessions: %+v, %v; want 2", list, err)
		}
		if list[0].Current || !list[1].Current || list[1].UserID != sam.ID {
			t.Errorf("newest first with the laptop current: %+v", list)
		}
		if want := t0.Add(31 * time.Minute); !list[0].Expires.Equal(want) {
			t.Errorf("the phone expires %v, want %v", list[0].Expires, want)
		}
		if _, err := e.sessions.ListSessions(ctx, asAlex, sam.ID, "", tropic.SessionLimits{}); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("Alex listing Sam's sessions: %v, want not found", err)
		}

		// Alex cannot end Sam's sessions, one by one or all at once.
		wantCode(t, e.sessions.EndSession(ctx, asAlex, list[0].ID), tropic.ENOTFOUND)
		if _, err := e.sessions.EndUserSessions(ctx, asAlex, sam.ID, ""); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("Alex ending all Sam's sessions: %v, want not found", err)
		}
		wantLive(t, e.sessions, "sam-phone", true)
		wantCode(t, e.sessions.EndSession(ctx, asSam, 987654), tropic.ENOTFOUND)

		// Sam ends the phone from the laptop, then every other session.
		if err := e.sessions.EndSession(ctx, asSam, list[0].ID); err != nil {
			t.Fatalf("Sam ending the phone: %v", err)
		}
		wantLive(t, e.sessions, "sam-phone", false)
		wantSessionsEndedEvent(t, e, sam.ID, "one session")
		commitFor(t, e.sessions, "sam-tablet", sam.ID)
		if n, err := e.sessions.EndUserSessions(ctx, asSam, sam.ID, "sam-laptop"); err != nil || n != 1 {
			t.Fatalf("ending the others: %d, %v; want 1", n, err)
		}
		wantLive(t, e.sessions, "sam-tablet", false)
		wantLive(t, e.sessions, "sam-laptop", true)
		wantSessionsEndedEvent(t, e, sam.ID, "other sessions: 1")
		if n, err := e.sessions.EndUserSessions(ctx, asSam, sam.ID, ""); err != nil || n != 1 {
			t.Fatalf("ending all: %d, %v; want 1", n, err)
		}
		wantLive(t, e.sessions, "sam-laptop", false)
		wantSessionsEndedEvent(t, e, sam.ID, "everywhere: 1")
		wantLive(t, e.sessions, "alex-desk", true)
		wantLive(t, e.sessions, "anonymous", true)
	})
}

func TestDisablingEndsSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		police := e.agency(t, "Police")
		council := e.agency(t, "Council")
		sam := e.user(t, police.ID, "sam@police.example")
		alex := e.user(t, police.ID, "alex@police.example")
		kim := e.user(t, council.ID, "kim@council.example")
		commitFor(t, e.sessions, "sam", sam.ID)
		commitFor(t, e.sessions, "alex", alex.ID)
		commitFor(t, e.sessions, "kim", kim.ID)

		if err := e.users.DisableUser(ctx, admin, sam.ID); err != nil {
			t.Fatal(err)
		}
		wantLive(t, e.sessions, "sam", false)
		wantLive(t, e.sessions, "alex", true)
		if err := e.agencies.DisableAgency(ctx, admin, council.ID); err != nil {
			t.Fatal(err)
		}
		wantLive(t, e.sessions, "kim", false)
		wantLive(t, e.sessions, "alex", true)
		// Disabling a user who does not exist changes nothing.
		wantCode(t, e.users.DisableUser(ctx, admin, 987654), tropic.ENOTFOUND)
		wantLive(t, e.sessions, "alex", true)
	})
}

// wantSessionsEndedEvent checks that the newest audit event is userID ending sessions.
func wantSessionsEndedEvent(t *testing.T, e *env, userID int64, detail string) {
	t.Helper()
	ev := e.lastEvent(t)
	if ev.Action != tropic.AuditSessionsEnded || ev.ObjectID != userID || ev.UserID != userID || ev.Detail != detail {
		t.Errorf("audit event %+v; want %s of user %d by them, %q", ev, tropic.AuditSessionsEnded, userID, detail)
	}
}
