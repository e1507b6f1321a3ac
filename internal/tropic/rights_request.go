package tropic

import (
	"context"
	"strings"
	"time"
)

// Rights requests (issue 16 item 3): a person asks an agency for their personal data
// or to have it corrected, erased or restricted (UK GDPR Arts 15-18). The agency's
// data protection officer, or a supervisor where it has none, records and works it.
// The deadline is one calendar month from receipt (Art 12(3)), extendable once by
// two further months with a reason.

// RightsKind is the right a request exercises.
type RightsKind string

const (
	RightsAccess        RightsKind = "access"
	RightsRectification RightsKind = "rectification"
	RightsErasure       RightsKind = "erasure"
	RightsRestriction   RightsKind = "restriction"
)

// RightsKinds lists the kinds in display order.
var RightsKinds = []RightsKind{RightsAccess, RightsRectification, RightsErasure, RightsRestriction}

// Label is the kind's name for people.
func (k RightsKind) Label() string {
	switch k {
	case RightsAccess:
		return "Access (subject access request)"
	case RightsRectification:
		return "Rectification"
	case RightsErasure:
		return "Erasure"
	case RightsRestriction:
		return "Restriction of processing"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k RightsKind) Valid() bool {
	for _, v := range RightsKinds {
		if v == k {
			return true
		}
	}
	return false
}

// RightsStatus is where a request stands.
type RightsStatus string

const (
	RightsOpen      RightsStatus = "open"
	RightsExtended  RightsStatus = "extended"
	RightsCompleted RightsStatus = "completed"
	RightsRefused   RightsStatus = "refused" // refused, wholly or in part, under an exemption
)

// Label is the status's name for people.
func (s RightsStatus) Label() string {
	switch s {
	case RightsOpen:
		return "Open"
	case RightsExtended:
		return "Open (extended)"
	case RightsCompleted:
		return "Completed"
	case RightsRefused:
		return "Refused with exemption"
	}
	return string(s)
}

// Closed reports whether the request has been answered.
func (s RightsStatus) Closed() bool { return s == RightsCompleted || s == RightsRefused }

// Audit actions for rights requests. Their details name the request by id and kind,
// never the requester.
const (
	AuditRightsOpened   = "rights.opened"
	AuditRightsExtended = "rights.extended"
	AuditRightsClosed   = "rights.closed"
)

// RightsRequest is one request, recorded by the agency that received it.
type RightsRequest struct {
	ID         int64
	AgencyID   int64
	Kind       RightsKind
	ReceivedOn string // YYYY-MM-DD
	// IdentityVerified says how the requester's identity was checked (required).
	IdentityVerified string
	Reference        string // the agency's own reference (optional)
	Status           RightsStatus
	Deadline         string // YYYY-MM-DD: AddCalendarMonths(ReceivedOn, 1), or +3 once extended
	ExtensionReason  string
	Exemption        string // when refused or partly refused: the exemption relied on
	Outcome          string // what was done
	CreatedBy        string
	CreatedAt        time.Time
	ClosedBy         string
	ClosedAt         *time.Time
}

// Overdue reports whether an unanswered request is past its deadline on day today.
func (r *RightsRequest) Overdue(today string) bool {
	return !r.Status.Closed() && r.Deadline < today
}

// AddCalendarMonths is day plus n calendar months: the same day of the month, or the
// last day of that month when it has no such day (31 January + 1 month is 28 or 29
// February), as the ICO reads Art 12(3).
func AddCalendarMonths(day time.Time, n int) time.Time {
	y, m, d := day.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC)
}

// RightsDeadline is the deadline of a request received on receivedOn (YYYY-MM-DD):
// one calendar month, or three once extended.
func RightsDeadline(receivedOn string, extended bool) (string, error) {
	day, err := time.Parse(time.DateOnly, receivedOn)
	if err != nil {
		return "", err
	}
	n := 1
	if extended {
		n = 3
	}
	return AddCalendarMonths(day, n).Format(time.DateOnly), nil
}

