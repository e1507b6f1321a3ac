package web

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// The public report journey over real HTTP, as a browser without JavaScript uses it:
// plain form posts, no cookies, a real SQLite store behind.

// reportPagesEnv is a test server with the report service and two districts.
type reportPagesEnv struct {
	*testServer
	reports *store.ReportService
	triage  tropic.Actor // a triage user, who sees every report
}

func newReportPagesEnv(t testing.TB, cfg Config) *reportPagesEnv {
	t.Helper()
	var reports *store.ReportService
	ts := newTestServer(t, cfg, func(d *Deps) {
		reports = store.NewReportService(d.Health.(dbHealth).db, nil, phone.Parse)
		d.Reports, d.Phones = reports, phone.Parse
	})
	for _, d := range []tropic.District{{Slug: "st-albans", Name: "St Albans"}, {Slug: "watford", Name: "Watford"}} {
		if err := reports.CreateDistrict(context.Background(), testAdmin, d); err != nil {
			t.Fatalf("create district: %v", err)
		}
	}
	u := ts.addUser("triage@county.example", tropic.RoleTriage)
	return &reportPagesEnv{testServer: ts, reports: reports, triage: tropic.ActorFor(u)}
}

var (
	rpFormKeyRE   = regexp.MustCompile(`name="form_key" value="([0-9a-f]{32})"`)
	rpHiddenRE    = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
	rpReferenceRE = regexp.MustCompile(`id="reference">([^<]*)</strong>`)
	rpCodeRE      = regexp.MustCompile(`id="follow-up-code">([^<]*)</p>`)
)

// rpFormKey is the form key of a form page.
func rpFormKey(t testing.TB, body string) string {
	t.Helper()
	m := rpFormKeyRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form key on the page:\n%s", body)
	}
	return m[1]
}

