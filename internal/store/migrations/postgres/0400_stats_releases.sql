-- Statistics releases (issue 14): each release of the public statistics, frozen.
-- content is the release as published (JSON); truth the exact counts behind it, for
-- the disclosure audit only; sha256 covers both and is checked on every read.
-- Triggers refuse any change or deletion (TRUNCATE included): a release is never
-- altered. Keep in step with ../sqlite/0400_stats_releases.sql.

-- +goose Up
CREATE TABLE stats_releases (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    covers_from TEXT NOT NULL,
    covers_to TEXT NOT NULL,
    cut_off TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    content TEXT NOT NULL,
    truth TEXT NOT NULL,
    sha256 TEXT NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION stats_releases_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'statistics releases are immutable';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER stats_releases_no_change BEFORE UPDATE OR DELETE ON stats_releases
    FOR EACH ROW EXECUTE FUNCTION stats_releases_immutable();
CREATE TRIGGER stats_releases_no_truncate BEFORE TRUNCATE ON stats_releases
    FOR EACH STATEMENT EXECUTE FUNCTION stats_releases_immutable();

-- +goose Down
DROP TRIGGER stats_releases_no_truncate ON stats_releases;
DROP TRIGGER stats_releases_no_change ON stats_releases;
DROP FUNCTION stats_releases_immutable();
DROP TABLE stats_releases;
