// Package store implements Tropic's domain services on database/sql, for SQLite
// (modernc.org/sqlite, the embedded default) and PostgreSQL (pgx). SQL is written
// once with ? placeholders and rebound for PostgreSQL; where the dialects differ, the
// difference sits in dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"tropic/internal/tropic"
)

// Dialect is the SQL dialect of a database.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open Tropic database. SQLite gets two pools, one writer connection and
// several readers, so that reads never wait behind "database is busy"; PostgreSQL
// uses one pool for both.
type DB struct {
	dialect Dialect
	write   *sql.DB
	read    *sql.DB
	path    string // SQLite file path
	now     func() time.Time
	// auditKeys hashes new audit events and verifies keyed ones; nil writes unkeyed
	// events, and only while the chain is unkeyed (decision 18).
	auditKeys *tropic.AuditKeyring
	matcher   tropic.PersonMatcher   // Options.Matcher
	codes     tropic.PasswordChecker // Options.FollowUpCodes

	// Prepared statements per pool, by query text. Preparing is a large part of a
	// short statement's cost on SQLite; the writer is one connection, so a statement
	// prepared once stays prepared.
	stmtMu sync.Mutex
	stmts  map[*sql.DB]map[string]*sql.Stmt
	// preparing counts the prepareLater goroutines: Close waits for them, so that
	// no connection outlives Close (SQLite's last close checkpoints the log, and a
	// late one would hold the file locked after the process said it was done).
	preparing sync.WaitGroup
}

// maxCachedStmts bounds the cache; queries built from filters vary, and past this
// many they are simply not cached.
const maxCachedStmts = 256

// stmt returns the prepared form of query on pool, or nil when it is not prepared
// (yet). The calling transaction holds one of the pool's connections, and preparing
// needs a free one: on SQLite's writer (one connection) it would wait for itself, and
// on any pool, transactions holding every connection while one of them prepared under
// stmtMu would wait for each other for ever (40 simultaneous sign-ins on PostgreSQL
// did). So the query is noted instead, and prepared once the transaction ends.
func (db *DB) stmt(ctx context.Context, tx *Tx, query string) *sql.Stmt {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if db.stmts == nil {
		db.stmts = map[*sql.DB]map[string]*sql.Stmt{}
	}
	m := db.stmts[tx.pool]
	if m == nil {
		m = map[string]*sql.Stmt{}
		db.stmts[tx.pool] = m
	}
	if st, ok := m[query]; ok {
		return st // nil while its preparation is pending
	}
	if len(m) >= maxCachedStmts {
		return nil
	}
	m[query] = nil
	tx.unprepared = append(tx.unprepared, query)
	return nil
}

// prepareLater prepares queries on pool once its connection is free again.
func (db *DB) prepareLater(pool *sql.DB, queries []string) {
	for _, q := range queries {
		st, err := pool.PrepareContext(context.Background(), q)
		db.stmtMu.Lock()
		if m := db.stmts[pool]; m != nil && err == nil {
			m[q] = st
		} else if err == nil {
			st.Close() // the database was closed meanwhile
		} else if m != nil {
			delete(m, q) // try again another time
		}
		db.stmtMu.Unlock()
	}
}

// Options configure Open.
type Options struct {
	Now func() time.Time // the clock; time.Now when nil
	// SyncFull makes SQLite sync its log at every commit (synchronous=FULL), so that a
	// commit survives a power cut too; the default (NORMAL) survives a crash of the
	// process or the operating system's kill, and is several times faster.
	SyncFull bool
	// AuditKeys keys the audit chain: new events are HMACs under its current key, and
	// checkpoints are signed with it. Without it the store writes unkeyed events while
	// the chain has no keyed event, and refuses to write once it has (tests, tools).
	AuditKeys *tropic.AuditKeyring
	// Matcher scores people and makes the keys people, businesses and reports are
	// matched on (internal/linkage, wired by cmd/tropic). Services that write or
	// match people, businesses or reports need it; migrating, verifying the audit
	// chain and backing up do not.
	Matcher tropic.PersonMatcher
	// FollowUpCodes seals reports' follow-up codes with a slow salted hash and checks
	// them (internal/auth's argon2id at auth.FollowUpCodeParams, wired by cmd/tropic).
	// Services that store reports or take follow-ups need it.
	FollowUpCodes tropic.PasswordChecker
}

