package web

import (
	"strings"
	"time"

	"tropic/internal/tropic"
)

// View helpers shared by the staff pages: how dates, districts, text and choices are
// shown, whichever section uses them.

// partnershipZone is the zone the partnership works in; times are stored in UTC.
var partnershipZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// displayDateTime is a time as the GOV.UK style guide writes it, in UK time:
// "20 November 2026 at 3:04pm".
func displayDateTime(t time.Time) string {
	return t.In(partnershipZone).Format("2 January 2006 at 3:04pm")
}

// displayDeadline is a deadline as a sentence gives it after "by". One at midnight
// (a working-day target started at the midnight of a working day) is the end of the
// day before, stepping back over days off on cal (nil: none), since no working time
// runs between: "the end of 11 December 2026" rather than "14 December 2026 at 12:00am".
func displayDeadline(t time.Time, cal *tropic.Calendar) string {
	t = t.In(partnershipZone)
	if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
		return displayDateTime(t)
	}
	d := t.AddDate(0, 0, -1)
	for i := 0; cal != nil && i < 14 && !cal.IsWorkingDay(d); i++ {
		d = d.AddDate(0, 0, -1)
	}
	return "the end of " + d.Format("2 January 2006")
}

// districtName names a report's district for people.
func districtName(slug string, districts []tropic.District) string {
	switch slug {
	case "":
		return "Not given"
	case "not_sure":
		return "Not sure"
	}
	for _, d := range districts {
		if d.Slug == slug {
			return d.Name
		}
	}
	return slug
}

// paragraphs splits typed text into its non-empty lines, for display as paragraphs.
func paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// selectOption is one <option> of a select, or one radio.
type selectOption struct {
	ID       string // for radios: the first is the field's name, so that errors link to it
	Value    string
	Label    string
	Selected bool
}

type summaryRow struct {
	Key    string
	Values []string // one paragraph each
}

type summarySection struct {
	Title string
	Rows  []summaryRow
}

// urgencyTag colours an urgency's GOV.UK tag.
func urgencyTag(u tropic.Urgency) string {
	switch u {
	case tropic.UrgencyEmergency:
		return "govuk-tag--red"
	case tropic.UrgencyUrgent:
		return "govuk-tag--orange"
	}
	return "govuk-tag--grey"
}

// reportStatusTag colours a report status's GOV.UK tag.
func reportStatusTag(st tropic.ReportStatus) string {
	switch st {
	case tropic.ReportNew:
		return "" // the default tag colour
	case tropic.ReportLinkedToCase:
		return "govuk-tag--green"
	case tropic.ReportPassedToAgency:
		return "govuk-tag--turquoise"
	}
	return "govuk-tag--grey"
}

// caseDate writes a YYYY-MM-DD date as "1 December 2026"; anything else as it is.
func caseDate(s string) string {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Format("2 January 2006")
	}
	return s
}

// caseDay writes the day of t in UK time: "20 November 2026"; "" for no time.
func caseDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(partnershipZone).Format("2 January 2006")
}

// parseTypedDate reads a date as people type it (20/11/2026, 20 11 2026) or in ISO
// form (2026-11-20), in UK time.
func parseTypedDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2/1/2006", "2 1 2006", "2-1-2006", "2.1.2006"} {
		if d, err := time.ParseInLocation(layout, s, partnershipZone); err == nil && d.Year() >= 1950 && d.Year() < 3000 {
			return d, true
		}
	}
	return time.Time{}, false
}
