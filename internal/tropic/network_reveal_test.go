package tropic

import (
	"testing"
	"time"
)

func TestRevealRules(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	waiting := &RevealRequest{AgencyID: 5, RequestedByID: 9, Status: RevealRequested}
	sup := Actor{UserID: 1, AgencyID: 5, Roles: []Role{RoleSupervisor}}
	for _, tt := range []struct {
		name    string
		actor   Actor
		r       *RevealRequest
		approve bool
		reason  string
		want    string
	}{
		{"a supervisor of the holder approves", sup, waiting, true, "", ""},
		{"a decline needs its reason", sup, waiting, false, " ", EINVALID},
		{"another agency's supervisor finds nothing", Actor{UserID: 2, AgencyID: 6, Roles: []Role{RoleSupervisor}}, waiting, true, "", ENOTFOUND},
		{"a caseworker of the holder finds nothing", Actor{UserID: 3, AgencyID: 5, Roles: []Role{RoleCaseworker}}, waiting, true, "", ENOTFOUND},
		{"the requester may not decide", Actor{UserID: 9, AgencyID: 5, Roles: []Role{RoleSupervisor, RoleAnalyst}}, waiting, true, "", EFORBIDDEN},
		{"a decided request is not decided again", sup, &RevealRequest{AgencyID: 5, RequestedByID: 9, Status: RevealApproved}, true, "", ECONFLICT},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(MayDecideReveal(tt.actor, tt.r, tt.approve, tt.reason)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("A victim's reveal is shorter, and ends", func(t *testing.T) {
		r := RevealRequest{Status: RevealApproved, Until: RevealUntil(now, true)}
		if !r.Active(now.AddDate(0, 0, RevealVictimDays-1)) || r.Active(now.AddDate(0, 0, RevealVictimDays)) {
			t.Fatalf("got until %v", r.Until)
		}
		if got := RevealUntil(now, false); !got.Equal(now.AddDate(0, 0, RevealDays)) {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("Only those who see the network ask", func(t *testing.T) {
		if ErrorCode(MayAskReveal(Actor{UserID: 1, AgencyID: 1, Roles: []Role{RoleCaseworker}})) != EFORBIDDEN || MayAskReveal(Actor{UserID: 1, AgencyID: 1, Roles: []Role{RoleAnalyst}}) != nil {
			t.Fatal("want analysts only")
		}
	})
}
