package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// Forgotten passwords (issue 13 item 7): a link by e-mail, working once for an hour,
// stored as a hash. The page answers the same whether or not the address has an
// account, and the e-mail is looked up and sent after the answer, in the background,
// so that not even the time taken tells.

// Throttles of forgotten-password requests: per address asked for, and per client.
const (
	resetPerAddress       = 3
	resetPerClient        = 10
	resetLimitWindow      = time.Hour
	newPasswordHint       = "At least 12 characters. A phrase of three or four unrelated words is strong and easy to remember. Common passwords are refused."
	passwordResetMailWait = 30 * time.Second
)

type passwordForgotPage struct {
	Layout
	Email  string
	Sent   bool
	MailOn bool
}

type passwordResetPage struct {
	Layout
	Token        string
	Bad          bool // the link is unknown, used or expired
	PasswordHint string
}

func (s *Server) handlePasswordForgotForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &passwordForgotPage{Layout: s.signInLayout(r, "Forgotten your password?"), MailOn: s.deps.Mail != nil}
		s.render(w, r, http.StatusOK, "password_forgot", p)
	})
}

func (s *Server) handlePasswordForgot() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		p := &passwordForgotPage{Layout: s.signInLayout(r, "Forgotten your password?"), MailOn: s.deps.Mail != nil,
			Email: strings.TrimSpace(r.PostFormValue("email"))}
		if !p.MailOn {
			s.render(w, r, http.StatusOK, "password_forgot", p)
			return
		}
		if msg := emailProblem(p.Email); msg != "" {
			p.Errors = []FieldError{{Field: "email", Message: msg}}
			s.render(w, r, http.StatusUnprocessableEntity, "password_forgot", p)
			return
		}
		if ok, wait := s.resetClientLimiter.Reserve(s.clientAddr(r)); !ok {
			setRetryAfter(w, wait)
			p.Errors = []FieldError{{Field: "email", Message: fmt.Sprintf("There have been too many requests from your network. Try again in %d minutes.", int(wait.Minutes())+1)}}
			s.render(w, r, http.StatusTooManyRequests, "password_forgot", p)
			return
		}
		// Over the per-address limit, nothing more is sent, and the page says what it
		// says for any address: the limit tells nobody whether the account exists.
		if ok, _ := s.resetAddressLimiter.Reserve(tropic.NormaliseEmail(p.Email)); ok {
			email := p.Email
			s.inBackground(func(ctx context.Context) { s.sendPasswordReset(ctx, email) })
		}
		p.Sent = true
		s.render(w, r, http.StatusOK, "password_forgot", p)
	})
}

// sendPasswordReset stores a link for the account at email, if there is one that may
// have it, and e-mails it. Nothing is said to anyone when there is none.
func (s *Server) sendPasswordReset(ctx context.Context, email string) {
	token := rand.Text()
	u, err := s.deps.Credentials.RequestPasswordReset(ctx, email, tropic.HashSecret(token))
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return
	} else if err != nil {
		s.log.Error("password reset", "error", err.Error())
		return
	}
	body := fmt.Sprintf(`Someone asked to reset the password of your %s Tropic account.

To choose a new password, open this link. It works once, for 1 hour:

%s/password/reset?token=%s

If you did not ask, you can ignore this email: your password has not changed.
`, s.cfg.PartnershipName, strings.TrimRight(s.cfg.BaseURL, "/"), token)
	if err := s.deps.Mail.Send(ctx, []string{u.Email}, "Reset your Tropic password", body); err != nil {
		s.log.Error("send password reset", "user", u.ID, "error", err.Error())
	}
}

// inBackground runs f after the response, with a context that outlives the request
// but not passwordResetMailWait; Server.wait waits for every such call (tests).
func (s *Server) inBackground(f func(ctx context.Context)) {
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		ctx, cancel := context.WithTimeout(context.Background(), passwordResetMailWait)
		defer cancel()
		f(ctx)
	}()
}

func (s *Server) handlePasswordResetForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &passwordResetPage{Layout: s.signInLayout(r, "Choose a new password"), Token: r.URL.Query().Get("token"), PasswordHint: newPasswordHint}
		if err := s.deps.Credentials.CheckPasswordReset(r.Context(), tropic.HashSecret(p.Token)); err != nil {
			s.badResetLink(w, r, p, err)
			return
		}
		s.render(w, r, http.StatusOK, "password_reset", p)
	})
}

// badResetLink shows that a link does not work (or fails on another error).
func (s *Server) badResetLink(w http.ResponseWriter, r *http.Request, p *passwordResetPage, err error) {
	if tropic.ErrorCode(err) != tropic.EINVALID {
		s.serverError(w, r, err)
		return
	}
	p.Bad, p.Token, p.Title = true, "", "This link does not work"
	s.render(w, r, http.StatusGone, "password_reset", p)
}

func (s *Server) handlePasswordReset() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		p := &passwordResetPage{Layout: s.signInLayout(r, "Choose a new password"), Token: r.PostFormValue("token"), PasswordHint: newPasswordHint}
		tokenHash := tropic.HashSecret(p.Token)
		if err := s.deps.Credentials.CheckPasswordReset(r.Context(), tokenHash); err != nil {
			s.badResetLink(w, r, p, err)
			return
		}
		hash, status, errs := s.newPasswordHash(r.PostFormValue("password"), r.PostFormValue("confirm"))
		if errs != nil {
			p.Errors = errs
			s.render(w, r, status, "password_reset", p)
			return
		}
		if _, err := s.deps.Credentials.ResetPassword(r.Context(), tokenHash, hash); err != nil {
			s.badResetLink(w, r, p, err)
			return
		}
		s.sessions.Destroy(r.Context())
		http.Redirect(w, r, "/login?reset=1", http.StatusSeeOther)
	})
}

// newPasswordHash checks a new password and its confirmation and hashes it, in a
// hashing slot. Refused, it returns the status and the problems to show.
func (s *Server) newPasswordHash(password, confirm string) (string, int, []FieldError) {
	if err := tropic.ValidatePassword(password); err != nil {
		return "", http.StatusUnprocessableEntity, errorsFrom(err, "password")
	}
	if confirm != password {
		return "", http.StatusUnprocessableEntity, []FieldError{{Field: "confirm", Message: "The two passwords are not the same: type the new password again"}}
	}
	var hash string
	var err error
	if !s.inHashSlot(func() { hash, err = s.deps.Passwords.HashPassword(password) }) {
		return "", http.StatusServiceUnavailable, []FieldError{{Field: "password", Message: "Too many people are signing in at this moment. Wait a few seconds and try again."}}
	}
	if err != nil {
		s.log.Error("hash password", "error", err.Error())
		return "", http.StatusInternalServerError, []FieldError{{Field: "password", Message: "Something went wrong. Try again."}}
	}
	return hash, 0, nil
}

// emailProblem says what is wrong with a typed e-mail address, "" if nothing.
func emailProblem(email string) string {
	if email == "" {
		return "Enter your email address"
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 || tropic.HasControlChars(email) {
		return "Enter an email address in the correct format, like name@example.org"
	}
	return ""
}
