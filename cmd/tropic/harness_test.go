package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer collects output from run while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testEnv returns a getenv for run that sees only vars.
func testEnv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// instance is a Tropic started through run, as the binary would be.
type instance struct {
	URL    string
	Dir    string // the demo's folder, when started with demo
	Stdout *lockedBuffer
	Stderr *lockedBuffer
}

var runningAt = regexp.MustCompile(`running at (https?://[^\s]+)`)

// start runs "tropic ARGS..." in the background on a free port and waits until it
// prints its URL and answers /healthz. It stops when the test ends.
func start(t *testing.T, vars map[string]string, args ...string) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	inst := &instance{Stdout: &lockedBuffer{}, Stderr: &lockedBuffer{}}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append(args, "--addr", "127.0.0.1:0"), testEnv(vars), strings.NewReader(""), inst.Stdout, inst.Stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("tropic %s ended with: %v", args[0], err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("tropic %s did not shut down within 15s", args[0])
		}
	})
	// The full demo seeds four years of history: about 3 s of CPU, twenty times that
	// under -race, and longer while other test packages share the two cores.
	deadline := time.Now().Add(240 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("tropic %s stopped before serving: %v\nstdout:\n%s\nstderr:\n%s", args[0], err, inst.Stdout, inst.Stderr)
		default:
		}
		if m := runningAt.FindStringSubmatch(inst.Stdout.String()); m != nil {
			inst.URL = m[1]
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if inst.URL == "" {
		t.Fatalf("tropic %s printed no URL within 90s\nstdout:\n%s\nstderr:\n%s", args[0], inst.Stdout, inst.Stderr)
	}
	res, err := http.Get(inst.URL + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz: got status %d, want 200", res.StatusCode)
	}
	return inst
}

// startDemo runs "tropic demo" in a fresh folder and returns it. Tests get the demo
// partnership without its years of history unless they ask for it (later flags win):
// seeding history takes seconds, and much longer under the race detector.
func startDemo(t *testing.T, extra ...string) *instance {
	t.Helper()
	dir := t.TempDir()
	args := append([]string{"demo", "--dir", dir, "--reports-per-year", "0", "--cases", "0"}, extra...)
	inst := start(t, nil, args...)
	inst.Dir = dir
	// The demo prints its URL first and its accounts after it, line by line; wait for
	// its last line, which a busy machine (tests run two at a time) can hold back.
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(inst.Stdout.String(), "Press Ctrl+C to stop."); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("tropic demo printed its URL but not the rest of what it prints within 30s:\n%s", inst.Stdout)
		}
	}
	return inst
}

// demoVars are the variables for commands on a running demo's database: the demo's
// chain is keyed with the key it made in its folder.
func demoVars(inst *instance) map[string]string {
	return map[string]string{"TROPIC_DATABASE_URL": filepath.Join(inst.Dir, "tropic.db"), "TROPIC_AUDIT_KEY_FILE": filepath.Join(inst.Dir, "audit.key")}
}

// keyedVars returns the variables of a tropic on dsn with a fresh audit key (made by
// 'tropic audit keygen' in a test folder), as serve needs.
func keyedVars(t *testing.T, dsn string) map[string]string {
	t.Helper()
	key := filepath.Join(t.TempDir(), "audit.key")
	if out, _, err := tropicCmd(t, nil, "", "audit", "keygen", "--out", key); err != nil || !strings.Contains(out, "wrote audit key") {
		t.Fatalf("audit keygen: got %q, %v", out, err)
	}
	return map[string]string{"TROPIC_DATABASE_URL": dsn, "TROPIC_AUDIT_KEY_FILE": key}
}

// tropicCmd runs one command through run to completion and returns its output.
func tropicCmd(t *testing.T, vars map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, testEnv(vars), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// get fetches a path and returns status and body.
func get(t *testing.T, client *http.Client, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// moduleRoot finds the folder holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}
