package tropic

import (
	"testing"
	"time"
)

func TestClosureRules(t *testing.T) {
	c := &Case{OwnerAgencyID: 1, OwnerAgency: "Police"}
	worker := Actor{UserID: 10, AgencyID: 1, Roles: []Role{RoleCaseworker}}
	super := Actor{UserID: 11, AgencyID: 1, Roles: []Role{RoleSupervisor}}
	both := Actor{UserID: 12, AgencyID: 1, Roles: []Role{RoleCaseworker, RoleSupervisor}}
	otherSuper := Actor{UserID: 20, AgencyID: 2, Roles: []Role{RoleSupervisor}}
	req := func(by int64) *ClosureRequest { return &ClosureRequest{RequestedByID: by} }
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"a supervisor of the owner closes at once", MayCloseCase(super, c), ""},
		{"a caseworker of the owner may not close at once", MayCloseCase(worker, c), EFORBIDDEN},
		{"another agency's supervisor may not close", MayCloseCase(otherSuper, c), EFORBIDDEN},
		{"a caseworker of the owner asks", MayRequestClosure(worker, c), ""},
		{"another agency's supervisor may not ask", MayRequestClosure(otherSuper, c), EFORBIDDEN},
		{"a supervisor decides a caseworker's request", MayDecideClosure(super, c, req(10)), ""},
		{"a caseworker may not approve their own request", MayDecideClosure(worker, c, req(10)), EFORBIDDEN},
		{"a supervisor who asked may not approve their own request", MayDecideClosure(both, c, req(12)), EFORBIDDEN},
		{"another agency's supervisor may not decide", MayDecideClosure(otherSuper, c, req(10)), EFORBIDDEN},
		{"warnings unconfirmed are refused", MayConfirmClosure([]string{"1 task is not done."}, false), EINVALID},
		{"warnings confirmed pass", MayConfirmClosure([]string{"1 task is not done."}, true), ""},
		{"no warnings need no confirmation", MayConfirmClosure(nil, false), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.err); got != tt.want {
				t.Errorf("got %q (%v), want %q", got, tt.err, tt.want)
			}
		})
	}
}

func TestOfficerInCharge(t *testing.T) {
	worker := &User{ID: 1, AgencyID: 1, Roles: []Role{RoleCaseworker}}
	tests := []struct {
		name    string
		officer *User
		want    string
	}{
		{"a caseworker of the owner", worker, ""},
		{"a supervisor of the owner", &User{ID: 2, AgencyID: 1, Roles: []Role{RoleSupervisor}}, ""},
		{"an officer from another agency", &User{ID: 3, AgencyID: 2, Roles: []Role{RoleCaseworker}}, EINVALID},
		{"the owner's analyst", &User{ID: 4, AgencyID: 1, Roles: []Role{RoleAnalyst}}, EINVALID},
		{"the owner's triage officer", &User{ID: 5, AgencyID: 1, Roles: []Role{RoleTriage}}, EINVALID},
		{"a disabled caseworker", &User{ID: 6, AgencyID: 1, Roles: []Role{RoleCaseworker}, Disabled: true}, EINVALID},
		{"nobody found", nil, EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(MayBeOfficer(tt.officer, 1)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	today := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	for in, bad := range map[string]bool{"": false, "2026-12-06": false, "2027-01-01": false, "2026-12-05": true, "6/12/2026": true} {
		var p Problems
		ValidateReviewDate(&p, in, today)
		if (p.Err() != nil) != bad {
			t.Errorf("review date %q: got %v, want refused %v", in, p.Err(), bad)
		}
	}
}

func TestClosureWarningsSayWhatIsOpen(t *testing.T) {
	got := ClosureWarnings(2, 1, 3)
	want := []string{"2 NRM referrals are still open: no conclusive grounds decision has been recorded.", "1 task is not done.",
		"The case is shared with 3 other agencies; closing it does not end the shares."}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("got %q", got)
	}
	if len(ClosureWarnings(0, 0, 0)) != 0 {
		t.Error("warnings for nothing open")
	}
}

func TestReportSightThroughCases(t *testing.T) {
	// Linked to a case by the hub itself (never passed on), and passed to agency 3
	// without and with the reporter's contact details.
	direct := &Report{Reporter: Reporter{Name: "A", Contact: "B"}, Notes: []ReportNote{{Source: "staff"}, {Source: "reporter"}}}
	passed := func(include bool) *Report {
		r := *direct
		r.PassedToAgency = 3
		r.Handoffs = []*Handoff{{AgencyID: 3, State: HandoffAccepted, IncludeContact: include}}
		return &r
	}
	worker := Actor{UserID: 1, AgencyID: 2, Roles: []Role{RoleCaseworker}}
	receiver := Actor{UserID: 5, AgencyID: 3, Roles: []Role{RoleCaseworker}}
	tests := []struct {
		name   string
		actor  Actor
		r      *Report
		linked []CaseAccess
		want   ReportSight
	}{
		{"the agency it was passed to, without the contact", receiver, passed(false), nil, ReportSightWithoutContact},
		{"the agency it was passed to, with the contact", receiver, passed(true), nil, ReportSightWhole},
		{"a case worker who sees no linked case", worker, direct, []CaseAccess{AccessNone}, ReportSightNone},
		{"a case worker with a whole view of a linked case", worker, direct, []CaseAccess{AccessNone, AccessWhole}, ReportSightWhole},
		{"a whole view of a case never shows what the hub did not pass on", worker, passed(false), []CaseAccess{AccessWhole}, ReportSightWithoutContact},
		{"the receiving agency's own case does not either", receiver, passed(false), []CaseAccess{AccessWhole}, ReportSightWithoutContact},
		{"a whole view of a case made from a report passed with the contact", worker, passed(true), []CaseAccess{AccessWhole}, ReportSightWhole},
		{"a share without sensitive fields", worker, direct, []CaseAccess{AccessWithoutSensitive}, ReportSightWithoutSensitive},
		{"the better of two cases", worker, direct, []CaseAccess{AccessWithoutSensitive, AccessWhole}, ReportSightWhole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReportSightFor(tt.actor, tt.r, tt.linked); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	limited := *direct
	limited.Notes = append([]ReportNote(nil), direct.Notes...)
	limited.Limit(ReportSightWithoutSensitive)
	if limited.Reporter.Name != "" || limited.Reporter.Contact != "" || !limited.ContactWithheld || len(limited.Notes) != 1 || limited.Notes[0].Source != "reporter" {
		t.Errorf("limited report %+v", limited)
	}
	noContact := *direct
	noContact.Notes = append([]ReportNote(nil), direct.Notes...)
	noContact.Limit(ReportSightWithoutContact)
	if noContact.Reporter.Contact != "" || !noContact.ContactWithheld || len(noContact.Notes) != 2 {
		t.Errorf("report without contact %+v", noContact)
	}
	anonymous := Report{Reporter: Reporter{Anonymous: true}}
	if anonymous.Limit(ReportSightWithoutContact); anonymous.ContactWithheld {
		t.Error("an anonymous reporter's details are called withheld")
	}
}
