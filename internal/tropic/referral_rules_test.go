package tropic_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// Table tests for the NRM rules corrected or moved into the domain (issue 11).

func TestAPersonWhoMayBeAChildIsTreatedAsAChildWhateverTheAgeGroup(t *testing.T) {
	bound := &tropic.Agency{ID: 3, Name: "Police", FirstResponder: true, DutyToNotify: true}
	tests := []struct {
		name          string
		age           tropic.AgeGroup
		possiblyChild bool
		child         bool
		route         tropic.Route // "" when refused on age_group
	}{
		{"a child", tropic.AgeChild, false, true, tropic.RouteNRM},
		{"a child who may be a child", tropic.AgeChild, true, true, tropic.RouteNRM},
		{"an adult who may be under 18", tropic.AgeAdult, true, true, tropic.RouteNRM},
		{"no age, but may be under 18", "", true, true, tropic.RouteNRM},
		{"an adult", tropic.AgeAdult, false, false, tropic.RouteDtN},
		{"no age at all", "", false, false, ""},
		{"an age group that does not exist", "elder", false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tropic.TreatedAsChild(tt.age, tt.possiblyChild); got != tt.child {
				t.Errorf("TreatedAsChild = %v, want %v", got, tt.child)
			}
			// Without consent: only a child goes into the NRM.
			r := &tropic.Referral{AgeGroup: tt.age, PossiblyChild: tt.possiblyChild, SubmittedOn: "2026-03-10"}
			err := r.Gate(bound, 0)
			if tt.route == "" {
				if tropic.ErrorFields(err)["age_group"] == "" {
					t.Fatalf("Gate: got %v, want refused on age_group", err)
				}
				return
			}
			if err != nil || r.Route != tt.route || r.AgencyID != 3 {
				t.Fatalf("Gate: got route %q agency %d, %v; want %q", r.Route, r.AgencyID, err, tt.route)
			}
			if tt.child && (r.AgeGroup != tropic.AgeChild || r.ExploitedAs() != tropic.AgeChild || r.AgeAtExploitation != tropic.AgeChild) {
				t.Errorf("recorded age group %q, at exploitation %q; want a child exploited as a child", r.AgeGroup, r.AgeAtExploitation)
			}
		})
	}
}

func TestAgeAtExploitationIsApartFromAgeAtReferral(t *testing.T) {
	tests := []struct {
		name          string
		age           tropic.AgeGroup
		possiblyChild bool
		atExpl        tropic.AgeGroup
		want          tropic.AgeGroup
		refused       bool
	}{
		{"an adult exploited as an adult", tropic.AgeAdult, false, tropic.AgeAdult, tropic.AgeAdult, false},
		{"an adult exploited as a child", tropic.AgeAdult, false, tropic.AgeChild, tropic.AgeChild, false},
		{"an adult, not known when", tropic.AgeAdult, false, "", "", false},
		{"a child, not said", tropic.AgeChild, false, "", tropic.AgeChild, false},
		{"a child said to be exploited as an adult", tropic.AgeChild, false, tropic.AgeAdult, tropic.AgeChild, true},
		{"a person who may be a child said to be exploited as an adult", tropic.AgeAdult, true, tropic.AgeAdult, tropic.AgeChild, true},
		{"a value that is not an age group", tropic.AgeAdult, false, "teen", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &tropic.Referral{Route: tropic.RouteNRM, AgeGroup: tt.age, PossiblyChild: tt.possiblyChild, AgeAtExploitation: tt.atExpl, SubmittedOn: "2026-03-10"}
			if got := r.ExploitedAs(); got != tt.want {
				t.Errorf("ExploitedAs = %q, want %q", got, tt.want)
			}
			err := r.Validate(now)
			if refused := tropic.ErrorFields(err)["age_at_exploitation"] != ""; refused != tt.refused {
				t.Errorf("Validate: %v; want refused on age_at_exploitation %v", err, tt.refused)
			}
		})
	}
}

