package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"tropic/internal/auth"
	"tropic/internal/demo"
	"tropic/internal/store"
	"tropic/internal/tropic"
	"tropic/internal/web"
)

func runBench(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "bench", args, map[string]command{
		"intake":  {"concurrent public form submissions against a bare baseline", runBenchIntake},
		"cases":   {"case search by name, phone and registration over 200,000 bulk-loaded cases", runBenchCases},
		"stats":   {"the statistics dashboard and a year-to-date comparison over 1,000,000 bulk-loaded reports", runBenchStats},
		"pages":   {"every staff list page (triage queue, cases, referrals) over real HTTP on 1,000,000 reports, 200,000 cases and 600,000 people", runBenchPages},
		"network": {"the analysts' partnership network, searched, filtered and expanded, over real HTTP on 200,000 cases and 600,000 people", runBenchNetwork},
		"linkage": {"probabilistic person matching on FEBRL files and synthetic UK-shaped records: precision, recall, F1, speed, memory", runBenchLinkage},
	})
}

// runBenchIntake measures the public report form end to end: real HTTP on loopback
// to a real server on SQLite, each report committed before its confirmation is sent.
// The baseline, run in the same process on the same machine, is a bare net/http
// handler that reads the same form and inserts the same rows with the same SQLite
// settings, so the ratio is what Tropic's validation, audit, idempotency and page
// cost on top of the database.
func runBenchIntake(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench intake", "[options]", "Submit reports through the public form at 1, 8 and 32 concurrent clients, and the same through a bare baseline handler.")
	seconds := fs.Float64("seconds", 3, "how long each run lasts")
	clientList := fs.String("clients", "1,8,32", "comma-separated numbers of concurrent clients")
	dir := fs.String("dir", "", "folder for the benchmark databases (default: a new temporary folder, removed afterwards)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
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
	var clients []int
	for _, s := range strings.Split(*clientList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 1024 {
			return usageError("--clients: give numbers from 1 to 1024, like 1,8,32")
		}
		clients = append(clients, n)
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "tropic-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	tropicURL, stopTropic, err := benchTropic(ctx, filepath.Join(*dir, "tropic.db"))
	if err != nil {
		return err
	}
	defer stopTropic()
	baseURL, stopBase, err := benchBaseline(ctx, filepath.Join(*dir, "baseline.db"))
	if err != nil {
		return err
	}
	defer stopBase()

	duration := time.Duration(*seconds * float64(time.Second))
	fmt.Fprintf(e.stdout, "tropic bench intake: %s per run, SQLite in %s\n", duration, *dir)
	fmt.Fprintf(e.stdout, "%-9s %7s %12s %9s %9s %8s\n", "target", "clients", "reports/s", "p50_ms", "p99_ms", "errors")
	var last [2]benchResult
	for _, c := range clients {
		for i, target := range []struct{ name, url string }{{"baseline", baseURL}, {"tropic", tropicURL}} {
			res, err := benchRun(ctx, target.url, c, duration)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%-9s %7d %12.0f %9.2f %9.2f %8d\n", target.name, c, res.perSecond, ms(res.p50), ms(res.p99), res.errors)
			last[i] = res
		}
	}
	b, t := last[0], last[1]
	fmt.Fprintf(e.stdout, "reports_per_s=%.0f baseline_per_s=%.0f ratio=%.2f p50_ms=%.2f p99_ms=%.2f\n",
		t.perSecond, b.perSecond, t.perSecond/b.perSecond, ms(t.p50), ms(t.p99))
	return nil
}

// openBench opens a benchmark's fresh database (benchDatabase, from
// TROPIC_DATABASE_URL) and says which it is; done closes it and removes it unless
// kept.
func openBench(ctx context.Context, e *env, name string, keep bool) (db *store.DB, done func(), err error) {
	dsn, cleanup, err := benchDatabase(e.getenv("TROPIC_DATABASE_URL"), keep)
	if err != nil {
		return nil, nil, err
	}
	if db, err = openBenchDB(ctx, dsn); err != nil {
		cleanup()
		return nil, nil, err
	}
	what := "SQLite " + dsn
	if db.Dialect() == store.Postgres {
		what = "PostgreSQL " + redactURL(dsn)
	}
	fmt.Fprintf(e.stdout, "tropic bench %s: %s\n", name, what)
	return db, func() { db.Close(); cleanup() }, nil
}

// benchServe serves Tropic on loopback over svc, as a demo without MFA whose
// passwords hash cheaply, for benchmarks that sign in.
func benchServe(svc *services) (base string, stop func(), err error) {
	deps := svc.webDeps(slog.New(slog.DiscardHandler))
	deps.Passwords = auth.Passwords{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}}
	srv, err := web.New(web.Config{PartnershipName: "Bench", MFAWaived: true}, deps)
	if err != nil {
		return "", nil, err
	}
	return benchListen(srv)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// benchTropic serves the real Tropic handler on a fresh SQLite database.
func benchTropic(ctx context.Context, path string) (string, func(), error) {
	db, err := openBenchDB(ctx, path)
	if err != nil {
		return "", nil, err
	}
	svc := newServices(db)
	if err := svc.reports.CreateDistrict(ctx, tropic.SystemActor("bench"), tropic.District{Slug: "st-albans", Name: "St Albans"}); err != nil {
		db.Close()
		return "", nil, err
	}
	// The background jobs run as in serve: every report queues its matching against
	// the cases in its transaction, and the worker shares the single writer.
	stopJobs, err := startJobs(ctx, slog.New(slog.DiscardHandler), svc, mailSettings{})
	if err != nil {
		db.Close()
		return "", nil, err
	}
	deps := svc.webDeps(slog.New(slog.DiscardHandler))
	deps.Passwords = auth.Passwords{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}}
	srv, err := web.New(web.Config{PartnershipName: "Bench", ReportRateLimit: -1}, deps)
	if err != nil {
		stopJobs()
		db.Close()
		return "", nil, err
	}
	url, stop, err := benchListen(srv)
	if err != nil {
		stopJobs()
		db.Close()
		return "", nil, err
	}
	return url, func() { stop(); stopJobs(); db.Close() }, nil
}

// benchBaseline serves a bare handler that reads the form and inserts the same rows,
// on a database opened with the same settings.
func benchBaseline(ctx context.Context, path string) (string, func(), error) {
	db, err := openBenchDB(ctx, path)
	if err != nil {
		return "", nil, err
	}
	sqlDB := db.SQL()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f := r.PostForm
		tx, err := sqlDB.BeginTx(r.Context(), nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer tx.Rollback()
		ref := tropic.NewReference()
		now := time.Now().UTC()
		var id int64
		err = tx.QueryRowContext(r.Context(), `INSERT INTO reports (reference, channel, received_at, description, address, postcode, district,
			seen_on, seen_when, in_danger, exploitation, county_lines, indicators, people_count, children_involved, people_description,
			reporter_anonymous, reporter_name, reporter_contact, reporter_relationship, how_heard, language,
			urgency, urgency_rank, urgency_reason, status, follow_up_hash, form_key_hash)
			VALUES (?, 'web', ?, ?, ?, ?, ?, '', '', ?, ?, 0, ?, ?, ?, ?, 1, '', '', ?, ?, 'en', 'routine', 2, '', 'new', ?, ?) RETURNING id`,
			ref, now, f.Get("description"), f.Get("address"), f.Get("postcode"), f.Get("district"), f.Get("in_danger"),
			strings.Join(f["exploitation"], ","), strings.Join(f["indicators"], ","), f.Get("people_count"), f.Get("children_involved"),
			f.Get("people_description"), f.Get("reporter_relationship"), f.Get("how_heard"), tropic.HashFollowUpCode(f.Get("form_key")), tropic.HashFormKey(f.Get("form_key"))).Scan(&id)
		if err == nil {
			_, err = tx.ExecContext(r.Context(), `INSERT INTO report_vehicles (report_id, position, registration, normalised, description) VALUES (?, 0, ?, ?, ?)`,
				id, f.Get("vehicle_1_registration"), f.Get("vehicle_1_registration"), f.Get("vehicle_1_description"))
		}
		if err == nil {
			_, err = tx.ExecContext(r.Context(), `INSERT INTO report_phones (report_id, position, number, e164) VALUES (?, 0, ?, ?)`, id, f.Get("phone_1"), f.Get("phone_1"))
		}
		if err == nil {
			_, err = tx.ExecContext(r.Context(), `INSERT INTO report_businesses (report_id, position, name) VALUES (?, 0, ?)`, id, f.Get("business_1"))
		}
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<p>Your reference is %s</p>", ref)
	})
	url, stop, err := benchListen(h)
	if err != nil {
		db.Close()
		return "", nil, err
	}
	return url, func() { stop(); db.Close() }, nil
}

