package tropic

import (
	"context"
	"strings"
	"time"
)

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
	case LinkEmail:
		return "e-mail address"
	case LinkPerson:
		return "name and date of birth"
	}
	return string(k)
}

// ParseVia reads back how an access request by identifier names its identifier
// ("phone number 07700 900123", as Label and the value as typed): the kind and the value.
func ParseVia(via string) (LinkKind, string, bool) {
	for k := range requestableKinds {
		if v, ok := strings.CutPrefix(via, k.Label()+" "); ok && v != "" {
			return k, v, true
		}
	}
	return "", "", false
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
	HeldByID  int64  // that agency's id, for a case: whom to ask for access (AccessRequest)
	// Withdrawn: the link held until the other record's identifier was corrected or
	// removed (WithdrawnWhy: LinkCorrected or a RemovalReason), at WithdrawnAt.
	Withdrawn    bool
	WithdrawnAt  time.Time
	WithdrawnWhy string
}

// LinkService finds the exact links of cases and reports, as far as the actor may see.
type LinkService interface {
	// FindLinks lists the links of a case the actor may see; a case they may not
	// see answers ENOTFOUND.
	FindLinks(ctx context.Context, actor Actor, caseRef string) ([]Link, error)
	// FindReportLinks lists the links of a report the actor may see.
	FindReportLinks(ctx context.Context, actor Actor, reportRef string) ([]Link, error)
}

// Identifiers linked on people as well as on places and things.
const (
	LinkEmail  LinkKind = "email"  // lower-cased address, dots kept
	LinkPerson LinkKind = "person" // folded full name with the same full date of birth
)

// MatchStatus is where a suggested person match stands.
type MatchStatus string

// Match statuses. A rejected match is never suggested again; a linked or merged one
// is not suggested again either, and joins the network.
const (
	MatchOpen     MatchStatus = "open"
	MatchLinked   MatchStatus = "linked"
	MatchMerged   MatchStatus = "merged"
	MatchRejected MatchStatus = "rejected"
	MatchUndone   MatchStatus = "undone" // a merge taken back: the records are apart and linked no more
)

// MatchDecision is what a caseworker decides of a suggestion.
type MatchDecision string

// Decisions on a suggested person match.
const (
	DecideLink   MatchDecision = "link"   // the same person: the records stay apart, linked
	DecideMerge  MatchDecision = "merge"  // the same person: one record, with an undo
	DecideReject MatchDecision = "reject" // not the same person: never suggested again
)

// Audit actions of person matching.
const (
	AuditMatchesViewed  = "case.matches_viewed"
	AuditMatchDecided   = "person_match.decided"
	AuditMatchUndone    = "person_match.undone"
	AuditNetworkViewed  = "network.viewed"
	AuditAnalystNetwork = "network.analyst_viewed"
)

// PersonSuggestion is a person record elsewhere that may be the same person as one
// on the viewer's case, found by the probabilistic matcher. Need to know: when the
// viewer may not see any case the other record is on, Visible is false and only
// HeldBy is told, with the explanation limited to which fields agree (no values).
type PersonSuggestion struct {
	ID          int64 // the match, to decide on
	PersonID    int64 // on the viewer's case
	PersonName  string
	Status      MatchStatus
	Probability float64   // the model's; 0 when not Visible (it would tell levels of a field apart)
	Band        MatchBand // from the probability; when not Visible, from the coarse explanation
	Explanation string    // "same phone; given name similar 0.93; date of birth with day and month swapped"
	Visible     bool
	OtherID     int64    // the other person record, when visible
	OtherName   string   // when visible
	OtherCases  []string // references of visible cases the other record is on
	HeldBy      string   // the agency holding the other record's case(s)
	Holders     []Agency // those agencies (ID and name), whom a request for access goes to
	DecidedBy   string   // for linked and merged matches
	DecidedAt   time.Time
	Reason      string
}

// Network is people, cases, reports and identifiers connected through exact links
// and accepted person links, as far as the viewer may see. A node the viewer may not
// see is kept (so the shape is true) but labelled only by who holds it.
type Network struct {
	Nodes     []NetworkNode
	Edges     []NetworkEdge
	Truncated bool // the walk stopped at the node limit
}

