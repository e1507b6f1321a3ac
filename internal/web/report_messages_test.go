package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// messagesEnv is a server on one database, with districts, a triage user of the hub
// (ts.agency), a partner agency with a caseworker, and a report sent through the
// public form by a reporter who gave an e-mail address and agreed to be told.
type messagesEnv struct {
	*testServer
	triage, partner, outsider *tropic.User
	partnerAgency             *tropic.Agency
	public                    *client
	ref, code                 string
}

func newMessagesEnv(t *testing.T, d store.Dialect) *messagesEnv {
	t.Helper()
	ts := newTestServerOn(t, d, Config{MFAWaived: true}, func(d *Deps) { d.Mail = &recordingMailer{} })
	ctx := context.Background()
	for _, di := range []tropic.District{{Slug: "st-albans", Name: "St Albans"}, {Slug: "watford", Name: "Watford"}} {
		if err := ts.srv.deps.Reports.CreateDistrict(ctx, testAdmin, di); err != nil {
			t.Fatal(err)
		}
	}
	e := &messagesEnv{testServer: ts, public: ts.client(t)}
	e.triage = ts.addUser("tri@police.example", tropic.RoleTriage)
	e.partnerAgency = &tropic.Agency{Name: "Dacorum Borough Council", Kind: tropic.AgencyDistrictCouncil}
	outsiderAgency := &tropic.Agency{Name: "Three Rivers District Council", Kind: tropic.AgencyDistrictCouncil}
	for _, a := range []*tropic.Agency{e.partnerAgency, outsiderAgency} {
		if err := ts.agencies.CreateAgency(ctx, testAdmin, a); err != nil {
			t.Fatal(err)
		}
	}
	add := func(email string, a *tropic.Agency) *tropic.User {
		hash, err := auth.HashPassword(testPassword, testParams)
		if err != nil {
			t.Fatal(err)
		}
		u := &tropic.User{Email: email, Name: "Staff " + email, AgencyID: a.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
		if err := ts.users.CreateUser(ctx, testAdmin, u, hash); err != nil {
			t.Fatalf("create %s: %v", email, err)
		}
		return u
	}
	e.partner, e.outsider = add("pat@dacorum.example", e.partnerAgency), add("owen@threerivers.example", outsiderAgency)
	answers := rpAnswers(tropic.NewFormKey(), ts.clock.Now())
	answers.Set("reporter_notify_consent", "yes")
	check := e.public.post("/report/check", answers)
	wantStatus(t, check, http.StatusOK)
	wantContains(t, pageText(check.body), "Email me when a message waits")
	sent := e.public.post("/report/submit", rpHidden(check.body))
	wantStatus(t, sent, http.StatusOK)
	e.ref, e.code = rpSent(t, sent.body)
	return e
}

var messageKeyRE = regexp.MustCompile(`name="message_key" value="([0-9a-f]{32})"`)

// staffSend writes to the reporter from the report page at path, as a browser does:
// the key from the page, then the form.
func (e *messagesEnv) staffSend(t *testing.T, c *client, path, text string) (*response, url.Values) {
	t.Helper()
	m := messageKeyRE.FindStringSubmatch(c.get(path).body)
	if m == nil {
		t.Fatalf("no message form on %s", path)
	}
	form := url.Values{"message": {text}, "message_key": {m[1]}}
	return c.post(path+"/messages", form), form
}

// thread signs in on the public messages page with the reference and code.
func (e *messagesEnv) thread(t *testing.T, code string) *response {
	t.Helper()
	return e.public.post("/report/follow-up/messages", url.Values{"reference": {e.ref}, "code": {code}})
}

// apiCall sends JSON with a bearer token and extra headers (name, value pairs).
func (e *messagesEnv) apiCall(t *testing.T, method, path, token string, body any, headers ...string) (*response, map[string]any) {
	t.Helper()
	c := e.client(t)
	var req *http.Request
	if body == nil {
		req = c.newRequest(method, path, nil)
	} else {
		raw, _ := json.Marshal(body)
		req = c.newRequest(method, path, strings.NewReader(string(raw)))
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res := c.do(req)
	var out map[string]any
	json.Unmarshal([]byte(res.body), &out)
	return res, out
}

func TestTriageAsksTheReporterAnswersOnTheFollowUpPageAndTriageSeesItThroughPagesAndAPI(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := newMessagesEnv(t, d)
			staff := e.client(t)
			staff.signInWaived(e.triage.Email)
			path := "/triage/reports/" + e.ref

			// Triage asks, from the report's page; the same form sent again posts once.
			res, form := e.staffSend(t, staff, path, "Thank you. Was the van white or silver?")
			wantRedirect(t, res, path)
			wantContains(t, pageText(staff.get(path).body), "Your message has been sent.", "Message to the reporter from Sam Example, Hertfordshire Constabulary", "Was the van white or silver?")
			wantRedirect(t, staff.post(path+"/messages", form), path)
			page := pageText(staff.get(path).body)
			wantContains(t, page, "This message had already been sent. It was not sent again.")
			if n := strings.Count(page, "Was the van white or silver?"); n != 1 {
				t.Fatalf("the message shows %d times, want once", n)
			}

			// The reporter reads it with the reference and code: from the partnership, no name or agency.
			wantStatus(t, e.public.get("/report/follow-up/messages"), http.StatusOK)
			th := e.thread(t, strings.ToLower(e.code))
			wantStatus(t, th, http.StatusOK)
			text := pageText(th.body)
			wantContains(t, text, "The partnership wrote", "Was the van white or silver?", "We have received your report.")
			wantContains(t, th.body, "Exit this page")
			for _, leak := range []string{"Sam Example", "Hertfordshire Constabulary", "tri@police.example"} {
				if strings.Contains(text, leak) {
					t.Errorf("the reporter's page names %q", leak)
				}
			}
			// The reporter answers; the same form sent again (a refresh) posts once.
			reply := rpHidden(th.body)
			reply.Set("reply", "Silver, with a dent in the side.")
			sent := e.public.post("/report/follow-up/messages/reply", reply)
			wantStatus(t, sent, http.StatusOK)
			wantContains(t, pageText(sent.body), "Your reply has been sent.", "You wrote", "Silver, with a dent in the side.")
			again := e.public.post("/report/follow-up/messages/reply", reply)
			wantStatus(t, again, http.StatusOK)
			if n := strings.Count(pageText(again.body), "Silver, with a dent"); n != 1 {
				t.Fatalf("the reply shows %d times after the form was sent twice, want once", n)
			}

			// Triage sees the answer in the report's timeline.
			wantContains(t, pageText(staff.get(path).body), "The reporter replied to a message", "Silver, with a dent in the side.")

			// Through the API: list, send (once per Idempotency-Key), and the timeline.
			token, _ := e.newToken(e.triage.ID, e.clock.Now().Add(time.Hour))
			api := "/api/v1/reports/" + e.ref + "/messages"
			got, body := e.apiCall(t, "GET", api, token, nil)
			wantStatus(t, got, http.StatusOK)
			if ms := body["messages"].([]any); len(ms) != 2 || ms[1].(map[string]any)["from_reporter"] != true {
				t.Fatalf("API messages %v, want the question and the reply", ms)
			}
			post, body := e.apiCall(t, "POST", api, token, map[string]any{"text": "Where does the van park at night?"}, "Idempotency-Key", "k-1")
			wantStatus(t, post, http.StatusCreated)
			replay, body2 := e.apiCall(t, "POST", api, token, map[string]any{"text": "Where does the van park at night?"}, "Idempotency-Key", "k-1")
			wantStatus(t, replay, http.StatusOK)
			if body2["replay"] != true || body["replay"] != false {
				t.Errorf("replay flags %v then %v, want false then true", body["replay"], body2["replay"])
			}
			th = e.thread(t, e.code)
			reply = rpHidden(th.body)
			reply.Set("reply", "Behind the Co-op on Marlowes.")
			wantStatus(t, e.public.post("/report/follow-up/messages/reply", reply), http.StatusOK)
			_, body = e.apiCall(t, "GET", api, token, nil)
			if ms := body["messages"].([]any); len(ms) != 4 || ms[3].(map[string]any)["text"] != "Behind the Co-op on Marlowes." {
				t.Fatalf("API messages %v, want four, the last the second reply", ms)
			}
			_, rep := e.apiCall(t, "GET", "/api/v1/reports/"+e.ref, token, nil)
			if raw, _ := json.Marshal(rep["timeline"]); !strings.Contains(string(raw), `"source":"message_from_reporter"`) {
				t.Errorf("timeline %s, want the replies in it", raw)
			}

			// Audited, never with the text; the reporter agreed to be e-mailed.
			for _, a := range e.auditActions(tropic.AuditFilter{Limit: 1000}) {
				if strings.Contains(a, "van") || strings.Contains(a, "Co-op") {
					t.Errorf("an audit event holds the message: %q", a)
				}
			}
			wantAudit := map[string]bool{}
			for _, a := range e.auditActions(tropic.AuditFilter{Limit: 1000}) {
				wantAudit[strings.Fields(a)[0]] = true
			}
			for _, a := range []string{tropic.AuditMessageSent, tropic.AuditMessageReply, tropic.AuditMessagesRead} {
				if !wantAudit[a] {
					t.Errorf("no %s event", a)
				}
			}
			r, err := e.srv.deps.Reports.FindReportByReference(context.Background(), tropic.ActorFor(e.triage), e.ref)
			if err != nil || !r.Reporter.NotifyConsent {
				t.Errorf("consent %v %v, want the reporter's consent stored", r, err)
			}
		})
	}
}

