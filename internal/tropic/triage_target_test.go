package tropic_test

import (
	"math/rand"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, london)
	if err != nil {
		panic(err)
	}
	return t
}

// TestAssessUrgencyErrsTowardSafety: doubt about danger or children, and a report by
// the person it is happening to, raise a report for early review and say why; only
// a report that says nothing of the kind is routine, and its reason does not call
// doubt "no sign".
func TestAssessUrgencyErrsTowardSafety(t *testing.T) {
	tests := []struct {
		name       string
		report     tropic.Report
		want       tropic.Urgency
		reasonHas  []string
		reasonLack string
	}{
		{"in danger", tropic.Report{InDanger: tropic.AnswerYes}, tropic.UrgencyEmergency, []string{"immediate danger"}, ""},
		{"in danger beats everything", tropic.Report{InDanger: tropic.AnswerYes, People: tropic.People{ChildrenInvolved: tropic.AnswerNotSure}}, tropic.UrgencyEmergency, []string{"emergency"}, ""},
		{"not sure about danger", tropic.Report{InDanger: tropic.AnswerNotSure, People: tropic.People{ChildrenInvolved: tropic.AnswerNo}}, tropic.UrgencyUrgent,
			[]string{"not sure whether someone is in immediate danger"}, "no sign"},
		{"not sure about children", tropic.Report{InDanger: tropic.AnswerNo, People: tropic.People{ChildrenInvolved: tropic.AnswerNotSure}}, tropic.UrgencyUrgent,
			[]string{"not sure whether children are involved"}, "no sign"},
		{"not sure about both, both said", tropic.Report{InDanger: tropic.AnswerNotSure, People: tropic.People{ChildrenInvolved: tropic.AnswerNotSure}}, tropic.UrgencyUrgent,
			[]string{"immediate danger", "children are involved"}, ""},
		{"children", tropic.Report{People: tropic.People{ChildrenInvolved: tropic.AnswerYes}}, tropic.UrgencyUrgent, []string{"children involved"}, ""},
		{"the person themself", tropic.Report{InDanger: tropic.AnswerNo, Reporter: tropic.Reporter{Relationship: tropic.RelationshipSelf}}, tropic.UrgencyUrgent,
			[]string{"reported by the person it is happening to"}, ""},
		{"the person themself, anonymous", tropic.Report{Reporter: tropic.Reporter{Anonymous: true, Relationship: tropic.RelationshipSelf}}, tropic.UrgencyUrgent,
			[]string{"person it is happening to"}, ""},
		{"an urgent sign", tropic.Report{Indicators: []tropic.Indicator{"documents_withheld"}}, tropic.UrgencyUrgent, []string{"urgent: "}, ""},
		{"a member of the public, all no", tropic.Report{InDanger: tropic.AnswerNo, People: tropic.People{ChildrenInvolved: tropic.AnswerNo},
			Reporter: tropic.Reporter{Relationship: tropic.RelationshipPublic}}, tropic.UrgencyRoutine, []string{"routine: the reporter did not say"}, "no sign"},
		{"a professional, nothing answered", tropic.Report{Reporter: tropic.Reporter{Relationship: tropic.RelationshipProfessional}}, tropic.UrgencyRoutine,
			[]string{"routine"}, "no sign"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := tt.report.AssessUrgency()
			if got != tt.want {
				t.Errorf("urgency %q (%s), want %q", got, reason, tt.want)
			}
			for _, w := range tt.reasonHas {
				if !strings.Contains(reason, w) {
					t.Errorf("reason %q does not say %q", reason, w)
				}
			}
			if tt.reasonLack != "" && strings.Contains(reason, tt.reasonLack) {
				t.Errorf("reason %q says %q", reason, tt.reasonLack)
			}
		})
	}
}

