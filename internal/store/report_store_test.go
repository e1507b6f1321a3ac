package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// routineReport is a public report that says nobody is in danger.
func routineReport(channel tropic.Channel) *tropic.Report {
	return &tropic.Report{Channel: channel, Description: "Men collected by a van at dawn", InDanger: tropic.AnswerNo,
		Reporter: tropic.Reporter{Anonymous: true}, FollowUpHash: tropic.HashFollowUpCode("AAAAA-BBBBB")}
}

// Hole 11: a report sent again under the same form key with changed answers was
// dropped, the stored report staying routine while the page said "Report sent".
func TestReportSentAgainWithChangedAnswersIsKeptForTriageAndRaisesUrgency(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		key := tropic.HashFormKey(tropic.NewFormKey())
		first := routineReport(tropic.ChannelWeb)
		sent, err := e.reports.CreateReport(ctx, admin, first, key)
		if err != nil || sent != tropic.ReportStored || first.Urgency != tropic.UrgencyRoutine {
			t.Fatalf("first: got %v %v %q, want a stored routine report", sent, err, first.Urgency)
		}

		// A double click: the same answers change nothing.
		same := routineReport(tropic.ChannelWeb)
		if sent, err := e.reports.CreateReport(ctx, admin, same, key); err != nil || sent != tropic.ReportSentBefore || same.Reference != first.Reference {
			t.Fatalf("same answers: got %v %v %q, want the first report %q", sent, err, same.Reference, first.Reference)
		}

		// Back, "someone is in danger", send again: the answers are kept, for triage.
		for range 2 { // a double click on the changed answers adds them once
			danger := routineReport(tropic.ChannelWeb)
			danger.InDanger = tropic.AnswerYes
			danger.Phones = []tropic.Phone{{Number: "07700 900123"}}
			sent, err = e.reports.CreateReport(ctx, admin, danger, key)
			if err != nil || sent != tropic.ReportAddedTo || danger.Reference != first.Reference {
				t.Fatalf("changed answers: got %v %v %q, want them added to %q", sent, err, danger.Reference, first.Reference)
			}
		}
		got, err := e.reports.FindReportByReference(ctx, e.pTriage, first.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if got.Urgency != tropic.UrgencyEmergency || !strings.Contains(got.UrgencyReason, "immediate danger") {
			t.Errorf("urgency %q (%s), want it raised to emergency", got.Urgency, got.UrgencyReason)
		}
		if !got.NeedsAttention {
			t.Error("the report is not flagged for triage")
		}
		if len(got.Notes) != 1 || got.Notes[0].Source != "reporter" ||
			!strings.Contains(got.Notes[0].Text, "Anyone in immediate danger: Yes") || !strings.Contains(got.Notes[0].Text, "07700 900123") {
			t.Fatalf("timeline %+v, want one reporter note with the changed answers", got.Notes)
		}
		if got.InDanger != tropic.AnswerNo {
			t.Errorf("the report's answers were replaced: in danger %q", got.InDanger)
		}
		if n := reportRows(t, d, e.dsn); n != 1 {
			t.Errorf("%d reports, want 1", n)
		}
		acts := strings.Join(e.actions(t), " ")
		if !strings.Contains(acts, tropic.AuditReportResent) {
			t.Errorf("audit %s, want %s", acts, tropic.AuditReportResent)
		}

		// A less urgent resend never lowers it.
		calmer := routineReport(tropic.ChannelWeb)
		calmer.Description = "On second thoughts, they looked fine"
		if sent, err := e.reports.CreateReport(ctx, admin, calmer, key); err != nil || sent != tropic.ReportAddedTo {
			t.Fatalf("calmer answers: got %v %v", sent, err)
		}
		if got, _ := e.reports.FindReportByReference(ctx, e.pTriage, first.Reference); got.Urgency != tropic.UrgencyEmergency || len(got.Notes) != 2 {
			t.Errorf("after calmer answers: urgency %q, %d notes; want emergency and 2 notes", got.Urgency, len(got.Notes))
		}
	})
}

// Through the API an Idempotency-Key reused with other answers is refused, naming
// the key; the same answers still give the first report.
func TestReportIdempotencyKeyReusedWithOtherAnswersIsRefused(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		key := tropic.HashFormKey("api:1:call-4711")
		first := routineReport(tropic.ChannelHelpline)
		if sent, err := e.reports.CreateReport(ctx, admin, first, key); err != nil || sent != tropic.ReportStored {
			t.Fatalf("first: %v %v", sent, err)
		}
		again := routineReport(tropic.ChannelHelpline)
		if sent, err := e.reports.CreateReport(ctx, admin, again, key); err != nil || sent != tropic.ReportSentBefore || again.Reference != first.Reference {
			t.Fatalf("same body: got %v %v %q", sent, err, again.Reference)
		}
		other := routineReport(tropic.ChannelHelpline)
		other.InDanger = tropic.AnswerYes
		_, err := e.reports.CreateReport(ctx, admin, other, key)
		wantCode(t, err, tropic.EINVALID)
		if msg := tropic.ErrorFields(err)["form_key"]; msg == "" {
			t.Errorf("fields %v, want a problem with form_key", tropic.ErrorFields(err))
		}
		got, _ := e.reports.FindReportByReference(ctx, e.pTriage, first.Reference)
		if got.Urgency != tropic.UrgencyRoutine || len(got.Notes) != 0 {
			t.Errorf("the refused body changed the report: %q, %d notes", got.Urgency, len(got.Notes))
		}
	})
}

