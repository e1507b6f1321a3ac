package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// triageEnv is a server with two districts, a second agency, two triage officers
// and a caseworker of the second agency. Both agencies form the triage hub.
type triageEnv struct {
	t          *testing.T
	ts         *testServer
	other      *tropic.Agency // Watford Borough Council
	priya      *tropic.User   // triage, Hertfordshire Constabulary
	tom        *tropic.User   // triage, Watford Borough Council
	caseworker *tropic.User   // caseworker, Watford Borough Council
}

func newTriageEnv(t *testing.T) *triageEnv {
	t.Helper()
	return newTriageEnvOn(t, store.SQLite)
}

// newTriageEnvOn is newTriageEnv on the database of dialect d.
func newTriageEnvOn(t *testing.T, d store.Dialect) *triageEnv {
	t.Helper()
	ts := newTestServerOn(t, d, Config{MFAWaived: true})
	ctx := context.Background()
	for _, d := range []tropic.District{{Slug: "st-albans", Name: "St Albans"}, {Slug: "watford", Name: "Watford"}} {
		if err := ts.srv.deps.Reports.CreateDistrict(ctx, testAdmin, d); err != nil {
			t.Fatal(err)
		}
	}
	e := &triageEnv{t: t, ts: ts, other: &tropic.Agency{Name: "Watford Borough Council", Kind: tropic.AgencyDistrictCouncil, TriageHub: true}}
	if err := ts.agencies.CreateAgency(ctx, testAdmin, e.other); err != nil {
		t.Fatal(err)
	}
	e.priya = e.addStaff("priya@police.example", "Priya Shah", ts.agency, tropic.RoleTriage, tropic.RoleCaseworker) // a unit officer who triages and works cases
	e.tom = e.addStaff("tom@watford.example", "Tom Reed", e.other, tropic.RoleTriage)
	e.caseworker = e.addStaff("casey@watford.example", "Casey Lowe", e.other, tropic.RoleCaseworker, tropic.RoleSupervisor)
	return e
}

func (e *triageEnv) addStaff(email, name string, a *tropic.Agency, roles ...tropic.Role) *tropic.User {
	e.t.Helper()
	hash, err := auth.HashPassword(testPassword, testParams)
	if err != nil {
		e.t.Fatal(err)
	}
	u := &tropic.User{Email: email, Name: name, AgencyID: a.ID, Roles: roles}
	if err := e.ts.users.CreateUser(context.Background(), testAdmin, u, hash); err != nil {
		e.t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// as returns a browser signed in as u.
func (e *triageEnv) as(u *tropic.User) *client {
	e.t.Helper()
	c := e.ts.client(e.t)
	c.signInWaived(u.Email)
	return c
}

// triageReport is a stored report with its follow-up code.
type triageReport struct {
	*tropic.Report
	code string
}

// report stores a report received ago before now, as the public would send it:
// labour exploitation in St Albans, anonymous, through the online form, unless
// change says otherwise.
func (e *triageEnv) report(ago time.Duration, change func(*tropic.Report)) triageReport {
	e.t.Helper()
	r := &tropic.Report{
		Description:  "Four men sleep in the back of the car wash.\nA van collects them at 5am.",
		Location:     tropic.Location{Address: "Victoria Street car wash", Postcode: "AL1 3JX", District: "st-albans"},
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}},
		Reporter:     tropic.Reporter{Anonymous: true},
		Channel:      tropic.ChannelWeb,
	}
	if change != nil {
		change(r)
	}
	code := tropic.NewFollowUpCode()
	r.FollowUpHash = tropic.HashFollowUpCode(code)
	// Received in the past: move the shared clock back while storing it.
	now := e.ts.clock.Now()
	e.ts.clock.Set(now.Add(-ago))
	defer e.ts.clock.Set(now)
	if _, err := e.ts.srv.deps.Reports.CreateReport(context.Background(), tropic.SystemActor("web test"), r, ""); err != nil {
		e.t.Fatalf("create report: %v", err)
	}
	return triageReport{r, code}
}

// auditFor returns the audit events of action on report id, oldest first.
func (e *triageEnv) auditFor(action string, reportID int64) []*tropic.AuditEvent {
	e.t.Helper()
	events, _, err := e.ts.audit.FindAuditEvents(context.Background(), tropic.AuditFilter{Action: action, Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []*tropic.AuditEvent
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].ObjectID == reportID {
			out = append(out, events[i])
		}
	}
	return out
}

// triageMistype changes a reference's check character, as one slip of a finger would.
func triageMistype(ref string) string {
	swap := "A"
	if strings.HasSuffix(ref, "A") {
		swap = "B"
	}
	return ref[:len(ref)-1] + swap
}

// pageText is the main content as a reader sees it: entities decoded.
func pageText(body string) string { return html.UnescapeString(mainContent(body)) }

