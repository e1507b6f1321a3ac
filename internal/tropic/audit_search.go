package tropic

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Audit search: a data protection officer (or professional standards) asks the audit
// trail who did what to which record, and exports the answer for an investigation; the
// export is itself audited. The trail names people by staff label only and records by
// type and number, so a search shows no personal data of anyone in the records.

// AuditQuery narrows an audit search. Every field is optional; a case is named by
// reference (a disposed case's number still finds its events).
type AuditQuery struct {
	UserID        int64
	AgencyID      int64
	Action        string // an exact action, or a prefix ending in "." (case.)
	ObjectType    string // case, report, person, referral, user, agency...
	ObjectID      int64
	CaseReference string
	From, To      string // YYYY-MM-DD, inclusive, in UTC
	Limit, Offset int
}

// Validate reads the dates and checks the rest, naming the field.
func (q *AuditQuery) Validate() (from, to time.Time, err error) {
	var p Problems
	parse := func(field, s string) time.Time {
		if s = strings.TrimSpace(s); s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			p.Add(field, "Enter a date like 2026-03-14")
		}
		return t
	}
	from, to = parse("from", q.From), parse("to", q.To)
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		p.Add("to", "The end date must be on or after the start date")
	}
	CheckText(&p, "action", "The action", q.Action, 100)
	CheckText(&p, "object_type", "The kind of record", q.ObjectType, 50)
	CheckText(&p, "case", "The case reference", q.CaseReference, 50)
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1) // inclusive: up to the end of that day
	}
	return from, to, p.Err()
}

// String describes the query for the export's own audit event: numbers and names of
// actions only, never free text a user typed about a person.
func (q AuditQuery) String() string {
	var parts []string
	add := func(k, v string) {
		if v != "" && v != "0" {
			parts = append(parts, k+"="+v)
		}
	}
	add("user", strconv.FormatInt(q.UserID, 10))
	add("agency", strconv.FormatInt(q.AgencyID, 10))
	add("action", q.Action)
	add("object", q.ObjectType)
	add("id", strconv.FormatInt(q.ObjectID, 10))
	add("case", q.CaseReference)
	add("from", q.From)
	add("to", q.To)
	if len(parts) == 0 {
		return "everything"
	}
	return strings.Join(parts, " ")
}

// MaySearchAudit lets a data protection officer search and export the audit trail.
func MaySearchAudit(a Actor) error {
	if !a.Has(RoleDPO) {
		return Errorf(EFORBIDDEN, "Only a data protection officer searches the audit trail.")
	}
	return nil
}

// AuditExportLimit is the most events one export holds: narrow the search for more.
const AuditExportLimit = 50000

// AuditExported is the action of an export of the audit trail.
const AuditExported = "audit.exported"

// AuditSearcher searches and exports the audit trail.
type AuditSearcher interface {
	SearchAudit(ctx context.Context, actor Actor, q AuditQuery) ([]*AuditEvent, int, error)
	ExportAudit(ctx context.Context, actor Actor, q AuditQuery) ([]*AuditEvent, error)
	// SummariseAccess groups the events q finds by user and day, newest day first.
	SummariseAccess(ctx context.Context, actor Actor, q AuditQuery) ([]AccessDay, error)
}

// ExportProblem explains an export that would be too large.
func ExportProblem(total int) error {
	return Errorf(EINVALID, "%s", fmt.Sprintf("The search finds %d events; an export holds at most %d. Narrow it by dates, user or record.", total, AuditExportLimit))
}

// AccessDay is one user's day in the audit trail: how many records they viewed, how
// many views, and how many changes, so that the trail reads as who looked at what and
// how much, rather than as one row a page view.
type AccessDay struct {
	UserID  int64
	User    string
	Day     string // YYYY-MM-DD (UTC)
	Views   int
	Records int // distinct records viewed
	Changes int // events that were not views
}

// IsView reports whether an audit action is a read: "case.viewed", "person.viewed"...
func IsView(action string) bool { return strings.HasSuffix(action, ".viewed") }
