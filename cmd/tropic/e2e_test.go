package main

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

func TestDemoServesHealthzAndPrintsItsAccounts(t *testing.T) {
	// On a demo of its own, beside the browser tests (see brParallel).
	brMaybeParallel(t)
	inst := startDemo(t, "--reports-per-year", "300", "--cases", "300") // the defaults: the demo a newcomer gets
	out := inst.Stdout.String()
	for _, want := range []string{"Tropic demo is running at http://127.0.0.1:", "triage.police@" + "demo.tropic.example", "admin.charity@demo.tropic.example",
		"caseworker.stalbans@", "supervisor.watford@", "county", "partnership.admin@demo.tropic.example", `password "demo-partnership-2026"`, "Multi-factor authentication is waived",
		"Rights requests: a subject access request, due by "} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	// One user per role of an agency in the police unit, the county council, two district
	// councils and a charity, and the partnership administrator.
	if n, want := strings.Count(out, "@demo.tropic.example"), 5*(len(tropic.Roles)-1)+1; n != want {
		t.Errorf("demo printed %d accounts, want %d", n, want)
	}
	if m := regexp.MustCompile(`ready in ([0-9.]+)s`).FindStringSubmatch(out); m == nil {
		t.Errorf("demo did not say how long it took to be ready:\n%s", out)
	} else {
		t.Logf("demo ready in %ss", m[1])
	}
	if status, body := get(t, http.DefaultClient, inst.URL+"/readyz"); status != http.StatusOK {
		t.Errorf("GET /readyz: got %d %s, want 200", status, body)
	}
}

func TestDemoPasswordCanBeSet(t *testing.T) {
	brMaybeParallel(t) // on a demo of its own, beside the browser tests (see brParallel)
	inst := startDemo(t, "--demo-password", "another-demo-password")
	if !strings.Contains(inst.Stdout.String(), `password "another-demo-password"`) {
		t.Errorf("demo output does not print the chosen password:\n%s", inst.Stdout)
	}
}

func TestEveryCommandExplainsItselfWithHelp(t *testing.T) {
	cases := [][]string{
		{"--help"}, {"serve", "--help"}, {"demo", "--help"}, {"migrate", "--help"},
		{"agency", "--help"}, {"agency", "add", "--help"}, {"agency", "list", "--help"},
		{"agency", "edit", "--help"}, {"agency", "disable", "--help"}, {"agency", "enable", "--help"},
		{"user", "--help"}, {"user", "add", "--help"}, {"user", "list", "--help"}, {"user", "disable", "--help"}, {"user", "enable", "--help"}, {"user", "set-password", "--help"}, {"user", "reset-mfa", "--help"},
		{"user", "set-roles", "--help"}, {"user", "invite", "--help"},
		{"token", "--help"}, {"token", "create", "--help"}, {"token", "revoke", "--help"}, {"token", "list", "--help"},
		{"audit", "--help"}, {"audit", "verify", "--help"}, {"audit", "checkpoint", "--help"}, {"audit", "keygen", "--help"},
		{"backup", "--help"}, {"version", "--help"},
		{"holiday", "--help"}, {"holiday", "list", "--help"}, {"holiday", "add", "--help"},
		{"stats", "--help"}, {"stats", "release", "--help"}, {"stats", "audit", "--help"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, _, err := tropicCmd(t, nil, "", args...)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if n := strings.Count(out, "Usage: tropic"); n != 1 {
				t.Errorf("got %q, want one usage text", out)
			}
		})
	}
	// A command's options are listed under its usage.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--help"}, "-no-migrate"},
		{[]string{"serve", "--help"}, "-audit-key-file"},
		{[]string{"audit", "verify", "--help"}, "-checkpoint"},
		{[]string{"demo", "--help"}, "-demo-password"},
		{[]string{"token", "create", "--help"}, "-user"},
		{[]string{"bench", "intake", "--help"}, "-seconds"},
	} {
		out, _, err := tropicCmd(t, nil, "", tc.args...)
		if err != nil || !strings.Contains(out, "Options:") || !strings.Contains(out, tc.want) {
			t.Errorf("tropic %s: got %q, %v; want its options, %s among them", strings.Join(tc.args, " "), out, err, tc.want)
		}
	}
}

