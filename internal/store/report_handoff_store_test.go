package store_test

import (
	"sync"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// handoffEnv is the case environment (the police are the triage hub, the county
// council a partner) with a report from a named reporter, and a second partner.
type handoffEnv struct {
	*caseEnv
	ref      string
	district *tropic.Agency // a second partner agency
	dWorker  tropic.Actor
	cTriage  tropic.Actor // a triage user of the council, which is not part of the hub
}

func newHandoffEnv(t *testing.T, d store.Dialect) *handoffEnv {
	t.Helper()
	e := &handoffEnv{caseEnv: newCaseEnv(t, d)}
	e.district = e.agency(t, "St Albans District Council")
	e.dWorker = tropic.ActorFor(e.user(t, e.district.ID, "dee.worker@district.example", tropic.RoleCaseworker))
	e.cTriage = tropic.ActorFor(e.user(t, e.council.ID, "tia.triage@council.example", tropic.RoleTriage))
	r := routineReport(tropic.ChannelWeb)
	r.Reporter = tropic.Reporter{Name: "Rita Reporter", Contact: "rita@example.net", Relationship: tropic.RelationshipPublic}
	if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
		t.Fatalf("create report: %v", err)
	}
	e.ref = r.Reference
	return e
}

func (e *handoffEnv) pass(t *testing.T, to *tropic.Agency, withContact bool) {
	t.Helper()
	if err := e.reports.DecideReport(ctx, e.pTriage, e.ref, tropic.ReportDecision{Status: tropic.ReportPassedToAgency, AgencyID: to.ID,
		Reason: "Labour exploitation in their area", IncludeReporterContact: withContact}); err != nil {
		t.Fatalf("pass to %s: %v", to.Name, err)
	}
}

func (e *handoffEnv) notifications(t *testing.T, kind tropic.NotificationKind) int {
	t.Helper()
	var n int
	q := `SELECT COUNT(*) FROM notifications WHERE kind = ?`
	if e.db.Dialect() == store.Postgres {
		q = `SELECT COUNT(*) FROM notifications WHERE kind = $1`
	}
	if err := e.db.SQL().QueryRowContext(ctx, q, string(kind)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPassingAReportNeedsAReasonAndSendsContactDetailsOnlyWhenChosen(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		err := e.reports.DecideReport(ctx, e.pTriage, e.ref, tropic.ReportDecision{Status: tropic.ReportPassedToAgency, AgencyID: e.council.ID})
		if tropic.ErrorFields(err)["reason"] == "" {
			t.Fatalf("passing without a reason: %v, want a problem with the reason", err)
		}
		if _, err := e.reports.FindReportByReference(ctx, e.cWorker, e.ref); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("the council read the report before it was passed: %v", err)
		}

		e.pass(t, e.council, false)
		got, err := e.reports.FindReportByReference(ctx, e.cWorker, e.ref)
		if err != nil {
			t.Fatalf("the council's caseworker reading the report passed to it: %v", err)
		}
		if got.Reporter.Name != "" || got.Reporter.Contact != "" || !got.ContactWithheld {
			t.Errorf("reporter %+v (withheld %v), want the contact details withheld from the council", got.Reporter, got.ContactWithheld)
		}
		h := got.LatestHandoff()
		if h == nil || h.State != tropic.HandoffPassed || h.Agency != e.council.Name || h.Reason != "Labour exploitation in their area" || h.PassedBy == "" {
			t.Fatalf("handoff %+v, want passed to the council with the reason and who passed it", h)
		}
		hub, err := e.reports.FindReportByReference(ctx, e.pTriage, e.ref)
		if err != nil || hub.Reporter.Contact != "rita@example.net" {
			t.Errorf("the hub reads the reporter as %+v (%v), want the contact details", hub.Reporter, err)
		}
		items, total, err := e.reports.FindInbox(ctx, e.cSuper, tropic.InboxFilter{})
		if err != nil || total != 1 || len(items) != 1 || items[0].Reference != e.ref || items[0].State != tropic.HandoffPassed {
			t.Fatalf("the council's inbox: %d %+v %v, want the report waiting", total, items, err)
		}
		if _, n, _ := e.reports.FindInbox(ctx, e.dWorker, tropic.InboxFilter{}); n != 0 {
			t.Errorf("another agency's inbox holds %d reports, want none", n)
		}
		if _, n, _ := e.reports.FindInbox(ctx, e.cAnalyst, tropic.InboxFilter{}); n != 0 {
			t.Errorf("the council's analyst has %d reports in an inbox, want none", n)
		}
		// The council's caseworker and supervisor are told; the triage officer is not.
		if n := e.notifications(t, tropic.NotifyReportPassed); n != 2 {
			t.Errorf("%d notifications of the pass, want 2 (the council's caseworker and supervisor)", n)
		}

		// Passed again with the contact details, after a return, the council reads them.
		if _, err := e.reports.ReturnReport(ctx, e.cWorker, e.ref, "Ours only with the reporter's details"); err != nil {
			t.Fatal(err)
		}
		e.pass(t, e.council, true)
		got, err = e.reports.FindReportByReference(ctx, e.cWorker, e.ref)
		if err != nil || got.Reporter.Contact != "rita@example.net" || got.ContactWithheld {
			t.Errorf("passed with the contact details: %+v %v, want them", got.Reporter, err)
		}
	})
}