func TestAReporterWithAWrongCodeSeesNothingAndIsThrottled(t *testing.T) {
	t.Parallel()
	e := newMessagesEnv(t, store.SQLite)
	if _, err := e.srv.deps.Messages.SendReportMessage(context.Background(), tropic.ActorFor(e.triage), e.ref, "SECRET-QUESTION are you safe?", ""); err != nil {
		t.Fatal(err)
	}
	wrong := e.thread(t, "AAAAA-AAAAA")
	wantStatus(t, wrong, http.StatusUnprocessableEntity)
	wantContains(t, wrong.body, "The reference or the follow-up code is not right", `value="AAAAA-AAAAA"`)
	unknown := e.public.post("/report/follow-up/messages", url.Values{"reference": {tropic.NewReference()}, "code": {"AAAAA-AAAAA"}})
	refValue := regexp.MustCompile(`value="[0-9A-Z]{4}-[0-9A-Z]{3,4}-[0-9A-Z]{1,3}"`)
	strip := func(body string) string { return refValue.ReplaceAllString(mainContent(body), `value="REF"`) }
	if a, b := strip(wrong.body), strip(unknown.body); a != b {
		t.Errorf("a wrong code and an unknown reference answer differently:\n%s\n---\n%s", a, b)
	}
	// A reply with a wrong code posts nothing, and shows nothing.
	bad := e.public.post("/report/follow-up/messages/reply", url.Values{"reference": {e.ref}, "code": {"AAAAA-AAAAB"}, "reply": {"let me in"}, "key": {"x"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	for _, res := range []*response{wrong, unknown, bad} {
		if strings.Contains(res.body, "SECRET-QUESTION") || strings.Contains(res.body, "Where your report stands") {
			t.Fatal("a wrong code showed the thread")
		}
	}
	// Past the limit of wrong codes from one address: 429, whatever the reference.
	var last *response
	for range followUpLimit {
		last = e.thread(t, "AAAAA-AAAAC")
	}
	wantStatus(t, last, http.StatusTooManyRequests)
	wantContains(t, last.body, "too many attempts")
	if last.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// The right code still gets through.
	wantStatus(t, e.thread(t, e.code), http.StatusOK)
	ms, _ := e.srv.deps.Messages.FindReportMessages(context.Background(), tropic.ActorFor(e.triage), e.ref)
	if len(ms) != 1 {
		t.Errorf("%d messages, want only the question", len(ms))
	}
}

func TestAnAgencyTheReportWasNotPassedToCannotReadOrSendMessages(t *testing.T) {
	t.Parallel()
	e := newMessagesEnv(t, store.SQLite)
	ctx := context.Background()
	if err := e.srv.deps.Reports.DecideReport(ctx, tropic.ActorFor(e.triage), e.ref, tropic.ReportDecision{Status: tropic.ReportPassedToAgency,
		AgencyID: e.partnerAgency.ID, Reason: "SECRET-REASON their licensing team knows the site"}); err != nil {
		t.Fatal(err)
	}
	// The partner writes from its inbox page.
	partner := e.client(t)
	partner.signInWaived(e.partner.Email)
	path := "/inbox/reports/" + e.ref
	res, _ := e.staffSend(t, partner, path, "Dacorum here: which door do they use?")
	wantRedirect(t, res, path+"#messages")
	// The outsider: the page, the form and the API answer as for a missing report.
	outsider := e.client(t)
	outsider.signInWaived(e.outsider.Email)
	wantStatus(t, outsider.get(path), http.StatusNotFound)
	wantStatus(t, outsider.post(path+"/messages", url.Values{"message": {"hello"}}), http.StatusNotFound)
	token, _ := e.newToken(e.outsider.ID, e.clock.Now().Add(time.Hour))
	for _, method := range []string{"GET", "POST"} {
		got, _ := e.apiCall(t, method, "/api/v1/reports/"+e.ref+"/messages", token, map[string]any{"text": "hello"})
		missing, _ := e.apiCall(t, method, "/api/v1/reports/"+tropic.NewReference()+"/messages", token, map[string]any{"text": "hello"})
		wantStatus(t, got, http.StatusNotFound)
		if got.body != missing.body {
			t.Errorf("%s: the outsider's answer %q differs from a missing report's %q", method, got.body, missing.body)
		}
	}
	// The reporter's broad status says passed to a partner, and nothing more.
	th := pageText(e.thread(t, e.code).body)
	wantContains(t, th, "Your report has been passed to a partner organisation.", "Dacorum here: which door do they use?")
	for _, leak := range []string{"Dacorum Borough Council", "SECRET-REASON", "licensing", "pat@dacorum.example"} {
		if strings.Contains(th, leak) {
			t.Errorf("the reporter's page shows %q", leak)
		}
	}
	ms, _ := e.srv.deps.Messages.FindReportMessages(ctx, tropic.ActorFor(e.triage), e.ref)
	if len(ms) != 1 || ms[0].Agency != "Dacorum Borough Council" {
		t.Errorf("messages %+v, want the partner's, named for staff", ms)
	}
}

func TestMessageProblemsNameTheFieldAndKeepWhatWasTyped(t *testing.T) {
	t.Parallel()
	e := newMessagesEnv(t, store.SQLite)
	staff := e.client(t)
	staff.signInWaived(e.triage.Email)
	path := "/triage/reports/" + e.ref

	res := staff.post(path+"/messages", url.Values{"message": {"   "}, "message_key": {tropic.NewFormKey()}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `<a href="#message">`, "Enter the message to the reporter")
	long := strings.Repeat("é", tropic.MaxMessage+1)
	res = staff.post(path+"/messages", url.Values{"message": {long}, "message_key": {tropic.NewFormKey()}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, "The message must be 2000 characters or fewer", long)

	for i := range tropic.StaffMessagesPerWindow {
		if res, _ := e.staffSend(t, staff, path, "Question "+string(rune('A'+i))); res.status != http.StatusSeeOther {
			t.Fatalf("message %d: %d", i+1, res.status)
		}
	}
	res, _ = e.staffSend(t, staff, path, "KEPT one question too many")
	wantStatus(t, res, http.StatusTooManyRequests)
	wantContains(t, res.body, `<a href="#message">`, "in the last hour", "KEPT one question too many")

	// The reporter's reply: too long is refused by the field, the thread shown, the text kept.
	th := e.thread(t, e.code)
	reply := rpHidden(th.body)
	reply.Set("reply", long)
	res = e.public.post("/report/follow-up/messages/reply", reply)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `<a href="#reply">`, "Your reply must be 2000 characters or fewer", long, "Question A")
}

func TestTheFollowUpPagesOfferTheMessages(t *testing.T) {
	t.Parallel()
	e := newMessagesEnv(t, store.SQLite)
	wantContains(t, e.public.get("/report/follow-up").body, `href="/report/follow-up/messages"`)
	// Before anyone writes: no reply form, and the page says so.
	th := pageText(e.thread(t, e.code).body)
	wantContains(t, th, "There are no messages yet.")
	if strings.Contains(th, "Send reply") {
		t.Error("a reply form before any message")
	}
	// Missing answers are each named.
	res := e.public.post("/report/follow-up/messages", url.Values{})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `<a href="#reference">`, `<a href="#code">`)
}

func TestTheBoxToBeEmailedIsOfferedOnlyWhenTheServiceSendsEmail(t *testing.T) {
	t.Parallel()
	e := newMessagesEnv(t, store.SQLite) // with a mailer
	for _, path := range []string{"/report/new", "/report/me/new"} {
		wantContains(t, e.public.get(path).body, `name="reporter_notify_consent"`, "Email me when the partnership sends me a message")
	}
	// Ticked with only a phone number: the box is named, and what was typed kept.
	answers := rpAnswers(tropic.NewFormKey(), e.clock.Now())
	answers.Set("reporter_contact", "07700 900123")
	answers.Set("reporter_notify_consent", "yes")
	res := e.public.post("/report/check", answers)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `<a href="#reporter_notify_consent">`, "07700 900123")

	without := newTestServer(t, Config{})
	for _, path := range []string{"/report/new", "/report/me/new"} {
		if body := without.client(t).get(path).body; strings.Contains(body, "reporter_notify_consent") {
			t.Errorf("%s offers e-mail although the service sends none", path)
		}
	}
}

// TestTheReporterMessagesSpeakEachLanguage reads the thread, replies, and meets the
// reply's problems in each shipped language: the page, its links, its forms and its
// problems keep the language.
func TestTheReporterMessagesSpeakEachLanguage(t *testing.T) {
	t.Parallel()
	e := newMessagesEnv(t, store.SQLite)
	staff := e.client(t)
	staff.signInWaived(e.triage.Email)
	if res, _ := e.staffSend(t, staff, "/triage/reports/"+e.ref, "Was the van white or silver?"); res.status != http.StatusSeeOther {
		t.Fatalf("staff message: %d", res.status)
	}
	long := strings.Repeat("é", tropic.MaxMessage+1)
	for _, tag := range ShippedLanguages() {
		cat := e.srv.locales.Catalogue(tag)
		l := &Layout{locales: e.srv.locales, lang: cat, Public: true}
		check := func(what string, res *response, want ...string) {
			t.Helper()
			if m := htmlLangRE.FindStringSubmatch(res.body); m == nil || m[1] != tag || m[2] != cat.Dir {
				t.Errorf("%s in %s: <html> says %v", what, tag, m)
			}
			if id := missingIDRE.FindString(res.body); id != "" {
				t.Errorf("%s in %s shows a missing message %s", what, tag, id)
			}
			if tag != defaultLang {
				publicLinksKeep(t, what, res.body, tag)
			}
			for _, w := range want {
				if !strings.Contains(res.body, html.EscapeString(w)) {
					t.Errorf("%s in %s does not say %q", what, tag, w)
				}
			}
		}
		q := "?lang=" + tag
		signin := e.public.get("/report/follow-up/messages" + q)
		wantStatus(t, signin, http.StatusOK)
		check("the sign-in page", signin, l.T("messages.title"), l.T("messages.show"))
		wrong := e.public.post("/report/follow-up/messages"+q, url.Values{})
		wantStatus(t, wrong, http.StatusUnprocessableEntity)
		check("the sign-in page with nothing typed", wrong, l.T("followup.reference_required"), l.T("followup.code_required"))

		th := e.public.post("/report/follow-up/messages"+q, url.Values{"reference": {e.ref}, "code": {e.code}})
		wantStatus(t, th, http.StatusOK)
		check("the thread", th, l.T("messages.partnership_wrote"), l.T("messages.status_received"), l.T("messages.send_reply"), "Was the van white or silver?")
		// The reply's character count says its live message in the language (the browser
		// test of every public page types into the other character counts).
		over := `data-i18n.characters-over-limit.other="` + html.EscapeString(strings.ReplaceAll(cat.Messages["form.count_over"].Forms["other"], "{count}", "%{count}")) + `"`
		if !strings.Contains(th.body, over) {
			t.Errorf("the reply's character count in %s lacks %s", tag, over)
		}

		reply := rpHidden(th.body)
		reply.Set("reply", long)
		res := e.public.post("/report/follow-up/messages/reply"+q, reply)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		check("a reply too long", res, l.T("problem.text_too_long", "label", l.T("label.reply"), "count", tropic.MaxMessage))
		reply.Set("reply", " ")
		res = e.public.post("/report/follow-up/messages/reply"+q, reply)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		check("an empty reply", res, l.T("problem.reply_required"))
	}
	// Past the limit of replies, the problem is in the reporter's language too.
	pl := &Layout{locales: e.srv.locales, lang: e.srv.locales.Catalogue("pl"), Public: true}
	var res *response
	for i := 0; i <= tropic.RepliesPerWindow; i++ {
		th := e.public.post("/report/follow-up/messages?lang=pl", url.Values{"reference": {e.ref}, "code": {e.code}})
		reply := rpHidden(th.body)
		reply.Set("reply", "Odpowiedź "+strconv.Itoa(i))
		res = e.public.post("/report/follow-up/messages/reply?lang=pl", reply)
	}
	wantStatus(t, res, http.StatusTooManyRequests)
	wantContains(t, res.body, html.EscapeString(pl.T("problem.reply_rate", "count", tropic.RepliesPerWindow)), "Odpowiedź "+strconv.Itoa(tropic.RepliesPerWindow))
	if _, ok := pl.publicProblem(tropic.CheckMessageRate(true, tropic.RepliesPerWindow).(*tropic.Error).Fields["reply"]); !ok {
		t.Error("the limit of replies has no translation")
	}
	// The reply before anyone wrote, and the domain's own words, have translations.
	msgs := []string{"To be emailed when a message waits, enter an email address in how to contact you, or untick this box"}
	for _, fe := range errorsFrom((&tropic.ReporterThread{}).MayReply(), "reply") {
		msgs = append(msgs, fe.Message)
	}
	for _, text := range []string{"", long} {
		var p tropic.Problems
		tropic.CheckMessage(&p, "reply", text)
		for _, fe := range errorsFrom(p.Err(), "reply") {
			msgs = append(msgs, fe.Message)
		}
	}
	if len(msgs) != 4 {
		t.Fatalf("problems %q", msgs)
	}
	for _, msg := range msgs {
		if _, ok := pl.publicProblem(msg); !ok {
			t.Errorf("%q has no translation", msg)
		}
	}
}
