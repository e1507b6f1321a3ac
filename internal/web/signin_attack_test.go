package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// burst posts the sign-in form n times at once over real HTTP, each from the
// address from(i) (sent in X-Forwarded-For, which the test server trusts from
// loopback), and returns the statuses and Retry-After headers.
// done, when not nil, is called after each answer.
func (ts *testServer) burst(n int, email func(i int) string, password string, from func(i int) string, done func()) (statuses []int, retryAfter []string) {
	ts.t.Helper()
	statuses, retryAfter = make([]int, n), make([]string, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"email": {email(i)}, "password": {password}}
			req, err := http.NewRequest(http.MethodPost, ts.http.URL+"/login", strings.NewReader(form.Encode()))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", from(i))
			<-start
			res, err := (&http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			res.Body.Close()
			statuses[i], retryAfter[i] = res.StatusCode, res.Header.Get("Retry-After")
			if done != nil {
				done()
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			ts.t.Fatalf("sign-in burst: %v", err)
		}
	}
	return statuses, retryAfter
}

// countFailures counts the audited sign-in failures with this reason.
func (ts *testServer) countFailures(reason string) int {
	ts.t.Helper()
	n := 0
	for _, a := range ts.auditActions(tropic.AuditFilter{Action: tropic.AuditLoginFailed}) {
		if strings.HasSuffix(a, " "+reason) {
			n++
		}
	}
	return n
}

func oneAddress(int) string { return "198.51.100.7" }

func manyAddresses(i int) string { return fmt.Sprintf("203.0.113.%d", i+1) }

// loopback is where the test's requests come from: the test server trusts the
// X-Forwarded-For of its own clients, as it would a proxy's.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// countingPasswords wraps the real password checker: it counts the checks and the
// most running at once, and holds each check until hold is closed (nil: no hold).
type countingPasswords struct {
	tropic.PasswordChecker
	hold                 chan struct{}
	mu                   sync.Mutex
	calls, running, most int
}

func (c *countingPasswords) enter() {
	c.mu.Lock()
	c.calls++
	c.running++
	c.most = max(c.most, c.running)
	c.mu.Unlock()
	if c.hold != nil {
		<-c.hold
	}
}

func (c *countingPasswords) leave() {
	c.mu.Lock()
	c.running--
	c.mu.Unlock()
}

func (c *countingPasswords) VerifyPassword(pw, hash string) (bool, error) {
	c.enter()
	defer c.leave()
	return c.PasswordChecker.VerifyPassword(pw, hash)
}

func (c *countingPasswords) DummyVerify(pw string) {
	c.enter()
	defer c.leave()
	c.PasswordChecker.DummyVerify(pw)
}

func (c *countingPasswords) counts() (calls, most int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls, c.most
}

// withPasswords puts the counting checker in front of the real one.
func withPasswords(c *countingPasswords) func(*Deps) {
	return func(d *Deps) {
		c.PasswordChecker = d.Passwords
		d.Passwords = c
	}
}

// Hole 8: 40 simultaneous wrong passwords for one account were all checked.
func TestConcurrentWrongPasswordsAreReservedBeforeHashing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		policy tropic.LoginPolicy
		// most is the most passwords the policy lets the burst have checked.
		most int
		// wait is how long the real user must then wait, by the policy.
		wait time.Duration
		// refused is what the real user is told before the wait is over.
		refused string
	}{
		{"A policy that only locks: at most LockAfter passwords are checked, and the lock lasts LockFor.",
			tropic.LoginPolicy{LockAfter: 10, LockFor: 15 * time.Minute}, 10, 15 * time.Minute, "This account is locked"},
		{"The default policy: at most SlowAfter passwords are checked at once, and the real user waits SlowDelay.",
			tropic.DefaultLoginPolicy, tropic.DefaultLoginPolicy.SlowAfter, tropic.DefaultLoginPolicy.SlowDelay, "Wait 1 second before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checks := &countingPasswords{}
			ts := newTestServer(t, Config{MFAWaived: true, LoginPolicy: tt.policy, ClientIPHeader: "X-Forwarded-For", TrustedProxies: loopback, HashSlots: 64},
				withPasswords(checks))
			ts.addUser("sam@police.example")
			statuses, _ := ts.burst(40, func(int) string { return "sam@police.example" }, "a wrong password", manyAddresses, nil)
			if calls, _ := checks.counts(); calls > tt.most {
				t.Errorf("the burst had %d passwords checked, want at most %d (statuses %v)", calls, tt.most, statuses)
			}
			if got := ts.countFailures("wrong password"); got > tt.most {
				t.Errorf("the burst had %d failures recorded, want at most %d", got, tt.most)
			}
			for _, st := range statuses {
				if st != http.StatusUnprocessableEntity && st != http.StatusTooManyRequests {
					t.Errorf("got status %d in the burst, want 422 or 429", st)
				}
			}
			real := ts.client(t)
			ts.clock.Advance(tt.wait - time.Second)
			res := real.post("/login", url.Values{"email": {"sam@police.example"}, "password": {testPassword}}, "X-Forwarded-For", "192.0.2.50")
			if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, tt.refused) {
				t.Errorf("a second before the policy's wait: got %d, want 429 with %q\n%s", res.status, tt.refused, res.body)
			}
			ts.clock.Advance(time.Second)
			res = real.post("/login", url.Values{"email": {"sam@police.example"}, "password": {testPassword}}, "X-Forwarded-For", "192.0.2.50")
			if res.status != http.StatusSeeOther || res.location() != "/staff" {
				t.Errorf("after the policy's wait the real user got %d to %q, want 303 to /staff\n%s", res.status, res.location(), res.body)
			}
		})
	}
}

