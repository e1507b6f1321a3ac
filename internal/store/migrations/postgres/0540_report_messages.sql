-- Messages between staff and a report's reporter, who reads and answers them on the
-- follow-up page with the reference and code (issue 15, item 1). from_reporter tells
-- the direction; a staff message names its sender and the sender's agency, which the
-- reporter never sees. key_hash makes a form or API request sent twice post once.
-- reports.reporter_notify_consent: the reporter agreed to be e-mailed that a message waits.
-- Keep in step with ../sqlite/0540_report_messages.sql.

-- +goose Up
CREATE TABLE report_messages (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id     BIGINT NOT NULL REFERENCES reports (id),
    at            TIMESTAMPTZ NOT NULL,
    from_reporter BOOLEAN NOT NULL,
    user_id       BIGINT REFERENCES users (id),
    agency_id     BIGINT REFERENCES agencies (id),
    text          TEXT NOT NULL,
    key_hash      TEXT
);
CREATE INDEX report_messages_report ON report_messages (report_id, id);
CREATE UNIQUE INDEX report_messages_key ON report_messages (report_id, key_hash) WHERE key_hash IS NOT NULL;
ALTER TABLE reports ADD COLUMN reporter_notify_consent BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE reports DROP COLUMN reporter_notify_consent;
DROP TABLE report_messages;
