-- Retention (issue 16, items 1 and 2): the review queue of records at the end of their
-- retention period, and the figures of disposed records.
-- Keep in step with ../postgres/0440_retention.sql.

-- +goose Up
-- One review of one record (a report or a case) by its owning agency's supervisors:
-- due until decided; retained until a date for a reason (it comes back then), or
-- disposed. After disposal the row stays as the register of what was disposed, when
-- and by whom: a kind, a number and a reference, nothing about anyone in the record.
CREATE TABLE retention_reviews (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    record_kind     TEXT NOT NULL CHECK (record_kind IN ('report', 'case')),
    record_id       INTEGER NOT NULL,
    reference       TEXT NOT NULL,
    agency_id       INTEGER NOT NULL REFERENCES agencies (id),
    due_on          TEXT NOT NULL,
    rule            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'retained', 'disposed')),
    retain_until    TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    decided_by_user INTEGER REFERENCES users (id),
    decided_by      TEXT NOT NULL DEFAULT '',
    decided_at      TIMESTAMP,
    queued_at       TIMESTAMP NOT NULL
);
-- A record waits in the queue at most once.
CREATE UNIQUE INDEX retention_reviews_due ON retention_reviews (record_kind, record_id) WHERE status = 'due';
CREATE INDEX retention_reviews_record ON retention_reviews (record_kind, record_id, status);
CREATE INDEX retention_reviews_agency ON retention_reviews (agency_id, status, due_on);

-- What disposed records added to the statistics, with nothing that leads back to them
-- (no id, no reference, no text): the statistics add these rows to the live ones, so
-- that figures stay right after disposal. figure is 'report', 'case', 'victim' or
-- 'referral'; the other columns are those the statistics count by.
CREATE TABLE retained_figures (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    figure              TEXT NOT NULL,
    at                  TIMESTAMP,
    crime_recorded_at   TIMESTAMP,
    submitted_on        TEXT NOT NULL DEFAULT '',
    route               TEXT NOT NULL DEFAULT '',
    district            TEXT NOT NULL DEFAULT '',
    exploitation        TEXT NOT NULL DEFAULT '',
    agency_id           INTEGER,
    offence             TEXT NOT NULL DEFAULT '',
    gender              TEXT NOT NULL DEFAULT '',
    nationality         TEXT NOT NULL DEFAULT '',
    age_at_exploitation TEXT NOT NULL DEFAULT '',
    rg_date             TEXT NOT NULL DEFAULT '',
    rg_outcome          TEXT NOT NULL DEFAULT '',
    cg_date             TEXT NOT NULL DEFAULT '',
    cg_outcome          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX retained_figures_at ON retained_figures (figure, at);
CREATE INDEX retained_figures_submitted ON retained_figures (figure, submitted_on);

-- +goose Down
DROP TABLE retained_figures;
DROP TABLE retention_reviews;