// rpHidden reads the hidden fields of a page, as a browser would send them.
func rpHidden(body string) url.Values {
	v := url.Values{}
	for _, m := range rpHiddenRE.FindAllStringSubmatch(body, -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return v
}

// rpAnswers is a report with every question answered, as the form posts it.
func rpAnswers(formKey string, seen time.Time) url.Values {
	return url.Values{
		"form_key":               {formKey},
		"website":                {""},
		"description":            {"Four men sleep in the back of the car wash on Victoria Street.\r\nA man collects them in a van at 5am and they look exhausted."},
		"in_danger":              {"not_sure"},
		"address":                {"Sparkle Car Wash, behind the petrol station"},
		"postcode":               {"al13jx"},
		"district":               {"st-albans"},
		"seen_on_day":            {fmt.Sprint(seen.Day())},
		"seen_on_month":          {fmt.Sprint(int(seen.Month()))},
		"seen_on_year":           {fmt.Sprint(seen.Year())},
		"seen_when":              {"most mornings"},
		"exploitation":           {"labour", "criminal"},
		"county_lines":           {"yes"},
		"indicators":             {"documents_withheld", "excessive_hours", "live_where_work"},
		"people_count":           {"4"},
		"children_involved":      {"no"},
		"people_description":     {"Men in their twenties, thin, same clothes every day."},
		"vehicle_1_registration": {"ab12 cde"},
		"vehicle_1_description":  {"white Transit van"},
		"vehicle_2_registration": {""},
		"vehicle_2_description":  {""},
		"vehicle_3_registration": {"XY-65 ZZZ"},
		"vehicle_3_description":  {"black car"},
		"phone_1":                {"07700 900123"},
		"phone_2":                {""},
		"business_1":             {"Sparkle Car Wash"},
		"reporter_anonymous":     {"no"},
		"reporter_name":          {"Alex Example"},
		"reporter_contact":       {"alex@example.org, evenings"},
		"reporter_relationship":  {"professional"},
		"how_heard":              {"social_media"},
		"language":               {"Polish"},
	}
}

// sendReport posts answers to "Check your answers", then sends what that page holds,
// and returns the confirmation with its reference and follow-up code.
func (e *reportPagesEnv) sendReport(t testing.TB, c *client, answers url.Values) (ref, code string, res *response) {
	t.Helper()
	check := c.post("/report/check", answers)
	wantStatus(t, check, http.StatusOK)
	res = c.post("/report/submit", rpHidden(check.body))
	wantStatus(t, res, http.StatusOK)
	ref, code = rpSent(t, res.body)
	return ref, code, res
}

// rpSent reads the reference and follow-up code of a confirmation page.
func rpSent(t testing.TB, body string) (ref, code string) {
	t.Helper()
	r, c := rpReferenceRE.FindStringSubmatch(body), rpCodeRE.FindStringSubmatch(body)
	if r == nil || c == nil {
		t.Fatalf("no reference or follow-up code on the confirmation:\n%s", body)
	}
	return html.UnescapeString(r[1]), html.UnescapeString(c[1])
}

func (e *reportPagesEnv) reportCount(t testing.TB) int {
	t.Helper()
	var n int
	if err := e.db.SQL().QueryRow(`SELECT COUNT(*) FROM reports`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestReportSentWithPlainFormPostsIsStoredWithAllItsAnswers(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)

	start := c.get("/report")
	wantStatus(t, start, http.StatusOK)
	wantContains(t, start.body, "If someone is in immediate danger, call <a class=\"govuk-link\" href=\"tel:999\">999</a>", "08000 121 700", "101", `href="/report/new"`, "Start now", "Exit this page")
	if i999, iStart := strings.Index(mainContent(start.body), "999"), strings.Index(mainContent(start.body), "Start now"); i999 < 0 || i999 > iStart {
		t.Errorf("the 999 warning does not come before Start now")
	}

	form := c.get("/report/new")
	wantStatus(t, form, http.StatusOK)
	key := rpFormKey(t, form.body)
	wantContains(t, form.body, `name="website"`, `tabindex="-1"`, "Leave this empty", "Exit this page")

	seen := e.clock.Now().AddDate(0, 0, -3)
	check := c.post("/report/check", rpAnswers(key, seen))
	wantStatus(t, check, http.StatusOK)
	if title := pageTitle(check.body); !strings.HasPrefix(title, "Check your answers") {
		t.Errorf("title %q", title)
	}
	wantContains(t, check.body, "AL1 3JX", "St Albans", seen.Format("2 January 2006"), "Someone else holds their passport or ID", "ab12 cde: white Transit van", "Alex Example", "Social media")
	hidden := rpHidden(check.body)
	if hidden.Get("form_key") != key {
		t.Errorf("the check page carries form key %q, want %q", hidden.Get("form_key"), key)
	}

	sent := c.post("/report/submit", hidden)
	wantStatus(t, sent, http.StatusOK)
	if cc := sent.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("confirmation Cache-Control %q, want no-store", cc)
	}
	ref, code := rpSent(t, sent.body)
	if _, err := tropic.ParseReference(ref); err != nil {
		t.Fatalf("reference %q does not parse: %v", ref, err)
	}
	if code != tropic.FollowUpCode(key) {
		t.Errorf("follow-up code %q is not the one derived from the form key", code)
	}

	got, err := e.reports.FindReportByReference(context.Background(), e.triage, ref)
	if err != nil {
		t.Fatalf("the triage user cannot read report %s: %v", ref, err)
	}
	want := tropic.Report{
		Reference: ref, Channel: tropic.ChannelWeb,
		Description: "Four men sleep in the back of the car wash on Victoria Street.\nA man collects them in a van at 5am and they look exhausted.",
		Location:    tropic.Location{Address: "Sparkle Car Wash, behind the petrol station", Postcode: "AL1 3JX", District: "st-albans"},
		SeenOn:      seen.Format(time.DateOnly), SeenWhen: "most mornings", InDanger: tropic.AnswerNotSure,
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour, tropic.ExploitCriminal}, CountyLines: true},
		Indicators:   []tropic.Indicator{"documents_withheld", "excessive_hours", "live_where_work"},
		People:       tropic.People{Count: 4, ChildrenInvolved: tropic.AnswerNo, Description: "Men in their twenties, thin, same clothes every day."},
		Vehicles: []tropic.Vehicle{{Registration: "ab12 cde", Normalised: "AB12CDE", Description: "white Transit van"},
			{Registration: "XY-65 ZZZ", Normalised: "XY65ZZZ", Description: "black car"}},
		Phones:     []tropic.Phone{{Number: "07700 900123", E164: "+447700900123"}},
		Businesses: []string{"Sparkle Car Wash"},
		Reporter:   tropic.Reporter{Name: "Alex Example", Contact: "alex@example.org, evenings", Relationship: tropic.RelationshipProfessional},
		HowHeard:   "social_media", Language: "Polish", FormLanguage: "en",
		Urgency: tropic.UrgencyUrgent, Status: tropic.ReportNew,
	}
	if !codeOpens(got.FollowUpHash, code) {
		t.Errorf("the code shown does not open the stored (sealed) code %q", got.FollowUpHash)
	}
	got.ID, got.ReceivedAt, got.UrgencyReason, got.FollowUpHash = 0, time.Time{}, "", ""
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("stored report:\n got %+v\nwant %+v", *got, want)
	}
	queue, _, err := e.reports.FindReports(context.Background(), e.triage, tropic.ReportFilter{})
	if err != nil || len(queue) != 1 || queue[0].Reference != ref {
		t.Errorf("the triage queue holds %v (%v), want report %s", queue, err, ref)
	}

	// Someone in danger: the confirmation says to call 999 before anything else.
	danger := rpAnswers(tropic.NewFormKey(), seen)
	danger.Set("in_danger", "yes")
	ref, _, res := e.sendReport(t, c, danger)
	page := mainContent(res.body)
	if i999, iPanel := strings.Index(page, "Call <a class=\"govuk-link\" href=\"tel:999\">999</a> now"), strings.Index(page, "govuk-panel"); i999 < 0 || i999 > iPanel {
		t.Errorf("the confirmation of a report of someone in danger does not put 999 first:\n%s", page)
	}
	if got, err := e.reports.FindReportByReference(context.Background(), e.triage, ref); err != nil || got.Urgency != tropic.UrgencyEmergency {
		t.Errorf("a report of someone in danger is stored as %v (%v), want an emergency", got, err)
	}
}

