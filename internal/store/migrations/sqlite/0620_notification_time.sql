-- Notifications are listed newest first by when they happened (issue 12): the demo
-- and imports write rows back-dated, so insertion order is not time order.
-- Keep in step with ../postgres/0620_notification_time.sql.

-- +goose Up
CREATE INDEX notifications_user_time ON notifications (user_id, created_at, id);

-- +goose Down
DROP INDEX notifications_user_time;