func TestADutyToNotifyReportHoldsNothingIdentifying(t *testing.T) {
	tests := []struct {
		name   string
		person int64
		set    func(r *tropic.Referral)
		field  string // "" when accepted
	}{
		{"nothing identifying", 0, func(*tropic.Referral) {}, ""},
		{"gender and a nationality from the list", 0, func(r *tropic.Referral) { r.Gender, r.Nationality = "male", "Vietnamese" }, ""},
		{"the person's link to the case", 12, func(*tropic.Referral) {}, "person"},
		{"a person", 0, func(r *tropic.Referral) { r.PersonID = 7 }, "person"},
		{"a name", 0, func(r *tropic.Referral) { r.PersonName = "Ana Popescu" }, "person"},
		{"free text", 0, func(r *tropic.Referral) { r.Notes = "Lives above the car wash" }, "notes"},
		{"a Home Office reference", 0, func(r *tropic.Referral) { r.HomeOfficeReference = "NRM-1" }, "home_office_reference"},
		{"a crime reference", 0, func(r *tropic.Referral) { r.CrimeReference = "41/1/26" }, "crime_reference"},
		{"a support provider", 0, func(r *tropic.Referral) { r.SupportProvider = "The Salvation Army" }, "support_provider"},
		{"children's services", 0, func(r *tropic.Referral) { r.ChildrensServices = "Herts" }, "childrens_services"},
		{"a guardian", 0, func(r *tropic.Referral) { r.ICTG = true }, "ictg"},
		{"a nationality that is not one word from the list", 0, func(r *tropic.Referral) { r.Nationality = "Polish, from Gdansk" }, "nationality"},
	}
	bound := &tropic.Agency{ID: 2, Name: "Council", DutyToNotify: true}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &tropic.Referral{AgeGroup: tropic.AgeAdult, SubmittedOn: "2026-03-10", CompetentAuthority: "sca", CaseID: 4, CaseReference: "C-X"}
			tt.set(r)
			err := r.Gate(bound, tt.person)
			if tt.field == "" {
				if err != nil || r.Route != tropic.RouteDtN || r.CaseID != 0 || r.CaseReference != "" || r.CompetentAuthority != "" {
					t.Fatalf("got %+v, %v; want a Duty to Notify report with no case and no competent authority", r, err)
				}
				return
			}
			if tropic.ErrorFields(err)[tt.field] == "" || tropic.ErrorFields(tropic.DutyToNotifyProblems(r, tt.person))[tt.field] == "" {
				t.Fatalf("got %v; want refused on %q", err, tt.field)
			}
		})
	}
}

func TestASuspendedRGDecisionIsNeitherWaitingNorOverdue(t *testing.T) {
	cal := tropic.NewCalendar(tropic.KnownHolidayChanges)
	long := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC) // months after submission
	tests := []struct {
		name    string
		r       tropic.Referral
		status  string
		overdue bool
	}{
		{"awaiting an RG decision, late", tropic.Referral{Route: tropic.RouteNRM, SubmittedOn: "2025-10-01"}, "awaiting_rg", true},
		{"suspended", tropic.Referral{Route: tropic.RouteNRM, SubmittedOn: "2025-10-01", RGDate: "2025-10-03", RGOutcome: tropic.RGSuspended}, "rg_suspended", false},
		{"decided after a suspension", tropic.Referral{Route: tropic.RouteNRM, SubmittedOn: "2025-10-01", RGDate: "2025-11-03", RGOutcome: tropic.RGPositive}, "awaiting_cg", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Status(); got != tt.status {
				t.Errorf("Status = %q, want %q", got, tt.status)
			}
			if !slices.Contains(tropic.ReferralStatuses, tt.r.Status()) {
				t.Errorf("status %q is not in ReferralStatuses", tt.r.Status())
			}
			if got := tt.r.NextDeadline(cal, long, tropic.DefaultRecoveryDays).Overdue; got != tt.overdue {
				t.Errorf("Overdue = %v, want %v", got, tt.overdue)
			}
		})
	}
}

