package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	"tropic/internal/tropic"
)

// ReferralServices are what the referral seeder writes through.
type ReferralServices struct {
	Cases     tropic.CaseService
	Referrals interface {
		tropic.ReferralService
		SetReminderEmail(ctx context.Context, actor tropic.Actor, agencyID int64, email string) error
	}
	Agencies tropic.AgencyService
	Users    tropic.UserService
	// SetNow moves the store's clock, so that history is written as it would have been.
	SetNow func(time.Time)
}

// ReferralStats say what SeedReferrals made.
type ReferralStats struct {
	Referrals, DtN, Children, RGDecided, CGDecided, AwaitingRG, OverdueRG, AwaitingCG int
	ReminderEmails                                                                    []string
}

// referrers are the demo's first responders that work cases: the police unit, the
// county council and two district councils.
var referrers = []string{"police", "county", "stalbans", "watford"}

// SeedReferrals refers potential victims on the first responders' demo cases, as the
// cases happened: children into the NRM without consent; most adults with consent;
// the rest of the adults through the Duty to Notify, naming no one. Decisions follow
// at realistic times: Reasonable Grounds mostly within 1 to 10 working days, some
// much slower; Conclusive Grounds 6 to 24 months later (median about 500 days), so
// that many still wait; recent referrals still await their RG decision, some past the
// target. Each first responder's reminder digest goes to nrm@<agency>.demo.tropic.example.
// Run it after SeedCases.
func SeedReferrals(ctx context.Context, g *Generator, s ReferralServices, now time.Time) (ReferralStats, error) {
	var stats ReferralStats
	system := tropic.SystemActor("tropic demo")
	agencies, err := s.Agencies.FindAgencies(ctx)
	if err != nil {
		return stats, err
	}
	byName := map[string]*tropic.Agency{}
	for _, a := range agencies {
		byName[a.Name] = a
	}
	changes, err := s.Referrals.HolidayChanges(ctx)
	if err != nil {
		return stats, err
	}
	rs := &referralSeeder{ctx: ctx, g: g, s: s, now: now, cal: tropic.NewCalendar(changes), stats: &stats}
	for _, spec := range partnership {
		a := byName[spec.Name]
		if a == nil || !a.FirstResponder || spec.Slug == "" {
			continue
		}
		email := "nrm@" + spec.Slug + "." + EmailDomain
		if err := s.Referrals.SetReminderEmail(ctx, system, a.ID, email); err != nil {
			return stats, fmt.Errorf("demo reminder e-mail %s: %w", email, err)
		}
		stats.ReminderEmails = append(stats.ReminderEmails, email)
	}
	for _, slug := range referrers {
		u, err := s.Users.FindUserByEmail(ctx, fmt.Sprintf("%s.%s@%s", tropic.RoleCaseworker, slug, EmailDomain))
		if err != nil {
			return stats, fmt.Errorf("demo %s caseworker: %w", slug, err)
		}
		if err := rs.agency(tropic.ActorFor(u)); err != nil {
			return stats, fmt.Errorf("demo %s referrals: %w", slug, err)
		}
	}
	return stats, nil
}

type referralSeeder struct {
	ctx   context.Context
	g     *Generator
	s     ReferralServices
	now   time.Time
	cal   *tropic.Calendar
	stats *ReferralStats
}

// at moves the store's clock to t (never past now) and returns the moment used.
func (rs *referralSeeder) at(t time.Time) time.Time {
	if !t.Before(rs.now) {
		t = rs.now.Add(-time.Minute)
	}
	rs.s.SetNow(t)
	return t
}

