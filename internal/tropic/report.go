package tropic

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Channel is how a report reached the partnership.
type Channel string

const (
	ChannelWeb         Channel = "web"          // the public form
	ChannelHelpline    Channel = "helpline"     // a call to the helpline
	ChannelPolice101   Channel = "police_101"   // a call to the police on 101
	Channel999Transfer Channel = "999_transfer" // a 999 call transferred to a call handler
	ChannelInPerson    Channel = "in_person"    // someone who came in person
	ChannelPartner     Channel = "partner"      // a partner agency or its system
	ChannelStaff       Channel = "staff"        // a member of staff
)

// Channels lists the channels in display order.
var Channels = []Channel{ChannelWeb, ChannelHelpline, ChannelPolice101, Channel999Transfer, ChannelInPerson, ChannelPartner, ChannelStaff}

// StaffChannels are the channels through which staff enter reports (the call
// handlers' page and the API), in the order the page offers them: every channel
// but the public form's.
var StaffChannels = []Channel{ChannelHelpline, ChannelPolice101, Channel999Transfer, ChannelInPerson, ChannelPartner, ChannelStaff}

// TakenByStaff says whether staff may enter a report as received through c: any
// known channel but the public form's, which only the public form uses.
func (c Channel) TakenByStaff() bool { return c.Valid() && c != ChannelWeb }

// Valid reports whether c is known.
func (c Channel) Valid() bool {
	for _, v := range Channels {
		if v == c {
			return true
		}
	}
	return false
}

// Label names the channel for people.
func (c Channel) Label() string {
	switch c {
	case ChannelWeb:
		return "Online form"
	case ChannelHelpline:
		return "Helpline"
	case ChannelPolice101:
		return "101 call"
	case Channel999Transfer:
		return "999 transfer"
	case ChannelInPerson:
		return "In person"
	case ChannelPartner:
		return "Partner agency"
	case ChannelStaff:
		return "Staff"
	}
	return string(c)
}

// Urgency ranks reports in the triage queue.
type Urgency string

const (
	UrgencyEmergency Urgency = "emergency" // someone in immediate danger
	UrgencyUrgent    Urgency = "urgent"
	UrgencyRoutine   Urgency = "routine"
)

// Urgencies lists urgencies, most urgent first.
var Urgencies = []Urgency{UrgencyEmergency, UrgencyUrgent, UrgencyRoutine}

// Valid reports whether u is known.
func (u Urgency) Valid() bool {
	return u == UrgencyEmergency || u == UrgencyUrgent || u == UrgencyRoutine
}

// Rank orders urgencies: 0 is the most urgent.
func (u Urgency) Rank() int {
	switch u {
	case UrgencyEmergency:
		return 0
	case UrgencyUrgent:
		return 1
	}
	return 2
}

// Label names the urgency for people.
func (u Urgency) Label() string {
	switch u {
	case UrgencyEmergency:
		return "Emergency"
	case UrgencyUrgent:
		return "Urgent"
	}
	return "Routine"
}

// ReportStatus is where a report stands in triage.
type ReportStatus string

const (
	ReportNew             ReportStatus = "new"
	ReportLinkedToCase    ReportStatus = "linked_to_case"
	ReportPassedToAgency  ReportStatus = "passed_to_agency"
	ReportNoFurtherAction ReportStatus = "no_further_action"
	ReportDuplicate       ReportStatus = "duplicate"
)

// Label names the status for people.
func (s ReportStatus) Label() string {
	switch s {
	case ReportNew:
		return "New"
	case ReportLinkedToCase:
		return "Linked to a case"
	case ReportPassedToAgency:
		return "Passed to agency"
	case ReportNoFurtherAction:
		return "No further action"
	case ReportDuplicate:
		return "Duplicate"
	}
	return string(s)
}

// YesNoUnsure is an answer that may be "not sure" or not given.
type YesNoUnsure string

const (
	AnswerYes     YesNoUnsure = "yes"
	AnswerNo      YesNoUnsure = "no"
	AnswerNotSure YesNoUnsure = "not_sure"
)