func TestANegativeRGOverturnedOnReconsiderationBecomesPositive(t *testing.T) {
	negative := func(outcome string) *tropic.Referral {
		r := &tropic.Referral{Route: tropic.RouteNRM, AgeGroup: tropic.AgeAdult, Consent: true, SubmittedOn: "2025-06-02"}
		for _, d := range []tropic.ReferralDecision{{Kind: "rg", Date: "2025-06-06", Outcome: tropic.RGNegative},
			{Kind: "reconsideration_requested", Date: "2025-06-10"}, {Kind: "reconsideration_decided", Date: "2025-07-01", Outcome: outcome}} {
			if err := r.ApplyDecision(d, now, tropic.DefaultRecoveryDays); err != nil {
				t.Fatalf("%s: %v", d.Kind, err)
			}
		}
		return r
	}
	tests := []struct {
		name   string
		r      *tropic.Referral
		d      tropic.ReferralDecision
		status string // after r's own decisions
		field  string // "" when d is accepted
	}{
		{"overturned: a CG after the recovery period from the reconsideration", negative("overturned"),
			tropic.ReferralDecision{Kind: "cg", Date: "2025-07-31", Outcome: tropic.CGVictimTrafficking}, "awaiting_cg", ""},
		{"overturned: a CG inside the recovery period from the reconsideration", negative("overturned"),
			tropic.ReferralDecision{Kind: "cg", Date: "2025-07-30", Outcome: tropic.CGVictimTrafficking}, "awaiting_cg", "date"},
		{"overturned: a disqualification", negative("overturned"),
			tropic.ReferralDecision{Kind: "disqualified", Date: "2025-07-02"}, "awaiting_cg", ""},
		{"upheld: no CG", negative("upheld"),
			tropic.ReferralDecision{Kind: "cg", Date: "2025-09-01", Outcome: tropic.CGVictimTrafficking}, "rg_negative", "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Status(); got != tt.status {
				t.Errorf("Status = %q, want %q", got, tt.status)
			}
			err := tt.r.ApplyDecision(tt.d, now, tropic.DefaultRecoveryDays)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want accepted", err)
				}
				return
			}
			if tropic.ErrorFields(err)[tt.field] == "" {
				t.Fatalf("got %v, want refused on %q", err, tt.field)
			}
		})
	}
	if r := negative("overturned"); r.RGOutcome != tropic.RGPositive || r.PositiveRGDate() != "2025-07-01" || r.RGDate != "2025-06-06" {
		t.Errorf("overturned: outcome %q positive from %q RG date %q; want positive from 2025-07-01, the RG date kept", r.RGOutcome, r.PositiveRGDate(), r.RGDate)
	}
}

func TestADisqualificationNeedsAPositiveRGDecision(t *testing.T) {
	tests := []struct {
		name      string
		rgOutcome string
		ok        bool
	}{
		{"no RG decision", "", false},
		{"a negative RG decision", tropic.RGNegative, false},
		{"a suspended RG decision", tropic.RGSuspended, false},
		{"a positive RG decision", tropic.RGPositive, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &tropic.Referral{Route: tropic.RouteNRM, SubmittedOn: "2025-06-02", RGOutcome: tt.rgOutcome}
			if tt.rgOutcome != "" {
				r.RGDate = "2025-06-06"
			}
			err := r.ApplyDecision(tropic.ReferralDecision{Kind: "disqualified", Date: "2025-07-01"}, now, tropic.DefaultRecoveryDays)
			if tt.ok != (err == nil) || (!tt.ok && !strings.Contains(tropic.ErrorFields(err)["kind"], "positive Reasonable Grounds")) {
				t.Fatalf("got %v, want accepted %v", err, tt.ok)
			}
		})
	}
}

func TestCountyLinesIsCriminalExploitation(t *testing.T) {
	tests := []struct {
		name  string
		set   tropic.ExploitationSet
		types []tropic.ExploitationType
		label string
	}{
		{"county lines alone", tropic.ExploitationSet{CountyLines: true}, []tropic.ExploitationType{tropic.ExploitCriminal}, "Criminal"},
		{"county lines, not specified", tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitNotSpecified}, CountyLines: true},
			[]tropic.ExploitationType{tropic.ExploitCriminal}, "Criminal"},
		{"county lines with labour", tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}, CountyLines: true},
			[]tropic.ExploitationType{tropic.ExploitLabour, tropic.ExploitCriminal}, "Labour & Criminal"},
		{"county lines with criminal already", tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitCriminal}, CountyLines: true},
			[]tropic.ExploitationType{tropic.ExploitCriminal}, "Criminal"},
		{"no county lines", tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}},
			[]tropic.ExploitationType{tropic.ExploitLabour}, "Labour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.set.Label(); got != tt.label {
				t.Errorf("Label = %q, want %q", got, tt.label)
			}
			s := tt.set
			s.Normalise()
			if !slices.Equal(s.Types, tt.types) {
				t.Errorf("Normalise = %v, want %v", s.Types, tt.types)
			}
			if got := tropic.ParseExploitationTypes(tt.set.String()); !slices.Equal(got, tt.types) {
				t.Errorf("stored form %q reads back as %v, want %v", tt.set.String(), got, tt.types)
			}
		})
	}
}

