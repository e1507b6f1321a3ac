package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/tropic"
)

// caseAPIEnv is a server with a police force that owns cases and a council it may
// share them with, and tokens for their staff.
type caseAPIEnv struct {
	t       *testing.T
	ts      *testServer
	police  *tropic.Agency
	council *tropic.Agency
}

func newCaseAPIEnv(t *testing.T) *caseAPIEnv {
	t.Helper()
	ts := newTestServer(t, Config{MFAWaived: true})
	ctx := context.Background()
	if err := ts.srv.deps.Reports.CreateDistrict(ctx, testAdmin, tropic.District{Slug: "st-albans", Name: "St Albans"}); err != nil {
		t.Fatal(err)
	}
	e := &caseAPIEnv{t: t, ts: ts, police: ts.agency, council: &tropic.Agency{Name: "Watford Borough Council", Kind: tropic.AgencyDistrictCouncil}}
	if err := ts.agencies.CreateAgency(ctx, testAdmin, e.council); err != nil {
		t.Fatal(err)
	}
	return e
}

// staff creates a user of agency a with roles and returns them with an API token.
func (e *caseAPIEnv) staff(email, name string, a *tropic.Agency, roles ...tropic.Role) (*tropic.User, string) {
	e.t.Helper()
	hash, err := auth.HashPassword(testPassword, testParams)
	if err != nil {
		e.t.Fatal(err)
	}
	u := &tropic.User{Email: email, Name: name, AgencyID: a.ID, Roles: roles}
	if err := e.ts.users.CreateUser(context.Background(), testAdmin, u, hash); err != nil {
		e.t.Fatalf("create user %s: %v", email, err)
	}
	token, _ := e.ts.newToken(u.ID, time.Time{})
	return u, token
}

