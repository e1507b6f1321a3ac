package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tropic/internal/store/storetest"
)

// The statistics benchmark at a small size, on each database: it loads, counts what
// it loaded, and ends with the line scripts read.
func TestBenchStatsEndsWithTheP95Line(t *testing.T) {
	targets := map[string]string{"sqlite": filepath.Join(t.TempDir(), "bench.db")}
	if pg := os.Getenv(storetest.PostgresURLEnv); pg != "" {
		targets["postgres"] = pg
	}
	for name, dsn := range targets {
		t.Run(name, func(t *testing.T) {
			out, _, err := tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": dsn}, "", "bench", "stats", "--reports", "3000", "--cases", "600", "--referrals", "300", "--runs", "3")
			if err != nil {
				t.Fatalf("bench stats: %v\n%s", err, out)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if last := lines[len(lines)-1]; !regexp.MustCompile(`^dashboard_cold_p95_ms=[0-9]+ dashboard_p95_ms=[0-9]+ ytd_p95_ms=[0-9]+$`).MatchString(last) {
				t.Errorf("last line %q, want dashboard_cold_p95_ms=N dashboard_p95_ms=N ytd_p95_ms=N", last)
			}
		})
	}
}
