package tropic

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Route is how a potential victim is referred.
type Route string

const (
	RouteNRM Route = "nrm" // National Referral Mechanism: support and a decision
	RouteDtN Route = "dtn" // Duty to Notify (MS1): an anonymous notification only
)

// AgeGroup is the person's age at referral, as the Home Office records it.
type AgeGroup string

const (
	AgeAdult AgeGroup = "adult"
	AgeChild AgeGroup = "child"
)

// CompetentAuthority decides referrals.
type CompetentAuthority string

// CompetentAuthorities lists who decides.
var CompetentAuthorities = []struct {
	Key   CompetentAuthority
	Label string
}{
	{"sca", "Single Competent Authority (SCA)"},
	{"ieca", "Immigration Enforcement Competent Authority (IECA)"},
	{"la_pilot", "Local authority panel (devolved child decision-making pilot)"},
}

// ExploitationLocation is where the exploitation took place.
type ExploitationLocation string

// ExploitationLocations lists the Home Office values.
var ExploitationLocations = []struct {
	Key   ExploitationLocation
	Label string
}{{"uk", "UK"}, {"overseas", "Overseas"}, {"uk_and_overseas", "UK and Overseas"}, {"not_specified", "Not specified or unknown"}}

// TreatedAsChild is the s.51 rule: a person recorded as a child, or who may be under
// 18 whatever age group was given (adult or none), is treated as a child until their
// age is assessed.
func TreatedAsChild(age AgeGroup, possiblyChild bool) bool { return age == AgeChild || possiblyChild }

// ConsentGate decides the route for a referral, or refuses it with a reason:
// a child, or a person who may be under 18 (MSA s.51, even if recorded as an adult or
// with no age), goes into the NRM without consent; an adult who consents goes into
// the NRM; an adult who does not consent can only be notified through the Duty to
// Notify, and only by an agency it binds. Only a first responder may refer into the NRM.
func ConsentGate(age AgeGroup, possiblyChild, consent bool, agency *Agency) (Route, error) {
	refuse := func(field, msg string) (Route, error) {
		return "", &Error{Code: EINVALID, Message: msg, Fields: map[string]string{field: msg}}
	}
	child := TreatedAsChild(age, possiblyChild)
	switch {
	case !child && age != AgeAdult:
		return refuse("age_group", "Say whether the person is an adult or a child")
	case child && !agency.FirstResponder:
		return refuse("agency", "Only a first responder organisation can refer a child into the NRM; contact your local authority children's services or the police")
	case child:
		return RouteNRM, nil
	case consent && !agency.FirstResponder:
		return refuse("agency", "Only a first responder organisation can make an NRM referral")
	case consent:
		return RouteNRM, nil
	case !agency.DutyToNotify:
		return refuse("consent", "An adult who does not consent cannot be referred into the NRM, and the Duty to Notify does not apply to your agency: record the conversation on the case and offer support again later")
	}
	return RouteDtN, nil
}

// Gate runs the consent gate for agency on r and records its answer on r: the route,
// the agency, and the age group as the gate read it (a person who may be a child is
// recorded as a child, s.51). A Duty to Notify report is then checked to hold nothing
// that identifies the person (DutyToNotifyProblems). casePersonID is the person's
// link to the case the referral is made from, 0 for none.
func (r *Referral) Gate(agency *Agency, casePersonID int64) error {
	route, err := ConsentGate(r.AgeGroup, r.PossiblyChild, r.Consent, agency)
	if err != nil {
		return err
	}
	r.Route, r.AgencyID, r.AgencyName = route, agency.ID, agency.Name
	if TreatedAsChild(r.AgeGroup, r.PossiblyChild) {
		// Exploited as a child too; Validate refuses "adult" at exploitation.
		r.AgeGroup = AgeChild
		if r.AgeAtExploitation == "" {
			r.AgeAtExploitation = AgeChild
		}
	}
	if !r.Consent {
		r.ConsentAt = ""
	}
	if route != RouteDtN {
		return nil
	}
	if err := DutyToNotifyProblems(r, casePersonID); err != nil {
		return err
	}
	// Not identifying, but no part of a notification either.
	r.CompetentAuthority, r.CaseID, r.CaseReference = "", 0, ""
	return nil
}

