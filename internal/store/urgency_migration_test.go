package store_test

import (
	"context"
	"testing"

	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// TestMigrationRaisesReportsWhoseReporterWasNotSure: migration 0210 gives the reports
// stored before it the urgency and reason tropic.Report.AssessUrgency gives now, so no
// "not sure" is left described as "no sign"; urgencies triage set by hand are kept.
func TestMigrationRaisesReportsWhoseReporterWasNotSure(t *testing.T) {
	ctx := context.Background()
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db, err := store.Open(ctx, storetest.NewDatabase(t, d), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := store.MigrateTo(ctx, db, 130); err != nil {
			t.Fatal(err)
		}
		const oldRoutine = "routine: no sign of immediate danger or of children at risk"
		rows := []struct {
			ref, inDanger, children, relationship, urgency, reason string
			overridden                                             bool
			want                                                   tropic.Report // the answers, for AssessUrgency
			wantUrgency                                            tropic.Urgency
		}{
			{"R1", "not_sure", "no", "public", "routine", oldRoutine, false,
				tropic.Report{InDanger: tropic.AnswerNotSure, People: tropic.People{ChildrenInvolved: tropic.AnswerNo}}, tropic.UrgencyUrgent},
			{"R2", "", "not_sure", "self", "routine", oldRoutine, false,
				tropic.Report{People: tropic.People{ChildrenInvolved: tropic.AnswerNotSure}, Reporter: tropic.Reporter{Relationship: tropic.RelationshipSelf}}, tropic.UrgencyUrgent},
			{"R3", "not_sure", "not_sure", "self", "routine", oldRoutine, false,
				tropic.Report{InDanger: tropic.AnswerNotSure, People: tropic.People{ChildrenInvolved: tropic.AnswerNotSure}, Reporter: tropic.Reporter{Relationship: tropic.RelationshipSelf}}, tropic.UrgencyUrgent},
			{"R4", "no", "no", "public", "routine", oldRoutine, false,
				tropic.Report{InDanger: tropic.AnswerNo, People: tropic.People{ChildrenInvolved: tropic.AnswerNo}}, tropic.UrgencyRoutine},
		}
		for _, r := range rows {
			if _, err := db.SQL().Exec(`INSERT INTO reports (reference, channel, received_at, description, in_danger, children_involved, reporter_relationship,
				urgency, urgency_rank, urgency_reason, follow_up_hash) VALUES ('` + r.ref + `', 'web', '2026-01-05 10:00:00', 'x', '` + r.inDanger + `', '` +
				r.children + `', '` + r.relationship + `', '` + r.urgency + `', 2, '` + r.reason + `', 'h` + r.ref + `')`); err != nil {
				t.Fatal(err)
			}
		}
		// Triage made this one routine by hand, with a reason: it stays.
		if _, err := db.SQL().Exec(`INSERT INTO reports (reference, channel, received_at, description, in_danger, urgency, urgency_rank, urgency_reason,
			urgency_override, follow_up_hash) VALUES ('R5', 'web', '2026-01-05 10:00:00', 'x', 'not_sure', 'routine', 2, 'Checked with the caller', TRUE, 'hR5')`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			var urgency, reason string
			var rank int
			if err := db.SQL().QueryRow(`SELECT urgency, urgency_rank, urgency_reason FROM reports WHERE reference = '`+r.ref+`'`).Scan(&urgency, &rank, &reason); err != nil {
				t.Fatal(err)
			}
			wantU, wantReason := r.want.AssessUrgency()
			if wantU != r.wantUrgency {
				t.Fatalf("%s: the test's answers give %s, want %s", r.ref, wantU, r.wantUrgency)
			}
			if urgency != string(wantU) || rank != wantU.Rank() || reason != wantReason {
				t.Errorf("%s: got %s (rank %d) %q, want %s (rank %d) %q", r.ref, urgency, rank, reason, wantU, wantU.Rank(), wantReason)
			}
		}
		var urgency, reason string
		if err := db.SQL().QueryRow(`SELECT urgency, urgency_reason FROM reports WHERE reference = 'R5'`).Scan(&urgency, &reason); err != nil {
			t.Fatal(err)
		}
		if urgency != "routine" || reason != "Checked with the caller" {
			t.Errorf("an urgency set by hand: got %s %q, want it kept", urgency, reason)
		}
	})
}
