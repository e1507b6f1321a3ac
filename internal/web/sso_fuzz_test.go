package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSSOCallback: whatever query a provider (or an attacker) sends back, the parser
// never panics, and what it accepts is one state with exactly one of code and error,
// each short printable ASCII.
func FuzzSSOCallback(f *testing.F) {
	for _, seed := range []string{"state=abc&code=xyz", "state=abc&error=access_denied", "state=a&state=b&code=c", "code=only",
		"state=%00&code=x", "state=abc&code=x&error=y", "", "state=" + strings.Repeat("a", 3000) + "&code=x", "state=%C3%A9&code=x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		cb, err := parseSSOCallback(q)
		if err != nil {
			return
		}
		if cb.State == "" || (cb.Code == "") == (cb.Error == "") {
			t.Fatalf("accepted %q as %+v", raw, cb)
		}
		for _, v := range []string{cb.State, cb.Code, cb.Error} {
			if len(v) > 2048 || strings.ContainsFunc(v, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
				t.Fatalf("accepted %q with value %q", raw, v)
			}
		}
		if len(q["state"]) != 1 {
			t.Fatalf("accepted %q with %d states", raw, len(q["state"]))
		}
	})
}
