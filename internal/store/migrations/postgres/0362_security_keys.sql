-- Security keys and passkeys (WebAuthn) as a second factor (issue 13 item 6): each
-- credential's id (base64url) and the WebAuthn library's JSON of it (public key, sign
-- counter, flags; nothing secret). Keep in step with ../sqlite/0362_security_keys.sql.

-- +goose Up
CREATE TABLE security_keys (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    data          TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ
);
CREATE INDEX security_keys_user ON security_keys (user_id);

-- +goose Down
DROP TABLE security_keys;
