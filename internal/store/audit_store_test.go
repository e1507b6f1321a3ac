package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestAuditRecordsEveryChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		a := e.agency(t, "Police")
		u := e.user(t, a.ID, "audit@example.org")
		must(e.users.ReserveLoginAttempt(ctx, u.ID, tropic.LoginPolicy{LockAfter: 1, LockFor: time.Minute}))
		must(e.users.RecordLoginFailure(ctx, u.ID, "wrong password", tropic.LoginPolicy{LockAfter: 1, LockFor: time.Minute}))
		must(e.users.RecordLoginFailure(ctx, 0, "unknown account", testPolicy))
		must(e.users.RecordLoginSuccess(ctx, u.ID, "password"))
		must(e.users.EnrolMFA(ctx, u.ID, "JBSWY3DPEHPK3PXP", 1))
		must(e.users.SetPassword(ctx, admin, u.ID, fakeHash))
		tok := &tropic.Token{UserID: u.ID}
		must(e.tokens.CreateToken(ctx, tropic.ActorFor(u), tok, "audit-token"))
		must(e.tokens.RevokeToken(ctx, tropic.ActorFor(u), tok.ID))
		must(e.users.RecordLogout(ctx, u.ID))
		must(e.users.DisableUser(ctx, admin, u.ID))

		all := []string{tropic.AuditAgencyCreated, tropic.AuditUserCreated, tropic.AuditLoginLocked, tropic.AuditLoginFailed,
			tropic.AuditLoginFailed, tropic.AuditLoginSucceeded, tropic.AuditMFAEnrolled, tropic.AuditUserPassword,
			tropic.AuditTokenCreated, tropic.AuditTokenRevoked, tropic.AuditLogout, tropic.AuditUserDisabled}
		if got := e.actions(t); !slices.Equal(got, all) {
			t.Fatalf("got actions %q, want %q", got, all)
		}

		tests := []struct {
			name      string
			filter    tropic.AuditFilter
			wantSeqs  []int64
			wantTotal int
		}{
			{"Events are listed newest first", tropic.AuditFilter{Limit: 3}, []int64{12, 11, 10}, 12},
			{"An offset pages through older events", tropic.AuditFilter{Limit: 3, Offset: 10}, []int64{2, 1}, 12},
			{"Events are filtered by action", tropic.AuditFilter{Action: tropic.AuditLoginFailed}, []int64{5, 4}, 2},
			{"Events are filtered by the acting user", tropic.AuditFilter{UserID: u.ID}, []int64{11, 10, 9, 7, 6, 4, 3}, 7},
			{"A filter that matches nothing lists nothing", tropic.AuditFilter{Action: "no.such.action"}, nil, 0},
			{"A limit of zero lists the default page", tropic.AuditFilter{}, []int64{12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 12},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				events, total, err := e.audit.FindAuditEvents(ctx, tt.filter)
				if err != nil {
					t.Fatalf("find audit events: %v", err)
				}
				var seqs []int64
				for _, ev := range events {
					seqs = append(seqs, ev.Seq)
				}
				if !slices.Equal(seqs, tt.wantSeqs) || total != tt.wantTotal {
					t.Fatalf("got seqs %v of %d, want %v of %d", seqs, total, tt.wantSeqs, tt.wantTotal)
				}
			})
		}

		t.Run("Each event is chained to the one before and carries its actor", func(t *testing.T) {
			events, _, err := e.audit.FindAuditEvents(ctx, tropic.AuditFilter{Limit: 500})
			if err != nil {
				t.Fatalf("find audit events: %v", err)
			}
			prev := tropic.AuditGenesis
			for i := len(events) - 1; i >= 0; i-- {
				ev := events[i]
				if ev.PrevHash != prev || ev.KeyID != "ktest" || testAuditKeys.AuditHashProblem(ev, true) != "" || !ev.At.Equal(t0) {
					t.Fatalf("got event %+v, want prev hash %s, a matching hash and time %v", ev, prev, t0)
				}
				prev = ev.Hash
			}
			if ev := events[len(events)-1]; ev.ActorLabel != admin.Label || ev.UserID != 0 {
				t.Fatalf("got first event by %q (user %d), want the system actor %q", ev.ActorLabel, ev.UserID, admin.Label)
			}
		})
	})
}