// DutyToNotifyProblems names every field that would identify the person on a Duty to
// Notify report (MSA s.52(3), DESIGN.md §4): a person or their link to a case, a name,
// free text, a reference that leads to a record naming them, support details, and a
// nationality other than one word from the list. The store refuses such a report
// rather than dropping the fields, so nobody believes a name was kept that was not.
func DutyToNotifyProblems(r *Referral, casePersonID int64) error {
	var p Problems
	dutyToNotifyProblems(&p, r, casePersonID)
	return p.Err()
}

func dutyToNotifyProblems(p *Problems, r *Referral, casePersonID int64) {
	const person = "A Duty to Notify report must not identify the person: leave out who they are"
	if casePersonID != 0 || r.PersonID != 0 || strings.TrimSpace(r.PersonName) != "" {
		p.Add("person", person)
	}
	for _, f := range []struct{ field, value, msg string }{
		{"notes", r.Notes, "A Duty to Notify report holds no free text about the person"},
		{"home_office_reference", r.HomeOfficeReference, "A Duty to Notify report holds no Home Office reference: it would lead to a record that names the person"},
		{"crime_reference", r.CrimeReference, "A Duty to Notify report holds no crime reference: it would lead to a record that names the person"},
		{"support_provider", r.SupportProvider, "A Duty to Notify report holds no support provider: the person is not referred for support"},
		{"childrens_services", r.ChildrensServices, "A Duty to Notify report is for adults: it holds no children's services"},
	} {
		if strings.TrimSpace(f.value) != "" {
			p.Add(f.field, f.msg)
		}
	}
	if r.ICTG {
		p.Add("ictg", "A Duty to Notify report is for adults: it holds no Independent Child Trafficking Guardian")
	}
	if n := strings.TrimSpace(r.Nationality); n != "" && KnownNationality(n) == "Other" {
		p.Add("nationality", "On a Duty to Notify report, give the nationality only as one word from the list, like Albanian or Vietnamese; leave it blank if it is not on the list")
	}
}

// Decision outcomes.
const (
	RGPositive  = "positive"
	RGNegative  = "negative"
	RGSuspended = "suspended" // the person is missing

	CGVictimTrafficking = "victim_trafficking"
	CGVictimSlavery     = "victim_slavery" // slavery, servitude, forced or compulsory labour
	CGInsufficient      = "insufficient_evidence"
)

// RecoveryDaysChange is when the minimum recovery period fell from 45 to 30 days.
var RecoveryDaysChange = date(2023, time.January, 30)

// Referral is an NRM referral or a Duty to Notify report. A DtN record holds nothing
// that identifies the person: no person link, no name, date of birth, contact or
// free text about them (MSA s.52(3)).
type Referral struct {
	ID                  int64
	CaseID              int64 // NRM only
	CaseReference       string
	PersonID            int64 // NRM only
	PersonName          string
	AgencyID            int64 // the first responder
	AgencyName          string
	Route               Route
	AgeGroup            AgeGroup // at referral
	PossiblyChild       bool
	AgeAtExploitation   AgeGroup // adult, child or "" (not specified or unknown): what the Home Office statistics count
	Consent             bool
	ConsentAt           string // YYYY-MM-DD, when consent was given
	SubmittedOn         string // YYYY-MM-DD
	Exploitation        ExploitationSet
	Location            ExploitationLocation
	Gender              Gender
	Nationality         string
	CompetentAuthority  CompetentAuthority
	HomeOfficeReference string
	CrimeReference      string
	SupportProvider     string // adults: e.g. the Salvation Army (Modern Slavery Victim Care Contract)
	ChildrensServices   string // children: the local authority
	ICTG                bool   // an Independent Child Trafficking Guardian is appointed
	Notes               string // NRM only: never on a DtN record

	RGDate, RGOutcome           string
	CGDate, CGOutcome           string
	ReconsiderationRequested    string
	ReconsiderationDecided      string
	ReconsiderationOutcome      string
	WithdrawnOn, DisqualifiedOn string
	WithdrawnReason             RemovalReason // a Duty to Notify report withdrawn (WithdrawDutyToNotify)
	Version                     int
	CreatedAt                   time.Time
	Access                      ReferralAccess       // what the reader may do with it (ReferralAccessFor)
	Corrections                 []ReferralCorrection // a Duty to Notify report's, oldest first (FindReferral only)
}

