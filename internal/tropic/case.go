package tropic

import (
	"context"
	"strings"
	"time"
)

// CaseStatus is where a case stands.
type CaseStatus string

const (
	CaseOpen   CaseStatus = "open"   // opened, not yet worked
	CaseActive CaseStatus = "active" // being worked
	CaseClosed CaseStatus = "closed" // closed with an outcome; reopening needs a reason
)

// Label names the status for people.
func (s CaseStatus) Label() string {
	switch s {
	case CaseOpen:
		return "Open"
	case CaseActive:
		return "Active"
	case CaseClosed:
		return "Closed"
	}
	return string(s)
}

// CaseOutcome is why a case was closed.
type CaseOutcome string

// CaseOutcomes lists the outcomes a case may close with.
var CaseOutcomes = []struct {
	Key   CaseOutcome
	Label string
}{
	{"charged", "Suspect charged or summonsed"},
	{"safeguarded", "Victims safeguarded; no prosecution"},
	{"nrm_referral", "Referred into the NRM and supported"},
	{"no_exploitation", "No exploitation found"},
	{"insufficient_evidence", "Insufficient evidence"},
	{"victim_declined", "Potential victim declined support"},
	{"transferred", "Transferred to another force or area"},
	{"other", "Other"},
}

// Valid reports whether o is a known outcome.
func (o CaseOutcome) Valid() bool {
	for _, v := range CaseOutcomes {
		if v.Key == o {
			return true
		}
	}
	return false
}

// Offence is the Modern Slavery Act 2015 offence recorded as a crime.
type Offence string

const (
	OffenceS1 Offence = "msa_s1" // slavery, servitude, forced or compulsory labour
	OffenceS2 Offence = "msa_s2" // human trafficking
	OffenceS4 Offence = "msa_s4" // committing an offence with intent to commit s.2
)

// Offences lists the offences in order.
var Offences = []Offence{OffenceS1, OffenceS2, OffenceS4}

// Label names the offence.
func (o Offence) Label() string {
	switch o {
	case OffenceS1:
		return "MSA 2015 s.1: slavery, servitude, forced or compulsory labour"
	case OffenceS2:
		return "MSA 2015 s.2: human trafficking"
	case OffenceS4:
		return "MSA 2015 s.4: committing an offence with intent to commit s.2"
	}
	return string(o)
}

// Case is a piece of multi-agency work, owned by one agency and shared with others.
type Case struct {
	ID             int64
	Reference      string // like "C-KM7Q-2XP-A72"
	OwnerAgencyID  int64
	OwnerAgency    string
	Title          string
	District       string
	Exploitation   ExploitationSet
	Status         CaseStatus
	Outcome        CaseOutcome
	OpenedAt       time.Time
	ClosedAt       time.Time
	CrimeReference string
	Offence        Offence
	CrimeRecorded  time.Time // when the crime reference was first recorded
	Reports        []string  // linked report references
	Version        int       // rises with each change, for refusing stale edits
	UpdatedAt      time.Time
	UpdatedBy      string // who made the last change, for a stale-edit message
	OfficerUserID  int64  // the officer in charge, a user of the owning agency; 0 for none
	Officer        string // the officer's name
	ReviewOn       string // YYYY-MM-DD when the case is next reviewed, or ""

	// Filled by FindCase for the viewer.
	Access   CaseAccess
	People   []*CasePerson
	Places   []*Place
	Business []*Business
	Vehicles []*CaseVehicle
	Phones   []*CasePhone
	Notes    []*Note
	Tasks    []*Task
	Shares   []*Share
	Orders   []*Order
	Notices  []S45Notice
	// For the owning agency: a request to close waiting for a supervisor, and what
	// closing would leave open (ClosureWarnings).
	PendingClosure  *ClosureRequest
	ClosureWarnings []string
}

// CaseReferencePrefix marks case references apart from report references.
const CaseReferencePrefix = "C-"

// NewCaseReference returns a fresh case reference.
func NewCaseReference() string { return CaseReferencePrefix + NewReference() }

// ParseCaseReference reads a case reference as people type it.
func ParseCaseReference(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 2 && strings.EqualFold(s[:2], CaseReferencePrefix) {
		s = s[2:]
	}
	ref, err := ParseReference(s)
	if err != nil {
		return "", err
	}
	return CaseReferencePrefix + ref, nil
}

