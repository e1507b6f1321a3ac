package tropic

import (
	"context"
	"strings"
	"time"
)

// ShareKind says which side asked for a share.
type ShareKind string

const (
	ShareByOwner     ShareKind = "share"  // the owning agency offers its case to another
	ShareByRequest   ShareKind = "access" // another agency asks for a record the owner holds
	AuditAccessAsked           = "case.access_requested"
)

// AccessRequest asks the agency that holds a record the actor may not see (told to
// them only as "held by AGENCY") to share it. The record is named the way the actor
// met it, exactly one of: the identifier (Kind, Value) that it shares with the actor's
// own case; the possible person match (MatchID) on that case; or a suspect on that
// case (PersonID) who is a potential victim on the holder's case (the s.45 notice).
// The holder's supervisors decide it as a share of each of their cases that hold it.
// Nothing in the request, nor in what the store answers, names the holder's person
// or case before they approve.
type AccessRequest struct {
	CaseReference string   // the actor's own case, where the link or match shows
	Kind          LinkKind // the identifier the two records share
	Value         string   // the identifier as the actor's case shows it
	MatchID       int64    // or: a possible person match on the actor's case
	PersonID      int64    // or: a suspect on the actor's case, potential victim on the holder's
	AgencyID      int64    // who holds the record
	Scope         ShareScope
	LawfulBasis   string
	Reason        string
	AgreementID   int64  // the agreement from the register the request rests on (0: none)
	NoAgreement   string // why no agreement applies, when it cites none

	AgencyName string // set by the store: the holder's name
	Requests   int    // set by the store: how many of the holder's cases it asks for
	ID         int64  // set by the store: the first of the requests made, for the requester's list
}

// AccessBy says how a request named the record it asks for.
type AccessBy string

const (
	AccessByIdentifier AccessBy = "identifier" // an identifier both records hold
	AccessByMatch      AccessBy = "match"      // a possible person match
	AccessByS45        AccessBy = "s45"        // a suspect who is a potential victim on the holder's case
)

// By says how the request names its record.
func (r *AccessRequest) By() AccessBy {
	switch {
	case r.MatchID != 0:
		return AccessByMatch
	case r.PersonID != 0:
		return AccessByS45
	}
	return AccessByIdentifier
}

// Validate checks what the requester typed, naming each field at fault, with the
// agreement it cites (g, nil when none or one not in the register), which must cover
// the requester's agency and the holder.
func (r *AccessRequest) Validate(now time.Time, g *SharingAgreement, requester int64) error {
	var p Problems
	r.CaseReference, r.Value = strings.TrimSpace(r.CaseReference), strings.TrimSpace(r.Value)
	if r.CaseReference == "" {
		p.Add("case_reference", "Enter the reference of your case that shows the record")
	}
	named := 0
	for _, set := range []bool{r.Kind != "" || r.Value != "", r.MatchID != 0, r.PersonID != 0} {
		if set {
			named++
		}
	}
	switch {
	case named != 1 || r.MatchID < 0 || r.PersonID < 0:
		p.Add("value", "Name the record one way: the identifier the records share, the possible match, or the person on your case")
	case r.By() == AccessByIdentifier && (!requestableKinds[r.Kind] || r.Value == ""):
		p.Add("value", "Give the identifier the records share, as your case shows it")
	}
	if r.AgencyID == 0 {
		p.Add("agency", "Choose the agency that holds the record")
	}
	sh := Share{Scope: r.Scope, LawfulBasis: r.LawfulBasis, Reason: r.Reason, AgreementID: r.AgreementID, NoAgreementReason: r.NoAgreement}
	sh.checkTerms(&p, now)
	CheckShareAgreement(&p, &sh, g, r.AgencyID, requester, now)
	r.Reason, r.NoAgreement = sh.Reason, sh.NoAgreementReason
	return p.Err()
}

