package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// statsExec runs a statement written with ? placeholders on either dialect.
func statsExec(t *testing.T, e *env, q string, args ...any) {
	t.Helper()
	if e.dialect == store.Postgres {
		n := 0
		var b strings.Builder
		for _, c := range q {
			if c == '?' {
				n++
				fmt.Fprintf(&b, "$%d", n)
				continue
			}
			b.WriteRune(c)
		}
		q = b.String()
	}
	if _, err := e.db.SQL().ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

var statsCase atomic.Int64

func addStatsCase(t *testing.T, e *env, agency int64, district, crimeRef string, recorded time.Time) {
	t.Helper()
	ref := statsCase.Add(1)
	var rec any
	if !recorded.IsZero() {
		rec = recorded.UTC()
	}
	statsExec(t, e, `INSERT INTO cases (reference, owner_agency_id, title, title_folded, district, exploitation, opened_at,
		crime_reference, offence, crime_recorded_at, updated_at) VALUES (?, ?, 'Case', 'case', ?, 'labour', ?, ?, ?, ?, ?)`,
		fmt.Sprintf("C-STATS-%d", ref), agency, district, recorded.UTC(), crimeRef, map[bool]string{true: "msa_s1", false: ""}[crimeRef != ""], rec, recorded.UTC())
}

// TestStatsSeedHeadline reproduces the seed: 18 offences recorded between 1 January
// and 27 July 2017, against 7 in the same span of 2016.
func TestStatsSeedHeadline(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		{
			e := newEnv(t, d)
			police := e.agency(t, "Hertfordshire Constabulary")
			london, _ := time.LoadLocation("Europe/London")
			day := func(y int, m time.Month, dd, h int) time.Time { return time.Date(y, m, dd, h, 0, 0, 0, london) }
			for i := 0; i < 18; i++ {
				addStatsCase(t, e, police.ID, "watford", fmt.Sprintf("41/%d/17", i), day(2017, time.Month(1+i%7), 1+i, 10))
			}
			for i := 0; i < 7; i++ {
				addStatsCase(t, e, police.ID, "dacorum", fmt.Sprintf("41/%d/16", i), day(2016, time.Month(1+i), 3, 12))
			}
			// Outside the spans, or not crimes: not counted.
			addStatsCase(t, e, police.ID, "watford", "41/x/16", day(2016, time.July, 28, 0))      // a day after the span
			addStatsCase(t, e, police.ID, "watford", "41/y/16", day(2016, time.December, 31, 23)) // last year, after the span
			addStatsCase(t, e, police.ID, "watford", "", day(2017, time.March, 3, 9))             // no crime reference
			addStatsCase(t, e, police.ID, "watford", "41/z/17", day(2017, time.July, 28, 0))      // tomorrow
			addStatsCase(t, e, police.ID, "watford", "41/w/17", day(2017, time.July, 27, 23))     // late today, summer time

			stats := store.NewStatsService(e.db)
			ytd := tropic.YearToDate(time.Date(2017, 7, 27, 12, 0, 0, 0, london))
			now, err := stats.Count(context.Background(), tropic.FigureOffences, ytd, tropic.StatsFilter{})
			if err != nil {
				t.Fatal(err)
			}
			then, err := stats.Count(context.Background(), tropic.FigureOffences, ytd.SamePeriodLastYear(), tropic.StatsFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if now != 19 || then != 7 { // the 18 and the one late today
				t.Fatalf("counts %d, %d; want 19, 7", now, then)
			}
			// The seed's 18: to the day before.
			ytd.To = ytd.To.AddDate(0, 0, -1)
			now, _ = stats.Count(context.Background(), tropic.FigureOffences, ytd, tropic.StatsFilter{})
			then, _ = stats.Count(context.Background(), tropic.FigureOffences, ytd.SamePeriodLastYear(), tropic.StatsFilter{})
			want := "18 offences recorded so far this year, against 7 in the same period last year"
			if got := tropic.Headline(tropic.FigureOffences, now, then, tropic.DefaultDisclosureThreshold); got != want {
				t.Errorf("headline %q, want %q", got, want)
			}
			months, err := stats.Months(context.Background(), tropic.FigureOffences, ytd, tropic.StatsFilter{})
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, n := range months {
				sum += n
			}
			if len(months) != 7 || sum != 18 || months[0] != 3 {
				t.Errorf("months %v", months)
			}
			n, _ := stats.Count(context.Background(), tropic.FigureOffences, ytd.SamePeriodLastYear(), tropic.StatsFilter{District: "watford"})
			if n != 0 {
				t.Errorf("watford last year %d", n)
			}
			tb, err := stats.Breakdown(context.Background(), tropic.FigureOffences, tropic.DimOffence, ytd, tropic.StatsFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if tb.Total.Count != 18 || tb.Cells[0].Count != 18 {
				t.Errorf("by offence %+v", tb)
			}
		}
	})
}

// TestStatsReferralDistrictSuppressed: a district with 3 referrals shows "fewer than
// 5", and cannot be worked out from the published total.
func TestStatsReferralDistrictSuppressed(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		{
			e := newEnv(t, d)
			police := e.agency(t, "Hertfordshire Constabulary")
			for _, dist := range [][2]string{{"watford", "Watford"}, {"dacorum", "Dacorum"}, {"broxbourne", "Broxbourne"}} {
				statsExec(t, e, `INSERT INTO districts (slug, name, created_at) VALUES (?, ?, ?)`, dist[0], dist[1], time.Now().UTC())
			}
			when := time.Date(2017, 3, 1, 12, 0, 0, 0, time.UTC)
			per := map[string]int{"watford": 9, "dacorum": 12, "broxbourne": 3}
			for dist, n := range per {
				for i := 0; i < n; i++ {
					addStatsCase(t, e, police.ID, dist, "", when)
					statsExec(t, e, `INSERT INTO people (owner_agency_id, created_at, updated_at) VALUES (?, ?, ?)`, police.ID, when, when)
					statsExec(t, e, `INSERT INTO referrals (route, case_id, person_id, agency_id, age_group, submitted_on, exploitation, gender, created_at, updated_at)
						VALUES ('nrm', (SELECT MAX(id) FROM cases), (SELECT MAX(id) FROM people), ?, 'adult', '2017-03-01', 'labour', 'male', ?, ?)`, police.ID, when, when)
				}
			}
			stats := store.NewStatsService(e.db)
			ytd := tropic.YearToDate(time.Date(2017, 7, 27, 12, 0, 0, 0, time.UTC))
			var tables []tropic.Table
			for _, dim := range tropic.FigureReferrals.Dimensions() {
				tb, err := stats.Breakdown(context.Background(), tropic.FigureReferrals, dim, ytd, tropic.StatsFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if tb.Total.Count != 24 {
					t.Fatalf("%s total %d", dim, tb.Total.Count)
				}
				tables = append(tables, tb)
			}
			pub := tropic.Suppress(tables, 5)
			for _, tb := range pub {
				if tb.Dimension != tropic.DimDistrict {
					continue
				}
				shown := 0
				hidden := 0
				for _, c := range tb.Cells {
					if c.Label == "Broxbourne" && c.Published != "fewer than 5" {
						t.Errorf("Broxbourne %q", c.Published)
					}
					var n int
					if _, err := fmt.Sscan(c.Published, &n); err == nil {
						shown += n
					} else {
						hidden++
					}
				}
				if hidden < 2 || tb.Total.Published != "24" {
					t.Errorf("district table %+v", tb)
				}
				if 24-shown == 3 {
					t.Errorf("Broxbourne recovered: 24 - %d", shown)
				}
			}
		}
	})
}

