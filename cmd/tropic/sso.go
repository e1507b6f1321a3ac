package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"tropic/internal/tropic"
)

// loadSSOProviders reads the single sign-on configuration file (--sso-config), takes
// each client secret from the environment variable or file it names, and finds each
// provider's agency. An error names the provider and what is wrong.
func loadSSOProviders(ctx context.Context, e *env, path string, agencies tropic.AgencyService) ([]tropic.SSOProvider, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError(fmt.Sprintf("--sso-config (TROPIC_SSO_CONFIG): %v", err))
	}
	ps, err := tropic.ParseSSOProviders(data)
	if err != nil {
		return nil, usageError("--sso-config (TROPIC_SSO_CONFIG): " + err.Error())
	}
	for i := range ps {
		p := &ps[i]
		if p.SecretEnv != "" {
			p.ClientSecret = e.getenv(p.SecretEnv)
		} else {
			b, err := os.ReadFile(p.SecretFile)
			if err != nil {
				return nil, usageError(fmt.Sprintf("single sign-on provider %s: client secret file: %v", p.ID, err))
			}
			p.ClientSecret = strings.TrimSpace(string(b))
		}
		if p.ClientSecret == "" {
			return nil, usageError(fmt.Sprintf("single sign-on provider %s: the client secret is empty (set %s%s)", p.ID, p.SecretEnv, p.SecretFile))
		}
		a, err := agencies.FindAgencyByName(ctx, p.Agency)
		if tropic.ErrorCode(err) == tropic.ENOTFOUND {
			return nil, usageError(fmt.Sprintf("single sign-on provider %s: no agency is named %q", p.ID, p.Agency))
		} else if err != nil {
			return nil, err
		}
		p.AgencyID = a.ID
	}
	return ps, nil
}
