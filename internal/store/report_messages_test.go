package store_test

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

const reporterCode = "AAAAA-BBBBB" // routineReport's follow-up code

func TestTriageAsksTheReporterAnswersAndTriageSeesTheAnswer(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		sent, err := e.reports.SendReportMessage(ctx, e.pTriage, e.ref, "  Was the van white or silver?  ", "k1")
		if err != nil || sent.Replay || sent.Message.Text != "Was the van white or silver?" || sent.Message.User != "Tri Age" {
			t.Fatalf("send: %+v %v, want the trimmed message from Tri Age", sent, err)
		}
		th, err := e.reports.FindReporterThread(ctx, e.ref, tropic.HashFollowUpCode(reporterCode))
		if err != nil {
			t.Fatalf("reporter reads: %v", err)
		}
		if th.Status != tropic.BroadReceived || len(th.Messages) != 1 || th.Messages[0].FromReporter || th.Messages[0].Text != "Was the van white or silver?" {
			t.Fatalf("thread %+v, want received and the one message", th)
		}
		th, replay, err := e.reports.ReplyToReport(ctx, e.ref, tropic.HashFollowUpCode(reporterCode), "Silver, with a dent.", "r1")
		if err != nil || replay || len(th.Messages) != 2 || !th.Messages[1].FromReporter {
			t.Fatalf("reply: %+v %v %v, want two messages, the second the reporter's", th, replay, err)
		}
		ms, err := e.reports.FindReportMessages(ctx, e.pTriage, e.ref)
		if err != nil || len(ms) != 2 || ms[1].Text != "Silver, with a dent." || ms[1].User != "" || ms[0].Agency != e.police.Name {
			t.Fatalf("triage reads %+v %v, want both, the staff one with its agency", ms, err)
		}
		// The reply is in the report's timeline, and told to the hub in the service.
		r, err := e.reports.FindReportByReference(ctx, e.pTriage, e.ref)
		if err != nil || len(r.Messages) != 2 {
			t.Fatalf("report messages %+v %v, want two", r, err)
		}
		if n := e.notifications(t, tropic.NotifyReporterReplied); n == 0 {
			t.Errorf("no one in the hub was told of the reply")
		}
	})
}

func TestTheAgencyAReportWasPassedToWritesToTheReporterAndAnotherAgencyCannot(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		// Before it is passed, the council reads nothing and sends nothing.
		_, err := e.reports.SendReportMessage(ctx, e.cWorker, e.ref, "Hello", "")
		wantCode(t, err, tropic.ENOTFOUND)
		e.pass(t, e.council, false)
		if _, err := e.reports.SendReportMessage(ctx, e.cWorker, e.ref, "Can you tell us the address?", ""); err != nil {
			t.Fatalf("the council writing to the reporter of a report passed to it: %v", err)
		}
		// The district council, which the report was not passed to, neither reads nor sends.
		_, err = e.reports.FindReportMessages(ctx, e.dWorker, e.ref)
		wantCode(t, err, tropic.ENOTFOUND)
		_, err = e.reports.SendReportMessage(ctx, e.dWorker, e.ref, "Hello", "")
		wantCode(t, err, tropic.ENOTFOUND)
		// Nor does an analyst of the council itself.
		_, err = e.reports.FindReportMessages(ctx, e.cAnalyst, e.ref)
		wantCode(t, err, tropic.ENOTFOUND)

		th, err := e.reports.FindReporterThread(ctx, e.ref, tropic.HashFollowUpCode(reporterCode))
		if err != nil || th.Status != tropic.BroadPassedToPartner {
			t.Fatalf("thread %+v %v, want passed to a partner", th, err)
		}
		// The reporter's view names nobody: no user, no agency (the type has no such fields);
		// and the reply tells the council's caseworkers in the service.
		if _, _, err := e.reports.ReplyToReport(ctx, e.ref, tropic.HashFollowUpCode(reporterCode), "12 Mill Lane", ""); err != nil {
			t.Fatal(err)
		}
		var toCouncil int
		for _, n := range e.caseEnv.notifications(t, e.cWorker) {
			if n.Kind == tropic.NotifyReporterReplied && strings.HasPrefix(n.Link, "/inbox/reports/") && !strings.Contains(n.Text, "Mill") {
				toCouncil++
			}
		}
		if toCouncil != 1 {
			t.Errorf("the council's caseworker was told %d times of the reply, want once, without its text", toCouncil)
		}
	})
}

