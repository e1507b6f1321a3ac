-- Reports passed to an agency, and what became of each passing (issue 12, item 1):
-- acknowledged, accepted into a case, or returned to the triage hub with a reason.
-- Keep in step with ../postgres/0310_report_handoffs.sql.

-- +goose Up
CREATE TABLE report_handoffs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id       INTEGER NOT NULL REFERENCES reports (id),
    agency_id       INTEGER NOT NULL REFERENCES agencies (id),
    state           TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    include_contact BOOLEAN NOT NULL DEFAULT 0,
    passed_by       INTEGER REFERENCES users (id),
    passed_at       TIMESTAMP NOT NULL,
    ack_by          INTEGER REFERENCES users (id),
    ack_at          TIMESTAMP,
    accepted_by     INTEGER REFERENCES users (id),
    accepted_at     TIMESTAMP,
    case_id         INTEGER REFERENCES cases (id),
    returned_by     INTEGER REFERENCES users (id),
    returned_at     TIMESTAMP,
    return_reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_handoffs_report ON report_handoffs (report_id, id);
-- An agency's inbox: by state, oldest first.
CREATE INDEX report_handoffs_inbox ON report_handoffs (agency_id, state, passed_at);
-- A report is with one agency at a time: two passings racing cannot both be open.
CREATE UNIQUE INDEX report_handoffs_open ON report_handoffs (report_id) WHERE state IN ('passed', 'acknowledged');

-- Reports passed before handoffs were recorded wait in the agency's inbox, without the
-- reporter's contact details (triage did not choose to send them).
INSERT INTO report_handoffs (report_id, agency_id, state, reason, include_contact, passed_by, passed_at)
SELECT id, passed_to_agency, 'passed', decision_reason, 0, decided_by, COALESCE(decided_at, received_at)
FROM reports WHERE status = 'passed_to_agency' AND passed_to_agency IS NOT NULL;

-- +goose Down
DROP TABLE report_handoffs;
