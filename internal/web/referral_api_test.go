package web

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

func TestReferralAPI(t *testing.T) {
	e := newCaseAPIEnv(t)
	ts := e.ts
	ctx := context.Background()
	// The test server's police force is no first responder; this one is.
	unit := &tropic.Agency{Name: "Modern Slavery Unit", Kind: tropic.AgencyPolice, FirstResponder: true, DutyToNotify: true}
	charity := &tropic.Agency{Name: "Safe Harbour", Kind: tropic.AgencyCharity}
	for _, a := range []*tropic.Agency{unit, charity} {
		if err := ts.agencies.CreateAgency(ctx, testAdmin, a); err != nil {
			t.Fatal(err)
		}
	}
	_, workerTok := e.staff("worker@unit.example", "Wendy Walker", unit, tropic.RoleCaseworker)
	_, charityTok := e.staff("worker@charity.example", "Cara Ity", charity, tropic.RoleCaseworker)
	_, outsiderTok := e.staff("worker@watford.example", "Olly Outside", e.council, tropic.RoleCaseworker)

	res, c := jsonCall(t, ts, "POST", "/api/v1/cases", workerTok, map[string]any{"title": "Nail bar", "district": "st-albans", "exploitation_types": []string{"labour"}})
	wantAPI(t, "POST case", res, http.StatusCreated)
	ref := c["reference"].(string)
	person := func(given, dob string) int64 {
		res, p := jsonCall(t, ts, "POST", "/api/v1/cases/"+ref+"/people", workerTok, map[string]any{
			"given_name": given, "family_name": "Quarrington", "date_of_birth": dob, "role": "potential_victim"})
		wantAPI(t, "POST person", res, http.StatusCreated)
		return jint(p, "cases", 0, "id")
	}
	adult, child := person("Ilona", "1990-02-03"), person("Mira", "2010-06-07")
	refer := func(tok string, link int64, body map[string]any) (*response, map[string]any) {
		return jsonCall(t, ts, "POST", fmt.Sprintf("/api/v1/cases/%s/people/%d/referrals", ref, link), tok, body)
	}
	today := ts.clock.Now().UTC()
	longAgo := today.AddDate(0, 0, -30).Format(time.DateOnly)

	var nrm int64
	t.Run("An adult who consents goes into the NRM, with a deadline that is overdue", func(t *testing.T) {
		res, r := refer(workerTok, adult, map[string]any{"age_group": "adult", "consent": true, "submitted_on": longAgo,
			"exploitation_types": []string{"labour"}, "competent_authority": "sca", "crime_reference": "41/1/25", "notes": "Spoke at the nail bar"})
		wantAPI(t, "POST referral", res, http.StatusCreated)
		nrm = jint(r, "id")
		if r["route"] != "nrm" || r["status"] != "awaiting_rg" || r["person_name"] != "Ilona Quarrington" || r["case_reference"] != ref ||
			jget(r, "next_deadline", "overdue") != true || jint(r, "next_deadline", "days_waiting") != 30 || r["version"] != 1.0 ||
			res.location() != fmt.Sprintf("/api/v1/referrals/%d", nrm) {
			t.Errorf("got %s", res.body)
		}
	})

	t.Run("A child goes into the NRM without consent", func(t *testing.T) {
		res, r := refer(workerTok, child, map[string]any{"age_group": "child", "submitted_on": today.Format(time.DateOnly), "ictg": true})
		wantAPI(t, "POST child referral", res, http.StatusCreated)
		if r["route"] != "nrm" || r["consent"] != false || r["ictg"] != true {
			t.Errorf("got %s", res.body)
		}
	})

	var dtn int64
	t.Run("An adult who does not consent is reported through the Duty to Notify, naming no one", func(t *testing.T) {
		res, r := refer(workerTok, adult, map[string]any{"age_group": "adult", "submitted_on": today.Format(time.DateOnly), "notes": "Ilona is scared"})
		wantProblem(t, "DtN with notes", res, r, "notes")
		res, r = refer(workerTok, adult, map[string]any{"age_group": "adult", "submitted_on": today.Format(time.DateOnly), "gender": "female", "nationality": "Polish"})
		wantAPI(t, "POST DtN", res, http.StatusCreated)
		dtn = jint(r, "id")
		if r["route"] != "dtn" || r["status"] != "notified" || strings.Contains(res.body, "Ilona") || strings.Contains(res.body, "Quarrington") ||
			strings.Contains(res.body, ref) || r["next_deadline"] != nil {
			t.Errorf("got %s", res.body)
		}
	})

	t.Run("The consent gate refuses with the field that stops it", func(t *testing.T) {
		res, r := refer(charityTok, adult, map[string]any{"age_group": "adult", "consent": true, "submitted_on": longAgo})
		if res.status != http.StatusNotFound {
			t.Errorf("a charity that does not work the case: got %d %s, want 404", res.status, res.body)
		}
		res, r = refer(outsiderTok, adult, map[string]any{"age_group": "adult", "consent": true, "submitted_on": longAgo})
		wantAPI(t, "a council that does not work the case", res, http.StatusNotFound)
		res, r = refer(workerTok, adult, map[string]any{"age_group": "elderly", "submitted_on": longAgo})
		wantProblem(t, "bad age group", res, r, "age_group")
		res, r = refer(workerTok, adult, map[string]any{"age_group": "adult", "consent": true, "submitted_on": "2999-01-01"})
		wantProblem(t, "future date", res, r, "submitted_on")
		res, r = refer(workerTok, adult, map[string]any{"age_group": "adult", "consent": true, "submitted_on": longAgo, "surprise": 1})
		if res.status != http.StatusUnprocessableEntity && res.status != http.StatusBadRequest {
			t.Errorf("an unknown field: got %d %s", res.status, res.body)
		}
		_ = r
	})

	t.Run("A referral the user may not see answers as a missing one", func(t *testing.T) {
		res, hidden := jsonCall(t, ts, "GET", fmt.Sprintf("/api/v1/referrals/%d", nrm), outsiderTok, nil)
		res2, missing := jsonCall(t, ts, "GET", "/api/v1/referrals/999999", outsiderTok, nil)
		wantAPI(t, "hidden", res, http.StatusNotFound)
		wantAPI(t, "missing", res2, http.StatusNotFound)
		if !reflect.DeepEqual(hidden, missing) {
			t.Errorf("hidden %v, missing %v", hidden, missing)
		}
		res, _ = jsonCall(t, ts, "GET", "/api/v1/referrals/abc", workerTok, nil)
		wantAPI(t, "bad id", res, http.StatusNotFound)
		res, _ = jsonCall(t, ts, "GET", fmt.Sprintf("/api/v1/referrals/%d", dtn), outsiderTok, nil)
		wantAPI(t, "hidden DtN", res, http.StatusNotFound)
		res, l := jsonCall(t, ts, "GET", "/api/v1/referrals", outsiderTok, nil)
		if res.status == http.StatusOK && jint(l, "total") != 0 {
			t.Errorf("the outsider lists %s", res.body)
		}
	})

	t.Run("Decisions come in order, against the version read", func(t *testing.T) {
		path := fmt.Sprintf("/api/v1/referrals/%d/decisions", nrm)
		res, r := jsonCall(t, ts, "POST", path, workerTok, map[string]any{"kind": "cg", "date": today.Format(time.DateOnly), "outcome": "victim_slavery", "version": 1})
		wantProblem(t, "CG before RG", res, r, "kind")
		res, r = jsonCall(t, ts, "POST", path, workerTok, map[string]any{"kind": "rg", "date": today.Format(time.DateOnly), "outcome": "positive"})
		wantProblem(t, "no version", res, r, "version")
		rgDate := today.AddDate(0, 0, -25).Format(time.DateOnly)
		res, r = jsonCall(t, ts, "POST", path, workerTok, map[string]any{"kind": "rg", "date": rgDate, "outcome": "positive", "version": 1})
		wantAPI(t, "RG", res, http.StatusOK)
		if r["status"] != "awaiting_cg" || r["rg_date"] != rgDate || r["version"] != 2.0 || jint(r, "next_deadline", "days_waiting") != 25 {
			t.Errorf("got %s", res.body)
		}
		res, _ = jsonCall(t, ts, "POST", path, workerTok, map[string]any{"kind": "withdrawn", "date": today.Format(time.DateOnly), "version": 1})
		wantAPI(t, "stale version", res, http.StatusConflict)
		res, r = jsonCall(t, ts, "POST", path, workerTok, map[string]any{"kind": "cg", "date": today.Format(time.DateOnly), "outcome": "victim_slavery", "version": 2})
		wantProblem(t, "CG inside the recovery period", res, r, "date")
		res, _ = jsonCall(t, ts, "POST", path, outsiderTok, map[string]any{"kind": "withdrawn", "date": today.Format(time.DateOnly), "version": 2})
		wantAPI(t, "outsider's decision", res, http.StatusNotFound)
	})

	t.Run("Lists filter; figures answer", func(t *testing.T) {
		res, l := jsonCall(t, ts, "GET", "/api/v1/referrals", workerTok, nil)
		wantAPI(t, "list", res, http.StatusOK)
		if jint(l, "total") != 3 || jlen(l, "referrals") != 3 {
			t.Errorf("got %s", res.body)
		}
		res, l = jsonCall(t, ts, "GET", "/api/v1/referrals?route=dtn", workerTok, nil)
		if jint(l, "total") != 1 || jint(l, "referrals", 0, "id") != dtn {
			t.Errorf("route=dtn: got %s", res.body)
		}
		res, l = jsonCall(t, ts, "GET", "/api/v1/referrals?status=awaiting_cg", workerTok, nil)
		if jint(l, "total") != 1 || jint(l, "referrals", 0, "id") != nrm {
			t.Errorf("status=awaiting_cg: got %s", res.body)
		}
		res, l = jsonCall(t, ts, "GET", "/api/v1/referrals?waiting=1&limit=1", workerTok, nil)
		if jlen(l, "referrals") != 1 || jint(l, "referrals", 0, "id") != nrm {
			t.Errorf("waiting, oldest first: got %s", res.body)
		}
		res, l = jsonCall(t, ts, "GET", "/api/v1/referrals?status=lost&route=x&overdue=maybe", workerTok, nil)
		for _, f := range []string{"status", "route", "overdue"} {
			wantProblem(t, "bad query", res, l, f)
		}
		res, f := jsonCall(t, ts, "GET", "/api/v1/referrals/figures", workerTok, nil)
		wantAPI(t, "figures", res, http.StatusOK)
		if jint(f, "agency", "rg_decided") != 1 || jget(f, "agency", "rg_median_days") != 5.0 || jget(f, "partnership", "referrals") == nil {
			t.Errorf("figures %s", res.body)
		}
	})
}

