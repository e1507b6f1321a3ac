package tropic

import "testing"

func TestAdministrationRules(t *testing.T) {
	const police, council = 1, 2
	user := func(id, agency int64, roles ...Role) Actor { return Actor{UserID: id, AgencyID: agency, Roles: roles} }
	target := func(id, agency int64, roles ...Role) *User { return &User{ID: id, AgencyID: agency, Roles: roles} }
	system := SystemActor("command line")
	admin := user(13, police, RoleAdmin)
	adminSupervisor := user(14, police, RoleAdmin, RoleSupervisor)
	supervisor := user(11, police, RoleSupervisor)
	councilAdmin := user(20, council, RoleAdmin)
	sam := target(30, police, RoleCaseworker)
	self := target(13, police, RoleAdmin)
	selfWithTwo := target(14, police, RoleAdmin, RoleSupervisor)
	roles := func(rs ...Role) []Role { return rs }
	partnership := user(40, council, RolePartnershipAdmin)
	partnershipSelf := target(40, council, RolePartnershipAdmin)
	partnershipTarget := target(41, police, RolePartnershipAdmin)
	councilUser := target(31, council, RoleCaseworker)
	newPolice := func(rs ...Role) *User { return &User{AgencyID: police, Roles: rs} }
	newCouncil := func(rs ...Role) *User { return &User{AgencyID: council, Roles: rs} }
	scope := func(a Actor, asked int64) (int64, error) { return AdminAgencyScope(a, asked) }
	scopeIs := func(want int64) func(Actor, int64) error {
		return func(a Actor, asked int64) error {
			got, err := scope(a, asked)
			if err == nil && got != want {
				return Errorf(EINTERNAL, "scope %d, want %d", got, want)
			}
			return err
		}
	}

	tests := []struct {
		name string
		err  error
		want string // "" allowed, else the error code
		says string // part of the message, when refused
	}{
		{"the command line sets anyone's roles", MaySetRoles(system, sam, roles(RoleAdmin, RoleAnalyst)), "", ""},
		{"the command line still gives known roles only", MaySetRoles(system, sam, roles("root")), EINVALID, "Unknown role root"},
		{"the command line still gives at least one role", MaySetRoles(system, sam, nil), EINVALID, "at least one role"},
		{"an administrator sets roles in their own agency", MaySetRoles(admin, sam, roles(RoleCaseworker, RoleSupervisor)), "", ""},
		{"an administrator may make another user an administrator", MaySetRoles(admin, sam, roles(RoleAdmin)), "", ""},
		{"another agency's administrator does not know the user", MaySetRoles(councilAdmin, sam, roles(RoleSupervisor)), ENOTFOUND, "User not found"},
		{"another agency's administrator gets missing even for bad roles", MaySetRoles(councilAdmin, sam, roles("root")), ENOTFOUND, ""},
		{"a supervisor may not set roles", MaySetRoles(supervisor, sam, roles(RoleSupervisor)), EFORBIDDEN, "Only an administrator"},
		{"an administrator may not grant themselves a role", MaySetRoles(admin, self, roles(RoleAdmin, RoleAnalyst)), EFORBIDDEN, "grant themselves"},
		{"an administrator may not swap their roles for others", MaySetRoles(admin, self, roles(RoleAnalyst)), EFORBIDDEN, "grant themselves"},
		{"an administrator may give up a role of their own", MaySetRoles(adminSupervisor, selfWithTwo, roles(RoleAdmin)), "", ""},
		{"an administrator keeping their roles grants nothing", MaySetRoles(adminSupervisor, selfWithTwo, roles(RoleSupervisor, RoleAdmin)), "", ""},
		{"an administrator gives an unknown role to nobody", MaySetRoles(admin, sam, roles("root")), EINVALID, "Unknown role"},
		{"the command line manages agencies", MayManageAgencies(system), "", ""},
		{"an agency's administrator does not manage agencies", MayManageAgencies(admin), EFORBIDDEN, "partnership"},
		{"a supervisor does not manage agencies", MayManageAgencies(supervisor), EFORBIDDEN, ""},
		{"a partnership administrator manages agencies", MayManageAgencies(partnership), "", ""},

		// Two levels: who manages whose account.
		{"an agency administrator manages their own agency's user", MayManageUser(admin, sam), "", ""},
		{"an agency administrator does not know another agency's user", MayManageUser(councilAdmin, sam), ENOTFOUND, "User not found"},
		{"a supervisor of another agency does not know the user either", MayManageUser(user(22, council, RoleSupervisor), sam), ENOTFOUND, ""},
		{"a supervisor does not manage accounts", MayManageUser(supervisor, sam), EFORBIDDEN, "Only an administrator"},
		{"a partnership administrator manages any agency's user", MayManageUser(partnership, sam), "", ""},
		{"an agency administrator leaves a partnership administrator alone", MayManageUser(admin, partnershipTarget), EFORBIDDEN, "partnership administrator"},
		{"a partnership administrator manages another partnership administrator", MayManageUser(partnership, partnershipTarget), "", ""},
		{"the command line manages anyone", MayManageUser(system, partnershipTarget), "", ""},
		{"nobody disables their own account", MayDisableUser(admin, self), EFORBIDDEN, "your own account"},
		{"a partnership administrator does not disable themselves either", MayDisableUser(partnership, partnershipSelf), EFORBIDDEN, ""},
		{"an administrator disables another of their agency", MayDisableUser(admin, sam), "", ""},
		{"another agency's administrator cannot disable the user: missing", MayDisableUser(councilAdmin, sam), ENOTFOUND, ""},

		// The partnership administrator role.
		{"an agency administrator may not give the partnership role", MaySetRoles(admin, sam, roles(RolePartnershipAdmin)), EFORBIDDEN, "partnership administrator role"},
		{"an agency administrator may not give it beside another role", MaySetRoles(admin, sam, roles(RoleCaseworker, RolePartnershipAdmin)), EFORBIDDEN, "partnership administrator role"},
		{"a partnership administrator gives the partnership role", MaySetRoles(partnership, sam, roles(RolePartnershipAdmin)), "", ""},
		{"a partnership administrator sets roles in another agency", MaySetRoles(partnership, sam, roles(RoleAdmin)), "", ""},
		{"the command line gives the partnership role", MaySetRoles(system, sam, roles(RolePartnershipAdmin)), "", ""},
		{"a partnership administrator may not grant themselves a role", MaySetRoles(partnership, partnershipSelf, roles(RolePartnershipAdmin, RoleAdmin)), EFORBIDDEN, "grant themselves"},
		{"a partnership administrator may give up the role themselves", MaySetRoles(user(42, council, RolePartnershipAdmin, RoleAnalyst), target(42, council, RolePartnershipAdmin, RoleAnalyst), roles(RoleAnalyst)), "", ""},

		// Invitations.
		{"an agency administrator invites into their own agency", MayInviteUser(admin, newPolice(RoleCaseworker)), "", ""},
		{"an agency administrator does not invite into another agency", MayInviteUser(admin, newCouncil(RoleCaseworker)), EFORBIDDEN, "own agency"},
		{"an agency administrator does not invite a partnership administrator", MayInviteUser(admin, newPolice(RolePartnershipAdmin)), EFORBIDDEN, "partnership administrator role"},
		{"a supervisor does not invite", MayInviteUser(supervisor, newPolice(RoleCaseworker)), EFORBIDDEN, "Only an administrator"},
		{"a partnership administrator invites into any agency", MayInviteUser(partnership, newPolice(RolePartnershipAdmin)), "", ""},
		{"an invitation still needs a known role", MayInviteUser(partnership, newPolice("root")), EINVALID, "Unknown role"},

		// Moving a user between agencies.
		{"a partnership administrator moves a user", MayMoveUser(partnership, sam), "", ""},
		{"the command line moves a user", MayMoveUser(system, sam), "", ""},
		{"an agency administrator is told they may not move their user", MayMoveUser(admin, sam), EFORBIDDEN, "partnership administrator"},
		{"another agency's administrator does not know the user", MayMoveUser(councilAdmin, sam), ENOTFOUND, ""},
		{"another agency's administrator cannot reach a council user's neighbour", MayManageUser(admin, councilUser), ENOTFOUND, ""},

		// Reference data and the pages.
		{"a partnership administrator changes reference data", MayManageReferenceData(partnership), "", ""},
		{"an agency administrator does not change reference data", MayManageReferenceData(admin), EFORBIDDEN, "partnership administrator"},
		{"an agency administrator opens the administration pages", MayAdminister(admin), "", ""},
		{"a partnership administrator opens them", MayAdminister(partnership), "", ""},
		{"a supervisor does not", MayAdminister(supervisor), EFORBIDDEN, ""},
		{"an agency administrator reads their own agency's history whatever they ask", scopeIs(police)(admin, council), "", ""},
		{"a partnership administrator reads every agency's history", scopeIs(0)(partnership, 0), "", ""},
		{"a partnership administrator reads one agency's when asked", scopeIs(council)(partnership, council), "", ""},
		{"a supervisor reads no administration history", scopeIs(0)(supervisor, 0), EFORBIDDEN, ""},
	}
	for _, tt := range tests {
		wantRule(t, tt.name, tt.err, tt.want, tt.says)
	}
}

func TestOnlyThePartnershipGrantsOrTakesAwayTheDataProtectionOfficerRole(t *testing.T) {
	admin := Actor{UserID: 1, AgencyID: 7, Roles: []Role{RoleAdmin, RoleDPO}}
	target := &User{ID: 2, AgencyID: 7, Roles: []Role{RoleCaseworker}}
	if ErrorCode(MaySetRoles(admin, target, []Role{RoleCaseworker, RoleDPO})) != EFORBIDDEN {
		t.Error("an agency administrator granted the DPO role")
	}
	dpo := &User{ID: 3, AgencyID: 7, Roles: []Role{RoleDPO}}
	if ErrorCode(MaySetRoles(admin, dpo, []Role{RoleCaseworker})) != EFORBIDDEN {
		t.Error("an agency administrator took the DPO role away")
	}
	if err := MaySetRoles(admin, dpo, []Role{RoleDPO, RoleAnalyst}); err != nil {
		t.Errorf("keeping the DPO role while adding another: %v", err)
	}
	if err := MaySetRoles(SystemActor("cli"), target, []Role{RoleDPO}); err != nil {
		t.Errorf("the command line grants it: %v", err)
	}
}
