package tropic

import (
	"strings"
	"testing"
	"time"
)

func TestPermissionRules(t *testing.T) {
	const police, council = 1, 2
	user := func(id, agency int64, roles ...Role) Actor { return Actor{UserID: id, AgencyID: agency, Roles: roles} }
	system := SystemActor("command line")
	caseworker := user(10, police, RoleCaseworker)
	supervisor := user(11, police, RoleSupervisor)
	councilSupervisor := user(20, council, RoleSupervisor)
	councilWorker := user(21, council, RoleCaseworker)
	analyst := user(12, police, RoleAnalyst)
	admin := user(13, police, RoleAdmin)
	c := &Case{OwnerAgencyID: police, OwnerAgency: "Police"}
	sharedWithCouncil := &Share{AgencyID: council}
	sharedWithOther := &Share{AgencyID: 3}
	written := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

	tests := []struct {
		name string
		err  error
		want string // "" allowed, else the error code
	}{
		{"analyst manages campaigns", MayManageCampaigns(analyst), ""},
		{"admin manages campaigns", MayManageCampaigns(admin), ""},
		{"system manages campaigns", MayManageCampaigns(system), ""},
		{"caseworker may not manage campaigns", MayManageCampaigns(caseworker), EFORBIDDEN},
		{"analyst exports research", MayExportResearch(analyst), ""},
		{"admin may not export research", MayExportResearch(admin), EFORBIDDEN},
		{"supervisor may not export research", MayExportResearch(supervisor), EFORBIDDEN},
		{"an agency administrator does not change holidays", MayChangeHolidays(admin), EFORBIDDEN},
		{"a partnership administrator changes holidays", MayChangeHolidays(user(14, council, RolePartnershipAdmin)), ""},
		{"system changes holidays", MayChangeHolidays(system), ""},
		{"analyst may not change holidays", MayChangeHolidays(analyst), EFORBIDDEN},
		{"author edits within grace", MayEditNote(caseworker, &Note{AuthorID: 10, At: written}, written.Add(NoteGrace)), ""},
		{"author may not edit after grace", MayEditNote(caseworker, &Note{AuthorID: 10, At: written}, written.Add(NoteGrace+time.Second)), EFORBIDDEN},
		{"another user may not edit", MayEditNote(supervisor, &Note{AuthorID: 10, At: written}, written), EFORBIDDEN},
		{"nobody edits a system note", MayEditNote(system, &Note{At: written}, written), EFORBIDDEN},
		{"nobody edits the record of an action, not even its actor", MayEditNote(caseworker, &Note{AuthorID: 10, At: written, Record: true}, written), EFORBIDDEN},
		{"owner completes a task for another agency", MayCompleteTask(caseworker, c, council, 0), ""},
		{"the agency a task is for completes it", MayCompleteTask(councilWorker, c, council, 0), ""},
		{"the user a task is for completes it", MayCompleteTask(councilWorker, c, 3, 21), ""},
		{"another agency may not complete a task", MayCompleteTask(councilWorker, c, 3, 0), EFORBIDDEN},
		{"a user with no id does not match an unassigned task", MayCompleteTask(system, c, 3, 0), EFORBIDDEN},
		{"owner's supervisor decides a share", MayDecideShare(supervisor, c, sharedWithCouncil), ""},
		{"owner's caseworker may not decide a share", MayDecideShare(caseworker, c, sharedWithCouncil), EFORBIDDEN},
		{"the agency shared with sees the share but may not decide it", MayDecideShare(councilSupervisor, c, sharedWithCouncil), EFORBIDDEN},
		{"a third agency does not know of the share", MayDecideShare(councilSupervisor, c, sharedWithOther), ENOTFOUND},
		{"owner's supervisor reads the access log", MayReadAccessLog(supervisor, c), ""},
		{"owner's caseworker may not read the access log", MayReadAccessLog(caseworker, c), EFORBIDDEN},
		{"another agency's supervisor may not read the access log", MayReadAccessLog(councilSupervisor, c), EFORBIDDEN},
	}
	for _, tt := range tests {
		wantRule(t, tt.name, tt.err, tt.want, "")
	}
}

