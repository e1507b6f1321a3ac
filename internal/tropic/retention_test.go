package tropic

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseRetentionReadsNamedPeriodsOverTheDefaults(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		problem string
	}{
		{"", DefaultRetention.String(), ""},
		{"case_closed=7y", "report_not_taken_further=2y,case_closed=7y,case_crime_recorded=10y", ""},
		{" report_not_taken_further = 18m , case_closed.no_exploitation=3y", "report_not_taken_further=18m,case_closed=6y,case_crime_recorded=10y,case_closed.no_exploitation=3y", ""},
		{"case_closed=0y", "", "at least a month"},
		{"case_closed=101y", "", "at most 100 years"},
		{"case_closed=6", "", "like 6y or 18m"},
		{"case_closed=-1y", "", "like 6y or 18m"},
		{"case_closed", "", "name=period"},
		{"case_closed=6y,case_closed=7y", "", "given twice"},
		{"case_closed.bogus=6y", "", "not a record type"},
		{"audit=6y", "", "not a record type"},
	}
	for _, tt := range tests {
		got, err := ParseRetention(tt.in)
		if tt.problem != "" {
			if err == nil || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("ParseRetention(%q) = %v, want an error saying %q", tt.in, err, tt.problem)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("ParseRetention(%q) = %q, %v; want %q", tt.in, got.String(), err, tt.want)
		}
	}
}

func TestACaseIsKeptByItsCrimeThenItsOutcomeThenTheDefault(t *testing.T) {
	s, err := ParseRetention("case_closed.no_exploitation=3y")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.ForCase("no_exploitation", true); got != 120 {
		t.Errorf("crime recorded: %v, want 10 years whatever the outcome", got)
	}
	if got := s.ForCase("no_exploitation", false); got != 36 {
		t.Errorf("no exploitation: %v, want 3 years", got)
	}
	if got := s.ForCase("charged", false); got != 72 {
		t.Errorf("charged, no crime: %v, want 6 years", got)
	}
	if n := len(s.Rules()); n != len(DefaultRetention.Rules())+1 {
		t.Errorf("%d rules, want the outcome's line added", n)
	}
}

func TestARetentionDecisionNeedsAReasonAndADateWithinTenYears(t *testing.T) {
	today := time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		d      RetentionDecision
		fields string
	}{
		{RetentionDecision{Dispose: true}, ""},
		{RetentionDecision{RetainUntil: "2031-05-01", Reason: "An appeal is pending"}, ""},
		{RetentionDecision{RetainUntil: "2031-05-01"}, "reason"},
		{RetentionDecision{RetainUntil: "2030-05-01", Reason: "x"}, "retain_until"},
		{RetentionDecision{RetainUntil: "2041-05-01", Reason: "x"}, "retain_until"},
		{RetentionDecision{RetainUntil: "next year", Reason: "x\u202e"}, "reason,retain_until"},
	}
	for _, tt := range tests {
		err := tt.d.Problems(today)
		var got []string
		if e, ok := err.(*Error); ok {
			for f := range e.Fields {
				got = append(got, f)
			}
		}
		slices.Sort(got)
		if strings.Join(got, ",") != tt.fields {
			t.Errorf("%+v: problems %v, want fields %q", tt.d, err, tt.fields)
		}
	}
}

func TestOnlyTheOwningAgencysSupervisorReviewsRetention(t *testing.T) {
	super := Actor{UserID: 1, AgencyID: 7, Roles: []Role{RoleSupervisor}}
	worker := Actor{UserID: 2, AgencyID: 7, Roles: []Role{RoleCaseworker}}
	if err := MayReviewRetention(super, 7); err != nil {
		t.Errorf("own agency's supervisor: %v", err)
	}
	if ErrorCode(MayReviewRetention(super, 8)) != ENOTFOUND {
		t.Error("another agency's review must answer as missing")
	}
	if ErrorCode(MayReviewRetention(worker, 7)) != EFORBIDDEN {
		t.Error("a caseworker must not decide retention")
	}
	if MayRunRetention(super) == nil || MayRunRetention(SystemActor("job")) != nil {
		t.Error("only the system queues reviews")
	}
}
