package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

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
	var lastRowID, pastHeadRowID int64
	for rows.Next() {
		// Scan loosely: a row edited by hand may hold values of the wrong type, and
		// that must be reported as a bad row, not as a failure to verify.
		raw := make([]any, 12)
		ptrs := make([]any, len(raw))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("scan audit event: %w", err)
		}
		rowID, _ := asInt(raw[0])
		e, err := auditFromRaw(raw)
		if err != nil {
			v.Events++
			v.Problem = &tropic.AuditProblem{Seq: want, RowID: rowID, Reason: fmt.Sprintf("row %d cannot be read (%v): it was changed by hand", rowID, err)}
			return v, nil
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
		prev, want, lastRowID = e.Hash, want+1, rowID
		if e.Seq == headSeq+1 {
			pastHeadRowID = rowID
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Name the first bad row, as AuditProblem promises: the first missing event, the
	// first row past the head, or the last row when only its hash disagrees.
	switch last := want - 1; {
	case headSeq > last:
		v.Problem = &tropic.AuditProblem{Seq: last + 1, Reason: fmt.Sprintf("the chain ends at event %d but its head records event %d: the last rows were deleted or the head was changed", last, headSeq)}
	case headSeq < last:
		v.Problem = &tropic.AuditProblem{Seq: headSeq + 1, RowID: pastHeadRowID, Reason: fmt.Sprintf("row %d (event %d) lies past the head of the chain (event %d): it was added without the store, or the head was changed", pastHeadRowID, headSeq+1, headSeq)}
	case headHash != prev:
		v.Problem = &tropic.AuditProblem{Seq: last, RowID: lastRowID, Reason: fmt.Sprintf("row %d (event %d) does not match the head of the chain: it was changed and rehashed, or the head was changed", lastRowID, last)}
	}
	return v, nil
}

// auditFromRaw converts a loosely scanned row (id first) into an event.
func auditFromRaw(raw []any) (*tropic.AuditEvent, error) {
	var e tropic.AuditEvent
	var err error
	ints := []struct {
		dst *int64
		i   int
		col string
	}{{&e.Seq, 1, "seq"}, {&e.UserID, 3, "user_id"}, {&e.AgencyID, 4, "agency_id"}, {&e.ObjectID, 8, "object_id"}}
	for _, f := range ints {
		if *f.dst, err = asInt(raw[f.i]); err != nil {
			return nil, fmt.Errorf("%s: %w", f.col, err)
		}
	}
	if e.At, err = asTime(raw[2]); err != nil {
		return nil, fmt.Errorf("at: %w", err)
	}
	strs := []struct {
		dst *string
		i   int
	}{{&e.ActorLabel, 5}, {&e.Action, 6}, {&e.ObjectType, 7}, {&e.Detail, 9}, {&e.PrevHash, 10}, {&e.Hash, 11}}
	for _, f := range strs {
		*f.dst = asString(raw[f.i])
	}
	return &e, nil
}

func asInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case nil:
		return 0, fmt.Errorf("missing")
	}
	return strconv.ParseInt(asString(v), 10, 64)
}

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// asTime reads a timestamp as either driver returns it: a time.Time, or, for a
// SQLite value that no longer parses as its declared type, text.
func asTime(v any) (time.Time, error) {
	if t, ok := v.(time.Time); ok {
		return t.UTC(), nil
	}
	s := asString(v)
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time: %q", s)
}
