package demo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// CaseServices are what the case seeder writes through.
type CaseServices struct {
	Cases    tropic.CaseService
	Reports  tropic.ReportService
	Messages tropic.ReportMessageService // nil: no messages with reporters seeded
	Agencies tropic.AgencyService
	Users    tropic.UserService
	// Agreements is the register of sharing agreements: seeded, and cited by the
	// demo's shares; nil: every share says why no agreement applies.
	Agreements tropic.AgreementService
	// SetNow moves the store's clock, so that history is written as it would have been.
	SetNow func(time.Time)
}

// CaseStats say what SeedCases made.
type CaseStats struct {
	Cases, FromReports, LinkedReports, People, Shares, Tasks, Notes, Closed, RoleRequests, S45 int
	// SharesWithoutAgreement cite no agreement of the register (and say why).
	SharesWithoutAgreement int
	// NearDuplicates are people recorded a second time by another agency, a little
	// differently (a nickname, day and month swapped, the phone typed another way),
	// for the matcher to suggest.
	NearDuplicates int
	// S45Case is a police case with a suspect who is a potential victim on a council's
	// case, for showing the s.45 notice (sign in as caseworker.police).
	S45Case string
	// Story is the seed's story of offences (offences.go), when the demo is large
	// enough to tell it; StoryOffences the crimes its cases recorded.
	Story         *OffenceStory
	StoryOffences int
}

// SeedCases writes about n synthetic cases over the demo's history: most of the
// reports the demo triage linked to a case open one (or join one already open in
// their district), the rest are opened directly. Cases are owned mostly by the police
// unit and the councils, and carry people in roles, places, businesses, vehicles,
// phones, notes, tasks, shares, role-change requests, crime references and outcomes,
// all written through the case service with the store's clock moved to each moment.
// A few suspects are potential victims on another agency's case, so that the s.45
// notice shows.
//
// With at least storyMinCases cases, some of the directly opened ones tell the
// seed's story of offences (offences.go).
func SeedCases(ctx context.Context, g *Generator, s CaseServices, now time.Time, n int) (CaseStats, error) {
	cs := &caseSeeder{ctx: ctx, g: g, s: s, now: now}
	if n >= storyMinCases {
		story := Story(now)
		cs.story, cs.stats.Story = &story, &story
	}
	if err := cs.setup(); err != nil {
		return cs.stats, err
	}
	if err := cs.open(n); err != nil {
		return cs.stats, err
	}
	for _, c := range cs.cases {
		if err := cs.work(c); err != nil {
			return cs.stats, fmt.Errorf("demo case %s: %w", c.ref, err)
		}
	}
	if err := cs.s45(max(3, n/40)); err != nil {
		return cs.stats, fmt.Errorf("demo s.45 cases: %w", err)
	}
	if err := cs.nearDuplicates(max(2, n/25)); err != nil {
		return cs.stats, fmt.Errorf("demo near-duplicate people: %w", err)
	}
	return cs.stats, nil
}

// team is one agency's demo caseworker and supervisor.
type team struct {
	slug    string
	agency  *tropic.Agency
	worker  tropic.Actor
	super   tropic.Actor
	triage  tropic.Actor // the hub (the police's) opens its cases from reports: only it sees every report
	userID  int64
	victims []int64 // people this agency recorded, for the odd person met again
	bad     []int64
}

// demoCase is a case as the seeder plans and remembers it.
type demoCase struct {
	ref      string
	team     *team
	opened   time.Time
	closeAt  time.Time // zero: still open
	outcome  tropic.CaseOutcome
	district string
	exploit  tropic.ExploitationSet
	report   *tropic.Report // the report it was opened from, if any
	business string
	children bool
	suspects []int64
	victims  []int64
	sharedTo map[int64]*tropic.Share // live shares by agency
	story    bool                    // one of the story's police cases: a crime is recorded at its first review
}

func (c *demoCase) openAt(t time.Time) bool { return c.closeAt.IsZero() || c.closeAt.After(t) }

// end is when the case's history stops: its closing, or now.
func (c *demoCase) end(now time.Time) time.Time {
	if !c.closeAt.IsZero() {
		return c.closeAt
	}
	return now
}

type caseSeeder struct {
	ctx      context.Context
	g        *Generator
	s        CaseServices
	now      time.Time
	teams    map[string]*team
	agencies []*tropic.Agency
	cases    []*demoCase
	stats    CaseStats
	met      []metPerson // people as first recorded, for near-duplicates elsewhere
	register []*tropic.SharingAgreement
	story    *OffenceStory // nil: the demo is too small to tell it
}

// storyMinCases is the fewest cases the demo tells the story of offences with.
const storyMinCases = 100

// ownerWeights say who owns directly opened cases: mostly the police unit and
// the councils; the charity opens a few of its own.
var ownerWeights = []struct {
	slug   string
	weight int
}{{"police", 45}, {"county", 20}, {"stalbans", 13}, {"watford", 13}, {"charity", 9}}

func (cs *caseSeeder) setup() error {
	var err error
	if cs.agencies, err = cs.s.Agencies.FindAgencies(cs.ctx); err != nil {
		return err
	}
	cs.teams = map[string]*team{}
	for _, spec := range partnership {
		if spec.Slug == "" {
			continue
		}
		t := &team{slug: spec.Slug}
		for _, role := range []tropic.Role{tropic.RoleCaseworker, tropic.RoleSupervisor, tropic.RoleTriage} {
			u, err := cs.s.Users.FindUserByEmail(cs.ctx, fmt.Sprintf("%s.%s@%s", role, spec.Slug, EmailDomain))
			if err != nil {
				return fmt.Errorf("demo %s %s: %w", spec.Slug, role, err)
			}
			switch role {
			case tropic.RoleCaseworker:
				t.worker, t.userID = tropic.ActorFor(u), u.ID
			case tropic.RoleSupervisor:
				t.super = tropic.ActorFor(u)
			default:
				t.triage = tropic.ActorFor(u)
			}
		}
		for _, a := range cs.agencies {
			if a.Name == spec.Name {
				t.agency = a
			}
		}
		if t.agency == nil {
			return fmt.Errorf("demo agency %s not found", spec.Name)
		}
		cs.teams[spec.Slug] = t
	}
	if cs.s.Agreements != nil {
		if cs.register, err = SeedAgreements(cs.ctx, cs.s.Agreements, cs.agencies, cs.now); err != nil {
			return err
		}
	}
	return nil
}

