package tropic

import "time"

// Age is the number of whole years from birth to day, by the calendar: it goes up on
// the birthday, and for someone born on 29 February on 1 March in a common year (as
// time.AddDate counts). It is the one age function: everything that turns a date of
// birth into an age calls it (or Person.AgeOn), never a day-of-year comparison, which
// is a day out after 28 February in a leap year.
func Age(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		age--
	}
	return age
}

// AgeOn is the person's age on day, -1 when nothing is known. From a full date of
// birth it is exact; from a year and month, or a year only, it is the youngest age
// the person can be (born on the last day of that month or year), so that nobody who
// may be a child is counted as an adult (MSA s.51); else the approximate age.
func (p *Person) AgeOn(day time.Time) int {
	if dob, ok := ParseBirth(p.DateOfBirth); ok {
		return Age(dob, day)
	}
	if p.ApproxAge > 0 {
		return p.ApproxAge
	}
	return -1
}

// ParseBirth reads a date of birth, YYYY-MM-DD, YYYY-MM or YYYY, as the latest day it
// can be.
func ParseBirth(s string) (time.Time, bool) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d, true
	}
	if m, err := time.Parse("2006-01", s); err == nil {
		return m.AddDate(0, 1, -1), true
	}
	if y, err := time.Parse("2006", s); err == nil {
		return y.AddDate(1, 0, -1), true
	}
	return time.Time{}, false
}
