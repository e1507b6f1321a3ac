package tropic

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMayChangeAndMayContribute(t *testing.T) {
	owner := Actor{UserID: 1, AgencyID: 7, Roles: []Role{RoleCaseworker}}
	other := Actor{UserID: 2, AgencyID: 8, Roles: []Role{RoleCaseworker}}
	for _, tc := range []struct {
		name               string
		actor              Actor
		access             CaseAccess
		change, contribute string // error codes, "" when allowed
	}{
		{"the owner changes and adds", owner, AccessWhole, "", ""},
		{"a whole-case share adds but does not change", other, AccessWhole, EFORBIDDEN, ""},
		{"a share without sensitive fields does neither", other, AccessWithoutSensitive, EFORBIDDEN, EFORBIDDEN},
		{"no access does neither", other, AccessNone, EFORBIDDEN, EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Case{OwnerAgencyID: 7, OwnerAgency: "Owner Police", Access: tc.access}
			if got := ErrorCode(MayChangeCase(tc.actor, c)); got != tc.change {
				t.Errorf("MayChange: got %q, want %q", got, tc.change)
			}
			if got := ErrorCode(MayContributeToCase(tc.actor, c)); got != tc.contribute {
				t.Errorf("MayContribute: got %q, want %q", got, tc.contribute)
			}
		})
	}
	if msg := ErrorMessage(MayChangeCase(other, &Case{OwnerAgencyID: 7, OwnerAgency: "Owner Police"})); msg != "Only Owner Police can change this case. Ask them to make the change." {
		t.Errorf("got message %q, want it to name the owner", msg)
	}
}

// FuzzSharingAgreementValidate: whatever a form or import sends, Validate does not
// panic, and an agreement it accepts has two or more parties, only known lawful bases
// and categories, and a real review date.
func FuzzSharingAgreementValidate(f *testing.F) {
	f.Add("Protocol", "Safeguarding", "2027-03-31", "ISA-1", int64(1), int64(2), "consent,dpa_part3", "identity")
	f.Add("", "", "31/02/2027", "", int64(0), int64(-1), "because", "")
	f.Fuzz(func(t *testing.T, title, purposes, review, doc string, a, b int64, bases, cats string) {
		g := SharingAgreement{Title: title, Purposes: purposes, ReviewOn: review, DocumentRef: doc, Parties: []int64{a, b},
			LawfulBases: strings.Split(bases, ","), DataCategories: strings.Split(cats, ",")}
		if g.Validate() != nil {
			return
		}
		if len(g.Parties) < 2 || g.Parties[0] <= 0 || len(g.LawfulBases) == 0 || len(g.DataCategories) == 0 {
			t.Fatalf("accepted %+v", g)
		}
		for _, k := range g.LawfulBases {
			if !slices.ContainsFunc(LawfulBases, func(b struct{ Key, Label string }) bool { return b.Key == k }) {
				t.Fatalf("an unknown lawful basis accepted: %q", k)
			}
		}
		if _, err := time.Parse(time.DateOnly, g.ReviewOn); err != nil {
			t.Fatalf("accepted review date %q", g.ReviewOn)
		}
	})
}
