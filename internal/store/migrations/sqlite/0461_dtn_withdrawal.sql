-- A Duty to Notify report made in error is withdrawn by the agency that made it
-- (issue 19, item 4): withdrawn_on (the column NRM withdrawals use) is its day, and
-- withdrawn_reason a code from a fixed list, never free text (a report identifies no
-- one, MSA s.52(3)). Statistics count a withdrawn report as withdrawn, not as made.
-- Keep in step with ../postgres/0461_dtn_withdrawal.sql.

-- +goose Up
ALTER TABLE referrals ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE referrals DROP COLUMN withdrawn_reason;
