package main

import (
	"context"
	"fmt"
	"net/url"

	"tropic/internal/notify"
	"tropic/internal/tropic"
)

// tropic user invite: the same invitation as the administration pages make
// (store.InviteService), for scripts and for a partnership's first administrator. The
// link is e-mailed when TROPIC_SMTP_ADDR and TROPIC_MAIL_FROM are set, else printed
// once, to be handed over by a safe channel.

func runUserInvite(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user invite", "--email EMAIL [--name NAME --agency AGENCY --roles ROLES] [options]",
		"Invite a staff account by a single-use link that works for 72 hours: the person chooses\n"+
			"a password, then sets up an authenticator app at their first sign-in. For an account\n"+
			"that exists (a lost invitation, a forgotten password), give --email only: a new link\n"+
			"replaces the old one. The link is e-mailed through TROPIC_SMTP_ADDR and TROPIC_MAIL_FROM\n"+
			"(TROPIC_SMTP_USERNAME, TROPIC_SMTP_PASSWORD, TROPIC_SMTP_TLS as for serve) when they\n"+
			"are set; otherwise it is printed once. Only its hash is stored.")
	email := fs.String("email", "", "the person's e-mail address, used to sign in (required)")
	name := fs.String("name", "", "full name (for a new account)")
	agency := fs.String("agency", "", "the agency's id or exact name (for a new account)")
	roles := fs.String("roles", "", "comma-separated roles (for a new account): triage, caseworker, supervisor, analyst, admin, intake, partnership_admin")
	baseURL := fs.String("base-url", e.getenv("TROPIC_BASE_URL"), "the service's address as staff reach it, for the link (TROPIC_BASE_URL; required)")
	print := fs.Bool("print-link", false, "print the link even when e-mail is set up, and send no e-mail")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if u, err := url.Parse(*baseURL); *baseURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError("--base-url: give the service's address, like https://tropic.partnership.example (or set TROPIC_BASE_URL)")
	}
	if *email == "" {
		return usageError("give --email")
	}
	mailer, err := inviteMailer(e)
	if err != nil {
		return err
	}
	if *print {
		mailer = nil
	}
	return withServices(ctx, e, func(s *services) error {
		secret, hash, err := tropic.NewInviteSecret()
		if err != nil {
			return err
		}
		var inv *tropic.Invite
		if existing, ferr := s.users.FindUserByEmail(ctx, *email); ferr == nil {
			if *name != "" || *agency != "" || *roles != "" {
				return usageError("--email: " + existing.Email + " has an account already; give --email alone to send a new link")
			}
			if inv, err = s.invites.ReinviteUser(ctx, cli, existing.ID, hash); err != nil {
				return describe(err)
			}
		} else {
			rs, err := tropic.ParseRoles(*roles)
			if err != nil {
				return describe(err)
			}
			u := &tropic.User{Email: *email, Name: *name, Roles: rs}
			a, err := agencyFlag(ctx, s, *agency)
			if err != nil {
				return err
			}
			u.AgencyID = a.ID
			if inv, err = s.invites.InviteUser(ctx, cli, u, hash); err != nil {
				return describe(err)
			}
		}
		link := tropic.InviteLink(*baseURL, secret)
		expires := inv.ExpiresAt.Format("2006-01-02 15:04 MST")
		if mailer == nil {
			fmt.Fprintf(e.stdout, "invited %s (%s); the link works once, until %s. Hand it over by a safe channel (shown once):\n%s\n",
				inv.User.Email, inv.User.Agency.Name, expires, link)
			return nil
		}
		partnership := envOr(e, "TROPIC_PARTNERSHIP_NAME", "Anti-Slavery Partnership")
		subject, body := tropic.InviteEmail(partnership, inv.User.Agency.Name, link, inv.ExpiresAt, true)
		if err := mailer.Send(ctx, []string{inv.User.Email}, subject, body); err != nil {
			return fmt.Errorf("the invitation is stored, but the e-mail was not sent (%w); run 'tropic user invite --email %s' again", err, inv.User.Email)
		}
		fmt.Fprintf(e.stdout, "invited %s (%s): the link went by e-mail and works once, until %s\n", inv.User.Email, inv.User.Agency.Name, expires)
		return nil
	})
}

// inviteMailer is the mailer of TROPIC_SMTP_ADDR and TROPIC_MAIL_FROM, or nil when
// e-mail is not set up.
func inviteMailer(e *env) (*notify.Mailer, error) {
	addr, from := e.getenv("TROPIC_SMTP_ADDR"), e.getenv("TROPIC_MAIL_FROM")
	if addr == "" || from == "" {
		return nil, nil
	}
	host, port, err := notify.ParseAddr(addr)
	if err != nil {
		return nil, usageError("TROPIC_SMTP_ADDR: " + err.Error())
	}
	policy, err := notify.ParseTLSPolicy(e.getenv("TROPIC_SMTP_TLS"))
	if err != nil {
		return nil, usageError("TROPIC_SMTP_TLS: " + err.Error())
	}
	m, err := notify.New(notify.Config{Host: host, Port: port, Username: e.getenv("TROPIC_SMTP_USERNAME"),
		Password: e.getenv("TROPIC_SMTP_PASSWORD"), TLS: policy, From: from})
	if err != nil {
		return nil, usageError(err.Error())
	}
	return m, nil
}
