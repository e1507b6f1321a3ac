package tropic_test

import (
	"fmt"
	"testing"

	"tropic/internal/tropic"
)

// TestReferralAccessForEveryRoleAgencyRouteAndCaseAccess walks every role (alone, and
// caseworker with each other role), the referring agency or another, both routes and
// every access to the case, against the rule written out as a table: only case
// workers see referrals; the referring agency's decide; another agency's read an NRM
// referral whose case they see, and nothing else. The intake, triage, analyst and
// administrator roles of the referring agency see nothing: they read Home Office
// and crime references through the API before (issue 11, hole 7).
func TestReferralAccessForEveryRoleAgencyRouteAndCaseAccess(t *testing.T) {
	const referrer, other = 7, 8
	type row struct {
		roles   []tropic.Role
		agency  int64
		route   tropic.Route
		access  tropic.CaseAccess
		want    tropic.ReferralAccess
		showsPN bool // the person's name is shown
	}
	var rows []row
	works := func(roles []tropic.Role) bool {
		for _, r := range roles {
			if r == tropic.RoleCaseworker || r == tropic.RoleSupervisor {
				return true
			}
		}
		return false
	}
	roleSets := [][]tropic.Role{nil}
	for _, r := range tropic.Roles {
		roleSets = append(roleSets, []tropic.Role{r}, []tropic.Role{tropic.RoleAnalyst, r})
	}
	for _, roles := range roleSets {
		for _, agency := range []int64{referrer, other, 0} {
			for _, route := range []tropic.Route{tropic.RouteNRM, tropic.RouteDtN} {
				for _, access := range []tropic.CaseAccess{tropic.AccessNone, tropic.AccessWithoutSensitive, tropic.AccessWhole} {
					want := tropic.ReferralHidden
					switch {
					case !works(roles) || agency == 0:
					case agency == referrer:
						want = tropic.ReferralDecide
					case route == tropic.RouteNRM && access != tropic.AccessNone:
						want = tropic.ReferralRead
					}
					shows := want != tropic.ReferralHidden && route == tropic.RouteNRM && access != tropic.AccessNone
					rows = append(rows, row{roles, agency, route, access, want, shows})
				}
			}
		}
	}
	// A few rows written out, so that the table above cannot drift into agreeing
	// with a wrong rule.
	rows = append(rows,
		row{[]tropic.Role{tropic.RoleIntake}, referrer, tropic.RouteNRM, tropic.AccessWhole, tropic.ReferralHidden, false},
		row{[]tropic.Role{tropic.RoleAdmin}, referrer, tropic.RouteNRM, tropic.AccessWhole, tropic.ReferralHidden, false},
		row{[]tropic.Role{tropic.RoleTriage}, referrer, tropic.RouteDtN, tropic.AccessNone, tropic.ReferralHidden, false},
		row{[]tropic.Role{tropic.RoleAnalyst}, referrer, tropic.RouteNRM, tropic.AccessWhole, tropic.ReferralHidden, false},
		row{[]tropic.Role{tropic.RoleCaseworker}, referrer, tropic.RouteDtN, tropic.AccessNone, tropic.ReferralDecide, false},
		row{[]tropic.Role{tropic.RoleCaseworker}, referrer, tropic.RouteNRM, tropic.AccessNone, tropic.ReferralDecide, false},
		row{[]tropic.Role{tropic.RoleSupervisor}, other, tropic.RouteNRM, tropic.AccessWithoutSensitive, tropic.ReferralRead, true},
		row{[]tropic.Role{tropic.RoleSupervisor}, other, tropic.RouteDtN, tropic.AccessWhole, tropic.ReferralHidden, false},
		row{[]tropic.Role{tropic.RoleCaseworker}, other, tropic.RouteNRM, tropic.AccessNone, tropic.ReferralHidden, false},
	)
	for _, r := range rows {
		a := tropic.Actor{UserID: 1, AgencyID: r.agency, Roles: r.roles}
		name := fmt.Sprintf("%v at %d, %s, case access %d", r.roles, r.agency, r.route, r.access)
		got := tropic.ReferralAccessFor(a, referrer, r.route, r.access)
		if got != r.want {
			t.Errorf("%s: got %d, want %d", name, got, r.want)
		}
		if shows := got.ShowsPerson(r.route, r.access); shows != r.showsPN {
			t.Errorf("%s: shows the person %v, want %v", name, shows, r.showsPN)
		}
		if tropic.MaySeeReferrals(a) != (works(r.roles) && r.agency != 0) {
			t.Errorf("%s: MaySeeReferrals %v", name, tropic.MaySeeReferrals(a))
		}
	}
	if len(rows) < 200 {
		t.Fatalf("only %d rows", len(rows))
	}
}
