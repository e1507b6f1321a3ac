package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestCreateUser(t *testing.T) {
	tests := []struct {
		name      string
		existing  string // the e-mail of a user created first
		user      tropic.User
		noAgency  bool // point the user at an agency that does not exist
		wantCode  string
		wantField string
		wantEmail string
		wantRoles []tropic.Role
	}{
		{name: "A valid user is stored with a normalised e-mail and roles in display order",
			user:      tropic.User{Email: "  Sam.Patel@Herts.Police.UK ", Name: " Sam Patel ", Roles: []tropic.Role{tropic.RoleAdmin, tropic.RoleTriage, tropic.RoleSupervisor}},
			wantEmail: "sam.patel@herts.police.uk", wantRoles: []tropic.Role{tropic.RoleTriage, tropic.RoleSupervisor, tropic.RoleAdmin}},
		{name: "A user with one role is stored",
			user:      tropic.User{Email: "analyst@herts.example", Name: "Ana Lyst", Roles: []tropic.Role{tropic.RoleAnalyst}},
			wantEmail: "analyst@herts.example", wantRoles: []tropic.Role{tropic.RoleAnalyst}},
		{name: "A second user with the same e-mail in other letter case is a conflict on the email field",
			existing: "jo.bloggs@example.org",
			user:     tropic.User{Email: "Jo.Bloggs@Example.org", Name: "Jo Bloggs", Roles: []tropic.Role{tropic.RoleCaseworker}},
			wantCode: tropic.ECONFLICT, wantField: "email"},
		{name: "A user of an agency that does not exist is invalid on the agency field",
			user:     tropic.User{Email: "orphan@example.org", Name: "Orphan", Roles: []tropic.Role{tropic.RoleCaseworker}},
			noAgency: true, wantCode: tropic.EINVALID, wantField: "agency"},
		{name: "An e-mail address without a domain is invalid on the email field",
			user:     tropic.User{Email: "not-an-address", Name: "Nobody", Roles: []tropic.Role{tropic.RoleCaseworker}},
			wantCode: tropic.EINVALID, wantField: "email"},
		{name: "An e-mail address with a display name is invalid on the email field",
			user:     tropic.User{Email: "Sam <sam@example.org>", Name: "Sam", Roles: []tropic.Role{tropic.RoleCaseworker}},
			wantCode: tropic.EINVALID, wantField: "email"},
		{name: "An empty name is invalid on the name field",
			user:     tropic.User{Email: "noname@example.org", Name: " ", Roles: []tropic.Role{tropic.RoleCaseworker}},
			wantCode: tropic.EINVALID, wantField: "name"},
		{name: "A user without roles is invalid on the roles field",
			user:     tropic.User{Email: "noroles@example.org", Name: "No Roles"},
			wantCode: tropic.EINVALID, wantField: "roles"},
		{name: "An unknown role is invalid on the roles field",
			user:     tropic.User{Email: "badrole@example.org", Name: "Bad Role", Roles: []tropic.Role{"superuser"}},
			wantCode: tropic.EINVALID, wantField: "roles"},
	}
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		agency := e.agency(t, "Hertfordshire Constabulary")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.existing != "" {
					e.user(t, agency.ID, tt.existing)
				}
				before := len(e.actions(t))
				u := tt.user
				u.AgencyID = agency.ID
				if tt.noAgency {
					u.AgencyID = 987654
				}
				err := e.users.CreateUser(ctx, admin, &u, fakeHash)
				wantCode(t, err, tt.wantCode)
				wantField(t, err, tt.wantField)
				if tt.wantCode != "" {
					if got := len(e.actions(t)); got != before {
						t.Fatalf("got %d audit events after a refused create, want %d", got, before)
					}
					return
				}
				if u.ID == 0 || u.Email != tt.wantEmail || !u.CreatedAt.Equal(t0) || u.Agency == nil || u.Agency.ID != agency.ID {
					t.Fatalf("got %+v, want an id, e-mail %q, created at %v, agency %d", u, tt.wantEmail, t0, agency.ID)
				}
				got, err := e.users.FindUserByID(ctx, u.ID)
				if err != nil {
					t.Fatalf("find by id: %v", err)
				}
				if got.Email != tt.wantEmail || got.Name != strings.TrimSpace(tt.user.Name) || !slices.Equal(got.Roles, tt.wantRoles) ||
					got.Disabled || got.MFAEnrolled || !got.CreatedAt.Equal(t0) || got.Agency == nil || got.Agency.Name != agency.Name {
					t.Fatalf("got %+v (agency %+v), want e-mail %q, roles %v, enabled, no MFA", got, got.Agency, tt.wantEmail, tt.wantRoles)
				}
				ev := e.lastEvent(t)
				if ev.Action != tropic.AuditUserCreated || ev.ObjectType != "user" || ev.ObjectID != u.ID || !strings.Contains(ev.Detail, agency.Name) {
					t.Fatalf("got audit event %+v, want %s of user %d naming the agency", ev, tropic.AuditUserCreated, u.ID)
				}
			})
		}
	})
}

