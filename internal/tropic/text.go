package tropic

import (
	"fmt"
	"unicode/utf8"
)

// CheckText is the one rule for free text, wherever it comes from (the forms, the
// API, an import): it records a problem for field, named label for people, when s is
// not valid UTF-8, is longer than max characters, holds a control character, or
// holds a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069), which
// make text show in another order than it is stored ("invoice‮fdp.exe").
func CheckText(p *Problems, field, label, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		p.Add(field, label+" must be valid text: it holds bytes that are not UTF-8")
	case utf8.RuneCountInString(s) > max:
		p.Add(field, fmt.Sprintf("%s must be %d characters or fewer", label, max))
	case HasControlChars(s):
		p.Add(field, label+" must not contain control characters")
	case HasBidiControls(s):
		p.Add(field, label+" must not contain characters that change the direction of the text")
	}
}

// HasBidiControls reports whether s holds a bidirectional embedding, override or
// isolate character (U+202A–U+202E, U+2066–U+2069). The marks U+200E and U+200F,
// which right-to-left writing needs, are allowed.
func HasBidiControls(s string) bool {
	for _, r := range s {
		if (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
			return true
		}
	}
	return false
}