// TestTriageTarget: the targets by urgency, on working days with the bank holidays
// and the store's one-off changes.
func TestTriageTarget(t *testing.T) {
	plain := tropic.NewCalendar(tropic.KnownHolidayChanges)
	// A one-off bank holiday on Monday 7 December 2026, as an administrator adds one.
	extra := tropic.NewCalendar(append(append([]tropic.HolidayChange(nil), tropic.KnownHolidayChanges...),
		tropic.HolidayChange{Date: "2026-12-07", Name: "A one-off bank holiday"}))
	d := tropic.DefaultTriageTargets
	tests := []struct {
		name     string
		targets  tropic.TriageTargets
		cal      *tropic.Calendar
		u        tropic.Urgency
		received string
		want     string
	}{
		{"emergency: an hour, round the clock", d, plain, tropic.UrgencyEmergency, "2026-12-04 23:30", "2026-12-05 00:30"},
		{"urgent on a Tuesday morning", d, plain, tropic.UrgencyUrgent, "2026-12-01 09:15", "2026-12-02 09:15"},
		{"urgent on a Friday evening: Monday evening", d, plain, tropic.UrgencyUrgent, "2026-12-04 18:00", "2026-12-07 18:00"},
		{"routine on a Friday evening: the next Friday", d, plain, tropic.UrgencyRoutine, "2026-12-04 18:00", "2026-12-11 18:00"},
		{"urgent on a Saturday: the clock starts Monday", d, plain, tropic.UrgencyUrgent, "2026-12-05 10:00", "2026-12-08 00:00"},
		{"urgent on a Friday evening, Monday a one-off holiday", d, extra, tropic.UrgencyUrgent, "2026-12-04 18:00", "2026-12-08 18:00"},
		// Christmas Day is a Friday, Boxing Day's holiday the Monday.
		{"urgent before Christmas", d, plain, tropic.UrgencyUrgent, "2026-12-24 17:00", "2026-12-29 17:00"},
		{"urgent on Christmas Day", d, plain, tropic.UrgencyUrgent, "2026-12-25 11:00", "2026-12-30 00:00"},
		// Good Friday 26 March and Easter Monday 29 March 2027; the clocks go forward on the 28th.
		{"routine the day before Good Friday", d, plain, tropic.UrgencyRoutine, "2027-03-25 16:00", "2027-04-05 16:00"},
		{"configured: urgent in 4 hours", tropic.TriageTargets{Emergency: tropic.TriageSpan{Duration: 30 * time.Minute},
			Urgent: tropic.TriageSpan{Duration: 4 * time.Hour}, Routine: tropic.TriageSpan{WorkingDays: 2}}, plain, tropic.UrgencyUrgent, "2026-12-04 22:00", "2026-12-05 02:00"},
		{"an unknown urgency is routine", d, plain, tropic.Urgency("odd"), "2026-12-01 09:00", "2026-12-08 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tropic.TriageTarget(tt.targets, tt.u, at(tt.received), tt.cal)
			if want := at(tt.want); !got.Equal(want) {
				t.Errorf("target %s, want %s", got.In(london), want)
			}
			if _, over := tropic.OverTarget(tt.targets, tt.u, at(tt.received), got, tt.cal); over {
				t.Error("over target at the target itself")
			}
			by, over := tropic.OverTarget(tt.targets, tt.u, at(tt.received), got.Add(time.Minute), tt.cal)
			if !over || by != time.Minute {
				t.Errorf("a minute after the target: over %v by %v, want over by a minute", over, by)
			}
		})
	}
}

// TestOverTargetBeforeAgreesWithOverTarget: the cut a store counts with marks exactly
// the reports OverTarget marks, at random moments over two years of holidays.
func TestOverTargetBeforeAgreesWithOverTarget(t *testing.T) {
	cal := tropic.NewCalendar(tropic.KnownHolidayChanges)
	rnd := rand.New(rand.NewSource(12))
	start := at("2026-01-01 00:00")
	span := int64(2 * 365 * 24 * time.Hour)
	for i := 0; i < 4000; i++ {
		now := start.Add(time.Duration(rnd.Int63n(span))).Truncate(time.Minute).In(london)
		cut := tropic.OverTargetBefore(tropic.DefaultTriageTargets, []tropic.Urgency{tropic.UrgencyEmergency, tropic.UrgencyUrgent, tropic.UrgencyRoutine}[i%3], now, cal)
		u := []tropic.Urgency{tropic.UrgencyEmergency, tropic.UrgencyUrgent, tropic.UrgencyRoutine}[i%3]
		for _, recv := range []time.Time{cut, cut.Add(-time.Minute), cut.Add(time.Minute),
			now.Add(-time.Duration(rnd.Int63n(int64(20 * 24 * time.Hour)))).Truncate(time.Minute).In(london)} {
			_, over := tropic.OverTarget(tropic.DefaultTriageTargets, u, recv, now, cal)
			if over != recv.Before(cut) {
				t.Fatalf("%s at %s received %s: OverTarget says %v, the cut %s says %v",
					u, now, recv.In(london), over, cut.In(london), recv.Before(cut))
			}
		}
	}
}

