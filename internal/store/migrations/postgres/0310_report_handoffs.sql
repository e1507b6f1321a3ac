-- Reports passed to an agency, and what became of each passing (issue 12, item 1):
-- acknowledged, accepted into a case, or returned to the triage hub with a reason.
-- Keep in step with ../sqlite/0310_report_handoffs.sql.

-- +goose Up
CREATE TABLE report_handoffs (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id       BIGINT NOT NULL REFERENCES reports (id),
    agency_id       BIGINT NOT NULL REFERENCES agencies (id),
    state           TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    include_contact BOOLEAN NOT NULL DEFAULT FALSE,
    passed_by       BIGINT REFERENCES users (id),
    passed_at       TIMESTAMPTZ NOT NULL,
    ack_by          BIGINT REFERENCES users (id),
    ack_at          TIMESTAMPTZ,
    accepted_by     BIGINT REFERENCES users (id),
    accepted_at     TIMESTAMPTZ,
    case_id         BIGINT REFERENCES cases (id),
    returned_by     BIGINT REFERENCES users (id),
    returned_at     TIMESTAMPTZ,
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
SELECT id, passed_to_agency, 'passed', decision_reason, FALSE, decided_by, COALESCE(decided_at, received_at)
FROM reports WHERE status = 'passed_to_agency' AND passed_to_agency IS NOT NULL;

-- +goose Down
DROP TABLE report_handoffs;
