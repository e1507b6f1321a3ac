package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// NotificationService lists and marks a user's own notifications.
type NotificationService struct{ db *DB }

var _ tropic.NotificationService = (*NotificationService)(nil)

// NewNotificationService returns the notification service on db.
func NewNotificationService(db *DB) *NotificationService { return &NotificationService{db: db} }

// maxNotificationPage bounds one page of notifications.
const maxNotificationPage = 100

// FindNotifications lists the actor's notifications, newest first, a page at a time,
// with how many there are in all (of those asked for: all, or the unread).
func (s *NotificationService) FindNotifications(ctx context.Context, actor tropic.Actor, unreadOnly bool, limit, offset int) ([]*tropic.Notification, int, error) {
	if actor.UserID == 0 {
		return nil, 0, nil
	}
	if limit <= 0 || limit > maxNotificationPage {
		limit = maxNotificationPage
	}
	offset = max(offset, 0)
	where := `user_id = ?`
	if unreadOnly {
		where += ` AND read_at IS NULL`
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE `+where, actor.UserID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count notifications: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE `+where+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, actor.UserID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("find notifications: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, n)
	}
	return out, total, rows.Err()
}

// notificationColumns are what scanNotification reads, in its order.
const notificationColumns = `id, user_id, kind, subject, text, link, created_at, read_at, about, done_at`

// scanNotification scans a notification's columns, then any extra ones into extra.
func scanNotification(sc interface{ Scan(...any) error }, extra ...any) (*tropic.Notification, error) {
	var n tropic.Notification
	var kind string
	var read, done sql.NullTime
	if err := sc.Scan(append([]any{&n.ID, &n.UserID, &kind, &n.Subject, &n.Text, &n.Link, &n.CreatedAt, &read, &n.About, &done}, extra...)...); err != nil {
		return nil, err
	}
	n.Kind, n.CreatedAt = tropic.NotificationKind(kind), n.CreatedAt.UTC()
	n.ReadAt, n.DoneAt = utcOrNil(read), utcOrNil(done)
	return &n, nil
}

func utcOrNil(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// CountUnreadNotifications counts the actor's unread notifications: one indexed count,
// asked on every staff page for the header.
func (s *NotificationService) CountUnreadNotifications(ctx context.Context, actor tropic.Actor) (int, error) {
	if actor.UserID == 0 {
		return 0, nil
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, actor.UserID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// MarkNotificationsRead marks the actor's notifications with the ids given read, or
// all of them when ids is empty. An id that is not the actor's answers as missing and
// nothing is marked: nobody marks, or learns of, another user's notifications.
// Marking is the reader's own state and is not audited.
func (s *NotificationService) MarkNotificationsRead(ctx context.Context, actor tropic.Actor, ids []int64) error {
	if actor.UserID == 0 {
		return tropic.Errorf(tropic.ENOTFOUND, "Notification not found.")
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if len(ids) == 0 {
		if _, err := tx.Exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, tx.now, actor.UserID); err != nil {
			return fmt.Errorf("mark notifications read: %w", err)
		}
		return tx.Commit()
	}
	unique := map[int64]bool{}
	for _, id := range ids {
		unique[id] = true
	}
	if len(unique) > maxNotificationPage {
		return tropic.Errorf(tropic.EINVALID, "Mark at most %d notifications at once, or all of them.", maxNotificationPage)
	}
	ph, args := inList(keys(unique))
	var own int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND id IN (`+ph+`)`,
		append([]any{actor.UserID}, args...)...).Scan(&own); err != nil {
		return fmt.Errorf("find notifications: %w", err)
	}
	if own != len(unique) {
		return tropic.Errorf(tropic.ENOTFOUND, "Notification not found.")
	}
	if _, err := tx.Exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN (`+ph+`)`,
		append([]any{tx.now, actor.UserID}, args...)...); err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	return tx.Commit()
}

// OpenNotification marks one of the actor's notifications read and returns its link.
// Another user's notification answers as missing, as in MarkNotificationsRead.
func (s *NotificationService) OpenNotification(ctx context.Context, actor tropic.Actor, id int64) (string, error) {
	if actor.UserID == 0 {
		return "", tropic.Errorf(tropic.ENOTFOUND, "Notification not found.")
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var link string
	if err := tx.QueryRow(ctx, `SELECT link FROM notifications WHERE id = ? AND user_id = ?`, id, actor.UserID).Scan(&link); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "", tropic.Errorf(tropic.ENOTFOUND, "Notification not found.")
		}
		return "", fmt.Errorf("find notification: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL`, tx.now, id); err != nil {
		return "", fmt.Errorf("mark notification read: %w", err)
	}
	return link, tx.Commit()
}
