package tropic

import (
	"errors"
	"strings"
	"time"
	"unicode"
)

// PersonRole is the part a person plays in one case; a person may play different
// parts in different cases.
type PersonRole string

const (
	RolePotentialVictim PersonRole = "potential_victim"
	RoleSuspect         PersonRole = "suspect"
	RoleWitness         PersonRole = "witness"
	RoleOtherPerson     PersonRole = "other"
)

// PersonRoles lists the roles in display order.
var PersonRoles = []PersonRole{RolePotentialVictim, RoleSuspect, RoleWitness, RoleOtherPerson}

// Valid reports whether r is known.
func (r PersonRole) Valid() bool {
	for _, v := range PersonRoles {
		if v == r {
			return true
		}
	}
	return false
}

// Label names the role.
func (r PersonRole) Label() string {
	switch r {
	case RolePotentialVictim:
		return "Potential victim"
	case RoleSuspect:
		return "Suspect"
	case RoleWitness:
		return "Witness"
	case RoleOtherPerson:
		return "Other"
	}
	return string(r)
}

// Gender follows the Home Office NRM statistics.
type Gender string

// Genders lists the genders in display order.
var Genders = []struct {
	Key   Gender
	Label string
}{{"female", "Female"}, {"male", "Male"}, {"other", "Other"}, {"not_recorded", "Not recorded"}}

// Person is someone on one or more cases. ImmigrationStatus and Health are
// sensitive: shown only to the owning agency and to agencies with a whole-case
// share, and never in lists, exports or statistics.
type Person struct {
	ID                int64
	OwnerAgencyID     int64 // the agency that recorded the person
	GivenName         string
	FamilyName        string
	Aliases           []string
	DateOfBirth       string // YYYY-MM-DD, or YYYY-MM or YYYY when only partly known
	ApproxAge         int    // when the date of birth is not known; 0 if not given
	Gender            Gender
	Nationality       string
	Languages         string
	Phone             string // as typed
	PhoneE164         string
	Email             string
	ImmigrationStatus string // sensitive
	Health            string // sensitive
	SensitiveHidden   bool   // true when the viewer may not see sensitive fields
	Version           int
	CreatedAt         time.Time
}

// FullName is the person's name as shown.
func (p *Person) FullName() string {
	return strings.TrimSpace(p.GivenName + " " + p.FamilyName)
}

// MayBeChild reports whether the person is, or may be, under 18 on date at: by date
// of birth (a partial one at the youngest it allows), by approximate age, or when
// nothing is known (MSA s.51 presumption is applied by the caller where there is
// reason to believe so). See AgeOn.
func (p *Person) MayBeChild(at time.Time) bool {
	age := p.AgeOn(at)
	return age >= 0 && age < 18
}

// Validate normalises the person and reports problems per field.
func (p *Person) Validate(parsePhone PhoneParser, now time.Time) error {
	var pr Problems
	trim := strings.TrimSpace
	p.GivenName, p.FamilyName = trim(p.GivenName), trim(p.FamilyName)
	if p.GivenName == "" && p.FamilyName == "" && len(p.Aliases) == 0 {
		pr.Add("given_name", "Enter a name, or an alias if the real name is not known")
	}
	CheckText(&pr, "given_name", "Given name", p.GivenName, MaxShortText)
	CheckText(&pr, "family_name", "Family name", p.FamilyName, MaxShortText)
	var aliases []string
	for _, a := range p.Aliases {
		if a = trim(a); a != "" {
			CheckText(&pr, "aliases", "Alias", a, MaxShortText)
			aliases = append(aliases, a)
		}
	}
	p.Aliases = aliases
	if len(p.Aliases) > MaxListItems {
		pr.Add("aliases", "Give up to 10 aliases")
	}
	p.DateOfBirth = trim(p.DateOfBirth)
	if d := p.DateOfBirth; d != "" {
		var t time.Time
		var err error
		switch len(d) {
		case 10:
			t, err = time.Parse(time.DateOnly, d)
		case 7:
			t, err = time.Parse("2006-01", d)
		case 4:
			t, err = time.Parse("2006", d)
		default:
			err = errBadDate
		}
		if err != nil || t.After(now) || t.Year() < 1900 {
			pr.Add("date_of_birth", "Enter a real date of birth in the past, or only the year if that is all you know")
		}
	}
	if p.ApproxAge < 0 || p.ApproxAge > 120 {
		pr.Add("approx_age", "Enter an approximate age between 0 and 120, or leave it blank")
	}
	switch p.Gender {
	case "", "female", "male", "other", "not_recorded":
	default:
		pr.Add("gender", "Choose a gender from the list")
	}
	for _, f := range []struct {
		name, label string
		v           *string
		max         int
	}{{"nationality", "Nationality", &p.Nationality, 100}, {"languages", "Languages", &p.Languages, MaxShortText},
		{"email", "Email address", &p.Email, 254}, {"immigration_status", "Immigration status", &p.ImmigrationStatus, MaxMediumText},
		{"health", "Health", &p.Health, MaxLongText}} {
		*f.v = trim(*f.v)
		CheckText(&pr, f.name, f.label, *f.v, f.max)
	}
	p.Phone = trim(p.Phone)
	p.PhoneE164 = ""
	if p.Phone != "" {
		if e, err := parsePhone(p.Phone); err == nil {
			p.PhoneE164 = e
		} else {
			pr.Add("phone", "Enter a phone number, like 07700 900123 or +44 7700 900123")
		}
	}
	return pr.Err()
}

