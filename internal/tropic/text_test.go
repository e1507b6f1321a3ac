package tropic_test

import (
	"strings"
	"testing"

	"tropic/internal/tropic"
)

func TestCheckTextIsTheOneRuleForFreeText(t *testing.T) {
	for _, tc := range []struct {
		name, s, want string
	}{
		{"plain text", "Car wash", ""},
		{"line breaks and tabs", "a\nb\r\n\tc", ""},
		{"right-to-left writing with its marks", "\u05e9\u05dc\u05d5\u05dd \u200f\u200e", ""},
		{"at the limit", strings.Repeat("é", 10), ""},
		{"too long", strings.Repeat("é", 11), "Field must be 10 characters or fewer"},
		{"a control character", "a\x00b", "Field must not contain control characters"},
		{"a C1 control", "a\u0085b", "Field must not contain control characters"},
		{"not UTF-8", "a\xffb", "Field must be valid text: it holds bytes that are not UTF-8"},
		{"a surrogate half in UTF-8", "\xed\xa0\x80", "Field must be valid text: it holds bytes that are not UTF-8"},
	} {
		var p tropic.Problems
		tropic.CheckText(&p, "f", "Field", tc.s, 10)
		if got := tropic.ErrorFields(p.Err())["f"]; got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	for r := rune(0x2000); r <= 0x206f; r++ {
		var p tropic.Problems
		tropic.CheckText(&p, "f", "Field", "x"+string(r)+"y", 10)
		refused := tropic.ErrorFields(p.Err())["f"] == "Field must not contain characters that change the direction of the text"
		if want := (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069); refused != want {
			t.Errorf("U+%04X: refused %v, want %v", r, refused, want)
		}
	}
}
