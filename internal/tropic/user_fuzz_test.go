package tropic_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

func FuzzParseRoles(f *testing.F) {
	for _, s := range []string{"", "caseworker", "caseworker,supervisor", " Admin , TRIAGE ,", "triage,triage", ",,,", "analyst,boss", "admin\x00", "caseworker,\u00a0supervisor"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		roles, err := tropic.ParseRoles(s)
		if err != nil {
			if got := tropic.ErrorCode(err); got != tropic.EINVALID {
				t.Fatalf("ParseRoles(%q): got error code %q, want %q", s, got, tropic.EINVALID)
			}
			if tropic.ErrorFields(err)["roles"] == "" {
				t.Fatalf("ParseRoles(%q): got fields %v, want a problem for roles", s, tropic.ErrorFields(err))
			}
			return
		}
		seen := map[tropic.Role]bool{}
		for _, r := range roles {
			if !r.Valid() || seen[r] {
				t.Fatalf("ParseRoles(%q) = %v: got an unknown or repeated role %q", s, roles, r)
			}
			seen[r] = true
		}
		// What was parsed parses again to the same.
		parts := make([]string, len(roles))
		for i, r := range roles {
			parts[i] = string(r)
		}
		again, err := tropic.ParseRoles(strings.Join(parts, ","))
		if err != nil || !slices.Equal(again, roles) {
			t.Fatalf("ParseRoles(%q) = %v, but parsing that again gave %v, %v", s, roles, again, err)
		}
	})
}

func TestParseRoles(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []tropic.Role
		wantErr bool
	}{
		{"An empty string holds no roles", "", nil, false},
		{"Roles keep the order given", "supervisor,caseworker", []tropic.Role{tropic.RoleSupervisor, tropic.RoleCaseworker}, false},
		{"Case and spaces are ignored and empty parts skipped", " Admin , ,TRIAGE,", []tropic.Role{tropic.RoleAdmin, tropic.RoleTriage}, false},
		{"A repeated role is kept once", "analyst,analyst", []tropic.Role{tropic.RoleAnalyst}, false},
		{"An unknown role is invalid", "caseworker,boss", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tropic.ParseRoles(tt.in)
			if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		ok   bool
	}{
		{"A long phrase of unrelated words is accepted", "lantern pebble orchard violin", true},
		{"A famous example passphrase is refused as common", "correct horse battery staple", false},
		{"Exactly twelve characters is accepted", "tw3lve-chars", true},
		{"Eleven characters is too short", "elevenchars", false},
		{"Twelve characters counted as letters, not bytes, is accepted", "ça-va-très-b", true},
		{"Eleven letters that take more than twelve bytes is too short", "ééééé-ßßßßß", false},
		{"An empty password is too short", "", false},
		{"256 characters is accepted", strings.Repeat("abcdefghij", 25) + "klmnop", true},
		{"257 characters is too long", strings.Repeat("abcdefghij", 25) + "klmnopq", false},
		{"A common password is refused", "password1234", false},
		{"A common password is refused whatever its letter case", "PassWord1234", false},
		{"One character repeated is refused", "aaaaaaaaaaaa", false},
		{"A short pattern repeated is refused", "abcabcabcabc", false},
		{"A four-character pattern repeated is refused", "ab12ab12ab12", false},
		{"A run of consecutive digits is refused", "123456789012", false},
		{"A run of consecutive letters down is refused", "zyxwvutsrqpo", false},
		{"A five-character pattern repeated is allowed, being long enough", "abcdeabcdeabcde", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tropic.ValidatePassword(tt.pw)
			if ok := err == nil; ok != tt.ok {
				t.Fatalf("ValidatePassword(%q): got %v, want ok %v", tt.pw, err, tt.ok)
			}
			if err != nil && (tropic.ErrorCode(err) != tropic.EINVALID || tropic.ErrorFields(err)["password"] == "") {
				t.Fatalf("ValidatePassword(%q): got %v, want EINVALID with a problem for password", tt.pw, err)
			}
		})
	}
}

