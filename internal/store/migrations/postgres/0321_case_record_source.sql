-- Where a place, business, vehicle or phone on a case came from (issue 12, item 3): ''
-- for one added by staff, or the reference of the report it was carried from. Keep in
-- step with ../sqlite/0321_case_record_source.sql.

-- +goose Up
ALTER TABLE case_places ADD COLUMN source_report TEXT NOT NULL DEFAULT '';
ALTER TABLE case_businesses ADD COLUMN source_report TEXT NOT NULL DEFAULT '';
ALTER TABLE case_vehicles ADD COLUMN source_report TEXT NOT NULL DEFAULT '';
ALTER TABLE case_phones ADD COLUMN source_report TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE case_phones DROP COLUMN source_report;
ALTER TABLE case_vehicles DROP COLUMN source_report;
ALTER TABLE case_businesses DROP COLUMN source_report;
ALTER TABLE case_places DROP COLUMN source_report;
