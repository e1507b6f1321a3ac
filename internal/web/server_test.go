package web

import (
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// The web tests run the real server (web.New) on a real SQLite database over real
// HTTP on loopback, with a settable clock shared by the server and the store.

// testParams make argon2id cheap enough for a test suite.
var testParams = auth.Params{Memory: 64, Time: 1, Threads: 1}

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

var testAdmin = tropic.SystemActor("web test")

// testServer is one server on its own fresh database, with the services behind it.
type testServer struct {
	t        testing.TB
	cfg      Config
	srv      *Server
	http     *httptest.Server
	db       *store.DB
	clock    *storetest.Clock
	logs     *syncBuffer
	agency   *tropic.Agency
	agencies *store.AgencyService
	users    *store.UserService
	tokens   *store.TokenService
	audit    *store.AuditService
	sessions *store.SessionStore
}

// dbHealth answers /readyz from the real database, as cmd/tropic wires it.
type dbHealth struct{ db *store.DB }

func (h dbHealth) Ping(ctx context.Context) error { return h.db.Ping(ctx) }

func (h dbHealth) SchemaCurrent(ctx context.Context) (bool, error) {
	s, err := h.db.MigrationState(ctx)
	return err == nil && !s.Pending() && !s.TooNew(), err
}

// syncBuffer collects the server's logs; the server writes from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestServer starts a server with cfg, cheap password hashing and one agency. modify may replace dependencies, such as Health.
//
// The clock starts at the real time, not a fixed date: scs stamps session expiries
// with time.Now while the session store compares them with the injected clock, so the
// two must start together for idle expiry to be testable.
func newTestServer(t testing.TB, cfg Config, modify ...func(*Deps)) *testServer {
	t.Helper()
	return newTestServerOn(t, store.SQLite, cfg, modify...)
}

// newTestServerOn is newTestServer on the database of dialect d, for the tests that
// go through the pages and API on each database (storetest.Dialects).
func newTestServerOn(t testing.TB, d store.Dialect, cfg Config, modify ...func(*Deps)) *testServer {
	t.Helper()
	clock := storetest.NewClock(time.Now().UTC().Truncate(time.Second))
	db := storetest.Open(t, d, store.Options{Now: clock.Now})
	ts := &testServer{
		t: t, cfg: cfg, db: db, clock: clock, logs: &syncBuffer{},
		agencies: store.NewAgencyService(db),
		users:    store.NewUserService(db),
		tokens:   store.NewTokenService(db),
		audit:    store.NewAuditService(db),
		sessions: store.NewSessionStore(db),
	}
	reports := store.NewReportService(db, nil, phone.Parse)
	deps := Deps{
		Agencies: ts.agencies, Users: ts.users, Tokens: ts.tokens, Audit: ts.audit, Sessions: ts.sessions,
		Reports: reports, Inbox: reports, Messages: reports, Phones: phone.Parse,
		Cases: store.NewCaseService(db, phone.Parse),
		Links: store.NewLinkService(db, phone.Parse), Matches: store.NewMatchService(db, phone.Parse),
		Access: store.NewLinkService(db, phone.Parse), Notifications: store.NewNotificationService(db),
		Referrals: store.NewReferralService(db),
		Stats:     newTestStats(db),
		Releases:  store.NewReleaseService(db),
		Campaigns: store.NewCampaignService(db), Posters: store.NewCampaignService(db), Exports: store.NewCampaignService(db),
		Meetings: store.NewMeetingService(db), Plan: store.NewPlanService(db),
		Rights:    store.NewRightsService(db),
		Passwords: auth.Passwords{Params: testParams}, TOTP: auth.TOTP{},
		UserAdmin: ts.users, Invites: store.NewInviteService(db), AdminHistory: ts.audit, Holidays: store.NewReferralService(db), NameLists: store.NewNameListService(db),
		Reference:   store.NewReferenceDataService(db, tropic.Settings{TriageTargets: cfg.TriageTargets, AcknowledgeTargets: cfg.AcknowledgeTargets}),
		Credentials: store.NewCredentialService(db), SSO: store.NewSSOService(db), SecurityKeys: store.NewSecurityKeyService(db),
		Health: dbHealth{db}, Logger: slog.New(slog.NewJSONHandler(ts.logs, nil)), Now: clock.Now,
	}
	cases := deps.Cases.(*store.CaseService)
	deps.Corrections, deps.Agreements = cases, cases
	retention := store.NewRetentionService(db, tropic.DefaultRetention)
	deps.Retention = retention
	deps.AuditSearch = ts.audit
	deps.Misuse = store.NewMisuseService(db, tropic.DefaultMisuseRules)
	matches := deps.Matches.(*store.MatchService)
	deps.Reveals = matches
	deps.Approvals = []tropic.ApprovalSource{cases.FindShareApprovals, cases.FindAccessApprovals, cases.FindRoleChangeApprovals, cases.FindClosureApprovals,
		retention.FindRetentionApprovals, matches.FindRevealApprovals}
	for _, m := range modify {
		m(&deps)
	}
	srv, err := New(cfg, deps)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	ts.srv = srv
	ts.cfg = srv.cfg // with defaults
	ts.http = httptest.NewServer(srv)
	t.Cleanup(ts.http.Close) // registered after the database's cleanup, so it runs first
	ts.agency = &tropic.Agency{Name: "Hertfordshire Constabulary", Kind: tropic.AgencyPolice, TriageHub: true}
	if err := ts.agencies.CreateAgency(context.Background(), testAdmin, ts.agency); err != nil {
		t.Fatalf("create agency: %v", err)
	}
	return ts
}

// addUser creates an enabled user with testPassword and the given roles.
func (ts *testServer) addUser(email string, roles ...tropic.Role) *tropic.User {
	ts.t.Helper()
	if len(roles) == 0 {
		roles = []tropic.Role{tropic.RoleCaseworker}
	}
	hash, err := auth.HashPassword(testPassword, testParams)
	if err != nil {
		ts.t.Fatalf("hash password: %v", err)
	}
	u := &tropic.User{Email: email, Name: "Sam Example", AgencyID: ts.agency.ID, Roles: roles}
	if err := ts.users.CreateUser(context.Background(), testAdmin, u, hash); err != nil {
		ts.t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// newToken creates an API token for user and returns its secret.
func (ts *testServer) newToken(userID int64, expires time.Time) (string, *tropic.Token) {
	ts.t.Helper()
	secret, hash, err := auth.NewToken()
	if err != nil {
		ts.t.Fatalf("new token: %v", err)
	}
	tok := &tropic.Token{UserID: userID, Name: "test", Prefix: auth.DisplayPrefix(secret), ExpiresAt: expires}
	if err := ts.tokens.CreateToken(context.Background(), testAdmin, tok, hash); err != nil {
		ts.t.Fatalf("create token: %v", err)
	}
	return secret, tok
}

// auditActions returns the actions of the audit events for userID, oldest first.
func (ts *testServer) auditActions(filter tropic.AuditFilter) []string {
	ts.t.Helper()
	events, _, err := ts.audit.FindAuditEvents(context.Background(), filter)
	if err != nil {
		ts.t.Fatalf("find audit events: %v", err)
	}
	out := make([]string, 0, len(events))
	for i := len(events) - 1; i >= 0; i-- {
		out = append(out, events[i].Action+" "+events[i].Detail)
	}
	return out
}

// client is a browser: a cookie jar, and redirects not followed so tests see them.
type client struct {
	t  testing.TB
	ts *testServer
	hc *http.Client

	recoveryCodes []string // shown when this browser set up an authenticator app
}

// client returns a new browser whose failures fail t.
func (ts *testServer) client(t testing.TB) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, ts: ts, hc: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is what a test looks at.
type response struct {
	status int
	header http.Header
	body   string
}

func (r *response) location() string { return r.header.Get("Location") }

// setCookie returns the Set-Cookie of the session cookie, or nil.
func (r *response) sessionCookie() *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "tropic_session" {
			return c
		}
	}
	return nil
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (c *client) newRequest(method, path string, body io.Reader) *http.Request {
	c.t.Helper()
	req, err := http.NewRequest(method, c.ts.http.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	return req
}

func (c *client) get(path string) *response {
	c.t.Helper()
	return c.do(c.newRequest(http.MethodGet, path, nil))
}

// postRaw posts body as a form, with extra headers as name, value pairs.
func (c *client) postRaw(path, body string, headers ...string) *response {
	c.t.Helper()
	req := c.newRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values, headers ...string) *response {
	c.t.Helper()
	return c.postRaw(path, form.Encode(), headers...)
}

// sessionToken is the session cookie the browser holds, "" if none.
func (c *client) sessionToken() string {
	u, _ := url.Parse(c.ts.http.URL)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "tropic_session" {
			return ck.Value
		}
	}
	return ""
}

// setSessionToken plants a session cookie, as a stolen or fixed cookie would be.
func (c *client) setSessionToken(token string) {
	u, _ := url.Parse(c.ts.http.URL)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "tropic_session", Value: token, Path: "/"}})
}

