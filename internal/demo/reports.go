package demo

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// Districts of the demo county (DOMAIN.md's example partnership).
var Districts = []tropic.District{
	{Slug: "broxbourne", Name: "Broxbourne"},
	{Slug: "dacorum", Name: "Dacorum"},
	{Slug: "east-hertfordshire", Name: "East Hertfordshire"},
	{Slug: "hertsmere", Name: "Hertsmere"},
	{Slug: "north-hertfordshire", Name: "North Hertfordshire"},
	{Slug: "st-albans", Name: "St Albans"},
	{Slug: "stevenage", Name: "Stevenage"},
	{Slug: "three-rivers", Name: "Three Rivers"},
	{Slug: "watford", Name: "Watford"},
	{Slug: "welwyn-hatfield", Name: "Welwyn Hatfield"},
}

// outward postcode districts per demo district; inward parts are made up.
var outwardCodes = map[string][]string{
	"broxbourne": {"EN8", "EN10", "EN11"}, "dacorum": {"HP1", "HP2", "HP3", "HP4"}, "east-hertfordshire": {"SG12", "SG13", "SG14", "CM23"},
	"hertsmere": {"WD6", "WD7", "EN6"}, "north-hertfordshire": {"SG4", "SG5", "SG6", "SG7"}, "st-albans": {"AL1", "AL3", "AL4", "AL5"},
	"stevenage": {"SG1", "SG2"}, "three-rivers": {"WD3", "WD4", "WD5"}, "watford": {"WD17", "WD18", "WD19", "WD24", "WD25"},
	"welwyn-hatfield": {"AL7", "AL8", "AL10"},
}

// CampaignWeek is a week of awareness work; reports rise in and after it.
type CampaignWeek struct {
	Name        string
	Start       time.Time
	Hashtags    []string
	Description string
}

// Slug is the campaign's slug: its name and year, as the demo reports' how_heard
// ("campaign:SLUG") names it.
func (c CampaignWeek) Slug() string { return slug(c.Name) + "-" + c.Start.Format("2006") }

// SeedCampaigns stores the demo's campaign weeks from `from` to `to` as campaigns
// (each runs seven days from its start), so that the reports' attributions name real
// campaigns.
func SeedCampaigns(ctx context.Context, svc tropic.CampaignService, from, to time.Time) (int, error) {
	n := 0
	for _, w := range CampaignWeeks(from, to) {
		c := &tropic.Campaign{Name: w.Name + " " + w.Start.Format("2006"), Slug: w.Slug(), Hashtags: w.Hashtags,
			StartsOn: w.Start.Format(time.DateOnly), EndsOn: w.Start.AddDate(0, 0, 6).Format(time.DateOnly), Description: w.Description}
		if err := svc.CreateCampaign(ctx, tropic.SystemActor("demo"), c); err != nil {
			return n, fmt.Errorf("demo campaign %s: %w", c.Slug, err)
		}
		n++
	}
	return n, nil
}

const spotTheSigns = "A week of awareness work across the county: know the signs of modern slavery and how to report them."

// CampaignWeeks are the demo's campaign periods: a spring "spot the signs" push, the
// End Human Trafficking week around 30 July and an autumn week of action around
// Anti-Slavery Day (18 October) each year.
func CampaignWeeks(from, to time.Time) []CampaignWeek {
	var out []CampaignWeek
	for y := from.Year(); y <= to.Year(); y++ {
		for _, c := range []CampaignWeek{
			{"Spot the signs", time.Date(y, time.March, 10, 0, 0, 0, 0, time.UTC), []string{"#SpotTheSigns", "#EndModernSlavery"}, spotTheSigns},
			// The seed's campaign: the partnership's week around the World Day against
			// Trafficking in Persons (30 July).
			{"End Human Trafficking", time.Date(y, time.July, 27, 0, 0, 0, 0, time.UTC), []string{"#EndHumanTrafficking", "#IGiveHope"},
				"Around the World Day against Trafficking in Persons on 30 July, partners across the county ask everyone to learn the signs and give hope: report what you see."},
			{"Anti-Slavery Day week of action", time.Date(y, time.October, 13, 0, 0, 0, 0, time.UTC), []string{"#SpotTheSigns", "#EndModernSlavery"}, spotTheSigns},
		} {
			if !c.Start.Before(from) && c.Start.Before(to) {
				out = append(out, c)
			}
		}
	}
	return out
}

