package tropic_test

import (
	"strconv"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

func TestDisclosureThresholdBounds(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"3", "3", true}, {" 20 ", "20", true}, {"05", "5", true},
		{"2", "", false}, {"21", "", false}, {"", "", false}, {"5.5", "", false}, {"-5", "", false}, {"five", "", false},
	} {
		got, err := tropic.NormaliseSetting(tropic.SettingDisclosureThreshold, tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%q: got %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && tropic.ErrorFields(err)[tropic.SettingDisclosureThreshold] == "" {
			t.Errorf("%q: the problem does not name the field: %v", tt.in, err)
		}
	}
}

// FuzzNormaliseSetting: a setting typed in the browser is outside input. Whatever is
// typed, a value accepted reads back as itself, and a threshold stays within bounds.
func FuzzNormaliseSetting(f *testing.F) {
	for _, s := range []string{"5", "3", "20", "0", "emergency=1h,urgent=1wd,routine=5wd", "urgent=2wd", "emergency=1wd", ",,=", "999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, name := range []string{tropic.SettingDisclosureThreshold, tropic.SettingTriageTargets, tropic.SettingAcknowledgeTargets} {
			got, err := tropic.NormaliseSetting(name, v)
			if err != nil {
				if tropic.ErrorFields(err)[name] == "" {
					t.Fatalf("%s %q: refused without naming the field: %v", name, v, err)
				}
				continue
			}
			again, err := tropic.NormaliseSetting(name, got)
			if err != nil || again != got {
				t.Fatalf("%s %q: stored as %q, which reads back as %q (%v)", name, v, got, again, err)
			}
			if name == tropic.SettingDisclosureThreshold {
				if n, _ := strconv.Atoi(got); n < tropic.MinDisclosureThreshold || n > tropic.MaxDisclosureThreshold {
					t.Fatalf("threshold %q accepted as %d", v, n)
				}
			}
		}
	})
}

// FuzzHowHeardOption: an answer's code and wording are typed in the browser. An
// accepted option validates again unchanged, and its code can never pass for a
// campaign's.
func FuzzHowHeardOption(f *testing.F) {
	f.Add("local_radio", "Local radio")
	f.Add("campaign:x", "X")
	f.Add(" News ", "\x00")
	f.Fuzz(func(t *testing.T, code, label string) {
		o := tropic.HowHeardOption{Code: code, Label: label}
		if o.Validate() != nil {
			return
		}
		again := o
		if err := again.Validate(); err != nil || again != o {
			t.Fatalf("%q %q: accepted as %+v, then %+v (%v)", code, label, o, again, err)
		}
		if strings.HasPrefix(o.Code, "campaign") || strings.ContainsAny(o.Code, ": ") {
			t.Fatalf("code %q accepted", o.Code)
		}
	})
}
