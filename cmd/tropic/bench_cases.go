package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"tropic/internal/auth"
	"tropic/internal/demo"
	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// runBenchCases measures the case search at the size of a large partnership's
// history: cases and people are generated and written in bulk (store.CaseLoader, the
// store's own tables and search terms), then Search is timed as one agency's
// caseworker, who sees its own cases and those shared with it, looking up people by
// name, phones and vehicle registrations typed the ways people type them.
func runBenchCases(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench cases", "[options]", `Generate cases and people in bulk into a fresh database, then time the case search by
person name, phone and vehicle registration as a caseworker of one agency.

The database is TROPIC_DATABASE_URL: a SQLite file that does not exist yet, or a
postgres:// URL whose role may create databases (a fresh database is made there
and dropped afterwards). Without it, a temporary SQLite file is used and removed.
The last line reads name_p95_ms=N phone_p95_ms=N registration_p95_ms=N.`)
	nCases := fs.Int("cases", 200000, "cases to generate")
	nPeople := fs.Int("people", 600000, "people to generate (some are on more than one case)")
	queries := fs.Int("queries", 500, "searches of each kind")
	limit := fs.Int("limit", 20, "hits each search asks for, as the search page does")
	as := fs.String("as", "police", "whose caseworker searches: police, county, stalbans, watford or charity")
	seed := fs.Uint64("seed", 1, "seed of the data generator")
	keep := fs.Bool("keep", false, "keep the database afterwards")
	slowest := fs.Int("slowest", 0, "list this many of the slowest searches of each kind")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the load and the searches to this file")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *nCases < 10 || *nPeople < *nCases || *queries < 1 {
		return usageError("--cases must be at least 10, --people at least --cases, and --queries at least 1")
	}
	dsn, cleanup, err := benchDatabase(e.getenv("TROPIC_DATABASE_URL"), *keep)
	if err != nil {
		return err
	}
	defer cleanup()
	db, err := openBenchDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := newServices(db)
	hash, err := auth.HashPassword("bench-no-sign-in", auth.Params{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		return err
	}
	if _, err := demo.Seed(ctx, demo.Services{Agencies: svc.agencies, Users: svc.users}, demo.Options{Seed: *seed, PasswordHash: hash}); err != nil {
		return err
	}
	u, err := svc.users.FindUserByEmail(ctx, "caseworker."+*as+"@"+demo.EmailDomain)
	if err != nil {
		return usageError(fmt.Sprintf("--as %q: no such demo agency (police, county, stalbans, watford or charity)", *as))
	}
	actor := tropic.ActorFor(u)
	agencies, err := svc.agencies.FindAgencies(ctx)
	if err != nil {
		return err
	}
	what := "SQLite " + dsn
	if db.Dialect() == store.Postgres {
		what = "PostgreSQL " + redactURL(dsn)
	}
	fmt.Fprintf(e.stdout, "tropic bench cases: %s\n", what)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	start := time.Now()
	gen := newCaseGen(*seed, agencies, actor.AgencyID, *queries)
	if err := gen.load(ctx, db, *nCases, *nPeople); err != nil {
		return err
	}
	loadTime := time.Since(start)
	fmt.Fprintf(e.stdout, "loaded %d cases, %d people (%d links of people to cases), %d phones, %d vehicles, %d shares in %.1fs\n",
		*nCases, gen.people, gen.links, gen.phones, gen.vehicles, gen.shares, loadTime.Seconds())
	fmt.Fprintf(e.stdout, "searching as %s of %s, who sees %d cases (%d own, %d shared with it); %d hits a search\n",
		u.Email, agencyName(agencies, actor.AgencyID), gen.own+gen.sharedIn, gen.own, gen.sharedIn, *limit)

	fmt.Fprintf(e.stdout, "%-13s %7s %15s %9s %9s %9s %9s\n", "kind", "queries", "found_visible", "mean_hits", "p50_ms", "p95_ms", "max_ms")
	p95 := map[string]float64{}
	for _, kind := range []string{"name", "phone", "registration"} {
		r, err := timeSearches(ctx, svc.cases, actor, gen.queries(kind, *queries), *limit)
		if err != nil {
			return err
		}
		p95[kind] = ms(r.at(0.95))
		fmt.Fprintf(e.stdout, "%-13s %7d %15s %9.1f %9.2f %9.2f %9.2f\n", kind, len(r.times), fmt.Sprintf("%d/%d", r.found, r.visible),
			float64(r.hits)/float64(len(r.times)), ms(r.at(0.50)), ms(r.at(0.95)), ms(r.at(1)))
		for _, q := range r.slowest[:min(*slowest, len(r.slowest))] {
			fmt.Fprintf(e.stdout, "  %8.2f ms  %q\n", ms(q.took), q.text)
		}
	}
	// Person matching in the store: the possible matches of a case's people, found by
	// blocking on indexed keys over every person of every agency and scored with the
	// model, as the case's matches page does (a write transaction: it stores them).
	mt, err := timeSuggestions(ctx, svc, actor, *queries)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%-13s %7d %15s %9.1f %9.2f %9.2f %9.2f\n", "person_match", len(mt.times), "-",
		float64(mt.hits)/float64(max(1, len(mt.times))), ms(mt.at(0.50)), ms(mt.at(0.95)), ms(mt.at(1)))
	fmt.Fprintf(e.stdout, "load_s=%.1f person_match_p99_ms=%.1f\n", loadTime.Seconds(), ms(mt.at(0.99)))
	fmt.Fprintf(e.stdout, "name_p95_ms=%.1f phone_p95_ms=%.1f registration_p95_ms=%.1f\n", p95["name"], p95["phone"], p95["registration"])
	return nil
}

// searchTimes are the times of one kind of search, fastest first.
type searchTimes struct {
	times          []time.Duration
	slowest        []benchQuery // slowest first
	found, visible int          // searches for a value on a visible case, and those that found a case
	hits           int
}

// at returns the time at quantile q.
func (r searchTimes) at(q float64) time.Duration {
	if len(r.times) == 0 {
		return 0
	}
	return r.times[min(len(r.times)-1, int(q*float64(len(r.times))))]
}

// timeSuggestions times the possible person matches of up to n of the actor's own
// cases (hits: suggestions found).
func timeSuggestions(ctx context.Context, svc *services, actor tropic.Actor, n int) (searchTimes, error) {
	var r searchTimes
	cases, _, err := svc.cases.FindCases(ctx, actor, tropic.CaseFilter{Scope: "ours", Limit: n})
	if err != nil {
		return r, err
	}
	for _, c := range cases {
		t0 := time.Now()
		got, err := svc.matches.Suggestions(ctx, actor, c.Reference)
		if err != nil {
			return r, fmt.Errorf("suggestions for %s: %w", c.Reference, err)
		}
		r.times, r.hits = append(r.times, time.Since(t0)), r.hits+len(got)
	}
	sort.Slice(r.times, func(i, j int) bool { return r.times[i] < r.times[j] })
	return r, nil
}

// timeSearches runs the searches one after another, as one user would, after a few
// untimed ones such as a running server would have made.
func timeSearches(ctx context.Context, cases tropic.CaseService, actor tropic.Actor, qs []benchQuery, limit int) (searchTimes, error) {
	var r searchTimes
	for _, q := range qs[:min(20, len(qs))] {
		if _, err := cases.Search(ctx, actor, q.text, limit); err != nil {
			return r, fmt.Errorf("search %q: %w", q.text, err)
		}
	}
	for _, q := range qs {
		t0 := time.Now()
		res, err := cases.Search(ctx, actor, q.text, limit)
		q.took = time.Since(t0)
		if err != nil {
			return r, fmt.Errorf("search %q: %w", q.text, err)
		}
		r.times, r.slowest, r.hits = append(r.times, q.took), append(r.slowest, q), r.hits+len(res)
		if q.visible {
			r.visible++
			if len(res) > 0 {
				r.found++
			}
		}
	}
	sort.Slice(r.times, func(i, j int) bool { return r.times[i] < r.times[j] })
	sort.Slice(r.slowest, func(i, j int) bool { return r.slowest[i].took > r.slowest[j].took })
	return r, nil
}

func agencyName(agencies []*tropic.Agency, id int64) string {
	for _, a := range agencies {
		if a.ID == id {
			return a.Name
		}
	}
	return fmt.Sprint(id)
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(a PostgreSQL URL)"
	}
	return u.Redacted()
}

// benchDatabase returns the DSN of a fresh database for the benchmark and what removes
// it: a new temporary SQLite file by default; a SQLite path only if nothing is there;
// for a PostgreSQL URL, a new database beside the one named, dropped afterwards.
func benchDatabase(dsn string, keep bool) (string, func(), error) {
	switch {
	case dsn == "":
		dir, err := os.MkdirTemp("", "tropic-bench-cases-")
		if err != nil {
			return "", nil, err
		}
		if keep {
			return filepath.Join(dir, "tropic.db"), func() {}, nil
		}
		return filepath.Join(dir, "tropic.db"), func() { os.RemoveAll(dir) }, nil
	case store.IsPostgresURL(dsn):
		u, err := url.Parse(dsn)
		if err != nil {
			return "", nil, fmt.Errorf("TROPIC_DATABASE_URL: %w", err)
		}
		b := make([]byte, 6)
		rand.Read(b)
		name := "tropic_bench_" + hex.EncodeToString(b) // hex digits only: safe to splice in
		if err := pgAdminExec(dsn, `CREATE DATABASE `+name); err != nil {
			return "", nil, fmt.Errorf("create benchmark database: %w", err)
		}
		u.Path = "/" + name
		if keep {
			return u.String(), func() {}, nil
		}
		return u.String(), func() { pgAdminExec(dsn, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`) }, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite://")
	if _, err := os.Stat(path); err == nil {
		return "", nil, fmt.Errorf("tropic bench cases: %s exists already; the benchmark loads a fresh database (name a new file)", path)
	}
	return path, func() {}, nil
}

