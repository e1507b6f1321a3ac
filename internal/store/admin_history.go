package store

import (
	"context"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

var _ tropic.AdminHistoryService = (*AuditService)(nil)

// FindAdminHistory lists the administration events (tropic.AdminActions), newest
// first, as tropic.AdminAgencyScope lets actor read them: for one agency, the events
// about the agency itself and about its users (as they belong now), whoever acted.
// Reading it is not itself audited: it shows the audit trail's own administration
// events, no records of people.
func (s *AuditService) FindAdminHistory(ctx context.Context, actor tropic.Actor, f tropic.AdminHistoryFilter) ([]*tropic.AdminEvent, int, error) {
	if err := tropic.MayAdminister(actor); err != nil {
		return nil, 0, err
	}
	scope, err := tropic.AdminAgencyScope(actor, f.AgencyID)
	if err != nil {
		return nil, 0, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	marks := make([]string, len(tropic.AdminActions))
	args := make([]any, 0, len(marks)+2)
	for i, a := range tropic.AdminActions {
		marks[i] = "?"
		args = append(args, a)
	}
	where := `WHERE e.action IN (` + strings.Join(marks, ", ") + `)`
	if scope != 0 {
		where += ` AND ((e.object_type = 'user' AND e.object_id IN (SELECT id FROM users WHERE agency_id = ?))
			OR (e.object_type = 'agency' AND e.object_id = ?))`
		args = append(args, scope, scope)
	}
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM audit_events e `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count administration events: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := tx.Query(ctx, `SELECT e.seq, e.at, e.user_id, e.agency_id, e.actor_label, e.action, e.object_type, e.object_id, e.detail,
			COALESCE(au.name, ''), COALESCE(ou.name, oa.name, '')
		FROM audit_events e
		LEFT JOIN users au ON au.id = e.user_id
		LEFT JOIN users ou ON e.object_type = 'user' AND ou.id = e.object_id
		LEFT JOIN agencies oa ON e.object_type = 'agency' AND oa.id = e.object_id `+where+`
		ORDER BY e.at DESC, e.seq DESC LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("find administration events: %w", err)
	}
	defer rows.Close()
	var out []*tropic.AdminEvent
	for rows.Next() {
		var e tropic.AdminEvent
		if err := rows.Scan(&e.Seq, &e.At, &e.UserID, &e.AgencyID, &e.ActorLabel, &e.Action, &e.ObjectType, &e.ObjectID, &e.Detail,
			&e.ActorName, &e.ObjectName); err != nil {
			return nil, 0, fmt.Errorf("scan administration event: %w", err)
		}
		e.At = e.At.UTC()
		out = append(out, &e)
	}
	return out, total, rows.Err()
}
