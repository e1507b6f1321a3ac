package web

import (
	"io/fs"
	"net/http"
	"strings"

	"tropic/internal/tropic"
)

type simplePage struct{ Layout }

// noticePage is the privacy notice or the accessibility statement: what the
// deployment states about itself (Config.PublicNotice; nil when it has stated
// nothing) and the session settings the cookie paragraph tells.
type noticePage struct {
	Layout
	Notice        *tropic.PublicNotice
	IdleMinutes   int
	LifetimeHours int
	Retention     []tropic.RetentionRule // how long each kind of record is kept
}

// handleNoticePage serves the privacy notice or the accessibility statement.
func (s *Server) handleNoticePage(name, titleID string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &noticePage{Layout: s.publicLayout(r, titleID), Notice: s.cfg.PublicNotice,
			IdleMinutes: int(s.cfg.SessionIdle.Minutes()), LifetimeHours: int(s.cfg.SessionLifetime.Hours()), Retention: s.retentionSchedule().Rules()}
		p.Public = true
		s.render(w, r, http.StatusOK, name, p)
	})
}

// handlePublicPage serves a public page that has nothing but its text.
func (s *Server) handlePublicPage(name, titleID string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &simplePage{Layout: s.publicLayout(r, titleID)}
		s.render(w, r, http.StatusOK, name, p)
	})
}

// handleExit ends the session and leaves for a neutral site: the target of every
// "Exit this page" control. It also asks the browser to drop this site's cookies
// and storage.
func (s *Server) handleExit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.sessions.Destroy(r.Context()); err != nil {
			s.log.Warn("exit: destroy session", "request_id", requestID(r.Context()), "error", err.Error())
		}
		w.Header().Set("Clear-Site-Data", `"cookies", "storage"`)
		http.Redirect(w, r, s.cfg.ExitURL, http.StatusSeeOther)
	})
}

// handleStatic serves the embedded assets. They change only with a new binary, so
// they may be cached for a day.
func handleStatic(static fs.FS) http.Handler {
	files := http.FileServerFS(static)
	return http.StripPrefix("/static", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	}))
}