func TestReportFormErrorsAnswer422NamingTheFieldAndKeepEveryAnswer(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	seen := e.clock.Now().AddDate(0, 0, -3)
	tests := []struct {
		name    string
		change  url.Values
		field   string // the id the error summary links to
		message string
	}{
		{"An invalid postcode is named, with the other answers kept.", url.Values{"postcode": {"AL1 XXX"}}, "postcode", "Enter a real postcode"},
		{"A missing description is named.", url.Values{"description": {"  "}}, "description", "Enter what you saw or heard"},
		{"A date without a year is named.", url.Values{"seen_on_year": {""}}, "seen_on", "must include a year"},
		{"A date that does not exist is named.", url.Values{"seen_on_day": {"31"}, "seen_on_month": {"2"}}, "seen_on", "must be a real date"},
		{"A date in the future is named.", url.Values{"seen_on_year": {fmt.Sprint(seen.Year() + 1)}}, "seen_on", "today or in the past"},
		{"A number of people that is not a number is named.", url.Values{"people_count": {"lots"}}, "people_count", "like 4 or about 6"},
		{"A number of people too large is named.", url.Values{"people_count": {"99999999999999999999"}}, "people_count", "between 1 and 1000"},
		{"A phone number that cannot be one is named.", url.Values{"phone_1": {"call me maybe"}}, "phone_1", "Enter a phone number"},
		{"A bad registration is named by its row.", url.Values{"vehicle_3_registration": {"AB12 CDE!"}}, "vehicle_2_registration", "letters and numbers only"},
		{"A control character in a business name is named.", url.Values{"business_2": {"Nails\x07 4 U"}}, "business_2", "must not contain control characters"},
		{"A control character in the description is named.", url.Values{"description": {"bell\x07"}}, "description", "must not contain control characters"},
		{"A district that does not exist is named.", url.Values{"district": {"atlantis"}}, "district", "Choose a district"},
		{"A made-up kind of exploitation is named.", url.Values{"exploitation": {"pirate"}}, "exploitation", "from the list"},
		{"Giving details without any is named.", url.Values{"reporter_name": {""}, "reporter_contact": {""}}, "reporter_contact", "so we can contact you"},
		{"An answer to stay anonymous that is neither is named.", url.Values{"reporter_anonymous": {"maybe"}}, "reporter_anonymous", "stay anonymous"},
		{"A description that is too long is named.", url.Values{"description": {strings.Repeat("a", tropic.MaxDescription+1)}}, "description", "5000 characters or fewer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.client(t)
			key := tropic.NewFormKey()
			answers := rpAnswers(key, seen)
			for k, v := range tt.change {
				answers[k] = v
			}
			for _, path := range []string{"/report/check", "/report/submit"} {
				res := c.post(path, answers)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				if title := pageTitle(res.body); !strings.HasPrefix(title, "Error: ") {
					t.Errorf("%s: title %q, want an Error: prefix", path, title)
				}
				wantContains(t, res.body, `<a href="#`+tt.field+`">`, tt.message, `id="`+tt.field+`"`, `id="`+tt.field+`-error"`)
				if rpFormKey(t, res.body) != key {
					t.Errorf("%s: the form key changed", path)
				}
				// Every other answer is still there.
				keep := []string{`value="most mornings"`, `value="Polish"`, `value="Sparkle Car Wash"`,
					`value="documents_withheld" checked`, `value="social_media" checked`, `value="professional" checked`,
					"Men in their twenties", "behind the petrol station"}
				unless := func(field string, wants ...string) {
					if tt.field != field {
						keep = append(keep, wants...)
					}
				}
				unless("description", "Four men sleep in the back of the car wash")
				unless("postcode", `value="AL1 3JX"`)
				unless("district", `value="st-albans" selected`)
				unless("people_count", `value="4"`)
				unless("vehicle_2_registration", `value="ab12 cde"`, `value="XY-65 ZZZ"`)
				unless("phone_1", `value="07700 900123"`)
				unless("reporter_contact", `value="Alex Example"`)
				unless("seen_on", fmt.Sprintf(`name="seen_on_year" type="text" inputmode="numeric" value="%d"`, seen.Year()))
				wantContains(t, res.body, keep...)
			}
			if n := e.reportCount(t); n != 0 {
				t.Errorf("%d reports stored from invalid forms", n)
			}
		})
	}
}

