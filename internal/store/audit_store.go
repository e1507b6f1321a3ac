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
// queue behind each other and the chain stays one line. With the store's audit key the
// event's hash is an HMAC under it; without one, an unkeyed hash may only follow
// unkeyed events, so that a process lacking the key cannot break a keyed chain.
func appendAudit(ctx context.Context, tx *Tx, actor tropic.Actor, e auditEntry) error {
	var seq int64
	var prev, headKey string
	if err := tx.QueryRow(ctx, `SELECT seq, hash, key_id FROM audit_head WHERE id = 1`+tx.db.forUpdate()).Scan(&seq, &prev, &headKey); err != nil {
		return fmt.Errorf("read audit head: %w", err)
	}
	ev := &tropic.AuditEvent{
		Seq: seq + 1, At: tx.now, UserID: actor.UserID, AgencyID: actor.AgencyID, ActorLabel: actor.Label,
		Action: e.action, ObjectType: e.objectType, ObjectID: e.objectID, Detail: e.detail, PrevHash: prev,
	}
	switch keys := tx.db.auditKeys; {
	case keys != nil:
		keys.Seal(ev)
	case headKey != "":
		return fmt.Errorf("write audit event: %w (the newest event is hashed with key %q)", tropic.ErrAuditKeyMissing, headKey)
	default:
		ev.Hash = ev.ComputeHash()
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_events (seq, at, user_id, agency_id, actor_label, action, object_type, object_id, detail, prev_hash, hash, key_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.Seq, ev.At, ev.UserID, ev.AgencyID, ev.ActorLabel, ev.Action, ev.ObjectType, ev.ObjectID, ev.Detail, ev.PrevHash, ev.Hash, ev.KeyID); err != nil {
		return fmt.Errorf("write audit event: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET seq = ?, hash = ?, key_id = ? WHERE id = 1`, ev.Seq, ev.Hash, ev.KeyID); err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	return nil
}

const auditColumns = `id, seq, at, user_id, agency_id, actor_label, action, object_type, object_id, detail, prev_hash, hash, key_id`

func scanAudit(sc interface{ Scan(...any) error }, rowID *int64) (*tropic.AuditEvent, error) {
	var e tropic.AuditEvent
	var id int64
	if err := sc.Scan(&id, &e.Seq, &e.At, &e.UserID, &e.AgencyID, &e.ActorLabel, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail, &e.PrevHash, &e.Hash, &e.KeyID); err != nil {
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
// that points past the last row (a deleted row), an unkeyed row after keyed ones (a
// rewrite without the key). Keyed rows need the store's audit key.
func (s *AuditService) VerifyAudit(ctx context.Context) (*tropic.AuditVerification, error) {
	v, _, err := s.verify(ctx, nil)
	return v, err
}

// VerifyAuditCheckpoints is VerifyAudit that also checks that the chain extends every
// checkpoint: each one's signature holds, and the chain still has its event with its
// hash. It notices the newest events deleted and the head moved back, which the chain
// alone cannot, once a checkpoint kept elsewhere has seen them.
func (s *AuditService) VerifyAuditCheckpoints(ctx context.Context, checkpoints []tropic.AuditCheckpoint) (*tropic.AuditVerification, error) {
	if len(checkpoints) == 0 {
		return nil, &tropic.Error{Code: tropic.EINVALID, Message: "no checkpoints to verify against", Fields: map[string]string{"checkpoint": "Give at least one checkpoint line"}}
	}
	v, _, err := s.verify(ctx, checkpoints)
	return v, err
}

// auditHead is the head the chain was verified up to.
type auditHead struct {
	seq  int64
	hash string
}

func (s *AuditService) verify(ctx context.Context, checkpoints []tropic.AuditCheckpoint) (*tropic.AuditVerification, auditHead, error) {
	v := &tropic.AuditVerification{}
	var head auditHead
	if len(checkpoints) > 0 && s.db.auditKeys == nil {
		return nil, head, fmt.Errorf("verify checkpoints: %w", tropic.ErrAuditKeyMissing)
	}
	// A checkpoint that is not genuine proves nothing: refuse it before the walk.
	bySeq := map[int64][]tropic.AuditCheckpoint{}
	var newest *tropic.AuditCheckpoint
	for i, c := range checkpoints {
		if err := s.db.auditKeys.VerifyCheckpoint(c); err != nil {
			v.Problem = &tropic.AuditProblem{Seq: c.Seq, Reason: fmt.Sprintf("the checkpoint of %s for event %d is not genuine: %v", c.At.Format(time.RFC3339), c.Seq, err)}
			return v, head, nil
		}
		bySeq[c.Seq] = append(bySeq[c.Seq], c)
		if newest == nil || c.Seq > newest.Seq {
			newest = &checkpoints[i]
		}
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, head, err
	}
	defer tx.Rollback()
	var headSeq int64
	var headHash string
	if err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return nil, head, fmt.Errorf("read audit head: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY id`)
	if err != nil {
		return nil, head, fmt.Errorf("read audit events: %w", err)
	}
	defer rows.Close()
	prev, want := tropic.AuditGenesis, int64(1)
	var lastRowID, pastHeadRowID int64
	keyed := false
	for _, c := range bySeq[0] { // a checkpoint of the empty chain
		if c.Head != tropic.AuditGenesis {
			v.Problem = &tropic.AuditProblem{Seq: 1, Reason: fmt.Sprintf("the checkpoint of %s names a head for event 0 other than the start of the chain", c.At.Format(time.RFC3339))}
			return v, head, nil
		}
	}
	for rows.Next() {
		// Scan loosely: a row edited by hand may hold values of the wrong type, and
		// that must be reported as a bad row, not as a failure to verify.
		raw := make([]any, 13)
		ptrs := make([]any, len(raw))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, head, fmt.Errorf("scan audit event: %w", err)
		}
		rowID, _ := asInt(raw[0])
		e, err := auditFromRaw(raw)
		if err != nil {
			v.Events++
			v.Problem = &tropic.AuditProblem{Seq: want, RowID: rowID, Reason: fmt.Sprintf("row %d cannot be read (%v): it was changed by hand", rowID, err)}
			return v, head, nil
		}
		if e.KeyID != "" && s.db.auditKeys == nil {
			return nil, head, fmt.Errorf("verify event %d: %w (it is hashed with key %q)", e.Seq, tropic.ErrAuditKeyMissing, e.KeyID)
		}
		v.Events++
		switch {
		case e.Seq != want && e.Seq > want:
			v.Problem = &tropic.AuditProblem{Seq: want, RowID: rowID, Reason: fmt.Sprintf("event %d is missing: the row before row %d (event %d) was deleted", want, rowID, e.Seq)}
		case e.Seq != want:
			v.Problem = &tropic.AuditProblem{Seq: e.Seq, RowID: rowID, Reason: fmt.Sprintf("row %d has sequence %d where %d was expected: it was inserted or renumbered", rowID, e.Seq, want)}
		case e.PrevHash != prev:
			v.Problem = &tropic.AuditProblem{Seq: e.Seq, RowID: rowID, Reason: fmt.Sprintf("row %d (event %d) does not follow the event before it: a row was inserted, deleted or changed", rowID, e.Seq)}
		default:
			if reason := s.db.auditKeys.AuditHashProblem(e, keyed); reason != "" {
				v.Problem = &tropic.AuditProblem{Seq: e.Seq, RowID: rowID, Reason: fmt.Sprintf("row %d (event %d) %s", rowID, e.Seq, reason)}
			}
		}
		for _, c := range bySeq[e.Seq] {
			if v.Problem == nil && c.Head != e.Hash {
				v.Problem = &tropic.AuditProblem{Seq: e.Seq, RowID: rowID, Reason: fmt.Sprintf("row %d (event %d) is not the event the checkpoint of %s signed: it or an event before it was changed since", rowID, e.Seq, c.At.Format(time.RFC3339))}
			}
			v.Checkpoints++
		}
		if v.Problem != nil {
			return v, head, nil
		}
		if e.KeyID == "" {
			v.Legacy++
		}
		keyed = keyed || e.KeyID != ""
		prev, want, lastRowID = e.Hash, want+1, rowID
		if e.Seq == headSeq+1 {
			pastHeadRowID = rowID
		}
	}
	if err := rows.Err(); err != nil {
		return nil, head, err
	}
	v.Checkpoints += len(bySeq[0])
	// Name the first bad row, as AuditProblem promises: the first missing event, the
	// first row past the head, or the last row when only its hash disagrees.
	switch last := want - 1; {
	case newest != nil && newest.Seq > last:
		v.Problem = &tropic.AuditProblem{Seq: last + 1, Reason: fmt.Sprintf("the chain ends at event %d but the checkpoint of %s signed event %d: the newest events were deleted", last, newest.At.Format(time.RFC3339), newest.Seq)}
	case headSeq > last:
		v.Problem = &tropic.AuditProblem{Seq: last + 1, Reason: fmt.Sprintf("the chain ends at event %d but its head records event %d: the last rows were deleted or the head was changed", last, headSeq)}
	case headSeq < last:
		v.Problem = &tropic.AuditProblem{Seq: headSeq + 1, RowID: pastHeadRowID, Reason: fmt.Sprintf("row %d (event %d) lies past the head of the chain (event %d): it was added without the store, or the head was changed", pastHeadRowID, headSeq+1, headSeq)}
	case headHash != prev:
		v.Problem = &tropic.AuditProblem{Seq: last, RowID: lastRowID, Reason: fmt.Sprintf("row %d (event %d) does not match the head of the chain: it was changed and rehashed, or the head was changed", lastRowID, last)}
	}
	return v, auditHead{seq: want - 1, hash: prev}, nil
}

// CreateAuditCheckpoint verifies the chain (against the checkpoints kept in the
// database too) and, when it holds, signs its head with the audit key, keeps the
// checkpoint and returns it. When the chain does not hold it signs nothing and returns
// the problem.
func (s *AuditService) CreateAuditCheckpoint(ctx context.Context) (*tropic.AuditCheckpoint, *tropic.AuditProblem, error) {
	if s.db.auditKeys == nil {
		return nil, nil, fmt.Errorf("make an audit checkpoint: %w", tropic.ErrAuditKeyMissing)
	}
	kept, err := s.keptCheckpoints(ctx, 0)
	if err != nil {
		return nil, nil, err
	}
	v, head, err := s.verify(ctx, kept)
	if err != nil {
		return nil, nil, err
	}
	if v.Problem != nil {
		return nil, v.Problem, nil
	}
	c := s.db.auditKeys.SignCheckpoint(head.seq, head.hash, s.db.now())
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `INSERT INTO audit_checkpoints (seq, head, at, key_id, line) VALUES (?, ?, ?, ?, ?)`,
		c.Seq, c.Head, c.At, c.KeyID, c.String()); err != nil {
		return nil, nil, fmt.Errorf("keep audit checkpoint: %w", err)
	}
	return &c, nil, tx.Commit()
}

// DailyAuditCheckpoint returns the newest kept checkpoint made within maxAge, or makes
// one (CreateAuditCheckpoint) when there is none: the daily digest carries it.
func (s *AuditService) DailyAuditCheckpoint(ctx context.Context, maxAge time.Duration) (*tropic.AuditCheckpoint, *tropic.AuditProblem, error) {
	kept, err := s.keptCheckpoints(ctx, 1)
	if err != nil {
		return nil, nil, err
	}
	if len(kept) == 1 && s.db.now().Sub(kept[0].At) < maxAge {
		return &kept[0], nil, nil
	}
	return s.CreateAuditCheckpoint(ctx)
}

// keptCheckpoints reads the checkpoints kept in the database, newest first; limit 0
// reads them all. A kept line that no longer parses is an error: someone changed it.
func (s *AuditService) keptCheckpoints(ctx context.Context, limit int) ([]tropic.AuditCheckpoint, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := `SELECT id, line FROM audit_checkpoints ORDER BY at DESC, id DESC`
	if limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(limit)
	}
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read audit checkpoints: %w", err)
	}
	defer rows.Close()
	var out []tropic.AuditCheckpoint
	for rows.Next() {
		var id int64
		var line string
		if err := rows.Scan(&id, &line); err != nil {
			return nil, fmt.Errorf("read audit checkpoints: %w", err)
		}
		c, err := tropic.ParseAuditCheckpoint(line)
		if err != nil {
			return nil, fmt.Errorf("audit checkpoint %d in the database: %w", id, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
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
	}{{&e.ActorLabel, 5}, {&e.Action, 6}, {&e.ObjectType, 7}, {&e.Detail, 9}, {&e.PrevHash, 10}, {&e.Hash, 11}, {&e.KeyID, 12}}
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