// NetworkNode is one thing in a network.
type NetworkNode struct {
	Key     string // unique within the network: "case:12", "person:7", "phone:+447700900123"
	Kind    string // case, report, person, phone, vehicle, place, business, email
	Label   string // what the viewer may see: a name, a reference, an identifier, or a pseudonym
	Visible bool   // false: "held by" HeldBy, nothing else
	HeldBy  string
	CaseRef string // for a visible case, and for a visible person the case to open them from
	Report  string // for a visible report
	Person  int64  // for a visible person
	Root    bool   // the record the network was drawn from

	// In a search of the analysts' network: steps from the record searched for,
	// and whether all its neighbours are in the network.
	Steps    int
	Expanded bool
	// For a case in a search of the analysts' network: when it was opened and
	// closed (zero: open), for the timeline.
	Opened, Closed time.Time
	// For a pseudonymised person of the analysts' network: the agencies holding
	// them (owning a case they are on), whom to ask to reveal them; and whether the
	// label is their name, revealed to this analyst (decision 75).
	Holders  []NetworkHolder
	Revealed bool
}

// NetworkHolder is an agency holding a record of the analysts' network.
type NetworkHolder struct {
	ID   int64
	Name string
}

// NetworkEdge joins two nodes; Why says how ("on the case", "same phone", "linked by J Smith").
type NetworkEdge struct {
	From, To string
	Why      string
}

// MatchService suggests, decides and draws person matches and networks.
type MatchService interface {
	// Suggestions finds possible matches for the people on a case the actor may
	// see (ENOTFOUND otherwise), open ones and those already linked or merged;
	// rejected ones are left out for good. The read is audited.
	Suggestions(ctx context.Context, actor Actor, caseRef string) ([]PersonSuggestion, error)
	// Decide links, merges or rejects a suggestion on the actor's case. Link and
	// merge need the other record to be visible; merge needs whole access to every
	// case it is on. reason is required for reject and merge. A merge that would show
	// a potential victim (or a person once one) on a case only as a suspect does not
	// happen: it asks the owner's supervisors for that change of role (the request is
	// kept) and answers ECONFLICT saying so (victim first).
	Decide(ctx context.Context, actor Actor, caseRef string, matchID int64, d MatchDecision, reason string) error
	// UndoMerge takes a merge back: the other record is restored on its cases.
	UndoMerge(ctx context.Context, actor Actor, caseRef string, matchID int64, reason string) error
	// CaseNetwork walks from a case through exact identifiers and linked people,
	// up to depth steps and limit nodes.
	CaseNetwork(ctx context.Context, actor Actor, caseRef string, depth, limit int) (*Network, error)
	// AnalystNetwork is the partnership's network for an analyst, among the cases
	// q's filters keep: with a search, the records near the one searched for and
	// the neighbours of those q expands, all of them; without, the largest
	// connected groups first, up to limit nodes. Businesses and places are named
	// (PartnershipNetworkNames); people, cases and other identifiers are only
	// kinds, holding agencies and stable pseudonyms. Audited as a view, or as an
	// export when q.Export says so.
	AnalystNetwork(ctx context.Context, actor Actor, q NetworkQuery, limit int) (*Network, error)
	// RefreshReportMatches finds the cases that share an identifier with a report
	// and stores them, so the triage queue can show "matches case X".
	RefreshReportMatches(ctx context.Context, reportID int64) error
	// MatchNewReports does the same for up to limit reports not matched yet, oldest
	// first, in one transaction, and says how many it matched (the report_match job
	// runs it every few seconds).
	MatchNewReports(ctx context.Context, limit int) (int, error)
	// RefreshCaseMatches does the same from a case whose identifiers changed.
	RefreshCaseMatches(ctx context.Context, caseID int64) error
	// ReportMatches tells, for each report of a triage page, the stored cases it
	// matches as the actor may see them (a case they may not see: HeldBy only).
	ReportMatches(ctx context.Context, actor Actor, reportIDs []int64) (map[int64][]Link, error)
}

// ReportMatchJob matches the reports that arrived since it last ran against the
// cases: a periodic job, so that a report costs the public form no job of its own.
type ReportMatchJob struct{}

// Kind names the job.
func (ReportMatchJob) Kind() string { return "report_match" }
