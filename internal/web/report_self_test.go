package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

// The route for the person it is happening to (issue 15, item 2): help first, four
// questions, the same check and send pages, and a report that is urgent and says why.

func TestReportSelfRouteStartsWithHelpAndLinksFromTheStartPage(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)

	start := c.get("/report")
	wantContains(t, start.body, `href="/report/me"`, `href="tel:08000121700"`, `href="tel:0800555111"`, `href="tel:08004320804"`)

	me := c.get("/report/me")
	wantStatus(t, me, http.StatusOK)
	main := mainContent(me.body)
	wantContains(t, main, `href="tel:999"`, "press 55", `href="tel:08000121700"`, "interpreter",
		"section 45 of the Modern Slavery Act 2015", "whatever your immigration status", "You can stay anonymous", `href="/report/me/new"`)
	if n := strings.Count(main, "999") - strings.Count(main, "999 BSL"); n != 2 { // the text and the tel: link of one warning
		t.Errorf("999 appears %d times in the page's content, want it in one warning", n)
	}
	if i999, iStart := strings.Index(main, "call <a"), strings.Index(main, "Start now"); i999 < 0 || i999 > iStart {
		t.Errorf("the 999 warning does not come before Start now")
	}
}

func TestReportSelfRouteMakesAnUrgentReportByThePersonItIsHappeningTo(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)

	form := c.get("/report/me/new")
	wantStatus(t, form, http.StatusOK)
	wantContains(t, form.body, `name="route" value="self"`, "1. What is happening to you?", "2. Are you in danger now?", "3. Where are you?", "4. Can we contact you safely?")
	if checkedInputRE.MatchString(form.body) {
		t.Errorf("an answer is chosen before the person chose it")
	}
	key := rpFormKey(t, form.body)

	// Nothing answered: the one required question is asked in the person's words, and
	// what they typed elsewhere is kept.
	empty := c.post("/report/check", url.Values{"form_key": {key}, "route": {"self"}, "reporter_relationship": {"self"},
		"reporter_anonymous": {"no"}, "reporter_contact": {"07700 900456, text only after 9pm"}})
	wantStatus(t, empty, http.StatusUnprocessableEntity)
	wantContains(t, empty.body, "Tell us what is happening to you", `href="#description"`, "07700 900456, text only after 9pm", "4. Can we contact you safely?")

	answers := url.Values{"form_key": {key}, "route": {"self"}, "reporter_relationship": {"self"},
		"description": {"My boss keeps my passport and I work every day at the nail bar."}, "in_danger": {"not_sure"},
		"address": {"Watford town centre"}, "district": {"watford"},
		"reporter_anonymous": {"no"}, "reporter_contact": {"07700 900456, text only after 9pm"}, "language": {"Vietnamese"}}
	check := c.post("/report/check", answers)
	wantStatus(t, check, http.StatusOK)
	wantContains(t, check.body, "What is happening to you", "How and when it is safe to contact you", "07700 900456, text only after 9pm")
	if strings.Contains(check.body, "Kind of exploitation") || strings.Contains(check.body, "Vehicles") {
		t.Errorf("the check page asks about questions the route never asked")
	}
	// Changing an answer goes back to the short form, with the answers kept.
	edit := c.post("/report/edit", rpHidden(check.body))
	wantStatus(t, edit, http.StatusOK)
	wantContains(t, edit.body, "4. Can we contact you safely?", "My boss keeps my passport")

	sent := c.post("/report/submit", rpHidden(check.body))
	wantStatus(t, sent, http.StatusOK)
	ref, _ := rpSent(t, sent.body)
	rep, err := e.reports.FindReportByReference(context.Background(), e.triage, ref)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reporter.Relationship != tropic.RelationshipSelf || rep.Reporter.Anonymous || rep.Reporter.Contact != "07700 900456, text only after 9pm" {
		t.Errorf("reporter = %+v, want the person it is happening to, with their safe contact", rep.Reporter)
	}
	if rep.Urgency != tropic.UrgencyUrgent || !strings.Contains(rep.UrgencyReason, "reported by the person it is happening to") {
		t.Errorf("urgency = %s (%q), want urgent because the person it is happening to reported it", rep.Urgency, rep.UrgencyReason)
	}
}

func TestReportSelfRouteCannotBeTurnedIntoAReportAboutSomeoneElse(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	key := rpFormKey(t, c.get("/report/me/new").body)
	// A changed hidden field does not make the route's report someone else's.
	check := c.post("/report/check", url.Values{"form_key": {key}, "route": {"self"}, "reporter_relationship": {"public"},
		"description": {"They take my wages."}, "reporter_anonymous": {"yes"}})
	wantStatus(t, check, http.StatusOK)
	sent := c.post("/report/submit", rpHidden(check.body))
	ref, _ := rpSent(t, sent.body)
	rep, err := e.reports.FindReportByReference(context.Background(), e.triage, ref)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reporter.Relationship != tropic.RelationshipSelf || !rep.Reporter.Anonymous {
		t.Errorf("reporter = %+v, want anonymous and the person it is happening to", rep.Reporter)
	}
}

// checkedInputRE finds a radio or checkbox chosen in the page.
var checkedInputRE = regexp.MustCompile(`<input[^>]*\schecked[\s>]`)

func TestReportFormsAnswerNothingBeforeThePersonDoes(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	for _, path := range []string{"/report/new", "/report/me/new"} {
		if form := c.get(path); checkedInputRE.MatchString(form.body) {
			t.Errorf("%s: an answer is chosen before the person chose it (anonymity above all)", path)
		}
	}
}

