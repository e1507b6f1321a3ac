package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	cldr "golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// The public service speaks the languages of its catalogues (locales/*.json, one
// file a language, English the reference). Staff pages stay English. The language
// is chosen by ?lang= in the address, kept by every public link and form (no
// cookie: nothing of a visit is left on the device but the browser's history); a
// first visit without it gets the best match of Accept-Language among the enabled
// languages (decision record in docs/decisions.md).

//go:embed locales/*.json
var localeFS embed.FS

// defaultLang is the reference language: every other catalogue has its keys.
const defaultLang = "en"

// Catalogue is one language's messages and what is known of their making.
type Catalogue struct {
	Tag         string `json:"language"`     // BCP 47, as used in ?lang= and <html lang>
	Name        string `json:"name"`         // the language's own name for itself
	EnglishName string `json:"english_name"` // for staff pages
	Dir         string `json:"dir"`          // "ltr" or "rtl"
	Translator  string `json:"translator"`   // who translated it, and how
	// Reviewed: a native speaker has reviewed the translation. An unreviewed
	// language says so on each of its pages.
	Reviewed bool               `json:"reviewed_by_native_speaker"`
	Messages map[string]Message `json:"messages"`
	tag      language.Tag
}

// Message is one message: a plain string, or its plural forms by CLDR category
// ("zero", "one", "two", "few", "many", "other").
type Message struct {
	Other string
	Forms map[string]string
}

func (m *Message) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &m.Other); err == nil {
		return nil
	}
	if err := json.Unmarshal(b, &m.Forms); err != nil {
		return fmt.Errorf("a message is a string or an object of plural forms: %w", err)
	}
	if m.Forms["other"] == "" {
		return fmt.Errorf("a plural message needs its \"other\" form")
	}
	m.Other = m.Forms["other"]
	return nil
}

// Locales are the catalogues the deployment has enabled.
type Locales struct {
	byTag   map[string]*Catalogue
	order   []*Catalogue // English first, then as shipped
	matcher language.Matcher
}

// shippedOrder is the order of the language chooser.
var shippedOrder = []string{"en", "cy", "sq", "vi", "ro", "pl", "ar", "ti", "zh-Hans"}

// loadCatalogues reads every shipped catalogue.
func loadCatalogues() (map[string]*Catalogue, error) {
	files, err := fs.Glob(localeFS, "locales/*.json")
	if err != nil {
		return nil, err
	}
	out := map[string]*Catalogue{}
	for _, f := range files {
		b, err := localeFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		c := &Catalogue{}
		if err := json.Unmarshal(b, c); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", f, err)
		}
		if want := strings.TrimSuffix(path.Base(f), ".json"); c.Tag != want {
			return nil, fmt.Errorf("catalogue %s says it is %q", f, c.Tag)
		}
		if c.tag, err = language.Parse(c.Tag); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", f, err)
		}
		if c.Dir != "ltr" && c.Dir != "rtl" {
			return nil, fmt.Errorf("catalogue %s: dir must be ltr or rtl", f)
		}
		out[c.Tag] = c
	}
	if out[defaultLang] == nil {
		return nil, fmt.Errorf("no English catalogue")
	}
	return out, nil
}

// ShippedLanguages lists the tags of the catalogues built in, for configuration.
func ShippedLanguages() []string {
	all, err := loadCatalogues()
	if err != nil {
		return nil
	}
	var out []string
	for _, t := range shippedOrder {
		if all[t] != nil {
			out = append(out, t)
		}
	}
	return out
}

// newLocales enables the languages named (all shipped when none is named);
// English is always on, being the reference.
func newLocales(enabled []string) (*Locales, error) {
	all, err := loadCatalogues()
	if err != nil {
		return nil, err
	}
	on := map[string]bool{defaultLang: true}
	for _, t := range enabled {
		if all[t] == nil {
			return nil, fmt.Errorf("language %q has no catalogue (shipped: %s)", t, strings.Join(ShippedLanguages(), ", "))
		}
		on[t] = true
	}
	l := &Locales{byTag: map[string]*Catalogue{}}
	var tags []language.Tag
	for _, t := range shippedOrder {
		if c := all[t]; c != nil && (len(enabled) == 0 || on[t]) {
			l.byTag[t] = c
			l.order = append(l.order, c)
			tags = append(tags, c.tag)
		}
	}
	l.matcher = language.NewMatcher(tags)
	return l, nil
}

// english is the reference catalogue.
func (l *Locales) english() *Catalogue { return l.byTag[defaultLang] }

// Catalogue returns an enabled language's catalogue, or nil.
func (l *Locales) Catalogue(tag string) *Catalogue { return l.byTag[tag] }

