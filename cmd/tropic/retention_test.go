package main

import (
	"regexp"
	"strings"
	"testing"
)

// 'tropic retention run --dry-run' lists what a shorter schedule makes due and changes
// nothing; without --dry-run it queues them, once; a wrong setting names itself.
func TestRetentionRunListsThenQueuesTheDueRecordsOnce(t *testing.T) {
	brMaybeParallel(t) // on a demo of its own, beside the browser tests (see brParallel)
	inst := startDemo(t, "--cases", "1", "--reports-per-year", "100")
	vars := demoVars(inst)
	shorter := []string{"--retention", "report_not_taken_further=1m"}

	out, _, err := tropicCmd(t, vars, "", append([]string{"retention", "run", "--dry-run"}, shorter...)...)
	m := regexp.MustCompile(`(\d+) records due for review \(dry run: nothing queued\)`).FindStringSubmatch(out)
	if err != nil || m == nil || m[1] == "0" || !strings.Contains(out, "1 month after the decision") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	again, _, _ := tropicCmd(t, vars, "", append([]string{"retention", "run", "--dry-run"}, shorter...)...)
	if again != out {
		t.Fatalf("a dry run changed something: first\n%s\nthen\n%s", out, again)
	}
	queued, _, err := tropicCmd(t, vars, "", append([]string{"retention", "run"}, shorter...)...)
	if err != nil || queued != "queued "+m[1]+" records for review\n" {
		t.Fatalf("run: %q %v, want the %s records queued", queued, err, m[1])
	}
	if twice, _, err := tropicCmd(t, vars, "", append([]string{"retention", "run"}, shorter...)...); err != nil || twice != "queued 0 records for review\n" {
		t.Fatalf("second run: %q %v, want nothing queued twice", twice, err)
	}
	if _, _, err := tropicCmd(t, vars, "", "retention", "run", "--retention", "case_closed=forever"); err == nil || !strings.Contains(err.Error(), "--retention (TROPIC_RETENTION): case_closed") {
		t.Fatalf("a wrong setting: %v, want an error naming --retention and the record type", err)
	}
	sched, _, err := tropicCmd(t, nil, "", "retention", "schedule", "--retention", "case_closed=7y")
	if err != nil || !strings.Contains(sched, "7 years after the case is closed") || !strings.Contains(sched, "source: MoPI") {
		t.Fatalf("schedule: %v\n%s", err, sched)
	}
}
