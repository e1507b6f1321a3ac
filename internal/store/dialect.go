package store

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tropic/internal/tropic"
)

// The places where SQLite and PostgreSQL differ, kept together.

// forUpdate is the row-lock suffix: PostgreSQL locks the row; SQLite's single writer
// with BEGIN IMMEDIATE already serialises writers.
func (db *DB) forUpdate() string {
	if db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// mapError turns driver errors into the domain's vocabulary.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return tropic.Errorf(tropic.ENOTFOUND, "Not found.")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return &tropic.Error{Code: tropic.ECONFLICT, Message: "This already exists."}
		case "23503":
			return &tropic.Error{Code: tropic.EINVALID, Message: "This refers to something that does not exist."}
		case "23514", "23502":
			return &tropic.Error{Code: tropic.EINVALID, Message: "A value is not allowed."}
		}
		return err
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &tropic.Error{Code: tropic.ECONFLICT, Message: "This already exists."}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &tropic.Error{Code: tropic.EINVALID, Message: "This refers to something that does not exist."}
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return &tropic.Error{Code: tropic.EINVALID, Message: "A value is not allowed."}
		}
	}
	return err
}

// isUniqueViolation reports whether err says a unique constraint was broken.
func isUniqueViolation(err error) bool {
	return tropic.ErrorCode(mapError(err)) == tropic.ECONFLICT
}

// likeEscape escapes LIKE wildcards in user input; use with ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
