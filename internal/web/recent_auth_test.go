package web

import (
	"net/http"
	"net/url"
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
