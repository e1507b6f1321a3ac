package tropic

// ReferralAccess is what an actor may do with one NRM referral or Duty to Notify
// report.
type ReferralAccess int

const (
	ReferralHidden ReferralAccess = iota // answers exactly as a missing referral
	ReferralRead                         // sees the referral
	ReferralDecide                       // sees it and records the decisions made on it
)

// MaySeeReferrals reports whether the actor may see any referral at all: those who
// work cases. A referral carries the Home Office and crime references, notes about
// the person and the case reference; intake staff, the triage hub, analysts and
// administrators do not work cases, so they see none, not even their own agency's
// (DESIGN.md §4 rule 1). Decision times, which name no one, follow the same rule, so
// that pages and API give one answer.
func MaySeeReferrals(a Actor) bool { return CaseWorker(a) && a.AgencyID != 0 }

// MayListReferrals is MaySeeReferrals as the answer to a list or the figures: it names
// no referral, so it may say why.
func MayListReferrals(a Actor) error {
	if MaySeeReferrals(a) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only caseworkers and supervisors see NRM referrals and Duty to Notify reports.")
}

// MayMakeReferral lets case workers of an agency refer. fromCase says the actor names
// a case to refer from: anyone else naming one is answered as the case answers them
// (AccessTo: missing), so this refuses only those who name none.
func MayMakeReferral(a Actor, fromCase bool) error {
	if a.AgencyID != 0 && (CaseWorker(a) || fromCase) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only caseworkers and supervisors can make referrals.")
}

// ReferralAccessFor decides what the actor may do with a referral made by the
// agency referrer on route, whose case the actor's agency sees with caseAccess
// (AccessNone for a Duty to Notify report, which has no case). It is the one rule of
// who reads and acts on a referral; the store applies it to every referral it reads,
// so the pages and the API get the same answer.
//
//   - Only case workers (MaySeeReferrals) see referrals.
//   - The referring agency's case workers see its referrals and reports, and record
//     their decisions.
//   - An NRM referral is also seen by the case workers of an agency that sees its
//     case (through a live share); only the referring agency records decisions.
//   - A Duty to Notify report identifies no one and belongs to no case: only the
//     referring agency sees it.
func ReferralAccessFor(a Actor, referrer int64, route Route, caseAccess CaseAccess) ReferralAccess {
	switch {
	case !MaySeeReferrals(a):
		return ReferralHidden
	case a.AgencyID == referrer:
		return ReferralDecide
	case route == RouteNRM && caseAccess != AccessNone:
		return ReferralRead
	}
	return ReferralHidden
}

// ShowsPerson reports whether a referral read with this access, whose case the
// reader's agency sees with caseAccess, may show the person's name: an NRM referral,
// to a reader who sees its case.
func (acc ReferralAccess) ShowsPerson(route Route, caseAccess CaseAccess) bool {
	return acc != ReferralHidden && route == RouteNRM && caseAccess != AccessNone
}

// MayReferFromCase lets an agency refer from a case: a first responder or an agency
// bound by the Duty to Notify (the consent gate then decides the route), from a case
// it works (a whole view: its own, or a whole-case share). c may be nil when only the
// agency is in question. Both refusals are told only to a user who sees the case.
func MayReferFromCase(agency *Agency, c *Case) error {
	if agency == nil || !agency.FirstResponder && !agency.DutyToNotify {
		return Errorf(EFORBIDDEN, "Only a first responder organisation can make an NRM referral, and the Duty to Notify does not bind your agency: contact your local authority or the police.")
	}
	if c != nil && c.Access != AccessWhole {
		return Errorf(EFORBIDDEN, "Only agencies working this case can refer from it. Ask %s.", c.OwnerAgency)
	}
	return nil
}

// MayRecordDecisions says whether the reader of r (its Access set as ReferralAccessFor
// decides) may record decisions on it: an NRM referral still in the mechanism, by the
// agency that made it. The page offers the decision form by it; ApplyDecision applies
// the same conditions to what is recorded.
func (r *Referral) MayRecordDecisions() bool {
	return r.Access == ReferralDecide && r.Route != RouteDtN && r.WithdrawnOn == "" && r.DisqualifiedOn == ""
}

// MayChange is the rule for every change to r: only the agency that made it changes
// it. doing says what was asked ("withdraw it", "record its decisions").
func (r *Referral) MayChange(doing string) error {
	if r.Access != ReferralDecide {
		what := "referral"
		if r.Route == RouteDtN {
			what = "report"
		}
		return Errorf(EFORBIDDEN, "Only %s, who made this %s, can %s.", r.AgencyName, what, doing)
	}
	return nil
}

// MayAmendDutyToNotify says whether the reader of r may withdraw or correct it (doing:
// "withdraw it", "correct it"): a Duty to Notify report not yet withdrawn, by the
// agency that made it. The pages offer the withdrawal and correction forms by it
// (ENOTFOUND: there is no such form for this record); WithdrawDutyToNotify and
// CorrectDutyToNotify refuse the same changes.
func (r *Referral) MayAmendDutyToNotify(doing string) error {
	if r.Route != RouteDtN || r.WithdrawnOn != "" {
		return Errorf(ENOTFOUND, "Page not found.")
	}
	return r.MayChange(doing)
}
