-- Awareness campaigns: their public pages, and the "how did you hear" answers
-- ("campaign:SLUG") that attribute reports to them.
-- Keep in step with ../sqlite/0005_campaigns.sql.

-- +goose Up
CREATE TABLE campaigns (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    hashtags    TEXT NOT NULL DEFAULT '',
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX campaigns_dates ON campaigns (starts_on, ends_on);

CREATE TABLE campaign_agencies (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (campaign_id, agency_id)
);

CREATE INDEX reports_how_heard ON reports (how_heard);

-- +goose Down
DROP INDEX reports_how_heard;
DROP TABLE campaign_agencies;
DROP TABLE campaigns;
