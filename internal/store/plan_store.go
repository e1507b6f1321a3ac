package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// PlanService keeps the partnership plan (issue 17, item 2). Every change of an
// objective's RAG status is a row of plan_rag_changes: the history is never rewritten.
type PlanService struct{ db *DB }

var _ tropic.PlanService = (*PlanService)(nil)

// NewPlanService returns the plan service on db.
func NewPlanService(db *DB) *PlanService { return &PlanService{db: db} }

func objectiveNotFound() error { return tropic.Errorf(tropic.ENOTFOUND, "Objective not found.") }

// FindPlan lists the objectives, oldest first, with their RAG history and actions.
func (s *PlanService) FindPlan(ctx context.Context, actor tropic.Actor) ([]*tropic.Objective, error) {
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `SELECT id, title, description, figure, rag, created_at FROM plan_objectives ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find objectives: %w", err)
	}
	var out []*tropic.Objective
	byID := map[int64]*tropic.Objective{}
	for rows.Next() {
		var o tropic.Objective
		var fig, rag string
		if err := rows.Scan(&o.ID, &o.Title, &o.Description, &fig, &rag, &o.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		o.Figure, o.RAG, o.CreatedAt = tropic.Figure(fig), tropic.RAG(rag), o.CreatedAt.UTC()
		out, byID[o.ID] = append(out, &o), &o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hist, err := tx.Query(ctx, `SELECT objective_id, rag, reason, changed_by, changed_at FROM plan_rag_changes ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("find RAG history: %w", err)
	}
	for hist.Next() {
		var id int64
		var c tropic.RAGChange
		var rag string
		if err := hist.Scan(&id, &rag, &c.Reason, &c.By, &c.At); err != nil {
			hist.Close()
			return nil, err
		}
		c.RAG, c.At = tropic.RAG(rag), c.At.UTC()
		if o := byID[id]; o != nil {
			o.History = append(o.History, c)
		}
	}
	hist.Close()
	if err := hist.Err(); err != nil {
		return nil, err
	}
	actions, err := queryPlanActions(ctx, tx, `1 = 1`)
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		if o := byID[a.ObjectiveID]; o != nil {
			o.Actions = append(o.Actions, a)
		}
	}
	return out, tx.Commit()
}

const planActionColumns = `pa.id, pa.objective_id, o.title, pa.text, pa.owner_user_id, u.name || ' (' || ua.name || ')', pa.due_on, pa.status, pa.updated_by, pa.updated_at`

func queryPlanActions(ctx context.Context, tx *Tx, where string, args ...any) ([]*tropic.PlanAction, error) {
	rows, err := tx.Query(ctx, `SELECT `+planActionColumns+` FROM plan_actions pa JOIN plan_objectives o ON o.id = pa.objective_id
		JOIN users u ON u.id = pa.owner_user_id JOIN agencies ua ON ua.id = u.agency_id WHERE `+where+` ORDER BY pa.due_on, pa.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find plan actions: %w", err)
	}
	defer rows.Close()
	var out []*tropic.PlanAction
	for rows.Next() {
		var a tropic.PlanAction
		var status string
		if err := rows.Scan(&a.ID, &a.ObjectiveID, &a.ObjectiveTitle, &a.Text, &a.OwnerUserID, &a.Owner, &a.Due, &status, &a.UpdatedBy, &a.UpdatedAt); err != nil {
			return nil, err
		}
		a.Status, a.UpdatedAt = tropic.ActionStatus(status), a.UpdatedAt.UTC()
		out = append(out, &a)
	}
	return out, rows.Err()
}

// CreateObjective adds an objective with its first status.
func (s *PlanService) CreateObjective(ctx context.Context, actor tropic.Actor, in tropic.ObjectiveInput) (int64, error) {
	if err := tropic.MayChangePlan(actor); err != nil {
		return 0, err
	}
	if err := in.Validate(); err != nil {
		return 0, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	id, err := tx.insert(ctx, `INSERT INTO plan_objectives (title, description, figure, rag, created_at) VALUES (?, ?, ?, ?, ?)`,
		in.Title, in.Description, string(in.Figure), string(in.RAG), tx.now)
	if err != nil {
		return 0, fmt.Errorf("create objective: %w", err)
	}
	if err := recordRAG(ctx, tx, actor, id, in.RAG, in.Reason); err != nil {
		return 0, err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPlanObjectiveCreated, objectType: "plan_objective", objectID: id, detail: in.Title}); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// recordRAG adds a change to an objective's RAG history, and audits it.
func recordRAG(ctx context.Context, tx *Tx, actor tropic.Actor, objectiveID int64, rag tropic.RAG, reason string) error {
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO plan_rag_changes (objective_id, rag, reason, changed_by_user, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)`,
		objectiveID, string(rag), reason, nullID(actor.UserID), w.String(), tx.now); err != nil {
		return fmt.Errorf("record RAG: %w", err)
	}
	return appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPlanRAGChanged, objectType: "plan_objective", objectID: objectiveID,
		detail: string(rag) + ": " + reason})
}

