package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// caseEnv is the triage set-up (the police triage hub, Watford's triage officer and
// a Watford caseworker-supervisor) with caseworkers and supervisors on both sides.
type caseEnv struct {
	*triageEnv
	police, council *tropic.Agency
	worker          *tropic.User // caseworker, police
	worker2         *tropic.User // caseworker, police
	super           *tropic.User // supervisor, police
	analyst         *tropic.User // analyst, police: does not work cases
	cWorker         *tropic.User // caseworker, Watford
	cSuper          *tropic.User // supervisor, Watford
}

func newCaseEnv(t *testing.T) *caseEnv {
	t.Helper()
	return newCaseEnvOn(t, store.SQLite)
}

// newCaseEnvOn is newCaseEnv on the database of dialect d.
func newCaseEnvOn(t *testing.T, d store.Dialect) *caseEnv {
	t.Helper()
	e := &caseEnv{triageEnv: newTriageEnvOn(t, d)}
	if e.ts.srv.deps.Cases == nil {
		t.Fatal("newTestServer wires no CaseService")
	}
	e.police, e.council = e.ts.agency, e.other
	e.worker = e.addStaff("alex@police.example", "Alex Archer", e.police, tropic.RoleCaseworker)
	e.worker2 = e.addStaff("bea@police.example", "Bea Bello", e.police, tropic.RoleCaseworker)
	e.super = e.addStaff("sam@police.example", "Sam Carver", e.police, tropic.RoleSupervisor)
	e.analyst = e.addStaff("ana@police.example", "Ana Lyst", e.police, tropic.RoleAnalyst)
	e.cWorker = e.addStaff("chen@watford.example", "Chen Dunmore", e.council, tropic.RoleCaseworker)
	e.cSuper = e.addStaff("dev@watford.example", "Dev Ellery", e.council, tropic.RoleSupervisor)
	return e
}

var caseLocationRE = regexp.MustCompile(`^/cases/(C-[0-9A-Z-]+)`)

// refFrom reads the case reference from a redirect to a case page.
func refFrom(t *testing.T, res *response) string {
	t.Helper()
	m := caseLocationRE.FindStringSubmatch(res.location())
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("got %d to %q, want a redirect to a case\n%s", res.status, res.location(), res.body)
	}
	return m[1]
}

// newCase creates a case through the form and returns its reference.
func (e *caseEnv) newCase(c *client, title string) string {
	e.t.Helper()
	return refFrom(e.t, c.post("/cases/new", url.Values{"title": {title}, "district": {"st-albans"}, "exploitation": {"labour"}}))
}

// addPerson adds a person through the form, creating a new record past any matches.
func (e *caseEnv) addPerson(c *client, ref string, form url.Values) {
	e.t.Helper()
	path := "/cases/" + ref + "/people/new"
	res := c.post(path, form)
	if res.status == http.StatusOK { // possible matches: create anew
		form = cloneValues(form)
		form.Set("step", "matches")
		form.Set("match", "new")
		res = c.post(path, form)
	}
	wantRedirect(e.t, res, "/cases/"+ref+"#people")
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// share shares the case with agency as the supervisor (at once) and returns the share's id.
func (e *caseEnv) share(ref string, agency *tropic.Agency, scope tropic.ShareScope) string {
	e.t.Helper()
	c := e.as(e.super)
	res := c.post("/cases/"+ref+"/share", url.Values{"agency": {strconv.FormatInt(agency.ID, 10)}, "scope": {string(scope)},
		"lawful_basis": {"gdpr_6_1_e"}, "reason": {"Joint safeguarding visit"}, "agreement_reason": {"No agreement in the test register"}})
	wantRedirect(e.t, res, "/cases/"+ref)
	page := pageText(c.get("/cases/" + ref).body)
	wantContains(e.t, page, "The case is now shared with "+agency.Name)
	m := regexp.MustCompile(`/cases/`+ref+`/shares/(\d+)/revoke`).FindAllStringSubmatch(page, -1)
	if len(m) == 0 {
		e.t.Fatalf("no revoke button on the case page:\n%s", page)
	}
	return m[len(m)-1][1]
}

var personHrefRE = regexp.MustCompile(`href="/people/(\d+)"`)

// personID is the id of the first person linked from a page.
func personID(t *testing.T, body string) string {
	t.Helper()
	m := personHrefRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no person on the page:\n%s", body)
	}
	return m[1]
}

var anna = url.Values{"role": {"potential_victim"}, "given_name": {"Anna"}, "family_name": {"Kowalska"}, "date_of_birth": {"1998-04-27"},
	"nationality": {"Polish"}, "phone": {"07700 900456"}, "immigration_status": {"Asylum claim pending (test)"}, "health": {"Injured hand (test)"}}

