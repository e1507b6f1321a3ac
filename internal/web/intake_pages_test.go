package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/tropic"
)

// codeOpens reports whether a follow-up code, as typed, opens its report's sealed code.
func codeOpens(sealed, code string) bool {
	ok, err := auth.VerifyPassword(tropic.HashFollowUpCode(code), sealed)
	return ok && err == nil
}

// intakeAnswers is a call a call handler takes on 101: someone in danger now, in St
// Albans, from a caller who agrees to be contacted.
func intakeAnswers(formKey string) url.Values {
	return url.Values{
		"form_key":               {formKey},
		"channel":                {string(tropic.ChannelPolice101)},
		"reporter_anonymous":     {"no"},
		"reporter_name":          {"Sam Caller"},
		"reporter_contact":       {"07700 900555, after 6pm"},
		"reporter_relationship":  {"public"},
		"description":            {"The caller saw a man pushed into a van outside the car wash.\r\nHe was shouting for help."},
		"in_danger":              {"yes"},
		"exploitation":           {"labour"},
		"address":                {"Sparkle Car Wash, London Road"},
		"postcode":               {"al13jx"},
		"district":               {"st-albans"},
		"people_count":           {"2"},
		"children_involved":      {"no"},
		"vehicle_1_registration": {"AB12 CDE"},
		"vehicle_1_description":  {"white van"},
		"phone_1":                {"07700 900123"},
	}
}

var intakeFormKeyRE = regexp.MustCompile(`name="form_key" value="([0-9a-f]{32})"`)

// intakeFormKey reads the form key the page gave.
func intakeFormKey(t *testing.T, body string) string {
	t.Helper()
	m := intakeFormKeyRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form key on the page:\n%s", body)
	}
	return m[1]
}

var intakeRefRE = regexp.MustCompile(`<strong class="app-reference" id="reference">([^<]+)</strong>`)

// intakeRef reads the reference the confirmation shows.
func intakeRef(t *testing.T, res *response) string {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("recording the call: %d\n%s", res.status, res.body)
	}
	m := intakeRefRE.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no reference on the confirmation:\n%s", res.body)
	}
	return m[1]
}

// queueRow is the triage queue's row of report ref, "" when the queue does not list it.
func queueRow(body, ref string) string {
	for _, row := range strings.Split(body, "<tr") {
		if strings.Contains(row, ref) {
			return row
		}
	}
	return ""
}

// TestIntakeRecordsACall: a call handler, from the navigation, records a 101 call on
// one page; the confirmation shows the reference and a follow-up code to read out,
// and the triage queue lists the report as a 101 call and an emergency, with the
// caller's details and the vehicle as typed.
func TestIntakeRecordsACall(t *testing.T) {
	e := newTriageEnv(t)
	ian := e.addStaff("ian@police.example", "Ian Call", e.ts.agency, tropic.RoleIntake)
	c := e.as(ian)

	home := c.get("/staff")
	if !strings.Contains(home.body, `href="/intake/reports/new"`) || !strings.Contains(home.body, "Record a call") {
		t.Fatalf("the call handler's navigation does not offer the page:\n%s", home.body)
	}
	page := c.get("/intake/reports/new")
	if page.status != http.StatusOK {
		t.Fatalf("GET /intake/reports/new: %d", page.status)
	}
	for _, want := range []string{`name="channel" type="radio" value="police_101"`, `value="999_transfer"`, `value="in_person"`, `value="partner"`, `value="helpline"`,
		"Does the caller agree to be contacted?", `aria-current="page">Record a call`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page.body, `value="web"`) {
		t.Error("the page offers the public form's channel")
	}
	if strings.Contains(page.body, "Exit this page") {
		t.Error("a staff page carries the public pages' Exit this page")
	}

	res := c.post("/intake/reports/new", intakeAnswers(intakeFormKey(t, page.body)))
	ref := intakeRef(t, res)
	for _, want := range []string{"Call recorded", `id="follow-up-code"`, "101 call", "Emergency", "transfer it now"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, res.body)
		}
	}

	stored, err := e.ts.srv.deps.Reports.FindReportByReference(context.Background(), tropic.ActorFor(e.priya), ref)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Channel != tropic.ChannelPolice101 || stored.Urgency != tropic.UrgencyEmergency || stored.Reporter.Anonymous ||
		stored.Reporter.Name != "Sam Caller" || stored.Location.Postcode != "AL1 3JX" || len(stored.Vehicles) != 1 || stored.Vehicles[0].Normalised != "AB12CDE" ||
		stored.CreatedByUser != ian.ID || stored.CreatedByAgency != e.ts.agency.ID {
		t.Errorf("stored report: channel %s, urgency %s, reporter %+v, postcode %q, vehicles %+v, by user %d agency %d",
			stored.Channel, stored.Urgency, stored.Reporter, stored.Location.Postcode, stored.Vehicles, stored.CreatedByUser, stored.CreatedByAgency)
	}
	code := regexp.MustCompile(`id="follow-up-code">([^<]+)<`).FindStringSubmatch(res.body)
	if code == nil || !codeOpens(stored.FollowUpHash, code[1]) {
		t.Errorf("the follow-up code read to the caller does not open the report (%v)", code)
	}

	queue := e.as(e.priya).get("/triage")
	row := queueRow(queue.body, ref)
	if row == "" {
		t.Fatalf("the triage queue does not list %s", ref)
	}
	if !strings.Contains(row, "<td class=\"govuk-table__cell\">101 call</td>") || !strings.Contains(row, ">Emergency</strong>") {
		t.Errorf("the queue's row does not say 101 call and Emergency:\n%s", row)
	}
}

