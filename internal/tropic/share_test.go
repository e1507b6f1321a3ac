package tropic

import "testing"

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
