package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"tropic/internal/linkage"
)

// runBenchLinkage measures probabilistic person matching: FEBRL files with ground
// truth in rec_id, and a UK-shaped synthetic population, each deduplicated from
// scratch (blocking, comparison, EM training, threshold) and scored pairwise.
func runBenchLinkage(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench linkage", "[--febrl FILE] [--synthetic N]", `Deduplicate person records with the Fellegi–Sunter matcher and score the pairs
found against the ground truth: pairwise precision, recall and F1 at the chosen
threshold, records per second and peak memory.

Without options: FEBRL dataset3 and dataset1 from ../shared/data/febrl (relative to
the module root, skipped with a message when absent), then synthetic 10,000 and
100,000 records. The last line of each run reads
precision=P recall=R f1=F records_per_s=N peak_mib=N.`)
	febrl := fs.String("febrl", "", "a CSV in the FEBRL layout to deduplicate (instead of the defaults)")
	synthetic := fs.Int("synthetic", 0, "generate and deduplicate this many UK-shaped records (instead of the defaults)")
	threshold := fs.Float64("threshold", linkage.DefaultThreshold, "match probability at or above which a pair is a match")
	seed := fs.Uint64("seed", 1, "seed of the generator and of the u sampling")
	explain := fs.Int("explain", 3, "print this many matched pairs with their explanations")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *synthetic < 0 || *threshold <= 0 || *threshold >= 1 {
		return usageError("--synthetic must be positive and --threshold between 0 and 1")
	}
	type run struct {
		name  string
		file  string
		synth int
	}
	var runs []run
	switch {
	case *febrl != "" || *synthetic > 0:
		if *febrl != "" {
			runs = append(runs, run{name: *febrl, file: *febrl})
		}
		if *synthetic > 0 {
			runs = append(runs, run{name: fmt.Sprintf("synthetic %d", *synthetic), synth: *synthetic})
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
		runs = append(runs, run{name: "synthetic 10000", synth: 10000}, run{name: "synthetic 100000", synth: 100000})
	}
	for _, r := range runs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := benchLinkageRun(e, r.name, r.file, r.synth, *threshold, *seed, *explain); err != nil {
			return err
		}
	}
	return nil
}

func benchLinkageRun(e *env, name, file string, synth int, threshold float64, seed uint64, explain int) error {
	runtime.GC()
	var recs []linkage.Record
	var ents []string
	var gen time.Duration
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		recs, ents, err = linkage.ReadFEBRL(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	} else {
		t0 := time.Now()
		recs, ents = linkage.SynthRecords(linkage.Synthesize(synth, seed))
		gen = time.Since(t0)
	}
	peak := startPeakSampler()
	t0 := time.Now()
	res := linkage.Dedupe(recs, threshold, seed)
	took := time.Since(t0)
	peakMiB := peak()
	q := linkage.Evaluate(ents, res.Matches)
	fmt.Fprintf(e.stdout, "tropic bench linkage: %s\n", name)
	fmt.Fprintf(e.stdout, "records=%d candidate_pairs=%d (%.1f a record) matched_pairs=%d prior=%.4f threshold=%g generate_s=%.1f dedupe_s=%.2f\n",
		len(recs), res.Candidates, float64(res.Candidates)/float64(max(1, len(recs))), len(res.Matches), res.Model.Lambda, threshold, gen.Seconds(), took.Seconds())
	fmt.Fprintf(e.stdout, "true_pos=%d false_pos=%d false_neg=%d blocking_recall=%.4f\n", q.TP, q.FP, q.FN, linkage.Evaluate(ents, res.All).Recall)
	for i := 0; i < explain && i < len(res.Matches); i++ {
		p := res.Matches[i*len(res.Matches)/max(1, explain)]
		a, b := &recs[p.A], &recs[p.B]
		same := "same"
		if ents[p.A] != ents[p.B] {
			same = "DIFFERENT"
		}
		fmt.Fprintf(e.stdout, "  %s %s / %s %s (%s entity): %s\n", a.Given, a.Surname, b.Given, b.Surname, same, res.Model.Explain(a, b))
	}
	fmt.Fprintf(e.stdout, "precision=%.4f recall=%.4f f1=%.4f records_per_s=%.0f peak_mib=%.0f\n",
		q.Precision, q.Recall, q.F1, float64(len(recs))/took.Seconds(), peakMiB)
	return nil
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