func pgAdminExec(admin, stmt string) error {
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = conn.ExecContext(ctx, stmt)
	return err
}

// dramaRange is a block of 1,000 numbers Ofcom keeps for drama: none reaches a real
// phone. Typed, a number is area, then middle, then the last digits.
type dramaRange struct{ area, middle, first string }

var dramaRanges = []dramaRange{
	{"07700", "900", ""}, {"020", "7946", "0"}, {"0113", "496", "0"}, {"0114", "496", "0"}, {"0115", "496", "0"},
	{"0116", "496", "0"}, {"0117", "496", "0"}, {"0118", "496", "0"}, {"0121", "496", "0"}, {"0131", "496", "0"},
	{"0141", "496", "0"}, {"0151", "496", "0"}, {"0161", "496", "0"}, {"0191", "498", "0"}, {"028", "9649", "6"},
	{"029", "2018", "0"}, {"01632", "960", ""}, {"0306", "999", "0"}, {"0808", "157", "0"}, {"0909", "879", "0"},
}

// dramaNumber is one number of a drama range: range r, number n (0-999).
type dramaNumber struct{ r, n int }

func (d dramaNumber) national() (area, rest string) {
	dr := dramaRanges[d.r]
	return dr.area, dr.middle + " " + dr.first + fmt.Sprintf("%03d", d.n)
}