func TestAWrongCodeReadsNothingAndWritesNothing(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		if _, err := e.reports.SendReportMessage(ctx, e.pTriage, e.ref, "Are you safe?", ""); err != nil {
			t.Fatal(err)
		}
		for _, ref := range []string{e.ref, "KM7Q-2XP-A72", "not a reference"} {
			_, err := e.reports.FindReporterThread(ctx, ref, tropic.HashFollowUpCode("ZZZZZ-ZZZZZ"))
			wantCode(t, err, tropic.EUNAUTHORISED)
			_, _, err = e.reports.ReplyToReport(ctx, ref, tropic.HashFollowUpCode("ZZZZZ-ZZZZZ"), "Let me in", "")
			wantCode(t, err, tropic.EUNAUTHORISED)
		}
		ms, _ := e.reports.FindReportMessages(ctx, e.pTriage, e.ref)
		if len(ms) != 1 {
			t.Fatalf("%d messages, want only the staff one", len(ms))
		}
	})
}

func TestAReplySentTwiceWithItsKeyPostsOnceEvenAtOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		if _, err := e.reports.SendReportMessage(ctx, e.pTriage, e.ref, "Are you safe?", "s1"); err != nil {
			t.Fatal(err)
		}
		again, err := e.reports.SendReportMessage(ctx, e.pTriage, e.ref, "Are you safe?", "s1")
		if err != nil || !again.Replay {
			t.Fatalf("staff send replayed: %+v %v, want a replay", again, err)
		}
		code := tropic.HashFollowUpCode(reporterCode)
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := e.reports.ReplyToReport(ctx, e.ref, code, "Yes, for now.", "reply-key"); err != nil {
					t.Errorf("reply: %v", err)
				}
			}()
		}
		wg.Wait()
		ms, _ := e.reports.FindReportMessages(ctx, e.pTriage, e.ref)
		if len(ms) != 2 {
			t.Fatalf("%d messages, want the staff one and one reply", len(ms))
		}
	})
}

func TestMessagesAreLimitedPerHourWithAnErrorNamingTheField(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		for i := range tropic.StaffMessagesPerWindow {
			if _, err := e.reports.SendReportMessage(ctx, e.pTriage, e.ref, "Question", ""); err != nil {
				t.Fatalf("message %d: %v", i+1, err)
			}
		}
		_, err := e.reports.SendReportMessage(ctx, e.pTriage, e.ref, "One more", "")
		wantCode(t, err, tropic.ETOOMANY)
		wantField(t, err, "message")
		code := tropic.HashFollowUpCode(reporterCode)
		for i := range tropic.RepliesPerWindow {
			if _, _, err := e.reports.ReplyToReport(ctx, e.ref, code, "Answer", ""); err != nil {
				t.Fatalf("reply %d: %v", i+1, err)
			}
		}
		_, _, err = e.reports.ReplyToReport(ctx, e.ref, code, "One more", "")
		wantCode(t, err, tropic.ETOOMANY)
		wantField(t, err, "reply")
		// An hour on, both may write again.
		e.clock.Advance(tropic.MessageWindow + time.Minute)
		if _, err := e.reports.SendReportMessage(ctx, e.pTriage, e.ref, "Later", ""); err != nil {
			t.Fatalf("an hour on: %v", err)
		}
		if _, _, err := e.reports.ReplyToReport(ctx, e.ref, code, "Later", ""); err != nil {
			t.Fatalf("an hour on: %v", err)
		}
	})
}

func TestMessagesRefuseEmptyAndLongTextAndAReplyBeforeAnyMessage(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		code := tropic.HashFollowUpCode(reporterCode)
		_, _, err := e.reports.ReplyToReport(ctx, e.ref, code, "Hello?", "")
		wantField(t, err, "reply")
		_, err = e.reports.SendReportMessage(ctx, e.pTriage, e.ref, "   ", "")
		wantField(t, err, "message")
		_, err = e.reports.SendReportMessage(ctx, e.pTriage, e.ref, strings.Repeat("x", tropic.MaxMessage+1), "")
		wantField(t, err, "message")
		_, _, err = e.reports.ReplyToReport(ctx, e.ref, code, strings.Repeat("x", tropic.MaxMessage+1), "")
		wantField(t, err, "reply")
	})
}

func TestACaseSharedWithoutSensitiveFieldsShowsNoMessages(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c, r := e.reportOnCase(t)
		if _, err := e.reports.SendReportMessage(ctx, e.pTriage, r.Reference, "Jo, is it safe to call?", ""); err != nil {
			t.Fatal(err)
		}
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWithoutSensitive, "")
		_, got, err := e.cases.FindCaseReport(ctx, e.cWorker, c.Reference, r.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Messages) != 0 {
			t.Errorf("messages %+v through a share without sensitive fields, want none", got.Messages)
		}
		_, err = e.reports.SendReportMessage(ctx, e.cWorker, r.Reference, "Hello", "")
		wantCode(t, err, tropic.EFORBIDDEN)
		// The police caseworker, whose agency owns the case, reads them.
		ms, err := e.reports.FindReportMessages(ctx, e.pWorker, r.Reference)
		if err != nil || len(ms) != 1 {
			t.Fatalf("owner's caseworker: %+v %v, want the message", ms, err)
		}
	})
}

