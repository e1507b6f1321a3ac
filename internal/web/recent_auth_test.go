package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

func TestExportAsksToConfirmWhenSignInIsNotRecent(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true, SessionIdle: 2 * time.Hour, SessionLifetime: 12 * time.Hour})
	ts.addUser("ana@police.example", tropic.RoleAnalyst)
	c := ts.client(t)
	c.signInWaived("ana@police.example")
	wantStatus(t, c.get("/staff/exports/htcds.csv"), http.StatusOK) // just signed in

	ts.clock.Advance(ts.cfg.ReauthWindow)
	wantRedirect(t, c.get("/staff/exports/htcds.csv"), "/account/confirm?next=%2Fstaff%2Fexports%2Fhtcds.csv")
	page := c.get("/account/confirm?next=%2Fstaff%2Fexports%2Fhtcds.csv")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.body, "Confirm it is you", `value="/staff/exports/htcds.csv"`)

	res := c.post("/account/confirm", url.Values{"password": {"not my password"}, "next": {"/staff/exports/htcds.csv"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, "Your password is not right")
	wantRedirect(t, c.get("/staff/exports/htcds.csv"), "/account/confirm?next=%2Fstaff%2Fexports%2Fhtcds.csv")

	wantRedirect(t, c.post("/account/confirm", url.Values{"password": {testPassword}, "next": {"/staff/exports/htcds.csv"}}), "/staff/exports/htcds.csv")
	wantStatus(t, c.get("/staff/exports/htcds.csv"), http.StatusOK)

	t.Run("The page to come back to is on this site only.", func(t *testing.T) {
		wantRedirect(t, c.post("/account/confirm", url.Values{"password": {testPassword}, "next": {"//evil.example/x"}}), "/staff")
	})
	t.Run("Someone who may not export is refused as before, not asked to confirm.", func(t *testing.T) {
		ts.addUser("cw@police.example")
		o := ts.client(t)
		o.signInWaived("cw@police.example")
		ts.clock.Advance(ts.cfg.ReauthWindow)
		wantStatus(t, o.get("/staff/exports/htcds.csv"), http.StatusNotFound)
	})
}

func TestConfirmWithAuthenticatorCodeWhenNoPassword(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{})
	u := ts.addUser("sam@police.example")
	c := ts.client(t)
	secret := c.enrol("sam@police.example")
	// Sam now signs in by single sign-on only: no Tropic password.
	if err := ts.users.SetPassword(t.Context(), testAdmin, u.ID, ""); err != nil {
		t.Fatal(err)
	}
	ts.clock.Advance(ts.cfg.ReauthWindow)
	page := c.get("/account/confirm?next=/staff")
	wantContains(t, page.body, "Security code from your authenticator app")
	wantStatus(t, c.post("/account/confirm", url.Values{"code": {"000000"}, "next": {"/staff"}}), http.StatusUnprocessableEntity)
	ts.clock.Advance(30 * time.Second) // the enrolment used the current step
	code := c.code(secret)
	wantRedirect(t, c.post("/account/confirm", url.Values{"code": {code}, "next": {"/staff"}}), "/staff")
	// The same code again, within its time step, is a replay.
	res := c.post("/account/confirm", url.Values{"code": {code}, "next": {"/staff"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, "used already")
	wantStatus(t, c.post("/account/confirm", url.Values{"code": {code}, "next": {"/staff"}}), http.StatusUnprocessableEntity)
}

// Changing a user's roles and resetting their authenticator need a recent proof of who
// the administrator is; without one, nothing changes and they confirm, then come back
// to the user's page with its forms.
func TestAdministratorConfirmsBeforeChangingRolesOrResettingMFA(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true, SessionIdle: 2 * time.Hour, SessionLifetime: 12 * time.Hour})
	ts.addUser("admin@police.example", tropic.RoleAdmin)
	target := ts.addUser("cw@police.example", tropic.RoleCaseworker)
	c := ts.client(t)
	c.signInWaived("admin@police.example")
	page := "/admin/users/" + strconv.FormatInt(target.ID, 10)
	roles := func() []tropic.Role {
		u, err := ts.users.FindUserByID(context.Background(), target.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u.Roles
	}

	ts.clock.Advance(ts.cfg.ReauthWindow)
	back := "/account/confirm?next=" + url.QueryEscape(page)
	wantRedirect(t, c.post(page+"/roles", url.Values{"roles": {"supervisor"}}), back)
	wantRedirect(t, c.post(page+"/reset-mfa", nil), back)
	if r := roles(); len(r) != 1 || r[0] != tropic.RoleCaseworker {
		t.Fatalf("roles changed without confirming: %v", r)
	}
	wantRedirect(t, c.post("/account/confirm", url.Values{"password": {testPassword}, "next": {page}}), page)
	wantRedirect(t, c.post(page+"/roles", url.Values{"roles": {"supervisor"}}), page)
	if r := roles(); len(r) != 1 || r[0] != tropic.RoleSupervisor {
		t.Fatalf("roles after confirming: %v", r)
	}
	// Other actions on a user do not ask (disabling a leaver must stay quick).
	ts.clock.Advance(ts.cfg.ReauthWindow)
	if res := c.post(page+"/disable", nil); res.status != http.StatusSeeOther || strings.Contains(res.header.Get("Location"), "/account/confirm") {
		t.Errorf("disabling asked to confirm: %d %s", res.status, res.header.Get("Location"))
	}
}