// typed writes the number one of the ways people type phone numbers.
func (d dramaNumber) typed(style int) string {
	area, rest := d.national()
	switch style % 6 {
	case 0:
		return area + " " + rest
	case 1:
		return strings.ReplaceAll(area+rest, " ", "")
	case 2:
		return "+44 " + area[1:] + " " + rest
	case 3:
		return "+44" + strings.ReplaceAll(area[1:]+rest, " ", "")
	case 4:
		return "0044 " + area[1:] + " " + rest
	}
	return "(" + area + ") " + strings.ReplaceAll(rest, " ", "-")
}

// caseGen generates the benchmark's cases and keeps samples of what it made to
// search for: values on cases the searcher sees, and on cases it does not.
type caseGen struct {
	g        *demo.Generator
	pick     *demo.Generator // for the samples and queries, so that the data do not depend on their number
	agencies []*tropic.Agency
	weights  []int
	viewer   int64
	police   *tropic.Agency
	sample   int

	recent map[int64][]*tropic.Person // people recently recorded per owner, to meet again
	parsed map[string]string          // memo of phone.Parse: numbers repeat
	regs   map[string]bool

	people, links, phones, vehicles, shares, own, sharedIn int

	// Samples of the values made, on cases the searcher sees [0] and does not [1].
	names   [2]reservoir[*tropic.Person]
	numbers [2]reservoir[dramaNumber]
	plates  [2]reservoir[string]
}

