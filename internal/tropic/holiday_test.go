package tropic_test

import (
	"slices"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// publishedBankHolidays are the England and Wales bank holidays as gov.uk lists them
// (2016 to 2026 published; 2027 to 2030 by the rules, no one-offs announced).
var publishedBankHolidays = map[int][]string{
	2016: {"2016-01-01", "2016-03-25", "2016-03-28", "2016-05-02", "2016-05-30", "2016-08-29", "2016-12-26", "2016-12-27"},
	2017: {"2017-01-02", "2017-04-14", "2017-04-17", "2017-05-01", "2017-05-29", "2017-08-28", "2017-12-25", "2017-12-26"},
	2018: {"2018-01-01", "2018-03-30", "2018-04-02", "2018-05-07", "2018-05-28", "2018-08-27", "2018-12-25", "2018-12-26"},
	2019: {"2019-01-01", "2019-04-19", "2019-04-22", "2019-05-06", "2019-05-27", "2019-08-26", "2019-12-25", "2019-12-26"},
	// Early May moved to Friday 8 May for VE Day; Boxing Day on a Saturday moves to Monday 28.
	2020: {"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"},
	2021: {"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"},
	// Spring moved to Thursday 2 June, the Platinum Jubilee on Friday 3 June, the state
	// funeral on Monday 19 September; Christmas on a Sunday moves to Tuesday 27.
	2022: {"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"},
	// The coronation on Monday 8 May.
	2023: {"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"},
	2024: {"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"},
	2025: {"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"},
	2026: {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"},
	2027: {"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"},
	2028: {"2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26"},
	2029: {"2029-01-01", "2029-03-30", "2029-04-02", "2029-05-07", "2029-05-28", "2029-08-27", "2029-12-25", "2029-12-26"},
	2030: {"2030-01-01", "2030-04-19", "2030-04-22", "2030-05-06", "2030-05-27", "2030-08-26", "2030-12-25", "2030-12-26"},
}

func days(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Format(time.DateOnly)
	}
	return out
}

func TestBankHolidaysMatchThePublishedListsForEveryYearFrom2016To2030(t *testing.T) {
	for year := 2016; year <= 2030; year++ {
		want, ok := publishedBankHolidays[year]
		if !ok {
			t.Fatalf("no published list for %d", year)
		}
		if got := days(tropic.BankHolidays(year, tropic.KnownHolidayChanges)); !slices.Equal(got, want) {
			t.Errorf("%d: got %v, want %v", year, got, want)
		}
	}
}

func TestBankHolidaysWithoutTheOneOffsFollowTheRulesAlone(t *testing.T) {
	tests := []struct {
		name string
		year int
		want []string
	}{
		{"2020 keeps early May on Monday 4 May", 2020, []string{"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-04", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"}},
		{"2022 keeps spring on Monday 30 May and has no jubilee or funeral", 2022, []string{"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-05-30", "2022-08-29", "2022-12-26", "2022-12-27"}},
		{"2023 has no coronation", 2023, []string{"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := days(tropic.BankHolidays(tt.year, nil)); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestABankHolidayAddedAsDataCountsInItsYearOnly(t *testing.T) {
	changes := append(slices.Clone(tropic.KnownHolidayChanges), tropic.HolidayChange{Date: "2031-06-06", Name: "A made-up one-off"})
	if got := days(tropic.BankHolidays(2031, changes)); !slices.Contains(got, "2031-06-06") {
		t.Errorf("2031: got %v, want it to hold the added 2031-06-06", got)
	}
	if got := days(tropic.BankHolidays(2030, changes)); !slices.Equal(got, publishedBankHolidays[2030]) {
		t.Errorf("2030: got %v, want %v", got, publishedBankHolidays[2030])
	}
}

func TestEasterSundayFallsOnThePublishedDate(t *testing.T) {
	want := map[int]string{
		1818: "1818-03-22", 1943: "1943-04-25", 2000: "2000-04-23", 2008: "2008-03-23", 2011: "2011-04-24",
		2016: "2016-03-27", 2017: "2017-04-16", 2018: "2018-04-01", 2019: "2019-04-21", 2020: "2020-04-12",
		2021: "2021-04-04", 2022: "2022-04-17", 2023: "2023-04-09", 2024: "2024-03-31", 2025: "2025-04-20",
		2026: "2026-04-05", 2027: "2027-03-28", 2028: "2028-04-16", 2029: "2029-04-01", 2030: "2030-04-21",
		2038: "2038-04-25", 2285: "2285-03-22",
	}
	for year, w := range want {
		if got := tropic.Easter(year).Format(time.DateOnly); got != w {
			t.Errorf("Easter %d: got %s, want %s", year, got, w)
		}
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAddWorkingDaysSkipsWeekendsAndBankHolidays(t *testing.T) {
	cal := tropic.NewCalendar(tropic.KnownHolidayChanges)
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"a referral on Thursday 17 April 2025 has its target on Monday 28 April, past Good Friday and Easter Monday", "2025-04-17", 5, "2025-04-28"},
		{"a weekday plus one in an ordinary week is the next day", "2025-06-10", 1, "2025-06-11"},
		{"Friday plus one is Monday", "2025-06-13", 1, "2025-06-16"},
		{"Saturday plus one is Monday", "2025-06-14", 1, "2025-06-16"},
		{"Saturday before Easter Monday plus one is Tuesday", "2025-04-19", 1, "2025-04-22"},
		{"zero days is the day itself", "2025-04-17", 0, "2025-04-17"},
		{"over Christmas 2025: 24 December, then 29 and 30 December", "2025-12-23", 3, "2025-12-30"},
		{"over Christmas 2020: Boxing Day's substitute on Monday 28 is skipped", "2020-12-24", 1, "2020-12-29"},
		{"over Christmas 2022: Christmas's substitute on Tuesday 27 is skipped", "2022-12-23", 1, "2022-12-28"},
		{"over New Year 2026-27: 28 December 2026 and 1 January 2027 are skipped", "2026-12-24", 4, "2027-01-04"},
		{"the 2022 Jubilee: Thursday 2 and Friday 3 June are skipped", "2022-06-01", 1, "2022-06-06"},
		{"the 2022 Jubilee: Monday 30 May was a working day", "2022-05-27", 1, "2022-05-30"},
		{"a 5-day target over the 2022 Jubilee", "2022-05-31", 5, "2022-06-09"},
		{"the 2022 state funeral on Monday 19 September is skipped", "2022-09-16", 1, "2022-09-20"},
		{"VE Day 2020: Friday 8 May is skipped", "2020-05-07", 1, "2020-05-11"},
		{"VE Day 2020: Monday 4 May was a working day", "2020-05-01", 1, "2020-05-04"},
		{"the 2023 coronation: Monday 8 May is skipped", "2023-05-05", 1, "2023-05-09"},
		{"across a year: New Year's Day 2024 is skipped", "2023-12-29", 1, "2024-01-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.AddWorkingDays(day(tt.from), tt.n).Format(time.DateOnly); got != tt.want {
				t.Errorf("%s + %d working days: got %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestEveryYearHasOnlyWeekdaysAndAtLeastEightBankHolidays(t *testing.T) {
	for year := 2016; year <= 2030; year++ {
		hs := tropic.BankHolidays(year, tropic.KnownHolidayChanges)
		if len(hs) < 8 {
			t.Errorf("%d: got %d holidays, want at least 8", year, len(hs))
		}
		for _, h := range hs {
			if h.Weekday() == time.Saturday || h.Weekday() == time.Sunday {
				t.Errorf("%d: %s falls on a %s", year, h.Format(time.DateOnly), h.Weekday())
			}
		}
		cal := tropic.NewCalendar(tropic.KnownHolidayChanges)
		for _, h := range hs {
			if cal.IsWorkingDay(h) {
				t.Errorf("%s: a bank holiday counts as a working day", h.Format(time.DateOnly))
			}
		}
		if w := cal.WorkingDaysBetween(day(itoa(year)+"-01-01").AddDate(0, 0, -1), day(itoa(year)+"-12-31")); w != weekdays(year)-len(hs) {
			t.Errorf("%d: got %d working days, want %d weekdays less %d holidays", year, w, weekdays(year), len(hs))
		}
	}
}

func itoa(y int) string { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") }

func weekdays(year int) int {
	n := 0
	for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n++
		}
	}
	return n
}
