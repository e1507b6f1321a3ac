-- NRM referrals and Duty to Notify reports, one-off bank holiday changes, and the
-- address each agency's referral reminder digest goes to.
-- Keep in step with ../postgres/0004_referrals.sql.

-- +goose Up
-- A Duty to Notify row (route 'dtn') identifies nobody (MSA s.52(3)): no case, no
-- person, no free text, no reference that leads to a record naming them. The store
-- refuses such fields; the CHECK below refuses them again should anything else write.
CREATE TABLE referrals (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    route                     TEXT NOT NULL CHECK (route IN ('nrm', 'dtn')),
    case_id                   INTEGER REFERENCES cases (id),
    person_id                 INTEGER REFERENCES people (id),
    agency_id                 INTEGER NOT NULL REFERENCES agencies (id),
    age_group                 TEXT NOT NULL CHECK (age_group IN ('adult', 'child')),
    possibly_child            BOOLEAN NOT NULL DEFAULT 0,
    consent                   BOOLEAN NOT NULL DEFAULT 0,
    consent_at                TEXT NOT NULL DEFAULT '',
    submitted_on              TEXT NOT NULL,
    exploitation              TEXT NOT NULL DEFAULT '',
    county_lines              BOOLEAN NOT NULL DEFAULT 0,
    location                  TEXT NOT NULL DEFAULT '',
    gender                    TEXT NOT NULL DEFAULT '',
    nationality               TEXT NOT NULL DEFAULT '',
    competent_authority       TEXT NOT NULL DEFAULT '',
    home_office_reference     TEXT NOT NULL DEFAULT '',
    crime_reference           TEXT NOT NULL DEFAULT '',
    support_provider          TEXT NOT NULL DEFAULT '',
    childrens_services        TEXT NOT NULL DEFAULT '',
    ictg                      BOOLEAN NOT NULL DEFAULT 0,
    notes                     TEXT NOT NULL DEFAULT '',
    rg_date                   TEXT NOT NULL DEFAULT '',
    rg_outcome                TEXT NOT NULL DEFAULT '',
    cg_date                   TEXT NOT NULL DEFAULT '',
    cg_outcome                TEXT NOT NULL DEFAULT '',
    reconsideration_requested TEXT NOT NULL DEFAULT '',
    reconsideration_decided   TEXT NOT NULL DEFAULT '',
    reconsideration_outcome   TEXT NOT NULL DEFAULT '',
    withdrawn_on              TEXT NOT NULL DEFAULT '',
    disqualified_on           TEXT NOT NULL DEFAULT '',
    version                   INTEGER NOT NULL DEFAULT 1,
    created_at                TIMESTAMP NOT NULL,
    created_by_user           INTEGER REFERENCES users (id),
    created_by                TEXT NOT NULL DEFAULT '',
    updated_at                TIMESTAMP NOT NULL,
    CHECK (route = 'dtn' OR (case_id IS NOT NULL AND person_id IS NOT NULL)),
    CHECK (route = 'nrm' OR (case_id IS NULL AND person_id IS NULL AND age_group = 'adult' AND possibly_child = 0
        AND consent = 0 AND consent_at = ''
        AND notes = '' AND home_office_reference = '' AND crime_reference = ''
        AND support_provider = '' AND childrens_services = '' AND ictg = 0))
);
CREATE INDEX referrals_agency ON referrals (agency_id, submitted_on);
CREATE INDEX referrals_case ON referrals (case_id);
CREATE INDEX referrals_submitted ON referrals (submitted_on);

-- One-off changes to the rule-made England and Wales bank holidays: a date added, or
-- (removed) a rule-made date that did not happen. An administrator adds new ones.
CREATE TABLE holiday_changes (
    day     TEXT PRIMARY KEY,
    removed BOOLEAN NOT NULL DEFAULT 0,
    name    TEXT NOT NULL
);
INSERT INTO holiday_changes (day, removed, name) VALUES
    ('2012-05-28', 1, 'Spring bank holiday moved for the Diamond Jubilee'),
    ('2012-06-04', 0, 'Spring bank holiday (moved)'),
    ('2012-06-05', 0, 'Queen''s Diamond Jubilee'),
    ('2020-05-04', 1, 'Early May bank holiday moved for VE Day'),
    ('2020-05-08', 0, 'Early May bank holiday (VE Day)'),
    ('2022-05-30', 1, 'Spring bank holiday moved for the Platinum Jubilee'),
    ('2022-06-02', 0, 'Spring bank holiday (moved)'),
    ('2022-06-03', 0, 'Platinum Jubilee bank holiday'),
    ('2022-09-19', 0, 'State funeral of Queen Elizabeth II'),
    ('2023-05-08', 0, 'Coronation of King Charles III');

-- Where a first-responder agency's daily referral reminder digest goes; NULL for none.
ALTER TABLE agencies ADD COLUMN reminder_email TEXT;

-- +goose Down
ALTER TABLE agencies DROP COLUMN reminder_email;
DROP TABLE holiday_changes;
DROP TABLE referrals;
