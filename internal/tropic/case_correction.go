package tropic

import (
	"context"
	"strings"
	"time"
)

// Correcting the record (issue 19): whatever a case holds can be changed against the
// version the editor saw, and taken off the case with a reason. The removed values are
// kept only in a tombstone the retention schedule disposes of, never in the audit
// trail; what was derived from them (exact links, report matches, suggestions, the
// network, s.45 notices) follows in the same transaction.

// CasePart is a kind of item a case holds, as it is named in addresses.
type CasePart string

// The parts of a case that can be corrected and removed.
const (
	PartPlace    CasePart = "places"
	PartBusiness CasePart = "businesses"
	PartVehicle  CasePart = "vehicles"
	PartPhone    CasePart = "phones"
	PartOrder    CasePart = "orders"
	PartTask     CasePart = "tasks"
	PartPerson   CasePart = "people" // a person's link to the case; the person's record stays
)

// CaseParts lists the parts, in the order the case page shows them.
var CaseParts = []CasePart{PartPerson, PartPlace, PartBusiness, PartVehicle, PartPhone, PartOrder, PartTask}

// Valid reports whether p is a known part.
func (p CasePart) Valid() bool {
	for _, k := range CaseParts {
		if k == p {
			return true
		}
	}
	return false
}

// ChangeRecord is the timeline's record of an item of a case changed (corrected): it
// names the kind of item, never its value, as a removal's does (decision 44), and is a
// Record, never edited (MayEditNote).
func ChangeRecord(p CasePart) string {
	if p == PartPerson {
		return "Changed a person's link to the case."
	}
	label := p.Label()
	article := "a "
	if strings.ContainsRune("aeiou", rune(label[0])) {
		article = "an "
	}
	return "Changed " + article + label + " on the case."
}

// Label names one item of the part in a sentence: "phone number".
func (p CasePart) Label() string {
	switch p {
	case PartPlace:
		return "place"
	case PartBusiness:
		return "business"
	case PartVehicle:
		return "vehicle"
	case PartPhone:
		return "phone number"
	case PartOrder:
		return "order"
	case PartTask:
		return "task"
	case PartPerson:
		return "person"
	}
	return string(p)
}

// RemovalReason is why an item was taken off a case.
type RemovalReason string

// The reasons from the short list; RemovedOther needs a few words of its own.
const (
	RemovedInError      RemovalReason = "entered_in_error"
	RemovedDuplicate    RemovalReason = "duplicate"
	RemovedNotConnected RemovalReason = "not_connected"
	RemovedOther        RemovalReason = "other"
)

// RemovalReasons lists the reasons in the order a form offers them.
var RemovalReasons = []RemovalReason{RemovedInError, RemovedDuplicate, RemovedNotConnected, RemovedOther}

// Label is the reason as a page shows it.
func (r RemovalReason) Label() string {
	switch r {
	case RemovedInError:
		return "Entered in error"
	case RemovedDuplicate:
		return "Duplicate"
	case RemovedNotConnected:
		return "Not connected to this case"
	case RemovedOther:
		return "Other"
	}
	return string(r)
}

// Removal asks to take one item off a case.
type Removal struct {
	Part    CasePart
	ItemID  int64
	Version int // the item's version the remover saw: a removal of a since-corrected item is refused
	Reason  RemovalReason
	Detail  string // RemovedOther: why, in a few words
}

// Validate checks the reason: one from the list, and words of its own for "other".
func (r *Removal) Validate() error {
	var p Problems
	r.Detail = strings.TrimSpace(r.Detail)
	switch r.Reason {
	case RemovedInError, RemovedDuplicate, RemovedNotConnected:
	case RemovedOther:
		if r.Detail == "" {
			p.Add("detail", "Enter why it is being removed")
		}
	default:
		p.Add("reason", "Choose why it is being removed")
	}
	CheckText(&p, "detail", "The reason", r.Detail, MaxMediumText)
	return p.Err()
}

