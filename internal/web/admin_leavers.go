package web

import (
	"net/http"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// Leavers: active users who have not signed in for Config.LeaverAfter (90 days by
// default), listed for an administrator to review and disable in bulk. The store
// skips anyone who has signed in since the list was shown.

type adminLeaversPage struct {
	AdminLayout
	Days    int
	Since   string // the cut-off, as the form sends it back
	Options []selectOption
}

func (s *Server) leaverCutoff() time.Time { return s.now().Add(-s.cfg.LeaverAfter) }

func (s *Server) handleAdminLeavers() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderLeavers(w, r, http.StatusOK, s.leaverCutoff(), nil)
	})
}

func (s *Server) renderLeavers(w http.ResponseWriter, r *http.Request, status int, since time.Time, problems []FieldError) {
	users, err := s.deps.UserAdmin.FindUsersAs(r.Context(), actorOf(r), tropic.UserFilter{Status: tropic.UserActive, NotSignedInSince: since})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &adminLeaversPage{AdminLayout: s.adminLayout(r, "Leavers to review", "leavers"), Days: int(s.cfg.LeaverAfter.Hours() / 24),
		Since: strconv.FormatInt(since.Unix(), 10)}
	p.Errors = problems
	self := userFrom(r.Context()).ID
	for i, u := range users {
		if u.ID == self {
			continue // nobody disables themselves (tropic.MayDisableUser)
		}
		label := u.Name + " (" + u.Email + "), " + u.Agency.Name + ": last signed in " + lastSignIn(u)
		o := selectOption{ID: "user-" + strconv.FormatInt(u.ID, 10), Value: strconv.FormatInt(u.ID, 10), Label: label}
		if i == 0 || len(p.Options) == 0 {
			o.ID = "users"
		}
		p.Options = append(p.Options, o)
	}
	s.render(w, r, status, "admin_leavers", p)
}

func (s *Server) handleAdminDisableLeavers() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		since := s.leaverCutoff()
		if secs, err := strconv.ParseInt(r.PostFormValue("since"), 10, 64); err == nil && time.Unix(secs, 0).Before(since) {
			since = time.Unix(secs, 0) // the cut-off of the list shown, if earlier
		}
		var ids []int64
		for _, v := range r.PostForm["users"] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				s.notFound(w, r)
				return
			}
			ids = append(ids, id)
		}
		n, err := s.deps.UserAdmin.DisableLeavers(r.Context(), actorOf(r), ids, since)
		if tropic.ErrorCode(err) == tropic.EINVALID {
			s.renderLeavers(w, r, http.StatusUnprocessableEntity, since, errorsFrom(err, "users"))
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		msg := strconv.Itoa(n) + " users disabled."
		if n == 1 {
			msg = "1 user disabled."
		}
		if skipped := len(ids) - n; skipped > 0 {
			msg += " Left as they were: " + strconv.Itoa(skipped) + " (signed in recently, or disabled already)."
		}
		s.flashAndGo(w, r, msg, "/admin/leavers")
	})
}
