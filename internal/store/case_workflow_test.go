package store_test

import (
	"strings"
	"testing"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// closeErr keeps the error of CloseCase.
func closeErr(_ *tropic.ClosureRequest, err error) error { return err }

// reportOnCase stores a report whose reporter left contact details, with a staff note,
// and links it to a new case of the police's.
func (e *caseEnv) reportOnCase(t *testing.T) (*tropic.Case, *tropic.Report) {
	t.Helper()
	r := routineReport(tropic.ChannelWeb)
	r.Reporter = tropic.Reporter{Name: "Jo Reporter", Contact: "07700 900999", Relationship: tropic.RelationshipPublic}
	if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
		t.Fatalf("create report: %v", err)
	}
	if err := e.reports.AddReportNote(ctx, e.pTriage, r.Reference, "STAFF-NOTE the caller sounded frightened"); err != nil {
		t.Fatal(err)
	}
	c := e.newCase(t, e.pWorker, "Car wash on London Road")
	if err := e.cases.LinkReport(ctx, e.pTriage, c.Reference, r.Reference); err != nil {
		t.Fatalf("link report: %v", err)
	}
	if err := e.reports.AddFollowUp(ctx, r.Reference, tropic.HashFollowUpCode("AAAAA-BBBBB"), "REPORTER-ADDED the van is white"); err != nil {
		t.Fatalf("follow-up: %v", err)
	}
	return c, r
}

// notifications reads the notifications the store wrote, straight from the database.
func (e *caseEnv) notifications(t *testing.T, userID int64) []string {
	t.Helper()
	raw := openRaw(t, e.dialect, e.dsn)
	rows, err := raw.QueryContext(ctx, raw.q(`SELECT kind, text, link FROM notifications WHERE user_id = ? ORDER BY id`), userID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind, text, link string
		if err := rows.Scan(&kind, &text, &link); err != nil {
			t.Fatal(err)
		}
		out = append(out, kind+" | "+text+" | "+link)
	}
	return out
}

func TestWhoeverSeesACaseReadsItsReportsAsFarAsTheShareAllows(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c, r := e.reportOnCase(t)
		read := func(actor tropic.Actor) (*tropic.Report, error) {
			_, viaCase, err := e.cases.FindCaseReport(ctx, actor, c.Reference, r.Reference)
			direct, derr := e.reports.FindReportByReference(ctx, actor, r.Reference)
			if tropic.ErrorCode(err) != tropic.ErrorCode(derr) {
				t.Fatalf("under the case: %v; by reference: %v; want the same answer", err, derr)
			}
			if err == nil && (viaCase.Reporter != direct.Reporter || len(viaCase.Notes) != len(direct.Notes)) {
				t.Fatalf("under the case %+v, by reference %+v: want the same report", viaCase.Reporter, direct.Reporter)
			}
			return viaCase, err
		}
		notes := func(rep *tropic.Report) string {
			var b strings.Builder
			for _, n := range rep.Notes {
				b.WriteString(n.Text + "\n")
			}
			return b.String()
		}

		// The owner reads it all: the reporter's contact, staff notes and the follow-up.
		got, err := read(e.pWorker)
		if err != nil {
			t.Fatal(err)
		}
		if got.Reporter.Contact != "07700 900999" || got.ContactWithheld || !strings.Contains(notes(got), "STAFF-NOTE") || !strings.Contains(notes(got), "REPORTER-ADDED") {
			t.Fatalf("owner got %+v, notes %q; want everything", got.Reporter, notes(got))
		}

		// Attack: another agency without a share, and its analyst: as missing.
		for _, a := range []tropic.Actor{e.cWorker, e.cSuper, e.cAnalyst} {
			_, err := read(a)
			wantCode(t, err, tropic.ENOTFOUND)
		}
		// A report not linked to the case is missing under it, even to the owner.
		other := routineReport(tropic.ChannelWeb)
		if _, err := e.reports.CreateReport(ctx, admin, other, ""); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.cases.FindCaseReport(ctx, e.pWorker, c.Reference, other.Reference)
		wantCode(t, err, tropic.ENOTFOUND)

		// Attack: a share without sensitive fields reads what the reporter saw and
		// added, but not their name, contact or staff notes.
		sh := e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWithoutSensitive, "")
		got, err = read(e.cWorker)
		if err != nil {
			t.Fatal(err)
		}
		if got.Reporter.Name != "" || got.Reporter.Contact != "" || !got.ContactWithheld || strings.Contains(notes(got), "STAFF-NOTE") ||
			!strings.Contains(notes(got), "REPORTER-ADDED") || got.Description == "" {
			t.Fatalf("without sensitive fields got %+v, notes %q", got.Reporter, notes(got))
		}

		// Attack: a revoked share reads nothing.
		if err := e.cases.RevokeShare(ctx, e.pSuper, sh.ID); err != nil {
			t.Fatal(err)
		}
		_, err = read(e.cWorker)
		wantCode(t, err, tropic.ENOTFOUND)

		// A whole-case share reads it all.
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWhole, "")
		got, err = read(e.cWorker)
		if err != nil || got.Reporter.Contact != "07700 900999" {
			t.Fatalf("whole share got %+v, %v", got, err)
		}
	})
}

