package tropic

import "slices"

// Actor is who does something: a signed-in user, a token holder or the command line.
// Every service method that changes or reads protected data takes one, so that the
// rules and the audit trail never depend on the caller remembering to pass it on.
type Actor struct {
	UserID   int64  // 0 for the system (command line, jobs)
	AgencyID int64  // 0 for the system
	Roles    []Role // empty for the system
	Label    string // how the audit trail names a system actor, e.g. "command line"
	// TriageHub: the actor's agency is part of the triage hub (Agency.TriageHub). ActorFor
	// takes it from the user's agency; the store reads it again in its transaction.
	TriageHub bool
}

// SystemActor is the actor for the command line and background jobs.
func SystemActor(label string) Actor { return Actor{Label: label} }

// ActorFor returns the actor for a signed-in user.
func ActorFor(u *User) Actor {
	return Actor{UserID: u.ID, AgencyID: u.AgencyID, Roles: u.Roles, TriageHub: u.Agency != nil && u.Agency.TriageHub}
}

// InTriageHub says whether the actor works the triage hub: a triage user of an agency
// that is part of it. Triage users of other agencies see only what is passed to theirs.
func (a Actor) InTriageHub() bool { return a.TriageHub && a.Has(RoleTriage) }

// IsSystem reports whether the actor is the system rather than a user.
func (a Actor) IsSystem() bool { return a.UserID == 0 }

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }
