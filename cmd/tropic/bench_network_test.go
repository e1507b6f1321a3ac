package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tropic/internal/store/storetest"
)

// benchOnEachDatabase runs tropic bench with args on a fresh SQLite file and, when
// the PostgreSQL test database is set, on PostgreSQL; checks that the output's last
// line matches last; and hands the output to check, if any.
func benchOnEachDatabase(t *testing.T, last string, check func(t *testing.T, out string), args ...string) {
	t.Helper()
	targets := map[string]string{"sqlite": filepath.Join(t.TempDir(), "bench.db")}
	if pg := os.Getenv(storetest.PostgresURLEnv); pg != "" {
		targets["postgres"] = pg
	}
	for name, dsn := range targets {
		t.Run(name, func(t *testing.T) {
			out, _, err := tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": dsn}, "", append([]string{"bench"}, args...)...)
			if err != nil {
				t.Fatalf("bench %s: %v\n%s", args[0], err, out)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if l := lines[len(lines)-1]; !regexp.MustCompile(last).MatchString(l) {
				t.Errorf("last line %q, want it to match %s", l, last)
			}
			if check != nil {
				check(t, out)
			}
		})
	}
}

// The benchmark at a tiny size, on each database: it loads, times the page against
// the baseline and ends with the line scripts read.
func TestBenchNetworkEndsWithTheP95Line(t *testing.T) {
	benchOnEachDatabase(t, `^network_p95_ms=[0-9.]+$`, func(t *testing.T, out string) {
		if !regexp.MustCompile(`(?m)^network +8 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$`).MatchString(out) {
			t.Errorf("no line of 8 timed requests with a baseline ratio:\n%s", out)
		}
	}, "network", "--cases", "300", "--people", "900", "--runs", "8")
}