// queueRefs returns the references the queue lists, in order.
func queueRefs(body string) []string {
	var refs []string
	for _, part := range strings.Split(mainContent(body), `href="/triage/reports/`)[1:] {
		refs = append(refs, part[:strings.IndexByte(part, '"')])
	}
	return refs
}

func wantRefs(t *testing.T, body string, want ...string) {
	t.Helper()
	got := queueRefs(body)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("queue lists %v, want %v", got, want)
	}
}

func TestTriageQueueIsOrderedByUrgencyThenAge(t *testing.T) {
	e := newTriageEnv(t)
	routineOld := e.report(5*time.Hour, nil)
	urgentNew := e.report(1*time.Hour, func(r *tropic.Report) { r.People.ChildrenInvolved = tropic.AnswerYes })
	emergency := e.report(10*time.Minute, func(r *tropic.Report) {
		r.InDanger = tropic.AnswerYes
		r.Channel = tropic.ChannelHelpline
		r.Location.District = "watford"
	})
	urgentOld := e.report(3*time.Hour, func(r *tropic.Report) { r.Indicators = []tropic.Indicator{"documents_withheld"} })
	routineNew := e.report(2*time.Hour, func(r *tropic.Report) {
		r.Exploitation.Types = []tropic.ExploitationType{tropic.ExploitSexual, tropic.ExploitCriminal}
	})

	res := e.as(e.priya).get("/triage")
	wantStatus(t, res, http.StatusOK)
	wantRefs(t, res.body, emergency.Reference, urgentOld.Reference, urgentNew.Reference, routineOld.Reference, routineNew.Reference)
	text := pageText(res.body)
	wantContains(t, text,
		"Showing 1 to 5 of 5 open reports.",
		`<strong class="govuk-tag govuk-tag--red">Emergency</strong>`,
		`<strong class="govuk-tag govuk-tag--orange">Urgent</strong>`,
		`<strong class="govuk-tag govuk-tag--grey">Routine</strong>`,
		"emergency: someone is in immediate danger",
		"urgent: someone else holds their passport or id",
		"3 hours ago", "10 minutes ago",
		"St Albans", "Watford", "Labour", "Sexual & Criminal", "Helpline", "Online form", "Not claimed")
	if title := pageTitle(res.body); !strings.HasPrefix(title, "Triage queue") {
		t.Errorf("title %q", title)
	}
	wantContains(t, res.body, `href="/triage" aria-current="page">Triage queue</a>`)
}

func TestTriageQueueFiltersAndSearch(t *testing.T) {
	e := newTriageEnv(t)
	old := e.report(72*time.Hour, nil)
	helpline := e.report(time.Hour, func(r *tropic.Report) {
		r.Channel = tropic.ChannelHelpline
		r.Location.District = "watford"
		r.Exploitation.Types = []tropic.ExploitationType{tropic.ExploitSexual}
	})
	partner := e.report(26*time.Hour, func(r *tropic.Report) {
		r.Channel = tropic.ChannelPartner
		r.Location.District = "not_sure"
		r.Exploitation.Types = []tropic.ExploitationType{tropic.ExploitCriminal, tropic.ExploitLabour}
	})
	decided := e.report(2*time.Hour, nil)
	if err := e.ts.srv.deps.Reports.DecideReport(context.Background(), tropic.ActorFor(e.priya), decided.Reference,
		tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Checked: a licensed hand car wash"}); err != nil {
		t.Fatal(err)
	}
	oldDay := old.ReceivedAt.In(partnershipZone).Format("2006-01-02")
	oldDayTyped := old.ReceivedAt.In(partnershipZone).Format("2/1/2006")
	// A reference as people type it: lower case, without hyphens.
	typed := strings.ToLower(strings.ReplaceAll(helpline.Reference, "-", ""))
	mistyped := triageMistype(helpline.Reference)
	unknown := tropic.NewReference()

	tests := []struct {
		name  string
		query string
		refs  []string // in order; nil for none
		says  []string
	}{
		{"The queue holds every open report, and no decided one.", "", []string{old.Reference, partner.Reference, helpline.Reference}, []string{"3 open reports"}},
		{"A district filter keeps that district's reports.", "district=st-albans", []string{old.Reference}, nil},
		{"Reports whose district the reporter did not know can be found.", "district=not_sure", []string{partner.Reference}, []string{"Not sure"}},
		{"An exploitation filter matches one type of several.", "exploitation=labour", []string{old.Reference, partner.Reference}, nil},
		{"An exploitation filter keeps that type's reports.", "exploitation=sexual", []string{helpline.Reference}, nil},
		{"A channel filter keeps that channel's reports.", "channel=helpline", []string{helpline.Reference}, nil},
		{"A date range in ISO form keeps the reports received on those days.", "from=" + oldDay + "&to=" + oldDay, []string{old.Reference}, nil},
		{"A date range as people type it works too.", "from=" + url.QueryEscape(oldDayTyped) + "&to=" + url.QueryEscape(oldDayTyped), []string{old.Reference}, nil},
		{"A status filter finds decided reports.", "status=no_further_action", []string{decided.Reference}, []string{"1 reports", "No further action"}},
		{"All reports includes the decided ones.", "status=all", []string{old.Reference, partner.Reference, decided.Reference, helpline.Reference}, []string{"4 reports"}},
		{"A filter that matches nothing says so.", "status=duplicate", nil, []string{"No reports match these filters", "clear the filters"}},
		{"A reference finds its report whatever the filters say.", "ref=" + typed + "&district=st-albans", []string{helpline.Reference}, []string{"Search result"}},
		{"A decided report is found by its reference too.", "ref=" + decided.Reference, []string{decided.Reference}, nil},
		{"A mistyped reference is recognised as such.", "ref=" + mistyped, nil, []string{"That is not a reference Tropic gives: check it for a mistyped character", `value="` + mistyped + `"`}},
		{"A reference that is well formed but unknown says there is no such report.", "ref=" + unknown, nil, []string{"There is no report with the reference " + unknown}},
		{"A date that does not exist is a problem named on the page.", "from=31/02/2026", nil, []string{"Received from must be a real date", `value="31/02/2026"`}},
		{"A range that ends before it starts is a problem.", "from=2026-11-20&to=2026-11-19", nil, []string{"Received to must be the same as or after received from"}},
	}
	c := e.as(e.priya)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.get("/triage?" + tt.query)
			wantStatus(t, res, http.StatusOK)
			wantRefs(t, res.body, tt.refs...)
			text := html.UnescapeString(res.body)
			for _, s := range tt.says {
				if !strings.Contains(text, s) {
					t.Errorf("page does not say %q:\n%s", s, pageText(res.body))
				}
			}
		})
	}
}

