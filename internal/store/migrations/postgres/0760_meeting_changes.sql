-- Changing and cancelling a meeting (issue 17): a meeting is edited against the
-- version the editor saw, and cancelled with a reason. A share made for a meeting
-- names it (case_shares.meeting_id), so that the shares end when the agency stops
-- attending or the meeting is cancelled. Shares made before this migration name no
-- meeting and end only when they run out or are revoked on the case.
-- Keep in step with ../sqlite/0760_meeting_changes.sql.

-- +goose Up
ALTER TABLE meetings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE meetings ADD COLUMN updated_at TIMESTAMPTZ;
ALTER TABLE meetings ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN cancelled_at TIMESTAMPTZ;
ALTER TABLE meetings ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE case_shares ADD COLUMN meeting_id BIGINT;
CREATE INDEX case_shares_meeting ON case_shares (meeting_id);

-- +goose Down
DROP INDEX case_shares_meeting;
ALTER TABLE case_shares DROP COLUMN meeting_id;
ALTER TABLE meetings DROP COLUMN cancel_reason;
ALTER TABLE meetings DROP COLUMN cancelled_by;
ALTER TABLE meetings DROP COLUMN cancelled_at;
ALTER TABLE meetings DROP COLUMN updated_by;
ALTER TABLE meetings DROP COLUMN updated_at;
ALTER TABLE meetings DROP COLUMN version;
