package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tropic/internal/store/storetest"
)

// The benchmark at a tiny size, on each database: it loads, times the page and ends
// with the line scripts read.
func TestBenchNetworkEndsWithTheP95Line(t *testing.T) {
	targets := map[string]string{"sqlite": filepath.Join(t.TempDir(), "bench.db")}
	if pg := os.Getenv(storetest.PostgresURLEnv); pg != "" {
		targets["postgres"] = pg
	}
	for name, dsn := range targets {
		t.Run(name, func(t *testing.T) {
			out, _, err := tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": dsn}, "", "bench", "network", "--cases", "300", "--people", "900", "--runs", "8")
			if err != nil {
				t.Fatalf("bench network: %v\n%s", err, out)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if last := lines[len(lines)-1]; !regexp.MustCompile(`^network_p95_ms=[0-9.]+$`).MatchString(last) {
				t.Errorf("last line %q, want network_p95_ms=N", last)
			}
			if !regexp.MustCompile(`(?m)^network +8 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$`).MatchString(out) {
				t.Errorf("no line of 8 timed requests with a baseline ratio:\n%s", out)
			}
		})
	}
}
