-- A disabled agency (issue 13, item 3). Keep in step with ../sqlite/0200_agency_disabled.sql.

-- +goose Up
-- Its users can no longer sign in or use their tokens; its records stay.
ALTER TABLE agencies ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE agencies DROP COLUMN disabled;
