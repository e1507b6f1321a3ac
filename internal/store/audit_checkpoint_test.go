package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// The attacker below can write to the database (a stolen backup restored, a DBA, a
// process with its credentials) but does not hold the audit key. Before the chain was
// keyed and checkpointed, each of these attacks passed verification.

// rewrite replaces the whole audit table with events, renumbered from 1 and, from
// index from on, rechained and rehashed by seal; the head is moved to the last. It is
// what an attacker does after deleting rows.
func (r *rawDB) rewrite(t *testing.T, events []rawEvent, from int, seal func(e *tropic.AuditEvent)) {
	t.Helper()
	r.exec(t, `DELETE FROM audit_events`)
	prev := tropic.AuditGenesis
	var last tropic.AuditEvent
	for i, re := range events {
		e := re.AuditEvent
		e.Seq = int64(i + 1)
		if i >= from {
			e.PrevHash = prev
			seal(&e)
		}
		r.insertEvent(t, e)
		prev, last = e.Hash, e
	}
	r.exec(t, `UPDATE audit_head SET seq = ?, hash = ?, key_id = ? WHERE id = 1`, last.Seq, last.Hash, last.KeyID)
}

// unkeyed rehashes an event the way the store did before the chain was keyed.
func unkeyed(e *tropic.AuditEvent) { e.KeyID, e.Hash = "", e.ComputeHash() }

// guessedKey is an attacker's own key under the real key's id.
var guessedKey = mustAuditKeys("ktest:" + strings.Repeat("00", 32))

func TestAuditChainWithCheckpointsResistsTruncationAndRehashing(t *testing.T) {
	const before, after = 6, 2 // events before the checkpoint, and after it
	tests := []struct {
		name string
		// tamper attacks a chain of before+after events; events[i] is event i+1.
		tamper func(t *testing.T, r *rawDB, events []rawEvent)
		// plainHolds: VerifyAudit alone does not notice (the reason checkpoints exist).
		plainHolds bool
		wantSeq    int64
		wantReason string
	}{
		{name: "Deleting the newest three events and moving the head back is noticed by the checkpoint",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				r.exec(t, `DELETE FROM audit_events WHERE seq > ?`, before-1)
				last := ev[before-2]
				r.exec(t, `UPDATE audit_head SET seq = ?, hash = ?, key_id = ? WHERE id = 1`, last.Seq, last.Hash, last.KeyID)
			}, plainHolds: true, wantSeq: before, wantReason: "the newest events were deleted"},
		{name: "Deleting every event after the first and moving the head back is noticed by the checkpoint",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				r.exec(t, `DELETE FROM audit_events WHERE seq > 1`)
				r.exec(t, `UPDATE audit_head SET seq = 1, hash = ?, key_id = ? WHERE id = 1`, ev[0].Hash, ev[0].KeyID)
			}, plainHolds: true, wantSeq: 2, wantReason: "the newest events were deleted"},
		{name: "Deleting a middle event and rehashing the rest without the key, as the store once did, is noticed",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				r.rewrite(t, append(ev[:2:2], ev[3:]...), 2, unkeyed)
			}, wantSeq: 3, wantReason: "without the audit key after keyed events"},
		{name: "Deleting a middle event and rehashing the rest with a guessed key is noticed",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				r.rewrite(t, append(ev[:2:2], ev[3:]...), 2, guessedKey.Seal)
			}, wantSeq: 3, wantReason: "does not match its keyed hash"},
		{name: "Deleting the newest event and rehashing the last kept one with a guessed key is noticed",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				r.rewrite(t, ev[:before+after-1], before+after-2, guessedKey.Seal)
			}, wantSeq: before + after - 1, wantReason: "does not match its keyed hash"},
		{name: "Deleting a middle event and rehashing the whole chain without the key is noticed by the checkpoint",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				r.rewrite(t, append(ev[:2:2], ev[3:]...), 0, unkeyed)
			}, plainHolds: true, wantSeq: before, wantReason: "not the event the checkpoint"},
		{name: "Changing an event before the checkpoint and rehashing the whole chain without the key is noticed by the checkpoint",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				ev[1].Detail = "Innocent Agency"
				r.rewrite(t, ev, 0, unkeyed)
			}, plainHolds: true, wantSeq: before, wantReason: "not the event the checkpoint"},
	}
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t, d)
				ctx := context.Background()
				cp := e.chainWithCheckpoint(t, before, after)

				r := openRaw(t, d, e.dsn)
				tt.tamper(t, r, r.events(t))
				r.Close()

				v, err := e.audit.VerifyAudit(ctx)
				if err != nil {
					t.Fatalf("verify: %v", err)
				}
				if tt.plainHolds != (v.Problem == nil) {
					t.Fatalf("verify without checkpoints: got problem %+v, want one: %v", v.Problem, !tt.plainHolds)
				}
				v, err = e.audit.VerifyAuditCheckpoints(ctx, []tropic.AuditCheckpoint{cp})
				if err != nil {
					t.Fatalf("verify with the checkpoint: %v", err)
				}
				if p := v.Problem; p == nil || p.Seq != tt.wantSeq || !strings.Contains(p.Reason, tt.wantReason) {
					t.Fatalf("got problem %+v in %d events, want one naming event %d and saying %q", p, v.Events, tt.wantSeq, tt.wantReason)
				}
			})
		}
	})
}

