package web

import (
	"context"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

// Issue 12 item 7: each role's home shows only what that role acts on. Every
// section is named by its heading (or button); a role either acts on it or does
// not see it, whatever else it may read through the navigation.
func TestStaffHomeShowsEachRoleOnlyWhatItActsOn(t *testing.T) {
	e := newTriageEnv(t)
	outside := &tropic.Agency{Name: "Dacorum Borough Council", Kind: tropic.AgencyDistrictCouncil}
	if err := e.ts.agencies.CreateAgency(context.Background(), testAdmin, outside); err != nil {
		t.Fatal(err)
	}
	sections := []string{"Passed to us", "Urgent reports", "To decide", "My tasks", "Overdue deadlines", "Record a call"}
	tests := []struct {
		name  string
		user  *tropic.User
		shown []string
	}{
		{"the hub's triage officer: the queue", e.addStaff("hub@police.example", "Hana Hub", e.ts.agency, tropic.RoleTriage), []string{"Urgent reports"}},
		// Reads what was passed to Dacorum, but acknowledging, accepting and
		// returning are the case workers'.
		{"a triage user outside the hub: nothing to act on", e.addStaff("tri@dacorum.example", "Tariq Out", outside, tropic.RoleTriage), nil},
		{"a call handler: recording calls", e.addStaff("call@police.example", "Cal Handler", e.ts.agency, tropic.RoleIntake), []string{"Record a call"}},
		{"a caseworker: the inbox, tasks and deadlines", e.addStaff("cw@dacorum.example", "Cara Worker", outside, tropic.RoleCaseworker),
			[]string{"Passed to us", "My tasks", "Overdue deadlines"}},
		{"a supervisor: those and the approvals", e.addStaff("sup@dacorum.example", "Sam Super", outside, tropic.RoleSupervisor),
			[]string{"Passed to us", "To decide", "My tasks", "Overdue deadlines"}},
		{"an analyst: nothing", e.addStaff("an@police.example", "Ana Lyst", e.ts.agency, tropic.RoleAnalyst), nil},
		{"an administrator: nothing", e.addStaff("ad@police.example", "Ad Min", e.ts.agency, tropic.RoleAdmin), nil},
		{"a partnership administrator: the agreements to review", e.addStaff("pa@police.example", "Pat Partner", e.ts.agency, tropic.RolePartnershipAdmin), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.as(tt.user).get("/staff")
			if res.status != 200 {
				t.Fatalf("GET /staff: %d", res.status)
			}
			// The header names the partnership on every home (a field of the page
			// once shadowed the layout's and printed "false" there).
			if want := `class="govuk-generic-header__homepage-link">` + e.ts.cfg.PartnershipName + `</a>`; e.ts.cfg.PartnershipName == "" || !strings.Contains(res.body, want) {
				t.Errorf("the header does not name the partnership %q", e.ts.cfg.PartnershipName)
			}
			main := mainContent(res.body)
			for _, s := range sections {
				want := false
				for _, w := range tt.shown {
					want = want || w == s
				}
				heading := `<h2 class="govuk-heading-m">` + s + `</h2>`
				if s == "Record a call" {
					heading = `class="govuk-button" data-module="govuk-button">Record a call</a>`
				}
				if got := strings.Contains(main, heading); got != want {
					t.Errorf("%q shown: %v, want %v:\n%s", s, got, want, pageText(res.body))
				}
			}
		})
	}
}
