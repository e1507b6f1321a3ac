package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The users list, with filters, and one user's page with its actions.

type adminUserRow struct {
	ID         int64
	Name       string
	Email      string
	Agency     string
	Roles      string
	Status     string
	StatusTag  string
	LastSignIn string
	MFA        string
}

type adminUsersPage struct {
	AdminLayout
	Agencies []selectOption // only for a partnership administrator
	Roles    []selectOption
	Statuses []selectOption
	MFAs     []selectOption
	Idle     []selectOption
	Rows     []adminUserRow
	Filtered bool
}

// idleChoices are the "not signed in for" filter's choices, in days.
var idleChoices = []int{30, 90, 180, 365}

func (s *Server) handleAdminUsers() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f := tropic.UserFilter{IncludeDisabled: true, Role: tropic.Role(q.Get("role")), Status: tropic.UserStatus(q.Get("status")), MFA: q.Get("mfa")}
		f.AgencyID, _ = strconv.ParseInt(q.Get("agency"), 10, 64)
		days, _ := strconv.Atoi(q.Get("idle"))
		if days > 0 {
			f.NotSignedInSince = s.now().AddDate(0, 0, -days)
		}
		users, err := s.deps.UserAdmin.FindUsersAs(r.Context(), actorOf(r), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &adminUsersPage{AdminLayout: s.adminLayout(r, "Users", "users"), Filtered: len(q) > 0}
		if p.RunsPartnership {
			if p.Agencies, err = s.agencyOptions(r, f.AgencyID, "Any agency"); err != nil {
				s.serverError(w, r, err)
				return
			}
		}
		if p.Roles, err = s.userRoleFilter(r, p.RunsPartnership, f.Role); err != nil {
			s.serverError(w, r, err)
			return
		}
		p.Statuses = []selectOption{{Value: "", Label: "Any status"}}
		for _, st := range []tropic.UserStatus{tropic.UserActive, tropic.UserInvited, tropic.UserDisabled} {
			p.Statuses = append(p.Statuses, selectOption{Value: string(st), Label: st.Label(), Selected: st == f.Status})
		}
		p.MFAs = []selectOption{{Value: "", Label: "Any"}}
		for _, o := range []selectOption{{Value: tropic.MFAApp, Label: "Authenticator app"}, {Value: tropic.MFAKey, Label: "Security key"},
			{Value: tropic.MFASSO, Label: "Single sign-on"}, {Value: tropic.MFANone, Label: "None set up"}} {
			o.Selected = o.Value == f.MFA
			p.MFAs = append(p.MFAs, o)
		}
		p.Idle = []selectOption{{Value: "", Label: "Any time"}}
		for _, d := range idleChoices {
			p.Idle = append(p.Idle, selectOption{Value: strconv.Itoa(d), Label: "Not for " + strconv.Itoa(d) + " days", Selected: d == days})
		}
		for _, u := range users {
			p.Rows = append(p.Rows, adminRow(u))
		}
		s.render(w, r, http.StatusOK, "admin_users", p)
	})
}

// userRoleFilter is the role filter's choices. An agency administrator, who sees only
// their own agency's users, is offered the partnership administrator's role only when
// one of those users holds it (a partnership administrator is in some agency); the
// filter chosen stays offered, so that the form shows what was asked.
func (s *Server) userRoleFilter(r *http.Request, partnership bool, chosen tropic.Role) ([]selectOption, error) {
	offerPartnership := partnership || chosen == tropic.RolePartnershipAdmin
	if !offerPartnership {
		held, err := s.deps.UserAdmin.FindUsersAs(r.Context(), actorOf(r), tropic.UserFilter{IncludeDisabled: true, Role: tropic.RolePartnershipAdmin})
		if err != nil {
			return nil, err
		}
		offerPartnership = len(held) > 0
	}
	out := []selectOption{{Value: "", Label: "Any role"}}
	for _, role := range tropic.Roles {
		if role == tropic.RolePartnershipAdmin && !offerPartnership {
			continue
		}
		out = append(out, selectOption{Value: string(role), Label: role.Label(), Selected: role == chosen})
	}
	return out, nil
}