// handTo is who makes team's case of report ref, or adds it to one: the hub's triage
// officer for the hub's own cases; for another agency's, the hub passes the report to
// it and its caseworker accepts it.
func (cs *caseSeeder) handTo(t *team, ref string) (tropic.Actor, error) {
	hub := cs.teams["police"]
	if t == hub {
		return t.triage, nil
	}
	if err := cs.s.Reports.DecideReport(cs.ctx, hub.triage, ref, tropic.ReportDecision{Status: tropic.ReportPassedToAgency,
		AgencyID: t.agency.ID, Reason: "In their area: for " + t.agency.Name + " to work."}); err != nil {
		return tropic.Actor{}, fmt.Errorf("demo pass %s to %s: %w", ref, t.agency.Name, err)
	}
	return t.worker, nil
}

func (cs *caseSeeder) at(t time.Time) time.Time {
	if !t.Before(cs.now) {
		t = cs.now.Add(-time.Minute)
	}
	cs.s.SetNow(t)
	return t
}

// linkedReports returns the reports triage marked as linked to a case, oldest first.
func (cs *caseSeeder) linkedReports() ([]*tropic.Report, error) {
	triage, err := cs.s.Users.FindUserByEmail(cs.ctx, "triage.police@"+EmailDomain)
	if err != nil {
		return nil, fmt.Errorf("demo triage user: %w", err)
	}
	var out []*tropic.Report
	for {
		page, total, err := cs.s.Reports.FindReports(cs.ctx, tropic.ActorFor(triage),
			tropic.ReportFilter{Statuses: []tropic.ReportStatus{tropic.ReportLinkedToCase}, Limit: 200, Offset: len(out)})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ReceivedAt.Before(out[j].ReceivedAt) })
	return out, nil
}

// open creates the cases in time order: about two thirds from linked reports, the
// rest directly; linked reports that open no case of their own join an open case.
func (cs *caseSeeder) open(n int) error {
	g := cs.g
	reports, err := cs.linkedReports()
	if err != nil {
		return err
	}
	quota := min(len(reports), n*2/3)
	opens := make([]bool, len(reports))
	for _, i := range g.rnd.Perm(len(reports))[:quota] {
		opens[i] = true
	}
	if len(reports) > 0 {
		opens[0] = true // later reports need a case to join
	}
	type birth struct {
		at     time.Time
		report *tropic.Report
		open   bool
		story  bool
	}
	var births []birth
	for i, r := range reports {
		// After the triage decision, which came within three days of the report.
		births = append(births, birth{at: r.ReceivedAt.Add(72*time.Hour + time.Duration(1+g.IntN(96))*time.Hour), report: r, open: opens[i]})
	}
	from := cs.now.AddDate(-3, 0, 0)
	if len(reports) > 0 {
		from = reports[0].ReceivedAt
	}
	span := int(cs.now.Sub(from).Hours()) - 48
	direct := n
	if cs.story != nil {
		// The story's cases are opened through each of its quarters, early enough for
		// their first review (within six days) to fall in it too.
		for _, q := range cs.story.quarters() {
			p := tropic.QuarterPeriod(q.year, q.q)
			for i := range q.offences {
				at := p.From.AddDate(0, 0, 2+i*75/q.offences).Add(time.Duration(8+g.IntN(10))*time.Hour + time.Duration(g.IntN(3600))*time.Second)
				births = append(births, birth{at: at, open: true, story: true})
			}
		}
		direct = max(quota, n-cs.story.storyCases())
	}
	for i := quota; i < direct; i++ {
		if span <= 0 {
			break
		}
		births = append(births, birth{at: from.Add(time.Duration(g.IntN(span)) * time.Hour).Add(time.Duration(g.IntN(3600)) * time.Second), open: true})
	}
	sort.SliceStable(births, func(i, j int) bool { return births[i].at.Before(births[j].at) })
	for _, b := range births {
		if !b.at.Before(cs.now) {
			continue
		}
		if b.report != nil && !b.open {
			if target := cs.joinable(b.report, b.at); target != nil {
				cs.at(b.at)
				by, err := cs.handTo(target.team, b.report.Reference)
				if err != nil {
					return err
				}
				if err := cs.s.Cases.LinkReport(cs.ctx, by, target.ref, b.report.Reference); err != nil {
					return fmt.Errorf("demo link report %s to %s: %w", b.report.Reference, target.ref, err)
				}
				cs.stats.LinkedReports++
				continue
			}
		}
		if err := cs.create(b.at, b.report, b.story); err != nil {
			return err
		}
	}
	return nil
}

// joinable finds an open case for a linked report to join: the latest opened in
// its district within the last three months, else the latest open one anywhere.
func (cs *caseSeeder) joinable(r *tropic.Report, at time.Time) *demoCase {
	var fallback *demoCase
	for i := len(cs.cases) - 1; i >= 0; i-- {
		c := cs.cases[i]
		if !c.openAt(at) || c.opened.After(at) {
			continue
		}
		if c.district == r.Location.District && at.Sub(c.opened) < 90*24*time.Hour {
			return c
		}
		if fallback == nil {
			fallback = c
		}
	}
	return fallback
}

// reportOwner decides who takes a report's case: the police unit mostly; children's
// cases often the county council; otherwise sometimes the district's own council.
func (cs *caseSeeder) reportOwner(r *tropic.Report) *team {
	switch n := cs.g.IntN(20); {
	case r.People.ChildrenInvolved == tropic.AnswerYes && n < 6:
		return cs.teams["county"]
	case r.Location.District == "st-albans" && n < 8:
		return cs.teams["stalbans"]
	case r.Location.District == "watford" && n < 8:
		return cs.teams["watford"]
	case n == 19:
		return cs.teams["county"]
	}
	return cs.teams["police"]
}

func (cs *caseSeeder) directOwner() *team {
	total := 0
	for _, o := range ownerWeights {
		total += o.weight
	}
	pick := cs.g.IntN(total)
	for _, o := range ownerWeights {
		if pick < o.weight {
			return cs.teams[o.slug]
		}
		pick -= o.weight
	}
	return cs.teams["police"]
}

// businessTrades are the trades of the businesses the demo's reports and cases
// name, with their kind on a case.
var businessTrades = map[string]string{
	"Hand Car Wash": "car_wash", "Car Valeting": "car_wash", "Farm Produce": "agriculture", "Recycling": "other",
	"Building Services": "construction", "Nails": "nail_bar", "Massage Studio": "brothel", "Beauty Lounge": "nail_bar",
	"Takeaway": "hospitality", "Food & Wine": "other", "Nails & Spa": "nail_bar", "Packing Ltd": "food_processing",
	"Growers": "agriculture", "Recruitment Solutions": "recruitment", "Massage": "brothel", "Groundworks Ltd": "construction",
}

// businessPrefixes make the names of the businesses of a trade.
var businessPrefixes = []string{"Sparkle", "Quick Shine", "Diamond", "Crystal", "Premier", "Royal", "Star", "Sunrise", "Golden",
	"Lotus", "Jade", "Orchid", "Pearl", "Silver", "Northside", "Hilltop", "Greenfield", "Riverside", "Oakfield", "Kingsway",
	"Phoenix", "Lucky Star", "Corner", "Express", "Bright", "Elm Tree", "Meadow", "Parkway"}

