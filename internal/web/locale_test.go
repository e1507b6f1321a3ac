package web

import (
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// The catalogues: each shipped language has every message English has, with the
// same placeholders and markup, and the plural forms its language uses; every id
// the templates and the code use is in English.

var (
	placeholderRE = regexp.MustCompile(`\{[a-z0-9_]+\}`)
	markupRE      = regexp.MustCompile(`<[^>]+>`)
)

func sortedMatches(re *regexp.Regexp, s string) []string {
	out := re.FindAllString(s, -1)
	sort.Strings(out)
	return out
}

func TestEveryCatalogueHasEveryMessageEnglishHas(t *testing.T) {
	all, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	en := all[defaultLang]
	want := []string{"en", "sq", "vi", "ro", "pl", "ar", "ti", "zh-Hans"}
	for _, tag := range want {
		if all[tag] == nil {
			t.Errorf("no catalogue for %s", tag)
		}
	}
	for tag, c := range all {
		t.Run(tag, func(t *testing.T) {
			if c.Translator == "" {
				t.Error("the catalogue does not say who translated it")
			}
			if tag != defaultLang && c.Reviewed {
				// Set this only when a native speaker has reviewed the catalogue.
				t.Logf("%s says a native speaker reviewed it", tag)
			}
			// The plural categories the language uses for whole numbers.
			forms := map[string]bool{}
			for n := 0; n <= 1000; n++ {
				forms[pluralForm(c, n)] = true
			}
			for _, id := range en.sortedIDs() {
				em := en.Messages[id]
				m, ok := c.Messages[id]
				if !ok {
					t.Errorf("%s lacks %q, which English has", tag, id)
					continue
				}
				if got, want := sortedMatches(placeholderRE, m.Other), sortedMatches(placeholderRE, em.Other); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("%s %q has placeholders %v, English %v", tag, id, got, want)
				}
				if got, want := sortedMatches(markupRE, m.Other), sortedMatches(markupRE, em.Other); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("%s %q has markup %v, English %v", tag, id, got, want)
				}
				if em.Forms != nil {
					for f := range forms {
						if _, ok := m.Forms[f]; !ok && !(f == "other" && m.Other != "") {
							t.Errorf("%s %q lacks the plural form %q its language uses", tag, id, f)
						}
					}
					for f, s := range m.Forms {
						// A form may leave the number out ("one minute"), never add another value.
						for _, p := range placeholderRE.FindAllString(s, -1) {
							if !strings.Contains(em.Other, p) {
								t.Errorf("%s %q form %s has %s, which English has not", tag, id, f, p)
							}
						}
					}
				} else if m.Forms != nil {
					t.Errorf("%s %q has plural forms; English has one text", tag, id)
				}
			}
			for id := range c.Messages {
				if _, ok := en.Messages[id]; !ok {
					t.Errorf("%s has %q, which English has not (left over?)", tag, id)
				}
			}
		})
	}
}

// messageIDRE finds message ids written in templates and Go code: a quoted
// namespace.key whose namespace English uses.
var messageIDRE = regexp.MustCompile(`"([a-z_]+\.[a-z0-9_.]+)"`)