func TestTriageQueueIsPaginatedFiftyAtATime(t *testing.T) {
	e := newTriageEnv(t)
	var refs []string
	for i := range 55 {
		refs = append(refs, e.report(time.Duration(60-i)*time.Minute, nil).Reference)
	}
	c := e.as(e.priya)
	first := c.get("/triage?channel=web")
	wantRefs(t, first.body, refs[:50]...)
	wantContains(t, first.body, "Showing 1 to 50 of 55 open reports.", `class="govuk-pagination"`,
		`href="/triage?channel=web&amp;page=2" rel="next"`, `aria-label="Page 1" aria-current="page"`)
	second := c.get("/triage?channel=web&page=2")
	wantRefs(t, second.body, refs[50:]...)
	wantContains(t, second.body, "Showing 51 to 55 of 55 open reports.", `href="/triage?channel=web" rel="prev"`)
	beyond := c.get("/triage?channel=web&page=9")
	wantRefs(t, beyond.body, refs[50:]...)
}

func TestTriageQueueEmptyStateAndStaffHome(t *testing.T) {
	e := newTriageEnv(t)
	c := e.as(e.priya)
	res := c.get("/triage")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "There are no reports waiting.")
	wantNotContains(t, res.body, "<table")
	home := c.get("/staff")
	wantContains(t, pageText(home.body), "No reports are waiting.", `href="/triage">Go to the triage queue</a>`)

	e.report(time.Hour, func(r *tropic.Report) { r.InDanger = tropic.AnswerYes })
	e.report(time.Hour, func(r *tropic.Report) { r.People.ChildrenInvolved = tropic.AnswerYes })
	e.report(time.Hour, func(r *tropic.Report) { r.Indicators = []tropic.Indicator{"locked_in"} })
	e.report(time.Hour, nil)
	home = c.get("/staff")
	wantContains(t, pageText(home.body), "1 emergency</strong>", "2 urgent</strong>", "4 open reports are waiting in all.")

	// Staff without the triage role see neither the count nor the queue in the navigation.
	other := e.as(e.caseworker).get("/staff")
	wantStatus(t, other, http.StatusOK)
	wantNotContains(t, other.body, "Triage queue", "1 emergency", `href="/triage"`)
}