// Text is the reason as the timeline records it.
func (r *Removal) Text() string {
	if r.Reason == RemovedOther && r.Detail != "" {
		return r.Detail
	}
	return strings.ToLower(r.Reason.Label())
}

// CaseLinkUpdate changes a person's link to a case: their role (by the rule of
// DecideRoleTransition, four eyes and all) and whether they may have been compelled
// to offend.
type CaseLinkUpdate struct {
	LinkID          int64
	Version         int
	Role            PersonRole
	Reason          string // for a role change that a supervisor must decide
	CoercedOffender bool
}

// MayRemoveCaseLink decides who takes a person off a case: the owning agency's case
// workers, except that a person who is or was a potential victim on the case is taken
// off only by a supervisor there (victim first: taking a victim off a case ends what
// the case does for them).
func MayRemoveCaseLink(a Actor, c *Case, wasVictim bool) error {
	if err := MayChangeCase(a, c); err != nil {
		return err
	}
	if wasVictim && !IsOwnerSupervisor(a, c.OwnerAgencyID) {
		return Errorf(EFORBIDDEN, "This person is recorded as a potential victim on the case, so only a supervisor at %s can take them off it. Ask a supervisor.", c.OwnerAgency)
	}
	return nil
}

// MayChangeTask lets the owning agency change or remove any task on its case, and an
// agency with a whole-case share those its own staff set (createdByAgency).
func MayChangeTask(a Actor, c *Case, createdByAgency int64) error {
	if a.AgencyID == c.OwnerAgencyID {
		return nil
	}
	if err := MayContributeToCase(a, c); err != nil {
		return err
	}
	if createdByAgency != a.AgencyID {
		return Errorf(EFORBIDDEN, "Only %s, or the agency that set this task, can change it.", c.OwnerAgency)
	}
	return nil
}

// LinkCorrected is why a link was withdrawn when the other record's identifier was
// corrected rather than removed.
const LinkCorrected = "corrected"

// WithdrawnLabel says why a link was withdrawn, in a sentence.
func WithdrawnLabel(why string) string {
	if why == LinkCorrected {
		return "the other record was corrected"
	}
	return "removed from the other record: " + strings.ToLower(RemovalReason(why).Label())
}

// LinkWithdrawnShownFor is how long a case's links page tells of a link withdrawn by
// a correction of the other record.
const LinkWithdrawnShownFor = 90 * 24 * time.Hour

// Audit actions of correcting the record. The detail names the item by its id and,
// for a removal, the tombstone: never the value.
const (
	AuditCasePartChanged = "case.part_changed"
	AuditCasePartRemoved = "case.part_removed"
)

// CaseCorrections changes and removes what a case holds. Each update carries the ID
// and the version the editor saw; a stale one is refused (ECONFLICT naming who
// changed it and when).
type CaseCorrections interface {
	UpdatePlace(ctx context.Context, actor Actor, caseRef string, p *Place) error
	UpdateBusiness(ctx context.Context, actor Actor, caseRef string, b *Business) error
	UpdateVehicle(ctx context.Context, actor Actor, caseRef string, v *CaseVehicle) error
	UpdatePhone(ctx context.Context, actor Actor, caseRef string, ph *CasePhone) error
	UpdateOrder(ctx context.Context, actor Actor, caseRef string, o *Order) error
	// UpdateTask changes a task's title, due date and assignee; a new assignee is told.
	UpdateTask(ctx context.Context, actor Actor, caseRef string, t *Task) error
	// UpdateCaseLink changes a person's link, and sets u.Version to the link's new
	// version; a role change that needs a supervisor becomes a request, returned.
	UpdateCaseLink(ctx context.Context, actor Actor, caseRef string, u *CaseLinkUpdate) (*RoleChange, error)
	// RemoveFromCase takes an item off a case with a reason, once.
	RemoveFromCase(ctx context.Context, actor Actor, caseRef string, r Removal) error
}