func newCaseGen(seed uint64, agencies []*tropic.Agency, viewer int64, queries int) *caseGen {
	gen := &caseGen{g: demo.NewGenerator(seed), pick: demo.NewGenerator(seed ^ 0x5eed), agencies: agencies, viewer: viewer, sample: queries,
		recent: map[int64][]*tropic.Person{}, parsed: map[string]string{}, regs: map[string]bool{}}
	// Who owns cases: the police unit most, the county and each district council some,
	// the NHS trust and the charity a few.
	for _, a := range agencies {
		w := 0
		switch a.Kind {
		case tropic.AgencyPolice:
			w, gen.police = 30, a
		case tropic.AgencyCountyCouncil:
			w = 12
		case tropic.AgencyDistrictCouncil:
			w = 4
		case tropic.AgencyCharity, tropic.AgencyHealth:
			w = 6
		}
		gen.weights = append(gen.weights, w)
	}
	return gen
}

func (gen *caseGen) parsePhone(s string) (string, error) {
	if e, ok := gen.parsed[s]; ok {
		return e, nil
	}
	e, err := phone.Parse(s)
	if err == nil {
		gen.parsed[s] = e
	}
	return e, err
}

func (gen *caseGen) owner() *tropic.Agency {
	total := 0
	for _, w := range gen.weights {
		total += w
	}
	pick := gen.g.IntN(total)
	for i, w := range gen.weights {
		if pick < w {
			return gen.agencies[i]
		}
		pick -= w
	}
	return gen.agencies[0]
}

var benchBusinesses = struct{ first, kinds []string }{
	[]string{"Sparkle", "Diamond", "Golden", "Lotus", "Star", "Royal", "Quick", "Bright", "Phoenix", "Green", "Crystal", "Silver",
		"Premier", "Elite", "Sunrise", "Lucky", "Orchid", "Kingsway", "Riverside", "Oakfield"},
	[]string{"car_wash:Hand Car Wash", "car_wash:Car Valeting", "nail_bar:Nails", "nail_bar:Nail Bar & Spa", "hospitality:Takeaway",
		"food_processing:Packing Ltd", "agriculture:Growers", "recruitment:Recruitment Solutions", "brothel:Massage Studio",
		"construction:Building Services", "other:Food & Wine"},
}

var benchStreets = []string{"High Street", "Victoria Street", "London Road", "Station Road", "Church Lane", "Hatfield Road",
	"Queens Road", "Mill Lane", "The Parade", "Park Avenue", "Bridge Street", "Market Place", "North Road", "Green Lane"}

var benchOutward = []string{"AL1", "AL3", "AL4", "AL5", "AL7", "AL8", "AL10", "EN6", "EN8", "EN10", "EN11", "HP1", "HP2", "HP3",
	"SG1", "SG2", "SG4", "SG5", "SG12", "SG13", "WD3", "WD6", "WD17", "WD18", "WD19", "WD24", "WD25", "CM23"}

