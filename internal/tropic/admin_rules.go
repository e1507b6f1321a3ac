package tropic

import "strings"

// The rules on administering accounts, agencies and reference data, shared by the
// command line and the administration pages. The store calls them inside the
// transaction that acts, with the target as it stands in that transaction.
//
// Two levels (issue 13): an agency administrator (RoleAdmin) manages their own
// agency's users; a partnership administrator (RolePartnershipAdmin) manages the
// agencies, the triage hub, the reference data and any agency's users. The command
// line (the system) may do everything. Nobody grants themselves a role.

// runsPartnership reports whether a acts for the whole partnership: the command line
// or a partnership administrator.
func (a Actor) runsPartnership() bool { return a.IsSystem() || a.Has(RolePartnershipAdmin) }

// MayAdminister lets agency and partnership administrators (and the system) open the
// administration pages at all; what they may do there the rules below decide.
func MayAdminister(a Actor) error {
	if a.runsPartnership() || a.Has(RoleAdmin) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only an administrator can use the administration pages.")
}

// MayManageUser decides whether actor may administer target's account: disable or
// re-enable it, reset its second factor, require a new password, sign it out
// everywhere, invite it again, unlock it. A partnership administrator may act on any
// user; an agency administrator on their own agency's users, except a partnership
// administrator. To anyone else of another agency the target answers as missing.
func MayManageUser(a Actor, target *User) error {
	if a.runsPartnership() {
		return nil
	}
	if target.AgencyID != a.AgencyID {
		return Errorf(ENOTFOUND, "User not found.")
	}
	if !a.Has(RoleAdmin) {
		return Errorf(EFORBIDDEN, "Only an administrator can change a user's account.")
	}
	if target.Has(RolePartnershipAdmin) {
		return Errorf(EFORBIDDEN, "Only a partnership administrator can change a partnership administrator's account.")
	}
	return nil
}

// MayDisableUser is MayManageUser, except that nobody disables their own account
// (they would lock themselves out mid-sentence; another administrator can).
func MayDisableUser(a Actor, target *User) error {
	if err := MayManageUser(a, target); err != nil {
		return err
	}
	if !a.IsSystem() && a.UserID == target.ID {
		return Errorf(EFORBIDDEN, "You cannot disable your own account: ask another administrator.")
	}
	return nil
}

// MaySetRoles decides whether actor may give target exactly roles. The system (the
// command line) may. An administrator may act only on users they manage
// (MayManageUser); only a partnership administrator gives or takes away the roles that
// reach beyond an agency (partnershipGranted: partnership administrator, data
// protection officer); and nobody may grant themselves a role they do not
// hold (taking one away is allowed). roles must hold at least one known role.
func MaySetRoles(a Actor, target *User, roles []Role) error {
	if err := MayManageUser(a, target); err != nil {
		if ErrorCode(err) == EFORBIDDEN && !a.Has(RoleAdmin) {
			return Errorf(EFORBIDDEN, "Only an administrator can change a user's roles.")
		}
		return err
	}
	var p Problems
	checkRoles(&p, roles)
	if err := p.Err(); err != nil {
		return err
	}
	if !a.runsPartnership() {
		for _, r := range partnershipGranted {
			if target.Has(r) != hasRole(roles, r) {
				return Errorf(EFORBIDDEN, "Only a partnership administrator can give or take away the %s role.", strings.ToLower(r.Label()))
			}
		}
	}
	if !a.IsSystem() && a.UserID == target.ID {
		for _, r := range roles {
			if !target.Has(r) {
				return Errorf(EFORBIDDEN, "Nobody can grant themselves a role: ask another administrator to give you the %s role.", r.Label())
			}
		}
	}
	return nil
}

// partnershipGranted are the roles an agency's administrator may neither give nor take
// away: they reach beyond the agency (the partnership administrator runs every agency;
// the data protection officer searches the whole partnership's audit trail), so only a
// partnership administrator or the command line gives them.
var partnershipGranted = []Role{RolePartnershipAdmin, RoleDPO}

// MayInviteUser decides whether actor may invite u (its agency and roles set) as a
// new user: an agency administrator into their own agency only, a partnership
// administrator into any; the roles as MaySetRoles allows them.
func MayInviteUser(a Actor, u *User) error {
	if !a.runsPartnership() {
		if !a.Has(RoleAdmin) {
			return Errorf(EFORBIDDEN, "Only an administrator can invite users.")
		}
		if u.AgencyID != a.AgencyID {
			return Errorf(EFORBIDDEN, "You can invite users to your own agency only.")
		}
	}
	// The new user holds no role yet: every role asked for is one given.
	return MaySetRoles(a, &User{AgencyID: u.AgencyID}, u.Roles)
}

// MayMoveUser lets a partnership administrator (and the system) move a user to
// another agency. An agency administrator who manages the user is told why not; to
// anyone else the user answers as missing.
func MayMoveUser(a Actor, target *User) error {
	if a.runsPartnership() {
		return nil
	}
	if err := MayManageUser(a, target); err != nil {
		return err
	}
	return Errorf(EFORBIDDEN, "Only a partnership administrator can move a user to another agency.")
}

// MayManageAgencies lets the system (the command line) and partnership
// administrators add, edit, disable and enable partner agencies, and set which form
// the triage hub. An agency's own administrator may not: that is the partnership's
// business.
func MayManageAgencies(a Actor) error {
	if a.runsPartnership() {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only a partnership administrator can change agencies.")
}

// MayManageReferenceData lets the system and partnership administrators change the
// partnership's reference data: districts, the "how did you hear" options, bank
// holidays, the disclosure threshold, urgency targets.
func MayManageReferenceData(a Actor) error {
	if a.runsPartnership() {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only a partnership administrator can change the partnership's reference data.")
}

// AdminAgencyScope is the agency whose users and administration history actor may
// list, 0 for every agency's: a partnership administrator lists all (or the agency
// asked for), an agency administrator their own agency's only, whatever they ask for.
func AdminAgencyScope(a Actor, asked int64) (int64, error) {
	switch {
	case a.runsPartnership():
		return asked, nil
	case a.Has(RoleAdmin):
		return a.AgencyID, nil
	}
	return 0, Errorf(EFORBIDDEN, "Only an administrator can use the administration pages.")
}

// checkRoles adds a problem on "roles" unless roles holds at least one role and only
// known ones.
func checkRoles(p *Problems, roles []Role) {
	if len(roles) == 0 {
		p.Add("roles", "Give the user at least one role")
	}
	for _, r := range roles {
		if !r.Valid() {
			p.Add("roles", "Unknown role "+string(r))
		}
	}
}
