package demo

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// ApprovalServices are what SeedApprovals writes through.
type ApprovalServices struct {
	Cases  tropic.CaseService
	Access tropic.AccessRequestService
	Users  tropic.UserService
	SetNow func(time.Time)
	// Agreements is the register the requests cite (SeedAgreements wrote it); nil:
	// each says why no agreement applies.
	Agreements tropic.AgreementService
}

// ApprovalStats say what SeedApprovals made, for the demo's banner.
type ApprovalStats struct {
	PoliceCase, CountyCase string
}

// SeedApprovals fills the police unit's approvals queue with one of each kind it
// decides (a share request, the county council's access request, a role change) and
// leaves unread notifications for supervisor.police and caseworker.police and
// caseworker.county, written through the services as they would be: a county case
// with the same phone number as a police case, from which the county asks for access.
func SeedApprovals(ctx context.Context, g *Generator, s ApprovalServices, now time.Time) (ApprovalStats, error) {
	var st ApprovalStats
	actor := func(local string) (tropic.Actor, error) { return demoActor(ctx, s.Users, local) }
	pWorker, err := actor("caseworker.police")
	if err != nil {
		return st, err
	}
	pSuper, err := actor("supervisor.police")
	if err != nil {
		return st, err
	}
	cWorker, err := actor("caseworker.county")
	if err != nil {
		return st, err
	}
	at := func(d time.Duration) { s.SetNow(now.Add(-d)) }
	// The county's access request and the declined share cite the partnership's
	// agreement (the workers are adults, so the child exploitation protocol does not
	// apply); the share request waiting cites none, so the queue shows it flagged.
	var protocol int64
	if s.Agreements != nil {
		register, err := s.Agreements.FindAgreements(ctx, pSuper)
		if err != nil {
			return st, err
		}
		if g := agreementTitled(register, AgreementPartnership); g != nil {
			protocol = g.ID
		}
	}
	noneWhy := func(id int64, why string) string {
		if id != 0 {
			return ""
		}
		return why
	}
	phone := fmt.Sprintf("07700 900%03d", 600+g.IntN(300)) // Ofcom's drama range
	at(72 * time.Hour)
	police := &tropic.Case{Title: "Hand car wash, Hatfield: workers sleep on site", District: "welwyn-hatfield",
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}}
	if err := s.Cases.CreateCase(ctx, pWorker, police, ""); err != nil {
		return st, fmt.Errorf("demo approvals case: %w", err)
	}
	if err := s.Cases.AddPhone(ctx, pWorker, police.Reference, &tropic.CasePhone{Number: phone}); err != nil {
		return st, err
	}
	p := g.Person(now, 19, 40)
	if err := s.Cases.AddPerson(ctx, pWorker, police.Reference, p, tropic.RolePotentialVictim); err != nil {
		return st, err
	}
	county := &tropic.Case{Title: "Overcrowded house, Hatfield", District: "welwyn-hatfield",
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}}
	if err := s.Cases.CreateCase(ctx, cWorker, county, ""); err != nil {
		return st, err
	}
	if err := s.Cases.AddPhone(ctx, cWorker, county.Reference, &tropic.CasePhone{Number: phone}); err != nil {
		return st, err
	}

	// The role change: the oldest in the queue.
	at(50 * time.Hour)
	c, err := s.Cases.FindCase(ctx, pWorker, police.Reference)
	if err != nil || len(c.People) == 0 {
		return st, fmt.Errorf("demo approvals case people: %v", err)
	}
	if _, err := s.Cases.ChangeRole(ctx, pWorker, c.People[0].ID, tropic.RoleSuspect,
		"Seen collecting the other workers' wages and driving them to the site."); err != nil {
		return st, err
	}
	// The county's access request, from the "held by" on its case.
	at(26 * time.Hour)
	if err := s.Access.RequestAccess(ctx, cWorker, &tropic.AccessRequest{CaseReference: county.Reference, Kind: tropic.LinkPhone, Value: phone,
		AgencyID: police.OwnerAgencyID, Scope: tropic.ShareWithoutSensitive, LawfulBasis: "dpa_sch1_18",
		AgreementID: protocol, NoAgreement: noneWhy(protocol, "No agreement in the register covers both agencies."),
		Reason: "The same phone is the landlord's number for the house we inspected; we need to know whether the tenants work at the car wash."}); err != nil {
		return st, fmt.Errorf("demo access request: %w", err)
	}
	// A share request of the caseworker's, and one the supervisor declined before.
	at(5 * time.Hour)
	declined := &tropic.Share{AgencyID: county.OwnerAgencyID, Scope: tropic.ShareWhole, LawfulBasis: "gdpr_6_1_e", Reason: "A joint visit with the council's housing team.",
		AgreementID: protocol, NoAgreementReason: noneWhy(protocol, "No agreement in the register covers both agencies.")}
	if err := s.Cases.RequestShare(ctx, pWorker, police.Reference, declined); err != nil {
		return st, err
	}
	at(4 * time.Hour)
	if err := s.Cases.DecideShare(ctx, pSuper, declined.ID, false, "The council's housing team is not needed yet: the visit is a police matter for now."); err != nil {
		return st, err
	}
	at(3 * time.Hour)
	if err := s.Cases.RequestShare(ctx, pWorker, police.Reference, &tropic.Share{AgencyID: county.OwnerAgencyID, Scope: tropic.ShareWithoutSensitive,
		LawfulBasis: "dpa_sch1_18", Reason: "Safeguarding: the council's housing team inspects the house where the workers sleep.",
		NoAgreementReason: "A housing inspection under the council's own powers: the partnership agreement covers joint casework, not enforcement."}); err != nil {
		return st, err
	}
	// A task for the caseworker.
	at(2 * time.Hour)
	if err := s.Cases.AddTask(ctx, pSuper, police.Reference, &tropic.Task{Title: "Arrange a welfare visit with an interpreter",
		AssignedUser: pWorker.UserID, Due: now.AddDate(0, 0, 3).Format(time.DateOnly)}); err != nil {
		return st, err
	}
	s.SetNow(time.Time{})
	st.PoliceCase, st.CountyCase = police.Reference, county.Reference
	return st, nil
}
