package web

import "net/http"

type staffHomePage struct {
	Layout
}

// handleStaffHome is the dashboard: who you are, and what needs you. Tasks, urgent
// reports and deadlines join it as their capabilities land.
func (s *Server) handleStaffHome() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &staffHomePage{Layout: s.newLayout(r, "Home")}
		p.Nav = "home"
		s.render(w, r, http.StatusOK, "staff_home", p)
	})
}
