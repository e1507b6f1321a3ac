-- A caseworker's request that a supervisor close a case (issue 12, item 5). Keep in
-- step with ../sqlite/0320_case_closure_requests.sql.

-- +goose Up
CREATE TABLE case_closure_requests (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id           BIGINT NOT NULL REFERENCES cases (id),
    agency_id         BIGINT NOT NULL REFERENCES agencies (id),
    outcome           TEXT NOT NULL,
    reason            TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'requested',
    requested_by_user BIGINT REFERENCES users (id),
    requested_by      TEXT NOT NULL DEFAULT '',
    requested_at      TIMESTAMPTZ NOT NULL,
    decided_by_user   BIGINT REFERENCES users (id),
    decided_by        TEXT NOT NULL DEFAULT '',
    decided_at        TIMESTAMPTZ,
    decision_note     TEXT NOT NULL DEFAULT ''
);
-- At most one request waits per case.
CREATE UNIQUE INDEX case_closure_requests_pending ON case_closure_requests (case_id) WHERE status = 'requested';
-- An agency's approvals queue, oldest first.
CREATE INDEX case_closure_requests_agency ON case_closure_requests (agency_id, status, requested_at);

-- +goose Down
DROP TABLE case_closure_requests;
