package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
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

// TestStatsAuditAttacksTheReleases: on a database with no release the audit says
// so; with releases it prints what it attacked and passes.
func TestStatsAuditAttacksTheReleases(t *testing.T) {
	vars := map[string]string{"TROPIC_DATABASE_URL": filepath.Join(t.TempDir(), "tropic.db")}
	if _, _, err := tropicCmd(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	out, _, err := tropicCmd(t, vars, "", "stats", "audit")
	if err != nil || !strings.Contains(out, "no statistics release is published yet") {
		t.Fatalf("stats audit with no release: %v\n%s", err, out)
	}
	for _, p := range []string{"2024-Q1", "2024-Q2"} {
		if _, _, err := tropicCmd(t, vars, "", "stats", "release", "--period", p); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err = tropicCmd(t, vars, "", "stats", "audit", "--window", "0")
	if err != nil || !strings.Contains(out, "attacked 2 releases") || !strings.Contains(out, "no protected count is narrowed") {
		t.Errorf("stats audit: %v\n%s", err, out)
	}
	if _, _, err := tropicCmd(t, vars, "", "stats", "audit", "--window", "-1"); err == nil || !strings.Contains(err.Error(), "--window") {
		t.Errorf("stats audit --window -1: %v", err)
	}
}

// TestStatsAuditOnTheDemo attacks the demo's quarterly releases, two at a time, as
// an operator would before publishing; the same releases tell the seed's story:
// the demo prints where, and the public page and the API there say it.
func TestStatsAuditOnTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo's attack takes seconds, and much longer under -race")
	}
	brMaybeParallel(t) // on a demo of its own, beside the browser tests (see brParallel)
	// 100 cases give monthly figures and some 300 protected counts; 150 cases cost
	// about ten times as much, in programmes twice as large.
	inst := startDemo(t, "--cases", "100")
	if !strings.Contains(inst.Stdout.String(), "quarterly releases published") {
		t.Fatalf("the demo published no releases:\n%s", inst.Stdout)
	}
	year := strconv.Itoa(time.Now().Year() - 1)
	sentence := "18 offences recorded so far this year (to 31 March " + year + "), against 7 in the same period last year."
	m := regexp.MustCompile(`The seed's story: statistics release (\S+) says "([^"]*)" at (\S+) \(and (\S+)\)`).FindStringSubmatch(inst.Stdout.String())
	if m == nil || m[1] != year+"-Q1" || m[2] != sentence {
		t.Fatalf("the demo does not say where its story is told, or tells another:\n%s", inst.Stdout)
	}
	if status, body := get(t, http.DefaultClient, m[3]); status != http.StatusOK || !strings.Contains(body, sentence) || !strings.Contains(body, "Statistics release "+m[1]) {
		t.Errorf("GET %s: %d, the page does not say %q", m[3], status, sentence)
	}
	status, body := get(t, http.DefaultClient, m[4])
	var rel struct {
		Name      string `json:"name"`
		Headlines []struct {
			Figure, Sentence string
		} `json:"headlines"`
	}
	if err := json.Unmarshal([]byte(body), &rel); status != http.StatusOK || err != nil || rel.Name != m[1] {
		t.Fatalf("GET %s: %d %v %s", m[4], status, err, body)
	}
	told := false
	for _, h := range rel.Headlines {
		told = told || h.Figure == "offences" && h.Sentence == sentence
	}
	if !told {
		t.Errorf("GET %s: headlines %+v do not say %q", m[4], rel.Headlines, sentence)
	}
	out, _, err := tropicCmd(t, demoVars(inst), "", "stats", "audit", "--window", "2")
	t.Log(out)
	if err != nil || !strings.Contains(out, "no protected count is narrowed") {
		t.Errorf("stats audit on the demo: %v\n%s", err, out)
	}
}
