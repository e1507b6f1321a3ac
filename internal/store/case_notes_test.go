package store_test

import (
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestNotesAreCorrectedOnlyWithinTheGracePeriodByTheirAuthor(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Car wash")
		n := &tropic.Note{Text: "Visited; four men on site"}
		if err := e.cases.AddNote(ctx, e.pWorker, c.Reference, n); err != nil {
			t.Fatal(err)
		}
		if n.ID == 0 || n.Author != "Pat Worker" || n.Agency != "Hertfordshire Constabulary" || !n.At.Equal(t0) {
			t.Fatalf("got %+v, want the author, agency and time", n)
		}
		wantField(t, e.cases.AddNote(ctx, e.pWorker, c.Reference, &tropic.Note{Text: "  "}), "text")
		wantCode(t, e.cases.EditNote(ctx, e.pWorker2, n.ID, "five men"), tropic.EFORBIDDEN)
		e.clock.Advance(tropic.NoteGrace - time.Second)
		if err := e.cases.EditNote(ctx, e.pWorker, n.ID, "Visited; five men on site"); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(2 * time.Second)
		err := e.cases.EditNote(ctx, e.pWorker, n.ID, "six")
		wantCode(t, err, tropic.EFORBIDDEN)
		if !strings.Contains(tropic.ErrorMessage(err), "corrects it") {
			t.Fatalf("got %q, want to be told to add a correcting note", tropic.ErrorMessage(err))
		}
		fix := &tropic.Note{Text: "Correction: six men", Corrects: n.ID}
		if err := e.cases.AddNote(ctx, e.pWorker, c.Reference, fix); err != nil {
			t.Fatal(err)
		}
		elsewhere := e.newCase(t, e.pWorker, "Elsewhere")
		wantField(t, e.cases.AddNote(ctx, e.pWorker, elsewhere.Reference, &tropic.Note{Text: "x", Corrects: n.ID}), "corrects")
		wantCode(t, e.cases.EditNote(ctx, e.cWorker, n.ID, "x"), tropic.ENOTFOUND)
		notes := e.find(t, e.pWorker, c.Reference).Notes
		if len(notes) != 2 || notes[0].Text != "Visited; five men on site" || notes[0].EditedAt.IsZero() || notes[1].Corrects != n.ID {
			t.Fatalf("got %+v, want the edited note, then its correction", notes)
		}
	})
}

