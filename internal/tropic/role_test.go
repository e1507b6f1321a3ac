package tropic

import "testing"

func TestDecideRoleTransition(t *testing.T) {
	const owner = 7
	worker := Actor{UserID: 1, AgencyID: owner, Roles: []Role{RoleCaseworker}}
	super := Actor{UserID: 2, AgencyID: owner, Roles: []Role{RoleSupervisor}}
	both := Actor{UserID: 3, AgencyID: owner, Roles: []Role{RoleCaseworker, RoleSupervisor}}
	outsider := Actor{UserID: 4, AgencyID: 8, Roles: []Role{RoleSupervisor}}
	pv, sus, wit := RolePotentialVictim, RoleSuspect, RoleWitness
	for _, tc := range []struct {
		name  string
		t     RoleTransition
		actor Actor
		want  RoleVerdict
		code  string
		field string
	}{
		{"victim to suspect asks a supervisor", RoleTransition{Path: PathChange, From: pv, To: sus, WasVictim: true, Reason: "x"}, worker, RoleNeedsSupervisor, "", ""},
		{"even a supervisor asks", RoleTransition{Path: PathChange, From: pv, To: sus, WasVictim: true, Reason: "x"}, both, RoleNeedsSupervisor, "", ""},
		{"victim to suspect needs a reason", RoleTransition{Path: PathChange, From: pv, To: sus, WasVictim: true}, worker, RoleRefused, EINVALID, "reason"},
		{"once a victim, a witness to suspect asks", RoleTransition{Path: PathChange, From: wit, To: sus, WasVictim: true, Reason: "x"}, worker, RoleNeedsSupervisor, "", ""},
		{"never a victim, a witness to suspect at once", RoleTransition{Path: PathChange, From: wit, To: sus}, worker, RoleAllowed, "", ""},
		{"victim to witness at once", RoleTransition{Path: PathChange, From: pv, To: wit, WasVictim: true}, worker, RoleAllowed, "", ""},
		{"suspect to victim at once", RoleTransition{Path: PathChange, From: sus, To: pv}, worker, RoleAllowed, "", ""},
		{"the same role is a problem with the role", RoleTransition{Path: PathChange, From: wit, To: wit}, worker, RoleRefused, EINVALID, "role"},
		{"an unknown role", RoleTransition{Path: PathChange, From: wit, To: "boss"}, worker, RoleRefused, EINVALID, "role"},
		{"only the owner changes a role", RoleTransition{Path: PathChange, From: wit, To: pv}, outsider, RoleRefused, EFORBIDDEN, ""},
		{"only the owner adds a person", RoleTransition{Path: PathAdd, To: pv}, outsider, RoleRefused, EFORBIDDEN, ""},
		{"a new person as suspect", RoleTransition{Path: PathAdd, To: sus}, worker, RoleAllowed, "", ""},
		{"a merge hiding a victim behind a suspect asks", RoleTransition{Path: PathMerge, From: pv, To: sus, WasVictim: true, Reason: "x"}, outsider, RoleNeedsSupervisor, "", ""},
		{"a merge hiding a once-victim witness asks", RoleTransition{Path: PathMerge, From: wit, To: sus, WasVictim: true, Reason: "x"}, worker, RoleNeedsSupervisor, "", ""},
		{"a merge hiding a suspect behind a victim", RoleTransition{Path: PathMerge, From: sus, To: pv}, worker, RoleAllowed, "", ""},
		{"a merge of two suspects", RoleTransition{Path: PathMerge, From: sus, To: sus, WasVictim: true}, worker, RoleAllowed, "", ""},
		{"a bulk load cannot ask", RoleTransition{Path: PathImport, From: pv, To: sus, WasVictim: true}, Actor{}, RoleRefused, EFORBIDDEN, ""},
		{"a bulk load places a suspect", RoleTransition{Path: PathImport, To: sus}, Actor{}, RoleAllowed, "", ""},
		{"a supervisor approves another's request", RoleTransition{Path: PathApprove, From: pv, To: sus, RequestedBy: 1}, super, RoleAllowed, "", ""},
		{"four eyes: not one's own", RoleTransition{Path: PathApprove, From: pv, To: sus, RequestedBy: 3}, both, RoleRefused, EFORBIDDEN, ""},
		{"one's own may be declined", RoleTransition{Path: PathDecline, From: pv, To: sus, RequestedBy: 3}, both, RoleAllowed, "", ""},
		{"a caseworker does not approve", RoleTransition{Path: PathApprove, From: pv, To: sus, RequestedBy: 2}, worker, RoleRefused, EFORBIDDEN, ""},
		{"another agency's supervisor does not approve", RoleTransition{Path: PathApprove, From: pv, To: sus, RequestedBy: 1}, outsider, RoleRefused, EFORBIDDEN, ""},
		{"an unknown path", RoleTransition{Path: "sideways", From: pv, To: sus}, worker, RoleRefused, EINTERNAL, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.t.OwnerAgencyID, tc.t.OwnerAgency = owner, "Owner Police"
			got, err := DecideRoleTransition(tc.t, tc.actor)
			if got != tc.want || ErrorCode(err) != tc.code {
				t.Fatalf("got %v, %v; want %v, code %q", got, err, tc.want, tc.code)
			}
			if tc.field != "" && ErrorFields(err)[tc.field] == "" {
				t.Fatalf("got fields %v, want a problem with %s", ErrorFields(err), tc.field)
			}
		})
	}
}
