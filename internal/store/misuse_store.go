package store

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// MisuseService looks through the access log for patterns that suggest a view without
// a need to know, raises each once as an alert for the data protection officers, and
// records their decisions.
type MisuseService struct {
	db    *DB
	rules tropic.MisuseRules
}

var _ tropic.MisuseService = (*MisuseService)(nil)

// NewMisuseService returns the misuse alerts on db under rules.
func NewMisuseService(db *DB, rules tropic.MisuseRules) *MisuseService {
	return &MisuseService{db: db, rules: rules}
}

// relatedToCase is true when the access log row l's user has a part in its case: a task,
// a note, a person added, the case made, changed or led, a share, closure or role change
// asked for or decided, a report linked.
const relatedToCase = `(EXISTS (SELECT 1 FROM case_tasks t WHERE t.case_id = l.case_id AND (t.user_id = l.user_id OR t.created_by_user = l.user_id OR t.done_by_user = l.user_id))
	OR EXISTS (SELECT 1 FROM case_notes n WHERE n.case_id = l.case_id AND n.author_id = l.user_id)
	OR EXISTS (SELECT 1 FROM case_people cp WHERE cp.case_id = l.case_id AND cp.added_by_user = l.user_id)
	OR EXISTS (SELECT 1 FROM cases c WHERE c.id = l.case_id AND (c.created_by_user = l.user_id OR c.officer_user_id = l.user_id OR c.updated_by_user = l.user_id))
	OR EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = l.case_id AND (s.requested_by_user = l.user_id OR s.granted_by_user = l.user_id))
	OR EXISTS (SELECT 1 FROM case_closure_requests r WHERE r.case_id = l.case_id AND (r.requested_by_user = l.user_id OR r.decided_by_user = l.user_id))
	OR EXISTS (SELECT 1 FROM role_changes rc WHERE rc.case_id = l.case_id AND (rc.requested_by_user = l.user_id OR rc.decided_by_user = l.user_id))
	OR EXISTS (SELECT 1 FROM case_reports cr WHERE cr.case_id = l.case_id AND cr.linked_by = l.user_id))`