func (rs *referralSeeder) agency(actor tropic.Actor) error {
	var cases []*tropic.Case
	for {
		page, total, err := rs.s.Cases.FindCases(rs.ctx, actor, tropic.CaseFilter{Scope: "ours", Sort: "opened", Limit: 200, Offset: len(cases)})
		if err != nil {
			return err
		}
		cases = append(cases, page...)
		if len(page) == 0 || len(cases) >= total {
			break
		}
	}
	for _, summary := range cases {
		if rs.g.IntN(10) >= 7 { // about seven cases in ten lead to a referral
			continue
		}
		// The caseworker opens the case to refer from it, a few days after it opened.
		rs.at(summary.OpenedAt.Add(time.Duration(1+rs.g.IntN(72)) * time.Hour))
		c, err := rs.s.Cases.FindCase(rs.ctx, actor, summary.Reference)
		if err != nil {
			return fmt.Errorf("case %s: %w", summary.Reference, err)
		}
		referred := 0
		for _, cp := range c.People {
			if cp.Role != tropic.RolePotentialVictim || cp.Person == nil || referred == 2 {
				continue
			}
			if err := rs.refer(actor, c, cp); err != nil {
				return fmt.Errorf("case %s: %w", c.Reference, err)
			}
			referred++
		}
	}
	return nil
}

func (rs *referralSeeder) refer(actor tropic.Actor, c *tropic.Case, cp *tropic.CasePerson) error {
	g := rs.g
	sub := cp.AddedAt.Add(time.Duration(2+g.IntN(14*24)) * time.Hour) // within a fortnight of meeting them
	if !sub.Before(rs.now) {
		sub = rs.now.Add(-time.Duration(1+g.IntN(6)) * time.Hour)
	}
	if sub.Before(cp.AddedAt) {
		return nil
	}
	age := cp.Person.AgeOn(sub)
	r := &tropic.Referral{SubmittedOn: sub.UTC().Format(time.DateOnly), Exploitation: c.Exploitation,
		Location: Pick(g, []tropic.ExploitationLocation{"uk", "uk", "uk", "uk_and_overseas", "overseas"}),
		Gender:   cp.Person.Gender, Nationality: cp.Person.Nationality, CompetentAuthority: "sca"}
	if cp.Person.Nationality != "British" && g.IntN(4) == 0 {
		r.CompetentAuthority = "ieca"
	}
	link := cp.ID
	switch {
	case age >= 0 && age < 18, age < 0 && g.IntN(5) == 0:
		// A child, or someone who may be: the NRM without consent (s.51).
		r.AgeGroup, r.PossiblyChild = tropic.AgeChild, age < 0
		r.ChildrensServices = "Hertfordshire County Council Children's Services"
		r.ICTG = g.IntN(3) > 0
		if g.IntN(5) == 0 {
			r.CompetentAuthority = "la_pilot"
		}
		rs.stats.Children++
	case g.IntN(8) == 0:
		// An adult who does not consent: a Duty to Notify report naming no one.
		r.AgeGroup, link = tropic.AgeAdult, 0
		r.CompetentAuthority, r.Nationality = "", ""
		if g.IntN(2) == 0 {
			r.Gender = ""
		}
	default:
		r.AgeGroup, r.Consent = tropic.AgeAdult, true
		r.ConsentAt = r.SubmittedOn
		r.SupportProvider = "The Salvation Army (Modern Slavery Victim Care Contract)"
	}
	if link != 0 {
		if c.CrimeReference != "" {
			r.CrimeReference = c.CrimeReference
		} else if g.IntN(3) > 0 {
			r.CrimeReference = fmt.Sprintf("41/%05d/%02d", g.IntN(100000), sub.Year()%100)
		}
		if g.IntN(3) > 0 {
			r.HomeOfficeReference = fmt.Sprintf("NRM-%d-%06d", sub.Year(), g.IntN(1000000))
		}
		if g.IntN(3) == 0 {
			r.Notes = Pick(g, referralNotes)
		}
	}
	rs.at(sub)
	if err := rs.s.Referrals.CreateReferral(rs.ctx, actor, c.Reference, link, r); err != nil {
		return fmt.Errorf("refer (%s, %s): %w", r.AgeGroup, r.SubmittedOn, err)
	}
	rs.stats.Referrals++
	if r.Route == tropic.RouteDtN {
		rs.stats.DtN++
		return nil
	}
	return rs.decide(actor, r, sub)
}

