-- A Duty to Notify report is corrected by the agency that made it (issue 19, item 4):
-- updated_by names who changed a referral last, for the message a stale save gets;
-- referral_corrections is a report's history of corrections: when, who, a reason's
-- code (never free text: a report identifies no one, MSA s.52(3)) and the answers
-- changed, which identify no one either. It goes with the report when the report is
-- disposed of.
-- Keep in step with ../postgres/0520_dtn_correction.sql.

-- +goose Up
ALTER TABLE referrals ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
CREATE TABLE referral_corrections (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    referral_id       INTEGER NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    corrected_at      TIMESTAMP NOT NULL,
    corrected_by_user INTEGER REFERENCES users (id),
    corrected_by      TEXT NOT NULL DEFAULT '',
    reason            TEXT NOT NULL,
    changes           TEXT NOT NULL
);
CREATE INDEX referral_corrections_referral ON referral_corrections (referral_id, corrected_at);

-- +goose Down
DROP TABLE referral_corrections;
ALTER TABLE referrals DROP COLUMN updated_by;
