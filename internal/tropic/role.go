package tropic

import "strings"

// Victim first (DESIGN.md §4 rule 2): every path that can change the role a person
// holds on a case asks DecideRoleTransition, inside the transaction that acts on it.

// RolePath is the way a role would change.
type RolePath string

const (
	PathChange  RolePath = "change"  // a caseworker changes a person's role (pages, API)
	PathAdd     RolePath = "add"     // a person, new or existing, is put on a case in a role
	PathMerge   RolePath = "merge"   // a merge would show a record's row on a case only as the survivor's row
	PathImport  RolePath = "import"  // a bulk load: nobody there to ask
	PathApprove RolePath = "approve" // a supervisor approves a requested change
	PathDecline RolePath = "decline" // a supervisor declines a requested change
)

// RoleVerdict is what the rule says of a transition.
type RoleVerdict int

const (
	RoleAllowed         RoleVerdict = iota // it may happen now
	RoleNeedsSupervisor                    // it becomes a request for a supervisor of the owner
	RoleRefused                            // it may not happen; the error says why
)

// RoleTransition is a change of the role a person holds on one case.
type RoleTransition struct {
	Path     RolePath
	From, To PersonRole // From is "" when the person is not on the case yet
	// WasVictim: the person was recorded as a potential victim on this case, by this
	// row, by a record merged into it, or before a change already made.
	WasVictim     bool
	Reason        string // why; required when a supervisor must decide
	OwnerAgencyID int64  // the case's owner
	OwnerAgency   string // its name, for messages
	RequestedBy   int64  // PathApprove, PathDecline: the user who asked (0: unknown)
}

// NeedsApproval reports whether changing from → to needs a supervisor, for a person
// never a potential victim on the case otherwise.
func NeedsApproval(from, to PersonRole) bool {
	return from == RolePotentialVictim && to == RoleSuspect
}

// DecideRoleTransition decides whether actor may make t happen: at once, only as a
// request for a supervisor of the case's owner, or not at all. A potential victim,
// or a person once one on the case, becomes a suspect only with a supervisor's
// approval and a reason, whatever the path; a supervisor never approves their own
// request (four eyes).
func DecideRoleTransition(t RoleTransition, actor Actor) (RoleVerdict, error) {
	if !t.To.Valid() {
		return RoleRefused, &Error{Code: EINVALID, Message: "Choose the person's new role", Fields: map[string]string{"role": "Choose the person's new role"}}
	}
	switch t.Path {
	case PathApprove, PathDecline:
		if !IsOwnerSupervisor(actor, t.OwnerAgencyID) {
			return RoleRefused, Errorf(EFORBIDDEN, "Only a supervisor at %s can decide a change of role.", t.OwnerAgency)
		}
		if t.Path == PathApprove && !actor.IsSystem() && actor.UserID == t.RequestedBy {
			return RoleRefused, Errorf(EFORBIDDEN, "You asked for this change of role, so another supervisor at %s must decide it.", t.OwnerAgency)
		}
		return RoleAllowed, nil
	case PathChange, PathAdd:
		if err := MayChangeCase(actor, &Case{OwnerAgencyID: t.OwnerAgencyID, OwnerAgency: t.OwnerAgency}); err != nil {
			return RoleRefused, err
		}
	case PathMerge, PathImport:
	default:
		return RoleRefused, Errorf(EINTERNAL, "unknown way to change a role: %q", t.Path)
	}
	if t.From == t.To {
		if t.Path == PathChange {
			return RoleRefused, &Error{Code: EINVALID, Message: "The person already has this role",
				Fields: map[string]string{"role": "The person is already recorded as " + strings.ToLower(t.To.Label())}}
		}
		return RoleAllowed, nil
	}
	if t.To != RoleSuspect || !(t.WasVictim || NeedsApproval(t.From, t.To)) {
		return RoleAllowed, nil
	}
	if t.Path == PathImport {
		return RoleRefused, Errorf(EFORBIDDEN, "A potential victim cannot be made a suspect by a bulk load: only a supervisor of %s can approve that, one person at a time.", t.OwnerAgency)
	}
	if strings.TrimSpace(t.Reason) == "" {
		return RoleRefused, &Error{Code: EINVALID, Message: "Enter why this potential victim should be treated as a suspect",
			Fields: map[string]string{"reason": "Enter why this potential victim should be treated as a suspect; a supervisor will decide"}}
	}
	return RoleNeedsSupervisor, nil
}