// DetectMisuse raises the alerts for the access log between from and to, notifies the
// data protection officers of the new ones, and returns how many are new. Each alert is
// raised once (by pattern, user, day and record), however often this runs.
func (s *MisuseService) DetectMisuse(ctx context.Context, actor tropic.Actor, from, to time.Time) (int, error) {
	if !actor.IsSystem() {
		return 0, tropic.Errorf(tropic.EFORBIDDEN, "Misuse alerts are raised by the daily job.")
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var found []tropic.MisuseAlert
	// Many unrelated cases in one day.
	type key struct {
		user int64
		day  string
	}
	unrelated := map[key]map[int64]bool{}
	var order []key
	if err := eachRow(ctx, tx, `SELECT l.user_id, l.case_id, l.at FROM case_access_log l
		WHERE l.at >= ? AND l.at < ? AND l.user_id IS NOT NULL AND NOT `+relatedToCase, []any{from.UTC(), to.UTC()}, func(scan func(...any) error) error {
		var user, c int64
		var at time.Time
		if err := scan(&user, &c, &at); err != nil {
			return err
		}
		k := key{user, at.UTC().Format(time.DateOnly)}
		if unrelated[k] == nil {
			unrelated[k] = map[int64]bool{}
			order = append(order, k)
		}
		unrelated[k][c] = true
		return nil
	}); err != nil {
		return 0, fmt.Errorf("find unrelated views: %w", err)
	}
	for _, k := range order {
		if n := len(unrelated[k]); n >= s.rules.UnrelatedCasesPerDay {
			found = append(found, tropic.MisuseAlert{Kind: tropic.MisuseUnrelatedViews, UserID: k.user, Day: k.day, Count: n})
		}
	}
	// A case the viewer's agency neither owned nor had a live share of.
	if err := eachRow(ctx, tx, `SELECT l.user_id, l.case_id, l.at FROM case_access_log l JOIN cases c ON c.id = l.case_id
		WHERE l.at >= ? AND l.at < ? AND l.user_id IS NOT NULL AND l.agency_id IS NOT NULL AND l.agency_id <> c.owner_agency_id
		AND NOT EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = l.case_id AND s.agency_id = l.agency_id AND s.status IN ('active', 'revoked')
			AND s.decided_at IS NOT NULL AND s.decided_at <= l.at AND (s.revoked_at IS NULL OR s.revoked_at > l.at))
		ORDER BY l.id`, []any{from.UTC(), to.UTC()}, func(scan func(...any) error) error {
		a := tropic.MisuseAlert{Kind: tropic.MisuseNoShare, ObjectType: "case"}
		var at time.Time
		if err := scan(&a.UserID, &a.ObjectID, &at); err != nil {
			return err
		}
		a.Day = at.UTC().Format(time.DateOnly)
		found = append(found, a)
		return nil
	}); err != nil {
		return 0, fmt.Errorf("find views without a share: %w", err)
	}
	// A person with the viewer's own name, or a colleague's.
	names, err := staffNames(ctx, tx)
	if err != nil {
		return 0, err
	}
	if err := eachRow(ctx, tx, `SELECT l.user_id, l.person_id, l.at, p.name_folded FROM case_access_log l JOIN people p ON p.id = l.person_id
		WHERE l.at >= ? AND l.at < ? AND l.user_id IS NOT NULL AND p.name_folded <> '' ORDER BY l.id`, []any{from.UTC(), to.UTC()}, func(scan func(...any) error) error {
		a := tropic.MisuseAlert{ObjectType: "person"}
		var at time.Time
		var folded string
		if err := scan(&a.UserID, &a.ObjectID, &at, &folded); err != nil {
			return err
		}
		a.Day = at.UTC().Format(time.DateOnly)
		viewer := names.byID[a.UserID]
		for _, u := range names.byName[folded] {
			switch {
			case u.id == a.UserID:
				a.Kind = tropic.MisuseOwnRecord
			case u.agency == viewer.agency && a.Kind == "":
				a.Kind = tropic.MisuseColleague
			}
		}
		if a.Kind != "" {
			found = append(found, a)
		}
		return nil
	}); err != nil {
		return 0, fmt.Errorf("find views of staff's names: %w", err)
	}

	n := 0
	for _, a := range found {
		id, err := tx.insert(ctx, `INSERT INTO misuse_alerts (kind, user_id, day, object_type, object_id, count, found_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, string(a.Kind), a.UserID, a.Day, a.ObjectType, a.ObjectID, a.Count, tx.now)
		if tropic.ErrorCode(err) == tropic.ENOTFOUND {
			continue // raised before
		}
		if err != nil {
			return 0, fmt.Errorf("raise misuse alert: %w", err)
		}
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMisuseRaised, objectType: "user", objectID: a.UserID,
			detail: fmt.Sprintf("alert %d: %s on %s", id, a.Kind, a.Day)}); err != nil {
			return 0, err
		}
		n++
	}
	if n > 0 {
		dpos, err := queryIDs(ctx, tx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = ? AND NOT u.disabled ORDER BY u.id`, string(tropic.RoleDPO))
		if err != nil {
			return 0, err
		}
		if err := notifyUsers(ctx, tx, actor, tropic.MisuseNotice(n), dpos...); err != nil {
			return 0, err
		}
	}
	return n, tx.Commit()
}

type staffMember struct {
	id, agency int64
}

type staffIndex struct {
	byID   map[int64]staffMember
	byName map[string][]staffMember
}

// staffNames indexes every user by id and by folded name.
func staffNames(ctx context.Context, tx *Tx) (staffIndex, error) {
	idx := staffIndex{byID: map[int64]staffMember{}, byName: map[string][]staffMember{}}
	err := eachRow(ctx, tx, `SELECT id, agency_id, name FROM users`, nil, func(scan func(...any) error) error {
		var m staffMember
		var name string
		if err := scan(&m.id, &m.agency, &name); err != nil {
			return err
		}
		idx.byID[m.id] = m
		if f := tropic.FoldName(name); f != "" {
			idx.byName[f] = append(idx.byName[f], m)
		}
		return nil
	})
	return idx, err
}

// eachRow runs query and calls f with each row's Scan.
func eachRow(ctx context.Context, tx *Tx, query string, args []any, f func(scan func(...any) error) error) error {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindMisuseAlerts lists the alerts, open ones only or all, newest first.
func (s *MisuseService) FindMisuseAlerts(ctx context.Context, actor tropic.Actor, open bool) ([]*tropic.MisuseAlert, error) {
	if err := tropic.MayReviewMisuse(actor); err != nil {
		return nil, err
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	where := "1 = 1"
	if open {
		where = "m.status = 'open'"
	}
	var out []*tropic.MisuseAlert
	err = eachRow(ctx, tx, `SELECT m.id, m.kind, m.user_id, u.name || ' (' || a.name || ')', m.day, m.object_type, m.object_id, m.count, m.status, m.note, m.decided_by, m.found_at
		FROM misuse_alerts m JOIN users u ON u.id = m.user_id JOIN agencies a ON a.id = u.agency_id
		WHERE `+where+` ORDER BY m.found_at DESC, m.id DESC LIMIT ?`, []any{maxApprovals}, func(scan func(...any) error) error {
		var m tropic.MisuseAlert
		var kind, status string
		if err := scan(&m.ID, &kind, &m.UserID, &m.User, &m.Day, &m.ObjectType, &m.ObjectID, &m.Count, &status, &m.Note, &m.DecidedBy, &m.FoundAt); err != nil {
			return err
		}
		m.Kind, m.Status, m.FoundAt = tropic.MisuseKind(kind), tropic.MisuseStatus(status), m.FoundAt.UTC()
		out = append(out, &m)
		return nil
	})
	return out, err
}

// DecideMisuseAlert closes an open alert as explained or confirmed, with a note. An
// alert closed meanwhile is a conflict.
func (s *MisuseService) DecideMisuseAlert(ctx context.Context, actor tropic.Actor, id int64, d tropic.MisuseDecision) error {
	if err := tropic.MayReviewMisuse(actor); err != nil {
		return err
	}
	if err := d.Problems(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE misuse_alerts SET status = ?, note = ?, decided_by_user = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'open'`,
		string(d.Status), d.Note, nullID(actor.UserID), w.String(), tx.now, id)
	if err != nil {
		return fmt.Errorf("close misuse alert: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		ids, err := queryIDs(ctx, tx, `SELECT id FROM misuse_alerts WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return tropic.Errorf(tropic.ENOTFOUND, "There is no such alert.")
		}
		return tropic.Errorf(tropic.ECONFLICT, "This alert was closed already.")
	}
	// The note may name people; the audit says only how the alert was closed.
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMisuseClosed, objectType: "misuse_alert", objectID: id, detail: string(d.Status)}); err != nil {
		return err
	}
	return tx.Commit()
}