// TestIntakeTriageRecordsACall: the triage hub records calls too, and "not sure"
// about children is raised for early review, as on the public form.
func TestIntakeTriageRecordsACall(t *testing.T) {
	e := newTriageEnv(t)
	c := e.as(e.priya)
	if home := c.get("/staff"); !strings.Contains(home.body, `href="/intake/reports/new"`) {
		t.Fatal("triage's navigation does not offer the call handlers' page")
	}
	v := intakeAnswers(tropic.NewFormKey())
	v.Set("channel", string(tropic.ChannelInPerson))
	v.Set("in_danger", "no")
	v.Set("children_involved", "not_sure")
	v.Set("reporter_anonymous", "yes")
	v.Set("reporter_name", "")
	v.Set("reporter_contact", "")
	ref := intakeRef(t, c.post("/intake/reports/new", v))
	row := queueRow(c.get("/triage").body, ref)
	if !strings.Contains(row, ">In person</td>") || !strings.Contains(row, ">Urgent</strong>") {
		t.Errorf("the queue's row does not say In person and Urgent:\n%s", row)
	}
}

// TestIntakeBadInputKeepsAnswers: a page with problems names each field, links to
// it, keeps everything typed, and records nothing. Written before readIntakeForm
// asked for the channel and the consent: without them a call was recorded as from
// the public form, its caller's consent guessed.
func TestIntakeBadInputKeepsAnswers(t *testing.T) {
	e := newTriageEnv(t)
	ian := e.addStaff("ian@police.example", "Ian Call", e.ts.agency, tropic.RoleIntake)
	c := e.as(ian)
	v := intakeAnswers(tropic.NewFormKey())
	v.Del("channel")
	v.Del("reporter_anonymous")
	v.Set("postcode", "NOT A POSTCODE")
	v.Set("phone_1", "call me")
	v.Set("people_count", "lots")
	v.Set("description", "   ")
	res := c.post("/intake/reports/new", v)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("got %d, want 422", res.status)
	}
	body := html.UnescapeString(res.body)
	for field, msg := range map[string]string{
		"channel":            "Choose how the report reached you",
		"reporter_anonymous": "Choose whether the caller agrees to be contacted",
		"postcode":           "Enter a real postcode",
		"phone_1":            "Enter a phone number",
		"people_count":       "Enter the number of people, like 4 or about 6",
		"description":        "Enter what you saw or heard",
	} {
		if !strings.Contains(body, `href="#`+field+`"`) || !strings.Contains(body, msg) {
			t.Errorf("the error summary does not name %s (%q)", field, msg)
		}
	}
	for _, kept := range []string{`value="NOT A POSTCODE"`, `value="call me"`, `value="lots"`, `value="Sam Caller"`, `value="AB12 CDE"`, `value="07700 900555, after 6pm"`} {
		if !strings.Contains(body, kept) {
			t.Errorf("the page lost %s", kept)
		}
	}
	if !strings.Contains(res.body, `value="labour" checked`) {
		t.Error("the page lost the ticked exploitation type")
	}
	if _, total, err := e.ts.srv.deps.Reports.FindReports(context.Background(), tropic.ActorFor(e.priya), tropic.ReportFilter{}); err != nil || total != 0 {
		t.Errorf("a page with problems recorded %d reports (%v)", total, err)
	}

	// The public form's channel is not the call handlers'.
	v = intakeAnswers(tropic.NewFormKey())
	v.Set("channel", string(tropic.ChannelWeb))
	if res := c.post("/intake/reports/new", v); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Choose how the report reached you") {
		t.Errorf("channel web: got %d", res.status)
	}
}

