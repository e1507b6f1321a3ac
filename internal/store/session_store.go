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
// user. It implements scs's CtxStore (Find, Commit, Delete) and removes expired rows.
// It stores only the hash of each token (tropic.HashSecret), never the token itself:
// a copy of the table (a backup) holds no session that works as a cookie.
type SessionStore struct{ db *DB }

// NewSessionStore returns the session store on db.
func NewSessionStore(db *DB) *SessionStore { return &SessionStore{db: db} }

// FindCtx returns a live session's data.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT data FROM sessions WHERE token_hash = ? AND expiry > ?`), tropic.HashSecret(token), s.db.now().UTC()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return data, true, nil
}

// CommitCtx stores a session.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.write.ExecContext(ctx, s.db.rebind(`INSERT INTO sessions (token_hash, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`), tropic.HashSecret(token), b, expiry.UTC())
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

// DeleteCtx removes a session.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.write.ExecContext(ctx, s.db.rebind(`DELETE FROM sessions WHERE token_hash = ?`), tropic.HashSecret(token))
	return err
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

// DeleteExpired removes expired sessions and returns how many.
func (s *SessionStore) DeleteExpired(ctx context.Context) (int64, error) {
	res, err := s.db.write.ExecContext(ctx, s.db.rebind(`DELETE FROM sessions WHERE expiry <= ?`), s.db.now().UTC())
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}