// requestableKinds are the identifiers a link is made on.
var requestableKinds = map[LinkKind]bool{LinkPhone: true, LinkVehicle: true, LinkPostcode: true, LinkBusiness: true, LinkEmail: true, LinkPerson: true}

// AccessCandidate is one of the holder's cases that shares the identifier.
type AccessCandidate struct {
	CaseID  int64
	OwnerID int64
	Shares  []*Share
}

// MayRequestAccess decides an access request against the cases that share the
// identifier with the actor's case, held by the agency asked, and returns the cases to
// ask for: those the actor may not see and for which no request of the actor's agency
// already waits. It refuses a request for a record the actor already sees (nothing to
// ask: an active share already covers what it asks, Share.Covers; a share without
// sensitive fields does not cover a request for the whole case), one that already
// waits (a replay), and answers a record that does not exist
// exactly as it answers one the actor may not name: not found.
func MayRequestAccess(a Actor, holder int64, want ShareScope, candidates []AccessCandidate, now time.Time) ([]int64, error) {
	if !CaseWorker(a) || a.AgencyID == 0 {
		return nil, Errorf(EFORBIDDEN, "Only caseworkers and supervisors can ask for access to a record.")
	}
	if holder == a.AgencyID {
		return nil, &Error{Code: EINVALID, Message: "Your agency holds this record already: open it from your cases.",
			Fields: map[string]string{"agency": "Choose the agency that holds the record"}}
	}
	var ask []int64
	seen, waiting := 0, 0
	named := map[int64]bool{} // a case named twice (two places in one postcode) is asked for once
	for _, c := range candidates {
		if c.OwnerID != holder || named[c.CaseID] {
			continue
		}
		named[c.CaseID] = true
		if CoveringShare(&Share{CaseID: c.CaseID, AgencyID: a.AgencyID, Scope: want}, c.Shares, now) != nil {
			seen++
			continue
		}
		pending := false
		for _, s := range c.Shares {
			pending = pending || (s.AgencyID == a.AgencyID && s.Status == ShareRequested)
		}
		if pending {
			waiting++
			continue
		}
		ask = append(ask, c.CaseID)
	}
	switch {
	case len(ask) > 0:
		return ask, nil
	case waiting > 0:
		return nil, Errorf(ECONFLICT, "Your agency has already asked for this record: the holder's supervisors have not decided yet.")
	case seen > 0:
		return nil, Errorf(ECONFLICT, "You can already see this record: it is shared with your agency as widely and for as long as you ask.")
	}
	return nil, NoRecordToRequest()
}

// NoRecordToRequest is the one answer for a record that does not exist and for one
// the actor may not name (a case they may not see, an identifier not on it).
func NoRecordToRequest() error {
	return Errorf(ENOTFOUND, "No record held by that agency shares this with your case.")
}

// CheckShareDecision checks a supervisor's decision on a requested share and returns
// the reason, trimmed. Declining needs a reason, whichever side asked (the owner's
// own staff or another agency): the requester reads it (CheckDeclineReason).
func CheckShareDecision(sh *Share, approve bool, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	var p Problems
	CheckDeclineReason(&p, approve, reason)
	if sh.Status != ShareRequested {
		return "", Errorf(ECONFLICT, "This request has already been decided.")
	}
	return reason, p.Err()
}

// CheckDeclineReason is the one rule for the reason of a supervisor's decision on a
// request (a share, a request for access, a reveal): a decline needs one, since
// whoever asked reads it, and any reason is checked as text.
func CheckDeclineReason(p *Problems, approve bool, reason string) {
	if !approve && strings.TrimSpace(reason) == "" {
		p.Add("reason", "Enter why you decline the request: the person who asked reads it")
	}
	CheckText(p, "reason", "The reason", reason, MaxLongText)
}

