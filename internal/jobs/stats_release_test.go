package jobs

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"tropic/internal/tropic"
)

type fakePublisher struct {
	at  []time.Time
	err error
}

func (f *fakePublisher) PublishDueRelease(_ context.Context, now time.Time) (*tropic.Release, error) {
	f.at = append(f.at, now)
	return nil, f.err
}

// TestStatsReleaseWorker: the worker publishes on the configured clock; another
// process having published first is done, any other failure is retried.
func TestStatsReleaseWorker(t *testing.T) {
	at := time.Date(2026, 10, 1, 0, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		err     error
		wantErr bool
	}{
		{"published or nothing due", nil, false},
		{"published first by another process", tropic.Errorf(tropic.ECONFLICT, "Release 2026-Q3 is published already."), false},
		{"the database failed", errors.New("database is locked"), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := &fakePublisher{err: c.err}
			w := &statsReleaseWorker{publisher: p, now: func() time.Time { return at }, log: slog.New(slog.DiscardHandler)}
			err := w.Work(context.Background(), &river.Job[StatsReleaseJob]{})
			if (err != nil) != c.wantErr {
				t.Errorf("Work: %v, want error %v", err, c.wantErr)
			}
			if len(p.at) != 1 || !p.at[0].Equal(at) {
				t.Errorf("published at %v, want once at %v", p.at, at)
			}
		})
	}
}
