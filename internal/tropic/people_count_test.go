package tropic

import (
	"math"
	"testing"
)

func TestParsePeopleCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"4", 4, true},
		{" 12 ", 12, true},
		{"about 6", 6, true},
		{"Around 10", 10, true},
		{"5-6", 6, true},
		{"5 - 6", 6, true},
		{"5–6", 6, true},
		{"5 to 6", 6, true},
		{"6 or 7", 7, true},
		{"10+", 10, true},
		{"more than 10", 10, true},
		{"six", 6, true},
		{"about six people", 6, true},
		{"a dozen", 12, true},
		{"~8", 8, true},
		{"lots", 0, false},
		{"", 0, false},
		{"7-5", 0, false}, // not a range: which is it?
		{"4 and 5 and 6", 0, false},
		{"4 men 3 women", 0, false},
		{"0x10", 0, false},
		{"99999999999999999999", math.MaxInt, true}, // the caller refuses it as too many
	}
	for _, tt := range tests {
		got, ok := ParsePeopleCount(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParsePeopleCount(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParsePeopleCount(f *testing.F) {
	for _, s := range []string{"4", "about 6", "5-6", "six", "10+", "lots", "7-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := ParsePeopleCount(s)
		if !ok && n != 0 {
			t.Fatalf("%q: not a count but %d", s, n)
		}
		if ok && n < 0 {
			t.Fatalf("%q: negative count %d", s, n)
		}
	})
}