// wantMissing checks that res is the page of a missing address, byte for byte as
// the user sees one (the nonce aside).
func wantMissing(t *testing.T, c *client, res *response) {
	t.Helper()
	missing := c.get("/cases/C-ZZZZ-ZZZZ-Z")
	if missing.status != http.StatusNotFound {
		t.Fatalf("a missing case: got %d, want 404", missing.status)
	}
	if res.status != http.StatusNotFound || withoutNonce(res.body) != withoutNonce(missing.body) {
		t.Errorf("got %d, want the missing page (404), identical:\n%s", res.status, pageText(res.body))
	}
	if other := c.get("/no-such-page"); withoutNonce(other.body) != withoutNonce(missing.body) {
		t.Error("a missing case does not answer as a missing page does")
	}
}

// wantForbidden holds a page to the answer for a record the user sees but may not do
// this to: 403, with the reason, never the missing page.
func wantForbidden(t *testing.T, res *response, reason string) {
	t.Helper()
	if res.status != http.StatusForbidden {
		t.Errorf("got %d, want 403:\n%s", res.status, pageText(res.body))
	}
	wantContains(t, pageText(res.body), "You cannot do this", reason)
}

func TestCaseFromATriagedReportIsInvisibleToAnotherAgencyUntilShared(t *testing.T) {
	e := newCaseEnv(t)
	rep := e.report(time.Hour, nil)
	triage := e.as(e.priya)
	res := triage.post("/triage/reports/"+rep.Reference+"/decision", url.Values{"decision": {"linked_to_case"}, "case_title": {"Victoria Street car wash"}, "reason": {"Four men, one van"}})
	ref := refFrom(t, res)
	page := pageText(triage.get("/cases/" + ref).body)
	wantContains(t, page, "Case "+ref+" has been created from report "+rep.Reference, "Victoria Street car wash", "Hertfordshire Constabulary",
		rep.Reference, "St Albans", "Labour")
	got, err := e.ts.srv.deps.Reports.FindReportByReference(context.Background(), testAdmin, rep.Reference)
	if err != nil || got.Status != tropic.ReportLinkedToCase {
		t.Fatalf("the report is %v (%v), want linked to the case", got.Status, err)
	}
	wantContains(t, pageText(triage.get("/triage/reports/"+rep.Reference).body), "Linked to case "+ref, "Four men, one van")

	council := e.as(e.cWorker)
	wantMissing(t, council, council.get("/cases/"+ref))
	wantMissing(t, council, council.get("/cases/"+strings.ToLower(ref)+"/edit"))
	wantMissing(t, council, council.get("/cases/"+ref+"/share"))
	wantNotContains(t, council.get("/cases").body, ref)
	wantNotContains(t, council.get("/cases?scope=shared").body, ref)
	wantNotContains(t, council.get("/cases?q="+url.QueryEscape("car wash")).body, ref)

	e.share(ref, e.council, tropic.ShareWhole)
	wantStatus(t, council.get("/cases/"+ref), http.StatusOK)
	shared := council.get("/cases?scope=shared").body
	wantContains(t, shared, ref, "Hertfordshire Constabulary")
	wantNotContains(t, council.get("/cases").body, ref) // not "ours"
	wantContains(t, pageText(council.get("/cases/"+ref).body), "Shared with your agency", "Joint safeguarding visit")
	// The receiving agency reads and contributes, but does not change the case itself.
	wantForbidden(t, council.get("/cases/"+ref+"/edit"), "Only Hertfordshire Constabulary can change this case.")
}