func TestTheBroadStatusFollowsTheReportWithoutDetail(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newHandoffEnv(t, d)
		code := tropic.HashFollowUpCode(reporterCode)
		status := func() tropic.BroadStatus {
			t.Helper()
			th, err := e.reports.FindReporterThread(ctx, e.ref, code)
			if err != nil {
				t.Fatal(err)
			}
			return th.Status
		}
		if s := status(); s != tropic.BroadReceived {
			t.Fatalf("new: %s", s)
		}
		if err := e.reports.ClaimReport(ctx, e.pTriage, e.ref, false); err != nil {
			t.Fatal(err)
		}
		if s := status(); s != tropic.BroadBeingLookedAt {
			t.Fatalf("claimed: %s", s)
		}
		if err := e.reports.DecideReport(ctx, e.pTriage, e.ref, tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Not enough to go on"}); err != nil {
			t.Fatal(err)
		}
		if s := status(); s != tropic.BroadClosed {
			t.Fatalf("no further action: %s", s)
		}
	})
}

func TestOnlyAReporterWhoAgreedWithAnEmailAddressIsEmailed(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		mk := func(contact string, consent bool) int64 {
			r := routineReport(tropic.ChannelWeb)
			r.Reporter = tropic.Reporter{Name: "Rita", Contact: contact, NotifyConsent: consent}
			if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
				t.Fatalf("create %q %v: %v", contact, consent, err)
			}
			return r.ID
		}
		system := tropic.SystemActor("message waits e-mail")
		for _, c := range []struct {
			contact string
			consent bool
			want    string
		}{
			{"rita@example.net, after 6pm", true, "rita@example.net"},
			{"rita@example.net", false, ""},
			{"07700 900123", false, ""},
		} {
			got, err := e.reports.FindReporterNotifyEmail(ctx, system, mk(c.contact, c.consent))
			if err != nil || got != c.want {
				t.Errorf("%q consent %v: %q %v, want %q", c.contact, c.consent, got, err, c.want)
			}
		}
		// Consent with only a phone number is refused, naming the box.
		r := routineReport(tropic.ChannelWeb)
		r.Reporter = tropic.Reporter{Name: "Rita", Contact: "07700 900123", NotifyConsent: true}
		_, err := e.reports.CreateReport(ctx, admin, r, "")
		wantField(t, err, "reporter_notify_consent")
		// Staff may not read the address this way.
		_, err = e.reports.FindReporterNotifyEmail(ctx, e.pTriage, 1)
		wantCode(t, err, tropic.ENOTFOUND)
	})
}

// jobLog records the jobs queued, in place of River.
type jobLog struct {
	mu   sync.Mutex
	jobs []tropic.Job
}

func (j *jobLog) EnqueueTx(_ context.Context, _ *sql.Tx, job tropic.Job) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.jobs = append(j.jobs, job)
	return nil
}

func TestAMessageQueuesTheEmailOnlyForAReporterWhoAgreedWithAnAddress(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		log := &jobLog{}
		reports := store.NewReportService(e.db, log, phone.Parse)
		for _, c := range []struct {
			reporter tropic.Reporter
			want     int
		}{
			{tropic.Reporter{Name: "Rita", Contact: "rita@example.net", NotifyConsent: true}, 1},
			{tropic.Reporter{Name: "Rita", Contact: "rita@example.net"}, 0},
			{tropic.Reporter{Name: "Rita", Contact: "07700 900123"}, 0},
			{tropic.Reporter{Anonymous: true}, 0},
		} {
			r := routineReport(tropic.ChannelWeb)
			r.Reporter = c.reporter
			if _, err := reports.CreateReport(ctx, admin, r, ""); err != nil {
				t.Fatal(err)
			}
			log.jobs = nil
			if _, err := reports.SendReportMessage(ctx, e.pTriage, r.Reference, "Are you safe to talk?", ""); err != nil {
				t.Fatal(err)
			}
			var n int
			for _, j := range log.jobs {
				if w, ok := j.(tropic.MessageWaitsJob); ok && w.ReportID == r.ID {
					n++
				}
			}
			if n != c.want {
				t.Errorf("%+v: %d e-mail jobs (of %v), want %d", c.reporter, n, log.jobs, c.want)
			}
		}
	})
}
