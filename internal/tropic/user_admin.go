package tropic

import (
	"context"
	"time"
)

// Audit actions of administration besides those in audit.go (issue 13).
const (
	AuditUserInvited          = "user.invited"
	AuditUserInviteAccepted   = "user.invite_accepted"
	AuditUserMoved            = "user.moved"
	AuditUserPasswordRequired = "user.password_required"
	AuditUserPasswordChanged  = "user.password_changed" // by the user, when asked to
	AuditUserSignedOut        = "user.signed_out"       // an administrator signed the user out everywhere
)

// AdminActions are the audit actions the administration history lists.
var AdminActions = []string{
	AuditUserCreated, AuditUserInvited, AuditUserInviteAccepted, AuditUserRoles, AuditUserMoved,
	AuditUserDisabled, AuditUserEnabled, AuditMFAReset, AuditUserPassword, AuditUserPasswordRequired,
	AuditUserPasswordChanged, AuditUserSignedOut, AuditAgencyCreated, AuditAgencyUpdated, AuditAgencyDisabled,
	AuditAgencyEnabled, AuditReminderEmailSet, AuditHolidayChanged, AuditDistrictCreated, AuditAgreementCreated,
	AuditAgreementUpdated, AuditReferenceChanged, AuditNameListChanged,
}

// AdminActionLabel says what an administration event did, for people.
func AdminActionLabel(action string) string {
	switch action {
	case AuditUserCreated:
		return "Account added"
	case AuditUserInvited:
		return "Invited"
	case AuditUserInviteAccepted:
		return "Invitation accepted, password chosen"
	case AuditUserRoles:
		return "Roles changed"
	case AuditUserMoved:
		return "Moved to another agency"
	case AuditUserDisabled:
		return "Account disabled"
	case AuditUserEnabled:
		return "Account re-enabled"
	case AuditMFAReset:
		return "Authenticator reset"
	case AuditUserPassword:
		return "Password set by an administrator"
	case AuditUserPasswordRequired:
		return "New password required at next sign-in"
	case AuditUserPasswordChanged:
		return "Password changed at sign-in"
	case AuditUserSignedOut:
		return "Signed out everywhere"
	case AuditAgencyCreated:
		return "Agency added"
	case AuditAgencyUpdated:
		return "Agency changed"
	case AuditAgencyDisabled:
		return "Agency disabled"
	case AuditAgencyEnabled:
		return "Agency re-enabled"
	case AuditReminderEmailSet:
		return "NRM reminder address set"
	case AuditHolidayChanged:
		return "Bank holiday changed"
	case AuditDistrictCreated:
		return "District added"
	case AuditAgreementCreated:
		return "Sharing agreement added"
	case AuditAgreementUpdated:
		return "Sharing agreement changed"
	case AuditNameListChanged:
		return "Name lists changed"
	case AuditReferenceChanged:
		return "Reference data changed"
	}
	return action
}

// AdminEvent is one line of the administration history: the audit event, with the
// names of who acted and of what they acted on, as they are now.
type AdminEvent struct {
	AuditEvent
	ActorName  string // "" for the command line: ActorLabel names it
	ObjectName string // the user's name or the agency's; "" when gone or not named
}

// AdminHistoryFilter narrows the administration history.
type AdminHistoryFilter struct {
	AgencyID int64 // events about this agency and its users; 0 for all (AdminAgencyScope decides)
	Limit    int
	Offset   int
}

// UserAdmin is what the administration pages do with accounts. Each method decides
// with the rules of admin_rules.go, on the target as it stands in its transaction,
// and audits what it changes.
type UserAdmin interface {
	// FindUsersAs lists users as AdminAgencyScope lets actor see them.
	FindUsersAs(ctx context.Context, actor Actor, f UserFilter) ([]*User, error)
	// FindUserAs returns one user; ENOTFOUND if actor may not see them.
	FindUserAs(ctx context.Context, actor Actor, id int64) (*User, error)
	DisableUser(ctx context.Context, actor Actor, id int64) error
	EnableUser(ctx context.Context, actor Actor, id int64) error
	ResetMFA(ctx context.Context, actor Actor, id int64) error
	SetRoles(ctx context.Context, actor Actor, id int64, roles []Role) error
	// MoveUser moves a user to another agency (MayMoveUser).
	MoveUser(ctx context.Context, actor Actor, id, agencyID int64) error
	// RequirePasswordChange asks the user for a new password at their next sign-in.
	RequirePasswordChange(ctx context.Context, actor Actor, id int64) error
	// SignOutEverywhere ends every session of the user and returns how many.
	SignOutEverywhere(ctx context.Context, actor Actor, id int64) (int64, error)
	// DisableLeavers disables the users ids who have still not signed in since
	// (others are skipped: they came back since the list was shown), all or none,
	// and returns how many it disabled.
	DisableLeavers(ctx context.Context, actor Actor, ids []int64, since time.Time) (int, error)
	// ChangePasswordAtSignIn stores the new password of a user asked for one, and
	// clears the request.
	ChangePasswordAtSignIn(ctx context.Context, userID int64, passwordHash string) error
}

// InviteService makes and redeems invitation links. Secrets are never stored: the
// caller passes the hash (HashSecret) of the secret it sends.
type InviteService interface {
	// InviteUser adds u (no password yet) and an invitation for them (MayInviteUser).
	InviteUser(ctx context.Context, actor Actor, u *User, tokenHash string) (*Invite, error)
	// ReinviteUser replaces the user's invitation links with a new one (MayManageUser).
	ReinviteUser(ctx context.Context, actor Actor, userID int64, tokenHash string) (*Invite, error)
	// FindInvite returns the invitation whose secret hashes to tokenHash, usable or
	// not (Invite.Usable says); ENOTFOUND for none.
	FindInvite(ctx context.Context, tokenHash string) (*Invite, error)
	// LatestInvite is the user's newest invitation, ENOTFOUND for none.
	LatestInvite(ctx context.Context, actor Actor, userID int64) (*Invite, error)
	// AcceptInvite sets the password of the invitation's user and uses the link up,
	// if it is still usable; it returns the user.
	AcceptInvite(ctx context.Context, tokenHash, passwordHash string) (*User, error)
}

// AdminHistoryService reads the administration history.
type AdminHistoryService interface {
	FindAdminHistory(ctx context.Context, actor Actor, f AdminHistoryFilter) ([]*AdminEvent, int, error)
}

// HolidayService keeps the one-off bank holiday changes (reference data, changed as
// MayChangeHolidays allows).
type HolidayService interface {
	HolidayChanges(ctx context.Context) ([]HolidayChange, error)
	AddHolidayChange(ctx context.Context, actor Actor, c HolidayChange) error
}
