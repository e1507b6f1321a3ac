package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	sam := ts.addUser("sam@police.example", tropic.RoleCaseworker, tropic.RoleSupervisor)
	gone := ts.addUser("gone@police.example")
	if err := ts.users.DisableUser(context.Background(), testAdmin, gone.ID); err != nil {
		t.Fatal(err)
	}

	t.Run("An unknown user, a wrong password and a disabled account get the same answer.", func(t *testing.T) {
		attempts := []struct{ email, password string }{
			{"nobody@police.example", "a password that is wrong"},
			{"sam@police.example", "a password that is wrong"},
			{"gone@police.example", testPassword},
		}
		var first *response
		for _, a := range attempts {
			res := ts.client(t).login(a.email, a.password, "")
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res.body, "Enter a correct email address and password")
			// The pages differ only in the email address kept in the field.
			page := withoutNonce(strings.ReplaceAll(res.body, a.email, "EMAIL"))
			if first == nil {
				first = &response{status: res.status, body: page}
			} else if page != first.body {
				t.Errorf("signing in as %s answers differently from an unknown account", a.email)
			}
			if res.header.Get("Set-Cookie") != "" {
				t.Errorf("a failed sign-in as %s set a cookie", a.email)
			}
		}
	})

	t.Run("A failed sign-in keeps the email address typed and never echoes the password.", func(t *testing.T) {
		res := ts.client(t).login("sam@police.example", "hunter2-is-not-it", "")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `value="sam@police.example"`)
		wantNotContains(t, res.body, "hunter2-is-not-it")
		if !strings.HasPrefix(pageTitle(res.body), "Error: ") {
			t.Errorf("title %q does not start with Error: ", pageTitle(res.body))
		}
	})

	fieldTests := []struct {
		name, email, password string
		wantLinks             []string
		unwantedLinks         []string
	}{
		{"An empty form names both fields in the error summary.", "", "", []string{`<a href="#email">Enter your email address</a>`, `<a href="#password">Enter your password</a>`}, nil},
		{"A missing password names the password field only.", "sam@police.example", "", []string{`<a href="#password">Enter your password</a>`}, []string{`href="#email"`}},
		{"A missing email address names the email field only.", "", testPassword, []string{`<a href="#email">Enter your email address</a>`}, []string{`href="#password"`}},
		{"Control characters in the email address are a field error.", "sam\x01@police.example", testPassword, []string{`<a href="#email">Enter an email address in the correct format`}, nil},
		{"A delete character in the email address is a field error.", "sam\x7f@police.example", testPassword, []string{`<a href="#email">Enter an email address in the correct format`}, nil},
		{"An overlong email address is a field error.", strings.Repeat("a", 250) + "@police.example", testPassword, []string{`<a href="#email">`}, nil},
		{"An overlong password is a field error.", "sam@police.example", strings.Repeat("p", 1025), []string{`<a href="#password">Password must be 1024 characters or fewer</a>`}, nil},
	}
	for _, tt := range fieldTests {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.client(t).login(tt.email, tt.password, "")
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res.body, `class="govuk-error-summary"`)
			wantContains(t, res.body, tt.wantLinks...)
			wantNotContains(t, res.body, tt.unwantedLinks...)
			if !strings.HasPrefix(pageTitle(res.body), "Error: Sign in") {
				t.Errorf("title %q does not start with Error: Sign in", pageTitle(res.body))
			}
			if tt.password != "" {
				wantNotContains(t, res.body, tt.password)
			}
		})
	}

	nextTests := []struct {
		name, next, want string
	}{
		{"Without next, sign-in goes to the staff home.", "", "/staff"},
		{"A local next is followed.", "/staff?tab=tasks", "/staff?tab=tasks"},
		{"A protocol-relative next is refused.", "//evil.example", "/staff"},
		{"A backslash next is refused.", `/\evil.example`, "/staff"},
		{"An absolute URL next is refused.", "https://evil.example/", "/staff"},
		{"A javascript: next is refused.", "javascript:alert(1)", "/staff"},
		{"A relative path next is refused.", "evil.example", "/staff"},
		{"A next with a tab that browsers strip to // is refused.", "/\t/evil.example", "/staff"},
		{"A next with a newline that browsers strip to // is refused.", "/\n/evil.example", "/staff"},
		{"A next with a tab before a backslash is refused.", "/\t\\evil.example", "/staff"},
		{"A next that http.Redirect would clean to a backslash is refused.", "/./\\evil.example", "/staff"},
		{"A next with a backslash anywhere is refused.", "/a/../\\evil.example", "/staff"},
	}
	for _, tt := range nextTests {
		t.Run(tt.name, func(t *testing.T) {
			wantRedirect(t, ts.client(t).login("sam@police.example", testPassword, tt.next), tt.want)
		})
	}

	t.Run("A signed-in user visiting the sign-in page with a hostile next goes to the staff home.", func(t *testing.T) {
		c := ts.client(t)
		c.signInWaived("sam@police.example")
		wantRedirect(t, c.get("/login?next="+url.QueryEscape("//evil.example")), "/staff")
		wantRedirect(t, c.get("/login?next="+url.QueryEscape("/staff?x=1")), "/staff?x=1")
	})

	t.Run("A staff page asks a signed-out visitor to sign in, and the sign-in form carries next.", func(t *testing.T) {
		c := ts.client(t)
		wantRedirect(t, c.get("/staff"), "/login")
		res := c.get("/login?next=" + url.QueryEscape("/staff?tab=tasks"))
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, `name="next" value="/staff?tab=tasks"`)
	})

	t.Run("Sign-in, failure and sign-out are audited, and the logs hold no email address.", func(t *testing.T) {
		c := ts.client(t)
		c.login("sam@police.example", "wrong password here", "")
		c.signInWaived("sam@police.example")
		wantRedirect(t, c.post("/logout", nil), "/login?signed_out=1")
		got := ts.auditActions(tropic.AuditFilter{UserID: sam.ID, Limit: 500})
		for _, want := range []string{"login.failed wrong password", "login.succeeded password; multi-factor authentication waived (demo)", "logout "} {
			if !containsString(got, want) {
				t.Errorf("audit events of the user %q lack %q", got, want)
			}
		}
		unknown := ts.auditActions(tropic.AuditFilter{Action: tropic.AuditLoginFailed, Limit: 500})
		if !containsString(unknown, "login.failed unknown account") {
			t.Errorf("audit events %q lack the failure for an unknown account", unknown)
		}
		if !containsString(unknown, "login.failed disabled account") {
			t.Errorf("audit events %q lack the failure for a disabled account", unknown)
		}
		logs := ts.logs.String()
		wantNotContains(t, logs, "sam@police.example", "nobody@police.example", testPassword, "127.0.0.1")
	})
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestSignInSlowsDownThenLocks(t *testing.T) {
	t.Parallel()
	policy := tropic.LoginPolicy{SlowAfter: 2, SlowDelay: time.Second, LockAfter: 4, LockFor: 15 * time.Minute}
	ts := newTestServer(t, Config{MFAWaived: true, LoginPolicy: policy})
	sam := ts.addUser("sam@police.example")
	c := ts.client(t)

	steps := []struct {
		name     string
		advance  time.Duration
		password string
		status   int
		want     string // in the page, or the redirect target for 303
	}{
		{"The first wrong password is refused.", 0, "wrong password 1", http.StatusUnprocessableEntity, "Enter a correct email address and password"},
		{"The second wrong password is refused.", 0, "wrong password 2", http.StatusUnprocessableEntity, "Enter a correct email address and password"},
		{"After two failures even the right password must wait.", 0, testPassword, http.StatusTooManyRequests, "Wait 1 second before"},
		{"After the wait a wrong password counts again.", time.Second, "wrong password 3", http.StatusUnprocessableEntity, "Enter a correct email address and password"},
		{"The wait doubles.", 0, testPassword, http.StatusTooManyRequests, "Wait 2 seconds"},
		{"The fourth failure locks the account.", 2 * time.Second, "wrong password 4", http.StatusUnprocessableEntity, "Enter a correct email address and password"},
		{"A locked account refuses the right password, saying it is locked.", 0, testPassword, http.StatusTooManyRequests, "This account is locked"},
		{"It is still locked a minute before the lock ends.", 14 * time.Minute, testPassword, http.StatusTooManyRequests, "locked"},
		{"When the lock has passed the right password signs in.", time.Minute + time.Second, testPassword, http.StatusSeeOther, "/staff"},
	}
	for _, s := range steps {
		ts.clock.Advance(s.advance)
		res := c.login("sam@police.example", s.password, "")
		if res.status != s.status {
			t.Fatalf("%s got %d, want %d\n%s", s.name, res.status, s.status, res.body)
		}
		if s.status == http.StatusSeeOther {
			if res.location() != s.want {
				t.Errorf("%s went to %q, want %q", s.name, res.location(), s.want)
			}
			continue
		}
		if !strings.Contains(res.body, s.want) {
			t.Errorf("%s: page lacks %q", s.name, s.want)
		}
		wantContains(t, res.body, `value="sam@police.example"`)
	}
	if got := ts.auditActions(tropic.AuditFilter{Action: tropic.AuditLoginLocked, UserID: sam.ID}); len(got) != 1 {
		t.Errorf("lock audit events: got %q, want one", got)
	}
}

