-- A notification that asks for something (a decision on a share, an access request,
-- a reveal, a role change, a closure; a retention review) names the thing it is about
-- (about: "share:12", "reveal:3", "retention:agency:2"), so that the transaction that
-- decides it rewrites the notification's text to the thing's state and marks it done
-- (done_at): a notification never says that something waits when it does not.
-- A person is told of one such thing once: one open notification per user, kind
-- and thing.
-- Keep in step with ../sqlite/0800_notification_items.sql.

-- +goose Up
ALTER TABLE notifications ADD COLUMN about TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN done_at TIMESTAMPTZ;
CREATE UNIQUE INDEX notifications_about_once ON notifications (user_id, kind, about) WHERE about <> '' AND done_at IS NULL;
CREATE INDEX notifications_about ON notifications (about) WHERE about <> '';

-- +goose Down
DROP INDEX notifications_about;
DROP INDEX notifications_about_once;
ALTER TABLE notifications DROP COLUMN done_at;
ALTER TABLE notifications DROP COLUMN about;
