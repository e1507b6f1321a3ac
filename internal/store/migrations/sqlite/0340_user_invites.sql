-- Administration (issue 13): invitation links and "a new password at the next
-- sign-in". Keep in step with ../postgres/0340_user_invites.sql.

-- +goose Up
-- An administrator asked this user to choose a new password when they next sign in.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT 0;

-- One invitation link: only the hash of its secret is kept. A newer invitation of the
-- same user supersedes the older ones; a used one has used_at.
CREATE TABLE user_invites (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  INTEGER REFERENCES users (id),
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    superseded  BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX user_invites_user ON user_invites (user_id, id);

-- +goose Down
DROP TABLE user_invites;
ALTER TABLE users DROP COLUMN must_change_password;
