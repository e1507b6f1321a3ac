-- Sessions know whose they are (user_id, set once the session is signed in), when they
-- began (created_at, for the absolute lifetime) and when they were last used
-- (last_seen, for the idle timeout); expiry is the sooner of the idle timeout and the end
-- of the lifetime (ends_at), and they have a number (id) that "your sessions" names
-- them by instead of the token. The table is remade: everyone signs in again once.
-- Keep in step with the other dialect's 0230_session_users.sql.

-- +goose Up
DROP TABLE sessions;
CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    data       BLOB NOT NULL,
    expiry     TIMESTAMP NOT NULL,
    user_id    INTEGER,
    ends_at    TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen  TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE INDEX sessions_user ON sessions (user_id);

-- +goose Down
DROP TABLE sessions;
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    data       BLOB NOT NULL,
    expiry     TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