// MayWorkRightsRequests says whether actor may open, read and answer the rights
// requests of agency agencyID: its data protection officer or, where it has none
// (hasDPO false), a supervisor there. Anyone else is told there is no such request.
func MayWorkRightsRequests(actor Actor, agencyID int64, hasDPO bool) error {
	if !actor.IsSystem() && actor.AgencyID == agencyID && (actor.Has(RoleDPO) || !hasDPO && actor.Has(RoleSupervisor)) {
		return nil
	}
	return RightsRequestNotFound()
}

// RightsRequestNotFound is the answer for a request the actor may not see.
func RightsRequestNotFound() error { return Errorf(ENOTFOUND, "Rights request not found.") }

// Validate checks a new request as typed, naming each field at fault, and sets its
// status and deadline. now is the agency's local time: a request is not received in
// the future.
func (r *RightsRequest) Validate(now time.Time) error {
	var p Problems
	r.IdentityVerified, r.Reference = strings.TrimSpace(r.IdentityVerified), strings.TrimSpace(r.Reference)
	r.ReceivedOn = strings.TrimSpace(r.ReceivedOn)
	if !r.Kind.Valid() {
		p.Add("kind", "Choose which right the request exercises")
	}
	day, err := time.Parse(time.DateOnly, r.ReceivedOn)
	switch {
	case err != nil:
		p.Add("received_on", "Enter the date the request was received, like 31/1/2026")
	case day.After(now):
		p.Add("received_on", "The date received cannot be in the future")
	}
	if r.IdentityVerified == "" {
		p.Add("identity_verified", "Say how the requester's identity was verified")
	} else if len(r.IdentityVerified) > 1000 {
		p.Add("identity_verified", "Keep the note of how identity was verified under 1,000 characters")
	}
	if len(r.Reference) > 100 {
		p.Add("reference", "Keep your reference under 100 characters")
	}
	if err := p.Err(); err != nil {
		return err
	}
	r.Status = RightsOpen
	r.Deadline, _ = RightsDeadline(r.ReceivedOn, false)
	return nil
}

// ExtendRights extends r once, by two further months, with a reason.
func ExtendRights(r *RightsRequest, reason string) error {
	reason = strings.TrimSpace(reason)
	switch {
	case r.Status == RightsExtended:
		return Errorf(ECONFLICT, "This request has already been extended; it can be extended only once.")
	case r.Status.Closed():
		return Errorf(ECONFLICT, "This request has been answered and cannot be extended.")
	case reason == "":
		return &Error{Code: EINVALID, Message: "Give the reason for the extension", Fields: map[string]string{"reason": "Give the reason for the extension"}}
	}
	d, err := RightsDeadline(r.ReceivedOn, true)
	if err != nil {
		return err
	}
	r.Status, r.Deadline, r.ExtensionReason = RightsExtended, d, reason
	return nil
}

// CloseRights answers r: completed, or refused (wholly or in part) with the exemption
// relied on. A completed request may also name an exemption, for a partial refusal.
func CloseRights(r *RightsRequest, status RightsStatus, outcome, exemption string) error {
	outcome, exemption = strings.TrimSpace(outcome), strings.TrimSpace(exemption)
	if r.Status.Closed() {
		return Errorf(ECONFLICT, "This request has already been answered.")
	}
	var p Problems
	switch status {
	case RightsCompleted:
	case RightsRefused:
		if exemption == "" {
			p.Add("exemption", "Name the exemption relied on, like \"crime and taxation, DPA 2018 Sch 2 para 2\"")
		}
	default:
		p.Add("status", "Choose completed or refused with exemption")
	}
	if outcome == "" {
		p.Add("outcome", "Say what was done")
	}
	if err := p.Err(); err != nil {
		return err
	}
	r.Status, r.Outcome, r.Exemption = status, outcome, exemption
	return nil
}

// RedactedThirdParty replaces a third party's name in a released package.
const RedactedThirdParty = "[redacted third party]"

// RightsCandidate is a person record of the agency found by the officer's search,
// to confirm (or not) as the requester. Nothing is confirmed automatically.
type RightsCandidate struct {
	PersonID    int64
	Name        string
	DateOfBirth string
	Cases       int // how many of the agency's cases the record is on
	Confirmed   bool
}

