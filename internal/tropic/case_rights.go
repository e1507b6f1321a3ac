package tropic

import "time"

// What a user who sees a case (AccessTo) may do with it. Each answers nil when the
// actor may, and otherwise an EFORBIDDEN error whose message may be shown: the actor
// already sees the case, so saying why tells nothing new. Pages, the API and the
// store ask these same functions.

// MayChangeCase lets the owning agency's case workers change a case: its fields,
// status, people, roles, places, businesses, vehicles, phones, orders and linked
// reports, and ask to share it.
func MayChangeCase(a Actor, c *Case) error {
	if a.AgencyID == c.OwnerAgencyID {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only %s can change this case. Ask them to make the change.", c.OwnerAgency)
}

// MayContributeToCase lets the owner, and agencies with a whole-case share, add
// notes and tasks.
func MayContributeToCase(a Actor, c *Case) error {
	if a.AgencyID == c.OwnerAgencyID || c.Access == AccessWhole {
		return nil
	}
	return Errorf(EFORBIDDEN, "Your agency sees this case without its sensitive details, so it cannot add to it. Ask %s.", c.OwnerAgency)
}

// MayEditNote lets a note's author correct it in place, within NoteGrace of writing
// it (AuthorID 0: written by the system). An entry recording an action on the case
// (Note.Record) is never edited.
func MayEditNote(a Actor, n *Note, now time.Time) error {
	if n.Record {
		return Errorf(EFORBIDDEN, "This entry records what was done on the case, so it cannot be changed. Add a note instead.")
	}
	if n.AuthorID == 0 || n.AuthorID != a.UserID {
		return Errorf(EFORBIDDEN, "Only the person who wrote a note can change it. Add a new note that corrects it instead.")
	}
	if now.Sub(n.At) > NoteGrace {
		return Errorf(EFORBIDDEN, "A note can be changed only in the %d minutes after it was written. Add a new note that corrects it instead.", int(NoteGrace.Minutes()))
	}
	return nil
}

// MayEditPerson lets an agency change a person's details when it has them on one of
// its own cases (ownsACase).
func MayEditPerson(ownsACase bool) error {
	if ownsACase {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only an agency with this person on one of its own cases can change their details.")
}

// MayAddExistingPerson lets an agency put a person it sees on one of its own cases
// only with a whole view of them (access: the best it has of the person's cases);
// one it does not see at all is missing.
func MayAddExistingPerson(access CaseAccess) error {
	switch access {
	case AccessNone:
		return Errorf(ENOTFOUND, "Person not found.")
	case AccessWithoutSensitive:
		return Errorf(EFORBIDDEN, "Your agency sees this person without their sensitive details, so it cannot add them to its own case. Ask the agency that shared the case, or record the person anew.")
	}
	return nil
}
