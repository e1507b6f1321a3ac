-- The core of the partnership's workflow (issue 12), shared by its parts: the agencies
-- that form the triage hub and their inbox addresses, a case's officer in charge and
-- review date, and notifications. Keep in step with ../sqlite/0300_workflow_core.sql.

-- +goose Up
-- Which agencies form the triage hub is configuration; today's behaviour (every agency
-- with a triage user is the hub) is where it starts.
ALTER TABLE agencies ADD COLUMN triage_hub BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE agencies ADD COLUMN inbox_email TEXT NOT NULL DEFAULT '';
UPDATE agencies SET triage_hub = TRUE WHERE id IN (
    SELECT u.agency_id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'triage');

ALTER TABLE cases ADD COLUMN officer_user_id BIGINT REFERENCES users (id);
ALTER TABLE cases ADD COLUMN review_on TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_officer ON cases (officer_user_id);

-- How a user hears of notifications by e-mail: each one, a daily digest, or none.
ALTER TABLE users ADD COLUMN notification_email TEXT NOT NULL DEFAULT 'each';

-- One notification for one user. subject is the reference it is about; text is a
-- sentence with no personal data (it may go by e-mail).
CREATE TABLE notifications (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    text       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    read_at    TIMESTAMPTZ,
    emailed_at TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_unemailed ON notifications (id) WHERE emailed_at IS NULL;

-- +goose Down
DROP TABLE notifications;
ALTER TABLE users DROP COLUMN notification_email;
DROP INDEX cases_officer;
ALTER TABLE cases DROP COLUMN review_on;
ALTER TABLE cases DROP COLUMN officer_user_id;
ALTER TABLE agencies DROP COLUMN inbox_email;
ALTER TABLE agencies DROP COLUMN triage_hub;