// Validate normalises a case's own fields and reports problems per field.
func (c *Case) Validate() error {
	var p Problems
	c.Title = strings.TrimSpace(c.Title)
	if c.Title == "" {
		p.Add("title", "Enter a title for the case")
	}
	CheckText(&p, "title", "Title", c.Title, MaxShortText)
	c.District = strings.TrimSpace(c.District)
	CheckText(&p, "district", "District", c.District, 50)
	for _, t := range c.Exploitation.Types {
		if !t.Valid() {
			p.Add("exploitation", "Choose the kinds of exploitation from the list")
		}
	}
	c.Exploitation.Normalise()
	switch c.Status {
	case "":
		c.Status = CaseOpen
	case CaseOpen, CaseActive:
	case CaseClosed:
		if !c.Outcome.Valid() {
			p.Add("outcome", "Choose the outcome the case closed with")
		}
	default:
		p.Add("status", "Choose open, active or closed")
	}
	c.CrimeReference = strings.TrimSpace(c.CrimeReference)
	CheckText(&p, "crime_reference", "Crime reference", c.CrimeReference, 50)
	if c.Offence != "" {
		ok := false
		for _, o := range Offences {
			ok = ok || o == c.Offence
		}
		if !ok {
			p.Add("offence", "Choose the offence: MSA s.1, s.2 or s.4")
		}
	}
	if c.Offence != "" && c.CrimeReference == "" {
		p.Add("crime_reference", "Enter the crime reference for the recorded offence")
	}
	return p.Err()
}

// CaseUpdate changes a case's own fields. Version is the version the editor saw;
// a save against a newer version is refused.
type CaseUpdate struct {
	Version        int
	Title          string
	District       string
	Exploitation   ExploitationSet
	Status         CaseStatus // open or active; closing and reopening have their own calls
	CrimeReference string
	Offence        Offence
}

// OrderKind is a Modern Slavery Act prevention or risk order.
type OrderKind string

const (
	OrderSTPO OrderKind = "stpo" // Slavery and Trafficking Prevention Order (s.14, s.15)
	OrderSTRO OrderKind = "stro" // Slavery and Trafficking Risk Order (s.23)
)

// Order is a prevention or risk order against a person on a case.
type Order struct {
	ID        int64
	PersonID  int64
	Kind      OrderKind
	MadeOn    string // YYYY-MM-DD
	ExpiresOn string
	Notes     string
	Version   int
}

// CaseFilter narrows FindCases.
type CaseFilter struct {
	Scope    string // "ours" (owned by the user's agency), "shared" (shared with us), "" both
	Status   CaseStatus
	District string
	Query    string // reference or title
	Officer  int64  // only cases this user is officer in charge of ("my cases")
	Sort     string // "updated" (default), "opened", "reference", "title"
	Limit    int
	Offset   int
	// CountUpTo, when above 0, stops the total at CountUpTo+1: a total above
	// CountUpTo says only that more cases match. A list page counts so far past
	// the rows it shows, not every case of a large agency on each view.
	CountUpTo int
}

// CaseService stores cases and everything on them. Every method takes the actor and
// enforces need to know itself: a case or person the actor may not see answers
// ENOTFOUND exactly as a missing one. Every read of a case or person is audited and
// written to the access log in the same transaction.
type CaseService interface {
	CaseRecords
	CasePeople
	CaseContents
	CaseSharing
	CaseWorkflow
}

// CaseRecords opens, finds, changes and closes cases.
type CaseRecords interface {
	// CreateCase opens a case owned by the actor's agency. fromReport, when given, is
	// a report reference to link and mark as linked to this case.
	CreateCase(ctx context.Context, actor Actor, c *Case, fromReport string) error
	// LinkReport adds a report to an existing case the actor's agency owns.
	LinkReport(ctx context.Context, actor Actor, caseRef, reportRef string) error
	// FindCase returns the case with everything the actor may see, and logs the view.
	FindCase(ctx context.Context, actor Actor, ref string) (*Case, error)
	// FindCases lists cases the actor may see ("ours" and "shared with us").
	FindCases(ctx context.Context, actor Actor, f CaseFilter) ([]*Case, int, error)
	// UpdateCase saves the case's own fields, refusing a stale version with ECONFLICT
	// naming who changed it and when.
	UpdateCase(ctx context.Context, actor Actor, ref string, upd CaseUpdate) error
	// CloseCase closes the case when a supervisor of the owning agency asks (with the
	// warnings confirmed); from its other case workers it becomes a request for a
	// supervisor, which it returns (MayCloseCase, MayRequestClosure).
	CloseCase(ctx context.Context, actor Actor, ref string, cl CaseClosure) (*ClosureRequest, error)
	ReopenCase(ctx context.Context, actor Actor, ref, reason string, version int) error
	// Search finds cases the actor may see by reference, title, person name or alias,
	// phone in any format, vehicle registration in any spacing, postcode or business name.
	Search(ctx context.Context, actor Actor, query string, limit int) ([]SearchHit, error)
}