// The public form shows one row of vehicles, phones and businesses and an "Add
// another" button that works without JavaScript: it posts the form back with one
// more row, keeps every answer and shows no errors before the person continues.
func TestReportFormAddAnotherRowWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	form := c.get("/report/new")
	wantContains(t, form.body, `id="vehicle_1_registration"`, `name="add" value="vehicles" formaction="/report/edit#vehicle_2_registration"`,
		`name="add" value="phones" formaction="/report/edit#phone_2"`, `name="add" value="businesses" formaction="/report/edit#business_2"`)
	if strings.Contains(form.body, `id="vehicle_2_registration"`) || strings.Contains(form.body, `id="phone_2"`) {
		t.Errorf("the blank form shows more than one row of a list")
	}
	key := rpFormKey(t, form.body)
	added := c.post("/report/edit", url.Values{"form_key": {key}, "add": {"phones"}, "phone_1": {"07700 900123"}, "people_count": {"lots"}})
	wantStatus(t, added, http.StatusOK)
	wantContains(t, added.body, `id="phone_2"`, `value="07700 900123"`, `value="lots"`, `formaction="/report/edit#phone_3"`)
	if strings.Contains(added.body, "govuk-error-summary") {
		t.Errorf("adding a row showed errors before the person continued")
	}
	if strings.Contains(added.body, `id="vehicle_2_registration"`) {
		t.Errorf("adding a phone added a vehicle row too")
	}
	// Continuing checks the answers as ever.
	cont := c.post("/report/check", url.Values{"form_key": {key}, "phone_1": {"07700 900123"}, "people_count": {"lots"}})
	wantStatus(t, cont, http.StatusUnprocessableEntity)
}

// People write a number of people as they say it; a range counts as its larger end.
func TestReportPeopleCountAsPeopleWriteIt(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	for typed, want := range map[string]int{"about 6": 6, "5-6": 6, "six": 6} {
		answers := rpAnswers(tropic.NewFormKey(), e.clock.Now())
		answers.Set("people_count", typed)
		ref, _, _ := e.sendReport(t, c, answers)
		rep, err := e.reports.FindReportByReference(context.Background(), e.triage, ref)
		if err != nil {
			t.Fatal(err)
		}
		if rep.People.Count != want {
			t.Errorf("%q stored as %d people, want %d", typed, rep.People.Count, want)
		}
	}
}

// Every public page shows 999 once, and every number people may call is a tel: link.
func TestPublicPagesShow999OnceAndLinkEveryNumber(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	telRE := regexp.MustCompile(`<a [^>]*href="tel:(\d+)"[^>]*>([^<]+)</a>`)
	for _, path := range []string{"/", "/report", "/report/me", "/report/new", "/report/me/new", "/report/follow-up", "/report/follow-up/messages", "/report/follow-up/done", "/privacy", "/accessibility"} {
		res := c.get(path)
		wantStatus(t, res, http.StatusOK)
		text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(res.body, " ")
		if n := strings.Count(text, "999") - strings.Count(text, "999 BSL"); n != 1 {
			t.Errorf("%s: 999 is shown %d times, want once", path, n)
		}
		for _, m := range telRE.FindAllStringSubmatch(res.body, -1) {
			if digits := strings.ReplaceAll(m[2], " ", ""); digits != m[1] {
				t.Errorf("%s: tel:%s is shown as %q", path, m[1], m[2])
			}
		}
		if !strings.Contains(res.body, `href="tel:08000121700"`) {
			t.Errorf("%s: the helpline number is not a tel: link", path)
		}
		for _, n := range plainNumberRE.FindAllString(tagRE.ReplaceAllString(telRE.ReplaceAllString(res.body, ""), " "), -1) {
			if !strings.HasSuffix(n, " BSL") { // 999 BSL is an app, not a number to ring
				t.Errorf("%s: the number %q is shown without a tel: link", path, n)
			}
		}
	}
}

// plainNumberRE finds the numbers a reporter may call, or the helpline's, in a page's
// text; tagRE the tags around text.
var (
	plainNumberRE = regexp.MustCompile(`\b(08000 121 700|0800 555 111|0800 432 0804|18000|101|999)\b(?: BSL)?`)
	tagRE         = regexp.MustCompile(`<[^>]+>`)
)

// Too long, the one question is named as the person read it, in their language: not
// "What you saw", the other route's question.
func TestReportSelfRouteNamesItsOwnQuestionInProblems(t *testing.T) {
	t.Parallel()
	e := newReportPagesEnv(t, Config{})
	c := e.client(t)
	form := c.get("/report/me/new?lang=pl")
	wantStatus(t, form, http.StatusOK)
	pl := e.srv.locales.Catalogue("pl")
	long := c.post("/report/check?lang=pl", url.Values{"form_key": {rpFormKey(t, form.body)}, "route": {"self"}, "reporter_relationship": {"self"},
		"description": {strings.Repeat("x", tropic.MaxDescription+1)}, "reporter_anonymous": {"yes"}})
	wantStatus(t, long, http.StatusUnprocessableEntity)
	wantContains(t, long.body, html.EscapeString(pl.Messages["check.self_what_to_you"].Other))
	if own := html.EscapeString(pl.Messages["label.description"].Other); strings.Contains(long.body, own) {
		t.Errorf("the self route's problem names the other route's question %q", own)
	}
}