// TestOpenAPIReferralSchemasMatchTheCode holds the referral schemas to their Go types
// field by field, as the cases test does, and their enumerations to the domain's.
func TestOpenAPIReferralSchemasMatchTheCode(t *testing.T) {
	doc := loadOpenAPISchemas(t)
	schemas := []codeSchema{
		{"AgencySummary", agencySummary{}, false},
		{"ReferralDeadline", apiDeadline{}, false},
		{"ReferralSummary", apiReferralSummary{}, false},
		{"Referral", apiReferral{}, false},
		{"ReferralList", apiReferralList{}, false},
		{"DecisionTimes", apiDecisionTimes{}, false},
		{"ReferralFigures", apiReferralFigures{}, false},
		{"ReferralInput", apiReferralInput{}, true},
		{"ReferralDecisionInput", apiReferralDecisionInput{}, true},
	}
	checkSchemasMatchCode(t, doc, schemas)

	enum := doc.enum
	var authorities, locations, genders, exploitation []string
	for _, c := range tropic.CompetentAuthorities {
		authorities = append(authorities, string(c.Key))
	}
	for _, l := range tropic.ExploitationLocations {
		locations = append(locations, string(l.Key))
	}
	for _, g := range tropic.Genders {
		genders = append(genders, string(g.Key))
	}
	for _, x := range append(tropic.ExploitationTypes, tropic.ExploitNotSpecified) {
		exploitation = append(exploitation, string(x))
	}
	routes := []string{string(tropic.RouteNRM), string(tropic.RouteDtN)}
	ages := []string{string(tropic.AgeAdult), string(tropic.AgeChild)}
	checks := []struct {
		schema, prop string
		want         []string
	}{
		{"ReferralSummary", "status", apiReferralStatuses}, {"Referral", "status", apiReferralStatuses},
		{"ReferralSummary", "route", routes}, {"ReferralSummary", "age_group", ages}, {"ReferralInput", "age_group", ages},
		{"ReferralInput", "competent_authority", authorities}, {"Referral", "competent_authority", authorities},
		{"ReferralInput", "location", locations}, {"ReferralInput", "gender", genders},
		{"ReferralInput", "exploitation_types", exploitation}, {"ReferralSummary", "exploitation_types", exploitation},
		{"ReferralDecisionInput", "kind", apiReferralDecisionKinds},
		{"ReferralSummary", "rg_outcome", []string{tropic.RGPositive, tropic.RGNegative, tropic.RGSuspended}},
		{"ReferralSummary", "cg_outcome", []string{tropic.CGVictimTrafficking, tropic.CGVictimSlavery, tropic.CGInsufficient}},
	}
	for _, c := range checks {
		if got := enum(c.schema, c.prop); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s.%s enumerates %v; the domain has %v", c.schema, c.prop, got, c.want)
		}
	}
	// Every status the domain can answer is in the list.
	for _, r := range []tropic.Referral{{Route: tropic.RouteDtN}, {DisqualifiedOn: "x"}, {WithdrawnOn: "x"}, {ReconsiderationRequested: "x"},
		{CGOutcome: "x"}, {RGOutcome: tropic.RGPositive}, {RGOutcome: tropic.RGNegative}, {}} {
		if !apiOneOf(apiReferralStatuses, r.Status()) {
			t.Errorf("status %q is not in apiReferralStatuses", r.Status())
		}
	}
}
