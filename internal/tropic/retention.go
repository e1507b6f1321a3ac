package tropic

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Retention: how long each kind of record is kept, and what happens when that time is
// up. A record reaching its date goes into its owning agency's review queue, where a
// supervisor retains it for a stated period with a reason, or disposes of it. Disposal
// deletes the record and everything derived from it; the figures it added to the
// statistics are kept, with nothing that leads back to it. The defaults and their
// sources are in docs/retention.md.

// RetentionPeriod is a number of months (a year is 12).
type RetentionPeriod int

// String writes the period as the setting takes it: "6y", "18m".
func (p RetentionPeriod) String() string {
	if p%12 == 0 {
		return strconv.Itoa(int(p)/12) + "y"
	}
	return strconv.Itoa(int(p)) + "m"
}

// Label says the period for people: "6 years", "18 months".
func (p RetentionPeriod) Label() string {
	if p%12 == 0 {
		return countOf(int(p)/12, "year", "years")
	}
	return countOf(int(p), "month", "months")
}

// After is the day the period ends, counted from t (in UTC).
func (p RetentionPeriod) After(t time.Time) time.Time {
	return t.UTC().AddDate(0, int(p), 0)
}

// Limits of a period: at least a month, at most 100 years, so that a typing slip can
// neither dispose of everything at once nor switch retention off.
const (
	minRetention RetentionPeriod = 1
	maxRetention RetentionPeriod = 1200
)

// ParseRetentionPeriod reads "6y" or "18m".
func ParseRetentionPeriod(s string) (RetentionPeriod, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return 0, fmt.Errorf("%q: give years or months, like 6y or 18m", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 0 || n > int(maxRetention) {
		return 0, fmt.Errorf("%q: give years or months, like 6y or 18m", s)
	}
	var p RetentionPeriod
	switch s[len(s)-1] {
	case 'y':
		p = RetentionPeriod(n * 12)
	case 'm':
		p = RetentionPeriod(n)
	default:
		return 0, fmt.Errorf("%q: give years or months, like 6y or 18m", s)
	}
	if p < minRetention || p > maxRetention {
		return 0, fmt.Errorf("%q: a period is at least a month and at most 100 years", s)
	}
	return p, nil
}

// RetentionSchedule says how long the records Tropic reviews are kept. Records not
// named here follow them (a referral, a person and a linked report go with their case).
type RetentionSchedule struct {
	// ReportNotTakenFurther: a report decided as no further action, a duplicate, or
	// passed to an agency, and not linked to any case; counted from the decision.
	ReportNotTakenFurther RetentionPeriod
	// CaseClosed: a closed case with no crime recorded, counted from its closure;
	// Outcomes override it for one outcome.
	CaseClosed RetentionPeriod
	Outcomes   map[CaseOutcome]RetentionPeriod
	// CaseCrimeRecorded: a closed case on which a Modern Slavery Act offence was
	// recorded as a crime, counted from its closure.
	CaseCrimeRecorded RetentionPeriod
}

// DefaultRetention is the schedule Tropic keeps unless configured otherwise. Sources:
// docs/retention.md (MoPI review periods for police records; six years for partners').
var DefaultRetention = RetentionSchedule{
	ReportNotTakenFurther: 24,
	CaseClosed:            72,
	CaseCrimeRecorded:     120,
}

// The settings' names.
const (
	retainReportKey = "report_not_taken_further"
	retainCaseKey   = "case_closed"
	retainCrimeKey  = "case_crime_recorded"
)

// ForCase is the period of a closed case: crime recorded, its outcome's, or closed.
func (s RetentionSchedule) ForCase(outcome CaseOutcome, crimeRecorded bool) RetentionPeriod {
	if crimeRecorded {
		return s.CaseCrimeRecorded
	}
	if p, ok := s.Outcomes[outcome]; ok {
		return p
	}
	return s.CaseClosed
}

// String writes the schedule as ParseRetention reads it.
func (s RetentionSchedule) String() string {
	parts := []string{retainReportKey + "=" + s.ReportNotTakenFurther.String(), retainCaseKey + "=" + s.CaseClosed.String(),
		retainCrimeKey + "=" + s.CaseCrimeRecorded.String()}
	for _, o := range CaseOutcomes {
		if p, ok := s.Outcomes[o.Key]; ok {
			parts = append(parts, retainCaseKey+"."+string(o.Key)+"="+p.String())
		}
	}
	return strings.Join(parts, ",")
}

// ParseRetention reads a schedule such as "report_not_taken_further=2y,case_closed=6y,
// case_closed.no_exploitation=3y,case_crime_recorded=10y" over the defaults: a record
// type left out keeps its default. A wrong name or period is an error naming it.
func ParseRetention(s string) (RetentionSchedule, error) {
	out := DefaultRetention
	out.Outcomes = map[CaseOutcome]RetentionPeriod{}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !ok {
			return out, fmt.Errorf("%q: write name=period, like case_closed=6y", part)
		}
		if seen[name] {
			return out, fmt.Errorf("%s is given twice", name)
		}
		seen[name] = true
		p, err := ParseRetentionPeriod(value)
		if err != nil {
			return out, fmt.Errorf("%s: %w", name, err)
		}
		switch outcome, isOutcome := strings.CutPrefix(name, retainCaseKey+"."); {
		case name == retainReportKey:
			out.ReportNotTakenFurther = p
		case name == retainCaseKey:
			out.CaseClosed = p
		case name == retainCrimeKey:
			out.CaseCrimeRecorded = p
		case isOutcome && CaseOutcome(outcome).Valid():
			out.Outcomes[CaseOutcome(outcome)] = p
		default:
			return out, fmt.Errorf("%q is not a record type: use %s, %s, %s or %s.OUTCOME", name, retainReportKey, retainCaseKey, retainCrimeKey, retainCaseKey)
		}
	}
	return out, nil
}

