package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/notify"
	"tropic/internal/notify/mailpittest"
	"tropic/internal/tropic"
)

// mailServer starts a test server whose mail goes to a real SMTP server, mailpit.
func mailServer(t *testing.T, cfg Config) (*testServer, *mailpittest.Server) {
	t.Helper()
	mp := mailpittest.Start(t)
	m, err := notify.New(notify.Config{Host: mp.Host, Port: mp.Port, TLS: notify.TLSNone, From: "Tropic <tropic@partnership.test>", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, cfg, func(d *Deps) { d.Mail = m })
	return ts, mp
}

var resetLinkRE = regexp.MustCompile(`/password/reset\?token=([A-Za-z0-9]+)`)

// resetLink asks for a reset link for email and returns the path of the one mailed
// (the n-th message to that address).
func resetLink(t *testing.T, ts *testServer, mp *mailpittest.Server, c *client, email string, n int) string {
	t.Helper()
	wantStatus(t, c.post("/password/forgot", url.Values{"email": {email}}), http.StatusOK)
	ts.srv.Wait()
	msgs := mp.WaitFor(t, email, n, 10*time.Second)
	text := mp.Text(t, msgs[0].ID)
	m := resetLinkRE.FindString(text)
	if m == "" {
		t.Fatalf("no reset link in the e-mail:\n%s", text)
	}
	if msgs[0].Subject != "Reset your Tropic password" {
		t.Errorf("subject %q", msgs[0].Subject)
	}
	return m
}

func TestForgottenPasswordByEmail(t *testing.T) {
	t.Parallel()
	ts, mp := mailServer(t, Config{MFAWaived: true})
	email := mailpittest.NewRecipient(t, "sam")
	ts.addUser(email)
	laptop := ts.client(t)
	laptop.signInWaived(email)
	c := ts.client(t)

	wantContains(t, c.get("/login").body, `href="/password/forgot"`)
	link := resetLink(t, ts, mp, c, email, 1)
	text := mp.Text(t, mp.MessagesTo(t, email)[0].ID)
	wantNotContains(t, text, "Sam Example") // no personal data beyond the address it goes to
	page := c.get(link)
	wantStatus(t, page, http.StatusOK)
	token := strings.TrimPrefix(link, "/password/reset?token=")
	wantContains(t, page.body, "Choose a new password")

	t.Run("A common password is refused, naming the field, and nothing changes.", func(t *testing.T) {
		res := c.post("/password/reset", url.Values{"token": {token}, "password": {"password1234"}, "confirm": {"password1234"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "too common", `id="password-error"`)
	})
	t.Run("Two different passwords are refused.", func(t *testing.T) {
		res := c.post("/password/reset", url.Values{"token": {token}, "password": {"violet kettle harbour"}, "confirm": {"violet kettle harbor"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `id="confirm-error"`)
	})
	t.Run("A good password is set, every session ends, and the new password signs in.", func(t *testing.T) {
		res := c.post("/password/reset", url.Values{"token": {token}, "password": {"violet kettle harbour"}, "confirm": {"violet kettle harbour"}})
		wantRedirect(t, res, "/login?reset=1")
		wantContains(t, c.get("/login?reset=1").body, "Your password has been changed")
		wantRedirect(t, laptop.get("/staff"), "/login")
		wantStatus(t, c.login(email, testPassword, ""), http.StatusUnprocessableEntity)
		wantRedirect(t, c.login(email, "violet kettle harbour", ""), "/staff")
	})
	t.Run("The link does not work a second time.", func(t *testing.T) {
		other := ts.client(t)
		wantStatus(t, other.get(link), http.StatusGone)
		res := other.post("/password/reset", url.Values{"token": {token}, "password": {"another long phrase"}, "confirm": {"another long phrase"}})
		wantStatus(t, res, http.StatusGone)
		wantStatus(t, other.login(email, "violet kettle harbour", ""), http.StatusSeeOther)
	})
	actions := strings.Join(ts.auditActions(tropic.AuditFilter{Limit: 200}), "\n")
	wantContains(t, actions, tropic.AuditPasswordResetAsked, tropic.AuditPasswordReset)
	wantNotContains(t, actions, token, tropic.HashSecret(token))
}

func TestForgottenPasswordLinkExpiresAfterAnHour(t *testing.T) {
	t.Parallel()
	ts, mp := mailServer(t, Config{MFAWaived: true})
	email := mailpittest.NewRecipient(t, "sam")
	ts.addUser(email)
	c := ts.client(t)
	link := resetLink(t, ts, mp, c, email, 1)
	ts.clock.Advance(59 * time.Minute)
	wantStatus(t, c.get(link), http.StatusOK)
	ts.clock.Advance(time.Minute)
	res := c.get(link)
	wantStatus(t, res, http.StatusGone)
	wantContains(t, res.body, "This link does not work", `href="/password/forgot"`)
}

// forgotAnswer is the page's main content with the address typed taken out.
func forgotAnswer(res *response, email string) string {
	return strings.ReplaceAll(mainContent(res.body), email, "ADDRESS")
}

func TestForgottenPasswordAnswersAlikeForAnyAddress(t *testing.T) {
	t.Parallel()
	ts, mp := mailServer(t, Config{MFAWaived: true})
	known, unknown, sso := mailpittest.NewRecipient(t, "known"), mailpittest.NewRecipient(t, "unknown"), mailpittest.NewRecipient(t, "sso")
	ts.addUser(known)
	u := &tropic.User{Email: sso, Name: "Sso User", AgencyID: ts.agency.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
	if err := ts.users.CreateUser(context.Background(), testAdmin, u, ""); err != nil {
		t.Fatal(err)
	}
	c := ts.client(t)
	a := c.post("/password/forgot", url.Values{"email": {known}})
	b := c.post("/password/forgot", url.Values{"email": {unknown}})
	d := c.post("/password/forgot", url.Values{"email": {sso}})
	ts.srv.Wait()
	for _, res := range []*response{a, b, d} {
		wantStatus(t, res, http.StatusOK)
	}
	if forgotAnswer(a, known) != forgotAnswer(b, unknown) || forgotAnswer(a, known) != forgotAnswer(d, sso) {
		t.Errorf("the answers differ:\n%s\n---\n%s\n---\n%s", forgotAnswer(a, known), forgotAnswer(b, unknown), forgotAnswer(d, sso))
	}
	mp.WaitFor(t, known, 1, 10*time.Second)
	if n := len(mp.MessagesTo(t, unknown)) + len(mp.MessagesTo(t, sso)); n != 0 {
		t.Errorf("%d e-mails went to an address without a Tropic password", n)
	}
}

func TestForgottenPasswordIsThrottled(t *testing.T) {
	t.Parallel()
	ts, mp := mailServer(t, Config{MFAWaived: true})
	email := mailpittest.NewRecipient(t, "sam")
	ts.addUser(email)
	c := ts.client(t)
	for i := 0; i < resetPerAddress+1; i++ {
		res := c.post("/password/forgot", url.Values{"email": {email}})
		wantStatus(t, res, http.StatusOK) // the same answer past the per-address limit
	}
	ts.srv.Wait()
	mp.WaitFor(t, email, resetPerAddress, 10*time.Second)
	if n := len(mp.MessagesTo(t, email)); n != resetPerAddress {
		t.Errorf("%d e-mails sent, want %d (the per-address limit)", n, resetPerAddress)
	}
	for i := resetPerAddress + 1; i < resetPerClient; i++ {
		wantStatus(t, c.post("/password/forgot", url.Values{"email": {"x" + email}}), http.StatusOK)
	}
	res := c.post("/password/forgot", url.Values{"email": {"y" + email}})
	wantStatus(t, res, http.StatusTooManyRequests)
	wantContains(t, res.body, "too many requests from your network")
	ts.clock.Advance(resetLimitWindow)
	wantStatus(t, c.post("/password/forgot", url.Values{"email": {email}}), http.StatusOK)
	ts.srv.Wait()
}

func TestForgottenPasswordLinkOfAnotherUserChangesOnlyTheirs(t *testing.T) {
	t.Parallel()
	ts, mp := mailServer(t, Config{MFAWaived: true})
	sam, alex := mailpittest.NewRecipient(t, "sam"), mailpittest.NewRecipient(t, "alex")
	ts.addUser(sam)
	ts.addUser(alex)
	c := ts.client(t)
	link := resetLink(t, ts, mp, c, alex, 1)
	token := strings.TrimPrefix(link, "/password/reset?token=")
	// A forged field naming Sam changes nothing: the token alone says whose password it is.
	res := c.post("/password/reset", url.Values{"token": {token}, "email": {sam}, "password": {"violet kettle harbour"}, "confirm": {"violet kettle harbour"}})
	wantRedirect(t, res, "/login?reset=1")
	wantStatus(t, c.login(sam, "violet kettle harbour", ""), http.StatusUnprocessableEntity)
	wantRedirect(t, c.login(sam, testPassword, ""), "/staff")
	wantRedirect(t, ts.client(t).login(alex, "violet kettle harbour", ""), "/staff")
}

func TestForgottenPasswordWithoutEmailSaysToAskAnAdministrator(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	c := ts.client(t)
	res := c.get("/password/forgot")
	wantContains(t, res.body, "does not send email", "the people who run Tropic for your partnership to set a new password")
	wantNotContains(t, res.body, `action="/password/forgot"`)
}

func TestChangeOwnPassword(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("sam@police.example")
	here, there := ts.client(t), ts.client(t)
	here.signInWaived("sam@police.example")
	there.signInWaived("sam@police.example")
	wantContains(t, here.get("/account/password").body, "Current password")
	form := func(current, pw, confirm string) url.Values {
		return url.Values{"current": {current}, "password": {pw}, "confirm": {confirm}}
	}
	t.Run("A wrong current password is refused and counted as a failed sign-in.", func(t *testing.T) {
		res := here.post("/account/password", form("not my password", "violet kettle harbour", "violet kettle harbour"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "Your password is not right", `id="current-error"`)
		wantContains(t, strings.Join(ts.auditActions(tropic.AuditFilter{Limit: 50}), "\n"), "wrong password to confirm")
	})
	t.Run("A common new password is refused.", func(t *testing.T) {
		res := here.post("/account/password", form(testPassword, "password1234", "password1234"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `id="password-error"`)
	})
	t.Run("The change ends the other sessions and keeps this one.", func(t *testing.T) {
		res := here.post("/account/password", form(testPassword, "violet kettle harbour", "violet kettle harbour"))
		wantRedirect(t, res, "/account/password")
		wantContains(t, here.get("/account/password").body, "Your password has been changed")
		wantRedirect(t, there.get("/staff"), "/login")
		wantStatus(t, ts.client(t).login("sam@police.example", testPassword, ""), http.StatusUnprocessableEntity)
		wantRedirect(t, ts.client(t).login("sam@police.example", "violet kettle harbour", ""), "/staff")
	})
}

func TestSingleSignOnUserHasNoTropicPassword(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	u := &tropic.User{Email: "sso@police.example", Name: "Sso User", AgencyID: ts.agency.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
	if err := ts.users.CreateUser(context.Background(), testAdmin, u, ""); err != nil {
		t.Fatal(err)
	}
	c := ts.client(t)
	for _, pw := range []string{"", "anything at all", testPassword} {
		res := c.login("sso@police.example", pw, "")
		if res.status == http.StatusSeeOther || res.status >= 500 {
			t.Errorf("password %q: %d", pw, res.status)
		}
	}
	wantContains(t, c.login("sso@police.example", "anything at all", "").body, "Enter a correct email address and password")
	// Signed in (here as single sign-on would leave it), the page says there is no password.
	signInDirectly(t, ts, c, u.ID)
	res := c.get("/account/password")
	wantContains(t, res.body, "Tropic holds no password for you")
	wantStatus(t, c.post("/account/password", url.Values{"current": {""}, "password": {"violet kettle harbour"}, "confirm": {"violet kettle harbour"}}), http.StatusUnprocessableEntity)
}

// signInDirectly gives c a signed-in session of userID without a sign-in form, as a
// sign-in by another route (single sign-on) would.
func signInDirectly(t *testing.T, ts *testServer, c *client, userID int64) {
	t.Helper()
	// A session with the user's id is what the server keeps; scs encodes it.
	ctx, err := ts.srv.sessions.Load(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	ts.srv.sessions.Put(ctx, sessUserID, userID)
	ts.srv.sessions.Put(ctx, sessAuthAt, ts.clock.Now().Unix())
	token, _, err := ts.srv.sessions.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.setSessionToken(token)
}

var _ = auth.HashPassword
