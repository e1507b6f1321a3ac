package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// MeetingService keeps multi-agency meetings (issue 17, item 1). What a reader sees of
// a case on an agenda is decided by tropic.AgendaView from their access to the case,
// read in the same transaction; a meeting their agency does not attend is missing.
type MeetingService struct {
	db    *DB
	cases *CaseService // for access to cases and their shares
}

var _ tropic.MeetingService = (*MeetingService)(nil)

// NewMeetingService returns the meeting service on db.
func NewMeetingService(db *DB) *MeetingService {
	return &MeetingService{db: db, cases: NewCaseService(db, nil)}
}

func meetingNotFound() error { return tropic.Errorf(tropic.ENOTFOUND, "Meeting not found.") }

const meetingColumns = `m.id, m.kind, m.title, m.held_on, m.people, m.convenor_agency_id, a.name, m.created_by, m.created_at,
	m.version, m.updated_by, m.updated_at, m.cancelled_at, m.cancelled_by, m.cancel_reason`

func scanMeeting(sc interface{ Scan(...any) error }) (*tropic.Meeting, error) {
	var m tropic.Meeting
	var kind string
	var updated, cancelled sql.NullTime
	if err := sc.Scan(&m.ID, &kind, &m.Title, &m.HeldOn, &m.People, &m.ConvenorAgencyID, &m.ConvenorAgency, &m.CreatedBy, &m.CreatedAt,
		&m.Version, &m.UpdatedBy, &updated, &cancelled, &m.CancelledBy, &m.CancelReason); err != nil {
		return nil, mapError(err)
	}
	m.Kind, m.CreatedAt = tropic.MeetingKind(kind), m.CreatedAt.UTC()
	if updated.Valid {
		m.UpdatedAt = updated.Time.UTC()
	}
	if cancelled.Valid {
		m.CancelledAt = cancelled.Time.UTC()
	}
	return &m, nil
}

// loadMeetingAgencies fills in the agencies attending m.
func loadMeetingAgencies(ctx context.Context, tx *Tx, m *tropic.Meeting) error {
	rows, err := tx.Query(ctx, `SELECT a.id, a.name FROM meeting_agencies ma JOIN agencies a ON a.id = ma.agency_id WHERE ma.meeting_id = ? ORDER BY a.name`, m.ID)
	if err != nil {
		return fmt.Errorf("load meeting agencies: %w", err)
	}
	defer rows.Close()
	m.AgencyIDs, m.Agencies = nil, nil
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		m.AgencyIDs, m.Agencies = append(m.AgencyIDs, id), append(m.Agencies, name)
	}
	return rows.Err()
}

// meetingByID loads a meeting the actor's agency attends; any other is missing.
func (s *MeetingService) meetingByID(ctx context.Context, tx *Tx, actor tropic.Actor, id int64) (*tropic.Meeting, error) {
	m, err := scanMeeting(tx.QueryRow(ctx, `SELECT `+meetingColumns+` FROM meetings m JOIN agencies a ON a.id = m.convenor_agency_id WHERE m.id = ?`, id))
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, meetingNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find meeting: %w", err)
	}
	if err := loadMeetingAgencies(ctx, tx, m); err != nil {
		return nil, err
	}
	if !tropic.MaySeeMeeting(actor, m.AgencyIDs) {
		return nil, meetingNotFound()
	}
	if m.Recorded, err = meetingRecorded(ctx, tx, m.ID); err != nil {
		return nil, err
	}
	m.MayRun = tropic.MayRunMeeting(actor, m) && !m.Cancelled()
	return m, nil
}

