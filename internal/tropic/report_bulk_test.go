package tropic

import (
	"strings"
	"testing"
)

func TestBulkRules(t *testing.T) {
	me := Actor{UserID: 1, AgencyID: 10, Roles: []Role{RoleTriage}}
	colleague := &User{ID: 2, Name: "Cole League", AgencyID: 10, Roles: []Role{RoleTriage}}
	otherHub := &User{ID: 3, Name: "Hal Other", AgencyID: 20, Roles: []Role{RoleTriage}, Agency: &Agency{ID: 20, Name: "Helpline"}}
	nfa := ReportBulk{Action: BulkNoFurtherAction, Reason: "Test calls"}
	assign := ReportBulk{Action: BulkAssign, AssigneeID: colleague.ID}
	for _, c := range []struct {
		name string
		b    ReportBulk
		st   BulkReportState
		want string // part of the problem; "" for none
	}{
		{"a new unclaimed report takes no further action", nfa, BulkReportState{Reference: "R1", Status: ReportNew}, ""},
		{"a report I hold takes no further action", nfa, BulkReportState{Reference: "R1", Status: ReportNew, ClaimedBy: &User{ID: 1}}, ""},
		{"a report a colleague holds is theirs", nfa, BulkReportState{Reference: "R1", Status: ReportNew, ClaimedBy: colleague}, "R1 is being worked on by Cole League"},
		{"a report the assignee holds may be assigned to them", assign, BulkReportState{Reference: "R1", Status: ReportNew, ClaimedBy: colleague}, ""},
		{"another hub's claim names its agency", assign, BulkReportState{Reference: "R1", Status: ReportNew, ClaimedBy: otherHub}, "by Hal Other (Helpline)"},
		{"a decided report names who decided it", nfa, BulkReportState{Reference: "R1", Status: ReportPassedToAgency, DecidedBy: "Cole League"}, "R1 has been decided by Cole League meanwhile (passed to agency)"},
	} {
		got := BulkProblem(me, c.b, c.st)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}

	if MayBulkTriage(me, true) != nil || ErrorCode(MayBulkTriage(me, false)) != EFORBIDDEN ||
		ErrorCode(MayBulkTriage(Actor{UserID: 4, AgencyID: 10, Roles: []Role{RoleCaseworker}}, true)) != EFORBIDDEN {
		t.Error("MayBulkTriage: want triage of the hub only")
	}
	for name, u := range map[string]*User{"another agency": otherHub, "disabled": {ID: 5, AgencyID: 10, Roles: []Role{RoleTriage}, Disabled: true},
		"not triage": {ID: 6, AgencyID: 10, Roles: []Role{RoleCaseworker}}, "nobody": nil} {
		if ErrorFields(MayAssignReportsTo(me, u))["assignee_id"] == "" {
			t.Errorf("assigning to %s was allowed", name)
		}
	}
	if MayAssignReportsTo(me, colleague) != nil {
		t.Error("assigning to a triage colleague was refused")
	}

	b := ReportBulk{Action: BulkNoFurtherAction, References: []string{"nonsense"}}
	if f := ErrorFields(b.Validate()); f["references"] == "" || f["reason"] == "" {
		t.Errorf("problems %v, want references and reason", f)
	}
	ref := NewReference()
	b = ReportBulk{Action: BulkNoFurtherAction, References: []string{strings.ToLower(ref), ref}, Reason: " why "}
	if err := b.Validate(); err != nil || len(b.References) != 1 || b.References[0] != ref || b.Reason != "why" {
		t.Errorf("Validate: %v %v %q, want one canonical reference and the reason trimmed", err, b.References, b.Reason)
	}
	many := ReportBulk{Action: BulkAssign, AssigneeID: 2}
	for range MaxBulkReports + 1 {
		many.References = append(many.References, NewReference())
	}
	if ErrorFields(many.Validate())["references"] == "" {
		t.Error("more than MaxBulkReports references were taken")
	}
	if !strings.Contains(ErrorMessage(BulkRefusal([]string{"a", "b"})), "Nothing was changed: a; b. Select the reports again without them.") {
		t.Errorf("refusal %q", ErrorMessage(BulkRefusal([]string{"a", "b"})))
	}
}
