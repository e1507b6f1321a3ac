package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// TestReferralTheNRMFormStoresGenderNationalityAndAgeAtExploitation posts the NRM
// referral form end to end and reads the stored referral: gender and nationality (as
// the API stores them), offered with what the person's record holds, and the age at
// exploitation apart from the age at referral.
func TestReferralTheNRMFormStoresGenderNationalityAndAgeAtExploitation(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.fr, "pat@beds.example")
	res := p.gate("adult", "yes", "2026-01-02")
	wantStatus(t, res, http.StatusOK)
	// Anna's record says Polish: the form offers it.
	wantContains(t, res.body, `name="step" value="nrm"`, `name="gender"`, `name="nationality"`, `value="Polish"`, `name="age_at_exploitation"`)

	id := e.refer(p, "nrm", "adult", "yes", url.Values{"gender": {"female"}, "nationality": {"Polish"}, "age_at_exploitation": {"child"}})
	got, err := e.ts.srv.deps.Referrals.FindReferral(context.Background(), tropic.ActorFor(e.userOf(t, "pat@beds.example")), id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Route != tropic.RouteNRM || got.Gender != "female" || got.Nationality != "Polish" || got.AgeGroup != tropic.AgeAdult || got.AgeAtExploitation != tropic.AgeChild {
		t.Errorf("stored NRM referral: route %q gender %q nationality %q age %q at exploitation %q; want nrm, female, Polish, adult, child",
			got.Route, got.Gender, got.Nationality, got.AgeGroup, got.AgeAtExploitation)
	}
	view := pageText(p.c.get(referralPath(id)).body)
	wantContains(t, view, "Female", "Polish", "Age at exploitation", "Child (under 18)")
	// Anna's record holds no gender: the summary for the Home Office form gives the referral's.
	sum := pageText(p.c.get(referralPath(id) + "/summary").body)
	wantContains(t, sum, "Female", "Polish", "Age at exploitation")

	// A gender that is not on the list is refused on its field, keeping what was typed.
	res = p.c.post(p.path(), url.Values{"step": {"nrm"}, "age_group": {"adult"}, "consent": {"yes"}, "consent_at": {"2026-01-02"},
		"submitted_on": {"2026-01-02"}, "exploitation": {"labour"}, "location": {"uk"}, "competent_authority": {"sca"},
		"gender": {"dragon"}, "nationality": {"Latvian"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `href="#gender"`, `value="Latvian"`)
}

// TestReferralAChildsFormAsksNoAgeAtExploitation: a child, or a person who may be one,
// was exploited as a child; the stored referral says so.
func TestReferralAChildsFormAsksNoAgeAtExploitation(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.fr, "pat@beds.example")
	res := p.gate("not_sure", "", "")
	wantStatus(t, res, http.StatusOK)
	wantNotContains(t, res.body, `name="age_at_exploitation"`)
	id := e.refer(p, "nrm", "not_sure", "", url.Values{"gender": {"male"}, "age_at_exploitation": {"adult"}})
	got, err := e.ts.srv.deps.Referrals.FindReferral(context.Background(), tropic.ActorFor(e.userOf(t, "pat@beds.example")), id)
	if err != nil {
		t.Fatal(err)
	}
	if got.AgeGroup != tropic.AgeChild || !got.PossiblyChild || got.AgeAtExploitation != tropic.AgeChild || got.Gender != "male" {
		t.Errorf("stored: age %q possibly %v at exploitation %q gender %q; want child, true, child, male", got.AgeGroup, got.PossiblyChild, got.AgeAtExploitation, got.Gender)
	}
}

// TestReferralAPITreatsAPersonWhoMayBeAChildAsAChild: possibly_child with age_group
// "adult", or with no age group, goes into the NRM without consent and is stored as
// a child exploited as a child (MSA s.51).
func TestReferralAPITreatsAPersonWhoMayBeAChildAsAChild(t *testing.T) {
	e := newCaseAPIEnv(t)
	ts := e.ts
	unit := &tropic.Agency{Name: "Modern Slavery Unit", Kind: tropic.AgencyPolice, FirstResponder: true, DutyToNotify: true}
	if err := ts.agencies.CreateAgency(context.Background(), testAdmin, unit); err != nil {
		t.Fatal(err)
	}
	_, tok := e.staff("worker@unit.example", "Wendy Walker", unit, tropic.RoleCaseworker)
	res, c := jsonCall(t, ts, "POST", "/api/v1/cases", tok, map[string]any{"title": "Nail bar", "district": "st-albans", "exploitation_types": []string{"labour"}})
	wantAPI(t, "POST case", res, http.StatusCreated)
	ref := c["reference"].(string)
	res, p := jsonCall(t, ts, "POST", "/api/v1/cases/"+ref+"/people", tok, map[string]any{"given_name": "Ilona", "family_name": "Q", "role": "potential_victim"})
	wantAPI(t, "POST person", res, http.StatusCreated)
	link := jint(p, "cases", 0, "id")
	today := ts.clock.Now().UTC().Format(time.DateOnly)
	for _, body := range []map[string]any{
		{"age_group": "adult", "possibly_child": true, "submitted_on": today, "gender": "female", "nationality": "Polish"},
		{"possibly_child": true, "submitted_on": today},
	} {
		res, r := jsonCall(t, ts, "POST", "/api/v1/cases/"+ref+"/people/"+strconv.FormatInt(link, 10)+"/referrals", tok, body)
		wantAPI(t, "POST referral", res, http.StatusCreated)
		if r["route"] != "nrm" || r["age_group"] != "child" || r["possibly_child"] != true || r["age_at_exploitation"] != "child" {
			t.Errorf("%v: got %s; want an NRM referral of a child exploited as a child", body, res.body)
		}
	}
	res, r := jsonCall(t, ts, "POST", "/api/v1/cases/"+ref+"/people/"+strconv.FormatInt(link, 10)+"/referrals", tok,
		map[string]any{"possibly_child": true, "age_at_exploitation": "adult", "submitted_on": today})
	wantProblem(t, "possibly a child exploited as an adult", res, r, "age_at_exploitation")

	// A suspended RG decision is not overdue through the API either.
	longAgo := ts.clock.Now().UTC().AddDate(0, 0, -30).Format(time.DateOnly)
	res, r = jsonCall(t, ts, "POST", "/api/v1/cases/"+ref+"/people/"+strconv.FormatInt(link, 10)+"/referrals", tok,
		map[string]any{"age_group": "child", "submitted_on": longAgo})
	wantAPI(t, "POST late referral", res, http.StatusCreated)
	if jget(r, "next_deadline", "overdue") != true {
		t.Fatalf("a referral of 30 days ago with no RG decision: got %s, want overdue", res.body)
	}
	id := jint(r, "id")
	res, r = jsonCall(t, ts, "POST", "/api/v1/referrals/"+strconv.FormatInt(id, 10)+"/decisions", tok,
		map[string]any{"kind": "rg", "date": ts.clock.Now().UTC().AddDate(0, 0, -20).Format(time.DateOnly), "outcome": "suspended", "version": 1})
	wantAPI(t, "RG suspended", res, http.StatusOK)
	if r["status"] != "rg_suspended" || r["next_deadline"] != nil {
		t.Errorf("suspended: got %s, want status rg_suspended and no deadline", res.body)
	}
	res, l := jsonCall(t, ts, "GET", "/api/v1/referrals?overdue=1", tok, nil)
	wantAPI(t, "overdue list", res, http.StatusOK)
	if jint(l, "total") != 0 {
		t.Errorf("overdue list: got %s, want none (the only late referral is suspended)", res.body)
	}
}

// TestReferralAnOverturnedRGDecisionShowsAsNegativeThenPositive: the page keeps what
// was decided when, and the recovery period runs from the reconsideration.
func TestReferralAnOverturnedRGDecisionShowsAsNegativeThenPositive(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.fr, "pat@beds.example")
	now := e.ts.clock.Now()
	on := func(daysAgo int) string { return now.AddDate(0, 0, -daysAgo).Format(time.DateOnly) }
	id := e.refer(p, "nrm", "adult", "yes", url.Values{"submitted_on": {on(60)}, "consent_at": {on(60)}})
	path := referralPath(id)
	for i, d := range []url.Values{
		{"kind": {"rg"}, "date": {on(55)}, "outcome": {"negative"}},
		{"kind": {"reconsideration_requested"}, "date": {on(50)}},
		{"kind": {"reconsideration_decided"}, "date": {on(10)}, "outcome": {"overturned"}},
	} {
		d.Set("version", strconv.Itoa(i+1))
		wantRedirect(t, p.c.post(path+"/decisions", d), path)
	}
	page := pageText(p.c.get(path).body)
	recoveryEnds := now.AddDate(0, 0, -10+30).Format("2 January 2006")
	wantContains(t, page, "Awaiting Conclusive Grounds")
	// Each decision as it was made, and the recovery period from the reconsideration.
	for _, r := range [][3]string{{"Reasonable Grounds decision", caseDate(on(55)), "Negative"},
		{"Reconsideration decided", caseDate(on(10)), "Decision overturned: the Reasonable Grounds decision is positive"},
		{"Recovery period ends", recoveryEnds, "30 days at least"}} {
		re := regexp.MustCompile(regexp.QuoteMeta(r[0]+"</th>") + `\s*<td[^>]*>` + regexp.QuoteMeta(r[1]) + `</td>\s*<td[^>]*>` + regexp.QuoteMeta(r[2]) + `</td>`)
		if !re.MatchString(page) {
			t.Errorf("no row %q, %q, %q on the page", r[0], r[1], r[2])
		}
	}
}