// fromRequest is the request's language and whether the address named it: ?lang=
// when it names an enabled language, else the best match of Accept-Language.
func (l *Locales) fromRequest(r *http.Request) (*Catalogue, bool) {
	if c := l.byTag[r.URL.Query().Get("lang")]; c != nil {
		return c, true
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		if prefs, _, err := language.ParseAcceptLanguage(al); err == nil && len(prefs) > 0 {
			_, i, conf := l.matcher.Match(prefs...)
			if conf != language.No {
				return l.order[i], false
			}
		}
	}
	return l.english(), false
}

// LanguageName names a report's form language for staff: "Polish (pl)".
func (l *Locales) LanguageName(tag string) string {
	if tag == "" {
		return ""
	}
	if c := l.byTag[tag]; c != nil {
		return c.EnglishName
	}
	if all, err := loadCatalogues(); err == nil && all[tag] != nil {
		return all[tag].EnglishName + " (no longer enabled)"
	}
	return tag
}

// shippedCatalogues are the catalogues built in, read once, for naming languages.
var shippedCatalogues = sync.OnceValue(func() map[string]*Catalogue {
	all, _ := loadCatalogues()
	return all
})

// contactLanguageName names, for staff, the language a reporter asked to be contacted
// in: one of the service's languages by its English name ("en" is English), whatever
// else the reporter typed as they typed it ("Romanian", "Tigrinya please").
func contactLanguageName(s string) string {
	for tag, c := range shippedCatalogues() {
		if strings.EqualFold(tag, strings.TrimSpace(s)) {
			return c.EnglishName
		}
	}
	return s
}

// lookup finds id in c, else in English; a missing id shows itself, so that a test
// of the pages finds it.
func (l *Locales) lookup(c *Catalogue, id string) (Message, *Catalogue) {
	if m, ok := c.Messages[id]; ok {
		return m, c
	}
	if m, ok := l.english().Messages[id]; ok {
		return m, l.english()
	}
	return Message{Other: "[" + id + "]"}, c
}

// pluralForm is the CLDR plural category of n in c's language.
func pluralForm(c *Catalogue, n int) string {
	switch cldr.Cardinal.MatchPlural(c.tag, n, 0, 0, 0, 0) {
	case cldr.Zero:
		return "zero"
	case cldr.One:
		return "one"
	case cldr.Two:
		return "two"
	case cldr.Few:
		return "few"
	case cldr.Many:
		return "many"
	}
	return "other"
}

