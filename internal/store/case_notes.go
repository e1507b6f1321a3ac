package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"tropic/internal/tropic"
)

// insertNote adds a note to a case's timeline, keeping the author's name and agency
// as they are now.
func insertNote(ctx context.Context, tx *Tx, actor tropic.Actor, w who, caseID int64, text string, sensitive bool, corrects int64) (*tropic.Note, error) {
	return addTimeline(ctx, tx, actor, w, caseID, &tropic.Note{Text: text, Sensitive: sensitive, Corrects: corrects})
}

// insertRecord adds to the timeline an entry recording an action on the case: it
// reads as the actor's, and is never edited (tropic.MayEditNote).
func insertRecord(ctx context.Context, tx *Tx, actor tropic.Actor, w who, caseID int64, text string) error {
	_, err := addTimeline(ctx, tx, actor, w, caseID, &tropic.Note{Text: text, Record: true})
	return err
}

// addTimeline writes n, as the actor's now, to a case's timeline.
func addTimeline(ctx context.Context, tx *Tx, actor tropic.Actor, w who, caseID int64, n *tropic.Note) (*tropic.Note, error) {
	n.Author, n.Agency, n.AuthorID, n.At = w.name, w.agency, actor.UserID, tx.now
	var err error
	n.ID, err = tx.insert(ctx, `INSERT INTO case_notes (case_id, author_id, author, agency_id, agency, at, text, sensitive, corrects, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		caseID, nullID(actor.UserID), n.Author, nullID(actor.AgencyID), n.Agency, n.At, n.Text, n.Sensitive, nullID(n.Corrects), n.Record)
	if err != nil {
		return nil, fmt.Errorf("add note: %w", err)
	}
	return n, nil
}

func checkNoteText(text string) (string, error) {
	text = strings.TrimSpace(text)
	var p tropic.Problems
	if text == "" {
		p.Add("text", "Enter the note")
	}
	tropic.CheckText(&p, "text", "The note", text, tropic.MaxDescription)
	return text, p.Err()
}

// AddNote adds to the timeline: the owner and agencies with a whole-case share may.
// A note that corrects another names a note on the same case the actor can see.
func (s *CaseService) AddNote(ctx context.Context, actor tropic.Actor, caseRef string, n *tropic.Note) error {
	text, err := checkNoteText(n.Text)
	if err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, _, err := s.caseByRef(ctx, tx, actor, caseRef, true)
	if err != nil {
		return err
	}
	if err := tropic.MayContributeToCase(actor, c); err != nil {
		return err
	}
	if n.Corrects != 0 {
		var count int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_notes WHERE id = ? AND case_id = ?`, n.Corrects, c.ID).Scan(&count); err != nil {
			return err
		}
		if count == 0 {
			return &tropic.Error{Code: tropic.EINVALID, Message: "Choose a note on this case to correct",
				Fields: map[string]string{"corrects": "Choose a note on this case to correct"}}
		}
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	added, err := insertNote(ctx, tx, actor, w, c.ID, text, n.Sensitive, n.Corrects)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("note %d", added.ID)
	if n.Corrects != 0 {
		detail += fmt.Sprintf(", correcting note %d", n.Corrects)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseNoteAdded, objectType: "case", objectID: c.ID, detail: detail}); err != nil {
		return err
	}
	*n = *added
	return tx.Commit()
}

