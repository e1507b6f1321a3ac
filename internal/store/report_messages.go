package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"tropic/internal/tropic"
)

var _ tropic.ReportMessageService = (*ReportService)(nil)

// Messages between staff and a report's reporter (issue 15, item 1). Who may read and
// write them is tropic.ReportSightFor with ShowsMessages; the reporter is known only
// by the reference and follow-up code, checked as AddFollowUp checks them.

// loadMessages fills r.Messages, oldest first, with the staff senders' names.
func loadMessages(ctx context.Context, tx *Tx, r *tropic.Report) error {
	rows, err := tx.Query(ctx, `SELECT m.id, m.at, m.from_reporter, COALESCE(u.name, ''), COALESCE(a.name, ''), m.text FROM report_messages m
		LEFT JOIN users u ON u.id = m.user_id LEFT JOIN agencies a ON a.id = m.agency_id WHERE m.report_id = ? ORDER BY m.id`, r.ID)
	if err != nil {
		return fmt.Errorf("find messages: %w", err)
	}
	defer rows.Close()
	r.Messages = nil
	for rows.Next() {
		var m tropic.ReportMessage
		if err := rows.Scan(&m.ID, &m.At, &m.FromReporter, &m.User, &m.Agency, &m.Text); err != nil {
			return err
		}
		m.At = m.At.UTC()
		r.Messages = append(r.Messages, m)
	}
	return rows.Err()
}

// reportForMessages loads the report the actor would write to, locked for the rest of
// the transaction (so that two sends count against the limit one after the other),
// and refuses anyone whose sight of it does not show its messages.
func reportForMessages(ctx context.Context, tx *Tx, actor tropic.Actor, ref string) (*tropic.Report, error) {
	ref, err := tropic.ParseReference(ref)
	if err != nil {
		return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	}
	if actor, err = inHub(ctx, tx, actor); err != nil {
		return nil, err
	}
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM reports WHERE reference = ?`+tx.db.forUpdate(), ref).Scan(&id); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return nil, tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
		}
		return nil, fmt.Errorf("find report: %w", err)
	}
	r, err := findReport(ctx, tx, ref)
	if err != nil {
		return nil, err
	}
	linked, err := linkedCaseAccess(ctx, tx, actor, r.ID)
	if err != nil {
		return nil, err
	}
	if err := tropic.MayMessageReporter(tropic.ReportSightFor(actor, r, linked)); err != nil {
		return nil, err
	}
	return r, nil
}

// FindReportMessages lists the report's messages for staff who read them, and audits
// the read as a view of the report.
func (s *ReportService) FindReportMessages(ctx context.Context, actor tropic.Actor, ref string) ([]tropic.ReportMessage, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := reportForMessages(ctx, tx, actor, ref)
	if err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportViewed, objectType: "report", objectID: r.ID, detail: "messages with the reporter"}); err != nil {
		return nil, err
	}
	if r.Messages == nil {
		r.Messages = []tropic.ReportMessage{}
	}
	return r.Messages, tx.Commit()
}

// SendReportMessage writes to the report's reporter, within the rate limit, and
// audits it (never the text). A key the same user sent before for this report
// returns the first message and writes nothing. A reporter who gave an e-mail
// address and agreed is told that a message waits (a job; the message stays here).
func (s *ReportService) SendReportMessage(ctx context.Context, actor tropic.Actor, ref, text, key string) (tropic.ReportMessageSent, error) {
	var p tropic.Problems
	text = tropic.CheckMessage(&p, "message", text)
	tropic.CheckMessageKey(&p, "key", key)
	if err := p.Err(); err != nil {
		return tropic.ReportMessageSent{}, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return tropic.ReportMessageSent{}, err
	}
	defer tx.Rollback()
	r, err := reportForMessages(ctx, tx, actor, ref)
	if err != nil {
		return tropic.ReportMessageSent{}, err
	}
	keyHash := tropic.HashMessageKey("user:"+strconv.FormatInt(actor.UserID, 10), key)
	if m, ok := messageByKey(r, tx, ctx, keyHash); ok {
		return tropic.ReportMessageSent{Message: m, Replay: true}, nil
	}
	recent, err := recentMessages(ctx, tx, r.ID, false)
	if err != nil {
		return tropic.ReportMessageSent{}, err
	}
	if err := tropic.CheckMessageRate(false, recent); err != nil {
		return tropic.ReportMessageSent{}, err
	}
	id, err := insertMessage(ctx, tx, r.ID, false, actor, text, keyHash)
	if err != nil {
		return tropic.ReportMessageSent{}, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMessageSent, objectType: "report", objectID: r.ID, detail: "message " + strconv.FormatInt(id, 10)}); err != nil {
		return tropic.ReportMessageSent{}, err
	}
	var consent bool
	if err := tx.QueryRow(ctx, `SELECT reporter_notify_consent FROM reports WHERE id = ?`, r.ID).Scan(&consent); err != nil {
		return tropic.ReportMessageSent{}, fmt.Errorf("find reporter's consent: %w", err)
	}
	if s.jobs != nil && consent && tropic.ReporterEmail(r.Reporter) != "" {
		if err := s.jobs.EnqueueTx(ctx, tx.Tx, tropic.MessageWaitsJob{ReportID: r.ID}); err != nil {
			return tropic.ReportMessageSent{}, fmt.Errorf("queue reporter e-mail: %w", err)
		}
	}
	if err := loadMessages(ctx, tx, r); err != nil {
		return tropic.ReportMessageSent{}, err
	}
	m := r.Messages[len(r.Messages)-1]
	return tropic.ReportMessageSent{Message: m}, tx.Commit()
}

// messageByKey finds the message sent before under keyHash, if any.
func messageByKey(r *tropic.Report, tx *Tx, ctx context.Context, keyHash string) (tropic.ReportMessage, bool) {
	if keyHash == "" {
		return tropic.ReportMessage{}, false
	}
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM report_messages WHERE report_id = ? AND key_hash = ?`, r.ID, keyHash).Scan(&id); err != nil {
		return tropic.ReportMessage{}, false
	}
	for _, m := range r.Messages {
		if m.ID == id {
			return m, true
		}
	}
	return tropic.ReportMessage{}, false
}

