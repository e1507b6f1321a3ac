-- Campaigns' posters (issue 17, item 3): images a coordinator uploads for a
-- campaign's public page, kept re-encoded (no metadata) with their alternative text,
-- under an opaque random id.
-- Keep in step with ../postgres/0610_campaign_posters.sql.

-- +goose Up
CREATE TABLE campaign_posters (
    id           TEXT PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    alt          TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX campaign_posters_campaign ON campaign_posters (campaign_id, created_at);

-- +goose Down
DROP TABLE campaign_posters;