type scenario struct {
	types      []tropic.ExploitationType
	weight     int
	texts      []string
	indicators []tropic.Indicator
	businesses []string
	children   bool
}

// The mix follows the Home Office NRM statistics' shape: labour and sexual
// exploitation most common, criminal exploitation (county lines) rising.
var scenarios = []scenario{
	{[]tropic.ExploitationType{tropic.ExploitLabour}, 30, []string{
		"Several men work at the %s from early morning until late at night. They seem to sleep in a room at the back and are collected by a van.",
		"Workers at the %s never seem to have days off. One told a customer he has to pay back a debt before he can leave.",
		"A group of men are dropped off at building sites near here every day before 6am. They look exhausted and have no safety boots.",
		"People at the %s wear the same clothes every day and are not allowed to talk to customers.",
	}, []tropic.Indicator{"excessive_hours", "live_where_work", "unpaid_or_little_pay", "debt_to_employer", "no_safety_equipment", "moved_at_night", "documents_withheld"},
		[]string{"Hand Car Wash", "Car Valeting", "Farm Produce", "Recycling", "Building Services"}, false},
	{[]tropic.ExploitationType{tropic.ExploitSexual}, 25, []string{
		"Different women arrive at the flat above the %s late at night and men visit at all hours. The windows are always covered.",
		"A young woman at the house on this road is never alone; a man answers for her and takes her to and from a car.",
		"Adverts online give this address. Women seem to be moved in and out every few weeks.",
	}, []tropic.Indicator{"windows_covered", "rarely_alone", "someone_speaks_for_them", "moved_at_night", "withdrawn", "fear_of_authorities"},
		[]string{"Nails", "Massage Studio", "Beauty Lounge"}, false},
	{[]tropic.ExploitationType{tropic.ExploitCriminal}, 18, []string{
		"Teenagers who are not from the area keep coming and going from a flat; they look scared and one had a black eye.",
		"A boy who should be in school is at the station every afternoon carrying packages for older men in a car.",
		"A house on this street has been taken over; the tenant seems frightened and strangers are selling drugs from it.",
	}, []tropic.Indicator{"child_gang_association", "missing_school", "injuries", "unfamiliar_with_area", "threats_or_violence"},
		nil, true},
	{[]tropic.ExploitationType{tropic.ExploitDomestic}, 8, []string{
		"A woman next door does all the housework and childcare and is never allowed out alone. I have never seen her paid.",
		"The family's 'nanny' sleeps in the kitchen and the family keeps her passport.",
	}, []tropic.Indicator{"locked_in", "documents_withheld", "rarely_alone", "few_possessions", "malnourished"},
		nil, false},
	{[]tropic.ExploitationType{tropic.ExploitSexual, tropic.ExploitLabour}, 5, []string{
		"Women work at the %s in the day and seem to be taken somewhere else at night.",
	}, []tropic.Indicator{"live_where_work", "moved_at_night", "rarely_alone"},
		[]string{"Nails", "Takeaway"}, false},
	{[]tropic.ExploitationType{tropic.ExploitNotSpecified}, 14, []string{
		"Something is not right at the house on the corner: lots of people live there and they are moved around in a minibus very early.",
		"A man at the %s looked frightened when his boss came in and would not speak.",
	}, []tropic.Indicator{"overcrowded", "withdrawn", "fear_of_authorities"},
		[]string{"Takeaway", "Food & Wine"}, false},
}

// ReportServices are what the report seeder writes through.
type ReportServices struct {
	Reports  tropic.ReportService
	Agencies tropic.AgencyService
	Users    tropic.UserService
	// SetNow moves the store's clock, so that history is written as it would have been.
	SetNow func(time.Time)
}

// ReportStats say what SeedReports made.
type ReportStats struct {
	Reports, Decided int
}

