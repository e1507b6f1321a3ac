package store

import (
	"context"
	"fmt"
	"time"

	"tropic/internal/tropic"
)

// Reports on cases (issue 12, item 2): whoever may see a case reads the reports linked
// to it, and what the reporter added later, as far as tropic.ReportSightFor allows.

// partnershipZone is where a share's last day is counted, as the case service counts it.
var partnershipZone = func() *time.Location {
	zone, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return zone
}()

// linkedCaseAccess is the actor's access to each case report reportID is linked to.
func linkedCaseAccess(ctx context.Context, tx *Tx, actor tropic.Actor, reportID int64) ([]tropic.CaseAccess, error) {
	if !tropic.CaseWorker(actor) {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT c.id, c.owner_agency_id FROM case_reports cr JOIN cases c ON c.id = cr.case_id WHERE cr.report_id = ? ORDER BY c.id`, reportID)
	if err != nil {
		return nil, fmt.Errorf("find cases of report: %w", err)
	}
	type linked struct{ id, owner int64 }
	var cases []linked
	for rows.Next() {
		var l linked
		if err := rows.Scan(&l.id, &l.owner); err != nil {
			rows.Close()
			return nil, err
		}
		cases = append(cases, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	now := tx.now.In(partnershipZone)
	var out []tropic.CaseAccess
	for _, l := range cases {
		shares, err := loadShares(ctx, tx, l.id)
		if err != nil {
			return nil, err
		}
		out = append(out, tropic.AccessTo(actor, l.owner, shares, now))
	}
	return out, nil
}

// reportAsSeenBy loads the report and limits it to what the actor may read; a report
// the actor may not read answers as a missing one. linked, when not nil, is the
// access that counts (a page under one case); otherwise every linked case counts.
func reportAsSeenBy(ctx context.Context, tx *Tx, actor tropic.Actor, ref string, linked []tropic.CaseAccess) (*tropic.Report, error) {
	r, err := findReport(ctx, tx, ref)
	if err != nil {
		return nil, err
	}
	if linked == nil {
		if linked, err = linkedCaseAccess(ctx, tx, actor, r.ID); err != nil {
			return nil, err
		}
	}
	sight := tropic.ReportSightFor(actor, r, linked)
	if sight == tropic.ReportSightNone {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	}
	r.Limit(sight)
	return r, nil
}

// FindCaseReport returns a report linked to the case, as the case lets the actor read
// it, and records the view of both. A case the actor may not see, or a report not
// linked to it, answers as missing.
func (s *CaseService) FindCaseReport(ctx context.Context, actor tropic.Actor, caseRef, reportRef string) (*tropic.Case, *tropic.Report, error) {
	noReport := tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	ref, err := tropic.ParseReference(reportRef)
	if err != nil {
		return nil, nil, noReport
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	c, _, err := s.caseByRef(ctx, tx, actor, caseRef, false)
	if err != nil {
		return nil, nil, err
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_reports cr JOIN reports r ON r.id = cr.report_id WHERE cr.case_id = ? AND r.reference = ?`,
		c.ID, ref).Scan(&n); err != nil {
		return nil, nil, fmt.Errorf("find case report: %w", err)
	}
	if n == 0 {
		return nil, nil, noReport
	}
	r, err := reportAsSeenBy(ctx, tx, actor, ref, []tropic.CaseAccess{c.Access})
	if err != nil {
		return nil, nil, err
	}
	if err := logAccess(ctx, tx, actor, c.ID, 0); err != nil {
		return nil, nil, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportViewed, objectType: "report", objectID: r.ID, detail: "through case " + c.Reference}); err != nil {
		return nil, nil, err
	}
	return c, r, tx.Commit()
}

// notifyOfficersOfFollowUp tells the officer in charge of each case the report is
// linked to that the reporter added information (no personal data: the references).
func notifyOfficersOfFollowUp(ctx context.Context, tx *Tx, reportID int64, reportRef string) error {
	return notifyOfficers(ctx, tx, tropic.SystemActor("public follow-up"), reportID, func(caseRef string) tropic.Notification {
		return tropic.Notification{Kind: tropic.NotifyReportNewInfo, Subject: caseRef,
			Text: "The reporter added information to report " + reportRef + " on case " + caseRef + ".",
			Link: "/cases/" + caseRef + "/reports/" + reportRef}
	})
}

// notifyOfficers tells the officer in charge of each case the report is linked to
// what notice says of that case.
func notifyOfficers(ctx context.Context, tx *Tx, actor tropic.Actor, reportID int64, notice func(caseRef string) tropic.Notification) error {
	rows, err := tx.Query(ctx, `SELECT c.reference, c.officer_user_id FROM case_reports cr JOIN cases c ON c.id = cr.case_id
		WHERE cr.report_id = ? AND c.officer_user_id IS NOT NULL ORDER BY c.id`, reportID)
	if err != nil {
		return fmt.Errorf("find officers of report: %w", err)
	}
	type officer struct {
		caseRef string
		userID  int64
	}
	var officers []officer
	for rows.Next() {
		var o officer
		if err := rows.Scan(&o.caseRef, &o.userID); err != nil {
			rows.Close()
			return err
		}
		officers = append(officers, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, o := range officers {
		if err := notifyUsers(ctx, tx, actor, notice(o.caseRef), o.userID); err != nil {
			return err
		}
	}
	return nil
}
