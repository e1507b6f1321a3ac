package store_test

import (
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// bulkEnv is the case environment with the police as the hub, a second triage user
// there, a charity that is a hub too, and a council triage user outside the hub.
type bulkEnv struct {
	*caseEnv
	pTriage2, hTriage, cTriage tropic.Actor
	charity                    *tropic.Agency
}

func newBulkEnv(t *testing.T, d store.Dialect) *bulkEnv {
	t.Helper()
	e := &bulkEnv{caseEnv: newCaseEnv(t, d)}
	e.charity = e.agency(t, "Unseen Helpline")
	raw := openRaw(t, d, e.dsn)
	raw.exec(t, `UPDATE agencies SET triage_hub = ? WHERE id IN (?, ?)`, true, e.police.ID, e.charity.ID)
	e.pTriage2 = tropic.ActorFor(e.user(t, e.police.ID, "tam.triage@police.example", tropic.RoleTriage))
	e.hTriage = tropic.ActorFor(e.user(t, e.charity.ID, "hal.triage@helpline.example", tropic.RoleTriage))
	e.cTriage = tropic.ActorFor(e.user(t, e.council.ID, "cat.triage@council.example", tropic.RoleTriage))
	return e
}

func (e *bulkEnv) reportsNew(t *testing.T, n int) []string {
	t.Helper()
	var refs []string
	for range n {
		r := routineReport(tropic.ChannelWeb)
		if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r.Reference)
	}
	return refs
}

func (e *bulkEnv) report(t *testing.T, ref string) *tropic.Report {
	t.Helper()
	r, err := e.reports.FindReportByReference(ctx, admin, ref)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestBulkNoFurtherActionDecidesEachReportAndAuditsEach(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newBulkEnv(t, d)
		refs := e.reportsNew(t, 3)
		// Typed in lower case, one twice: the same three reports.
		typed := []string{strings.ToLower(refs[0]), refs[1], refs[2], refs[1]}
		done, err := e.reports.BulkTriage(ctx, e.pTriage, tropic.ReportBulk{Action: tropic.BulkNoFurtherAction, References: typed, Reason: "Test calls from the helpline's training day"})
		if err != nil || len(done) != 3 {
			t.Fatalf("bulk: %v %v, want the three reports", done, err)
		}
		for _, ref := range refs {
			r := e.report(t, ref)
			if r.Status != tropic.ReportNoFurtherAction || len(r.Notes) != 1 || !strings.Contains(r.Notes[0].Text, "Test calls from the helpline's training day") {
				t.Errorf("%s: %s, notes %+v; want no further action with the reason", ref, r.Status, r.Notes)
			}
		}
		if decided := countActions(e.actions(t), tropic.AuditReportDecided); decided != 3 {
			t.Errorf("%d %s events, want one per report", decided, tropic.AuditReportDecided)
		}
		// Without a reason: nothing.
		more := e.reportsNew(t, 1)
		_, err = e.reports.BulkTriage(ctx, e.pTriage, tropic.ReportBulk{Action: tropic.BulkNoFurtherAction, References: more})
		wantField(t, err, "reason")
	})
}

func TestBulkAssignGivesTheReportsToATriageColleague(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newBulkEnv(t, d)
		refs := e.reportsNew(t, 2)
		// One the assignee holds already, one the actor holds: both may go to the colleague.
		if err := e.reports.ClaimReport(ctx, e.pTriage2, refs[0], false); err != nil {
			t.Fatal(err)
		}
		if err := e.reports.ClaimReport(ctx, e.pTriage, refs[1], false); err != nil {
			t.Fatal(err)
		}
		if _, err := e.reports.BulkTriage(ctx, e.pTriage, tropic.ReportBulk{Action: tropic.BulkAssign, References: refs, AssigneeID: e.pTriage2.UserID}); err != nil {
			t.Fatal(err)
		}
		for _, ref := range refs {
			if r := e.report(t, ref); r.ClaimedBy == nil || r.ClaimedBy.ID != e.pTriage2.UserID || r.Status != tropic.ReportNew {
				t.Errorf("%s held by %+v (%s), want the colleague and still new", ref, r.ClaimedBy, r.Status)
			}
		}
		if n := countActions(e.actions(t), tropic.AuditReportAssigned); n != 2 {
			t.Errorf("%d %s events, want one per report", n, tropic.AuditReportAssigned)
		}
		// Not to someone of another agency, even of the hub; not to a caseworker.
		for name, to := range map[string]int64{"the helpline's triage": e.hTriage.UserID, "a police caseworker": e.pWorker.UserID, "nobody": 99999} {
			_, err := e.reports.BulkTriage(ctx, e.pTriage, tropic.ReportBulk{Action: tropic.BulkAssign, References: refs, AssigneeID: to})
			if tropic.ErrorFields(err)["assignee_id"] == "" {
				t.Errorf("assigning to %s: %v, want a problem with assignee_id", name, err)
			}
		}
	})
}