func TestFindUsers(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		police := e.agency(t, "Police")
		council := e.agency(t, "Council")
		pat := e.user(t, police.ID, "pat@police.example", tropic.RoleSupervisor, tropic.RoleCaseworker)
		ann := e.user(t, police.ID, "ann@police.example", tropic.RoleTriage)
		zed := e.user(t, council.ID, "zed@council.example", tropic.RoleAdmin, tropic.RoleAnalyst)
		gone := e.user(t, council.ID, "gone@council.example")
		if err := e.users.DisableUser(ctx, admin, gone.ID); err != nil {
			t.Fatalf("disable: %v", err)
		}

		tests := []struct {
			name   string
			filter tropic.UserFilter
			want   []string // "email:role,role"
		}{
			{"Enabled users are listed by agency name, then e-mail, with roles in display order",
				tropic.UserFilter{},
				[]string{"zed@council.example:analyst,admin", "ann@police.example:triage", "pat@police.example:caseworker,supervisor"}},
			{"Disabled users are listed when asked for",
				tropic.UserFilter{IncludeDisabled: true},
				[]string{"gone@council.example:caseworker", "zed@council.example:analyst,admin", "ann@police.example:triage", "pat@police.example:caseworker,supervisor"}},
			{"Users are filtered by agency",
				tropic.UserFilter{AgencyID: police.ID},
				[]string{"ann@police.example:triage", "pat@police.example:caseworker,supervisor"}},
			{"An agency without users lists none",
				tropic.UserFilter{AgencyID: 987654},
				nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				users, err := e.users.FindUsers(ctx, tt.filter)
				if err != nil {
					t.Fatalf("find users: %v", err)
				}
				var got []string
				for _, u := range users {
					if u.Agency == nil || u.Agency.ID != u.AgencyID {
						t.Fatalf("got user %s with agency %+v, want agency %d filled in", u.Email, u.Agency, u.AgencyID)
					}
					got = append(got, u.Email+":"+joinRoles(u.Roles))
				}
				if !slices.Equal(got, tt.want) {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
			})
		}

		lookups := []struct {
			name     string
			find     func() (*tropic.User, error)
			wantID   int64
			wantCode string
		}{
			{"A user is found by id", func() (*tropic.User, error) { return e.users.FindUserByID(ctx, ann.ID) }, ann.ID, ""},
			{"A user is found by e-mail", func() (*tropic.User, error) { return e.users.FindUserByEmail(ctx, "zed@council.example") }, zed.ID, ""},
			{"A user is found by e-mail in other letter case and with spaces", func() (*tropic.User, error) { return e.users.FindUserByEmail(ctx, " PAT@Police.Example ") }, pat.ID, ""},
			{"A disabled user is still found by id", func() (*tropic.User, error) { return e.users.FindUserByID(ctx, gone.ID) }, gone.ID, ""},
			{"An unknown id is not found", func() (*tropic.User, error) { return e.users.FindUserByID(ctx, 987654) }, 0, tropic.ENOTFOUND},
			{"An unknown e-mail is not found", func() (*tropic.User, error) { return e.users.FindUserByEmail(ctx, "nobody@example.org") }, 0, tropic.ENOTFOUND},
		}
		for _, tt := range lookups {
			t.Run(tt.name, func(t *testing.T) {
				u, err := tt.find()
				wantCode(t, err, tt.wantCode)
				if tt.wantCode == "" && u.ID != tt.wantID {
					t.Fatalf("got user %d, want %d", u.ID, tt.wantID)
				}
			})
		}
	})
}