func TestAgencyKindsFollowDOMAINmd(t *testing.T) {
	tests := []struct {
		kind                         tropic.AgencyKind
		firstResponder, dutyToNotify bool
	}{
		{tropic.AgencyPolice, true, true},
		{tropic.AgencyCountyCouncil, true, true},
		{tropic.AgencyDistrictCouncil, true, true},
		{tropic.AgencyHomeOffice, true, true},
		{tropic.AgencyNCA, true, true},
		{tropic.AgencyGLAA, true, true},
		{tropic.AgencyPCC, false, false},
		{tropic.AgencyHealth, false, false},
		{tropic.AgencyCharity, false, false}, // only listed charities are first responders
		{tropic.AgencyOther, false, false},
	}
	for _, tt := range tests {
		if !tt.kind.Valid() || !slices.Contains(tropic.AgencyKinds, tt.kind) || tt.kind.Label() == string(tt.kind) {
			t.Errorf("%s: not a listed kind with a label", tt.kind)
		}
		if got := tt.kind.FirstResponderDefault(); got != tt.firstResponder {
			t.Errorf("%s: FirstResponderDefault = %v, want %v", tt.kind, got, tt.firstResponder)
		}
		if got := tt.kind.DutyToNotifyDefault(); got != tt.dutyToNotify {
			t.Errorf("%s: DutyToNotifyDefault = %v, want %v", tt.kind, got, tt.dutyToNotify)
		}
	}
	// The consent gate for a GLAA agency: an adult who does not consent is notified.
	glaa := &tropic.Agency{Kind: tropic.AgencyGLAA, FirstResponder: tropic.AgencyGLAA.FirstResponderDefault(), DutyToNotify: tropic.AgencyGLAA.DutyToNotifyDefault()}
	if route, err := tropic.ConsentGate(tropic.AgeAdult, false, false, glaa); err != nil || route != tropic.RouteDtN {
		t.Errorf("GLAA, adult without consent: got %q, %v; want the Duty to Notify", route, err)
	}
}

// TestTheRGTargetOfAReferralMadeOnANonWorkingDay: 5 working days after the day of
// submission, whatever that day is (decision record 26).
func TestTheRGTargetOfAReferralMadeOnANonWorkingDay(t *testing.T) {
	cal := tropic.NewCalendar(tropic.KnownHolidayChanges)
	tests := []struct {
		name, submitted, due string
	}{
		{"a Friday", "2025-11-14", "2025-11-21"},
		{"the Saturday after it", "2025-11-15", "2025-11-21"},
		{"the Sunday after it", "2025-11-16", "2025-11-21"},
		{"the Monday after it", "2025-11-17", "2025-11-24"},
		{"Good Friday 2025", "2025-04-18", "2025-04-28"},   // Easter Monday is not a working day
		{"Christmas Day 2025", "2025-12-25", "2026-01-05"}, // nor Boxing Day, nor New Year's Day
	}
	for _, tt := range tests {
		r := &tropic.Referral{Route: tropic.RouteNRM, SubmittedOn: tt.submitted}
		on := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
		if got := r.NextDeadline(cal, on, tropic.DefaultRecoveryDays).Due.Format(time.DateOnly); got != tt.due {
			t.Errorf("%s (%s): due %s, want %s", tt.name, tt.submitted, got, tt.due)
		}
	}
}