// runMeeting loads a meeting for a change by whoever keeps its record.
func (s *MeetingService) runMeeting(ctx context.Context, tx *Tx, actor tropic.Actor, id int64) (*tropic.Meeting, error) {
	m, err := s.meetingByID(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := tropic.MayChangeMeeting(actor, m); err != nil {
		return nil, err
	}
	return m, nil
}

// CreateMeeting arranges a meeting convened by the actor's agency.
func (s *MeetingService) CreateMeeting(ctx context.Context, actor tropic.Actor, m *tropic.Meeting) error {
	if err := tropic.MayConveneMeeting(actor); err != nil {
		return err
	}
	m.ConvenorAgencyID = actor.AgencyID
	if err := m.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := checkMeetingAgencies(ctx, tx, m.AgencyIDs); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	m.CreatedBy, m.CreatedAt = w.String(), tx.now
	m.ID, err = tx.insert(ctx, `INSERT INTO meetings (kind, title, held_on, people, convenor_agency_id, created_by_user, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, string(m.Kind), m.Title, m.HeldOn, m.People, m.ConvenorAgencyID, nullID(actor.UserID), m.CreatedBy, m.CreatedAt)
	if err != nil {
		return fmt.Errorf("create meeting: %w", err)
	}
	for _, id := range m.AgencyIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO meeting_agencies (meeting_id, agency_id) VALUES (?, ?)`, m.ID, id); err != nil {
			return fmt.Errorf("add meeting agency: %w", err)
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMeetingCreated, objectType: "meeting", objectID: m.ID,
		detail: fmt.Sprintf("%s on %s, agencies %v", m.Kind, m.HeldOn, m.AgencyIDs)}); err != nil {
		return err
	}
	// Those told of a change to the meeting are told it was arranged.
	n := meetingChangeNotice(m, "Your agency attends "+meetingWhat(m)+" on "+m.HeldDay()+", just arranged by "+w.String()+".")
	if err := tellMeetingAgencies(ctx, tx, actor, n, m.AgencyIDs...); err != nil {
		return err
	}
	return tx.Commit()
}

// checkMeetingAgencies refuses agencies to attend that are not enabled agencies.
func checkMeetingAgencies(ctx context.Context, tx *Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	marks, args := inList(ids)
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM agencies WHERE disabled = ? AND id IN (`+marks+`)`, append([]any{false}, args...)...).Scan(&n); err != nil {
		return fmt.Errorf("check agencies: %w", err)
	}
	if n != len(ids) {
		msg := "Choose the agencies attending from the list"
		return &tropic.Error{Code: tropic.EINVALID, Message: msg, Fields: map[string]string{"agencies": msg}}
	}
	return nil
}

// FindMeetings lists the meetings the actor's agency attends, newest first.
func (s *MeetingService) FindMeetings(ctx context.Context, actor tropic.Actor) ([]*tropic.Meeting, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT `+meetingColumns+` FROM meetings m JOIN agencies a ON a.id = m.convenor_agency_id
		WHERE EXISTS (SELECT 1 FROM meeting_agencies ma WHERE ma.meeting_id = m.id AND ma.agency_id = ?)
		ORDER BY m.held_on DESC, m.id DESC LIMIT 500`, actor.AgencyID)
	if err != nil {
		return nil, fmt.Errorf("find meetings: %w", err)
	}
	var out []*tropic.Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, m := range out {
		if err := loadMeetingAgencies(ctx, tx, m); err != nil {
			return nil, err
		}
		m.MayRun = tropic.MayRunMeeting(actor, m) && !m.Cancelled()
	}
	return out, tx.Commit()
}

// caseAccess is the actor's access to case id today, and the case's owner.
func (s *MeetingService) caseAccess(ctx context.Context, tx *Tx, actor tropic.Actor, caseID int64) (tropic.CaseAccess, error) {
	var owner int64
	if err := tx.QueryRow(ctx, `SELECT owner_agency_id FROM cases WHERE id = ?`, caseID).Scan(&owner); err != nil {
		return tropic.AccessNone, fmt.Errorf("find case owner: %w", mapError(err))
	}
	shares, err := loadShares(ctx, tx, caseID)
	if err != nil {
		return tropic.AccessNone, err
	}
	return tropic.AccessTo(actor, owner, shares, s.cases.local(tx)), nil
}