func joinRoles(roles []tropic.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func TestDisableUser(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := e.agency(t, "Police")
		tests := []struct {
			name     string
			id       func(t *testing.T) int64
			wantCode string
		}{
			{"A user is disabled, kept, and the change audited", func(t *testing.T) int64 { return e.user(t, a.ID, "leaver@example.org").ID }, ""},
			{"Disabling a user twice is allowed", func(t *testing.T) int64 {
				u := e.user(t, a.ID, "twice@example.org")
				if err := e.users.DisableUser(ctx, admin, u.ID); err != nil {
					t.Fatalf("first disable: %v", err)
				}
				return u.ID
			}, ""},
			{"An unknown user is not found", func(t *testing.T) int64 { return 987654 }, tropic.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := tt.id(t)
				err := e.users.DisableUser(ctx, admin, id)
				wantCode(t, err, tt.wantCode)
				if tt.wantCode != "" {
					return
				}
				u, err := e.users.FindUserByID(ctx, id)
				if err != nil || !u.Disabled {
					t.Fatalf("got %+v, %v; want the user, disabled", u, err)
				}
				if ev := e.lastEvent(t); ev.Action != tropic.AuditUserDisabled || ev.ObjectID != id {
					t.Fatalf("got audit event %+v, want %s of user %d", ev, tropic.AuditUserDisabled, id)
				}
			})
		}
	})
}

// testPolicy slows after 3 failures (2s, then 4s) and locks for 15 minutes at the 5th.
var testPolicy = tropic.LoginPolicy{SlowAfter: 3, SlowDelay: 2 * time.Second, LockAfter: 5, LockFor: 15 * time.Minute}

func TestLoginFailures(t *testing.T) {
	// One account's sign-in history, step by step: each step may act, move the
	// clock, and then checks the counter and what the policy says.
	type step struct {
		name        string
		act         string // "fail", "succeed" or ""
		advance     time.Duration
		wantFailed  int
		wantCheck   string // the code LoginPolicy.Check returns after the step
		wantLocked  bool
		wantActions []string // audit actions the step writes, oldest first
	}
	steps := []step{
		{name: "A new account may sign in", wantCheck: ""},
		{name: "One failure is counted and audited", act: "fail", wantFailed: 1, wantActions: []string{tropic.AuditLoginFailed}},
		{name: "Two failures do not slow the account down", act: "fail", wantFailed: 2, wantActions: []string{tropic.AuditLoginFailed}},
		{name: "A success clears the counter", act: "succeed", wantFailed: 0, wantActions: []string{tropic.AuditLoginSucceeded}},
		{name: "A failure after a success counts from one again", act: "fail", wantFailed: 1, wantActions: []string{tropic.AuditLoginFailed}},
		{name: "A second failure is counted", act: "fail", wantFailed: 2, wantActions: []string{tropic.AuditLoginFailed}},
		{name: "The third failure makes the next attempt wait", act: "fail", wantFailed: 3, wantCheck: tropic.ETOOMANY, wantActions: []string{tropic.AuditLoginFailed}},
		{name: "Just before the wait is over the account must still wait", advance: 1999 * time.Millisecond, wantFailed: 3, wantCheck: tropic.ETOOMANY},
		{name: "When the wait is over the account may try again", advance: time.Millisecond, wantFailed: 3, wantCheck: ""},
		{name: "The fourth failure doubles the wait", act: "fail", advance: 3 * time.Second, wantFailed: 4, wantCheck: tropic.ETOOMANY, wantActions: []string{tropic.AuditLoginFailed}},
		{name: "After the doubled wait the account may try again", advance: time.Second, wantFailed: 4, wantCheck: ""},
		{name: "The fifth failure locks the account and resets the counter", act: "fail", wantFailed: 0, wantCheck: tropic.ELOCKED, wantLocked: true,
			wantActions: []string{tropic.AuditLoginLocked, tropic.AuditLoginFailed}},
		{name: "The account stays locked until the lock runs out", advance: 15*time.Minute - time.Second, wantCheck: tropic.ELOCKED, wantLocked: true},
		{name: "When the lock runs out the account may sign in", advance: time.Second, wantCheck: "", wantLocked: true},
		{name: "A success clears the lock", act: "succeed", wantFailed: 0, wantActions: []string{tropic.AuditLoginSucceeded}},
	}
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.user(t, e.agency(t, "Police").ID, "signin@example.org")
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				before := len(e.actions(t))
				switch s.act {
				case "fail":
					failLogin(t, e, u.ID, testPolicy)
				case "succeed":
					if err := e.users.RecordLoginSuccess(ctx, u.ID, "password"); err != nil {
						t.Fatalf("record success: %v", err)
					}
				}
				e.clock.Advance(s.advance)
				l, err := e.users.FindLogin(ctx, u.Email)
				if err != nil {
					t.Fatalf("find login: %v", err)
				}
				if l.FailedAttempts != s.wantFailed {
					t.Fatalf("got %d failed attempts, want %d", l.FailedAttempts, s.wantFailed)
				}
				if locked := !l.LockedUntil.IsZero(); locked != s.wantLocked {
					t.Fatalf("got locked until %v, want locked %v", l.LockedUntil, s.wantLocked)
				}
				wantCode(t, testPolicy.Check(l, e.clock.Now()), s.wantCheck)
				if got := e.actions(t)[before:]; !slices.Equal(got, s.wantActions) {
					t.Fatalf("got audit actions %q, want %q", got, s.wantActions)
				}
			})
		}
	})
}

