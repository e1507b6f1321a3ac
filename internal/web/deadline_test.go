package web

import (
	"testing"
	"time"

	"tropic/internal/tropic"
)

// A deadline at midnight is the end of the working day before it, not "12:00am" of
// the next; any other deadline keeps its time.
func TestADeadlineAtMidnightIsTheEndOfTheWorkingDayBefore(t *testing.T) {
	cal := tropic.NewCalendar(nil)
	// A report received on Sunday 6 December: five working days from Monday's
	// midnight end at Monday 14 December's midnight, the end of Friday 11 December.
	due := tropic.TriageTarget(tropic.DefaultTriageTargets, tropic.UrgencyRoutine, time.Date(2026, 12, 6, 15, 0, 0, 0, partnershipZone), cal)
	if got := displayDeadline(due, cal); got != "the end of 11 December 2026" {
		t.Errorf("a routine report received on a Sunday: due %v, shown %q", due, got)
	}
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 14, 0, 0, 0, 0, partnershipZone), "the end of 11 December 2026"},
		{time.Date(2026, 12, 10, 0, 0, 0, 0, partnershipZone), "the end of 9 December 2026"},
		{time.Date(2026, 12, 10, 14, 30, 0, 0, partnershipZone), "10 December 2026 at 2:30pm"},
		{time.Date(2026, 7, 9, 23, 0, 0, 0, time.UTC), "the end of 9 July 2026"}, // midnight in London (BST)
	} {
		if got := displayDeadline(c.at, cal); got != c.want {
			t.Errorf("%v: got %q, want %q", c.at, got, c.want)
		}
	}
}
