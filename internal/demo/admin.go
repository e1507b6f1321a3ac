package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"tropic/internal/auth"
	"tropic/internal/tropic"
)

// The administration part of the demo (issue 13 item 11): a partnership
// administrator, and something on each administration page: a pending invitation, a
// leaver to review, and a history of changes.

// AdminServices are what SeedAdministration writes through.
type AdminServices struct {
	Agencies tropic.AgencyService
	Users    interface {
		tropic.UserService
		tropic.UserAdmin
	}
	Invites tropic.InviteService
	// Reference is the reference data edited in the browser; nil: the demo leaves it
	// as the migrations made it.
	Reference tropic.ReferenceDataService
	// SSO and SecurityKeys give the users list its other second factors; nil: none.
	SSO          tropic.SSOService
	SecurityKeys tropic.SecurityKeyService
	SetNow       func(time.Time) // moves the store's clock; the zero time hands it back
}

// PartnershipAdminEmail is the demo's partnership administrator.
var PartnershipAdminEmail = "partnership.admin@" + EmailDomain

// SeedAdministration adds the partnership administrator (to the county council, where
// the partnership's coordinator sits) and the administration pages' data, as of now.
func SeedAdministration(ctx context.Context, g *Generator, s AdminServices, passwordHash string, now time.Time) ([]Account, error) {
	defer s.SetNow(time.Time{})
	county, err := s.Agencies.FindAgencyByName(ctx, "Hertfordshire County Council")
	if err != nil {
		return nil, fmt.Errorf("demo administration: %w", err)
	}
	police, err := s.Agencies.FindAgencyByName(ctx, "Hertfordshire Constabulary Modern Slavery Unit")
	if err != nil {
		return nil, fmt.Errorf("demo administration: %w", err)
	}
	system := tropic.SystemActor("tropic demo")
	pa := &tropic.User{Email: PartnershipAdminEmail, Name: g.Name(), AgencyID: county.ID, Roles: []tropic.Role{tropic.RolePartnershipAdmin}}
	s.SetNow(now.AddDate(0, 0, -30))
	if err := s.Users.CreateUser(ctx, system, pa, passwordHash); err != nil {
		return nil, fmt.Errorf("demo partnership administrator: %w", err)
	}
	partnership := tropic.ActorFor(pa)

	// A leaver: a police caseworker added 200 days ago who has not signed in since.
	s.SetNow(now.AddDate(0, 0, -200))
	leaver := &tropic.User{Email: "former.caseworker.police@" + EmailDomain, Name: g.Name(), AgencyID: police.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
	if err := s.Users.CreateUser(ctx, system, leaver, passwordHash); err != nil {
		return nil, fmt.Errorf("demo leaver: %w", err)
	}

	// Some history by the partnership administrator, a week ago.
	s.SetNow(now.AddDate(0, 0, -7))
	police.InboxEmail = "msu.inbox@" + EmailDomain
	if err := s.Agencies.UpdateAgency(ctx, partnership, police); err != nil {
		return nil, fmt.Errorf("demo agency change: %w", err)
	}
	if err := s.Users.SetRoles(ctx, partnership, leaver.ID, []tropic.Role{tropic.RoleCaseworker, tropic.RoleSupervisor}); err != nil {
		return nil, fmt.Errorf("demo roles change: %w", err)
	}
	if err := s.Users.RequirePasswordChange(ctx, partnership, leaver.ID); err != nil {
		return nil, fmt.Errorf("demo password request: %w", err)
	}
	if err := seedReferenceHistory(ctx, s, partnership, now); err != nil {
		return nil, err
	}

	if err := seedSecondFactors(ctx, g, s, partnership, county, police, passwordHash, now); err != nil {
		return nil, err
	}

	// A pending invitation, sent yesterday by the police administrator. Its link was
	// never e-mailed: nobody holds the secret, and it expires in two days.
	s.SetNow(now.AddDate(0, 0, -1))
	if admin, err := s.Users.FindUserByEmail(ctx, "admin.police@"+EmailDomain); err == nil {
		_, hash, err := tropic.NewInviteSecret()
		if err != nil {
			return nil, err
		}
		invitee := &tropic.User{Email: "new.starter.police@" + EmailDomain, Name: g.Name(), AgencyID: police.ID, Roles: []tropic.Role{tropic.RoleTriage}}
		if _, err := s.Invites.InviteUser(ctx, tropic.ActorFor(admin), invitee, hash); err != nil {
			return nil, fmt.Errorf("demo invitation: %w", err)
		}
	}
	return []Account{{Email: pa.Email, Agency: county.Name, Roles: pa.Roles}}, nil
}

// seedReferenceHistory gives the reference data pages a history, leaving the settings
// as Tropic's defaults (the demo's figures assume them): an answer to "how did you
// hear" added for a local radio campaign and another reworded; the disclosure
// threshold raised to 6 for a quarter's trial and put back to 5.
func seedReferenceHistory(ctx context.Context, s AdminServices, partnership tropic.Actor, now time.Time) error {
	if s.Reference == nil {
		return nil
	}
	s.SetNow(now.AddDate(0, 0, -100))
	if err := s.Reference.SetSetting(ctx, partnership, tropic.SettingDisclosureThreshold, "6"); err != nil {
		return fmt.Errorf("demo threshold: %w", err)
	}
	s.SetNow(now.AddDate(0, 0, -20))
	if err := s.Reference.AddHowHeardOption(ctx, partnership, tropic.HowHeardOption{Code: "local_radio", Label: "A local radio programme"}); err != nil {
		return fmt.Errorf("demo how-heard answer: %w", err)
	}
	if err := s.Reference.UpdateHowHeardOption(ctx, partnership, tropic.HowHeardOption{Code: "search", Label: "Searching online, for example on Google"}); err != nil {
		return fmt.Errorf("demo how-heard wording: %w", err)
	}
	s.SetNow(now.AddDate(0, 0, -10))
	if err := s.Reference.SetSetting(ctx, partnership, tropic.SettingDisclosureThreshold, strconv.Itoa(tropic.DefaultDisclosureThreshold)); err != nil {
		return fmt.Errorf("demo threshold: %w", err)
	}
	return nil
}

// seedSecondFactors gives the users list's "Second factor" column and filter more than
// the authenticator app: a council officer whose account was made at a first sign-in
// through the council's identity provider (no role, no Tropic password) and then given
// the caseworker role by the partnership administrator; and a police triage officer
// with a security key as well as an app. Neither is a demo account to sign in with:
// the demo configures no identity provider, and the key is not a real one.
func seedSecondFactors(ctx context.Context, g *Generator, s AdminServices, partnership tropic.Actor, county, police *tropic.Agency, passwordHash string, now time.Time) error {
	if s.SSO != nil {
		s.SetNow(now.AddDate(0, 0, -12))
		p := &tropic.SSOProvider{ID: "herts-county", Label: "Hertfordshire County Council account", AgencyID: county.ID,
			Issuer: "https://login.microsoftonline.com/00000000-0000-4000-8000-000000000000/v2.0", Domains: []string{EmailDomain}}
		verified := true
		u, _, err := s.SSO.SignInWithSSO(ctx, p, tropic.SSOIdentity{Issuer: p.Issuer, Subject: "demo-sso-officer",
			Email: "sso.officer.council@" + EmailDomain, EmailVerified: &verified, Name: g.Name()})
		if err != nil {
			return fmt.Errorf("demo single sign-on user: %w", err)
		}
		s.SetNow(now.AddDate(0, 0, -11))
		if err := s.Users.SetRoles(ctx, partnership, u.ID, []tropic.Role{tropic.RoleCaseworker}); err != nil {
			return fmt.Errorf("demo single sign-on user's role: %w", err)
		}
	}
	if s.SecurityKeys != nil {
		s.SetNow(now.AddDate(0, 0, -40))
		u := &tropic.User{Email: "key.holder.police@" + EmailDomain, Name: g.Name(), AgencyID: police.ID, Roles: []tropic.Role{tropic.RoleTriage}}
		if err := s.Users.CreateUser(ctx, tropic.SystemActor("tropic demo"), u, passwordHash); err != nil {
			return fmt.Errorf("demo security key user: %w", err)
		}
		secret, _, err := auth.NewTOTPSecret("Tropic", u.Email)
		if err != nil {
			return err
		}
		if err := s.Users.EnrolMFA(ctx, u.ID, secret, 1); err != nil {
			return fmt.Errorf("demo security key user's app: %w", err)
		}
		if err := s.SecurityKeys.AddSecurityKey(ctx, tropic.ActorFor(u), &tropic.SecurityKey{UserID: u.ID, Name: "YubiKey 5C",
			CredentialID: "demo-key-not-real", Data: []byte(`{}`)}); err != nil {
			return fmt.Errorf("demo security key: %w", err)
		}
	}
	return nil
}
