-- The NRM referrals list filters, counts and pages in the database (issue 12, item
-- 13): newest submitted first (the waiting list oldest first) with the id to break
-- ties, so an index in that order lets a page stop after its rows; and the count of
-- the referrals an agency sees reads only the columns of visibility.
-- Keep in step with ../sqlite/0480_referral_list.sql.

-- +goose Up
CREATE INDEX referrals_submitted_id ON referrals (submitted_on, id);
CREATE INDEX referrals_visible ON referrals (agency_id, route, case_id);

-- +goose Down
DROP INDEX referrals_visible;
DROP INDEX referrals_submitted_id;
