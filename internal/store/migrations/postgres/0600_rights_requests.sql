-- Rights requests (issue 16 item 3): subject access, rectification, erasure and
-- restriction requests an agency receives, worked by its data protection officer (or
-- a supervisor where it has none). For an access request, the person records the
-- officer confirms are the requester, and the third parties whose names the officer
-- chose, with a reason, not to redact from the package. Audit events name none of them.
-- Keep in step with ../sqlite/0600_rights_requests.sql.

-- +goose Up
CREATE TABLE rights_requests (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id         BIGINT NOT NULL REFERENCES agencies (id),
    kind              TEXT NOT NULL,
    received_on       TEXT NOT NULL,
    identity_verified TEXT NOT NULL,
    reference         TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    deadline          TEXT NOT NULL,
    extension_reason  TEXT NOT NULL DEFAULT '',
    exemption         TEXT NOT NULL DEFAULT '',
    outcome           TEXT NOT NULL DEFAULT '',
    created_by_user   BIGINT REFERENCES users (id),
    created_by        TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    closed_by         TEXT NOT NULL DEFAULT '',
    closed_at         TIMESTAMPTZ,
    released_by       TEXT NOT NULL DEFAULT '',
    released_at       TIMESTAMPTZ
);
CREATE INDEX rights_requests_agency ON rights_requests (agency_id, status, deadline);

CREATE TABLE rights_request_people (
    request_id   BIGINT NOT NULL REFERENCES rights_requests (id),
    person_id    BIGINT NOT NULL REFERENCES people (id),
    confirmed_by TEXT NOT NULL,
    confirmed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (request_id, person_id)
);

CREATE TABLE rights_request_unredactions (
    request_id BIGINT NOT NULL REFERENCES rights_requests (id),
    person_id  BIGINT NOT NULL REFERENCES people (id),
    reason     TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (request_id, person_id)
);

-- +goose Down
DROP TABLE rights_request_unredactions;
DROP TABLE rights_request_people;
DROP TABLE rights_requests;