func TestTriageUsersOutsideTheHubSeeOnlyWhatWasPassedToTheirAgency(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		if _, err := e.reports.FindReportByReference(ctx, e.cTriage, e.ref); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("the council's triage user read a report not passed to it: %v", err)
		}
		if list, n, err := e.reports.FindReports(ctx, e.cTriage, tropic.ReportFilter{}); err != nil || n != 0 || len(list) != 0 {
			t.Fatalf("the council's triage queue: %d %v, want empty", n, err)
		}
		if list, n, _ := e.reports.FindReports(ctx, e.cTriage, tropic.ReportFilter{Reference: e.ref}); n != 0 || len(list) != 0 {
			t.Fatal("a search by reference found a report not passed to the council")
		}
		err := e.reports.DecideReport(ctx, e.cTriage, e.ref, tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Not ours"})
		if tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("the council's triage user decided on the hub's report: %v", err)
		}
		if err := e.reports.ClaimReport(ctx, e.cTriage, e.ref, false); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("the council's triage user claimed the hub's report: %v", err)
		}

		e.pass(t, e.council, false)
		list, n, err := e.reports.FindReports(ctx, e.cTriage, tropic.ReportFilter{})
		if err != nil || n != 1 || list[0].Reference != e.ref || list[0].Reporter.Contact != "" {
			t.Fatalf("the council's triage queue after the pass: %d %v, want the report without contact details", n, err)
		}
		if got, err := e.reports.FindReportByReference(ctx, e.cTriage, e.ref); err != nil || got.Reporter.Contact != "" {
			t.Fatalf("the council's triage user reading the report passed: %v", err)
		}
		// Reading is not deciding: the hub decides, the council's triage user does not.
		if err := e.reports.AddReportNote(ctx, e.cTriage, e.ref, "A note"); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("the council's triage user added a triage note: %v", err)
		}
		if _, err := e.reports.AcknowledgeReport(ctx, e.cTriage, e.ref); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("the council's triage user acknowledged: %v, want forbidden (caseworkers and supervisors act)", err)
		}
		if _, err := e.reports.FindReportByReference(ctx, e.dWorker, e.ref); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("another agency's caseworker read the report: %v", err)
		}
	})
}