func TestReportSameFormKeyTwiceMakesOneReportWithTheSameReferenceAndCode(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	key := rpFormKey(t, c.get("/report/new").body)
	check := c.post("/report/check", rpAnswers(key, e.clock.Now()))
	wantStatus(t, check, http.StatusOK)
	hidden := rpHidden(check.body)

	// A double click: two at once. Then a refresh, and back and send again.
	type result struct{ ref, code string }
	results := make([]result, 4)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := c.post("/report/submit", hidden)
			if res.status != http.StatusOK {
				t.Errorf("submit %d: got %d", i, res.status)
				return
			}
			// Not rpSent: t.Fatal must not be called from this goroutine.
			r, cd := rpReferenceRE.FindStringSubmatch(res.body), rpCodeRE.FindStringSubmatch(res.body)
			if r == nil || cd == nil {
				t.Errorf("submit %d: no reference or code", i)
				return
			}
			results[i] = result{r[1], cd[1]}
		}()
	}
	wg.Wait()
	for i := 2; i < 4; i++ {
		r, cd := rpSent(t, c.post("/report/submit", hidden).body)
		results[i] = result{r, cd}
	}
	for i, r := range results[1:] {
		if r != results[0] {
			t.Errorf("submission %d showed %v, the first %v", i+2, r, results[0])
		}
	}
	if n := e.reportCount(t); n != 1 {
		t.Errorf("%d reports stored, want 1", n)
	}
	// A new form makes a new report.
	other, _, _ := e.sendReport(t, c, rpAnswers(tropic.NewFormKey(), e.clock.Now()))
	if other == results[0].ref {
		t.Errorf("a second form got the first form's reference")
	}
}

// Hole 11: a report changed after it was sent was dropped while the page said
// "Report sent"; the stored report stayed routine though the reporter then said
// someone is in immediate danger.
func TestReportChangedAfterSendingIsAddedToTheReportAndTheReporterIsTold(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	key := rpFormKey(t, c.get("/report/new").body)
	answers := rpAnswers(key, e.clock.Now())
	answers.Set("in_danger", "no")
	answers["indicators"] = []string{"excessive_hours"}
	ref, code, _ := e.sendReport(t, c, answers)
	first, err := e.reports.FindReportByReference(context.Background(), e.triage, ref)
	if err != nil || first.Urgency != tropic.UrgencyRoutine {
		t.Fatalf("first report: %v %+v, want a routine report", err, first)
	}

	// Back in the browser, the reporter changes an answer and sends the same form again.
	answers.Set("in_danger", "yes")
	answers.Set("people_description", "One of them was bleeding.")
	ref2, code2, res := e.sendReport(t, c, answers)
	if ref2 != ref || code2 != code {
		t.Errorf("the second sending showed %s %s, want the first report's %s %s", ref2, code2, ref, code)
	}
	wantContains(t, res.body, "already sent", "added the answers you changed", "Call <a class=\"govuk-link\" href=\"tel:999\">999</a> now")
	if strings.Contains(res.body, "<h1 class=\"govuk-panel__title\">Report sent</h1>") {
		t.Error("the page says only \"Report sent\", as if nothing had changed")
	}
	got, err := e.reports.FindReportByReference(context.Background(), e.triage, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got.Urgency != tropic.UrgencyEmergency || !got.NeedsAttention {
		t.Errorf("urgency %q, needs attention %v; want emergency, flagged for triage", got.Urgency, got.NeedsAttention)
	}
	if len(got.Notes) != 1 || !strings.Contains(got.Notes[0].Text, "One of them was bleeding.") || !strings.Contains(got.Notes[0].Text, "Anyone in immediate danger: Yes") {
		t.Errorf("timeline %+v, want the changed answers", got.Notes)
	}
	if n := e.reportCount(t); n != 1 {
		t.Errorf("%d reports stored, want 1", n)
	}
}

// Hole 13: the form and the API share one text rule, which refuses bytes that are
// not UTF-8 and characters that reorder text.
func TestReportFormRefusesBidiControlsAndBytesThatAreNotText(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	answers := rpAnswers(tropic.NewFormKey(), e.clock.Now())
	answers.Set("description", "Pay the invoice \u202egnp.exe")
	answers.Set("address", "Victoria Street \u2066")
	res := c.post("/report/check", answers)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `<a href="#description">`, "must not contain characters that change the direction of the text", `<a href="#address">`)
	answers.Set("description", "Victoria Street \xff")
	wantStatus(t, c.post("/report/check", answers), http.StatusBadRequest)
	follow := c.post("/report/follow-up", url.Values{"reference": {tropic.NewReference()}, "code": {"AAAAA-AAAAA"}, "information": {"see \u2067this"}})
	wantStatus(t, follow, http.StatusUnprocessableEntity)
	wantContains(t, follow.body, `<a href="#information">`, "change the direction of the text")
	if n := e.reportCount(t); n != 0 {
		t.Errorf("%d reports stored, want none", n)
	}
}

