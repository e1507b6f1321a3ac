package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

// toRecoveryStep signs c in with the password, leaving it at the second factor.
func toRecoveryStep(t *testing.T, c *client, email string) {
	t.Helper()
	wantRedirect(t, c.login(email, testPassword, ""), "/login/mfa")
	wantContains(t, c.get("/login/mfa").body, `href="/login/mfa/recovery"`)
}

func TestRecoveryCodeSignsInOnce(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{})
	sam := ts.addUser("sam@police.example")
	ts.addUser("alex@police.example")
	enrolled := ts.client(t)
	enrolled.enrol("sam@police.example")
	codes := enrolled.recoveryCodes
	if len(codes) != tropic.RecoveryCodeCount {
		t.Fatalf("%d codes at enrolment", len(codes))
	}
	alex := ts.client(t)
	alex.enrol("alex@police.example")

	c := ts.client(t)
	toRecoveryStep(t, c, "sam@police.example")
	wantStatus(t, c.get("/login/mfa/recovery"), http.StatusOK)
	t.Run("A code of the wrong length is refused, naming the field.", func(t *testing.T) {
		res := c.post("/login/mfa/recovery", url.Values{"code": {"ABCD"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `href="#code"`, "16 letters and digits", `value="ABCD"`)
	})
	t.Run("Alex's code does not sign Sam in.", func(t *testing.T) {
		res := c.post("/login/mfa/recovery", url.Values{"code": {alex.recoveryCodes[0]}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "not right, or has been used already")
	})
	t.Run("Sam's code, typed in lower case with spaces, signs in and says how many are left.", func(t *testing.T) {
		typed := strings.ToLower(strings.ReplaceAll(codes[0], "-", " "))
		wantRedirect(t, c.post("/login/mfa/recovery", url.Values{"code": {typed}}), "/account/recovery-codes")
		page := c.get("/account/recovery-codes")
		wantContains(t, page.body, "You have 9 unused recovery codes.")
	})
	t.Run("The same code again is refused.", func(t *testing.T) {
		again := ts.client(t)
		toRecoveryStep(t, again, "sam@police.example")
		res := again.post("/login/mfa/recovery", url.Values{"code": {codes[0]}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantRedirect(t, again.get("/staff"), "/login")
	})
	actions := strings.Join(ts.auditActions(tropic.AuditFilter{UserID: sam.ID, Limit: 200}), "\n")
	wantContains(t, actions, "login.recovery_code_used 9 codes left", "login.succeeded password and recovery code", "login.failed wrong recovery code")
	for _, code := range codes {
		wantNotContains(t, actions, code, tropic.NormaliseRecoveryCode(code))
	}
}

func TestNewRecoveryCodesEndTheOldOnes(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{})
	ts.addUser("sam@police.example")
	c := ts.client(t)
	c.enrol("sam@police.example")
	old := c.recoveryCodes

	ts.clock.Advance(ts.cfg.ReauthWindow) // not recent: confirm first
	wantRedirect(t, c.post("/account/recovery-codes", nil), "/account/confirm?next=%2Fstaff")
	c.get("/account/confirm")
	wantRedirect(t, c.post("/account/confirm", url.Values{"password": {testPassword}, "next": {"/account/recovery-codes"}}), "/account/recovery-codes")
	res := c.post("/account/recovery-codes", nil)
	wantStatus(t, res, http.StatusOK)
	fresh := recoveryCodesIn(res.body)
	if len(fresh) != tropic.RecoveryCodeCount || fresh[0] == old[0] {
		t.Fatalf("new codes %v after %v", fresh, old)
	}
	other := ts.client(t)
	toRecoveryStep(t, other, "sam@police.example")
	wantStatus(t, other.post("/login/mfa/recovery", url.Values{"code": {old[1]}}), http.StatusUnprocessableEntity)
	wantRedirect(t, other.post("/login/mfa/recovery", url.Values{"code": {fresh[1]}}), "/account/recovery-codes")
}

func TestRecoveryCodeGuessesLockTheAccount(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{})
	ts.addUser("sam@police.example")
	enrolled := ts.client(t)
	enrolled.enrol("sam@police.example")
	c := ts.client(t)
	toRecoveryStep(t, c, "sam@police.example")
	var last *response
	for i := 0; i < ts.cfg.LoginPolicy.LockAfter+1; i++ {
		last = c.post("/login/mfa/recovery", url.Values{"code": {"AAAA-AAAA-AAAA-AAAA"}})
	}
	if last.status != http.StatusTooManyRequests {
		t.Errorf("after %d wrong codes: %d, want 429", ts.cfg.LoginPolicy.LockAfter+1, last.status)
	}
	wantStatus(t, c.post("/login/mfa/recovery", url.Values{"code": {enrolled.recoveryCodes[0]}}), http.StatusTooManyRequests)
}
