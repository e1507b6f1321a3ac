-- A timeline entry the service writes when something is done on a case (an item
-- removed, a closure asked for or refused, a role changed, a case made from a report)
-- is a record of that action, not a note: nobody edits it, not even in the minutes
-- after, as its author may a note they wrote (tropic.MayEditNote).
-- Keep in step with ../sqlite/0780_note_records.sql.

-- +goose Up
ALTER TABLE case_notes ADD COLUMN record BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE case_notes DROP COLUMN record;
