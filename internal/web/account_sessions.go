package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// "Your sessions": the signed-in user's sessions (when each began, was last used and
// ends; this one marked; never a token), with sign-out of one, of all the others, or
// everywhere. The store ends only the user's own (tropic.MayEndSessions).

const sessAccountFlash = "account_flash"

type sessionRow struct {
	ID                         int64
	Created, LastSeen, Expires string
	Current                    bool
}

type accountSessionsPage struct {
	Layout
	Flash string
	Rows  []sessionRow
	Idle  string // the idle timeout, e.g. "30 minutes"
	Life  string // the absolute lifetime, e.g. "12 hours"
}

func (s *Server) handleAccountSessions() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r.Context())
		list, err := s.deps.Sessions.ListSessions(r.Context(), actorOf(r), u.ID, s.sessions.Token(r.Context()), s.cfg.sessionLimits())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &accountSessionsPage{
			Layout: s.newLayout(r, "Your sessions"),
			Flash:  s.sessions.PopString(r.Context(), sessAccountFlash),
			Idle:   displayDuration(s.cfg.SessionIdle),
			Life:   displayDuration(s.cfg.SessionLifetime),
		}
		p.Nav = "sessions"
		for _, ss := range list {
			p.Rows = append(p.Rows, sessionRow{
				ID: ss.ID, Current: ss.Current,
				Created: displayDateTime(ss.Created), LastSeen: displayDateTime(ss.LastSeen), Expires: displayDateTime(ss.Expires),
			})
		}
		s.render(w, r, http.StatusOK, "account_sessions", p)
	})
}

// handleEndOtherSessions signs the user out of every session but this one.
func (s *Server) handleEndOtherSessions() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := s.deps.Sessions.EndUserSessions(r.Context(), actorOf(r), userFrom(r.Context()).ID, s.sessions.Token(r.Context()))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), sessAccountFlash, signedOutOf(n))
		http.Redirect(w, r, "/account/sessions", http.StatusSeeOther)
	})
}

// handleEndAllSessions signs the user out everywhere, this session included.
func (s *Server) handleEndAllSessions() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r.Context())
		if _, err := s.deps.Sessions.EndUserSessions(r.Context(), actorOf(r), u.ID, ""); err != nil {
			s.fail(w, r, err)
			return
		}
		s.signOut(w, r, u.ID)
	})
}

// handleEndSession signs the user out of one of their sessions; another user's
// session is "not found", like one that does not exist.
func (s *Server) handleEndSession() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			s.notFound(w, r)
			return
		}
		u := userFrom(r.Context())
		// Whether it is this session, asked before it ends: ending this one is signing out.
		list, err := s.deps.Sessions.ListSessions(r.Context(), actorOf(r), u.ID, s.sessions.Token(r.Context()), s.cfg.sessionLimits())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.deps.Sessions.EndSession(r.Context(), actorOf(r), id); err != nil {
			s.fail(w, r, err)
			return
		}
		for _, ss := range list {
			if ss.ID == id && ss.Current {
				s.signOut(w, r, u.ID)
				return
			}
		}
		s.sessions.Put(r.Context(), sessAccountFlash, signedOutOf(1))
		http.Redirect(w, r, "/account/sessions", http.StatusSeeOther)
	})
}

func signedOutOf(n int64) string {
	if n == 1 {
		return "Signed out of 1 other session."
	}
	return fmt.Sprintf("Signed out of %d other sessions.", n)
}

// displayDuration writes a whole number of hours or minutes for people.
func displayDuration(d time.Duration) string {
	m := int64(d.Minutes())
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + one + "s"
	}
	if m >= 60 && m%60 == 0 {
		return unit(m/60, "hour")
	}
	return unit(m, "minute")
}