// Validate checks a new referral's own fields (not the consent gate, which needs the agency).
func (r *Referral) Validate(now time.Time) error {
	var p Problems
	if _, err := time.Parse(time.DateOnly, r.SubmittedOn); err != nil {
		p.Add("submitted_on", "Enter the date the referral was submitted, like 2026-11-20")
	} else if r.SubmittedOn > now.Format(time.DateOnly) {
		p.Add("submitted_on", "The submitted date must be today or in the past")
	}
	if r.Consent && r.ConsentAt != "" {
		if _, err := time.Parse(time.DateOnly, r.ConsentAt); err != nil {
			p.Add("consent_at", "Enter the date consent was given, like 2026-11-20")
		} else if r.ConsentAt > r.SubmittedOn {
			p.Add("consent_at", "Consent must be given on or before the day the referral is submitted")
		}
	}
	switch {
	case r.AgeAtExploitation != "" && r.AgeAtExploitation != AgeAdult && r.AgeAtExploitation != AgeChild:
		p.Add("age_at_exploitation", "Choose whether the person was an adult or a child when they were exploited, or leave it as not known")
	case r.AgeAtExploitation == AgeAdult && TreatedAsChild(r.AgeGroup, r.PossiblyChild):
		p.Add("age_at_exploitation", "A child, or a person who may be under 18, was exploited as a child: they cannot have been exploited as an adult")
	}
	for _, t := range r.Exploitation.Types {
		if !t.Valid() {
			p.Add("exploitation", "Choose the kinds of exploitation from the list")
		}
	}
	r.Exploitation.Normalise()
	ok := r.Location == ""
	for _, l := range ExploitationLocations {
		ok = ok || l.Key == r.Location
	}
	if !ok {
		p.Add("location", "Choose where the exploitation took place")
	}
	ok = r.CompetentAuthority == ""
	for _, c := range CompetentAuthorities {
		ok = ok || c.Key == r.CompetentAuthority
	}
	if !ok {
		p.Add("competent_authority", "Choose the competent authority")
	}
	for _, f := range []struct{ name, label, v string }{{"home_office_reference", "Home Office reference", r.HomeOfficeReference},
		{"crime_reference", "Crime reference", r.CrimeReference}, {"support_provider", "Support provider", r.SupportProvider},
		{"childrens_services", "Children's services", r.ChildrensServices}, {"nationality", "Nationality", r.Nationality}} {
		CheckText(&p, f.name, f.label, f.v, 100)
	}
	CheckText(&p, "notes", "Notes", r.Notes, MaxLongText)
	if r.Route == RouteDtN {
		// s.52(3): nothing that identifies the person.
		dutyToNotifyProblems(&p, r, 0)
	}
	return p.Err()
}

// ExploitedAs is the person's age group when they were exploited, which the Home
// Office statistics call "age at exploitation": someone who is (or may be) a child at
// referral was exploited as a child; an adult may have been exploited as a child or
// as an adult, as recorded, or it is not known ("").
func (r *Referral) ExploitedAs() AgeGroup {
	if TreatedAsChild(r.AgeGroup, r.PossiblyChild) {
		return AgeChild
	}
	switch r.AgeAtExploitation {
	case AgeAdult, AgeChild:
		return r.AgeAtExploitation
	}
	return ""
}

// ReferralDecision is one step in a referral's life.
type ReferralDecision struct {
	Kind    string // "rg", "cg", "reconsideration_requested", "reconsideration_decided", "withdrawn", "disqualified"
	Date    string // YYYY-MM-DD
	Outcome string
}