func TestTasksForMeMyAgencyAndOverdue(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Car wash")
		add := func(actor tropic.Actor, task tropic.Task) *tropic.Task {
			t.Helper()
			if err := e.cases.AddTask(ctx, actor, c.Reference, &task); err != nil {
				t.Fatalf("add task %q: %v", task.Title, err)
			}
			return &task
		}
		mine := add(e.pWorker, tropic.Task{Title: "Call the NRM hub", AssignedUser: e.pWorker.UserID, Due: "2026-03-13"})
		add(e.pWorker, tropic.Task{Title: "Check Companies House", AssignedAgency: e.police.ID, Due: "2026-03-20"})
		err := e.cases.AddTask(ctx, e.pWorker, c.Reference, &tropic.Task{Title: "Visit", AssignedUser: e.cWorker.UserID})
		wantField(t, err, "assignee") // the council cannot see the case yet
		wantField(t, e.cases.AddTask(ctx, e.pWorker, c.Reference, &tropic.Task{Title: "Visit", AssignedAgency: e.council.ID}), "assignee")
		sh := e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWhole, "")
		councils := add(e.pWorker, tropic.Task{Title: "Housing check", AssignedUser: e.cWorker.UserID, Due: "2026-03-14"})
		if councils.AssignedAgency != e.council.ID || councils.UserName != "Alex Archer" || councils.CaseReference != c.Reference {
			t.Fatalf("got %+v, want the council's task for Alex Archer", councils)
		}

		titles := func(actor tropic.Actor, f tropic.TaskFilter) string {
			tasks, err := e.cases.FindTasks(ctx, actor, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, t := range tasks {
				out = append(out, t.Title)
			}
			return strings.Join(out, "; ")
		}
		for _, tt := range []struct {
			name  string
			actor tropic.Actor
			f     tropic.TaskFilter
			want  string
		}{
			{"Mine are the tasks for me", e.pWorker, tropic.TaskFilter{Mine: true}, "Call the NRM hub"},
			{"My agency's are all the tasks for the agency and its people", e.pWorker, tropic.TaskFilter{MyAgency: true}, "Call the NRM hub; Check Companies House"},
			{"Overdue are open tasks due before today", e.pWorker, tropic.TaskFilter{Overdue: true}, "Call the NRM hub"},
			{"Due today is not overdue", e.cWorker, tropic.TaskFilter{Overdue: true}, ""},
			{"A sharing agency sees its own tasks", e.cWorker, tropic.TaskFilter{}, "Housing check"},
			{"An analyst sees no tasks", e.cAnalyst, tropic.TaskFilter{}, ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if got := titles(tt.actor, tt.f); got != tt.want {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
			})
		}
		e.clock.Advance(24 * time.Hour)
		if got := titles(e.cWorker, tropic.TaskFilter{Overdue: true}); got != "Housing check" {
			t.Fatalf("got %q a day later, want the council's task overdue", got)
		}
		if err := e.cases.CompleteTask(ctx, e.cWorker, councils.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.cases.CompleteTask(ctx, e.cWorker, mine.ID), tropic.EFORBIDDEN)
		if got := titles(e.cWorker, tropic.TaskFilter{OpenOnly: true}); got != "" {
			t.Fatalf("got %q, want no open council tasks", got)
		}
		if err := e.cases.RevokeShare(ctx, e.pSuper, sh.ID); err != nil {
			t.Fatal(err)
		}
		if got := titles(e.cWorker, tropic.TaskFilter{}); got != "" {
			t.Fatalf("got %q after revocation, want nothing", got)
		}
		wantCode(t, e.cases.CompleteTask(ctx, e.cWorker, councils.ID), tropic.ENOTFOUND)
		tasks := e.find(t, e.pWorker, c.Reference).Tasks
		if len(tasks) != 3 || !tasks[1].Done {
			t.Fatalf("got %+v, want three tasks, the council's done", tasks)
		}
	})
}

func TestPartsAndOrdersOnACase(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Car wash")
		p := e.person(t, e.pWorker, c, tropic.Person{FamilyName: "Nowak"}, tropic.RoleSuspect)
		wantField(t, e.cases.AddPlace(ctx, e.pWorker, c.Reference, &tropic.Place{Kind: "home", Address: "x", Postcode: "nope"}), "postcode")
		wantField(t, e.cases.AddVehicle(ctx, e.pWorker, c.Reference, &tropic.CaseVehicle{Registration: "AB-12 ¢"}), "registration")
		wantField(t, e.cases.AddOrder(ctx, e.pWorker, c.Reference, &tropic.Order{PersonID: 987654, Kind: tropic.OrderSTPO, MadeOn: "2026-03-01"}), "person")
		wantField(t, e.cases.AddOrder(ctx, e.pWorker, c.Reference, &tropic.Order{PersonID: p.ID, Kind: tropic.OrderSTPO, MadeOn: "2026-03-01", ExpiresOn: "2025-01-01"}), "expires_on")
		if err := e.cases.AddOrder(ctx, e.pWorker, c.Reference, &tropic.Order{PersonID: p.ID, Kind: tropic.OrderSTPO, MadeOn: "2026-03-01", ExpiresOn: "2031-03-01"}); err != nil {
			t.Fatal(err)
		}
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWhole, "")
		wantCode(t, e.cases.AddPlace(ctx, e.cWorker, c.Reference, &tropic.Place{Kind: "home", Address: "x"}), tropic.EFORBIDDEN)
		got := e.find(t, e.cWorker, c.Reference)
		if len(got.Orders) != 1 || got.Orders[0].PersonID != p.ID || got.Orders[0].Kind != tropic.OrderSTPO {
			t.Fatalf("got orders %+v, want the STPO", got.Orders)
		}
	})
}
