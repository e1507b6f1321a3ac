package main

import (
	"context"
	"database/sql"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The demo shows the triage targets at work: three reports over target in the
// queue, and an unclaimed emergency that the escalation job escalates as the demo
// starts (the emergency triage.police claimed is not).
func TestDemoShowsReportsOverTargetAndEscalatesTheUnclaimedEmergency(t *testing.T) {
	brMaybeParallel(t) // on a demo of its own, beside the browser tests (see brParallel)
	inst := startDemo(t)
	m := regexp.MustCompile(`Triage: (\S+), (\S+), (\S+) are over their target; emergency (\S+) is unclaimed`).FindStringSubmatch(inst.Stdout.String())
	if m == nil {
		t.Fatalf("the demo does not print its reports over target:\n%s", inst.Stdout)
	}
	escalated, claimed := m[4], m[2]
	db, err := sql.Open("sqlite", filepath.Join(inst.Dir, "tropic.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	told := func(ref string) (escalations, notified int) {
		t.Helper()
		if err := db.QueryRow(`SELECT COUNT(*) FROM report_escalations e JOIN reports r ON r.id = e.report_id WHERE r.reference = ?`, ref).Scan(&escalations); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE n.kind = 'escalation' AND n.subject = ? AND u.email = 'triage.police@demo.tropic.example'`, ref).Scan(&notified); err != nil {
			t.Fatal(err)
		}
		return
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if e, n := told(escalated); e == 1 && n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("emergency %s was not escalated to triage.police within 20s", escalated)
		}
	}
	if e, n := told(claimed); e != 0 || n != 0 {
		t.Errorf("the claimed emergency %s was escalated (%d, %d notifications)", claimed, e, n)
	}

	c, err := benchSignIn(context.Background(), inst.URL, "triage.police@demo.tropic.example", defaultDemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Get(inst.URL + "/triage")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if n := strings.Count(string(body), "Over target"); n < 3 {
		t.Errorf("the queue marks %d reports over target, want the demo's 3 at least", n)
	}
}