// login posts the sign-in form.
func (c *client) login(email, password, next string) *response {
	c.t.Helper()
	form := url.Values{"email": {email}, "password": {password}}
	if next != "" {
		form.Set("next", next)
	}
	return c.post("/login", form)
}

var secretRE = regexp.MustCompile(`id="secret"><code>([A-Z2-7 ]+)</code>`)

// enrol signs in for the first time and sets up the authenticator app, returning
// the secret read from the setup page.
func (c *client) enrol(email string) string {
	c.t.Helper()
	res := c.login(email, testPassword, "")
	if res.status != http.StatusSeeOther || res.location() != "/login/mfa/setup" {
		c.t.Fatalf("POST /login: got %d to %q, want 303 to /login/mfa/setup", res.status, res.location())
	}
	page := c.get("/login/mfa/setup")
	m := secretRE.FindStringSubmatch(page.body)
	if page.status != http.StatusOK || m == nil {
		c.t.Fatalf("GET /login/mfa/setup: got %d without a secret:\n%s", page.status, page.body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	res = c.post("/login/mfa/setup", url.Values{"code": {c.code(secret)}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Save your recovery codes") || !strings.Contains(res.body, `href="/staff"`) {
		c.t.Fatalf("POST /login/mfa/setup: got %d, want 200 with the recovery codes and a way on to /staff\n%s", res.status, res.body)
	}
	c.recoveryCodes = recoveryCodesIn(res.body)
	return secret
}

var recoveryCodeRE = regexp.MustCompile(`<li><code>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code></li>`)

// recoveryCodesIn returns the recovery codes a page shows.
func recoveryCodesIn(body string) []string {
	var out []string
	for _, m := range recoveryCodeRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// code is the authenticator app's code at the test clock.
func (c *client) code(secret string) string {
	c.t.Helper()
	code, err := auth.TOTPCode(secret, c.ts.clock.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	return code
}

// signInWaived signs in on a server with MFA waived.
func (c *client) signInWaived(email string) {
	c.t.Helper()
	if res := c.login(email, testPassword, ""); res.status != http.StatusSeeOther || res.location() != "/staff" {
		c.t.Fatalf("POST /login: got %d to %q, want 303 to /staff\n%s", res.status, res.location(), res.body)
	}
}

var (
	nonceAttrRE   = regexp.MustCompile(`<script nonce="([^"]*)">`)
	nonceHeaderRE = regexp.MustCompile(`'nonce-([^']*)'`)
	titleRE       = regexp.MustCompile(`<title>([^<]*)</title>`)
	mainRE        = regexp.MustCompile(`(?s)<main[^>]*>(.*)</main>`)
)

// pageNonce is the nonce of the page's inline script, unescaped as a browser reads it.
func pageNonce(body string) string {
	m := nonceAttrRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func headerNonce(h http.Header) string {
	m := nonceHeaderRE.FindStringSubmatch(h.Get("Content-Security-Policy"))
	if m == nil {
		return ""
	}
	return m[1]
}

func pageTitle(body string) string {
	m := titleRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func mainContent(body string) string {
	m := mainRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// withoutNonce blanks the per-request nonce so that two pages can be compared.
func withoutNonce(body string) string { return nonceAttrRE.ReplaceAllString(body, `<script nonce="">`) }

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func wantStatus(t testing.TB, res *response, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("got status %d, want %d\n%s", res.status, want, res.body)
	}
}

func wantRedirect(t testing.TB, res *response, want string) {
	t.Helper()
	if res.status != http.StatusSeeOther || res.location() != want {
		t.Fatalf("got %d to %q, want 303 to %q\n%s", res.status, res.location(), want, res.body)
	}
}

func wantContains(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page does not contain %q:\n%s", w, body)
		}
	}
}

func wantNotContains(t testing.TB, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("page contains %q, want it not to", w)
		}
	}
}

// newTestStats is the statistics service for tests: no cache, so that a test sees
// what it has just written.
func newTestStats(db *store.DB) *store.StatsService {
	s := store.NewStatsService(db)
	s.SetTTL(0)
	return s
}
