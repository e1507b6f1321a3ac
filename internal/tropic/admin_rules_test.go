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
