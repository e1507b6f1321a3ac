package main

// The GOV.UK character count's live message ("You have 4,997 characters remaining")
// in the page's language: the catalogue's text, in the plural form the language uses
// for the number, never GOV.UK Frontend's English default. Checked by the walk of
// every public page in every language (i18n_browser_test.go) on the report form and
// the follow-up form.

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"tropic/internal/browsertest"
)

// brCatalogueMessages reads a shipped catalogue's messages: a string, or the plural
// forms by CLDR category.
func brCatalogueMessages(t *testing.T, tag string) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../../internal/web/locales/" + tag + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Messages map[string]any `json:"messages"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c.Messages
}

// brCountForms are plural forms known for some numbers, so that the choice of form is
// not only the browser's word: Polish 2 "znaki", 5 "znaków"; Arabic 2 the dual, 3 to
// 10 "few", 11 to 99 "many".
var brCountForms = map[string]map[int]string{
	"pl": {1: "one", 2: "few", 5: "many", 11: "many", 22: "few"},
	"ar": {1: "one", 2: "two", 3: "few", 5: "few", 11: "many", 22: "many"},
	"ro": {1: "one", 2: "few", 22: "other"},
	"en": {1: "one", 2: "other"},
}

// brCheckCharacterCount types into the character count on field (limit characters)
// of the page open in b, in language tag, leaving several numbers of characters
// remaining and too many, and reads the message GOV.UK Frontend shows.
func brCheckCharacterCount(t *testing.T, b *browsertest.Browser, tag, field string, limit int) {
	t.Helper()
	// text is message id of language tag's catalogue for the number n, as GOV.UK
	// Frontend writes it: the form Intl.PluralRules chooses, the number as
	// Intl.NumberFormat writes it.
	text := func(tag, id string, n int) (string, bool) {
		switch m := brCatalogueMessages(t, tag)[id].(type) {
		case string:
			return m, true
		case map[string]any:
			form := brEvalString(t, b, fmt.Sprintf(`Intl.PluralRules.supportedLocalesOf(%[1]s).length ? new Intl.PluralRules(%[1]s).select(%[2]d) : 'other'`, brJsString(tag), n))
			if want, ok := brCountForms[tag][n]; ok && form != want {
				t.Errorf("in %s the browser chose the plural form %q for %d, want %q", tag, form, n, want)
			}
			s, ok := m[form].(string)
			if !ok && form == "one" {
				s, ok = m["other"].(string) // a language without "one" (decision: CharacterCountI18n)
			}
			if !ok {
				return "", false
			}
			number := brEvalString(t, b, fmt.Sprintf(`Intl.NumberFormat.supportedLocalesOf(%[1]s).length ? new Intl.NumberFormat(%[1]s).format(%[2]d) : '%[2]d'`, brJsString(tag), n))
			return strings.ReplaceAll(s, "{count}", number), true
		}
		return "", false
	}
	for _, left := range []int{22, 11, 5, 3, 2, 1, 0, -1, -2, -5, -11} {
		id, n := "form.count_under", left
		if left == 0 {
			id = "form.count_at"
		} else if left < 0 {
			id, n = "form.count_over", -left
		}
		want, ok := text(tag, id, n)
		if !ok {
			t.Errorf("%s's catalogue lacks the form of %s the browser chose for %d", tag, id, n)
			continue
		}
		got := brEvalString(t, b, fmt.Sprintf(`(() => {
			const field = document.getElementById(%s)
			field.value = 'x'.repeat(%d)
			field.dispatchEvent(new Event('input'))
			return field.closest('.govuk-character-count').querySelector('.govuk-character-count__status').textContent.trim()
		})()`, brJsString(field), limit-left))
		if got != want {
			t.Errorf("%s in %s with %d characters left says %q, want the catalogue's %q", field, tag, left, got, want)
		}
		if en, _ := text("en", id, n); tag != "en" && got == en {
			t.Errorf("%s in %s with %d characters left is in English: %q", field, tag, left, got)
		}
	}
	// Leave the field as it was found, empty.
	brEvalBool(t, b, `(document.getElementById(`+brJsString(field)+`).value = '', document.getElementById(`+brJsString(field)+`).dispatchEvent(new Event('input')), true)`)
}
