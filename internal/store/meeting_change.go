package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// UpdateMeeting changes a meeting's kind, title, date and who attends, against the
// version the editor saw (tropic.MeetingEdit). In the same transaction the shares made
// for the meeting with an agency that stops attending end, and the agencies the change
// concerns are told; an agency that starts attending is shared nothing
// (tropic.MeetingEdit explains why).
func (s *MeetingService) UpdateMeeting(ctx context.Context, actor tropic.Actor, id int64, e tropic.MeetingEdit) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := s.runMeeting(ctx, tx, actor, id)
	if err != nil {
		return err
	}
	if m.Version != e.Version {
		return s.staleMeeting(m)
	}
	n, err := e.Apply(m)
	if err != nil {
		return err
	}
	ch := tropic.ChangesOf(m, n)
	if err := tropic.MayMoveMeeting(m, ch); err != nil {
		return err
	}
	if err := checkMeetingAgencies(ctx, tx, ch.Added); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE meetings SET kind = ?, title = ?, held_on = ?, people = ?, version = version + 1, updated_at = ?, updated_by = ?
		WHERE id = ? AND version = ?`, string(n.Kind), n.Title, n.HeldOn, n.People, tx.now, w.String(), m.ID, e.Version)
	if err != nil {
		return fmt.Errorf("update meeting: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return s.staleMeeting(m)
	}
	for _, a := range ch.Removed {
		if _, err := tx.Exec(ctx, `DELETE FROM meeting_agencies WHERE meeting_id = ? AND agency_id = ?`, m.ID, a); err != nil {
			return fmt.Errorf("remove meeting agency: %w", err)
		}
	}
	for _, a := range ch.Added {
		if _, err := tx.Exec(ctx, `INSERT INTO meeting_agencies (meeting_id, agency_id) VALUES (?, ?)`, m.ID, a); err != nil {
			return fmt.Errorf("add meeting agency: %w", err)
		}
	}
	ended, err := endMeetingShares(ctx, tx, actor, m.ID, false, ch.Removed, "no longer attends meeting "+strconv.FormatInt(m.ID, 10))
	if err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMeetingChanged, objectType: "meeting", objectID: m.ID,
		detail: fmt.Sprintf("version %d: %s on %s, agencies %v (removed %v, added %v), %d shares ended", m.Version+1, n.Kind, n.HeldOn, n.AgencyIDs,
			ch.Removed, ch.Added, ended)}); err != nil {
		return err
	}
	if err := notifyMeetingChange(ctx, tx, actor, m, n, ch); err != nil {
		return err
	}
	return tx.Commit()
}

// CancelMeeting cancels a meeting with a reason, against the version the keeper saw:
// every share made for it ends and the agencies attending are told.
func (s *MeetingService) CancelMeeting(ctx context.Context, actor tropic.Actor, id int64, reason string, version int) error {
	if err := tropic.ValidateCancelReason(&reason); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := s.runMeeting(ctx, tx, actor, id)
	if err != nil {
		return err
	}
	if m.Version != version {
		return s.staleMeeting(m)
	}
	if err := tropic.MayCancelMeeting(m); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE meetings SET cancelled_at = ?, cancelled_by = ?, cancel_reason = ?, version = version + 1, updated_at = ?, updated_by = ?
		WHERE id = ? AND version = ?`, tx.now, w.String(), reason, tx.now, w.String(), m.ID, version)
	if err != nil {
		return fmt.Errorf("cancel meeting: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return s.staleMeeting(m)
	}
	ended, err := endMeetingShares(ctx, tx, actor, m.ID, true, nil, "meeting "+strconv.FormatInt(m.ID, 10)+" cancelled")
	if err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMeetingCancelled, objectType: "meeting", objectID: m.ID,
		detail: fmt.Sprintf("%d shares ended", ended)}); err != nil {
		return err
	}
	n := meetingChangeNotice(m, "The "+strings.ToLower(m.Kind.Label())+" \""+m.Title+"\" of "+m.HeldDay()+" was cancelled: "+reason)
	if err := tellMeetingAgencies(ctx, tx, actor, n, m.AgencyIDs...); err != nil {
		return err
	}
	return tx.Commit()
}

// staleMeeting refuses a change made against an old version of m, naming who changed it.
func (s *MeetingService) staleMeeting(m *tropic.Meeting) error {
	by, at := m.UpdatedBy, m.UpdatedAt
	if at.IsZero() {
		by, at = m.CreatedBy, m.CreatedAt
	}
	return s.cases.stale("meeting", by, at)
}

