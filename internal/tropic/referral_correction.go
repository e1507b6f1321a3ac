package tropic

import (
	"fmt"
	"strings"
	"time"
)

// A Duty to Notify report is corrected by the agency that made it (issue 19, item 4):
// the answers it holds, against the version the editor saw, for a reason from a short
// list (no free text: the report identifies no one, MSA s.52(3)). The report still
// cannot identify the person, and is still an adult's: one that should have been an NRM
// referral is withdrawn and referred instead. Statistics count the corrected answers
// from the next release on, as revisions; a published release never changes.

// CorrectionReason is why a Duty to Notify report was corrected.
type CorrectionReason string

// The reasons a Duty to Notify report is corrected for.
const (
	CorrectedMistake     CorrectionReason = "entry_mistake"
	CorrectedInformation CorrectionReason = "new_information"
)

// CorrectionReasons lists the reasons in the order a form offers them.
var CorrectionReasons = []CorrectionReason{CorrectedMistake, CorrectedInformation}

// Label is the reason as a page shows it.
func (r CorrectionReason) Label() string {
	switch r {
	case CorrectedMistake:
		return "A mistake when the report was entered"
	case CorrectedInformation:
		return "Later information about the same events"
	}
	return string(r)
}

// AuditReferralCorrected records a correction of a Duty to Notify report; the detail
// is the reason's code and the names of the answers changed, never their values.
const AuditReferralCorrected = "referral.dtn_corrected"

// DutyToNotifyCorrection asks to change a Duty to Notify report. Only the answers
// given (not nil) change; the rest stay as they are.
type DutyToNotifyCorrection struct {
	Version           int // the report's version the editor saw
	Reason            CorrectionReason
	SubmittedOn       *string
	Gender            *Gender
	Nationality       *string
	AgeAtExploitation *AgeGroup
	Exploitation      *ExploitationSet
	Location          *ExploitationLocation
}

// ReferralCorrection is one correction in a report's history.
type ReferralCorrection struct {
	At      time.Time
	By      string // who, as the history names them
	Reason  CorrectionReason
	Changes []string // "Gender: Female to Male"
}

// CorrectDutyToNotify applies c to r, a Duty to Notify report, on day now, and returns
// the answers changed, as the history shows them. The report must still be valid and
// identify nobody (Validate); nothing changed is refused, as is a withdrawn report.
func (r *Referral) CorrectDutyToNotify(c DutyToNotifyCorrection, now time.Time) ([]string, error) {
	if r.Route != RouteDtN {
		return nil, Errorf(EINVALID, "Only a Duty to Notify report is corrected this way. Record the decisions of an NRM referral on it.")
	}
	if r.WithdrawnOn != "" {
		return nil, Errorf(ECONFLICT, "This Duty to Notify report was withdrawn on %s: it is no longer corrected.", r.WithdrawnOn)
	}
	var p Problems
	ok := false
	for _, k := range CorrectionReasons {
		ok = ok || k == c.Reason
	}
	if !ok {
		p.Add("reason", "Choose why the report is corrected")
	}
	next := *r
	if c.SubmittedOn != nil {
		next.SubmittedOn = strings.TrimSpace(*c.SubmittedOn)
	}
	if c.Gender != nil {
		next.Gender = *c.Gender
		known := next.Gender == ""
		for _, g := range Genders {
			known = known || g.Key == next.Gender
		}
		if !known {
			p.Add("gender", "Choose the person’s gender, or ‘Not recorded’")
		}
	}
	if c.Nationality != nil {
		next.Nationality = strings.TrimSpace(*c.Nationality)
	}
	if c.AgeAtExploitation != nil {
		next.AgeAtExploitation = *c.AgeAtExploitation
	}
	if c.Exploitation != nil {
		next.Exploitation = ExploitationSet{Types: append([]ExploitationType(nil), c.Exploitation.Types...), CountyLines: c.Exploitation.CountyLines}
		if len(next.Exploitation.Types) == 0 && !next.Exploitation.CountyLines {
			p.Add("exploitation", "Choose the kinds of exploitation, or ‘Not specified or unknown’")
		}
	}
	if c.Location != nil {
		next.Location = *c.Location
		if next.Location == "" {
			p.Add("location", "Choose where the exploitation took place")
		}
	}
	if err := next.Validate(now); err != nil {
		for k, v := range ErrorFields(err) {
			p.Add(k, v)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	changes := r.answersChanged(&next)
	if len(changes) == 0 {
		return nil, &Error{Code: EINVALID, Message: "Nothing has changed. Change an answer, or cancel.", Fields: map[string]string{"submitted_on": "Nothing has changed. Change an answer, or cancel."}}
	}
	*r = next
	return changes, nil
}

// answersChanged names the correctable answers that differ between r and next.
func (r *Referral) answersChanged(next *Referral) []string {
	var out []string
	add := func(label, was, now string) {
		if was != now {
			out = append(out, fmt.Sprintf("%s: %s to %s", label, orNotGiven(was), orNotGiven(now)))
		}
	}
	add("Date the report was made", r.SubmittedOn, next.SubmittedOn)
	add("Gender", genderLabel(r.Gender), genderLabel(next.Gender))
	add("Nationality", r.Nationality, next.Nationality)
	add("Age at exploitation", ageLabel(r.AgeAtExploitation), ageLabel(next.AgeAtExploitation))
	add("Kinds of exploitation", exploitationText(r.Exploitation), exploitationText(next.Exploitation))
	add("Where the exploitation took place", locationLabel(r.Location), locationLabel(next.Location))
	return out
}

// ChangedFields names, for the audit trail, the answers a correction changed.
func ChangedFields(changes []string) string {
	var out []string
	for _, c := range changes {
		label, _, _ := strings.Cut(c, ":")
		out = append(out, label)
	}
	return strings.Join(out, "; ")
}

func orNotGiven(s string) string {
	if s == "" {
		return "not given"
	}
	return s
}

func genderLabel(g Gender) string {
	for _, k := range Genders {
		if k.Key == g {
			return k.Label
		}
	}
	return string(g)
}

func ageLabel(a AgeGroup) string {
	switch a {
	case AgeAdult:
		return "Adult"
	case AgeChild:
		return "Child"
	}
	return "Not known"
}

func exploitationText(s ExploitationSet) string {
	l := s.Label()
	if s.CountyLines {
		l += " (county lines)"
	}
	return l
}

func locationLabel(l ExploitationLocation) string {
	for _, k := range ExploitationLocations {
		if k.Key == l {
			return k.Label
		}
	}
	return string(l)
}