func TestMistakesInHowTropicIsCalledExitWithStatusTwo(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"user"}, {"user", "frobnicate"}, {"serve", "--no-such-flag"}, {"token", "revoke", "abc"},
		{"serve", "--client-ip-header", "X-Forwarded-For"}, // no --trusted-proxies: the header would be believed from anyone
		{"serve", "--client-ip-header", "X-Forwarded-For", "--trusted-proxies", "10.0.0.0/33"},
		{"serve", "--hash-slots", "0"},
		{"agency", "edit", "--agency", "Testshire Police"},                               // nothing to change
		{"agency", "edit", "--agency", "Testshire Police", "--first-responder", "maybe"}, // yes or no
		{"agency", "disable"}, // which agency?
		{"serve", "--audit-checkpoint-emails", "audit@partnership.example"}} { // checkpoints by e-mail, but no e-mail
		_, _, err := tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": filepath.Join(t.TempDir(), "t.db")}, "", args...)
		if code := exitCode(err); code != 2 {
			t.Errorf("tropic %v: got exit code %d (%v), want 2", args, code, err)
		}
	}
	// Triage targets a typing slip makes unusable are refused by flag or by environment,
	// naming the setting and what is wrong.
	for _, tt := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"serve", "--triage-targets", "urgent=soon"}, `urgent: "soon" is not a time`},
		{nil, []string{"serve", "--triage-targets", "emergency=1wd"}, "emergency must be a time"},
		{map[string]string{"TROPIC_TRIAGE_TARGETS": "critical=1h"}, []string{"serve"}, `"critical" is not an urgency`},
	} {
		vars := map[string]string{"TROPIC_DATABASE_URL": filepath.Join(t.TempDir(), "t.db")}
		for k, v := range tt.env {
			vars[k] = v
		}
		_, _, err := tropicCmd(t, vars, "", tt.args...)
		if code := exitCode(err); code != 2 || !strings.Contains(err.Error(), "--triage-targets (TROPIC_TRIAGE_TARGETS): ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("tropic %v with %v: got exit code %d (%v), want 2 and an error naming --triage-targets saying %q", tt.args, tt.env, code, err, tt.want)
		}
	}
	// Session limits likewise: the error names the flag and its variable.
	for _, tt := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"serve", "--session-idle", "30"}, `--session-idle (TROPIC_SESSION_IDLE): "30" is not a time`},
		{map[string]string{"TROPIC_SESSION_IDLE": "10s"}, []string{"serve"}, "--session-idle (TROPIC_SESSION_IDLE): give a time from 1m to 24h"},
		{nil, []string{"serve", "--session-lifetime", "forever"}, `--session-lifetime (TROPIC_SESSION_LIFETIME): "forever" is not a time`},
		{map[string]string{"TROPIC_SESSION_LIFETIME": "20m"}, []string{"serve"}, "--session-lifetime (TROPIC_SESSION_LIFETIME): 20m0s is shorter than the idle timeout 30m0s"},
	} {
		vars := map[string]string{"TROPIC_DATABASE_URL": filepath.Join(t.TempDir(), "t.db")}
		for k, v := range tt.env {
			vars[k] = v
		}
		_, _, err := tropicCmd(t, vars, "", tt.args...)
		if code := exitCode(err); code != 2 || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("tropic %v with %v: got exit code %d (%v), want 2 and %q", tt.args, tt.env, code, err, tt.want)
		}
	}
}