// CasePeople records people on cases and their roles, under the victim-first rule
// (DecideRoleTransition).
type CasePeople interface {
	// FindPersonMatches returns existing people the actor may see who may be p.
	FindPersonMatches(ctx context.Context, actor Actor, p *Person) ([]PersonMatch, error)
	// AddPerson records a new person on a case in a role; AddExistingPerson links one
	// the actor may see.
	AddPerson(ctx context.Context, actor Actor, caseRef string, p *Person, role PersonRole) error
	AddExistingPerson(ctx context.Context, actor Actor, caseRef string, personID int64, role PersonRole) error
	FindPerson(ctx context.Context, actor Actor, personID int64) (*Person, []*CasePerson, error)
	UpdatePerson(ctx context.Context, actor Actor, p *Person) error
	SetCoercedOffender(ctx context.Context, actor Actor, casePersonID int64, coerced bool) error
	// ChangeRole changes a person's role on a case at once, except potential victim to
	// suspect, which becomes a request for a supervisor of the owning agency.
	ChangeRole(ctx context.Context, actor Actor, casePersonID int64, to PersonRole, reason string) (*RoleChange, error)
	DecideRoleChange(ctx context.Context, actor Actor, changeID int64, approve bool, note string) error
	FindRoleChanges(ctx context.Context, actor Actor, pendingOnly bool) ([]*RoleChange, error)
}

// CaseContents adds what a case holds: places, businesses, vehicles, phones and
// orders, notes on its timeline, and tasks.
type CaseContents interface {
	AddPlace(ctx context.Context, actor Actor, caseRef string, p *Place) error
	AddBusiness(ctx context.Context, actor Actor, caseRef string, b *Business) error
	AddVehicle(ctx context.Context, actor Actor, caseRef string, v *CaseVehicle) error
	AddPhone(ctx context.Context, actor Actor, caseRef string, ph *CasePhone) error
	AddOrder(ctx context.Context, actor Actor, caseRef string, o *Order) error

	// AddNote adds to the timeline; corrects names an earlier note it corrects.
	AddNote(ctx context.Context, actor Actor, caseRef string, n *Note) error
	// EditNote changes a note's text within NoteGrace of writing it, by its author only.
	EditNote(ctx context.Context, actor Actor, noteID int64, text string) error

	AddTask(ctx context.Context, actor Actor, caseRef string, t *Task) error
	CompleteTask(ctx context.Context, actor Actor, taskID int64) error
	FindTasks(ctx context.Context, actor Actor, f TaskFilter) ([]*Task, error)
}

// CaseSharing shares a case with other agencies and tells its owner who has seen it.
type CaseSharing interface {
	// RequestShare asks to share (a caseworker) or shares at once (a supervisor of the owner).
	RequestShare(ctx context.Context, actor Actor, caseRef string, s *Share) error
	DecideShare(ctx context.Context, actor Actor, shareID int64, approve bool, reason string) error
	RevokeShare(ctx context.Context, actor Actor, shareID int64) error

	// FindAccessLog lists who has seen the case and its people: supervisors of the owner only.
	FindAccessLog(ctx context.Context, actor Actor, caseRef string) ([]AccessLogEntry, error)
}

// SearchHit is one case found by Search, with what matched.
type SearchHit struct {
	Case  *Case
	Match string // e.g. "person: Anna Kowalska", "phone: +447700900123"
}

// Label is the outcome in words.
func (o CaseOutcome) Label() string {
	for _, v := range CaseOutcomes {
		if v.Key == o {
			return v.Label
		}
	}
	return string(o)
}
