package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestStatsReleaseByHand publishes a release from the command line: once, for a
// period that has ended, named as the flag says; bad periods are refused naming
// the flag.
func TestStatsReleaseByHand(t *testing.T) {
	vars := map[string]string{"TROPIC_DATABASE_URL": filepath.Join(t.TempDir(), "tropic.db")}
	out, _, err := tropicCmd(t, vars, "", "stats", "release", "--period", "2024-Q2")
	if err != nil || !strings.Contains(out, "published statistics release 2024-Q2") || !strings.Contains(out, "1 January 2024 to 30 June 2024") {
		t.Fatalf("stats release: %v\n%s", err, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--period", "2024-Q2"}, "published already"},
		{[]string{"--period", "2024-05"}, "releases go forward in time"},
		{[]string{"--period", "2999-01"}, "has not ended yet"},
		{[]string{"--period", "soon"}, "--period: Enter the period like 2026-Q3 or 2026-10"},
		{[]string{"--schedule", "weekly"}, "--schedule: The release schedule is monthly or quarterly"},
	} {
		_, _, err := tropicCmd(t, vars, "", append([]string{"stats", "release"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("stats release %v: %v, want %q", c.args, err, c.want)
		}
	}
	if out, _, err := tropicCmd(t, vars, "", "stats", "release", "--schedule", "monthly"); err != nil || !strings.Contains(out, "published statistics release") {
		t.Errorf("stats release --schedule monthly: %v\n%s", err, out)
	}
}
