-- The register of data sharing agreements (issue 16 item 4): what each share rests on.
-- Keep in step with ../postgres/0560_sharing_agreements.sql.

-- +goose Up
-- One agreement: its parties (sharing_agreement_parties), purposes, lawful bases and
-- data categories (keys of tropic.LawfulBases and tropic.DataCategories, comma
-- separated), the date it must be reviewed by, and where the signed document is kept.
CREATE TABLE sharing_agreements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    title           TEXT NOT NULL UNIQUE,
    purposes        TEXT NOT NULL,
    lawful_bases    TEXT NOT NULL,
    data_categories TEXT NOT NULL,
    review_on       TEXT NOT NULL,
    document_ref    TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE TABLE sharing_agreement_parties (
    agreement_id INTEGER NOT NULL REFERENCES sharing_agreements (id),
    agency_id    INTEGER NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (agreement_id, agency_id)
);
CREATE INDEX sharing_agreement_parties_agency ON sharing_agreement_parties (agency_id);

-- Every share cites an agreement, or says why none applies. Shares made before the
-- register cite none, and say so: they show flagged, which is true of them.
-- (No REFERENCES here: SQLite cannot drop a column that has one. The store reads the
-- agreement in the transaction that cites it, and agreements are never deleted.)
ALTER TABLE case_shares ADD COLUMN agreement_id INTEGER;
ALTER TABLE case_shares ADD COLUMN no_agreement_reason TEXT NOT NULL DEFAULT '';
UPDATE case_shares SET no_agreement_reason = 'No agreement recorded: the share was made before the register of sharing agreements.';
CREATE INDEX case_shares_agreement ON case_shares (agreement_id, status);

-- +goose Down
DROP INDEX case_shares_agreement;
ALTER TABLE case_shares DROP COLUMN no_agreement_reason;
ALTER TABLE case_shares DROP COLUMN agreement_id;
DROP TABLE sharing_agreement_parties;
DROP TABLE sharing_agreements;
