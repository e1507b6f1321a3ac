package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The benchmark at a small size, on each database: it loads, finds every value it
// knows is on a case the searcher sees, and ends with the line scripts read.
func TestBenchCasesFindsWhatItLoadedAndEndsWithTheP95Line(t *testing.T) {
	benchOnEachDatabase(t, `^name_p95_ms=[0-9.]+ phone_p95_ms=[0-9.]+ registration_p95_ms=[0-9.]+$`, func(t *testing.T, out string) {
		if m := regexp.MustCompile(`(?m)^person_match +(\d+) `).FindStringSubmatch(out); m == nil || m[1] == "0" {
			t.Errorf("person matching timed on no cases:\n%s", out)
		}
		for _, kind := range []string{"name", "phone", "registration"} {
			m := regexp.MustCompile(`(?m)^` + kind + ` +\d+ +(\d+)/(\d+) `).FindStringSubmatch(out)
			if m == nil || m[1] != m[2] || m[2] == "0" {
				t.Errorf("%s searches: found %v of the values on visible cases, want all of them:\n%s", kind, m, out)
			}
		}
	}, "cases", "--cases", "300", "--people", "900", "--queries", "40")
}

func TestBenchCasesRefusesAnExistingSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tropic.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": path}, "", "bench", "cases", "--cases", "20", "--people", "40"); err == nil ||
		!strings.Contains(err.Error(), "exists already") {
		t.Errorf("got %v, want a refusal to load into an existing database", err)
	}
}