// SetRAG changes an objective's status, keeping why.
func (s *PlanService) SetRAG(ctx context.Context, actor tropic.Actor, objectiveID int64, rag tropic.RAG, reason string) error {
	if err := tropic.MayChangePlan(actor); err != nil {
		return err
	}
	if err := tropic.ValidateRAGChange(rag, &reason); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.Exec(ctx, `UPDATE plan_objectives SET rag = ? WHERE id = ?`, string(rag), objectiveID)
	if err != nil {
		return fmt.Errorf("set RAG: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return objectiveNotFound()
	}
	if err := recordRAG(ctx, tx, actor, objectiveID, rag, reason); err != nil {
		return err
	}
	return tx.Commit()
}

// AddPlanAction gives an action of an objective to someone at any agency, and tells them.
func (s *PlanService) AddPlanAction(ctx context.Context, actor tropic.Actor, objectiveID int64, a *tropic.PlanAction) error {
	if err := tropic.MayChangePlan(actor); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.QueryRow(ctx, `SELECT title FROM plan_objectives WHERE id = ?`, objectiveID).Scan(&a.ObjectiveTitle); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return objectiveNotFound()
		}
		return fmt.Errorf("find objective: %w", err)
	}
	if _, err := userActor(ctx, tx, a.OwnerUserID); tropic.ErrorCode(err) == tropic.ENOTFOUND {
		msg := "Choose the owner from the list"
		return &tropic.Error{Code: tropic.EINVALID, Message: msg, Fields: map[string]string{"owner": msg}}
	} else if err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	a.ObjectiveID, a.UpdatedBy, a.UpdatedAt = objectiveID, w.String(), tx.now
	a.ID, err = tx.insert(ctx, `INSERT INTO plan_actions (objective_id, text, owner_user_id, due_on, status, created_at, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, objectiveID, a.Text, a.OwnerUserID, a.Due, string(a.Status), tx.now, tx.now, a.UpdatedBy)
	if err != nil {
		return fmt.Errorf("add plan action: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPlanActionAdded, objectType: "plan_objective", objectID: objectiveID,
		detail: fmt.Sprintf("action %d for user %d, due %s", a.ID, a.OwnerUserID, a.Due)}); err != nil {
		return err
	}
	d, _ := time.Parse(time.DateOnly, a.Due)
	n := tropic.Notification{Kind: tropic.NotifyPlanAction, Subject: "Partnership plan", Link: "/plan#objective-" + strconv.FormatInt(objectiveID, 10),
		Text: "You have an action of the partnership plan, due " + d.Format("2 January 2006") + "."}
	if err := notifyUsers(ctx, tx, actor, n, a.OwnerUserID); err != nil {
		return err
	}
	return tx.Commit()
}

// SetPlanActionStatus records where an action stands: by its owner or a coordinator.
func (s *PlanService) SetPlanActionStatus(ctx context.Context, actor tropic.Actor, actionID int64, status tropic.ActionStatus) error {
	if !status.Valid() {
		return &tropic.Error{Code: tropic.EINVALID, Message: "Choose the action's status", Fields: map[string]string{"status": "Choose the action's status"}}
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var owner, objectiveID int64
	if err := tx.QueryRow(ctx, `SELECT owner_user_id, objective_id FROM plan_actions WHERE id = ?`, actionID).Scan(&owner, &objectiveID); err != nil {
		if tropic.ErrorCode(mapError(err)) == tropic.ENOTFOUND {
			return tropic.Errorf(tropic.ENOTFOUND, "Action not found.")
		}
		return fmt.Errorf("find plan action: %w", err)
	}
	if err := tropic.MayUpdateAction(actor, owner, tropic.MayChangePlan(actor) == nil); err != nil {
		return err
	}
	w, err := actorWho(ctx, tx, actor)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE plan_actions SET status = ?, updated_at = ?, updated_by = ? WHERE id = ?`, string(status), tx.now, w.String(), actionID); err != nil {
		return fmt.Errorf("set plan action status: %w", err)
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditPlanActionStatus, objectType: "plan_objective", objectID: objectiveID,
		detail: fmt.Sprintf("action %d: %s", actionID, status)}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindPlanPeople lists who may own an action of the plan.
func (s *PlanService) FindPlanPeople(ctx context.Context, actor tropic.Actor) ([]tropic.MeetingPerson, error) {
	if err := tropic.MayChangePlan(actor); err != nil {
		return nil, err
	}
	tx, err := s.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out, err := findPeople(ctx, tx, `1 = 1`)
	if err != nil {
		return nil, err
	}
	return out, tx.Commit()
}
