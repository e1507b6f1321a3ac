-- Access requests by a possible person match or an s.45 notice (issue 12, item 4).
-- A request may now name the record the way the requester met it without seeing it:
-- a possible person match (match_id, and person_id the holder's person record it
-- suggested) or a suspect on their own case who is a potential victim on the holder's
-- (person_id, the requester's person), besides a shared identifier (via); access_by says which.
-- from_case_id is the requester's case, where they asked; decision_reason is why the
-- holder's supervisor refused (required for an access request). The requester's list
-- of their own requests is found by requested_by_user, newest first. No foreign keys:
-- a match may be rescored away and a case or person disposed of while the request is
-- kept; disposal clears from_case_id and person_id.
-- Keep in step with ../postgres/0500_access_request_by_match.sql.

-- +goose Up
ALTER TABLE case_shares ADD COLUMN from_case_id INTEGER;
ALTER TABLE case_shares ADD COLUMN match_id INTEGER;
ALTER TABLE case_shares ADD COLUMN person_id INTEGER;
ALTER TABLE case_shares ADD COLUMN access_by TEXT NOT NULL DEFAULT 'identifier';
ALTER TABLE case_shares ADD COLUMN decision_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX case_shares_requester ON case_shares (requested_by_user, created_at) WHERE kind = 'access';

-- +goose Down
DROP INDEX case_shares_requester;
ALTER TABLE case_shares DROP COLUMN decision_reason;
ALTER TABLE case_shares DROP COLUMN access_by;
ALTER TABLE case_shares DROP COLUMN person_id;
ALTER TABLE case_shares DROP COLUMN match_id;
ALTER TABLE case_shares DROP COLUMN from_case_id;
