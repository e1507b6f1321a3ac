package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"time"

	"tropic/internal/demo"
	"tropic/internal/store"
)

// benchPage is one staff list page to time: its name, whose demo account reads it
// (the part before @, as "triage.police"), and its address.
type benchPage struct{ name, as, path string }

// benchPages are the staff list pages of issue 12, item 13, each read by the demo
// account that works it. A new list page is one more line here.
var benchPages = []benchPage{
	{"triage_queue", "triage.police", "/triage"},
	{"cases", "caseworker.police", "/cases"},
	{"referrals", "caseworker.police", "/referrals"},
	{"inbox", "caseworker.police", "/inbox"},
	{"approvals", "supervisor.police", "/approvals"},
	{"notifications", "caseworker.police", "/notifications"},
}

// benchPageOpen is one report in this many left open (new) in the triage queue;
// the others are decided, as in a partnership some years old.
const benchPageOpen = 50

// runBenchPages times every staff list page over real HTTP on loopback, on a
// database the size of a large partnership's history.
func runBenchPages(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench pages", "[options]", `Generate reports, cases, people and NRM referrals in bulk into a fresh database with
the demo partnership's agencies and users, then time every staff list page (the triage
queue, cases, NRM referrals, ...) as the demo account that works it: GET over real
HTTP on loopback, signed in, one request after another.

The database is TROPIC_DATABASE_URL: a SQLite file that does not exist yet, or a
postgres:// URL whose role may create databases (a fresh database is made there
and dropped afterwards). Without it, a temporary SQLite file is used and removed.
The baseline is GET /healthz on the same server (HTTP and middleware, no database),
and each page's x_baseline is its p95 over the baseline's. One report in 50 is open
in the queue. The last line reads slowest_page=NAME p95_ms=N; the target is under
50 ms on both databases.`)
	nReports := fs.Int("reports", 1000000, "reports to generate")
	nCases := fs.Int("cases", 200000, "cases to generate (owned by the police unit, whose caseworker reads them)")
	nPeople := fs.Int("people", 600000, "people to generate, on the cases in turn")
	nReferrals := fs.Int("referrals", 100000, "NRM referrals to generate (one in five a Duty to Notify report)")
	runs := fs.Int("runs", 50, "timed requests of each page")
	keep := fs.Bool("keep", false, "keep the database afterwards")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *nReports < benchPageOpen || *nCases < 1 || *nReferrals < 1 || *nReferrals > *nCases || *nPeople < *nReferrals || *runs < 1 {
		return usageError(fmt.Sprintf("--reports must be at least %d, --cases, --referrals and --runs at least 1, --referrals at most --cases, and --people at least --referrals", benchPageOpen))
	}
	db, done, err := openBench(ctx, e, "pages", *keep)
	if err != nil {
		return err
	}
	defer done()

	svc := newServices(db)
	const password = "bench pages password"
	start := time.Now()
	if err := seedBenchAccounts(ctx, svc, password, 1); err != nil {
		return err
	}
	if err := pagesLoad(ctx, db, *nReports, *nCases, *nPeople, *nReferrals); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "loaded %d reports (%d open), %d cases, %d people, %d referrals in %.1fs\n",
		*nReports, *nReports/benchPageOpen, *nCases, *nPeople, *nReferrals, time.Since(start).Seconds())

	base, stop, err := benchServe(svc)
	if err != nil {
		return err
	}
	defer stop()

	fmt.Fprintf(e.stdout, "%-14s %-48s %5s %9s %9s %9s %10s\n", "page", "as", "runs", "p50_ms", "p95_ms", "max_ms", "x_baseline")
	clients := map[string]*http.Client{}
	baseline, err := timePage(ctx, http.DefaultClient, base+"/healthz", *runs)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%-14s %-48s %5d %9.2f %9.2f %9.2f %10.1f\n", "baseline", "(GET /healthz)", *runs,
		ms(baseline.at(0.5)), ms(baseline.at(0.95)), ms(baseline.at(1)), 1.0)
	slowest, slowestP95 := "", 0.0
	for _, p := range benchPages {
		c := clients[p.as]
		if c == nil {
			if c, err = benchSignIn(ctx, base, p.as+"@"+demo.EmailDomain, password); err != nil {
				return err
			}
			clients[p.as] = c
		}
		t, err := timePage(ctx, c, base+p.path, *runs)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		p95 := ms(t.at(0.95))
		fmt.Fprintf(e.stdout, "%-14s %-48s %5d %9.2f %9.2f %9.2f %10.1f\n", p.name, p.as+"@"+demo.EmailDomain, *runs,
			ms(t.at(0.5)), p95, ms(t.at(1)), p95/max(ms(baseline.at(0.95)), 0.001))
		if p95 >= slowestP95 {
			slowest, slowestP95 = p.name, p95
		}
	}
	fmt.Fprintf(e.stdout, "slowest_page=%s p95_ms=%.1f\n", slowest, slowestP95)
	return nil
}

// pagesLoad adds to the demo partnership the bulk rows of bench stats (statsLoad:
// the police unit, the first agency, owns the cases and made the referrals), then
// decides all reports but one in benchPageOpen and spreads urgencies over them.
func pagesLoad(ctx context.Context, db *store.DB, nReports, nCases, nPeople, nReferrals int) error {
	if err := statsLoad(ctx, db, time.Now(), nReports, nCases, nPeople, nReferrals); err != nil {
		return err
	}
	// PostgreSQL's autovacuum would mark the updated pages all-visible soon after;
	// without it, the planner does not trust an index-only count.
	settle := "ANALYZE"
	if db.Dialect() == store.Postgres {
		settle = "VACUUM ANALYZE"
	}
	for _, q := range []string{
		fmt.Sprintf(`UPDATE reports SET status = 'no_further_action' WHERE id %% %d <> 0`, benchPageOpen),
		`UPDATE reports SET urgency = 'urgent', urgency_rank = 2 WHERE id % 7 = 0`,
		`UPDATE reports SET urgency = 'emergency', urgency_rank = 1 WHERE id % 101 = 0`,
		settle,
	} {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			return fmt.Errorf("bench pages load: %w\n%s", err, q)
		}
	}
	return nil
}

// benchSignIn signs in over HTTP and returns a client that carries the session.
func benchSignIn(ctx context.Context, base, email, password string) (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := &http.Client{Jar: jar}
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Request.URL.Path, "/staff") {
		return nil, fmt.Errorf("sign in as %s: %d at %s", email, res.StatusCode, res.Request.URL.Path)
	}
	return c, nil
}

// timePage GETs url runs times, one after another, after a few untimed requests;
// every answer must be 200.
func timePage(ctx context.Context, c *http.Client, url string, runs int) (searchTimes, error) {
	var r searchTimes
	get := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		res, err := c.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if _, err := io.Copy(io.Discard, res.Body); err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK || res.Request.URL.Path == "/login" {
			return fmt.Errorf("GET %s: %d at %s", url, res.StatusCode, res.Request.URL.Path)
		}
		return nil
	}
	for range 3 {
		if err := get(); err != nil {
			return r, err
		}
	}
	for range runs {
		t0 := time.Now()
		if err := get(); err != nil {
			return r, err
		}
		r.times = append(r.times, time.Since(t0))
	}
	slices.Sort(r.times)
	return r, nil
}
