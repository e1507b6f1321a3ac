-- NRM corrections (issue 11, item 14). Keep in step with ../sqlite/0130_nrm_corrections.sql.

-- +goose Up
-- Age at exploitation, which the Home Office statistics count, apart from the age at
-- referral: adult, child, or '' (not specified or unknown). A person who is, or may
-- be, a child at referral was exploited as a child.
ALTER TABLE referrals ADD COLUMN age_at_exploitation TEXT NOT NULL DEFAULT ''
    CHECK (age_at_exploitation IN ('', 'adult', 'child'));
-- s.51: a person who may be under 18 is treated as a child, whatever age group was given.
UPDATE referrals SET age_group = 'child' WHERE possibly_child = TRUE AND age_group <> 'child';
UPDATE referrals SET age_at_exploitation = 'child' WHERE age_group = 'child';
-- County lines is criminal exploitation: the flag brings the Criminal type with it
-- (criminal is last in the stored Home Office order, and replaces "not specified").
UPDATE reports SET exploitation = CASE WHEN exploitation IN ('', 'not_specified') THEN 'criminal' ELSE exploitation || ',criminal' END
    WHERE county_lines = TRUE AND ',' || exploitation || ',' NOT LIKE '%,criminal,%';
UPDATE cases SET exploitation = CASE WHEN exploitation IN ('', 'not_specified') THEN 'criminal' ELSE exploitation || ',criminal' END
    WHERE county_lines = TRUE AND ',' || exploitation || ',' NOT LIKE '%,criminal,%';
UPDATE referrals SET exploitation = CASE WHEN exploitation IN ('', 'not_specified') THEN 'criminal' ELSE exploitation || ',criminal' END
    WHERE county_lines = TRUE AND ',' || exploitation || ',' NOT LIKE '%,criminal,%';

-- +goose Down
ALTER TABLE referrals DROP COLUMN age_at_exploitation;
