package tropic

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Role is what a user may do. A user may hold several.
type Role string

const (
	RoleTriage     Role = "triage"
	RoleCaseworker Role = "caseworker"
	RoleSupervisor Role = "supervisor"
	RoleAnalyst    Role = "analyst"
	RoleAdmin      Role = "admin"
	RoleIntake     Role = "intake" // helpline and control-room call handlers who enter reports
	// RolePartnershipAdmin runs the partnership: agencies, the triage hub, reference
	// data, and the users of every agency. Only a partnership administrator or the
	// command line gives it (MaySetRoles).
	RolePartnershipAdmin Role = "partnership_admin"
	// RoleDPO is a data protection officer: searches the audit trail and answers for
	// misuse alerts (audit_search.go, misuse.go). Who may grant it: MaySetRoles
	// (partnershipGranted, admin_rules.go).
	RoleDPO Role = "dpo"
)

// Roles lists every role in display order.
var Roles = []Role{RoleTriage, RoleCaseworker, RoleSupervisor, RoleAnalyst, RoleAdmin, RoleIntake, RolePartnershipAdmin, RoleDPO}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if v == r {
			return true
		}
	}
	return false
}

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case RoleTriage:
		return "Triage"
	case RoleCaseworker:
		return "Caseworker"
	case RoleSupervisor:
		return "Supervisor"
	case RoleAnalyst:
		return "Analyst"
	case RoleAdmin:
		return "Administrator"
	case RoleIntake:
		return "Intake (call handler)"
	case RolePartnershipAdmin:
		return "Partnership administrator"
	case RoleDPO:
		return "Data protection officer"
	}
	return string(r)
}

// ParseRoles parses a comma-separated list of roles, such as "caseworker,supervisor".
func ParseRoles(s string) ([]Role, error) {
	var roles []Role
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(strings.ToLower(part))
		if part == "" {
			continue
		}
		r := Role(part)
		if !r.Valid() {
			return nil, &Error{Code: EINVALID, Message: "Unknown role " + part, Fields: map[string]string{"roles": "Unknown role " + part + "; roles are triage, caseworker, supervisor, analyst, admin, intake, partnership_admin and dpo"}}
		}
		if !hasRole(roles, r) {
			roles = append(roles, r)
		}
	}
	return roles, nil
}

func hasRole(roles []Role, r Role) bool {
	for _, v := range roles {
		if v == r {
			return true
		}
	}
	return false
}

// User is a member of staff of a partner agency. Disabled users keep their history.
type User struct {
	ID          int64     `json:"id"`
	Email       string    `json:"email"`
	Name        string    `json:"name"`
	AgencyID    int64     `json:"agency_id"`
	Agency      *Agency   `json:"agency,omitempty"`
	Roles       []Role    `json:"roles"`
	Disabled    bool      `json:"disabled"`
	MFAEnrolled bool      `json:"mfa_enrolled"`
	CreatedAt   time.Time `json:"created_at"`
	// Invited: the user has not chosen a password yet (an invitation is out).
	Invited bool `json:"invited"`
	// MustChangePassword: an administrator asked for a new password at the next sign-in.
	MustChangePassword bool      `json:"must_change_password"`
	LastLoginAt        time.Time `json:"last_login_at"` // zero: never signed in
	// SecurityKey: the user has a security key or passkey as a second factor;
	// SingleSignOn: an agency's identity provider signs them in (issue 13 item 2's
	// "MFA kind", told to administrators).
	SecurityKey  bool `json:"-"`
	SingleSignOn bool `json:"-"`
}

// The second factors UserFilter.MFA asks for.
const (
	MFAApp  = "app"  // an authenticator app
	MFAKey  = "key"  // a security key or passkey
	MFASSO  = "sso"  // signs in through an agency's identity provider
	MFANone = "none" // none of these
)

// MFAKinds says how u proves who they are after (or instead of) a password, for
// administrators: "Authenticator app", "Security key", "Single sign-on", or none.
func (u *User) MFAKinds() []string {
	var out []string
	if u.MFAEnrolled {
		out = append(out, "Authenticator app")
	}
	if u.SecurityKey {
		out = append(out, "Security key")
	}
	if u.SingleSignOn {
		out = append(out, "Single sign-on")
	}
	return out
}

// Has reports whether the user holds role r.
func (u *User) Has(r Role) bool { return hasRole(u.Roles, r) }

// NormaliseEmail lower-cases and trims an e-mail address so that lookups match.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate normalises the user and reports problems per field.
func (u *User) Validate() error {
	var p Problems
	u.Email = NormaliseEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if u.Email == "" {
		p.Add("email", "Enter an email address")
	} else if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > 254 {
		p.Add("email", "Enter an email address in the correct format, like name@example.org")
	}
	if u.Name == "" {
		p.Add("name", "Enter the user's full name")
	} else {
		CheckText(&p, "name", "Name", u.Name, 200)
	}
	if u.AgencyID == 0 {
		p.Add("agency", "Choose the user's agency")
	}
	checkRoles(&p, u.Roles)
	return p.Err()
}

// Login is what the store knows about an account at sign-in: the user, the
// password hash and the state of its failure counter.
type Login struct {
	User           *User
	PasswordHash   string
	MFASecret      string // empty until enrolled
	MFALastStep    int64  // the last TOTP time step used, to refuse replays
	FailedAttempts int
	LastFailureAt  time.Time
	LockedUntil    time.Time
}

// LoginPolicy sets how repeated failures slow down and then lock an account.
type LoginPolicy struct {
	SlowAfter int           // failures before each further attempt must wait
	SlowDelay time.Duration // the wait after SlowAfter failures; doubles with each further failure
	LockAfter int           // failures that lock the account
	LockFor   time.Duration // how long a lock lasts
}

