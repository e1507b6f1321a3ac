package web

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/tropic"
)

// apiCall sends a JSON request with a bearer token and decodes the JSON answer.
func apiCall(t *testing.T, ts *testServer, method, path, token, body string, headers ...string) (int, map[string]any) {
	t.Helper()
	c := ts.client(t)
	var req *http.Request
	if body == "" {
		req = c.newRequest(method, path, nil)
	} else {
		req = c.newRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res := c.do(req)
	var out map[string]any
	if err := json.Unmarshal([]byte(res.body), &out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v\n%s", method, path, err, res.body)
	}
	return res.status, out
}

const helplineReport = `{"description": "Four men sleep in the back of the car wash on Victoria Street; a man collects them in a van at 5am.",
 "location": {"address": "Victoria Street car wash", "postcode": "al1 3jx", "district": "st-albans"},
 "seen_on": "2026-11-20", "exploitation_types": ["labour"], "indicators": ["documents_withheld", "live_where_work"],
 "people": {"count": 4, "children_involved": false, "description": "Young men, one limping"},
 "vehicles": [{"registration": "ab12 cde", "description": "white van"}],
 "phones": ["07700 900123"], "businesses": ["Sparkle Hand Car Wash Ltd"],
 "reporter": {"anonymous": true}, "how_heard": "poster_or_leaflet", "channel": "helpline"}`

func TestReportAPI(t *testing.T) {
	ts := newTestServer(t, Config{MFAWaived: true})
	ctx := context.Background()
	if err := ts.srv.deps.Reports.CreateDistrict(ctx, testAdmin, tropic.District{Slug: "st-albans", Name: "St Albans"}); err != nil {
		t.Fatal(err)
	}
	intake := ts.addUser("intake@police.example", tropic.RoleIntake)
	triage := ts.addUser("triage@police.example", tropic.RoleTriage)
	analyst := ts.addUser("analyst@police.example", tropic.RoleAnalyst)
	other := &tropic.Agency{Name: "Watford Borough Council", Kind: tropic.AgencyDistrictCouncil}
	if err := ts.agencies.CreateAgency(ctx, testAdmin, other); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword(testPassword, testParams)
	outsider := &tropic.User{Email: "caseworker@watford.example", Name: "Out Sider", AgencyID: other.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
	if err := ts.users.CreateUser(ctx, testAdmin, outsider, hash); err != nil {
		t.Fatal(err)
	}
	intakeToken, _ := ts.newToken(intake.ID, time.Time{})
	triageToken, _ := ts.newToken(triage.ID, time.Time{})
	analystToken, _ := ts.newToken(analyst.ID, time.Time{})
	outsiderToken, _ := ts.newToken(outsider.ID, time.Time{})

	status, created := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, helplineReport)
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/reports: got %d %v, want 201", status, created)
	}
	ref, _ := created["reference"].(string)
	if _, err := tropic.ParseReference(ref); err != nil {
		t.Fatalf("got reference %q, want a valid reference", ref)
	}
	if created["urgency"] != "urgent" || !strings.Contains(created["urgency_reason"].(string), "passport") {
		t.Errorf("got urgency %v (%v), want urgent because documents are withheld", created["urgency"], created["urgency_reason"])
	}
	code, _ := created["follow_up_code"].(string)
	if len(code) != 11 {
		t.Errorf("got follow-up code %q, want one like ABCDE-FGHJK", code)
	}

	t.Run("the triage hub reads the report back with every answer, normalised", func(t *testing.T) {
		status, got := apiCall(t, ts, "GET", "/api/v1/reports/"+strings.ToLower(ref), triageToken, "")
		if status != http.StatusOK {
			t.Fatalf("got %d %v", status, got)
		}
		loc := got["location"].(map[string]any)
		if loc["postcode"] != "AL1 3JX" || loc["district"] != "st-albans" {
			t.Errorf("got location %v, want the postcode normalised and the district kept", loc)
		}
		if got["channel"] != "helpline" || got["seen_on"] != "2026-11-20" || got["exploitation_label"] != "Labour" {
			t.Errorf("got channel %v, seen_on %v, label %v", got["channel"], got["seen_on"], got["exploitation_label"])
		}
		v := got["vehicles"].([]any)[0].(map[string]any)
		if v["registration"] != "ab12 cde" || v["normalised"] != "AB12CDE" {
			t.Errorf("got vehicle %v, want it as typed and normalised", v)
		}
		if got["phones_e164"].([]any)[0] != "+447700900123" || got["phones"].([]any)[0] != "07700 900123" {
			t.Errorf("got phones %v / %v", got["phones"], got["phones_e164"])
		}
		people := got["people"].(map[string]any)
		if people["count"] != 4.0 || people["children_involved"] != "no" {
			t.Errorf("got people %v", people)
		}
	})

	t.Run("staff who may not see the report get the answer a missing report gets", func(t *testing.T) {
		missing := tropic.NewReference()
		for _, tok := range []string{outsiderToken, analystToken} {
			s1, b1 := apiCall(t, ts, "GET", "/api/v1/reports/"+ref, tok, "")
			s2, b2 := apiCall(t, ts, "GET", "/api/v1/reports/"+missing, tok, "")
			if s1 != http.StatusNotFound || s1 != s2 || !reflect.DeepEqual(b1, b2) {
				t.Errorf("got %d %v for the report and %d %v for a missing one; want the same 404", s1, b1, s2, b2)
			}
		}
		if status, _ := apiCall(t, ts, "GET", "/api/v1/reports", outsiderToken, ""); status != http.StatusForbidden {
			t.Errorf("listing reports as a caseworker: got %d, want 403", status)
		}
	})

	t.Run("the queue lists the report for triage", func(t *testing.T) {
		status, got := apiCall(t, ts, "GET", "/api/v1/reports?district=st-albans", triageToken, "")
		if status != http.StatusOK || got["total"] != 1.0 || got["reports"].([]any)[0].(map[string]any)["reference"] != ref {
			t.Errorf("got %d %v", status, got)
		}
		if status, got := apiCall(t, ts, "GET", "/api/v1/reports?received_from=yesterday", triageToken, ""); status != http.StatusUnprocessableEntity || got["error"].(map[string]any)["fields"].(map[string]any)["received_from"] == nil {
			t.Errorf("a bad date: got %d %v, want 422 naming received_from", status, got)
		}
	})

	t.Run("the same Idempotency-Key returns the first report and its code", func(t *testing.T) {
		s1, a := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, helplineReport, "Idempotency-Key", "call-4711")
		s2, b := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, helplineReport, "Idempotency-Key", "call-4711")
		if s1 != http.StatusCreated || s2 != http.StatusOK || a["reference"] != b["reference"] || a["follow_up_code"] != b["follow_up_code"] {
			t.Errorf("got %d %v then %d %v; want 201 then 200 with the same reference and code", s1, a, s2, b)
		}
		s3, c := apiCall(t, ts, "POST", "/api/v1/reports", triageToken, helplineReport, "Idempotency-Key", "call-4711")
		if s3 != http.StatusCreated || c["reference"] == a["reference"] {
			t.Errorf("another user's same key: got %d %v, want a new report", s3, c)
		}
	})

	// Hole 11: a key reused with another body returned the first report as if sent.
	t.Run("an Idempotency-Key reused with another body answers 422 naming the header", func(t *testing.T) {
		s1, a := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, helplineReport, "Idempotency-Key", "call-4712")
		changed := strings.Replace(helplineReport, `"channel": "helpline"`, `"channel": "helpline", "in_danger": true`, 1)
		s2, b := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, changed, "Idempotency-Key", "call-4712")
		if s1 != http.StatusCreated || s2 != http.StatusUnprocessableEntity || b["reference"] != nil {
			t.Fatalf("got %d %v then %d %v; want 201 then 422", s1, a, s2, b)
		}
		errObj, _ := b["error"].(map[string]any)
		fields, _ := errObj["fields"].(map[string]any)
		if msg, _ := fields["Idempotency-Key"].(string); !strings.Contains(msg, "different") {
			t.Errorf("fields %v, want Idempotency-Key named", fields)
		}
		s3, c := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, helplineReport, "Idempotency-Key", "call-4712")
		if s3 != http.StatusOK || c["reference"] != a["reference"] || c["follow_up_code"] != a["follow_up_code"] {
			t.Errorf("the same body again: got %d %v, want 200 with the first report", s3, c)
		}
		status, got := apiCall(t, ts, "GET", "/api/v1/reports/"+a["reference"].(string), triageToken, "")
		if status != http.StatusOK || got["urgency"] != "urgent" {
			t.Errorf("the refused body changed the report: %d %v", status, got["urgency"])
		}
	})

	// Hole 13: invalid UTF-8 was rewritten to U+FFFD and bidi overrides stored.
	t.Run("invalid UTF-8 answers 400 and bidi overrides 422, naming the field", func(t *testing.T) {
		before := countReports(t, ts)
		for _, tc := range []struct {
			name, body, field string
			status            int
		}{
			{"invalid UTF-8 in the description", "{\"reporter\": {\"anonymous\": true}, \"description\": \"Men at the car wash \xff\xfe\"}", "description", 400},
			{"invalid UTF-8 in a business", "{\"reporter\": {\"anonymous\": true}, \"description\": \"x\", \"businesses\": [\"ok\", \"Car \xc3 wash\"]}", "businesses[1]", 400},
			{"invalid UTF-8 in a nested field", "{\"reporter\": {\"anonymous\": true}, \"description\": \"x\", \"location\": {\"address\": \"\xed\xa0\x80\"}}", "location.address", 400},
			{"a right-to-left override in the description", `{"reporter": {"anonymous": true}, "description": "invoice \u202egnp.exe"}`, "description", 422},
			{"an isolate in the reporter's name", `{"description": "x", "reporter": {"anonymous": false, "name": "Alex \u2066Example"}}`, "reporter.name", 422},
			{"a raw pop directional formatting in the address", "{\"reporter\": {\"anonymous\": true}, \"description\": \"x\", \"location\": {\"address\": \"a \u202c b\"}}", "location.address", 422},
		} {
			status, got := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, tc.body)
			errObj, _ := got["error"].(map[string]any)
			fields, _ := errObj["fields"].(map[string]any)
			if status != tc.status || fields[tc.field] == nil {
				t.Errorf("%s: got %d %v, want %d naming %s", tc.name, status, got, tc.status, tc.field)
			}
		}
		if after := countReports(t, ts); after != before {
			t.Errorf("%d reports stored, want none", after-before)
		}
	})

	t.Run("invalid content answers 422 naming each field", func(t *testing.T) {
		cases := []struct {
			name, body, field string
			status            int
		}{
			{"no description", `{"description": "  "}`, "description", 422},
			{"a bad postcode", `{"description": "x", "location": {"postcode": "NOT A CODE"}}`, "location.postcode", 422},
			{"an unknown district", `{"description": "x", "location": {"district": "atlantis"}}`, "location.district", 422},
			{"a bad phone", `{"description": "x", "phones": ["07700 900123", "call me"]}`, "phones[1]", 422},
			{"a bad registration", `{"description": "x", "vehicles": [{"registration": "AB!2"}]}`, "vehicles[0].registration", 422},
			{"an unknown sign", `{"description": "x", "indicators": ["odd"]}`, "indicators", 422},
			{"a future date", `{"description": "x", "seen_on": "2999-01-01"}`, "seen_on", 422},
			{"a wrong type", `{"description": 5}`, "description", 422},
			{"an unknown field", `{"description": "x", "colour": "red"}`, "colour", 422},
			{"the web channel", `{"description": "x", "channel": "web"}`, "channel", 422},
			{"control characters", "{\"description\": \"x\\u0007\"}", "description", 422},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				status, got := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, c.body)
				e, _ := got["error"].(map[string]any)
				fields, _ := e["fields"].(map[string]any)
				if status != c.status || e["code"] != "invalid" || fields[c.field] == nil {
					t.Errorf("got %d %v, want %d naming %s", status, got, c.status, c.field)
				}
			})
		}
	})

	t.Run("bodies that are not one JSON object are refused", func(t *testing.T) {
		if status, _ := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, `{"description": `); status != http.StatusBadRequest {
			t.Errorf("broken JSON: got %d, want 400", status)
		}
		if status, _ := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, `{"description": "x"} {}`); status != http.StatusBadRequest {
			t.Errorf("two objects: got %d, want 400", status)
		}
		c := ts.client(t)
		req := c.newRequest("POST", "/api/v1/reports", strings.NewReader(`description=x`))
		req.Header.Set("Authorization", "Bearer "+intakeToken)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if res := c.do(req); res.status != http.StatusUnsupportedMediaType {
			t.Errorf("a form body: got %d, want 415", res.status)
		}
		big := `{"description": "` + strings.Repeat("x", 2<<20) + `"}`
		if status, _ := apiCall(t, ts, "POST", "/api/v1/reports", intakeToken, big); status != http.StatusRequestEntityTooLarge {
			t.Errorf("a 2 MiB body: got %d, want 413", status)
		}
	})

	t.Run("only triage and intake staff may enter reports", func(t *testing.T) {
		if status, _ := apiCall(t, ts, "POST", "/api/v1/reports", analystToken, helplineReport); status != http.StatusForbidden {
			t.Errorf("an analyst: got %d, want 403", status)
		}
		if status, _ := apiCall(t, ts, "POST", "/api/v1/reports", "", helplineReport); status != http.StatusUnauthorized {
			t.Errorf("no token: got %d, want 401", status)
		}
	})

	t.Run("an intake user reads back the reports their agency took, and the view is audited", func(t *testing.T) {
		if status, _ := apiCall(t, ts, "GET", "/api/v1/reports/"+ref, intakeToken, ""); status != http.StatusOK {
			t.Errorf("got %d, want 200", status)
		}
		if got := ts.auditActions(tropic.AuditFilter{Action: tropic.AuditReportViewed, UserID: intake.ID}); len(got) != 1 {
			t.Errorf("got views audited %v, want one", got)
		}
	})
}

