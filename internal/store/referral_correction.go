package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

// CorrectDutyToNotify corrects a Duty to Notify report, by the agency that made it
// (tropic.ReferralAccessFor: nobody else may), against the version the editor read;
// the domain decides what may change (tropic.Referral.CorrectDutyToNotify). The
// report's history keeps the answers changed; the audit event names the reason's code
// and the answers' names only. Statistics read the report as it is now, so the next
// release counts the correction and lists what it changes as revisions.
func (s *ReferralService) CorrectDutyToNotify(ctx context.Context, actor tropic.Actor, id int64, c tropic.DutyToNotifyCorrection) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := s.referralToChange(ctx, tx, actor, id, "correct it")
	if err != nil {
		return err
	}
	if c.Version != r.Version {
		var by string
		var at sql.NullTime
		if err := tx.QueryRow(ctx, `SELECT updated_by, updated_at FROM referrals WHERE id = ?`, id).Scan(&by, &at); err != nil {
			return fmt.Errorf("find who changed the report: %w", err)
		}
		return s.cases.stale("report", by, at.Time)
	}
	changes, err := r.CorrectDutyToNotify(c, s.cases.local(tx))
	if err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE referrals SET submitted_on = ?, gender = ?, nationality = ?, age_at_exploitation = ?, exploitation = ?,
		county_lines = ?, location = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ? AND withdrawn_on = ''`,
		r.SubmittedOn, string(r.Gender), r.Nationality, string(r.AgeAtExploitation), r.Exploitation.String(), r.Exploitation.CountyLines,
		string(r.Location), tx.now, w.String(), id, c.Version)
	if err != nil {
		return fmt.Errorf("correct report: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "Someone recorded a change to this report after you opened it. Your changes have not been saved; check it, then correct it again.")
	}
	if _, err := tx.Exec(ctx, `INSERT INTO referral_corrections (referral_id, corrected_at, corrected_by_user, corrected_by, reason, changes)
		VALUES (?, ?, ?, ?, ?, ?)`, id, tx.now, nullID(actor.UserID), w.String(), string(c.Reason), strings.Join(changes, "\n")); err != nil {
		return fmt.Errorf("record the correction: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReferralCorrected, objectType: "referral", objectID: id,
		detail: string(c.Reason) + ": " + tropic.ChangedFields(changes)}); err != nil {
		return err
	}
	return tx.Commit()
}

// referralCorrections is a report's history of corrections, oldest first.
func referralCorrections(ctx context.Context, tx *Tx, id int64) ([]tropic.ReferralCorrection, error) {
	rows, err := tx.Query(ctx, `SELECT corrected_at, corrected_by, reason, changes FROM referral_corrections WHERE referral_id = ? ORDER BY corrected_at, id`, id)
	if err != nil {
		return nil, fmt.Errorf("find corrections: %w", err)
	}
	defer rows.Close()
	var out []tropic.ReferralCorrection
	for rows.Next() {
		var c tropic.ReferralCorrection
		var reason, changes string
		if err := rows.Scan(&c.At, &c.By, &reason, &changes); err != nil {
			return nil, err
		}
		c.At, c.Reason, c.Changes = c.At.UTC(), tropic.CorrectionReason(reason), strings.Split(changes, "\n")
		out = append(out, c)
	}
	return out, rows.Err()
}
