package main

import "testing"

// The statistics benchmark at a small size, on each database: it loads, counts what
// it loaded, and ends with the line scripts read.
func TestBenchStatsEndsWithTheP95Line(t *testing.T) {
	benchOnEachDatabase(t, `^dashboard_cold_p95_ms=[0-9]+ dashboard_p95_ms=[0-9]+ ytd_p95_ms=[0-9]+$`, nil,
		"stats", "--reports", "3000", "--cases", "600", "--referrals", "300", "--runs", "3")
}