// ApplyDecision checks that d may follow what r has already, in order and with
// dates that do not precede what they follow, and records it on r.
func (r *Referral) ApplyDecision(d ReferralDecision, now time.Time, recoveryDays func(rgDate time.Time) int) error {
	bad := func(field, msg string) error {
		return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{field: msg}}
	}
	day, err := time.Parse(time.DateOnly, d.Date)
	if err != nil {
		return bad("date", "Enter the decision date, like 2026-11-20")
	}
	if d.Date > now.Format(time.DateOnly) {
		return bad("date", "The decision date must be today or in the past")
	}
	if r.Route == RouteDtN {
		return bad("kind", "A Duty to Notify report gets no decisions: it is a notification only")
	}
	if r.WithdrawnOn != "" || r.DisqualifiedOn != "" {
		return bad("kind", "This referral was withdrawn or disqualified; it takes no further decisions")
	}
	after := func(what, when string) error {
		if when != "" && d.Date < when {
			return bad("date", fmt.Sprintf("The date must not be before the %s (%s)", what, when))
		}
		return nil
	}
	if err := after("referral was submitted", r.SubmittedOn); err != nil {
		return err
	}
	switch d.Kind {
	case "rg":
		if r.RGOutcome != "" && r.RGOutcome != RGSuspended {
			return bad("kind", "A Reasonable Grounds decision is recorded already")
		}
		if d.Outcome != RGPositive && d.Outcome != RGNegative && d.Outcome != RGSuspended {
			return bad("outcome", "Choose positive, negative or suspended")
		}
		if err := after("suspension", r.RGDate); err != nil && r.RGOutcome == RGSuspended {
			return err
		}
		r.RGDate, r.RGOutcome = d.Date, d.Outcome
	case "cg":
		if r.RGOutcome != RGPositive {
			return bad("kind", "A Conclusive Grounds decision follows a positive Reasonable Grounds decision (or a negative one overturned on reconsideration): record that first")
		}
		if r.CGOutcome != "" {
			return bad("kind", "A Conclusive Grounds decision is recorded already")
		}
		if d.Outcome != CGVictimTrafficking && d.Outcome != CGVictimSlavery && d.Outcome != CGInsufficient {
			return bad("outcome", "Choose one of the three Conclusive Grounds outcomes")
		}
		if err := after("positive Reasonable Grounds decision", r.PositiveRGDate()); err != nil {
			return err
		}
		rg, _ := time.Parse(time.DateOnly, r.PositiveRGDate())
		if min := rg.AddDate(0, 0, recoveryDays(rg)); day.Before(min) {
			return bad("date", fmt.Sprintf("A Conclusive Grounds decision cannot come before the end of the recovery period (%d days after the Reasonable Grounds decision: %s)", recoveryDays(rg), min.Format(time.DateOnly)))
		}
		r.CGDate, r.CGOutcome = d.Date, d.Outcome
	case "reconsideration_requested":
		negative := r.RGOutcome == RGNegative || r.CGOutcome == CGInsufficient
		if !negative {
			return bad("kind", "Reconsideration can be asked for after a negative decision only")
		}
		if r.ReconsiderationRequested != "" {
			return bad("kind", "Reconsideration was asked for already")
		}
		if err := after("decision it reconsiders", max(r.RGDate, r.CGDate)); err != nil {
			return err
		}
		r.ReconsiderationRequested = d.Date
	case "reconsideration_decided":
		if r.ReconsiderationRequested == "" || r.ReconsiderationDecided != "" {
			return bad("kind", "Record the request for reconsideration first")
		}
		if d.Outcome != "upheld" && d.Outcome != "overturned" {
			return bad("outcome", "Choose whether the decision was upheld or overturned")
		}
		if err := after("request for reconsideration", r.ReconsiderationRequested); err != nil {
			return err
		}
		r.ReconsiderationDecided, r.ReconsiderationOutcome = d.Date, d.Outcome
		if d.Outcome == "overturned" && r.RGOutcome == RGNegative && r.CGOutcome == "" {
			// The negative RG decision is overturned: it is now positive, from the day of
			// the reconsideration (PositiveRGDate), and a CG decision may follow.
			r.RGOutcome = RGPositive
		}
	case "withdrawn":
		if err := after("last decision", max(r.RGDate, r.CGDate)); err != nil {
			return err
		}
		r.WithdrawnOn = d.Date
	case "disqualified":
		// Nationality and Borders Act 2022 s.63: a person with a positive RG decision may
		// be disqualified on public order or bad faith grounds.
		if r.RGOutcome != RGPositive {
			return bad("kind", "A disqualification on public order or bad faith grounds follows a positive Reasonable Grounds decision only")
		}
		if err := after("last decision", max(r.RGDate, r.CGDate, r.ReconsiderationDecided)); err != nil {
			return err
		}
		r.DisqualifiedOn = d.Date
	default:
		return bad("kind", "Choose which decision to record")
	}
	return nil
}

