-- Requests to reveal a pseudonymised person of the analysts' network (issue 17 item
-- 4, decision 103): the analyst asks the agency holding the person; its supervisors
-- approve or decline; an approved reveal shows the name to the requester until
-- reveal_until. A disposed person's requests go with the person.
-- Keep in step with ../sqlite/0740_network_reveals.sql.

-- +goose Up
CREATE TABLE network_reveals (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id           BIGINT NOT NULL REFERENCES people (id),
    agency_id           BIGINT NOT NULL REFERENCES agencies (id),
    requested_by_user   BIGINT NOT NULL REFERENCES users (id),
    requested_by        TEXT NOT NULL,
    requester_agency_id BIGINT NOT NULL REFERENCES agencies (id),
    purpose             TEXT NOT NULL,
    agreement_id        BIGINT,
    no_agreement_reason TEXT NOT NULL DEFAULT '',
    victim              BOOLEAN NOT NULL DEFAULT FALSE,
    status              TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    decided_by_user     BIGINT REFERENCES users (id),
    decided_by          TEXT NOT NULL DEFAULT '',
    decided_at          TIMESTAMPTZ,
    decision_reason     TEXT NOT NULL DEFAULT '',
    reveal_until        TIMESTAMPTZ
);
CREATE INDEX network_reveals_agency ON network_reveals (agency_id, status, created_at);
CREATE INDEX network_reveals_requester ON network_reveals (requested_by_user, status);
CREATE INDEX network_reveals_person ON network_reveals (person_id);

-- +goose Down
DROP TABLE network_reveals;