var errBadDate = errors.New("bad date")

// FoldName folds a name for matching and search: lower case, accents removed,
// punctuation and hyphens as spaces, spaces collapsed. "Zoë O'Brien-Smith" becomes
// "zoe o brien smith".
func FoldName(s string) string {
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		if f, ok := foldRune[r]; ok {
			b.WriteString(f)
			space = false
			continue
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// foldRune maps accented Latin letters to plain ones (enough for names met in UK
// casework; the linkage work adds transliteration of other scripts).
var foldRune = func() map[rune]string {
	m := map[rune]string{}
	groups := map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
		"ss": "ß", "ae": "æ", "oe": "œ", "th": "þ", "dh": "ð",
	}
	for plain, accented := range groups {
		for _, r := range accented {
			m[r] = plain
		}
	}
	return m
}()

// CasePerson is a person on a case, in a role.
type CasePerson struct {
	ID              int64 // the link's id
	CaseID          int64
	CaseReference   string
	Person          *Person
	Role            PersonRole
	CoercedOffender bool // a potential victim who may have been compelled to offend (s.45)
	AddedAt         time.Time
	PendingRole     *RoleChange // a requested change waiting for a supervisor
	Version         int         // of the link, for a correction of it
	// WasVictim: recorded as a potential victim on this case at some time, now or
	// before a change of role (victim first: only a supervisor takes them off it).
	WasVictim bool
}

// RoleChangeStatus is where a request to change a person's role stands.
type RoleChangeStatus string

const (
	RoleChangeRequested RoleChangeStatus = "requested"
	RoleChangeApproved  RoleChangeStatus = "approved"
	RoleChangeDeclined  RoleChangeStatus = "declined"
)

// RoleChange is a request to change a person's role on a case. Moving a potential
// victim to suspect needs a supervisor's approval and a reason (victim first).
type RoleChange struct {
	ID            int64
	CasePersonID  int64
	CaseReference string // for a supervisor's list of requests
	PersonName    string
	From, To      PersonRole
	Reason        string
	RequestedBy   string
	RequestedAt   time.Time
	Status        RoleChangeStatus
	DecidedBy     string
	DecidedAt     time.Time
	DecisionNote  string
}

// PersonMatch is a possible existing record for a person about to be created.
type PersonMatch struct {
	Person  *Person
	Cases   []string // references of cases the user may see the person on
	Reasons []string // "same date of birth", "same phone", "name matches"
}

// S45Notice tells an investigating agency that a suspect on its case is a potential
// victim on another case, so the s.45 defence may apply. It names the person on the
// viewer's own case and the agency to contact, and nothing of the other case.
type S45Notice struct {
	PersonID      int64
	PersonName    string
	ContactAgency string
	AgencyID      int64 // the contact agency's, whom a request for access goes to
}
