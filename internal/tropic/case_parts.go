package tropic

import (
	"strings"
	"time"
)

// PlaceKind is what kind of place a case records.
type PlaceKind string

// PlaceKinds lists the kinds of place.
var PlaceKinds = []struct {
	Key   PlaceKind
	Label string
}{{"home", "Home"}, {"workplace", "Workplace"}, {"business_premises", "Business premises"}, {"other", "Other"}}

// Place is an address on a case.
type Place struct {
	ID       int64
	Kind     PlaceKind
	Address  string
	Postcode string // normalised
	Notes    string
	Source   string // the report it was carried from, or "" when staff added it
	Version  int
}

// Validate normalises the place.
func (pl *Place) Validate() error {
	var p Problems
	pl.Address = strings.TrimSpace(pl.Address)
	if pl.Address == "" {
		p.Add("address", "Enter the address or a description of the place")
	}
	CheckText(&p, "address", "Address", pl.Address, MaxMediumText)
	if pc := strings.TrimSpace(pl.Postcode); pc != "" {
		n, ok := NormalisePostcode(pc)
		if !ok {
			p.Add("postcode", "Enter a real postcode, like AL1 3JX, or leave it blank")
		}
		pl.Postcode = n
	}
	ok := false
	for _, k := range PlaceKinds {
		ok = ok || k.Key == pl.Kind
	}
	if !ok {
		p.Add("kind", "Choose the kind of place")
	}
	CheckText(&p, "notes", "Notes", pl.Notes, MaxLongText)
	return p.Err()
}

// BusinessKinds are the settings where modern slavery is most often found.
var BusinessKinds = []struct{ Key, Label string }{
	{"car_wash", "Car wash"}, {"nail_bar", "Nail bar"}, {"construction", "Construction"}, {"agriculture", "Farm or agriculture"},
	{"food_processing", "Food processing or factory"}, {"hospitality", "Hospitality or takeaway"}, {"cannabis_farm", "Cannabis farm"},
	{"brothel", "Brothel or massage parlour"}, {"recruitment", "Recruitment or employment agency"}, {"other", "Other"},
}

// Business is a business on a case.
type Business struct {
	ID            int64
	Name          string
	Kind          string
	CompanyNumber string // Companies House number, optional
	Address       string
	Source        string // the report it was carried from, or ""
	Version       int
}

// Validate normalises the business.
func (b *Business) Validate() error {
	var p Problems
	b.Name = strings.TrimSpace(b.Name)
	if b.Name == "" {
		p.Add("name", "Enter the business's name")
	}
	CheckText(&p, "name", "Business name", b.Name, MaxShortText)
	ok := false
	for _, k := range BusinessKinds {
		ok = ok || k.Key == b.Kind
	}
	if !ok {
		p.Add("kind", "Choose the kind of business")
	}
	b.CompanyNumber = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(b.CompanyNumber), " ", ""))
	if n := b.CompanyNumber; n != "" && !companyNumber(n) {
		p.Add("company_number", "Enter a Companies House number of 8 characters, like 01234567 or SC123456")
	}
	CheckText(&p, "address", "Address", b.Address, MaxMediumText)
	return p.Err()
}

