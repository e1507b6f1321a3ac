-- Reports from the public, call handlers and partners, and the triage hub's work on them.
-- Keep in step with ../postgres/0002_reports.sql.

-- +goose Up
CREATE TABLE districts (
    slug       TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE reports (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    reference             TEXT NOT NULL UNIQUE,
    channel               TEXT NOT NULL,
    received_at           TIMESTAMP NOT NULL,
    description           TEXT NOT NULL,
    address               TEXT NOT NULL DEFAULT '',
    postcode              TEXT NOT NULL DEFAULT '',
    district              TEXT NOT NULL DEFAULT '',
    seen_on               TEXT NOT NULL DEFAULT '',
    seen_when             TEXT NOT NULL DEFAULT '',
    in_danger             TEXT NOT NULL DEFAULT '',
    exploitation          TEXT NOT NULL DEFAULT '',
    county_lines          BOOLEAN NOT NULL DEFAULT 0,
    indicators            TEXT NOT NULL DEFAULT '',
    people_count          INTEGER NOT NULL DEFAULT 0,
    children_involved     TEXT NOT NULL DEFAULT '',
    people_description    TEXT NOT NULL DEFAULT '',
    reporter_anonymous    BOOLEAN NOT NULL DEFAULT 1,
    reporter_name         TEXT NOT NULL DEFAULT '',
    reporter_contact      TEXT NOT NULL DEFAULT '',
    reporter_relationship TEXT NOT NULL DEFAULT '',
    how_heard             TEXT NOT NULL DEFAULT '',
    language              TEXT NOT NULL DEFAULT 'en',
    urgency               TEXT NOT NULL,
    urgency_rank          INTEGER NOT NULL,
    urgency_reason        TEXT NOT NULL DEFAULT '',
    urgency_override      BOOLEAN NOT NULL DEFAULT 0,
    status                TEXT NOT NULL DEFAULT 'new',
    needs_attention       BOOLEAN NOT NULL DEFAULT 0,
    created_by_user       INTEGER REFERENCES users (id),
    created_by_agency     INTEGER REFERENCES agencies (id),
    claimed_by            INTEGER REFERENCES users (id),
    claimed_at            TIMESTAMP,
    passed_to_agency      INTEGER REFERENCES agencies (id),
    duplicate_of          TEXT NOT NULL DEFAULT '',
    decided_by            INTEGER REFERENCES users (id),
    decided_at            TIMESTAMP,
    decision_reason       TEXT NOT NULL DEFAULT '',
    follow_up_hash        TEXT NOT NULL,
    form_key_hash         TEXT UNIQUE,
    follow_up_failures    INTEGER NOT NULL DEFAULT 0,
    follow_up_failed_at   TIMESTAMP
);
-- The triage queue: open reports by urgency, then age.
CREATE INDEX reports_queue ON reports (status, urgency_rank, received_at);
CREATE INDEX reports_received ON reports (received_at);
CREATE INDEX reports_passed ON reports (passed_to_agency);

CREATE TABLE report_vehicles (
    report_id    INTEGER NOT NULL REFERENCES reports (id),
    position     INTEGER NOT NULL,
    registration TEXT NOT NULL,
    normalised   TEXT NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (report_id, position)
);
CREATE INDEX report_vehicles_normalised ON report_vehicles (normalised);

CREATE TABLE report_phones (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    position  INTEGER NOT NULL,
    number    TEXT NOT NULL,
    e164      TEXT NOT NULL,
    PRIMARY KEY (report_id, position)
);
CREATE INDEX report_phones_e164 ON report_phones (e164);

CREATE TABLE report_businesses (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (report_id, position)
);

-- The timeline: follow-up from the reporter, staff notes, triage decisions.
CREATE TABLE report_notes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    at        TIMESTAMP NOT NULL,
    source    TEXT NOT NULL,
    user_id   INTEGER REFERENCES users (id),
    text      TEXT NOT NULL
);
CREATE INDEX report_notes_report ON report_notes (report_id, id);

-- +goose Down
DROP TABLE report_notes;
DROP TABLE report_businesses;
DROP TABLE report_phones;
DROP TABLE report_vehicles;
DROP TABLE reports;
DROP TABLE districts;