// MayListOwnAccessRequests lets caseworkers and supervisors see the requests for
// access they made themselves, and how each was decided.
func MayListOwnAccessRequests(a Actor) error {
	if !CaseWorker(a) || a.AgencyID == 0 || a.UserID == 0 {
		return Errorf(EFORBIDDEN, "Only caseworkers and supervisors ask for access to records.")
	}
	return nil
}

// OwnAccessRequest is a request for access as its requester sees it: whom they asked,
// from which of their cases, how and why, and how it was decided. CaseReference, the
// holder's case, is told only while the requester's agency may see that case (the
// request approved and the share live); before, and after a refusal, the holder's
// case and person stay unnamed.
type OwnAccessRequest struct {
	ID             int64
	FromCase       string // the requester's case ("" once disposed of)
	Holder         string // the agency asked
	By             AccessBy
	Via            string // an identifier request: "phone number 07700 900123"
	Scope          ShareScope
	LawfulBasis    string
	Reason         string
	Status         ShareStatus
	RequestedAt    time.Time
	DecidedAt      time.Time
	DecisionReason string // why it was refused
	CaseReference  string // the holder's case, once the requester's agency may see it
	Withdrawn      string // still waiting, but its ground was withdrawn since: why (AccessBasis.Withdrawn)
}

// AccessApproval is an access request as the holder's supervisor decides it: the
// queue's entry, with the holder's own person it concerns (a possible match: the
// person on the holder's case the matcher suggested) and how it stands.
type AccessApproval struct {
	Approval
	PersonID       int64  // a match: the holder's person record
	PersonName     string // its name as the holder's case shows it
	Status         ShareStatus
	DecidedAt      time.Time
	DecisionReason string
}

// AccessRequestService asks for access to records held by other agencies.
type AccessRequestService interface {
	RequestAccess(ctx context.Context, actor Actor, r *AccessRequest) error
	// FindOwnAccessRequests lists the actor's own requests, newest first.
	FindOwnAccessRequests(ctx context.Context, actor Actor) ([]OwnAccessRequest, error)
	// FindAccessApproval reads one request for a supervisor of the holder, to decide.
	FindAccessApproval(ctx context.Context, actor Actor, shareID int64) (*AccessApproval, error)
}

// AccessBasis is how what an access request rests on stands now, as the store finds
// it when the request is read or decided: the case it was asked from, and whether that
// case still names the holder's case the way the request did (the same identifier, the
// possible match still open or confirmed, the suspect still a potential victim there).
// A correction after the request (the phone number removed, the match rejected)
// withdraws the link, and with it the request's ground.
type AccessBasis struct {
	By       AccessBy
	Via      string // an identifier request: "phone number 07700 900123"
	FromCase bool   // the case it was asked from is still held
	Holds    bool   // that case still names the holder's case as it did
}

// Withdrawn says, in a sentence both the requester and the holder may read, why the
// request no longer rests on anything; "" while it does.
func (b AccessBasis) Withdrawn() string {
	switch {
	case !b.FromCase:
		return "The case it was asked from is no longer held, so the link it rests on was withdrawn."
	case b.Holds:
		return ""
	case b.By == AccessByMatch:
		return "The possible match it rests on was withdrawn: it was rejected, or one of the two records is no longer on its case."
	case b.By == AccessByS45:
		return "The s.45 notice it rests on was withdrawn: the person is no longer a suspect on the case it was asked from, or no longer a potential victim on the case asked for."
	case b.Via != "":
		return "The link it rests on was withdrawn: the case it was asked from no longer has the same " + b.Via + "."
	}
	return "The link it rests on was withdrawn."
}

// MayApproveAccess refuses to approve a request for access whose ground was withdrawn
// after it was made: the reason it gives is no longer true. It may still be declined.
func MayApproveAccess(b AccessBasis) error {
	if w := b.Withdrawn(); w != "" {
		return Errorf(ECONFLICT, "This request can no longer be approved. %s Decline it; the person who asked can ask again if there is a new reason.", w)
	}
	return nil
}
