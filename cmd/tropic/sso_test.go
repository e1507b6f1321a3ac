package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeSSOConfig(t *testing.T, agency, secretEnv string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sso.json")
	cfg := `{"providers": [{"id": "testshire", "label": "Testshire Police account", "agency": "` + agency + `",
		"issuer": "https://login.testshire.example/v2.0", "client_id": "tropic", "client_secret_env": "` + secretEnv + `",
		"email_domains": ["testshire.example"], "trust_provider_mfa": true}]}`
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestServeReadsTheSingleSignOnConfiguration(t *testing.T) {
	vars := adminSetup(t, filepath.Join(t.TempDir(), "tropic.db"))
	withSecret := map[string]string{"TROPIC_SSO_SECRET": "s3cret"}
	for k, v := range vars {
		withSecret[k] = v
	}
	t.Run("A provider of an agency that does not exist stops serve, naming it.", func(t *testing.T) {
		_, _, err := tropicCmd(t, withSecret, "", "serve", "--sso-config", writeSSOConfig(t, "Nowhere Police", "TROPIC_SSO_SECRET"))
		if err == nil || !strings.Contains(err.Error(), `no agency is named "Nowhere Police"`) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("A provider whose secret is not set stops serve, naming the variable.", func(t *testing.T) {
		_, _, err := tropicCmd(t, vars, "", "serve", "--sso-config", writeSSOConfig(t, "Testshire Police", "TROPIC_SSO_UNSET"))
		if err == nil || !strings.Contains(err.Error(), "TROPIC_SSO_UNSET") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("With the configuration, the sign-in page offers the agency's account.", func(t *testing.T) {
		inst := start(t, withSecret, "serve", "--sso-config", writeSSOConfig(t, "Testshire Police", "TROPIC_SSO_SECRET"))
		res, err := http.Get(inst.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(body), `href="/login/sso/testshire"`) || !strings.Contains(string(body), "Sign in with Testshire Police account") {
			t.Errorf("the sign-in page:\n%s", body)
		}
	})
}
