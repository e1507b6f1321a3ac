package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"

	"tropic/internal/linkage"
)

// runBenchLinkage measures probabilistic person matching: FEBRL files with ground
// truth in rec_id, and a UK-shaped synthetic population, each deduplicated from
// scratch (blocking, comparison, EM training, threshold) and scored pairwise,
// then indexed for matching one new record at a time.
func runBenchLinkage(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench linkage", "[--febrl FILE] [--synthetic N [--shape uk|varied|both]] [--write-febrl FILE]", `Deduplicate person records with the Fellegi–Sunter matcher and score the pairs
found against the ground truth: pairwise precision, recall and F1 at the chosen
threshold, records per second and peak memory.

Two generated populations: "uk", UK-shaped records with typos, nicknames and the
like; "varied", Albanian, Vietnamese, Romanian, Polish, Ukrainian, Sudanese,
Eritrean and Chinese names whose duplicates differ in one variation each (another
script, another transliteration, names swapped, a familiar form, the name's
structure, day and month swapped, year of birth only, address missing or moved),
reported per variation. A FEBRL file with a variation column (as --write-febrl
writes it) is reported per variation too.

Without options: FEBRL dataset3 and dataset1 from ../shared/data/febrl (relative to
the module root, skipped with a message when absent), then synthetic 10,000 and
100,000 records of each shape. After deduplicating, each run indexes the records and matches
held-out ones against the index one at a time (1,000 generated: corrupted copies
of people in the set and new people; from a FEBRL file, a fifth of it, at most
1,000, left out of the index), and prints the time to build the index and the
50th and 99th percentile of the time of one match. Besides the model trained on
the run's own records, each run scores its candidate pairs with the default model
(the service's, its prior rescaled to the run's number of records, at its own
threshold), and prints the ceiling: the best F1 at precision 0.98 or more that
any scoring of the candidate pairs' comparisons could reach, told the truth. The
last line of each run reads precision=P recall=R f1=F records_per_s=N
peak_mib=N, where peak_mib covers the whole run.`)
	febrl := fs.String("febrl", "", "a CSV in the FEBRL layout to deduplicate (instead of the defaults)")
	synthetic := fs.Int("synthetic", 0, "generate and deduplicate this many UK-shaped records (instead of the defaults)")
	threshold := fs.Float64("threshold", linkage.DefaultThreshold, "match probability at or above which a pair is a match")
	seed := fs.Uint64("seed", 1, "seed of the generator and of the u sampling")
	explain := fs.Int("explain", 3, "print this many matched pairs with their explanations")
	shape := fs.String("shape", "both", "generated population: uk, varied or both")
	writeFEBRL := fs.String("write-febrl", "", "write the varied population of --synthetic N to this file in the FEBRL layout, and stop")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *synthetic < 0 || *threshold <= 0 || *threshold >= 1 {
		return usageError("--synthetic must be positive and --threshold between 0 and 1")
	}
	shapes := map[string][]bool{"uk": {false}, "varied": {true}, "both": {false, true}}[*shape]
	if shapes == nil {
		return usageError("--shape must be uk, varied or both")
	}
	if *writeFEBRL != "" {
		if *synthetic <= 0 {
			return usageError("--write-febrl needs --synthetic N")
		}
		return writeVariedFEBRL(*writeFEBRL, *synthetic, *seed)
	}
	type run struct {
		name   string
		file   string
		synth  int
		varied bool
	}
	var runs []run
	synthRuns := func(n int) {
		for _, v := range shapes {
			name := fmt.Sprintf("synthetic %d", n)
			if v {
				name = fmt.Sprintf("synthetic varied %d", n)
			}
			runs = append(runs, run{name: name, synth: n, varied: v})
		}
	}
	switch {
	case *febrl != "" || *synthetic > 0:
		if *febrl != "" {
			runs = append(runs, run{name: *febrl, file: *febrl})
		}
		if *synthetic > 0 {
			synthRuns(*synthetic)
		}
	default:
		dir := filepath.Join(linkageModuleRoot(), "..", "shared", "data", "febrl")
		for _, f := range []string{"dataset3.csv", "dataset1.csv"} {
			p := filepath.Join(dir, f)
			if _, err := os.Stat(p); err != nil {
				fmt.Fprintf(e.stdout, "skipping %s: %v\n", f, err)
				continue
			}
			runs = append(runs, run{name: f, file: p})
		}
		synthRuns(10000)
		synthRuns(100000)
	}
	for _, r := range runs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := benchLinkageRun(e, r.name, r.file, r.synth, r.varied, *threshold, *seed, *explain); err != nil {
			return err
		}
	}
	return nil
}

func benchLinkageRun(e *env, name, file string, synth int, varied bool, threshold float64, seed uint64, explain int) error {
	runtime.GC()
	var recs, queries []linkage.Record
	var ents, queryEnts, vars []string
	var gen time.Duration
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		recs, ents, vars, err = linkage.ReadFEBRLVariations(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	} else if varied {
		t0 := time.Now()
		recs, ents, vars = linkage.VariedRecords(linkage.SynthesizeVaried(synth, seed))
		gen = time.Since(t0)
	} else {
		t0 := time.Now()
		ps := linkage.Synthesize(synth, seed)
		recs, ents = linkage.SynthRecords(ps)
		queries, queryEnts = linkage.SynthRecords(linkage.SynthQueries(ps, linkageQueries, seed))
		gen = time.Since(t0)
	}
	peak := startPeakSampler()
	t0 := time.Now()
	res := linkage.Dedupe(recs, threshold, seed)
	took := time.Since(t0)
	q := linkage.Evaluate(ents, res.Matches)
	fmt.Fprintf(e.stdout, "tropic bench linkage: %s\n", name)
	fmt.Fprintf(e.stdout, "records=%d candidate_pairs=%d (%.1f a record) matched_pairs=%d prior=%.3g threshold=%g generate_s=%.1f dedupe_s=%.2f\n",
		len(recs), res.Candidates, float64(res.Candidates)/float64(max(1, len(recs))), len(res.Matches), res.Model.Lambda, threshold, gen.Seconds(), took.Seconds())
	fmt.Fprintf(e.stdout, "true_pos=%d false_pos=%d false_neg=%d blocking_recall=%.4f\n", q.TP, q.FP, q.FN, linkage.Evaluate(ents, res.All).Recall)
	printVariations(e, ents, vars, res)
	if c := linkage.Ceiling(ents, res.All, 0.98); c.TP > 0 {
		fmt.Fprintf(e.stdout, "ceiling (the best any scoring of these comparisons reaches at precision >= 0.98, told the truth): precision=%.4f recall=%.4f f1=%.4f\n", c.Precision, c.Recall, c.F1)
	}
	if def := linkage.DefaultModel().ForRecords(len(recs)); true {
		var keep []linkage.Pair
		for _, p := range res.All {
			if def.Probability(p.V) >= def.Threshold {
				keep = append(keep, p)
			}
		}
		dq := linkage.Evaluate(ents, keep)
		fmt.Fprintf(e.stdout, "default model (the service's, its prior for %d records, threshold %g): precision=%.4f recall=%.4f f1=%.4f\n", len(recs), def.Threshold, dq.Precision, dq.Recall, dq.F1)
		printVariations(e, ents, vars, linkage.Result{Matches: keep, All: res.All})
	}
	for i := 0; i < explain && i < len(res.Matches); i++ {
		p := res.Matches[i*len(res.Matches)/max(1, explain)]
		a, b := &recs[p.A], &recs[p.B]
		same := "same"
		if ents[p.A] != ents[p.B] {
			same = "DIFFERENT"
		}
		fmt.Fprintf(e.stdout, "  %s / %s (%s entity): %s\n", a.AsEntered(), b.AsEntered(), same, res.Model.Explain(a, b))
	}
	indexed, indexedEnts := recs, ents
	if file != "" || varied {
		indexed, indexedEnts, queries, queryEnts = holdOut(recs, ents, min(linkageQueries, len(recs)/5), seed)
	}
	benchLinkageMatch(e, res.Model, indexed, indexedEnts, queries, queryEnts)
	peakMiB := peak()
	fmt.Fprintf(e.stdout, "precision=%.4f recall=%.4f f1=%.4f records_per_s=%.0f peak_mib=%.0f\n",
		q.Precision, q.Recall, q.F1, float64(len(recs))/took.Seconds(), peakMiB)
	return nil
}

// linkageQueries is how many held-out records are matched one at a time against
// the index of the others (a fifth of a FEBRL file when that is fewer).
const linkageQueries = 1000

// benchLinkageMatch indexes the records, matches each query against them alone,
// one after another, and prints the index build time, the percentiles of the time
// of one match, how well the queries found the indexed records of their own
// entity (pairwise precision and recall over query-record pairs), and the heap the
// index takes besides the records.
func benchLinkageMatch(e *env, m *linkage.Model, recs []linkage.Record, ents []string, queries []linkage.Record, queryEnts []string) {
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	t0 := time.Now()
	x := linkage.NewIndex(recs)
	build := time.Since(t0)
	size := float64(heap()-min(before, heap())) / (1 << 20)
	entity := map[string]int{}
	for _, ent := range ents {
		entity[ent]++
	}
	took := make([]time.Duration, len(queries))
	tp, found, truth := 0, 0, 0
	for i := range queries {
		t0 := time.Now()
		got := x.Match(&queries[i], m, 0)
		took[i] = time.Since(t0)
		truth += entity[queryEnts[i]]
		found += len(got)
		for _, s := range got {
			if ents[s.ID] == queryEnts[i] {
				tp++
			}
		}
	}
	slices.Sort(took)
	pct := func(p float64) float64 {
		if len(took) == 0 {
			return 0
		}
		return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
	}
	fmt.Fprintf(e.stdout, "index_build_s=%.2f queries=%d match_one_p50_ms=%.3f match_one_p99_ms=%.3f match_one_max_ms=%.3f match_precision=%.4f match_recall=%.4f index_mib=%.0f\n",
		build.Seconds(), len(queries), pct(0.5), pct(0.99), pct(1), float64(tp)/float64(max(1, found)), float64(tp)/float64(max(1, truth)), size)
}

// holdOut splits off n records, chosen by seed, as queries: the index is built
// over the others.
func holdOut(recs []linkage.Record, ents []string, n int, seed uint64) (keep []linkage.Record, keepEnts []string, out []linkage.Record, outEnts []string) {
	rng := rand.New(rand.NewPCG(seed, 11))
	chosen := map[int]bool{}
	for _, i := range rng.Perm(len(recs))[:n] {
		chosen[i] = true
	}
	for i := range recs {
		if chosen[i] {
			out, outEnts = append(out, recs[i]), append(outEnts, ents[i])
		} else {
			keep, keepEnts = append(keep, recs[i]), append(keepEnts, ents[i])
		}
	}
	return keep, keepEnts, out, outEnts
}

// startPeakSampler samples the Go heap every 10 ms and returns a function that stops
// and gives the peak in MiB: the larger of the sampled heap in use (runtime
// MemStats) and the process's maximum resident set (getrusage) when known.
func startPeakSampler() func() float64 {
	stop := make(chan struct{})
	done := make(chan uint64)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse+ms.StackInuse)
			select {
			case <-stop:
				done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(stop)
		p := float64(<-done) / (1 << 20)
		var ru syscall.Rusage
		if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
			p = max(p, float64(ru.Maxrss)/1024) // kilobytes on Linux
		}
		return p
	}
}

// linkageModuleRoot is the folder holding go.mod, found from the working directory
// upwards; the working directory when there is none.
func linkageModuleRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return wd
		}
		d = up
	}
}

// printVariations prints precision, recall and F1 per variation, and the blocking
// recall of each (the share of its true pairs that were candidates), when the
// records carry variations.
func printVariations(e *env, ents, vars []string, res linkage.Result) {
	if !slices.ContainsFunc(vars, func(v string) bool { return v != "" && v != linkage.VarOriginal }) {
		return
	}
	got, blocked := linkage.EvaluateVariations(ents, vars, res.Matches), linkage.EvaluateVariations(ents, vars, res.All)
	for _, v := range append(slices.Clone(linkage.Variations), linkage.VarOriginal) {
		q, ok := got[v]
		if !ok || q.TP+q.FN == 0 {
			continue
		}
		fmt.Fprintf(e.stdout, "  variation %-26q pairs=%-6d precision=%.4f recall=%.4f f1=%.4f blocking_recall=%.4f\n",
			v, q.TP+q.FN, q.Precision, q.Recall, q.F1, blocked[v].Recall)
	}
}

// writeVariedFEBRL writes n generated varied records in the FEBRL layout.
func writeVariedFEBRL(file string, n int, seed uint64) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := linkage.WriteFEBRL(w, linkage.SynthesizeVaried(n, seed)); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