// Business names a business of a trade ("Sparkle Hand Car Wash"). A few names come
// up again and again, as a place reported by many people does; most once or twice,
// so that the records a business links are a network, not the whole county.
func (g *Generator) Business(trade string) string {
	return businessPrefixes[g.IntN(1+g.IntN(len(businessPrefixes)))] + " " + trade
}

// businessKind is the kind of a business the demo named.
func businessKind(name string) string {
	for trade, kind := range businessTrades {
		if strings.HasSuffix(name, " "+trade) {
			return kind
		}
	}
	return "other"
}

func (cs *caseSeeder) create(at time.Time, r *tropic.Report, story bool) error {
	g := cs.g
	c := &demoCase{sharedTo: map[int64]*tropic.Share{}, story: story}
	var tc tropic.Case
	if r != nil {
		c.team = cs.reportOwner(r)
		c.district, c.exploit, c.children = r.Location.District, r.Exploitation, r.People.ChildrenInvolved == tropic.AnswerYes
		if c.district == "not_sure" {
			c.district = ""
		}
		// The report's own lists, read as the caseworker opening the case would.
		full, err := cs.s.Reports.FindReportByReference(cs.ctx, tropic.SystemActor("tropic demo"), r.Reference)
		if err != nil {
			return fmt.Errorf("demo read report %s: %w", r.Reference, err)
		}
		c.report = full
		if len(full.Businesses) > 0 {
			c.business = full.Businesses[0]
		}
	} else {
		if c.team = cs.directOwner(); story {
			c.team = cs.teams["police"]
		}
		sc := pickScenario(g)
		c.exploit.Types, c.children = sc.types, sc.children
		c.exploit.CountyLines = sc.children && g.IntN(2) == 0
		if len(sc.businesses) > 0 && g.IntN(3) > 0 {
			c.business = g.Business(Pick(g, append(sc.businesses, extraBusinesses(sc.types[0])...)))
		}
		c.district = Pick(g, Districts).Slug
		switch c.team.slug {
		case "stalbans":
			c.district = "st-albans"
		case "watford":
			c.district = "watford"
		}
	}
	c.opened = at
	tc = tropic.Case{Title: cs.title(c), District: c.district, Exploitation: c.exploit}
	// Close most cases older than a year, about half of those older than four months.
	age := cs.now.Sub(at).Hours() / 24
	closeP := 0
	switch {
	case age > 365:
		closeP = 17
	case age > 120:
		closeP = 10
	case age > 45:
		closeP = 3
	}
	if g.IntN(20) < closeP {
		days := 20 + g.IntN(max(1, min(int(age)-21, 300)))
		c.closeAt = at.Add(time.Duration(days)*24*time.Hour + time.Duration(g.IntN(8*3600))*time.Second)
		c.outcome = pickOutcome(g, c.team.slug == "police")
	}
	cs.at(at)
	from, opener := "", c.team.worker
	if r != nil {
		from = r.Reference
		var err error
		if opener, err = cs.handTo(c.team, r.Reference); err != nil {
			return err
		}
	}
	if err := cs.s.Cases.CreateCase(cs.ctx, opener, &tc, from); err != nil {
		return fmt.Errorf("demo create case: %w", err)
	}
	c.ref = tc.Reference
	cs.cases = append(cs.cases, c)
	cs.stats.Cases++
	if r != nil {
		cs.stats.FromReports++
	}
	return nil
}

func pickScenario(g *Generator) scenario {
	total := 0
	for _, s := range scenarios {
		total += s.weight
	}
	pick := g.IntN(total)
	for _, s := range scenarios {
		if pick < s.weight {
			return s
		}
		pick -= s.weight
	}
	return scenarios[0]
}

func extraBusinesses(t tropic.ExploitationType) []string {
	switch t {
	case tropic.ExploitLabour:
		return []string{"Hand Car Wash", "Packing Ltd", "Growers", "Recruitment Solutions", "Groundworks Ltd"}
	case tropic.ExploitSexual:
		return []string{"Nails & Spa", "Massage"}
	}
	return []string{"Takeaway"}
}

func (cs *caseSeeder) title(c *demoCase) string {
	where := districtName(c.district)
	if where == "" {
		where = "location not yet known"
	}
	kind := c.exploit.Label()
	switch {
	case c.exploit.CountyLines:
		return fmt.Sprintf("County lines: young people running drugs, %s", where)
	case c.exploit.Has(tropic.ExploitNotSpecified) || len(c.exploit.Types) == 0:
		kind = "Suspected"
	}
	kind = strings.ReplaceAll(kind, " & ", " and ")
	if c.business != "" {
		return fmt.Sprintf("%s exploitation at %s, %s", kind, c.business, where)
	}
	place := "an address"
	if c.report != nil && c.report.Location.Address != "" {
		if parts := strings.SplitN(c.report.Location.Address, " ", 2); len(parts) == 2 {
			place = strings.TrimSuffix(strings.SplitN(parts[1], ",", 2)[0], " ")
		}
	} else {
		place = Pick(cs.g, streets)
	}
	return fmt.Sprintf("%s exploitation, %s, %s", kind, place, where)
}

func districtName(slug string) string {
	for _, d := range Districts {
		if d.Slug == slug {
			return d.Name
		}
	}
	return ""
}

func pickOutcome(g *Generator, police bool) tropic.CaseOutcome {
	if police && g.IntN(4) == 0 {
		return "charged"
	}
	return Pick(g, []tropic.CaseOutcome{"safeguarded", "safeguarded", "nrm_referral", "nrm_referral", "no_exploitation",
		"insufficient_evidence", "victim_declined", "transferred", "other"})
}

// work writes a case's history after it was opened: people, places and the rest
// within hours, the first review, shares, notes and tasks over the following weeks,
// and its closing.
func (cs *caseSeeder) work(c *demoCase) error {
	tl := &timeline{cs: cs, t: c.opened, end: c.end(cs.now)}
	if err := cs.people(c, tl); err != nil {
		return err
	}
	if err := cs.parts(c, tl); err != nil {
		return err
	}
	seen, err := cs.review(c, tl)
	if err != nil {
		return err
	}
	if err := cs.share(c, tl.step(time.Duration(1+cs.g.IntN(10*24))*time.Hour)); err != nil {
		return err
	}
	if err := cs.notes(c, tl.t, tl.end); err != nil {
		return err
	}
	if err := cs.tasks(c, tl.t, tl.end); err != nil {
		return err
	}
	if err := cs.roleChange(c, seen, tl.t, tl.end); err != nil {
		return err
	}
	if c.closeAt.IsZero() {
		return nil
	}
	return cs.close(c)
}