func TestReportFollowUpCodeAndFormKeyAreNotStoredInClear(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	key := tropic.NewFormKey()
	ref, code, _ := e.sendReport(t, c, rpAnswers(key, e.clock.Now()))
	if res := c.post("/report/follow-up", url.Values{"reference": {ref}, "code": {code}, "information": {"The van is back."}}); res.status != http.StatusSeeOther {
		t.Fatalf("follow-up: got %d", res.status)
	}
	// Look everywhere: every column of every row of every table.
	// Nor its SHA-256 form (issue 19, item 6): only the sealed code, which that opens.
	secrets := []string{code, strings.ReplaceAll(code, "-", ""), key, tropic.HashFollowUpCode(code)}
	db := e.db.SQL()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	found := 0
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				for _, secret := range secrets {
					if strings.Contains(strings.ToUpper(string(v)), strings.ToUpper(secret)) {
						t.Errorf("table %s column %s holds %q in clear", table, cols[i], secret)
					}
				}
				if strings.HasPrefix(string(v), "$argon2id$") && codeOpens(string(v), code) {
					found++
				}
			}
		}
		rows.Close()
	}
	if found != 1 {
		t.Errorf("the follow-up code is stored sealed %d times, want once", found)
	}
}

func TestReportFollowUp(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	ref, code, _ := e.sendReport(t, c, rpAnswers(tropic.NewFormKey(), e.clock.Now()))

	t.Run("The follow-up form is a public page with Exit this page.", func(t *testing.T) {
		res := c.get("/report/follow-up")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, "Exit this page", `id="reference"`, `id="code"`, `id="information"`)
	})

	t.Run("Information with the right reference and code is added to the timeline.", func(t *testing.T) {
		// Typed as people do: lower case, spaces, O for 0.
		typedRef := strings.ToLower(strings.ReplaceAll(ref, "-", " "))
		res := c.post("/report/follow-up", url.Values{"reference": {typedRef}, "code": {strings.ToLower(code)}, "information": {"The van is back,\r\nwith two new men."}})
		wantRedirect(t, res, "/report/follow-up/done")
		done := c.get("/report/follow-up/done")
		wantStatus(t, done, http.StatusOK)
		wantContains(t, done.body, "Information added to your report", "Exit this page")
		got, err := e.reports.FindReportByReference(context.Background(), e.triage, ref)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(got.Notes); n != 1 || got.Notes[0].Source != "reporter" || got.Notes[0].Text != "The van is back,\nwith two new men." {
			t.Errorf("timeline %+v, want the reporter's note", got.Notes)
		}
	})

	t.Run("A wrong code and an unknown reference get the same answer.", func(t *testing.T) {
		wrong := c.post("/report/follow-up", url.Values{"reference": {ref}, "code": {"AAAAA-AAAAA"}, "information": {"x"}})
		unknown := c.post("/report/follow-up", url.Values{"reference": {tropic.NewReference()}, "code": {"AAAAA-AAAAA"}, "information": {"x"}})
		wantStatus(t, wrong, http.StatusUnprocessableEntity)
		wantStatus(t, unknown, http.StatusUnprocessableEntity)
		wantContains(t, wrong.body, "The reference or the follow-up code is not right", `value="AAAAA-AAAAA"`, ">\nx</textarea>")
		refValue := regexp.MustCompile(`value="[0-9A-Z]{4}-[0-9A-Z]{3,4}-[0-9A-Z]{1,3}"`)
		strip := func(body string) string { return refValue.ReplaceAllString(mainContent(body), `value="REF"`) }
		if a, b := strip(wrong.body), strip(unknown.body); a != b {
			t.Errorf("the pages differ:\n%s\n---\n%s", a, b)
		}
	})

	t.Run("A mistyped reference is recognised as such, and what was typed is kept.", func(t *testing.T) {
		typo := ref[:len(ref)-1] + string("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(strings.Index("0123456789ABCDEFGHJKMNPQRSTVWXYZ", ref[len(ref)-1:])+1)%32])
		res := c.post("/report/follow-up", url.Values{"reference": {typo}, "code": {code}, "information": {"More news."}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "Check the reference: one of its characters is not right", `<a href="#reference">`, `value="`+typo+`"`, `value="`+code+`"`, "More news.")
	})

	t.Run("Missing answers are each named.", func(t *testing.T) {
		res := c.post("/report/follow-up", url.Values{})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `<a href="#reference">`, `<a href="#code">`, `<a href="#information">`)
	})
}

// followUpFrom posts a follow-up from the client address addr.
func (e *reportPagesEnv) followUpFrom(addr, ref, code string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/report/follow-up", strings.NewReader(url.Values{"reference": {ref}, "code": {code}, "information": {"x"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr + ":1234"
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, req)
	return w
}

