-- Administration (issue 13): invitation links and "a new password at the next
-- sign-in". Keep in step with ../sqlite/0340_user_invites.sql.

-- +goose Up
-- An administrator asked this user to choose a new password when they next sign in.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- One invitation link: only the hash of its secret is kept. A newer invitation of the
-- same user supersedes the older ones; a used one has used_at.
CREATE TABLE user_invites (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  BIGINT REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    superseded  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX user_invites_user ON user_invites (user_id, id);

-- +goose Down
DROP TABLE user_invites;
ALTER TABLE users DROP COLUMN must_change_password;
