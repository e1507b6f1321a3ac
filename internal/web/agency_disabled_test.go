package web

import (
	"context"
	"net/http"
	"testing"

	"tropic/internal/tropic"
)

// A disabled agency's users are shut out everywhere: a live session ends, the sign-in
// answers as for a wrong password, and their API tokens answer 401. Enabling the
// agency lets them back in.
func TestLoginAndTokensOfADisabledAgencyAreRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ctx := context.Background()
	sam := ts.addUser("sam@police.example", tropic.RoleCaseworker)
	secret, _ := ts.newToken(sam.ID, ts.clock.Now().AddDate(1, 0, 0))
	api := func(c *client) *response {
		req := c.newRequest(http.MethodGet, "/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		return c.do(req)
	}
	signedIn := ts.client(t)
	signedIn.signInWaived(sam.Email)
	wantStatus(t, signedIn.get("/staff"), http.StatusOK)
	wantStatus(t, api(ts.client(t)), http.StatusOK)

	if err := ts.agencies.DisableAgency(ctx, testAdmin, ts.agency.ID); err != nil {
		t.Fatal(err)
	}
	t.Run("A session already signed in ends at its next request.", func(t *testing.T) {
		res := signedIn.get("/staff")
		if res.status != http.StatusSeeOther || res.location() != "/login" {
			t.Fatalf("GET /staff: got %d to %q, want 303 to /login", res.status, res.location())
		}
	})
	t.Run("The right password answers as a wrong one.", func(t *testing.T) {
		res := ts.client(t).login(sam.Email, testPassword, "")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "Enter a correct email address and password")
	})
	t.Run("Their API token answers 401.", func(t *testing.T) {
		res := api(ts.client(t))
		wantStatus(t, res, http.StatusUnauthorized)
		wantJSONError(t, res, "unauthorised")
	})

	if err := ts.agencies.EnableAgency(ctx, testAdmin, ts.agency.ID); err != nil {
		t.Fatal(err)
	}
	t.Run("Enabled again, the agency's users sign in and their tokens work.", func(t *testing.T) {
		ts.client(t).signInWaived(sam.Email)
		wantStatus(t, api(ts.client(t)), http.StatusOK)
	})
}
