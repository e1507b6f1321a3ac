package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tropic/internal/store"
)

// Migrating a database from nothing takes seconds under the race detector (SQLite is
// compiled C run through Go), and the suite opens thousands of them. So each dialect's
// migrations are applied once, to a schema template named by their digest, and every
// test database is a copy of it: a file copy for SQLite, CREATE DATABASE ... TEMPLATE
// for PostgreSQL. The template outlives the test binary, so that the next run and the
// other packages' binaries reuse it; a change to any migration changes the digest and
// so the template. OpenURL still runs Migrate on the copy, which finds nothing to do.

var templates sync.Map // store.Dialect -> *schemaTemplate

type schemaTemplate struct {
	once sync.Once
	src  string // SQLite: the template file; PostgreSQL: the template database's name
	file []byte // SQLite: the template's bytes, read once
	err  error
}

func templateFor(d store.Dialect) *schemaTemplate {
	v, _ := templates.LoadOrStore(d, new(schemaTemplate))
	tp := v.(*schemaTemplate)
	tp.once.Do(func() {
		switch d {
		case store.SQLite:
			if tp.src, tp.err = sqliteTemplate(); tp.err == nil {
				tp.file, tp.err = os.ReadFile(tp.src)
			}
		case store.Postgres:
			tp.src, tp.err = postgresTemplate()
		default:
			tp.err = fmt.Errorf("unknown dialect %q", d)
		}
	})
	return tp
}

// newMigratedDatabase creates a database of dialect d at the newest schema, copied
// from the template, and returns its DSN. It is cleaned up as NewDatabase's are.
func newMigratedDatabase(t testing.TB, d store.Dialect) string {
	t.Helper()
	tp := templateFor(d)
	if tp.err != nil {
		t.Fatalf("storetest: %s schema template: %v", d, tp.err)
	}
	if d == store.Postgres {
		return newPostgresDatabaseFrom(t, tp.src)
	}
	path := filepath.Join(t.TempDir(), "tropic.db")
	if err := os.WriteFile(path, tp.file, 0o600); err != nil {
		t.Fatalf("storetest: copy schema template: %v", err)
	}
	return path
}

func schemaDigest(d store.Dialect) (string, error) {
	digest, err := store.SchemaDigest(d)
	if err != nil {
		return "", err
	}
	return digest[:24], nil
}

// sqliteTemplate returns the path of a migrated SQLite file for this schema, making
// it if no earlier run did. Made aside and renamed into place, so that a binary
// running beside this one sees the whole file or none.
func sqliteTemplate() (string, error) {
	digest, err := schemaDigest(store.SQLite)
	if err != nil {
		return "", err
	}
	path := filepath.Join(os.TempDir(), "tropic-test-schema-"+digest+".db")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	dir, err := os.MkdirTemp(os.TempDir(), "tropic-test-schema-build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "build.db"), store.Options{})
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "template.db")
	_, err = db.Migrate(ctx)
	if err == nil {
		err = db.Backup(ctx, out) // VACUUM INTO: one self-contained file, no WAL beside it
	}
	if err = errors.Join(err, db.Close()); err != nil {
		return "", err
	}
	if err := os.Rename(out, path); err != nil {
		return "", err
	}
	return path, nil
}

// postgresTemplate returns the name of a migrated PostgreSQL database for this
// schema, making it if no earlier run did: migrated under a name of its own, then
// renamed, so that no test copies a half-migrated template. Two binaries may race to
// make it; the loser drops its copy.
func postgresTemplate() (string, error) {
	admin := os.Getenv(PostgresURLEnv)
	if admin == "" {
		return "", errors.New(PostgresURLEnv + " is not set")
	}
	digest, err := schemaDigest(store.Postgres)
	if err != nil {
		return "", err
	}
	name := "tropic_schema_" + digest
	if ok, err := adminExists(admin, name); err != nil || ok {
		return name, err
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	build := "tropic_schema_build_" + hex.EncodeToString(b)
	if err := adminExec(admin, `CREATE DATABASE `+build); err != nil {
		return "", err
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	u.Path = "/" + build
	ctx := context.Background()
	db, err := store.Open(ctx, u.String(), store.Options{})
	if err == nil {
		_, err = db.Migrate(ctx)
		err = errors.Join(err, db.Close())
	}
	if err == nil {
		err = renameDatabase(admin, build, name)
	}
	if err != nil {
		_ = adminExec(admin, `DROP DATABASE IF EXISTS `+build+` WITH (FORCE)`)
		if ok, _ := adminExists(admin, name); ok {
			return name, nil // another binary made it first
		}
		return "", err
	}
	return name, nil
}

// renameDatabase renames from to to, waiting for the server to end the connections
// just closed (55006: the database is being accessed by other users).
func renameDatabase(admin, from, to string) error {
	var err error
	for try := 0; try < 40; try++ {
		if err = adminExec(admin, `ALTER DATABASE `+from+` RENAME TO `+to); err == nil || !strings.Contains(err.Error(), "55006") {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}
