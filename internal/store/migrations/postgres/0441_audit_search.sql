-- Audit search by a data protection officer (issue 16, item 5): by agency and by date,
-- besides the existing indexes by user and by object.
-- Keep in step with ../sqlite/0441_audit_search.sql.

-- +goose Up
CREATE INDEX audit_events_agency ON audit_events (agency_id, seq);
CREATE INDEX audit_events_at ON audit_events (at);

-- +goose Down
DROP INDEX audit_events_at;
DROP INDEX audit_events_agency;