// timeline walks a case's history forward, never past its end, moving the clock.
type timeline struct {
	cs     *caseSeeder
	t, end time.Time
}

func (tl *timeline) step(d time.Duration) time.Time {
	tl.t = tl.t.Add(d)
	if !tl.t.Before(tl.end) {
		tl.t = tl.end.Add(-time.Minute)
	}
	return tl.cs.at(tl.t)
}

// people adds the case's people: potential victims mostly; suspects in most police
// cases; a witness now and then.
func (cs *caseSeeder) people(c *demoCase, tl *timeline) error {
	g := cs.g
	victims := 1 + g.IntN(3)
	if g.IntN(4) == 0 {
		victims += g.IntN(4)
	}
	suspects := g.IntN(2)
	if c.team.slug == "police" {
		suspects = g.IntN(3)
	}
	for i := 0; i < victims+suspects; i++ {
		role := tropic.RolePotentialVictim
		if i >= victims {
			role = tropic.RoleSuspect
		}
		if err := cs.addPerson(c, role, tl.step(time.Duration(5+g.IntN(40))*time.Minute)); err != nil {
			return err
		}
	}
	if g.IntN(3) == 0 {
		if err := cs.addPerson(c, tropic.RoleWitness, tl.step(time.Duration(5+g.IntN(40))*time.Minute)); err != nil {
			return err
		}
	}
	return nil
}

// parts adds where, which business, which vehicles and phones: from the report when
// there is one.
func (cs *caseSeeder) parts(c *demoCase, tl *timeline) error {
	g, ctx, svc, w := cs.g, cs.ctx, cs.s.Cases, c.team.worker
	pl := &tropic.Place{Kind: "home"}
	if r := c.report; r != nil && r.Location.Address != "" {
		pl.Address, pl.Postcode = r.Location.Address, r.Location.Postcode
	} else {
		pl.Address, pl.Postcode = cs.address(c.district)
	}
	if c.business != "" {
		pl.Kind = "business_premises"
	} else if c.exploit.Has(tropic.ExploitLabour) && g.IntN(2) == 0 {
		pl.Kind = "workplace"
	}
	tl.step(time.Duration(5+g.IntN(30)) * time.Minute)
	if err := svc.AddPlace(ctx, w, c.ref, pl); err != nil {
		return fmt.Errorf("add place: %w", err)
	}
	if c.business != "" {
		b := &tropic.Business{Name: c.business, Kind: businessKind(c.business), Address: pl.Address}
		if b.Kind == "" {
			b.Kind = "other"
		}
		if g.IntN(2) == 0 {
			// Numbers from 99000000 up are far beyond any Companies House has issued.
			b.CompanyNumber = fmt.Sprintf("99%06d", g.IntN(1000000))
		}
		tl.step(time.Duration(5+g.IntN(30)) * time.Minute)
		if err := svc.AddBusiness(ctx, w, c.ref, b); err != nil {
			return fmt.Errorf("add business: %w", err)
		}
	}
	var vehicles []tropic.Vehicle
	var phones []string
	if r := c.report; r != nil {
		vehicles = r.Vehicles
		for _, p := range r.Phones {
			phones = append(phones, p.Number)
		}
	} else {
		if g.IntN(2) == 0 {
			vehicles = append(vehicles, tropic.Vehicle{Registration: plate(g), Description: Pick(g, vehicleKinds)})
		}
		if g.IntN(2) == 0 {
			phones = append(phones, g.DramaPhone())
		}
	}
	for _, v := range vehicles {
		tl.step(time.Duration(5+g.IntN(30)) * time.Minute)
		if err := svc.AddVehicle(ctx, w, c.ref, &tropic.CaseVehicle{Registration: v.Registration, Description: v.Description}); err != nil {
			return fmt.Errorf("add vehicle: %w", err)
		}
	}
	for _, p := range phones {
		tl.step(time.Duration(5+g.IntN(30)) * time.Minute)
		if err := svc.AddPhone(ctx, w, c.ref, &tropic.CasePhone{Number: p, Notes: Pick(g, phoneNotes)}); err != nil {
			return fmt.Errorf("add phone: %w", err)
		}
	}
	return nil
}

// review is the first review: the case becomes active, with a crime recorded on some
// police cases (in the story's quarters, on the story's cases only). It returns the
// case as the caseworker saw it.
func (cs *caseSeeder) review(c *demoCase, tl *timeline) (*tropic.Case, error) {
	g, ctx, svc, w := cs.g, cs.ctx, cs.s.Cases, c.team.worker
	tl.step(time.Duration(12+g.IntN(5*24)) * time.Hour)
	seen, err := svc.FindCase(ctx, w, c.ref)
	if err != nil {
		return nil, fmt.Errorf("find case: %w", err)
	}
	upd := tropic.CaseUpdate{Version: seen.Version, Title: seen.Title, District: seen.District, Exploitation: seen.Exploitation, Status: tropic.CaseActive}
	crime := c.team.slug == "police" && (g.IntN(5) < 2 || c.outcome == "charged")
	story := cs.story != nil && cs.story.inStory(tl.t)
	if story {
		crime = c.story
	}
	if crime {
		upd.CrimeReference = fmt.Sprintf("41/%05d/%02d", g.IntN(100000), tl.t.Year()%100)
		upd.Offence = tropic.OffenceS1
		if g.IntN(3) == 0 {
			upd.Offence = Pick(g, []tropic.Offence{tropic.OffenceS2, tropic.OffenceS4})
		}
	}
	if g.IntN(8) > 0 || c.story {
		if err := svc.UpdateCase(ctx, w, c.ref, upd); err != nil {
			return nil, fmt.Errorf("update case: %w", err)
		}
		if crime && story {
			cs.stats.StoryOffences++
		}
	}
	return seen, nil
}

// close closes the case with its outcome, after an order against a suspect when one
// was charged.
func (cs *caseSeeder) close(c *demoCase) error {
	g, ctx, svc, w := cs.g, cs.ctx, cs.s.Cases, c.team.worker
	if c.outcome == "charged" && len(c.suspects) > 0 {
		cs.at(c.closeAt.Add(-time.Duration(1+g.IntN(72)) * time.Hour))
		o := &tropic.Order{PersonID: c.suspects[0], Kind: tropic.OrderSTPO, MadeOn: c.closeAt.AddDate(0, 0, -3).Format(time.DateOnly),
			ExpiresOn: c.closeAt.AddDate(5, 0, 0).Format(time.DateOnly), Notes: "Prohibited from arranging work or accommodation for others."}
		if g.IntN(3) == 0 {
			o.Kind, o.ExpiresOn, o.Notes = tropic.OrderSTRO, c.closeAt.AddDate(2, 0, 0).Format(time.DateOnly), "Must notify the police of any change of address."
		}
		if err := svc.AddOrder(ctx, w, c.ref, o); err != nil {
			return fmt.Errorf("add order: %w", err)
		}
	}
	cs.at(c.closeAt)
	seen, err := svc.FindCase(ctx, c.team.super, c.ref)
	if err != nil {
		return fmt.Errorf("find case to close: %w", err)
	}
	if _, err := svc.CloseCase(ctx, c.team.super, c.ref, tropic.CaseClosure{Outcome: c.outcome, Version: seen.Version, Confirmed: true}); err != nil {
		return fmt.Errorf("close case: %w", err)
	}
	cs.stats.Closed++
	return nil
}

