package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The seed's story (issue 14): in a past year, the first statistics release says
// "18 offences recorded so far this year, against 7 in the same period last year".
//
// The demo's police cases otherwise record a crime at random, a few a quarter, so
// the story's quarters are written on purpose: in them only the story's own police
// cases record a crime, as many as the story needs. The disclosure control is not
// told about the story; the quarters are chosen so that it can publish the
// sentence. Last year's second quarter matters too: the release of last year's
// half year published its total exactly, so a "7 in the same period last year"
// published now would give away how many offences that second quarter had (then),
// and the release would have to withhold the sentence were it 1 to 4.

// OffenceStory is the seed's story as the demo tells it.
type OffenceStory struct {
	Year     int    // the past year
	Release  string // the release that tells it: "2025-Q1"
	ThisYear int    // offences recorded in its first quarter
	LastYear int    // and in the first quarter of the year before
}

// Story is the demo's story for a demo started at now: the year before now's.
func Story(now time.Time) OffenceStory {
	y := now.Year() - 1
	return OffenceStory{Year: y, Release: tropic.QuarterName(y, 1), ThisYear: 18, LastYear: 7}
}

// Sentence is what the release says, as its page and API put it: "18 offences
// recorded so far this year (to 31 March 2025), against 7 in the same period last
// year."
func (s OffenceStory) Sentence() string {
	h := tropic.Headline(tropic.FigureOffences, s.ThisYear, s.LastYear, tropic.DefaultDisclosureThreshold)
	to := tropic.QuarterPeriod(s.Year, 1).To.Format("2 January 2006")
	return strings.Replace(h, "so far this year", "so far this year (to "+to+")", 1) + "."
}

// storyQuarter is a quarter whose offences the story fixes.
type storyQuarter struct {
	year, q, offences int
}

// quarters are the story's quarters: last year's first (7) and second (6, not a
// small count), and the year's first (18).
func (s OffenceStory) quarters() []storyQuarter {
	return []storyQuarter{{s.Year - 1, 1, s.LastYear}, {s.Year - 1, 2, 6}, {s.Year, 1, s.ThisYear}}
}

// storyCases is how many cases the story needs (one offence each).
func (s OffenceStory) storyCases() int {
	n := 0
	for _, q := range s.quarters() {
		n += q.offences
	}
	return n
}

// inStory reports whether t falls in one of the story's quarters (in UTC, a day's
// margin either side, so that the quarters' boundaries in UK time are covered).
func (s OffenceStory) inStory(t time.Time) bool {
	for _, q := range s.quarters() {
		p := tropic.QuarterPeriod(q.year, q.q)
		if !t.Before(p.From.AddDate(0, 0, -1)) && t.Before(p.To.AddDate(0, 0, 2)) {
			return true
		}
	}
	return false
}

// PublishReleases publishes the demo's quarterly releases from the start of the
// year before last, each on the first working morning after its quarter, as the
// schedule would have (setNow moves the store's clock to each moment): the public
// pages then show a real history of releases.
func PublishReleases(ctx context.Context, st tropic.StatsService, rs tropic.ReleaseStore, setNow func(time.Time), threshold int, now time.Time) ([]*tropic.Release, error) {
	defer setNow(time.Time{})
	y, q := tropic.QuarterOf(time.Date(now.Year()-2, time.January, 1, 0, 0, 0, 0, time.UTC))
	var out []*tropic.Release
	for {
		p := tropic.QuarterPeriod(y, q)
		due := p.To.AddDate(0, 0, 1).Add(7 * time.Hour)
		if !due.Before(now) {
			return out, nil
		}
		setNow(due)
		r, err := tropic.PublishDueRelease(ctx, st, rs, tropic.SystemActor("statistics release schedule"), tropic.ReleaseQuarterly, threshold, due)
		if err != nil {
			return out, fmt.Errorf("demo release %s: %w", tropic.QuarterName(y, q), err)
		}
		out = append(out, r)
		if q++; q == 5 {
			y, q = y+1, 1
		}
	}
}

// Told is what the release named by the story says of offences, and the release;
// nil when none of releases is it.
func (s OffenceStory) Told(releases []*tropic.Release) (*tropic.Release, string) {
	for _, r := range releases {
		if r == nil || r.Name != s.Release {
			continue
		}
		for _, h := range r.Headlines {
			if h.Figure == tropic.FigureOffences {
				return r, h.Sentence
			}
		}
	}
	return nil, ""
}