// Valid reports whether a is a known answer or empty.
func (a YesNoUnsure) Valid() bool {
	return a == "" || a == AnswerYes || a == AnswerNo || a == AnswerNotSure
}

// Label is the answer in words.
func (a YesNoUnsure) Label() string {
	switch a {
	case AnswerYes:
		return "Yes"
	case AnswerNo:
		return "No"
	case AnswerNotSure:
		return "Not sure"
	}
	return "Not answered"
}

// Relationship is who the reporter is to what they report.
type Relationship string

const (
	RelationshipPublic       Relationship = "public"
	RelationshipSelf         Relationship = "self"
	RelationshipProfessional Relationship = "professional"
)

// Label is the relationship in words.
func (r Relationship) Label() string {
	switch r {
	case RelationshipPublic:
		return "A member of the public"
	case RelationshipSelf:
		return "The person affected"
	case RelationshipProfessional:
		return "A professional"
	}
	return "Not given"
}

// Location is where something was seen.
type Location struct {
	Address  string `json:"address,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	District string `json:"district,omitempty"` // a district slug, or "not_sure"
}

// People are the people involved, as the reporter saw them.
type People struct {
	Count            int         `json:"count,omitempty"` // 0 when not known
	ChildrenInvolved YesNoUnsure `json:"children_involved,omitempty"`
	Description      string      `json:"description,omitempty"`
}

// Vehicle is a vehicle the reporter noted.
type Vehicle struct {
	Registration string `json:"registration,omitempty"` // as typed
	Normalised   string `json:"normalised,omitempty"`   // upper case, no spaces
	Description  string `json:"description,omitempty"`
}

// Phone is a phone number the reporter noted.
type Phone struct {
	Number string `json:"number"`         // as typed
	E164   string `json:"e164,omitempty"` // normalised, when it parses
}

// Reporter is who made the report; anonymous reports hold nothing about them.
type Reporter struct {
	Anonymous    bool         `json:"anonymous"`
	Name         string       `json:"name,omitempty"`
	Contact      string       `json:"contact,omitempty"` // a phone number or e-mail address
	Relationship Relationship `json:"relationship,omitempty"`
	// NotifyConsent: the reporter agreed to be e-mailed that a message waits for them
	// (the message itself stays in Tropic). It has effect only with an e-mail address.
	NotifyConsent bool `json:"notify_consent,omitempty"`
}

// Report is a concern from the public, a call handler or a partner.
type Report struct {
	ID           int64           `json:"-"`
	Reference    string          `json:"reference"`
	Channel      Channel         `json:"channel"`
	ReceivedAt   time.Time       `json:"received_at"`
	Description  string          `json:"description"`
	Location     Location        `json:"location"`
	SeenOn       string          `json:"seen_on,omitempty"`   // YYYY-MM-DD, when known
	SeenWhen     string          `json:"seen_when,omitempty"` // free text, e.g. "most mornings"
	InDanger     YesNoUnsure     `json:"in_danger,omitempty"`
	Exploitation ExploitationSet `json:"-"`
	Indicators   []Indicator     `json:"indicators"`
	People       People          `json:"people"`
	Vehicles     []Vehicle       `json:"vehicles"`
	Phones       []Phone         `json:"phones"`
	Businesses   []string        `json:"businesses"`
	Reporter     Reporter        `json:"reporter"`
	HowHeard     string          `json:"how_heard,omitempty"`
	Language     string          `json:"language,omitempty"`
	// FormLanguage is the language of the public form the report was sent in (a
	// BCP 47 tag, "pl", "zh-Hans"); empty when it came another way. The free text is
	// kept as the reporter wrote it.
	FormLanguage string `json:"form_language,omitempty"`

	Urgency         Urgency         `json:"urgency"`
	UrgencyReason   string          `json:"urgency_reason"`
	UrgencyOverride bool            `json:"urgency_overridden"`
	Status          ReportStatus    `json:"status"`
	NeedsAttention  bool            `json:"needs_attention"` // new information since triage
	CreatedByUser   int64           `json:"-"`               // staff who took it, 0 for the public
	CreatedByAgency int64           `json:"-"`
	ClaimedBy       *User           `json:"-"`
	ClaimedAt       time.Time       `json:"-"`
	PassedToAgency  int64           `json:"-"`
	DuplicateOf     string          `json:"duplicate_of,omitempty"`
	Handoffs        []*Handoff      `json:"-"` // each passing to an agency, oldest first
	ContactWithheld bool            `json:"-"` // the reporter gave contact details the reader may not see (Limit)
	Notes           []ReportNote    `json:"-"`
	Messages        []ReportMessage `json:"-"` // with the reporter, oldest first (report_message.go)
	FollowUpHash    string          `json:"-"`
}

// ReportNote is one entry of a report's timeline.
type ReportNote struct {
	At     time.Time
	Source string // "reporter", "staff" or "system"
	User   string // who, for staff notes
	Agency string
	Text   string
}

// Field limits, shared by the form and the API.
const (
	MaxDescription = 5000
	MaxShortText   = 200
	MaxMediumText  = 500
	MaxLongText    = 2000
	MaxListItems   = 10
	MaxPeopleCount = 1000
)

var postcodeRE = regexp.MustCompile(`^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$`)

// NormalisePostcode checks a UK postcode's format and returns it in upper case with
// one space, like "AL1 3JX". It checks the format only, not that the postcode exists.
func NormalisePostcode(s string) (string, bool) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(s) < 5 || len(s) > 7 {
		return "", false
	}
	m := postcodeRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1] + " " + m[2], true
}

// NormaliseRegistration returns a vehicle registration in upper case without spaces
// or hyphens, or false when it holds anything but letters and digits or is too long
// to be a registration. Foreign plates are accepted, so the UK formats are not enforced.
func NormaliseRegistration(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-':
			continue
		case (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	n := b.String()
	if len(n) < 2 || len(n) > 10 {
		return "", false
	}
	return n, true
}

// PhoneParser normalises a phone number to E.164, taking the UK as the default region.
// The domain names it; an implementation on a phone-number library is wired in.
type PhoneParser func(raw string) (e164 string, err error)

// District is an area of the partnership, such as a district or borough.
type District struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// languageTagRE is the shape of a BCP 47 tag as the public form records it.
var languageTagRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$`)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks a district.
func (d *District) Validate() error {
	var p Problems
	d.Slug, d.Name = strings.TrimSpace(strings.ToLower(d.Slug)), strings.TrimSpace(d.Name)
	if !slugRE.MatchString(d.Slug) || len(d.Slug) > 50 || d.Slug == "not-sure" {
		p.Add("slug", "Enter a slug of lower-case letters, digits and hyphens, like st-albans")
	}
	if d.Name == "" {
		p.Add("name", "Enter the district's name")
	}
	CheckText(&p, "name", "District name", d.Name, MaxShortText)
	return p.Err()
}