func TestTemplatesAndCodeUseOnlyMessagesEnglishHas(t *testing.T) {
	all, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	en := all[defaultLang].Messages
	namespaces := map[string]bool{}
	for id := range en {
		namespaces[id[:strings.IndexByte(id, '.')]] = true
	}
	check := func(file, text string) {
		for _, m := range messageIDRE.FindAllStringSubmatch(text, -1) {
			id := m[1]
			ns := id[:strings.IndexByte(id, '.')]
			if !namespaces[ns] || strings.HasSuffix(id, ".") || strings.HasSuffix(id, "_") || strings.HasSuffix(id, ".tmpl") || strings.HasSuffix(id, ".go") {
				continue
			}
			if _, ok := en[id]; !ok {
				t.Errorf("%s uses message %q, which the English catalogue lacks", file, id)
			}
		}
	}
	tmpls, _ := fs.Glob(templateFS, "templates/*.tmpl")
	for _, f := range tmpls {
		b, _ := templateFS.ReadFile(f)
		check(f, string(b))
	}
	gos, _ := fs.Glob(os.DirFS("."), "*.go")
	for _, f := range gos {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		check(f, string(b))
	}
	// Ids made from the domain's values.
	var dynamic []string
	for _, et := range append(append([]tropic.ExploitationType{}, tropic.ExploitationTypes...), tropic.ExploitNotSpecified) {
		dynamic = append(dynamic, "exploitation."+string(et))
	}
	for _, g := range tropic.IndicatorGroups {
		dynamic = append(dynamic, "indicator_group."+indicatorGroupID(g.Heading))
		for _, i := range g.Indicators {
			dynamic = append(dynamic, "indicator."+string(i.Key))
		}
	}
	// The "how did you hear" options that migration 0510 seeds; an option an
	// administrator adds reads as they wrote it (howHeardLabel).
	for _, code := range []string{"poster_or_leaflet", "social_media", "news", "search", "friend_or_family", "professional", "other"} {
		dynamic = append(dynamic, "how_heard."+code)
	}
	for _, a := range []tropic.YesNoUnsure{tropic.AnswerYes, tropic.AnswerNo, tropic.AnswerNotSure} {
		dynamic = append(dynamic, "answer."+string(a))
	}
	for _, r := range []tropic.Relationship{tropic.RelationshipPublic, tropic.RelationshipSelf, tropic.RelationshipProfessional} {
		dynamic = append(dynamic, "relationship."+string(r))
	}
	for m := 1; m <= 12; m++ {
		dynamic = append(dynamic, fmt.Sprintf("month.%d", m))
	}
	for _, p := range []string{"day", "month", "year"} {
		dynamic = append(dynamic, "form.date_part_"+p)
	}
	for _, p := range problemPatterns {
		dynamic = append(dynamic, p.id)
	}
	for _, id := range problemLabels {
		dynamic = append(dynamic, id)
	}
	for _, id := range dynamic {
		if _, ok := en[id]; !ok {
			t.Errorf("the English catalogue lacks %q", id)
		}
	}
}

func TestLanguageComesFromTheAddressThenAcceptLanguage(t *testing.T) {
	l, err := newLocales(nil)
	if err != nil {
		t.Fatal(err)
	}
	only, err := newLocales([]string{"pl"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, query, accept string
		locales             *Locales
		want                string
		explicit            bool
	}{
		{"nothing said: English", "", "", l, "en", false},
		{"the address names a language", "lang=sq", "pl", l, "sq", true},
		{"the address wins over the browser", "lang=en", "pl-PL,pl;q=0.9", l, "en", true},
		{"a Polish browser on first arrival", "", "pl-PL,pl;q=0.9,en;q=0.8", l, "pl", false},
		{"a Chinese browser in China", "", "zh-CN,zh;q=0.9", l, "zh-Hans", false},
		{"an Arabic browser", "", "ar-EG", l, "ar", false},
		{"Tigrinya from Eritrea", "", "ti-ER,ti;q=0.9", l, "ti", false},
		{"a language not shipped", "", "fr-FR,fr;q=0.9", l, "en", false},
		{"an unknown lang in the address", "lang=xx", "vi", l, "vi", false},
		{"a language the operator turned off", "lang=sq", "ro", only, "en", false},
		{"the operator's one language", "", "pl", only, "pl", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, _ := http.NewRequest("GET", "/?"+c.query, nil)
			if c.accept != "" {
				r.Header.Set("Accept-Language", c.accept)
			}
			got, explicit := c.locales.fromRequest(r)
			if got.Tag != c.want || explicit != c.explicit {
				t.Errorf("got %s (named in the address: %v), want %s (%v)", got.Tag, explicit, c.want, c.explicit)
			}
		})
	}
	if _, err := newLocales([]string{"de"}); err == nil {
		t.Error("a language with no catalogue was turned on")
	}
}

