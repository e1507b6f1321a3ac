package tropic

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Single sign-on with OpenID Connect (issue 13 item 5). Each provider belongs to one
// agency: the people it signs in are that agency's staff, and only addresses of the
// agency's e-mail domains (or listed one by one) are accepted from it. A first
// sign-in creates the account with no role (an administrator grants roles), or finds
// the account invited or made before under the same address in the same agency.

// DefaultSSOMFAMethods are the "amr" values (RFC 8176) that say the provider checked
// more than one factor, when a provider's configuration names none.
var DefaultSSOMFAMethods = []string{"mfa"}

// SSOProvider is one agency's OpenID provider as configured.
type SSOProvider struct {
	ID           string   `json:"id"`     // in addresses (/login/sso/{id}): lower-case letters, digits and hyphens
	Label        string   `json:"label"`  // the button: "Sign in with <label>"
	Agency       string   `json:"agency"` // the agency's name in Tropic
	AgencyID     int64    `json:"-"`      // resolved from Agency when the service starts
	Issuer       string   `json:"issuer"`
	ClientID     string   `json:"client_id"`
	ClientSecret string   `json:"-"`                            // from SecretEnv or SecretFile, never from the file itself
	SecretEnv    string   `json:"client_secret_env,omitempty"`  // the environment variable holding the client secret
	SecretFile   string   `json:"client_secret_file,omitempty"` // or a file holding it
	Domains      []string `json:"email_domains,omitempty"`      // addresses @ these domains are the agency's
	Emails       []string `json:"emails,omitempty"`             // and these addresses, one by one
	TrustMFA     bool     `json:"trust_provider_mfa,omitempty"` // the provider's multi-factor sign-in stands for Tropic's
	MFAMethods   []string `json:"mfa_amr_values,omitempty"`     // amr values meaning MFA; default DefaultSSOMFAMethods
	MFAACRValues []string `json:"mfa_acr_values,omitempty"`     // acr values meaning MFA; default none
	Scopes       []string `json:"extra_scopes,omitempty"`       // asked for besides openid, email and profile
}

// SSOIdentity is what a verified ID token says of the person signing in.
type SSOIdentity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified *bool // nil: the provider does not say
	Name          string
	AMR           []string
	ACR           string
}

var ssoIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// ParseSSOProviders reads the providers' configuration file: {"providers": [...]}.
// Secrets are not in it (client_secret_env or client_secret_file name where they are).
func ParseSSOProviders(data []byte) ([]SSOProvider, error) {
	var f struct {
		Providers []SSOProvider `json:"providers"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("single sign-on configuration: %w", err)
	}
	seen := map[string]bool{}
	for i := range f.Providers {
		p := &f.Providers[i]
		name := fmt.Sprintf("provider %d (%s)", i+1, p.ID)
		switch {
		case !ssoIDRE.MatchString(p.ID):
			return nil, fmt.Errorf("%s: id must be lower-case letters, digits and hyphens", name)
		case seen[p.ID]:
			return nil, fmt.Errorf("%s: id used twice", name)
		case p.Agency == "" || p.Label == "":
			return nil, fmt.Errorf("%s: give agency and label", name)
		case !strings.HasPrefix(p.Issuer, "https://") && !strings.HasPrefix(p.Issuer, "http://127.0.0.1") && !strings.HasPrefix(p.Issuer, "http://localhost"):
			return nil, fmt.Errorf("%s: issuer must be an https:// address", name)
		case p.ClientID == "":
			return nil, fmt.Errorf("%s: give client_id", name)
		case (p.SecretEnv == "") == (p.SecretFile == ""):
			return nil, fmt.Errorf("%s: give one of client_secret_env and client_secret_file", name)
		case len(p.Domains) == 0 && len(p.Emails) == 0:
			return nil, fmt.Errorf("%s: give email_domains or emails: which addresses are the agency's", name)
		}
		seen[p.ID] = true
		for j, d := range p.Domains {
			p.Domains[j] = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
		}
		for j, e := range p.Emails {
			p.Emails[j] = NormaliseEmail(e)
		}
		if len(p.MFAMethods) == 0 {
			p.MFAMethods = DefaultSSOMFAMethods
		}
	}
	return f.Providers, nil
}

// Admits reports whether email is one of the agency's addresses for this provider.
func (p *SSOProvider) Admits(email string) bool {
	email = NormaliseEmail(email)
	at := strings.LastIndexByte(email, '@')
	if at <= 0 || at == len(email)-1 {
		return false
	}
	return slices.Contains(p.Emails, email) || slices.Contains(p.Domains, email[at+1:])
}

// VouchesForMFA reports whether the agency trusts this provider's second factor and
// the token says one was used.
func (p *SSOProvider) VouchesForMFA(id SSOIdentity) bool {
	if !p.TrustMFA {
		return false
	}
	for _, m := range id.AMR {
		if slices.Contains(p.MFAMethods, m) {
			return true
		}
	}
	return id.ACR != "" && slices.Contains(p.MFAACRValues, id.ACR)
}

// MaySignInWithSSO decides whether a verified identity may sign in through p: it
// needs an e-mail address the provider does not call unverified, of the agency's.
func MaySignInWithSSO(p *SSOProvider, id SSOIdentity) error {
	switch {
	case id.Subject == "" || id.Issuer != p.Issuer:
		return Errorf(EUNAUTHORISED, "The sign-in could not be checked. Try again.")
	case id.Email == "":
		return Errorf(EFORBIDDEN, "Your account did not tell Tropic your email address, so Tropic cannot tell whose account it is. Ask your administrator.")
	case id.EmailVerified != nil && !*id.EmailVerified:
		return Errorf(EFORBIDDEN, "Your account's email address is not verified. Ask your administrator.")
	case !p.Admits(id.Email):
		return Errorf(EFORBIDDEN, "Tropic does not accept this account from %s: its email address is not one of the agency's.", p.Label)
	}
	return nil
}

// SSOConnector speaks OpenID Connect to providers (internal/oidc implements it).
type SSOConnector interface {
	// AuthCodeURL is where to send the browser: the authorisation code flow with
	// state, nonce and a PKCE challenge made from verifier.
	AuthCodeURL(ctx context.Context, p *SSOProvider, redirectURL, state, nonce, verifier string) (string, error)
	// Exchange swaps the code for tokens and returns the ID token's identity after
	// checking its signature, issuer, audience, expiry and nonce.
	Exchange(ctx context.Context, p *SSOProvider, redirectURL, code, verifier, nonce string) (SSOIdentity, error)
}

// AuditSSOLinked is the audit action of an account first signed in through a provider.
const AuditSSOLinked = "user.sso_linked"

// SSOService finds or makes the account behind a single sign-on.
type SSOService interface {
	// SignInWithSSO returns the user identified by id through p, as MaySignInWithSSO
	// allows: the one linked to it before, else the one with its address in p's agency
	// (linked now), else a new one with no role (created true). A user of another
	// agency, or a disabled one, is refused (EFORBIDDEN).
	SignInWithSSO(ctx context.Context, p *SSOProvider, id SSOIdentity) (u *User, created bool, err error)
}
