package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// SearchAudit finds the events matching q, newest first, and how many match in all.
func (s *AuditService) SearchAudit(ctx context.Context, actor tropic.Actor, q tropic.AuditQuery) ([]*tropic.AuditEvent, int, error) {
	if err := tropic.MaySearchAudit(actor); err != nil {
		return nil, 0, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where, args, total, err := auditScope(ctx, tx, q, "")
	if err != nil {
		return nil, 0, err
	}
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	out, err := auditRows(ctx, tx, `SELECT `+auditColumns+` FROM audit_events WHERE `+where+` ORDER BY seq DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(q.Offset, 0))...)
	return out, total, err
}

// ExportAudit returns every event matching q, oldest first, for an investigation, and
// records the export (who, what was asked, how many) in the same transaction. An
// export larger than tropic.AuditExportLimit is refused: narrow the search.
func (s *AuditService) ExportAudit(ctx context.Context, actor tropic.Actor, q tropic.AuditQuery) ([]*tropic.AuditEvent, error) {
	if err := tropic.MaySearchAudit(actor); err != nil {
		return nil, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	where, args, total, err := auditScope(ctx, tx, q, "")
	if err != nil {
		return nil, err
	}
	if total > tropic.AuditExportLimit {
		return nil, tropic.ExportProblem(total)
	}
	out, err := auditRows(ctx, tx, `SELECT `+auditColumns+` FROM audit_events WHERE `+where+` ORDER BY seq`, args...)
	if err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditExported,
		detail: fmt.Sprintf("%s: %d events", q.String(), len(out))}); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// auditScope checks q and counts the events it finds in tx, returning the conditions
// (with the extra ones given) for the query that follows.
func auditScope(ctx context.Context, tx *Tx, q tropic.AuditQuery, extra string) (string, []any, int, error) {
	from, to, err := q.Validate()
	if err != nil {
		return "", nil, 0, err
	}
	where, args, err := auditWhere(ctx, tx, q, from, to)
	if err != nil {
		return "", nil, 0, err
	}
	where += extra
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM audit_events WHERE `+where, args...).Scan(&total); err != nil {
		return "", nil, 0, fmt.Errorf("count audit events: %w", err)
	}
	return where, args, total, nil
}

// auditWhere builds the conditions of q. A case reference finds the case's number,
// also once the case is disposed of (from the retention register).
func auditWhere(ctx context.Context, tx *Tx, q tropic.AuditQuery, from, to time.Time) (string, []any, error) {
	conds, args := []string{"1 = 1"}, []any{}
	add := func(cond string, arg any) { conds, args = append(conds, cond), append(args, arg) }
	if q.UserID != 0 {
		add("user_id = ?", q.UserID)
	}
	if q.AgencyID != 0 {
		add("agency_id = ?", q.AgencyID)
	}
	switch a := strings.TrimSpace(q.Action); {
	case strings.HasSuffix(a, "."):
		add(`action LIKE ? ESCAPE '\'`, likeEscape(a)+"%")
	case a != "":
		add("action = ?", a)
	}
	objectType, objectID := strings.TrimSpace(q.ObjectType), q.ObjectID
	if ref := strings.TrimSpace(q.CaseReference); ref != "" {
		id, err := caseNumber(ctx, tx, ref)
		if err != nil {
			return "", nil, err
		}
		objectType, objectID = "case", id
	}
	if objectType != "" {
		add("object_type = ?", objectType)
	}
	if objectID != 0 {
		add("object_id = ?", objectID)
	}
	if !from.IsZero() {
		add("at >= ?", from.UTC())
	}
	if !to.IsZero() {
		add("at < ?", to.UTC())
	}
	return strings.Join(conds, " AND "), args, nil
}

// caseNumber is the id of the case with reference ref, or of the disposed case the
// retention register names so; -1 (matching nothing) when neither knows it.
func caseNumber(ctx context.Context, tx *Tx, ref string) (int64, error) {
	ids, err := queryIDs(ctx, tx, `SELECT id FROM cases WHERE reference = ?
		UNION SELECT record_id FROM retention_reviews WHERE record_kind = 'case' AND reference = ?`, ref, ref)
	if err != nil || len(ids) == 0 {
		return -1, err
	}
	return ids[0], nil
}

func auditRows(ctx context.Context, tx *Tx, query string, args ...any) ([]*tropic.AuditEvent, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find audit events: %w", err)
	}
	defer rows.Close()
	var out []*tropic.AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows, nil)
		if err != nil {
			return nil, fmt.Errorf("scan audit event: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

var _ tropic.AuditSearcher = (*AuditService)(nil)

// SummariseAccess groups the events q finds by user and UTC day: views, distinct records
// viewed, and changes; newest day first, then most views. System events are left out.
// A search finding more than tropic.AuditExportLimit events is refused: narrow it.
func (s *AuditService) SummariseAccess(ctx context.Context, actor tropic.Actor, q tropic.AuditQuery) ([]tropic.AccessDay, error) {
	if err := tropic.MaySearchAudit(actor); err != nil {
		return nil, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	where, args, total, err := auditScope(ctx, tx, q, " AND user_id <> 0")
	if err != nil {
		return nil, err
	}
	if total > tropic.AuditExportLimit {
		return nil, tropic.ExportProblem(total)
	}
	type key struct {
		user int64
		day  string
	}
	days := map[key]*tropic.AccessDay{}
	seen := map[key]map[string]bool{}
	var order []key
	err = eachRow(ctx, tx, `SELECT user_id, actor_label, at, action, object_type, object_id FROM audit_events WHERE `+where+` ORDER BY seq`, args,
		func(scan func(...any) error) error {
			var d tropic.AccessDay
			var at time.Time
			var action, objType string
			var objID int64
			if err := scan(&d.UserID, &d.User, &at, &action, &objType, &objID); err != nil {
				return err
			}
			k := key{d.UserID, at.UTC().Format(time.DateOnly)}
			day := days[k]
			if day == nil {
				d.Day = k.day
				day, seen[k] = &d, map[string]bool{}
				days[k] = day
				order = append(order, k)
			}
			if !tropic.IsView(action) {
				day.Changes++
				return nil
			}
			day.Views++
			if rec := fmt.Sprint(objType, objID); !seen[k][rec] {
				seen[k][rec] = true
				day.Records++
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("summarise access: %w", err)
	}
	// The trail labels system actors only; users are named as they are now.
	names := map[int64]string{}
	if err := eachRow(ctx, tx, `SELECT u.id, u.name, a.name FROM users u JOIN agencies a ON a.id = u.agency_id`, nil, func(scan func(...any) error) error {
		var id int64
		var user, agency string
		if err := scan(&id, &user, &agency); err != nil {
			return err
		}
		names[id] = user + " (" + agency + ")"
		return nil
	}); err != nil {
		return nil, fmt.Errorf("name users: %w", err)
	}
	out := make([]tropic.AccessDay, 0, len(order))
	for _, k := range order {
		d := *days[k]
		if n, ok := names[d.UserID]; ok {
			d.User = n
		}
		out = append(out, d)
	}
	slices.SortStableFunc(out, func(a, b tropic.AccessDay) int {
		if c := strings.Compare(b.Day, a.Day); c != 0 {
			return c
		}
		return b.Views - a.Views
	})
	return out, nil
}
