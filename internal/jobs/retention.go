package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"tropic/internal/tropic"
)

// Retention queues the records at the end of their retention period for their owning
// agency's review; store.RetentionService is one.
type Retention interface {
	QueueDueReviews(ctx context.Context, actor tropic.Actor, now time.Time) (int, error)
}

// retentionHour is when the daily retention run starts (UTC), before the working day.
const retentionHour = 2

// retentionWorker queues due records once a day (and at start). The store queues each
// record at most once, so a second process or a rerun queues nothing twice; disposal
// is always a supervisor's decision, never the job's.
type retentionWorker struct {
	river.WorkerDefaults[tropic.RetentionJob]
	retention Retention
	now       func() time.Time
	log       *slog.Logger
}

func (w *retentionWorker) Timeout(*river.Job[tropic.RetentionJob]) time.Duration {
	return 10 * time.Minute
}

func (w *retentionWorker) Work(ctx context.Context, job *river.Job[tropic.RetentionJob]) error {
	n, err := w.retention.QueueDueReviews(ctx, tropic.SystemActor("retention schedule"), w.now())
	if err != nil {
		return fmt.Errorf("queue retention reviews: %w", err)
	}
	if n > 0 {
		w.log.Info("records queued for retention review", "records", n)
	}
	return nil
}

// addRetention registers the retention worker and its daily schedule.
func addRetention(workers *river.Workers, cfg Config, log *slog.Logger) ([]*river.PeriodicJob, error) {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if err := river.AddWorkerSafely(workers, &retentionWorker{retention: cfg.Retention, now: now, log: log}); err != nil {
		return nil, err
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(dailyAt(retentionHour),
		func() (river.JobArgs, *river.InsertOpts) { return tropic.RetentionJob{}, nil },
		&river.PeriodicJobOpts{ID: "retention_review", RunOnStart: true})}, nil
}
