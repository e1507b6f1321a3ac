package tropic

import (
	"strings"
	"testing"
)

func TestCheckCommentary(t *testing.T) {
	if got, err := CheckCommentary("  Referrals rose after the July campaign.\r\n  "); err != nil || got != "Referrals rose after the July campaign." {
		t.Fatalf("got %q, %v", got, err)
	}
	long := strings.Repeat("é", MaxCommentaryRunes+1)
	got, err := CheckCommentary(long)
	if ErrorFields(err)["commentary"] == "" || got != long {
		t.Fatalf("too long: field errors %v, kept %d runes", ErrorFields(err), len([]rune(got)))
	}
	if _, err := CheckCommentary(strings.Repeat("é", MaxCommentaryRunes)); err != nil {
		t.Fatalf("exactly the limit: %v", err)
	}
	if _, err := CheckCommentary("bad \xff byte"); ErrorFields(err)["commentary"] == "" {
		t.Fatalf("invalid UTF-8 accepted")
	}
}

func FuzzCheckCommentary(f *testing.F) {
	f.Add("A quarter of steady work.")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := CheckCommentary(s)
		if err == nil && (len([]rune(got)) > MaxCommentaryRunes || strings.TrimSpace(got) != got) {
			t.Fatalf("accepted %q", got)
		}
	})
}
