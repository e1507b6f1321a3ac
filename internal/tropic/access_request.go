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
// met it: the identifier (Kind, Value) that it shares with the actor's own case, or
// the possible person match (MatchID) on that case. The holder's supervisors decide it
// as a share of each of their cases that hold it.
type AccessRequest struct {
	CaseReference string   // the actor's own case, where the link or match shows
	Kind          LinkKind // the identifier the two records share
	Value         string   // the identifier as the actor's case shows it
	AgencyID      int64    // who holds the record
	Scope         ShareScope
	LawfulBasis   string
	Reason        string
	AgreementID   int64  // the agreement from the register the request rests on (0: none)
	NoAgreement   string // why no agreement applies, when it cites none

	AgencyName string // set by the store: the holder's name
	Requests   int    // set by the store: how many of the holder's cases it asks for
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
	if !requestableKinds[r.Kind] || r.Value == "" {
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
// ask), one that already waits (a replay), and answers a record that does not exist
// exactly as it answers one the actor may not name: not found.
func MayRequestAccess(a Actor, holder int64, candidates []AccessCandidate, now time.Time) ([]int64, error) {
	if !CaseWorker(a) || a.AgencyID == 0 {
		return nil, Errorf(EFORBIDDEN, "Only caseworkers and supervisors can ask for access to a record.")
	}
	if holder == a.AgencyID {
		return nil, &Error{Code: EINVALID, Message: "Your agency holds this record already: open it from your cases.",
			Fields: map[string]string{"agency": "Choose the agency that holds the record"}}
	}
	var ask []int64
	seen, waiting := 0, 0
	for _, c := range candidates {
		if c.OwnerID != holder {
			continue
		}
		if AccessTo(a, c.OwnerID, c.Shares, now) != AccessNone {
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
		return nil, Errorf(ECONFLICT, "You can already see this record: it is shared with your agency.")
	}
	return nil, NoRecordToRequest()
}

// NoRecordToRequest is the one answer for a record that does not exist and for one
// the actor may not name (a case they may not see, an identifier not on it).
func NoRecordToRequest() error {
	return Errorf(ENOTFOUND, "No record held by that agency shares this with your case.")
}

// AccessRequestService asks for access to records held by other agencies.
type AccessRequestService interface {
	RequestAccess(ctx context.Context, actor Actor, r *AccessRequest) error
}