// RGOverturned reports whether the RG decision was negative and overturned on
// reconsideration, so that it is positive now.
func (r *Referral) RGOverturned() bool {
	// A CG decision comes at least the recovery period after the RG became positive,
	// so a reconsideration asked for before any CG decision was of the RG.
	return r.RGOutcome == RGPositive && r.ReconsiderationOutcome == "overturned" && r.ReconsiderationDecided != "" &&
		(r.CGDate == "" || r.CGDate > r.ReconsiderationRequested)
}

// PositiveRGDate is the day the Reasonable Grounds decision became positive: the RG
// date, or for a negative decision overturned on reconsideration the day of the
// reconsideration; "" while it is not positive. The recovery period runs from it.
func (r *Referral) PositiveRGDate() string {
	switch {
	case r.RGOutcome != RGPositive:
		return ""
	case r.RGOverturned():
		return r.ReconsiderationDecided
	}
	return r.RGDate
}

// RecoveryPeriod is the minimum recovery period after a positive RG decision. The law
// has changed it before, so it is configuration: Days for decisions from Change on,
// DaysBefore for decisions before it.
type RecoveryPeriod struct {
	Days       int
	DaysBefore int
	Change     time.Time
}

// DefaultRecoveryPeriod: 45 days for decisions before 30 January 2023, 30 from then on.
var DefaultRecoveryPeriod = RecoveryPeriod{Days: 30, DaysBefore: 45, Change: RecoveryDaysChange}

// For returns the minimum days after an RG decision made on rg; a zero period is the default.
func (p RecoveryPeriod) For(rg time.Time) int {
	if p.Days == 0 {
		p = DefaultRecoveryPeriod
	}
	if rg.Before(p.Change) {
		return p.DaysBefore
	}
	return p.Days
}

// DefaultRecoveryDays is DefaultRecoveryPeriod.For.
func DefaultRecoveryDays(rg time.Time) int { return DefaultRecoveryPeriod.For(rg) }

// ReferralStatuses are the values of Referral.Status, in the order lists offer them.
var ReferralStatuses = []string{"awaiting_rg", "rg_suspended", "awaiting_cg", "rg_negative", "cg_decided", "reconsideration", "withdrawn", "disqualified", "notified"}

// Status summarises where a referral stands. A suspended RG decision (the person
// is missing) is "rg_suspended": it waits for the person, not for the competent
// authority, so it is neither on the waiting list nor overdue.
func (r *Referral) Status() string {
	switch {
	case r.Route == RouteDtN && r.WithdrawnOn != "":
		return "withdrawn"
	case r.Route == RouteDtN:
		return "notified"
	case r.DisqualifiedOn != "":
		return "disqualified"
	case r.WithdrawnOn != "":
		return "withdrawn"
	case r.ReconsiderationRequested != "" && r.ReconsiderationDecided == "":
		return "reconsideration"
	case r.CGOutcome != "":
		return "cg_decided"
	case r.RGOutcome == RGPositive:
		return "awaiting_cg"
	case r.RGOutcome == RGNegative:
		return "rg_negative"
	case r.RGOutcome == RGSuspended:
		return "rg_suspended"
	}
	return "awaiting_rg"
}

// Deadline is a referral's next deadline and how long it has waited.
type Deadline struct {
	What        string    // "Reasonable Grounds decision", "Conclusive Grounds decision (earliest)"
	Due         time.Time // zero when there is none
	Overdue     bool
	DaysWaiting int // calendar days since submission, or since RG for CG waits
}

