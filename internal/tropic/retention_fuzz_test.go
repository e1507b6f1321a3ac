package tropic

import "testing"

// FuzzParseRetention: the retention setting comes from outside (a flag or the
// environment). Whatever it says, parsing never panics, and a schedule it accepts
// has every period within the limits and reads back as itself.
func FuzzParseRetention(f *testing.F) {
	for _, s := range []string{"", "case_closed=6y", "report_not_taken_further=18m,case_closed.charged=10y", "a=b=c", "case_closed=9999999999999999999y", ",,=,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseRetention(s)
		if err != nil {
			return
		}
		periods := []RetentionPeriod{got.ReportNotTakenFurther, got.CaseClosed, got.CaseCrimeRecorded}
		for _, p := range got.Outcomes {
			periods = append(periods, p)
		}
		for _, p := range periods {
			if p < minRetention || p > maxRetention {
				t.Fatalf("%q gave a period of %d months", s, p)
			}
		}
		again, err := ParseRetention(got.String())
		if err != nil || again.String() != got.String() {
			t.Fatalf("%q read back as %q (%v), want %q", got.String(), again.String(), err, got.String())
		}
	})
}
