package web

import (
	"net/url"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// FuzzAccessRequestForm feeds the request form's fields, as posted, through the form
// reader and the domain's validation: never a panic, and a request the domain accepts
// names its record exactly one way, with a positive id where it names one.
func FuzzAccessRequestForm(f *testing.F) {
	f.Add("phone", "07700 900123", "", "", "3", "whole", "consent", "Why")
	f.Add("", "", "12", "", "3", "without_sensitive", "dpa_part3", "A possible match")
	f.Add("", "", "", "7", "3", "whole", "dpa_part3", "An s.45 notice")
	f.Add("", "", "-1", "x", "9223372036854775808", "all", "", "")
	f.Fuzz(func(t *testing.T, kind, value, match, person, agency, scope, basis, reason string) {
		v := url.Values{"kind": {kind}, "value": {value}, "match": {match}, "person": {person}, "agency": {agency},
			"scope": {scope}, "lawful_basis": {basis}, "reason": {reason}, "agreement_reason": {reason}}
		r := accessRequestFormFrom(v).request("C-1")
		if err := r.Validate(time.Now(), nil, 2); err != nil {
			if tropic.ErrorCode(err) != tropic.EINVALID {
				t.Fatalf("got %v, want invalid or nothing", err)
			}
			return
		}
		if r.AgencyID <= 0 || r.MatchID < 0 || r.PersonID < 0 {
			t.Fatalf("accepted %+v", r)
		}
		named := 0
		for _, set := range []bool{r.Kind != "", r.MatchID > 0, r.PersonID > 0} {
			if set {
				named++
			}
		}
		if named != 1 {
			t.Fatalf("accepted %+v, naming its record %d ways", r, named)
		}
	})
}