// Hole 13: text with bidi override characters is refused by the store, naming the field.
func TestReportStoreRefusesBidiOverridesAndInvalidUTF8(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		for _, tc := range []struct {
			name  string
			edit  func(r *tropic.Report)
			field string
		}{
			{"a right-to-left override in the description", func(r *tropic.Report) { r.Description = "pay \u202Egnp.exe" }, "description"},
			{"a first strong isolate in a business name", func(r *tropic.Report) { r.Businesses = []string{"Car \u2068wash"} }, "business_1"},
			{"invalid UTF-8 in the address", func(r *tropic.Report) { r.Location.Address = "Victoria St \xff" }, "address"},
		} {
			r := routineReport(tropic.ChannelHelpline)
			tc.edit(r)
			_, err := e.reports.CreateReport(ctx, admin, r, "")
			if tropic.ErrorCode(err) != tropic.EINVALID || tropic.ErrorFields(err)[tc.field] == "" {
				t.Errorf("%s: got %v, want a problem with %s", tc.name, err, tc.field)
			}
		}
		if n := reportRows(t, d, e.dsn); n != 0 {
			t.Errorf("%d reports stored, want none", n)
		}
	})
}

// reportRows counts the stored reports, read straight from the database.
func reportRows(t *testing.T, d store.Dialect, dsn string) int {
	t.Helper()
	var n int
	if err := openRaw(t, d, dsn).QueryRow(`SELECT COUNT(*) FROM reports`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Hole 12: ten wrong codes locked the reporter out for an hour and, answering
// otherwise than a wrong code, told that the reference exists.
func TestReportFollowUpRightCodeGetsThroughAfterManyWrongOnes(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		r := routineReport(tropic.ChannelWeb)
		if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
			t.Fatal(err)
		}
		wrong := tropic.HashFollowUpCode("ZZZZZ-ZZZZZ")
		var answers []string
		for range 50 {
			err := e.reports.AddFollowUp(ctx, r.Reference, wrong, "x")
			answers = append(answers, err.Error())
		}
		answers = append(answers, e.reports.AddFollowUp(ctx, tropic.NewReference(), wrong, "x").Error())
		for i, a := range answers {
			if a != answers[0] || !strings.Contains(a, "code="+tropic.EUNAUTHORISED) {
				t.Fatalf("answer %d is %q, the first %q; want the same refusal for every wrong code and the unknown reference", i, a, answers[0])
			}
		}
		if err := e.reports.AddFollowUp(ctx, r.Reference, r.FollowUpHash, "The van came back tonight."); err != nil {
			t.Fatalf("the right code after 50 wrong ones: %v", err)
		}
		got, _ := e.reports.FindReportByReference(ctx, e.pTriage, r.Reference)
		if len(got.Notes) != 1 || got.Notes[0].Text != "The van came back tonight." {
			t.Errorf("timeline %+v, want the reporter's information", got.Notes)
		}
	})
}

// Hole 12 (issue 11), by timing: a wrong code for a report that exists used to count
// the failure in the report's row, so its commit wrote and took longer than the
// nothing an unknown reference wrote (16 to 70 times on SQLite with synchronous=full).
// A wrong code now writes nothing at all: the stored report is the same, row for row.
func TestReportFollowUpWrongCodeWritesNothing(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newMatchEnv(t, d)
		r := routineReport(tropic.ChannelWeb)
		if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
			t.Fatal(err)
		}
		const snapshot = `SELECT * FROM reports ORDER BY id`
		before, events := e.rows(t, snapshot), e.rows(t, `SELECT COUNT(*) FROM audit_events`)
		for range 3 {
			if err := e.reports.AddFollowUp(ctx, r.Reference, tropic.HashFollowUpCode("ZZZZZ-ZZZZZ"), "x"); tropic.ErrorCode(err) != tropic.EUNAUTHORISED {
				t.Fatalf("wrong code: got %v, want the refusal", err)
			}
		}
		if after := e.rows(t, snapshot); !slices.Equal(before, after) {
			t.Errorf("a wrong code changed the stored report:\nbefore %v\nafter  %v", before, after)
		}
		if after := e.rows(t, `SELECT COUNT(*) FROM audit_events`); !slices.Equal(events, after) {
			t.Errorf("a wrong code wrote audit events: %v then %v", events, after)
		}
	})
}