// failLogin reserves an attempt and settles it as a wrong password, as sign-in does.
func failLogin(t *testing.T, e *env, userID int64, policy tropic.LoginPolicy) {
	t.Helper()
	ctx := context.Background()
	if err := e.users.ReserveLoginAttempt(ctx, userID, policy); err != nil {
		t.Fatalf("reserve attempt: %v", err)
	}
	if err := e.users.RecordLoginFailure(ctx, userID, "wrong password", policy); err != nil {
		t.Fatalf("record failure: %v", err)
	}
}

// Hole 8 (issue 11): 40 simultaneous attempts at one account all reached the password
// check. Reservations are taken in the transaction that reads the counter, so however
// many arrive at once only the policy's number is admitted, and the real user is held
// back no longer than the policy says.
func TestLoginReservationsUnderConcurrency(t *testing.T) {
	tests := []struct {
		name      string
		policy    tropic.LoginPolicy
		admitted  int
		afterWait time.Duration // the refused code before, and admission after
		wantCode  string
	}{
		{"A lock-only policy admits LockAfter attempts, then the account waits for their answers",
			tropic.LoginPolicy{LockAfter: 10, LockFor: 15 * time.Minute}, 10, time.Minute, tropic.ETOOMANY},
		{"A slowing policy admits SlowAfter attempts at once, then the next waits SlowDelay",
			testPolicy, testPolicy.SlowAfter, testPolicy.SlowDelay, tropic.ETOOMANY},
	}
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := e.agency(t, "Police")
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := e.user(t, a.ID, fmt.Sprintf("burst%d@example.org", i))
				errs := make([]error, 40)
				var wg sync.WaitGroup
				for j := range errs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						errs[j] = e.users.ReserveLoginAttempt(ctx, u.ID, tt.policy)
					}()
				}
				wg.Wait()
				admitted := 0
				for _, err := range errs {
					switch tropic.ErrorCode(err) {
					case "":
						admitted++
					case tropic.ETOOMANY:
					default:
						t.Fatalf("reserve: got %v, want admission or %s", err, tropic.ETOOMANY)
					}
				}
				if admitted != tt.admitted {
					t.Fatalf("got %d of 40 simultaneous attempts admitted, want %d", admitted, tt.admitted)
				}
				l, err := e.users.FindLogin(ctx, u.Email)
				if err != nil {
					t.Fatal(err)
				}
				if l.FailedAttempts != tt.admitted {
					t.Fatalf("got the counter at %d, want the %d admitted attempts counted", l.FailedAttempts, tt.admitted)
				}
				e.clock.Advance(tt.afterWait - time.Millisecond)
				wantCode(t, e.users.ReserveLoginAttempt(ctx, u.ID, tt.policy), tt.wantCode)
				e.clock.Advance(time.Millisecond)
				wantCode(t, e.users.ReserveLoginAttempt(ctx, u.ID, tt.policy), "")
			})
		}
		t.Run("A right password released before the second factor is not counted", func(t *testing.T) {
			u := e.user(t, a.ID, "release@example.org")
			if err := e.users.ReserveLoginAttempt(ctx, u.ID, testPolicy); err != nil {
				t.Fatal(err)
			}
			if err := e.users.ReleaseLoginAttempt(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
			if err := e.users.ReleaseLoginAttempt(ctx, u.ID); err != nil { // never below zero
				t.Fatal(err)
			}
			l, err := e.users.FindLogin(ctx, u.Email)
			if err != nil || l.FailedAttempts != 0 {
				t.Fatalf("got %v failures (%v), want 0", l.FailedAttempts, err)
			}
		})
		t.Run("Reserving for a user that does not exist is not found", func(t *testing.T) {
			wantCode(t, e.users.ReserveLoginAttempt(ctx, 987654, testPolicy), tropic.ENOTFOUND)
		})
	})
}

