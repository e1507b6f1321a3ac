package demo

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// The triage hub of the demo is the police's modern slavery unit; the county council
// has an inbox address (an .example address: no mail reaches anyone).

// demoTriageHub says whether the demo agency with slug forms the triage hub.
func demoTriageHub(slug string) bool { return slug == "police" }

// demoInboxEmail is the demo agency's inbox address, "" for none.
func demoInboxEmail(slug string) string {
	if slug == "county" {
		return "inbox.county@" + EmailDomain
	}
	return ""
}

// InboxServices are what SeedInbox writes through.
type InboxServices struct {
	Reports interface {
		tropic.ReportService
		tropic.InboxService
	}
	Agencies tropic.AgencyService
	Users    tropic.UserService
	SetNow   func(time.Time)
}

// inboxScene is one report in the county council's inbox.
type inboxScene struct {
	received, passed time.Duration // before now
	urgent           bool
	what, reason     string
	acknowledge      bool
	returnReason     string // the council gave it back to the hub
}

var inboxScenes = []inboxScene{
	{received: 5 * time.Hour, passed: 2 * time.Hour, what: "A woman at the launderette says her landlord keeps her wages for rent and she cannot leave.",
		reason: "Housing and safeguarding: the council's adult social care should visit first."},
	{received: 6 * 24 * time.Hour, passed: 6*24*time.Hour - 3*time.Hour, urgent: true,
		what:   "Two teenagers work late every night at the takeaway on the high street; they look scared of the owner.",
		reason: "Children involved: the council's children's services lead, police to support."},
	{received: 3 * 24 * time.Hour, passed: 26 * time.Hour, acknowledge: true,
		what:   "Men are dropped off at a farm at dawn by a minibus and collected after dark, seven days a week.",
		reason: "Agricultural workers' welfare: a joint visit with the council's licensing team."},
	{received: 4 * 24 * time.Hour, passed: 3 * 24 * time.Hour, returnReason: "The address is in Bedfordshire: not ours. Please pass to Bedford Borough Council.",
		what:   "A house where a dozen people seem to live, with mattresses seen through the window.",
		reason: "Possible overcrowding and exploitation: environmental health may know the address."},
}

// SeedInbox puts reports in the county council's inbox as of now: one waiting within
// its acknowledgement time, one urgent one past it, one acknowledged, and one the
// council returned to the hub (back in the triage queue, flagged).
func SeedInbox(ctx context.Context, s InboxServices, now time.Time) error {
	hub, err := s.Users.FindUserByEmail(ctx, "triage.police@"+EmailDomain)
	if err != nil {
		return fmt.Errorf("demo triage user: %w", err)
	}
	worker, err := s.Users.FindUserByEmail(ctx, "caseworker.county@"+EmailDomain)
	if err != nil {
		return fmt.Errorf("demo county caseworker: %w", err)
	}
	defer s.SetNow(now)
	for i, sc := range inboxScenes {
		r := &tropic.Report{Channel: tropic.ChannelWeb, Description: sc.what, Location: tropic.Location{District: "st-albans"},
			InDanger: tropic.AnswerNo, Reporter: tropic.Reporter{Anonymous: true},
			FollowUpHash: tropic.HashFollowUpCode(tropic.FollowUpCode(fmt.Sprintf("demo-inbox-%d", i)))}
		if sc.urgent {
			r.People.ChildrenInvolved = tropic.AnswerYes
		}
		if i == 0 {
			r.Reporter = tropic.Reporter{Name: "Demo Reporter", Contact: "reporter@" + EmailDomain, Relationship: tropic.RelationshipPublic}
		}
		s.SetNow(now.Add(-sc.received))
		if _, err := s.Reports.CreateReport(ctx, tropic.SystemActor("tropic demo"), r, ""); err != nil {
			return fmt.Errorf("demo inbox report: %w", err)
		}
		s.SetNow(now.Add(-sc.passed))
		if err := s.Reports.DecideReport(ctx, tropic.ActorFor(hub), r.Reference, tropic.ReportDecision{Status: tropic.ReportPassedToAgency,
			AgencyID: worker.AgencyID, Reason: sc.reason}); err != nil {
			return fmt.Errorf("demo pass: %w", err)
		}
		s.SetNow(now.Add(-sc.passed + 2*time.Hour))
		switch {
		case sc.acknowledge:
			_, err = s.Reports.AcknowledgeReport(ctx, tropic.ActorFor(worker), r.Reference)
		case sc.returnReason != "":
			_, err = s.Reports.ReturnReport(ctx, tropic.ActorFor(worker), r.Reference, sc.returnReason)
		}
		if err != nil {
			return fmt.Errorf("demo inbox action: %w", err)
		}
	}
	return nil
}
