package web

import (
	"context"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// The authorisation matrix's rows for the retention review queue.

// dueForRetention closes a new case of A's and queues it for review as if its
// retention period were over, so that each user's call decides a review of its own.
func (f *matrixFixture) dueForRetention() {
	f.t.Helper()
	ctx := context.Background()
	c := &tropic.Case{Title: "Closed long ago", District: "st-albans"}
	f.must(f.cases.CreateCase(ctx, f.aWorker, c, ""))
	got, err := f.cases.FindCase(ctx, f.aSup, c.Reference)
	f.must(err)
	_, err = f.cases.CloseCase(ctx, f.aSup, c.Reference, tropic.CaseClosure{Outcome: "safeguarded", Version: got.Version, Confirmed: true})
	f.must(err)
	ret := f.ts.srv.deps.Retention.(*store.RetentionService)
	_, err = ret.QueueDueReviews(ctx, tropic.SystemActor("retention"), time.Now().AddDate(20, 0, 0))
	f.must(err)
	waiting, _, err := ret.FindRetentionReviews(ctx, f.aSup)
	f.must(err)
	f.retentionID = waiting[len(waiting)-1].ID
}

// mayReviewRetentionOfA: only A's supervisors decide A's reviews; another agency's
// supervisor finds no such review; anyone else has no queue.
func mayReviewRetentionOfA(u *matrixUser) expect {
	switch {
	case u.role != tropic.RoleSupervisor:
		return refused
	case u.agency != "A":
		return hidden
	}
	return allowed
}

func retentionPageRows() []matrixRow {
	return []matrixRow{
		{name: "GET /retention", rule: mayListSupervisor, path: fixed("/retention")},
		{name: "POST /retention/{id}", rule: mayReviewRetentionOfA,
			before: func(f *matrixFixture, _ *matrixUser) { f.dueForRetention() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/retention/%d", f.retentionID, missing)
			}, body: formBody("decision", "dispose")},
	}
}