func TestOrderValidation(t *testing.T) {
	const today = "2026-03-14"
	tests := []struct {
		name   string
		o      tropic.Order
		onCase bool
		field  string // "" when accepted
	}{
		{"a prevention order", tropic.Order{PersonID: 1, Kind: tropic.OrderSTPO, MadeOn: "2026-03-01", ExpiresOn: "2031-03-01"}, true, ""},
		{"a risk order made today, with no end", tropic.Order{PersonID: 1, Kind: tropic.OrderSTRO, MadeOn: today}, true, ""},
		{"an unknown kind", tropic.Order{PersonID: 1, Kind: "asbo", MadeOn: "2026-03-01"}, true, "kind"},
		{"no date made", tropic.Order{PersonID: 1, Kind: tropic.OrderSTPO}, true, "made_on"},
		{"made in the future", tropic.Order{PersonID: 1, Kind: tropic.OrderSTPO, MadeOn: "2026-03-15"}, true, "made_on"},
		{"a date made that is no date", tropic.Order{PersonID: 1, Kind: tropic.OrderSTPO, MadeOn: "1 March"}, true, "made_on"},
		{"ends before it was made", tropic.Order{PersonID: 1, Kind: tropic.OrderSTPO, MadeOn: "2026-03-01", ExpiresOn: "2025-01-01"}, true, "expires_on"},
		{"an end that is no date", tropic.Order{PersonID: 1, Kind: tropic.OrderSTPO, MadeOn: "2026-03-01", ExpiresOn: "soon"}, true, "expires_on"},
		{"notes with a control character", tropic.Order{PersonID: 1, Kind: tropic.OrderSTPO, MadeOn: "2026-03-01", Notes: "a\x00b"}, true, "notes"},
		{"notes too long", tropic.Order{PersonID: 1, Kind: tropic.OrderSTPO, MadeOn: "2026-03-01", Notes: strings.Repeat("x", tropic.MaxLongText+1)}, true, "notes"},
		{"no person", tropic.Order{Kind: tropic.OrderSTPO, MadeOn: "2026-03-01"}, false, "person"},
		{"a person not on the case", tropic.Order{PersonID: 9, Kind: tropic.OrderSTPO, MadeOn: "2026-03-01"}, false, "person"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			err := o.Validate(today, tt.onCase)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want accepted", err)
				}
				return
			}
			if tropic.ErrorFields(err)[tt.field] == "" {
				t.Fatalf("got %v, want refused on %q", err, tt.field)
			}
		})
	}
	o := tropic.Order{PersonID: 1, Kind: tropic.OrderSTPO, MadeOn: " 2026-03-01 ", Notes: "  Granted at St Albans Crown Court  "}
	if err := o.Validate(today, true); err != nil || o.MadeOn != "2026-03-01" || o.Notes != "Granted at St Albans Crown Court" {
		t.Errorf("got %+v, %v; want the fields trimmed", o, err)
	}
}

// TestAgeIsCountedByTheCalendar: the one age function, against day-of-year counting
// (1 March 2000, in a leap year, is day 61; 1 March 2018 is day 60).
func TestAgeIsCountedByTheCalendar(t *testing.T) {
	d := func(s string) time.Time {
		v, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		birth, on string
		want      int
	}{
		{"2000-03-01", "2018-03-01", 18},
		{"2000-03-01", "2018-02-28", 17},
		{"2000-02-29", "2018-02-28", 17}, // a leap-day birthday comes on 1 March in a common year
		{"2000-02-29", "2018-03-01", 18},
		{"2000-02-29", "2020-02-29", 20},
		{"2001-12-31", "2019-12-30", 17},
		{"2001-12-31", "2019-12-31", 18},
		{"2001-01-01", "2001-01-01", 0},
	}
	for _, tt := range tests {
		if got := tropic.Age(d(tt.birth), d(tt.on)); got != tt.want {
			t.Errorf("Age(%s, %s) = %d, want %d", tt.birth, tt.on, got, tt.want)
		}
	}
	people := []struct {
		name string
		p    tropic.Person
		on   string
		want int
	}{
		{"a full date of birth", tropic.Person{DateOfBirth: "2000-03-01"}, "2018-03-01", 18},
		{"a year and month: the youngest it allows", tropic.Person{DateOfBirth: "2000-03"}, "2018-03-30", 17},
		{"a year and month, past its last day", tropic.Person{DateOfBirth: "2000-03"}, "2018-03-31", 18},
		{"a year only: the youngest it allows", tropic.Person{DateOfBirth: "2000"}, "2018-12-30", 17},
		{"an approximate age", tropic.Person{ApproxAge: 30}, "2018-03-01", 30},
		{"nothing known", tropic.Person{}, "2018-03-01", -1},
	}
	for _, tt := range people {
		if got := tt.p.AgeOn(d(tt.on)); got != tt.want {
			t.Errorf("%s: AgeOn = %d, want %d", tt.name, got, tt.want)
		}
		if got, want := tt.p.MayBeChild(d(tt.on)), tt.want >= 0 && tt.want < 18; got != want {
			t.Errorf("%s: MayBeChild = %v, want %v", tt.name, got, want)
		}
	}
}
