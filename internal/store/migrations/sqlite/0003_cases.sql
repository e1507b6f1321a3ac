-- Cases: multi-agency casework with people, places, businesses, vehicles, phones, a
-- timeline of notes, tasks, shares between agencies and a per-record access log.
-- Keep in step with ../postgres/0003_cases.sql.

-- +goose Up
CREATE TABLE cases (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    reference         TEXT NOT NULL UNIQUE,
    owner_agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    title             TEXT NOT NULL,
    title_folded      TEXT NOT NULL,
    district          TEXT NOT NULL DEFAULT '',
    exploitation      TEXT NOT NULL DEFAULT '',
    county_lines      BOOLEAN NOT NULL DEFAULT 0,
    status            TEXT NOT NULL DEFAULT 'open',
    outcome           TEXT NOT NULL DEFAULT '',
    opened_at         TIMESTAMP NOT NULL,
    closed_at         TIMESTAMP,
    crime_reference   TEXT NOT NULL DEFAULT '',
    offence           TEXT NOT NULL DEFAULT '',
    crime_recorded_at TIMESTAMP,
    created_by_user   INTEGER REFERENCES users (id),
    version           INTEGER NOT NULL DEFAULT 1,
    updated_at        TIMESTAMP NOT NULL,
    updated_by_user   INTEGER REFERENCES users (id),
    updated_by        TEXT NOT NULL DEFAULT ''
);
-- "Our cases", most recently changed first; and the same over everything.
CREATE INDEX cases_owner_updated ON cases (owner_agency_id, updated_at);
CREATE INDEX cases_updated ON cases (updated_at);
CREATE INDEX cases_title_folded ON cases (title_folded);

CREATE TABLE case_reports (
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    report_id INTEGER NOT NULL REFERENCES reports (id),
    linked_at TIMESTAMP NOT NULL,
    linked_by INTEGER REFERENCES users (id),
    PRIMARY KEY (case_id, report_id)
);
CREATE INDEX case_reports_report ON case_reports (report_id);

