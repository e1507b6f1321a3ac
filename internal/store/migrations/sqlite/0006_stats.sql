-- Published statistics: covering indexes so that a figure over a period, and its
-- breakdowns, are answered from one index range without reading the rows.
-- Keep in step with ../postgres/0006_stats.sql.

-- +goose Up
CREATE INDEX reports_stats ON reports (received_at, district, exploitation, created_by_agency);
CREATE INDEX cases_stats_opened ON cases (opened_at, district, exploitation, owner_agency_id);
CREATE INDEX cases_stats_crime ON cases (crime_recorded_at, crime_reference, offence, district, exploitation, owner_agency_id);
CREATE INDEX case_people_stats ON case_people (role, added_at, case_id, person_id);
CREATE INDEX referrals_stats ON referrals (route, submitted_on, exploitation, age_group, gender, nationality, agency_id, case_id);

-- +goose Down
DROP INDEX referrals_stats;
DROP INDEX case_people_stats;
DROP INDEX cases_stats_crime;
DROP INDEX cases_stats_opened;
DROP INDEX reports_stats;
