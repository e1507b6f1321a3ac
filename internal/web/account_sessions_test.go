package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

func TestSessionIdleTimeoutSlidesWithUse(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("sam@police.example")
	c := ts.client(t)
	c.signInWaived("sam@police.example")
	// Used every 20 minutes for two hours: still signed in, on the injected clock.
	for i := 0; i < 6; i++ {
		ts.clock.Advance(20 * time.Minute)
		wantStatus(t, c.get("/staff"), http.StatusOK)
	}
	ts.clock.Advance(29 * time.Minute)
	wantStatus(t, c.get("/staff"), http.StatusOK)
	ts.clock.Advance(30 * time.Minute) // idle for exactly the timeout
	wantRedirect(t, c.get("/staff"), "/login")
}

func TestSessionLifetimeEndsEvenWithUse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      Config
		lifetime time.Duration
	}{
		{"By default a session ends 12 hours after signing in.", Config{MFAWaived: true}, 12 * time.Hour},
		{"A configured lifetime of 2 hours ends it after 2 hours.", Config{MFAWaived: true, SessionLifetime: 2 * time.Hour}, 2 * time.Hour},
		{"A configured idle timeout of 10 minutes with use every 9 keeps it to its lifetime.", Config{MFAWaived: true, SessionIdle: 10 * time.Minute, SessionLifetime: time.Hour}, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, tt.cfg)
			ts.addUser("sam@police.example")
			c := ts.client(t)
			c.signInWaived("sam@police.example")
			step := min(25*time.Minute, ts.cfg.SessionIdle-time.Minute)
			var used time.Duration
			for used+step < tt.lifetime {
				ts.clock.Advance(step)
				used += step
				if res := c.get("/staff"); res.status != http.StatusOK {
					t.Fatalf("after %v of use: got %d, want 200", used, res.status)
				}
			}
			ts.clock.Advance(tt.lifetime - used) // a moment after the last use, at the lifetime
			wantRedirect(t, c.get("/staff"), "/login")
		})
	}
}

// sessionRows counts the sessions "your sessions" lists: one table row each, after the header.
func sessionRows(body string) int { return strings.Count(body, `<tr class="govuk-table__row">`) - 1 }

func TestSignOutEverywhere(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("sam@police.example")
	ts.addUser("alex@police.example")
	laptop, phone, alex := ts.client(t), ts.client(t), ts.client(t)
	laptop.signInWaived("sam@police.example")
	ts.clock.Advance(time.Minute)
	phone.signInWaived("sam@police.example")
	alex.signInWaived("alex@police.example")

	page := laptop.get("/account/sessions")
	wantStatus(t, page, http.StatusOK)
	if n := sessionRows(page.body); n != 2 {
		t.Fatalf("Sam's sessions page lists %d sessions, want 2:\n%s", n, pageText(page.body))
	}
	wantContains(t, page.body, "This session", "Sign out of all other sessions", "Sign out everywhere", "30 minutes", "12 hours")
	wantNotContains(t, page.body, laptop.sessionToken(), phone.sessionToken(), tropic.HashSecret(laptop.sessionToken()))
	if strings.Count(page.body, "This session") != 1 {
		t.Errorf("more than one session marked as this one")
	}
	wantContains(t, laptop.get("/staff").body, `href="/account/sessions"`)

	t.Run("Signing out of the other sessions ends the phone's, not the laptop's nor Alex's.", func(t *testing.T) {
		wantRedirect(t, laptop.post("/account/sessions/others", nil), "/account/sessions")
		wantContains(t, laptop.get("/account/sessions").body, "Signed out of 1 other session.")
		wantRedirect(t, phone.get("/staff"), "/login")
		wantStatus(t, laptop.get("/staff"), http.StatusOK)
		wantStatus(t, alex.get("/staff"), http.StatusOK)
	})

	t.Run("Signing out everywhere ends every session of Sam's, this one too.", func(t *testing.T) {
		phone.signInWaived("sam@police.example")
		wantRedirect(t, laptop.post("/account/sessions/all", nil), "/login?signed_out=1")
		wantRedirect(t, laptop.get("/staff"), "/login")
		wantRedirect(t, phone.get("/staff"), "/login")
		wantStatus(t, alex.get("/staff"), http.StatusOK)
	})
}

func TestSignOutOfOneSession(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	sam := ts.addUser("sam@police.example")
	alex := ts.addUser("alex@police.example")
	laptop, phone, alexs := ts.client(t), ts.client(t), ts.client(t)
	laptop.signInWaived("sam@police.example")
	phone.signInWaived("sam@police.example")
	alexs.signInWaived("alex@police.example")
	idOf := func(userID int64, c *client) int64 {
		t.Helper()
		list, err := ts.sessions.ListSessions(context.Background(), tropic.SystemActor("test"), userID, c.sessionToken(), ts.cfg.sessionLimits())
		if err != nil {
			t.Fatal(err)
		}
		for _, ss := range list {
			if ss.Current {
				return ss.ID
			}
		}
		t.Fatalf("no session of user %d for this client", userID)
		return 0
	}

	t.Run("A user cannot end someone else's session: it is missing to them.", func(t *testing.T) {
		res := laptop.post(fmt.Sprintf("/account/sessions/%d/end", idOf(alex.ID, alexs)), nil)
		missing := laptop.post("/account/sessions/99999999/end", nil)
		wantStatus(t, missing, http.StatusNotFound)
		if res.status != http.StatusNotFound || withoutNonce(res.body) != withoutNonce(missing.body) {
			t.Errorf("ending Alex's session: got %d, want the missing page", res.status)
		}
		wantStatus(t, alexs.get("/staff"), http.StatusOK)
		wantStatus(t, laptop.get("/staff"), http.StatusOK)
	})

	t.Run("A user ends one of their other sessions.", func(t *testing.T) {
		wantRedirect(t, laptop.post(fmt.Sprintf("/account/sessions/%d/end", idOf(sam.ID, phone)), nil), "/account/sessions")
		wantRedirect(t, phone.get("/staff"), "/login")
		wantStatus(t, laptop.get("/staff"), http.StatusOK)
	})

	t.Run("Ending this session by its number signs out for good.", func(t *testing.T) {
		wantRedirect(t, laptop.post(fmt.Sprintf("/account/sessions/%d/end", idOf(sam.ID, laptop)), nil), "/login?signed_out=1")
		wantRedirect(t, laptop.get("/staff"), "/login")
	})

	t.Run("Someone not signed in is sent to sign in.", func(t *testing.T) {
		anon := ts.client(t)
		wantRedirect(t, anon.post(fmt.Sprintf("/account/sessions/%d/end", idOf(alex.ID, alexs)), nil), "/login")
		wantStatus(t, alexs.get("/staff"), http.StatusOK)
	})
}

func TestDisablingAUserEndsTheirSessions(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	sam := ts.addUser("sam@police.example")
	c := ts.client(t)
	c.signInWaived("sam@police.example")
	token := c.sessionToken()
	if err := ts.users.DisableUser(context.Background(), testAdmin, sam.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := ts.sessions.FindSession(context.Background(), token, ts.cfg.sessionLimits()); ok || err != nil {
		t.Errorf("the disabled user's session is still stored: %v, %v", ok, err)
	}
	wantRedirect(t, c.get("/staff"), "/login")
}
