package tropic

import (
	"context"
	"time"
)

// Session is one of a user's signed-in sessions as "your sessions" lists it. It never
// holds the token: ID is a number that names the session and works as no cookie.
type Session struct {
	ID       int64
	UserID   int64
	Created  time.Time // when the user signed in
	LastSeen time.Time // the last request made with it
	Expires  time.Time // when it ends unless used again first
	Current  bool      // the session the list was asked for with
}

// Default session limits (issue 13 item 8).
const (
	DefaultSessionIdle     = 30 * time.Minute
	DefaultSessionLifetime = 12 * time.Hour
)

// SessionLimits end a session idle for Idle, or Lifetime after it began however much
// it is used. A zero field is its default.
type SessionLimits struct {
	Idle     time.Duration
	Lifetime time.Duration
}

// WithDefaults fills zero fields with the defaults.
func (l SessionLimits) WithDefaults() SessionLimits {
	if l.Idle <= 0 {
		l.Idle = DefaultSessionIdle
	}
	if l.Lifetime <= 0 {
		l.Lifetime = DefaultSessionLifetime
	}
	return l
}

// Expires is when a session begun at created and last used at lastSeen ends: idle,
// or at the end of its lifetime, whichever is sooner.
func (l SessionLimits) Expires(created, lastSeen time.Time) time.Time {
	l = l.WithDefaults()
	idle, life := lastSeen.Add(l.Idle), created.Add(l.Lifetime)
	if idle.Before(life) {
		return idle
	}
	return life
}

// Live reports whether such a session may still be used at now.
func (l SessionLimits) Live(created, lastSeen, now time.Time) bool {
	return now.Before(l.Expires(created, lastSeen))
}

// MayEndSessions decides whether actor may end sessions belonging to the user ownerID:
// a user may end only their own; the system (command line, disabling a user) any. A
// refusal reads as "not found", so that a session of someone else cannot be told
// from one that does not exist.
func MayEndSessions(actor Actor, ownerID int64) error {
	if actor.IsSystem() || (ownerID != 0 && actor.UserID == ownerID) {
		return nil
	}
	return Errorf(ENOTFOUND, "Session not found.")
}

// SessionService keeps web sessions: the storage scs needs, bound to the signed-in
// user, plus what "your sessions" shows and ends. Tokens are passed in and hashed
// by the store; none is ever returned.
type SessionService interface {
	// FindSession returns a session's data if it is live under lim.
	FindSession(ctx context.Context, token string, lim SessionLimits) ([]byte, bool, error)
	// CommitSession stores a session's data for the user userID (0: nobody signed in
	// yet) and marks it used now; a new session begins now.
	CommitSession(ctx context.Context, token string, data []byte, userID int64, lim SessionLimits) error
	// DeleteSession removes one session by its token.
	DeleteSession(ctx context.Context, token string) error
	// ListSessions returns the live sessions of userID, newest first, marking the one
	// with token current.
	ListSessions(ctx context.Context, actor Actor, userID int64, current string, lim SessionLimits) ([]Session, error)
	// EndSession ends the session numbered id, if MayEndSessions allows.
	EndSession(ctx context.Context, actor Actor, id int64) error
	// EndUserSessions ends every session of userID except the one with token keep
	// ("" ends them all) and returns how many ended.
	EndUserSessions(ctx context.Context, actor Actor, userID int64, keep string) (int64, error)
}

// ParseSessionLimits reads an idle timeout and a lifetime written as Go durations
// ("30m", "12h"). The idle timeout is from 1 minute to 24 hours, the lifetime from 5
// minutes to 30 days and not shorter than the idle timeout. An error names which is
// wrong: "idle" or "lifetime".
func ParseSessionLimits(idle, lifetime string) (SessionLimits, error) {
	var l SessionLimits
	var err error
	if l.Idle, err = time.ParseDuration(idle); err != nil {
		return l, Errorf(EINVALID, "idle: %q is not a time such as 30m or 1h", idle)
	}
	if l.Lifetime, err = time.ParseDuration(lifetime); err != nil {
		return l, Errorf(EINVALID, "lifetime: %q is not a time such as 12h or 8h30m", lifetime)
	}
	switch {
	case l.Idle < time.Minute || l.Idle > 24*time.Hour:
		return l, Errorf(EINVALID, "idle: give a time from 1m to 24h")
	case l.Lifetime < 5*time.Minute || l.Lifetime > 30*24*time.Hour:
		return l, Errorf(EINVALID, "lifetime: give a time from 5m to 720h (30 days)")
	case l.Lifetime < l.Idle:
		return l, Errorf(EINVALID, "lifetime: %v is shorter than the idle timeout %v", l.Lifetime, l.Idle)
	}
	return l, nil
}
