package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

// TestAuditCheckpointsCatchAChainCutBackBelowThem is the routine of README's "Audit
// key and checkpoints" as an attacker with the database, but not the key, would meet
// it: delete the newest events, move the head back, and plain 'audit verify' passes,
// but 'audit verify --checkpoint' with a line kept elsewhere fails.
func TestAuditCheckpointsCatchAChainCutBackBelowThem(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tropic.db")
	vars := adminSetup(t, path) // events 1 (agency) and 2 (user)
	addUser := func(email string) {
		t.Helper()
		if _, _, err := tropicCmd(t, vars, "a long enough test passphrase\n", "user", "add", "--email", email, "--name", "Someone", "--agency", "1", "--roles", "triage"); err != nil {
			t.Fatalf("user add: %v", err)
		}
	}
	addUser("a@testshire.example") // event 3

	line, stderr, err := tropicCmd(t, vars, "", "audit", "checkpoint")
	if err != nil || !strings.HasPrefix(line, "tropic-audit-checkpoint v1 seq=3 head=") || strings.Count(line, "\n") != 1 || !strings.Contains(stderr, "keep the line above") {
		t.Fatalf("audit checkpoint: got %q (%s), %v; want one line for event 3", line, stderr, err)
	}
	kept := filepath.Join(dir, "checkpoints.txt")
	if err := os.WriteFile(kept, []byte("# kept on the partnership's file server\n"+line), 0o600); err != nil {
		t.Fatal(err)
	}
	addUser("b@testshire.example") // event 4: the chain grows past the checkpoint

	out, _, err := tropicCmd(t, vars, "", "audit", "verify", "--checkpoint", kept)
	if err != nil || !strings.Contains(out, "audit chain intact: 4 events") || !strings.Contains(out, "extends all 1 checkpoints") {
		t.Fatalf("verify --checkpoint on a grown chain: got %q, %v; want it intact", out, err)
	}

	t.Run("A checkpoint line whose signature was changed fails verification", func(t *testing.T) {
		forged := filepath.Join(dir, "forged.txt")
		sig := strings.Index(line, "sig=") + 4
		b := []byte(line)
		b[sig+3] = 'A' // one base64 letter for another: the line still reads
		if line[sig+3] == 'A' {
			b[sig+3] = 'B'
		}
		os.WriteFile(forged, b, 0o600)
		_, _, err := tropicCmd(t, vars, "", "audit", "verify", "--checkpoint", forged)
		if err == nil || exitCode(err) != 3 || !strings.Contains(err.Error(), "not genuine") {
			t.Fatalf("got %v, want exit 3 calling the checkpoint not genuine", err)
		}
	})
	t.Run("A checkpoint file with a broken line fails, naming the line", func(t *testing.T) {
		broken := filepath.Join(dir, "broken.txt")
		os.WriteFile(broken, []byte("\n"+line[:60]+"\n"), 0o600)
		_, _, err := tropicCmd(t, vars, "", "audit", "verify", "--checkpoint", broken)
		if err == nil || exitCode(err) != 3 || !strings.Contains(err.Error(), "line 2") {
			t.Fatalf("got %v, want exit 3 naming line 2", err)
		}
	})
	t.Run("Without the key the keyed chain is not verified, and the message says how to give it", func(t *testing.T) {
		_, _, err := tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": path}, "", "audit", "verify")
		if err == nil || !strings.Contains(err.Error(), "TROPIC_AUDIT_KEY_FILE") {
			t.Fatalf("got %v, want it to ask for TROPIC_AUDIT_KEY_FILE", err)
		}
		_, _, err = tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": path}, "", "agency", "add", "--name", "Keyless", "--kind", "charity")
		if err == nil || !strings.Contains(err.Error(), "no audit key") {
			t.Fatalf("agency add without the key: got %v, want a refusal", err)
		}
	})

	// The attack: delete the newest two events (one of them under the checkpoint) and
	// move the head back to the event left newest.
	tamper(t, path, `DELETE FROM audit_events WHERE seq >= 3`)
	tamper(t, path, `UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_events WHERE seq = 2), key_id = (SELECT key_id FROM audit_events WHERE seq = 2)`)
	if out, _, err := tropicCmd(t, vars, "", "audit", "verify"); err != nil || !strings.Contains(out, "2 events") {
		t.Fatalf("plain verify after the cut: got %q, %v; the chain alone cannot tell (this is why checkpoints exist)", out, err)
	}
	_, _, err = tropicCmd(t, vars, "", "audit", "verify", "--checkpoint", kept)
	if err == nil || exitCode(err) != 3 || !strings.Contains(err.Error(), "the newest events were deleted") || !strings.Contains(err.Error(), "event 3") {
		t.Fatalf("verify --checkpoint after the cut: got %v, want exit 3 naming event 3 as deleted", err)
	}
	if _, _, err := tropicCmd(t, vars, "", "audit", "checkpoint"); err == nil || exitCode(err) != 3 {
		t.Fatalf("checkpoint of the cut chain: got %v, want a refusal (exit 3): the kept checkpoint shows the cut", err)
	}
}

