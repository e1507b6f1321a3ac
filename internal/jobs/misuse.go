package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"tropic/internal/tropic"
)

// Misuse raises misuse alerts from the access log; store.MisuseService is one.
type Misuse interface {
	DetectMisuse(ctx context.Context, actor tropic.Actor, from, to time.Time) (int, error)
}

// misuseWindow is how far back each run reads the access log: two days, so that a day's
// views are read again once the day is complete. Alerts are raised once each.
const misuseWindow = 48 * time.Hour

// misuseWorker raises misuse alerts every hour (and at start).
type misuseWorker struct {
	river.WorkerDefaults[tropic.MisuseJob]
	misuse Misuse
	now    func() time.Time
	log    *slog.Logger
}

func (w *misuseWorker) Timeout(*river.Job[tropic.MisuseJob]) time.Duration { return 10 * time.Minute }

func (w *misuseWorker) Work(ctx context.Context, job *river.Job[tropic.MisuseJob]) error {
	now := w.now()
	n, err := w.misuse.DetectMisuse(ctx, tropic.SystemActor("misuse alerts"), now.Add(-misuseWindow), now)
	if err != nil {
		return fmt.Errorf("raise misuse alerts: %w", err)
	}
	if n > 0 {
		w.log.Info("misuse alerts raised for the data protection officers", "alerts", n)
	}
	return nil
}

// addMisuse registers the misuse worker and its hourly schedule.
func addMisuse(workers *river.Workers, cfg Config, log *slog.Logger) (*river.PeriodicJob, error) {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if err := river.AddWorkerSafely(workers, &misuseWorker{misuse: cfg.Misuse, now: now, log: log}); err != nil {
		return nil, err
	}
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return tropic.MisuseJob{}, nil },
		&river.PeriodicJobOpts{ID: "misuse_alerts", RunOnStart: true}), nil
}