// number returns a number of the drama ranges but the last, which is kept for
// searches that should find nothing.
func (gen *caseGen) number() dramaNumber {
	return dramaNumber{gen.g.IntN(len(dramaRanges) - 1), gen.g.IntN(1000)}
}

// load generates n cases holding people new people in all and bulk-loads them into db.
func (gen *caseGen) load(ctx context.Context, db *store.DB, n, people int) error {
	loader, err := db.NewCaseLoader(ctx, gen.parsePhone, "tropic bench", time.Now())
	if err != nil {
		return err
	}
	if err := gen.generate(ctx, loader, n, people); err != nil {
		loader.Abort()
		return err
	}
	return loader.Close(ctx)
}

// generate makes n cases holding people new people in all (a few more places on
// cases, as some people are met again), and loads them.
func (gen *caseGen) generate(ctx context.Context, l *store.CaseLoader, n, people int) error {
	g := gen.g
	now := time.Now().UTC()
	// How many new people each case gets: one to five, adjusted to the total.
	counts := make([]int, n)
	sum := 0
	for i := range counts {
		counts[i] = 1 + g.IntN(5)
		sum += counts[i]
	}
	for sum != people {
		i := g.IntN(n)
		if sum < people {
			counts[i]++
			sum++
		} else if counts[i] > 1 {
			counts[i]--
			sum--
		}
	}
	for i := 0; i < n; i++ {
		if err := l.Add(ctx, gen.makeCase(counts[i], now)); err != nil {
			return err
		}
	}
	return nil
}

var benchTypes = []tropic.ExploitationType{tropic.ExploitLabour, tropic.ExploitLabour, tropic.ExploitSexual, tropic.ExploitSexual,
	tropic.ExploitCriminal, tropic.ExploitDomestic, tropic.ExploitNotSpecified}

