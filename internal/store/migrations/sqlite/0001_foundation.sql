-- Foundation: agencies, staff accounts, API tokens, sessions and the audit chain.
-- Keep in step with ../postgres/0001_foundation.sql.

-- +goose Up
CREATE TABLE agencies (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    first_responder BOOLEAN NOT NULL DEFAULT 0,
    duty_to_notify  BOOLEAN NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    agency_id       INTEGER NOT NULL REFERENCES agencies (id),
    password_hash   TEXT NOT NULL,
    disabled        BOOLEAN NOT NULL DEFAULT 0,
    mfa_secret      TEXT NOT NULL DEFAULT '',
    mfa_last_step   INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    last_failure_at TIMESTAMP,
    locked_until    TIMESTAMP,
    last_login_at   TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX users_agency ON users (agency_id);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id),
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    seq         INTEGER NOT NULL UNIQUE,
    at          TIMESTAMP NOT NULL,
    user_id     INTEGER NOT NULL DEFAULT 0,
    agency_id   INTEGER NOT NULL DEFAULT 0,
    actor_label TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id   INTEGER NOT NULL DEFAULT 0,
    detail      TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_user ON audit_events (user_id, seq);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id, seq);

-- The head of the chain: one row, locked by each writer so that events form one line
-- even when several processes write.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE agencies;