func TestCaseAddToAnExistingCaseFromTriage(t *testing.T) {
	e := newCaseEnv(t)
	ref := e.newCase(e.as(e.worker), "Nail bar on London Road")
	rep := e.report(time.Hour, nil)
	triage := e.as(e.priya)
	path := "/triage/reports/" + rep.Reference + "/decision"

	res := triage.post(path, url.Values{"decision": {"add_to_case"}, "case_reference": {"C-ZZZZ"}, "reason": {"Same address"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, pageText(res.body), `href="#case_reference"`, `value="C-ZZZZ"`, "Same address")

	// Watford's triage officer cannot add to a police case: the same answer as a missing one.
	tomRes := e.as(e.tom).post(path, url.Values{"decision": {"add_to_case"}, "case_reference": {ref}})
	wantStatus(t, tomRes, http.StatusUnprocessableEntity)
	wantContains(t, pageText(tomRes.body), "There is no case "+ref+" that your agency owns")

	wantRedirect(t, triage.post(path, url.Values{"decision": {"add_to_case"}, "case_reference": {strings.ToLower(ref)}}), "/cases/"+ref)
	wantContains(t, pageText(triage.get("/cases/"+ref).body), "Report "+rep.Reference+" has been added to this case", rep.Reference)
}

func TestCaseShareWithoutSensitiveFieldsHidesImmigrationStatusUntilRevoked(t *testing.T) {
	e := newCaseEnv(t)
	worker := e.as(e.worker)
	ref := e.newCase(worker, "Farm near Redbourn")
	e.addPerson(worker, ref, anna)
	wantRedirect(t, worker.post("/cases/"+ref+"/notes", url.Values{"text": {"Safe house address given (test)"}, "sensitive": {"1"}}), "/cases/"+ref+"#timeline")
	ownPage := worker.get("/cases/" + ref).body
	wantContains(t, pageText(ownPage), "Anna Kowalska", "Asylum claim pending (test)", "Safe house address given (test)", "Sensitive")
	id := personID(t, ownPage)
	wantContains(t, pageText(worker.get("/people/"+id).body), "Asylum claim pending (test)", "Injured hand (test)")

	shareID := e.share(ref, e.council, tropic.ShareWithoutSensitive)
	council := e.as(e.cWorker)
	for _, path := range []string{"/cases/" + ref, "/people/" + id} {
		res := council.get(path)
		wantStatus(t, res, http.StatusOK)
		page := pageText(res.body)
		wantContains(t, page, "Anna Kowalska", "Hidden: not shared with your agency")
		wantNotContains(t, page, "Asylum claim pending", "Injured hand", "Safe house address")
	}
	// Without sensitive fields, the agency only reads: no note form, no task link.
	wantNotContains(t, pageText(council.get("/cases/"+ref).body), `action="/cases/`+ref+`/notes"`, "Add a task")
	// Search never shows sensitive fields either.
	wantNotContains(t, council.get("/cases?q=Kowalska").body, "Asylum")

	wantRedirect(t, e.as(e.super).post("/cases/"+ref+"/shares/"+shareID+"/revoke", nil), "/cases/"+ref)
	wantMissing(t, council, council.get("/cases/"+ref))
	wantMissing(t, council, council.get("/people/"+id))
	wantNotContains(t, council.get("/cases?scope=shared").body, ref)
}

func TestCaseAccessLogIsForOwnerSupervisorsAndListsViews(t *testing.T) {
	e := newCaseEnv(t)
	worker := e.as(e.worker)
	ref := e.newCase(worker, "Car wash, Hatfield Road")
	e.addPerson(worker, ref, anna)
	e.share(ref, e.council, tropic.ShareWhole)
	council := e.as(e.cWorker)
	wantStatus(t, council.get("/cases/"+ref), http.StatusOK)
	wantStatus(t, council.get("/people/"+personID(t, council.get("/cases/"+ref).body)), http.StatusOK)

	page := pageText(e.as(e.super).get("/cases/" + ref).body)
	wantContains(t, page, "Who has seen this record", "Chen Dunmore", "Watford Borough Council", "person Anna Kowalska", "Alex Archer")
	for _, u := range []*tropic.User{e.worker, e.cWorker, e.cSuper} {
		wantNotContains(t, pageText(e.as(u).get("/cases/"+ref).body), "Who has seen this record")
	}
}

func TestCaseVictimToSuspectNeedsASupervisor(t *testing.T) {
	e := newCaseEnv(t)
	worker := e.as(e.worker)
	ref := e.newCase(worker, "Cannabis grow, Stevenage")
	e.addPerson(worker, ref, anna)
	id := personID(t, worker.get("/cases/"+ref).body)
	person := worker.get("/people/" + id).body
	m := regexp.MustCompile(`action="(/people/` + id + `/cases/(\d+)/role)"`).FindStringSubmatch(person)
	if m == nil {
		t.Fatalf("no role form on the person page:\n%s", pageText(person))
	}
	action, link := m[1], m[2]

	// Without a reason: refused, with the choice kept.
	res := worker.post(action, url.Values{"role": {"suspect"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `href="#link-`+link+`-reason"`, `<option value="suspect" selected>`)

	wantRedirect(t, worker.post(action, url.Values{"role": {"suspect"}, "reason": {"Seen directing the others (test)"}}), "/people/"+id)
	page := pageText(worker.get("/people/" + id).body)
	wantContains(t, page, "needs a supervisor’s approval", "Change to suspect awaits a supervisor’s approval", "Potential victim")
	wantContains(t, pageText(worker.get("/cases/"+ref).body), "Potential victim", "Change to suspect awaits a supervisor’s approval")

	// Caseworkers have no approvals page; the supervisor has, with the request.
	wantMissing(t, worker, worker.get("/cases/role-changes"))
	super := e.as(e.super)
	wantContains(t, pageText(super.get("/cases").body), "1 change of role awaits a supervisor’s decision")
	list := super.get("/cases/role-changes")
	wantStatus(t, list, http.StatusOK)
	wantContains(t, pageText(list.body), "Anna Kowalska: Potential victim to Suspect", ref, "Seen directing the others (test)", "Alex Archer")
	m = regexp.MustCompile(`name="id" value="(\d+)"`).FindStringSubmatch(list.body)
	if m == nil {
		t.Fatal("no decision form on the role changes page")
	}
	// Another agency's supervisor cannot decide it: the answer for a missing one.
	wantMissing(t, e.as(e.cSuper), e.as(e.cSuper).post("/cases/role-changes", url.Values{"id": {m[1]}, "decision": {"approve"}}))

	wantRedirect(t, super.post("/cases/role-changes", url.Values{"id": {m[1]}, "decision": {"approve"}, "note": {"Agreed after review (test)"}}), "/cases/role-changes")
	wantContains(t, pageText(super.get("/cases/role-changes").body), "You approved the change of role", "No role changes are waiting", "Agreed after review (test)")
	page = pageText(worker.get("/cases/" + ref).body)
	wantContains(t, page, "Suspect")
	wantNotContains(t, page, "awaits a supervisor")

	// Other changes happen at once.
	wantRedirect(t, worker.post(action, url.Values{"role": {"witness"}}), "/people/"+id)
	wantContains(t, pageText(worker.get("/people/"+id).body), "Role on case "+ref+" changed to witness.")
}

func TestCaseS45NoticeShowsWithoutTheOtherCase(t *testing.T) {
	e := newCaseEnv(t)
	// Watford holds Anna as a potential victim, and shares that case with the police.
	cWorker := e.as(e.cWorker)
	councilRef := e.newCase(cWorker, "Watford domestic servitude (secret title)")
	e.addPerson(cWorker, councilRef, anna)
	cSuper := e.as(e.cSuper)
	wantRedirect(t, cSuper.post("/cases/"+councilRef+"/share", url.Values{"agency": {strconv.FormatInt(e.police.ID, 10)}, "scope": {"whole"},
		"lawful_basis": {"dpa_part3"}, "reason": {"Police investigation"}, "agreement_reason": {"No agreement in the test register"}}), "/cases/"+councilRef)
	shareID := regexp.MustCompile(`/shares/(\d+)/revoke`).FindStringSubmatch(cSuper.get("/cases/" + councilRef).body)[1]

	// The police add the same person to their own case as a suspect, from the matches.
	worker := e.as(e.worker)
	policeRef := e.newCase(worker, "Burglaries in Watford")
	form := cloneValues(anna)
	form.Set("role", "suspect")
	path := "/cases/" + policeRef + "/people/new"
	res := worker.post(path, form)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, pageText(res.body), "Is this person already recorded?", "Anna Kowalska", "same date of birth", councilRef)
	id := regexp.MustCompile(`name="match" type="radio" value="(\d+)"`).FindStringSubmatch(res.body)[1]
	form.Set("step", "matches")
	noChoice := worker.post(path, form)
	wantStatus(t, noChoice, http.StatusUnprocessableEntity)
	wantContains(t, noChoice.body, `href="#match"`)
	form.Set("match", id)
	wantRedirect(t, worker.post(path, form), "/cases/"+policeRef+"#people")

	// The share ends; the notice stays, naming only the agency to contact.
	wantRedirect(t, cSuper.post("/cases/"+councilRef+"/shares/"+shareID+"/revoke", nil), "/cases/"+councilRef)
	page := worker.get("/cases/" + policeRef).body
	wantContains(t, pageText(page), "Anna Kowalska</a> is a potential victim on another case held by Watford Borough Council: the s.45 defence may apply; contact Watford Borough Council.")
	wantNotContains(t, page, councilRef, "secret title", "domestic servitude")
	wantMissing(t, worker, worker.get("/cases/"+councilRef))

	// The notice offers to ask Watford for its case; the request names the suspect on
	// the police's own case, and reaches Watford's supervisors.
	ask := regexp.MustCompile(`href="(/cases/` + policeRef + `/access-request\?[^"]+)">Ask Watford Borough Council for access to their case`).FindStringSubmatch(page)
	if ask == nil {
		t.Fatalf("the s.45 notice offers no request:\n%s", pageText(page))
	}
	q, _ := url.ParseQuery(html.UnescapeString(ask[1])[len("/cases/"+policeRef+"/access-request?"):])
	form = url.Values{"person": q["person"], "agency": q["agency"], "scope": {"whole"}, "lawful_basis": {"dpa_part3"}, "reason": {"Before we interview her"},
		"agreement": {"none"}, "agreement_reason": {"No agreement in the test register"}}
	wantRedirect(t, worker.post("/cases/"+policeRef+"/access-request", form), "/cases/"+policeRef)
	wantContains(t, pageText(cSuper.get("/approvals").body), "a suspect on its case was a potential victim on this case")
	wantNotContains(t, worker.get("/access-requests").body, councilRef, "secret title")
}

func TestCaseStaleEditIsRefusedWithWhoAndWhenAndKeepsTheTyping(t *testing.T) {
	e := newCaseEnv(t)
	alex, bea := e.as(e.worker), e.as(e.worker2)
	ref := e.newCase(alex, "Warehouse in Hemel")
	form := alex.get("/cases/" + ref + "/edit").body
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("no version in the edit form:\n%s", form)
	}
	edit := url.Values{"version": {m[1]}, "title": {"Warehouse in Hemel Hempstead"}, "district": {"st-albans"}, "exploitation": {"labour"}, "status": {"active"}}
	wantRedirect(t, bea.post("/cases/"+ref+"/edit", edit), "/cases/"+ref)

	mine := cloneValues(edit)
	mine.Set("title", "Alex's better title")
	mine.Set("crime_reference", "41/123456/26")
	mine.Set("offence", "msa_s1")
	res := alex.post("/cases/"+ref+"/edit", mine)
	wantStatus(t, res, http.StatusConflict)
	page := pageText(res.body)
	wantContains(t, page, "Bea Bello", "changed this case on", "Your changes have not been saved", "Warehouse in Hemel Hempstead",
		`value="Alex's better title"`, `value="41/123456/26"`)
	if !strings.HasPrefix(pageTitle(res.body), "Error: ") {
		t.Errorf("title %q does not start with Error:", pageTitle(res.body))
	}
	// Saving again from the refused form replaces the other change, knowingly.
	v := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(res.body)[1]
	if v == m[1] {
		t.Fatalf("the refused form still carries version %s", v)
	}
	mine.Set("version", v)
	wantRedirect(t, alex.post("/cases/"+ref+"/edit", mine), "/cases/"+ref)
	wantContains(t, pageText(alex.get("/cases/"+ref).body), "Alex's better title", "41/123456/26", "MSA 2015 s.1")
}

func TestCaseSearchFindsAPhoneInAnyFormat(t *testing.T) {
	e := newCaseEnv(t)
	worker := e.as(e.worker)
	ref := e.newCase(worker, "Takeaway on the High Street")
	wantRedirect(t, worker.post("/cases/"+ref+"/phones/new", url.Values{"number": {"07700900123"}, "notes": {"Manager's mobile"}}), "/cases/"+ref)
	wantRedirect(t, worker.post("/cases/"+ref+"/vehicles/new", url.Values{"registration": {"ab12 cde"}}), "/cases/"+ref)
	for _, q := range []string{"+44 7700 900123", "AB12CDE"} {
		res := worker.get("/cases?q=" + url.QueryEscape(q))
		wantStatus(t, res, http.StatusOK)
		wantContains(t, pageText(res.body), ref, "Takeaway on the High Street")
	}
	wantContains(t, pageText(worker.get("/cases?q="+url.QueryEscape("+44 7700 900123")).body), "phone: 07700900123")
	wantContains(t, pageText(worker.get("/cases/"+ref).body), "07700900123", "ab12 cde") // as typed
	// Nobody else's search finds it.
	wantContains(t, pageText(e.as(e.cWorker).get("/cases?q="+url.QueryEscape("+44 7700 900123")).body), "No case you may see matches")
}

func TestCaseListTabsSortAndPaginate(t *testing.T) {
	e := newCaseEnv(t)
	worker := e.as(e.worker)
	empty := pageText(worker.get("/cases").body)
	wantContains(t, empty, "Your agency has no cases yet")
	wantContains(t, pageText(worker.get("/cases?scope=shared").body), "No cases are shared with your agency")
	var refs []string
	for i := range casePageSize + 2 {
		refs = append(refs, e.newCase(worker, "Case number "+strconv.Itoa(100+i)))
		e.ts.clock.Advance(time.Minute)
	}
	res := worker.get("/cases")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, `aria-sort="descending"`, `aria-current="page">Our cases`,
		"Showing 1 to 25 of 27 cases.", `class="govuk-pagination"`, `href="/cases?page=2"`, refs[len(refs)-1])
	wantNotContains(t, res.body, refs[0])
	page2 := worker.get("/cases?page=2").body
	wantContains(t, page2, "Showing 26 to 27 of 27 cases.", refs[0], refs[1])
	// An agency with more cases than the list counts past the first row shown is
	// told "more than" the cases counted, and still offered the next page.
	defer func(past int) { listCountPast = past }(listCountPast)
	listCountPast = casePageSize + 1
	capped := worker.get("/cases").body
	wantContains(t, capped, "Showing 1 to 25 of more than 26 cases.", `href="/cases?page=2"`)
	wantContains(t, worker.get("/cases?page=2").body, "Showing 26 to 27 of 27 cases.")
	listCountPast = casePageSize + 2
	wantContains(t, worker.get("/cases").body, "Showing 1 to 25 of 27 cases.")

	byTitle := worker.get("/cases?sort=title").body
	if i, j := strings.Index(byTitle, "Case number 100"), strings.Index(byTitle, "Case number 101"); i < 0 || j < 0 || i > j {
		t.Error("sorting by title does not list the titles in order")
	}
	wantContains(t, byTitle, `<th scope="col" class="govuk-table__header" aria-sort="ascending"><a class="govuk-link" href="/cases?sort=title">Title`)
	wantContains(t, pageText(worker.get("/cases?status=closed").body), "No cases match these filters")
	// Those who do not work cases are not offered them.
	analyst := e.as(e.analyst)
	wantMissing(t, analyst, analyst.get("/cases"))
	wantNotContains(t, analyst.get("/staff").body, `href="/cases"`)
	wantContains(t, worker.get("/staff").body, `href="/cases"`)
}

func TestCaseFormsKeepWhatWasTypedOnAProblem(t *testing.T) {
	e := newCaseEnv(t)
	worker := e.as(e.worker)
	res := worker.post("/cases/new", url.Values{"title": {""}, "crime_reference": {"41/99"}, "offence": {""}, "district": {"st-albans"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `href="#title"`, `value="41/99"`, `<option value="st-albans" selected>`)

	ref := e.newCase(worker, "Nail bar, Watford")
	for _, tt := range []struct {
		path  string
		form  url.Values
		field string
		kept  string
	}{
		{"places/new", url.Values{"kind": {"home"}, "address": {"12 Example Road"}, "postcode": {"not a postcode"}}, "postcode", "12 Example Road"},
		{"businesses/new", url.Values{"name": {"Shiny Nails"}, "kind": {"nail_bar"}, "company_number": {"123"}}, "company_number", "Shiny Nails"},
		{"vehicles/new", url.Values{"registration": {"AB!2"}, "description": {"Blue van"}}, "registration", "Blue van"},
		{"phones/new", url.Values{"number": {"call me"}, "notes": {"Boss"}}, "number", "Boss"},
		{"tasks/new", url.Values{"title": {"Visit the premises"}}, "assignee", "Visit the premises"},
		{"share", url.Values{"scope": {"whole"}, "reason": {"Joint visit"}}, "agency", "Joint visit"},
		{"close", url.Values{"version": {"1"}}, "outcome", ""},
		{"orders/new", url.Values{"kind": {"stpo"}, "made_on": {"1/12/2026"}, "notes": {"No contact"}}, "person", "No contact"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			res := worker.post("/cases/"+ref+"/"+tt.path, tt.form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res.body, `href="#`+tt.field+`"`, tt.kept)
		})
	}
	res = worker.post("/cases/"+ref+"/notes", url.Values{"text": {"  "}, "sensitive": {"1"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `href="#note-text"`)

	// And the happy paths, each back on the case with its message.
	wantRedirect(t, worker.post("/cases/"+ref+"/places/new", url.Values{"kind": {"business_premises"}, "address": {"3 High Street, Watford"}, "postcode": {"wd17 2aa"}}), "/cases/"+ref)
	wantRedirect(t, worker.post("/cases/"+ref+"/businesses/new", url.Values{"name": {"Shiny Nails"}, "kind": {"nail_bar"}, "company_number": {"01234567"}}), "/cases/"+ref)
	wantRedirect(t, worker.post("/cases/"+ref+"/tasks/new", url.Values{"title": {"Visit the premises"}, "assignee": {"user:" + strconv.FormatInt(e.worker.ID, 10)}, "due": {"1/1/2020"}}), "/cases/"+ref)
	page := pageText(worker.get("/cases/" + ref).body)
	wantContains(t, page, "WD17 2AA", "Shiny Nails", "Nail bar", "Visit the premises", "Overdue")
	home := pageText(worker.get("/staff").body)
	wantContains(t, home, "Visit the premises", ref)
	wantNotContains(t, home, "You have no tasks")
	m := regexp.MustCompile(`action="(/cases/` + ref + `/tasks/\d+/complete)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no button to complete the task")
	}
	wantRedirect(t, worker.post(m[1], nil), "/cases/"+ref)
	wantContains(t, pageText(worker.get("/cases/"+ref).body), "The task is marked as done.", "Done")

	// Close and reopen, each against the current version.
	v := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(worker.get("/cases/" + ref + "/close").body)[1]
	// A caseworker asks; a supervisor approves on the close page.
	wantStatus(t, worker.post("/cases/"+ref+"/close", url.Values{"version": {v}, "outcome": {"safeguarded"}}), http.StatusUnprocessableEntity)
	wantRedirect(t, worker.post("/cases/"+ref+"/close", url.Values{"version": {v}, "outcome": {"safeguarded"}, "reason": {"All safe"}}), "/cases/"+ref)
	wantContains(t, pageText(worker.get("/cases/"+ref).body), "Your request to close the case has been sent", "a request to close it waits for a supervisor")
	super := e.as(e.super)
	wantContains(t, pageText(super.get("/cases/"+ref+"/close").body), "Decide the request to close the case", "Alex Archer", "All safe")
	wantRedirect(t, super.post("/cases/"+ref+"/closure", url.Values{"decision": {"approve"}}), "/cases/"+ref)
	wantContains(t, pageText(super.get("/cases/"+ref).body), "The request is approved and the case is closed", "Victims safeguarded", "Reopen the case")
	res = worker.post("/cases/"+ref+"/reopen", url.Values{"version": {v}, "reason": {"New report"}})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res.body, "New report", "Sam Carver")
}

func TestCaseNotesAreCorrectedByLaterNotesAfterTheGracePeriod(t *testing.T) {
	e := newCaseEnv(t)
	worker := e.as(e.worker)
	ref := e.newCase(worker, "Car wash on the ring road")
	wantRedirect(t, worker.post("/cases/"+ref+"/notes", url.Values{"text": {"Visited on Tuesday"}}), "/cases/"+ref+"#timeline")
	page := worker.get("/cases/" + ref).body
	m := regexp.MustCompile(`href="(/cases/` + ref + `/notes/(\d+)/edit)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the author cannot change a fresh note:\n%s", pageText(page))
	}
	wantNotContains(t, e.as(e.worker2).get("/cases/"+ref).body, m[1])
	wantForbidden(t, e.as(e.worker2).get(m[1]), "Only the person who wrote a note can change it.")
	wantRedirect(t, worker.post(m[1], url.Values{"text": {"Visited on Wednesday"}}), "/cases/"+ref+"#timeline")
	wantContains(t, pageText(worker.get("/cases/"+ref).body), "Visited on Wednesday", "changed by the author")

	e.ts.clock.Advance(tropic.NoteGrace + time.Minute)
	wantNotContains(t, worker.get("/cases/"+ref).body, m[1])
	wantStatus(t, worker.get(m[1]), http.StatusConflict)
	wantRedirect(t, worker.post("/cases/"+ref+"/notes", url.Values{"text": {"It was Thursday"}, "corrects": {m[2]}}), "/cases/"+ref+"#timeline")
	page = pageText(worker.get("/cases/" + ref).body)
	wantContains(t, page, "This note corrects", `href="#note-`+m[2]+`"`, "Corrected by a later note")
}

func TestCaseShareRequestedByACaseworkerAwaitsASupervisor(t *testing.T) {
	e := newCaseEnv(t)
	worker := e.as(e.worker)
	ref := e.newCase(worker, "Construction site, Borehamwood")
	form := worker.get("/cases/" + ref + "/share")
	wantStatus(t, form, http.StatusOK)
	wantContains(t, form.body, "Your request goes to a supervisor", "UK GDPR Art 6(1)(e): public task", "The case without sensitive fields")
	wantNotContains(t, form.body, `<option value="`+strconv.FormatInt(e.police.ID, 10)+`"`) // not the owner
	wantRedirect(t, worker.post("/cases/"+ref+"/share", url.Values{"agency": {strconv.FormatInt(e.council.ID, 10)}, "scope": {"whole"},
		"lawful_basis": {"consent"}, "reason": {"Housing support"}, "until": {"31/12/2099"}, "agreement_reason": {"No agreement in the test register"}}), "/cases/"+ref)
	page := pageText(worker.get("/cases/" + ref).body)
	wantContains(t, page, "has been sent to a supervisor", "Awaiting a supervisor", "Explicit consent", "31 December 2099")
	wantNotContains(t, page, "/decision") // caseworkers do not decide
	council := e.as(e.cWorker)
	wantMissing(t, council, council.get("/cases/"+ref))

	super := e.as(e.super)
	m := regexp.MustCompile(`action="(/cases/` + ref + `/shares/\d+/decision)"`).FindStringSubmatch(super.get("/cases/" + ref).body)
	if m == nil {
		t.Fatal("the supervisor has no decision on the share")
	}
	wantRedirect(t, super.post(m[1], url.Values{"decision": {"approve"}}), "/cases/"+ref)
	wantContains(t, pageText(super.get("/cases/"+ref).body), "You approved the share", "Active")
	wantStatus(t, council.get("/cases/"+ref), http.StatusOK)
}

func TestCasePersonEditRefusesAStaleSaveAndKeepsTheTyping(t *testing.T) {
	e := newCaseEnv(t)
	alex, bea := e.as(e.worker), e.as(e.worker2)
	ref := e.newCase(alex, "Hand car wash, Hoddesdon")
	e.addPerson(alex, ref, anna)
	id := personID(t, alex.get("/cases/"+ref).body)
	form := alex.get("/people/" + id + "/edit")
	wantStatus(t, form, http.StatusOK)
	wantContains(t, pageText(form.body), `value="Anna"`, "Asylum claim pending (test)")
	v := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(form.body)[1]

	edit := cloneValues(anna)
	edit.Del("role")
	edit.Set("version", v)
	edit.Set("nationality", "Polish and Ukrainian")
	wantRedirect(t, bea.post("/people/"+id+"/edit", edit), "/people/"+id)

	mine := cloneValues(edit)
	mine.Set("languages", "Polish, some English")
	res := alex.post("/people/"+id+"/edit", mine)
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, pageText(res.body), "Bea Bello", "changed this person's record", `value="Polish, some English"`)
	bad := cloneValues(edit)
	bad.Set("approx_age", "twenty")
	res = alex.post("/people/"+id+"/edit", bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `href="#approx_age"`, `value="twenty"`)

	// Another agency, even with a whole-case share, does not edit the person: it sees
	// them, so it is told why.
	e.share(ref, e.council, tropic.ShareWhole)
	council := e.as(e.cWorker)
	wantNotContains(t, council.get("/people/"+id).body, "/people/"+id+"/edit")
	wantForbidden(t, council.get("/people/"+id+"/edit"), "Only an agency with this person on one of its own cases can change their details.")
}

func TestCaseNewFromAReportIsFilledInFromIt(t *testing.T) {
	e := newCaseEnv(t)
	rep := e.report(time.Hour, nil)
	triage := e.as(e.priya)
	res := triage.get("/cases/new?report=" + strings.ToLower(rep.Reference))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, pageText(res.body), "From report "+rep.Reference, `value="Labour exploitation, St Albans (report `+rep.Reference+`)"`,
		`<option value="st-albans" selected>`, `name="report" value="`+rep.Reference+`"`)
	// A caseworker who may not see the report gets the missing page.
	worker := e.as(e.worker)
	wantMissing(t, worker, worker.get("/cases/new?report="+rep.Reference))
	ref := refFrom(t, triage.post("/cases/new", url.Values{"title": {"From the full form"}, "report": {rep.Reference}, "exploitation": {"labour"}}))
	wantContains(t, pageText(triage.get("/cases/"+ref).body), "has been created from report "+rep.Reference, rep.Reference)
}

func TestTriageOnlyOpensCasesWithoutSeeingThem(t *testing.T) {
	e := newCaseEnv(t)
	hub := e.addStaff("hub@police.example", "Hana Hub", e.police, tropic.RoleTriage)
	rep := e.report(time.Hour, nil)
	triage := e.as(hub)
	res := triage.post("/triage/reports/"+rep.Reference+"/decision", url.Values{"decision": {"linked_to_case"}, "case_title": {"Victoria Street car wash"}})
	if res.status != http.StatusSeeOther || res.location() != "/triage/reports/"+rep.Reference {
		t.Fatalf("got %d to %q, want 303 back to the report: the triage hub sees reports, not cases", res.status, res.location())
	}
	page := pageText(triage.get(res.location()).body)
	wantContains(t, page, "has been created from report "+rep.Reference, "Our cases")
	got, err := e.ts.srv.deps.Reports.FindReportByReference(context.Background(), testAdmin, rep.Reference)
	if err != nil || got.Status != tropic.ReportLinkedToCase {
		t.Fatalf("the report is %v (%v), want linked to the new case", got.Status, err)
	}
	cases, _, err := e.ts.srv.deps.Cases.FindCases(context.Background(), tropic.ActorFor(e.worker), tropic.CaseFilter{Scope: "ours"})
	if err != nil || len(cases) == 0 {
		t.Fatalf("the agency's caseworkers find %d cases (%v), want the new one", len(cases), err)
	}
	ref := cases[0].Reference
	wantMissing(t, triage, triage.get("/cases/"+ref))
	wantMissing(t, triage, triage.get("/cases"))
}