func TestPluralFormsFollowEachLanguage(t *testing.T) {
	l, err := newLocales(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		tag  string
		n    int
		want string
	}{
		{"en", 1, "Try again in 1 minute,"},
		{"en", 5, "Try again in 5 minutes,"},
		{"pl", 1, "za 1 minutę"},
		{"pl", 3, "za 3 minuty"},
		{"pl", 5, "za 5 minut"},
		{"pl", 22, "za 22 minuty"},
		{"ro", 20, "peste 20 de minute"},
		{"ro", 3, "peste 3 minute"},
		{"ar", 2, "بعد دقيقتين"},
		{"ar", 5, "بعد 5 دقائق"},
		{"vi", 1, "sau 1 phút"},
	} {
		got := l.text(l.Catalogue(c.tag), "followup.too_many", false, "count", c.n)
		if !strings.Contains(got, c.want) {
			t.Errorf("%s, %d: %q does not contain %q", c.tag, c.n, got, c.want)
		}
	}
}

func TestWithLangKeepsTheQueryAndFragment(t *testing.T) {
	for in, want := range map[string]string{
		"/report":              "/report?lang=pl",
		"/report/edit#phone_2": "/report/edit?lang=pl#phone_2",
		"/report/new?how_heard=campaign%3Aspot-it": "/report/new?how_heard=campaign%3Aspot-it&lang=pl",
		"/report?lang=sq":                          "/report?lang=pl",
	} {
		if got := withLang(in, "pl"); got != want {
			t.Errorf("withLang(%q) = %q, want %q", in, got, want)
		}
	}
}

var (
	htmlLangRE   = regexp.MustCompile(`<html lang="([^"]+)" dir="([^"]+)"`)
	hrefRE       = regexp.MustCompile(`(?:href|action|formaction)="(/[^"]*)"`)
	missingIDRE  = regexp.MustCompile(`\[[a-z_]+\.[a-z0-9_.]+\]`)
	localPublics = []string{"/", "/report", "/report/new", "/report/me", "/report/me/new", "/report/follow-up", "/report/follow-up/done", "/report/follow-up/messages", "/privacy", "/accessibility", "/campaigns", "/no-such-page"}
)

// publicLinksKeep checks that every public link and form on a page keeps lang.
func publicLinksKeep(t *testing.T, page, body, tag string) {
	t.Helper()
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		u := html.UnescapeString(m[1])
		switch {
		case strings.HasPrefix(u, "/static/"), u == "/favicon.ico", u == "/exit", u == "/login", strings.HasPrefix(u, "/statistics"):
			continue // assets, the exit, staff sign-in and the English statistics
		}
		if !strings.Contains(u, "lang=") {
			t.Errorf("%s in %s: %s does not keep the language", page, tag, u)
		}
	}
}

func TestEveryPublicPageSpeaksEachLanguage(t *testing.T) {
	env := newReportPagesEnv(t, Config{})
	c := env.client(t)
	for _, tag := range ShippedLanguages() {
		cat := env.srv.locales.Catalogue(tag)
		for _, page := range localPublics {
			res := c.get(page + "?lang=" + tag)
			if res.status != http.StatusOK && !(page == "/no-such-page" && res.status == http.StatusNotFound) {
				t.Errorf("%s in %s: status %d", page, tag, res.status)
				continue
			}
			m := htmlLangRE.FindStringSubmatch(res.body)
			if m == nil || m[1] != tag || m[2] != cat.Dir {
				t.Errorf("%s in %s: <html> says %v, want lang %s dir %s", page, tag, m, tag, cat.Dir)
			}
			if id := missingIDRE.FindString(res.body); id != "" {
				t.Errorf("%s in %s shows a missing message %s", page, tag, id)
			}
			if tag != defaultLang {
				publicLinksKeep(t, page, res.body, tag)
				if !strings.Contains(res.body, `id="translation-notice"`) || !strings.Contains(res.body, "not yet been checked by a native speaker") {
					t.Errorf("%s in %s does not say the translation is unreviewed", page, tag)
				}
				if !strings.Contains(res.body, html.EscapeString(cat.Messages["layout.unreviewed"].Other)) {
					t.Errorf("%s in %s does not say in %s that the translation is unreviewed", page, tag, tag)
				}
			} else if strings.Contains(res.body, `id="translation-notice"`) {
				t.Errorf("%s in English carries the translation notice", page)
			}
			if !strings.Contains(res.body, `class="govuk-details app-language-chooser"`) {
				t.Errorf("%s in %s has no language chooser", page, tag)
			}
		}
	}
}

