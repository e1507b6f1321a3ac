package tropic_test

import (
	"errors"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// compact is a reference without its hyphens.
func compact(ref string) string { return strings.ReplaceAll(ref, "-", "") }

// format puts the hyphens back into a current reference's 10 characters.
func format(s string) string { return s[:4] + "-" + s[4:7] + "-" + s[7:] }

func TestReportReferenceCheckCharacterCatchesEverySingleCharacterChange(t *testing.T) {
	for range 200 {
		ref := tropic.NewReference()
		if got, err := tropic.ParseReference(ref); err != nil || got != ref {
			t.Fatalf("ParseReference(%q) = %q, %v; want it back", ref, got, err)
		}
		c := compact(ref)
		for i := range c {
			for _, r := range crockford {
				if byte(r) == c[i] {
					continue
				}
				typo := c[:i] + string(r) + c[i+1:]
				if got, err := tropic.ParseReference(format(typo)); !errors.Is(err, tropic.ErrReferenceMistyped) || !errors.Is(err, tropic.ErrBadReference) {
					t.Fatalf("%q with character %d changed to %q: ParseReference = %q, %v; want it mistyped", ref, i+1, r, got, err)
				}
			}
		}
	}
}

func TestReportReferenceCheckCharacterCatchesEverySwapOfNeighbours(t *testing.T) {
	swaps := 0
	for range 2000 {
		c := compact(tropic.NewReference())
		for i := 0; i+1 < len(c); i++ {
			if c[i] == c[i+1] {
				continue
			}
			swaps++
			typo := c[:i] + string(c[i+1]) + string(c[i]) + c[i+2:]
			if got, err := tropic.ParseReference(format(typo)); err == nil {
				t.Fatalf("%q with characters %d and %d swapped parses as %q", c, i+1, i+2, got)
			}
		}
	}
	if swaps == 0 {
		t.Fatal("no swaps tried")
	}
}

// A dropped character turns a current reference (10 characters) into the length of
// one issued before the Damm check (9), which is then checked by Luhn mod 32 and
// passes about once in 32 (decision record 25): the lookup then finds no report.
func TestReportReferenceWithADroppedCharacterIsRarelyAValidOldReference(t *testing.T) {
	tries, passed := 0, 0
	for range 500 {
		c := compact(tropic.NewReference())
		for i := range c {
			tries++
			if _, err := tropic.ParseReference(c[:i] + c[i+1:]); err == nil {
				passed++
			}
		}
	}
	if rate := float64(passed) / float64(tries); rate > 0.05 {
		t.Errorf("%d of %d references with a dropped character parse (%.3f), want about 1 in 32", passed, tries, rate)
	}
}

func TestReportReferenceIsReadAsPeopleTypeIt(t *testing.T) {
	ref := tropic.NewReference()
	c := compact(ref)
	tests := []struct {
		name, typed string
		ok          bool
	}{
		{"As shown.", ref, true},
		{"Lower case.", strings.ToLower(ref), true},
		{"Without hyphens.", c, true},
		{"With spaces.", c[:4] + " " + c[4:8] + " " + c[8:], true},
		{"With spaces around.", "  " + ref + "\t", true},
		{"Too short.", c[:5], false},
		{"Too long.", ref + "0", false},
		{"Empty.", "", false},
		{"With a letter the alphabet does not use.", c[:9] + "U", false},
		{"With other punctuation.", strings.ReplaceAll(ref, "-", "/"), false},
		{"Very long.", strings.Repeat(ref, 10), false},
	}
	for _, tt := range tests {
		got, err := tropic.ParseReference(tt.typed)
		if (err == nil) != tt.ok || (tt.ok && got != ref) {
			t.Errorf("%s ParseReference(%q) = %q, %v", tt.name, tt.typed, got, err)
		}
	}
	// O for 0 and I or L for 1, as they are misread.
	for i := range c {
		var alt string
		switch c[i] {
		case '0':
			alt = "O"
		case '1':
			alt = "l"
		default:
			continue
		}
		if got, err := tropic.ParseReference(c[:i] + alt + c[i+1:]); err != nil || got != ref {
			t.Errorf("ParseReference with %s for %c = %q, %v; want %q", alt, c[i], got, err, ref)
		}
	}
}

func TestReportFollowUpCodeIsDerivedFromTheFormKeyAndReadAsTyped(t *testing.T) {
	key := tropic.NewFormKey()
	if !tropic.ValidFormKey(key) {
		t.Fatalf("NewFormKey() = %q, which ValidFormKey refuses", key)
	}
	code := tropic.FollowUpCode(key)
	if code != tropic.FollowUpCode(key) {
		t.Error("the follow-up code is not the same for the same form key")
	}
	if code == tropic.FollowUpCode(tropic.NewFormKey()) {
		t.Error("two form keys gave the same follow-up code")
	}
	if len(code) != 11 || code[5] != '-' || strings.Trim(strings.Replace(code, "-", "", 1), crockford) != "" {
		t.Errorf("follow-up code %q is not 5 + 5 characters of the alphabet", code)
	}
	for _, typed := range []string{strings.ToLower(code), compact(code), " " + code[:5] + " " + code[6:] + " "} {
		if tropic.HashFollowUpCode(typed) != tropic.HashFollowUpCode(code) {
			t.Errorf("HashFollowUpCode(%q) differs from the code's hash", typed)
		}
	}
	if tropic.HashFollowUpCode(code) == tropic.HashFormKey(key) || strings.Contains(tropic.HashFollowUpCode(code), code) {
		t.Error("the stored hashes give the code away")
	}
}

func FuzzParseReference(f *testing.F) {
	for _, s := range []string{"", "KM7Q-2XPA-7", tropic.NewReference(), strings.ToLower(tropic.NewReference()), "OOOO-OOOO-O",
		"IIII LLLL 1", "ÿ", "KM7Q-2XPA-77", "\x00", "KM7Q\u00a02XPA-7", strings.Repeat("-", 50), "ǅ", "ⅰ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := tropic.ParseReference(s)
		if err != nil {
			if got != "" {
				t.Fatalf("ParseReference(%q) = %q with error %v", s, got, err)
			}
			return
		}
		// A parsed reference is canonical, and parses to itself.
		// 4-3-3 for a current reference, 4-4-1 for one issued before the Damm check.
		current := len(got) == 12 && got[4] == '-' && got[8] == '-'
		legacy := len(got) == 11 && got[4] == '-' && got[9] == '-'
		if !current && !legacy || strings.Trim(compact(got), crockford) != "" {
			t.Fatalf("ParseReference(%q) = %q, not in canonical form", s, got)
		}
		if again, err := tropic.ParseReference(got); err != nil || again != got {
			t.Fatalf("ParseReference(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}