// endMeetingShares ends the active shares made for meeting meetingID: with the
// agencies given, or with every agency when all. It returns how many ended; each is
// audited on its case, with why.
func endMeetingShares(ctx context.Context, tx *Tx, actor tropic.Actor, meetingID int64, all bool, agencyIDs []int64, why string) (int, error) {
	where, args := `s.meeting_id = ? AND s.status = ?`, []any{meetingID, string(tropic.ShareActive)}
	if !all {
		if len(agencyIDs) == 0 {
			return 0, nil
		}
		marks, ids := inList(agencyIDs)
		where, args = where+` AND s.agency_id IN (`+marks+`)`, append(args, ids...)
	}
	rows, err := tx.Query(ctx, `SELECT s.id, s.case_id, a.name FROM case_shares s JOIN agencies a ON a.id = s.agency_id WHERE `+where+` ORDER BY s.id`, args...)
	if err != nil {
		return 0, fmt.Errorf("find meeting shares: %w", err)
	}
	type share struct {
		id, caseID int64
		agency     string
	}
	var found []share
	for rows.Next() {
		var sh share
		if err := rows.Scan(&sh.id, &sh.caseID, &sh.agency); err != nil {
			rows.Close()
			return 0, err
		}
		found = append(found, sh)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, sh := range found {
		if _, err := tx.Exec(ctx, `UPDATE case_shares SET status = ?, revoked_at = ?, revoked_by_user = ? WHERE id = ?`,
			string(tropic.ShareRevoked), tx.now, nullID(actor.UserID), sh.id); err != nil {
			return 0, fmt.Errorf("end meeting share: %w", err)
		}
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditShareRevoked, objectType: "case", objectID: sh.caseID,
			detail: fmt.Sprintf("share %d with %s: %s", sh.id, sh.agency, why)}); err != nil {
			return 0, err
		}
	}
	return len(found), nil
}

// notifyMeetingChange tells the agencies concerned of a change: those still attending
// of a new date, those added that they attend, those removed that they no longer do.
func notifyMeetingChange(ctx context.Context, tx *Tx, actor tropic.Actor, before, after *tropic.Meeting, ch tropic.MeetingChanges) error {
	what := meetingWhat(after)
	tell := func(n tropic.Notification, agencies ...int64) error {
		return tellMeetingAgencies(ctx, tx, actor, n, agencies...)
	}
	if ch.DateChanged {
		var staying []int64
		for _, a := range after.AgencyIDs {
			if !slices.Contains(ch.Added, a) {
				staying = append(staying, a)
			}
		}
		n := meetingChangeNotice(after, "The date of "+what+" moved from "+before.HeldDay()+" to "+after.HeldDay()+".")
		if err := tell(n, staying...); err != nil {
			return err
		}
	}
	if err := tell(meetingChangeNotice(after, "Your agency now attends "+what+" on "+after.HeldDay()+"."), ch.Added...); err != nil {
		return err
	}
	gone := meetingChangeNotice(after, "Your agency no longer attends "+what+"; what was shared with it for the meeting has ended.")
	gone.Link = "/meetings"
	return tell(gone, ch.Removed...)
}

// meetingWhat names a meeting in a sentence: the tasking meeting "Title".
func meetingWhat(m *tropic.Meeting) string {
	return "the " + strings.ToLower(m.Kind.Label()) + " \"" + m.Title + "\""
}

// tellMeetingAgencies tells those at the agencies given who arrange and attend
// meetings (tropic.MeetingNotified).
func tellMeetingAgencies(ctx context.Context, tx *Tx, actor tropic.Actor, n tropic.Notification, agencies ...int64) error {
	for _, a := range agencies {
		if err := notifyAgency(ctx, tx, actor, n, a, tropic.MeetingNotified...); err != nil {
			return err
		}
	}
	return nil
}

func meetingChangeNotice(m *tropic.Meeting, text string) tropic.Notification {
	return tropic.Notification{Kind: tropic.NotifyMeetingChanged, Subject: "Meeting " + strconv.FormatInt(m.ID, 10),
		Link: "/meetings/" + strconv.FormatInt(m.ID, 10), Text: text}
}

// meetingRecorded says whether minutes or actions are recorded for a meeting: it took
// place (tropic.MayCancelMeeting, MayMoveMeeting).
func meetingRecorded(ctx context.Context, tx *Tx, id int64) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM meeting_items WHERE meeting_id = ? AND minutes <> '')
		+ (SELECT COUNT(*) FROM meeting_actions WHERE meeting_id = ?)`, id, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read meeting's minutes: %w", err)
	}
	return n > 0, nil
}
