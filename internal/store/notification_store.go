package store

import (
	"context"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

// notifyUsers tells each of the users n, in the transaction of the change it tells of,
// so that it exists if and only if the change commits. Disabled users are skipped, and
// so is the actor who made the change (nobody is told of their own act). A user already
// told of the thing n is About, while it waits, is not told again (a unique index). A
// job e-mails notifications as each user chose (only the text and the link, which
// hold no personal data).
func notifyUsers(ctx context.Context, tx *Tx, actor tropic.Actor, n tropic.Notification, userIDs ...int64) error {
	seen := map[int64]bool{}
	for _, id := range userIDs {
		if id == 0 || id == actor.UserID || seen[id] {
			continue
		}
		seen[id] = true
		if _, err := tx.Exec(ctx, `INSERT INTO notifications (user_id, kind, subject, text, link, created_at, about)
			SELECT id, ?, ?, ?, ?, ?, ? FROM users WHERE id = ? AND NOT disabled ON CONFLICT DO NOTHING`,
			string(n.Kind), n.Subject, n.Text, n.Link, tx.now, n.About, id); err != nil {
			return fmt.Errorf("notify user %d: %w", id, err)
		}
	}
	return nil
}

// settleNotifications rewrites, in the transaction that decides it, every waiting
// notification about the thing named (tropic.Notification.About) to say how it
// stands now, and marks them done unless open (a retention queue still waiting).
func settleNotifications(ctx context.Context, tx *Tx, about, text string, open bool) error {
	var done any
	if !open {
		done = tx.now
	}
	if _, err := tx.Exec(ctx, `UPDATE notifications SET text = ?, done_at = ? WHERE about = ? AND done_at IS NULL`, text, done, about); err != nil {
		return fmt.Errorf("settle notifications: %w", err)
	}
	return nil
}

// notifyAgency tells n to every enabled user of the agency who holds one of roles.
func notifyAgency(ctx context.Context, tx *Tx, actor tropic.Actor, n tropic.Notification, agencyID int64, roles ...tropic.Role) error {
	if agencyID == 0 || len(roles) == 0 {
		return nil
	}
	args := []any{agencyID}
	marks := make([]string, len(roles))
	for i, r := range roles {
		marks[i] = "?"
		args = append(args, string(r))
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.agency_id = ? AND NOT u.disabled AND r.role IN (`+strings.Join(marks, ", ")+`) ORDER BY u.id`, args...)
	if err != nil {
		return fmt.Errorf("find users to notify: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return notifyUsers(ctx, tx, actor, n, ids...)
}
