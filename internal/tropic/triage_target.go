package tropic

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TriageSpan is how long triage has to review a report of one urgency: a clock time
// (the emergency's hour, counted round the clock) or a number of working days.
type TriageSpan struct {
	Duration    time.Duration // used when WorkingDays is 0
	WorkingDays int
}

// String writes the span as the setting takes it: "1h", "90m", "5wd".
func (s TriageSpan) String() string {
	if s.WorkingDays > 0 {
		return strconv.Itoa(s.WorkingDays) + "wd"
	}
	d := strings.TrimSuffix(s.Duration.String(), "0s") // whole minutes: "1h0m", "30m"
	if strings.HasSuffix(d, "h0m") {
		d = strings.TrimSuffix(d, "0m")
	}
	return d
}

// Label says the span for people: "1 hour", "5 working days".
func (s TriageSpan) Label() string {
	if s.WorkingDays > 0 {
		return countOf(s.WorkingDays, "working day", "working days")
	}
	if s.Duration%time.Hour == 0 {
		return countOf(int(s.Duration/time.Hour), "hour", "hours")
	}
	return countOf(int(s.Duration/time.Minute), "minute", "minutes")
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// TriageTargets are how long triage has to review a report, by urgency.
type TriageTargets struct {
	Emergency, Urgent, Routine TriageSpan
}

// DefaultTriageTargets: an emergency within the hour, an urgent report within one
// working day, a routine one within five.
var DefaultTriageTargets = TriageTargets{
	Emergency: TriageSpan{Duration: time.Hour},
	Urgent:    TriageSpan{WorkingDays: 1},
	Routine:   TriageSpan{WorkingDays: 5},
}

// For returns the span for an urgency; an unknown urgency is treated as routine.
func (t TriageTargets) For(u Urgency) TriageSpan {
	switch u {
	case UrgencyEmergency:
		return t.Emergency
	case UrgencyUrgent:
		return t.Urgent
	}
	return t.Routine
}

// String writes the targets as ParseTriageTargets reads them.
func (t TriageTargets) String() string {
	return "emergency=" + t.Emergency.String() + ",urgent=" + t.Urgent.String() + ",routine=" + t.Routine.String()
}

// Limits of a triage target: a target is at least a minute and at most 30 working
// days (or 720 hours), so a typing slip cannot switch the marking off.
const (
	maxTargetWorkingDays = 30
	maxTargetDuration    = 720 * time.Hour
)

// ParseTriageTargets reads targets like "emergency=1h,urgent=1wd,routine=5wd": each
// urgency a clock time (Go durations: 1h, 90m, 2h30m) or whole working days (Nwd).
// An urgency left out keeps its default; the empty string is the defaults. The
// targets must not put a less urgent report before a more urgent one when both are
// clock times or both working days. Errors say what is wrong, for the caller to
// prefix with the setting's name.
func ParseTriageTargets(s string) (TriageTargets, error) {
	return ParseTargets(s, DefaultTriageTargets)
}

// ParseTargets reads targets by urgency as ParseTriageTargets does, an urgency left
// out keeping its value in defaults: the acknowledgement targets of reports passed to
// agencies are read with it too.
func ParseTargets(s string, defaults TriageTargets) (TriageTargets, error) {
	t := defaults
	s = strings.TrimSpace(s)
	if s == "" {
		return t, nil
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return t, fmt.Errorf("%q is not urgency=time: write them like emergency=1h,urgent=1wd,routine=5wd", clip(part))
		}
		var dst *TriageSpan
		switch name {
		case string(UrgencyEmergency):
			dst = &t.Emergency
		case string(UrgencyUrgent):
			dst = &t.Urgent
		case string(UrgencyRoutine):
			dst = &t.Routine
		default:
			return t, fmt.Errorf("%q is not an urgency: use emergency, urgent or routine", clip(name))
		}
		if seen[name] {
			return t, fmt.Errorf("%s is given twice", name)
		}
		seen[name] = true
		span, err := parseTriageSpan(value)
		if err != nil {
			return t, fmt.Errorf("%s: %w", name, err)
		}
		*dst = span
	}
	if t.Emergency.WorkingDays > 0 {
		return t, fmt.Errorf("emergency must be a time like 1h, not working days: an emergency received on a Friday night cannot wait for Monday")
	}
	order := []struct {
		name string
		span TriageSpan
	}{{"emergency", t.Emergency}, {"urgent", t.Urgent}, {"routine", t.Routine}}
	for i := 1; i < len(order); i++ {
		a, b := order[i-1].span, order[i].span
		if (a.WorkingDays > 0) == (b.WorkingDays > 0) && (a.WorkingDays > b.WorkingDays || (a.WorkingDays == 0 && a.Duration > b.Duration)) {
			return t, fmt.Errorf("%s (%s) is longer than %s (%s): a more urgent report needs the shorter target",
				order[i-1].name, a, order[i].name, b)
		}
	}
	return t, nil
}

