package tropic_test

import (
	"testing"
	"time"

	"tropic/internal/tropic"
)

// The lists filter overdue referrals in the database on RGOverdueFrom; it must say
// exactly what NextDeadline says, across weekends, bank holidays and a moved one.
func TestRGOverdueFromAgreesWithNextDeadline(t *testing.T) {
	cal := tropic.NewCalendar([]tropic.HolidayChange{{Date: "2025-12-29", Name: "Extra"}, {Date: "2025-05-05", Removed: true}})
	start := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	for today := start; today.Before(start.AddDate(1, 0, 0)); today = today.AddDate(0, 0, 1) {
		now := today.Add(15 * time.Hour)
		from := tropic.RGOverdueFrom(cal, now)
		for sub := today.AddDate(0, 0, -20); !sub.After(today); sub = sub.AddDate(0, 0, 1) {
			r := &tropic.Referral{Route: tropic.RouteNRM, SubmittedOn: sub.Format(time.DateOnly)}
			if got, want := sub.Before(from), r.NextDeadline(cal, now, tropic.DefaultRecoveryDays).Overdue; got != want {
				t.Fatalf("today %s, submitted %s: before RGOverdueFrom %s = %v, NextDeadline overdue = %v",
					today.Format(time.DateOnly), r.SubmittedOn, from.Format(time.DateOnly), got, want)
			}
		}
	}
}
