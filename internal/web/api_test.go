package web

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

func TestAPIMe(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{})
	sam := ts.addUser("sam@police.example", tropic.RoleSupervisor, tropic.RoleCaseworker)
	secret, _ := ts.newToken(sam.ID, time.Time{})

	get := func(t *testing.T, auth string) *response {
		c := ts.client(t)
		req := c.newRequest(http.MethodGet, "/api/v1/me", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		return c.do(req)
	}

	t.Run("A valid token answers with exactly the user, agency and roles.", func(t *testing.T) {
		res := get(t, "Bearer "+secret)
		wantStatus(t, res, http.StatusOK)
		if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		if res.header.Get("Set-Cookie") != "" {
			t.Errorf("the API set a cookie")
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(res.body), &raw); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, res.body)
		}
		if got := slices.Sorted(maps.Keys(raw)); !slices.Equal(got, []string{"agency", "email", "id", "name", "roles"}) {
			t.Errorf("keys %q, want agency, email, id, name, roles", got)
		}
		var agency map[string]any
		json.Unmarshal(raw["agency"], &agency)
		if got := slices.Sorted(maps.Keys(agency)); !slices.Equal(got, []string{"id", "name"}) {
			t.Errorf("agency keys %q, want id, name", got)
		}
		var me struct {
			ID     int64  `json:"id"`
			Email  string `json:"email"`
			Name   string `json:"name"`
			Agency struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"agency"`
			Roles []string `json:"roles"`
		}
		json.Unmarshal([]byte(res.body), &me)
		if me.ID != sam.ID || me.Email != "sam@police.example" || me.Name != "Sam Example" ||
			me.Agency.ID != ts.agency.ID || me.Agency.Name != "Hertfordshire Constabulary" ||
			!slices.Equal(me.Roles, []string{"caseworker", "supervisor"}) {
			t.Errorf("got %+v", me)
		}
	})

	t.Run("The scheme name is case-insensitive.", func(t *testing.T) {
		wantStatus(t, get(t, "bearer "+secret), http.StatusOK)
	})

	revoked, revokedTok := ts.newToken(sam.ID, time.Time{})
	if err := ts.tokens.RevokeToken(context.Background(), testAdmin, revokedTok.ID); err != nil {
		t.Fatal(err)
	}
	expiring, _ := ts.newToken(sam.ID, ts.clock.Now().Add(time.Hour))
	gone := ts.addUser("gone@police.example")
	goneSecret, _ := ts.newToken(gone.ID, time.Time{})
	if err := ts.users.DisableUser(context.Background(), testAdmin, gone.ID); err != nil {
		t.Fatal(err)
	}

	changed := secret[:len(secret)-1] + "x" // one character changed, whatever the last one was
	if strings.HasSuffix(secret, "x") {
		changed = secret[:len(secret)-1] + "y"
	}
	refused := []struct {
		name, auth string
		advance    time.Duration
	}{
		{"No Authorization header is refused.", "", 0},
		{"A Basic credential is refused.", "Basic c2FtOnNlY3JldA==", 0},
		{"Bearer without a token is refused.", "Bearer", 0},
		{"Bearer with only spaces is refused.", "Bearer    ", 0},
		{"A token without a scheme is refused.", secret, 0},
		{"A wrong token is refused.", "Bearer tropic_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0},
		{"A token with a character changed is refused.", "Bearer " + changed, 0},
		{"A revoked token is refused.", "Bearer " + revoked, 0},
		{"A token of a disabled user is refused.", "Bearer " + goneSecret, 0},
		{"An expired token is refused.", "Bearer " + expiring, 2 * time.Hour},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			ts.clock.Advance(tt.advance)
			res := get(t, tt.auth)
			wantStatus(t, res, http.StatusUnauthorized)
			wantJSONError(t, res, "unauthorised")
			if got := res.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate %q, want Bearer ...", got)
			}
		})
	}

	t.Run("A session cookie does not authenticate the API.", func(t *testing.T) {
		ts2 := newTestServer(t, Config{MFAWaived: true})
		ts2.addUser("sam@police.example")
		c := ts2.client(t)
		c.signInWaived("sam@police.example")
		res := c.get("/api/v1/me")
		wantStatus(t, res, http.StatusUnauthorized)
	})
}
