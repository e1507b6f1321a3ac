-- Access requests and the approvals queue (issue 12, items 4 and 6). An access request
-- is a share asked for by the agency that wants to see a case (kind 'access'), not by
-- the case's owner (kind 'share'); the owner's supervisors decide both alike. via says
-- how the requester came to ask (the identifier the two records share), for the
-- supervisor who decides. Requested shares and role changes are found for the queue
-- oldest first. Keep in step with ../postgres/0330_access_requests.sql.

-- +goose Up
ALTER TABLE case_shares ADD COLUMN kind TEXT NOT NULL DEFAULT 'share';
ALTER TABLE case_shares ADD COLUMN via TEXT NOT NULL DEFAULT '';
CREATE INDEX case_shares_requested ON case_shares (created_at, id) WHERE status = 'requested';
CREATE INDEX role_changes_requested ON role_changes (requested_at, id) WHERE status = 'requested';

-- +goose Down
DROP INDEX role_changes_requested;
DROP INDEX case_shares_requested;
ALTER TABLE case_shares DROP COLUMN via;
ALTER TABLE case_shares DROP COLUMN kind;
