-- Multi-agency meetings (issue 17, item 1): case conferences, tasking meetings and the
-- steering group. A meeting is seen only by the agencies attending it; its agenda
-- names cases by id, and what a reader sees of each is decided by their access to
-- the case at the time of reading (tropic.AgendaView). A case shared for a meeting is
-- an ordinary row of case_shares, with an end date, made in the same transaction.
-- Keep in step with ../postgres/0580_meetings.sql.

-- +goose Up
CREATE TABLE meetings (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    kind               TEXT NOT NULL,
    title              TEXT NOT NULL,
    held_on            TEXT NOT NULL,
    people             TEXT NOT NULL DEFAULT '',
    convenor_agency_id INTEGER NOT NULL REFERENCES agencies (id),
    created_by_user    INTEGER REFERENCES users (id),
    created_by         TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX meetings_held ON meetings (held_on);

CREATE TABLE meeting_agencies (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    agency_id  INTEGER NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (meeting_id, agency_id)
);
CREATE INDEX meeting_agencies_agency ON meeting_agencies (agency_id, meeting_id);

CREATE TABLE meeting_items (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id),
    position     INTEGER NOT NULL,
    mode         TEXT NOT NULL,
    topic        TEXT NOT NULL DEFAULT '',
    case_id      INTEGER REFERENCES cases (id),
    lawful_basis TEXT NOT NULL DEFAULT '',
    share_until  TEXT NOT NULL DEFAULT '',
    minutes      TEXT NOT NULL DEFAULT '',
    minutes_by   TEXT NOT NULL DEFAULT '',
    minutes_at   TIMESTAMP,
    UNIQUE (meeting_id, position)
);

CREATE TABLE meeting_actions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id    INTEGER NOT NULL REFERENCES meetings (id),
    item_id       INTEGER REFERENCES meeting_items (id),
    text          TEXT NOT NULL,
    owner_user_id INTEGER NOT NULL REFERENCES users (id),
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    updated_by    TEXT NOT NULL
);
CREATE INDEX meeting_actions_owner ON meeting_actions (owner_user_id, status);
CREATE INDEX meeting_actions_meeting ON meeting_actions (meeting_id);

-- +goose Down
DROP TABLE meeting_actions;
DROP TABLE meeting_items;
DROP TABLE meeting_agencies;
DROP TABLE meetings;
