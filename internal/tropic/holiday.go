package tropic

import (
	"sort"
	"sync"
	"time"
)

// HolidayChange is a one-off change to England and Wales bank holidays, held as data
// that an administrator can extend: a date added, or a rule-made date removed.
type HolidayChange struct {
	Date    string // YYYY-MM-DD
	Removed bool   // true: the rules' holiday on this date did not happen
	Name    string
}

// KnownHolidayChanges are the one-offs since 2012 (DOMAIN.md): the 2012 Diamond
// Jubilee, the 2020 VE Day move, the 2022 Platinum Jubilee and state funeral, and the
// 2023 coronation. New ones are added as data.
var KnownHolidayChanges = []HolidayChange{
	{"2012-05-28", true, "Spring bank holiday moved for the Diamond Jubilee"},
	{"2012-06-04", false, "Spring bank holiday (moved)"},
	{"2012-06-05", false, "Queen's Diamond Jubilee"},
	{"2020-05-04", true, "Early May bank holiday moved for VE Day"},
	{"2020-05-08", false, "Early May bank holiday (VE Day)"},
	{"2022-05-30", true, "Spring bank holiday moved for the Platinum Jubilee"},
	{"2022-06-02", false, "Spring bank holiday (moved)"},
	{"2022-06-03", false, "Platinum Jubilee bank holiday"},
	{"2022-09-19", false, "State funeral of Queen Elizabeth II"},
	{"2023-05-08", false, "Coronation of King Charles III"},
}

// Easter returns Easter Sunday of year (the anonymous Gregorian algorithm).
func Easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// firstMonday and lastMonday of a month.
func firstMonday(y int, m time.Month) time.Time {
	t := date(y, m, 1)
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func lastMonday(y int, m time.Month) time.Time {
	t := date(y, m+1, 1).AddDate(0, 0, -1)
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

func weekend(t time.Time) bool { return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday }

// BankHolidays returns England and Wales bank holidays in year, by the rules with
// substitute days, then with changes applied, in date order.
func BankHolidays(year int, changes []HolidayChange) []time.Time {
	taken := map[time.Time]bool{}
	var out []time.Time
	add := func(t time.Time) {
		taken[t] = true
		out = append(out, t)
	}
	// Fixed-date holidays move to the next weekday that is not already a holiday:
	// Christmas on a Sunday moves to Tuesday, as Boxing Day holds Monday.
	fixed := []time.Time{date(year, time.January, 1), date(year, time.December, 25), date(year, time.December, 26)}
	for _, f := range fixed {
		if !weekend(f) {
			taken[f] = true
		}
	}
	easter := Easter(year)
	add(easter.AddDate(0, 0, -2)) // Good Friday
	add(easter.AddDate(0, 0, 1))  // Easter Monday
	add(firstMonday(year, time.May))
	add(lastMonday(year, time.May))
	add(lastMonday(year, time.August))
	for _, f := range fixed {
		if !weekend(f) {
			out = append(out, f)
			continue
		}
		t := f
		for weekend(t) || taken[t] {
			t = t.AddDate(0, 0, 1)
		}
		add(t)
	}
	for _, c := range changes {
		t, err := time.Parse(time.DateOnly, c.Date)
		if err != nil || t.Year() != year {
			continue
		}
		if c.Removed {
			kept := out[:0]
			for _, h := range out {
				if !h.Equal(t) {
					kept = append(kept, h)
				}
			}
			out = kept
			delete(taken, t)
		} else if !taken[t] {
			add(t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// Calendar answers working-day questions for England and Wales.
type Calendar struct {
	changes  []HolidayChange
	mu       sync.Mutex
	holidays map[int]map[time.Time]bool // by year, filled on first use
}

// NewCalendar returns a calendar with the given one-off changes.
func NewCalendar(changes []HolidayChange) *Calendar {
	return &Calendar{changes: changes, holidays: map[int]map[time.Time]bool{}}
}

// IsWorkingDay reports whether day is a weekday that is not a bank holiday.
func (c *Calendar) IsWorkingDay(day time.Time) bool {
	d := date(day.Year(), day.Month(), day.Day())
	if weekend(d) {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	hs, ok := c.holidays[d.Year()]
	if !ok {
		hs = map[time.Time]bool{}
		for _, h := range BankHolidays(d.Year(), c.changes) {
			hs[h] = true
		}
		c.holidays[d.Year()] = hs
	}
	return !hs[d]
}

// AddWorkingDays returns the day n working days after day: the 5-working-day target of
// a referral made on Thursday 17 April 2025 is Monday 28 April 2025.
func (c *Calendar) AddWorkingDays(day time.Time, n int) time.Time {
	d := date(day.Year(), day.Month(), day.Day())
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts working days after from up to and including to.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	n := 0
	for d := date(from.Year(), from.Month(), from.Day()).AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}
