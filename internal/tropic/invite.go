package tropic

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// An invitation is how a new user (or one who has lost their password) gets in: a
// single-use link e-mailed to them, valid for InviteLifetime, stored only as the hash
// of its secret (HashSecret). Opening it, the user chooses a password; then they sign
// in and set up their second factor. Inviting a user again replaces any link they
// had: the old one stops working.

// InviteLifetime is how long an invitation link works.
const InviteLifetime = 72 * time.Hour

// NewInviteSecret makes the secret of an invitation link (256 bits, URL-safe: 43
// characters) and the hash the store keeps of it (HashSecret).
func NewInviteSecret() (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret), nil
}

// InviteLink is the address of the invitation page for secret under baseURL.
func InviteLink(baseURL, secret string) string {
	return strings.TrimRight(baseURL, "/") + "/invite/" + secret
}

// Invite is one invitation link, as the store holds it (never its secret).
type Invite struct {
	ID         int64
	UserID     int64
	User       *User
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     time.Time // zero until used
	Superseded bool      // a newer invitation replaced it
}

// Usable says, plainly, why the invitation cannot be used at now, or nil if it can.
func (i *Invite) Usable(now time.Time) error {
	switch {
	case !i.UsedAt.IsZero():
		return Errorf(ECONFLICT, "This invitation link has been used already. Sign in with the password you chose, or ask your administrator for a new link.")
	case i.Superseded:
		return Errorf(ECONFLICT, "This invitation link has been replaced by a newer one. Use the link in the most recent invitation e-mail, or ask your administrator for a new link.")
	case !now.Before(i.ExpiresAt):
		return Errorf(ECONFLICT, "This invitation link has expired: links work for 72 hours. Ask your administrator to invite you again.")
	case i.User != nil && i.User.Disabled:
		return Errorf(ECONFLICT, "This account is disabled. Ask your administrator.")
	}
	return nil
}

// InviteEmail is the e-mail that carries an invitation link. It names the partnership
// and the agency and holds the link; nothing about the person (who knows who they are).
// secondFactor: the server asks for an authenticator app's code (not the demo's).
func InviteEmail(partnership, agency, link string, expires time.Time, secondFactor bool) (subject, body string) {
	subject = "Your invitation to Tropic, " + partnership
	var b strings.Builder
	fmt.Fprintf(&b, "You have been invited to use Tropic, the shared system of the %s, as a member of staff of %s.\n\n", partnership, agency)
	fmt.Fprintf(&b, "Open this link to choose your password:\n%s\n\n", link)
	fmt.Fprintf(&b, "The link works once, until %s (UK time).", expires.In(ukZone()).Format("2 January 2006 at 3:04pm"))
	if secondFactor {
		b.WriteString(" Then set up an authenticator app on your phone for the second step of signing in.")
	}
	b.WriteString("\n\n")
	b.WriteString("If you did not expect this e-mail, ignore it: nothing happens unless the link is used.\n")
	return subject, b.String()
}

func ukZone() *time.Location {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		return loc
	}
	return time.UTC
}

// UserStatus is where an account stands, for the administration pages.
type UserStatus string

const (
	UserActive   UserStatus = "active"   // may sign in
	UserInvited  UserStatus = "invited"  // has not chosen a password yet
	UserDisabled UserStatus = "disabled" // may not sign in (or their agency is disabled)
)

// Status is where u stands.
func (u *User) Status() UserStatus {
	switch {
	case u.Disabled:
		return UserDisabled
	case u.Invited:
		return UserInvited
	}
	return UserActive
}

// Label is the status for people.
func (s UserStatus) Label() string {
	switch s {
	case UserActive:
		return "Active"
	case UserInvited:
		return "Invited"
	case UserDisabled:
		return "Disabled"
	}
	return string(s)
}

// DefaultLeaverAfter is how long without signing in makes a user a possible leaver,
// listed for an administrator to review (issue 13): 90 days unless configured.
const DefaultLeaverAfter = 90 * 24 * time.Hour