func TestTriagePagesAnswerEveryoneElseAsAMissingPage(t *testing.T) {
	e := newTriageEnv(t)
	rep := e.report(time.Hour, nil)
	// Passed to the caseworker's agency, the report is theirs to see elsewhere, but
	// the triage pages stay closed to them.
	passed := e.report(time.Hour, nil)
	if err := e.ts.srv.deps.Reports.DecideReport(context.Background(), tropic.ActorFor(e.priya), passed.Reference,
		tropic.ReportDecision{Status: tropic.ReportPassedToAgency, AgencyID: e.other.ID, Reason: "Theirs to visit"}); err != nil {
		t.Fatal(err)
	}
	intake := e.addStaff("intake@police.example", "Ida Take", e.ts.agency, tropic.RoleIntake)
	missing := tropic.NewReference()

	for _, u := range []*tropic.User{e.caseworker, intake} {
		c := e.as(u)
		want := c.get("/no-such-page")
		wantStatus(t, want, http.StatusNotFound)
		for _, path := range []string{"/triage", "/triage?status=all", "/triage/reports/" + rep.Reference, "/triage/reports/" + passed.Reference, "/triage/reports/" + missing} {
			res := c.get(path)
			if res.status != http.StatusNotFound || withoutNonce(res.body) != withoutNonce(want.body) {
				t.Errorf("%s: GET %s answered %d, differently from a missing page:\n%s", u.Email, path, res.status, res.body)
			}
		}
		for _, action := range []string{"claim", "notes", "urgency", "decision"} {
			res := c.post("/triage/reports/"+rep.Reference+"/"+action, url.Values{"decision": {"no_further_action"}, "reason": {"x"}, "note": {"x"}, "urgency": {"routine"}, "urgency_reason": {"x"}})
			if res.status != http.StatusNotFound || withoutNonce(res.body) != withoutNonce(want.body) {
				t.Errorf("%s: POST %s answered %d, differently from a missing page", u.Email, action, res.status)
			}
		}
	}
	got, err := e.ts.srv.deps.Reports.FindReportByReference(context.Background(), testAdmin, rep.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if got.ClaimedBy != nil || got.Status != tropic.ReportNew || len(got.Notes) != 0 || got.UrgencyOverride {
		t.Errorf("a refused post changed the report: %+v", got)
	}

	// For triage too, an unknown or malformed reference is a missing page.
	c := e.as(e.priya)
	want := c.get("/no-such-page")
	for _, path := range []string{"/triage/reports/" + missing, "/triage/reports/not-a-reference"} {
		if res := c.get(path); res.status != http.StatusNotFound || withoutNonce(res.body) != withoutNonce(want.body) {
			t.Errorf("triage: GET %s answered %d, differently from a missing page", path, res.status)
		}
	}
	if res := c.post("/triage/reports/"+missing+"/claim", nil); res.status != http.StatusNotFound {
		t.Errorf("triage: claiming a missing report answered %d, want 404", res.status)
	}

	// Signed out, the pages ask for sign-in.
	if res := e.ts.client(t).get("/triage"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/login") {
		t.Errorf("signed out: GET /triage answered %d to %q, want 303 to /login", res.status, res.location())
	}
}

func TestTriageReportPageShowsTheWholeReport(t *testing.T) {
	e := newTriageEnv(t)
	rep := e.report(3*time.Hour, func(r *tropic.Report) {
		r.SeenOn = e.ts.clock.Now().AddDate(0, 0, -2).Format(time.DateOnly)
		r.SeenWhen = "Most mornings"
		r.InDanger = tropic.AnswerNo
		r.Indicators = []tropic.Indicator{"documents_withheld", "live_where_work"}
		r.People = tropic.People{Count: 4, ChildrenInvolved: tropic.AnswerNo, Description: "Young men, one limping"}
		r.Vehicles = []tropic.Vehicle{{Registration: "ab12 cde", Description: "White van"}}
		r.Phones = []tropic.Phone{{Number: "07700 900123"}}
		r.Businesses = []string{"Sparkle Hand Car Wash Ltd"}
		r.Reporter = tropic.Reporter{Name: "Alex Doe", Contact: "alex@example.org", Relationship: tropic.RelationshipProfessional}
		r.HowHeard = "poster_or_leaflet"
		r.Channel = tropic.ChannelHelpline
	})
	res := e.as(e.priya).get("/triage/reports/" + rep.Reference)
	wantStatus(t, res, http.StatusOK)
	text := pageText(res.body)
	wantContains(t, text, rep.Reference,
		"Four men sleep in the back of the car wash.", "A van collects them at 5am.",
		"Victoria Street car wash", "AL1 3JX", "St Albans", "Most mornings",
		"Someone else holds their passport or ID", "Living where they work",
		"Young men, one limping", "ab12 cde: White van", "07700 900123 (+447700900123)",
		"Sparkle Hand Car Wash Ltd", "Alex Doe", "alex@example.org", "A professional",
		"A poster, leaflet or advert", "Helpline", "3 hours ago",
		"urgent: someone else holds their passport or id",
		"Not claimed", "Report received",
		`action="/triage/reports/`+rep.Reference+`/claim"`)

	anon := e.report(time.Hour, nil)
	res = e.as(e.priya).get("/triage/reports/" + anon.Reference)
	wantContains(t, pageText(res.body), "Anonymous", "None given")

	// Every view of a report is audited.
	if n := len(e.auditFor(tropic.AuditReportViewed, rep.ID)); n != 1 {
		t.Errorf("got %d report.viewed events, want 1", n)
	}
}

func TestTriageClaimShowsWhoIsWorkingOnAReport(t *testing.T) {
	e := newTriageEnv(t)
	rep := e.report(time.Hour, nil)
	path := "/triage/reports/" + rep.Reference
	priya, tom := e.as(e.priya), e.as(e.tom)

	wantRedirect(t, priya.post(path+"/claim", nil), path)
	res := priya.get(path)
	wantContains(t, pageText(res.body), "You are now working on this report.", "You are working on this report, since")
	wantContains(t, res.body, "govuk-notification-banner--success")
	// The message is shown once.
	wantNotContains(t, priya.get(path).body, "govuk-notification-banner--success")
	wantContains(t, pageText(tom.get("/triage").body), "Claimed by Priya Shah, Hertfordshire Constabulary")

	// Tom sees who is working on it, and must take it over explicitly.
	res = tom.get(path)
	wantContains(t, pageText(res.body), "Priya Shah, Hertfordshire Constabulary is working on this report", "Take over from Priya Shah", `name="take_over" value="1"`)
	wantNotContains(t, res.body, `id="claim"`)
	// A claim from a page that was open before Priya claimed is refused, saying who.
	res = tom.post(path+"/claim", nil)
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, pageText(res.body), `<a href="#take_over">Priya Shah (Hertfordshire Constabulary) is already working on this report.`)
	wantRedirect(t, tom.post(path+"/claim", url.Values{"take_over": {"1"}}), path)
	wantContains(t, pageText(tom.get(path).body), "You have taken over this report.", "You are working on this report")
	wantContains(t, pageText(priya.get("/triage").body), "Claimed by Tom Reed, Watford Borough Council")
	wantContains(t, pageText(priya.get(path).body), "Tom Reed, Watford Borough Council is working on this report")

	events := e.auditFor(tropic.AuditReportClaimed, rep.ID)
	if len(events) != 2 || events[0].UserID != e.priya.ID || events[1].UserID != e.tom.ID || !strings.Contains(events[1].Detail, "taken over") {
		t.Errorf("claims audited as %+v, want Priya's claim then Tom's take-over", events)
	}
}

