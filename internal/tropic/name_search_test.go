package tropic_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"tropic/internal/tropic"
)

func TestNameSearchKeyReadsNamesAsPeopleTypeThem(t *testing.T) {
	for _, tt := range []struct{ typed, stored string }{
		{"OBRIEN", "O'Brien"},
		{"obrien", "O’Brien"},
		{"O Brien", "O'Brien"},
		{"mc donald", "McDonald"},
		{"Mac Donald", "MacDonald"},
		{"smith jones", "Smith-Jones"},
		{"zoe", "Zoë"},
		{"wisniewski", "Wiśniewski"},
	} {
		if got, want := tropic.NameSearchKey(tt.typed), tropic.NameSearchKey(tt.stored); got != want {
			t.Errorf("NameSearchKey(%q) = %q, NameSearchKey(%q) = %q; want the same", tt.typed, got, tt.stored, want)
		}
	}
}

func TestNameSearchTermsFindEachPartAndTheWhole(t *testing.T) {
	got := strings.Join(tropic.NameSearchTerms("Zoë O'Brien-Smith"), " ")
	if want := "zoe o brien smith zoeobriensmith obriensmith briensmith"; got != want {
		t.Errorf("terms %q, want %q", got, want)
	}
	got = strings.Join(tropic.NameSearchTerms("Ann Smith-Jones"), " ")
	if want := "ann smith jones annsmithjones smithjones"; got != want {
		t.Errorf("terms %q, want %q", got, want)
	}
	if got := tropic.NameSearchTerms("  '-  "); len(got) != 0 {
		t.Errorf("terms of punctuation alone: %q, want none", got)
	}
}

// FuzzNameSearch checks the normaliser on any input: a key has no spaces and is its
// own key, every term is short, valid UTF-8 and distinct, and a name is found by its
// own key when the key fits in a term.
func FuzzNameSearch(f *testing.F) {
	for _, s := range []string{"O'Brien", "mc donald", "Smith-Jones", "Zoë Żaneta", "  ", "ǅ\u0301x", strings.Repeat("ab-", 80), "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := tropic.NameSearchKey(s)
		if strings.ContainsAny(k, " \t\n'-") {
			t.Fatalf("key %q of %q holds a space or punctuation", k, s)
		}
		if again := tropic.NameSearchKey(k); again != k {
			t.Fatalf("key of the key %q is %q", k, again)
		}
		terms := tropic.NameSearchTerms(s)
		if len(terms) > tropic.MaxNameTerms {
			t.Fatalf("%d terms", len(terms))
		}
		seen := map[string]bool{}
		for _, term := range terms {
			if term == "" || len(term) > 100 || !utf8.ValidString(term) || seen[term] {
				t.Fatalf("bad term %q of %q (terms %q)", term, s, terms)
			}
			seen[term] = true
		}
		words := strings.Fields(tropic.FoldName(s))
		if len(words) > 1 && len(k) <= 100 && len(words)*2 <= tropic.MaxNameTerms && !seen[k] {
			t.Fatalf("%q is not found by its key %q (terms %q)", s, k, terms)
		}
	})
}