// loadItems loads the agenda as the actor may see it.
func (s *MeetingService) loadItems(ctx context.Context, tx *Tx, actor tropic.Actor, m *tropic.Meeting) error {
	rows, err := tx.Query(ctx, `SELECT mi.id, mi.position, mi.mode, mi.topic, COALESCE(mi.case_id, 0), COALESCE(c.reference, ''), COALESCE(a.name, ''),
		COALESCE(c.title, ''), mi.lawful_basis, mi.share_until, mi.minutes, mi.minutes_by, mi.minutes_at
		FROM meeting_items mi LEFT JOIN cases c ON c.id = mi.case_id LEFT JOIN agencies a ON a.id = c.owner_agency_id
		WHERE mi.meeting_id = ? ORDER BY mi.position`, m.ID)
	if err != nil {
		return fmt.Errorf("load agenda: %w", err)
	}
	m.Items = nil
	for rows.Next() {
		var it tropic.AgendaItem
		var mode string
		var at sql.NullTime
		if err := rows.Scan(&it.ID, &it.Position, &mode, &it.Topic, &it.CaseID, &it.CaseReference, &it.CaseOwner, &it.CaseTitle,
			&it.LawfulBasis, &it.ShareUntil, &it.Minutes, &it.MinutesBy, &at); err != nil {
			rows.Close()
			return err
		}
		it.Mode = tropic.AgendaMode(mode)
		if at.Valid {
			it.MinutesAt = at.Time.UTC()
		}
		m.Items = append(m.Items, &it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, it := range m.Items {
		access := tropic.AccessWhole
		if it.CaseID != 0 {
			if access, err = s.caseAccess(ctx, tx, actor, it.CaseID); err != nil {
				return err
			}
		}
		tropic.AgendaView(it, access)
	}
	return nil
}

const meetingActionColumns = `ma.id, ma.meeting_id, COALESCE(ma.item_id, 0), ma.text, ma.owner_user_id, u.name || ' (' || ua.name || ')', ma.due_on, ma.status,
	ma.updated_by, ma.updated_at, m.title, m.held_on`

const meetingActionFrom = ` FROM meeting_actions ma JOIN meetings m ON m.id = ma.meeting_id JOIN users u ON u.id = ma.owner_user_id
	JOIN agencies ua ON ua.id = u.agency_id `

func scanMeetingAction(sc interface{ Scan(...any) error }) (*tropic.MeetingAction, error) {
	var a tropic.MeetingAction
	var status string
	if err := sc.Scan(&a.ID, &a.MeetingID, &a.ItemID, &a.Text, &a.OwnerUserID, &a.Owner, &a.Due, &status,
		&a.UpdatedBy, &a.UpdatedAt, &a.MeetingTitle, &a.MeetingHeldOn); err != nil {
		return nil, mapError(err)
	}
	a.Status, a.UpdatedAt = tropic.ActionStatus(status), a.UpdatedAt.UTC()
	return &a, nil
}

func (s *MeetingService) queryActions(ctx context.Context, tx *Tx, where string, args ...any) ([]*tropic.MeetingAction, error) {
	rows, err := tx.Query(ctx, `SELECT `+meetingActionColumns+meetingActionFrom+`WHERE `+where+` ORDER BY ma.due_on, ma.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find meeting actions: %w", err)
	}
	defer rows.Close()
	var out []*tropic.MeetingAction
	for rows.Next() {
		a, err := scanMeetingAction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// hideActions takes out the text of actions on a case the reader may not see.
func (s *MeetingService) hideActions(ctx context.Context, tx *Tx, actor tropic.Actor, actions []*tropic.MeetingAction) error {
	caseOf := map[int64]int64{} // item → case
	for _, a := range actions {
		if a.ItemID == 0 {
			continue
		}
		caseID, ok := caseOf[a.ItemID]
		if !ok {
			var c sql.NullInt64
			if err := tx.QueryRow(ctx, `SELECT case_id FROM meeting_items WHERE id = ?`, a.ItemID).Scan(&c); err != nil {
				return fmt.Errorf("find item case: %w", err)
			}
			caseID, caseOf[a.ItemID] = c.Int64, c.Int64
		}
		if caseID == 0 {
			continue
		}
		access, err := s.caseAccess(ctx, tx, actor, caseID)
		if err != nil {
			return err
		}
		if access == tropic.AccessNone {
			a.Text, a.Hidden = "", true
		}
	}
	return nil
}

// FindMeeting reads a meeting, its agenda, minutes and actions as the actor may see them.
func (s *MeetingService) FindMeeting(ctx context.Context, actor tropic.Actor, id int64) (*tropic.Meeting, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	m, err := s.meetingByID(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := s.loadItems(ctx, tx, actor, m); err != nil {
		return nil, err
	}
	if m.Actions, err = s.queryActions(ctx, tx, `ma.meeting_id = ?`, m.ID); err != nil {
		return nil, err
	}
	if err := s.hideActions(ctx, tx, actor, m.Actions); err != nil {
		return nil, err
	}
	// The cases whose details the reader saw are named in the audit trail.
	var seen []string
	for _, it := range m.Items {
		if it.CaseID != 0 && it.Access != tropic.AccessNone {
			seen = append(seen, it.CaseReference)
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMeetingViewed, objectType: "meeting", objectID: m.ID,
		detail: "cases shown: " + strings.Join(seen, ", ")}); err != nil {
		return nil, err
	}
	return m, tx.Commit()
}

// AddAgendaItem adds a topic or a case to the agenda. A case shared for the meeting is
// shared, in this transaction, with every attending agency that cannot yet see as
// much of it, until the day given: shares like any other, listed on the case.
func (s *MeetingService) AddAgendaItem(ctx context.Context, actor tropic.Actor, meetingID int64, in tropic.AgendaInput) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := s.runMeeting(ctx, tx, actor, meetingID)
	if err != nil {
		return err
	}
	if err := in.Validate(m.HeldOn, s.cases.local(tx)); err != nil {
		return err
	}
	var caseID any
	if in.Mode != tropic.AgendaTopic {
		c, shares, err := s.cases.caseByRef(ctx, tx, actor, in.CaseRef, true)
		if tropic.ErrorCode(err) == tropic.ENOTFOUND {
			msg := "There is no case with this reference that you can see"
			return &tropic.Error{Code: tropic.EINVALID, Message: msg, Fields: map[string]string{"case": msg}}
		} else if err != nil {
			return err
		}
		caseID = c.ID
		if in.Mode == tropic.AgendaShared {
			if err := tropic.MayShareForMeeting(actor, c); err != nil {
				return err
			}
			if err := s.shareForMeeting(ctx, tx, actor, m, c, shares, in); err != nil {
				return err
			}
		} else {
			in.LawfulBasis, in.Until, in.AgreementID, in.NoAgreement = "", "", 0, ""
		}
	}
	var pos int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM meeting_items WHERE meeting_id = ?`, m.ID).Scan(&pos); err != nil {
		return fmt.Errorf("next agenda position: %w", err)
	}
	id, err := tx.insert(ctx, `INSERT INTO meeting_items (meeting_id, position, mode, topic, case_id, lawful_basis, share_until) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.ID, pos, string(in.Mode), in.Topic, caseID, in.LawfulBasis, in.Until)
	if err != nil {
		return fmt.Errorf("add agenda item: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMeetingItemAdded, objectType: "meeting", objectID: m.ID,
		detail: fmt.Sprintf("item %d: %s %s", id, in.Mode, in.CaseRef)}); err != nil {
		return err
	}
	return tx.Commit()
}

// shareForMeeting shares c with the attending agencies that cannot see as much of it,
// each share citing the item's agreement or why none applies (tropic.MeetingShare).
func (s *MeetingService) shareForMeeting(ctx context.Context, tx *Tx, actor tropic.Actor, m *tropic.Meeting, c *tropic.Case, shares []*tropic.Share, in tropic.AgendaInput) error {
	want := tropic.AccessWhole
	if in.Scope == tropic.ShareWithoutSensitive {
		want = tropic.AccessWithoutSensitive
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	g, err := agreementByID(ctx, tx, in.AgreementID)
	if err != nil {
		return err
	}
	for i, agencyID := range m.AgencyIDs {
		// What a case worker of the agency would see now.
		reader := tropic.Actor{AgencyID: agencyID, Roles: []tropic.Role{tropic.RoleCaseworker}}
		if tropic.AccessTo(reader, c.OwnerAgencyID, shares, s.cases.local(tx)) >= want {
			continue
		}
		sh, err := tropic.MeetingShare(m, in, c, agencyID, m.Agencies[i], g, s.cases.local(tx))
		if err != nil {
			return err
		}
		sh.RequestedBy, sh.GrantedBy, sh.CreatedAt, sh.DecidedAt = w.String(), w.String(), tx.now, tx.now
		if err := insertShare(ctx, tx, actor, c, sh, nullID(actor.UserID), tropic.AuditShareGranted); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE case_shares SET meeting_id = ? WHERE id = ?`, m.ID, sh.ID); err != nil {
			return fmt.Errorf("name the share's meeting: %w", err)
		}
	}
	return nil
}

// itemCase loads the case of an item of meeting m (0 for a topic); a missing item is not found.
func itemCase(ctx context.Context, tx *Tx, meetingID, itemID int64) (int64, error) {
	var c sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT case_id FROM meeting_items WHERE id = ? AND meeting_id = ?`, itemID, meetingID).Scan(&c); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return 0, tropic.Errorf(tropic.ENOTFOUND, "Agenda item not found.")
		}
		return 0, fmt.Errorf("find agenda item: %w", err)
	}
	return c.Int64, nil
}

// RecordMinutes writes the minutes of an item; of a case item, only by someone who
// may see the case.
func (s *MeetingService) RecordMinutes(ctx context.Context, actor tropic.Actor, meetingID, itemID int64, minutes string) error {
	if err := tropic.ValidateMinutes(&minutes); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := s.runMeeting(ctx, tx, actor, meetingID)
	if err != nil {
		return err
	}
	if err := tropic.MayRecordMeeting(m, "minutes", tx.now); err != nil {
		return err
	}
	caseID, err := itemCase(ctx, tx, m.ID, itemID)
	if err != nil {
		return err
	}
	if caseID != 0 {
		if access, err := s.caseAccess(ctx, tx, actor, caseID); err != nil {
			return err
		} else if access == tropic.AccessNone {
			return tropic.Errorf(tropic.EFORBIDDEN, "You no longer have access to this item's case, so you cannot minute it.")
		}
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE meeting_items SET minutes = ?, minutes_by = ?, minutes_at = ? WHERE id = ?`, minutes, w.String(), tx.now, itemID); err != nil {
		return fmt.Errorf("record minutes: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMeetingMinutes, objectType: "meeting", objectID: m.ID,
		detail: fmt.Sprintf("item %d", itemID)}); err != nil {
		return err
	}
	return tx.Commit()
}

