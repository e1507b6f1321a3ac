package demo_test

import (
	"context"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/demo"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// TestDemoReleaseTellsTheStoryOfOffences: with a modest history of cases, the
// quarterly releases the demo publishes include, in the year before the demo's,
// the first-quarter release saying "18 offences recorded so far this year (to 31
// March), against 7 in the same period last year", under the disclosure control
// every release gets. Demos started late in a year and early in one alike.
func TestDemoReleaseTellsTheStoryOfOffences(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		for _, now := range []time.Time{time.Date(2026, time.November, 20, 12, 0, 0, 0, time.UTC), time.Date(2027, time.January, 9, 9, 0, 0, 0, time.UTC)} {
			t.Run(string(d)+"/"+now.Format(time.DateOnly), func(t *testing.T) {
				ctx := context.Background()
				clock := storetest.NewClock(now)
				db := storetest.Open(t, d, store.Options{Now: clock.Now})
				users, agencies := store.NewUserService(db), store.NewAgencyService(db)
				hash, err := auth.HashPassword("demo-test", auth.Params{Memory: 64, Time: 1, Threads: 1})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := demo.Seed(ctx, demo.Services{Agencies: agencies, Users: users}, demo.Options{Seed: 1, PasswordHash: hash}); err != nil {
					t.Fatal(err)
				}
				cases := store.NewCaseService(db, phone.Parse)
				got, err := demo.SeedCases(ctx, demo.NewGenerator(1), demo.CaseServices{Cases: cases, Reports: store.NewReportService(db, nil, phone.Parse),
					Agencies: agencies, Users: users, Agreements: cases, SetNow: clock.Set}, now, 120)
				if err != nil {
					t.Fatal(err)
				}
				story := got.Story
				if story == nil || story.Year != now.Year()-1 || got.StoryOffences != 31 {
					t.Fatalf("story %+v, %d offences recorded for it; want the year before %d, 31", story, got.StoryOffences, now.Year())
				}
				stats := store.NewStatsService(db)
				for _, c := range []struct{ year, q, want int }{{story.Year - 1, 1, 7}, {story.Year - 1, 2, 6}, {story.Year, 1, 18}} {
					if n, err := stats.Count(ctx, tropic.FigureOffences, tropic.QuarterPeriod(c.year, c.q), tropic.StatsFilter{}); err != nil || n != c.want {
						t.Errorf("offences in %s: %d, %v; want %d", tropic.QuarterName(c.year, c.q), n, err, c.want)
					}
				}
				releases, err := demo.PublishReleases(ctx, stats, store.NewReleaseService(db), clock.Set, tropic.DefaultDisclosureThreshold, now)
				if err != nil {
					t.Fatal(err)
				}
				r, said := story.Told(releases)
				want := "18 offences recorded so far this year (to 31 March " + story.Release[:4] + "), against 7 in the same period last year."
				if r == nil || r.Name != tropic.QuarterName(now.Year()-1, 1) || said != want || story.Sentence() != want {
					t.Errorf("release %v says %q (story %q); want %q", r != nil, said, story.Sentence(), want)
				}
			})
		}
	}
}
