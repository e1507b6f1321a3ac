package store

import (
	"context"
	"fmt"

	"tropic/internal/tropic"
)

// WithdrawDutyToNotify withdraws a Duty to Notify report made in error, by the agency
// that made it (tropic.ReferralAccessFor: nobody else sees it), against the version it
// read; the domain decides the rest (tropic.Referral.WithdrawDutyToNotify). The audit
// event names the reason's code only.
func (s *ReferralService) WithdrawDutyToNotify(ctx context.Context, actor tropic.Actor, id int64, reason tropic.RemovalReason, version int) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := s.referralToChange(ctx, tx, actor, id, "withdraw it")
	if err != nil {
		return err
	}
	if err := r.WithdrawDutyToNotify(reason, s.cases.today(tx)); err != nil {
		return err
	}
	if version != r.Version {
		return tropic.Errorf(tropic.ECONFLICT, "Someone recorded a change to this report after you opened it. Nothing has been saved; check it, then withdraw it again.")
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE referrals SET withdrawn_on = ?, withdrawn_reason = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ? AND withdrawn_on = ''`,
		r.WithdrawnOn, string(r.WithdrawnReason), tx.now, w.String(), id, version)
	if err != nil {
		return fmt.Errorf("withdraw report: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "Someone recorded a change to this report after you opened it. Nothing has been saved; check it, then withdraw it again.")
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReferralWithdrawn, objectType: "referral", objectID: id, detail: string(reason)}); err != nil {
		return err
	}
	return tx.Commit()
}