var vehicleKinds = []string{"white van", "silver people carrier", "black saloon", "minibus", "blue Transit van", "grey hatchback"}

var phoneNotes = []string{"Used to arrange shifts", "Number on the adverts", "Given by a potential victim as the boss's phone",
	"Called the workers at night", ""}

func (cs *caseSeeder) address(district string) (string, string) {
	g := cs.g
	d := district
	if d == "" {
		d = Pick(g, Districts).Slug
	}
	return fmt.Sprintf("%d %s, %s", 1+g.IntN(120), Pick(g, streets), districtName(d)),
		fmt.Sprintf("%s %d%c%c", Pick(g, outwardCodes[d]), g.IntN(10), "ABDEFGHJLNPQRSTUWXYZ"[g.IntN(20)], "ABDEFGHJLNPQRSTUWXYZ"[g.IntN(20)])
}

var immigrationStatuses = []string{"No documents; status not known", "Visa expired; passport held by the employer",
	"Asylum claim pending", "EU Settlement Scheme: pre-settled status", "Leave to remain as a student; working beyond its conditions"}

var healthNotes = []string{"Untreated injury to the right hand", "Signs of malnutrition; seen by a GP", "Anxiety and poor sleep; under GP care",
	"Pregnant; referred to midwifery", "Dental pain; no access to a dentist"}

var suspectAliases = []string{"Boss", "Big Man", "Uncle", "The Driver", "Mama", "Tony", "Chef"}

// addPerson adds a new person, or now and then one the agency met on an earlier case.
func (cs *caseSeeder) addPerson(c *demoCase, role tropic.PersonRole, at time.Time) error {
	g := cs.g
	pool := &c.team.victims
	if role == tropic.RoleSuspect {
		pool = &c.team.bad
	}
	if role != tropic.RoleWitness && len(*pool) > 3 && g.IntN(12) == 0 {
		id := (*pool)[g.IntN(len(*pool))]
		if !slices.Contains(c.victims, id) && !slices.Contains(c.suspects, id) {
			if err := cs.s.Cases.AddExistingPerson(cs.ctx, c.team.worker, c.ref, id, role); err != nil {
				return fmt.Errorf("add existing person: %w", err)
			}
			cs.remember(c, role, id)
			return nil
		}
	}
	minAge, maxAge := 18, 45
	switch {
	case role == tropic.RolePotentialVictim && c.children:
		minAge, maxAge = 14, 17
	case role == tropic.RoleSuspect:
		minAge, maxAge = 22, 58
	case role == tropic.RoleWitness:
		minAge, maxAge = 20, 70
	}
	p := g.Person(at, minAge, maxAge)
	if g.IntN(3) == 0 {
		p.Phone = g.DramaPhone()
	}
	if role == tropic.RoleSuspect && g.IntN(3) == 0 {
		p.Aliases = []string{Pick(g, suspectAliases)}
	}
	if role == tropic.RolePotentialVictim {
		if p.Nationality != "British" && g.IntN(2) == 0 {
			p.ImmigrationStatus = Pick(g, immigrationStatuses)
		}
		if g.IntN(3) == 0 {
			p.Health = Pick(g, healthNotes)
		}
	}
	if err := cs.s.Cases.AddPerson(cs.ctx, c.team.worker, c.ref, p, role); err != nil {
		return fmt.Errorf("add person: %w", err)
	}
	cs.stats.People++
	cs.remember(c, role, p.ID)
	cs.met = append(cs.met, metPerson{p: *p, c: c, role: role, at: at})
	switch role {
	case tropic.RolePotentialVictim:
		c.team.victims = append(c.team.victims, p.ID)
	case tropic.RoleSuspect:
		c.team.bad = append(c.team.bad, p.ID)
	}
	return nil
}

func (cs *caseSeeder) remember(c *demoCase, role tropic.PersonRole, id int64) {
	switch role {
	case tropic.RolePotentialVictim:
		c.victims = append(c.victims, id)
	case tropic.RoleSuspect:
		c.suspects = append(c.suspects, id)
	}
}

// partner picks an agency to share a case with, as partnerships do: the police
// with the county (children) or the district council, the councils with the police.
func (cs *caseSeeder) partner(c *demoCase) *tropic.Agency {
	g := cs.g
	var want string
	switch c.team.slug {
	case "police":
		switch n := g.IntN(10); {
		case c.children && n < 6, n < 3:
			return cs.teams["county"].agency
		case n < 6:
			want = districtName(c.district)
		case n < 8:
			return cs.teams["charity"].agency
		default:
			want = "Hertfordshire Community NHS Trust"
		}
	case "charity":
		if g.IntN(2) == 0 {
			return cs.teams["county"].agency
		}
		return cs.teams["police"].agency
	default:
		if g.IntN(4) == 0 {
			return cs.teams["charity"].agency
		}
		return cs.teams["police"].agency
	}
	for _, a := range cs.agencies {
		if want != "" && strings.HasPrefix(a.Name, want) && a.ID != c.team.agency.ID {
			return a
		}
	}
	return cs.teams["county"].agency
}

func lawfulBasis(k tropic.AgencyKind) string {
	switch k {
	case tropic.AgencyPolice, tropic.AgencyNCA:
		return "dpa_part3" // law enforcement processing
	case tropic.AgencyCountyCouncil, tropic.AgencyHealth:
		return "dpa_sch1_18"
	case tropic.AgencyCharity:
		return "consent"
	}
	return "gdpr_6_1_e"
}

var shareReasons = []string{"Joint visit planned; they need the addresses and people involved.",
	"Safeguarding strategy meeting: children may be at risk.", "Support and safe accommodation for the potential victims.",
	"Licensing and housing checks on the premises.", "Investigation of the suspects; intelligence from the welfare visits.",
	"Health needs of the potential victims."}

