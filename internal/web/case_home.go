package web

import (
	"context"

	"tropic/internal/tropic"
)

// What the staff home shows of cases: the open tasks for the user, then the other
// open tasks for the user's agency, each task once, in the most specific list; an
// overdue task carries its tag there. Overdue tasks neither list shows (past their
// limit) follow on their own.

// caseHomeTaskLimit is how many tasks each list on the staff home shows.
const caseHomeTaskLimit = 10

type homeTask struct {
	ID       int64
	Title    string
	CaseRef  string
	Href     string
	Assigned string
	Due      string
	Overdue  bool
}

type homeTasks struct {
	Mine    []homeTask
	Agency  []homeTask
	Overdue []homeTask
}

// summariseTasks finds the user's open tasks, the agency's and the overdue ones.
func (s *Server) summariseTasks(ctx context.Context, u *tropic.User) (*homeTasks, error) {
	actor := tropic.ActorFor(u)
	now := s.now()
	list := func(f tropic.TaskFilter) ([]homeTask, error) {
		f.OpenOnly, f.Limit = true, caseHomeTaskLimit
		tasks, err := s.deps.Cases.FindTasks(ctx, actor, f)
		if err != nil {
			return nil, err
		}
		var out []homeTask
		for _, t := range tasks {
			row := caseTask(&tropic.Case{Reference: t.CaseReference}, t, u, now)
			out = append(out, homeTask{ID: t.ID, Title: t.Title, CaseRef: t.CaseReference, Href: casePath(t.CaseReference) + "#tasks",
				Assigned: row.AssignedTo, Due: row.Due, Overdue: row.Overdue})
		}
		return out, nil
	}
	var h homeTasks
	var err error
	if h.Mine, err = list(tropic.TaskFilter{Mine: true}); err != nil {
		return nil, err
	}
	shown := map[int64]bool{}
	// unseen keeps the tasks no list above shows.
	unseen := func(tasks []homeTask, err error) ([]homeTask, error) {
		var out []homeTask
		for _, t := range tasks {
			if !shown[t.ID] {
				shown[t.ID] = true
				out = append(out, t)
			}
		}
		return out, err
	}
	if h.Mine, err = unseen(h.Mine, nil); err != nil {
		return nil, err
	}
	if h.Agency, err = unseen(list(tropic.TaskFilter{MyAgency: true})); err != nil {
		return nil, err
	}
	if h.Overdue, err = unseen(list(tropic.TaskFilter{Overdue: true})); err != nil {
		return nil, err
	}
	return &h, nil
}