// jsonFields lists the JSON names of a struct's fields.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func TestOpenAPIReportSchemaMatchesTheCode(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Properties map[string]any `json:"properties"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	input := doc.Components.Schemas["ReportInput"].Properties
	readOnly := map[string]bool{"reference": true, "received_at": true, "exploitation_label": true, "phones_e164": true,
		"urgency": true, "urgency_reason": true, "status": true, "timeline": true, "handoffs": true, "reporter_contact_withheld": true, "form_language": true}
	var code []string
	for _, f := range jsonFields(reflect.TypeOf(reportBody{})) {
		if !readOnly[f] {
			code = append(code, f)
		}
	}
	var documented []string
	for k := range input {
		documented = append(documented, k)
	}
	sort.Strings(documented)
	if !reflect.DeepEqual(code, documented) {
		t.Errorf("ReportInput documents %v; the API takes %v", documented, code)
	}
	nested := []struct {
		name string
		typ  reflect.Type
	}{
		{"location", reflect.TypeOf(tropic.Location{})},
		{"reporter", reflect.TypeOf(tropic.Reporter{})},
		{"people", reflect.TypeOf(reportBody{}.People)},
	}
	for _, n := range nested {
		if got, want := keys(input[n.name].Properties), jsonFields(n.typ); !reflect.DeepEqual(got, want) {
			t.Errorf("ReportInput.%s documents %v; the API takes %v", n.name, got, want)
		}
	}
	report := doc.Components.Schemas["Report"].Properties
	for _, f := range jsonFields(reflect.TypeOf(reportBody{})) {
		if _, ok := report[f]; !ok {
			t.Errorf("Report does not document %q, which the API returns", f)
		}
	}
	created := doc.Components.Schemas["ReportCreated"].Properties
	for _, f := range jsonFields(reflect.TypeOf(reportCreated{})) {
		if _, ok := created[f]; !ok {
			t.Errorf("ReportCreated does not document %q", f)
		}
	}
}

func countReports(t *testing.T, ts *testServer) int {
	t.Helper()
	var n int
	if err := ts.db.SQL().QueryRow(`SELECT COUNT(*) FROM reports`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