-- A person may be on several cases, of several agencies, in different roles.
CREATE TABLE people (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_agency_id    INTEGER NOT NULL REFERENCES agencies (id),
    given_name         TEXT NOT NULL DEFAULT '',
    family_name        TEXT NOT NULL DEFAULT '',
    name_folded        TEXT NOT NULL DEFAULT '',
    date_of_birth      TEXT NOT NULL DEFAULT '',
    approx_age         INTEGER NOT NULL DEFAULT 0,
    gender             TEXT NOT NULL DEFAULT '',
    nationality        TEXT NOT NULL DEFAULT '',
    languages          TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    phone_e164         TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    immigration_status TEXT NOT NULL DEFAULT '',
    health             TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    updated_by_user    INTEGER REFERENCES users (id),
    updated_by         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX people_name_folded ON people (name_folded);
CREATE INDEX people_phone ON people (phone_e164);
CREATE INDEX people_dob ON people (date_of_birth);

CREATE TABLE person_aliases (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    position     INTEGER NOT NULL,
    alias        TEXT NOT NULL,
    alias_folded TEXT NOT NULL
);
CREATE INDEX person_aliases_person ON person_aliases (person_id, position);
CREATE INDEX person_aliases_folded ON person_aliases (alias_folded);

CREATE TABLE case_people (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id          INTEGER NOT NULL REFERENCES cases (id),
    person_id        INTEGER NOT NULL REFERENCES people (id),
    role             TEXT NOT NULL,
    coerced_offender BOOLEAN NOT NULL DEFAULT 0,
    added_at         TIMESTAMP NOT NULL,
    added_by_user    INTEGER REFERENCES users (id),
    UNIQUE (case_id, person_id)
);
-- The s.45 check: the same person as a potential victim on another case; with the
-- case, it also answers "which cases is this person on" from the index alone (search).
CREATE INDEX case_people_person ON case_people (person_id, role, case_id);

-- Requests to change a role; potential victim to suspect waits for a supervisor.
CREATE TABLE role_changes (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    case_person_id    INTEGER NOT NULL REFERENCES case_people (id),
    case_id           INTEGER NOT NULL REFERENCES cases (id),
    from_role         TEXT NOT NULL,
    to_role           TEXT NOT NULL,
    reason            TEXT NOT NULL DEFAULT '',
    requested_by_user INTEGER REFERENCES users (id),
    requested_by      TEXT NOT NULL DEFAULT '',
    requested_at      TIMESTAMP NOT NULL,
    status            TEXT NOT NULL,
    decided_by_user   INTEGER REFERENCES users (id),
    decided_by        TEXT NOT NULL DEFAULT '',
    decided_at        TIMESTAMP,
    decision_note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX role_changes_case_person ON role_changes (case_person_id, status);
CREATE INDEX role_changes_case ON role_changes (case_id, status);

CREATE TABLE case_places (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    kind     TEXT NOT NULL,
    address  TEXT NOT NULL,
    postcode TEXT NOT NULL DEFAULT '',
    notes    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_places_case ON case_places (case_id);
CREATE INDEX case_places_postcode ON case_places (postcode);

CREATE TABLE case_businesses (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    name           TEXT NOT NULL,
    name_folded    TEXT NOT NULL,
    kind           TEXT NOT NULL,
    company_number TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_businesses_case ON case_businesses (case_id);
CREATE INDEX case_businesses_name ON case_businesses (name_folded);
CREATE INDEX case_businesses_company ON case_businesses (company_number);

CREATE TABLE case_vehicles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    registration TEXT NOT NULL,
    normalised   TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_vehicles_case ON case_vehicles (case_id);
CREATE INDEX case_vehicles_normalised ON case_vehicles (normalised);

CREATE TABLE case_phones (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    number  TEXT NOT NULL,
    e164    TEXT NOT NULL,
    notes   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_phones_case ON case_phones (case_id);
CREATE INDEX case_phones_e164 ON case_phones (e164);

-- The timeline. Author and agency are kept as they were when the note was written.
CREATE TABLE case_notes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    author_id INTEGER REFERENCES users (id),
    author    TEXT NOT NULL,
    agency_id INTEGER REFERENCES agencies (id),
    agency    TEXT NOT NULL DEFAULT '',
    at        TIMESTAMP NOT NULL,
    text      TEXT NOT NULL,
    sensitive BOOLEAN NOT NULL DEFAULT 0,
    corrects  INTEGER REFERENCES case_notes (id),
    edited_at TIMESTAMP
);
CREATE INDEX case_notes_case ON case_notes (case_id, at);

-- A task is for an agency, or for one of its users (agency_id is then the user's agency).
CREATE TABLE case_tasks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    title           TEXT NOT NULL,
    agency_id       INTEGER NOT NULL REFERENCES agencies (id),
    user_id         INTEGER REFERENCES users (id),
    due             TEXT NOT NULL DEFAULT '',
    done            BOOLEAN NOT NULL DEFAULT 0,
    done_at         TIMESTAMP,
    done_by_user    INTEGER REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL,
    created_by_user INTEGER REFERENCES users (id),
    created_by      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_tasks_case ON case_tasks (case_id);
CREATE INDEX case_tasks_user ON case_tasks (user_id, done, due);
CREATE INDEX case_tasks_agency ON case_tasks (agency_id, done, due);

CREATE TABLE case_shares (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id           INTEGER NOT NULL REFERENCES cases (id),
    agency_id         INTEGER NOT NULL REFERENCES agencies (id),
    scope             TEXT NOT NULL,
    lawful_basis      TEXT NOT NULL,
    reason            TEXT NOT NULL,
    until_day         TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    requested_by_user INTEGER REFERENCES users (id),
    requested_by      TEXT NOT NULL DEFAULT '',
    granted_by_user   INTEGER REFERENCES users (id),
    granted_by        TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    decided_at        TIMESTAMP,
    revoked_at        TIMESTAMP,
    revoked_by_user   INTEGER REFERENCES users (id)
);
CREATE INDEX case_shares_case ON case_shares (case_id, agency_id);
-- "Shared with us".
CREATE INDEX case_shares_agency ON case_shares (agency_id, status, case_id);

CREATE TABLE case_orders (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    person_id  INTEGER NOT NULL REFERENCES people (id),
    kind       TEXT NOT NULL,
    made_on    TEXT NOT NULL,
    expires_on TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER REFERENCES users (id)
);
CREATE INDEX case_orders_case ON case_orders (case_id);

-- Every view of a case (person_id NULL) or of a person through a case.
CREATE TABLE case_access_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    person_id  INTEGER REFERENCES people (id),
    user_id    INTEGER REFERENCES users (id),
    user_label TEXT NOT NULL DEFAULT '',
    agency_id  INTEGER REFERENCES agencies (id),
    agency     TEXT NOT NULL DEFAULT '',
    at         TIMESTAMP NOT NULL
);
CREATE INDEX case_access_log_case ON case_access_log (case_id, at);

-- Folded word tokens of people's names, aliases, case titles and business names, for
-- indexed token-prefix search: kind is 'person', 'alias', 'title' or 'business' and
-- object_id the row of people, person_aliases, cases or case_businesses.
CREATE TABLE search_terms (
    kind      TEXT NOT NULL,
    term      TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    PRIMARY KEY (kind, term, object_id)
) WITHOUT ROWID;
CREATE INDEX search_terms_object ON search_terms (object_id, kind);

-- +goose Down
DROP TABLE search_terms;
DROP TABLE case_access_log;
DROP TABLE case_orders;
DROP TABLE case_shares;
DROP TABLE case_tasks;
DROP TABLE case_notes;
DROP TABLE case_phones;
DROP TABLE case_vehicles;
DROP TABLE case_businesses;
DROP TABLE case_places;
DROP TABLE role_changes;
DROP TABLE case_people;
DROP TABLE person_aliases;
DROP TABLE people;
DROP TABLE case_reports;
DROP TABLE cases;
