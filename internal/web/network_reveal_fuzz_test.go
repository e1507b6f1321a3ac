package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// FuzzRevealForm feeds the reveal form's fields, as posted, through the form reader
// and the domain's validation: never a panic; an accepted request names a network
// person, a non-negative agency, a purpose, and an agreement or why none applies.
func FuzzRevealForm(f *testing.F) {
	f.Add("person:0123456789abcdef", "3", "Why", "", "None applies")
	f.Add("person:0123456789abcdef", "-4", " ", "7", "")
	f.Add("case:0123456789abcdef", "9223372036854775808", "x", "abc", "\u202e")
	f.Fuzz(func(t *testing.T, person, agency, purpose, agreement, none string) {
		v := url.Values{"person": {person}, "agency": {agency}, "purpose": {purpose}, "agreement": {agreement}, "agreement_reason": {none}}
		r := readRevealForm(v).request()
		a := tropic.Actor{UserID: 1, AgencyID: 2, Roles: []tropic.Role{tropic.RoleAnalyst}}
		if err := tropic.ValidateReveal(a, r, nil, true, time.Now()); err != nil {
			if c := tropic.ErrorCode(err); c != tropic.EINVALID && c != tropic.ENOTFOUND {
				t.Fatalf("got %v, want invalid, not found or nothing", err)
			}
			return
		}
		if !strings.HasPrefix(r.PersonKey, "person:") || r.AgencyID < 0 || r.Purpose == "" || (r.AgreementID == 0 && r.NoAgreementReason == "") {
			t.Fatalf("accepted %+v", r)
		}
	})
}