func TestParseTriageTargets(t *testing.T) {
	tests := []struct {
		in      string
		want    string // the targets as written back, when valid
		wantErr string
	}{
		{"", "emergency=1h,urgent=1wd,routine=5wd", ""},
		{"emergency=1h,urgent=1wd,routine=5wd", "emergency=1h,urgent=1wd,routine=5wd", ""},
		{" Emergency = 30m , routine=10wd ", "emergency=30m,urgent=1wd,routine=10wd", ""},
		{"urgent=4h,routine=8h30m", "emergency=1h,urgent=4h,routine=8h30m", ""},
		{"emergency=10m", "emergency=10m,urgent=1wd,routine=5wd", ""},
		{"emergency=1h,urgent=1wd,routine=5wd,", "", "is not urgency=time"},
		{"emergency", "", "is not urgency=time"},
		{"critical=1h", "", `"critical" is not an urgency`},
		{"urgent=1wd,urgent=2wd", "", "urgent is given twice"},
		{"urgent=0wd", "", "urgent: \"0wd\" is not a number of working days"},
		{"routine=31wd", "", "routine: \"31wd\" is not a number of working days"},
		{"urgent=-1h", "", "is not a time from 1m to 720h"},
		{"urgent=30s", "", "is not a time from 1m"},
		{"urgent=soon", "", "is not a time"},
		{"emergency=1wd", "", "emergency must be a time"},
		{"emergency=2h,urgent=1h", "", "emergency (2h) is longer than urgent (1h)"},
		{"urgent=6wd", "", "urgent (6wd) is longer than routine (5wd)"},
	}
	for _, tt := range tests {
		got, err := tropic.ParseTriageTargets(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%q: error %v, want one saying %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.wantErr == "" && got.String() != tt.want:
			t.Errorf("%q: got %s, want %s", tt.in, got, tt.want)
		}
	}
}

// FuzzParseTriageTargets: the setting is outside input. Whatever is typed, the parser
// does not panic; what it accepts is within the limits, keeps the urgencies in
// order, reads back the same when written out, and its errors are short.
func FuzzParseTriageTargets(f *testing.F) {
	for _, s := range []string{"", "emergency=1h,urgent=1wd,routine=5wd", "urgent=4h", "routine=99999999999999999999wd", "emergency=1h=2h", ",,,", "urgent=1.5h", "routine=5WD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := tropic.ParseTriageTargets(s)
		if err != nil {
			if len(err.Error()) > 300 {
				t.Errorf("error of %d bytes", len(err.Error()))
			}
			return
		}
		for _, sp := range []tropic.TriageSpan{got.Emergency, got.Urgent, got.Routine} {
			if sp.WorkingDays < 0 || sp.WorkingDays > 30 || (sp.WorkingDays == 0 && (sp.Duration < time.Minute || sp.Duration > 720*time.Hour)) {
				t.Fatalf("%q: accepted %+v", s, sp)
			}
		}
		if got.Emergency.WorkingDays > 0 {
			t.Fatalf("%q: an emergency in working days", s)
		}
		again, err := tropic.ParseTriageTargets(got.String())
		if err != nil || again != got {
			t.Fatalf("%q: wrote %s, read back %+v, %v", s, got, again, err)
		}
	})
}