// rawEvent is an audit row as read straight from the table.
type rawEvent struct {
	id int64
	tropic.AuditEvent
}

func (r *rawDB) events(t *testing.T) []rawEvent {
	t.Helper()
	rows, err := r.Query(`SELECT id, seq, at, user_id, agency_id, actor_label, action, object_type, object_id, detail, prev_hash, hash, key_id FROM audit_events ORDER BY id`)
	if err != nil {
		t.Fatalf("read audit rows: %v", err)
	}
	defer rows.Close()
	var out []rawEvent
	for rows.Next() {
		var e rawEvent
		if err := rows.Scan(&e.id, &e.Seq, &e.At, &e.UserID, &e.AgencyID, &e.ActorLabel, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail, &e.PrevHash, &e.Hash, &e.KeyID); err != nil {
			t.Fatalf("scan audit row: %v", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read audit rows: %v", err)
	}
	return out
}

func (r *rawDB) insertEvent(t *testing.T, e tropic.AuditEvent) {
	t.Helper()
	r.exec(t, `INSERT INTO audit_events (seq, at, user_id, agency_id, actor_label, action, object_type, object_id, detail, prev_hash, hash, key_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, r.timeArg(e.At), e.UserID, e.AgencyID, e.ActorLabel, e.Action, e.ObjectType, e.ObjectID, e.Detail, e.PrevHash, e.Hash, e.KeyID)
}

// insertAt puts forged into the chain before the event with sequence number seq, the
// way a careful forger would: the rows from there on are taken out and written back
// after it, each renumbered one on, so that the sequence stays contiguous.
func (r *rawDB) insertAt(t *testing.T, seq int64, forged tropic.AuditEvent) {
	t.Helper()
	var moved []rawEvent
	for _, e := range r.events(t) {
		if e.Seq >= seq {
			moved = append(moved, e)
		}
	}
	r.exec(t, `DELETE FROM audit_events WHERE seq >= ?`, seq)
	r.insertEvent(t, forged)
	for _, e := range moved {
		e.Seq++
		r.insertEvent(t, e.AuditEvent)
	}
}

// forge returns a plausible event for sequence number seq that follows prev, with its
// hash computed the way the store computes it: the forger holds the audit key (an
// insider with it; the tests of the keyed chain forge without it).
func forge(seq int64, prev string) tropic.AuditEvent {
	e := tropic.AuditEvent{Seq: seq, At: t0, ActorLabel: "test", Action: tropic.AuditAgencyCreated,
		ObjectType: "agency", ObjectID: 99, Detail: "Forged Agency", PrevHash: prev}
	testAuditKeys.Seal(&e)
	return e
}

func TestVerifyAudit(t *testing.T) {
	const n = 6 // events in each test's chain
	tests := []struct {
		name       string
		only       store.Dialect // when the tampering is possible in one dialect only
		tamper     func(t *testing.T, r *rawDB, events []rawEvent)
		wantSeq    int64  // the event the problem names
		wantRowSeq int64  // the sequence number (after tampering) of the row it names; 0 for none
		wantReason string // a word the reason must hold
	}{
		{name: "Changing the first row's detail names the first row",
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `UPDATE audit_events SET detail = ? WHERE seq = ?`, "Innocent Agency", 1)
			}, wantSeq: 1, wantRowSeq: 1, wantReason: "changed"},
		{name: "Changing a middle row's action names that row",
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `UPDATE audit_events SET action = ? WHERE seq = ?`, tropic.AuditLogout, 3)
			}, wantSeq: 3, wantRowSeq: 3, wantReason: "changed"},
		{name: "Changing a middle row's user names that row",
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `UPDATE audit_events SET user_id = ? WHERE seq = ?`, 42, 4)
			}, wantSeq: 4, wantRowSeq: 4, wantReason: "changed"},
		{name: "Changing the last row's time names the last row",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				r.exec(t, `UPDATE audit_events SET at = ? WHERE seq = ?`, r.timeArg(ev[n-1].At.Add(time.Second)), n)
			}, wantSeq: n, wantRowSeq: n, wantReason: "changed"},
		{name: "Overwriting a row's time with text that is not a time names that row", only: store.SQLite,
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `UPDATE audit_events SET at = ? WHERE seq = ?`, "yesterday", 3)
			}, wantSeq: 3, wantRowSeq: 3, wantReason: "cannot be read"},
		{name: "Overwriting a row's user with text names that row", only: store.SQLite,
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `UPDATE audit_events SET user_id = ? WHERE seq = ?`, "someone else", 2)
			}, wantSeq: 2, wantRowSeq: 2, wantReason: "cannot be read"},
		{name: "Changing the last row and recomputing its hash names the last row",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				e := ev[n-1].AuditEvent
				e.Detail = "Innocent Agency"
				testAuditKeys.Seal(&e)
				r.exec(t, `UPDATE audit_events SET detail = ?, hash = ? WHERE seq = ?`, e.Detail, e.Hash, n)
			}, wantSeq: n, wantRowSeq: n, wantReason: "head"},
		{name: "Changing a middle row and recomputing its hash names the row after it",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				e := ev[2].AuditEvent
				e.Detail = "Innocent Agency"
				testAuditKeys.Seal(&e)
				r.exec(t, `UPDATE audit_events SET detail = ?, hash = ? WHERE seq = ?`, e.Detail, e.Hash, 3)
			}, wantSeq: 4, wantRowSeq: 4, wantReason: "does not follow"},
		{name: "A row inserted first with a copied hash names the inserted row",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				f := forge(1, tropic.AuditGenesis)
				f.Hash = ev[0].Hash
				r.insertAt(t, 1, f)
			}, wantSeq: 1, wantRowSeq: 1, wantReason: "changed"},
		{name: "A row inserted in the middle with a made-up hash names the inserted row",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				f := forge(4, ev[2].Hash)
				f.Hash = strings.Repeat("ab", 32)
				r.insertAt(t, 4, f)
			}, wantSeq: 4, wantRowSeq: 4, wantReason: "changed"},
		{name: "A row inserted in the middle with a correctly computed hash names the row after it",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				r.insertAt(t, 4, forge(4, ev[2].Hash))
			}, wantSeq: 5, wantRowSeq: 5, wantReason: "does not follow"},
		{name: "A row appended after the last with a correctly computed hash names the appended row",
			tamper: func(t *testing.T, r *rawDB, ev []rawEvent) {
				r.insertEvent(t, forge(n+1, ev[n-1].Hash))
			}, wantSeq: n + 1, wantRowSeq: n + 1, wantReason: "head"},
		{name: "Deleting the first row names it as missing",
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `DELETE FROM audit_events WHERE seq = ?`, 1)
			}, wantSeq: 1, wantRowSeq: 2, wantReason: "missing"},
		{name: "Deleting a middle row names it as missing",
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `DELETE FROM audit_events WHERE seq = ?`, 3)
			}, wantSeq: 3, wantRowSeq: 4, wantReason: "missing"},
		{name: "Deleting a middle row and renumbering the rest names the row after the gap",
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `DELETE FROM audit_events WHERE seq = ?`, 3)
				r.exec(t, `UPDATE audit_events SET seq = -(seq - 1) WHERE seq > ?`, 3)
				r.exec(t, `UPDATE audit_events SET seq = -seq WHERE seq < ?`, 0)
			}, wantSeq: 3, wantRowSeq: 3, wantReason: "does not follow"},
		{name: "Deleting the last row names it as missing",
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `DELETE FROM audit_events WHERE seq = ?`, n)
			}, wantSeq: n, wantReason: "deleted"},
		{name: "Deleting the last two rows names the first of them as missing",
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `DELETE FROM audit_events WHERE seq >= ?`, n-1)
			}, wantSeq: n - 1, wantReason: "deleted"},
		{name: "Deleting every row names the first as missing",
			tamper: func(t *testing.T, r *rawDB, _ []rawEvent) {
				r.exec(t, `DELETE FROM audit_events`)
			}, wantSeq: 1, wantReason: "deleted"},
	}
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		t.Run("An empty chain is intact", func(t *testing.T) {
			e := newEnv(t, d)
			v, err := e.audit.VerifyAudit(context.Background())
			if err != nil || v.Events != 0 || v.Problem != nil {
				t.Fatalf("got %+v, %v; want 0 events and no problem", v, err)
			}
		})
		for _, tt := range tests {
			if tt.only != "" && tt.only != d {
				continue
			}
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t, d)
				ctx := context.Background()
				for i := range n {
					e.agency(t, fmt.Sprintf("Agency %d", i+1))
					e.clock.Advance(1234567 * time.Microsecond)
				}
				v, err := e.audit.VerifyAudit(ctx)
				if err != nil || v.Events != n || v.Problem != nil {
					t.Fatalf("before tampering: got %+v (problem %+v), %v; want %d events and no problem", v, v.Problem, err, n)
				}

				r := openRaw(t, d, e.dsn)
				tt.tamper(t, r, r.events(t))
				var wantRowID int64
				if tt.wantRowSeq != 0 {
					if err := r.QueryRow(r.q(`SELECT id FROM audit_events WHERE seq = ?`), tt.wantRowSeq).Scan(&wantRowID); err != nil {
						t.Fatalf("find the row of event %d: %v", tt.wantRowSeq, err)
					}
				}
				r.Close()

				v, err = e.audit.VerifyAudit(ctx)
				if err != nil {
					t.Fatalf("verify: %v", err)
				}
				p := v.Problem
				if p == nil {
					t.Fatalf("got no problem in %d events, want one naming event %d", v.Events, tt.wantSeq)
				}
				if p.Seq != tt.wantSeq || p.RowID != wantRowID || !strings.Contains(p.Reason, tt.wantReason) {
					t.Fatalf("got problem %+v, want event %d, row %d, a reason saying %q", *p, tt.wantSeq, wantRowID, tt.wantReason)
				}
			})
		}
	})
}

func TestConcurrentWritersKeepOneChain(t *testing.T) {
	const (
		writers  = 8
		usersPer = 3
	)
	tests := []struct {
		name    string
		handles int // store handles on the one database, as separate processes would have
	}{
		{"Writers sharing one handle leave one intact chain", 1},
		{"Writers on two handles to the same database leave one intact chain", 2},
	}
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e := newEnv(t, d)
				ctx := context.Background()
				dbs := []*store.DB{e.db}
				for range tt.handles - 1 {
					db, err := store.Open(ctx, e.dsn, store.Options{AuditKeys: testAuditKeys})
					if err != nil {
						t.Fatalf("open second handle: %v", err)
					}
					t.Cleanup(func() { db.Close() })
					dbs = append(dbs, db)
				}

				var wg sync.WaitGroup
				errs := make(chan error, writers)
				start := make(chan struct{})
				for w := range writers {
					db := dbs[w%len(dbs)]
					wg.Go(func() {
						<-start
						agencies, users := store.NewAgencyService(db), store.NewUserService(db)
						a := &tropic.Agency{Name: fmt.Sprintf("Agency %d", w), Kind: tropic.AgencyCharity}
						if err := agencies.CreateAgency(ctx, admin, a); err != nil {
							errs <- fmt.Errorf("writer %d: create agency: %w", w, err)
							return
						}
						for i := range usersPer {
							u := &tropic.User{Email: fmt.Sprintf("w%d.u%d@example.org", w, i), Name: "Writer", AgencyID: a.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
							if err := users.CreateUser(ctx, admin, u, fakeHash); err != nil {
								errs <- fmt.Errorf("writer %d: create user: %w", w, err)
								return
							}
						}
					})
				}
				close(start)
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Error(err)
				}
				if t.Failed() {
					return
				}

				const want = writers * (1 + usersPer)
				v, err := e.audit.VerifyAudit(ctx)
				if err != nil || v.Events != want || v.Problem != nil {
					t.Fatalf("got %+v (problem %+v), %v; want %d events and no problem", v, v.Problem, err, want)
				}
				events, total, err := e.audit.FindAuditEvents(ctx, tropic.AuditFilter{Limit: 500})
				if err != nil || total != want {
					t.Fatalf("got %d events, %v; want %d", total, err, want)
				}
				for i, ev := range events {
					if wantSeq := int64(want - i); ev.Seq != wantSeq {
						t.Fatalf("got sequence %d at position %d, want %d", ev.Seq, i, wantSeq)
					}
				}
			})
		}
	})
}
