package tropic_test

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

var (
	keyA = "ka:" + strings.Repeat("11", 32)
	keyB = "kb:" + strings.Repeat("22", 32)
)

func TestParseAuditKeys(t *testing.T) {
	tests := []struct {
		name        string
		text        string
		wantCurrent string // "" when the text must be refused
		wantIDs     string
		wantErr     string
	}{
		{"One key is current", keyA + "\n", "ka", "ka", ""},
		{"The last key of a file is current; comments and blank lines are skipped", "# rotated 2026-12-06\n" + keyA + "\n\n" + keyB + "\n", "kb", "ka,kb", ""},
		{"An environment variable may separate keys by commas", keyA + "," + keyB, "kb", "ka,kb", ""},
		{"Nothing is no keyring", "# only a comment\n", "", "", "no audit key"},
		{"A key without an id is refused", strings.Repeat("11", 32), "", "", "ID:HEX"},
		{"A secret that is not hex is refused", "ka:xyz", "", "", "ID:HEX"},
		{"A short secret is refused", "ka:" + strings.Repeat("11", 31), "", "", "at least 32 bytes"},
		{"An id with capitals is refused", "KA:" + strings.Repeat("11", 32), "", "", "lower-case"},
		{"The same id twice is refused", keyA + "\n" + "ka:" + strings.Repeat("33", 32), "", "", "twice"},
		{"The chain keyed from its start is a line of its own", tropic.KeyedFromStart + "\n" + keyA, "ka", "ka", ""},
		{"A misspelt marker is refused, not taken for no marker", "keyed-from-the-start\n" + keyA, "", "", "ID:HEX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := tropic.ParseAuditKeys(tt.text)
			if tt.wantCurrent == "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || k.Current().ID != tt.wantCurrent || strings.Join(k.IDs(), ",") != tt.wantIDs {
				t.Fatalf("got %v, %v; want current %s of %s", k, err, tt.wantCurrent, tt.wantIDs)
			}
		})
	}
}

func TestNewAuditKeyRoundTripsThroughItsText(t *testing.T) {
	k, err := tropic.NewAuditKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := tropic.ParseAuditKeys(k.String())
	if err != nil || ring.Current().ID != k.ID || !bytes.Equal(ring.Current().Secret, k.Secret) {
		t.Fatalf("got %v, %v; want the key %s back", ring, err, k.ID)
	}
	other, _ := tropic.NewAuditKey(rand.Reader)
	if other.ID == k.ID || bytes.Equal(other.Secret, k.Secret) {
		t.Fatalf("two new keys are the same: %s", k.ID)
	}
}

func TestAuditKeyringSealsWithTheCurrentKeyAndChecksWithAny(t *testing.T) {
	old, _ := tropic.ParseAuditKeys(keyA)
	rotated, _ := tropic.ParseAuditKeys(keyA + "\n" + keyB)
	e := tropic.AuditEvent{Seq: 1, At: time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC), Action: tropic.AuditAgencyCreated, PrevHash: tropic.AuditGenesis}
	old.Seal(&e)
	if e.KeyID != "ka" || e.Hash == e.ComputeHash() || len(e.Hash) != 64 {
		t.Fatalf("got key %q hash %q; want an HMAC under ka, not the plain hash", e.KeyID, e.Hash)
	}
	if p := rotated.AuditHashProblem(&e, false); p != "" {
		t.Fatalf("the rotated keyring refuses an event of its old key: %s", p)
	}
	n := e
	rotated.Seal(&n)
	if n.KeyID != "kb" || old.AuditHashProblem(&n, true) == "" {
		t.Fatalf("got key %q, and the old keyring accepted it; want kb, unknown to the old keyring", n.KeyID)
	}
	changed := e
	changed.Detail = "changed"
	if p := old.AuditHashProblem(&changed, false); !strings.Contains(p, "changed after it was written") {
		t.Fatalf("got %q for a changed event, want it called changed", p)
	}
	plain := e
	plain.KeyID, plain.Hash = "", e.ComputeHash()
	if p := old.AuditHashProblem(&plain, false); p != "" {
		t.Fatalf("an unkeyed event before any keyed one: got %q, want it accepted (written before keying)", p)
	}
	if p := old.AuditHashProblem(&plain, true); !strings.Contains(p, "without the audit key") {
		t.Fatalf("an unkeyed event after a keyed one: got %q, want it refused", p)
	}
}

func TestAuditCheckpointSignatures(t *testing.T) {
	ring, _ := tropic.ParseAuditKeys(keyA)
	c := ring.SignCheckpoint(42, strings.Repeat("ab", 32), time.Date(2026, 12, 6, 7, 0, 0, 999, time.FixedZone("X", 3600)))
	line := c.String()
	want := "tropic-audit-checkpoint v1 seq=42 head=" + strings.Repeat("ab", 32) + " at=2026-12-06T06:00:00Z key=ka sig="
	if !strings.HasPrefix(line, want) {
		t.Fatalf("got line %q, want it to start %q", line, want)
	}
	back, err := tropic.ParseAuditCheckpoint(line)
	if err != nil || back.String() != line || ring.VerifyCheckpoint(back) != nil {
		t.Fatalf("got %v, %v; want the line back with a signature that holds", back, err)
	}
	other, _ := tropic.ParseAuditKeys("ka:" + strings.Repeat("99", 32))
	if err := other.VerifyCheckpoint(back); err == nil {
		t.Fatal("another secret under the same id verified the checkpoint")
	}
	pub, ok := ring.CheckpointPublicKey("ka")
	if !ok || len(pub) != 32 {
		t.Fatalf("got public key %x, %v", pub, ok)
	}
}