// adminSetup adds an agency and a user through the commands and returns the env.
func adminSetup(t *testing.T, dsn string) map[string]string {
	t.Helper()
	vars := keyedVars(t, dsn)
	if out, _, err := tropicCmd(t, vars, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v", err)
	} else if !strings.Contains(out, "applied") {
		t.Errorf("migrate said %q, want it to report what it applied", out)
	}
	if _, _, err := tropicCmd(t, vars, "", "agency", "add", "--name", "Testshire Police", "--kind", "police", "--first-responder"); err != nil {
		t.Fatalf("agency add: %v", err)
	}
	if _, _, err := tropicCmd(t, vars, "a long enough test passphrase\n", "user", "add", "--email", "Sam.Analyst@Testshire.example",
		"--name", "Sam Analyst", "--agency", "Testshire Police", "--roles", "analyst,caseworker"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	return vars
}

func TestAdministrationCommandsManageAgenciesUsersAndTokens(t *testing.T) {
	vars := adminSetup(t, filepath.Join(t.TempDir(), "tropic.db"))

	out, _, err := tropicCmd(t, vars, "", "agency", "list")
	if err != nil || !strings.Contains(out, "police\tfirst-responder=yes\tduty-to-notify=yes\tTestshire Police") {
		t.Errorf("agency list: got %q, %v", out, err)
	}
	out, _, err = tropicCmd(t, vars, "", "user", "list")
	if want := "sam.analyst@testshire.example\tTestshire Police\tcaseworker,analyst\n"; err != nil || out != want {
		t.Errorf("user list: got %q (%v), want %q", out, err, want)
	}

	// A short password, an unknown role and a duplicate are refused, naming the field.
	_, _, err = tropicCmd(t, vars, "short\n", "user", "add", "--email", "x@testshire.example", "--name", "X", "--agency", "Testshire Police", "--roles", "analyst")
	if err == nil || !strings.Contains(err.Error(), "--password") {
		t.Errorf("short password: got %v, want an error naming --password", err)
	}
	_, _, err = tropicCmd(t, vars, "a long enough test passphrase\n", "user", "add", "--email", "x@testshire.example", "--name", "X", "--agency", "Testshire Police", "--roles", "wizard")
	if err == nil || !strings.Contains(err.Error(), "--roles") {
		t.Errorf("unknown role: got %v, want an error naming --roles", err)
	}
	_, _, err = tropicCmd(t, vars, "a long enough test passphrase\n", "user", "add", "--email", "sam.analyst@testshire.example", "--name", "Sam", "--agency", "Testshire Police", "--roles", "analyst")
	if err == nil || !strings.Contains(err.Error(), "--email") {
		t.Errorf("duplicate e-mail: got %v, want an error naming --email", err)
	}
	// An empty password line makes tropic generate one and print it once.
	out, _, err = tropicCmd(t, vars, "\n", "user", "add", "--email", "gen@testshire.example", "--name", "Gen Erated", "--agency", "1", "--roles", "triage")
	if err != nil || !regexp.MustCompile(`password \(shown once\): [A-Za-z0-9]{20}\n`).MatchString(out) {
		t.Errorf("generated password: got %q, %v", out, err)
	}

	// A token authenticates the API as its user; revoked, it no longer does.
	secret, stderr, err := tropicCmd(t, vars, "", "token", "create", "--user", "sam.analyst@testshire.example", "--name", "test system")
	if err != nil {
		t.Fatalf("token create: %v (%s)", err, stderr)
	}
	secret = strings.TrimSpace(secret)
	if !strings.HasPrefix(secret, auth.TokenPrefix) {
		t.Fatalf("token create printed %q, want a token", secret)
	}
	inst := start(t, vars, "serve")
	status, body := get(t, http.DefaultClient, inst.URL+"/api/v1/me", "Authorization", "Bearer "+secret)
	if status != http.StatusOK || !strings.Contains(body, `"email": "sam.analyst@testshire.example"`) || !strings.Contains(body, `"name": "Testshire Police"`) ||
		!strings.Contains(body, `"caseworker",`) {
		t.Errorf("GET /api/v1/me: got %d %s", status, body)
	}
	out, _, err = tropicCmd(t, vars, "", "token", "list")
	if err != nil || !strings.Contains(out, "test system\tactive") || strings.Contains(out, secret) {
		t.Errorf("token list: got %q, %v; want the token listed as active, without its secret", out, err)
	}
	if _, _, err := tropicCmd(t, vars, "", "token", "revoke", "1"); err != nil {
		t.Fatalf("token revoke: %v", err)
	}
	if status, body := get(t, http.DefaultClient, inst.URL+"/api/v1/me", "Authorization", "Bearer "+secret); status != http.StatusUnauthorized || !strings.Contains(body, `"code": "unauthorised"`) {
		t.Errorf("GET /api/v1/me with a revoked token: got %d %s, want 401", status, body)
	}

	// Disabling keeps the user, marked, in the full list.
	if _, _, err := tropicCmd(t, vars, "", "user", "disable", "--email", "gen@testshire.example"); err != nil {
		t.Fatalf("user disable: %v", err)
	}
	out, _, _ = tropicCmd(t, vars, "", "user", "list", "--all")
	if !strings.Contains(out, "gen@testshire.example\tTestshire Police\ttriage\t(disabled)") {
		t.Errorf("user list --all: got %q, want the disabled user marked", out)
	}
	out, _, _ = tropicCmd(t, vars, "", "user", "list")
	if strings.Contains(out, "gen@") {
		t.Errorf("user list: got %q, want disabled users left out", out)
	}

	// Every change above is in an intact audit chain.
	out, _, err = tropicCmd(t, vars, "", "audit", "verify")
	if err != nil || !strings.Contains(out, "audit chain intact") {
		t.Errorf("audit verify: got %q, %v", out, err)
	}
}

// tamper runs SQL on the database file the way an operator with the sqlite3 shell
// would: the sqlite3 program if installed, else a separate connection of our own.
func tamper(t *testing.T, path, statement string) {
	t.Helper()
	if sh, err := exec.LookPath("sqlite3"); err == nil {
		if out, err := exec.Command(sh, path, statement).CombinedOutput(); err != nil {
			t.Fatalf("sqlite3 %s: %v\n%s", statement, err, out)
		}
		return
	}
	t.Logf("sqlite3 shell not installed; tampering through a separate database/sql connection")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(statement); err != nil {
		t.Fatalf("%s: %v", statement, err)
	}
}

func TestAuditVerifyNamesTheFirstRowChangedInsertedOrDeletedByHand(t *testing.T) {
	cases := []struct {
		name      string
		statement string
		want      string
	}{
		{"a changed detail", `UPDATE audit_events SET detail = 'nothing to see' WHERE id = 3`, "row 3"},
		{"a changed time", `UPDATE audit_events SET at = '2020-01-01 00:00:00+00:00' WHERE id = 2`, "row 2"},
		{"a value of the wrong type", `UPDATE audit_events SET object_id = 'x' WHERE id = 4`, "row 4"},
		{"a deleted middle row", `DELETE FROM audit_events WHERE id = 2`, "event 2 is missing"},
		{"a deleted last row", `DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)`, "the last rows were deleted"},
		{"an inserted row", `INSERT INTO audit_events (seq, at, action, prev_hash, hash) VALUES (99, '2026-01-01 00:00:00+00:00', 'login.succeeded', 'x', 'y')`, "row 5"},
		{"a renumbered row", `UPDATE audit_events SET seq = 40 WHERE id = 3`, "row 3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // a database of its own
			path := filepath.Join(t.TempDir(), "tropic.db")
			vars := adminSetup(t, path) // writes events 1 (agency) and 2 (user)
			for _, email := range []string{"a@testshire.example", "b@testshire.example"} {
				if _, _, err := tropicCmd(t, vars, "a long enough test passphrase\n", "user", "add", "--email", email, "--name", "Someone", "--agency", "1", "--roles", "triage"); err != nil {
					t.Fatal(err)
				}
			}
			if out, _, err := tropicCmd(t, vars, "", "audit", "verify"); err != nil || !strings.Contains(out, "4 events") {
				t.Fatalf("before tampering: got %q, %v; want an intact chain of 4 events", out, err)
			}
			tamper(t, path, tc.statement)
			_, _, err := tropicCmd(t, vars, "", "audit", "verify")
			if err == nil {
				t.Fatalf("after %s: audit verify passed, want it to fail", tc.name)
			}
			if code := exitCode(err); code != 3 {
				t.Errorf("got exit code %d, want 3", code)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, want it to name %q", err, tc.want)
			}
		})
	}
}