// TestStatsReportHours: reports counted from their hourly counts (migration 0650)
// agree with the reports themselves over days of the partnership's calendar, in
// winter and summer time, after reports are added one by one and in bulk, deleted
// and re-dated.
func TestStatsReportHours(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		police := e.agency(t, "Hertfordshire Constabulary")
		ctx := context.Background()
		london, _ := time.LoadLocation("Europe/London")
		add := func(ref string, at time.Time) {
			statsExec(t, e, `INSERT INTO reports (reference, channel, received_at, description, district, exploitation, urgency, urgency_rank,
				follow_up_hash, created_by_agency) VALUES (?, 'web', ?, '', 'watford', 'labour', 'routine', 3, '', ?)`, ref, at.UTC(), police.ID)
		}
		// Either side of midnight in winter and in summer time, and either side of the clocks changing.
		moments := []time.Time{
			time.Date(2025, 1, 31, 23, 59, 0, 0, london), time.Date(2025, 2, 1, 0, 0, 0, 0, london), time.Date(2025, 3, 29, 23, 30, 0, 0, london),
			time.Date(2025, 3, 30, 0, 30, 0, 0, london), time.Date(2025, 3, 30, 2, 30, 0, 0, london), time.Date(2025, 6, 30, 23, 59, 59, 0, london),
			time.Date(2025, 7, 1, 0, 0, 0, 0, london), time.Date(2025, 10, 26, 1, 30, 0, 0, london), time.Date(2025, 12, 31, 23, 0, 0, 0, london),
		}
		for i, at := range moments {
			add(fmt.Sprintf("HOURS-%d", i), at)
			add(fmt.Sprintf("HOURS-%d-again", i), at.Add(time.Minute))
		}
		// In bulk: one statement, many rows.
		statsExec(t, e, `INSERT INTO reports (reference, channel, received_at, description, district, exploitation, urgency, urgency_rank,
			follow_up_hash, created_by_agency) SELECT 'BULK-' || reference, channel, received_at, description, district, exploitation, urgency,
			urgency_rank, follow_up_hash, created_by_agency FROM reports WHERE reference LIKE 'HOURS-%'`)
		statsExec(t, e, `DELETE FROM reports WHERE reference LIKE '%-again'`)
		statsExec(t, e, `UPDATE reports SET received_at = ? WHERE reference = 'BULK-HOURS-0'`, time.Date(2025, 2, 1, 0, 5, 0, 0, london).UTC())
		statsExec(t, e, `UPDATE reports SET received_at = received_at WHERE reference = 'HOURS-1'`)

		stats := store.NewStatsService(e.db)
		stats.SetTTL(0)
		day := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
		for _, p := range []tropic.Period{
			{From: day(2025, 1, 1), To: day(2025, 1, 31)}, {From: day(2025, 2, 1), To: day(2025, 2, 1)}, {From: day(2025, 3, 29), To: day(2025, 3, 29)},
			{From: day(2025, 3, 30), To: day(2025, 3, 30)}, {From: day(2025, 1, 1), To: day(2025, 6, 30)}, {From: day(2025, 7, 1), To: day(2025, 12, 31)},
			{From: day(2025, 10, 26), To: day(2025, 10, 26)}, {From: day(2025, 1, 1), To: day(2025, 12, 30)}, {From: day(2024, 1, 1), To: day(2026, 12, 31)},
		} {
			got, err := stats.Count(ctx, tropic.FigureReports, p, tropic.StatsFilter{})
			if err != nil {
				t.Fatal(err)
			}
			// The same count over the reports themselves (a filter that keeps them all
			// is counted from the rows).
			want, err := stats.Count(ctx, tropic.FigureReports, p, tropic.StatsFilter{AgencyID: police.ID})
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s: %d reports from the hourly counts, %d from the reports", p, got, want)
			}
		}
		var hours, rows int
		if err := e.db.SQL().QueryRowContext(ctx, `SELECT CAST(SUM(n) AS BIGINT), (SELECT COUNT(*) FROM reports) FROM stats_report_hours`).Scan(&hours, &rows); err != nil || hours != rows || rows != 18 {
			t.Errorf("hourly counts add up to %d, for %d reports (%v); want 18", hours, rows, err)
		}
		if n, _ := stats.Count(ctx, tropic.FigureReports, tropic.Period{From: day(2025, 2, 1), To: day(2025, 2, 1)}, tropic.StatsFilter{}); n != 3 {
			t.Errorf("1 February 2025: %d reports, want 3 (one, its copy and the copy of 31 January re-dated)", n)
		}
	})
}
