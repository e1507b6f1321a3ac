package tropic

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The partnership plan (issue 17, item 2): the steering group's objectives, each with
// a RAG status whose every change is kept with who made it, when and why, measured
// where it can be by a figure of the statistics releases, and actions owned by people
// at any agency. The plan holds no personal data: every member of staff reads it;
// analysts and partnership administrators (the coordinators) keep it.

// RAG is an objective's red, amber or green status.
type RAG string

const (
	RAGRed   RAG = "red"
	RAGAmber RAG = "amber"
	RAGGreen RAG = "green"
)

// RAGs lists the statuses in display order.
var RAGs = []RAG{RAGRed, RAGAmber, RAGGreen}

// Label names the status for people.
func (r RAG) Label() string {
	switch r {
	case RAGRed:
		return "Red"
	case RAGAmber:
		return "Amber"
	case RAGGreen:
		return "Green"
	}
	return string(r)
}

// Valid reports whether r is a known status.
func (r RAG) Valid() bool { return slices.Contains(RAGs, r) }

// RAGChange is one change of an objective's RAG status.
type RAGChange struct {
	RAG    RAG
	Reason string
	By     string
	At     time.Time
}

// Objective is one objective of the plan.
type Objective struct {
	ID          int64
	Title       string
	Description string
	Figure      Figure // the released figure that measures it; "" for none
	RAG         RAG
	History     []RAGChange // newest first; the first entry is the status now
	Actions     []*PlanAction
	CreatedAt   time.Time
}

// ObjectiveInput is a new objective with its first status and why.
type ObjectiveInput struct {
	Title, Description string
	Figure             Figure
	RAG                RAG
	Reason             string
}

// Validate checks a new objective.
func (in *ObjectiveInput) Validate() error {
	var p Problems
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		p.Add("title", "Enter the objective")
	}
	CheckText(&p, "title", "The objective", in.Title, MaxShortText)
	in.Description = strings.TrimSpace(in.Description)
	CheckText(&p, "description", "The description", in.Description, MaxLongText)
	if in.Figure != "" && !in.Figure.Valid() {
		p.Add("figure", "Choose a figure from the list, or none")
	}
	checkRAG(&p, in.RAG, &in.Reason)
	return p.Err()
}

// ValidateRAGChange checks a change of status.
func ValidateRAGChange(rag RAG, reason *string) error {
	var p Problems
	checkRAG(&p, rag, reason)
	return p.Err()
}

func checkRAG(p *Problems, rag RAG, reason *string) {
	if !rag.Valid() {
		p.Add("rag", "Choose red, amber or green")
	}
	*reason = strings.TrimSpace(*reason)
	if *reason == "" {
		p.Add("reason", "Enter why the status is what it is")
	}
	CheckText(p, "reason", "The reason", *reason, MaxLongText)
}

// PlanAction is an action of the plan.
type PlanAction struct {
	Action
	ObjectiveID    int64
	ObjectiveTitle string
}

// CanCoordinate says who keeps the plan: analysts (the partnership's coordinators and
// analysts, DESIGN.md §1) and partnership administrators.
func CanCoordinate(a Actor) bool { return a.Has(RoleAnalyst) || a.Has(RolePartnershipAdmin) }

// MayChangePlan refuses anyone who does not keep the plan.
func MayChangePlan(a Actor) error {
	if a.IsSystem() || CanCoordinate(a) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only an analyst or a partnership administrator can change the partnership plan.")
}

// ReleasedFigure finds figure f in release r: the year-to-date count the release
// published (already protected), and last year's for the same days.
func ReleasedFigure(r *Release, f Figure) (ReleaseHeadline, bool) {
	if r == nil {
		return ReleaseHeadline{}, false
	}
	for _, h := range r.Headlines {
		if h.Figure == f {
			return h, true
		}
	}
	return ReleaseHeadline{}, false
}

// PlanService keeps the partnership plan.
type PlanService interface {
	// FindPlan lists the objectives with their history and actions, oldest first.
	FindPlan(ctx context.Context, actor Actor) ([]*Objective, error)
	CreateObjective(ctx context.Context, actor Actor, in ObjectiveInput) (int64, error)
	SetRAG(ctx context.Context, actor Actor, objectiveID int64, rag RAG, reason string) error
	AddPlanAction(ctx context.Context, actor Actor, objectiveID int64, a *PlanAction) error
	SetPlanActionStatus(ctx context.Context, actor Actor, actionID int64, status ActionStatus) error
	// FindPlanPeople lists who may own an action of the plan: enabled users of enabled agencies.
	FindPlanPeople(ctx context.Context, actor Actor) ([]MeetingPerson, error)
}