func TestTriageDecisionsAreRecordedWithWhoAndWhy(t *testing.T) {
	e := newTriageEnv(t)
	original := e.report(5*time.Hour, nil)
	tests := []struct {
		name     string
		form     url.Values
		status   tropic.ReportStatus
		timeline string // in the timeline and the audit detail
	}{
		{"No further action, with the reason.", url.Values{"decision": {"no_further_action"}, "reason": {"A licensed business; checked with the council"}},
			tropic.ReportNoFurtherAction, "Decision: No further action. A licensed business; checked with the council"},
		{"A duplicate of another report, by its reference as typed.", url.Values{"decision": {"duplicate"}, "duplicate_of": {strings.ToLower(original.Reference)}, "reason": {"Same car wash"}, "agency": {"1"}},
			tropic.ReportDuplicate, "Decision: Duplicate of " + original.Reference + ". Same car wash"},
		{"Passed to an agency, named.", url.Values{"decision": {"passed_to_agency"}, "agency": {"OTHER"}, "reason": {"Housing matter first"}, "duplicate_of": {"XXXX"}},
			tropic.ReportPassedToAgency, "Decision: Passed to agency: Watford Borough Council (without the reporter's contact details). Housing matter first"},
		// Creating a case, or adding to one, is tested with the case pages (case_pages_test.go).
	}
	c := e.as(e.priya)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := e.report(time.Hour, nil)
			path := "/triage/reports/" + rep.Reference
			if tt.form.Get("agency") == "OTHER" {
				tt.form.Set("agency", strconv.FormatInt(e.other.ID, 10))
			}
			wantRedirect(t, c.post(path+"/decision", tt.form), path)
			page := pageText(c.get(path).body)
			wantContains(t, page, "Decision recorded: "+strings.ToLower(tt.status.Label()), tt.timeline, "Priya Shah, Hertfordshire Constabulary", tt.status.Label())
			events := e.auditFor(tropic.AuditReportDecided, rep.ID)
			if len(events) != 1 || events[0].UserID != e.priya.ID || events[0].AgencyID != e.ts.agency.ID || events[0].Detail != strings.TrimPrefix(tt.timeline, "Decision: ") {
				t.Errorf("decision audited as %+v, want one event by Priya with detail %q", events, strings.TrimPrefix(tt.timeline, "Decision: "))
			}
			got, err := e.ts.srv.deps.Reports.FindReportByReference(context.Background(), testAdmin, rep.Reference)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.status {
				t.Errorf("status %q, want %q", got.Status, tt.status)
			}
			// Only the chosen decision's own field is kept.
			if tt.status != tropic.ReportDuplicate && got.DuplicateOf != "" || tt.status != tropic.ReportPassedToAgency && got.PassedToAgency != 0 {
				t.Errorf("another choice's field was stored: duplicate of %q, passed to %d", got.DuplicateOf, got.PassedToAgency)
			}
			for _, ref := range queueRefs(c.get("/triage").body) {
				if ref == rep.Reference {
					t.Errorf("decided report %s is still in the queue", ref)
				}
			}
		})
	}
}

