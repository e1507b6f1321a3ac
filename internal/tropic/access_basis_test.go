package tropic

import (
	"strings"
	"testing"
)

func TestAnAccessRequestIsApprovedOnlyWhileItsLinkHolds(t *testing.T) {
	for _, c := range []struct {
		b    AccessBasis
		want string // in the refusal; "" when it may be approved
	}{
		{AccessBasis{By: AccessByIdentifier, Via: "phone number 07700 900123", FromCase: true, Holds: true}, ""},
		{AccessBasis{By: AccessByMatch, FromCase: true, Holds: true}, ""},
		{AccessBasis{By: AccessByIdentifier, Via: "phone number 07700 900123", FromCase: true}, "no longer has the same phone number 07700 900123"},
		{AccessBasis{By: AccessByMatch, FromCase: true}, "possible match it rests on was withdrawn"},
		{AccessBasis{By: AccessByS45, FromCase: true}, "s.45 notice it rests on was withdrawn"},
		{AccessBasis{By: AccessByIdentifier, Via: "phone number 07700 900123", Holds: true}, "no longer held"},
	} {
		err := MayApproveAccess(c.b)
		if c.want == "" {
			if err != nil || c.b.Withdrawn() != "" {
				t.Errorf("%+v: refused (%v), want approvable", c.b, err)
			}
			continue
		}
		if ErrorCode(err) != ECONFLICT || !strings.Contains(ErrorMessage(err), c.want) || !strings.Contains(c.b.Withdrawn(), c.want) {
			t.Errorf("%+v: got %v, want a conflict saying %q", c.b, err, c.want)
		}
	}
}

func TestParseViaReadsBackEveryRequestableKind(t *testing.T) {
	for k := range requestableKinds {
		got, v, ok := ParseVia(k.Label() + " AB12 CDE")
		if !ok || got != k || v != "AB12 CDE" {
			t.Errorf("%s: got %q %q %v", k, got, v, ok)
		}
	}
	for _, bad := range []string{"", "phone number", "phone number ", "shoe size 9"} {
		if _, _, ok := ParseVia(bad); ok {
			t.Errorf("%q read as an identifier", bad)
		}
	}
}

// FuzzParseVia: what it reads back is exactly what was written.
func FuzzParseVia(f *testing.F) {
	f.Add("phone number 07700 900123")
	f.Add("name and date of birth Jon Smith, born 2 May 1990")
	f.Fuzz(func(t *testing.T, via string) {
		if k, v, ok := ParseVia(via); ok && (k.Label()+" "+v != via || v == "") {
			t.Fatalf("%q read as %q %q", via, k, v)
		}
	})
}
