-- Sessions know whose they are (user_id, set once the session is signed in), when they
-- began (created_at, for the absolute lifetime) and when they were last used
-- (last_seen, for the idle timeout); expiry is the sooner of the idle timeout and the end
-- of the lifetime (ends_at), and they have a number (id) that "your sessions" names
-- them by instead of the token. The table is remade: everyone signs in again once.
-- Keep in step with the other dialect's 0230_session_users.sql.

-- +goose Up
DROP TABLE sessions;
CREATE TABLE sessions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    data       BYTEA NOT NULL,
    expiry     TIMESTAMPTZ NOT NULL,
    user_id    BIGINT,
    ends_at    TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE INDEX sessions_user ON sessions (user_id);

-- +goose Down
DROP TABLE sessions;
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    data       BYTEA NOT NULL,
    expiry     TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
