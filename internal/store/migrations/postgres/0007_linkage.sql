-- Linkage: keys for person matching, stored person matches and their decisions,
-- what a merge moved (so that it can be undone), and the cases a report matches
-- (written by the report_match job, read by the triage queue).
-- Keep in step with ../sqlite/0007_linkage.sql.

-- +goose Up
ALTER TABLE people ADD COLUMN email_norm TEXT NOT NULL DEFAULT '';
-- Phonetic keys of given and family name, sorted and space-separated (an order swap
-- gives the same key), and of the family name alone; written by the store with
-- every person (keys_version says by which rules, so a change of rules refills them).
ALTER TABLE people ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN surname_key TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN keys_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN merged_into BIGINT REFERENCES people (id);
CREATE INDEX people_email_norm ON people (email_norm);
CREATE INDEX people_name_key ON people (name_key);
CREATE INDEX people_surname_key ON people (surname_key);
CREATE INDEX people_keys_version ON people (keys_version);

-- Reports the report_match job has not matched yet (all, at first), by id.
ALTER TABLE reports ADD COLUMN matched BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX reports_unmatched ON reports (id) WHERE NOT matched;

ALTER TABLE report_businesses ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
CREATE INDEX report_businesses_folded ON report_businesses (name_folded);

-- A pair of person records the matcher found, person_a < person_b, once.
CREATE TABLE person_matches (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_a          BIGINT NOT NULL REFERENCES people (id),
    person_b          BIGINT NOT NULL REFERENCES people (id),
    probability       DOUBLE PRECISION NOT NULL,
    explanation       TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'linked', 'merged', 'rejected', 'undone')),
    found_at          TIMESTAMPTZ NOT NULL,
    decided_at        TIMESTAMPTZ,
    decided_by_user   BIGINT REFERENCES users (id),
    decided_by_agency BIGINT REFERENCES agencies (id),
    reason            TEXT NOT NULL DEFAULT '',
    survivor          BIGINT REFERENCES people (id),
    -- A merge taken back (status 'undone'): when, by whom and why; the decision
    -- above is kept as it was.
    undone_at         TIMESTAMPTZ,
    undone_by_user    BIGINT REFERENCES users (id),
    undone_reason     TEXT NOT NULL DEFAULT '',
    UNIQUE (person_a, person_b),
    CHECK (person_a < person_b)
);
CREATE INDEX person_matches_b ON person_matches (person_b, status);
CREATE INDEX person_matches_a ON person_matches (person_a, status);

-- The case_people rows a merge moved from the merged record to the survivor. A
-- row whose case already held the survivor stays on the merged record, hidden
-- because that record is merged (people.merged_into), so nothing is deleted; an
-- undo moves these rows back and clears merged_into, which restores exactly.
CREATE TABLE person_merge_moves (
    match_id       BIGINT NOT NULL REFERENCES person_matches (id),
    case_person_id BIGINT NOT NULL REFERENCES case_people (id),
    from_person    BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (match_id, case_person_id)
);

-- Cases sharing an identifier with a report, as found when the report arrived or
-- when a case's identifiers changed.
CREATE TABLE report_matches (
    report_id BIGINT NOT NULL REFERENCES reports (id),
    case_id   BIGINT NOT NULL REFERENCES cases (id),
    kind      TEXT NOT NULL,
    found_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (report_id, case_id, kind)
);
CREATE INDEX report_matches_case ON report_matches (case_id);

-- Values the database keeps for itself, created on first use: "network_pseudonym_key"
-- is the secret of the analysts' network pseudonyms (random, so a pseudonym cannot
-- be traced back to its record without the database).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE report_matches;
DROP TABLE person_merge_moves;
DROP TABLE person_matches;
DROP INDEX reports_unmatched;
ALTER TABLE reports DROP COLUMN matched;
DROP INDEX report_businesses_folded;
ALTER TABLE report_businesses DROP COLUMN name_folded;
DROP INDEX people_keys_version;
DROP INDEX people_surname_key;
DROP INDEX people_name_key;
DROP INDEX people_email_norm;
ALTER TABLE people DROP COLUMN merged_into;
ALTER TABLE people DROP COLUMN keys_version;
ALTER TABLE people DROP COLUMN surname_key;
ALTER TABLE people DROP COLUMN name_key;
ALTER TABLE people DROP COLUMN email_norm;
DROP TABLE settings;
