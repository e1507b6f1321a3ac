package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// Inviting users by e-mail: a single-use link, kept only as a hash, that works for
// tropic.InviteLifetime and leads to choosing a password and then to setting up the
// second factor at sign-in (invite_pages.go).

type adminInvitePage struct {
	AdminLayout
	CanMail  bool
	Name     string
	Email    string
	Agencies []selectOption // only for a partnership administrator; others invite into their own agency
	Agency   string         // the agency an agency administrator invites into
	Roles    []selectOption
}

func (s *Server) newInvitePage(r *http.Request, agencyID int64, roles []tropic.Role) (*adminInvitePage, error) {
	p := &adminInvitePage{AdminLayout: s.adminLayout(r, "Invite a user", "invite"), CanMail: s.canInvite()}
	u := userFrom(r.Context())
	p.Agency = u.Agency.Name
	if p.RunsPartnership {
		var err error
		if p.Agencies, err = s.agencyOptions(r, agencyID, "Choose an agency"); err != nil {
			return nil, err
		}
	}
	p.Roles = roleOptions(roles, p.RunsPartnership)
	return p, nil
}

// canInvite says whether invitations can be sent: e-mail is set up.
func (s *Server) canInvite() bool { return s.deps.Mail != nil && s.deps.Invites != nil }

func (s *Server) handleAdminInviteForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.newInvitePage(r, 0, nil)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "admin_invite", p)
	})
}

func (s *Server) handleAdminInvite() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		u := &tropic.User{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), AgencyID: userFrom(r.Context()).AgencyID}
		if runsPartnership(userFrom(r.Context())) {
			u.AgencyID, _ = strconv.ParseInt(r.PostFormValue("agency"), 10, 64)
		}
		for _, v := range r.PostForm["roles"] {
			u.Roles = append(u.Roles, tropic.Role(v))
		}
		p, err := s.newInvitePage(r, u.AgencyID, u.Roles)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p.Name, p.Email = u.Name, u.Email
		if !p.CanMail {
			// No form is offered without e-mail: the page says what to do instead.
			p.Errors = []FieldError{{Message: "E-mail is not set up on this server, so no invitation can be sent from this page"}}
			s.render(w, r, http.StatusUnprocessableEntity, "admin_invite", p)
			return
		}
		secret, hash, err := tropic.NewInviteSecret()
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		inv, err := s.deps.Invites.InviteUser(r.Context(), actorOf(r), u, hash)
		if code := tropic.ErrorCode(err); code == tropic.EINVALID || code == tropic.ECONFLICT {
			p.Errors = errorsFrom(err, "name", "email", "agency", "roles")
			s.render(w, r, statusFor(code), "admin_invite", p)
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, s.sendInvite(r.Context(), inv, secret), userPath(inv.UserID))
	})
}

// handleAdminReinvite sends the user a new link; any earlier one stops working.
func (s *Server) handleAdminReinvite() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok {
			return
		}
		if !s.canInvite() {
			s.renderError(w, r, http.StatusConflict, "There is a problem", "E-mail is not set up on this server, so no invitation can be sent. On the server, 'tropic user invite' prints a link to hand over.")
			return
		}
		secret, hash, err := tropic.NewInviteSecret()
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		inv, err := s.deps.Invites.ReinviteUser(r.Context(), actorOf(r), id, hash)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flashAndGo(w, r, s.sendInvite(r.Context(), inv, secret), userPath(id))
	})
}

// sendInvite e-mails the invitation and says how that went. The invitation is stored
// first: if the e-mail fails, the administrator sends a new one from the user's page.
func (s *Server) sendInvite(ctx context.Context, inv *tropic.Invite, secret string) string {
	link := tropic.InviteLink(s.cfg.BaseURL, secret)
	subject, body := tropic.InviteEmail(s.cfg.PartnershipName, inv.User.Agency.Name, link, inv.ExpiresAt, !s.cfg.MFAWaived)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.deps.Mail.Send(ctx, []string{inv.User.Email}, subject, body); err != nil {
		s.log.Warn("invitation e-mail not sent", "user_id", inv.UserID, "error", err.Error())
		return "The invitation was saved but the e-mail could not be sent. Try “Send a new invitation link” again later."
	}
	return "Invitation sent. The link works once, for 72 hours."
}