func TestTriageFollowUpBringsADecidedReportBack(t *testing.T) {
	e := newTriageEnv(t)
	rep := e.report(2*time.Hour, nil)
	c := e.as(e.priya)
	wantRedirect(t, c.post("/triage/reports/"+rep.Reference+"/decision", url.Values{"decision": {"no_further_action"}, "reason": {"Nothing to act on"}}), "/triage/reports/"+rep.Reference)
	wantRefs(t, c.get("/triage").body)

	if err := e.ts.srv.deps.Reports.AddFollowUp(context.Background(), rep.Reference, tropic.HashFollowUpCode(rep.code), "They have moved to a house on Hatfield Road.\nThe van is still there."); err != nil {
		t.Fatal(err)
	}
	res := c.get("/triage")
	wantRefs(t, res.body, rep.Reference)
	wantContains(t, res.body, "New information", "No further action")
	page := pageText(c.get("/triage/reports/" + rep.Reference).body)
	wantContains(t, page, "New information", "The reporter added information", "They have moved to a house on Hatfield Road.", "The van is still there.",
		"Decision: No further action. Nothing to act on")
	if strings.Index(page, "Decision: No further action") > strings.Index(page, "The reporter added information") {
		t.Error("the timeline is not in the order things happened")
	}
	// A new decision takes it out of the queue again.
	refFrom(t, c.post("/triage/reports/"+rep.Reference+"/decision", url.Values{"decision": {"linked_to_case"}})) // a new case, on its page
	wantRefs(t, c.get("/triage").body)
}

func TestTriageNotesAndUrgency(t *testing.T) {
	e := newTriageEnv(t)
	rep := e.report(time.Hour, nil)
	path := "/triage/reports/" + rep.Reference
	c := e.as(e.tom)

	wantRedirect(t, c.post(path+"/notes", url.Values{"note": {"Called the council licensing team.\nThey will visit on Monday."}}), path)
	page := pageText(c.get(path).body)
	wantContains(t, page, "Your note has been added to the timeline.", "Tom Reed, Watford Borough Council", "Called the council licensing team.", "They will visit on Monday.")

	wantRedirect(t, c.post(path+"/urgency", url.Values{"urgency": {"emergency"}, "urgency_reason": {"The reporter called back: a man was hurt"}}), path)
	page = pageText(c.get(path).body)
	wantContains(t, page, "Urgency changed to emergency.", "emergency: The reporter called back: a man was hurt (changed by triage)",
		"Urgency changed to emergency: The reporter called back: a man was hurt")
	wantRefs(t, c.get("/triage").body, rep.Reference)
	wantContains(t, c.get("/triage").body, `govuk-tag--red">Emergency`)

	if n := len(e.auditFor(tropic.AuditReportNote, rep.ID)); n != 1 {
		t.Errorf("got %d note events, want 1", n)
	}
	if ev := e.auditFor(tropic.AuditReportUrgency, rep.ID); len(ev) != 1 || ev[0].UserID != e.tom.ID || !strings.Contains(ev[0].Detail, "a man was hurt") {
		t.Errorf("urgency change audited as %+v", ev)
	}
}