func TestServeRefusesASchemaNewerThanItKnows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tropic.db")
	vars := adminSetup(t, path)
	tamper(t, path, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)`)
	_, _, err := tropicCmd(t, vars, "", "serve", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "newer than this tropic knows") {
		t.Errorf("got %v, want a refusal naming the newer schema", err)
	}
}

func TestServeWithNoMigrateRefusesAnOldSchema(t *testing.T) {
	vars := keyedVars(t, filepath.Join(t.TempDir(), "tropic.db"))
	_, _, err := tropicCmd(t, vars, "", "serve", "--no-migrate", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "run 'tropic migrate' first") {
		t.Errorf("got %v, want a refusal asking for tropic migrate", err)
	}
}

func TestBackupWritesAConsistentCopyOfALiveDatabase(t *testing.T) {
	dir := t.TempDir()
	vars := adminSetup(t, filepath.Join(dir, "tropic.db"))
	inst := start(t, vars, "serve") // the database is in use while it is copied
	_ = inst
	copyPath := filepath.Join(dir, "copy.db")
	if out, _, err := tropicCmd(t, vars, "", "backup", copyPath); err != nil || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: got %q, %v", out, err)
	}
	copyVars := map[string]string{"TROPIC_DATABASE_URL": copyPath, "TROPIC_AUDIT_KEY_FILE": vars["TROPIC_AUDIT_KEY_FILE"]}
	out, _, err := tropicCmd(t, copyVars, "", "user", "list")
	if err != nil || !strings.Contains(out, "sam.analyst@testshire.example") {
		t.Errorf("user list on the copy: got %q, %v", out, err)
	}
	if out, _, err := tropicCmd(t, copyVars, "", "audit", "verify"); err != nil {
		t.Errorf("audit verify on the copy: got %q, %v", out, err)
	}
	if _, _, err := tropicCmd(t, vars, "", "backup", copyPath); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("backup over an existing file: got %v, want a refusal", err)
	}
	_, _, err = tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}, "", "backup", filepath.Join(dir, "pg.db"))
	if !errors.Is(err, store.ErrBackupPostgres) {
		t.Errorf("backup of PostgreSQL: got %v, want advice to use pg_dump", err)
	}
}

// signIn signs in through the real pages of a server that requires MFA, enrolling
// on the way, and returns the client holding the session.
func signIn(t *testing.T, baseURL, email, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	res, err := client.PostForm(baseURL+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.HasSuffix(res.Request.URL.Path, "/login/mfa/setup") {
		t.Fatalf("after the password: landed on %s, want /login/mfa/setup\n%s", res.Request.URL, body)
	}
	m := regexp.MustCompile(`id="secret"><code>([A-Z2-7 ]+)</code>`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("the setup page shows no secret:\n%s", body)
	}
	code, err := auth.TOTPCode(strings.ReplaceAll(string(m[1]), " ", ""), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res, err = client.PostForm(baseURL+"/login/mfa/setup", url.Values{"code": {code}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	// Signed in, the recovery codes are shown once, with the way on to the staff home.
	if res.Request.URL.Path != "/login/mfa/setup" || !strings.Contains(string(page), "Save your recovery codes") || !strings.Contains(string(page), `href="/staff"`) {
		t.Fatalf("after the code: landed on %s without the recovery codes:\n%s", res.Request.URL, page)
	}
	return client
}

func TestTwoServersOnOnePostgresDatabaseShareSessions(t *testing.T) {
	if os.Getenv(storetest.PostgresURLEnv) == "" {
		t.Skip("PostgreSQL tests skipped: set " + storetest.PostgresURLEnv)
	}
	dsn := storetest.NewDatabase(t, store.Postgres)
	vars := adminSetup(t, dsn)
	// Both start together: migrations take turns under goose's advisory lock.
	a := start(t, vars, "serve")
	b := start(t, vars, "serve")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("first server log:\n%s\nsecond server log:\n%s", a.Stderr, b.Stderr)
		}
	})
	client := signIn(t, a.URL, "sam.analyst@testshire.example", "a long enough test passphrase")
	// Cookies are kept per host, not per port, so the same jar carries the session to b.
	status, body := get(t, client, b.URL+"/staff")
	if status != http.StatusOK || !strings.Contains(body, "Sam Analyst") || !strings.Contains(body, "Testshire Police") {
		t.Fatalf("GET /staff on the second server: got %d, want the signed-in staff home\n%s", status, body)
	}
	// Signing out on b ends the session on a too.
	res, err := client.PostForm(b.URL+"/logout", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	noRedirect := &http.Client{Jar: client.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if status, _ := get(t, noRedirect, a.URL+"/staff"); status != http.StatusSeeOther {
		t.Errorf("GET /staff on the first server after signing out on the second: got %d, want 303 to sign in", status)
	}
	if out, _, err := tropicCmd(t, vars, "", "audit", "verify"); err != nil {
		t.Errorf("audit verify on PostgreSQL: got %q, %v", out, err)
	}
}

func TestHolidayCommandsListTheYearAndRecordOneOffChanges(t *testing.T) {
	vars := map[string]string{"TROPIC_DATABASE_URL": filepath.Join(t.TempDir(), "tropic.db")}
	out, _, err := tropicCmd(t, vars, "", "holiday", "list", "--year", "2022")
	if err != nil || !strings.Contains(out, "2022-06-03\tFriday\tPlatinum Jubilee bank holiday") || strings.Contains(out, "2022-05-30") {
		t.Errorf("holiday list --year 2022: got %q, %v; want the Jubilee and not the moved spring holiday", out, err)
	}
	if _, _, err := tropicCmd(t, vars, "", "holiday", "add", "--date", "2027-06-07", "--name", "Extra bank holiday (test)"); err != nil {
		t.Fatalf("holiday add: %v", err)
	}
	out, _, _ = tropicCmd(t, vars, "", "holiday", "list", "--year", "2027")
	if !strings.Contains(out, "2027-06-07\tMonday\tExtra bank holiday (test)") {
		t.Errorf("after adding: got %q", out)
	}
	_, _, err = tropicCmd(t, vars, "", "holiday", "add", "--date", "2027-06-08", "--name", "Not a holiday", "--removed")
	if err == nil || !strings.Contains(err.Error(), "--date") {
		t.Errorf("removing a day that is no holiday: got %v, want a refusal naming --date", err)
	}
	if out, _, err := tropicCmd(t, vars, "", "audit", "verify"); err != nil {
		t.Errorf("audit verify: %q, %v", out, err)
	}
}

// Hole 13 (issue 11): /metrics told anyone live counts of reports and sign-ins. serve
// keeps it off the public listener and serves it on --metrics-addr.
func TestServeKeepsMetricsOffThePublicListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := ln.Addr().String()
	ln.Close()
	vars := keyedVars(t, filepath.Join(t.TempDir(), "tropic.db"))
	inst := start(t, vars, "serve", "--metrics-addr", metricsAddr, "--client-ip-header", "X-Forwarded-For", "--trusted-proxies", "127.0.0.1, ::1")
	if status, body := get(t, http.DefaultClient, inst.URL+"/metrics"); status != http.StatusNotFound || strings.Contains(body, "tropic_http_requests_total") {
		t.Errorf("GET /metrics on the public listener: got %d, want 404 without metrics", status)
	}
	if status, body := get(t, http.DefaultClient, "http://"+metricsAddr+"/metrics"); status != http.StatusOK || !strings.Contains(body, `tropic_http_requests_total{code="200",route="GET /healthz"}`) {
		t.Errorf("GET /metrics on --metrics-addr: got %d, want 200 with the public listener's counts\n%.500s", status, body)
	}
}

// TestAgencyAddTakesFirstResponderAndDutyToNotifyFromTheKind: the GLAA, the NCA and
// the Home Office are first responders bound by the Duty to Notify (DOMAIN.md); a
// charity is neither unless the administrator says so.
func TestAgencyAddTakesFirstResponderAndDutyToNotifyFromTheKind(t *testing.T) {
	vars := adminSetup(t, filepath.Join(t.TempDir(), "tropic.db"))
	for _, a := range [][]string{{"--name", "GLAA", "--kind", "glaa"}, {"--name", "NCA", "--kind", "nca"}, {"--name", "UKVI", "--kind", "home_office"},
		{"--name", "Herts Refuge Trust", "--kind", "charity"}, {"--name", "Medaille Trust", "--kind", "charity", "--first-responder"}} {
		if _, _, err := tropicCmd(t, vars, "", append([]string{"agency", "add"}, a...)...); err != nil {
			t.Fatalf("agency add %v: %v", a, err)
		}
	}
	out, _, err := tropicCmd(t, vars, "", "agency", "list")
	for _, want := range []string{"glaa\tfirst-responder=yes\tduty-to-notify=yes\tGLAA", "nca\tfirst-responder=yes\tduty-to-notify=yes\tNCA",
		"home_office\tfirst-responder=yes\tduty-to-notify=yes\tUKVI", "charity\tfirst-responder=no\tduty-to-notify=no\tHerts Refuge Trust",
		"charity\tfirst-responder=yes\tduty-to-notify=no\tMedaille Trust"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("agency list: got %q, %v; want a line %q", out, err, want)
		}
	}
}

// The sign-in pages tell staff who forgot a password or lost a phone to ask the
// partnership's Tropic administrator: these are the commands that administrator has.
func TestAccountRecoveryFromTheCommandLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tropic.db")
	vars := adminSetup(t, path)
	const email = "sam.analyst@testshire.example"
	login := func() *tropic.Login { t.Helper(); return storedLogin(t, path, email) }
	// A forgotten password: a new one from standard input, and the account unlocked.
	out, _, err := tropicCmd(t, vars, "a new long enough passphrase\n", "user", "set-password", "--email", email)
	if err != nil || !strings.Contains(out, "set a new password for user "+email) {
		t.Fatalf("user set-password: got %q, %v", out, err)
	}
	if ok, err := auth.VerifyPassword("a new long enough passphrase", login().PasswordHash); !ok || err != nil {
		t.Errorf("after set-password the new password does not verify (%v)", err)
	}
	if _, _, err := tropicCmd(t, vars, "password\n", "user", "set-password", "--email", email); err == nil {
		t.Error("user set-password took a common password")
	}
	// A lost phone: the authenticator is forgotten, to be set up at the next sign-in.
	keyFile, err := os.ReadFile(vars["TROPIC_AUDIT_KEY_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	keys, err := tropic.ParseAuditKeys(string(keyFile))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), path, store.Options{AuditKeys: keys})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.NewUserService(db).EnrolMFA(context.Background(), login().User.ID, "JBSWY3DPEHPK3PXP", 1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if out, _, err := tropicCmd(t, vars, "", "user", "reset-mfa", "--email", email); err != nil || !strings.Contains(out, "reset the authenticator of user "+email) {
		t.Fatalf("user reset-mfa: got %q, %v", out, err)
	}
	if l := login(); l.MFASecret != "" || l.MFALastStep != 0 {
		t.Errorf("after reset-mfa the account still has an authenticator")
	}
	// A leaver who comes back: disabled, then enabled.
	for _, cmd := range []string{"disable", "enable"} {
		if _, _, err := tropicCmd(t, vars, "", "user", cmd, "--email", email); err != nil {
			t.Fatalf("user %s: %v", cmd, err)
		}
	}
	if login().User.Disabled {
		t.Error("after user enable the account is still disabled")
	}
	if _, _, err := tropicCmd(t, vars, "", "user", "enable", "--email", "nobody@testshire.example"); err == nil {
		t.Error("user enable of no such user succeeded")
	}
	out, _, err = tropicCmd(t, vars, "", "audit", "verify")
	if err != nil || !strings.Contains(out, "audit chain intact") {
		t.Errorf("audit verify after the changes: got %q, %v", out, err)
	}
}

func TestUserRolesFromTheCommandLine(t *testing.T) {
	vars := adminSetup(t, filepath.Join(t.TempDir(), "tropic.db"))
	const email = "sam.analyst@testshire.example"
	out, _, err := tropicCmd(t, vars, "", "user", "set-roles", "--email", email, "--roles", "supervisor, Caseworker,supervisor")
	if want := "user " + email + " has the roles caseworker,supervisor\n"; err != nil || out != want {
		t.Fatalf("user set-roles: got %q, %v; want %q", out, err, want)
	}
	out, _, err = tropicCmd(t, vars, "", "user", "list")
	if want := email + "\tTestshire Police\tcaseworker,supervisor\n"; err != nil || out != want {
		t.Errorf("user list after set-roles: got %q, %v; want %q", out, err, want)
	}
	for _, tc := range []struct {
		args []string
		want string // in the error
	}{
		{[]string{"--email", email, "--roles", "caseworker,root"}, "--roles: Unknown role root"},
		{[]string{"--email", email, "--roles", ""}, "--roles: Give the user at least one role"},
		{[]string{"--email", "nobody@testshire.example", "--roles", "analyst"}, "--email: no user"},
	} {
		if _, _, err := tropicCmd(t, vars, "", append([]string{"user", "set-roles"}, tc.args...)...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("user set-roles %v: got %v, want an error saying %q", tc.args, err, tc.want)
		}
	}
	out, _, err = tropicCmd(t, vars, "", "audit", "verify")
	if err != nil || !strings.Contains(out, "audit chain intact") {
		t.Errorf("audit verify after set-roles: got %q, %v", out, err)
	}
}

func TestAgencyEditDisableAndEnableFromTheCommandLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tropic.db")
	vars := adminSetup(t, path)
	const email = "sam.analyst@testshire.example"
	login := func() *tropic.Login { t.Helper(); return storedLogin(t, path, email) }
	out, _, err := tropicCmd(t, vars, "", "agency", "edit", "--agency", "Testshire Police", "--name", "Testshire Constabulary", "--duty-to-notify", "no")
	if want := "agency 1: Testshire Constabulary, police, first-responder=yes, duty-to-notify=no, triage-hub=no\n"; err != nil || out != want {
		t.Fatalf("agency edit: got %q, %v; want %q", out, err, want)
	}
	if _, _, err := tropicCmd(t, vars, "", "agency", "edit", "--agency", "1", "--kind", "secret_service"); err == nil || !strings.Contains(err.Error(), "--kind: Choose the kind of agency") {
		t.Errorf("agency edit with an unknown kind: got %v, want an error naming --kind", err)
	}
	if _, _, err := tropicCmd(t, vars, "", "agency", "edit", "--agency", "Nowhere", "--name", "x"); err == nil || !strings.Contains(err.Error(), "--agency: no agency") {
		t.Errorf("agency edit of no such agency: got %v", err)
	}

	out, _, err = tropicCmd(t, vars, "", "agency", "disable", "--agency", "Testshire Constabulary")
	if err != nil || out != "disabled agency 1: Testshire Constabulary\n" {
		t.Fatalf("agency disable: got %q, %v", out, err)
	}
	if !login().User.Disabled {
		t.Error("after agency disable its user can still sign in")
	}
	out, _, err = tropicCmd(t, vars, "", "agency", "list")
	if err != nil || !strings.Contains(out, "Testshire Constabulary\t(disabled)\n") {
		t.Errorf("agency list after disable: got %q, %v", out, err)
	}
	if out, _, err = tropicCmd(t, vars, "", "user", "list", "--all"); err != nil || !strings.Contains(out, email) {
		t.Errorf("user list --all after agency disable: got %q, %v; want the user kept", out, err)
	}
	if _, _, err := tropicCmd(t, vars, "", "token", "create", "--user", email); err == nil {
		t.Error("token create for a user of a disabled agency succeeded")
	}

	if out, _, err = tropicCmd(t, vars, "", "agency", "enable", "--agency", "1"); err != nil || out != "enabled agency 1: Testshire Constabulary\n" {
		t.Fatalf("agency enable: got %q, %v", out, err)
	}
	if login().User.Disabled {
		t.Error("after agency enable its user is still disabled")
	}
	out, _, err = tropicCmd(t, vars, "", "audit", "verify")
	if err != nil || !strings.Contains(out, "audit chain intact") {
		t.Errorf("audit verify after the changes: got %q, %v", out, err)
	}
}

// storedLogin reads the sign-in record of email from the SQLite database at path.
func storedLogin(t *testing.T, path, email string) *tropic.Login {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	l, err := store.NewUserService(db).FindLogin(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestServeRefusesAPublicNoticeThatIsWrongNamingTheField(t *testing.T) {
	dir := t.TempDir()
	vars := keyedVars(t, filepath.Join(dir, "tropic.db"))
	good, err := os.ReadFile("../../internal/demo/public_notice.json")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "notice.json")
	if err := os.WriteFile(bad, []byte(strings.Replace(string(good), `"dpo@demo.tropic.example"`, `"the DPO"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = tropicCmd(t, vars, "", "serve", "--addr", "127.0.0.1:0", "--public-notice", bad)
	if err == nil || !strings.Contains(err.Error(), "dpo.email") {
		t.Errorf("got %v, want a refusal naming dpo.email", err)
	}
}
