package demo

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// WorkflowStats say what SeedWorkflow made.
type WorkflowStats struct {
	ReportCase string // a police case made from a report, which the reporter added to later
	Report     string // that report
	// FollowUpCode is that report's code: triage asked its reporter a question, and the
	// reporter answered, on the follow-up page.
	FollowUpCode string
	ClosureCase  string // a case whose caseworker asked a supervisor to close it
	Assigned     int    // cases given an officer in charge and a review date
}

// SeedWorkflow shows issue 12's case workflow as of now: the police caseworker is
// officer in charge of a few open cases with review dates; a report with the
// reporter's contact details and a phone, taken by the triage hub, opens a case in
// their charge, and the reporter adds information afterwards (which tells them); and
// a caseworker's request to close another case waits for the police supervisor.
func SeedWorkflow(ctx context.Context, s CaseServices, now time.Time) (WorkflowStats, error) {
	var st WorkflowStats
	actor := func(email string) (tropic.Actor, *tropic.User, error) {
		u, err := s.Users.FindUserByEmail(ctx, email+"@"+EmailDomain)
		if err != nil {
			return tropic.Actor{}, nil, fmt.Errorf("demo user %s: %w", email, err)
		}
		return tropic.ActorFor(u), u, nil
	}
	worker, wu, err := actor("caseworker.police")
	if err != nil {
		return st, err
	}
	triage, _, err := actor("triage.police")
	if err != nil {
		return st, err
	}
	review := func(days int) string { return now.AddDate(0, 0, days).Format(time.DateOnly) }

	open, _, err := s.Cases.FindCases(ctx, worker, tropic.CaseFilter{Scope: "ours", Status: tropic.CaseActive, Limit: 4})
	if err != nil {
		return st, err
	}
	for i, c := range open {
		a := tropic.CaseAssignment{Version: c.Version, OfficerUserID: wu.ID, ReviewOn: review(7 * (i + 1))}
		if err := s.Cases.AssignCase(ctx, worker, c.Reference, a); err != nil {
			return st, fmt.Errorf("assign case: %w", err)
		}
		st.Assigned++
	}

	const code = "DEMOF-OLLOW"
	r := &tropic.Report{Channel: tropic.ChannelHelpline, Description: "Four men are collected from the lay-by at 5am every day by a white van and come back after dark. They look exhausted.",
		Location: tropic.Location{Address: "Lay-by on the A414 near the services", Postcode: "AL4 0TU", District: "st-albans"},
		InDanger: tropic.AnswerNotSure, People: tropic.People{Count: 4, Description: "Men in their twenties in work clothes"},
		Vehicles: []tropic.Vehicle{{Registration: "WX19 DMO", Description: "White Transit van"}}, Phones: []tropic.Phone{{Number: "07700 900777"}},
		Reporter:     tropic.Reporter{Name: "Demo Reporter", Contact: "demo.reporter@" + EmailDomain, Relationship: tropic.RelationshipPublic},
		FollowUpHash: tropic.HashFollowUpCode(code)}
	if _, err := s.Reports.CreateReport(ctx, triage, r, ""); err != nil {
		return st, fmt.Errorf("demo workflow report: %w", err)
	}
	c := &tropic.Case{Title: "Men collected from the A414 lay-by", District: "st-albans", OfficerUserID: wu.ID, ReviewOn: review(14),
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}}
	if err := s.Cases.CreateCase(ctx, triage, c, r.Reference); err != nil {
		return st, fmt.Errorf("demo workflow case: %w", err)
	}
	if err := s.Reports.AddFollowUp(ctx, r.Reference, tropic.HashFollowUpCode(code), "The van came back on Sunday too, and one of the men had a bandaged hand."); err != nil {
		return st, fmt.Errorf("demo follow-up: %w", err)
	}
	st.ReportCase, st.Report = c.Reference, r.Reference
	if s.Messages != nil { // triage asked the reporter a question, and the reporter answered
		if _, err := s.Messages.SendReportMessage(ctx, triage, r.Reference, "Thank you for calling. Did you see which way the van went when it left the lay-by?", ""); err != nil {
			return st, fmt.Errorf("demo message: %w", err)
		}
		if _, _, err := s.Messages.ReplyToReport(ctx, r.Reference, tropic.HashFollowUpCode(code), "It turned towards Hatfield, I think.", ""); err != nil {
			return st, fmt.Errorf("demo reply: %w", err)
		}
		st.FollowUpCode = code
	}

	closing := &tropic.Case{Title: "Nail bar on the High Street: visits complete", District: "st-albans", OfficerUserID: wu.ID,
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}}
	if err := s.Cases.CreateCase(ctx, worker, closing, ""); err != nil {
		return st, fmt.Errorf("demo closing case: %w", err)
	}
	if _, err := s.Cases.CloseCase(ctx, worker, closing.Reference, tropic.CaseClosure{Outcome: "no_exploitation", Version: closing.Version,
		Reason: "Three visits with the council found the workers properly employed and paid."}); err != nil {
		return st, fmt.Errorf("demo closure request: %w", err)
	}
	st.ClosureCase = closing.Reference
	return st, nil
}