func TestBulkActionIsRefusedToAnyoneButTheHubsTriage(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newBulkEnv(t, d)
		refs := e.reportsNew(t, 2)
		for name, a := range map[string]tropic.Actor{"a caseworker": e.pWorker, "a supervisor": e.pSuper, "a council triage user outside the hub": e.cTriage} {
			_, err := e.reports.BulkTriage(ctx, a, tropic.ReportBulk{Action: tropic.BulkNoFurtherAction, References: refs, Reason: "Not ours"})
			wantCode(t, err, tropic.EFORBIDDEN)
			if err == nil {
				t.Errorf("%s acted on the queue", name)
			}
		}
		for _, ref := range refs {
			if r := e.report(t, ref); r.Status != tropic.ReportNew {
				t.Errorf("%s is %s, want new", ref, r.Status)
			}
		}
	})
}

func TestBulkActionOnAStaleSelectionChangesNothingAndNamesWhy(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newBulkEnv(t, d)
		refs := e.reportsNew(t, 4)
		// While the first user selects four reports: a colleague decides one, the
		// other hub's triage claims one.
		if err := e.reports.DecideReport(ctx, e.pTriage2, refs[1], tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Duplicate call"}); err != nil {
			t.Fatal(err)
		}
		if err := e.reports.ClaimReport(ctx, e.hTriage, refs[2], false); err != nil {
			t.Fatal(err)
		}
		changes := func() int {
			return len(e.actions(t)) - countActions(e.actions(t), tropic.AuditReportViewed)
		}
		before := changes()
		for _, action := range []tropic.ReportBulk{
			{Action: tropic.BulkNoFurtherAction, References: append(refs, "KM7Q-2XP-A72"), Reason: "Nothing to act on"},
			{Action: tropic.BulkAssign, References: refs, AssigneeID: e.pTriage.UserID},
		} {
			_, err := e.reports.BulkTriage(ctx, e.pTriage, action)
			wantCode(t, err, tropic.ECONFLICT)
			msg := tropic.ErrorMessage(err)
			for _, want := range []string{"Nothing was changed",
				refs[1] + " has been decided by Test tam.triage@police.example meanwhile (no further action)",
				refs[2] + " is being worked on by Test hal.triage@helpline.example (Unseen Helpline)"} {
				if !strings.Contains(msg, want) {
					t.Errorf("%s: message %q lacks %q", action.Action, msg, want)
				}
			}
			if action.Action == tropic.BulkNoFurtherAction && !strings.Contains(msg, "there is no report KM7Q-2XP-A72") {
				t.Errorf("message %q does not name the missing report", msg)
			}
			if strings.Contains(msg, refs[0]) || strings.Contains(msg, refs[3]) {
				t.Errorf("message %q names reports that could take the action", msg)
			}
		}
		for _, i := range []int{0, 3} {
			if r := e.report(t, refs[i]); r.Status != tropic.ReportNew || r.ClaimedBy != nil {
				t.Errorf("%s was changed: %s, held by %+v", refs[i], r.Status, r.ClaimedBy)
			}
		}
		if after := changes(); after != before {
			t.Errorf("%d changes audited, want none", after-before)
		}
	})
}

func countActions(actions []string, want string) int {
	n := 0
	for _, a := range actions {
		if a == want {
			n++
		}
	}
	return n
}
