-- Statistics releases (issue 14): each release of the public statistics, frozen.
-- content is the release as published (JSON); truth the exact counts behind it, for
-- the disclosure audit only; sha256 covers both and is checked on every read.
-- Triggers refuse any change or deletion: a release is never altered.
-- Keep in step with ../postgres/0400_stats_releases.sql.

-- +goose Up
CREATE TABLE stats_releases (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    covers_from TEXT NOT NULL,
    covers_to TEXT NOT NULL,
    cut_off TIMESTAMP NOT NULL,
    published_at TIMESTAMP NOT NULL,
    content TEXT NOT NULL,
    truth TEXT NOT NULL,
    sha256 TEXT NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER stats_releases_no_update BEFORE UPDATE ON stats_releases
BEGIN
    SELECT RAISE(ABORT, 'statistics releases are immutable');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stats_releases_no_delete BEFORE DELETE ON stats_releases
BEGIN
    SELECT RAISE(ABORT, 'statistics releases are immutable');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER stats_releases_no_delete;
DROP TRIGGER stats_releases_no_update;
DROP TABLE stats_releases;