// RetentionRule is one line of the schedule as the privacy notice and the review page
// state it: what record, how long, what happens then, and where the period comes from.
type RetentionRule struct {
	Record string
	Period string // "6 years after the case is closed"
	Then   string
	Source string
}

// Rules lists the whole schedule for people, including the records that follow
// another's and those Tropic does not dispose of itself.
func (s RetentionSchedule) Rules() []RetentionRule {
	review := "Reviewed by a supervisor of the agency that holds it: kept longer for a stated reason, or deleted."
	out := []RetentionRule{
		{"A report not taken further (no further action, a duplicate, or passed to an agency and not linked to a case)",
			s.ReportNotTakenFurther.Label() + " after the decision", review, "Partnership policy; reports that led nowhere are kept only long enough to spot a pattern."},
		{"A closed case with no crime recorded", s.CaseClosed.Label() + " after the case is closed", review,
			"Six years: the Limitation Act 1980 period partners use; MoPI's six-year review for police records (group 3)."},
	}
	for _, o := range CaseOutcomes {
		if p, ok := s.Outcomes[o.Key]; ok {
			out = append(out, RetentionRule{"A closed case with the outcome \u201c" + o.Label + "\u201d", p.Label() + " after the case is closed", review, "Set by the partnership."})
		}
	}
	return append(out,
		RetentionRule{"A closed case on which a modern slavery offence was recorded as a crime", s.CaseCrimeRecorded.Label() + " after the case is closed", review,
			"MoPI (College of Policing, information management APP): serious offences are reviewed after 10 years."},
		RetentionRule{"A report linked to a case, an NRM referral, and the people on a case", "As long as the case", "Deleted with the case; a person on another case that is kept stays with it.", "Follows the case."},
		RetentionRule{"A Duty to Notify report", "Kept", "Not deleted: by law it holds nothing that identifies the person (Modern Slavery Act 2015 s.52).", "Figures for the Home Office."},
		RetentionRule{"Figures in the statistics", "Kept", "When a record is deleted, what it added to the counts (dates, district, types) is kept with nothing that leads back to it, so published figures stay right.", "Statistics."},
		RetentionRule{"The audit trail of who did what", "At least 6 years", "Not deleted by the service: its events name records by number only, never a person, and stay after the record is deleted.", "Accountability (UK GDPR Art 5(2))."},
		RetentionRule{"Staff sign-in sessions", "Until sign-out, or the idle and lifetime limits", "Deleted when they end.", "Security."},
	)
}

// RecordKind is the kind of record a retention review is about.
type RecordKind string

const (
	RecordReport RecordKind = "report"
	RecordCase   RecordKind = "case"
)

// Label names the kind in a sentence.
func (k RecordKind) Label() string {
	if k == RecordReport {
		return "Report"
	}
	return "Case"
}

// RetentionStatus is where a review stands.
type RetentionStatus string

const (
	RetentionDue      RetentionStatus = "due"
	RetentionRetained RetentionStatus = "retained"
	RetentionDisposed RetentionStatus = "disposed"
)

