package phone

import (
	"strings"
	"testing"
)

func TestParseNormalisesUKAndInternationalNumbers(t *testing.T) {
	cases := []struct{ in, want string }{
		{"07700 900123", "+447700900123"},
		{"07700900123", "+447700900123"},
		{"+44 7700 900123", "+447700900123"},
		{"0044 7700 900123", "+447700900123"},
		{"(01727) 819 000", "+441727819000"},
		{"+40 712 345 678", "+40712345678"},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q): got %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestParseRefusesWhatCannotBeAPhoneNumber(t *testing.T) {
	for _, in := range []string{"", "abc", "123", "call me", strings.Repeat("1", 41)} {
		if got, err := Parse(in); err == nil {
			t.Errorf("Parse(%q): got %q, want an error", in, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"07700 900123", "+44 7700 900123", "abc", "0044", "+", "((("} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		if err != nil {
			return
		}
		if !strings.HasPrefix(got, "+") || len(got) > 16 {
			t.Errorf("Parse(%q) = %q: not E.164", s, got)
		}
		// Normalising is idempotent.
		if again, err := Parse(got); err != nil || again != got {
			t.Errorf("Parse(Parse(%q)) = %q, %v; want %q", s, again, err, got)
		}
	})
}
