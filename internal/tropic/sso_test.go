package tropic

import (
	"strings"
	"testing"
)

func TestParseSSOProviders(t *testing.T) {
	good := `{"providers": [{"id": "herts-police", "label": "Hertfordshire Constabulary account", "agency": "Hertfordshire Constabulary",
		"issuer": "https://login.microsoftonline.com/tenant/v2.0", "client_id": "abc", "client_secret_env": "TROPIC_SSO_HERTS_SECRET",
		"email_domains": ["@Herts.Police.example"], "emails": ["Contractor@Else.example"], "trust_provider_mfa": true}]}`
	ps, err := ParseSSOProviders([]byte(good))
	if err != nil || len(ps) != 1 {
		t.Fatalf("%v, %v", ps, err)
	}
	p := ps[0]
	if p.Domains[0] != "herts.police.example" || p.Emails[0] != "contractor@else.example" || p.MFAMethods[0] != "mfa" {
		t.Errorf("normalised: %+v", p)
	}
	for email, want := range map[string]bool{"sam@herts.police.example": true, "SAM@HERTS.POLICE.EXAMPLE": true, "contractor@else.example": true,
		"sam@evil-herts.police.example": false, "sam@police.example": false, "herts.police.example": false, "@herts.police.example": false, "other@else.example": false} {
		if got := p.Admits(email); got != want {
			t.Errorf("Admits(%q) = %v, want %v", email, got, want)
		}
	}
	bad := map[string]string{
		"no secret":            `{"providers": [{"id": "x", "label": "X", "agency": "A", "issuer": "https://x.example", "client_id": "c", "email_domains": ["x.example"]}]}`,
		"a secret in the file": `{"providers": [{"id": "x", "label": "X", "agency": "A", "issuer": "https://x.example", "client_id": "c", "client_secret": "s", "email_domains": ["x.example"]}]}`,
		"plain http":           `{"providers": [{"id": "x", "label": "X", "agency": "A", "issuer": "http://x.example", "client_id": "c", "client_secret_env": "S", "email_domains": ["x.example"]}]}`,
		"no addresses":         `{"providers": [{"id": "x", "label": "X", "agency": "A", "issuer": "https://x.example", "client_id": "c", "client_secret_env": "S"}]}`,
		"an id with a slash":   `{"providers": [{"id": "x/y", "label": "X", "agency": "A", "issuer": "https://x.example", "client_id": "c", "client_secret_env": "S", "email_domains": ["x.example"]}]}`,
		"the same id twice":    `{"providers": [{"id": "x", "label": "X", "agency": "A", "issuer": "https://x.example", "client_id": "c", "client_secret_env": "S", "email_domains": ["x.example"]}, {"id": "x", "label": "X", "agency": "A", "issuer": "https://x.example", "client_id": "c", "client_secret_env": "S", "email_domains": ["x.example"]}]}`,
		"not JSON":             `providers:`,
	}
	for name, cfg := range bad {
		if _, err := ParseSSOProviders([]byte(cfg)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestVouchesForMFA(t *testing.T) {
	p := &SSOProvider{TrustMFA: true, MFAMethods: []string{"mfa"}, MFAACRValues: []string{"urn:example:loa:high"}}
	cases := []struct {
		name string
		p    *SSOProvider
		id   SSOIdentity
		want bool
	}{
		{"amr says mfa", p, SSOIdentity{AMR: []string{"pwd", "mfa"}}, true},
		{"amr says only a password", p, SSOIdentity{AMR: []string{"pwd"}}, false},
		{"a trusted acr", p, SSOIdentity{ACR: "urn:example:loa:high"}, true},
		{"another acr", p, SSOIdentity{ACR: "1"}, false},
		{"mfa from a provider the agency does not trust", &SSOProvider{MFAMethods: []string{"mfa"}}, SSOIdentity{AMR: []string{"mfa"}}, false},
	}
	for _, c := range cases {
		if got := c.p.VouchesForMFA(c.id); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if !strings.Contains(ErrorMessage(MaySignInWithSSO(&SSOProvider{Issuer: "i", Label: "L", Domains: []string{"a.example"}}, SSOIdentity{Issuer: "i", Subject: "s", Email: "x@b.example"})), "not one of the agency") {
		t.Error("an address of another domain is not refused by name")
	}
}
