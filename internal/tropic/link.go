package tropic

import "context"

// LinkKind names the normalised identifier two records share.
type LinkKind string

// The identifiers exact links are made on.
const (
	LinkPhone    LinkKind = "phone"    // E.164
	LinkVehicle  LinkKind = "vehicle"  // registration without spaces, upper case
	LinkPostcode LinkKind = "postcode" // formatted UK postcode
	LinkBusiness LinkKind = "business" // folded business name
)

// Label is the identifier's name in a sentence: "phone number".
func (k LinkKind) Label() string {
	switch k {
	case LinkPhone:
		return "phone number"
	case LinkVehicle:
		return "vehicle registration"
	case LinkPostcode:
		return "postcode"
	case LinkBusiness:
		return "business name"
	}
	return string(k)
}

// Audit actions for reading links: a link names other records, so reading them is a
// read of those records.
const (
	AuditCaseLinksViewed   = "case.links_viewed"
	AuditReportLinksViewed = "report.links_viewed"
)

// TriageHub is who holds reports, as told to those who may not see them.
const TriageHub = "the triage hub"

// Link is an exact match between the viewer's record and another case or report on
// one normalised identifier. Need to know (DESIGN.md §4 rule 1): when the viewer may
// not see the other record, Visible is false and only HeldBy is set: a match exists
// in a record held by that agency, whom to contact. Nothing else about it is told.
type Link struct {
	Kind      LinkKind
	Value     string // the identifier as typed on the viewer's own record
	Visible   bool
	CaseRef   string // a visible case
	Title     string // a visible case's title
	ReportRef string // a visible report
	HeldBy    string // the agency that holds the other record (TriageHub for reports)
}

// LinkService finds the exact links of cases and reports, as far as the actor may see.
type LinkService interface {
	// FindLinks lists the links of a case the actor may see; a case they may not
	// see answers ENOTFOUND.
	FindLinks(ctx context.Context, actor Actor, caseRef string) ([]Link, error)
	// FindReportLinks lists the links of a report the actor may see.
	FindReportLinks(ctx context.Context, actor Actor, reportRef string) ([]Link, error)
}
