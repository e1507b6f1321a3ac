package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"tropic/internal/tropic"
)

// StatsPublisher publishes the statistics release due at a moment, if it is not
// published yet (then it returns nil, nil).
type StatsPublisher interface {
	PublishDueRelease(ctx context.Context, now time.Time) (*tropic.Release, error)
}

// StatsReleaseJob publishes the statistics release of the period that closed last.
type StatsReleaseJob struct{}

// Kind names the job.
func (StatsReleaseJob) Kind() string { return "stats_release" }

// DefaultStatsReleaseInterval is how often the schedule is checked: a release is
// published within this long after its month or quarter ends.
const DefaultStatsReleaseInterval = time.Hour

type statsReleaseWorker struct {
	river.WorkerDefaults[StatsReleaseJob]
	publisher StatsPublisher
	now       func() time.Time
	log       *slog.Logger
}

func (w *statsReleaseWorker) Timeout(*river.Job[StatsReleaseJob]) time.Duration {
	return 10 * time.Minute
}

func (w *statsReleaseWorker) Work(ctx context.Context, job *river.Job[StatsReleaseJob]) error {
	r, err := w.publisher.PublishDueRelease(ctx, w.now())
	if tropic.ErrorCode(err) == tropic.ECONFLICT {
		return nil // another process published it first
	}
	if err != nil {
		return fmt.Errorf("publish statistics release: %w", err)
	}
	if r != nil {
		w.log.Info("published statistics release", "release", r.Name, "covers", r.Covers.String())
	}
	return nil
}

// addStatsReleases registers the release worker and its schedule.
func addStatsReleases(workers *river.Workers, cfg Config, log *slog.Logger) (*river.PeriodicJob, error) {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if err := river.AddWorkerSafely(workers, &statsReleaseWorker{publisher: cfg.StatsReleases, now: now, log: log}); err != nil {
		return nil, err
	}
	return river.NewPeriodicJob(river.PeriodicInterval(DefaultStatsReleaseInterval),
		func() (river.JobArgs, *river.InsertOpts) { return StatsReleaseJob{}, nil },
		&river.PeriodicJobOpts{ID: "stats_release", RunOnStart: true}), nil
}
