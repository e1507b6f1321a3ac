package tropic

import (
	"strings"
	"testing"
	"time"
)

func TestReleaseScheduleClosesTheLastMonthOrQuarter(t *testing.T) {
	for _, c := range []struct {
		sched    ReleaseSchedule
		today    time.Time
		name     string
		from, to string
	}{
		{ReleaseMonthly, time.Date(2026, 10, 1, 0, 5, 0, 0, time.UTC), "2026-09", "2026-09-01", "2026-09-30"},
		{ReleaseMonthly, time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), "2025-12", "2025-12-01", "2025-12-31"},
		{ReleaseMonthly, time.Date(2024, 3, 31, 23, 0, 0, 0, time.UTC), "2024-02", "2024-02-01", "2024-02-29"},
		{ReleaseQuarterly, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), "2026-Q3", "2026-07-01", "2026-09-30"},
		{ReleaseQuarterly, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), "2025-Q4", "2025-10-01", "2025-12-31"},
	} {
		name, p := c.sched.ClosedPeriod(c.today)
		if name != c.name || p.From.Format(time.DateOnly) != c.from || p.To.Format(time.DateOnly) != c.to {
			t.Errorf("%s on %s: %s %s, want %s %s to %s", c.sched, c.today.Format(time.DateOnly), name, p, c.name, c.from, c.to)
		}
		again, q, err := ParseReleasePeriod(name)
		if err != nil || again != name || q != p {
			t.Errorf("ParseReleasePeriod(%q) = %q %v %v", name, again, q, err)
		}
	}
	for _, bad := range []string{"", "2026", "2026-13", "2026-Q5", "26-Q1", "Q3-2026", "2026-00", "0001-01"} {
		if _, _, err := ParseReleasePeriod(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseReleasePeriod(%q): %v, want invalid", bad, err)
		}
	}
	if _, err := ParseReleaseSchedule("weekly"); ErrorCode(err) != EINVALID {
		t.Errorf("weekly schedule: %v", err)
	}
}

func FuzzParseReleasePeriod(f *testing.F) {
	for _, s := range []string{"2026-Q3", "2026-10", " 2026-q1 ", "2026-Q", "-Q1", "9999-12", "2026-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, p, err := ParseReleasePeriod(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		// A name read back gives the same period, a whole month or quarter.
		again, q, err := ParseReleasePeriod(name)
		if err != nil || again != name || q != p || !p.Valid() || p.From.Day() != 1 || p.To.AddDate(0, 0, 1).Day() != 1 {
			t.Fatalf("%q read as %q %v, read back as %q %v %v", s, name, p, again, q, err)
		}
		if !strings.Contains(name, "-") {
			t.Fatalf("%q named %q", s, name)
		}
	})
}

// TestMarkNoData: periods that end before the first count of any table read "no
// data"; zeros after it stay 0.
func TestMarkNoData(t *testing.T) {
	from := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	years := NewTable(FigureReports, DimYear, Period{From: from, To: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)},
		map[string]int{"2021": 0, "2022": 0, "2023": 7, "2024": 0, "2025": 2}, []string{"2021", "2022", "2023", "2024", "2025"})
	months := NewTable(FigureOffences, DimMonth, Period{From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		map[string]int{}, []string{"January 2024", "February 2024"})
	pub := []Table{years, months}
	pub[0].Cells = append([]Cell(nil), years.Cells...)
	MarkNoData(pub, []Table{years, months})
	var got []string
	for _, c := range append(pub[0].Cells, pub[1].Cells...) {
		got = append(got, c.Published)
	}
	if want := "no data,no data,7,0,2,0,0"; strings.Join(got, ",") != want {
		t.Errorf("got %s, want %s", strings.Join(got, ","), want)
	}
}