// TestIntakeSameFormKeyOneReport: the page sent twice (a double click, a refresh)
// records one report and shows it both times; another handler's form with the same
// key is another report; the same key with other answers changes nothing.
func TestIntakeSameFormKeyOneReport(t *testing.T) {
	e := newTriageEnv(t)
	ian := e.addStaff("ian@police.example", "Ian Call", e.ts.agency, tropic.RoleIntake)
	c := e.as(ian)
	key := intakeFormKey(t, c.get("/intake/reports/new").body)
	first := c.post("/intake/reports/new", intakeAnswers(key))
	ref := intakeRef(t, first)
	again := c.post("/intake/reports/new", intakeAnswers(key))
	if got := intakeRef(t, again); got != ref {
		t.Errorf("sent again: reference %s, want %s", got, ref)
	}
	if !strings.Contains(again.body, `id="sent-before"`) {
		t.Error("sent again, the page does not say no second report was made")
	}
	codeRE := regexp.MustCompile(`id="follow-up-code">([^<]+)<`)
	if a, b := codeRE.FindStringSubmatch(first.body), codeRE.FindStringSubmatch(again.body); a == nil || b == nil || a[1] != b[1] {
		t.Errorf("sent again, the follow-up code changed: %v, %v", a, b)
	}

	changed := intakeAnswers(key)
	changed.Set("description", "A different call altogether.")
	res := c.post("/intake/reports/new", changed)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "already recorded as a report with different answers") ||
		!strings.Contains(res.body, "A different call altogether.") || strings.Contains(res.body, `value="`+key+`"`) {
		t.Errorf("same key, other answers: got %d:\n%s", res.status, res.body)
	}

	other := e.addStaff("ida@police.example", "Ida Call", e.ts.agency, tropic.RoleIntake)
	if got := intakeRef(t, e.as(other).post("/intake/reports/new", intakeAnswers(key))); got == ref {
		t.Error("another call handler's form with the same key gave the first handler's report")
	}

	_, total, err := e.ts.srv.deps.Reports.FindReports(context.Background(), tropic.ActorFor(e.priya), tropic.ReportFilter{})
	if err != nil || total != 2 {
		t.Errorf("%d reports, want 2 (%v)", total, err)
	}
	stored, err := e.ts.srv.deps.Reports.FindReportByReference(context.Background(), tropic.ActorFor(e.priya), ref)
	if err != nil || strings.Contains(stored.Description, "different call") {
		t.Errorf("the first report changed: %v %q", err, stored.Description)
	}
}

// TestIntakeRefusedToOthers: a caseworker and an analyst get the missing page, and no
// "Record a call" in their navigation; nothing is recorded.
func TestIntakeRefusedToOthers(t *testing.T) {
	e := newTriageEnv(t)
	analyst := e.addStaff("ana@police.example", "Ana Lyst", e.ts.agency, tropic.RoleAnalyst)
	same := func(res *response) string {
		return strings.ReplaceAll(withoutNonce(res.body), res.header.Get("X-Request-Id"), "REQUEST-ID")
	}
	missing := same(e.as(e.caseworker).get("/no-such-page"))
	for _, u := range []*tropic.User{e.caseworker, analyst} {
		c := e.as(u)
		if home := c.get("/staff"); strings.Contains(home.body, "/intake/reports/new") {
			t.Errorf("%s: the navigation offers the call handlers' page", u.Email)
		}
		for _, res := range []*response{c.get("/intake/reports/new"), c.post("/intake/reports/new", intakeAnswers(tropic.NewFormKey()))} {
			if res.status != http.StatusNotFound || same(res) != missing {
				t.Errorf("%s: got %d, want the missing page", u.Email, res.status)
			}
		}
	}
	if _, total, err := e.ts.srv.deps.Reports.FindReports(context.Background(), tropic.ActorFor(e.priya), tropic.ReportFilter{}); err != nil || total != 0 {
		t.Errorf("refused users recorded %d reports (%v)", total, err)
	}
}

// TestIntakeAPIChannels: the API takes the same channels as the page, and refuses the
// public form's, naming those it takes.
func TestIntakeAPIChannels(t *testing.T) {
	e := newTriageEnv(t)
	ian := e.addStaff("ian@police.example", "Ian Call", e.ts.agency, tropic.RoleIntake)
	token, _ := e.ts.newToken(ian.ID, time.Time{})
	for _, c := range tropic.StaffChannels {
		res, created := jsonCall(t, e.ts, "POST", "/api/v1/reports", token, map[string]any{"channel": string(c), "description": "Seen through the " + string(c) + " channel.", "reporter": map[string]any{"anonymous": true}})
		if res.status != http.StatusCreated {
			t.Errorf("channel %s: %d %s", c, res.status, res.body)
			continue
		}
		stored, err := e.ts.srv.deps.Reports.FindReportByReference(context.Background(), tropic.ActorFor(e.priya), created["reference"].(string))
		if err != nil || stored.Channel != c {
			t.Errorf("channel %s: stored %v (%v)", c, stored, err)
		}
	}
	res, _ := jsonCall(t, e.ts, "POST", "/api/v1/reports", token, map[string]any{"channel": "web", "description": "As if online."})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "999_transfer") {
		t.Errorf("channel web: %d %s", res.status, res.body)
	}
}
