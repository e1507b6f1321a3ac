package tropic

// The rules on administering accounts and agencies, shared by the command line and the
// administration pages. The store calls them inside the transaction that acts, with the
// target as it stands in that transaction.

// MaySetRoles decides whether actor may give target exactly roles. The system (the
// command line) may. A user may act only on users of their own agency: to anyone
// else the target answers as missing. Within the agency only an administrator may,
// and nobody may grant themselves a role they do not hold (taking one away is allowed).
// roles must hold at least one known role.
func MaySetRoles(a Actor, target *User, roles []Role) error {
	if !a.IsSystem() {
		if target.AgencyID != a.AgencyID {
			return Errorf(ENOTFOUND, "User not found.")
		}
		if !a.Has(RoleAdmin) {
			return Errorf(EFORBIDDEN, "Only an administrator can change a user's roles.")
		}
	}
	var p Problems
	checkRoles(&p, roles)
	if err := p.Err(); err != nil {
		return err
	}
	if !a.IsSystem() {
		for _, r := range partnershipGranted {
			if target.Has(r) != hasRole(roles, r) {
				return Errorf(EFORBIDDEN, "Only the partnership grants or takes away the %s role (tropic user set-roles).", r.Label())
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

// partnershipGranted are the roles an agency's administrator may neither grant nor take
// away: they reach beyond the agency (the data protection officer searches the whole
// partnership's audit trail), so only the partnership gives them (today the command
// line; the partnership administrator's pages when they exist).
var partnershipGranted = []Role{RoleDPO}

// MayManageAgencies lets the system (the command line) add, edit, disable and enable
// partner agencies. An agency's own administrator may not: that is the partnership's
// business (issue 13 adds a partnership administrator role for the pages).
func MayManageAgencies(a Actor) error {
	if a.IsSystem() {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only the partnership's administrator can change agencies.")
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