// DueRecord is a record whose retention period is over: what the daily job queues for
// review and `tropic retention run --dry-run` lists.
type DueRecord struct {
	Kind      RecordKind
	ID        int64
	Reference string
	AgencyID  int64 // the owning agency, whose supervisors review it
	Agency    string
	Since     time.Time // the decision or the closure
	DueOn     time.Time
	Rule      string // "6 years after the case is closed"
}

// RetentionReview is one record in an agency's review queue, or decided there.
type RetentionReview struct {
	ID           int64
	Kind         RecordKind
	RecordID     int64
	Reference    string
	AgencyID     int64
	DueOn        time.Time
	Rule         string
	Status       RetentionStatus
	RetainUntil  string // YYYY-MM-DD, when retained
	Reason       string
	DecidedBy    string
	DecidedAt    time.Time
	QueuedAt     time.Time
	Outcome      CaseOutcome // a case's outcome
	ClosedOrDone time.Time   // when the case closed or the report was decided
}

// RetentionDecision is a supervisor's decision on a review: dispose, or retain until a
// date for a reason.
type RetentionDecision struct {
	Dispose     bool
	RetainUntil string // YYYY-MM-DD
	Reason      string
}

// Longest a record may be retained past its date by one decision; it comes back to
// the queue when that time is up.
const maxRetainYears = 10

// Problems checks the decision against today: a retained record needs a reason and a
// date after today and within ten years.
func (d RetentionDecision) Problems(today time.Time) error {
	var p Problems
	if d.Dispose {
		return nil
	}
	if strings.TrimSpace(d.Reason) == "" {
		p.Add("reason", "Say why the record is kept longer")
	} else {
		CheckText(&p, "reason", "The reason", d.Reason, 2000)
	}
	until, err := time.Parse(time.DateOnly, strings.TrimSpace(d.RetainUntil))
	switch {
	case err != nil:
		p.Add("retain_until", "Enter the date to keep it until, like 2031-03-31")
	case !until.After(today):
		p.Add("retain_until", "The date to keep it until must be after today")
	case until.After(today.AddDate(maxRetainYears, 0, 0)):
		p.Add("retain_until", "Keep it for at most 10 years at a time: it comes back for review then")
	}
	return p.Err()
}

// MayReviewRetention lets a supervisor decide the reviews of their own agency's
// records; a review of another agency's record answers as missing.
func MayReviewRetention(a Actor, agencyID int64) error {
	if !a.Has(RoleSupervisor) || a.AgencyID == 0 {
		return Errorf(EFORBIDDEN, "Only a supervisor decides what happens to records at the end of their retention period.")
	}
	if a.AgencyID != agencyID {
		return Errorf(ENOTFOUND, "There is no such review.")
	}
	return nil
}

// MayRunRetention lets the system (the daily job, the command line) queue due records.
func MayRunRetention(a Actor) error {
	if !a.IsSystem() {
		return Errorf(EFORBIDDEN, "Retention reviews are queued by the daily job.")
	}
	return nil
}

// ReportsNotTakenFurther are the report statuses the report schedule applies to.
var ReportsNotTakenFurther = []ReportStatus{ReportNoFurtherAction, ReportDuplicate, ReportPassedToAgency}

// IsNotTakenFurther reports whether a report with status s is under the report schedule.
func IsNotTakenFurther(s ReportStatus) bool { return slices.Contains(ReportsNotTakenFurther, s) }

// RetentionDueNotice tells an agency's supervisors how many of its records wait for
// review, n of them. The store keeps one such notification open per supervisor and
// rewrites it whenever n changes (RetentionReviewedNotice when none is left), so that
// it never tells of records already disposed of or kept.
func RetentionDueNotice(n int) Notification {
	wait := "wait"
	if n == 1 {
		wait = "waits"
	}
	return Notification{Kind: NotifyRetentionDue, Subject: "Records due for retention review",
		Text: countOf(n, "record has", "records have") + " reached the end of the retention period and " + wait + " for review. Keep each for a stated reason, or dispose of it.",
		Link: "/retention"}
}

// RetentionReviewedText is what the notification says once every record of the
// agency that was due has been reviewed.
const RetentionReviewedText = "Every record of your agency that reached the end of its retention period has been reviewed."

// RetentionJob queues the records due for retention review (daily).
type RetentionJob struct{}

// Kind names the job.
func (RetentionJob) Kind() string { return "retention_review" }

// RetentionService is the retention review queue as the pages and the API use it.
type RetentionService interface {
	FindRetentionReviews(ctx context.Context, actor Actor) (waiting, decided []*RetentionReview, err error)
	DecideRetention(ctx context.Context, actor Actor, id int64, d RetentionDecision) error
}