// Validate normalises the report's answers and reports problems per field. Field
// names are the form's input names, which the API's problems use too. districts are
// the known district slugs; howHeard the "how did you hear" options (a retired one is
// refused); parsePhone normalises phone numbers.
func (r *Report) Validate(districts []District, howHeard []HowHeardOption, parsePhone PhoneParser, now time.Time) error {
	var p Problems
	trim := strings.TrimSpace
	r.Description = trim(r.Description)
	if r.Description == "" {
		p.Add("description", "Enter what you saw or heard")
	} else {
		label := "What you saw"
		if r.Reporter.Relationship == RelationshipSelf {
			label = "What is happening to you"
		}
		CheckText(&p, "description", label, r.Description, MaxDescription)
	}

	r.Location.Address = trim(r.Location.Address)
	CheckText(&p, "address", "Address or description of the place", r.Location.Address, MaxMediumText)
	if pc := trim(r.Location.Postcode); pc != "" {
		if n, ok := NormalisePostcode(pc); ok {
			r.Location.Postcode = n
		} else {
			p.Add("postcode", "Enter a real postcode, like AL1 3JX, or leave it blank")
		}
	} else {
		r.Location.Postcode = ""
	}
	r.Location.District = trim(r.Location.District)
	if d := r.Location.District; d != "" && d != "not_sure" {
		known := false
		for _, k := range districts {
			known = known || k.Slug == d
		}
		if !known {
			p.Add("district", "Choose a district from the list, or \"I'm not sure\"")
		}
	}

	r.SeenOn = trim(r.SeenOn)
	if r.SeenOn != "" {
		d, err := time.Parse(time.DateOnly, r.SeenOn)
		switch {
		case err != nil:
			p.Add("seen_on", "The date you saw it must be a real date, like 20 11 2026")
		case d.After(now.Add(24 * time.Hour)):
			p.Add("seen_on", "The date you saw it must be today or in the past")
		case d.Year() < 1950:
			p.Add("seen_on", "The date you saw it must be after 1950")
		}
	}
	r.SeenWhen = trim(r.SeenWhen)
	CheckText(&p, "seen_when", "When you saw it", r.SeenWhen, MaxMediumText)
	if !r.InDanger.Valid() {
		p.Add("in_danger", "Choose yes, no or not sure")
	}

	for _, t := range r.Exploitation.Types {
		if !t.Valid() {
			p.Add("exploitation", "Choose the kinds of exploitation from the list")
		}
	}
	r.Exploitation.Normalise()
	seen := map[Indicator]bool{}
	var inds []Indicator
	for _, i := range r.Indicators {
		if !i.Valid() {
			p.Add("indicators", "Choose the signs from the list")
		} else if !seen[i] {
			seen[i] = true
			inds = append(inds, i)
		}
	}
	r.Indicators = inds

	if r.People.Count < 0 || r.People.Count > MaxPeopleCount {
		p.Add("people_count", fmt.Sprintf("The number of people must be between 1 and %d, or left blank", MaxPeopleCount))
	}
	if !r.People.ChildrenInvolved.Valid() {
		p.Add("children_involved", "Choose yes, no or not sure")
	}
	r.People.Description = trim(r.People.Description)
	CheckText(&p, "people_description", "Description of the people", r.People.Description, MaxLongText)

	r.Vehicles = compactVehicles(r.Vehicles)
	if len(r.Vehicles) > MaxListItems {
		p.Add("vehicles", fmt.Sprintf("Give up to %d vehicles", MaxListItems))
	}
	for i := range r.Vehicles {
		v := &r.Vehicles[i]
		field := fmt.Sprintf("vehicle_%d_registration", i+1)
		if v.Registration != "" {
			if n, ok := NormaliseRegistration(v.Registration); ok {
				v.Normalised = n
			} else {
				p.Add(field, "Enter a registration number using letters and numbers only, like AB12 CDE")
			}
		}
		CheckText(&p, field, "Registration number", v.Registration, 20)
		CheckText(&p, fmt.Sprintf("vehicle_%d_description", i+1), "Vehicle description", v.Description, MaxMediumText)
	}

	r.Phones = compactPhones(r.Phones)
	if len(r.Phones) > MaxListItems {
		p.Add("phones", fmt.Sprintf("Give up to %d phone numbers", MaxListItems))
	}
	for i := range r.Phones {
		ph := &r.Phones[i]
		field := fmt.Sprintf("phone_%d", i+1)
		CheckText(&p, field, "Phone number", ph.Number, 40)
		if e, err := parsePhone(ph.Number); err == nil {
			ph.E164 = e
		} else {
			p.Add(field, "Enter a phone number, like 07700 900123 or +44 7700 900123")
		}
	}

	var businesses []string
	for _, b := range r.Businesses {
		if b = trim(b); b != "" {
			businesses = append(businesses, b)
		}
	}
	r.Businesses = businesses
	if len(r.Businesses) > MaxListItems {
		p.Add("businesses", fmt.Sprintf("Give up to %d businesses", MaxListItems))
	}
	for i, b := range r.Businesses {
		CheckText(&p, fmt.Sprintf("business_%d", i+1), "Business name", b, MaxShortText)
	}

	rep := &r.Reporter
	rep.Name, rep.Contact = trim(rep.Name), trim(rep.Contact)
	if rep.Anonymous {
		rep.Name, rep.Contact, rep.NotifyConsent = "", "", false
	} else {
		CheckText(&p, "reporter_name", "Your name", rep.Name, MaxShortText)
		CheckText(&p, "reporter_contact", "How to contact you", rep.Contact, MaxShortText)
		if rep.Name == "" && rep.Contact == "" {
			p.Add("reporter_contact", "Enter a phone number or email address so we can contact you, or choose to stay anonymous")
		}
		if rep.NotifyConsent && ReporterEmail(*rep) == "" {
			p.Add("reporter_notify_consent", "To be emailed when a message waits, enter an email address in how to contact you, or untick this box")
		}
	}
	switch rep.Relationship {
	case "", RelationshipPublic, RelationshipSelf, RelationshipProfessional:
	default:
		p.Add("reporter_relationship", "Choose who you are from the list")
	}

	r.HowHeard = trim(r.HowHeard)
	checkHowHeard(&p, r.HowHeard, howHeard)
	CheckText(&p, "how_heard", "How you heard", r.HowHeard, 100)
	// Left blank, it stays blank: the form's language says which form they used, not
	// the language they would be contacted in, and English would be a guess.
	r.Language = trim(r.Language)
	CheckText(&p, "language", "Language", r.Language, 35)
	if r.FormLanguage = trim(r.FormLanguage); r.FormLanguage != "" && !languageTagRE.MatchString(r.FormLanguage) {
		p.Add("form_language", "The form's language must be a language tag, like pl or zh-Hans")
	}
	if r.Channel == "" {
		r.Channel = ChannelWeb
	}
	if !r.Channel.Valid() {
		p.Add("channel", "Channel must be web, helpline, police_101, 999_transfer, in_person, partner or staff")
	}
	return p.Err()
}

