package tropic

import (
	"strings"
	"unicode/utf8"
)

// Staff search finds names as people type them (issue 19, item 5): "OBRIEN", "obrien"
// and "O Brien" find O'Brien, "mc donald" finds McDonald, and "Smith" or "Jones" finds
// Smith-Jones. A name is stored with its folded words (FoldName) and, from each word
// on, the rest of the name joined up (NameSearchKey); a query is looked up by its words
// and, when it has more than one, by its key too.

// MaxNameTerms bounds the search terms kept for one name.
const MaxNameTerms = 24

// NameSearchKey is a name or a query as search compares it: FoldName (case and
// accents folded, apostrophes and hyphens read as spaces) with the spaces taken out,
// so that "O'Brien", "O Brien" and "OBRIEN" are all "obrien", and "Mc Donald" and
// "McDonald" both "mcdonald".
func NameSearchKey(s string) string {
	return strings.ReplaceAll(FoldName(s), " ", "")
}

// NameSearchTerms are what a name is found by: each folded word, then, from each word
// on, the rest of the name joined up. "Zoë O'Brien-Smith" is found by "zoe", "o",
// "brien", "smith", "zoeobriensmith", "obriensmith" and "briensmith", so that a query
// of a word, of the start of one, or of several words typed together finds it. At
// most MaxNameTerms, each of at most 100 bytes.
func NameSearchTerms(name string) []string {
	words := strings.Fields(FoldName(name))
	var out []string
	add := func(t string) {
		if len(t) > 100 {
			t = t[:100]
			for len(t) > 0 && !utf8.ValidString(t) { // not inside a character
				t = t[:len(t)-1]
			}
		}
		if t == "" || len(out) >= MaxNameTerms {
			return
		}
		for _, v := range out {
			if v == t {
				return
			}
		}
		out = append(out, t)
	}
	for _, w := range words {
		add(w)
	}
	for i := range words {
		if i < len(words)-1 { // the last word's key is the word itself
			add(strings.Join(words[i:], ""))
		}
	}
	return out
}