// share shares about a third of cases with a partner: mostly at once by the owner's
// supervisor; some asked for by the caseworker and approved, declined or still
// waiting; some later revoked; some with an end date, a few since passed.
func (cs *caseSeeder) share(c *demoCase, at time.Time) error {
	g, ctx, svc := cs.g, cs.ctx, cs.s.Cases
	if g.IntN(3) > 0 {
		return nil
	}
	end := c.end(cs.now)
	a := cs.partner(c)
	sh := &tropic.Share{AgencyID: a.ID, Scope: tropic.ShareWhole, LawfulBasis: lawfulBasis(a.Kind), Reason: Pick(g, shareReasons)}
	if g.IntN(5) < 2 {
		sh.Scope = tropic.ShareWithoutSensitive
	}
	if g.IntN(4) == 0 {
		sh.Until = at.AddDate(0, 1+g.IntN(6), 0).Format(time.DateOnly)
	}
	mode := g.IntN(20)
	if mode >= 13 && mode <= 14 && !c.openAt(cs.now) {
		mode = 9 // nothing waits for a decision on a closed case
	}
	requester := c.team.super
	if mode >= 9 && mode <= 15 {
		requester = c.team.worker
	}
	cite(cs.register, sh, c.team.agency.ID, at, cs.stats.Shares)
	if err := svc.RequestShare(ctx, requester, c.ref, sh); err != nil {
		return fmt.Errorf("share: %w", err)
	}
	if sh.AgreementID == 0 {
		cs.stats.SharesWithoutAgreement++
	}
	cs.stats.Shares++
	later := func(d time.Duration) time.Time {
		t := at.Add(d)
		if !t.Before(end) {
			t = at.Add((end.Sub(at)) / 2)
		}
		return cs.at(t)
	}
	switch {
	case mode >= 9 && mode <= 12, mode == 15:
		later(time.Duration(2+g.IntN(46)) * time.Hour)
		why := ""
		if mode == 15 {
			why = "Not needed at this stage of the case."
		}
		if err := svc.DecideShare(ctx, c.team.super, sh.ID, mode != 15, why); err != nil {
			return fmt.Errorf("decide share: %w", err)
		}
		if mode == 15 {
			return nil
		}
	case mode == 13 || mode == 14:
		return nil
	}
	c.sharedTo[a.ID] = sh
	if mode >= 16 && mode <= 18 && end.Sub(at) > 10*24*time.Hour {
		later(time.Duration(7+g.IntN(90)) * 24 * time.Hour)
		if err := svc.RevokeShare(ctx, c.team.super, sh.ID); err != nil {
			return fmt.Errorf("revoke share: %w", err)
		}
		delete(c.sharedTo, a.ID)
	}
	return nil
}

var noteTexts = []string{
	"Welfare visit made with the district council's housing officer. %d people found living at the address.",
	"Spoke to the potential victims with a telephone interpreter; they described long hours and debts for travel.",
	"Strategy discussion held. Actions agreed and tasks set.",
	"Vehicle seen again at the premises early in the morning; ANPR check requested.",
	"Potential victims moved to safe accommodation arranged by the charity.",
	"Companies House records checked; the director also runs %d other businesses.",
	"NRM referral discussed; consent given by the potential victims.",
	"No answer at the address on two visits. Neighbours report people moved out at night.",
	"Bank statements show wages paid into one account controlled by a third party.",
}

var sensitiveNotes = []string{
	"Disclosed a history of abuse in the home country; counselling offered. Do not share beyond the case team.",
	"Immigration status discussed; advised of rights and of support regardless of status.",
	"Health: needs regular medication that was withheld by the employer.",
}

// notes writes the timeline: a few entries spread between start and end.
func (cs *caseSeeder) notes(c *demoCase, start, end time.Time) error {
	g := cs.g
	k := 1 + g.IntN(3)
	span := end.Sub(start)
	for i := 0; i < k; i++ {
		at := start.Add(span * time.Duration(i+1) / time.Duration(k+1)).Add(-time.Duration(g.IntN(3600)) * time.Second)
		cs.at(at)
		n := &tropic.Note{Text: Pick(g, noteTexts)}
		if strings.Contains(n.Text, "%d") {
			n.Text = fmt.Sprintf(n.Text, 2+g.IntN(9))
		}
		if g.IntN(6) == 0 {
			n.Text, n.Sensitive = Pick(g, sensitiveNotes), true
		}
		author := c.team.worker
		if g.IntN(4) == 0 {
			author = c.team.super
		}
		if err := cs.s.Cases.AddNote(cs.ctx, author, c.ref, n); err != nil {
			return fmt.Errorf("add note: %w", err)
		}
		cs.stats.Notes++
	}
	return nil
}

var taskTitles = []string{"Arrange an interpreter for the next interview", "Make a welfare visit to the address",
	"Submit the NRM referral", "Submit the Duty to Notify form", "Check Companies House and HMRC records for the business",
	"Hold a safeguarding strategy meeting", "Request ANPR checks on the vehicle", "Find safe accommodation",
	"Review the case with the supervisor"}

// tasks sets one to three tasks: for the owner's caseworker, for the owning agency,
// or for a partner; older ones mostly done, some left overdue.
func (cs *caseSeeder) tasks(c *demoCase, start, end time.Time) error {
	g, ctx, svc := cs.g, cs.ctx, cs.s.Cases
	k := 1 + g.IntN(2)
	if g.IntN(4) == 0 {
		k++
	}
	for i := 0; i < k; i++ {
		at := start.Add(end.Sub(start) * time.Duration(i) / time.Duration(k+1))
		cs.at(at)
		tk := &tropic.Task{Title: Pick(g, taskTitles), Due: at.AddDate(0, 0, 7+g.IntN(28)).Format(time.DateOnly)}
		doer := c.team.worker
		switch n := g.IntN(10); {
		case n < 4:
			tk.AssignedUser = c.team.userID
		case n < 7:
			tk.AssignedAgency = c.team.agency.ID
		default:
			tk.AssignedAgency = c.team.agency.ID
			// A partner with demo staff and an open-ended share works some tasks.
			for _, o := range ownerWeights {
				if sh := c.sharedTo[cs.teams[o.slug].agency.ID]; sh != nil && sh.Until == "" {
					tk.AssignedAgency, doer = cs.teams[o.slug].agency.ID, cs.teams[o.slug].worker
					break
				}
			}
		}
		if err := svc.AddTask(ctx, c.team.worker, c.ref, tk); err != nil {
			return fmt.Errorf("add task: %w", err)
		}
		cs.stats.Tasks++
		due, _ := time.Parse(time.DateOnly, tk.Due)
		// Done on closed cases; on open ones, mostly done when due: a few of the last
		// month's are overdue, and hardly any older ones.
		overdue := 3
		if cs.now.Sub(due) > 30*24*time.Hour {
			overdue = 1
		}
		if !c.closeAt.IsZero() || (due.Before(cs.now) && g.IntN(20) >= overdue) {
			doneAt := due.Add(-time.Duration(g.IntN(5*24)) * time.Hour)
			if doneAt.Before(at) {
				doneAt = at.Add(time.Hour)
			}
			if !doneAt.Before(end) {
				doneAt = end.Add(-time.Minute)
			}
			cs.at(doneAt)
			if err := svc.CompleteTask(ctx, doer, tk.ID); err != nil {
				return fmt.Errorf("complete task: %w", err)
			}
		}
	}
	return nil
}