// SeedReports writes the districts and several years of synthetic reports, from
// from to now, with about perYear reports a year and peaks in campaign weeks; reports
// older than a fortnight are triaged, but for a few routine ones.
func SeedReports(ctx context.Context, g *Generator, s ReportServices, from, now time.Time, perYear int) (ReportStats, error) {
	var stats ReportStats
	sys := tropic.SystemActor("tropic demo")
	for _, d := range Districts {
		if err := s.Reports.CreateDistrict(ctx, sys, d); err != nil {
			return stats, fmt.Errorf("demo district %s: %w", d.Slug, err)
		}
	}
	triage, err := s.Users.FindUserByEmail(ctx, "triage.police@"+EmailDomain)
	if err != nil {
		return stats, fmt.Errorf("demo triage user: %w", err)
	}
	agencies, err := s.Agencies.FindAgencies(ctx)
	if err != nil {
		return stats, err
	}
	triageActor := tropic.ActorFor(triage)
	campaigns := CampaignWeeks(from, now)
	totalWeight := 0
	for _, sc := range scenarios {
		totalWeight += sc.weight
	}
	years := now.Sub(from).Hours() / 24 / 365
	// Growth: each year has about 15% more reports than the one before.
	for day := from; day.Before(now); day = day.AddDate(0, 0, 1) {
		age := now.Sub(day).Hours() / 24 / 365
		rate := float64(perYear) / 365 * math.Pow(1.15, (years-age)-years/2)
		for _, c := range campaigns {
			if d := day.Sub(c.Start).Hours() / 24; d >= 0 && d < 21 {
				rate *= 2.5 - d/14 // a peak in the campaign week, easing over the next two
			}
		}
		n := poisson(g, rate)
		for i := 0; i < n; i++ {
			at := day.Add(time.Duration(6+g.IntN(17))*time.Hour + time.Duration(g.IntN(3600))*time.Second)
			if !at.Before(now) {
				continue
			}
			s.SetNow(at)
			r, key := demoReport(g, campaigns, at, totalWeight)
			code := tropic.FollowUpCode(key)
			r.FollowUpHash = tropic.HashFollowUpCode(code)
			actor := sys
			if r.Channel != tropic.ChannelWeb {
				actor = triageActor
			}
			if _, err := s.Reports.CreateReport(ctx, actor, r, tropic.HashFormKey(key)); err != nil {
				return stats, fmt.Errorf("demo report: %w", err)
			}
			stats.Reports++
			// Older reports were decided within three days; the rest as a hub working
			// to its targets does (triageDelay), so that what is still open arrived
			// lately and the reports over target are SeedOverTarget's few, not the
			// history's. (The draws on g are as they were, so the rest of the demo is too.)
			decided, dg := at.Add(triageDelay(r.Urgency, at)), NewGenerator(uint64(at.Unix()))
			if now.Sub(at) > 14*24*time.Hour && (g.IntN(20) < 19 || r.Urgency != tropic.UrgencyRoutine) {
				decided, dg = at.Add(time.Duration(2+g.IntN(70))*time.Hour), g
			}
			if decided.Before(now) {
				s.SetNow(decided)
				if err := s.Reports.DecideReport(ctx, triageActor, r.Reference, demoDecision(dg, agencies)); err != nil {
					return stats, fmt.Errorf("demo decision: %w", err)
				}
				stats.Decided++
			}
		}
	}
	return stats, nil
}

// triageDelay is how long after it arrives the demo hub decides a report, well within
// the default targets (tropic.DefaultTriageTargets: an hour, a working day, five
// working days): an emergency within the hour, an urgent report within six hours, a
// routine one within four days. It draws on the time received, not the generator.
func triageDelay(u tropic.Urgency, at time.Time) time.Duration {
	n := time.Duration(at.Unix() % 3600)
	switch u {
	case tropic.UrgencyEmergency:
		return 10*time.Minute + n%40*time.Minute
	case tropic.UrgencyUrgent:
		return time.Hour + n%300*time.Minute
	}
	return 2*time.Hour + n*94*time.Hour/3600 // up to 96 hours: four working days at most
}

func demoDecision(g *Generator, agencies []*tropic.Agency) tropic.ReportDecision {
	switch n := g.IntN(10); {
	case n < 3:
		return tropic.ReportDecision{Status: tropic.ReportLinkedToCase, Reason: "Enough to open a case; passed to the modern slavery unit."}
	case n < 6:
		// Reports passed to agencies wait in their inboxes until acknowledged, so the
		// history passes none: the inbox's demo reports are SeedInbox's.
		return tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Signposted to the district council's community safety team; nothing further for the partnership."}
	default:
		return tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: Pick(g, []string{
			"Checked: a family business with no signs of exploitation.", "Not enough detail to act on; intelligence logged.",
			"Already known and being worked under another report."})}
	}
}

