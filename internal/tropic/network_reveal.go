package tropic

import (
	"context"
	"strings"
	"time"
)

// Revealing a pseudonymised person of the analysts' network (issue 17 item 4): an
// analyst asks the agency holding the person (owning a case they are on) to reveal
// the name; that agency's supervisors decide in their approvals queue; once approved,
// the requester alone sees the name in the network, its table and exports, for a
// limited time (decision 75).

// ApproveReveal is a request to reveal a person's name in the partnership network.
const ApproveReveal ApprovalKind = "network_reveal"

// RevealStatus is where a reveal request stands.
type RevealStatus string

const (
	RevealRequested RevealStatus = "requested"
	RevealApproved  RevealStatus = "approved"
	RevealDeclined  RevealStatus = "declined"
)

// How long an approved reveal lasts: a potential victim's is shorter (victim first:
// their name is in an analyst's view no longer than it must be).
const (
	RevealDays       = 90
	RevealVictimDays = 30
)

// Audit actions of reveal requests.
const (
	AuditRevealRequested = "network.reveal_requested"
	AuditRevealDecided   = "network.reveal_decided"
)

// RevealRequest asks the agency holding a pseudonymised person to reveal their name
// to the analyst asking.
type RevealRequest struct {
	ID        int64
	PersonKey string // the person's node key in the network: "person:3fa2…"
	AgencyID  int64  // the holding agency asked
	Agency    string // its name
	Purpose   string
	// What the request rests on: an agreement of the register covering both agencies,
	// or why none applies (CheckShareAgreement, the rule shares follow).
	AgreementID       int64
	AgreementTitle    string
	NoAgreementReason string

	Status         RevealStatus
	Victim         bool   // the person is a potential victim on a case of the holder
	Pseudonym      string // "Person 7F3A9C", as the network labels them
	RequestedBy    string // "Ann Analyst (Hertfordshire County Council)"
	RequestedByID  int64
	RequestedAt    time.Time
	DecidedBy      string
	DecidedAt      time.Time
	DecisionReason string
	Until          time.Time // an approved reveal's end
	Name           string    // for the requester of an approved, unexpired reveal
}

// Active says whether an approved reveal shows the name at now.
func (r *RevealRequest) Active(now time.Time) bool {
	return r.Status == RevealApproved && now.Before(r.Until)
}

// RevealUntil is when a reveal approved at now ends.
func RevealUntil(now time.Time, victim bool) time.Time {
	if victim {
		return now.AddDate(0, 0, RevealVictimDays)
	}
	return now.AddDate(0, 0, RevealDays)
}

// MayAskReveal lets those who see the partnership network ask for a person's name.
func MayAskReveal(a Actor) error { return MaySeePartnershipNetwork(a) }

// ValidateReveal checks a request before it is kept: a network person key, a
// purpose, and an agreement of the register (g, loaded by the store for
// r.AgreementID; nil when there is none) covering the holder and the requester's
// agency, or why none applies, by the rule shares follow. holds says whether the
// agency asked holds the person (owns a case they are on).
func ValidateReveal(a Actor, r *RevealRequest, g *SharingAgreement, holds bool, now time.Time) error {
	var p Problems
	r.Purpose = strings.TrimSpace(r.Purpose)
	if !IsNetworkKey(r.PersonKey) || !strings.HasPrefix(r.PersonKey, "person:") || !holds {
		// The form carries these from the network page: not the requester's to fix.
		return Errorf(ENOTFOUND, "That person is not in the partnership network, or the agency named does not hold them: start again from the network.")
	}
	if r.Purpose == "" {
		p.Add("purpose", "Enter the purpose: why you need to know who this person is")
	}
	CheckText(&p, "purpose", "The purpose", r.Purpose, MaxLongText)
	sh := &Share{AgreementID: r.AgreementID, NoAgreementReason: r.NoAgreementReason}
	CheckShareAgreement(&p, sh, g, r.AgencyID, a.AgencyID, now)
	r.NoAgreementReason, r.AgreementTitle = sh.NoAgreementReason, sh.AgreementTitle
	return p.Err()
}

// MayDecideReveal lets a supervisor of the holding agency decide a request that waits,
// not one they asked themselves. To anyone else the request is missing; a request
// decided already (a replay, or a second supervisor) is a conflict. A decline needs
// its reason, which the requester reads.
func MayDecideReveal(a Actor, r *RevealRequest, approve bool, reason string) error {
	if !a.Has(RoleSupervisor) || a.AgencyID == 0 || a.AgencyID != r.AgencyID {
		return Errorf(ENOTFOUND, "Request not found.")
	}
	if r.RequestedByID == a.UserID {
		return Errorf(EFORBIDDEN, "You asked for this reveal: another supervisor of your agency decides it.")
	}
	if r.Status != RevealRequested {
		return Errorf(ECONFLICT, "This request was decided already.")
	}
	var p Problems
	CheckDeclineReason(&p, approve, reason)
	return p.Err()
}

// NetworkRevealService keeps requests to reveal people of the analysts' network.
type NetworkRevealService interface {
	// AskReveal asks r.AgencyID's supervisors to reveal the person r.PersonKey names,
	// and notifies them; r is filled in (ID, Agency, Pseudonym).
	AskReveal(ctx context.Context, actor Actor, r *RevealRequest) error
	// FindOwnReveals lists the actor's requests, newest first, with the name of each
	// approved one still in force.
	FindOwnReveals(ctx context.Context, actor Actor) ([]RevealRequest, error)
	// FindReveal is one request waiting for the actor's decision (ENOTFOUND to
	// anyone but a supervisor of the holder).
	FindReveal(ctx context.Context, actor Actor, id int64) (*RevealRequest, error)
	// DecideReveal approves or declines a request; the requester is notified.
	DecideReveal(ctx context.Context, actor Actor, id int64, approve bool, reason string) error
	// FindRevealApprovals is the approvals queue's source of reveal requests.
	FindRevealApprovals(ctx context.Context, actor Actor) ([]Approval, error)
}
