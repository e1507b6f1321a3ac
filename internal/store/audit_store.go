package store

import (
	"context"
	"fmt"

	"tropic/internal/tropic"
)

// AuditService reads and verifies the audit chain.
type AuditService struct{ db *DB }

var _ tropic.AuditService = (*AuditService)(nil)

// NewAuditService returns the audit service on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// auditEntry is what a store method knows about an event it records.
type auditEntry struct {
	action     string
	objectType string
	objectID   int64
	detail     string
}

// appendAudit writes an event at the head of the chain inside tx. The head row is
// locked for the rest of the transaction, so concurrent writers (in any process)
// queue behind each other and the chain stays one line.
func appendAudit(ctx context.Context, tx *Tx, actor tropic.Actor, e auditEntry) error {
	var seq int64
	var prev string
	if err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+tx.db.forUpdate()).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("read audit head: %w", err)
	}
	ev := &tropic.AuditEvent{
		Seq: seq + 1, At: tx.now, UserID: actor.UserID, AgencyID: actor.AgencyID, ActorLabel: actor.Label,
		Action: e.action, ObjectType: e.objectType, ObjectID: e.objectID, Detail: e.detail, PrevHash: prev,
	}
	ev.Hash = ev.ComputeHash()
	if _, err := tx.Exec(ctx, `INSERT INTO audit_events (seq, at, user_id, agency_id, actor_label, action, object_type, object_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.Seq, ev.At, ev.UserID, ev.AgencyID, ev.ActorLabel, ev.Action, ev.ObjectType, ev.ObjectID, ev.Detail, ev.PrevHash, ev.Hash); err != nil {
		return fmt.Errorf("write audit event: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, ev.Seq, ev.Hash); err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	return nil
}

const auditColumns = `id, seq, at, user_id, agency_id, actor_label, action, object_type, object_id, detail, prev_hash, hash`

func scanAudit(sc interface{ Scan(...any) error }, rowID *int64) (*tropic.AuditEvent, error) {
	var e tropic.AuditEvent
	var id int64
	if err := sc.Scan(&id, &e.Seq, &e.At, &e.UserID, &e.AgencyID, &e.ActorLabel, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	if rowID != nil {
		*rowID = id
	}
	e.At = e.At.UTC()
	return &e, nil
}

// FindAuditEvents returns events newest first, and the total that match.
func (s *AuditService) FindAuditEvents(ctx context.Context, f tropic.AuditFilter) ([]*tropic.AuditEvent, int, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where, args := "WHERE 1=1", []any{}
	if f.Action != "" {
		where += " AND action = ?"
		args = append(args, f.Action)
	}
	if f.UserID != 0 {
		where += " AND user_id = ?"
		args = append(args, f.UserID)
	}
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM audit_events `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit events: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := tx.Query(ctx, `SELECT `+auditColumns+` FROM audit_events `+where+` ORDER BY seq DESC LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit events: %w", err)
	}
	defer rows.Close()
	var out []*tropic.AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows, nil)
		if err != nil {
			return nil, 0, fmt.Errorf("scan audit event: %w", err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// VerifyAudit walks the whole chain in order and reports the first row that does not
// hold: a hash that does not match its content (a changed row), a previous hash that
// does not match the row before (an inserted row), a gap in the sequence or a head
// that points past the last row (a deleted row).
func (s *AuditService) VerifyAudit(ctx context.Context) (*tropic.AuditVerification, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var headSeq int64
	var headHash string
	if err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return nil, fmt.Errorf("read audit head: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read audit events: %w", err)
	}
	defer rows.Close()
	v := &tropic.AuditVerification{}
	prev, want := tropic.AuditGenesis, int64(1)
	for rows.Next() {
		var rowID int64
		e, err := scanAudit(rows, &rowID)
		if err != nil {
			return nil, fmt.Errorf("scan audit event: %w", err)
		}
		v.Events++
		switch {
		case e.Seq != want && e.Seq > want:
			v.Problem = &tropic.AuditProblem{Seq: want, RowID: rowID, Reason: fmt.Sprintf("event %d is missing: the row before row %d (event %d) was deleted", want, rowID, e.Seq)}
		case e.Seq != want:
			v.Problem = &tropic.AuditProblem{Seq: e.Seq, RowID: rowID, Reason: fmt.Sprintf("row %d has sequence %d where %d was expected: it was inserted or renumbered", rowID, e.Seq, want)}
		case e.PrevHash != prev:
			v.Problem = &tropic.AuditProblem{Seq: e.Seq, RowID: rowID, Reason: fmt.Sprintf("row %d (event %d) does not follow the event before it: a row was inserted, deleted or changed", rowID, e.Seq)}
		case e.ComputeHash() != e.Hash:
			v.Problem = &tropic.AuditProblem{Seq: e.Seq, RowID: rowID, Reason: fmt.Sprintf("row %d (event %d) was changed after it was written: its content does not match its hash", rowID, e.Seq)}
		}
		if v.Problem != nil {
			return v, nil
		}
		prev, want = e.Hash, want+1
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if headSeq != want-1 || headHash != prev {
		v.Problem = &tropic.AuditProblem{Seq: headSeq, Reason: fmt.Sprintf("the chain ends at event %d but its head records event %d: the last rows were deleted or the head was changed", want-1, headSeq)}
	}
	return v, nil
}
