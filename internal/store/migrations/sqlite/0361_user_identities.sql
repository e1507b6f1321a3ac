-- Single sign-on (issue 13 item 5): the accounts at an agency's OpenID provider
-- (issuer and subject, as the ID token names them) that sign a user in. Users made by
-- a first sign-on have no password (password_hash ''). Keep in step with
-- ../postgres/0361_user_identities.sql.

-- +goose Up
CREATE TABLE user_identities (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    issuer       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    UNIQUE (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- +goose Down
DROP TABLE user_identities;
