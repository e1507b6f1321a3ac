package tropic

import (
	"strings"
	"testing"
	"time"
)

func TestMayEndSessions(t *testing.T) {
	sam := Actor{UserID: 7, AgencyID: 1, Roles: []Role{RoleCaseworker}}
	tests := []struct {
		name  string
		actor Actor
		owner int64
		ok    bool
	}{
		{"A user may end their own sessions.", sam, 7, true},
		{"A user may not end another user's sessions.", sam, 8, false},
		{"A user may not end sessions nobody has signed in to.", sam, 0, false},
		{"Even an administrator may not end another user's sessions here.", Actor{UserID: 9, AgencyID: 1, Roles: []Role{RoleAdmin}}, 7, false},
		{"The system (disabling a user, the command line) may end anyone's.", SystemActor("command line"), 7, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := MayEndSessions(tt.actor, tt.owner)
			if (err == nil) != tt.ok {
				t.Fatalf("MayEndSessions: %v, want allowed %v", err, tt.ok)
			}
			if err != nil && ErrorCode(err) != ENOTFOUND {
				t.Errorf("refusal is %q, want %q (indistinguishable from missing)", ErrorCode(err), ENOTFOUND)
			}
		})
	}
}

func TestSessionLimits(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	lim := SessionLimits{} // the defaults: 30 minutes idle, 12 hours in all
	tests := []struct {
		name     string
		lim      SessionLimits
		lastSeen time.Time
		now      time.Time
		live     bool
	}{
		{"Used 29 minutes ago: live.", lim, t0, t0.Add(29 * time.Minute), true},
		{"Used exactly 30 minutes ago: ended.", lim, t0, t0.Add(30 * time.Minute), false},
		{"Used a minute ago, 11h59 after signing in: live.", lim, t0.Add(11*time.Hour + 58*time.Minute), t0.Add(11*time.Hour + 59*time.Minute), true},
		{"Used a minute ago, 12 hours after signing in: ended.", lim, t0.Add(11*time.Hour + 59*time.Minute), t0.Add(12 * time.Hour), false},
		{"A configured idle timeout of 5 minutes ends it after 5.", SessionLimits{Idle: 5 * time.Minute}, t0, t0.Add(5 * time.Minute), false},
		{"A configured lifetime of 1 hour ends it after 1 hour despite use.", SessionLimits{Lifetime: time.Hour}, t0.Add(59 * time.Minute), t0.Add(time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.lim.Live(t0, tt.lastSeen, tt.now); got != tt.live {
				t.Fatalf("Live = %v, want %v", got, tt.live)
			}
		})
	}
}

func TestParseSessionLimits(t *testing.T) {
	tests := []struct {
		idle, lifetime string
		want           SessionLimits
		err            string // a part of the error; "" for none
	}{
		{"30m", "12h", SessionLimits{30 * time.Minute, 12 * time.Hour}, ""},
		{"5m", "8h30m", SessionLimits{5 * time.Minute, 8*time.Hour + 30*time.Minute}, ""},
		{"30", "12h", SessionLimits{}, `idle: "30" is not a time`},
		{"30m", "half a day", SessionLimits{}, `lifetime: "half a day" is not a time`},
		{"30s", "12h", SessionLimits{}, "idle: give a time from 1m to 24h"},
		{"25h", "48h", SessionLimits{}, "idle: give a time from 1m to 24h"},
		{"30m", "721h", SessionLimits{}, "lifetime: give a time from 5m"},
		{"2h", "1h", SessionLimits{}, "lifetime: 1h0m0s is shorter than the idle timeout 2h0m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.idle+" "+tt.lifetime, func(t *testing.T) {
			got, err := ParseSessionLimits(tt.idle, tt.lifetime)
			if tt.err == "" {
				if err != nil || got != tt.want {
					t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("got %v, want an error containing %q", err, tt.err)
			}
		})
	}
}