func TestSignInLimitPerAddress(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("sam@police.example")
	// Failures for many accounts from one address: no account's own counter is involved.
	for i := range 20 {
		res := ts.client(t).login("nobody"+string(rune('a'+i))+"@police.example", "a wrong password", "")
		wantStatus(t, res, http.StatusUnprocessableEntity)
	}
	tests := []struct {
		name    string
		advance time.Duration
		status  int
		want    string
	}{
		{"After 20 failures from one address even a right password is refused.", 0, http.StatusTooManyRequests, "too many failed sign-in attempts from your network"},
		{"The address is still refused just before the window ends.", 14 * time.Minute, http.StatusTooManyRequests, "Try again in"},
		{"After the window the address may sign in again.", time.Minute, http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		ts.clock.Advance(tt.advance)
		res := ts.client(t).login("sam@police.example", testPassword, "")
		if res.status != tt.status {
			t.Fatalf("%s got %d, want %d\n%s", tt.name, res.status, tt.status, res.body)
		}
		if tt.want != "" && !strings.Contains(res.body, tt.want) {
			t.Errorf("%s: page lacks %q", tt.name, tt.want)
		}
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	sam := ts.addUser("sam@police.example")

	t.Run("Sign-out by GET does nothing.", func(t *testing.T) {
		c := ts.client(t)
		c.signInWaived("sam@police.example")
		if res := c.get("/logout"); res.status == http.StatusSeeOther || res.status == http.StatusOK {
			t.Errorf("GET /logout: got %d, want a refusal", res.status)
		}
		wantStatus(t, c.get("/staff"), http.StatusOK)
	})

	t.Run("Sign-out by POST ends the session on the server and audits it.", func(t *testing.T) {
		c := ts.client(t)
		c.signInWaived("sam@police.example")
		token := c.sessionToken()
		before := len(ts.auditActions(tropic.AuditFilter{Action: tropic.AuditLogout, UserID: sam.ID}))
		res := c.post("/logout", nil)
		wantRedirect(t, res, "/login?signed_out=1")
		wantContains(t, c.get("/login?signed_out=1").body, "You have signed out")
		wantRedirect(t, c.get("/staff"), "/login")
		replay := ts.client(t)
		replay.setSessionToken(token)
		wantRedirect(t, replay.get("/staff"), "/login")
		if after := len(ts.auditActions(tropic.AuditFilter{Action: tropic.AuditLogout, UserID: sam.ID})); after != before+1 {
			t.Errorf("logout events: got %d, want %d", after, before+1)
		}
	})

	crossTests := []struct {
		name    string
		path    string
		headers []string
	}{
		{"A cross-site sign-in form is refused.", "/login", []string{"Sec-Fetch-Site", "cross-site"}},
		{"A sign-in form from another origin is refused.", "/login", []string{"Origin", "https://evil.example"}},
		{"A cross-site sign-out is refused.", "/logout", []string{"Sec-Fetch-Site", "cross-site"}},
		{"A security code from a sibling site is refused.", "/login/mfa", []string{"Sec-Fetch-Site", "same-site"}},
	}
	for _, tt := range crossTests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			c.signInWaived("sam@police.example")
			form := url.Values{"email": {"sam@police.example"}, "password": {testPassword}}
			res := c.post(tt.path, form, tt.headers...)
			wantStatus(t, res, http.StatusForbidden)
			wantContains(t, res.body, "This form was sent from another website")
			wantStatus(t, c.get("/staff"), http.StatusOK) // still signed in
		})
	}

	t.Run("A same-origin form is accepted.", func(t *testing.T) {
		res := ts.client(t).post("/login", url.Values{"email": {"sam@police.example"}, "password": {testPassword}},
			"Sec-Fetch-Site", "same-origin", "Origin", ts.http.URL)
		wantRedirect(t, res, "/staff")
	})
}

