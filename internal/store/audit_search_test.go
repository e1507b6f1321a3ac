package store_test

import (
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestADataProtectionOfficerSearchesTheAuditTrailAndTheExportIsAudited(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		dpo := tropic.ActorFor(e.user(t, e.council.ID, "dee.pio@council.example", tropic.RoleDPO))
		audit := store.NewAuditService(e.db)
		c := e.newCase(t, e.pWorker, "Car wash")
		other := e.newCase(t, e.pWorker, "Nail bar")
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWhole, "")
		e.clock.Advance(48 * time.Hour)
		if _, err := e.cases.FindCase(ctx, e.cWorker, c.Reference); err != nil {
			t.Fatal(err)
		}
		if _, err := e.cases.FindCase(ctx, e.pWorker, other.Reference); err != nil {
			t.Fatal(err)
		}

		for _, who := range []tropic.Actor{e.pSuper, e.cWorker, admin} {
			if _, _, err := audit.SearchAudit(ctx, who, tropic.AuditQuery{}); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
				t.Errorf("%+v searched the audit trail: %v, want forbidden", who, err)
			}
			if _, err := audit.ExportAudit(ctx, who, tropic.AuditQuery{}); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
				t.Errorf("%+v exported the audit trail: %v, want forbidden", who, err)
			}
		}
		later := e.clock.Now().Format(time.DateOnly)
		tests := []struct {
			name string
			q    tropic.AuditQuery
			want []string // actions, newest first
		}{
			{"views of one case by anyone", tropic.AuditQuery{CaseReference: c.Reference, Action: tropic.AuditCaseViewed}, []string{tropic.AuditCaseViewed}},
			{"what one case went through", tropic.AuditQuery{CaseReference: c.Reference}, []string{tropic.AuditCaseViewed, tropic.AuditShareGranted, tropic.AuditCaseCreated}},
			{"one agency's users", tropic.AuditQuery{AgencyID: e.council.ID, Action: "case."}, []string{tropic.AuditCaseViewed}},
			{"one user", tropic.AuditQuery{UserID: e.cWorker.UserID}, []string{tropic.AuditCaseViewed}},
			{"an action's family on a day", tropic.AuditQuery{Action: "case.", From: later, To: later}, []string{tropic.AuditCaseViewed, tropic.AuditCaseViewed}},
			{"a case nobody knows", tropic.AuditQuery{CaseReference: "C-NONE"}, nil},
		}
		for _, tt := range tests {
			got, total, err := audit.SearchAudit(ctx, dpo, tt.q)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var actions []string
			for _, ev := range got {
				actions = append(actions, ev.Action)
			}
			if total != len(tt.want) || len(actions) != len(tt.want) {
				t.Errorf("%s: %d events %v, want %v", tt.name, total, actions, tt.want)
				continue
			}
			for i := range actions {
				if actions[i] != tt.want[i] {
					t.Errorf("%s: %v, want %v", tt.name, actions, tt.want)
					break
				}
			}
		}
		wantField(t, func() error {
			_, _, err := audit.SearchAudit(ctx, dpo, tropic.AuditQuery{From: "2026-03-20", To: "2026-03-01"})
			return err
		}(), "to")
		wantField(t, func() error {
			_, _, err := audit.SearchAudit(ctx, dpo, tropic.AuditQuery{From: "yesterday"})
			return err
		}(), "from")

		// Grouped by user and day: views, records viewed and changes.
		if _, err := audit.SummariseAccess(ctx, e.pSuper, tropic.AuditQuery{}); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("a supervisor summarised the trail: %v", err)
		}
		if _, err := e.cases.FindCase(ctx, e.cWorker, c.Reference); err != nil { // a second view of the same case
			t.Fatal(err)
		}
		days, err := audit.SummariseAccess(ctx, dpo, tropic.AuditQuery{Action: "case."})
		if err != nil {
			t.Fatal(err)
		}
		var council, police *tropic.AccessDay
		for i, d := range days {
			switch d.UserID {
			case e.cWorker.UserID:
				council = &days[i]
			case e.pWorker.UserID:
				if d.Day == t0.Format(time.DateOnly) {
					police = &days[i]
				}
			}
		}
		if council == nil || council.Views != 2 || council.Records != 1 || council.Changes != 0 || council.Day != later || council.User == "" {
			t.Errorf("the council caseworker's day: %+v, want 2 views of 1 record on %s", council, later)
		}
		if police == nil || police.Changes != 2 || police.Views != 0 {
			t.Errorf("the police caseworker's first day: %+v, want the 2 cases created", police)
		}
		if len(days) > 0 && days[0].Day != later {
			t.Errorf("first day %s, want the newest, %s", days[0].Day, later)
		}

		out, err := audit.ExportAudit(ctx, dpo, tropic.AuditQuery{CaseReference: c.Reference})
		if err != nil || len(out) != 4 || out[0].Action != tropic.AuditCaseCreated {
			t.Fatalf("export: %d events (%v), want the case's four, oldest first", len(out), err)
		}
		last := e.lastEvent(t)
		if last.Action != tropic.AuditExported || last.UserID != dpo.UserID || last.Detail != "case="+c.Reference+": 4 events" {
			t.Fatalf("the export's own event: %+v", last)
		}
		if v, err := audit.VerifyAudit(ctx); err != nil || v.Problem != nil {
			t.Fatalf("verify: %+v %v", v, err)
		}
	})
}