func TestLoginRecords(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := e.agency(t, "Police")
		u := e.user(t, a.ID, "records@example.org", tropic.RoleTriage)
		tests := []struct {
			name       string
			run        func() error
			wantCode   string
			wantAction string
			wantUser   int64
			wantAgency int64
		}{
			{"A failure for an unknown account is audited without a user",
				func() error { return e.users.RecordLoginFailure(ctx, 0, "unknown account", testPolicy) },
				"", tropic.AuditLoginFailed, 0, 0},
			{"A failure for a user id that does not exist is not found",
				func() error { return e.users.RecordLoginFailure(ctx, 987654, "wrong password", testPolicy) },
				tropic.ENOTFOUND, "", 0, 0},
			{"A success is audited as the user and their agency",
				func() error { return e.users.RecordLoginSuccess(ctx, u.ID, "password+totp") },
				"", tropic.AuditLoginSucceeded, u.ID, a.ID},
			{"A success for a user id that does not exist is not found",
				func() error { return e.users.RecordLoginSuccess(ctx, 987654, "password") },
				tropic.ENOTFOUND, "", 0, 0},
			{"A sign-out is audited as the user and their agency",
				func() error { return e.users.RecordLogout(ctx, u.ID) },
				"", tropic.AuditLogout, u.ID, a.ID},
			{"A sign-out for a user id that does not exist is not found",
				func() error { return e.users.RecordLogout(ctx, 987654) },
				tropic.ENOTFOUND, "", 0, 0},
			{"Setting a password is audited",
				func() error { return e.users.SetPassword(ctx, admin, u.ID, fakeHash+"x") },
				"", tropic.AuditUserPassword, 0, 0},
			{"Setting the password of a user that does not exist is not found",
				func() error { return e.users.SetPassword(ctx, admin, 987654, fakeHash) },
				tropic.ENOTFOUND, "", 0, 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(e.actions(t))
				wantCode(t, tt.run(), tt.wantCode)
				if tt.wantCode != "" {
					if got := len(e.actions(t)); got != before {
						t.Fatalf("got %d audit events after a refused call, want %d", got, before)
					}
					return
				}
				ev := e.lastEvent(t)
				if ev.Action != tt.wantAction || ev.UserID != tt.wantUser || ev.AgencyID != tt.wantAgency {
					t.Fatalf("got audit event %+v, want %s by user %d of agency %d", ev, tt.wantAction, tt.wantUser, tt.wantAgency)
				}
			})
		}
	})
}

