package tropic

import (
	"testing"
	"time"
)

// TestCanTakeReports holds the rule of who may record a report received by staff,
// which the call handlers' page and the API both ask.
func TestCanTakeReports(t *testing.T) {
	for _, tc := range []struct {
		name  string
		actor Actor
		want  bool
	}{
		{"call handler", Actor{UserID: 1, AgencyID: 1, Roles: []Role{RoleIntake}}, true},
		{"triage hub", Actor{UserID: 2, AgencyID: 1, Roles: []Role{RoleTriage}}, true},
		{"triage and caseworker", Actor{UserID: 3, AgencyID: 1, Roles: []Role{RoleCaseworker, RoleTriage}}, true},
		{"caseworker", Actor{UserID: 4, AgencyID: 1, Roles: []Role{RoleCaseworker}}, false},
		{"supervisor", Actor{UserID: 5, AgencyID: 1, Roles: []Role{RoleSupervisor}}, false},
		{"analyst", Actor{UserID: 6, AgencyID: 1, Roles: []Role{RoleAnalyst}}, false},
		{"administrator", Actor{UserID: 7, AgencyID: 1, Roles: []Role{RoleAdmin}}, false},
		{"no role", Actor{UserID: 8, AgencyID: 1}, false},
		{"the public form (system)", SystemActor("public form"), false},
	} {
		if got := CanTakeReports(tc.actor); got != tc.want {
			t.Errorf("%s: CanTakeReports = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestChannelTakenByStaff: staff record calls, visits and partners' reports, never
// as if the public had used the online form, and never on a channel that is not one.
func TestChannelTakenByStaff(t *testing.T) {
	for _, tc := range []struct {
		channel Channel
		want    bool
	}{
		{ChannelHelpline, true}, {ChannelPolice101, true}, {Channel999Transfer, true}, {ChannelInPerson, true},
		{ChannelPartner, true}, {ChannelStaff, true},
		{ChannelWeb, false}, {"", false}, {"fax", false}, {"HELPLINE", false},
	} {
		if got := tc.channel.TakenByStaff(); got != tc.want {
			t.Errorf("%q: TakenByStaff = %v, want %v", tc.channel, got, tc.want)
		}
	}
	for _, c := range StaffChannels {
		if !c.TakenByStaff() || c.Label() == string(c) {
			t.Errorf("staff channel %q: taken by staff %v, label %q", c, c.TakenByStaff(), c.Label())
		}
	}
}

// A contact language left blank stays blank: the form's language says which form
// was used, and English would be a guess that triage would read as the reporter's.
func TestReportContactLanguageLeftBlankIsNotGuessed(t *testing.T) {
	r := Report{Description: "Eight people sleep above the nail bar.", FormLanguage: "vi", Reporter: Reporter{Anonymous: true}}
	if err := r.Validate(nil, nil, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	if r.Language != "" || r.FormLanguage != "vi" {
		t.Errorf("contact language %q, form language %q; want blank and vi", r.Language, r.FormLanguage)
	}
}