func companyNumber(n string) bool {
	if len(n) != 8 {
		return false
	}
	for i, r := range n {
		digit := r >= '0' && r <= '9'
		if i >= 2 && !digit || i < 2 && !digit && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

// CaseVehicle is a vehicle on a case: stored normalised, shown as typed.
type CaseVehicle struct {
	ID           int64
	Registration string
	Normalised   string
	Description  string
	Source       string // the report it was carried from, or ""
	Version      int
}

// Validate normalises the vehicle.
func (v *CaseVehicle) Validate() error {
	var p Problems
	v.Registration, v.Description = strings.TrimSpace(v.Registration), strings.TrimSpace(v.Description)
	n, ok := NormaliseRegistration(v.Registration)
	if !ok {
		p.Add("registration", "Enter a registration number using letters and numbers only, like AB12 CDE")
	}
	v.Normalised = n
	CheckText(&p, "description", "Description", v.Description, MaxMediumText)
	return p.Err()
}

// CasePhone is a phone number on a case: stored in E.164, shown as typed.
type CasePhone struct {
	ID      int64
	Number  string
	E164    string
	Notes   string
	Source  string // the report it was carried from, or ""
	Version int
}

// Validate normalises the phone number.
func (ph *CasePhone) Validate(parse PhoneParser) error {
	var p Problems
	ph.Number, ph.Notes = strings.TrimSpace(ph.Number), strings.TrimSpace(ph.Notes)
	e, err := parse(ph.Number)
	if err != nil {
		p.Add("number", "Enter a phone number, like 07700 900123 or +44 7700 900123")
	}
	ph.E164 = e
	CheckText(&p, "notes", "Notes", ph.Notes, MaxMediumText)
	return p.Err()
}

// NoteGrace is how long the author may still correct a note in place; afterwards a
// note is corrected only by a later note that says what it corrects.
const NoteGrace = 10 * time.Minute

// Note is an entry of a case's timeline.
type Note struct {
	ID        int64
	Author    string
	Agency    string
	AuthorID  int64
	At        time.Time
	Text      string
	Sensitive bool  // hidden from agencies whose share excludes sensitive fields
	Corrects  int64 // the note this one corrects, 0 if none
	EditedAt  time.Time
	Record    bool // written by the service to record an action on the case: never edited
}

// TaskStatus is whether a task is done.
type Task struct {
	ID             int64
	CaseID         int64
	CaseReference  string
	Title          string
	AssignedAgency int64
	AgencyName     string
	AssignedUser   int64
	UserName       string
	Due            string // YYYY-MM-DD
	Done           bool
	DoneAt         time.Time
	CreatedBy      string
	// CreatedByAgency is the agency of the user who set the task (0: unknown): a
	// whole-case share changes only its own (MayChangeTask).
	CreatedByAgency int64
	Version         int
}

// Overdue reports whether the task is past its due date on day now.
func (t *Task) Overdue(now time.Time) bool {
	return !t.Done && t.Due != "" && t.Due < now.Format(time.DateOnly)
}

// Validate checks a task.
func (t *Task) Validate() error {
	var p Problems
	t.Title = strings.TrimSpace(t.Title)
	if t.Title == "" {
		p.Add("title", "Enter what needs doing")
	}
	CheckText(&p, "title", "Task", t.Title, MaxMediumText)
	if t.AssignedAgency == 0 && t.AssignedUser == 0 {
		p.Add("assignee", "Assign the task to an agency or a person")
	}
	if t.Due != "" {
		if _, err := time.Parse(time.DateOnly, t.Due); err != nil {
			p.Add("due", "Enter a real due date, like 2026-12-01")
		}
	}
	return p.Err()
}

// TaskFilter narrows FindTasks.
type TaskFilter struct {
	Mine     bool // assigned to the user
	MyAgency bool // assigned to the user's agency
	Overdue  bool
	OpenOnly bool
	Limit    int
}

// Validate normalises a prevention or risk order and reports problems per field, on
// day today (YYYY-MM-DD, the partnership's): a known kind, the day it was made (not
// in the future), the day it ends (not before it was made, or none), notes within
// bounds, and a person who is on the case (personOnCase, which the store looks up in
// the transaction that adds the order).
func (o *Order) Validate(today string, personOnCase bool) error {
	var p Problems
	if o.Kind != OrderSTPO && o.Kind != OrderSTRO {
		p.Add("kind", "Choose a Slavery and Trafficking Prevention Order or Risk Order")
	}
	o.MadeOn, o.ExpiresOn, o.Notes = strings.TrimSpace(o.MadeOn), strings.TrimSpace(o.ExpiresOn), strings.TrimSpace(o.Notes)
	if _, err := time.Parse(time.DateOnly, o.MadeOn); err != nil || o.MadeOn > today {
		p.Add("made_on", "Enter the date the order was made, like 2026-11-03")
	}
	if o.ExpiresOn != "" {
		if _, err := time.Parse(time.DateOnly, o.ExpiresOn); err != nil || o.ExpiresOn < o.MadeOn {
			p.Add("expires_on", "Enter the date the order ends, after it was made, or leave it blank")
		}
	}
	CheckText(&p, "notes", "Notes", o.Notes, MaxLongText)
	switch {
	case o.PersonID == 0:
		p.Add("person", "Choose the person the order is against")
	case !personOnCase:
		p.Add("person", "Choose a person on this case")
	}
	return p.Err()
}
