package store

import (
	"context"
	"fmt"

	"tropic/internal/tropic"
)

var _ tropic.NotificationCenter = (*NotificationService)(nil)

// FindNotificationEmail reads how the actor hears of notifications by e-mail.
func (s *NotificationService) FindNotificationEmail(ctx context.Context, actor tropic.Actor) (tropic.NotificationEmail, error) {
	if actor.UserID == 0 {
		return "", tropic.Errorf(tropic.ENOTFOUND, "User not found.")
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var m string
	if err := tx.QueryRow(ctx, `SELECT notification_email FROM users WHERE id = ?`, actor.UserID).Scan(&m); err != nil {
		return "", mapError(err)
	}
	return tropic.NotificationEmail(m), nil
}

// SetNotificationEmail sets how the actor hears of notifications by e-mail, and
// audits it: their own choice only.
func (s *NotificationService) SetNotificationEmail(ctx context.Context, actor tropic.Actor, m tropic.NotificationEmail) error {
	if !m.Valid() {
		return &tropic.Error{Code: tropic.EINVALID, Message: "Choose how to hear of notifications by e-mail",
			Fields: map[string]string{"notification_email": "Choose how to hear of notifications by e-mail"}}
	}
	if actor.UserID == 0 {
		return tropic.Errorf(tropic.ENOTFOUND, "User not found.")
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `UPDATE users SET notification_email = ? WHERE id = ?`, string(m), actor.UserID); err != nil {
		return fmt.Errorf("set notification e-mail: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditNotificationEmailSet, objectType: "user", objectID: actor.UserID, detail: string(m)}); err != nil {
		return err
	}
	return tx.Commit()
}
