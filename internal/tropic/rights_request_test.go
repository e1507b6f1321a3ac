package tropic

import (
	"testing"
	"time"
)

func TestRightsDeadlineIsOneCalendarMonthOrTheLastDayOfTheNext(t *testing.T) {
	for _, c := range []struct{ in, want, ext string }{
		{"2026-01-31", "2026-02-28", "2026-04-30"},
		{"2028-01-31", "2028-02-29", "2028-04-30"}, // leap year
		{"2026-01-15", "2026-02-15", "2026-04-15"},
		{"2026-03-31", "2026-04-30", "2026-06-30"},
		{"2026-12-31", "2027-01-31", "2027-03-31"},
		{"2026-11-30", "2026-12-30", "2027-02-28"},
	} {
		if got, _ := RightsDeadline(c.in, false); got != c.want {
			t.Errorf("deadline of %s = %s, want %s", c.in, got, c.want)
		}
		if got, _ := RightsDeadline(c.in, true); got != c.ext {
			t.Errorf("extended deadline of %s = %s, want %s", c.in, got, c.ext)
		}
	}
}

func TestARightsRequestIsExtendedOnceWithAReason(t *testing.T) {
	now := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	r := &RightsRequest{Kind: RightsAccess, ReceivedOn: "2026-01-31", IdentityVerified: "passport seen"}
	if err := r.Validate(now); err != nil {
		t.Fatal(err)
	}
	if r.Deadline != "2026-02-28" || r.Status != RightsOpen {
		t.Fatalf("new request: %s %s", r.Deadline, r.Status)
	}
	if err := ExtendRights(r, " "); ErrorCode(err) != EINVALID {
		t.Fatalf("extension without reason: %v", err)
	}
	if err := ExtendRights(r, "complex: records in three systems"); err != nil || r.Deadline != "2026-04-30" || r.Status != RightsExtended {
		t.Fatalf("extend: %v %s %s", err, r.Deadline, r.Status)
	}
	if err := ExtendRights(r, "again"); ErrorCode(err) != ECONFLICT {
		t.Fatalf("second extension: %v", err)
	}
	if !r.Overdue("2026-05-01") || r.Overdue("2026-04-30") {
		t.Fatal("overdue the day after the deadline, not on it")
	}
	if err := CloseRights(r, RightsRefused, "refused", ""); ErrorFields(err)["exemption"] == "" {
		t.Fatalf("refusal without exemption: %v", err)
	}
	if err := CloseRights(r, RightsRefused, "refused in full", "law enforcement, DPA 2018 s.45(4)"); err != nil || r.Overdue("2027-01-01") {
		t.Fatalf("refuse: %v", err)
	}
	if err := CloseRights(r, RightsCompleted, "again", ""); ErrorCode(err) != ECONFLICT {
		t.Fatalf("answered twice: %v", err)
	}
}

func TestANewRightsRequestNamesEachFieldAtFault(t *testing.T) {
	now := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	r := &RightsRequest{Kind: "portability", ReceivedOn: "2026-03-01"}
	f := ErrorFields(r.Validate(now))
	for _, k := range []string{"kind", "received_on", "identity_verified"} {
		if f[k] == "" {
			t.Errorf("no problem named for %s: %v", k, f)
		}
	}
	r = &RightsRequest{Kind: RightsErasure, ReceivedOn: "31/01/2026", IdentityVerified: "x"}
	if ErrorFields(r.Validate(now))["received_on"] == "" {
		t.Error("a date not in YYYY-MM-DD accepted")
	}
}

func TestOnlyTheDPOOrASupervisorWithoutOneWorksRightsRequests(t *testing.T) {
	dpo := Actor{UserID: 1, AgencyID: 7, Roles: []Role{RoleDPO}}
	sup := Actor{UserID: 2, AgencyID: 7, Roles: []Role{RoleSupervisor}}
	cw := Actor{UserID: 3, AgencyID: 7, Roles: []Role{RoleCaseworker, RoleAdmin}}
	otherDPO := Actor{UserID: 4, AgencyID: 8, Roles: []Role{RoleDPO}}
	for _, c := range []struct {
		a      Actor
		hasDPO bool
		ok     bool
	}{{dpo, true, true}, {sup, false, true}, {sup, true, false}, {cw, false, false}, {otherDPO, true, false}, {SystemActor("cli"), true, false}} {
		err := MayWorkRightsRequests(c.a, 7, c.hasDPO)
		if (err == nil) != c.ok || err != nil && ErrorCode(err) != ENOTFOUND {
			t.Errorf("%+v hasDPO=%v: %v", c.a, c.hasDPO, err)
		}
	}
}

func FuzzRightsRequestValidate(f *testing.F) {
	f.Add("access", "2026-01-31", "passport seen", "SAR-1")
	f.Add("erasure", "2026-02-30", "", "")
	f.Add("", "31/1/2026", " \t", "x")
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, kind, received, identity, ref string) {
		r := &RightsRequest{Kind: RightsKind(kind), ReceivedOn: received, IdentityVerified: identity, Reference: ref}
		err := r.Validate(now)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("not EINVALID: %v", err)
			}
			return
		}
		if r.IdentityVerified == "" || !r.Kind.Valid() || r.Deadline <= r.ReceivedOn || r.Status != RightsOpen {
			t.Fatalf("accepted %+v", r)
		}
		if err := ExtendRights(r, "reason"); err != nil || r.Deadline <= r.ReceivedOn {
			t.Fatalf("extend %+v: %v", r, err)
		}
	})
}
