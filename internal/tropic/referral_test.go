package tropic_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// TestConsentGateHoldsForEveryCombination walks every age group, possibly-child flag,
// consent and kind of agency (first responder or not, bound by the Duty to Notify or
// not) against DOMAIN.md: a child, or someone who may be one, goes into the NRM
// without consent, through a first responder only; an adult who consents goes into
// the NRM through a first responder; an adult who does not consent only through the
// Duty to Notify, by an agency it binds.
func TestConsentGateHoldsForEveryCombination(t *testing.T) {
	type want struct {
		route tropic.Route
		field string // the refused field, when refused
	}
	// The expected outcome, written out for each kind of person.
	expect := func(child, consent, firstResponder, dutyToNotify bool) want {
		switch {
		case child && firstResponder:
			return want{route: tropic.RouteNRM}
		case child:
			return want{field: "agency"}
		case consent && firstResponder:
			return want{route: tropic.RouteNRM}
		case consent:
			return want{field: "agency"}
		case dutyToNotify:
			return want{route: tropic.RouteDtN}
		}
		return want{field: "consent"}
	}
	n := 0
	for _, age := range []tropic.AgeGroup{tropic.AgeAdult, tropic.AgeChild} {
		for _, possiblyChild := range []bool{false, true} {
			for _, consent := range []bool{false, true} {
				for _, fr := range []bool{false, true} {
					for _, dtn := range []bool{false, true} {
						n++
						name := fmt.Sprintf("%s possibly child %v consent %v first responder %v duty to notify %v", age, possiblyChild, consent, fr, dtn)
						t.Run(name, func(t *testing.T) {
							w := expect(age == tropic.AgeChild || possiblyChild, consent, fr, dtn)
							route, err := tropic.ConsentGate(age, possiblyChild, consent, &tropic.Agency{FirstResponder: fr, DutyToNotify: dtn})
							if w.field == "" {
								if err != nil || route != w.route {
									t.Fatalf("got %q, %v; want %q", route, err, w.route)
								}
								return
							}
							if route != "" || tropic.ErrorCode(err) != tropic.EINVALID || tropic.ErrorFields(err)[w.field] == "" {
								t.Fatalf("got %q, %v; want refused on %q", route, err, w.field)
							}
						})
					}
				}
			}
		}
	}
	if n != 32 {
		t.Fatalf("walked %d combinations, want 32", n)
	}
}

func TestConsentGateNeverSendsAChildOrAConsentingAdultToTheDutyToNotify(t *testing.T) {
	bound := &tropic.Agency{FirstResponder: true, DutyToNotify: true}
	for _, c := range []struct {
		name                   string
		age                    tropic.AgeGroup
		possiblyChild, consent bool
	}{
		{"a child without consent", tropic.AgeChild, false, false},
		{"an adult who may be under 18, without consent", tropic.AgeAdult, true, false},
		{"an adult who consents", tropic.AgeAdult, false, true},
	} {
		if route, err := tropic.ConsentGate(c.age, c.possiblyChild, c.consent, bound); err != nil || route != tropic.RouteNRM {
			t.Errorf("%s: got %q, %v; want the NRM", c.name, route, err)
		}
	}
}

func TestConsentGateRefusesAnUnknownAgeGroup(t *testing.T) {
	_, err := tropic.ConsentGate("", false, true, &tropic.Agency{FirstResponder: true, DutyToNotify: true})
	if tropic.ErrorFields(err)["age_group"] == "" {
		t.Fatalf("got %v, want refused on age_group", err)
	}
}

var now = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

func TestADutyToNotifyReportRefusesEveryIdentifyingField(t *testing.T) {
	tests := []struct {
		name  string
		set   func(r *tropic.Referral)
		field string
	}{
		{"a person link", func(r *tropic.Referral) { r.PersonID = 7 }, "person"},
		{"a name", func(r *tropic.Referral) { r.PersonName = "Ana Popescu" }, "person"},
		{"free text", func(r *tropic.Referral) { r.Notes = "Lives above the car wash" }, "notes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &tropic.Referral{Route: tropic.RouteDtN, AgeGroup: tropic.AgeAdult, SubmittedOn: "2026-03-10"}
			tt.set(r)
			if err := r.Validate(now); tropic.ErrorFields(err)[tt.field] == "" {
				t.Fatalf("got %v, want refused on %q", err, tt.field)
			}
		})
	}
}

