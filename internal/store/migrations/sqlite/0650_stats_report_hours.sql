-- Reports counted hour by hour (UTC) as they are written (issue 14, item 7): a count
-- of reports over a long period (the year to date) adds up its hours, a few
-- thousand rows, not its hundreds of thousands of reports. Every day of the
-- partnership's calendar (Europe/London) starts on a whole UTC hour. Triggers keep
-- the counts in step with reports inserted, deleted (disposal) or re-dated; the
-- counts are no record and name nothing. Keep in step with
-- ../postgres/0650_stats_report_hours.sql.

-- +goose Up
CREATE TABLE stats_report_hours (
    hour TEXT PRIMARY KEY, -- 'YYYY-MM-DD HH', UTC
    n INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO stats_report_hours (hour, n)
    SELECT strftime('%Y-%m-%d %H', received_at), COUNT(*) FROM reports GROUP BY strftime('%Y-%m-%d %H', received_at);

-- +goose StatementBegin
CREATE TRIGGER stats_report_hours_insert AFTER INSERT ON reports
BEGIN
    INSERT INTO stats_report_hours (hour, n) VALUES (strftime('%Y-%m-%d %H', NEW.received_at), 1)
        ON CONFLICT (hour) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stats_report_hours_delete AFTER DELETE ON reports
BEGIN
    UPDATE stats_report_hours SET n = n - 1 WHERE hour = strftime('%Y-%m-%d %H', OLD.received_at);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stats_report_hours_update AFTER UPDATE OF received_at ON reports
WHEN OLD.received_at IS NOT NEW.received_at
BEGIN
    UPDATE stats_report_hours SET n = n - 1 WHERE hour = strftime('%Y-%m-%d %H', OLD.received_at);
    INSERT INTO stats_report_hours (hour, n) VALUES (strftime('%Y-%m-%d %H', NEW.received_at), 1)
        ON CONFLICT (hour) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER stats_report_hours_update;
DROP TRIGGER stats_report_hours_delete;
DROP TRIGGER stats_report_hours_insert;
DROP TABLE stats_report_hours;