func TestLoginPolicyWait(t *testing.T) {
	p := tropic.LoginPolicy{SlowAfter: 3, SlowDelay: 2 * time.Second, LockAfter: 10, LockFor: 15 * time.Minute}
	tests := []struct {
		name     string
		policy   tropic.LoginPolicy
		failures int
		want     time.Duration
	}{
		{"No failures need no wait", p, 0, 0},
		{"Failures below the threshold need no wait", p, 2, 0},
		{"At the threshold the wait is the slow delay", p, 3, 2 * time.Second},
		{"Each further failure doubles the wait", p, 4, 4 * time.Second},
		{"Two further failures quadruple the wait", p, 5, 8 * time.Second},
		{"The wait stops at one minute", p, 9, time.Minute},
		{"The wait stays at one minute however many failures", p, 1000, time.Minute},
		{"A policy that never slows down needs no wait", tropic.LoginPolicy{}, 50, 0},
		{"A slow delay over a minute is cut to one minute", tropic.LoginPolicy{SlowAfter: 1, SlowDelay: time.Hour}, 1, time.Minute},
		{"The default policy slows down after three failures", tropic.DefaultLoginPolicy, 3, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.policy.Wait(tt.failures); got != tt.want {
				t.Fatalf("Wait(%d): got %v, want %v", tt.failures, got, tt.want)
			}
		})
	}
}

func TestLoginPolicyCheck(t *testing.T) {
	p := tropic.LoginPolicy{SlowAfter: 3, SlowDelay: 2 * time.Second, LockAfter: 10, LockFor: 15 * time.Minute}
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name  string
		login tropic.Login
		want  string
	}{
		{"A clean account may sign in", tropic.Login{}, ""},
		{"Two recent failures do not slow down", tropic.Login{FailedAttempts: 2, LastFailureAt: now}, ""},
		{"Three failures a moment ago must wait", tropic.Login{FailedAttempts: 3, LastFailureAt: now.Add(-time.Second)}, tropic.ETOOMANY},
		{"Three failures exactly the wait ago may try", tropic.Login{FailedAttempts: 3, LastFailureAt: now.Add(-2 * time.Second)}, ""},
		{"Four failures three seconds ago must still wait", tropic.Login{FailedAttempts: 4, LastFailureAt: now.Add(-3 * time.Second)}, tropic.ETOOMANY},
		{"A lock in force refuses", tropic.Login{LockedUntil: now.Add(time.Second)}, tropic.ELOCKED},
		{"A lock in force wins over a wait", tropic.Login{FailedAttempts: 5, LastFailureAt: now, LockedUntil: now.Add(time.Minute)}, tropic.ELOCKED},
		{"A lock that ends now no longer refuses", tropic.Login{LockedUntil: now}, ""},
		{"A lock that ended earlier no longer refuses", tropic.Login{LockedUntil: now.Add(-time.Hour)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.Check(&tt.login, now)
			if got := tropic.ErrorCode(err); got != tt.want {
				t.Fatalf("got %q (%v), want %q", got, err, tt.want)
			}
			if err != nil && tropic.ErrorMessage(err) == "" {
				t.Fatal("got an empty message, want one for the person signing in")
			}
		})
	}
}

func TestLoginPolicyAdmit(t *testing.T) {
	lockOnly := tropic.LoginPolicy{LockAfter: 10, LockFor: 15 * time.Minute}
	slowing := tropic.LoginPolicy{SlowAfter: 3, SlowDelay: 2 * time.Second, LockAfter: 10, LockFor: 15 * time.Minute}
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name   string
		policy tropic.LoginPolicy
		login  tropic.Login
		want   string
	}{
		{"A clean account is admitted", lockOnly, tropic.Login{}, ""},
		{"Nine attempts counted: the tenth is admitted", lockOnly, tropic.Login{FailedAttempts: 9, LastFailureAt: now}, ""},
		{"Ten attempts counted and unsettled: no eleventh", lockOnly, tropic.Login{FailedAttempts: 10, LastFailureAt: now}, tropic.ETOOMANY},
		{"Ten counted a minute ago, never settled (a lost process): admitted again", lockOnly, tropic.Login{FailedAttempts: 10, LastFailureAt: now.Add(-time.Minute)}, ""},
		{"What Check refuses, Admit refuses: a lock", lockOnly, tropic.Login{LockedUntil: now.Add(time.Second)}, tropic.ELOCKED},
		{"What Check refuses, Admit refuses: a wait", slowing, tropic.Login{FailedAttempts: 3, LastFailureAt: now}, tropic.ETOOMANY},
		{"A policy without a lock admits any count", tropic.LoginPolicy{}, tropic.Login{FailedAttempts: 1000, LastFailureAt: now}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Admit(&tt.login, now)
			if got := tropic.ErrorCode(err); got != tt.want {
				t.Fatalf("got %q (%v), want %q", got, err, tt.want)
			}
			if err != nil && tropic.ErrorMessage(err) == "" {
				t.Fatal("got an empty message, want one for the person signing in")
			}
		})
	}
	for _, tt := range []struct {
		failures int
		want     bool
	}{{9, false}, {10, true}, {11, true}} {
		if got := lockOnly.Locks(tt.failures); got != tt.want {
			t.Errorf("Locks(%d): got %v, want %v", tt.failures, got, tt.want)
		}
	}
	if (tropic.LoginPolicy{}).Locks(100) {
		t.Error("a policy without a lock locked")
	}
}

