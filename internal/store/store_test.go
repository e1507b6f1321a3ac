package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// The store contract suite: every test runs once per dialect, on a fresh database.

// t0 is where each test's clock starts: a whole second, so that sub-second steps
// cross second boundaries in the stored text (SQLite) the way real times do.
var t0 = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// fakeHash stands in for a password hash: the store keeps it without reading it.
const fakeHash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"

var admin = tropic.SystemActor("test")

// testAuditKeys keys every test store's audit chain, as serve's is keyed.
var testAuditKeys = mustAuditKeys("ktest:" + strings.Repeat("5a", 32))

func mustAuditKeys(text string) *tropic.AuditKeyring {
	k, err := tropic.ParseAuditKeys(text)
	if err != nil {
		panic(err)
	}
	return k
}

// env is one fresh database with every service on it and its clock.
type env struct {
	dialect  store.Dialect
	db       *store.DB
	dsn      string
	clock    *storetest.Clock
	agencies *store.AgencyService
	users    *store.UserService
	tokens   *store.TokenService
	audit    *store.AuditService
	sessions *store.SessionStore
}

func newEnv(t *testing.T, d store.Dialect) *env {
	t.Helper()
	clock := storetest.NewClock(t0)
	db, dsn := storetest.OpenURL(t, d, store.Options{Now: clock.Now, AuditKeys: testAuditKeys})
	return &env{
		dialect: d, db: db, dsn: dsn, clock: clock,
		agencies: store.NewAgencyService(db),
		users:    store.NewUserService(db),
		tokens:   store.NewTokenService(db),
		audit:    store.NewAuditService(db),
		sessions: store.NewSessionStore(db),
	}
}

// eachDialect runs f once per dialect under test, in parallel subtests named after it.
func eachDialect(t *testing.T, f func(t *testing.T, d store.Dialect)) {
	t.Helper()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			f(t, d)
		})
	}
}

func (e *env) agency(t *testing.T, name string) *tropic.Agency {
	t.Helper()
	return e.newAgency(t, &tropic.Agency{Name: name, Kind: tropic.AgencyPolice, FirstResponder: true, DutyToNotify: true})
}

// hubAgency creates a police agency that is part of the triage hub.
func (e *env) hubAgency(t *testing.T, name string) *tropic.Agency {
	t.Helper()
	return e.newAgency(t, &tropic.Agency{Name: name, Kind: tropic.AgencyPolice, FirstResponder: true, DutyToNotify: true, TriageHub: true})
}

func (e *env) newAgency(t *testing.T, a *tropic.Agency) *tropic.Agency {
	t.Helper()
	if err := e.agencies.CreateAgency(context.Background(), admin, a); err != nil {
		t.Fatalf("create agency %q: %v", a.Name, err)
	}
	return a
}

func (e *env) user(t *testing.T, agencyID int64, email string, roles ...tropic.Role) *tropic.User {
	t.Helper()
	if len(roles) == 0 {
		roles = []tropic.Role{tropic.RoleCaseworker}
	}
	u := &tropic.User{Email: email, Name: "Test " + email, AgencyID: agencyID, Roles: roles}
	if err := e.users.CreateUser(context.Background(), admin, u, fakeHash); err != nil {
		t.Fatalf("create user %q: %v", email, err)
	}
	return u
}

// actions returns the audit actions recorded so far, oldest first.
func (e *env) actions(t *testing.T) []string {
	t.Helper()
	events, _, err := e.audit.FindAuditEvents(context.Background(), tropic.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatalf("find audit events: %v", err)
	}
	out := make([]string, len(events))
	for i, ev := range events {
		out[len(events)-1-i] = ev.Action
	}
	return out
}

// lastEvent returns the newest audit event.
func (e *env) lastEvent(t *testing.T) *tropic.AuditEvent {
	t.Helper()
	events, _, err := e.audit.FindAuditEvents(context.Background(), tropic.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatalf("find audit events: %v", err)
	}
	if len(events) == 0 {
		t.Fatal("got no audit events, want at least one")
	}
	return events[0]
}

// wantCode fails the test unless err carries the domain error code want ("" for nil).
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := tropic.ErrorCode(err); got != want {
		t.Fatalf("got error code %q (%v), want %q", got, err, want)
	}
}

// wantField fails the test unless err has a problem for field (when field is not "").
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		return
	}
	if msg := tropic.ErrorFields(err)[field]; msg == "" {
		t.Fatalf("got fields %v, want a problem for %q", tropic.ErrorFields(err), field)
	}
}

// rawDB opens a connection of its own straight to the database, bypassing the store,
// as someone with the sqlite3 shell or psql would.
type rawDB struct {
	*sql.DB
	dialect store.Dialect
}

func openRaw(t *testing.T, d store.Dialect, dsn string) *rawDB {
	t.Helper()
	driver := "sqlite"
	if d == store.Postgres {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open raw connection: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return &rawDB{DB: db, dialect: d}
}

// q numbers ? placeholders for PostgreSQL; the queries here hold no quoted ?.
func (r *rawDB) q(query string) string {
	if r.dialect != store.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (r *rawDB) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := r.ExecContext(context.Background(), r.q(query), args...); err != nil {
		t.Fatalf("raw %q: %v", query, err)
	}
}

// timeArg is how a time is written by hand: SQLite keeps text in the format the store
// writes; PostgreSQL takes the value.
func (r *rawDB) timeArg(tm time.Time) any {
	if r.dialect == store.SQLite {
		return tm.UTC().Format("2006-01-02 15:04:05.999999999-07:00")
	}
	return tm
}
