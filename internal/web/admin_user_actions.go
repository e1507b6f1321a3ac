package web

import (
	"context"
	"net/http"
	"strconv"

	"tropic/internal/tropic"
)

// The actions of a user's administration page. Each is one store call that decides
// with tropic's rules; a refusal is answered by fail (another agency's user: the
// missing page).

// handleAdminUserAction runs act on the user in the path and returns to their page
// saying done.
func (s *Server) handleAdminUserAction(act func(*Server, context.Context, tropic.Actor, int64) error, done string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok {
			return
		}
		if err := act(s, r.Context(), actorOf(r), id); err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, done, userPath(id))
	})
}

func disableUser(s *Server, ctx context.Context, a tropic.Actor, id int64) error {
	return s.deps.UserAdmin.DisableUser(ctx, a, id)
}

func enableUser(s *Server, ctx context.Context, a tropic.Actor, id int64) error {
	return s.deps.UserAdmin.EnableUser(ctx, a, id)
}

func resetUserMFA(s *Server, ctx context.Context, a tropic.Actor, id int64) error {
	return s.deps.UserAdmin.ResetMFA(ctx, a, id)
}

func requireNewPassword(s *Server, ctx context.Context, a tropic.Actor, id int64) error {
	return s.deps.UserAdmin.RequirePasswordChange(ctx, a, id)
}

func signUserOut(s *Server, ctx context.Context, a tropic.Actor, id int64) error {
	_, err := s.deps.UserAdmin.SignOutEverywhere(ctx, a, id)
	return err
}

// handleAdminUserRoles replaces the user's roles with those ticked.
func (s *Server) handleAdminUserRoles() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		roles := []tropic.Role{}
		for _, v := range r.PostForm["roles"] {
			roles = append(roles, tropic.Role(v))
		}
		err := s.deps.UserAdmin.SetRoles(r.Context(), actorOf(r), id, roles)
		if tropic.ErrorCode(err) == tropic.EINVALID {
			s.renderAdminUser(w, r, id, http.StatusUnprocessableEntity, errorsFrom(err, "roles"), roles)
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, "Roles saved.", userPath(id))
	})
}

// handleAdminUserMove moves the user to the agency chosen (partnership administrators).
func (s *Server) handleAdminUserMove() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		agency, _ := strconv.ParseInt(r.PostFormValue("agency"), 10, 64)
		err := s.deps.UserAdmin.MoveUser(r.Context(), actorOf(r), id, agency)
		if tropic.ErrorCode(err) == tropic.EINVALID {
			s.renderAdminUser(w, r, id, http.StatusUnprocessableEntity, errorsFrom(err, "agency"), nil)
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, "Moved to the agency chosen.", userPath(id))
	})
}