func TestTheReportersFollowUpTellsTheOfficerInCharge(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c, r := e.reportOnCase(t) // a follow-up before anyone is in charge tells nobody
		if got := e.notifications(t, e.pWorker2.UserID); len(got) != 0 {
			t.Fatalf("got %q before an officer was assigned", got)
		}
		if err := e.cases.AssignCase(ctx, e.pWorker, c.Reference, tropic.CaseAssignment{Version: e.find(t, e.pWorker, c.Reference).Version, OfficerUserID: e.pWorker2.UserID}); err != nil {
			t.Fatal(err)
		}
		if err := e.reports.AddFollowUp(ctx, r.Reference, tropic.HashFollowUpCode("AAAAA-BBBBB"), "SECRET-DETAIL a second van"); err != nil {
			t.Fatal(err)
		}
		// A wrong code tells nobody.
		wantCode(t, e.reports.AddFollowUp(ctx, r.Reference, tropic.HashFollowUpCode("ZZZZZ-ZZZZZ"), "Nothing"), tropic.EUNAUTHORISED)
		got := e.notifications(t, e.pWorker2.UserID)
		want := []string{
			"case_assigned | You are the officer in charge of case " + c.Reference + ". | /cases/" + c.Reference,
			"report_new_info | The reporter added information to report " + r.Reference + " on case " + c.Reference + ". | /cases/" + c.Reference + "/reports/" + r.Reference,
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestTheOfficerInChargeIsOneOfTheOwningAgencysCaseWorkers(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Nail bar")
		assign := func(actor tropic.Actor, officer int64, review string) error {
			return e.cases.AssignCase(ctx, actor, c.Reference, tropic.CaseAssignment{Version: e.find(t, e.pWorker, c.Reference).Version, OfficerUserID: officer, ReviewOn: review})
		}
		// Attack: an officer from another agency, an analyst, a triage officer, nobody at all.
		for _, officer := range []int64{e.cWorker.UserID, e.cSuper.UserID, e.pTriage.UserID, 999999} {
			wantField(t, assign(e.pWorker, officer, ""), "officer")
		}
		wantField(t, assign(e.pWorker, 0, "2020-01-01"), "review_on")
		wantField(t, assign(e.pWorker, 0, "next week"), "review_on")
		// Attack: another agency assigns: missing without a share, refused with one.
		wantCode(t, assign(e.cSuper, e.cWorker.UserID, ""), tropic.ENOTFOUND)
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWhole, "")
		wantCode(t, assign(e.cSuper, e.pWorker.UserID, ""), tropic.EFORBIDDEN)

		if err := assign(e.pSuper, e.pWorker2.UserID, "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		got := e.find(t, e.pWorker, c.Reference)
		if got.OfficerUserID != e.pWorker2.UserID || got.Officer != "Quinn Other" || got.ReviewOn != "2026-12-31" {
			t.Fatalf("got officer %d %q review %q", got.OfficerUserID, got.Officer, got.ReviewOn)
		}
		// A stale assignment is refused.
		wantCode(t, e.cases.AssignCase(ctx, e.pWorker, c.Reference, tropic.CaseAssignment{Version: 1, OfficerUserID: e.pWorker.UserID}), tropic.ECONFLICT)
		// "My cases".
		mine, total, err := e.cases.FindCases(ctx, e.pWorker2, tropic.CaseFilter{Officer: e.pWorker2.UserID})
		if err != nil || total != 1 || mine[0].Reference != c.Reference {
			t.Fatalf("my cases: %d %v", total, err)
		}
		if _, total, _ := e.cases.FindCases(ctx, e.pWorker, tropic.CaseFilter{Officer: e.pWorker.UserID}); total != 0 {
			t.Fatalf("got %d cases for someone in charge of none", total)
		}
		// Set at creation, and refused from another agency at creation too.
		bad := &tropic.Case{Title: "Another", OfficerUserID: e.cWorker.UserID}
		wantField(t, e.cases.CreateCase(ctx, e.pWorker, bad, ""), "officer")
		fresh := &tropic.Case{Title: "Another", OfficerUserID: e.pWorker2.UserID, ReviewOn: "2027-01-15"}
		if err := e.cases.CreateCase(ctx, e.pWorker, fresh, ""); err != nil {
			t.Fatal(err)
		}
		if n := len(e.notifications(t, e.pWorker2.UserID)); n != 2 {
			t.Fatalf("got %d notifications for two assignments, want 2", n)
		}
	})
}