// chainWithCheckpoint writes before events, makes a checkpoint, writes after more
// and returns the checkpoint.
func (e *env) chainWithCheckpoint(t *testing.T, before, after int) tropic.AuditCheckpoint {
	t.Helper()
	var cp tropic.AuditCheckpoint
	for i := range before + after {
		if i == before {
			c, p, err := e.audit.CreateAuditCheckpoint(context.Background())
			if err != nil || p != nil || c.Seq != int64(before) {
				t.Fatalf("checkpoint: got %+v, %+v, %v; want one of event %d", c, p, err, before)
			}
			cp = *c
		}
		e.agency(t, fmt.Sprintf("Agency %d", i+1))
		e.clock.Advance(1234567 * time.Microsecond)
	}
	return cp
}

func TestAuditCheckpointsThatAreNotGenuineAreRefused(t *testing.T) {
	tests := []struct {
		name   string
		forge  func(c tropic.AuditCheckpoint) tropic.AuditCheckpoint
		reason string
	}{
		{"A checkpoint whose signature was changed is refused", func(c tropic.AuditCheckpoint) tropic.AuditCheckpoint {
			c.Signature = append([]byte(nil), c.Signature...)
			c.Signature[10] ^= 1
			return c
		}, "signature does not match"},
		{"A checkpoint moved back to an earlier event, keeping its signature, is refused", func(c tropic.AuditCheckpoint) tropic.AuditCheckpoint {
			c.Seq--
			return c
		}, "signature does not match"},
		{"A checkpoint given another head, keeping its signature, is refused", func(c tropic.AuditCheckpoint) tropic.AuditCheckpoint {
			c.Head = strings.Repeat("0", 64)
			return c
		}, "signature does not match"},
		{"A checkpoint signed with a guessed key under the real key's id is refused", func(c tropic.AuditCheckpoint) tropic.AuditCheckpoint {
			return guessedKey.SignCheckpoint(c.Seq-2, c.Head, c.At)
		}, "signature does not match"},
		{"A checkpoint naming a key the keyring lacks is refused", func(c tropic.AuditCheckpoint) tropic.AuditCheckpoint {
			c.KeyID = "kother"
			return c
		}, "not in the keyring"},
	}
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		cp := e.chainWithCheckpoint(t, 4, 1)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				forged := tt.forge(cp)
				// The forged line still reads as a checkpoint: only its signature fails.
				if back, err := tropic.ParseAuditCheckpoint(forged.String()); err != nil || back.String() != forged.String() {
					t.Fatalf("the forged line %q does not parse back: %v", forged, err)
				}
				v, err := e.audit.VerifyAuditCheckpoints(ctx, []tropic.AuditCheckpoint{cp, forged})
				if err != nil {
					t.Fatalf("verify: %v", err)
				}
				if v.Problem == nil || !strings.Contains(v.Problem.Reason, "not genuine") || !strings.Contains(v.Problem.Reason, tt.reason) {
					t.Fatalf("got problem %+v, want the checkpoint refused as not genuine: %q", v.Problem, tt.reason)
				}
			})
		}
	})
}