// jsonCall sends a request with a bearer token: body is nil, a JSON string, or a value
// to encode. It returns the answer and its body decoded.
func jsonCall(t testing.TB, ts *testServer, method, path, token string, body any) (*response, map[string]any) {
	t.Helper()
	c := ts.client(t)
	var req *http.Request
	switch b := body.(type) {
	case nil:
		req = c.newRequest(method, path, nil)
	case string:
		req = c.newRequest(method, path, strings.NewReader(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		req = c.newRequest(method, path, strings.NewReader(string(raw)))
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res := c.do(req)
	var out map[string]any
	if err := json.Unmarshal([]byte(res.body), &out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v\n%s", method, path, err, res.body)
	}
	return res, out
}

// jget walks decoded JSON by keys and indexes; nil when the path is not there.
func jget(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func jint(v any, path ...any) int64 {
	f, _ := jget(v, path...).(float64)
	return int64(f)
}

func jlen(v any, path ...any) int {
	l, _ := jget(v, path...).([]any)
	return len(l)
}

// wantAPI fails unless the answer has status want.
func wantAPI(t testing.TB, what string, res *response, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("%s: got %d, want %d\n%s", what, res.status, want, res.body)
	}
}

// wantProblem fails unless the answer is a 422 naming field.
func wantProblem(t testing.TB, what string, res *response, body map[string]any, field string) {
	t.Helper()
	if res.status != http.StatusUnprocessableEntity || jget(body, "error", "code") != "invalid" || jget(body, "error", "fields", field) == nil {
		t.Errorf("%s: got %d %s, want 422 naming %s", what, res.status, res.body, field)
	}
}

func TestCaseAPI(t *testing.T) {
	e := newCaseAPIEnv(t)
	ts := e.ts
	// The triage officer here also works cases, as in a police modern slavery unit; a
	// triage-only officer does not see cases (TestTriageOnlyOpensCasesWithoutSeeingThem).
	triage, triageTok := e.staff("triage@police.example", "Priya Shah", e.police, tropic.RoleTriage, tropic.RoleCaseworker)
	_, workerTok := e.staff("worker@police.example", "Wendy Walker", e.police, tropic.RoleCaseworker)
	_, superTok := e.staff("super@police.example", "Sam Super", e.police, tropic.RoleSupervisor)
	_, analystTok := e.staff("analyst@police.example", "Ana Lyst", e.police, tropic.RoleAnalyst)
	_, outsiderTok := e.staff("worker@watford.example", "Olly Outside", e.council, tropic.RoleCaseworker)
	_, intakeTok := e.staff("intake@police.example", "Ida Take", e.police, tropic.RoleIntake)

	res, created := jsonCall(t, ts, "POST", "/api/v1/reports", intakeTok, helplineReport)
	wantAPI(t, "POST /api/v1/reports", res, http.StatusCreated)
	reportRef := created["reference"].(string)
	missingCase := "/api/v1/cases/" + tropic.NewCaseReference()

	var ref, path string
	t.Run("The triage hub opens a case from a report, which is marked as linked", func(t *testing.T) {
		res, c := jsonCall(t, ts, "POST", "/api/v1/cases", triageTok, map[string]any{
			"title": "Victoria Street car wash", "district": "st-albans", "exploitation_types": []string{"labour"}, "from_report": strings.ToLower(reportRef)})
		wantAPI(t, "POST /api/v1/cases", res, http.StatusCreated)
		ref, _ = c["reference"].(string)
		path = "/api/v1/cases/" + ref
		if _, err := tropic.ParseCaseReference(ref); err != nil || !strings.HasPrefix(ref, "C-") {
			t.Fatalf("got reference %q, want a case reference", ref)
		}
		if res.location() != path {
			t.Errorf("Location %q, want %q", res.location(), path)
		}
		if jget(c, "reports", 0) != reportRef || jget(c, "owner_agency", "name") != e.police.Name || c["status"] != "open" ||
			c["version"] != 1.0 || c["access"] != "whole" || c["exploitation_label"] != "Labour" || c["sensitive_hidden"] != nil {
			t.Errorf("got case %s", res.body)
		}
		_, rep := jsonCall(t, ts, "GET", "/api/v1/reports/"+reportRef, triageTok, nil)
		if rep["status"] != string(tropic.ReportLinkedToCase) {
			t.Errorf("the report's status is %v, want linked_to_case", rep["status"])
		}
	})
	if ref == "" {
		t.FailNow()
	}

	var anna int64
	var annaLink int64
	t.Run("A person is recorded with sensitive fields, which the owner reads back", func(t *testing.T) {
		res, p := jsonCall(t, ts, "POST", path+"/people", workerTok, map[string]any{
			"given_name": "Anna", "family_name": "Kowalska", "aliases": []string{"Ania"}, "date_of_birth": "1990-04-01",
			"phone": "07700 900123", "immigration_status": "Visa expired in 2025", "health": "Untreated injury", "role": "potential_victim"})
		wantAPI(t, "POST people", res, http.StatusCreated)
		anna = jint(p, "person", "id")
		if res.location() != fmt.Sprintf("/api/v1/people/%d", anna) || jget(p, "person", "immigration_status") != "Visa expired in 2025" ||
			jget(p, "person", "phone_e164") != "+447700900123" || jget(p, "cases", 0, "role") != "potential_victim" ||
			jget(p, "cases", 0, "case_reference") != ref || jget(p, "person", "sensitive_hidden") != nil {
			t.Errorf("got %s", res.body)
		}
		annaLink = jint(p, "cases", 0, "id")
		_, c := jsonCall(t, ts, "GET", path, workerTok, nil)
		if jget(c, "people", 0, "person", "family_name") != "Kowalska" || jget(c, "people", 0, "id") != float64(annaLink) {
			t.Errorf("the case lists people %v", c["people"])
		}
		if strings.Contains(fmt.Sprint(c["people"]), "Visa expired") {
			t.Errorf("the case's list of people carries the immigration status: %v", c["people"])
		}
	})

	t.Run("Possible existing records are shown before a duplicate is made, without sensitive fields", func(t *testing.T) {
		res, m := jsonCall(t, ts, "POST", path+"/people?check=1", workerTok, map[string]any{
			"given_name": "ÁNNA", "family_name": "kowalska", "date_of_birth": "1990-04-01", "role": "witness"})
		wantAPI(t, "POST people?check=1", res, http.StatusOK)
		if jint(m, "matches", 0, "person", "id") != anna || jget(m, "matches", 0, "cases", 0) != ref || jlen(m, "matches", 0, "reasons") == 0 {
			t.Errorf("got %s", res.body)
		}
		res, m = jsonCall(t, ts, "GET", "/api/v1/people/matches?phone=%2B44+7700+900123", workerTok, nil)
		wantAPI(t, "GET people/matches", res, http.StatusOK)
		if jint(m, "matches", 0, "person", "id") != anna {
			t.Errorf("by phone: got %s", res.body)
		}
		wantNotContains(t, res.body, "Visa expired", "Untreated injury", "immigration_status")
		res, m = jsonCall(t, ts, "GET", "/api/v1/people/matches", workerTok, nil)
		wantProblem(t, "matches with nothing to look for", res, m, "given_name")
		res, m = jsonCall(t, ts, "POST", path+"/people?check=true", workerTok, map[string]any{"given_name": "Nobody", "family_name": "Known", "role": "witness"})
		wantAPI(t, "POST people?check=true without matches creates the person", res, http.StatusCreated)
		res, m = jsonCall(t, ts, "POST", path+"/people/link", workerTok, map[string]any{"person_id": anna, "role": "witness"})
		if res.status != http.StatusConflict {
			t.Errorf("linking a person already on the case: got %d %s, want 409", res.status, res.body)
		}
	})

	t.Run("Places, businesses, vehicles, phones, orders, notes and tasks are added", func(t *testing.T) {
		yesterday := ts.clock.Now().AddDate(0, 0, -1).Format(time.DateOnly)
		adds := []struct {
			part string
			body map[string]any
			want map[string]any
		}{
			{"places", map[string]any{"kind": "business_premises", "address": "Victoria Street", "postcode": "al1 3jx"}, map[string]any{"postcode": "AL1 3JX"}},
			{"businesses", map[string]any{"name": "Sparkle Hand Car Wash Ltd", "kind": "car_wash", "company_number": "01234567"}, map[string]any{"kind": "car_wash"}},
			{"vehicles", map[string]any{"registration": "ab12 cde", "description": "white van"}, map[string]any{"registration": "ab12 cde", "normalised": "AB12CDE"}},
			{"phones", map[string]any{"number": "07700900123"}, map[string]any{"number": "07700900123", "e164": "+447700900123"}},
			{"orders", map[string]any{"person_id": anna, "kind": "stro", "made_on": yesterday}, map[string]any{"kind": "stro"}},
			{"notes", map[string]any{"text": "She says her passport is held by the manager.", "sensitive": true}, map[string]any{"sensitive": true}},
			{"notes", map[string]any{"text": "Visited the car wash; closed."}, map[string]any{"author": "Wendy Walker", "agency": e.police.Name}},
			{"tasks", map[string]any{"title": "Check Companies House", "agency_id": e.police.ID, "due": yesterday}, map[string]any{"overdue": true, "case_reference": ref}},
		}
		for _, a := range adds {
			res, got := jsonCall(t, ts, "POST", path+"/"+a.part, workerTok, a.body)
			if res.status != http.StatusCreated || jint(got, "id") == 0 {
				t.Errorf("POST %s: got %d %s, want 201 with an id", a.part, res.status, res.body)
				continue
			}
			for k, v := range a.want {
				if fmt.Sprint(got[k]) != fmt.Sprint(v) {
					t.Errorf("POST %s: %s is %v, want %v", a.part, k, got[k], v)
				}
			}
		}
		_, c := jsonCall(t, ts, "GET", path, workerTok, nil)
		// One of each place, business, vehicle and phone came with the report the case was made from.
		for part, n := range map[string]int{"places": 2, "businesses": 2, "vehicles": 2, "phones": 2, "orders": 1, "tasks": 1} {
			if jlen(c, part) != n {
				t.Errorf("the case has %d %s, want %d", jlen(c, part), part, n)
			}
		}
		res, tasks := jsonCall(t, ts, "GET", "/api/v1/tasks?agency=true&overdue=true", workerTok, nil)
		if res.status != http.StatusOK || jlen(tasks, "tasks") != 1 || jget(tasks, "tasks", 0, "title") != "Check Companies House" {
			t.Fatalf("overdue tasks of the agency: got %d %s", res.status, res.body)
		}
		task := jint(tasks, "tasks", 0, "id")
		res, _ = jsonCall(t, ts, "POST", fmt.Sprintf("/api/v1/tasks/%d/complete", task), workerTok, nil)
		wantAPI(t, "completing the task", res, http.StatusOK)
		if _, tasks = jsonCall(t, ts, "GET", "/api/v1/tasks?agency=true", workerTok, nil); jlen(tasks, "tasks") != 0 {
			t.Errorf("open tasks after completing: %v", tasks)
		}
	})

	t.Run("Bad input answers 422 naming each field by its JSON name", func(t *testing.T) {
		cases := []struct {
			name, method, path string
			body               any
			field              string
		}{
			{"a case without a title", "POST", "/api/v1/cases", map[string]any{"title": " "}, "title"},
			{"an unknown kind of exploitation", "POST", "/api/v1/cases", map[string]any{"title": "x", "exploitation_types": []string{"piracy"}}, "exploitation_types"},
			{"a case opened closed", "POST", "/api/v1/cases", map[string]any{"title": "x", "status": "closed"}, "status"},
			{"an unknown field", "POST", "/api/v1/cases", map[string]any{"title": "x", "colour": "red"}, "colour"},
			{"a report that does not exist", "POST", path + "/reports", map[string]any{"reference": "ZZZZ-ZZZZ-Z"}, "reference"},
			{"a case from a report that does not exist", "POST", "/api/v1/cases", map[string]any{"title": "x", "from_report": "ZZZZ-ZZZZ-Z"}, "from_report"},
			{"an edit without a version", "PATCH", path, map[string]any{"title": "x"}, "version"},
			{"an unknown role", "POST", path + "/people", map[string]any{"given_name": "x", "role": "boss"}, "role"},
			{"a person without a name", "POST", path + "/people", map[string]any{"role": "witness"}, "given_name"},
			{"a bad phone number", "POST", path + "/phones", map[string]any{"number": "call me"}, "number"},
			{"a bad company number", "POST", path + "/businesses", map[string]any{"name": "x", "kind": "car_wash", "company_number": "12"}, "company_number"},
			{"an order against nobody", "POST", path + "/orders", map[string]any{"kind": "stpo", "made_on": "2025-01-01"}, "person_id"},
			{"a task for nobody", "POST", path + "/tasks", map[string]any{"title": "x"}, "agency_id"},
			{"a share with no agency", "POST", path + "/shares", map[string]any{"scope": "whole", "lawful_basis": "consent", "reason": "x"}, "agency_id"},
			{"a share with no lawful basis", "POST", path + "/shares", map[string]any{"agency_id": e.council.ID, "scope": "whole", "reason": "x"}, "lawful_basis"},
			{"closing without an outcome", "POST", path + "/close", map[string]any{"version": 1}, "outcome"},
			{"a search for nothing", "GET", "/api/v1/search?q=+", nil, "q"},
			{"a list with a bad limit", "GET", "/api/v1/cases?limit=-1", nil, "limit"},
			{"a list with an unknown scope", "GET", "/api/v1/cases?scope=everything", nil, "scope"},
		}
		for _, c := range cases {
			res, got := jsonCall(t, ts, c.method, c.path, workerTok, c.body)
			wantProblem(t, c.name, res, got, c.field)
		}
	})

	t.Run("Another agency cannot see the case until it is shared", func(t *testing.T) {
		for _, p := range []string{"", "/access-log"} {
			r1, _ := jsonCall(t, ts, "GET", path+p, outsiderTok, nil)
			r2, _ := jsonCall(t, ts, "GET", missingCase+p, outsiderTok, nil)
			if r1.status != http.StatusNotFound || r1.body != r2.body {
				t.Errorf("GET %s: got %d %s, a missing case %d %s; want the same 404", p, r1.status, r1.body, r2.status, r2.body)
			}
		}
		r1, _ := jsonCall(t, ts, "GET", fmt.Sprintf("/api/v1/people/%d", anna), outsiderTok, nil)
		r2, _ := jsonCall(t, ts, "GET", "/api/v1/people/99999999", outsiderTok, nil)
		if r1.status != http.StatusNotFound || r1.body != r2.body {
			t.Errorf("GET the person: got %d %s, want the 404 of a missing person %s", r1.status, r1.body, r2.body)
		}
		if _, l := jsonCall(t, ts, "GET", "/api/v1/cases", outsiderTok, nil); l["total"] != 0.0 {
			t.Errorf("the council lists %v", l)
		}
		if _, s := jsonCall(t, ts, "GET", "/api/v1/search?q=kowalska", outsiderTok, nil); jlen(s, "hits") != 0 {
			t.Errorf("the council finds %v", s)
		}
		if _, m := jsonCall(t, ts, "GET", "/api/v1/people/matches?given_name=Anna&family_name=Kowalska", outsiderTok, nil); jlen(m, "matches") != 0 {
			t.Errorf("the council is offered %v", m)
		}
	})

	var shareID int64
	t.Run("A share without sensitive fields shows the case but hides immigration status and sensitive notes", func(t *testing.T) {
		res, sh := jsonCall(t, ts, "POST", path+"/shares", superTok, map[string]any{"agency_id": e.council.ID, "scope": "without_sensitive",
			"lawful_basis": "dpa_sch1_18", "reason": "Joint safeguarding visit", "no_agreement_reason": "No agreement in the test register"})
		wantAPI(t, "a supervisor shares", res, http.StatusCreated)
		shareID = jint(sh, "id")
		if sh["status"] != "active" || sh["live"] != true || jget(sh, "agency", "id") != float64(e.council.ID) {
			t.Errorf("got share %s", res.body)
		}
		res, c := jsonCall(t, ts, "GET", path, outsiderTok, nil)
		wantAPI(t, "the council reads the case", res, http.StatusOK)
		// The notes the council sees: the one that is not sensitive, and the people the report described.
		if c["access"] != "without_sensitive" || c["sensitive_hidden"] != true || jlen(c, "notes") != 2 || jlen(c, "shares") != 1 {
			t.Errorf("got %s", res.body)
		}
		wantNotContains(t, res.body, "passport is held", "Visa expired", "Untreated injury")
		res, p := jsonCall(t, ts, "GET", fmt.Sprintf("/api/v1/people/%d", anna), outsiderTok, nil)
		wantAPI(t, "the council reads the person", res, http.StatusOK)
		if jget(p, "person", "sensitive_hidden") != true || jget(p, "person", "family_name") != "Kowalska" {
			t.Errorf("got %s", res.body)
		}
		wantNotContains(t, res.body, "Visa expired", "Untreated injury", `"immigration_status"`, `"health"`)
		if _, s := jsonCall(t, ts, "GET", "/api/v1/search?q=%2B44%207700%20900123", outsiderTok, nil); jget(s, "hits", 0, "case", "reference") != ref {
			t.Errorf("searching by phone in another format: got %v", s)
		}
		res, l := jsonCall(t, ts, "GET", "/api/v1/cases?scope=shared", outsiderTok, nil)
		if l["total"] != 1.0 || jget(l, "cases", 0, "reference") != ref {
			t.Errorf("shared with us: got %s", res.body)
		}
		res, _ = jsonCall(t, ts, "PATCH", path, outsiderTok, map[string]any{"version": c["version"], "title": "Taken over"})
		if res.status != http.StatusForbidden || !strings.Contains(res.body, e.police.Name) {
			t.Errorf("the council edits the police's case: got %d %s, want 403 naming the owner", res.status, res.body)
		}
		res, _ = jsonCall(t, ts, "POST", path+"/notes", outsiderTok, map[string]any{"text": "We visited too."})
		if res.status != http.StatusForbidden {
			t.Errorf("a share without sensitive fields only reads: adding a note got %d %s", res.status, res.body)
		}
	})

	t.Run("Lists never carry immigration status", func(t *testing.T) {
		for _, p := range []string{"/api/v1/cases", "/api/v1/search?q=kowalska", "/api/v1/people/matches?given_name=anna&family_name=kowalska", "/api/v1/tasks?open=false"} {
			res, _ := jsonCall(t, ts, "GET", p, workerTok, nil)
			wantAPI(t, p, res, http.StatusOK)
			wantNotContains(t, res.body, "Visa expired", "Untreated injury")
		}
	})

	t.Run("After revocation the council gets the answer of a missing case", func(t *testing.T) {
		res, _ := jsonCall(t, ts, "POST", fmt.Sprintf("/api/v1/shares/%d/revoke", shareID), workerTok, nil)
		wantAPI(t, "a caseworker revokes", res, http.StatusForbidden)
		res, got := jsonCall(t, ts, "POST", fmt.Sprintf("/api/v1/shares/%d/revoke", shareID), superTok, nil)
		wantAPI(t, "a supervisor revokes", res, http.StatusOK)
		if got["status"] != "revoked" {
			t.Errorf("got %s", res.body)
		}
		r1, _ := jsonCall(t, ts, "GET", path, outsiderTok, nil)
		r2, _ := jsonCall(t, ts, "GET", missingCase, outsiderTok, nil)
		if r1.status != http.StatusNotFound || r1.body != r2.body {
			t.Errorf("got %d %s, want %s", r1.status, r1.body, r2.body)
		}
	})

	t.Run("A caseworker's share waits for a supervisor of the owner", func(t *testing.T) {
		res, sh := jsonCall(t, ts, "POST", path+"/shares", workerTok, map[string]any{"agency_id": e.council.ID, "scope": "whole",
			"lawful_basis": "gdpr_6_1_e", "reason": "Council licensing check", "no_agreement_reason": "No agreement in the test register", "until": ts.clock.Now().AddDate(0, 1, 0).Format(time.DateOnly)})
		wantAPI(t, "a caseworker asks to share", res, http.StatusAccepted)
		if sh["status"] != "requested" || sh["live"] != false {
			t.Errorf("got %s", res.body)
		}
		id := jint(sh, "id")
		if r, _ := jsonCall(t, ts, "GET", path, outsiderTok, nil); r.status != http.StatusNotFound {
			t.Errorf("a requested share gave access: %d", r.status)
		}
		res, got := jsonCall(t, ts, "POST", fmt.Sprintf("/api/v1/shares/%d/decision", id), superTok, map[string]any{})
		wantProblem(t, "a decision without approve", res, got, "approve")
		res, _ = jsonCall(t, ts, "POST", fmt.Sprintf("/api/v1/shares/%d/decision", id), superTok, map[string]any{"approve": true})
		wantAPI(t, "the supervisor approves", res, http.StatusOK)
		res, p := jsonCall(t, ts, "GET", fmt.Sprintf("/api/v1/people/%d", anna), outsiderTok, nil)
		if res.status != http.StatusOK || jget(p, "person", "immigration_status") != "Visa expired in 2025" {
			t.Errorf("with a whole-case share: got %d %s", res.status, res.body)
		}
		if res, _ := jsonCall(t, ts, "POST", path+"/notes", outsiderTok, map[string]any{"text": "We visited too."}); res.status != http.StatusCreated {
			t.Errorf("a whole-case share adds notes: got %d %s", res.status, res.body)
		}
	})

	t.Run("A second save against an old version is refused, naming who changed the case and when", func(t *testing.T) {
		_, c := jsonCall(t, ts, "GET", path, workerTok, nil)
		version := c["version"]
		res, got := jsonCall(t, ts, "PATCH", path, superTok, map[string]any{"version": version, "title": "Victoria Street car wash (labour)"})
		wantAPI(t, "the first save", res, http.StatusOK)
		if got["title"] != "Victoria Street car wash (labour)" || got["version"] != version.(float64)+1 || got["district"] != "st-albans" {
			t.Errorf("got %s", res.body)
		}
		res, got = jsonCall(t, ts, "PATCH", path, workerTok, map[string]any{"version": version, "title": "Car wash"})
		if res.status != http.StatusConflict || jget(got, "error", "code") != "conflict" {
			t.Fatalf("the stale save: got %d %s, want 409", res.status, res.body)
		}
		msg, _ := jget(got, "error", "message").(string)
		if !strings.Contains(msg, "Sam Super") || !strings.Contains(msg, ts.clock.Now().In(partnershipZone).Format("15:04")) {
			t.Errorf("the message %q does not say who changed the case and when", msg)
		}
		if _, c = jsonCall(t, ts, "GET", path, workerTok, nil); c["title"] != "Victoria Street car wash (labour)" {
			t.Errorf("the stale save changed the title to %v", c["title"])
		}
	})

	var councilRef string
	t.Run("With a whole-case share, the council records the same person as a potential victim on its own case", func(t *testing.T) {
		res, c := jsonCall(t, ts, "POST", "/api/v1/cases", outsiderTok, map[string]any{"title": "Council housing referral"})
		wantAPI(t, "the council opens a case", res, http.StatusCreated)
		councilRef, _ = c["reference"].(string)
		res, _ = jsonCall(t, ts, "POST", "/api/v1/cases/"+councilRef+"/people/link", outsiderTok, map[string]any{"person_id": anna, "role": "potential_victim"})
		wantAPI(t, "the council links the person", res, http.StatusCreated)
	})

	t.Run("Making a potential victim a suspect waits for a supervisor's approval", func(t *testing.T) {
		link := fmt.Sprintf("/api/v1/case-people/%d/role", annaLink)
		res, got := jsonCall(t, ts, "POST", link, workerTok, map[string]any{"role": "suspect"})
		wantProblem(t, "without a reason", res, got, "reason")
		res, got = jsonCall(t, ts, "POST", link, workerTok, map[string]any{"role": "suspect", "reason": "Seen collecting the men's wages"})
		wantAPI(t, "the request", res, http.StatusAccepted)
		if got["status"] != "requested" || got["from"] != "potential_victim" || got["to"] != "suspect" {
			t.Errorf("got %s", res.body)
		}
		change := jint(got, "id")
		_, c := jsonCall(t, ts, "GET", path, workerTok, nil)
		if jget(c, "people", 0, "role") != "potential_victim" || jint(c, "people", 0, "pending_role_change", "id") != change {
			t.Errorf("while waiting the case shows %v", c["people"])
		}
		res, l := jsonCall(t, ts, "GET", "/api/v1/role-changes", superTok, nil)
		if res.status != http.StatusOK || jint(l, "role_changes", 0, "id") != change || jget(l, "role_changes", 0, "case_reference") != ref {
			t.Errorf("the supervisor's list: got %s", res.body)
		}
		decide := fmt.Sprintf("/api/v1/role-changes/%d/decision", change)
		if res, _ = jsonCall(t, ts, "POST", decide, workerTok, map[string]any{"approve": true}); res.status != http.StatusForbidden {
			t.Errorf("a caseworker decides: got %d %s, want 403", res.status, res.body)
		}
		res, got = jsonCall(t, ts, "POST", decide, superTok, map[string]any{"approve": true, "note": "Agreed after interview"})
		if res.status != http.StatusOK || got["status"] != "approved" {
			t.Errorf("the supervisor approves: got %d %s", res.status, res.body)
		}
		res, c = jsonCall(t, ts, "GET", path, workerTok, nil)
		if jget(c, "people", 0, "role") != "suspect" {
			t.Errorf("after approval the role is %v", jget(c, "people", 0, "role"))
		}
		// A suspect here is a potential victim on the council's case: the s.45 notice
		// names the person and whom to ask, and nothing of the other case.
		if councilRef != "" {
			if jint(c, "s45_notices", 0, "person_id") != anna || jget(c, "s45_notices", 0, "contact_agency") != e.council.Name ||
				jget(c, "s45_notices", 0, "person_name") != "Anna Kowalska" {
				t.Errorf("the s.45 notices are %v", c["s45_notices"])
			}
			wantNotContains(t, res.body, councilRef, "Council housing referral")
		}
		res, got = jsonCall(t, ts, "POST", link, workerTok, map[string]any{"role": "witness"})
		if res.status != http.StatusOK || got["status"] != "approved" {
			t.Errorf("any other change is at once: got %d %s", res.status, res.body)
		}
	})

	t.Run("Only a supervisor of the owner reads the access log, which lists each view", func(t *testing.T) {
		if res, _ := jsonCall(t, ts, "GET", path+"/access-log", workerTok, nil); res.status != http.StatusForbidden {
			t.Errorf("a caseworker: got %d %s, want 403", res.status, res.body)
		}
		res, l := jsonCall(t, ts, "GET", path+"/access-log", superTok, nil)
		wantAPI(t, "the supervisor", res, http.StatusOK)
		agencies := map[string]bool{}
		for i := range jlen(l, "entries") {
			agencies[fmt.Sprint(jget(l, "entries", i, "agency"))] = true
		}
		if !agencies[e.council.Name] || !agencies[e.police.Name] || !strings.Contains(res.body, "Olly Outside") {
			t.Errorf("the log does not list the council's views: %s", res.body)
		}
	})

	t.Run("A case is closed with an outcome and reopened with a reason", func(t *testing.T) {
		_, c := jsonCall(t, ts, "GET", path, workerTok, nil)
		// A caseworker's close is a request for a supervisor, who approves it.
		res, got := jsonCall(t, ts, "POST", path+"/close", workerTok, map[string]any{"outcome": "safeguarded", "version": c["version"], "reason": "All safe"})
		if res.status != http.StatusAccepted || got["status"] == "closed" || jget(got, "pending_closure", "outcome") != "safeguarded" {
			t.Fatalf("asking to close: got %d %s", res.status, res.body)
		}
		res, bad := jsonCall(t, ts, "POST", path+"/closure", workerTok, map[string]any{"decision": "approve", "confirm_warnings": true})
		if res.status != http.StatusForbidden {
			t.Fatalf("a caseworker approving: got %d %v", res.status, bad)
		}
		res, got = jsonCall(t, ts, "POST", path+"/closure", superTok, map[string]any{"decision": "approve", "confirm_warnings": true})
		if res.status != http.StatusOK || got["status"] != "closed" || got["outcome"] != "safeguarded" || got["closed_at"] == nil {
			t.Fatalf("closing: got %d %s", res.status, res.body)
		}
		res, bad = jsonCall(t, ts, "POST", path+"/reopen", workerTok, map[string]any{"reason": "", "version": got["version"]})
		wantProblem(t, "reopening without a reason", res, bad, "reason")
		res, got = jsonCall(t, ts, "POST", path+"/reopen", workerTok, map[string]any{"reason": "The men were seen again", "version": got["version"]})
		if res.status != http.StatusOK || got["status"] != "active" || got["outcome"] != nil {
			t.Errorf("reopening: got %d %s", res.status, res.body)
		}
	})

	t.Run("A person's record is edited against its version", func(t *testing.T) {
		person := fmt.Sprintf("/api/v1/people/%d", anna)
		_, p := jsonCall(t, ts, "GET", person, workerTok, nil)
		v := jget(p, "person", "version")
		res, got := jsonCall(t, ts, "PATCH", person, workerTok, map[string]any{"version": v, "nationality": "Polish"})
		if res.status != http.StatusOK || jget(got, "person", "nationality") != "Polish" || jget(got, "person", "immigration_status") != "Visa expired in 2025" {
			t.Errorf("got %d %s", res.status, res.body)
		}
		if res, _ = jsonCall(t, ts, "PATCH", person, workerTok, map[string]any{"version": v, "nationality": "Czech"}); res.status != http.StatusConflict {
			t.Errorf("a stale edit: got %d %s, want 409", res.status, res.body)
		}
	})

	t.Run("Roles that do not work cases are refused the lists and find no case", func(t *testing.T) {
		for _, p := range []string{"/api/v1/cases", "/api/v1/search?q=kowalska", "/api/v1/tasks", "/api/v1/role-changes", "/api/v1/people/matches?given_name=anna"} {
			if res, _ := jsonCall(t, ts, "GET", p, analystTok, nil); res.status != http.StatusForbidden {
				t.Errorf("an analyst: GET %s got %d, want 403", p, res.status)
			}
		}
		if res, _ := jsonCall(t, ts, "POST", "/api/v1/cases", analystTok, map[string]any{"title": "x"}); res.status != http.StatusForbidden {
			t.Errorf("an analyst opens a case: got %d, want 403", res.status)
		}
		r1, _ := jsonCall(t, ts, "GET", path, analystTok, nil)
		r2, _ := jsonCall(t, ts, "GET", missingCase, analystTok, nil)
		if r1.status != http.StatusNotFound || r1.body != r2.body {
			t.Errorf("an analyst reads the case: got %d %s, want %s", r1.status, r1.body, r2.body)
		}
		for _, p := range []string{"/api/v1/cases/not-a-reference", "/api/v1/people/x", "/api/v1/tasks/-1/complete"} {
			method := "GET"
			if strings.HasSuffix(p, "complete") {
				method = "POST"
			}
			if r, _ := jsonCall(t, ts, method, p, triageTok, nil); r.status != http.StatusNotFound || r.body != r2.body {
				t.Errorf("%s %s: got %d %s, want the 404 of a missing record", method, p, r.status, r.body)
			}
		}
	})

	t.Run("Every view through the API is audited", func(t *testing.T) {
		if got := ts.auditActions(tropic.AuditFilter{Action: tropic.AuditCaseViewed, UserID: triage.ID}); len(got) == 0 {
			t.Error("the triage hub's reads of the case are not audited")
		}
	})
}

// jsonFieldsDeep lists the JSON names of a struct's fields, with those of embedded
// structs as encoding/json flattens them.
func jsonFieldsDeep(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			out = append(out, jsonFieldsDeep(f.Type)...)
			continue
		}
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// jsonField finds the struct field with JSON name, looking into embedded structs.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && n == "" {
			if g, ok := jsonField(f.Type, name); ok {
				return g, true
			}
			continue
		}
		if n == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// TestOpenAPICaseSchemasMatchTheCode holds each schema of the cases API to the Go type
// that is encoded or decoded for it, field by field, with nested objects referring to
// the schema of their type, and the enumerations to the domain's lists.
func TestOpenAPICaseSchemasMatchTheCode(t *testing.T) {
	doc := loadOpenAPISchemas(t)
	schemas := []codeSchema{
		{"AgencySummary", agencySummary{}, false},
		{"CaseSummary", apiCaseSummary{}, false},
		{"Case", apiCase{}, false},
		{"CaseList", apiCaseList{}, false},
		{"CaseInput", apiCaseInput{}, true},
		{"CasePatch", apiCasePatch{}, true},
		{"CaseClose", apiCloseInput{}, true},
		{"CaseReopen", apiReopenInput{}, true},
		{"ReportLink", apiLinkReportInput{}, true},
		{"PersonSummary", apiPersonSummary{}, false},
		{"Person", apiPerson{}, false},
		{"PersonRecord", apiPersonRecord{}, false},
		{"PersonCase", apiPersonCase{}, false},
		{"CasePerson", apiCasePerson{}, false},
		{"PersonInput", apiNewPersonInput{}, true},
		{"PersonLink", apiLinkPersonInput{}, true},
		{"PersonPatch", apiPersonPatch{}, true},
		{"PersonMatch", apiPersonMatch{}, false},
		{"PersonMatches", apiPersonMatches{}, false},
		{"RoleChange", apiRoleChange{}, false},
		{"RoleChangeInput", apiRoleInput{}, true},
		{"RoleChangeList", apiRoleChangeList{}, false},
		{"Decision", apiDecisionInput{}, true},
		{"ShareDecision", apiShareDecisionInput{}, true},
		{"DecisionResult", apiDecision{}, false},
		{"CoercedOffenderInput", apiCoercedInput{}, true},
		{"CoercedOffender", apiCoerced{}, false},
		{"Place", apiPlace{}, false},
		{"PlaceInput", apiPlaceInput{}, true},
		{"Business", apiBusiness{}, false},
		{"BusinessInput", apiBusinessInput{}, true},
		{"Vehicle", apiVehicle{}, false},
		{"VehicleInput", apiVehicleInput{}, true},
		{"Phone", apiPhone{}, false},
		{"PhoneInput", apiPhoneInput{}, true},
		{"Order", apiOrder{}, false},
		{"OrderInput", apiOrderInput{}, true},
		{"Note", apiNote{}, false},
		{"NoteInput", apiNoteInput{}, true},
		{"NoteEdit", apiNoteEditInput{}, true},
		{"NoteEdited", apiNoteEdited{}, false},
		{"Task", apiTask{}, false},
		{"TaskInput", apiTaskInput{}, true},
		{"TaskList", apiTaskList{}, false},
		{"Share", apiShare{}, false},
		{"ShareInput", apiShareInput{}, true},
		{"S45Notice", apiS45Notice{}, false},
		{"AccessLogEntry", apiAccessLogEntry{}, false},
		{"AccessLog", apiAccessLog{}, false},
		{"SearchHit", apiSearchHit{}, false},
		{"SearchResult", apiSearchResult{}, false},
	}
	checkSchemasMatchCode(t, doc, schemas)

	// The enumerations are the domain's.
	enum := doc.enum
	var outcomes, bases, businessKinds, placeKinds, roles, genders, exploitation []string
	for _, o := range tropic.CaseOutcomes {
		outcomes = append(outcomes, string(o.Key))
	}
	for _, b := range tropic.LawfulBases {
		bases = append(bases, b.Key)
	}
	for _, k := range tropic.BusinessKinds {
		businessKinds = append(businessKinds, k.Key)
	}
	for _, k := range tropic.PlaceKinds {
		placeKinds = append(placeKinds, string(k.Key))
	}
	for _, r := range tropic.PersonRoles {
		roles = append(roles, string(r))
	}
	for _, g := range tropic.Genders {
		genders = append(genders, string(g.Key))
	}
	for _, x := range append(tropic.ExploitationTypes, tropic.ExploitNotSpecified) {
		exploitation = append(exploitation, string(x))
	}
	var offences []string
	for _, o := range tropic.Offences {
		offences = append(offences, string(o))
	}
	checks := []struct {
		schema, prop string
		want         []string
	}{
		{"CaseClose", "outcome", outcomes}, {"Case", "outcome", outcomes}, {"Case", "offence", offences}, {"CaseInput", "offence", offences},
		{"CaseInput", "exploitation_types", exploitation}, {"ShareInput", "lawful_basis", bases}, {"Share", "lawful_basis", bases},
		{"ShareInput", "scope", []string{string(tropic.ShareWhole), string(tropic.ShareWithoutSensitive)}},
		{"Share", "status", []string{string(tropic.ShareRequested), string(tropic.ShareActive), string(tropic.ShareDeclined), string(tropic.ShareRevoked), string(tropic.ShareCovered)}},
		{"BusinessInput", "kind", businessKinds}, {"PlaceInput", "kind", placeKinds}, {"PersonInput", "role", roles},
		{"RoleChangeInput", "role", roles}, {"CasePerson", "role", roles}, {"PersonInput", "gender", genders},
		{"RoleChange", "status", []string{string(tropic.RoleChangeRequested), string(tropic.RoleChangeApproved), string(tropic.RoleChangeDeclined)}},
		{"OrderInput", "kind", []string{string(tropic.OrderSTPO), string(tropic.OrderSTRO)}},
		{"Case", "status", []string{string(tropic.CaseOpen), string(tropic.CaseActive), string(tropic.CaseClosed)}},
	}
	for _, c := range checks {
		if got := enum(c.schema, c.prop); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s.%s enumerates %v; the domain has %v", c.schema, c.prop, got, c.want)
		}
	}
}