func TestCaseOpeningNetworkAndReminderRules(t *testing.T) {
	const police, council = 1, 2
	user := func(agency int64, roles ...Role) Actor { return Actor{UserID: 1, AgencyID: agency, Roles: roles} }
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"caseworker opens a case", MayOpenCase(user(police, RoleCaseworker)), ""},
		{"triage opens a case", MayOpenCase(user(police, RoleTriage)), ""},
		{"analyst may not open a case", MayOpenCase(user(police, RoleAnalyst)), EFORBIDDEN},
		{"a user of no agency may not open a case", MayOpenCase(user(0, RoleCaseworker)), EFORBIDDEN},
		{"the system opens no case", MayOpenCase(SystemActor("command line")), EFORBIDDEN},
		{"analyst sees the partnership network", MaySeePartnershipNetwork(user(police, RoleAnalyst)), ""},
		{"supervisor may not see the partnership network", MaySeePartnershipNetwork(user(police, RoleSupervisor)), EFORBIDDEN},
		{"an agency administrator sets their own agency's reminder address", MaySetReminderAddress(user(police, RoleAdmin), police), ""},
		{"an agency administrator may not set another agency's (two levels)", MaySetReminderAddress(user(police, RoleAdmin), council), EFORBIDDEN},
		{"a partnership administrator sets any agency's", MaySetReminderAddress(user(police, RolePartnershipAdmin), council), ""},
		{"supervisor sets their own agency's", MaySetReminderAddress(user(police, RoleSupervisor), police), ""},
		{"supervisor may not set another agency's", MaySetReminderAddress(user(council, RoleSupervisor), police), EFORBIDDEN},
		{"caseworker may not set their agency's", MaySetReminderAddress(user(police, RoleCaseworker), police), EFORBIDDEN},
		{"the system sets it", MaySetReminderAddress(SystemActor("command line"), police), ""},
	}
	for _, tt := range tests {
		wantRule(t, tt.name, tt.err, tt.want, "")
	}
}

// wantRule checks a rule's answer: nil when want is "", else an error of code want
// with a message, containing says when given.
func wantRule(t *testing.T, name string, err error, want, says string) {
	t.Helper()
	got := ""
	if err != nil {
		got = ErrorCode(err)
	}
	switch {
	case got != want:
		t.Errorf("%s: got %q (%v), want %q", name, got, err, want)
	case err != nil && ErrorMessage(err) == "":
		t.Errorf("%s: refused without a message", name)
	case says != "" && !strings.Contains(ErrorMessage(err), says):
		t.Errorf("%s: message %q does not say %q", name, ErrorMessage(err), says)
	}
}

func TestReferralListingMakingAndAddingPeopleRules(t *testing.T) {
	user := func(agency int64, roles ...Role) Actor { return Actor{UserID: 1, AgencyID: agency, Roles: roles} }
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"caseworker lists referrals", MayListReferrals(user(1, RoleCaseworker)), ""},
		{"supervisor lists referrals", MayListReferrals(user(1, RoleSupervisor)), ""},
		{"analyst may not list referrals", MayListReferrals(user(1, RoleAnalyst)), EFORBIDDEN},
		{"intake may not list referrals", MayListReferrals(user(1, RoleIntake)), EFORBIDDEN},
		{"caseworker refers", MayMakeReferral(user(1, RoleCaseworker), false), ""},
		{"admin naming no case is told", MayMakeReferral(user(1, RoleAdmin), false), EFORBIDDEN},
		{"admin naming a case is answered by the case", MayMakeReferral(user(1, RoleAdmin), true), ""},
		{"a user of no agency may not refer", MayMakeReferral(user(0, RoleCaseworker), true), EFORBIDDEN},
		{"a whole view adds an existing person", MayAddExistingPerson(AccessWhole), ""},
		{"a view without sensitive details may not", MayAddExistingPerson(AccessWithoutSensitive), EFORBIDDEN},
		{"no view: the person is missing", MayAddExistingPerson(AccessNone), ENOTFOUND},
	}
	for _, tt := range tests {
		wantRule(t, tt.name, tt.err, tt.want, "")
	}
}

func TestOnlyCallHandlersTheHubAndTheSystemRecordReports(t *testing.T) {
	user := func(roles ...Role) Actor { return Actor{UserID: 1, AgencyID: 1, Roles: roles} }
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"the public form (the system)", MayRecordReport(SystemActor("public form")), ""},
		{"a call handler", MayRecordReport(user(RoleIntake)), ""},
		{"the triage hub", MayRecordReport(user(RoleTriage)), ""},
		{"a caseworker", MayRecordReport(user(RoleCaseworker)), EFORBIDDEN},
		{"an analyst", MayRecordReport(user(RoleAnalyst)), EFORBIDDEN},
		{"an administrator", MayRecordReport(user(RoleAdmin)), EFORBIDDEN},
	} {
		wantRule(t, tt.name, tt.err, tt.want, "")
	}
}
