package store

import (
	"context"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

// maxNotificationClaim bounds the notifications one claim takes.
const maxNotificationClaim = 500

// ClaimNotificationMail takes the notifications not yet dealt with by e-mail of the
// users who chose how (each one, or a daily digest), marks them in the same
// transaction (emailed_at), and returns them as the e-mails to send: one per
// notification for "each", one per user for "digest". Two workers claiming at once
// take disjoint notifications: the mark is a conditional update, so nothing is sent
// twice. A notification already read in the service, or of a user who wants no
// e-mail or is disabled, is marked and not sent: emailed_at means the e-mail step
// is done with it, whether or not a message went.
func (s *NotificationService) ClaimNotificationMail(ctx context.Context, choice tropic.NotificationEmail, limit int) ([]tropic.NotificationMail, error) {
	if choice != tropic.NotificationEmailEach && choice != tropic.NotificationEmailDigest {
		return nil, fmt.Errorf("claim notification mail: %q is not a choice that sends", choice)
	}
	if limit <= 0 || limit > maxNotificationClaim {
		limit = maxNotificationClaim
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Nothing to send for these: done with at once, so that they leave the index.
	if _, err := tx.Exec(ctx, `UPDATE notifications SET emailed_at = ? WHERE emailed_at IS NULL AND (read_at IS NOT NULL
		OR user_id IN (SELECT id FROM users WHERE disabled OR notification_email NOT IN (?, ?)))`,
		tx.now, string(tropic.NotificationEmailEach), string(tropic.NotificationEmailDigest)); err != nil {
		return nil, fmt.Errorf("skip notifications not to e-mail: %w", err)
	}
	ids, err := queryIDs(ctx, tx, `UPDATE notifications SET emailed_at = ? WHERE emailed_at IS NULL AND id IN (
		SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.emailed_at IS NULL AND u.notification_email = ? ORDER BY n.id LIMIT ?) RETURNING id`, tx.now, string(choice), limit)
	if err != nil {
		return nil, fmt.Errorf("claim notifications to e-mail: %w", err)
	}
	if len(ids) == 0 {
		return nil, tx.Commit()
	}
	ph, args := inList(ids)
	rows, err := tx.Query(ctx, `SELECT n.id, n.user_id, n.kind, n.subject, n.text, n.link, n.created_at, n.read_at, n.about, n.done_at, u.email
		FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id IN (`+ph+`) ORDER BY n.user_id, n.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read notifications to e-mail: %w", err)
	}
	defer rows.Close()
	var out []tropic.NotificationMail
	for rows.Next() {
		var email string
		n, err := scanNotification(rows, &email)
		if err != nil {
			return nil, err
		}
		last := len(out) - 1
		if choice == tropic.NotificationEmailDigest && last >= 0 && out[last].UserID == n.UserID {
			out[last].Notifications = append(out[last].Notifications, *n)
			continue
		}
		out = append(out, tropic.NotificationMail{UserID: n.UserID, Email: strings.TrimSpace(email), Notifications: []tropic.Notification{*n}})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, tx.Commit()
}

// ReleaseNotificationMail gives claimed notifications back to the next claim, when
// their e-mail could not be sent.
func (s *NotificationService) ReleaseNotificationMail(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ph, args := inList(ids)
	if _, err := tx.Exec(ctx, `UPDATE notifications SET emailed_at = NULL WHERE id IN (`+ph+`)`, args...); err != nil {
		return fmt.Errorf("release notifications: %w", err)
	}
	return tx.Commit()
}