func TestParseAuditCheckpointRefusesMalformedLines(t *testing.T) {
	ring, _ := tropic.ParseAuditKeys(keyA)
	good := ring.SignCheckpoint(7, strings.Repeat("cd", 32), time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC)).String()
	tests := []struct{ name, line, want string }{
		{"Empty", "", "a checkpoint line reads"},
		{"Another version", strings.Replace(good, " v1 ", " v2 ", 1), "a checkpoint line reads"},
		{"A negative sequence", strings.Replace(good, "seq=7", "seq=-7", 1), "seq"},
		{"A sequence with a leading zero", strings.Replace(good, "seq=7", "seq=07", 1), "seq"},
		{"An upper-case head", strings.Replace(good, strings.Repeat("cd", 32), strings.Repeat("CD", 32), 1), "head"},
		{"A short head", strings.Replace(good, strings.Repeat("cd", 32), strings.Repeat("cd", 31), 1), "head"},
		{"A time with an offset", strings.Replace(good, "2026-12-06T07:00:00Z", "2026-12-06T08:00:00+01:00", 1), "at"},
		{"A bad key id", strings.Replace(good, "key=ka", "key=K!", 1), "key"},
		{"Fields out of order", strings.Replace(strings.Replace(good, "seq=7", "SEQ", 1), "key=ka", "seq=7", 1), "field"},
		{"A short signature", good[:len(good)-4], "sig"},
		{"Two spaces", strings.Replace(good, " seq", "  seq", 1), "a checkpoint line reads"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tropic.ParseAuditCheckpoint(tt.line); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error naming %q", err, tt.want)
			}
		})
	}
	t.Run("A file's checkpoint lines are read from the tag on; a bad one names its line", func(t *testing.T) {
		cps, err := tropic.ParseAuditCheckpoints("From the digest of Monday:\nAudit checkpoint: " + good + "\r\n\n" + good + "\n")
		if err != nil || len(cps) != 2 || cps[0].Seq != 7 {
			t.Fatalf("got %v, %v; want two checkpoints", cps, err)
		}
		if _, err := tropic.ParseAuditCheckpoints("x\n" + good[:40] + "\n"); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Fatalf("got %v, want an error naming line 2", err)
		}
		if _, err := tropic.ParseAuditCheckpoints("nothing here\n"); err == nil || !strings.Contains(err.Error(), "no checkpoint lines") {
			t.Fatalf("got %v, want an error saying there is no checkpoint", err)
		}
	})
}

// FuzzParseAuditCheckpoint: checkpoint lines come from outside (files, e-mail). A line
// either is refused or parses to a checkpoint that prints back to exactly that line,
// so that the signed text cannot differ from the text read; nothing panics.
func FuzzParseAuditCheckpoint(f *testing.F) {
	ring, _ := tropic.ParseAuditKeys(keyA)
	good := ring.SignCheckpoint(7, strings.Repeat("cd", 32), time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC)).String()
	for _, s := range []string{good, "", "tropic-audit-checkpoint v1", strings.Replace(good, "seq=7", "seq=+7", 1),
		strings.Replace(good, "at=2026", "at=0000", 1), good + " ", good + "\n" + good} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, err := tropic.ParseAuditCheckpoint(line)
		if err != nil {
			return
		}
		if c.String() != line {
			t.Fatalf("%q parsed to %+v, which prints as %q", line, c, c.String())
		}
		if c.Seq < 0 || len(c.Head) != 64 || len(c.Signature) != 64 {
			t.Fatalf("%q parsed to an impossible checkpoint %+v", line, c)
		}
		if ring.VerifyCheckpoint(c) == nil && line != good {
			t.Fatalf("%q differs from the signed line but its signature holds", line)
		}
		if _, err := tropic.ParseAuditCheckpoints(line); err != nil {
			t.Fatalf("%q parses alone but not as a file: %v", line, err)
		}
	})
}

// An unkeyed event is a rewrite anywhere in a chain keyed from its start, and only
// after a keyed event otherwise.
func TestUnkeyedEventsInAChainKeyedFromItsStart(t *testing.T) {
	plain, err := tropic.ParseAuditKeys(keyA)
	if err != nil {
		t.Fatal(err)
	}
	strict, err := tropic.ParseAuditKeys(tropic.KeyedFromStart + " " + keyA)
	if err != nil {
		t.Fatal(err)
	}
	e := &tropic.AuditEvent{Seq: 1, Action: "agency.created", PrevHash: tropic.AuditGenesis}
	e.Hash = e.ComputeHash()
	if p := plain.AuditHashProblem(e, false); p != "" {
		t.Errorf("an unkeyed first event, key file without the marker: %q, want none", p)
	}
	if p := strict.AuditHashProblem(e, false); !strings.Contains(p, tropic.KeyedFromStart) {
		t.Errorf("an unkeyed first event, key file keyed from the start: %q, want it refused", p)
	}
	if !plain.WithKeyedFromStart().Knows("ka") || plain.WithKeyedFromStart().AuditHashProblem(e, false) == "" {
		t.Error("WithKeyedFromStart does not mark the keyring")
	}
}