// IsPostgresURL reports whether a TROPIC_DATABASE_URL names PostgreSQL.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open opens the database named by dsn: a SQLite file path, or a postgres:// URL.
// It does not apply migrations; see Migrate.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	db := &DB{now: opts.Now, auditKeys: opts.AuditKeys, matcher: opts.Matcher, codes: opts.FollowUpCodes}
	if db.now == nil {
		db.now = time.Now
	}
	var err error
	if IsPostgresURL(dsn) {
		db.dialect = Postgres
		if db.write, err = sql.Open("pgx", dsn); err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.write.SetMaxOpenConns(16)
		db.write.SetMaxIdleConns(8)
		db.write.SetConnMaxIdleTime(5 * time.Minute)
		db.read = db.write
	} else {
		db.dialect = SQLite
		db.path = strings.TrimPrefix(dsn, "sqlite://")
		// A path may carry options: "tropic.db?synchronous=full".
		if path, query, ok := strings.Cut(db.path, "?"); ok {
			q, err := url.ParseQuery(query)
			if err != nil || (q.Get("synchronous") != "" && q.Get("synchronous") != "full" && q.Get("synchronous") != "normal") {
				return nil, fmt.Errorf("open sqlite: options after ? must be synchronous=full or synchronous=normal")
			}
			db.path, opts.SyncFull = path, opts.SyncFull || q.Get("synchronous") == "full"
		}
		if db.path == "" {
			return nil, errors.New("open sqlite: empty path")
		}
		if dir := filepath.Dir(db.path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("open sqlite: %w", err)
			}
		}
		if db.write, err = sql.Open("sqlite", sqliteDSN(db.path, true, opts.SyncFull)); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// One writer: SQLite allows one write transaction at a time, and waiting in
		// Go's pool is kinder than retrying on SQLITE_BUSY.
		db.write.SetMaxOpenConns(1)
		db.write.SetConnMaxIdleTime(0)
		if db.read, err = sql.Open("sqlite", sqliteDSN(db.path, false, opts.SyncFull)); err != nil {
			db.write.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.read.SetMaxOpenConns(8)
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return db, nil
}

// sqliteDSN puts the pragmas in the DSN so that every pooled connection gets them.
func sqliteDSN(path string, writer, syncFull bool) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	if syncFull {
		q.Add("_pragma", "synchronous(FULL)")
	} else {
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	q.Set("_time_format", "sqlite")
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Close closes the pools.
func (db *DB) Close() error {
	var err error
	db.preparing.Wait()
	db.stmtMu.Lock()
	for _, m := range db.stmts {
		for _, st := range m {
			if st != nil { // nil: still being prepared
				st.Close()
			}
		}
	}
	db.stmts = nil
	db.stmtMu.Unlock()
	if db.read != nil && db.read != db.write {
		err = db.read.Close()
	}
	if db.write != nil {
		err = errors.Join(err, db.write.Close())
	}
	return err
}

// Dialect reports which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// SQL returns the writer pool, for libraries that need a *sql.DB of their own
// (sessions, River).
func (db *DB) SQL() *sql.DB { return db.write }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Tx is a transaction that rebinds ? placeholders for its dialect.
type Tx struct {
	*sql.Tx
	db   *DB
	pool *sql.DB   // the pool the transaction came from, for prepared statements
	now  time.Time // one clock reading per transaction

	unprepared []string // queries to prepare once the transaction ends
}

// Commit commits, then prepares the statements this transaction could not.
func (tx *Tx) Commit() error {
	err := tx.Tx.Commit()
	tx.afterEnd()
	return err
}

// Rollback rolls back; after a commit it does nothing.
func (tx *Tx) Rollback() error {
	err := tx.Tx.Rollback()
	tx.afterEnd()
	return err
}

func (tx *Tx) afterEnd() {
	if len(tx.unprepared) > 0 {
		queries := tx.unprepared
		tx.db.preparing.Go(func() { tx.db.prepareLater(tx.pool, queries) })
		tx.unprepared = nil
	}
}

// beginTx starts a read-write transaction.
func (db *DB) beginTx(ctx context.Context) (*Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, pool: db.write, now: db.now().UTC().Truncate(time.Microsecond)}, nil
}

// beginRead starts a read-only transaction on the reader pool.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: db.dialect == Postgres})
	if err != nil {
		return nil, fmt.Errorf("begin read: %w", err)
	}
	return &Tx{Tx: tx, db: db, pool: db.read, now: db.now().UTC().Truncate(time.Microsecond)}, nil
}

// prepared returns the transaction's form of the cached statement for query, or nil.
func (tx *Tx) prepared(ctx context.Context, query string) *sql.Stmt {
	if st := tx.db.stmt(ctx, tx, query); st != nil {
		return tx.Tx.StmtContext(ctx, st)
	}
	return nil
}

// Exec runs a statement written with ? placeholders.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = tx.db.rebind(query)
	if st := tx.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// Query runs a query written with ? placeholders.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = tx.db.rebind(query)
	if st := tx.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRow runs a one-row query written with ? placeholders.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query = tx.db.rebind(query)
	if st := tx.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// insert runs an INSERT ... RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, mapError(err)
}

// rebind turns ? placeholders into $1, $2, ... for PostgreSQL, leaving quoted text alone.
func (db *DB) rebind(query string) string {
	if db.dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	inQuote := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
