-- Escalations of emergency reports left unclaimed past their triage target (issue 12,
-- item 10): one row per report, written when it is escalated (its notifications are
-- written in the same transaction), and emailed_at once the triage addresses have been
-- e-mailed, so that neither a second run nor a restart escalates or e-mails it again.
-- Keep in step with ../postgres/0380_report_escalations.sql.

-- +goose Up
CREATE TABLE report_escalations (
    report_id    INTEGER PRIMARY KEY REFERENCES reports (id),
    escalated_at TIMESTAMP NOT NULL,
    emailed_at   TIMESTAMP
);
CREATE INDEX report_escalations_unemailed ON report_escalations (report_id) WHERE emailed_at IS NULL;

-- +goose Down
DROP TABLE report_escalations;
