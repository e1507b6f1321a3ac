package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
	"tropic/internal/web"
)

// runBenchStats loads reports, cases, people and referrals in bulk SQL, then times the
// public statistics dashboard and a year-to-date comparison.
func runBenchStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench stats", "[options]", `Generate reports, cases and referrals in bulk into a fresh database, spread over the
last three years, then time the public statistics dashboard (GET /statistics, every
figure, breakdown and month) and a year-to-date comparison (a figure so far this year
and in the same period last year).

The database is TROPIC_DATABASE_URL: a SQLite file that does not exist yet, or a
postgres:// URL whose role may create databases (a fresh database is made there
and dropped afterwards). Without it, a temporary SQLite file is used and removed.
The dashboard is timed twice: "dashboard_cold" with the statistics cache off (every
count made afresh), and "dashboard" as served, with counts kept for up to a minute
(the page says so). The year-to-date comparison is always counted afresh. The last
line reads dashboard_p95_ms=N ytd_p95_ms=N, the dashboard as served.`)
	nReports := fs.Int("reports", 1000000, "reports to generate")
	nCases := fs.Int("cases", 200000, "cases to generate")
	nReferrals := fs.Int("referrals", 100000, "referrals to generate (one in five a Duty to Notify report)")
	runs := fs.Int("runs", 20, "timed requests of each kind")
	keep := fs.Bool("keep", false, "keep the database afterwards")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *nReports < 1 || *nCases < 1 || *nReferrals < 1 || *nReferrals > *nCases || *runs < 1 {
		return usageError("--reports, --cases, --referrals and --runs must be at least 1, and --referrals at most --cases")
	}
	db, done, err := openBench(ctx, e, "stats", *keep)
	if err != nil {
		return err
	}
	defer done()

	now := time.Now()
	start := time.Now()
	if err := statsLoad(ctx, db, now, *nReports, *nCases, *nReferrals, *nReferrals); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "loaded %d reports, %d cases, %d people, %d referrals in %.1fs\n", *nReports, *nCases, *nReferrals, *nReferrals, time.Since(start).Seconds())

	svc := newServices(db)
	served := svc.stats.MaxAge()
	deps := svc.webDeps(slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv, err := web.New(web.Config{}, deps)
	if err != nil {
		return err
	}
	page := func(ttl time.Duration) func() error {
		return func() error {
			svc.stats.SetTTL(ttl)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, "/statistics", nil))
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Latest release: ") {
				return fmt.Errorf("GET /statistics: %d, without the release", rec.Code)
			}
			return nil
		}
	}
	// The counts see what was loaded: every report, and the NRM referrals (four in five).
	svc.stats.SetTTL(0)
	all := tropic.NewPeriod(now.AddDate(-3, 0, -2), now.AddDate(0, 0, 1))
	if n, err := svc.stats.Count(ctx, tropic.FigureReports, all, tropic.StatsFilter{}); err != nil || n != *nReports {
		return fmt.Errorf("bench stats: counted %d reports of %d loaded (%v)", n, *nReports, err)
	}
	if n, err := svc.stats.Count(ctx, tropic.FigureReferrals, all, tropic.StatsFilter{}); err != nil || n != *nReferrals-*nReferrals/5 {
		return fmt.Errorf("bench stats: counted %d NRM referrals of %d loaded (%v)", n, *nReferrals-*nReferrals/5, err)
	}
	ytd := tropic.YearToDate(now.In(svc.stats.Zone()))
	comparison := func() error {
		svc.stats.SetTTL(0)
		for _, p := range []tropic.Period{ytd, ytd.SamePeriodLastYear()} {
			if _, err := svc.stats.Count(ctx, tropic.FigureReports, p, tropic.StatsFilter{}); err != nil {
				return err
			}
		}
		return nil
	}
	// The public pages serve the latest release: publish the one due, as the schedule would.
	t0 := time.Now()
	rel, err := tropic.PublishDueRelease(ctx, svc.stats, svc.releases, tropic.SystemActor("bench"), tropic.ReleaseQuarterly, tropic.DefaultDisclosureThreshold, now)
	if err != nil || rel == nil {
		return fmt.Errorf("bench stats: publish the release: %v", err)
	}
	fmt.Fprintf(e.stdout, "published release %s (%s) in %.0f ms; the public page reads it, uncached\n", rel.Name, rel.Covers, ms(time.Since(t0)))
	fmt.Fprintf(e.stdout, "year to date: %s against %s\n", ytd, ytd.SamePeriodLastYear())
	fmt.Fprintf(e.stdout, "%-14s %5s %9s %9s %9s\n", "target", "runs", "p50_ms", "p95_ms", "max_ms")
	p95 := map[string]float64{}
	for _, target := range []struct {
		name string
		f    func() error
	}{{"dashboard_cold", page(0)}, {"dashboard", page(served)}, {"ytd", comparison}} {
		if err := target.f(); err != nil { // warm the page cache and prepared statements
			return err
		}
		var times []time.Duration
		for i := 0; i < *runs; i++ {
			t0 := time.Now()
			if err := target.f(); err != nil {
				return err
			}
			times = append(times, time.Since(t0))
		}
		slices.Sort(times)
		at := func(q float64) time.Duration { return times[min(len(times)-1, int(q*float64(len(times))))] }
		p95[target.name] = ms(at(0.95))
		fmt.Fprintf(e.stdout, "%-14s %5d %9.2f %9.2f %9.2f\n", target.name, len(times), ms(at(0.5)), ms(at(0.95)), ms(times[len(times)-1]))
	}
	fmt.Fprintf(e.stdout, "dashboard_cold_p95_ms=%.0f dashboard_p95_ms=%.0f ytd_p95_ms=%.0f\n", p95["dashboard_cold"], p95["dashboard"], p95["ytd"])
	return nil
}

// statsLoad fills a fresh database with one set-based INSERT per table, the rows
// spread evenly over the three years before now. Person i is the potential victim of
// case i and of referral i; the people after the referrals' (nPeople may be more) are
// witnesses, spread over the cases in turn.
func statsLoad(ctx context.Context, db *store.DB, now time.Time, nReports, nCases, nPeople, nReferrals int) error {
	end := now.Unix()
	begin := now.AddDate(-3, 0, 0).Unix()
	ts := func(expr string) string { // seconds since 1970 to the TIMESTAMP form the store writes
		if db.Dialect() == store.Postgres {
			return "(to_timestamp(" + expr + ") AT TIME ZONE 'UTC')"
		}
		return "(strftime('%Y-%m-%d %H:%M:%S', " + expr + ", 'unixepoch') || '+00:00')"
	}
	day := func(expr string) string {
		if db.Dialect() == store.Postgres {
			return "to_char(to_timestamp(" + expr + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
		}
		return "date(" + expr + ", 'unixepoch')"
	}
	series := func(n int) string {
		return fmt.Sprintf("WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < %d) ", n)
	}
	at := func(n int) string { return fmt.Sprintf("(%d + (i * %d) / %d)", begin, end-begin, n) }
	const exploit = "CASE i % 6 WHEN 0 THEN 'sexual' WHEN 1 THEN 'labour' WHEN 2 THEN 'criminal' WHEN 3 THEN 'sexual,labour' WHEN 4 THEN 'domestic' ELSE '' END"
	const district = "('district-' || (i * 7 % 10))"
	created := ts(fmt.Sprint(end))
	stmts := []string{
		`INSERT INTO agencies (name, kind, first_responder, duty_to_notify, created_at) VALUES ('Bench police', 'police', true, true, ` + created + `)`,
	}
	for d := 0; d < 10; d++ {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO districts (slug, name, created_at) VALUES ('district-%d', 'District %d', %s)`, d, d, created))
	}
	stmts = append(stmts,
		series(nReports)+`INSERT INTO reports (reference, channel, received_at, description, district, exploitation, urgency, urgency_rank, follow_up_hash, created_by_agency)
			SELECT 'BENCH' || i, 'web', `+ts(at(nReports))+`, '', `+district+`, `+exploit+`, 'routine', 3, '', (SELECT MIN(id) FROM agencies) FROM n`,
		series(nCases)+`INSERT INTO cases (reference, owner_agency_id, title, title_folded, district, exploitation, opened_at, crime_reference, offence, crime_recorded_at, updated_at)
			SELECT 'CBENCH' || i, (SELECT MIN(id) FROM agencies), 'Case', 'case', `+district+`, `+exploit+`, `+ts(at(nCases))+`,
			CASE WHEN i % 3 = 0 THEN 'CR' || i ELSE '' END, CASE WHEN i % 3 = 0 THEN 'msa_s1' ELSE '' END,
			CASE WHEN i % 3 = 0 THEN `+ts(at(nCases))+` END, `+ts(at(nCases))+` FROM n`,
		series(max(nPeople, nReferrals))+`INSERT INTO people (owner_agency_id, gender, nationality, created_at, updated_at)
			SELECT (SELECT MIN(id) FROM agencies), CASE i % 3 WHEN 0 THEN 'female' WHEN 1 THEN 'male' ELSE 'not_recorded' END,
			CASE i % 4 WHEN 0 THEN 'British' WHEN 1 THEN 'Albanian' WHEN 2 THEN 'Vietnamese' ELSE 'Romanian' END, `+created+`, `+created+` FROM n`,
		// Person i is a potential victim on case i (both start at 1 in a fresh database).
		series(nReferrals)+`INSERT INTO case_people (case_id, person_id, role, added_at)
			SELECT i, i, 'potential_victim', `+ts(at(nReferrals))+` FROM n`,
		series(max(nPeople, nReferrals))+`INSERT INTO case_people (case_id, person_id, role, added_at)
			SELECT ((i - 1) % `+fmt.Sprint(nCases)+`) + 1, i, 'witness', `+created+` FROM n WHERE i > `+fmt.Sprint(nReferrals),
		series(nReferrals)+`INSERT INTO referrals (route, case_id, person_id, agency_id, age_group, submitted_on, exploitation, gender, nationality, created_at, updated_at)
			SELECT CASE WHEN i % 5 = 0 THEN 'dtn' ELSE 'nrm' END, CASE WHEN i % 5 = 0 THEN NULL ELSE i END, CASE WHEN i % 5 = 0 THEN NULL ELSE i END,
			(SELECT MIN(id) FROM agencies), CASE WHEN i % 5 <> 0 AND i % 4 = 0 THEN 'child' ELSE 'adult' END, `+day(at(nReferrals))+`, `+exploit+`,
			CASE i % 2 WHEN 0 THEN 'female' ELSE 'male' END, CASE i % 3 WHEN 0 THEN 'British' WHEN 1 THEN 'Albanian' ELSE 'Vietnamese' END, `+created+`, `+created+` FROM n`,
	)
	stmts = append(stmts, "ANALYZE")
	for _, q := range stmts {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			return fmt.Errorf("bench stats load: %w\n%s", err, q)
		}
	}
	return nil
}