func TestReportFollowUpIsThrottled(t *testing.T) {
	t.Parallel()

	t.Run("Wrong codes from one address are stopped after the limit.", func(t *testing.T) {
		e := newReportPagesEnv(t, Config{})
		c := e.client(t)
		var refs []string
		for range 2 {
			ref, _, _ := e.sendReport(t, c, rpAnswers(tropic.NewFormKey(), e.clock.Now()))
			refs = append(refs, ref)
		}
		// Spread over two reports, so that the store's per-report limit is not what stops them.
		for i := range followUpLimit {
			res := c.post("/report/follow-up", url.Values{"reference": {refs[i%2]}, "code": {"AAAAA-AAAAA"}, "information": {"x"}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
		}
		res := c.post("/report/follow-up", url.Values{"reference": {refs[0]}, "code": {"AAAAA-AAAAA"}, "information": {"kept"}})
		wantStatus(t, res, http.StatusTooManyRequests)
		wantContains(t, res.body, "too many attempts", "kept")
		if res.header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		e.clock.Advance(followUpLimitWindow)
		wantStatus(t, c.post("/report/follow-up", url.Values{"reference": {refs[0]}, "code": {"AAAAA-AAAAA"}, "information": {"x"}}), http.StatusUnprocessableEntity)
	})

	t.Run("Wrong codes for one report are counted whatever their addresses, and never stop the right code.", func(t *testing.T) {
		e := newReportPagesEnv(t, Config{})
		ref, code, _ := e.sendReport(t, e.client(t), rpAnswers(tropic.NewFormKey(), e.clock.Now()))
		post := func(addr, code string) *httptest.ResponseRecorder { return e.followUpFrom(addr, ref, code) }
		for i := range 10 {
			if w := post(fmt.Sprintf("192.0.2.%d", i+1), "AAAAA-AAAAA"); w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("wrong code %d: got %d", i, w.Code)
			}
		}
		// A wrong code for a report guessed at answers as any wrong code does.
		if w := post("198.51.100.2", "AAAAA-AAAAA"); w.Code != http.StatusUnprocessableEntity || strings.Contains(w.Body.String(), "too many attempts") {
			t.Errorf("wrong code after 10 wrong ones: got %d\n%s", w.Code, w.Body)
		}
		// The right code always gets through (hole 12).
		if w := post("198.51.100.1", code); w.Code != http.StatusSeeOther {
			t.Errorf("right code after 10 wrong ones: got %d\n%s", w.Code, w.Body)
		}
	})
}

// Hole 12: ten wrong codes locked the genuine reporter out for an hour, and the
// lock told an attacker that the reference exists.
func TestReportFollowUpRightCodeGetsThroughAfterAnAttackersWrongCodes(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	ref, code, _ := e.sendReport(t, c, rpAnswers(tropic.NewFormKey(), e.clock.Now()))
	// 50 wrong codes from the reporter's own connection (a shared address), over real HTTP.
	for i := range 50 {
		res := c.post("/report/follow-up", url.Values{"reference": {ref}, "code": {fmt.Sprintf("AAAAA-%05d", i)}, "information": {"x"}})
		if res.status != http.StatusUnprocessableEntity && res.status != http.StatusTooManyRequests {
			t.Fatalf("wrong code %d: got %d", i, res.status)
		}
	}
	res := c.post("/report/follow-up", url.Values{"reference": {ref}, "code": {code}, "information": {"They moved the men to a house on Hatfield Road."}})
	wantRedirect(t, res, "/report/follow-up/done")
	got, err := e.reports.FindReportByReference(context.Background(), e.triage, ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Notes) != 1 || !strings.Contains(got.Notes[0].Text, "Hatfield Road") {
		t.Errorf("timeline %+v, want the reporter's information", got.Notes)
	}
}

func TestReportFollowUpUnknownLockedAndWrongAnswerAlike(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	fresh, _, _ := e.sendReport(t, c, rpAnswers(tropic.NewFormKey(), e.clock.Now()))
	locked, _, _ := e.sendReport(t, c, rpAnswers(tropic.NewFormKey(), e.clock.Now()))
	unknown := tropic.NewReference()
	post := func(addr, ref string) *httptest.ResponseRecorder { return e.followUpFrom(addr, ref, "AAAAA-AAAAA") }
	for i := range 20 {
		post(fmt.Sprintf("192.0.2.%d", i+1), locked)
	}
	answers := map[string]*httptest.ResponseRecorder{
		"wrong code":        post("203.0.113.1", fresh),
		"locked reference":  post("203.0.113.2", locked),
		"unknown reference": post("203.0.113.3", unknown),
	}
	// What may differ: the reference as typed, which the page shows again, and what
	// every request has of its own (date, nonce, request id). Nothing else.
	norm := func(w *httptest.ResponseRecorder, ref string) string {
		h := w.Header().Clone()
		h.Del("Date")
		h.Del("Content-Security-Policy") // the nonce
		h.Del("X-Request-Id")
		return fmt.Sprintf("%d\n%v\n%s", w.Code, h, strings.ReplaceAll(withoutNonce(w.Body.String()), ref, "REF"))
	}
	want := norm(answers["wrong code"], fresh)
	if !strings.HasPrefix(want, "422") || !strings.Contains(want, "The reference or the follow-up code is not right") {
		t.Fatalf("a wrong code answers\n%s", want)
	}
	for name, ref := range map[string]string{"locked reference": locked, "unknown reference": unknown} {
		if got := norm(answers[name], ref); got != want {
			t.Errorf("a %s answers otherwise than a wrong code:\n%s\n---\n%s", name, got, want)
		}
	}
}

func TestReportRefusals(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})

	t.Run("A filled-in honeypot is refused with 400 and nothing is stored.", func(t *testing.T) {
		c := e.client(t)
		for _, path := range []string{"/report/check", "/report/submit"} {
			answers := rpAnswers(tropic.NewFormKey(), e.clock.Now())
			answers.Set("website", "http://spam.example")
			res := c.post(path, answers)
			wantStatus(t, res, http.StatusBadRequest)
			wantContains(t, res.body, "Your report was not sent", "08000 121 700", "Exit this page", "Go back to your answers")
			if back := rpHidden(res.body); back.Get("description") == "" || back.Has("website") {
				t.Errorf("%s: the refusal carries back %v", path, back)
			}
		}
		if n := e.reportCount(t); n != 0 {
			t.Errorf("%d reports stored", n)
		}
	})

	t.Run("A form without a valid key is shown again to check, with a new key, and is not sent.", func(t *testing.T) {
		c := e.client(t)
		for _, key := range []string{"", "not-a-key", strings.Repeat("A", 32)} {
			before := e.reportCount(t)
			res := c.post("/report/submit", rpAnswers(key, e.clock.Now()))
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res.body, "This form has expired", "Four men sleep", "Send report")
			hidden := rpHidden(res.body)
			if !tropic.ValidFormKey(hidden.Get("form_key")) {
				t.Fatalf("no new form key: %q", hidden.Get("form_key"))
			}
			if n := e.reportCount(t); n != before {
				t.Errorf("a report was stored without a form key")
			}
			sent := c.post("/report/submit", hidden)
			wantStatus(t, sent, http.StatusOK)
		}
	})

	t.Run("A body over the limit is refused with 413.", func(t *testing.T) {
		res := e.client(t).post("/report/check", url.Values{"description": {strings.Repeat("a", int(e.cfg.MaxFormBytes))}})
		wantStatus(t, res, http.StatusRequestEntityTooLarge)
		wantContains(t, res.body, "What you sent is too large")
	})

	t.Run("A malformed body is refused with 400.", func(t *testing.T) {
		for _, body := range []string{"description=%zz", "description=a;b", "description=%ff"} {
			res := e.client(t).postRaw("/report/submit", body)
			wantStatus(t, res, http.StatusBadRequest)
			wantContains(t, res.body, "The form could not be read")
		}
	})
}