func TestAuditChainThatGrowsAfterItsCheckpointsVerifies(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		first := e.chainWithCheckpoint(t, 3, 2)
		second, p, err := e.audit.CreateAuditCheckpoint(ctx)
		if err != nil || p != nil || second.Seq != 5 {
			t.Fatalf("second checkpoint: got %+v, %+v, %v; want one of event 5", second, p, err)
		}
		e.agency(t, "Agency after both")

		t.Run("The chain extends every checkpoint", func(t *testing.T) {
			v, err := e.audit.VerifyAuditCheckpoints(ctx, []tropic.AuditCheckpoint{*second, first})
			if err != nil || v.Problem != nil || v.Events != 6 || v.Checkpoints != 2 || v.Legacy != 0 {
				t.Fatalf("got %+v (problem %+v), %v; want 6 keyed events extending 2 checkpoints", v, v.Problem, err)
			}
		})
		t.Run("A checkpoint of the empty chain holds for any chain", func(t *testing.T) {
			empty := testAuditKeys.SignCheckpoint(0, tropic.AuditGenesis, t0)
			v, err := e.audit.VerifyAuditCheckpoints(ctx, []tropic.AuditCheckpoint{empty})
			if err != nil || v.Problem != nil || v.Checkpoints != 1 {
				t.Fatalf("got %+v (problem %+v), %v; want no problem", v, v.Problem, err)
			}
		})
		t.Run("A rotated key keeps verifying the events and checkpoints of the old one", func(t *testing.T) {
			rotated := mustAuditKeys("ktest:" + strings.Repeat("5a", 32) + "\nknew:" + strings.Repeat("6b", 32))
			db, err := store.Open(ctx, e.dsn, store.Options{Now: e.clock.Now, AuditKeys: rotated})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			audit := store.NewAuditService(db)
			if err := store.NewAgencyService(db).CreateAgency(ctx, admin, &tropic.Agency{Name: "Agency under the new key", Kind: tropic.AgencyCharity}); err != nil {
				t.Fatal(err)
			}
			third, p, err := audit.CreateAuditCheckpoint(ctx)
			if err != nil || p != nil || third.KeyID != "knew" {
				t.Fatalf("checkpoint under the new key: got %+v, %+v, %v", third, p, err)
			}
			v, err := audit.VerifyAuditCheckpoints(ctx, []tropic.AuditCheckpoint{first, *second, *third})
			if err != nil || v.Problem != nil || v.Events != 7 || v.Checkpoints != 3 {
				t.Fatalf("got %+v (problem %+v), %v; want 7 events extending 3 checkpoints", v, v.Problem, err)
			}
			events, _, err := audit.FindAuditEvents(ctx, tropic.AuditFilter{Limit: 1})
			if err != nil || events[0].KeyID != "knew" {
				t.Fatalf("got newest event %+v, %v; want it hashed with the new key", events[0], err)
			}
		})
		t.Run("Without its key the keyed chain is neither verified nor written", func(t *testing.T) {
			db, err := store.Open(ctx, e.dsn, store.Options{Now: e.clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := store.NewAuditService(db).VerifyAudit(ctx); err == nil || !strings.Contains(err.Error(), "no audit key") {
				t.Errorf("verify without the key: got %v, want it to ask for the key", err)
			}
			err = store.NewAgencyService(db).CreateAgency(ctx, admin, &tropic.Agency{Name: "Agency without a key", Kind: tropic.AgencyCharity})
			if err == nil || !strings.Contains(err.Error(), "no audit key") {
				t.Errorf("write without the key: got %v, want a refusal asking for the key", err)
			}
		})
	})
}