func TestTriageBadInputKeepsWhatWasTyped(t *testing.T) {
	e := newTriageEnv(t)
	rep := e.report(time.Hour, nil)
	path := "/triage/reports/" + rep.Reference
	mistyped := triageMistype(rep.Reference)
	tests := []struct {
		name   string
		action string
		form   url.Values
		field  string   // the error summary's link
		kept   []string // in the re-rendered page
	}{
		{"No further action without a reason asks for one.", "decision", url.Values{"decision": {"no_further_action"}},
			"reason", []string{`value="no_further_action" aria-describedby="decision-item-hint" checked`}},
		{"No decision chosen asks for one, keeping the reason.", "decision", url.Values{"reason": {"Typed with care"}},
			"decision", []string{">Typed with care</textarea>"}},
		{"A decision the form does not offer is refused.", "decision", url.Values{"decision": {"new"}, "reason": {"Sneaky"}},
			"decision", []string{">Sneaky</textarea>"}},
		{"A mistyped duplicate reference is recognised.", "decision", url.Values{"decision": {"duplicate"}, "duplicate_of": {mistyped}, "reason": {"Same place"}},
			"duplicate_of", []string{`value="` + mistyped + `"`, ">Same place</textarea>", `value="duplicate" checked`}},
		{"A duplicate of itself is refused.", "decision", url.Values{"decision": {"duplicate"}, "duplicate_of": {rep.Reference}},
			"duplicate_of", []string{`value="` + rep.Reference + `"`}},
		{"A duplicate of a report that does not exist is refused.", "decision", url.Values{"decision": {"duplicate"}, "duplicate_of": {tropic.NewReference()}},
			"duplicate_of", nil},
		{"Passing to an agency needs the agency.", "decision", url.Values{"decision": {"passed_to_agency"}, "reason": {"For the council"}},
			"agency", []string{">For the council</textarea>", `value="passed_to_agency" checked`}},
		{"Passing to an agency that does not exist is refused.", "decision", url.Values{"decision": {"passed_to_agency"}, "agency": {"999999"}, "reason": {"Theirs"}},
			"agency", nil},
		{"A change of urgency needs a reason.", "urgency", url.Values{"urgency": {"urgent"}},
			"urgency_reason", []string{`value="urgent" checked`}},
		{"An urgency the form does not offer is refused.", "urgency", url.Values{"urgency": {"panic"}, "urgency_reason": {"Because"}},
			"urgency", []string{">Because</textarea>"}},
		{"An empty note is refused.", "notes", url.Values{"note": {"   "}},
			"note", nil},
	}
	c := e.as(e.priya)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.post(path+"/"+tt.action, tt.form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if title := pageTitle(res.body); !strings.HasPrefix(title, "Error: Report "+rep.Reference) {
				t.Errorf("title %q, want it to start with Error:", title)
			}
			wantContains(t, res.body, `class="govuk-error-summary"`, `<a href="#`+tt.field+`">`, `id="`+tt.field+`"`, `id="`+tt.field+`-error"`)
			wantContains(t, res.body, tt.kept...)
		})
	}
	got, err := e.ts.srv.deps.Reports.FindReportByReference(context.Background(), testAdmin, rep.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != tropic.ReportNew || got.UrgencyOverride || len(got.Notes) != 0 {
		t.Errorf("bad input changed the report: status %q, urgency overridden %v, %d notes", got.Status, got.UrgencyOverride, len(got.Notes))
	}
}

func TestTriageAge(t *testing.T) {
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		ago  time.Duration
		want string
	}{
		{30 * time.Second, "just now"},
		{time.Minute, "1 minute ago"},
		{59 * time.Minute, "59 minutes ago"},
		{3 * time.Hour, "3 hours ago"},
		{47 * time.Hour, "47 hours ago"},
		{72 * time.Hour, "3 days ago"},
		{90 * 24 * time.Hour, "3 months ago"},
		{700 * 24 * time.Hour, "23 months ago"},
		{3 * 365 * 24 * time.Hour, "3 years ago"},
	}
	for _, tt := range tests {
		if got := triageAge(now, now.Add(-tt.ago)); got != tt.want {
			t.Errorf("triageAge(%v ago) = %q, want %q", tt.ago, got, tt.want)
		}
	}
	if got := displayDateTime(time.Date(2026, 7, 1, 14, 5, 0, 0, time.UTC)); got != "1 July 2026 at 3:05pm" {
		t.Errorf("a summer time is shown as %q, want UK time 1 July 2026 at 3:05pm", got)
	}
}

