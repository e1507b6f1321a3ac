package tropic

import (
	"strconv"
	"strings"
	"time"
)

// Officer in charge, review date and closure by a supervisor (issue 12, item 5).

// CaseAssignment sets who is in charge of a case and when it is next reviewed.
// Version is the version of the case the editor saw.
type CaseAssignment struct {
	Version       int
	OfficerUserID int64  // 0: nobody
	ReviewOn      string // YYYY-MM-DD, or "" for no date
}

// ValidateReviewDate checks a review date: empty, or a day from today (the
// partnership's day) on.
func ValidateReviewDate(p *Problems, reviewOn string, today time.Time) string {
	reviewOn = strings.TrimSpace(reviewOn)
	if reviewOn == "" {
		return ""
	}
	d, err := time.Parse(time.DateOnly, reviewOn)
	if err != nil {
		p.Add("review_on", "Enter the review date as a date, like 2027-03-31, or leave it blank")
		return reviewOn
	}
	if d.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)) {
		p.Add("review_on", "Enter a review date today or later")
	}
	return reviewOn
}

// MayBeOfficer decides whether officer may be made officer in charge of a case owned
// by owner: an enabled caseworker or supervisor of the owning agency. Anyone else is
// refused by field, naming no one (the choice came from a list of the agency's staff).
func MayBeOfficer(officer *User, owner int64) error {
	if officer == nil || officer.AgencyID != owner || officer.Disabled || !CaseWorker(ActorFor(officer)) {
		return &Error{Code: EINVALID, Message: "Choose the officer in charge from your agency's caseworkers and supervisors",
			Fields: map[string]string{"officer": "Choose the officer in charge from your agency's caseworkers and supervisors"}}
	}
	return nil
}

// ClosureStatus is where a request to close a case stands.
type ClosureStatus string

const (
	ClosureRequested ClosureStatus = "requested"
	ClosureApproved  ClosureStatus = "approved"
	ClosureRefused   ClosureStatus = "refused"
)

// ClosureRequest is a caseworker's request that a supervisor close a case.
type ClosureRequest struct {
	ID            int64
	CaseID        int64
	CaseReference string
	Outcome       CaseOutcome
	Reason        string
	Status        ClosureStatus
	RequestedByID int64
	RequestedBy   string // the requester's name and agency, as records keep them
	RequestedAt   time.Time
	DecidedBy     string
	DecidedAt     time.Time
	DecisionNote  string
}

// PendingClosure is one closure request waiting in an agency's approvals queue.
type PendingClosure struct {
	CaseReference string    `json:"case_reference"`
	RequestedBy   string    `json:"requested_by"`
	RequestedAt   time.Time `json:"requested_at"`
	Reason        string    `json:"reason"`
}

// CaseClosure is a close or a request to close: the outcome, the version of the case
// the user saw, why (required of a request), and whether the user has confirmed the
// closure warnings (ClosureWarnings) shown to them.
type CaseClosure struct {
	Outcome   CaseOutcome
	Version   int
	Reason    string
	Confirmed bool
}

// Validate checks a closure; a request (request true) needs a reason.
func (cl *CaseClosure) Validate(request bool) error {
	var p Problems
	if !cl.Outcome.Valid() {
		p.Add("outcome", "Choose the outcome the case closed with")
	}
	cl.Reason = strings.TrimSpace(cl.Reason)
	if request && cl.Reason == "" {
		p.Add("reason", "Enter why the case can be closed, for the supervisor who decides")
	}
	CheckText(&p, "reason", "The reason", cl.Reason, MaxLongText)
	return p.Err()
}

// ClosureWarnings are what closing a case would leave open, as sentences without
// personal data: open NRM referrals (no conclusive grounds decision, not withdrawn),
// open tasks and active shares.
func ClosureWarnings(openReferrals, openTasks, activeShares int) []string {
	var out []string
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	}
	if openReferrals > 0 {
		out = append(out, plural(openReferrals, "NRM referral is", "NRM referrals are")+" still open: no conclusive grounds decision has been recorded.")
	}
	if openTasks > 0 {
		out = append(out, plural(openTasks, "task is", "tasks are")+" not done.")
	}
	if activeShares > 0 {
		out = append(out, "The case is shared with "+plural(activeShares, "other agency", "other agencies")+"; closing it does not end the shares.")
	}
	return out
}

// MayCloseCase lets a supervisor of the owning agency close a case at once.
func MayCloseCase(a Actor, c *Case) error {
	if err := MayChangeCase(a, c); err != nil {
		return err
	}
	if !IsOwnerSupervisor(a, c.OwnerAgencyID) {
		return Errorf(EFORBIDDEN, "Only a supervisor at %s can close this case. Ask one to close it: your request will wait for their decision.", c.OwnerAgency)
	}
	return nil
}

// MayRequestClosure lets the owning agency's case workers ask a supervisor to close a
// case; a supervisor closes it instead.
func MayRequestClosure(a Actor, c *Case) error {
	if err := MayChangeCase(a, c); err != nil {
		return err
	}
	if !CaseWorker(a) {
		return Errorf(EFORBIDDEN, "Only caseworkers and supervisors at %s can ask for this case to be closed.", c.OwnerAgency)
	}
	return nil
}

// MayDecideClosure lets a supervisor of the owning agency approve or refuse a request
// to close, with four eyes: never their own request.
func MayDecideClosure(a Actor, c *Case, req *ClosureRequest) error {
	if err := MayCloseCase(a, c); err != nil {
		return err
	}
	if req.RequestedByID != 0 && req.RequestedByID == a.UserID {
		return Errorf(EFORBIDDEN, "You asked for this case to be closed, so another supervisor at %s must decide.", c.OwnerAgency)
	}
	return nil
}

// MayConfirmClosure refuses a closure whose warnings the user has not confirmed.
func MayConfirmClosure(warnings []string, confirmed bool) error {
	if len(warnings) == 0 || confirmed {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Confirm that the case may close with what is still open: " + strings.Join(warnings, " "),
		Fields: map[string]string{"confirm": "Confirm that the case may close with what is still open"}}
}

// Audit actions of the officer in charge and of closure requests.
const (
	AuditCaseAssigned         = "case.assigned"
	AuditCaseClosureRequested = "case.closure_requested"
	AuditCaseClosureDecided   = "case.closure_decided"
)
