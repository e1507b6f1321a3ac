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
	for _, o := range tropic.HowHeardOptions {
		dynamic = append(dynamic, "how_heard."+o.Key)
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
		locales              *Locales
		want                 string
		explicit             bool
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
		"/report":                                  "/report?lang=pl",
		"/report/edit#phone_2":                     "/report/edit?lang=pl#phone_2",
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
	localPublics = []string{"/", "/report", "/report/new", "/report/me", "/report/me/new", "/report/follow-up", "/report/follow-up/done", "/privacy", "/accessibility", "/campaigns", "/no-such-page"}
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
			if !strings.Contains(res.body, `class="app-language-chooser"`) {
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
