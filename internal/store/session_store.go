package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// SessionStore keeps web sessions in the database, so that any process serves any
// user. It implements tropic.SessionService, and scs's CtxStore (Find, Commit, Delete)
// for callers that want only storage, and removes expired rows.
// It stores only the hash of each token (tropic.HashSecret), never the token itself:
// a copy of the table (a backup) holds no session that works as a cookie.
//
// A session knows whose it is (user_id, once signed in), when it began (created_at),
// when its lifetime ends (ends_at) and when it was last used (last_seen). Its expiry is
// the sooner of ends_at and the idle timeout after last_seen, set by the store's clock
// at each commit, so that both limits follow the injected clock (scs reads time.Now);
// the limits are checked again when a session is found, in case they were shortened.
type SessionStore struct{ db *DB }

// NewSessionStore returns the session store on db.
func NewSessionStore(db *DB) *SessionStore { return &SessionStore{db: db} }

var _ tropic.SessionService = (*SessionStore)(nil)

// FindSession returns a session's data if it is live under lim.
func (s *SessionStore) FindSession(ctx context.Context, token string, lim tropic.SessionLimits) ([]byte, bool, error) {
	return s.find(ctx, token, &lim)
}

// find returns a session's data before its expiry and, when lim is not nil, live under lim.
func (s *SessionStore) find(ctx context.Context, token string, lim *tropic.SessionLimits) ([]byte, bool, error) {
	var data []byte
	var created, lastSeen time.Time
	now := s.db.now().UTC()
	err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT data, created_at, last_seen FROM sessions WHERE token_hash = ? AND expiry > ?`),
		tropic.HashSecret(token), now).Scan(&data, &created, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	if lim != nil && !lim.Live(created, lastSeen, now) {
		return nil, false, nil
	}
	return data, true, nil
}

// CommitSession stores a session's data for userID (0: nobody signed in yet) and marks
// it used now: it expires after the idle timeout, or at the end of its lifetime if
// sooner. A new session begins now.
func (s *SessionStore) CommitSession(ctx context.Context, token string, data []byte, userID int64, lim tropic.SessionLimits) error {
	now := s.db.now().UTC()
	lim = lim.WithDefaults()
	return s.commit(ctx, token, data, lim.Expires(now, now), now.Add(lim.Lifetime), userID, false)
}

// commit inserts or updates a session. A new one takes expiry and endsAt; an existing
// one takes expiry but no later than its own end (CommitSession), or with setEnd both
// (scs's Commit, whose expiry is all there is).
func (s *SessionStore) commit(ctx context.Context, token string, data []byte, expiry, endsAt time.Time, userID int64, setEnd bool) error {
	now := s.db.now().UTC()
	update := `data = excluded.data, user_id = excluded.user_id, last_seen = excluded.last_seen, `
	if setEnd {
		update += `expiry = excluded.expiry, ends_at = excluded.ends_at`
	} else {
		update += `expiry = CASE WHEN excluded.expiry < sessions.ends_at THEN excluded.expiry ELSE sessions.ends_at END`
	}
	var user sql.NullInt64
	if userID != 0 {
		user = sql.NullInt64{Int64: userID, Valid: true}
	}
	_, err := s.db.write.ExecContext(ctx, s.db.rebind(`INSERT INTO sessions (token_hash, data, expiry, ends_at, user_id, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (token_hash) DO UPDATE SET `+update), tropic.HashSecret(token), data, expiry.UTC(), endsAt.UTC(), user, now, now)
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

// DeleteSession removes one session by its token.
func (s *SessionStore) DeleteSession(ctx context.Context, token string) error {
	_, err := s.db.write.ExecContext(ctx, s.db.rebind(`DELETE FROM sessions WHERE token_hash = ?`), tropic.HashSecret(token))
	return err
}

// ListSessions returns the live sessions of userID, newest first, marking the one with
// token current. Only the user themselves (or the system) may list them.
func (s *SessionStore) ListSessions(ctx context.Context, actor tropic.Actor, userID int64, current string, lim tropic.SessionLimits) ([]tropic.Session, error) {
	if err := tropic.MayEndSessions(actor, userID); err != nil {
		return nil, err
	}
	now := s.db.now().UTC()
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT id, user_id, token_hash, created_at, last_seen FROM sessions
		WHERE user_id = ? AND expiry > ? ORDER BY created_at DESC, id DESC`), userID, now)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	currentHash := tropic.HashSecret(current)
	var out []tropic.Session
	for rows.Next() {
		var ss tropic.Session
		var hash string
		if err := rows.Scan(&ss.ID, &ss.UserID, &hash, &ss.Created, &ss.LastSeen); err != nil {
			return nil, fmt.Errorf("list sessions: %w", err)
		}
		ss.Created, ss.LastSeen = ss.Created.UTC(), ss.LastSeen.UTC()
		if !lim.Live(ss.Created, ss.LastSeen, now) {
			continue
		}
		ss.Expires = lim.Expires(ss.Created, ss.LastSeen)
		ss.Current = current != "" && hash == currentHash
		out = append(out, ss)
	}
	return out, rows.Err()
}

// EndSession ends the session numbered id if tropic.MayEndSessions allows; a session
// of someone else is "not found", like one that does not exist.
func (s *SessionStore) EndSession(ctx context.Context, actor tropic.Actor, id int64) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var owner sql.NullInt64
	err = tx.QueryRow(ctx, `SELECT user_id FROM sessions WHERE id = ?`, id).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return tropic.Errorf(tropic.ENOTFOUND, "Session not found.")
	} else if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	if err := tropic.MayEndSessions(actor, owner.Int64); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditSessionsEnded, objectType: "user", objectID: owner.Int64, detail: "one session"}); err != nil {
		return err
	}
	return tx.Commit()
}

// EndUserSessions ends every session of userID except the one with token keep (""
// ends them all) and returns how many ended.
func (s *SessionStore) EndUserSessions(ctx context.Context, actor tropic.Actor, userID int64, keep string) (int64, error) {
	if err := tropic.MayEndSessions(actor, userID); err != nil {
		return 0, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := endSessions(ctx, tx, `user_id = ? AND token_hash <> ?`, userID, tropic.HashSecret(keep))
	if err != nil {
		return 0, err
	}
	detail := fmt.Sprintf("everywhere: %d", n)
	if keep != "" {
		detail = fmt.Sprintf("other sessions: %d", n)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditSessionsEnded, objectType: "user", objectID: userID, detail: detail}); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// endSessions deletes the sessions matching where, inside tx: disabling a user or an
// agency ends their sessions in the same transaction.
func endSessions(ctx context.Context, tx *Tx, where string, args ...any) (int64, error) {
	res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE `+where, args...)
	if err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	return res.RowsAffected()
}

// FindCtx returns a live session's data (scs.CtxStore), without the idle timeout.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.find(ctx, token, nil)
}

// CommitCtx stores a session with scs's expiry (scs.CtxStore), bound to nobody.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return s.commit(ctx, token, b, expiry, expiry, 0, true)
}

// DeleteCtx removes a session.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.DeleteSession(ctx, token)
}

// Find, Commit and Delete satisfy scs.Store for callers without a context.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit stores a session.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete removes a session.
func (s *SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// DeleteExpired removes expired sessions (idle, or past their lifetime) and returns how many.
func (s *SessionStore) DeleteExpired(ctx context.Context) (int64, error) {
	res, err := s.db.write.ExecContext(ctx, s.db.rebind(`DELETE FROM sessions WHERE expiry <= ?`), s.db.now().UTC())
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}