// EditNote changes a note's text: its author only, within tropic.NoteGrace.
func (s *CaseService) EditNote(ctx context.Context, actor tropic.Actor, noteID int64, text string) error {
	text, err := checkNoteText(text)
	if err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const notFound = "Note not found."
	var caseID int64
	var author sql.NullInt64
	var sensitive bool
	var n tropic.Note
	if err := tx.QueryRow(ctx, `SELECT case_id, author_id, at, sensitive, record FROM case_notes WHERE id = ?`+tx.db.forUpdate(), noteID).Scan(&caseID, &author, &n.At, &sensitive, &n.Record); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return tropic.Errorf(tropic.ENOTFOUND, notFound)
		}
		return fmt.Errorf("find note: %w", err)
	}
	c, _, err := s.caseByID(ctx, tx, actor, caseID, false, notFound)
	if err != nil {
		return err
	}
	if sensitive && c.Access != tropic.AccessWhole {
		return tropic.Errorf(tropic.ENOTFOUND, notFound)
	}
	n.AuthorID = author.Int64
	if err := tropic.MayEditNote(actor, &n, tx.now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE case_notes SET text = ?, edited_at = ? WHERE id = ?`, text, tx.now, noteID); err != nil {
		return fmt.Errorf("edit note: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseNoteEdited, objectType: "case", objectID: c.ID, detail: fmt.Sprintf("note %d", noteID)}); err != nil {
		return err
	}
	return tx.Commit()
}

// loadNotes loads the timeline, oldest first; sensitive notes only for a whole view.
func loadNotes(ctx context.Context, tx *Tx, caseID int64, whole bool) ([]*tropic.Note, error) {
	q := `SELECT id, COALESCE(author_id, 0), author, agency, at, text, sensitive, COALESCE(corrects, 0), edited_at, record FROM case_notes WHERE case_id = ?`
	args := []any{caseID}
	if !whole {
		q += ` AND sensitive = ?`
		args = append(args, false)
	}
	rows, err := tx.Query(ctx, q+` ORDER BY at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("load notes: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Note
	for rows.Next() {
		var n tropic.Note
		var edited sql.NullTime
		if err := rows.Scan(&n.ID, &n.AuthorID, &n.Author, &n.Agency, &n.At, &n.Text, &n.Sensitive, &n.Corrects, &edited, &n.Record); err != nil {
			return nil, err
		}
		n.At = n.At.UTC()
		if edited.Valid {
			n.EditedAt = edited.Time.UTC()
		}
		out = append(out, &n)
	}
	return out, rows.Err()
}

// AddTask adds a task for an agency, or for one of its users, that can see the case.
// t.AssignedAgency is then the user's agency. The owner and agencies with a
// whole-case share may add tasks.
func (s *CaseService) AddTask(ctx context.Context, actor tropic.Actor, caseRef string, t *tropic.Task) error {
	if err := t.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, shares, err := s.caseByRef(ctx, tx, actor, caseRef, true)
	if err != nil {
		return err
	}
	if err := tropic.MayContributeToCase(actor, c); err != nil {
		return err
	}
	if err := s.checkAssignee(ctx, tx, c, shares, t); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	t.CaseID, t.CaseReference, t.CreatedBy, t.Done = c.ID, c.Reference, w.String(), false
	t.ID, err = tx.insert(ctx, `INSERT INTO case_tasks (case_id, title, agency_id, user_id, due, done, created_at, created_by_user, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, t.Title, t.AssignedAgency, nullID(t.AssignedUser), t.Due, false, tx.now, nullID(actor.UserID), t.CreatedBy)
	if err != nil {
		return fmt.Errorf("add task: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseTaskAdded, objectType: "case", objectID: c.ID, detail: fmt.Sprintf("task %d", t.ID)}); err != nil {
		return err
	}
	if err := notifyUsers(ctx, tx, actor, taskAssignedNotice(c.Reference), t.AssignedUser); err != nil {
		return err
	}
	return tx.Commit()
}

// checkAssignee checks that a task's assignee can see case c (with shares): an agency
// working on it, or one of its users. t.AssignedAgency is then the user's agency, and
// the names are filled in.
func (s *CaseService) checkAssignee(ctx context.Context, tx *Tx, c *tropic.Case, shares []*tropic.Share, t *tropic.Task) error {
	badAssignee := &tropic.Error{Code: tropic.EINVALID, Message: "Choose an agency, or a person at an agency, that can see this case",
		Fields: map[string]string{"assignee": "Choose an agency, or a person at an agency, that can see this case"}}
	if t.AssignedUser != 0 {
		u, err := findUser(ctx, tx, `u.id = ?`, t.AssignedUser)
		if err != nil || u.Disabled || (t.AssignedAgency != 0 && t.AssignedAgency != u.AgencyID) ||
			tropic.AccessTo(tropic.ActorFor(u), c.OwnerAgencyID, shares, s.local(tx)) == tropic.AccessNone {
			return badAssignee
		}
		t.AssignedAgency, t.UserName = u.AgencyID, u.Name
	}
	if t.AssignedAgency != c.OwnerAgencyID {
		seen := false
		for _, sh := range shares {
			seen = seen || sh.AgencyID == t.AssignedAgency && sh.Live(s.local(tx))
		}
		if !seen {
			return badAssignee
		}
	}
	if err := tx.QueryRow(ctx, `SELECT name FROM agencies WHERE id = ?`, t.AssignedAgency).Scan(&t.AgencyName); err != nil {
		return fmt.Errorf("find agency: %w", err)
	}
	return nil
}

// CompleteTask marks a task done: the owner may, and whoever the task is for.
func (s *CaseService) CompleteTask(ctx context.Context, actor tropic.Actor, taskID int64) error {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const notFound = "Task not found."
	var caseID, agencyID int64
	var userID sql.NullInt64
	var done bool
	if err := tx.QueryRow(ctx, `SELECT case_id, agency_id, user_id, done FROM case_tasks WHERE id = ?`+tx.db.forUpdate(), taskID).Scan(&caseID, &agencyID, &userID, &done); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return tropic.Errorf(tropic.ENOTFOUND, notFound)
		}
		return fmt.Errorf("find task: %w", err)
	}
	c, _, err := s.caseByID(ctx, tx, actor, caseID, false, notFound)
	if err != nil {
		return err
	}
	if err := tropic.MayCompleteTask(actor, c, agencyID, userID.Int64); err != nil {
		return err
	}
	if done {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE case_tasks SET done = ?, done_at = ?, done_by_user = ?, version = version + 1 WHERE id = ?`, true, tx.now, nullID(actor.UserID), taskID); err != nil {
		return fmt.Errorf("complete task: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditCaseTaskCompleted, objectType: "case", objectID: c.ID, detail: fmt.Sprintf("task %d", taskID)}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindTasks lists tasks on cases the actor may see: assigned to them (Mine), to their
// agency or anyone in it (MyAgency), either when neither is asked for; open or overdue
// ones only when asked. Overdue is by the store clock's day; tasks due soonest first.
func (s *CaseService) FindTasks(ctx context.Context, actor tropic.Actor, f tropic.TaskFilter) ([]*tropic.Task, error) {
	if !tropic.CaseWorker(actor) || actor.AgencyID == 0 {
		return nil, nil
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	today := s.today(tx)
	where := []string{"c.id IN " + visibleCaseIDs}
	args := []any{actor.AgencyID, actor.AgencyID, today}
	switch {
	case f.Mine && !f.MyAgency:
		where, args = append(where, "t.user_id = ?"), append(args, actor.UserID)
	case f.MyAgency && !f.Mine:
		where, args = append(where, "t.agency_id = ?"), append(args, actor.AgencyID)
	default:
		where, args = append(where, "(t.user_id = ? OR t.agency_id = ?)"), append(args, actor.UserID, actor.AgencyID)
	}
	if f.OpenOnly || f.Overdue {
		where, args = append(where, "t.done = ?"), append(args, false)
	}
	if f.Overdue {
		where, args = append(where, "t.due <> '' AND t.due < ?"), append(args, today)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return loadTasks(ctx, tx, strings.Join(where, " AND "), args, limit)
}

func loadTasks(ctx context.Context, tx *Tx, where string, args []any, limit int) ([]*tropic.Task, error) {
	q := `SELECT t.id, t.case_id, c.reference, t.title, t.agency_id, ag.name, COALESCE(t.user_id, 0), COALESCE(u.name, ''), t.due, t.done, t.done_at, t.created_by,
		COALESCE(cu.agency_id, 0), t.version
		FROM case_tasks t JOIN cases c ON c.id = t.case_id JOIN agencies ag ON ag.id = t.agency_id LEFT JOIN users u ON u.id = t.user_id
		LEFT JOIN users cu ON cu.id = t.created_by_user
		WHERE ` + where + ` ORDER BY CASE WHEN t.due = '' THEN 1 ELSE 0 END, t.due, t.id`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("load tasks: %w", err)
	}
	defer rows.Close()
	var out []*tropic.Task
	for rows.Next() {
		var t tropic.Task
		var doneAt sql.NullTime
		if err := rows.Scan(&t.ID, &t.CaseID, &t.CaseReference, &t.Title, &t.AssignedAgency, &t.AgencyName, &t.AssignedUser, &t.UserName,
			&t.Due, &t.Done, &doneAt, &t.CreatedBy, &t.CreatedByAgency, &t.Version); err != nil {
			return nil, err
		}
		if doneAt.Valid {
			t.DoneAt = doneAt.Time.UTC()
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}
