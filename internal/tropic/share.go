package tropic

import (
	"strconv"
	"strings"
	"time"
)

// ShareScope is what a share lets the receiving agency see.
type ShareScope string

const (
	ShareWhole            ShareScope = "whole"             // the whole case, sensitive fields included
	ShareWithoutSensitive ShareScope = "without_sensitive" // everything but sensitive fields and notes
)

// LawfulBases are the bases a share may rest on (DOMAIN.md, data standards and sharing).
var LawfulBases = []struct{ Key, Label string }{
	{"gdpr_6_1_e", "UK GDPR Art 6(1)(e): public task"},
	{"gdpr_6_1_c", "UK GDPR Art 6(1)(c): legal obligation (MSA s.52)"},
	{"gdpr_6_1_f", "UK GDPR Art 6(1)(f): legitimate interests"},
	{"dpa_sch1_18", "DPA 2018 Schedule 1 para 18: safeguarding of children and individuals at risk"},
	{"dpa_part3", "DPA 2018 Part 3: law enforcement processing"},
	{"consent", "Explicit consent"},
}

// ShareStatus is where a share stands.
type ShareStatus string

const (
	ShareRequested ShareStatus = "requested" // a caseworker asked; a supervisor of the owner decides
	ShareActive    ShareStatus = "active"
	ShareDeclined  ShareStatus = "declined"
	ShareRevoked   ShareStatus = "revoked"
	// ShareCovered: a request closed undecided because an active share of the same
	// case with the same agency already gives all it asks (Share.Covers).
	ShareCovered ShareStatus = "covered"
)

// Share gives another agency access to a case.
type Share struct {
	ID          int64
	CaseID      int64
	AgencyID    int64
	AgencyName  string
	Scope       ShareScope
	LawfulBasis string
	Reason      string
	Until       string // YYYY-MM-DD, the last day it lasts; "" for no end
	Status      ShareStatus
	Kind        ShareKind // who asked: the owner (a share) or the agency shared with (an access request)
	// The agreement from the register the share rests on (0: none), or why none applies.
	AgreementID       int64
	AgreementTitle    string // set by the store
	AgreementReviewOn string // set by the store: the agreement's review date, for Flag
	NoAgreementReason string
	Via               string   // an access request by identifier: the identifier the records share, for the supervisor deciding
	AccessBy          AccessBy // an access request: how it named the record
	DecisionReason    string   // why it was declined, when a reason was given
	RequestedBy       string
	GrantedBy         string
	CreatedAt         time.Time
	DecidedAt         time.Time
	RevokedAt         time.Time
}

// Live reports whether the share gives access on day now.
func (s *Share) Live(now time.Time) bool {
	return s.Status == ShareActive && (s.Until == "" || s.Until >= now.Format(time.DateOnly))
}

// Validate checks a share request of the case's owner, with the agreement it cites
// (g, nil when it cites none or one not in the register).
func (s *Share) Validate(now time.Time, g *SharingAgreement, owner int64) error {
	var p Problems
	if s.AgencyID == 0 {
		p.Add("agency", "Choose the agency to share with")
	}
	s.checkTerms(&p, now)
	CheckShareAgreement(&p, s, g, owner, s.AgencyID, now)
	return p.Err()
}

// checkTerms checks what a share gives, on what basis, why and until when: the same
// whichever side asks for it.
func (s *Share) checkTerms(p *Problems, now time.Time) {
	if s.Scope != ShareWhole && s.Scope != ShareWithoutSensitive {
		p.Add("scope", "Choose what to share: the whole case, or the case without sensitive fields")
	}
	ok := false
	for _, b := range LawfulBases {
		ok = ok || b.Key == s.LawfulBasis
	}
	if !ok {
		p.Add("lawful_basis", "Choose the lawful basis for sharing")
	}
	s.Reason = strings.TrimSpace(s.Reason)
	if s.Reason == "" {
		p.Add("reason", "Enter why the agency needs to know")
	}
	CheckText(p, "reason", "Reason", s.Reason, MaxLongText)
	if s.Until != "" {
		d, err := time.Parse(time.DateOnly, s.Until)
		if err != nil || d.Before(now.Truncate(24*time.Hour)) {
			p.Add("until", "Enter an end date today or later, like 2027-03-31, or leave it blank")
		}
	}
}

