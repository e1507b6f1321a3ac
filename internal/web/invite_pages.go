package web

import (
	"net/http"

	"tropic/internal/tropic"
)

// Choosing a password: from an invitation link (anyone holding it), or at sign-in when
// an administrator asked for a new one (after the second factor).

type setPasswordPage struct {
	Layout
	Heading string
	Intro   string
	Action  string
	Email   string // for password managers: the account the password is for
}

// inviteFrom finds the invitation of the link in the path and says plainly why it
// cannot be used, if it cannot.
func (s *Server) inviteFrom(w http.ResponseWriter, r *http.Request) (*tropic.Invite, bool) {
	secret := r.PathValue("token")
	var inv *tropic.Invite
	var err error = tropic.Errorf(tropic.ENOTFOUND, "")
	if s.deps.Invites != nil && len(secret) >= 32 && len(secret) <= 64 {
		inv, err = s.deps.Invites.FindInvite(r.Context(), tropic.HashSecret(secret))
	}
	switch {
	case tropic.ErrorCode(err) == tropic.ENOTFOUND:
		s.inviteRefused(w, r, http.StatusNotFound, "This invitation link is not valid. Check that you copied the whole link from the e-mail, or ask your administrator for a new one.")
		return nil, false
	case err != nil:
		s.serverError(w, r, err)
		return nil, false
	}
	if err := inv.Usable(s.now()); err != nil {
		s.inviteRefused(w, r, http.StatusGone, tropic.ErrorMessage(err))
		return nil, false
	}
	return inv, true
}

func (s *Server) inviteRefused(w http.ResponseWriter, r *http.Request, status int, message string) {
	p := &errorPage{Layout: s.signInLayout(r, "This invitation link cannot be used"), Heading: "This invitation link cannot be used", Message: message, Status: status}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "error", p)
}

func (s *Server) invitePage(r *http.Request, inv *tropic.Invite) *setPasswordPage {
	next := "; next you will set up an authenticator app on your phone."
	if s.cfg.MFAWaived { // the demo: signed straight in (handleInviteAccept)
		next = ". This demonstration server asks for no second step of signing in, so you will not set up an authenticator app."
	}
	return &setPasswordPage{Layout: s.signInLayout(r, "Choose your password"), Heading: "Choose your password",
		Intro:  "Welcome to Tropic for " + inv.User.Agency.Name + ". Choose the password you will sign in with" + next,
		Action: r.URL.Path, Email: inv.User.Email}
}

func (s *Server) handleInviteForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Referrer-Policy", "no-referrer")
		inv, ok := s.inviteFrom(w, r)
		if !ok {
			return
		}
		s.render(w, r, http.StatusOK, "set_password", s.invitePage(r, inv))
	})
}

func (s *Server) handleInviteAccept() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Referrer-Policy", "no-referrer")
		if !s.parseForm(w, r) {
			return
		}
		inv, ok := s.inviteFrom(w, r)
		if !ok {
			return
		}
		hash, problems := s.newPassword(r)
		if problems != nil {
			p := s.invitePage(r, inv)
			p.Errors = problems
			s.render(w, r, http.StatusUnprocessableEntity, "set_password", p)
			return
		}
		u, err := s.deps.Invites.AcceptInvite(r.Context(), tropic.HashSecret(r.PathValue("token")), hash)
		if code := tropic.ErrorCode(err); code == tropic.ECONFLICT || code == tropic.ENOTFOUND {
			s.inviteRefused(w, r, http.StatusGone, tropic.ErrorMessage(err))
			return
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
		// Holding the link proved the address: on to the second factor, as after a
		// right password, in a new session.
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			s.serverError(w, r, err)
			return
		}
		if s.cfg.MFAWaived {
			s.completeLogin(w, r, u.ID, "invitation; multi-factor authentication waived (demo)", "/staff")
			return
		}
		s.awaitSecondFactor(w, r, u, u.MFAEnrolled, "/staff")
	})
}

// newPassword reads and checks the new password and its confirmation, and hashes it;
// problems name the field.
func (s *Server) newPassword(r *http.Request) (string, []FieldError) {
	pw, again := r.PostFormValue("password"), r.PostFormValue("confirm")
	if err := tropic.ValidatePassword(pw); err != nil {
		return "", errorsFrom(err, "password")
	}
	if pw != again {
		return "", []FieldError{{Field: "confirm", Message: "Type the same password again to confirm it"}}
	}
	var hash string
	var err error
	if !s.inHashSlot(func() { hash, err = s.deps.Passwords.HashPassword(pw) }) {
		return "", []FieldError{{Field: "password", Message: "Too many people are signing in at this moment. Wait a few seconds and try again."}}
	}
	if err != nil {
		return "", []FieldError{{Field: "password", Message: "The password could not be stored. Try again."}}
	}
	return hash, nil
}

// handleNewPasswordForm asks a user signing in for the new password an administrator
// asked them to choose; only once their second factor has passed.
func (s *Server) handleNewPasswordForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login, ok := s.pendingNewPassword(w, r)
		if !ok {
			return
		}
		s.render(w, r, http.StatusOK, "set_password", s.newPasswordPage(r, login))
	})
}

func (s *Server) newPasswordPage(r *http.Request, login *tropic.Login) *setPasswordPage {
	return &setPasswordPage{Layout: s.signInLayout(r, "Choose a new password"), Heading: "Choose a new password",
		Intro:  "Your administrator has asked you to choose a new password before you go on. Choose one you have not used before.",
		Action: "/login/password", Email: login.User.Email}
}

func (s *Server) handleNewPassword() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		login, ok := s.pendingNewPassword(w, r)
		if !ok {
			return
		}
		hash, problems := s.newPassword(r)
		if problems == nil {
			if ok, _ := s.deps.Passwords.VerifyPassword(r.PostFormValue("password"), login.PasswordHash); ok {
				problems = []FieldError{{Field: "password", Message: "Choose a password different from the one you have now"}}
			}
		}
		if problems != nil {
			p := s.newPasswordPage(r, login)
			p.Errors = problems
			s.render(w, r, http.StatusUnprocessableEntity, "set_password", p)
			return
		}
		if err := s.deps.UserAdmin.ChangePasswordAtSignIn(r.Context(), login.User.ID, hash); err != nil {
			s.serverError(w, r, err)
			return
		}
		method := s.sessions.GetString(r.Context(), sessPendingNewPassword) + "; new password chosen"
		s.completeLogin(w, r, login.User.ID, method, safeNext(s.sessions.GetString(r.Context(), sessNext)))
	})
}

// pendingNewPassword is the user asked for a new password whose second factor has
// passed; anyone else goes back to sign in.
func (s *Server) pendingNewPassword(w http.ResponseWriter, r *http.Request) (*tropic.Login, bool) {
	if s.deps.UserAdmin == nil || s.sessions.GetString(r.Context(), sessPendingNewPassword) == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil, false
	}
	return s.pendingLogin(w, r)
}
