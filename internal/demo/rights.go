package demo

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// A subject access request at the police unit (issue 16 item 3): a potential victim on
// one of its cases asked for the data it holds about them 18 days ago; the police data
// protection officer confirmed their record and has the package to review and
// release, due in under a fortnight. A handful of writes: fast at any size.

// RightsServices are what SeedRights writes through.
type RightsServices struct {
	Rights tropic.RightsService
	Cases  tropic.CaseService
	Users  tropic.UserService
	SetNow func(time.Time) // moves the store's clock; the zero time hands it back
}

// RightsStats say what SeedRights made: the request's id and due date ("" when the
// police unit has no case with a potential victim to ask).
type RightsStats struct {
	Request  int64
	Deadline string
}

// rightsReceivedAgo is how many days ago the demo's access request was received.
const rightsReceivedAgo = 18

// SeedRights records the access request as of now, its requester a potential victim
// on one of the police unit's latest cases opened before it was received, and
// confirms their record three days after.
func SeedRights(ctx context.Context, s RightsServices, now time.Time) (RightsStats, error) {
	var st RightsStats
	defer s.SetNow(time.Time{})
	dpo, err := demoActor(ctx, s.Users, "dpo.police")
	if err != nil {
		return st, err
	}
	worker, err := demoActor(ctx, s.Users, "caseworker.police")
	if err != nil {
		return st, err
	}
	// The case read to find the requester is read as the request arrived, so that the
	// hourly misuse job, which reads the last two days, does not read it again.
	received := now.AddDate(0, 0, -rightsReceivedAgo)
	s.SetNow(received)
	cases, _, err := s.Cases.FindCases(ctx, worker, tropic.CaseFilter{Scope: "ours", Sort: "opened", Limit: 50})
	if err != nil {
		return st, err
	}
	var person int64
	for _, c := range cases {
		if !c.OpenedAt.Before(received) {
			continue
		}
		full, err := s.Cases.FindCase(ctx, worker, c.Reference)
		if tropic.ErrorCode(err) == tropic.ENOTFOUND {
			continue
		} else if err != nil {
			return st, err
		}
		for _, p := range full.People {
			if p.Role == tropic.RolePotentialVictim {
				person = p.Person.ID
				break
			}
		}
		if person != 0 {
			break
		}
	}
	if person == 0 {
		return st, nil
	}
	r := &tropic.RightsRequest{Kind: tropic.RightsAccess, ReceivedOn: received.Format(time.DateOnly), Reference: "SAR-DEMO-1",
		IdentityVerified: "Passport and a letter from their support worker, seen at the police station's front desk"}
	if err := s.Rights.OpenRightsRequest(ctx, dpo, r); err != nil {
		return st, fmt.Errorf("demo rights request: %w", err)
	}
	s.SetNow(received.AddDate(0, 0, 3))
	if err := s.Rights.ConfirmRightsPerson(ctx, dpo, r.ID, person, true); err != nil {
		return st, fmt.Errorf("demo rights request: %w", err)
	}
	return RightsStats{Request: r.ID, Deadline: r.Deadline}, nil
}

// demoActor is the demo account local@EmailDomain as an actor.
func demoActor(ctx context.Context, users tropic.UserService, local string) (tropic.Actor, error) {
	u, err := users.FindUserByEmail(ctx, local+"@"+EmailDomain)
	if err != nil {
		return tropic.Actor{}, fmt.Errorf("demo user %s: %w", local, err)
	}
	return tropic.ActorFor(u), nil
}
