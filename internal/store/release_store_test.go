package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// TestStatsReleasesAreFrozen publishes releases on both databases: a release keeps
// what it published when the data changes later (a back-dated offence shows only in
// the next release, as a revision), cannot be published twice, and cannot be
// changed or deleted by any statement, nor altered unnoticed.
func TestStatsReleasesAreFrozen(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		police := e.agency(t, "Hertfordshire Constabulary")
		london, _ := time.LoadLocation("Europe/London")
		for i := 0; i < 18; i++ {
			addStatsCase(t, e, police.ID, "watford", fmt.Sprintf("41/%d/17", i), time.Date(2017, time.Month(1+i%7), 1+i, 10, 0, 0, 0, london))
		}
		for i := 0; i < 7*8; i++ { // 8 cases a month without a crime
			addStatsCase(t, e, police.ID, "dacorum", "", time.Date(2017, time.Month(1+i%7), 2, 10, 0, 0, 0, london))
		}
		stats := store.NewStatsService(e.db)
		stats.SetTTL(0)
		rs := store.NewReleaseService(e.db)
		system := tropic.SystemActor("test")
		aug := time.Date(2017, 8, 3, 9, 0, 0, 0, london)

		if _, err := rs.LatestRelease(ctx); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("latest release before any: %v, want not found", err)
		}
		first, err := tropic.PublishDueRelease(ctx, stats, rs, system, tropic.ReleaseMonthly, 5, aug)
		if err != nil || first == nil {
			t.Fatalf("publish: %v", err)
		}
		if first.Name != "2017-07" || first.Covers.String() != "1 January 2017 to 31 July 2017" {
			t.Errorf("release %s covers %s, want 2017-07 to 31 July", first.Name, first.Covers)
		}
		if got := first.Headlines[2].Sentence; got != "18 offences recorded so far this year (to 31 July 2017), against none in the same period last year." {
			t.Errorf("headline: %q", got)
		}
		if again, err := tropic.PublishDueRelease(ctx, stats, rs, system, tropic.ReleaseMonthly, 5, aug); err != nil || again != nil {
			t.Errorf("publishing the due release again: %v, %v; want nothing done", again, err)
		}
		if _, err := tropic.PublishRelease(ctx, stats, rs, system, "2017-07", first.Covers, 5, aug, false); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Errorf("publishing 2017-07 by hand again: %v, want conflict", err)
		}
		caseworker := tropic.Actor{UserID: 9, AgencyID: police.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
		if _, err := tropic.PublishDueRelease(ctx, stats, rs, caseworker, tropic.ReleaseMonthly, 5, aug.AddDate(0, 1, 0)); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("a caseworker publishing: %v, want forbidden", err)
		}
		if _, err := rs.PublishRelease(ctx, caseworker, first); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("a caseworker storing a release: %v, want forbidden", err)
		}

		// A back-dated offence and case in March, recorded in August.
		addStatsCase(t, e, police.ID, "watford", "41/99/17", time.Date(2017, 3, 9, 10, 0, 0, 0, london))
		kept, err := rs.FindRelease(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := kept.Table(tropic.FigureOffences, tropic.DimMonth, kept.Covers).Total.Published; got != "18" {
			t.Errorf("the July release now says %s offences, want the 18 it published", got)
		}
		second, err := tropic.PublishDueRelease(ctx, stats, rs, system, tropic.ReleaseMonthly, 5, aug.AddDate(0, 1, 0))
		if err != nil || second == nil {
			t.Fatalf("publish August: %v", err)
		}
		if got := second.Table(tropic.FigureOffences, tropic.DimMonth, second.Covers).Total.Published; got != "19" {
			t.Errorf("the August release says %s offences, want 19", got)
		}
		var revised []string
		for _, r := range second.Revisions {
			revised = append(revised, r.Table+": "+r.Label+" "+r.Was+" to "+r.Now)
		}
		if !strings.Contains(strings.Join(revised, "\n"), "Cases opened by month: March 2017 11 to 12") {
			t.Errorf("revisions: %q, want March's cases revised from 11 to 12", revised)
		}
		latest, err := rs.LatestRelease(ctx)
		if err != nil || latest.ID != second.ID {
			t.Errorf("latest release: %v, %v; want %d", latest, err, second.ID)
		}
		if _, err := tropic.PublishRelease(ctx, stats, rs, system, "2017-Q2", tropic.QuarterPeriod(2017, 2), 5, aug.AddDate(0, 1, 0), false); tropic.ErrorCode(err) != tropic.EINVALID {
			t.Errorf("publishing an earlier period after later ones: %v, want invalid", err)
		}
		if _, err := tropic.PublishRelease(ctx, stats, rs, system, "2017-Q3", tropic.QuarterPeriod(2017, 3), 5, aug.AddDate(0, 1, 0), false); tropic.ErrorCode(err) != tropic.EINVALID {
			t.Errorf("publishing a quarter not over: %v, want invalid", err)
		}

		for _, q := range []string{
			`UPDATE stats_releases SET content = '{}'`,
			`UPDATE stats_releases SET published_at = cut_off`,
			`DELETE FROM stats_releases`,
		} {
			if _, err := e.db.SQL().ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "immutable") {
				t.Errorf("%s: %v, want refused as immutable", q, err)
			}
		}
		if d == store.Postgres {
			if _, err := e.db.SQL().ExecContext(ctx, `TRUNCATE stats_releases`); err == nil || !strings.Contains(err.Error(), "immutable") {
				t.Errorf("TRUNCATE: %v, want refused as immutable", err)
			}
		}
		list, err := rs.FindReleases(ctx)
		if err != nil || len(list) != 2 || list[0].ID != second.ID {
			t.Fatalf("releases: %d, %v", len(list), err)
		}

		// Altered behind the store's back (the trigger dropped first): refused, not served.
		drop := `DROP TRIGGER stats_releases_no_update`
		if d == store.Postgres {
			drop = `DROP TRIGGER stats_releases_no_change ON stats_releases`
		}
		statsExec(t, e, drop)
		statsExec(t, e, `UPDATE stats_releases SET content = REPLACE(content, '"Published":"18"', '"Published":"17"') WHERE id = ?`, first.ID)
		if _, err := rs.FindRelease(ctx, first.ID); err == nil || !strings.Contains(err.Error(), "altered") {
			t.Errorf("reading an altered release: %v, want it refused", err)
		}
	})
}