// The call handlers' page and the API check who may record a report; the store checks
// again, so that no path (a new handler, a script) records one for anyone else.
func TestOnlyCallHandlersAndTheHubRecordReportsInTheStore(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		r := routineReport(tropic.ChannelHelpline)
		if _, err := e.reports.CreateReport(ctx, e.pWorker, r, ""); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Fatalf("a caseworker recording a report: got %v, want it refused", err)
		}
		if _, err := e.reports.CreateReport(ctx, e.pTriage, routineReport(tropic.ChannelHelpline), ""); err != nil {
			t.Fatalf("the triage hub recording a report: %v", err)
		}
	})
}

// TestFollowUpCodesAreSealed (issue 19, item 6): a follow-up code is stored under a
// slow salted hash, never in a form a plain SHA-256 gives back; the right code opens
// the report however it is typed, a wrong one does not; a code stored bare before
// sealing still works, and is sealed on its first right use or by the one-off
// SealLegacyFollowUpCodes, whichever comes first.
func TestFollowUpCodesAreSealed(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		const code = "AAAAA-BBBBB"
		raw := openRaw(t, d, e.dsn)
		stored := func(ref string) string {
			t.Helper()
			var h string
			if err := raw.QueryRow(raw.q(`SELECT follow_up_hash FROM reports WHERE reference = ?`), ref).Scan(&h); err != nil {
				t.Fatal(err)
			}
			return h
		}
		var refs []string
		for range 3 {
			r := routineReport(tropic.ChannelWeb)
			if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
				t.Fatal(err)
			}
			refs = append(refs, r.Reference)
		}
		a, b := stored(refs[0]), stored(refs[1])
		if !strings.HasPrefix(a, "$argon2id$") || a == b {
			t.Fatalf("stored codes %q and %q: want argon2id, salted apart", a, b)
		}
		for _, fast := range []string{tropic.HashFollowUpCode(code), sha256Hex(code), sha256Hex("AAAAABBBBB"), code} {
			if strings.Contains(a, fast) {
				t.Fatalf("the stored code %q holds %q, a fast hash or the code itself", a, fast)
			}
		}
		for _, wrong := range []string{"AAAAA-BBBBC", "ZZZZZ-ZZZZZ", "", tropic.HashFollowUpCode(code)} {
			if err := e.reports.AddFollowUp(ctx, refs[0], tropic.HashFollowUpCode(wrong), "x"); tropic.ErrorCode(err) != tropic.EUNAUTHORISED {
				t.Errorf("code %q: %v, want refused", wrong, err)
			}
		}
		if err := e.reports.AddFollowUp(ctx, refs[0], a, "x"); tropic.ErrorCode(err) != tropic.EUNAUTHORISED {
			t.Errorf("the stored value itself as the code: %v, want refused", err)
		}
		if err := e.reports.AddFollowUp(ctx, refs[0], tropic.HashFollowUpCode("aaaaa bbbbb"), "Typed in lower case."); err != nil {
			t.Errorf("the right code: %v", err)
		}

		// Stored bare, as before sealing: still works, and is sealed on first right use.
		statsExec(t, e.env, `UPDATE reports SET follow_up_hash = ? WHERE reference IN (?, ?)`, tropic.HashFollowUpCode(code), refs[1], refs[2])
		if err := e.reports.AddFollowUp(ctx, refs[1], tropic.HashFollowUpCode("ZZZZZ-ZZZZZ"), "x"); tropic.ErrorCode(err) != tropic.EUNAUTHORISED {
			t.Errorf("a wrong code against a bare one: %v, want refused", err)
		}
		if got := stored(refs[1]); got != tropic.HashFollowUpCode(code) {
			t.Errorf("a wrong code changed the bare stored code to %q", got)
		}
		if err := e.reports.AddFollowUp(ctx, refs[1], tropic.HashFollowUpCode(code), "Sent after the upgrade."); err != nil {
			t.Errorf("the right code against a bare one: %v", err)
		}
		if got := stored(refs[1]); !strings.HasPrefix(got, "$argon2id$") {
			t.Errorf("after its first right use the code is stored as %q, want sealed", got)
		}
		// The rest are sealed at start, once.
		if n, err := store.SealLegacyFollowUpCodes(ctx, e.db); err != nil || n != 1 {
			t.Fatalf("sealing bare codes: %d, %v; want 1", n, err)
		}
		if got := stored(refs[2]); !strings.HasPrefix(got, "$argon2id$") {
			t.Errorf("after sealing the code is stored as %q", got)
		}
		if err := e.reports.AddFollowUp(ctx, refs[2], tropic.HashFollowUpCode(code), "Sent after sealing."); err != nil {
			t.Errorf("the right code after sealing: %v", err)
		}
		if n, err := store.SealLegacyFollowUpCodes(ctx, e.db); err != nil || n != 0 {
			t.Errorf("sealing again: %d, %v; want nothing done", n, err)
		}
	})
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