func adminRow(u *tropic.User) adminUserRow {
	row := adminUserRow{ID: u.ID, Name: u.Name, Email: u.Email, Agency: u.Agency.Name, Status: u.Status().Label(),
		LastSignIn: lastSignIn(u), MFA: mfaLabel(u)}
	for i, r := range u.Roles {
		if i > 0 {
			row.Roles += ", "
		}
		row.Roles += r.Label()
	}
	switch u.Status() {
	case tropic.UserDisabled:
		row.StatusTag = "govuk-tag--grey"
	case tropic.UserInvited:
		row.StatusTag = "govuk-tag--blue"
	default:
		row.StatusTag = "govuk-tag--green"
	}
	return row
}

func lastSignIn(u *tropic.User) string {
	if u.LastLoginAt.IsZero() {
		return "Never"
	}
	return displayDateTime(u.LastLoginAt)
}

func mfaLabel(u *tropic.User) string {
	if kinds := u.MFAKinds(); len(kinds) > 0 {
		return strings.Join(kinds, ", ")
	}
	return "Not set up"
}

type adminUserPage struct {
	AdminLayout
	U            adminUserRow
	Disabled     bool
	Invited      bool
	MustChange   bool
	MFAEnrolled  bool
	Invite       string // the newest invitation's state, "" for none
	CanMail      bool
	RoleOptions  []selectOption
	RolesHint    string
	AgencyChoice []selectOption // only for a partnership administrator
	Self         bool
}

func (s *Server) handleAdminUser() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathID(w, r)
		if !ok {
			return
		}
		s.renderAdminUser(w, r, id, http.StatusOK, nil, nil)
	})
}

// renderAdminUser shows the user's page, with the problems of a refused form and the
// roles as typed when given.
func (s *Server) renderAdminUser(w http.ResponseWriter, r *http.Request, id int64, status int, problems []FieldError, typedRoles []tropic.Role) {
	u, err := s.deps.UserAdmin.FindUserAs(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &adminUserPage{AdminLayout: s.adminLayout(r, u.Name, "users"), U: adminRow(u), Disabled: u.Disabled, Invited: u.Invited,
		MustChange: u.MustChangePassword, MFAEnrolled: u.MFAEnrolled, CanMail: s.deps.Mail != nil && s.deps.Invites != nil,
		Self: u.ID == userFrom(r.Context()).ID}
	p.Errors = problems
	held := u.Roles
	if typedRoles != nil {
		held = typedRoles
	}
	p.RoleOptions = roleOptions(held, p.RunsPartnership)
	p.RolesHint = "Nobody can give themselves a role."
	if !p.RunsPartnership {
		p.RolesHint += " Only a partnership administrator gives the partnership administrator role."
	}
	if p.RunsPartnership {
		if p.AgencyChoice, err = s.agencyOptions(r, u.AgencyID, ""); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if s.deps.Invites != nil {
		inv, err := s.deps.Invites.LatestInvite(r.Context(), actorOf(r), u.ID)
		switch {
		case err == nil:
			p.Invite = inviteState(inv, s.now())
		case tropic.ErrorCode(err) != tropic.ENOTFOUND:
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, status, "admin_user", p)
}

// inviteState says where an invitation stands, for the user's page.
func inviteState(inv *tropic.Invite, now time.Time) string {
	switch {
	case !inv.UsedAt.IsZero():
		return "Used " + displayDateTime(inv.UsedAt)
	case inv.Superseded:
		return "Replaced by a newer invitation"
	case !now.Before(inv.ExpiresAt):
		return "Expired " + displayDateTime(inv.ExpiresAt)
	}
	return "Sent " + displayDateTime(inv.CreatedAt) + "; the link works until " + displayDateTime(inv.ExpiresAt)
}

// userPath is the address of a user's administration page.
func userPath(id int64) string { return "/admin/users/" + url.PathEscape(strconv.FormatInt(id, 10)) }