func TestReportSendingIsRateLimitedPerAddress(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	for range reportLimit {
		e.sendReport(t, c, rpAnswers(tropic.NewFormKey(), e.clock.Now()))
	}
	check := c.post("/report/check", rpAnswers(tropic.NewFormKey(), e.clock.Now()))
	res := c.post("/report/submit", rpHidden(check.body))
	wantStatus(t, res, http.StatusTooManyRequests)
	wantContains(t, res.body, "Your report has not been sent yet", "Try again in 10 minutes", "Go back to your answers", "Four men sleep")
	if res.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if n := e.reportCount(t); n != reportLimit {
		t.Errorf("%d reports stored, want %d", n, reportLimit)
	}
	// The answers go back to "Check your answers", and can be sent once the window has passed.
	back := c.post("/report/check", rpHidden(res.body))
	wantStatus(t, back, http.StatusOK)
	e.clock.Advance(reportLimitWindow)
	wantStatus(t, c.post("/report/submit", rpHidden(back.body)), http.StatusOK)

	t.Run("A negative limit in the configuration means no limit.", func(t *testing.T) {
		e := newReportPagesEnv(t, Config{ReportRateLimit: -1})
		c := e.client(t)
		for range reportLimit + 2 {
			e.sendReport(t, c, rpAnswers(tropic.NewFormKey(), e.clock.Now()))
		}
	})
}

func TestReportChangeShowsTheFormFilledInAgain(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	key := tropic.NewFormKey()
	check := c.post("/report/check", rpAnswers(key, e.clock.Now()))
	wantContains(t, check.body, `formaction="/report/edit#postcode"`, `formaction="/report/edit#vehicle_1_registration"`)
	res := c.post("/report/edit", rpHidden(check.body))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, `value="AL1 3JX"`, `value="ab12 cde"`, `value="XY-65 ZZZ"`, `name="add" value="vehicles" formaction="/report/edit#vehicle_3_registration"`, `value="Alex Example"`,
		`id="reporter_anonymous-2" name="reporter_anonymous" type="radio" value="no" checked`, `value="labour" checked`, `value="yes" checked aria-describedby="county_lines-item-hint"`)
	if got := rpFormKey(t, res.body); got != key {
		t.Errorf("form key %q after Change, want %q", got, key)
	}
	if pageTitle(res.body) != "Report a concern – "+e.cfg.PartnershipName {
		t.Errorf("title %q", pageTitle(res.body))
	}
}

