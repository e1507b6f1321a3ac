package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
)

func TestSecurityKeyCeremoniesRefuseWhatWasNotAskedFor(t *testing.T) {
	t.Parallel()
	ts, _ := keyServer(t)
	ts.addUser("sam@police.example")
	c := ts.client(t)
	c.enrol("sam@police.example")
	jsonPost := func(path, body string) *response {
		return c.postRaw(path, body, "Content-Type", "application/json")
	}

	t.Run("Adding a key answers the options for this user, with a fresh challenge each time.", func(t *testing.T) {
		res := jsonPost("/account/security-keys/begin", `{"name": "Blue key"}`)
		wantStatus(t, res, http.StatusOK)
		var opts protocol.CredentialCreation
		if err := json.Unmarshal([]byte(res.body), &opts); err != nil || opts.Response.RelyingParty.ID != "localhost" || opts.Response.User.Name != "sam@police.example" {
			t.Fatalf("options %s (%v)", res.body, err)
		}
		again := jsonPost("/account/security-keys/begin", `{"name": "Blue key"}`)
		if again.body == res.body {
			t.Error("the same challenge twice")
		}
	})
	t.Run("A key without a name is refused, naming the field.", func(t *testing.T) {
		res := jsonPost("/account/security-keys/begin", `{"name": " "}`)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `"field":"name"`)
	})
	t.Run("An answer that is no attestation is refused, and uses up the challenge.", func(t *testing.T) {
		jsonPost("/account/security-keys/begin", `{"name": "Blue key"}`)
		wantStatus(t, jsonPost("/account/security-keys", `{"name": "Blue key", "credential": {"id": "x"}}`), http.StatusBadRequest)
		wantStatus(t, jsonPost("/account/security-keys", `{"name": "Blue key", "credential": {"id": "x"}}`), http.StatusBadRequest)
	})
	t.Run("Not confirmed recently, adding a key is refused.", func(t *testing.T) {
		ts.clock.Advance(ts.cfg.ReauthWindow)
		wantStatus(t, jsonPost("/account/security-keys/begin", `{"name": "Blue key"}`), http.StatusForbidden)
		wantRedirect(t, c.get("/account/security-keys"), "/account/confirm?next=%2Faccount%2Fsecurity-keys")
	})
	t.Run("At sign-in, the key ceremony needs a password just checked.", func(t *testing.T) {
		o := ts.client(t)
		wantStatus(t, o.postRaw("/login/mfa/security-key/begin", `{}`, "Content-Type", "application/json"), http.StatusUnauthorized)
		wantRedirect(t, o.login("sam@police.example", testPassword, ""), "/login/mfa")
		res := o.postRaw("/login/mfa/security-key/begin", `{}`, "Content-Type", "application/json")
		wantStatus(t, res, http.StatusNotFound) // Sam has no key yet
		wantContains(t, res.body, "no security key")
		wantStatus(t, o.postRaw("/login/mfa/security-key", `{}`, "Content-Type", "application/json"), http.StatusBadRequest)
		wantRedirect(t, o.get("/staff"), "/login")
	})
}

// FuzzWebAuthnJSON: whatever a browser (or an attacker) posts to the ceremonies, the
// parsers answer or refuse without a panic.
func FuzzWebAuthnJSON(f *testing.F) {
	for _, seed := range []string{`{"name":"Blue key","credential":{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"oA"}}}`,
		`{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AAAA","signature":"AAAA"}}`,
		`{}`, `[]`, `null`, `{"credential":null}`, `{"name":` + strings.Repeat("[", 100)} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if req, err := parseKeyRequest(body); err == nil {
			_, _ = protocol.ParseCredentialCreationResponseBytes(req.Credential)
		}
		_, _ = protocol.ParseCredentialRequestResponseBytes(body)
	})
}