var referralNotes = []string{
	"Interpreter used (Romanian). Consent explained and given.",
	"Referral made in one sitting with the support provider on the phone.",
	"Safe accommodation arranged the same evening.",
	"Discussed the recovery period and what support means.",
}

// decide records the decisions that would have come by now.
func (rs *referralSeeder) decide(actor tropic.Actor, r *tropic.Referral, sub time.Time) error {
	g := rs.g
	today := rs.now.UTC().Format(time.DateOnly)
	version := r.Version
	record := func(kind, day, outcome string) (bool, error) {
		if day > today || day == today {
			return false, nil // not yet
		}
		t, _ := time.Parse(time.DateOnly, day)
		rs.at(t.Add(time.Duration(9*60+g.IntN(8*60)) * time.Minute))
		if err := rs.s.Referrals.RecordDecision(rs.ctx, actor, r.ID, tropic.ReferralDecision{Kind: kind, Date: day, Outcome: outcome}, version); err != nil {
			return false, fmt.Errorf("%s decision on %s: %w", kind, day, err)
		}
		version++
		return true, nil
	}
	day := func(t time.Time) string { return t.UTC().Format(time.DateOnly) }
	subDay, _ := time.Parse(time.DateOnly, r.SubmittedOn)

	// Reasonable Grounds: mostly within 1 to 10 working days, some slower, a few very slow.
	var rgDays int
	switch n := g.IntN(100); {
	case n < 78:
		rgDays = 1 + g.IntN(10)
	case n < 95:
		rgDays = 11 + g.IntN(30)
	default:
		rgDays = 45 + g.IntN(80)
	}
	if rs.now.Sub(sub) < 45*24*time.Hour && g.IntN(2) == 0 {
		rgDays = 20 + g.IntN(60) // the backlog today: recent referrals still wait, some past the target
	}
	rgDay := rs.cal.AddWorkingDays(subDay, rgDays)
	outcome := tropic.RGPositive
	switch n := g.IntN(100); {
	case n < 9:
		outcome = tropic.RGNegative
	case n < 11:
		outcome = tropic.RGSuspended
	}
	done, err := record("rg", day(rgDay), outcome)
	if err != nil || !done {
		if err == nil {
			rs.stats.AwaitingRG++
			if rs.cal.AddWorkingDays(subDay, 5).Before(rs.now.UTC().Truncate(24 * time.Hour)) {
				rs.stats.OverdueRG++
			}
		}
		return err
	}
	rs.stats.RGDecided++
	switch outcome {
	case tropic.RGSuspended:
		return nil // the person went missing
	case tropic.RGNegative:
		if g.IntN(3) == 0 {
			req := rgDay.AddDate(0, 0, 5+g.IntN(40))
			if ok, err := record("reconsideration_requested", day(req), ""); err != nil || !ok {
				return err
			}
			_, err := record("reconsideration_decided", day(req.AddDate(0, 0, 30+g.IntN(90))), Pick(g, []string{"upheld", "upheld", "overturned"}))
			return err
		}
		return nil
	}
	if g.IntN(25) == 0 { // some leave the NRM before a conclusive decision
		_, err := record("withdrawn", day(rgDay.AddDate(0, 0, 20+g.IntN(300))), "")
		return err
	}
	// Conclusive Grounds: 6 to 24 months after RG, median about 500 days (log-normal,
	// clipped), never inside the recovery period.
	wait := int(math.Round(500 * math.Exp(0.35*g.rnd.NormFloat64())))
	wait = max(183, min(730, wait))
	if g.IntN(20) == 0 {
		wait = 730 + g.IntN(200) // the longest waits
	}
	cgOutcome := Pick(g, []string{tropic.CGVictimSlavery, tropic.CGVictimSlavery, tropic.CGVictimSlavery, tropic.CGVictimTrafficking,
		tropic.CGVictimTrafficking, tropic.CGInsufficient})
	done, err = record("cg", day(rgDay.AddDate(0, 0, wait)), cgOutcome)
	if err != nil {
		return err
	}
	if !done {
		rs.stats.AwaitingCG++
		return nil
	}
	rs.stats.CGDecided++
	return nil
}