// userActor is the actor a user would be: their agency and roles. A disabled user, or
// one of a disabled agency, is not found.
func userActor(ctx context.Context, tx *Tx, userID int64) (tropic.Actor, error) {
	a := tropic.Actor{UserID: userID}
	if err := tx.QueryRow(ctx, `SELECT u.agency_id FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.id = ? AND u.disabled = ? AND a.disabled = ?`,
		userID, false, false).Scan(&a.AgencyID); err != nil {
		return a, mapError(err)
	}
	rows, err := tx.Query(ctx, `SELECT role FROM user_roles WHERE user_id = ? ORDER BY role`, userID)
	if err != nil {
		return a, fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return a, err
		}
		a.Roles = append(a.Roles, tropic.Role(r))
	}
	return a, rows.Err()
}

// AddMeetingAction sets an action for someone at an attending agency, and tells them.
func (s *MeetingService) AddMeetingAction(ctx context.Context, actor tropic.Actor, meetingID int64, a *tropic.MeetingAction) error {
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := s.runMeeting(ctx, tx, actor, meetingID)
	if err != nil {
		return err
	}
	if err := tropic.MayRecordMeeting(m, "text", tx.now); err != nil {
		return err
	}
	var caseID int64
	if a.ItemID != 0 {
		if caseID, err = itemCase(ctx, tx, m.ID, a.ItemID); err != nil {
			return &tropic.Error{Code: tropic.EINVALID, Message: "Choose an item of this meeting's agenda", Fields: map[string]string{"item": "Choose an item of this meeting's agenda"}}
		}
	}
	owner, err := userActor(ctx, tx, a.OwnerUserID)
	if err == nil && !slices.Contains(m.AgencyIDs, owner.AgencyID) {
		err = tropic.Errorf(tropic.ENOTFOUND, "not attending")
	}
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		msg := "Choose the owner from the people at the agencies attending"
		return &tropic.Error{Code: tropic.EINVALID, Message: msg, Fields: map[string]string{"owner": msg}}
	} else if err != nil {
		return err
	}
	if caseID != 0 {
		access, err := s.caseAccess(ctx, tx, owner, caseID)
		if err != nil {
			return err
		}
		if err := tropic.CheckActionOwner(access); err != nil {
			return err
		}
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	a.MeetingID, a.UpdatedBy, a.UpdatedAt = m.ID, w.String(), tx.now
	a.ID, err = tx.insert(ctx, `INSERT INTO meeting_actions (meeting_id, item_id, text, owner_user_id, due_on, status, created_at, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, nullID(a.ItemID), a.Text, a.OwnerUserID, a.Due, string(a.Status), tx.now, tx.now, a.UpdatedBy)
	if err != nil {
		return fmt.Errorf("add meeting action: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMeetingActionAdded, objectType: "meeting", objectID: m.ID,
		detail: fmt.Sprintf("action %d for user %d, due %s", a.ID, a.OwnerUserID, a.Due)}); err != nil {
		return err
	}
	if err := notifyUsers(ctx, tx, actor, meetingActionNotice(m, a.Due), a.OwnerUserID); err != nil {
		return err
	}
	return tx.Commit()
}

// SetMeetingActionStatus records where an action stands: by its owner, or whoever keeps
// the meeting's record.
func (s *MeetingService) SetMeetingActionStatus(ctx context.Context, actor tropic.Actor, meetingID, actionID int64, status tropic.ActionStatus) error {
	if !status.Valid() {
		return &tropic.Error{Code: tropic.EINVALID, Message: "Choose the action's status", Fields: map[string]string{"status": "Choose the action's status"}}
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := s.meetingByID(ctx, tx, actor, meetingID)
	if err != nil {
		return err
	}
	var owner int64
	if err := tx.QueryRow(ctx, `SELECT owner_user_id FROM meeting_actions WHERE id = ? AND meeting_id = ?`, actionID, m.ID).Scan(&owner); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return tropic.Errorf(tropic.ENOTFOUND, "Action not found.")
		}
		return fmt.Errorf("find action: %w", err)
	}
	if err := tropic.MayUpdateAction(actor, owner, m.MayRun); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE meeting_actions SET status = ?, updated_at = ?, updated_by = ? WHERE id = ?`, string(status), tx.now, w.String(), actionID); err != nil {
		return fmt.Errorf("set action status: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMeetingActionStatus, objectType: "meeting", objectID: m.ID,
		detail: fmt.Sprintf("action %d: %s", actionID, status)}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindMeetingPeople lists who may own the meeting's actions.
func (s *MeetingService) FindMeetingPeople(ctx context.Context, actor tropic.Actor, meetingID int64) ([]tropic.MeetingPerson, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	m, err := s.runMeeting(ctx, tx, actor, meetingID)
	if err != nil {
		return nil, err
	}
	marks, args := inList(m.AgencyIDs)
	out, err := findPeople(ctx, tx, `u.agency_id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// findPeople lists enabled users of enabled agencies matching where, by agency and name.
func findPeople(ctx context.Context, tx *Tx, where string, args ...any) ([]tropic.MeetingPerson, error) {
	rows, err := tx.Query(ctx, `SELECT u.id, u.name, a.name FROM users u JOIN agencies a ON a.id = u.agency_id
		WHERE u.disabled = ? AND a.disabled = ? AND `+where+` ORDER BY a.name, u.name, u.id`, append([]any{false, false}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("find people: %w", err)
	}
	defer rows.Close()
	var out []tropic.MeetingPerson
	for rows.Next() {
		var p tropic.MeetingPerson
		if err := rows.Scan(&p.UserID, &p.Name, &p.Agency); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// FindMyActions lists the actor's unfinished actions of meetings and of the plan.
func (s *MeetingService) FindMyActions(ctx context.Context, actor tropic.Actor) ([]*tropic.MeetingAction, []*tropic.PlanAction, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	done := []any{actor.UserID, string(tropic.ActionDone), string(tropic.ActionDropped)}
	meeting, err := s.queryActions(ctx, tx, `ma.owner_user_id = ? AND ma.status NOT IN (?, ?)`, done...)
	if err != nil {
		return nil, nil, err
	}
	if err := s.hideActions(ctx, tx, actor, meeting); err != nil {
		return nil, nil, err
	}
	plan, err := queryPlanActions(ctx, tx, `pa.owner_user_id = ? AND pa.status NOT IN (?, ?)`, done...)
	if err != nil {
		return nil, nil, err
	}
	return meeting, plan, tx.Commit()
}

func meetingActionNotice(m *tropic.Meeting, due string) tropic.Notification {
	d, _ := time.Parse(time.DateOnly, due)
	return tropic.Notification{Kind: tropic.NotifyMeetingAction, Subject: "Meeting " + strconv.FormatInt(m.ID, 10), Link: "/meetings/" + strconv.FormatInt(m.ID, 10),
		Text: "You have an action from the " + strings.ToLower(m.Kind.Label()) + " of " + m.HeldDay() + ", due " + d.Format("2 January 2006") + "."}
}
