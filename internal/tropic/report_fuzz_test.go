package tropic_test

import (
	"regexp"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

func TestReportPostcodeNormalisation(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"AL1 3JX", "AL1 3JX", true},
		{"al13jx", "AL1 3JX", true},
		{"  al1   3jx ", "AL1 3JX", true},
		{"SW1A 1AA", "SW1A 1AA", true},
		{"M1 1AE", "M1 1AE", true},
		{"B33 8TH", "B33 8TH", true},
		{"CR2 6XH", "CR2 6XH", true},
		{"DN55 1PT", "DN55 1PT", true},
		{"W1A 0AX", "W1A 0AX", true},
		{"EC1A 1BB", "EC1A 1BB", true},
		{"ec1a1bb", "EC1A 1BB", true},
		{"", "", false},
		{"AL1", "", false},
		{"AL1 3J", "", false},
		{"AL1 XXX", "", false},
		{"1AL 3JX", "", false},
		{"ALL1 3JX", "", false},
		{"AL1 3JXX", "", false},
		{"AL1-3JX", "", false},
		{"AL1 3JX\x00", "", false},
		{"ÅL1 3JX", "", false},
		{strings.Repeat("A", 100), "", false},
	}
	for _, tt := range tests {
		got, ok := tropic.NormalisePostcode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalisePostcode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReportRegistrationNormalisation(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"AB12 CDE", "AB12CDE", true},
		{"ab12cde", "AB12CDE", true},
		{"ab-12 cde", "AB12CDE", true},
		{"A1", "A1", true},
		{"K 123 ABC", "K123ABC", true},
		{"WN-123-AB", "WN123AB", true}, // foreign plates are accepted
		{"1234567890", "1234567890", true},
		{"", "", false},
		{"A", "", false},
		{" - ", "", false},
		{"12345678901", "", false},
		{"AB12 CDE!", "", false},
		{"AB12\tCDE", "", false},
		{"AB12\x00CDE", "", false},
		{"ÄB12 CDE", "", false},
	}
	for _, tt := range tests {
		got, ok := tropic.NormaliseRegistration(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormaliseRegistration(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

var canonicalPostcode = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`)

func FuzzNormalisePostcode(f *testing.F) {
	for _, s := range []string{"", "AL1 3JX", "al13jx", "SW1A 1AA", " ec1a 1bb ", "AL1 XXX", "ǅ1 3JX", "\u00a0AL1 3JX", "AL1\u20283JX", "ß1 3JX", "ﬀ1 3JX"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := tropic.NormalisePostcode(s)
		if !ok {
			if got != "" {
				t.Fatalf("NormalisePostcode(%q) = %q, false", s, got)
			}
			return
		}
		if !canonicalPostcode.MatchString(got) {
			t.Fatalf("NormalisePostcode(%q) = %q, not a canonical postcode", s, got)
		}
		if again, ok := tropic.NormalisePostcode(got); !ok || again != got {
			t.Fatalf("NormalisePostcode(%q) = %q, %v; want it unchanged", got, again, ok)
		}
	})
}

var canonicalRegistration = regexp.MustCompile(`^[A-Z0-9]{2,10}$`)

func FuzzNormaliseRegistration(f *testing.F) {
	for _, s := range []string{"", "AB12 CDE", "ab-12-cde", "K 123 ABC", "AB12 CDE!", "ǅ12", "ı1", "ﬀ12", strings.Repeat("A ", 20)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := tropic.NormaliseRegistration(s)
		if !ok {
			if got != "" {
				t.Fatalf("NormaliseRegistration(%q) = %q, false", s, got)
			}
			return
		}
		if !canonicalRegistration.MatchString(got) {
			t.Fatalf("NormaliseRegistration(%q) = %q, not letters and digits", s, got)
		}
		if again, ok := tropic.NormaliseRegistration(got); !ok || again != got {
			t.Fatalf("NormaliseRegistration(%q) = %q, %v; want it unchanged", got, again, ok)
		}
	})
}
