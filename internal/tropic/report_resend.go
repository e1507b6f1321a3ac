package tropic

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ReportSent says what sending a report did.
type ReportSent int

const (
	// ReportStored: a new report was stored.
	ReportStored ReportSent = iota + 1
	// ReportSentBefore: the form key was used before, with the same answers (a double
	// click, a refresh): the stored report, unchanged.
	ReportSentBefore
	// ReportAddedTo: the form key was used before, with changed answers: they were
	// added to the stored report as information for triage.
	ReportAddedTo
)

// ReportResend is what answers sent again under a form key already used do to the
// stored report: nothing when Changes is empty; otherwise Note goes on its timeline,
// for triage, and Urgency, when not empty, raises its urgency.
type ReportResend struct {
	Changes       []string // the answers that differ from the stored report, in words
	Note          string
	Urgency       Urgency // "" when the urgency stays
	UrgencyReason string
}

// ResendReport decides what answers sent again under a form key or Idempotency-Key
// already used do to the stored report. again must be validated. A sent report is
// never silently replaced, nor are changed answers dropped:
//
//   - the same answers change nothing;
//   - changed answers from the public form are kept as information added to the
//     report, with the report flagged for triage and its urgency raised when they
//     make it more urgent (never lowered): a reporter who goes back and says that
//     someone is in danger must be heard;
//   - changed answers through the API are refused (field form_key): the client used
//     one key for two different reports, a mistake it must be told of.
func ResendReport(stored, again *Report) (ReportResend, error) {
	var out ReportResend
	out.Changes = ReportChanges(stored, again)
	if len(out.Changes) == 0 {
		return out, nil
	}
	if stored.Channel != ChannelWeb || again.Channel != ChannelWeb {
		return out, &Error{Code: EINVALID, Message: "This key was used before for a report with different answers.",
			Fields: map[string]string{"form_key": "was used before with different answers; use a new key for a new report, or the same body to get the first report again"}}
	}
	out.Note = "The reporter sent the form again after sending it, with answers that differ from the report:\n" + strings.Join(out.Changes, "\n")
	if u, reason := again.AssessUrgency(); u.Rank() < stored.Urgency.Rank() {
		out.Urgency, out.UrgencyReason = u, reason+" (from answers the reporter sent again)"
	}
	return out, nil
}

// reportAnswers lists a report's answers in words, in the form's order, for
// ReportChanges.
var reportAnswers = []struct {
	label  string
	answer func(r *Report) string
}{
	{"What you saw", func(r *Report) string { return r.Description }},
	{"Anyone in immediate danger", func(r *Report) string { return r.InDanger.Label() }},
	{"Address or description of the place", func(r *Report) string { return r.Location.Address }},
	{"Postcode", func(r *Report) string { return r.Location.Postcode }},
	{"District", func(r *Report) string { return r.Location.District }},
	{"Date seen", func(r *Report) string { return r.SeenOn }},
	{"When seen", func(r *Report) string { return r.SeenWhen }},
	{"Kind of exploitation", func(r *Report) string {
		if r.Exploitation.CountyLines {
			return r.Exploitation.Label() + " (county lines)"
		}
		return r.Exploitation.Label()
	}},
	{"Signs", func(r *Report) string {
		var s []string
		for _, i := range r.Indicators {
			s = append(s, i.Label())
		}
		slices.Sort(s)
		return strings.Join(s, "; ")
	}},
	{"Number of people", func(r *Report) string {
		if r.People.Count == 0 {
			return ""
		}
		return strconv.Itoa(r.People.Count)
	}},
	{"Children involved", func(r *Report) string { return r.People.ChildrenInvolved.Label() }},
	{"Description of the people", func(r *Report) string { return r.People.Description }},
	{"Vehicles", func(r *Report) string {
		var s []string
		for _, v := range r.Vehicles {
			s = append(s, strings.TrimSpace(v.Registration+" "+v.Description))
		}
		return strings.Join(s, "; ")
	}},
	{"Phone numbers", func(r *Report) string {
		var s []string
		for _, p := range r.Phones {
			s = append(s, p.Number)
		}
		return strings.Join(s, "; ")
	}},
	{"Businesses", func(r *Report) string { return strings.Join(r.Businesses, "; ") }},
	{"Anonymous", func(r *Report) string {
		if r.Reporter.Anonymous {
			return "Yes"
		}
		return "No"
	}},
	{"Reporter's name", func(r *Report) string { return r.Reporter.Name }},
	{"How to contact the reporter", func(r *Report) string { return r.Reporter.Contact }},
	{"Who the reporter is", func(r *Report) string { return r.Reporter.Relationship.Label() }},
	{"How they heard of the service", func(r *Report) string { return r.HowHeard }},
	{"Language", func(r *Report) string { return r.Language }},
	{"Channel", func(r *Report) string { return r.Channel.Label() }},
}

// ReportChanges lists, in words, the answers of again that differ from stored's,
// each as "Label: new answer"; none when the answers are the same. Both reports must
// be validated (normalised) so that answers typed alike compare alike.
func ReportChanges(stored, again *Report) []string {
	var out []string
	for _, a := range reportAnswers {
		now, was := a.answer(again), a.answer(stored)
		if now == was {
			continue
		}
		if now == "" {
			now = "(now left blank)"
		}
		out = append(out, fmt.Sprintf("%s: %s", a.label, now))
	}
	return out
}

// CheckFollowUp normalises the information a reporter adds to a report and records
// its problems under the field "information".
func CheckFollowUp(p *Problems, text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		p.Add("information", "Enter the information you want to add")
	} else {
		CheckText(p, "information", "The information", text, MaxDescription)
	}
	return text
}