func parseTriageSpan(v string) (TriageSpan, error) {
	if n, ok := strings.CutSuffix(strings.ToLower(v), "wd"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 1 || days > maxTargetWorkingDays {
			return TriageSpan{}, fmt.Errorf("%q is not a number of working days from 1 to %d, like 5wd", clip(v), maxTargetWorkingDays)
		}
		return TriageSpan{WorkingDays: days}, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Minute || d > maxTargetDuration {
		return TriageSpan{}, fmt.Errorf("%q is not a time from 1m to 720h, like 1h or 90m, nor working days like 5wd", clip(v))
	}
	return TriageSpan{Duration: d.Truncate(time.Minute)}, nil
}

// clip shortens outside input quoted in an error.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// TriageTarget is when triage should have reviewed a report of urgency u received at
// receivedAt: the rule the queue and the hub's home page mark reports by.
//
// A clock-time target (the emergency's hour) runs round the clock. A working-day
// target runs only on working days (weekdays that are not bank holidays on cal), in
// receivedAt's zone: received at 6pm on a working day, one working day is 6pm on the
// next working day (a Friday evening's is Monday evening); received on a weekend or
// bank holiday, the clock starts at midnight of the next working day. Pass receivedAt
// in the partnership's zone, as days begin at its midnight.
func TriageTarget(targets TriageTargets, u Urgency, receivedAt time.Time, cal *Calendar) time.Time {
	span := targets.For(u)
	if span.WorkingDays <= 0 {
		return receivedAt.Add(span.Duration)
	}
	start := receivedAt
	if !cal.IsWorkingDay(start) {
		start = nextWorkingMidnight(start, cal)
	}
	day := cal.AddWorkingDays(start, span.WorkingDays)
	return time.Date(day.Year(), day.Month(), day.Day(), start.Hour(), start.Minute(), start.Second(), start.Nanosecond(), start.Location())
}

// OverTarget says by how much a report is past its target at now, and whether it is.
func OverTarget(targets TriageTargets, u Urgency, receivedAt, now time.Time, cal *Calendar) (time.Duration, bool) {
	due := TriageTarget(targets, u, receivedAt, cal)
	if !now.After(due) {
		return 0, false
	}
	return now.Sub(due), true
}

// OverTargetBefore is the instant that reports of urgency u received before it are
// over target at now, and those received at or after it are not: the same rule as
// OverTarget, turned round so that a store can count with one query. Pass now in the
// partnership's zone.
func OverTargetBefore(targets TriageTargets, u Urgency, now time.Time, cal *Calendar) time.Time {
	span := targets.For(u)
	if span.WorkingDays <= 0 {
		return now.Add(-span.Duration)
	}
	loc := now.Location()
	if cal.IsWorkingDay(now) {
		// Targets falling today are those of reports started, n working days back,
		// before now's time of day; every report started earlier is over too.
		d := subWorkingDays(now, span.WorkingDays, cal)
		return time.Date(d.Year(), d.Month(), d.Day(), now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), loc)
	}
	// No target falls on a day off: every report whose target fell on the last
	// working day is over, so the cut is the midnight after its start day.
	last := now
	for !cal.IsWorkingDay(last) {
		last = last.AddDate(0, 0, -1)
	}
	d := subWorkingDays(last, span.WorkingDays, cal).AddDate(0, 0, 1)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

// nextWorkingMidnight is midnight at the start of the first working day after t's day.
func nextWorkingMidnight(t time.Time, cal *Calendar) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location()).AddDate(0, 0, 1)
	for !cal.IsWorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// subWorkingDays is the working day n working days before day (a day's date only).
func subWorkingDays(day time.Time, n int, cal *Calendar) time.Time {
	d := date(day.Year(), day.Month(), day.Day())
	for n > 0 {
		d = d.AddDate(0, 0, -1)
		if cal.IsWorkingDay(d) {
			n--
		}
	}
	return d
}
