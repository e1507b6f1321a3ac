package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"tropic/internal/jobs"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// fakeRetention records the runs of the retention job.
type fakeRetention struct {
	mu   sync.Mutex
	runs []time.Time
	by   []tropic.Actor
}

func (f *fakeRetention) QueueDueReviews(_ context.Context, actor tropic.Actor, now time.Time) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs, f.by = append(f.runs, now), append(f.by, actor)
	return 0, nil
}

// The retention job runs at start (and daily), as the system, on the queue's clock.
func TestRetentionReviewsAreQueuedAtStartAsTheSystemOnTheQueuesClock(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fake := &fakeRetention{}
			later := time.Date(2033, 5, 1, 2, 0, 0, 0, time.UTC)
			setup(t, d, nil, func(cfg *jobs.Config) {
				cfg.Retention = fake
				cfg.Now = func() time.Time { return later }
			})
			for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				fake.mu.Lock()
				n := len(fake.runs)
				fake.mu.Unlock()
				if n > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("no retention run within 20s of the start")
				}
			}
			fake.mu.Lock()
			defer fake.mu.Unlock()
			if !fake.runs[0].Equal(later) || !fake.by[0].IsSystem() {
				t.Fatalf("ran at %v as %+v, want the queue's clock and the system", fake.runs[0], fake.by[0])
			}
		})
	}
}

var _ jobs.Retention = (*store.RetentionService)(nil)