// RightsPackage is what an access request releases: each confirmed person record and
// the agency's cases it is on, with the other people on those cases as third parties.
type RightsPackage struct {
	RequestID  int64           `json:"request_id"`
	Reference  string          `json:"reference,omitempty"`
	Agency     string          `json:"agency"`
	ReceivedOn string          `json:"received_on"`
	Deadline   string          `json:"deadline"` // the day the answer is due
	Subjects   []RightsSubject `json:"subjects"`
	ReleasedBy string          `json:"released_by,omitempty"`
	ReleasedAt *time.Time      `json:"released_at,omitempty"`
}

// RightsSubject is one confirmed person record.
type RightsSubject struct {
	PersonID          int64        `json:"person_id"`
	GivenName         string       `json:"given_name"`
	FamilyName        string       `json:"family_name"`
	Aliases           []string     `json:"aliases,omitempty"`
	DateOfBirth       string       `json:"date_of_birth,omitempty"`
	Gender            string       `json:"gender,omitempty"`
	Nationality       string       `json:"nationality,omitempty"`
	Languages         string       `json:"languages,omitempty"`
	Phone             string       `json:"phone,omitempty"`
	Email             string       `json:"email,omitempty"`
	ImmigrationStatus string       `json:"immigration_status,omitempty"`
	Health            string       `json:"health,omitempty"`
	Cases             []RightsCase `json:"cases"`
}

// RightsCase is one of the agency's cases a subject is on.
type RightsCase struct {
	Reference    string             `json:"reference"`
	Title        string             `json:"title"`
	OpenedOn     string             `json:"opened_on"`
	ClosedOn     string             `json:"closed_on,omitempty"`
	Role         string             `json:"role"`
	ThirdParties []RightsThirdParty `json:"third_parties"`
}

// RightsThirdParty is another person named on a subject's case. Name is kept only
// while the officer reviews; RedactThirdParties decides what the package shows.
type RightsThirdParty struct {
	PersonID int64  `json:"-"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Redacted bool   `json:"redacted"`
	Reason   string `json:"unredaction_reason,omitempty"` // why the officer showed the name
}

// RedactThirdParties applies the officer's choices to pkg: every third party is
// redacted, and named as "[redacted third party]" when release is true, unless the
// officer unticked redaction for them with a reason (unredacted: person id to reason).
func RedactThirdParties(pkg *RightsPackage, unredacted map[int64]string, release bool) {
	for i := range pkg.Subjects {
		for j := range pkg.Subjects[i].Cases {
			tps := pkg.Subjects[i].Cases[j].ThirdParties
			for k := range tps {
				reason, shown := unredacted[tps[k].PersonID]
				tps[k].Redacted, tps[k].Reason = !shown, reason
				if !shown && release {
					tps[k].Name = RedactedThirdParty
				}
			}
		}
	}
}

// ValidateUnredaction checks the reason given for showing a third party's name.
func ValidateUnredaction(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", &Error{Code: EINVALID, Message: "Give the reason for showing this person's name", Fields: map[string]string{"reason": "Give the reason for showing this person's name"}}
	}
	return reason, nil
}

// RightsService keeps an agency's rights requests (store.RightsService). Every method
// answers ENOTFOUND to anyone but the agency's officer (MayWorkRightsRequests).
type RightsService interface {
	OpenRightsRequest(ctx context.Context, actor Actor, r *RightsRequest) error
	FindRightsRequests(ctx context.Context, actor Actor) ([]*RightsRequest, error)
	FindRightsRequest(ctx context.Context, actor Actor, id int64) (*RightsRequest, error)
	ExtendRightsRequest(ctx context.Context, actor Actor, id int64, reason string) error
	CloseRightsRequest(ctx context.Context, actor Actor, id int64, status RightsStatus, outcome, exemption string) error
	SearchRightsPeople(ctx context.Context, actor Actor, id int64, name string) ([]RightsCandidate, error)
	ConfirmRightsPerson(ctx context.Context, actor Actor, id, personID int64, confirm bool) error
	SetRightsRedaction(ctx context.Context, actor Actor, id, personID int64, redact bool, reason string) error
	// RightsPackage is the package for the officer's review: third parties named.
	RightsPackage(ctx context.Context, actor Actor, id int64) (*RightsPackage, error)
	// ReleaseRightsPackage records the release and returns the package as released.
	ReleaseRightsPackage(ctx context.Context, actor Actor, id int64) (*RightsPackage, error)
}