func benchListen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return "http://" + ln.Addr().String(), func() { hs.Close() }, nil
}

// benchForm is one report as a resident would send it from the check-your-answers
// page: routine (so no notification job), with a vehicle, a phone and a business.
func benchForm(i int) string {
	b := make([]byte, 16)
	rand.Read(b)
	v := url.Values{}
	v.Set("form_key", hex.EncodeToString(b))
	v.Set("description", fmt.Sprintf("Report %d: several men work long hours at the car wash on Victoria Street and seem to sleep there.", i))
	v.Set("in_danger", "no")
	v.Set("address", "Victoria Street car wash")
	v.Set("postcode", "AL1 3JX")
	v.Set("district", "st-albans")
	v.Add("exploitation", "labour")
	v.Add("indicators", "excessive_hours")
	v.Add("indicators", "live_where_work")
	v.Set("people_count", "4")
	v.Set("children_involved", "no")
	v.Set("people_description", "Young men, one limping")
	v.Set("vehicle_1_registration", "AB12 CDE")
	v.Set("vehicle_1_description", "white van")
	v.Set("phone_1", fmt.Sprintf("07700 900%03d", i%1000))
	v.Set("business_1", "Sparkle Hand Car Wash")
	v.Set("reporter_anonymous", "yes")
	v.Set("reporter_relationship", "public")
	v.Set("how_heard", "poster_or_leaflet")
	return v.Encode()
}

