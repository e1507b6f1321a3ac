package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tropic/internal/jobs"
	"tropic/internal/tropic"
)

// Statistics releases: the schedule that publishes them (a River job under serve)
// and the command that publishes one by hand.

const releaseScheduleEnv = "TROPIC_RELEASE_SCHEDULE"

// releasePublisher publishes the release due on the schedule (jobs.StatsPublisher).
type releasePublisher struct {
	svc   *services
	sched tropic.ReleaseSchedule
}

func (p releasePublisher) PublishDueRelease(ctx context.Context, now time.Time) (*tropic.Release, error) {
	threshold, err := p.svc.disclosureThreshold(ctx)
	if err != nil {
		return nil, err
	}
	return tropic.PublishDueRelease(ctx, p.svc.stats, p.svc.releases, tropic.SystemActor("statistics release schedule"),
		p.sched, threshold, now)
}

// statsPublisher is the scheduled publisher, or nil when releases are not scheduled.
func (s *services) statsPublisher() jobs.StatsPublisher {
	if s.releaseSchedule == "" {
		return nil
	}
	return releasePublisher{svc: s, sched: s.releaseSchedule}
}

// parseReleaseSchedule reads --release-schedule ("" or "off": none).
func parseReleaseSchedule(v string) (tropic.ReleaseSchedule, error) {
	if v = strings.TrimSpace(v); v == "" || v == "off" {
		return "", nil
	}
	s, err := tropic.ParseReleaseSchedule(v)
	if err != nil {
		return "", usageError("--release-schedule (" + releaseScheduleEnv + "): " + tropic.ErrorMessage(err))
	}
	return s, nil
}

func runStats(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "stats", args, map[string]command{
		"release": {"publish the statistics release of a closed month or quarter", runStatsRelease},
		"audit":   {"attack every published release and report any protected count it narrows", runStatsAudit},
	})
}

func runStatsRelease(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats release", "[--period 2026-Q3|2026-10] [--schedule monthly|quarterly]",
		"Publish a statistics release: the year to the end of a closed month or quarter, frozen.\n"+
			"Without --period, the latest period the schedule has closed. A release is never changed:\n"+
			"publishing one that exists is refused, and releases go forward in time.")
	period := fs.String("period", "", "the month (2026-10) or quarter (2026-Q3) the release closes")
	sched := fs.String("schedule", envOr(e, releaseScheduleEnv, string(tropic.ReleaseQuarterly)), "without --period: monthly or quarterly ("+releaseScheduleEnv+")")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	return withServices(ctx, e, func(svc *services) error {
		return publishByHand(ctx, e, svc, *period, *sched, time.Now())
	})
}

// publishByHand publishes the release closing period, or the schedule's latest.
func publishByHand(ctx context.Context, e *env, svc *services, period, sched string, now time.Time) error {
	var name string
	var closed tropic.Period
	var err error
	if period != "" {
		if name, closed, err = tropic.ParseReleasePeriod(period); err != nil {
			return usageError("--period: " + tropic.ErrorMessage(err))
		}
	} else {
		s, err := tropic.ParseReleaseSchedule(sched)
		if err != nil {
			return usageError("--schedule: " + tropic.ErrorMessage(err))
		}
		name, closed = s.ClosedPeriod(now.In(svc.stats.Zone()))
	}
	threshold, err := svc.disclosureThreshold(ctx)
	if err != nil {
		return err
	}
	r, err := tropic.PublishRelease(ctx, svc.stats, svc.releases, cli, name, closed, threshold, now, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "published statistics release %s (id %d): %s; %d revisions\n", r.Name, r.ID, r.Covers, len(r.Revisions))
	return nil
}