// Covers reports whether s, an active share, already gives all that r asks for: the
// same case and agency, a scope at least as wide (the whole case covers the case
// without sensitive fields, not the other way round), and lasting at least as long
// (a share with no end covers any end; one ending on a day covers requests ending
// on or before it, not one with no end). Covers reads the terms only: a share past
// its end date is not Live, and covers nothing.
func (s *Share) Covers(r *Share, now time.Time) bool {
	if s.CaseID != r.CaseID || s.AgencyID != r.AgencyID || !s.Live(now) {
		return false
	}
	if s.Scope != ShareWhole && r.Scope != s.Scope {
		return false
	}
	return s.Until == "" || (r.Until != "" && r.Until <= s.Until)
}

// CoveringShare is the active share among shares that already covers r, or nil.
func CoveringShare(r *Share, shares []*Share, now time.Time) *Share {
	for _, s := range shares {
		if s.Covers(r, now) {
			return s
		}
	}
	return nil
}

// MayAskShare refuses a share or access request that an active share already covers:
// there is nothing to ask for.
func MayAskShare(r *Share, shares []*Share, now time.Time) error {
	if s := CoveringShare(r, shares, now); s != nil {
		return &Error{Code: ECONFLICT, Message: "This case is already shared with " + s.AgencyName + " as widely and for as long as this asks: there is nothing to ask for. " +
			"To share more, ask for the whole case or for a later end date."}
	}
	return nil
}

// CoveredBy lists the requests still waiting among shares that active, a share that
// has just become active, covers: they close as ShareCovered, in the same transaction.
func CoveredBy(active *Share, shares []*Share, now time.Time) []*Share {
	var out []*Share
	for _, r := range shares {
		if r.Status == ShareRequested && active.Covers(r, now) {
			out = append(out, r)
		}
	}
	return out
}

// CoveredReason is the decision reason kept on a request closed as covered: why it
// was closed, for the requester and the owner's supervisors.
func CoveredReason(active *Share) string {
	return "Already shared: share " + strconv.FormatInt(active.ID, 10) + " with " + active.AgencyName + " became active and gives all this request asked for."
}

// CaseAccess is how much of a case a user may see.
type CaseAccess int

const (
	AccessNone             CaseAccess = iota // answers as if the case did not exist
	AccessWithoutSensitive                   // a share without sensitive fields
	AccessWhole                              // the owning agency, or a whole-case share
)

// CaseWorker reports whether the actor works cases at all: caseworkers and
// supervisors. The triage hub sees new reports, not all cases (DESIGN.md §4 rule 1):
// it may open a case from a report, or add a report to one (CanOpenCases), without
// seeing the case. Analysts see statistics and pseudonymised links; administrators
// manage accounts.
func CaseWorker(a Actor) bool {
	return a.Has(RoleCaseworker) || a.Has(RoleSupervisor)
}

// CanOpenCases reports whether the actor may open a case, or link a report to one
// of its agency's cases: case workers and the triage hub.
func CanOpenCases(a Actor) bool { return CaseWorker(a) || a.Has(RoleTriage) }

// AccessTo decides what the actor may see of a case owned by owner with shares,
// on day now: the rule of need to know, in one place.
func AccessTo(a Actor, owner int64, shares []*Share, now time.Time) CaseAccess {
	if !CaseWorker(a) {
		return AccessNone
	}
	if a.AgencyID == owner {
		return AccessWhole
	}
	best := AccessNone
	for _, s := range shares {
		if s.AgencyID != a.AgencyID || !s.Live(now) {
			continue
		}
		if s.Scope == ShareWhole {
			return AccessWhole
		}
		best = AccessWithoutSensitive
	}
	return best
}

// IsOwnerSupervisor reports whether the actor supervises at the owning agency: who
// approves shares, role changes and sees the access log.
func IsOwnerSupervisor(a Actor, owner int64) bool {
	return a.Has(RoleSupervisor) && a.AgencyID == owner
}

// AccessLogEntry is one recorded view of a case or person.
type AccessLogEntry struct {
	At     time.Time
	User   string
	Agency string
	What   string // "case", or "person NAME"
}