func demoReport(g *Generator, campaigns []CampaignWeek, at time.Time, totalWeight int) (*tropic.Report, string) {
	pick := g.IntN(totalWeight)
	sc := scenarios[0]
	for _, s := range scenarios {
		if pick < s.weight {
			sc = s
			break
		}
		pick -= s.weight
	}
	district := Districts[g.IntN(len(Districts))]
	business := ""
	if len(sc.businesses) > 0 {
		business = g.Business(Pick(g, sc.businesses))
	}
	text := Pick(g, sc.texts)
	if strings.Contains(text, "%s") {
		name := business
		if name == "" {
			name = "shop on the high street"
		}
		text = fmt.Sprintf(text, name)
	}
	r := &tropic.Report{
		Channel:     tropic.ChannelWeb,
		Description: text,
		Location: tropic.Location{
			Address:  fmt.Sprintf("%d %s, %s", 1+g.IntN(120), Pick(g, streets), district.Name),
			Postcode: fmt.Sprintf("%s %d%c%c", Pick(g, outwardCodes[district.Slug]), g.IntN(10), "ABDEFGHJLNPQRSTUWXYZ"[g.IntN(20)], "ABDEFGHJLNPQRSTUWXYZ"[g.IntN(20)]),
			District: district.Slug,
		},
		SeenOn:   at.AddDate(0, 0, -g.IntN(5)).Format(time.DateOnly),
		InDanger: tropic.AnswerNo,
		Language: "en",
	}
	if g.IntN(4) == 0 {
		r.Channel = tropic.ChannelHelpline
	}
	if g.IntN(40) == 0 {
		r.InDanger = tropic.AnswerYes
	}
	r.Exploitation.Types = sc.types
	r.Exploitation.CountyLines = sc.children && g.IntN(2) == 0
	for _, i := range sc.indicators {
		if g.IntN(3) == 0 {
			r.Indicators = append(r.Indicators, i)
		}
	}
	r.People.Count = 1 + g.IntN(8)
	r.People.ChildrenInvolved = tropic.AnswerNo
	if sc.children || g.IntN(12) == 0 {
		r.People.ChildrenInvolved = tropic.AnswerYes
	}
	if g.IntN(2) == 0 {
		r.Vehicles = []tropic.Vehicle{{Registration: plate(g), Description: Pick(g, []string{"white van", "silver people carrier", "black saloon", "minibus"})}}
	}
	if g.IntN(3) == 0 {
		r.Phones = []tropic.Phone{{Number: fmt.Sprintf("07700 900%03d", g.IntN(1000))}}
	}
	if business != "" {
		r.Businesses = []string{business}
	}
	if g.IntN(3) == 0 {
		r.Reporter = tropic.Reporter{Name: g.Name(), Contact: fmt.Sprintf("07700 900%03d", g.IntN(1000)), Relationship: Pick(g, []tropic.Relationship{tropic.RelationshipPublic, tropic.RelationshipProfessional})}
	} else {
		r.Reporter = tropic.Reporter{Anonymous: true, Relationship: tropic.RelationshipPublic}
	}
	r.HowHeard = Pick(g, []string{"poster_or_leaflet", "social_media", "news", "search", "friend_or_family", "professional", "other", ""})
	for _, c := range campaigns {
		if d := at.Sub(c.Start).Hours() / 24; d >= 0 && d < 21 && g.IntN(2) == 0 {
			r.HowHeard = "campaign:" + c.Slug()
		}
	}
	key := fmt.Sprintf("%016x%016x", g.rnd.Uint64(), g.rnd.Uint64())
	return r, key
}

var streets = []string{"High Street", "Victoria Street", "London Road", "Station Road", "Church Lane", "Hatfield Road", "Queens Road", "Mill Lane", "The Parade", "Park Avenue"}

func plate(g *Generator) string {
	const letters = "ABCDEFGHJKLMNOPRSTUVWXY"
	return fmt.Sprintf("%c%c%02d %c%c%c", letters[g.IntN(len(letters))], letters[g.IntN(len(letters))], 10+g.IntN(65),
		letters[g.IntN(len(letters))], letters[g.IntN(len(letters))], letters[g.IntN(len(letters))])
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// poisson draws from a Poisson distribution with mean lambda (Knuth's method; lambda is small).
func poisson(g *Generator, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= g.rnd.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
