package tropic

// The rules on who may do what to the partnership's shared records that are not about a
// person's role (roles.go) or a referral (referral.go). Each answers nil, or an error in
// the domain vocabulary that the web layer shows as it is: ENOTFOUND where the actor may
// not know the object exists, EFORBIDDEN where the actor sees it but may not do this.
// The store calls them inside the transaction that acts.

// MayManageCampaigns lets analysts and administrators, and the system, manage campaigns.
func MayManageCampaigns(a Actor) error {
	if a.IsSystem() || CanManageCampaigns(a) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only analysts and administrators manage campaigns.")
}

// MayExportResearch lets analysts, and the system, export the research records.
func MayExportResearch(a Actor) error {
	if a.IsSystem() || a.Has(RoleAnalyst) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only analysts may export research data.")
}

// MayChangeHolidays lets partnership administrators, and the system, change the bank
// holidays that NRM deadlines count: they are reference data (MayManageReferenceData).
func MayChangeHolidays(a Actor) error {
	if a.runsPartnership() {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only a partnership administrator can change the bank holidays.")
}

// MayCompleteTask lets the case's owning agency, the agency the task is for, or the user
// it is assigned to mark a task done. forAgency and forUser are the task's assignees
// (0 for none).
func MayCompleteTask(a Actor, c *Case, forAgency, forUser int64) error {
	if a.AgencyID == c.OwnerAgencyID || (forAgency != 0 && a.AgencyID == forAgency) || (forUser != 0 && a.UserID == forUser) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only the agency the task is for, or %s, can mark it done.", c.OwnerAgency)
}

// MayDecideShare lets a supervisor of the owning agency approve, decline or end a share.
// Only the owner and the agency shared with know of a share; to anyone else it is missing.
func MayDecideShare(a Actor, c *Case, sh *Share) error {
	if a.AgencyID != c.OwnerAgencyID && a.AgencyID != sh.AgencyID {
		return Errorf(ENOTFOUND, "Share not found.")
	}
	if !IsOwnerSupervisor(a, c.OwnerAgencyID) {
		return Errorf(EFORBIDDEN, "Only a supervisor at %s can decide or end a share of this case.", c.OwnerAgency)
	}
	return nil
}

// MayReadAccessLog lets supervisors of the owning agency see who has seen a case.
func MayReadAccessLog(a Actor, c *Case) error {
	if IsOwnerSupervisor(a, c.OwnerAgencyID) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only a supervisor at %s can see who has seen this case.", c.OwnerAgency)
}

// MayOpenCase lets case workers and the triage hub open cases (the hub without then
// seeing them: AccessTo).
func MayOpenCase(a Actor) error {
	if CanOpenCases(a) && a.AgencyID != 0 {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only caseworkers, supervisors and the triage hub can open cases.")
}

// MaySeePartnershipNetwork lets analysts see the partnership's pseudonymised network.
func MaySeePartnershipNetwork(a Actor) error {
	if a.Has(RoleAnalyst) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only analysts see the partnership's network.")
}

// MaySetReminderAddress lets an administrator, the system or a supervisor of the agency
// set where the agency's NRM reminder digest goes.
func MaySetReminderAddress(a Actor, agencyID int64) error {
	if a.runsPartnership() || (a.AgencyID == agencyID && (a.Has(RoleAdmin) || a.Has(RoleSupervisor))) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only a partnership administrator, or an administrator or supervisor of the agency, can set where its reminders go.")
}

// MaySeeExactStatistics lets analysts and agency administrators see the partnership's
// exact figures (the staff statistics pages, with no disclosure control), and the
// campaigns' pages that measure them.
func MaySeeExactStatistics(a Actor) error {
	if !a.IsSystem() && (a.Has(RoleAnalyst) || a.Has(RoleAdmin)) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only analysts and administrators see the exact figures.")
}