func compactVehicles(vs []Vehicle) []Vehicle {
	var out []Vehicle
	for _, v := range vs {
		v.Registration, v.Description = strings.TrimSpace(v.Registration), strings.TrimSpace(v.Description)
		if v.Registration != "" || v.Description != "" {
			out = append(out, v)
		}
	}
	return out
}

func compactPhones(ps []Phone) []Phone {
	var out []Phone
	for _, p := range ps {
		if p.Number = strings.TrimSpace(p.Number); p.Number != "" {
			out = append(out, p)
		}
	}
	return out
}

// AssessUrgency computes the report's urgency from its answers and says why.
// Someone in immediate danger is an emergency. Children, being locked in, injuries,
// threats, withheld documents and the children's signs make a report urgent, and so
// does doubt: a reporter "not sure" whether someone is in danger or whether children
// are involved has not said there is no risk, so the report is raised for early
// review rather than described as showing no sign. A report by the person it is
// happening to is urgent too: they may be in the situation now, and reaching them
// safely cannot wait.
func (r *Report) AssessUrgency() (Urgency, string) {
	if r.InDanger == AnswerYes {
		return UrgencyEmergency, "emergency: someone is in immediate danger"
	}
	var reasons []string
	if r.InDanger == AnswerNotSure {
		reasons = append(reasons, "the reporter is not sure whether someone is in immediate danger")
	}
	switch r.People.ChildrenInvolved {
	case AnswerYes:
		reasons = append(reasons, "children involved")
	case AnswerNotSure:
		reasons = append(reasons, "the reporter is not sure whether children are involved")
	}
	if r.Reporter.Relationship == RelationshipSelf {
		reasons = append(reasons, "reported by the person it is happening to")
	}
	for _, i := range r.Indicators {
		if i.Info().Urgent {
			reasons = append(reasons, strings.ToLower(i.Info().Label))
		}
	}
	if len(reasons) > 0 {
		return UrgencyUrgent, "urgent: " + strings.Join(reasons, "; ")
	}
	return UrgencyRoutine, "routine: the reporter did not say that anyone is in immediate danger or that children are involved"
}

