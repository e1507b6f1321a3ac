-- Security keys and passkeys (WebAuthn) as a second factor (issue 13 item 6): each
-- credential's id (base64url) and the WebAuthn library's JSON of it (public key, sign
-- counter, flags; nothing secret). Keep in step with ../postgres/0362_security_keys.sql.

-- +goose Up
CREATE TABLE security_keys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    data          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP
);
CREATE INDEX security_keys_user ON security_keys (user_id);

-- +goose Down
DROP TABLE security_keys;