// makeCase makes one case with newPeople people new to the data, and notes samples
// of its names, phones and registrations to search for.
func (gen *caseGen) makeCase(newPeople int, now time.Time) *store.BulkCase {
	g := gen.g
	owner := gen.owner()
	opened := now.Add(-time.Duration(1+g.IntN(6*365*24)) * time.Hour)
	bc := &store.BulkCase{}
	c := &bc.Case
	c.OwnerAgencyID, c.OpenedAt = owner.ID, opened
	c.UpdatedAt = opened.Add(time.Duration(g.IntN(max(1, int(now.Sub(opened).Hours())))) * time.Hour)
	c.Exploitation.Types = []tropic.ExploitationType{demo.Pick(g, benchTypes)}
	c.Exploitation.CountyLines = c.Exploitation.Types[0] == tropic.ExploitCriminal && g.IntN(2) == 0
	d := demo.Pick(g, demo.Districts)
	c.District = d.Slug
	switch r := g.IntN(20); {
	case r < 11:
		c.Status, c.Outcome, c.ClosedAt = tropic.CaseClosed, demo.Pick(g, tropic.CaseOutcomes).Key, c.UpdatedAt
	case r < 17:
		c.Status = tropic.CaseActive
	}
	if g.IntN(5) == 0 {
		c.CrimeReference, c.Offence = fmt.Sprintf("41/%05d/%02d", g.IntN(100000), opened.Year()%100), demo.Pick(g, tropic.Offences)
	}
	street := demo.Pick(g, benchStreets)
	kind := strings.ReplaceAll(c.Exploitation.Label(), "Not specified or unknown", "Suspected")
	var business string
	if g.IntN(5) < 2 {
		k := strings.SplitN(demo.Pick(g, benchBusinesses.kinds), ":", 2)
		business = demo.Pick(g, benchBusinesses.first) + " " + k[1]
		bc.Businesses = append(bc.Businesses, &tropic.Business{Name: business, Kind: k[0], Address: fmt.Sprintf("%d %s, %s", 1+g.IntN(200), street, d.Name)})
		c.Title = fmt.Sprintf("%s exploitation at %s, %s", kind, business, d.Name)
	} else {
		c.Title = fmt.Sprintf("%s exploitation, %s, %s", kind, street, d.Name)
	}
	bc.Places = append(bc.Places, &tropic.Place{Kind: "home", Address: fmt.Sprintf("%d %s, %s", 1+g.IntN(200), street, d.Name),
		Postcode: fmt.Sprintf("%s %d%c%c", demo.Pick(g, benchOutward), g.IntN(10), 'A'+rune(g.IntN(26)), 'A'+rune(g.IntN(26)))})
	// Shares: one case in five, mostly with the police when another agency owns it.
	visible := owner.ID == gen.viewer
	if g.IntN(5) == 0 {
		to := gen.agencies[g.IntN(len(gen.agencies))]
		if owner.ID != gen.police.ID && g.IntN(2) == 0 {
			to = gen.police
		}
		if to.ID != owner.ID {
			s := &tropic.Share{AgencyID: to.ID, Scope: tropic.ShareWhole, LawfulBasis: "gdpr_6_1_e", Reason: "Joint work on the case.",
				Status: tropic.ShareActive, CreatedAt: opened.Add(48 * time.Hour)}
			if g.IntN(5) < 2 {
				s.Scope = tropic.ShareWithoutSensitive
			}
			switch r := g.IntN(20); {
			case r < 2:
				s.Status = tropic.ShareRevoked
			case r < 4:
				s.Status = tropic.ShareRequested
			case r < 5:
				s.Status = tropic.ShareDeclined
			}
			if g.IntN(5) == 0 {
				s.Until = opened.AddDate(0, 6, 0).Format(time.DateOnly)
			}
			bc.Shares = append(bc.Shares, s)
			gen.shares++
			if to.ID == gen.viewer && s.Live(now) {
				visible = true
				gen.sharedIn++
			}
		}
	}
	if owner.ID == gen.viewer {
		gen.own++
	}
	side := 1
	if visible {
		side = 0
	}
	// People: a potential victim first, then victims, suspects and witnesses; now
	// and then someone the owner recorded before.
	for j := 0; j < newPeople; j++ {
		role := tropic.RolePotentialVictim
		if j > 0 {
			switch n := g.IntN(20); {
			case n < 6:
				role = tropic.RoleSuspect
			case n < 9:
				role = tropic.RoleWitness
			}
		}
		p := g.Person(opened, 16, 60)
		p.GivenName, p.FamilyName = g.LongTailName()
		if g.IntN(10) < 3 {
			num := gen.number()
			p.Phone = num.typed(g.IntN(3))
			gen.numbers[side].offer(gen.pick, gen.sample, num)
		}
		if role == tropic.RoleSuspect && g.IntN(4) == 0 {
			p.Aliases = []string{demo.Pick(g, []string{"Boss", "Big Man", "Uncle", "The Driver", "Mama", "Tony", "Chef", "Sasha", "Gigi"})}
		}
		bc.People = append(bc.People, store.BulkPerson{Person: p, Role: role})
		gen.people++
		gen.names[side].offer(gen.pick, gen.sample, p)
		gen.recent[owner.ID] = append(gen.recent[owner.ID], p)
		if r := gen.recent[owner.ID]; len(r) > 400 {
			gen.recent[owner.ID] = r[200:]
		}
	}
	if r := gen.recent[owner.ID]; g.IntN(10) == 0 && len(r) > 20 {
		p := r[g.IntN(len(r)-newPeople)]
		bc.People = append(bc.People, store.BulkPerson{Person: p, Role: demo.Pick(g, []tropic.PersonRole{tropic.RolePotentialVictim, tropic.RoleSuspect})})
	}
	gen.links += len(bc.People)
	for k := 0; k < 1+g.IntN(3)/2; k++ {
		if g.IntN(10) < 6 {
			num := gen.number()
			bc.Phones = append(bc.Phones, &tropic.CasePhone{Number: num.typed(g.IntN(3)), Notes: "Used to arrange work"})
			gen.phones++
			gen.numbers[side].offer(gen.pick, gen.sample, num)
		}
	}
	for k := 0; k < 1+g.IntN(4)/3; k++ {
		if g.IntN(2) == 0 {
			reg := g.Registration()
			bc.Vehicles = append(bc.Vehicles, &tropic.CaseVehicle{Registration: reg, Description: "white van"})
			gen.vehicles++
			norm, _ := tropic.NormaliseRegistration(reg)
			gen.regs[norm] = true
			gen.plates[side].offer(gen.pick, gen.sample, reg)
		}
	}
	return bc
}