func TestAcceptLanguageChoosesOnFirstArrivalAndLinksKeepIt(t *testing.T) {
	env := newReportPagesEnv(t, Config{})
	c := env.client(t)
	res := getWith(c, "/report", "Accept-Language", "ro-RO,ro;q=0.9,en;q=0.5")
	if m := htmlLangRE.FindStringSubmatch(res.body); m == nil || m[1] != "ro" {
		t.Fatalf("a Romanian browser got %v", m)
	}
	publicLinksKeep(t, "/report", res.body, "ro")
	// Choosing English on a Romanian browser is kept in the links, without a cookie.
	res = getWith(c, "/report?lang=en", "Accept-Language", "ro-RO")
	if m := htmlLangRE.FindStringSubmatch(res.body); m == nil || m[1] != "en" {
		t.Fatalf("English chosen on a Romanian browser got %v", m)
	}
	publicLinksKeep(t, "/report", res.body, "en")
	if res.header.Get("Set-Cookie") != "" {
		t.Errorf("a public page set a cookie: %s", res.header.Get("Set-Cookie"))
	}
	// Staff pages stay English, whatever the browser asks.
	res = getWith(c, "/login", "Accept-Language", "pl")
	if m := htmlLangRE.FindStringSubmatch(res.body); m == nil || m[1] != "en" || strings.Contains(res.body, "app-language-chooser") {
		t.Errorf("the sign-in page in a Polish browser: %v", m)
	}
}

