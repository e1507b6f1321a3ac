-- +goose Up
-- The keyed audit chain (decision 18): each event names the audit key whose HMAC its
-- hash is ('' for events written before the chain was keyed, which keep the plain
-- SHA-256), the head names the key of the newest event, and signed checkpoints are kept
-- for the daily digest. Keep in step with ../postgres/0100_audit_keys.sql.
ALTER TABLE audit_events ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_head ADD COLUMN key_id TEXT NOT NULL DEFAULT '';

CREATE TABLE audit_checkpoints (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    seq    INTEGER NOT NULL,
    head   TEXT NOT NULL,
    at     TIMESTAMP NOT NULL,
    key_id TEXT NOT NULL,
    line   TEXT NOT NULL
);
CREATE INDEX audit_checkpoints_at ON audit_checkpoints (at);

-- +goose Down
DROP TABLE audit_checkpoints;
ALTER TABLE audit_head DROP COLUMN key_id;
ALTER TABLE audit_events DROP COLUMN key_id;
