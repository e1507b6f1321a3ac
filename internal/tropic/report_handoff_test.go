package tropic

import "testing"

func TestReportAccessForTellsWhoReadsAReportAndItsReporter(t *testing.T) {
	const hub, council, other = 1, 2, 3
	passed := func(withContact bool) *Report {
		return &Report{CreatedByAgency: hub, PassedToAgency: council, Status: ReportPassedToAgency,
			Handoffs: []*Handoff{{AgencyID: council, State: HandoffPassed, IncludeContact: withContact}}}
	}
	returned := &Report{CreatedByAgency: hub, Status: ReportNew, Handoffs: []*Handoff{{AgencyID: council, State: HandoffReturned, IncludeContact: true}}}
	actor := func(agency int64, inHub bool, roles ...Role) Actor {
		return Actor{UserID: 9, AgencyID: agency, Roles: roles, TriageHub: inHub}
	}
	for _, c := range []struct {
		name    string
		actor   Actor
		report  *Report
		want    ReportAccess
		contact bool
	}{
		{"the hub's triage user reads every report", actor(hub, true, RoleTriage), returned, ReportHub, true},
		{"the system reads every report", SystemActor("job"), passed(false), ReportHub, true},
		{"a triage user outside the hub reads nothing not passed to them", actor(other, false, RoleTriage), passed(true), ReportHidden, false},
		{"a triage user outside the hub reads what was passed to their agency", actor(council, false, RoleTriage), passed(false), ReportReceived, false},
		{"the receiving caseworker reads it without the contact details", actor(council, false, RoleCaseworker), passed(false), ReportReceived, false},
		{"the receiving supervisor reads the contact details triage sent", actor(council, false, RoleSupervisor), passed(true), ReportReceived, true},
		{"the receiving analyst reads nothing", actor(council, false, RoleAnalyst), passed(true), ReportHidden, false},
		{"another agency's caseworker reads nothing", actor(other, false, RoleCaseworker), passed(true), ReportHidden, false},
		{"the hub agency's caseworker reads nothing passed elsewhere", actor(hub, true, RoleCaseworker), passed(true), ReportHidden, false},
		{"the agency that returned a report reads it no more", actor(council, false, RoleCaseworker), returned, ReportHidden, false},
		{"call handlers read what their agency took", actor(hub, true, RoleIntake), passed(false), ReportTaken, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ReportAccessFor(c.actor, c.report)
			if got != c.want {
				t.Fatalf("access %d, want %d", got, c.want)
			}
			if contact := got.SeesReporterContact(c.report); contact != c.contact {
				t.Errorf("sees the contact details: %v, want %v", contact, c.contact)
			}
		})
	}
}