func TestAcknowledgingAndAcceptingAreSafeToReplay(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		e.pass(t, e.council, false)
		if _, err := e.reports.AcknowledgeReport(ctx, e.dWorker, e.ref); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("another agency's caseworker acknowledged: %v, want not found", err)
		}
		if _, err := e.reports.AcknowledgeReport(ctx, e.pWorker, e.ref); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("the hub agency's caseworker acknowledged: %v, want not found", err)
		}
		first, err := e.reports.AcknowledgeReport(ctx, e.cWorker, e.ref)
		if err != nil || first.State != tropic.HandoffAcknowledged || first.AcknowledgedBy != "Alex Archer" || first.AcknowledgedAt.IsZero() {
			t.Fatalf("acknowledge: %+v %v", first, err)
		}
		e.clock.Advance(time.Hour)
		again, err := e.reports.AcknowledgeReport(ctx, e.cSuper, e.ref)
		if err != nil || again.AcknowledgedBy != "Alex Archer" || !again.AcknowledgedAt.Equal(first.AcknowledgedAt) {
			t.Fatalf("acknowledged again: %+v %v, want it as the first acknowledgement left it", again, err)
		}
		acks := 0
		for _, a := range e.actions(t) {
			if a == tropic.AuditReportAcknowledged {
				acks++
			}
		}
		if acks != 1 {
			t.Errorf("%d acknowledgements audited, want 1", acks)
		}

		// Accepting: a case created from the report.
		c := &tropic.Case{Title: "From the hub's report"}
		if err := e.cases.CreateCase(ctx, e.cWorker, c, e.ref); err != nil {
			t.Fatalf("accept into a new case: %v", err)
		}
		got, err := e.reports.FindReportByReference(ctx, e.cWorker, e.ref)
		if err != nil {
			t.Fatalf("the council reading the report it accepted: %v", err)
		}
		if h := got.LatestHandoff(); h.State != tropic.HandoffAccepted || h.CaseReference != c.Reference || h.AcceptedBy != "Alex Archer" {
			t.Fatalf("handoff %+v, want accepted into %s", h, c.Reference)
		}
		// A replayed "create a case" makes no second case; adding to the same case again is fine.
		if err := e.cases.CreateCase(ctx, e.cSuper, &tropic.Case{Title: "Again"}, e.ref); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Fatalf("a second case from the accepted report: %v, want a conflict", err)
		}
		if err := e.cases.LinkReport(ctx, e.cSuper, c.Reference, e.ref); err != nil {
			t.Fatalf("adding the report to its case again: %v", err)
		}
		if cases, n, _ := e.cases.FindCases(ctx, e.cSuper, tropic.CaseFilter{}); n != 1 {
			t.Errorf("the council owns %d cases (%v), want 1", n, cases)
		}
		if _, err := e.reports.ReturnReport(ctx, e.cWorker, e.ref, "Changed our mind"); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Errorf("returning an accepted report: %v, want a conflict", err)
		}
	})
}

func TestAReturnedReportGoesBackToTheQueueFlaggedAndOutOfTheAgencysSight(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		e.pass(t, e.council, true)
		if err := e.reports.DecideReport(ctx, e.pTriage, e.ref, tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Changed"}); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Fatalf("the hub deciding again while the council has the report: %v, want a conflict", err)
		}
		if _, err := e.reports.ReturnReport(ctx, e.cWorker, e.ref, "  "); tropic.ErrorFields(err)["reason"] == "" {
			t.Fatalf("returning without a reason: %v, want a problem with the reason", err)
		}
		h, err := e.reports.ReturnReport(ctx, e.cWorker, e.ref, "Not in our area")
		if err != nil || h.State != tropic.HandoffReturned || h.ReturnReason != "Not in our area" || h.ReturnedBy != "Alex Archer" {
			t.Fatalf("return: %+v %v", h, err)
		}
		if _, err := e.reports.FindReportByReference(ctx, e.cWorker, e.ref); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("the council still reads the report it returned: %v", err)
		}
		if _, err := e.reports.ReturnReport(ctx, e.cWorker, e.ref, "Again"); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("returning it again: %v, want not found", err)
		}
		if err := e.cases.CreateCase(ctx, e.cWorker, &tropic.Case{Title: "Too late"}, e.ref); tropic.ErrorCode(err) != tropic.EINVALID {
			t.Errorf("the council made a case from the report it returned: %v, want no such report", err)
		}
		list, _, err := e.reports.FindReports(ctx, e.pTriage, tropic.ReportFilter{})
		if err != nil || len(list) != 1 || list[0].Reference != e.ref || !list[0].Returned() {
			t.Fatalf("the hub's queue: %v %v, want the report back and flagged as returned", list, err)
		}
		if n := e.notifications(t, tropic.NotifyReportReturned); n != 1 {
			t.Errorf("%d notifications of the return, want 1 (the triage officer who passed it)", n)
		}
		if _, n, _ := e.reports.FindInbox(ctx, e.cWorker, tropic.InboxFilter{States: []tropic.HandoffState{tropic.HandoffPassed, tropic.HandoffAcknowledged, tropic.HandoffAccepted, tropic.HandoffReturned}}); n != 0 {
			t.Errorf("the council's inbox still lists %d reports", n)
		}
		// The hub may now decide, and pass it elsewhere.
		e.pass(t, e.district, false)
		if got, err := e.reports.FindReportByReference(ctx, e.dWorker, e.ref); err != nil || len(got.Handoffs) != 2 {
			t.Fatalf("the district reading the report passed to it: %v", err)
		}
	})
}

