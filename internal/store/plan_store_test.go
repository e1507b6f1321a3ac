package store_test

import (
	"time"

	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestThePlanKeepsEveryRAGChangeWithWhoWhenAndWhy(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		plan := store.NewPlanService(e.db)
		id, err := plan.CreateObjective(ctx, e.cAnalyst, tropic.ObjectiveInput{Title: "More referrals from charities", Figure: tropic.FigureReferrals,
			RAG: tropic.RAGAmber, Reason: "Baseline"})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(24 * time.Hour)
		if err := plan.SetRAG(ctx, e.cAnalyst, id, tropic.RAGRed, "Referrals fell this quarter"); err != nil {
			t.Fatal(err)
		}
		// Only coordinators change the plan; a bad status or no reason names the field.
		wantCode(t, plan.SetRAG(ctx, e.cWorker, id, tropic.RAGGreen, "I think so"), tropic.EFORBIDDEN)
		wantField(t, plan.SetRAG(ctx, e.cAnalyst, id, "purple", "x"), "rag")
		wantField(t, plan.SetRAG(ctx, e.cAnalyst, id, tropic.RAGGreen, "  "), "reason")
		wantCode(t, plan.SetRAG(ctx, e.cAnalyst, id+100, tropic.RAGGreen, "x"), tropic.ENOTFOUND)
		_, err = plan.CreateObjective(ctx, e.cAnalyst, tropic.ObjectiveInput{Title: "x", Figure: "made-up", RAG: tropic.RAGGreen, Reason: "x"})
		wantField(t, err, "figure")

		objs, err := plan.FindPlan(ctx, e.pWorker)
		if err != nil || len(objs) != 1 {
			t.Fatalf("plan: %v, %v", objs, err)
		}
		o := objs[0]
		if o.RAG != tropic.RAGRed || len(o.History) != 2 || o.History[0].Reason != "Referrals fell this quarter" || o.History[1].RAG != tropic.RAGAmber ||
			o.History[0].By != "Ana Lyst (Hertfordshire County Council)" || !o.History[0].At.After(o.History[1].At) {
			t.Fatalf("history: %+v", o.History)
		}
	})
}

func TestPlanActionsGoToOwnersAtAnyAgency(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		plan := store.NewPlanService(e.db)
		meetings := store.NewMeetingService(e.db)
		id, err := plan.CreateObjective(ctx, e.cAnalyst, tropic.ObjectiveInput{Title: "Train district staff", RAG: tropic.RAGGreen, Reason: "On track"})
		if err != nil {
			t.Fatal(err)
		}
		a := &tropic.PlanAction{Action: tropic.Action{Text: "Run two sessions", OwnerUserID: e.pWorker.UserID, Due: "2026-02-01"}}
		wantCode(t, plan.AddPlanAction(ctx, e.pWorker, id, a), tropic.EFORBIDDEN)
		if err := plan.AddPlanAction(ctx, e.cAnalyst, id, a); err != nil {
			t.Fatal(err)
		}
		wantField(t, plan.AddPlanAction(ctx, e.cAnalyst, id, &tropic.PlanAction{Action: tropic.Action{Text: "x", OwnerUserID: 999999, Due: "2026-02-01"}}), "owner")
		_, mine, err := meetings.FindMyActions(ctx, e.pWorker)
		if err != nil || len(mine) != 1 || !mine[0].Overdue("2026-03-14") || mine[0].ObjectiveTitle != "Train district staff" {
			t.Fatalf("owner's plan actions: %+v (%v)", mine, err)
		}
		wantCode(t, plan.SetPlanActionStatus(ctx, e.pWorker2, a.ID, tropic.ActionDone), tropic.EFORBIDDEN)
		if err := plan.SetPlanActionStatus(ctx, e.pWorker, a.ID, tropic.ActionDone); err != nil {
			t.Fatal(err)
		}
		if _, mine, _ := meetings.FindMyActions(ctx, e.pWorker); len(mine) != 0 {
			t.Fatalf("a done action stays listed: %+v", mine)
		}
	})
}