func TestOperatorsTurnLanguagesOff(t *testing.T) {
	env := newReportPagesEnv(t, Config{Languages: []string{"pl", "ar"}})
	c := env.client(t)
	res := c.get("/?lang=sq")
	if m := htmlLangRE.FindStringSubmatch(res.body); m == nil || m[1] != "en" {
		t.Errorf("a language turned off still serves: %v", m)
	}
	for _, want := range []string{`hreflang="pl"`, `hreflang="ar"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the chooser lacks %s", want)
		}
	}
	if strings.Contains(res.body, `hreflang="sq"`) || strings.Contains(res.body, `hreflang="vi"`) {
		t.Error("the chooser offers a language turned off")
	}
	if _, err := New(Config{Languages: []string{"xx"}}, Deps{}); err == nil {
		t.Error("a server started with a language it has no catalogue for")
	}
}

// TestPublicProblemsAreTranslated sends the public forms answers that meet every
// problem they can show, in Polish, and finds each message translated.
func TestPublicProblemsAreTranslated(t *testing.T) {
	env := newReportPagesEnv(t, Config{})
	c := env.client(t)
	pl := env.srv.locales.Catalogue("pl")
	l := &Layout{locales: env.srv.locales, lang: pl, Public: true}
	long := strings.Repeat("x", 6000)
	bad := []url.Values{
		{"description": {""}, "people_count": {"lots"}, "seen_on_day": {"31"}, "seen_on_month": {"2"}, "seen_on_year": {"2026"},
			"postcode": {"nope"}, "district": {"atlantis"}, "in_danger": {"maybe"}, "exploitation": {"piracy"}, "indicators": {"odd"},
			"children_involved": {"perhaps"}, "vehicle_1_registration": {"!!"}, "phone_1": {"abc"}, "reporter_anonymous": {"no"},
			"reporter_relationship": {"alien"}, "how_heard": {"carrier pigeon"}},
		{"description": {long}, "people_count": {"900"}, "seen_on_day": {"1"}, "seen_on_month": {""}, "seen_on_year": {""},
			"address": {"a\x01b"}, "seen_when": {"now\u202e"}, "reporter_anonymous": {"maybe"}},
		{"description": {"ok"}, "seen_on_day": {"1"}, "seen_on_month": {"1"}, "seen_on_year": {"26"}, "business_1": {long},
			"people_description": {long}, "vehicle_1_description": {long}, "reporter_anonymous": {"no"}, "reporter_name": {long}},
		{"description": {"ok"}, "seen_on_day": {"1"}, "seen_on_month": {"1"}, "seen_on_year": {"1900"}},
		{"description": {"ok"}, "seen_on_day": {"1"}, "seen_on_month": {"1"}, "seen_on_year": {fmt.Sprint(time.Now().Year() + 1)}},
	}
	seen := 0
	for _, v := range bad {
		f, err := env.srv.readReportForm(t.Context(), v)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range f.errors {
			seen++
			if _, ok := l.publicProblem(e.Message); !ok {
				t.Errorf("the problem %q (%s) has no translation", e.Message, e.Field)
			}
		}
		// And through the page, in Polish.
		form := url.Values{"form_key": {tropic.NewFormKey()}}
		for k, vs := range v {
			form[k] = vs
		}
		res := c.post("/report/check?lang=pl", form)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, pl.Messages["common.there_is_a_problem"].Other) {
			t.Errorf("bad answers in Polish: status %d", res.status)
		}
	}
	if seen < 25 {
		t.Errorf("only %d problems met; the cases no longer reach the messages", seen)
	}
	for _, msg := range []string{"Enter the information you want to add", "The information must be 5000 characters or fewer",
		"The reference or the follow-up code is not right. Check them and try again.", "Page not found",
		"Sorry, there is a problem with the service", "Try again later. If you contact the partnership's administrator about this, quote request id abc-123."} {
		if got, ok := l.publicProblem(msg); !ok || got == msg {
			t.Errorf("%q is not translated (%q)", msg, got)
		}
	}
}

// getWith gets a page with one more request header.
func getWith(c *client, path, name, value string) *response {
	c.t.Helper()
	req := c.newRequest(http.MethodGet, path, nil)
	req.Header.Set(name, value)
	return c.do(req)
}

var (
	formActionRE = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
	chooserBtnRE = regexp.MustCompile(`formaction="([^"]+)" name="switch_lang" value="([^"]+)"`)
)

// firstHref is the first link on a page whose address starts with prefix.
func firstHref(t *testing.T, body, prefix string) string {
	t.Helper()
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		if u := html.UnescapeString(m[1]); strings.HasPrefix(u, prefix) {
			return u
		}
	}
	t.Fatalf("no link to %s on the page", prefix)
	return ""
}

func wantLang(t *testing.T, what string, res *response, status int, tag string) {
	t.Helper()
	if res.status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.status, status, mainContent(res.body))
	}
	if m := htmlLangRE.FindStringSubmatch(res.body); m == nil || m[1] != tag {
		t.Fatalf("%s: <html> says %v, want %s", what, m, tag)
	}
}

// TestNoJavaScriptWalkOfTheReportRoutesInPolish walks both report routes and the
// follow-up as a browser without JavaScript: links followed and forms posted as the
// pages give them, the language kept all the way by the addresses alone (no
// cookie), the chooser switching language on a page of answers without losing
// them, and the report stored with the language it was made in, which triage sees.
func TestNoJavaScriptWalkOfTheReportRoutesInPolish(t *testing.T) {
	env := newReportPagesEnv(t, Config{MFAWaived: true})
	c := env.client(t)
	c.hc.Jar = nil // no cookies at all
	pl := env.srv.locales.Catalogue("pl")
	say := func(id string) string { return html.EscapeString(pl.Messages[id].Other) }

	// The start page, then its start button.
	res := c.get("/report?lang=pl")
	wantLang(t, "start", res, 200, "pl")
	res = c.get(firstHref(t, res.body, "/report/new"))
	wantLang(t, "the form", res, 200, "pl")
	action := formActionRE.FindStringSubmatch(res.body)[1]
	if action != "/report/check?lang=pl" {
		t.Fatalf("the form posts to %s", action)
	}
	// The chooser on the form resends what was typed, in another language, with no errors yet.
	typed := url.Values{"form_key": {rpFormKey(t, res.body)}, "description": {"Widziałem ludzi śpiących w myjni."}, "switch_lang": {"vi"}}
	sw := c.post("/report/edit?lang=vi", typed)
	wantLang(t, "the form switched to Vietnamese", sw, 200, "vi")
	if !strings.Contains(sw.body, "Widziałem ludzi śpiących w myjni.") || strings.Contains(sw.body, "govuk-error-summary") {
		t.Error("switching language on the form lost the answers or showed errors")
	}
	// Errors in Polish, the answers kept.
	bad := rpAnswers(rpFormKey(t, res.body), time.Now())
	bad.Set("description", "")
	res = c.post(action, bad)
	wantLang(t, "the form with a problem", res, http.StatusUnprocessableEntity, "pl")
	if !strings.Contains(res.body, say("problem.description_required")) || !strings.Contains(res.body, "Sparkle Car Wash") {
		t.Errorf("the problem is not in Polish, or the answers were lost:\n%s", mainContent(res.body))
	}
	// Check your answers, in Polish.
	good := rpAnswers(rpFormKey(t, res.body), time.Now())
	res = c.post(formActionRE.FindStringSubmatch(res.body)[1], good)
	wantLang(t, "check your answers", res, 200, "pl")
	if !strings.Contains(res.body, say("check.title")) || !strings.Contains(res.body, say("exploitation.labour")) {
		t.Errorf("check your answers is not in Polish:\n%s", mainContent(res.body))
	}
	// The chooser here shows the same answers in Romanian.
	var toRo string
	for _, m := range chooserBtnRE.FindAllStringSubmatch(res.body, -1) {
		if m[2] == "ro" {
			toRo = html.UnescapeString(m[1])
		}
	}
	if toRo != "/report/check?lang=ro" {
		t.Fatalf("the chooser's Romanian button goes to %q", toRo)
	}
	ro := c.post(toRo, rpHidden(res.body))
	wantLang(t, "check your answers in Romanian", ro, 200, "ro")
	if !strings.Contains(ro.body, "Sparkle Car Wash") {
		t.Error("the answers were lost switching language")
	}
	// Send, in Polish.
	submit := formActionRE.FindStringSubmatch(res.body)[1]
	if submit != "/report/submit?lang=pl" {
		t.Fatalf("check your answers posts to %s", submit)
	}
	res = c.post(submit, rpHidden(res.body))
	wantLang(t, "the confirmation", res, 200, "pl")
	ref, code := rpReferenceRE.FindStringSubmatch(res.body)[1], rpCodeRE.FindStringSubmatch(res.body)[1]
	if strings.Contains(res.body, "app-language-chooser") {
		t.Error("the confirmation offers to leave the reference and code for another language")
	}
	rep, err := env.reports.FindReportByReference(t.Context(), env.triage, ref)
	if err != nil {
		t.Fatal(err)
	}
	if rep.FormLanguage != "pl" || !strings.HasPrefix(rep.Description, "Four men sleep") {
		t.Errorf("stored form language %q, description %q", rep.FormLanguage, rep.Description)
	}

	// Triage sees the language and the words as written, in English pages.
	staff := env.client(t)
	staff.signInWaived("triage@county.example")
	page := staff.get("/triage/reports/" + ref + "?lang=pl")
	if m := htmlLangRE.FindStringSubmatch(page.body); page.status != 200 || m == nil || m[1] != "en" {
		t.Fatalf("triage page: %d %v", page.status, m)
	}
	if !strings.Contains(page.body, "Form used in") || !strings.Contains(page.body, "Polish: the reporter") {
		t.Errorf("triage does not see the form's language:\n%s", mainContent(page.body))
	}

	// The confirmation links to the messages and to the follow-up, in Polish.
	firstHref(t, res.body, "/report/follow-up/messages?lang=pl")
	// The follow-up, in Polish: the form, then the page it redirects to.
	res = c.get(firstHref(t, res.body, "/report/follow-up?lang=pl"))
	wantLang(t, "the follow-up form", res, 200, "pl")
	res = c.post(formActionRE.FindStringSubmatch(res.body)[1], url.Values{"reference": {ref}, "code": {"WRONG-CODE1"}, "information": {"Więcej."}})
	wantLang(t, "a wrong code", res, http.StatusUnprocessableEntity, "pl")
	if !strings.Contains(res.body, say("problem.followup_denied")) {
		t.Errorf("the wrong code is not refused in Polish:\n%s", mainContent(res.body))
	}
	res = c.post(formActionRE.FindStringSubmatch(res.body)[1], url.Values{"reference": {ref}, "code": {code}, "information": {"Więcej informacji."}})
	if res.status != http.StatusSeeOther || res.location() != "/report/follow-up/done?lang=pl" {
		t.Fatalf("follow-up: %d to %q", res.status, res.location())
	}
	wantLang(t, "information added", c.get(res.location()), 200, "pl")

	// The route for the person it is happening to.
	res = c.get("/report/me?lang=pl")
	wantLang(t, "the help page", res, 200, "pl")
	res = c.get(firstHref(t, res.body, "/report/me/new"))
	wantLang(t, "the four questions", res, 200, "pl")
	self := url.Values{"form_key": {rpFormKey(t, res.body)}, "route": {"self"}, "reporter_relationship": {"self"}, "website": {""},
		"description": {""}, "reporter_anonymous": {"yes"}}
	res = c.post(formActionRE.FindStringSubmatch(res.body)[1], self)
	wantLang(t, "the four questions with a problem", res, http.StatusUnprocessableEntity, "pl")
	if !strings.Contains(res.body, say("self.description_required")) {
		t.Errorf("the self route's problem is not in Polish:\n%s", mainContent(res.body))
	}
	self.Set("description", "Zabrali mi paszport.")
	self.Set("form_key", rpFormKey(t, res.body))
	res = c.post(formActionRE.FindStringSubmatch(res.body)[1], self)
	wantLang(t, "the self route's answers", res, 200, "pl")
	res = c.post(formActionRE.FindStringSubmatch(res.body)[1], rpHidden(res.body))
	wantLang(t, "the self route's confirmation", res, 200, "pl")
	if !strings.Contains(res.body, say("sent.title")) {
		t.Errorf("the confirmation is not in Polish:\n%s", mainContent(res.body))
	}
}

func TestStaffReportPageNamesTheFormLanguage(t *testing.T) {
	rep := &tropic.Report{Description: "Zabrali mi paszport.", Language: "Polish", Channel: tropic.ChannelWeb}
	var rows []string
	for _, s := range triageReportSections(rep, nil, nil, nil, time.Now(), "Polish") {
		for _, r := range s.Rows {
			rows = append(rows, r.Key+": "+strings.Join(r.Values, " / "))
		}
	}
	all := strings.Join(rows, "\n")
	for _, want := range []string{"Zabrali mi paszport.", "Language to contact them in: Polish", "Form used in: Polish"} {
		if !strings.Contains(all, want) {
			t.Errorf("the staff report page lacks %q:\n%s", want, all)
		}
	}
}

// The language to contact a reporter in is named, not coded: the form puts "en"
// for a language not given.
func TestStaffReportPageNamesTheContactLanguage(t *testing.T) {
	for typed, want := range map[string]string{"en": "English", "pl": "Polish", "ZH-hans": "Chinese", "Tigrinya please": "Tigrinya please"} {
		rep := &tropic.Report{Description: "x", Language: typed, Channel: tropic.ChannelWeb}
		found := ""
		for _, s := range triageReportSections(rep, nil, nil, nil, time.Now(), "") {
			for _, r := range s.Rows {
				if r.Key == "Language to contact them in" {
					found = strings.Join(r.Values, " / ")
				}
			}
		}
		if !strings.HasPrefix(found, want) {
			t.Errorf("language %q shows as %q, want %q", typed, found, want)
		}
	}
}

// FuzzLanguageFromRequest: whatever the address and Accept-Language say, the
// request gets an enabled language, and never panics.
func FuzzLanguageFromRequest(f *testing.F) {
	l, err := newLocales(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("pl", "pl-PL,pl;q=0.9")
	f.Add("zh-Hans", "zh-CN")
	f.Add("", "ar;q=abc,,;;*")
	f.Add("../../etc", "x-klingon")
	f.Fuzz(func(t *testing.T, lang, accept string) {
		r, _ := http.NewRequest("GET", "/", nil)
		q := url.Values{"lang": {lang}}
		r.URL.RawQuery = q.Encode()
		r.Header.Set("Accept-Language", accept)
		c, _ := l.fromRequest(r)
		if c == nil || l.Catalogue(c.Tag) != c {
			t.Fatalf("lang %q, Accept-Language %q: got %v", lang, accept, c)
		}
	})
}
