package tropic

import (
	"slices"
	"strings"
)

// The rules on deciding suggested matches between people. The store gathers the facts
// (the cases the other record is on, as the actor sees them) inside the transaction
// and asks these; a refusal says what the actor can do instead.

// CaseView is a case a person's record is on, as the actor sees it.
type CaseView struct {
	Owner  string     // the owning agency's name
	Access CaseAccess // the actor's access to it
}

// MayDecideMatches lets case workers link, merge, reject and undo suggested matches.
func MayDecideMatches(a Actor) error {
	if CaseWorker(a) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only caseworkers and supervisors can decide on suggested matches.")
}

// MayLink lets the actor link their case's person to another record only when they may
// see at least one case that record is on; otherwise the agencies holding it are named,
// to contact.
func MayLink(other []CaseView) error {
	if slices.ContainsFunc(other, func(v CaseView) bool { return v.Access != AccessNone }) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Your agency may not see the other record, so it cannot link or merge it. Contact %s.", HeldBy(other))
}

// MayMerge lets the actor merge another record into their case's person only with a
// whole view of every case that record is on (MayLink first), and only when the merge
// would show no agency details it may not see: disclosesTo names such an agency, or is "".
func MayMerge(other []CaseView, disclosesTo string) error {
	if err := MayLink(other); err != nil {
		return err
	}
	for _, v := range other {
		if v.Access != AccessWhole {
			return Errorf(EFORBIDDEN, "Merging needs a whole view of every case the other record is on, and your agency does not have one of %s's. Link the records instead, or ask for a whole-case share.", v.Owner)
		}
	}
	if disclosesTo != "" {
		return Errorf(EFORBIDDEN, "Merging would show %s this person's details from your agency's cases, which it may not see. Link the records instead.", disclosesTo)
	}
	return nil
}

// MayUndoMerge lets only the agency that merged two records undo the merge, and only
// with a whole view of every case the merge touched.
func MayUndoMerge(a Actor, mergedBy int64, mergedByName string, touched []CaseView) error {
	if err := MayDecideMatches(a); err != nil {
		return err
	}
	if a.AgencyID != mergedBy {
		return Errorf(EFORBIDDEN, "Only %s, which merged these records, can undo the merge.", mergedByName)
	}
	for _, v := range touched {
		if v.Access != AccessWhole {
			return Errorf(EFORBIDDEN, "Undoing this merge needs a whole view of every case it touched, and your agency does not have one of %s's. Ask them to undo it.", v.Owner)
		}
	}
	return nil
}

// HeldBy names the agencies holding the cases, each once, in alphabetical order.
func HeldBy(cases []CaseView) string {
	var names []string
	for _, v := range cases {
		if !slices.Contains(names, v.Owner) {
			names = append(names, v.Owner)
		}
	}
	slices.Sort(names)
	return strings.Join(names, " and ")
}