func TestBadFormInput(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true, MaxFormBytes: 2 << 10})
	ts.addUser("sam@police.example")

	tests := []struct {
		name   string
		path   string
		body   string
		status int
		wants  []string
	}{
		{"A body over the limit gets 413 with a page.", "/login", "email=sam%40police.example&password=" + strings.Repeat("x", 4<<10), http.StatusRequestEntityTooLarge,
			[]string{"What you sent is too large", "up to 2 kilobytes"}},
		{"A broken percent-encoding gets 400 with a page that says so.", "/login", "a=%zz&email=sam%40police.example", http.StatusBadRequest,
			[]string{"The form could not be read", "a broken percent-encoding"}},
		{"A semicolon separator gets 400 with a page that says so.", "/login", "email=sam%40police.example;password=x", http.StatusBadRequest,
			[]string{"The form could not be read", "a semicolon separated the fields"}},
		{"Text that is not UTF-8 gets 400 with a page that says so.", "/login", "email=%ff%fe&password=x", http.StatusBadRequest,
			[]string{"not valid UTF-8"}},
		{"A malformed security code form gets 400 before anything else.", "/login/mfa", "code=%zz", http.StatusBadRequest,
			[]string{"a broken percent-encoding"}},
		{"An oversized security code form gets 413.", "/login/mfa/setup", "code=" + strings.Repeat("1", 4<<10), http.StatusRequestEntityTooLarge,
			[]string{"too large"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.client(t).postRaw(tt.path, tt.body)
			wantStatus(t, res, tt.status)
			if !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
				t.Errorf("Content-Type %q, want a page", res.header.Get("Content-Type"))
			}
			wantContains(t, res.body, tt.wants...)
			wantNotContains(t, res.body, "%zz", "xxxxxxxx")
		})
	}
}
