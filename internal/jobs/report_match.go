package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"tropic/internal/tropic"
)

// ReportMatcher stores the cases a report shares an identifier with.
// store.MatchService is one.
type ReportMatcher interface {
	RefreshReportMatches(ctx context.Context, reportID int64) error
}

// reportMatchWorker matches a new report against the cases, so that the triage
// queue can say "matches case X" (as far as each reader may see) without
// matching on every page view, and without slowing the public form down.
type reportMatchWorker struct {
	river.WorkerDefaults[tropic.ReportMatchJob]
	matcher ReportMatcher
	log     *slog.Logger
}

func (w *reportMatchWorker) Timeout(*river.Job[tropic.ReportMatchJob]) time.Duration {
	return time.Minute
}

func (w *reportMatchWorker) Work(ctx context.Context, job *river.Job[tropic.ReportMatchJob]) error {
	if w.matcher == nil {
		return nil
	}
	err := w.matcher.RefreshReportMatches(ctx, job.Args.ReportID)
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		w.log.Warn("report matching: report not found", "report_id", job.Args.ReportID)
		return river.JobCancel(fmt.Errorf("report %d not found", job.Args.ReportID))
	}
	if err != nil {
		return fmt.Errorf("match report %d: %w", job.Args.ReportID, err)
	}
	return nil
}
