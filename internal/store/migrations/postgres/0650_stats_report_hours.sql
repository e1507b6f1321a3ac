-- Reports counted hour by hour as they are written (issue 14, item 7): a count of
-- reports over a long period (the year to date) adds up its hours, a few thousand
-- rows, not its hundreds of thousands of reports. Every day of the partnership's
-- calendar (Europe/London) starts on a whole hour. Triggers keep the counts in step
-- with reports inserted or deleted (disposal) a statement at a time (a bulk insert
-- adds to each hour once), and re-dated; the counts are no record and name nothing.
-- Keep in step with ../sqlite/0650_stats_report_hours.sql.

-- +goose Up
CREATE TABLE stats_report_hours (
    hour TIMESTAMPTZ PRIMARY KEY,
    n BIGINT NOT NULL
);

INSERT INTO stats_report_hours (hour, n)
    SELECT date_trunc('hour', received_at, 'UTC'), COUNT(*) FROM reports GROUP BY 1;

-- +goose StatementBegin
CREATE FUNCTION stats_report_hours_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_report_hours (hour, n)
        SELECT date_trunc('hour', received_at, 'UTC'), COUNT(*) FROM added GROUP BY 1
        ON CONFLICT (hour) DO UPDATE SET n = stats_report_hours.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION stats_report_hours_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE stats_report_hours h SET n = h.n - r.n
        FROM (SELECT date_trunc('hour', received_at, 'UTC') AS hour, COUNT(*) AS n FROM removed GROUP BY 1) r
        WHERE h.hour = r.hour;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION stats_report_hours_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE stats_report_hours SET n = n - 1 WHERE hour = date_trunc('hour', OLD.received_at, 'UTC');
    INSERT INTO stats_report_hours (hour, n) VALUES (date_trunc('hour', NEW.received_at, 'UTC'), 1)
        ON CONFLICT (hour) DO UPDATE SET n = stats_report_hours.n + 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER stats_report_hours_insert AFTER INSERT ON reports
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION stats_report_hours_add();
CREATE TRIGGER stats_report_hours_delete AFTER DELETE ON reports
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION stats_report_hours_remove();
CREATE TRIGGER stats_report_hours_update AFTER UPDATE OF received_at ON reports
    FOR EACH ROW WHEN (OLD.received_at IS DISTINCT FROM NEW.received_at) EXECUTE FUNCTION stats_report_hours_move();

-- +goose Down
DROP TRIGGER stats_report_hours_update ON reports;
DROP TRIGGER stats_report_hours_delete ON reports;
DROP TRIGGER stats_report_hours_insert ON reports;
DROP FUNCTION stats_report_hours_move();
DROP FUNCTION stats_report_hours_remove();
DROP FUNCTION stats_report_hours_add();
DROP TABLE stats_report_hours;