// recentMessages counts the messages one way on the report within the window.
func recentMessages(ctx context.Context, tx *Tx, reportID int64, fromReporter bool) (int, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM report_messages WHERE report_id = ? AND from_reporter = ? AND at > ?`,
		reportID, fromReporter, tx.now.Add(-tropic.MessageWindow)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count recent messages: %w", err)
	}
	return n, nil
}

func insertMessage(ctx context.Context, tx *Tx, reportID int64, fromReporter bool, actor tropic.Actor, text, keyHash string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO report_messages (report_id, at, from_reporter, user_id, agency_id, text, key_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, reportID, tx.now, fromReporter, nullID(actor.UserID), nullID(actor.AgencyID), text,
		sql.NullString{String: keyHash, Valid: keyHash != ""}).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add message: %w", err)
	}
	return id, nil
}

// reporterThread is the reporter's view of report id: its broad status and the
// messages, with no sender's name or agency.
func reporterThread(ctx context.Context, tx *Tx, id int64) (*tropic.ReporterThread, error) {
	var ref, status string
	var claimed sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT reference, status, claimed_by FROM reports WHERE id = ?`, id).Scan(&ref, &status, &claimed); err != nil {
		return nil, fmt.Errorf("find report: %w", err)
	}
	th := &tropic.ReporterThread{Reference: ref, Status: tropic.BroadStatusOf(tropic.ReportStatus(status), claimed.Valid), Messages: []tropic.ReporterMessage{}}
	rows, err := tx.Query(ctx, `SELECT at, from_reporter, text FROM report_messages WHERE report_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("find messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m tropic.ReporterMessage
		if err := rows.Scan(&m.At, &m.FromReporter, &m.Text); err != nil {
			return nil, err
		}
		m.At = m.At.UTC()
		th.Messages = append(th.Messages, m)
	}
	return th, rows.Err()
}

// FindReporterThread returns the reporter's view of the report when the code matches,
// and audits the read (by the public follow-up, never the code).
func (s *ReportService) FindReporterThread(ctx context.Context, ref, codeHash string) (*tropic.ReporterThread, error) {
	id, stored, sealed, err := s.db.reporterReport(ctx, ref, codeHash)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := sealOnUse(ctx, tx, id, stored, sealed); err != nil {
		return nil, err
	}
	th, err := reporterThread(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, tropic.SystemActor("public follow-up"), auditEntry{action: tropic.AuditMessagesRead, objectType: "report", objectID: id}); err != nil {
		return nil, err
	}
	return th, tx.Commit()
}

// ReplyToReport adds the reporter's reply, within the rate limit, brings the report
// back to attention, audits it (never the text) and tells the staff who read the
// report in Tropic. A key sent before for the report posts nothing new (replay is
// true). The text is checked before the code, as AddFollowUp does.
func (s *ReportService) ReplyToReport(ctx context.Context, ref, codeHash, text, key string) (*tropic.ReporterThread, bool, error) {
	var p tropic.Problems
	text = tropic.CheckMessage(&p, "reply", text)
	tropic.CheckMessageKey(&p, "key", key)
	if err := p.Err(); err != nil {
		return nil, false, err
	}
	id, stored, sealed, err := s.db.reporterReport(ctx, ref, codeHash)
	if err != nil {
		return nil, false, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	// Replies to one report are taken one at a time (the row lock), so that two sent
	// at once with one key post once (PostgreSQL; SQLite has one writer).
	var locked int64
	if err := tx.QueryRow(ctx, `SELECT id FROM reports WHERE id = ?`+tx.db.forUpdate(), id).Scan(&locked); err != nil {
		return nil, false, fmt.Errorf("find report: %w", err)
	}
	if err := sealOnUse(ctx, tx, id, stored, sealed); err != nil {
		return nil, false, err
	}
	keyHash := tropic.HashMessageKey("reporter", key)
	if keyHash != "" {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM report_messages WHERE report_id = ? AND key_hash = ?`, id, keyHash).Scan(&n); err != nil {
			return nil, false, fmt.Errorf("find reply: %w", err)
		}
		if n > 0 {
			th, err := reporterThread(ctx, tx, id)
			return th, true, err
		}
	}
	before, err := reporterThread(ctx, tx, id)
	if err != nil {
		return nil, false, err
	}
	if err := before.MayReply(); err != nil {
		return nil, false, err
	}
	recent, err := recentMessages(ctx, tx, id, true)
	if err != nil {
		return nil, false, err
	}
	if err := tropic.CheckMessageRate(true, recent); err != nil {
		return nil, false, err
	}
	if _, err := insertMessage(ctx, tx, id, true, tropic.Actor{}, text, keyHash); err != nil {
		return nil, false, err
	}
	if _, err := tx.Exec(ctx, `UPDATE reports SET needs_attention = (status <> ?) WHERE id = ?`, string(tropic.ReportNew), id); err != nil {
		return nil, false, err
	}
	system := tropic.SystemActor("public follow-up")
	if err := appendAudit(ctx, tx, system, auditEntry{action: tropic.AuditMessageReply, objectType: "report", objectID: id}); err != nil {
		return nil, false, err
	}
	th, err := reporterThread(ctx, tx, id)
	if err != nil {
		return nil, false, err
	}
	if err := notifyOfReply(ctx, tx, id, th.Reference); err != nil {
		return nil, false, err
	}
	return th, false, tx.Commit()
}