func TestClosingACaseNeedsItsAgencysSupervisor(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Farm")
		version := func() int { return e.find(t, e.pWorker, c.Reference).Version }
		if err := e.cases.AddTask(ctx, e.pWorker, c.Reference, &tropic.Task{Title: "Visit the farm", AssignedAgency: e.police.ID}); err != nil {
			t.Fatal(err)
		}

		// A caseworker's close becomes a request, with a reason.
		wantField(t, closeErr(e.cases.CloseCase(ctx, e.pWorker, c.Reference, tropic.CaseClosure{Outcome: "safeguarded", Version: version()})), "reason")
		req, err := e.cases.CloseCase(ctx, e.pWorker, c.Reference, tropic.CaseClosure{Outcome: "safeguarded", Version: version(), Reason: "Workers moved to safe housing"})
		if err != nil || req == nil {
			t.Fatalf("got %v, %v; want a request", req, err)
		}
		got := e.find(t, e.pWorker, c.Reference)
		if got.Status == tropic.CaseClosed || got.PendingClosure == nil || len(got.ClosureWarnings) != 1 || !strings.Contains(got.ClosureWarnings[0], "1 task is not done") {
			t.Fatalf("got status %s, pending %+v, warnings %q", got.Status, got.PendingClosure, got.ClosureWarnings)
		}
		if n := e.notifications(t, e.pSuper.UserID); len(n) != 1 || !strings.HasPrefix(n[0], "closure_requested | ") {
			t.Fatalf("supervisor told %q", n)
		}
		// A second request waits behind the first.
		wantCode(t, closeErr(e.cases.CloseCase(ctx, e.pWorker2, c.Reference, tropic.CaseClosure{Outcome: "other", Version: version(), Reason: "Again"})), tropic.ECONFLICT)
		// The approvals queue: the police supervisor's, oldest first; nobody else's.
		queue, err := e.cases.FindClosureRequests(ctx, e.pSuper)
		if err != nil || len(queue) != 1 || queue[0].CaseReference != c.Reference || queue[0].RequestedBy != "Pat Worker (Hertfordshire Constabulary)" ||
			queue[0].Reason != "Workers moved to safe housing" {
			t.Fatalf("queue %+v, %v", queue, err)
		}
		for _, a := range []tropic.Actor{e.pWorker, e.cSuper} {
			if q, _ := e.cases.FindClosureRequests(ctx, a); len(q) != 0 {
				t.Fatalf("%+v sees %+v", a, q)
			}
		}

		// Attack: the caseworker approves their own request; another agency's supervisor.
		wantCode(t, e.cases.DecideClosure(ctx, e.pWorker, c.Reference, true, "", true), tropic.EFORBIDDEN)
		wantCode(t, e.cases.DecideClosure(ctx, e.cSuper, c.Reference, true, "", true), tropic.ENOTFOUND)
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWhole, "")
		wantCode(t, e.cases.DecideClosure(ctx, e.cSuper, c.Reference, true, "", true), tropic.EFORBIDDEN)
		wantCode(t, closeErr(e.cases.CloseCase(ctx, e.cSuper, c.Reference, tropic.CaseClosure{Outcome: "other", Version: version(), Confirmed: true})), tropic.EFORBIDDEN)

		// The supervisor must confirm the warnings (a task, now a share).
		wantField(t, e.cases.DecideClosure(ctx, e.pSuper, c.Reference, true, "", false), "confirm")
		if e.find(t, e.pWorker, c.Reference).Status == tropic.CaseClosed {
			t.Fatal("closed without the warnings confirmed")
		}
		wantField(t, e.cases.DecideClosure(ctx, e.pSuper, c.Reference, false, "", false), "note")
		if err := e.cases.DecideClosure(ctx, e.pSuper, c.Reference, true, "", true); err != nil {
			t.Fatal(err)
		}
		got = e.find(t, e.pWorker, c.Reference)
		if got.Status != tropic.CaseClosed || got.Outcome != "safeguarded" {
			t.Fatalf("got %s %s, want closed as safeguarded", got.Status, got.Outcome)
		}
		// Replay: the request is decided.
		wantCode(t, e.cases.DecideClosure(ctx, e.pSuper, c.Reference, true, "", true), tropic.ECONFLICT)
		if q, _ := e.cases.FindClosureRequests(ctx, e.pSuper); len(q) != 0 {
			t.Fatalf("decided request still queued: %+v", q)
		}
	})
}