// CanTakeReports says whether the actor may record a report received by staff (a
// call, a visit, a partner's referral): call handlers (intake) and the triage hub,
// on the call handlers' page and through the API alike.
func CanTakeReports(a Actor) bool { return a.Has(RoleTriage) || a.Has(RoleIntake) }

// MayRecordReport is the rule the store applies to every report it is given: the public
// form and the jobs (the system), call handlers and the triage hub.
func MayRecordReport(a Actor) error {
	if a.IsSystem() || CanTakeReports(a) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only call handlers and the triage hub record reports.")
}

// ReportFilter narrows the triage queue.
type ReportFilter struct {
	Statuses     []ReportStatus // default: new, and triaged ones with new information
	District     string
	Exploitation ExploitationType
	Channel      Channel
	Urgency      Urgency   // "" for any
	From, To     time.Time // received at, To exclusive
	Reference    string
	// AckOverdue, when set, keeps only reports passed to an agency that has not
	// acknowledged them, passed before the cut for their urgency (indexed by
	// Urgency.Rank; AcknowledgeOverdueCuts).
	AckOverdue []time.Time
	Limit      int
	Offset     int
}

// ReportDecision is a triage decision on a report.
type ReportDecision struct {
	Status      ReportStatus // the outcome: no further action, duplicate, passed to agency, linked to case
	Reason      string
	DuplicateOf string // a reference, for ReportDuplicate
	AgencyID    int64  // for ReportPassedToAgency
	// IncludeReporterContact sends the reporter's name and contact details with a report
	// passed to an agency; without it the agency reads the report without them.
	IncludeReporterContact bool
}