func TestSetPasswordClearsLock(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.user(t, e.agency(t, "Police").ID, "locked@example.org")
		for range testPolicy.LockAfter {
			e.clock.Advance(time.Minute) // past each wait
			failLogin(t, e, u.ID, testPolicy)
		}
		if err := e.users.SetPassword(ctx, admin, u.ID, "$argon2id$new"); err != nil {
			t.Fatalf("set password: %v", err)
		}
		l, err := e.users.FindLogin(ctx, u.Email)
		if err != nil {
			t.Fatalf("find login: %v", err)
		}
		if l.PasswordHash != "$argon2id$new" || !l.LockedUntil.IsZero() || l.FailedAttempts != 0 {
			t.Fatalf("got hash %q, locked until %v, %d failures; want the new hash, unlocked, none", l.PasswordHash, l.LockedUntil, l.FailedAttempts)
		}
		wantCode(t, testPolicy.Check(l, e.clock.Now()), "")
	})
}

func TestFindLogin(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		u := e.user(t, e.agency(t, "Police").ID, "login@example.org", tropic.RoleSupervisor, tropic.RoleTriage)
		tests := []struct {
			name     string
			email    string
			wantCode string
		}{
			{"An account is found by its e-mail with its hash and roles", "login@example.org", ""},
			{"An account is found by its e-mail in other letter case", " LOGIN@example.ORG", ""},
			{"An unknown e-mail is not found", "nobody@example.org", tropic.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				l, err := e.users.FindLogin(ctx, tt.email)
				wantCode(t, err, tt.wantCode)
				if tt.wantCode != "" {
					return
				}
				if l.User.ID != u.ID || l.PasswordHash != fakeHash || joinRoles(l.User.Roles) != "triage,supervisor" ||
					l.MFASecret != "" || l.FailedAttempts != 0 || !l.LockedUntil.IsZero() || !l.LastFailureAt.IsZero() {
					t.Fatalf("got %+v (user %+v), want user %d with the stored hash, roles triage,supervisor and a clean record", l, l.User, u.ID)
				}
			})
		}
	})
}

func TestMFA(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := e.agency(t, "Police")
		u := e.user(t, a.ID, "mfa@example.org")
		tests := []struct {
			name       string
			run        func() error
			wantCode   string
			wantAction string // the audit action written, if any
			wantStep   int64  // the last used step afterwards
		}{
			{"Enrolling stores the secret and the step that proved it",
				func() error { return e.users.EnrolMFA(ctx, u.ID, secret, 1000) }, "", tropic.AuditMFAEnrolled, 1000},
			{"Enrolling a second time is a conflict",
				func() error { return e.users.EnrolMFA(ctx, u.ID, "OTHERSECRET", 2000) }, tropic.ECONFLICT, "", 1000},
			{"The step used to enrol cannot be used to sign in",
				func() error { return e.users.UseMFAStep(ctx, u.ID, 1000) }, tropic.ECONFLICT, "", 1000},
			{"An older step is refused",
				func() error { return e.users.UseMFAStep(ctx, u.ID, 999) }, tropic.ECONFLICT, "", 1000},
			{"A newer step is accepted",
				func() error { return e.users.UseMFAStep(ctx, u.ID, 1001) }, "", "", 1001},
			{"The same step a second time is refused",
				func() error { return e.users.UseMFAStep(ctx, u.ID, 1001) }, tropic.ECONFLICT, "", 1001},
			{"A step after a gap is accepted",
				func() error { return e.users.UseMFAStep(ctx, u.ID, 1005) }, "", "", 1005},
			{"A step skipped over is refused afterwards",
				func() error { return e.users.UseMFAStep(ctx, u.ID, 1003) }, tropic.ECONFLICT, "", 1005},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := e.actions(t)
				wantCode(t, tt.run(), tt.wantCode)
				l, err := e.users.FindLogin(ctx, u.Email)
				if err != nil {
					t.Fatalf("find login: %v", err)
				}
				if l.MFASecret != secret || !l.User.MFAEnrolled || l.MFALastStep != tt.wantStep {
					t.Fatalf("got secret %q, enrolled %v, last step %d; want %q, enrolled, %d", l.MFASecret, l.User.MFAEnrolled, l.MFALastStep, secret, tt.wantStep)
				}
				var want []string
				if tt.wantAction != "" {
					want = []string{tt.wantAction}
				}
				if got := e.actions(t)[len(before):]; !slices.Equal(got, want) {
					t.Fatalf("got audit actions %q, want %q", got, want)
				}
			})
		}
	})
}
