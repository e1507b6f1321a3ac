-- Forgotten-password links and recovery codes (issue 13 items 6 and 7). Only hashes
-- of the link's token and of the codes are kept. Keep in step with
-- ../sqlite/0360_password_resets_recovery_codes.sql.

-- +goose Up
CREATE TABLE password_resets (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets (user_id);

CREATE TABLE recovery_codes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    UNIQUE (user_id, code_hash)
);

-- +goose Down
DROP TABLE recovery_codes;
DROP TABLE password_resets;
