package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"tropic/internal/tropic"
)

// ReportMatcher matches the reports not matched yet against the cases, a batch at a
// time. store.MatchService is one.
type ReportMatcher interface {
	MatchNewReports(ctx context.Context, limit int) (int, error)
}

// DefaultMatchInterval is how often new reports are matched against the cases.
const DefaultMatchInterval = 2 * time.Second

// matchBatch is how many reports one transaction matches.
const matchBatch = 5000

// reportMatchWorker matches new reports against the cases, so that the triage
// queue can say "matches case X" (as far as each reader may see) without matching
// on every page view. It runs every few seconds rather than once a report, so
// that a report costs the public form neither the matching nor a job of its own.
type reportMatchWorker struct {
	river.WorkerDefaults[tropic.ReportMatchJob]
	matcher ReportMatcher
	log     *slog.Logger
}

func (w *reportMatchWorker) Timeout(*river.Job[tropic.ReportMatchJob]) time.Duration {
	return time.Minute
}

func (w *reportMatchWorker) Work(ctx context.Context, job *river.Job[tropic.ReportMatchJob]) error {
	total := 0
	for {
		n, err := w.matcher.MatchNewReports(ctx, matchBatch)
		total += n
		if err != nil {
			return fmt.Errorf("match new reports: %w", err)
		}
		if n < matchBatch {
			break
		}
	}
	if total > 0 {
		w.log.Debug("matched new reports against the cases", "reports", total)
	}
	return nil
}

// addReportMatching registers the matching worker and its schedule.
func addReportMatching(workers *river.Workers, cfg Config, log *slog.Logger) (*river.PeriodicJob, error) {
	if err := river.AddWorkerSafely(workers, &reportMatchWorker{matcher: cfg.Matcher, log: log}); err != nil {
		return nil, err
	}
	every := cfg.MatchInterval
	if every <= 0 {
		every = DefaultMatchInterval
	}
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return tropic.ReportMatchJob{}, nil },
		&river.PeriodicJobOpts{ID: "report_match", RunOnStart: true}), nil
}
