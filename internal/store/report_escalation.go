package store

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// EscalateEmergencies escalates, once each, the emergency reports received before
// cut that are still new and that nobody has claimed: it records the escalation,
// tells the triage users of every agency of the hub (tropic.NotifyEscalation) and
// audits it, all in one transaction. It returns how many it escalated. A report
// escalated before, by this process or another, is not escalated again.
func (s *ReportService) EscalateEmergencies(ctx context.Context, actor tropic.Actor, cut time.Time, target tropic.TriageSpan) (int, error) {
	if err := tropic.MayEscalate(actor); err != nil {
		return 0, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// The queue's index (status, urgency_rank, received_at) finds them.
	rows, err := tx.Query(ctx, `SELECT r.id, r.reference FROM reports r
		WHERE r.status = ? AND r.urgency_rank = ? AND r.received_at < ? AND r.claimed_by IS NULL
		AND NOT EXISTS (SELECT 1 FROM report_escalations e WHERE e.report_id = r.id)
		ORDER BY r.received_at, r.id`,
		string(tropic.ReportNew), tropic.UrgencyEmergency.Rank(), cut.UTC())
	if err != nil {
		return 0, fmt.Errorf("find reports to escalate: %w", err)
	}
	type due struct {
		id  int64
		ref string
	}
	var found []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.ref); err != nil {
			rows.Close()
			return 0, err
		}
		found = append(found, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(found) == 0 {
		return 0, nil
	}
	hubs, err := hubAgencyIDs(ctx, tx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range found {
		res, err := tx.Exec(ctx, `INSERT INTO report_escalations (report_id, escalated_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, d.id, tx.now)
		if err != nil {
			return 0, fmt.Errorf("record escalation: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			continue // escalated meanwhile by another process
		}
		for _, a := range hubs {
			if err := notifyAgency(ctx, tx, actor, tropic.EscalationNotice(d.ref, target), a, tropic.RoleTriage); err != nil {
				return 0, err
			}
		}
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportEscalated, objectType: "report", objectID: d.id,
			detail: "emergency unclaimed past its target of " + target.Label()}); err != nil {
			return 0, err
		}
		n++
	}
	return n, tx.Commit()
}

// hubAgencyIDs lists the agencies that form the triage hub (agencies.triage_hub).
func hubAgencyIDs(ctx context.Context, tx *Tx) ([]int64, error) {
	return queryIDs(ctx, tx, `SELECT id FROM agencies WHERE triage_hub ORDER BY id`)
}

// FindUnsentEscalations returns the summaries (as FindReportSummary: no personal
// data) of escalated reports whose e-mail has not gone yet, oldest first.
func (s *ReportService) FindUnsentEscalations(ctx context.Context, actor tropic.Actor, limit int) ([]*tropic.Report, error) {
	if err := tropic.MayEscalate(actor); err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT r.id, r.reference, r.channel, r.received_at, r.district, r.urgency, r.status
		FROM report_escalations e JOIN reports r ON r.id = e.report_id
		WHERE e.emailed_at IS NULL ORDER BY e.escalated_at, r.id LIMIT ?`), max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("find unsent escalations: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Report
	for rows.Next() {
		var r tropic.Report
		var channel, urgency, status string
		if err := rows.Scan(&r.ID, &r.Reference, &channel, &r.ReceivedAt, &r.Location.District, &urgency, &status); err != nil {
			return nil, err
		}
		r.Channel, r.Urgency, r.Status = tropic.Channel(channel), tropic.Urgency(urgency), tropic.ReportStatus(status)
		r.ReceivedAt = r.ReceivedAt.UTC()
		out = append(out, &r)
	}
	return out, rows.Err()
}

// MarkEscalationEmailed records that the escalation of report id was e-mailed.
func (s *ReportService) MarkEscalationEmailed(ctx context.Context, actor tropic.Actor, id int64) error {
	if err := tropic.MayEscalate(actor); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `UPDATE report_escalations SET emailed_at = ? WHERE report_id = ? AND emailed_at IS NULL`, tx.now, id); err != nil {
		return fmt.Errorf("mark escalation e-mailed: %w", err)
	}
	return tx.Commit()
}