type benchResult struct {
	perSecond float64
	p50, p99  time.Duration
	errors    int
}

// benchRun sends reports from n clients for d and measures each round trip.
func benchRun(ctx context.Context, base string, n int, d time.Duration) (benchResult, error) {
	tr := &http.Transport{MaxIdleConns: n * 2, MaxIdleConnsPerHost: n * 2, MaxConnsPerHost: n * 2}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var mu sync.Mutex
	var latencies []time.Duration
	var errCount int
	var firstErr error
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < n; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := c; time.Now().Before(deadline) && ctx.Err() == nil; i += n {
				body := benchForm(i)
				t0 := time.Now()
				res, err := client.Post(base+"/report/submit", "application/x-www-form-urlencoded", strings.NewReader(body))
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err == nil && res.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", res.StatusCode)
					}
				}
				if err != nil {
					bad++
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errCount += bad
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(latencies) == 0 {
		return benchResult{}, fmt.Errorf("no report succeeded: %w", errors.Join(firstErr))
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pick := func(q float64) time.Duration { return latencies[min(len(latencies)-1, int(q*float64(len(latencies))))] }
	return benchResult{perSecond: float64(len(latencies)) / elapsed.Seconds(), p50: pick(0.50), p99: pick(0.99), errors: errCount}, nil
}

// seedBenchAccounts writes the demo's agencies and accounts, all with password, hashed
// at a token cost: a bench signs in as them to time pages, not password hashing.
func seedBenchAccounts(ctx context.Context, svc *services, password string, seed uint64) error {
	hash, err := auth.HashPassword(password, auth.Params{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		return err
	}
	_, err = demo.Seed(ctx, demo.Services{Agencies: svc.agencies, Users: svc.users}, demo.Options{Seed: seed, PasswordHash: hash})
	return err
}
