package store

import (
	"context"
	"fmt"

	"tropic/internal/tropic"
)

// FindReportSummary returns the little that background jobs may pass on about a
// report: its id, reference, channel, time received, district slug, urgency and
// status. Nothing else is filled in: the query reads no description, names,
// contacts, phones, vehicles, addresses or postcodes, so it writes no audit event.
// Only the system (a job) may call it; anyone else gets "not found".
func (s *ReportService) FindReportSummary(ctx context.Context, actor tropic.Actor, id int64) (*tropic.Report, error) {
	if !actor.IsSystem() {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	}
	var r tropic.Report
	var channel, urgency, status string
	err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT id, reference, channel, received_at, district, urgency, status
		FROM reports WHERE id = ?`), id).Scan(&r.ID, &r.Reference, &channel, &r.ReceivedAt, &r.Location.District, &urgency, &status)
	if err != nil {
		if err = mapError(err); tropic.ErrorCode(err) == tropic.ENOTFOUND {
			return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
		}
		return nil, fmt.Errorf("find report summary: %w", err)
	}
	r.Channel, r.Urgency, r.Status = tropic.Channel(channel), tropic.Urgency(urgency), tropic.ReportStatus(status)
	r.ReceivedAt = r.ReceivedAt.UTC()
	return &r, nil
}
