-- Misuse alerts (issue 16, item 6): patterns in the access log that suggest a view
-- without a need to know, for the data protection officers' queue. An alert names the
-- member of staff and the record by kind and number, never the person in it.
-- Keep in step with ../sqlite/0442_misuse_alerts.sql.

-- +goose Up
CREATE TABLE misuse_alerts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT NOT NULL,
    user_id         BIGINT NOT NULL REFERENCES users (id),
    day             TEXT NOT NULL,
    object_type     TEXT NOT NULL DEFAULT '',
    object_id       BIGINT NOT NULL DEFAULT 0,
    count           INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'explained', 'confirmed')),
    note            TEXT NOT NULL DEFAULT '',
    decided_by_user BIGINT REFERENCES users (id),
    decided_by      TEXT NOT NULL DEFAULT '',
    decided_at      TIMESTAMPTZ,
    found_at        TIMESTAMPTZ NOT NULL,
    -- One alert per pattern, user, day and record: a second run finds it raised.
    UNIQUE (kind, user_id, day, object_type, object_id)
);
CREATE INDEX misuse_alerts_open ON misuse_alerts (found_at) WHERE status = 'open';
-- The access log read by day.
CREATE INDEX case_access_log_at ON case_access_log (at);

-- +goose Down
DROP INDEX case_access_log_at;
DROP TABLE misuse_alerts;