// Issue 12, item 3: a case made from a report carries its records, so a phone the
// report shares with another agency's case links the two at once.
func TestACaseFromAReportCarriesItsRecordsAndLinksAtOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		links := store.NewLinkService(e.db, phone.Parse)
		council := e.newCase(t, e.cWorker, "House in multiple occupation")
		if err := e.cases.AddPhone(ctx, e.cWorker, council.Reference, &tropic.CasePhone{Number: "07700 900123"}); err != nil {
			t.Fatal(err)
		}
		r := routineReport(tropic.ChannelWeb)
		r.Phones = []tropic.Phone{{Number: "(07700) 900 123"}}
		r.Vehicles = []tropic.Vehicle{{Registration: "ab12 cde", Description: "White van"}}
		r.Businesses = []string{"Sparkle Car Wash"}
		r.Location = tropic.Location{Address: "London Road", Postcode: "al1 3jx"}
		r.People = tropic.People{Count: 4, Description: "Young men in work clothes"}
		if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
			t.Fatal(err)
		}
		c := &tropic.Case{Title: "Car wash"}
		if err := e.cases.CreateCase(ctx, e.pTriage, c, r.Reference); err != nil {
			t.Fatal(err)
		}
		got := e.find(t, e.pWorker, c.Reference)
		if len(got.Phones) != 1 || got.Phones[0].E164 != "+447700900123" || got.Phones[0].Source != r.Reference ||
			len(got.Vehicles) != 1 || got.Vehicles[0].Normalised != "AB12CDE" || got.Vehicles[0].Source != r.Reference ||
			len(got.Business) != 1 || got.Business[0].Name != "Sparkle Car Wash" ||
			len(got.Places) != 1 || got.Places[0].Postcode != "AL1 3JX" || got.Places[0].Source != r.Reference {
			t.Fatalf("got phones %+v vehicles %+v businesses %+v places %+v", got.Phones, got.Vehicles, got.Business, got.Places)
		}
		note := ""
		for _, n := range got.Notes {
			note += n.Text
		}
		if !strings.Contains(note, "4 people seen") || !strings.Contains(note, "Young men in work clothes") {
			t.Fatalf("timeline %q does not tell the people seen", note)
		}
		found, err := links.FindLinks(ctx, e.pWorker, c.Reference)
		if err != nil {
			t.Fatal(err)
		}
		ok := false
		for _, l := range found {
			ok = ok || (l.Kind == tropic.LinkPhone && l.HeldBy == e.council.Name)
		}
		if !ok {
			t.Fatalf("the new case does not link to the council's case by phone:\n%s", describeLinks(found))
		}
		// Linking the same report again carries nothing twice.
		if err := e.cases.LinkReport(ctx, e.pTriage, c.Reference, r.Reference); err != nil {
			t.Fatal(err)
		}
		if got := e.find(t, e.pWorker, c.Reference); len(got.Phones) != 1 {
			t.Fatalf("got %d phones after linking again", len(got.Phones))
		}
	})
}
