package main

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// demoRetention gives the demo the retention history a partnership using Tropic since
// its first report would have: the daily check queues every record whose period is
// over, and each agency's demo supervisor disposes of those that fell due more than a
// month ago (through the same decision as the retention page). What fell due in the
// last month waits in the supervisors' queues.
type demoRetentionStats struct {
	Queued, Disposed, Waiting int
	Took                      time.Duration // the disposals, one transaction each
}

func demoRetention(ctx context.Context, svc *services, now time.Time) (demoRetentionStats, error) {
	var st demoRetentionStats
	n, err := svc.retention.QueueDueReviews(ctx, tropic.SystemActor("retention schedule"), now)
	if err != nil {
		return st, err
	}
	st.Queued = n
	users, err := svc.users.FindUsers(ctx, tropic.UserFilter{})
	if err != nil {
		return st, err
	}
	cut := now.AddDate(0, -1, 0)
	start := time.Now()
	waiting := map[int64]bool{} // an agency may have several supervisors: count each review once
	for _, u := range users {
		if !u.Has(tropic.RoleSupervisor) {
			continue
		}
		actor := tropic.ActorFor(u)
		queue, _, err := svc.retention.FindRetentionReviews(ctx, actor)
		if err != nil {
			return st, err
		}
		for _, r := range queue {
			if !r.DueOn.Before(cut) {
				waiting[r.ID] = true
				continue
			}
			if err := svc.retention.DecideRetention(ctx, actor, r.ID, tropic.RetentionDecision{Dispose: true}); err != nil {
				return st, fmt.Errorf("demo retention: %w", err)
			}
			st.Disposed++
		}
	}
	st.Took, st.Waiting = time.Since(start), len(waiting)
	return st, nil
}