func TestAuditKeyIsRequiredByServeAndRotates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tropic.db")
	t.Run("Serve refuses to start without an audit key and says how to make one", func(t *testing.T) {
		_, _, err := tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": path}, "", "serve", "--addr", "127.0.0.1:0")
		if err == nil || !strings.Contains(err.Error(), "tropic audit keygen --out") || !strings.Contains(err.Error(), "TROPIC_AUDIT_KEY_FILE") {
			t.Fatalf("got %v, want a refusal naming 'tropic audit keygen --out' and TROPIC_AUDIT_KEY_FILE", err)
		}
		if _, err := os.Stat(path); err == nil {
			t.Errorf("serve created the database before refusing")
		}
	})
	vars := adminSetup(t, path)
	key := vars["TROPIC_AUDIT_KEY_FILE"]
	t.Run("Keygen does not overwrite a key", func(t *testing.T) {
		_, _, err := tropicCmd(t, nil, "", "audit", "keygen", "--out", key)
		if err == nil || !strings.Contains(err.Error(), "--rotate") {
			t.Fatalf("got %v, want a refusal pointing to --rotate", err)
		}
	})
	t.Run("A key file others may read is refused", func(t *testing.T) {
		loose := filepath.Join(dir, "loose.key")
		b, _ := os.ReadFile(key)
		os.WriteFile(loose, b, 0o644)
		os.Chmod(loose, 0o644)
		_, _, err := tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": path, "TROPIC_AUDIT_KEY_FILE": loose}, "", "audit", "verify")
		if err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Fatalf("got %v, want a refusal saying chmod 600", err)
		}
	})
	t.Run("The key may be given in TROPIC_AUDIT_KEY itself, but not twice", func(t *testing.T) {
		b, _ := os.ReadFile(key)
		inline := map[string]string{"TROPIC_DATABASE_URL": path, "TROPIC_AUDIT_KEY": string(b)}
		if out, _, err := tropicCmd(t, inline, "", "audit", "verify"); err != nil || !strings.Contains(out, "intact") {
			t.Fatalf("verify with TROPIC_AUDIT_KEY: got %q, %v", out, err)
		}
		inline["TROPIC_AUDIT_KEY_FILE"] = key
		if _, _, err := tropicCmd(t, inline, "", "audit", "verify"); err == nil || exitCode(err) != 2 {
			t.Fatalf("both: got %v, want a usage error", err)
		}
	})

	first, _, err := tropicCmd(t, vars, "", "audit", "checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := tropicCmd(t, nil, "", "audit", "keygen", "--out", key, "--rotate")
	if err != nil || !strings.Contains(out, "added audit key") {
		t.Fatalf("keygen --rotate: got %q, %v", out, err)
	}
	if _, _, err := tropicCmd(t, vars, "a long enough test passphrase\n", "user", "add", "--email", "new@testshire.example", "--name", "New", "--agency", "1", "--roles", "triage"); err != nil {
		t.Fatalf("user add under the new key: %v", err)
	}
	second, _, err := tropicCmd(t, vars, "", "audit", "checkpoint")
	if err != nil || first[strings.Index(first, "key="):strings.Index(first, " sig=")] == second[strings.Index(second, "key="):strings.Index(second, " sig=")] {
		t.Fatalf("checkpoint after rotation: got %q, %v; want it signed with the new key (first: %q)", second, err, first)
	}
	kept := filepath.Join(dir, "kept.txt")
	os.WriteFile(kept, []byte(first+second), 0o600)
	if out, _, err := tropicCmd(t, vars, "", "audit", "verify", "--checkpoint", kept); err != nil || !strings.Contains(out, "extends all 2 checkpoints") {
		t.Fatalf("verify after rotation: got %q, %v; want both checkpoints extended", out, err)
	}
}

// An installation upgraded from before keying has unkeyed events at the start of its
// chain: its key is made with --existing-chain, which accepts them there. A new key
// file says the chain was keyed from its first event, and verify refuses them.
func TestAKeyForAnExistingChainAcceptsItsUnkeyedStart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tropic.db")
	plain := map[string]string{"TROPIC_DATABASE_URL": path}
	if _, _, err := tropicCmd(t, plain, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	// Events written before the key existed (agency add without a key).
	if _, _, err := tropicCmd(t, plain, "", "agency", "add", "--name", "Old Police", "--kind", "police"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		flags    []string
		marked   bool
		verified bool
	}{
		{nil, true, false},
		{[]string{"--existing-chain"}, false, true},
	} {
		key := filepath.Join(dir, fmt.Sprintf("audit-%v.key", tt.marked))
		if _, _, err := tropicCmd(t, nil, "", append([]string{"audit", "keygen", "--out", key}, tt.flags...)...); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(key)
		if strings.Contains(string(b), tropic.KeyedFromStart) != tt.marked {
			t.Errorf("keygen %v: the key file says %q, want the line %s: %v", tt.flags, b, tropic.KeyedFromStart, tt.marked)
		}
		out, _, err := tropicCmd(t, map[string]string{"TROPIC_DATABASE_URL": path, "TROPIC_AUDIT_KEY_FILE": key}, "", "audit", "verify")
		if (err == nil) != tt.verified {
			t.Errorf("keygen %v then verify: got %q, %v; want it to pass: %v", tt.flags, out, err, tt.verified)
		}
	}
}
