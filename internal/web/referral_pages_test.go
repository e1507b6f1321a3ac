package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// referralEnv adds to the case set-up three agencies that differ in what they may do:
// a police force that is a first responder bound by the Duty to Notify, a council
// bound by the duty but no first responder, and a charity that is a first responder
// the duty does not bind. Each has a caseworker with a case and a potential victim.
type referralEnv struct {
	*caseEnv
	fr, bound, charity *tropic.Agency
}

type referralPerson struct {
	c    *client
	ref  string // the case
	link string // the person's link to the case
}

func newReferralEnv(t *testing.T) *referralEnv {
	t.Helper()
	e := &referralEnv{caseEnv: newCaseEnv(t)}
	if e.ts.srv.deps.Referrals == nil {
		t.Fatal("newTestServer wires no ReferralService")
	}
	ctx := context.Background()
	for _, a := range []**tropic.Agency{&e.fr, &e.bound, &e.charity} {
		*a = &tropic.Agency{}
	}
	*e.fr = tropic.Agency{Name: "Bedfordshire Police", Kind: tropic.AgencyPolice, FirstResponder: true, DutyToNotify: true}
	*e.bound = tropic.Agency{Name: "Dacorum Borough Council", Kind: tropic.AgencyDistrictCouncil, DutyToNotify: true}
	*e.charity = tropic.Agency{Name: "Herts Refuge Trust", Kind: tropic.AgencyCharity, FirstResponder: true}
	for _, a := range []*tropic.Agency{e.fr, e.bound, e.charity} {
		if err := e.ts.agencies.CreateAgency(ctx, testAdmin, a); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

var referHrefRE = regexp.MustCompile(`href="/cases/(C-[0-9A-Z-]+)/people/(\d+)/referral/new"`)

// victim signs in a caseworker of agency a, who opens a case with Anna on it as a
// potential victim, and returns where to refer her from.
func (e *referralEnv) victim(a *tropic.Agency, email string) referralPerson {
	e.t.Helper()
	c := e.as(e.addStaff(email, "Worker "+email, a, tropic.RoleCaseworker))
	ref := e.newCase(c, "Car wash on London Road")
	e.addPerson(c, ref, anna)
	page := c.get("/cases/" + ref).body
	person := c.get("/people/" + personID(e.t, page)).body
	m := referHrefRE.FindStringSubmatch(person)
	if m == nil {
		e.t.Fatalf("no ‘Refer to the NRM’ link on the person’s page:\n%s", pageText(person))
	}
	return referralPerson{c: c, ref: m[1], link: m[2]}
}

func (p referralPerson) path() string {
	return "/cases/" + p.ref + "/people/" + p.link + "/referral/new"
}

// gate answers the consent gate.
func (p referralPerson) gate(age, consent, consentAt string) *response {
	return p.c.post(p.path(), url.Values{"step": {"gate"}, "age_group": {age}, "consent": {consent}, "consent_at": {consentAt}})
}

var referralLocationRE = regexp.MustCompile(`^/referrals/(\d+)$`)

// refer goes through the gate and posts the route's form with extra, returning the
// referral's id.
func (e *referralEnv) refer(p referralPerson, step, age, consent string, extra url.Values) int64 {
	e.t.Helper()
	today := e.ts.clock.Now().Format(time.DateOnly)
	form := url.Values{"step": {step}, "age_group": {age}, "consent": {consent}, "submitted_on": {today},
		"exploitation": {"labour"}, "location": {"uk"}}
	if consent == "yes" {
		form.Set("consent_at", today)
	}
	if step == "nrm" {
		form.Set("competent_authority", "sca")
	}
	for k, v := range extra {
		form[k] = v
	}
	res := p.c.post(p.path(), form)
	m := referralLocationRE.FindStringSubmatch(res.location())
	if res.status != http.StatusSeeOther || m == nil {
		e.t.Fatalf("POST %s: got %d to %q, want a redirect to the referral\n%s", p.path(), res.status, res.location(), pageText(res.body))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// identifying are the names of fields that would identify a person.
var identifying = []string{`name="given_name"`, `name="family_name"`, `name="date_of_birth"`, `name="phone"`, `name="email"`,
	`name="notes"`, `name="home_office_reference"`, `name="crime_reference"`, `name="support_provider"`, `name="childrens_services"`}

func TestReferralAnAdultWithoutConsentAtABoundAgencyGetsOnlyTheDutyToNotifyFormAndNothingIdentifyingIsStored(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.bound, "dee@dacorum.example")
	res := p.gate("adult", "no", "")
	wantStatus(t, res, http.StatusOK)
	page := pageText(res.body)
	wantContains(t, page, "Report under the Duty to Notify", "s.52(3)", "Dacorum Borough Council is bound by the Duty to Notify",
		`name="step" value="dtn"`, `name="gender"`, `name="nationality"`, `name="exploitation"`, `name="location"`)
	wantNotContains(t, res.body, identifying...)
	wantNotContains(t, page, "Anna", "Kowalska")

	// Identifying fields posted anyway are not read.
	id := e.refer(p, "dtn", "adult", "no", url.Values{"gender": {"female"}, "nationality": {"Polish"},
		"notes": {"Anna Kowalska, born 1998"}, "given_name": {"Anna"}, "crime_reference": {"41/12345/26"}})
	got, err := e.ts.srv.deps.Referrals.FindReferral(context.Background(), tropic.ActorFor(e.userOf(t, "dee@dacorum.example")), id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Route != tropic.RouteDtN || got.PersonID != 0 || got.PersonName != "" || got.CaseID != 0 || got.CaseReference != "" ||
		got.Notes != "" || got.CrimeReference != "" || got.HomeOfficeReference != "" {
		t.Errorf("stored DtN report %+v, want route dtn and nothing that identifies the person", got)
	}
	if got.Gender != "female" || got.Nationality != "Polish" {
		t.Errorf("stored gender %q nationality %q, want female, Polish", got.Gender, got.Nationality)
	}
	view := p.c.get(referralPath(id))
	wantStatus(t, view, http.StatusOK)
	wantContains(t, pageText(view.body), "Duty to Notify report", "Not identified")
	wantNotContains(t, pageText(view.body), "Anna", "Kowalska", p.ref)
	sum := p.c.get(referralPath(id) + "/summary")
	wantStatus(t, sum, http.StatusOK)
	wantNotContains(t, pageText(sum.body), "Anna", "Kowalska", "1998")
}

// userOf finds a test user by e-mail address.
func (e *referralEnv) userOf(t *testing.T, email string) *tropic.User {
	t.Helper()
	u, err := e.ts.users.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestReferralTheConsentGateOnTheForm(t *testing.T) {
	e := newReferralEnv(t)
	fr := e.victim(e.fr, "fay@beds.example")
	charity := e.victim(e.charity, "cat@refuge.example")
	bound := e.victim(e.bound, "dee@dacorum.example")
	for _, tc := range []struct {
		name       string
		p          referralPerson
		age, cons  string
		status     int
		wants      []string
		unwanted   []string
		errorField string
	}{
		{"an adult without consent at a first responder not bound by the duty is refused with the reason", charity, "adult", "no",
			http.StatusUnprocessableEntity, []string{"the Duty to Notify does not apply to your agency"}, []string{`name="step" value="dtn"`}, "consent"},
		{"a child goes into the NRM without consent", fr, "child", "", http.StatusOK,
			[]string{"Refer Anna Kowalska into the NRM", "A child is referred into the NRM without needing to consent", `name="childrens_services"`, `name="ictg"`},
			[]string{`name="support_provider"`}, ""},
		{"a person who may be under 18 is treated as a child", fr, "not_sure", "no", http.StatusOK,
			[]string{"section 51", "treated as a child", `name="step" value="nrm"`, `name="childrens_services"`}, nil, ""},
		{"an adult who consents goes into the NRM", fr, "adult", "yes", http.StatusOK,
			[]string{"An adult who gives informed consent", `name="support_provider"`, `name="crime_reference"`}, []string{`name="childrens_services"`}, ""},
		{"an adult who consents at an agency that is no first responder is refused", bound, "adult", "yes", http.StatusUnprocessableEntity,
			[]string{"Only a first responder organisation can make an NRM referral"}, nil, "consent"},
		{"a child at an agency that is no first responder is refused", bound, "child", "", http.StatusUnprocessableEntity,
			[]string{"Only a first responder organisation can refer a child"}, nil, "age_group"},
		{"no age is a problem on the age", fr, "", "", http.StatusUnprocessableEntity, []string{"Say whether the person is an adult or a child"}, nil, "age_group"},
		{"an adult's consent needs its date", fr, "adult", "yes-no-date", http.StatusUnprocessableEntity, []string{"Enter the date consent was given"}, nil, "consent_at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			consent, at := tc.cons, ""
			if consent == "yes" {
				at = "2026-01-02"
			}
			if consent == "yes-no-date" {
				consent = "yes"
			}
			res := tc.p.gate(tc.age, consent, at)
			wantStatus(t, res, tc.status)
			wantContains(t, pageText(res.body), tc.wants...)
			wantNotContains(t, res.body, tc.unwanted...)
			if tc.errorField != "" {
				wantContains(t, res.body, `href="#`+tc.errorField+`"`, `id="`+tc.errorField+`-error"`)
			}
		})
	}
}

func TestReferralAChildAndAPersonWhoMayBeAChildGoIntoTheNRMWithoutConsent(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.fr, "fay@beds.example")
	actor := tropic.ActorFor(e.userOf(t, "fay@beds.example"))
	for _, age := range []string{"child", "not_sure"} {
		id := e.refer(p, "nrm", age, "no", url.Values{"childrens_services": {"Hertfordshire Children’s Services"}, "ictg": {"1"}})
		got, err := e.ts.srv.deps.Referrals.FindReferral(context.Background(), actor, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Route != tropic.RouteNRM || got.AgeGroup != tropic.AgeChild || got.Consent || got.PersonID == 0 || !got.ICTG {
			t.Errorf("%s: stored %+v, want an NRM referral of a child without consent, with the person and an ICTG", age, got)
		}
		if got.PossiblyChild != (age == "not_sure") {
			t.Errorf("%s: possibly child %v", age, got.PossiblyChild)
		}
	}
}

func TestReferralTheNRMFormReRendersWithItsProblemsKeepingWhatWasTyped(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.fr, "fay@beds.example")
	res := p.c.post(p.path(), url.Values{"step": {"nrm"}, "age_group": {"adult"}, "consent": {"yes"}, "consent_at": {"2026-01-02"},
		"submitted_on": {"not a date"}, "crime_reference": {"41/999/26"}, "notes": {"Found at the car wash"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `href="#submitted_on"`, `href="#exploitation"`, `href="#competent_authority"`, `value="41/999/26"`, "Found at the car wash")
}

func TestReferralDecisionsAreRecordedInOrderAndACGBeforeTheRGIsRefusedOnTheField(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.fr, "fay@beds.example")
	id := e.refer(p, "nrm", "adult", "yes", url.Values{"crime_reference": {"41/12345/26"}})
	path := referralPath(id)
	page := p.c.get(path)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, pageText(page.body), "Reasonable Grounds decision", "Awaiting Reasonable Grounds", `name="version" value="1"`)
	today := e.ts.clock.Now().Format(time.DateOnly)

	res := p.c.post(path+"/decisions", url.Values{"kind": {"cg"}, "date": {today}, "outcome": {"victim_trafficking"}, "version": {"1"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `href="#decision_kind"`, `id="decision_kind-error"`, "A Conclusive Grounds decision follows a positive Reasonable Grounds decision")
	wantContains(t, res.body, `value="`+today+`"`)

	wantRedirect(t, p.c.post(path+"/decisions", url.Values{"kind": {"rg"}, "date": {today}, "outcome": {"positive"}, "version": {"1"}}), path)
	page = p.c.get(path)
	wantContains(t, pageText(page.body), "The decision has been recorded", "Awaiting Conclusive Grounds", "Recovery period ends", `name="version" value="2"`)

	// The recovery period comes first.
	res = p.c.post(path+"/decisions", url.Values{"kind": {"cg"}, "date": {today}, "outcome": {"victim_trafficking"}, "version": {"2"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `href="#decision_date"`, "recovery period")

	// A stale version is refused.
	res = p.c.post(path+"/decisions", url.Values{"kind": {"withdrawn"}, "date": {today}, "version": {"1"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, pageText(res.body), "Someone recorded a change")
}

func TestReferralSummaryPageAndPDF(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.fr, "fay@beds.example")
	id := e.refer(p, "nrm", "adult", "yes", url.Values{"crime_reference": {"41/12345/26"}, "support_provider": {"The Salvation Army"},
		"notes": {"Identified at a welfare visit"}})
	sum := p.c.get(referralPath(id) + "/summary")
	wantStatus(t, sum, http.StatusOK)
	text := pageText(sum.body)
	wantContains(t, text, "1. First responder details", "Bedfordshire Police", "2. Potential victim details", "Anna Kowalska", "27 April 1998",
		"Polish", "3. Exploitation", "4. How they were identified", "Identified at a welfare visit", "5. Consent", "6. Support needs",
		"The Salvation Army", "7. Crime reference", "41/12345/26", "8. Competent authority", "Single Competent Authority (SCA)")
	if i, j := strings.Index(text, "1. First responder"), strings.Index(text, "8. Competent authority"); i < 0 || j < i {
		t.Error("the summary's sections are not in the Home Office form's order")
	}
	wantContains(t, sum.body, "app-print-summary")

	pdf := p.c.get(referralPath(id) + "/summary.pdf")
	wantStatus(t, pdf, http.StatusOK)
	if !strings.HasPrefix(pdf.body, "%PDF") {
		t.Fatalf("the PDF starts %q", pdf.body[:min(len(pdf.body), 20)])
	}
	for h, want := range map[string]string{"Content-Type": "application/pdf", "Cache-Control": "no-store",
		"Content-Disposition": `attachment; filename="referral-` + strconv.FormatInt(id, 10) + `-summary.pdf"`} {
		if got := pdf.header.Get(h); got != want {
			t.Errorf("%s %q, want %q", h, got, want)
		}
	}
	wantContains(t, pdf.body, "First responder details", "Bedfordshire Police", "Anna Kowalska", "41/12345/26", "Single Competent Authority",
		"The Salvation Army", "Crime reference")

	// Another agency that does not work the case sees neither.
	other := e.as(e.cWorker)
	wantMissing(t, other, other.get(referralPath(id)+"/summary.pdf"))
	wantMissing(t, other, other.get(referralPath(id)))
}

func TestReferralListsFiltersTheWaitingListAndFigures(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.fr, "fay@beds.example")
	old := e.ts.clock.Now().AddDate(0, 0, -30).Format(time.DateOnly)
	overdue := e.refer(p, "nrm", "adult", "yes", url.Values{"submitted_on": {old}, "consent_at": {old}})
	fresh := e.refer(p, "nrm", "child", "", nil)
	dtn := e.refer(p, "dtn", "adult", "no", url.Values{"gender": {"male"}})

	all := pageText(p.c.get("/referrals").body)
	wantContains(t, all, "NRM referral "+strconv.FormatInt(overdue, 10), "NRM referral "+strconv.FormatInt(fresh, 10),
		"Duty to Notify report "+strconv.FormatInt(dtn, 10), "Overdue", "30 days since submission", "Showing 1 to 3 of 3 referrals")

	only := pageText(p.c.get("/referrals?overdue=1").body)
	wantContains(t, only, "NRM referral "+strconv.FormatInt(overdue, 10), "Showing 1 to 1 of 1 referral")
	wantNotContains(t, only, "NRM referral "+strconv.FormatInt(fresh, 10))

	dtns := pageText(p.c.get("/referrals?route=dtn").body)
	wantContains(t, dtns, "Duty to Notify report "+strconv.FormatInt(dtn, 10), "Showing 1 to 1 of 1 referral")

	waiting := p.c.get("/referrals?view=waiting")
	wantStatus(t, waiting, http.StatusOK)
	w := pageText(waiting.body)
	i, j := strings.Index(w, "NRM referral "+strconv.FormatInt(overdue, 10)), strings.Index(w, "NRM referral "+strconv.FormatInt(fresh, 10))
	if i < 0 || j < 0 || j < i {
		t.Errorf("the waiting list does not put the oldest first:\n%s", w)
	}
	wantNotContains(t, w, "Duty to Notify report "+strconv.FormatInt(dtn, 10))

	status := pageText(p.c.get("/referrals?status=awaiting_rg&route=nrm").body)
	wantContains(t, status, "Showing 1 to 2 of 2 referrals")
	// Past what the list counts, it says "more than" (listCountPast is 10,000).
	defer func(past int) { listCountPast = past }(listCountPast)
	listCountPast = 2
	wantContains(t, pageText(p.c.get("/referrals").body), "Showing 1 to 3 of more than 2 referrals.")
	listCountPast = 3
	wantContains(t, pageText(p.c.get("/referrals").body), "Showing 1 to 3 of 3 referrals.")

	figures := p.c.get("/referrals/figures")
	wantStatus(t, figures, http.StatusOK)
	wantContains(t, pageText(figures.body), "Median days to Reasonable Grounds", "90th percentile days to Conclusive Grounds", "Bedfordshire Police", "The partnership")

	home := pageText(p.c.get("/staff").body)
	wantContains(t, home, "1 overdue")
}

func TestReferralTheFormIsMissingForAgenciesThatCannotRefer(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.fr, "fay@beds.example")
	// The case's own police force is neither a first responder nor bound by the duty.
	c := e.as(e.worker)
	ref := e.newCase(c, "Nail bar")
	e.addPerson(c, ref, anna)
	person := c.get("/people/" + personID(t, c.get("/cases/"+ref).body)).body
	if referHrefRE.MatchString(person) {
		t.Error("the person’s page offers a referral to an agency that cannot refer")
	}
	wantMissing(t, c, c.get(p.path()))
	wantForbidden(t, c.get("/cases/"+ref+"/people/1/referral/new"), "Only a first responder organisation can make an NRM referral")
	// An analyst does not work cases.
	a := e.as(e.analyst)
	wantMissing(t, a, a.get("/referrals"))
}