func TestDecisionsAreRefusedOutOfOrderOrBeforeWhatTheyFollow(t *testing.T) {
	base := func() *tropic.Referral {
		return &tropic.Referral{Route: tropic.RouteNRM, AgeGroup: tropic.AgeAdult, Consent: true, SubmittedOn: "2025-06-02"}
	}
	positive := func() *tropic.Referral {
		r := base()
		r.RGDate, r.RGOutcome = "2025-06-06", tropic.RGPositive
		return r
	}
	tests := []struct {
		name  string
		r     *tropic.Referral
		d     tropic.ReferralDecision
		field string // "" when accepted
		says  string
	}{
		{"a CG before any RG", base(), tropic.ReferralDecision{Kind: "cg", Date: "2025-09-01", Outcome: tropic.CGVictimSlavery}, "kind", "Reasonable Grounds"},
		{"an RG dated before the referral", base(), tropic.ReferralDecision{Kind: "rg", Date: "2025-06-01", Outcome: tropic.RGPositive}, "date", "submitted"},
		{"an RG in the future", base(), tropic.ReferralDecision{Kind: "rg", Date: "2026-03-15", Outcome: tropic.RGPositive}, "date", "past"},
		{"a CG dated before the RG", positive(), tropic.ReferralDecision{Kind: "cg", Date: "2025-06-05", Outcome: tropic.CGVictimSlavery}, "date", "Reasonable Grounds"},
		{"a CG inside the recovery period", positive(), tropic.ReferralDecision{Kind: "cg", Date: "2025-07-01", Outcome: tropic.CGVictimSlavery}, "date", "recovery period"},
		{"a CG after the recovery period", positive(), tropic.ReferralDecision{Kind: "cg", Date: "2025-07-06", Outcome: tropic.CGVictimSlavery}, "", ""},
		{"a second RG", positive(), tropic.ReferralDecision{Kind: "rg", Date: "2025-06-07", Outcome: tropic.RGNegative}, "kind", "already"},
		{"reconsideration after a positive RG", positive(), tropic.ReferralDecision{Kind: "reconsideration_requested", Date: "2025-06-07"}, "kind", "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.ApplyDecision(tt.d, now, tropic.DefaultRecoveryDays)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want accepted", err)
				}
				return
			}
			msg := tropic.ErrorFields(err)[tt.field]
			if msg == "" || !strings.Contains(msg, tt.says) {
				t.Fatalf("got %v, want refused on %q saying %q", err, tt.field, tt.says)
			}
		})
	}
}

func TestTheRGTargetIsFiveWorkingDaysAfterSubmission(t *testing.T) {
	r := &tropic.Referral{Route: tropic.RouteNRM, SubmittedOn: "2025-04-17"}
	cal := tropic.NewCalendar(tropic.KnownHolidayChanges)
	on := func(s string) time.Time { return day(s).Add(10 * time.Hour) }
	dl := r.NextDeadline(cal, on("2025-04-28"), tropic.DefaultRecoveryDays)
	if got := dl.Due.Format(time.DateOnly); got != "2025-04-28" || dl.Overdue || dl.DaysWaiting != 11 {
		t.Fatalf("on the day: got due %s overdue %v waiting %d, want due 2025-04-28, not overdue, 11 days", got, dl.Overdue, dl.DaysWaiting)
	}
	if dl := r.NextDeadline(cal, on("2025-04-29"), tropic.DefaultRecoveryDays); !dl.Overdue {
		t.Fatal("the day after: got not overdue, want overdue")
	}
}

func TestTheRecoveryPeriodIs45DaysBefore30January2023And30After(t *testing.T) {
	if got := tropic.DefaultRecoveryDays(day("2023-01-29")); got != 45 {
		t.Errorf("29 January 2023: got %d, want 45", got)
	}
	if got := tropic.DefaultRecoveryDays(day("2023-01-30")); got != 30 {
		t.Errorf("30 January 2023: got %d, want 30", got)
	}
}

func TestRecoveryPeriodIsConfigurableAndKeepsTheOlderRuleForOlderDecisions(t *testing.T) {
	before, after := time.Date(2023, 1, 29, 0, 0, 0, 0, time.UTC), time.Date(2023, 1, 30, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		p    tropic.RecoveryPeriod
		rg   time.Time
		want int
	}{
		{"the default before 30 January 2023", tropic.RecoveryPeriod{}, before, 45},
		{"the default from 30 January 2023", tropic.RecoveryPeriod{}, after, 30},
		{"a configured period from the change", tropic.RecoveryPeriod{Days: 40, DaysBefore: 45, Change: tropic.RecoveryDaysChange}, after, 40},
		{"a configured period keeps the older rule before the change", tropic.RecoveryPeriod{Days: 40, DaysBefore: 45, Change: tropic.RecoveryDaysChange}, before, 45},
	}
	for _, c := range cases {
		if got := c.p.For(c.rg); got != c.want {
			t.Errorf("%s: got %d days, want %d", c.name, got, c.want)
		}
	}
	r := &tropic.Referral{Route: tropic.RouteNRM, SubmittedOn: "2025-01-02", RGDate: "2025-01-10", RGOutcome: tropic.RGPositive}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	forty := tropic.RecoveryPeriod{Days: 40, DaysBefore: 45, Change: tropic.RecoveryDaysChange}
	if err := r.ApplyDecision(tropic.ReferralDecision{Kind: "cg", Date: "2025-02-14", Outcome: tropic.CGVictimSlavery}, now, forty.For); err == nil {
		t.Error("a CG 35 days after the RG was accepted under a 40-day recovery period")
	}
}