// roleChange asks, on about one case in eight with two or more potential victims,
// to treat one of them as a suspect: still waiting on open cases; approved or (more
// often, victim first) declined by the supervisor on others.
func (cs *caseSeeder) roleChange(c *demoCase, seen *tropic.Case, start, end time.Time) error {
	g, ctx, svc := cs.g, cs.ctx, cs.s.Cases
	if len(c.victims) < 2 || g.IntN(8) > 0 {
		return nil
	}
	var cp *tropic.CasePerson
	for _, p := range seen.People {
		if p.Role == tropic.RolePotentialVictim && p.Person != nil && p.Person.ID == c.victims[len(c.victims)-1] {
			cp = p
		}
	}
	if cp == nil {
		return nil
	}
	at := start.Add(end.Sub(start) / 3)
	cs.at(at)
	rc, err := svc.ChangeRole(ctx, c.team.worker, cp.ID, tropic.RoleSuspect,
		Pick(g, []string{"Seen collecting the others' wages and driving them to work.", "Others say she recruited them and holds their passports."}))
	if err != nil {
		return fmt.Errorf("change role: %w", err)
	}
	cs.stats.RoleRequests++
	if rc == nil || (c.closeAt.IsZero() && g.IntN(3) > 0) {
		return nil
	}
	cs.at(at.Add(end.Sub(at) / 2))
	approve := g.IntN(3) == 0
	note := "Evidence shows control over the others; a suspect on this case."
	if !approve {
		note = "Likely compelled to do this by the suspects; remains a potential victim (MSA s.45)."
	}
	if err := svc.DecideRoleChange(ctx, c.team.super, rc.ID, approve, note); err != nil {
		return fmt.Errorf("decide role change: %w", err)
	}
	if approve {
		c.victims = c.victims[:len(c.victims)-1]
		c.suspects = append(c.suspects, cp.Person.ID)
	}
	return nil
}

// s45 makes k suspects on open police cases potential victims on another open case:
// mostly a council's case, which the police cannot see (the police share their case
// with the council, whose caseworker recognises the young person); now and then
// another police case.
func (cs *caseSeeder) s45(k int) error {
	g, ctx, svc := cs.g, cs.ctx, cs.s.Cases
	police := cs.teams["police"]
	var suspects, hosts []*demoCase
	for _, c := range cs.cases {
		switch {
		case !c.openAt(cs.now):
		case c.team == police && len(c.suspects) > 0:
			suspects = append(suspects, c)
		case (c.team.slug == "county" || c.team.slug == "stalbans" || c.team.slug == "watford") && !sharedWith(c, police):
			hosts = append(hosts, c) // a case the police cannot see
		}
	}
	for i := 0; i < k && i < len(suspects); i++ {
		pc := suspects[len(suspects)-1-i] // the most recent
		var host *demoCase
		sameAgency := i%4 == 3
		if !sameAgency && len(hosts) > 0 {
			host = hosts[g.IntN(len(hosts))]
		} else if len(suspects) > k {
			host = suspects[g.IntN(len(suspects)-k)]
			sameAgency = true
		}
		if host == nil || host == pc {
			continue
		}
		person := pc.suspects[0]
		if slices.Contains(host.victims, person) || slices.Contains(host.suspects, person) {
			continue
		}
		at := pc.opened
		if host.opened.After(at) {
			at = host.opened
		}
		at = at.Add(time.Duration(24+g.IntN(10*24)) * time.Hour)
		if sh := pc.sharedTo[host.team.agency.ID]; !sameAgency && (sh == nil || sh.Scope != tropic.ShareWhole || sh.Until != "") {
			cs.at(at)
			sh := &tropic.Share{AgencyID: host.team.agency.ID, Scope: tropic.ShareWhole, LawfulBasis: "dpa_sch1_18",
				Reason: "Safeguarding: a young person on this case may be exploited by others and known to the council."}
			cite(cs.register, sh, police.agency.ID, at, cs.stats.Shares)
			if err := svc.RequestShare(ctx, police.super, pc.ref, sh); err != nil {
				return fmt.Errorf("share for s.45: %w", err)
			}
			if sh.AgreementID == 0 {
				cs.stats.SharesWithoutAgreement++
			}
			pc.sharedTo[host.team.agency.ID] = sh
			cs.stats.Shares++
			at = at.Add(time.Duration(1+g.IntN(48)) * time.Hour)
		}
		cs.at(at)
		if err := svc.AddExistingPerson(ctx, host.team.worker, host.ref, person, tropic.RolePotentialVictim); err != nil {
			return fmt.Errorf("add suspect %d as a potential victim on %s: %w", person, host.ref, err)
		}
		host.victims = append(host.victims, person)
		cs.stats.S45++
		if !sameAgency && cs.stats.S45Case == "" {
			cs.stats.S45Case = pc.ref
		}
	}
	return nil
}

// namePool is where made-up people of one nationality draw their names from: the
// demo is a UK partnership whose cases involve people from many countries, and
// search must cope with the accents their names carry.
type namePool struct {
	nationality, languages string
	weight                 int
	female, male, family   []string
}