// text is message id in c with its {placeholders} filled from name, value pairs;
// a "count" argument chooses the plural form. escape escapes the values (for
// messages that hold markup).
func (l *Locales) text(c *Catalogue, id string, escape bool, args ...any) string {
	m, from := l.lookup(c, id)
	s := m.Other
	var pairs []string
	for i := 0; i+1 < len(args); i += 2 {
		name := fmt.Sprint(args[i])
		value := fmt.Sprint(args[i+1])
		if name == "count" && m.Forms != nil {
			if n, err := strconv.Atoi(value); err == nil {
				if f, ok := m.Forms[pluralForm(from, n)]; ok {
					s = f
				}
			}
		}
		if escape {
			value = html.EscapeString(value)
		}
		pairs = append(pairs, "{"+name+"}", value)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// LangChoice is one language of the chooser.
type LangChoice struct {
	Tag, Name, Dir, URL string
	Current             bool
}

// withLang adds lang=tag to an address, before any fragment.
func withLang(addr, tag string) string {
	frag := ""
	if i := strings.IndexByte(addr, '#'); i >= 0 {
		addr, frag = addr[:i], addr[i:]
	}
	u, err := url.Parse(addr)
	if err != nil {
		return addr + frag
	}
	q := u.Query()
	q.Set("lang", tag)
	u.RawQuery = q.Encode()
	return u.String() + frag
}

// sortedIDs lists a catalogue's ids, for tests and tools.
func (c *Catalogue) sortedIDs() []string {
	ids := make([]string, 0, len(c.Messages))
	for id := range c.Messages {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// --- The layout's side: what templates call. ---

// cat is the page's catalogue: the chosen language on public pages, English on
// staff pages.
func (l *Layout) cat() *Catalogue {
	if l.locales == nil {
		return nil
	}
	if l.Public && l.lang != nil {
		return l.lang
	}
	return l.locales.english()
}

// T is message id in the page's language, {name} placeholders filled from name,
// value pairs ("count" chooses the plural form).
func (l *Layout) T(id string, args ...any) string {
	if l.locales == nil {
		return "[" + id + "]"
	}
	return l.locales.text(l.cat(), id, false, args...)
}

// TEnglish is message id in English, for the few English lines of a public page in
// another language (the unreviewed-translation notice, for whoever helps the reader).
func (l *Layout) TEnglish(id string, args ...any) string {
	if l.locales == nil {
		return "[" + id + "]"
	}
	return l.locales.text(l.locales.english(), id, false, args...)
}

// TIf is message id in the page's language when the page's own catalogue has it
// (ok false otherwise: the caller keeps its own wording).
func (l *Layout) TIf(id string, args ...any) (string, bool) {
	c := l.cat()
	if c == nil {
		return "", false
	}
	if _, ok := c.Messages[id]; !ok {
		return "", false
	}
	return l.locales.text(c, id, false, args...), true
}

// TH is a message that holds markup (links, emphasis): the catalogue is trusted,
// the values are escaped.
func (l *Layout) TH(id string, args ...any) template.HTML {
	if l.locales == nil {
		return template.HTML(html.EscapeString("[" + id + "]"))
	}
	return template.HTML(l.locales.text(l.cat(), id, true, args...))
}

// countMessages are the GOV.UK character count's live messages ("You have 4,997
// characters remaining") and the catalogue messages that give them in the page's
// language.
var countMessages = []struct{ attr, id string }{
	{"characters-under-limit", "form.count_under"},
	{"characters-at-limit", "form.count_at"},
	{"characters-over-limit", "form.count_over"},
}

// CharacterCountI18n is the data-i18n attributes of a GOV.UK character count in the
// page's language, each plural form the catalogue gives, with its {count} written as
// GOV.UK Frontend's %{count}. The script chooses the form with Intl.PluralRules for the
// nearest lang attribute (the page's). A language without a "one" form (Chinese,
// Vietnamese) still sets it to its "other" text, so that GOV.UK Frontend's English
// default can never be shown.
func (l *Layout) CharacterCountI18n() template.HTMLAttr {
	if l.locales == nil {
		return ""
	}
	var b strings.Builder
	attr := func(name, text string) {
		b.WriteString(" data-i18n." + name + `="` + html.EscapeString(strings.ReplaceAll(text, "{count}", "%{count}")) + `"`)
	}
	for _, cm := range countMessages {
		m, _ := l.locales.lookup(l.cat(), cm.id)
		if m.Forms == nil {
			attr(cm.attr, m.Other)
			continue
		}
		if _, ok := m.Forms["one"]; !ok {
			attr(cm.attr+".one", m.Other)
		}
		for _, f := range []string{"zero", "one", "two", "few", "many", "other"} {
			if text, ok := m.Forms[f]; ok {
				attr(cm.attr+"."+f, text)
			}
		}
	}
	return template.HTMLAttr(strings.TrimPrefix(b.String(), " "))
}

// publicInEnglish makes the page a public page written only in English (the
// statistics, whose tables and notes are not translated): its chrome, lang and links
// are English whatever language the visitor chose, so that it neither claims to be
// in their language nor says it was translated by machine, and it offers no chooser.
func (l *Layout) publicInEnglish() {
	l.Public = true
	if l.locales != nil {
		l.lang = l.locales.english()
	}
	l.langInURL = false
	l.englishOnly = true
}

// Link is a public address that keeps the chosen language.
func (l *Layout) Link(addr string) string {
	if !l.Public || !l.langInURL {
		return addr
	}
	return withLang(addr, l.lang.Tag)
}

// Lang is the page's language tag, for <html lang>.
func (l *Layout) Lang() string {
	if c := l.cat(); c != nil {
		return c.Tag
	}
	return defaultLang
}

// Dir is the page's direction, for <html dir>.
func (l *Layout) Dir() string {
	if c := l.cat(); c != nil {
		return c.Dir
	}
	return "ltr"
}

// Unreviewed: the page's language has not been reviewed by a native speaker, and
// says so.
func (l *Layout) Unreviewed() bool {
	c := l.cat()
	return c != nil && c.Tag != defaultLang && !c.Reviewed
}

// Languages is the language chooser: each enabled language, linking to this page
// in it (or, on a page of answers, resending them in it: ChooserForm).
func (l *Layout) Languages() []LangChoice {
	if l.locales == nil || !l.Public || len(l.locales.order) < 2 || l.NoChooser || l.englishOnly {
		return nil
	}
	var out []LangChoice
	for _, c := range l.locales.order {
		out = append(out, LangChoice{Tag: c.Tag, Name: c.Name, Dir: c.Dir, URL: withLang(l.chooserPath, c.Tag), Current: c == l.cat()})
	}
	return out
}