// Hole 8, per address: 40 simultaneous wrong sign-ins from one address, each for
// another (unknown) account, have at most the per-address limit checked.
func TestConcurrentSignInsFromOneAddressAreReservedBeforeHashing(t *testing.T) {
	t.Parallel()
	checks := &countingPasswords{}
	ts := newTestServer(t, Config{MFAWaived: true, ClientIPHeader: "X-Forwarded-For", TrustedProxies: loopback, HashSlots: 64}, withPasswords(checks))
	statuses, retry := ts.burst(40, func(i int) string { return fmt.Sprintf("nobody%d@police.example", i) }, "a wrong password", oneAddress, nil)
	if calls, _ := checks.counts(); calls != addressLimit {
		t.Errorf("the burst from one address had %d passwords checked, want the limit, %d", calls, addressLimit)
	}
	for i, st := range statuses {
		if st == http.StatusTooManyRequests && retry[i] == "" {
			t.Errorf("a refused sign-in has no Retry-After")
		}
	}
	t.Run("Another address is not held back by the burst.", func(t *testing.T) {
		ts.addUser("sam@police.example")
		res := ts.client(t).post("/login", url.Values{"email": {"sam@police.example"}, "password": {testPassword}}, "X-Forwarded-For", "192.0.2.50")
		wantRedirect(t, res, "/staff")
	})
}

// Hole 8, memory: 60 simultaneous sign-ins took the process from 260 MB to 4 GB, one
// argon2id run (64 MiB) each. Checks are capped; the rest are answered at once, 503
// with Retry-After, not queued.
func TestPasswordChecksAreCapped(t *testing.T) {
	t.Parallel()
	const cap, n = 3, 60
	checks := &countingPasswords{hold: make(chan struct{})}
	ts := newTestServer(t, Config{MFAWaived: true, ClientIPHeader: "X-Forwarded-For", TrustedProxies: loopback, HashSlots: cap}, withPasswords(checks))
	ts.addUser("sam@police.example")
	// The checks are held until every request beyond the cap has been answered (or 10
	// seconds have passed, when there is no cap and every request is held).
	var answered atomic.Int32
	var once sync.Once
	release := func() { once.Do(func() { close(checks.hold) }) }
	timer := time.AfterFunc(10*time.Second, release)
	defer timer.Stop()
	statuses, retry := ts.burst(n, func(i int) string {
		if i%2 == 0 {
			return "sam@police.example" // a real account, each from its own address
		}
		return fmt.Sprintf("nobody%d@police.example", i)
	}, "a wrong password", manyAddresses, func() {
		if answered.Add(1) == n-cap {
			release()
		}
	})
	calls, most := checks.counts()
	if most > cap {
		t.Errorf("got %d password checks at once, want at most %d", most, cap)
	}
	busy := 0
	for i, st := range statuses {
		switch st {
		case http.StatusServiceUnavailable:
			busy++
			if retry[i] == "" {
				t.Errorf("a 503 has no Retry-After")
			}
		case http.StatusUnprocessableEntity, http.StatusTooManyRequests:
		default:
			t.Errorf("got status %d, want 422, 429 or 503", st)
		}
	}
	if busy == 0 || calls > n-busy {
		t.Errorf("got %d answered busy and %d checks of %d sign-ins, want some busy and no more checks than the rest", busy, calls, n)
	}
	t.Run("Once the burst is over, the real user signs in.", func(t *testing.T) {
		ts.clock.Advance(tropic.DefaultLoginPolicy.LockFor)
		res := ts.client(t).post("/login", url.Values{"email": {"sam@police.example"}, "password": {testPassword}}, "X-Forwarded-For", "192.0.2.50")
		wantRedirect(t, res, "/staff")
	})
}