func TestTwoPassesOrTwoAcceptancesRacingLeaveOne(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, to := range []*tropic.Agency{e.council, e.district} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = e.reports.DecideReport(ctx, e.pTriage, e.ref, tropic.ReportDecision{Status: tropic.ReportPassedToAgency, AgencyID: to.ID, Reason: "Theirs"})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch tropic.ErrorCode(err) {
			case "":
				ok++
			case tropic.ECONFLICT:
			default:
				t.Fatalf("racing passes: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("racing passes: %v, want exactly one to succeed", errs)
		}
		hub, err := e.reports.FindReportByReference(ctx, e.pTriage, e.ref)
		if err != nil || len(hub.Handoffs) != 1 {
			t.Fatalf("handoffs %v (%v), want one", hub, err)
		}
		receiver := e.cWorker
		if hub.PassedToAgency == e.district.ID {
			receiver = e.dWorker
		}
		// The decision replayed: nothing new.
		to := hub.Handoffs[0].AgencyID
		if err := e.reports.DecideReport(ctx, e.pTriage, e.ref, tropic.ReportDecision{Status: tropic.ReportPassedToAgency, AgencyID: to, Reason: "Theirs"}); err != nil {
			t.Fatalf("the pass replayed: %v", err)
		}

		// Two "create a case" clicks racing: one case.
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = e.cases.CreateCase(ctx, receiver, &tropic.Case{Title: "Racing"}, e.ref)
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) || (tropic.ErrorCode(errs[0]) != tropic.ECONFLICT && tropic.ErrorCode(errs[1]) != tropic.ECONFLICT) {
			t.Fatalf("racing acceptances: %v, want one case and one conflict", errs)
		}
		if _, n, _ := e.cases.FindCases(ctx, receiver, tropic.CaseFilter{}); n != 1 {
			t.Errorf("%d cases made, want 1", n)
		}
		got, _ := e.reports.FindReportByReference(ctx, e.pTriage, e.ref)
		if len(got.Handoffs) != 1 {
			t.Errorf("%d handoffs after the replay, want 1", len(got.Handoffs))
		}
	})
}

func TestReportsNotAcknowledgedInTimeAreFound(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		e.pass(t, e.council, false) // routine, passed at t0
		passed := e.clock.Now()
		cuts := func(routine time.Time) []time.Time { return []time.Time{passed, passed, routine} }
		for _, c := range []struct {
			name string
			cut  time.Time
			want int
		}{
			{"passed after the cut", passed, 0},
			{"passed before the cut", passed.Add(time.Minute), 1},
		} {
			if _, n, err := e.reports.FindReports(ctx, e.pTriage, tropic.ReportFilter{AckOverdue: cuts(c.cut), Limit: 1}); err != nil || n != c.want {
				t.Errorf("%s: the hub counts %d (%v), want %d", c.name, n, err, c.want)
			}
			if _, n, err := e.reports.FindInbox(ctx, e.cWorker, tropic.InboxFilter{AckOverdue: cuts(c.cut)}); err != nil || n != c.want {
				t.Errorf("%s: the inbox counts %d (%v), want %d", c.name, n, err, c.want)
			}
		}
		if _, err := e.reports.AcknowledgeReport(ctx, e.cWorker, e.ref); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := e.reports.FindReports(ctx, e.pTriage, tropic.ReportFilter{AckOverdue: cuts(passed.Add(time.Hour))}); n != 0 {
			t.Errorf("an acknowledged report is counted as not acknowledged")
		}
	})
}
