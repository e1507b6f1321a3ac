package tropic

import (
	"fmt"
	"strings"
)

// Bulk actions in the triage queue (issue 12, item 11): several reports at once,
// for the common cases: no further action with one reason, or assigning them to a
// colleague of the hub. All or nothing: if any report cannot take the action, none
// is changed, and the refusal names each report and why. Each report is audited on
// its own, as if decided one by one.

// BulkAction is what a bulk action does to each report.
type BulkAction string

const (
	BulkNoFurtherAction BulkAction = "no_further_action"
	BulkAssign          BulkAction = "assign"
)

// AuditReportAssigned records that a report was assigned to a triage user by a colleague.
const AuditReportAssigned = "report.assigned"

// MaxBulkReports is the most reports one bulk action takes: two pages of the queue.
const MaxBulkReports = 100

// ReportBulk is a bulk action on the reports named by References.
type ReportBulk struct {
	Action     BulkAction `json:"action"`
	References []string   `json:"references"`
	Reason     string     `json:"reason,omitempty"`      // for no further action
	AssigneeID int64      `json:"assignee_id,omitempty"` // for assign: a triage user of the actor's agency
}

// Validate checks the action and normalises the references (canonical, each once).
func (b *ReportBulk) Validate() error {
	var p Problems
	seen := map[string]bool{}
	var refs []string
	for _, s := range b.References {
		ref, err := ParseReference(s)
		if err != nil {
			p.Add("references", fmt.Sprintf("%q is not a reference Tropic gives: select the reports again", clip(s)))
			continue
		}
		if !seen[ref] {
			seen[ref] = true
			refs = append(refs, ref)
		}
	}
	b.References = refs
	switch {
	case len(refs) == 0:
		p.Add("references", "Select the reports to act on")
	case len(refs) > MaxBulkReports:
		p.Add("references", fmt.Sprintf("Select at most %d reports at once", MaxBulkReports))
	}
	b.Reason = strings.TrimSpace(b.Reason)
	switch b.Action {
	case BulkNoFurtherAction:
		if b.Reason == "" {
			p.Add("reason", "Enter why no further action is needed for these reports")
		}
		CheckText(&p, "reason", "Reason", b.Reason, MaxLongText)
	case BulkAssign:
		if b.AssigneeID == 0 {
			p.Add("assignee_id", "Choose the colleague to assign the reports to")
		}
	default:
		p.Add("action", "Choose what to do with the selected reports")
	}
	return p.Err()
}

// MayBulkTriage says who may act on several reports at once: triage users of an
// agency of the triage hub. A triage user of another agency sees only the reports
// passed to it, and acts on none of the queue's.
func MayBulkTriage(a Actor, actorInHub bool) error {
	if !a.Has(RoleTriage) || !actorInHub {
		return Errorf(EFORBIDDEN, "Only the triage hub acts on reports in the queue.")
	}
	return nil
}

// MayAssignReportsTo says whether reports may be assigned to u: an enabled triage
// user of the actor's own agency (a colleague of the hub, or the actor).
func MayAssignReportsTo(a Actor, u *User) error {
	if u == nil || u.Disabled || u.AgencyID != a.AgencyID || !u.Has(RoleTriage) {
		return &Error{Code: EINVALID, Message: "Choose a colleague from the list",
			Fields: map[string]string{"assignee_id": "Choose a triage colleague of your agency from the list"}}
	}
	return nil
}

// BulkReportState is what a bulk action needs to know of one report as it stands.
type BulkReportState struct {
	Reference string
	Status    ReportStatus
	DecidedBy string // the name of who decided it, when it is decided
	ClaimedBy *User  // with its agency, when claimed
}

// BulkProblem says why report r cannot take action b by actor now, or "" when it
// can. A decided report has left the queue (someone decided it meanwhile); a report
// claimed by someone else is theirs to decide (assigning it to the one who holds it
// changes nothing and is allowed).
func BulkProblem(a Actor, b ReportBulk, r BulkReportState) string {
	if r.Status != ReportNew {
		who := ""
		if r.DecidedBy != "" {
			who = " by " + r.DecidedBy
		}
		return fmt.Sprintf("%s has been decided%s meanwhile (%s)", r.Reference, who, strings.ToLower(r.Status.Label()))
	}
	if c := r.ClaimedBy; c != nil && c.ID != a.UserID && !(b.Action == BulkAssign && c.ID == b.AssigneeID) {
		who := c.Name
		if c.Agency != nil && c.AgencyID != a.AgencyID {
			who += " (" + c.Agency.Name + ")"
		}
		return fmt.Sprintf("%s is being worked on by %s", r.Reference, who)
	}
	return ""
}

// BulkRefusal is the error of a bulk action some reports could not take: nothing
// was changed, and each problem is named.
func BulkRefusal(problems []string) error {
	return Errorf(ECONFLICT, "Nothing was changed: %s. Select the reports again without %s.",
		strings.Join(problems, "; "), map[bool]string{true: "it", false: "them"}[len(problems) == 1])
}
