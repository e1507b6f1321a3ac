package tropic

import "testing"

func TestMatchDecisionRules(t *testing.T) {
	const police, council = 1, 2
	caseworker := Actor{UserID: 10, AgencyID: police, Roles: []Role{RoleCaseworker}}
	analyst := Actor{UserID: 11, AgencyID: police, Roles: []Role{RoleAnalyst}}
	triage := Actor{UserID: 12, AgencyID: police, Roles: []Role{RoleTriage}}
	whole := CaseView{Owner: "Police", Access: AccessWhole}
	partial := CaseView{Owner: "Council", Access: AccessWithoutSensitive}
	hiddenA := CaseView{Owner: "Charity", Access: AccessNone}
	hiddenB := CaseView{Owner: "Borough", Access: AccessNone}

	tests := []struct {
		name string
		err  error
		want string // "" allowed, else the error code
		says string // part of the message, when refused
	}{
		{"caseworker decides matches", MayDecideMatches(caseworker), "", ""},
		{"analyst may not decide matches", MayDecideMatches(analyst), EFORBIDDEN, "caseworkers and supervisors"},
		{"triage may not decide matches", MayDecideMatches(triage), EFORBIDDEN, "caseworkers and supervisors"},
		{"link with one visible case", MayLink([]CaseView{hiddenA, partial}), "", ""},
		{"no link when every case is hidden: holders named once, sorted", MayLink([]CaseView{hiddenA, hiddenB, hiddenA}), EFORBIDDEN, "Contact Borough and Charity."},
		{"merge with a whole view of every case", MayMerge([]CaseView{whole, whole}, ""), "", ""},
		{"no merge with a partial view of one case", MayMerge([]CaseView{whole, partial}, ""), EFORBIDDEN, "one of Council's"},
		{"no merge of a record on hidden cases only", MayMerge([]CaseView{hiddenA}, ""), EFORBIDDEN, "Contact Charity"},
		{"no merge that would disclose to another agency", MayMerge([]CaseView{whole}, "Safe Harbour"), EFORBIDDEN, "would show Safe Harbour"},
		{"the merging agency undoes", MayUndoMerge(caseworker, police, "Police", []CaseView{whole}), "", ""},
		{"another agency may not undo", MayUndoMerge(caseworker, council, "Council", []CaseView{whole}), EFORBIDDEN, "Only Council, which merged"},
		{"no undo without a whole view of what it touched", MayUndoMerge(caseworker, police, "Police", []CaseView{whole, partial}), EFORBIDDEN, "one of Council's"},
		{"an analyst may not undo", MayUndoMerge(analyst, police, "Police", nil), EFORBIDDEN, "caseworkers and supervisors"},
	}
	for _, tt := range tests {
		wantRule(t, tt.name, tt.err, tt.want, tt.says)
	}
}