// TestTriageQueueMarksReportsOverTarget: an old routine report and an emergency past
// its hour are marked "Over target" with how long; fresh ones and decided ones are not.
func TestTriageQueueMarksReportsOverTarget(t *testing.T) {
	e := newTriageEnv(t)
	oldRoutine := e.report(30*24*time.Hour, nil)
	freshRoutine := e.report(time.Hour, nil)
	lateEmergency := e.report(3*time.Hour+5*time.Minute, func(r *tropic.Report) { r.InDanger = tropic.AnswerYes })
	freshEmergency := e.report(10*time.Minute, func(r *tropic.Report) { r.InDanger = tropic.AnswerYes })
	decided := e.report(40*24*time.Hour, nil)
	c := e.as(e.priya)
	wantRedirect(t, c.post(triageReportPath(decided.Reference)+"/decision", url.Values{"decision": {"no_further_action"}, "reason": {"Checked: nothing to act on"}}), triageReportPath(decided.Reference))

	res := c.get("/triage?status=all")
	wantStatus(t, res, http.StatusOK)
	rows := queueRows(res.body)
	for ref, want := range map[string]string{
		oldRoutine.Reference:     "by ", // 30 days, less the 5 working days
		lateEmergency.Reference:  "by 2 hours",
		freshRoutine.Reference:   "",
		freshEmergency.Reference: "",
		decided.Reference:        "",
	} {
		row, ok := rows[ref]
		if !ok {
			t.Fatalf("the queue does not list %s", ref)
		}
		marked := strings.Contains(row, ">Over target</strong>")
		if marked != (want != "") {
			t.Errorf("%s: marked over target %v, want %v", ref, marked, want != "")
		}
		if want != "" && !strings.Contains(row, want) {
			t.Errorf("%s: the row does not say %q", ref, want)
		}
	}
	if row := rows[oldRoutine.Reference]; !strings.Contains(row, " days</span>") {
		t.Errorf("the old routine report's mark does not say how many days: %s", row)
	}

	// Each report's page says its target, and whether it is past it.
	late := pageText(c.get(triageReportPath(lateEmergency.Reference)).body)
	wantContains(t, late, "Triage target: A decision by ", "(emergency: 1 hour).", `Over target</strong> by 2 hours`)
	fresh := pageText(c.get(triageReportPath(freshRoutine.Reference)).body)
	wantContains(t, fresh, "Triage target: A decision by ", "(routine: 5 working days).")
	wantNotContains(t, fresh, "Over target")
	wantNotContains(t, pageText(c.get(triageReportPath(decided.Reference)).body), "Triage target", "Over target")
}

// TestTriageTargetsAreConfigurable: a routine target of two hours, set through
// web.Config as the serve flag sets it, marks a three-hour-old routine report.
func TestTriageTargetsAreConfigurable(t *testing.T) {
	targets, err := tropic.ParseTriageTargets("emergency=30m,urgent=1h,routine=2h")
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, Config{MFAWaived: true, TriageTargets: targets})
	u := ts.addUser("triage@police.example", tropic.RoleTriage)
	now := ts.clock.Now()
	ts.clock.Set(now.Add(-3 * time.Hour))
	r := &tropic.Report{Description: "Men collected by a van at 5am.", Location: tropic.Location{District: "not_sure"},
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}, Reporter: tropic.Reporter{Anonymous: true}, Channel: tropic.ChannelWeb,
		FollowUpHash: tropic.HashFollowUpCode(tropic.NewFollowUpCode())}
	if _, err := ts.srv.deps.Reports.CreateReport(context.Background(), tropic.SystemActor("web test"), r, ""); err != nil {
		t.Fatal(err)
	}
	ts.clock.Set(now)
	c := ts.client(t)
	c.signInWaived(u.Email)
	row := queueRows(c.get("/triage").body)[r.Reference]
	wantContains(t, row, ">Over target</strong>", "by 1 hour")
	wantContains(t, pageText(c.get("/staff").body), "1 over target</strong>", "(emergency 30 minutes, urgent 1 hour, routine 2 hours)")
}

// TestStaffHomeCountsReportsOverTarget: the triage hub's home counts the undecided
// reports past their target; staff without the triage role do not see the count.
func TestStaffHomeCountsReportsOverTarget(t *testing.T) {
	e := newTriageEnv(t)
	c := e.as(e.priya)
	e.report(time.Hour, nil)
	wantContains(t, pageText(c.get("/staff").body),
		"No report is over its triage target (emergency 1 hour, urgent 1 working day, routine 5 working days).")

	e.report(30*24*time.Hour, nil)
	e.report(3*time.Hour, func(r *tropic.Report) { r.InDanger = tropic.AnswerYes })
	e.report(20*24*time.Hour, func(r *tropic.Report) { r.People.ChildrenInvolved = tropic.AnswerYes })
	e.report(5*time.Minute, func(r *tropic.Report) { r.InDanger = tropic.AnswerYes })
	decided := e.report(40*24*time.Hour, nil)
	wantRedirect(t, c.post(triageReportPath(decided.Reference)+"/decision", url.Values{"decision": {"no_further_action"}, "reason": {"Checked"}}), triageReportPath(decided.Reference))

	text := pageText(c.get("/staff").body)
	wantContains(t, text, "3 over target</strong>", "3 reports waiting for a decision are past their triage target")
	wantNotContains(t, text, "No report is over")

	other := e.as(e.caseworker).get("/staff")
	wantStatus(t, other, http.StatusOK)
	wantNotContains(t, other.body, "over target", "triage target")
}

// queueRows returns each queue row's HTML by the report's reference.
func queueRows(body string) map[string]string {
	out := map[string]string{}
	for _, row := range strings.Split(mainContent(body), `<tr class="govuk-table__row">`)[1:] {
		if _, rest, ok := strings.Cut(row, `href="/triage/reports/`); ok {
			out[rest[:strings.IndexByte(rest, '"')]] = row
		}
	}
	return out
}
