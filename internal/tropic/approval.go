package tropic

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// ApprovalKind is what a supervisor is asked to decide.
type ApprovalKind string

const (
	ApproveShare      ApprovalKind = "share"        // share my agency's case with another agency
	ApproveAccess     ApprovalKind = "access"       // another agency asks for my agency's case
	ApproveRoleChange ApprovalKind = "role_change"  // a potential victim to be made a suspect
	ApproveClosure    ApprovalKind = "case_closure" // close a case
	ApproveRetention  ApprovalKind = "retention"    // a record at the end of its retention period: keep or dispose
)

// Label names the kind in a sentence's start: "Share request".
func (k ApprovalKind) Label() string {
	switch k {
	case ApproveShare:
		return "Share request"
	case ApproveAccess:
		return "Access request"
	case ApproveRoleChange:
		return "Role change"
	case ApproveClosure:
		return "Case closure"
	case ApproveRetention:
		return "Retention review"
	case ApproveReveal:
		return "Reveal request"
	}
	return string(k)
}

// ApprovalKinds are the kinds in the order the home page counts them.
var ApprovalKinds = []ApprovalKind{ApproveShare, ApproveAccess, ApproveRoleChange, ApproveClosure, ApproveRetention, ApproveReveal}

// Approval is one request waiting in a supervisor's queue: on a case of their agency,
// asked by someone, waiting since RequestedAt. What says what is asked, for the
// supervisor (it may name an agency, never a person on the case).
type Approval struct {
	Kind          ApprovalKind
	ID            int64  // the share's, the role change's, the closure's
	CaseReference string // or, for a retention review of a report, the report's (Record says which)
	Record        RecordKind
	What          string // what is asked, when the fields below do not say it (a closure's outcome)
	Agency        string // a share: the agency to share with; an access request: who asks
	Scope         ShareScope
	LawfulBasis   string
	Via           string     // an access request by identifier: the identifier the records share
	AccessBy      AccessBy   // an access request: how it names the record
	Withdrawn     string     // an access request whose ground was withdrawn since: why (AccessBasis.Withdrawn); it cannot be approved
	Share         *Share     // a share or access request: what it rests on (AgreementID, AgreementTitle, NoAgreementReason) and its Flag
	From, To      PersonRole // a role change
	Reason        string     // why it is asked
	RequestedBy   string     // "Pat Worker (Hertfordshire Constabulary)"
	RequestedAt   time.Time  // the queue's order: oldest first
}

// ApprovalSource lists the requests of one kind waiting for the actor's decision: a
// supervisor's, at their agency; nothing for anyone else. The approvals queue is a
// list of them, so that a new kind of request is one more source.
type ApprovalSource func(ctx context.Context, actor Actor) ([]Approval, error)

// MayListApprovals lets supervisors see their agency's approvals queue; to anyone else
// the queue is empty (not an error: the home page asks every user).
func MayListApprovals(a Actor) bool { return a.Has(RoleSupervisor) && a.AgencyID != 0 }

// CollectApprovals asks each source and merges their requests, oldest first (ties by
// kind and id, so the order is stable).
func CollectApprovals(ctx context.Context, actor Actor, sources []ApprovalSource) ([]Approval, error) {
	if !MayListApprovals(actor) {
		return nil, nil
	}
	var out []Approval
	for _, src := range sources {
		list, err := src(ctx, actor)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	slices.SortStableFunc(out, func(a, b Approval) int {
		if c := a.RequestedAt.Compare(b.RequestedAt); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// CountApprovals counts requests by kind.
func CountApprovals(list []Approval) map[ApprovalKind]int {
	out := map[ApprovalKind]int{}
	for _, a := range list {
		out[a.Kind]++
	}
	return out
}