// Validate checks a decision and reports problems per field.
func (d *ReportDecision) Validate() error {
	var p Problems
	d.Reason = strings.TrimSpace(d.Reason)
	switch d.Status {
	case ReportNoFurtherAction:
		if d.Reason == "" {
			p.Add("reason", "Enter why no further action is needed")
		}
	case ReportDuplicate:
		ref, err := ParseReference(d.DuplicateOf)
		if err != nil {
			p.Add("duplicate_of", "Enter the reference of the report this duplicates, like KM7Q-2XP-A72")
		}
		d.DuplicateOf = ref
	case ReportPassedToAgency:
		if d.AgencyID == 0 {
			p.Add("agency", "Choose the agency to pass the report to")
		}
		if d.Reason == "" {
			p.Add("reason", "Enter why the report is passed to this agency")
		}
	case ReportLinkedToCase:
	default:
		p.Add("decision", "Choose a decision")
	}
	CheckText(&p, "reason", "Reason", d.Reason, MaxLongText)
	return p.Err()
}

// ReportService stores reports and their triage.
type ReportService interface {
	// CreateReport stores a new report (ReportStored). When a report with the same
	// form key hash exists, it fills r from it and applies ResendReport: the same
	// answers give ReportSentBefore; changed answers from the public form are added
	// to it (ReportAddedTo); changed answers through the API are refused. The urgency
	// is assessed here.
	CreateReport(ctx context.Context, actor Actor, r *Report, formKeyHash string) (ReportSent, error)
	FindReportByReference(ctx context.Context, actor Actor, ref string) (*Report, error)
	FindReports(ctx context.Context, actor Actor, f ReportFilter) ([]*Report, int, error)
	// AddFollowUp appends the reporter's further information when the code matches,
	// however many wrong codes the report has seen; an unknown reference, a wrong code
	// and a report with many wrong codes give the same EUNAUTHORISED.
	AddFollowUp(ctx context.Context, ref, codeHash, text string) error
	ClaimReport(ctx context.Context, actor Actor, ref string, takeOver bool) error
	DecideReport(ctx context.Context, actor Actor, ref string, d ReportDecision) error
	SetUrgency(ctx context.Context, actor Actor, ref string, u Urgency, reason string) error
	AddReportNote(ctx context.Context, actor Actor, ref, text string) error
	// BulkTriage applies one action to several reports, all or nothing (report_bulk.go).
	BulkTriage(ctx context.Context, actor Actor, b ReportBulk) ([]string, error)
	FindDistricts(ctx context.Context) ([]District, error)
	CreateDistrict(ctx context.Context, actor Actor, d District) error
}