// notifyOfReply tells, in Tropic, the staff who read the report that the reporter
// replied: the triage users of the hub, the caseworkers and supervisors of the agency
// the report is with, and the officers of the cases it is linked to. The notification
// holds the reference only.
func notifyOfReply(ctx context.Context, tx *Tx, id int64, ref string) error {
	system := tropic.SystemActor("public follow-up")
	hubs, err := hubAgencyIDs(ctx, tx)
	if err != nil {
		return err
	}
	text := "The reporter replied to a message on report " + ref + "."
	for _, a := range hubs {
		n := tropic.Notification{Kind: tropic.NotifyReporterReplied, Subject: ref, Text: text, Link: "/triage/reports/" + ref + "#messages"}
		if err := notifyAgency(ctx, tx, system, n, a, tropic.RoleTriage); err != nil {
			return err
		}
	}
	var passedTo sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT passed_to_agency FROM reports WHERE id = ?`, id).Scan(&passedTo); err != nil {
		return fmt.Errorf("find report's agency: %w", err)
	}
	if passedTo.Valid {
		n := tropic.Notification{Kind: tropic.NotifyReporterReplied, Subject: ref, Text: text, Link: "/inbox/reports/" + ref + "#messages"}
		if err := notifyAgency(ctx, tx, system, n, passedTo.Int64, tropic.RoleCaseworker, tropic.RoleSupervisor); err != nil {
			return err
		}
	}
	return notifyOfficers(ctx, tx, system, id, func(caseRef string) tropic.Notification {
		return tropic.Notification{Kind: tropic.NotifyReporterReplied, Subject: caseRef,
			Text: "The reporter replied to a message on report " + ref + " on case " + caseRef + ".", Link: "/cases/" + caseRef + "/reports/" + ref}
	})
}

// FindReporterNotifyEmail returns the e-mail address of report id's reporter when
// they agreed to be told that a message waits, else "". Only the system (the e-mail
// job) may call it; it reads the contact to send one e-mail, and is audited.
func (s *ReportService) FindReporterNotifyEmail(ctx context.Context, actor tropic.Actor, id int64) (string, error) {
	if !actor.IsSystem() {
		return "", tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var rep tropic.Reporter
	if err := tx.QueryRow(ctx, `SELECT reporter_anonymous, reporter_contact, reporter_notify_consent FROM reports WHERE id = ?`, id).
		Scan(&rep.Anonymous, &rep.Contact, &rep.NotifyConsent); err != nil {
		if err = mapError(err); tropic.ErrorCode(err) == tropic.ENOTFOUND {
			return "", tropic.Errorf(tropic.ENOTFOUND, "Report not found.")
		}
		return "", fmt.Errorf("find reporter: %w", err)
	}
	to := ""
	if rep.NotifyConsent {
		to = tropic.ReporterEmail(rep)
	}
	if to == "" {
		return "", nil
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditReportViewed, objectType: "report", objectID: id, detail: "reporter's e-mail address, to tell them a message waits"}); err != nil {
		return "", err
	}
	return to, tx.Commit()
}