// Hole 10: sessions were stored in clear, so a copy of the database (a backup) gave
// working staff sessions. The table holds only a hash of each token.
func TestSessionsTableHoldsNoWorkingToken(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("sam@police.example")
	c := ts.client(t)
	c.signInWaived("sam@police.example")
	cookie := c.sessionToken()
	if cookie == "" {
		t.Fatal("no session cookie after signing in")
	}
	wantStatus(t, c.get("/staff"), http.StatusOK)

	// Everything the table holds, column by column, as text.
	rows, err := ts.db.SQL().Query(`SELECT * FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				cells = append(cells, string(b))
			} else {
				cells = append(cells, fmt.Sprint(v))
			}
		}
	}
	rows.Close()
	if len(cells) == 0 {
		t.Fatal("the sessions table is empty after signing in")
	}
	for _, cell := range cells {
		if strings.Contains(cell, cookie) {
			t.Errorf("the sessions table holds the cookie value %q in clear: %q", cookie, cell)
		}
	}
	t.Run("No value copied from the table works as a session cookie.", func(t *testing.T) {
		for _, cell := range cells {
			thief := ts.client(t)
			thief.setSessionToken(cell)
			if res := thief.get("/staff"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/login") {
				t.Errorf("a cookie copied from the table (%q) got %d to %q, want a redirect to sign in", cell, res.status, res.location())
			}
		}
	})
}

// countingTOTP wraps the real TOTP checks and counts them.
type countingTOTP struct {
	tropic.TOTPAuthenticator
	calls atomic.Int32
}

func (c *countingTOTP) Check(secret, code string, now time.Time) (int64, bool) {
	c.calls.Add(1)
	return c.TOTPAuthenticator.Check(secret, code, now)
}

// Hole 8, second factor: simultaneous guesses at the security code are reserved
// against the account like passwords, so 40 at once get no more checks than the policy.
func TestConcurrentWrongCodesAreReservedBeforeChecking(t *testing.T) {
	t.Parallel()
	policy := tropic.LoginPolicy{LockAfter: 10, LockFor: 15 * time.Minute}
	codes := &countingTOTP{}
	ts := newTestServer(t, Config{LoginPolicy: policy}, func(d *Deps) {
		codes.TOTPAuthenticator = d.TOTP
		d.TOTP = codes
	})
	ts.addUser("sam@police.example")
	c := ts.client(t)
	secret := c.enrol("sam@police.example")
	wantRedirect(t, c.post("/logout", nil), "/login?signed_out=1")
	wantRedirect(t, c.login("sam@police.example", testPassword, ""), "/login/mfa")

	before := codes.calls.Load()
	wrong := wrongCode(c.code(secret))
	statuses := make([]int, 40)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, ts.http.URL+"/login/mfa", strings.NewReader(url.Values{"code": {wrong}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if res, err := c.hc.Do(req); err == nil {
				res.Body.Close()
				statuses[i] = res.StatusCode
			}
		}()
	}
	wg.Wait()
	if got := codes.calls.Load() - before; got > int32(policy.LockAfter) {
		t.Errorf("the burst had %d codes checked, want at most %d (statuses %v)", got, policy.LockAfter, statuses)
	}
	t.Run("The real user signs in once the lock has passed, and not before.", func(t *testing.T) {
		real := ts.client(t)
		ts.clock.Advance(policy.LockFor - time.Second)
		res := real.login("sam@police.example", testPassword, "")
		if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, "This account is locked") {
			t.Errorf("before the lock has passed: got %d, want 429 locked\n%s", res.status, res.body)
		}
		ts.clock.Advance(time.Second)
		wantRedirect(t, real.login("sam@police.example", testPassword, ""), "/login/mfa")
		wantRedirect(t, real.post("/login/mfa", url.Values{"code": {real.code(secret)}}), "/staff")
	})
}
