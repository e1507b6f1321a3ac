-- Keep in step with the other dialect's 0550_report_form_language.sql.
-- Each report keeps the language of the public form it was sent in (issue 15 item 6):
-- a BCP 47 tag such as "pl" or "zh-Hans"; empty for reports that did not come through
-- the public form (call handlers, partners, the API) and for those sent before it.
-- The free text is stored as the reporter wrote it, whatever the language.

-- +goose Up
ALTER TABLE reports ADD COLUMN form_language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE reports DROP COLUMN form_language;