func TestHashSecret(t *testing.T) {
	// SHA-256("abc"), FIPS 180-2.
	if got, want := tropic.HashSecret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if tropic.HashSecret("a session token") == "a session token" {
		t.Fatal("the secret is stored as itself")
	}
}

func TestAuditEventComputeHash(t *testing.T) {
	base := tropic.AuditEvent{
		Seq: 7, At: time.Date(2026, 3, 14, 9, 30, 0, 123456000, time.UTC), UserID: 3, AgencyID: 2,
		ActorLabel: "command line", Action: tropic.AuditUserCreated, ObjectType: "user", ObjectID: 11,
		Detail: "agency Police; roles triage", PrevHash: tropic.AuditGenesis,
	}
	want := base.ComputeHash()
	if len(want) != 64 || strings.Trim(want, "0123456789abcdef") != "" {
		t.Fatalf("got hash %q, want 64 lower-case hex digits", want)
	}

	changes := []struct {
		name   string
		change func(e *tropic.AuditEvent)
	}{
		{"Changing the sequence number changes the hash", func(e *tropic.AuditEvent) { e.Seq++ }},
		{"Changing the time by a microsecond changes the hash", func(e *tropic.AuditEvent) { e.At = e.At.Add(time.Microsecond) }},
		{"Changing the user changes the hash", func(e *tropic.AuditEvent) { e.UserID = 4 }},
		{"Changing the agency changes the hash", func(e *tropic.AuditEvent) { e.AgencyID = 0 }},
		{"Changing the actor label changes the hash", func(e *tropic.AuditEvent) { e.ActorLabel = "command-line" }},
		{"Changing the action changes the hash", func(e *tropic.AuditEvent) { e.Action = tropic.AuditUserDisabled }},
		{"Changing the object type changes the hash", func(e *tropic.AuditEvent) { e.ObjectType = "agency" }},
		{"Changing the object id changes the hash", func(e *tropic.AuditEvent) { e.ObjectID = 12 }},
		{"Changing the detail changes the hash", func(e *tropic.AuditEvent) { e.Detail += " " }},
		{"Changing the previous hash changes the hash", func(e *tropic.AuditEvent) { e.PrevHash = strings.Repeat("1", 64) }},
		{"Moving text from one field to the next changes the hash", func(e *tropic.AuditEvent) {
			e.ActorLabel, e.Action = "command lineuser", ".created"
		}},
		{"Moving text from the object type to the detail changes the hash", func(e *tropic.AuditEvent) {
			e.ObjectType, e.Detail = "", "user"+e.Detail
		}},
	}
	for _, tt := range changes {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			tt.change(&e)
			if got := e.ComputeHash(); got == want {
				t.Fatalf("got the same hash %s after the change, want a different one", got)
			}
		})
	}

	same := []struct {
		name   string
		change func(e *tropic.AuditEvent)
	}{
		{"The stored hash itself is not hashed", func(e *tropic.AuditEvent) { e.Hash = "anything" }},
		{"The same instant in another time zone hashes the same", func(e *tropic.AuditEvent) { e.At = e.At.In(time.FixedZone("JST", 9*3600)) }},
		{"Nanoseconds below a microsecond, which databases drop, hash the same", func(e *tropic.AuditEvent) { e.At = e.At.Add(999 * time.Nanosecond) }},
	}
	for _, tt := range same {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			tt.change(&e)
			if got := e.ComputeHash(); got != want {
				t.Fatalf("got hash %s, want %s", got, want)
			}
		})
	}
}
