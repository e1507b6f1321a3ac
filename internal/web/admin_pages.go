package web

import (
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// The administration pages (issue 13): agency administrators manage their own
// agency's users; partnership administrators also the agencies, and any agency's
// users. Who may do what is decided by the store with tropic's rules; these wrappers
// only keep the pages from anyone who may use none of them (the missing page).

const sessAdminFlash = "admin_flash"

// canAdminister says whether u may open the administration pages (tropic.MayAdminister).
func canAdminister(u *tropic.User) bool {
	return u != nil && tropic.MayAdminister(tropic.ActorFor(u)) == nil
}

// runsPartnership says whether u is a partnership administrator.
func runsPartnership(u *tropic.User) bool { return u != nil && u.Has(tropic.RolePartnershipAdmin) }

// admin wraps a page for agency and partnership administrators.
func (s *Server) admin(h http.Handler) http.Handler {
	return s.browser(s.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.UserAdmin == nil || !canAdminister(userFrom(r.Context())) {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})))
}

// partnershipAdmin wraps a page for partnership administrators only.
func (s *Server) partnershipAdmin(h http.Handler) http.Handler {
	return s.admin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !runsPartnership(userFrom(r.Context())) {
			s.notFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	}))
}

// adminLayout is the layout of an administration page, with its sub-navigation.
func (s *Server) adminLayout(r *http.Request, title, section string) AdminLayout {
	l := AdminLayout{Layout: s.newLayout(r, title), Section: section, RunsPartnership: runsPartnership(userFrom(r.Context()))}
	l.Nav = "admin"
	l.Flash = s.sessions.PopString(r.Context(), sessAdminFlash)
	return l
}

// AdminLayout is what every administration page shares.
type AdminLayout struct {
	Layout
	Section         string // the sub-navigation item to mark: users, invite, leavers, agencies, history
	RunsPartnership bool   // the reader is a partnership administrator: agencies are offered
	Flash           string
}

// pathID reads a positive id from the path, or answers the missing page.
func (s *Server) pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return 0, false
	}
	return id, true
}

// flashAndGo sets the success message and goes to target.
func (s *Server) flashAndGo(w http.ResponseWriter, r *http.Request, msg, target string) {
	s.sessions.Put(r.Context(), sessAdminFlash, msg)
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// roleOptions are the roles as checkboxes, checked where held; the partnership
// administrator role only for a reader who may give it.
func roleOptions(held []tropic.Role, partnership bool) []selectOption {
	var out []selectOption
	for _, r := range tropic.Roles {
		if r == tropic.RolePartnershipAdmin && !partnership {
			continue
		}
		selected := false
		for _, h := range held {
			selected = selected || h == r
		}
		out = append(out, selectOption{ID: "role-" + string(r), Value: string(r), Label: r.Label(), Selected: selected})
	}
	if len(out) > 0 {
		out[0].ID = "roles" // the error summary links to the first
	}
	return out
}

// agencyOptions lists the agencies that are not disabled, chosen marked.
func (s *Server) agencyOptions(r *http.Request, chosen int64, blank string) ([]selectOption, error) {
	agencies, err := s.deps.Agencies.FindAgencies(r.Context())
	if err != nil {
		return nil, err
	}
	var out []selectOption
	if blank != "" {
		out = append(out, selectOption{Value: "", Label: blank})
	}
	for _, a := range agencies {
		if a.Disabled && a.ID != chosen {
			continue
		}
		out = append(out, selectOption{Value: strconv.FormatInt(a.ID, 10), Label: a.Name, Selected: a.ID == chosen})
	}
	return out, nil
}
