-- Correcting the record (issue 19): what a case holds can be changed against the
-- version the editor saw, and removed with a reason. A removed item leaves a
-- tombstone (case_removals) holding its values for as long as the retention schedule
-- allows (the disposal job removes it); the audit trail names only the tombstone.
-- A link another case was shown that no longer holds is kept as withdrawn
-- (link_withdrawals), by a keyed hash of the identifier, never its value.
-- Keep in step with ../postgres/0460_case_corrections.sql.

-- +goose Up
ALTER TABLE case_places ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_places ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE case_places ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE case_businesses ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_businesses ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE case_businesses ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE case_vehicles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_vehicles ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE case_vehicles ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE case_phones ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_phones ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE case_phones ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE case_orders ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_orders ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE case_orders ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE case_tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_tasks ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE case_tasks ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE case_people ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_people ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE case_people ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';

-- part: places, businesses, vehicles, phones, orders, tasks or people (a person's
-- link to the case); record: the removed row (and, for a person's link, its role
-- history) as JSON.
CREATE TABLE case_removals (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    part            TEXT NOT NULL,
    item_id         INTEGER NOT NULL,
    reason          TEXT NOT NULL,
    reason_text     TEXT NOT NULL DEFAULT '',
    record          TEXT NOT NULL,
    removed_at      TIMESTAMP NOT NULL,
    removed_by_user INTEGER REFERENCES users (id),
    removed_by      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_removals_case ON case_removals (case_id, removed_at);
CREATE UNIQUE INDEX case_removals_item ON case_removals (part, item_id);

-- case_id saw a link of kind on the identifier whose keyed hash is key_hash to
-- from_case_id, until from_case_id's record of it was removed or corrected.
CREATE TABLE link_withdrawals (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    from_case_id INTEGER NOT NULL REFERENCES cases (id),
    kind         TEXT NOT NULL,
    key_hash     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    withdrawn_at TIMESTAMP NOT NULL
);
CREATE INDEX link_withdrawals_case ON link_withdrawals (case_id, withdrawn_at);

-- +goose Down
DROP TABLE link_withdrawals;
DROP TABLE case_removals;
ALTER TABLE case_people DROP COLUMN updated_by;
ALTER TABLE case_people DROP COLUMN updated_at;
ALTER TABLE case_people DROP COLUMN version;
ALTER TABLE case_tasks DROP COLUMN updated_by;
ALTER TABLE case_tasks DROP COLUMN updated_at;
ALTER TABLE case_tasks DROP COLUMN version;
ALTER TABLE case_orders DROP COLUMN updated_by;
ALTER TABLE case_orders DROP COLUMN updated_at;
ALTER TABLE case_orders DROP COLUMN version;
ALTER TABLE case_phones DROP COLUMN updated_by;
ALTER TABLE case_phones DROP COLUMN updated_at;
ALTER TABLE case_phones DROP COLUMN version;
ALTER TABLE case_vehicles DROP COLUMN updated_by;
ALTER TABLE case_vehicles DROP COLUMN updated_at;
ALTER TABLE case_vehicles DROP COLUMN version;
ALTER TABLE case_businesses DROP COLUMN updated_by;
ALTER TABLE case_businesses DROP COLUMN updated_at;
ALTER TABLE case_businesses DROP COLUMN version;
ALTER TABLE case_places DROP COLUMN updated_by;
ALTER TABLE case_places DROP COLUMN updated_at;
ALTER TABLE case_places DROP COLUMN version;