func TestReportPublicPagesSetNoCookie(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	answers := rpAnswers(tropic.NewFormKey(), e.clock.Now())
	check := c.post("/report/check", answers)
	sent := c.post("/report/submit", rpHidden(check.body))
	ref, code := rpSent(t, sent.body)
	for _, res := range []*response{
		c.get("/report"), c.get("/report/new"), check, sent, c.post("/report/edit", rpHidden(check.body)),
		c.post("/report/check", url.Values{}), c.get("/report/follow-up"),
		c.post("/report/follow-up", url.Values{"reference": {ref}, "code": {code}, "information": {"x"}}), c.get("/report/follow-up/done"),
	} {
		if len(res.header.Values("Set-Cookie")) > 0 {
			t.Errorf("a public report page set a cookie: %v", res.header.Values("Set-Cookie"))
		}
	}
	if c.sessionToken() != "" {
		t.Error("the browser holds a session cookie after reporting")
	}
}

func TestReportDecodeAndEncodeRoundTrip(t *testing.T) {
	key := tropic.NewFormKey()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	districts := []tropic.District{{Slug: "st-albans", Name: "St Albans"}}
	howHeard := []tropic.HowHeardOption{{Code: "social_media", Label: "Social media"}}
	r, gotKey, p := decodeReportForm(rpAnswers(key, now.AddDate(0, 0, -1)))
	if !p.Empty() || gotKey != key {
		t.Fatalf("decode: problems %v, key %q", p.Order(), gotKey)
	}
	if err := r.Validate(districts, howHeard, phone.Parse, now); err != nil {
		t.Fatal(err)
	}
	again, _, p := decodeReportForm(encodeReportForm(r, key))
	if !p.Empty() {
		t.Fatalf("decode of the encoded report: %v", p.Order())
	}
	if err := again.Validate(districts, howHeard, phone.Parse, now); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r, again) {
		t.Errorf("round trip changed the report:\n got %+v\nwant %+v", again, r)
	}
}

func TestReportDateInput(t *testing.T) {
	tests := []struct {
		day, month, year string
		want, problem    string
	}{
		{"", "", "", "", ""},
		{"5", "11", "2026", "2026-11-05", ""},
		{" 05 ", "Nov", "2026", "2026-11-05", ""},
		{"5", "november", "2026", "2026-11-05", ""},
		{"5", "Sept", "2026", "2026-09-05", ""},
		{"5", "", "2026", "", "must include a month"},
		{"", "", "2026", "", "must include a day and month"},
		{"29", "2", "2025", "", "real date"},
		{"29", "2", "2024", "2024-02-29", ""},
		{"5", "13", "2026", "", "real date"},
		{"5", "11", "26", "", "4 numbers"},
		{"-1", "11", "2026", "", "real date"},
		{"5", "Novembers", "2026", "", "real date"},
		{"5", "no", "2026", "", "real date"},
		{"x", "11", "2026", "", "real date"},
	}
	for _, tt := range tests {
		got, problem := decodeReportDate(tt.day, tt.month, tt.year)
		if got != tt.want || !strings.Contains(problem, tt.problem) || (tt.problem == "") != (problem == "") {
			t.Errorf("decodeReportDate(%q, %q, %q) = %q, %q; want %q, %q", tt.day, tt.month, tt.year, got, problem, tt.want, tt.problem)
		}
	}
}

// FuzzDecodeReportForm sends arbitrary form bodies: decoding never panics, a valid
// report survives the trip through "Check your answers" unchanged, and the pages
// never answer 500.
func FuzzDecodeReportForm(f *testing.F) {
	e := newReportPagesEnv(f, Config{MaxFormBytes: 16 << 10})
	now := e.clock.Now()
	f.Add(rpAnswers(tropic.NewFormKey(), now.AddDate(0, 0, -2)).Encode())
	for _, s := range []string{"", "description=hello", "description=%00", "description=a%0D%0D%0Ab", "description=x&in_danger=maybe",
		"description=x&exploitation=sexual&exploitation=not_specified&county_lines=1", "description=x&seen_on_day=31&seen_on_month=Feb&seen_on_year=2026",
		"description=x&people_count=-1", "description=x&vehicle_11_registration=AB12CDE", "description=x&reporter_anonymous=yes&reporter_name=Sam",
		"description=x&how_heard=campaign:spot-the-signs", "description=x&phone_1=%2B44+7700+900123&business_10=Shop", "a=%zz", "=&&=",
		"description=x&form_key=" + strings.Repeat("0", 32), "description=x&language=" + strings.Repeat("%C3%A9", 40), "description=x&website=spam"} {
		f.Add(s)
	}
	districts, err := e.reports.FindDistricts(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	howHeard, err := e.srv.deps.Reference.FindHowHeardOptions(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if v, err := url.ParseQuery(body); err == nil {
			r, key, p := decodeReportForm(v)
			if p.Empty() && r.Validate(districts, howHeard, phone.Parse, now) == nil {
				again, _, p2 := decodeReportForm(encodeReportForm(r, key))
				if !p2.Empty() || again.Validate(districts, howHeard, phone.Parse, now) != nil || !reflect.DeepEqual(r, again) {
					t.Fatalf("body %q: the report changed on its way through Check your answers:\n got %+v\nwant %+v", body, again, r)
				}
			}
		}
		for _, path := range []string{"/report/check", "/report/edit", "/report/submit"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			e.srv.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("POST %s %q: got %d\n%s", path, body, w.Code, w.Body)
			}
		}
	})
}
