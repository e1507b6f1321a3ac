package tropic

import "context"

// CaseWorkflow is the partnership's work on a case beyond its records (issue 12):
// reading the reports linked to it, its officer in charge and review date, and
// requests to close it.
type CaseWorkflow interface {
	// FindCaseReport returns a report linked to the case as the case lets the actor
	// read it (ReportSightFor), and records the view. A case the actor may not see,
	// or a report not linked to it, answers ENOTFOUND.
	FindCaseReport(ctx context.Context, actor Actor, caseRef, reportRef string) (*Case, *Report, error)
	// AssignCase sets the officer in charge (MayBeOfficer) and the review date, and
	// tells a new officer.
	AssignCase(ctx context.Context, actor Actor, ref string, a CaseAssignment) error
	// DecideClosure approves or refuses the request to close the case that waits
	// (MayDecideClosure); approving closes it once its warnings are confirmed.
	DecideClosure(ctx context.Context, actor Actor, ref string, approve bool, note string, confirmed bool) error
	// FindClosureRequests lists the requests to close the actor's agency's cases that
	// wait for a supervisor, oldest first (the approvals queue).
	FindClosureRequests(ctx context.Context, actor Actor) ([]PendingClosure, error)
}