// NextDeadline computes the referral's next deadline on day now: the RG target 5
// working days after submission; then the earliest CG after the recovery period. A
// suspended RG decision has none.
//
// The target counts working days after the day of submission, whatever that day is:
// a referral submitted on a Saturday, Sunday or bank holiday is due on the 5th working
// day after it, just as one submitted on the working day before would be (Friday
// 14 November 2025 and Saturday 15 November are both due on Friday 21 November):
// DOMAIN.md gives the target in working days from referral and no rule of its own
// for a non-working day, and this reading never makes a target earlier than 5 full
// working days. Decision record 26.
func (r *Referral) NextDeadline(cal *Calendar, now time.Time, recoveryDays func(time.Time) int) Deadline {
	today := date(now.Year(), now.Month(), now.Day())
	sub, err := time.Parse(time.DateOnly, r.SubmittedOn)
	if err != nil || r.Route == RouteDtN {
		return Deadline{}
	}
	switch r.Status() {
	case "awaiting_rg":
		due := cal.AddWorkingDays(sub, 5)
		return Deadline{What: "Reasonable Grounds decision", Due: due, Overdue: today.After(due), DaysWaiting: int(today.Sub(sub).Hours() / 24)}
	case "awaiting_cg":
		rg, _ := time.Parse(time.DateOnly, r.PositiveRGDate())
		due := rg.AddDate(0, 0, recoveryDays(rg))
		return Deadline{What: "Conclusive Grounds decision (not before the end of the recovery period)", Due: due, DaysWaiting: int(today.Sub(rg).Hours() / 24)}
	}
	return Deadline{}
}

// ReferralFilter narrows FindReferrals.
type ReferralFilter struct {
	Status  string
	Route   Route
	Overdue bool
	Waiting bool // the waiting list: awaiting RG or CG, oldest first
	Limit   int
	Offset  int
	// CountUpTo, when above 0, stops the total at CountUpTo+1, as CaseFilter's does.
	CountUpTo int
}

// ReferralFigures are decision times for an agency or the partnership.
type ReferralFigures struct {
	Referrals               int
	RGDecided               int
	RGMedianDays, RGP90Days float64
	CGDecided               int
	CGMedianDays, CGP90Days float64
}

// ReferralService stores referrals.
type ReferralService interface {
	// CreateReferral applies the consent gate for the actor's agency and stores the
	// referral; an NRM referral without a crime reference also creates a task for the
	// police to record the crime.
	CreateReferral(ctx context.Context, actor Actor, caseRef string, casePersonID int64, r *Referral) error
	FindReferral(ctx context.Context, actor Actor, id int64) (*Referral, error)
	FindReferrals(ctx context.Context, actor Actor, f ReferralFilter) ([]*Referral, int, error)
	RecordDecision(ctx context.Context, actor Actor, id int64, d ReferralDecision, version int) error
	// WithdrawDutyToNotify withdraws a Duty to Notify report made in error: the agency
	// that made it only, against the version it read.
	WithdrawDutyToNotify(ctx context.Context, actor Actor, id int64, reason RemovalReason, version int) error
	// CorrectDutyToNotify corrects a Duty to Notify report's answers: the agency that
	// made it only, against the version it read (c.Version), for a reason.
	CorrectDutyToNotify(ctx context.Context, actor Actor, id int64, c DutyToNotifyCorrection) error
	// Figures gives decision times for the actor's agency and for the partnership.
	Figures(ctx context.Context, actor Actor) (agency, partnership ReferralFigures, err error)
	HolidayChanges(ctx context.Context) ([]HolidayChange, error)
}

// ReminderDigest is what one first-responder agency's daily reminder e-mail counts:
// no names, no references, only how many referrals need chasing.
type ReminderDigest struct {
	AgencyID      int64
	AgencyName    string
	ReminderEmail string
	OverdueRG     int // awaiting a Reasonable Grounds decision past its 5-working-day target
	LongCGWaits   int // awaiting a Conclusive Grounds decision for more than the configured days
}

// ReferralReminders feeds the daily reminder job.
type ReferralReminders interface {
	// SetReminderEmail sets (or, with "", clears) where an agency's digest goes.
	SetReminderEmail(ctx context.Context, actor Actor, agencyID int64, email string) error
	// FindReminderDigests counts, on day now, for every agency with a reminder address.
	FindReminderDigests(ctx context.Context, now time.Time, cgWaitDays int) ([]ReminderDigest, error)
}

// RGOverdueFrom is the first submission day whose Reasonable Grounds target, on day
// now, is not yet past: a referral awaiting RG is overdue (NextDeadline) exactly when
// it was submitted before this day. Lists filter on it in the database.
func RGOverdueFrom(cal *Calendar, now time.Time) time.Time {
	today := date(now.Year(), now.Month(), now.Day())
	d := today
	for !today.After(cal.AddWorkingDays(d.AddDate(0, 0, -1), 5)) {
		d = d.AddDate(0, 0, -1)
	}
	return d
}
