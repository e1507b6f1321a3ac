package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// demoMisuse reads the whole of the demo's access log for misuse, as the hourly job reads
// the last two days: the alerts it raises on the demo's normal work are its false alarms.
// Then it scripts one misuse, so that the data protection officers' queue shows an
// alert: the county's caseworker looks up a person who has their own name.
func demoMisuse(ctx context.Context, svc *services, since, now time.Time) (falseAlarms int, scripted string, err error) {
	system := tropic.SystemActor("misuse alerts")
	if falseAlarms, err = svc.misuse.DetectMisuse(ctx, system, since, now.Add(time.Minute)); err != nil {
		return 0, "", err
	}
	worker, err := svc.users.FindUserByEmail(ctx, "caseworker.county@demo.tropic.example")
	if err != nil {
		return falseAlarms, "", err
	}
	actor := tropic.ActorFor(worker)
	c := &tropic.Case{Title: "Hand car wash, Hatfield Road (access alert demo)", District: "st-albans"}
	if err := svc.cases.CreateCase(ctx, actor, c, ""); err != nil {
		return falseAlarms, "", err
	}
	given, family := splitName(worker.Name)
	p := &tropic.Person{GivenName: given, FamilyName: family}
	if err := svc.cases.AddPerson(ctx, actor, c.Reference, p, tropic.RoleWitness); err != nil {
		return falseAlarms, "", err
	}
	if _, _, err := svc.cases.FindPerson(ctx, actor, p.ID); err != nil {
		return falseAlarms, "", err
	}
	if _, err := svc.misuse.DetectMisuse(ctx, system, now.Add(-time.Hour), time.Now().Add(time.Minute)); err != nil {
		return falseAlarms, "", err
	}
	account, _, _ := strings.Cut(worker.Email, "@")
	return falseAlarms, fmt.Sprintf("%s looked up person %d on case %s, who has their own name", account, p.ID, c.Reference), nil
}

// splitName splits "Given Family Name" at its first space.
func splitName(s string) (string, string) {
	for i, r := range s {
		if r == ' ' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}