// The mix follows the NRM statistics' most common nationalities of potential
// victims (UK, Albania, Vietnam, Romania, Eritrea, Sudan...) loosely.
var namePools = []namePool{
	{"British", "English", 26,
		[]string{"Ruth", "Grace", "Leah", "Holly", "Niamh", "Zoë", "Chloe", "Renée", "Priya", "Amara", "Fatima"},
		[]string{"Alex", "Sam", "Jordan", "Owen", "Dev", "Imran", "Kwame", "Yusuf", "Callum", "Liam", "Connor"},
		[]string{"Archer", "Bello", "Carver", "Dunmore", "Ellery", "Fenwick", "Garside", "Hollins", "Ibbotson", "Jarrow",
			"Kettering", "Marlow", "Northcott", "Okafor", "Pennant", "Quarrie", "Rudd", "O'Brien-Smith", "Brontë", "Ní Bhriain"}},
	{"Albanian", "Albanian", 12,
		[]string{"Blerina", "Elira", "Arta", "Drita", "Jonida"}, []string{"Dritan", "Arben", "Ermal", "Gëzim", "Besnik", "Ilir"},
		[]string{"Hoxha", "Berisha", "Krasniqi", "Gashi", "Shehu", "Çela", "Dervishi"}},
	{"Vietnamese", "Vietnamese", 10,
		[]string{"Linh", "Huong", "Mai", "Thu", "Lan"}, []string{"Minh", "Thanh", "Duc", "Hung", "Quang", "Tuan"},
		[]string{"Nguyen", "Tran", "Pham", "Le", "Hoang", "Vu", "Dang"}},
	{"Romanian", "Romanian", 10,
		[]string{"Andreea", "Ioana", "Elena", "Mădălina", "Denisa"}, []string{"Ionuț", "Mihai", "Ștefan", "Bogdan", "Florin", "Răzvan"},
		[]string{"Popescu", "Ionescu", "Dumitrescu", "Năstase", "Stan", "Țurcanu", "Rădulescu"}},
	{"Polish", "Polish", 8,
		[]string{"Agnieszka", "Małgorzata", "Dorota", "Ewa", "Katarzyna"}, []string{"Łukasz", "Paweł", "Tomasz", "Marek", "Krzysztof", "Michał"},
		[]string{"Kowalska", "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Dąbrowska", "Zieliński", "Lewandowska"}},
	{"Eritrean", "Tigrinya", 6,
		[]string{"Senait", "Mariam", "Helen", "Selam"}, []string{"Yonas", "Dawit", "Tesfay", "Robel"},
		[]string{"Haile", "Tesfaye", "Gebremariam", "Berhane", "Kidane"}},
	{"Sudanese", "Arabic", 5,
		[]string{"Amal", "Huda", "Nadia"}, []string{"Hassan", "Omar", "Mohamed", "Khalid"},
		[]string{"Abdelrahman", "Osman", "Ibrahim", "Elsayed"}},
	{"Slovak", "Slovak", 5,
		[]string{"Zuzana", "Lucia", "Mária"}, []string{"Tomáš", "Jiří", "Marek", "Ľubomír"},
		[]string{"Horváth", "Novák", "Dvořák", "Kučera", "Šimková", "Baláž"}},
	{"Lithuanian", "Lithuanian", 4,
		[]string{"Rūta", "Aušra", "Eglė"}, []string{"Darius", "Mantas", "Žydrūnas"},
		[]string{"Kazlauskas", "Jankauskienė", "Petrauskas", "Žukauskas"}},
	{"Nigerian", "English, Yoruba", 5,
		[]string{"Efua", "Chiamaka", "Adaeze", "Funmilayo"}, []string{"Chinedu", "Emeka", "Tunde", "Olumide"},
		[]string{"Okonkwo", "Adeyemi", "Okafor", "Balogun", "Eze"}},
	{"Turkish", "Turkish", 3,
		[]string{"Elif", "Ayşe", "Zeynep"}, []string{"Mehmet", "Emre", "Barış"},
		[]string{"Yılmaz", "Öztürk", "Şahin", "Doğan"}},
	{"Spanish", "Spanish", 3,
		[]string{"Lucía", "Inés", "María José"}, []string{"Andrés", "José", "Martín"},
		[]string{"García", "Fernández", "Muñoz", "Álvarez", "Peña"}},
	{"Chinese", "Mandarin", 3,
		[]string{"Li Na", "Xiu Ying", "Mei"}, []string{"Wei", "Jun", "Hao"},
		[]string{"Zhang", "Wang", "Chen", "Liu"}},
}

var namePoolWeight = func() int {
	n := 0
	for _, p := range namePools {
		n += p.weight
	}
	return n
}()

// Person returns a made-up person (names, gender, nationality, languages, and a
// date of birth, a year of birth or only an approximate age) aged about minAge to
// maxAge on day at. It sets no contact details or sensitive fields.
func (g *Generator) Person(at time.Time, minAge, maxAge int) *tropic.Person {
	pick := g.IntN(namePoolWeight)
	pool := namePools[0]
	for _, p := range namePools {
		if pick < p.weight {
			pool = p
			break
		}
		pick -= p.weight
	}
	p := &tropic.Person{Nationality: pool.nationality, Languages: pool.languages, FamilyName: Pick(g, pool.family)}
	if g.IntN(2) == 0 {
		p.GivenName, p.Gender = Pick(g, pool.female), "female"
	} else {
		p.GivenName, p.Gender = Pick(g, pool.male), "male"
	}
	if g.IntN(25) == 0 {
		p.Gender = "not_recorded"
	}
	age := minAge + g.IntN(max(1, maxAge-minAge+1))
	switch n := g.IntN(20); {
	case n < 12:
		dob := at.AddDate(-age, 0, -g.IntN(365))
		p.DateOfBirth = dob.Format(time.DateOnly)
	case n < 15:
		p.DateOfBirth = fmt.Sprint(at.Year() - age)
	default:
		p.ApproxAge = age
	}
	return p
}

// Registration returns a made-up UK-style registration, like "KM19 XTR".
func (g *Generator) Registration() string { return plate(g) }

// DramaPhone returns a number in Ofcom's range reserved for drama (07700 900000 to
// 07700 900999), typed one of the ways people type it; none can reach a real phone.
func (g *Generator) DramaPhone() string {
	n := g.IntN(1000)
	switch g.IntN(4) {
	case 0:
		return fmt.Sprintf("07700900%03d", n)
	case 1:
		return fmt.Sprintf("+44 7700 900%03d", n)
	}
	return fmt.Sprintf("07700 900%03d", n)
}

func sharedWith(c *demoCase, t *team) bool {
	return c.sharedTo[t.agency.ID] != nil
}

// LongTailName returns a made-up name for large synthetic populations, such as
// benchmarks': given and family names from every pool regardless of nationality,
// and most family names (and some given ones) coined from syllables, so that, as in
// a real population, a family name is shared by a few people in a thousand at most
// and a full name by a handful.
func (g *Generator) LongTailName() (given, family string) {
	if g.IntN(10) < 7 {
		p := namePools[g.IntN(len(namePools))]
		given = Pick(g, append(p.female[:len(p.female):len(p.female)], p.male...))
	} else {
		given = coin(g, 2, false)
	}
	if g.IntN(10) < 3 {
		family = Pick(g, namePools[g.IntN(len(namePools))].family)
	} else {
		family = coin(g, 2+g.IntN(2), true)
	}
	return given, family
}

var (
	syllables = []string{"ka", "lo", "mi", "ra", "ve", "dan", "bor", "tes", "hal", "mer", "vik", "sor", "len", "tam", "ri", "zo",
		"ga", "nel", "pa", "dru", "an", "el", "is", "or", "ul", "bre", "cas", "dor", "fen", "gil", "hor", "jan", "kel", "lin",
		"mor", "nov", "pel", "quin", "ros", "sel", "tor", "val", "wen", "yar", "zel", "ba", "ce", "du"}
	endings = []string{"", "", "", "", "son", "ová", "escu", "ski", "ley", "ić", "er", "ton", "ez", "ą", "ë"}
)

func coin(g *Generator, n int, ending bool) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(Pick(g, syllables))
	}
	if ending {
		b.WriteString(Pick(g, endings))
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}