// DefaultLoginPolicy slows after 3 failures and locks for 15 minutes after 10.
var DefaultLoginPolicy = LoginPolicy{SlowAfter: 3, SlowDelay: 2 * time.Second, LockAfter: 10, LockFor: 15 * time.Minute}

// Check returns an ELOCKED or ETOOMANY error when the account may not try to sign in at now.
func (p LoginPolicy) Check(l *Login, now time.Time) error {
	if now.Before(l.LockedUntil) {
		return Errorf(ELOCKED, "This account is locked after too many failed sign-in attempts. Try again in %s, or ask your agency's Tropic administrator to send you a link to choose a new password, which unlocks it.", lockLeft(l.LockedUntil.Sub(now)))
	}
	if wait := p.Wait(l.FailedAttempts); wait > 0 {
		if next := l.LastFailureAt.Add(wait); now.Before(next) {
			return tooManyAttempts(next.Sub(now))
		}
	}
	return nil
}

// lockLeft says how long a lock has to run, in whole minutes rounded up.
func lockLeft(d time.Duration) string {
	if mins := int(d.Minutes() + 0.999); mins > 1 {
		return fmt.Sprintf("%d minutes", mins)
	}
	return "1 minute"
}

// tooManyAttempts asks to wait d, in whole seconds rounded up.
func tooManyAttempts(d time.Duration) error {
	secs := int(d.Seconds() + 0.999)
	unit := "seconds"
	if secs == 1 {
		unit = "second"
	}
	return Errorf(ETOOMANY, "There have been several failed sign-in attempts. Wait %d %s before trying again.", secs, unit)
}

// pendingFor is how long an attempt reserved but never settled (its process died
// between the reservation and the answer) keeps holding the account's last slot.
const pendingFor = time.Minute

// Admit decides whether one more attempt may be checked at now, given the account's
// counter, which already counts the attempts reserved and not yet settled. Admitted,
// the store counts the attempt as a failure before the password or code is checked
// (ReserveLoginAttempt), in the transaction that read the counter, so that concurrent
// attempts in any process never check more than the policy allows: at most SlowAfter
// at once, at most LockAfter before the lock.
func (p LoginPolicy) Admit(l *Login, now time.Time) error {
	if err := p.Check(l, now); err != nil {
		return err
	}
	if p.LockAfter > 0 && l.FailedAttempts >= p.LockAfter {
		if next := l.LastFailureAt.Add(pendingFor); now.Before(next) {
			return tooManyAttempts(next.Sub(now))
		}
	}
	return nil
}

// Locks reports whether an account whose counter stands at failures is to be locked
// when one of those attempts fails.
func (p LoginPolicy) Locks(failures int) bool { return p.LockAfter > 0 && failures >= p.LockAfter }

// Wait is how long to wait after the given number of consecutive failures.
func (p LoginPolicy) Wait(failures int) time.Duration {
	if failures < p.SlowAfter || p.SlowAfter <= 0 {
		return 0
	}
	d := p.SlowDelay
	for i := p.SlowAfter; i < failures && d < time.Minute; i++ {
		d *= 2
	}
	return min(d, time.Minute)
}

// UserService manages staff accounts and their sign-in state.
type UserService interface {
	CreateUser(ctx context.Context, actor Actor, u *User, passwordHash string) error
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	FindUsers(ctx context.Context, filter UserFilter) ([]*User, error)
	DisableUser(ctx context.Context, actor Actor, id int64) error
	// SetRoles replaces a user's roles, as MaySetRoles allows, and audits the change.
	SetRoles(ctx context.Context, actor Actor, id int64, roles []Role) error
	SetPassword(ctx context.Context, actor Actor, id int64, passwordHash string) error

	// FindLogin returns the account behind an e-mail address for sign-in, ENOTFOUND if none.
	FindLogin(ctx context.Context, email string) (*Login, error)
	// ReserveLoginAttempt admits one attempt at the account's password or code under
	// policy (LoginPolicy.Admit) and counts it as a failure before it is checked, in one
	// transaction, so that the count holds across concurrent requests and processes.
	// ELOCKED or ETOOMANY when the policy refuses; the attempt is then not counted.
	ReserveLoginAttempt(ctx context.Context, userID int64, policy LoginPolicy) error
	// ReleaseLoginAttempt takes back a reserved attempt that turned out right but does
	// not finish the sign-in yet (a right password before the second factor).
	ReleaseLoginAttempt(ctx context.Context, userID int64) error
	// RecordLoginFailure settles a reserved attempt as failed: it locks the account
	// when the counter has reached policy.LockAfter, and audits the failure. userID 0
	// records a failure for an unknown account.
	RecordLoginFailure(ctx context.Context, userID int64, reason string, policy LoginPolicy) error
	// RecordLoginSuccess clears the failure counter and audits the sign-in.
	RecordLoginSuccess(ctx context.Context, userID int64, method string) error
	// RecordLogout audits a sign-out.
	RecordLogout(ctx context.Context, userID int64) error
	// EnrolMFA stores a verified TOTP secret and the step that proved it.
	EnrolMFA(ctx context.Context, userID int64, secret string, step int64) error
	// UseMFAStep records a TOTP step as used; ECONFLICT if it (or a later one) was used already.
	UseMFAStep(ctx context.Context, userID int64, step int64) error
}

// UserFilter narrows FindUsers.
type UserFilter struct {
	AgencyID        int64
	IncludeDisabled bool
	Role            Role       // holds this role
	Status          UserStatus // "" any (IncludeDisabled still applies)
	MFA             string     // MFAApp, MFAKey, MFASSO, MFANone, or "" any
	// NotSignedInSince: only users whose last sign-in (or, never signed in, whose
	// account's creation) is before it; zero: any.
	NotSignedInSince time.Time
}