// reservoir keeps an even sample of up to size values of a stream (Algorithm R).
type reservoir[T any] struct {
	items []T
	seen  int
}

func (r *reservoir[T]) offer(g *demo.Generator, size int, v T) {
	r.seen++
	if len(r.items) < size {
		r.items = append(r.items, v)
	} else if j := g.IntN(r.seen); j < size {
		r.items[j] = v
	}
}

func (r *reservoir[T]) pick(g *demo.Generator) T { return r.items[g.IntN(len(r.items))] }

type benchQuery struct {
	text    string
	visible bool // the value is on a case the searcher sees
	took    time.Duration
}

// absentFamilies are family names no generated person has.
var absentFamilies = []string{"Thistlewood", "Quenby", "Marchbanks", "Yarrowby", "Pendergast", "Wolstenholme", "Fairweather", "Ashdown"}

// queries returns n searches of a kind: seven in ten for values on cases the
// searcher sees, typed in various ways; the rest for values on cases it does not
// see, or on no case at all.
func (gen *caseGen) queries(kind string, n int) []benchQuery {
	g := gen.pick
	var out []benchQuery
	for i := 0; i < n; i++ {
		side := 0 // visible
		switch r := g.IntN(20); {
		case r >= 17:
			side = 2 // absent
		case r >= 14:
			side = 1 // exists, not visible
		}
		if side < 2 && ((kind == "name" && len(gen.names[side].items) == 0) || (kind == "phone" && len(gen.numbers[side].items) == 0) ||
			(kind == "registration" && len(gen.plates[side].items) == 0)) {
			side = 2
		}
		q := benchQuery{visible: side == 0}
		switch kind {
		case "name":
			var given, family string
			if side < 2 {
				p := gen.names[side].pick(g)
				given, family = p.GivenName, p.FamilyName
			} else {
				given, _ = g.LongTailName()
				family = demo.Pick(g, absentFamilies)
			}
			switch i % 5 {
			case 0:
				q.text = given + " " + family
			case 1:
				q.text = tropic.FoldName(given + " " + family) // no accents, lower case
			case 2:
				q.text = family + " " + given
			case 3:
				q.text = strings.ToUpper(family) + ", " + given
			default:
				q.text = family // the family name alone
			}
		case "phone":
			var num dramaNumber
			if side < 2 {
				num = gen.numbers[side].pick(g)
			} else {
				num = dramaNumber{len(dramaRanges) - 1, g.IntN(1000)}
			}
			q.text = num.typed(i)
		case "registration":
			var reg string
			if side < 2 {
				reg = gen.plates[side].pick(g)
			} else {
				for reg = g.Registration(); gen.regs[strings.ReplaceAll(reg, " ", "")]; reg = g.Registration() {
				}
			}
			norm := strings.ReplaceAll(reg, " ", "")
			switch i % 5 {
			case 0:
				q.text = reg
			case 1:
				q.text = norm
			case 2:
				q.text = strings.ToLower(reg)
			case 3:
				q.text = norm[:2] + " " + norm[2:4] + " " + norm[4:]
			default:
				q.text = norm[:4] + "-" + norm[4:]
			}
		}
		out = append(out, q)
	}
	return out
}