func TestDailyAuditCheckpointIsMadeOncePerPeriod(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		e.agency(t, "Police")
		first, p, err := e.audit.DailyAuditCheckpoint(ctx, 24*time.Hour)
		if err != nil || p != nil || first == nil || first.Seq != 1 {
			t.Fatalf("first: got %+v, %+v, %v; want a checkpoint of event 1", first, p, err)
		}
		e.agency(t, "Charity")
		e.clock.Advance(time.Hour)
		again, _, err := e.audit.DailyAuditCheckpoint(ctx, 24*time.Hour)
		if err != nil || again.String() != first.String() {
			t.Fatalf("an hour later: got %v, %v; want the same checkpoint %v", again, err, first)
		}
		e.clock.Advance(24 * time.Hour)
		next, _, err := e.audit.DailyAuditCheckpoint(ctx, 24*time.Hour)
		if err != nil || next.Seq != 2 || !next.At.After(first.At) {
			t.Fatalf("a day later: got %v, %v; want a new checkpoint of event 2", next, err)
		}

		// A chain cut back below a kept checkpoint gets no new checkpoint: the
		// digest reports the problem instead of blessing the cut chain.
		r := openRaw(t, d, e.dsn)
		ev := r.events(t)
		r.exec(t, `DELETE FROM audit_events WHERE seq = 2`)
		r.exec(t, `UPDATE audit_head SET seq = 1, hash = ?, key_id = ? WHERE id = 1`, ev[0].Hash, ev[0].KeyID)
		r.Close()
		e.clock.Advance(24 * time.Hour)
		cp, p, err := e.audit.DailyAuditCheckpoint(ctx, 24*time.Hour)
		if err != nil || cp != nil || p == nil || !strings.Contains(p.Reason, "newest events were deleted") {
			t.Fatalf("after a cut: got %v, %+v, %v; want no checkpoint and the cut named", cp, p, err)
		}
	})
}

// Rewriting a whole chain as unkeyed events, as if they predated the key, passed plain
// verification (only a checkpoint noticed it). A key file made for a new installation
// says the chain was keyed from its first event, and then plain verify notices too.
func TestAKeyFileKeyedFromTheStartRefusesAChainRewrittenUnkeyed(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		keys := mustAuditKeys(tropic.KeyedFromStart + "\nktest:" + strings.Repeat("5a", 32))
		clock := storetest.NewClock(t0)
		db, dsn := storetest.OpenURL(t, d, store.Options{Now: clock.Now, AuditKeys: keys})
		agencies, audit := store.NewAgencyService(db), store.NewAuditService(db)
		for i := range 4 {
			if err := agencies.CreateAgency(ctx, tropic.SystemActor("test"), &tropic.Agency{Name: fmt.Sprintf("Agency %d", i+1), Kind: tropic.AgencyCharity}); err != nil {
				t.Fatal(err)
			}
		}
		if v, err := audit.VerifyAudit(ctx); err != nil || v.Problem != nil {
			t.Fatalf("the untouched chain: %+v, %v", v, err)
		}
		r := openRaw(t, d, dsn)
		events := r.events(t)
		events[1].Detail = "Innocent Agency"
		r.rewrite(t, events, 0, unkeyed)
		r.Close()
		v, err := audit.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v.Problem == nil || v.Problem.Seq != 1 || !strings.Contains(v.Problem.Reason, tropic.KeyedFromStart) {
			t.Fatalf("a chain rewritten unkeyed: got problem %+v, want event 1 refused as keyed from the start", v.Problem)
		}
	})
}
