package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"tropic/internal/demo"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// runBenchNetwork times the analysts' network page, searched, filtered and
// expanded, over real HTTP on a database the size of a large partnership's.
func runBenchNetwork(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench network", "[options]", `Generate cases and people in bulk into a fresh database (as bench cases does: shared
phones, vehicles and businesses join them), then time the analysts' partnership network
page as the demo analyst: GET /analysis/network over real HTTP on loopback, signed in,
one request after another, each a search for a phone, vehicle, postcode or business
name found on the cases, filtered to the cases opened in the last three years, with one
record two steps from the one searched for expanded. The page walks from the record
found, draws the nearest records and lists every record found.

The database is TROPIC_DATABASE_URL: a SQLite file that does not exist yet, or a
postgres:// URL whose role may create databases (a fresh database is made there
and dropped afterwards). Without it, a temporary SQLite file is used and removed.
The baseline is GET /healthz on the same server (HTTP and middleware, no database),
and x_baseline is the p95 over the baseline's, for each kind of search and all. The last line reads
network_p95_ms=N; the target is under 200 ms.`)
	nCases := fs.Int("cases", 200000, "cases to generate")
	nPeople := fs.Int("people", 600000, "people to generate (some are on more than one case)")
	runs := fs.Int("runs", 100, "timed requests, searches of each kind in turn")
	seed := fs.Uint64("seed", 1, "seed of the data generator")
	keep := fs.Bool("keep", false, "keep the database afterwards")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *nCases < 10 || *nPeople < *nCases || *runs < 1 {
		return usageError("--cases must be at least 10, --people at least --cases, and --runs at least 1")
	}
	db, done, err := openBench(ctx, e, "network", *keep)
	if err != nil {
		return err
	}
	defer done()

	svc := newServices(db)
	const password = "bench network password"
	if err := seedBenchAccounts(ctx, svc, password, *seed); err != nil {
		return err
	}
	agencies, err := svc.agencies.FindAgencies(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	gen := newCaseGen(*seed, agencies, agencies[0].ID, *runs)
	if err := gen.load(ctx, db, *nCases, *nPeople); err != nil {
		return err
	}
	settle := "ANALYZE"
	if db.Dialect() == store.Postgres {
		settle = "VACUUM ANALYZE"
	}
	if _, err := db.SQL().ExecContext(ctx, settle); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "loaded %d cases, %d people (%d links of people to cases), %d phones, %d vehicles in %.1fs\n",
		*nCases, gen.people, gen.links, gen.phones, gen.vehicles, time.Since(start).Seconds())

	base, stop, err := benchServe(svc)
	if err != nil {
		return err
	}
	defer stop()
	c, err := benchSignIn(ctx, base, "analyst.county@"+demo.EmailDomain, password)
	if err != nil {
		return err
	}
	baseline, err := timePage(ctx, http.DefaultClient, base+"/healthz", *runs)
	if err != nil {
		return err
	}
	from := time.Now().AddDate(-3, 0, 0).Format(time.DateOnly)
	addresses, err := networkBenchAddresses(ctx, c, base, gen, from, *runs)
	if err != nil {
		return err
	}
	var r searchTimes
	byKind := map[string]*searchTimes{}
	for _, a := range addresses {
		t, err := timePage(ctx, c, base+a, 1)
		if err != nil {
			return err
		}
		r.times = append(r.times, t.times...)
		u, _ := url.Parse(a)
		k := "network_" + u.Query().Get("by")
		if byKind[k] == nil {
			byKind[k] = &searchTimes{}
		}
		byKind[k].times = append(byKind[k].times, t.times...)
	}
	slices.Sort(r.times)
	row := func(name string, t searchTimes) {
		slices.Sort(t.times)
		p95 := ms(t.at(0.95))
		fmt.Fprintf(e.stdout, "%-18s %5d %9.2f %9.2f %9.2f %10.1f\n", name, len(t.times), ms(t.at(0.5)), p95, ms(t.at(1)), p95/max(ms(baseline.at(0.95)), 0.001))
	}
	fmt.Fprintf(e.stdout, "%-18s %5s %9s %9s %9s %10s\n", "page", "runs", "p50_ms", "p95_ms", "max_ms", "x_baseline")
	row("baseline", baseline)
	for _, k := range tropic.NetworkSearchKinds {
		if t := byKind["network_"+k]; t != nil {
			row("network_"+k, *t)
		}
	}
	row("network", r)
	p95 := ms(r.at(0.95))
	fmt.Fprintf(e.stdout, "network_p95_ms=%.1f\n", p95)
	return nil
}

// expandLink finds, in the page, the address of a record's expansion.
var expandLink = regexp.MustCompile(`href="(/analysis/network\?[^"]*expand=[^"]*)"`)

// networkBenchAddresses makes n addresses of the network page: a search of each
// kind in turn for a value on the generated cases, filtered to cases opened from
// from, with the last record the search lists not yet expanded expanded (found by
// an untimed request of the search itself).
func networkBenchAddresses(ctx context.Context, c *http.Client, base string, gen *caseGen, from string, n int) ([]string, error) {
	var out []string
	for i := 0; len(out) < n; i++ {
		if i > 20*n {
			return nil, fmt.Errorf("found no record to expand in %d searches", i)
		}
		g := gen.pick
		v := url.Values{"from": {from}}
		side := g.IntN(2)
		switch i % 4 {
		case 0:
			if len(gen.numbers[side].items) == 0 {
				continue
			}
			v.Set("by", tropic.NetworkByPhone)
			v.Set("q", gen.numbers[side].pick(g).typed(g.IntN(3)))
		case 1:
			if len(gen.plates[side].items) == 0 {
				continue
			}
			v.Set("by", tropic.NetworkByVehicle)
			v.Set("q", gen.plates[side].pick(g))
		case 2:
			k := strings.SplitN(demo.Pick(g, benchBusinesses.kinds), ":", 2)
			v.Set("by", tropic.NetworkByBusiness)
			v.Set("q", demo.Pick(g, benchBusinesses.first)+" "+k[1])
		case 3:
			v.Set("by", tropic.NetworkByPostcode)
			v.Set("q", fmt.Sprintf("%s %d%c%c", demo.Pick(g, benchOutward), g.IntN(10), 'A'+rune(g.IntN(26)), 'A'+rune(g.IntN(26))))
		}
		page, err := getPage(ctx, c, base+"/analysis/network?"+v.Encode())
		if err != nil {
			return nil, err
		}
		links := expandLink.FindAllStringSubmatch(page, -1)
		if len(links) == 0 {
			continue
		}
		out = append(out, html.UnescapeString(links[len(links)-1][1]))
	}
	return out, nil
}

// getPage GETs a page that must answer 200 and returns it.
func getPage(ctx context.Context, c *http.Client, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	res, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %d", u, res.StatusCode)
	}
	return string(b), nil
}
