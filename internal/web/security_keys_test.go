package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"

	"tropic/internal/tropic"
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

func TestASecurityKeyIsRemovedByItsOwnerOnly(t *testing.T) {
	t.Parallel()
	ts, _ := keyServer(t)
	sam := ts.addUser("sam@police.example")
	alex := ts.addUser("alex@police.example")
	ctx := context.Background()
	for _, u := range []*tropic.User{sam, alex} {
		if err := ts.srv.deps.SecurityKeys.AddSecurityKey(ctx, tropic.ActorFor(u), &tropic.SecurityKey{UserID: u.ID, Name: "Blue key",
			CredentialID: "cred-" + u.Email, Data: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	alexKeys, _ := ts.srv.deps.SecurityKeys.FindSecurityKeys(ctx, alex.ID)
	c := ts.client(t)
	c.enrol("sam@police.example") // an authenticator app too: the key is not the last second factor
	samKeys, _ := ts.srv.deps.SecurityKeys.FindSecurityKeys(ctx, sam.ID)
	page := c.get("/account/security-keys")
	wantContains(t, page.body, fmt.Sprintf(`action="/account/security-keys/%d/remove"`, samKeys[0].ID))

	wantStatus(t, c.post(fmt.Sprintf("/account/security-keys/%d/remove", alexKeys[0].ID), nil), http.StatusNotFound)
	wantRedirect(t, c.post(fmt.Sprintf("/account/security-keys/%d/remove", samKeys[0].ID), nil), "/account/security-keys?removed=1")
	if left, _ := ts.srv.deps.SecurityKeys.FindSecurityKeys(ctx, alex.ID); len(left) != 1 {
		t.Errorf("Alex's keys: %d, want 1", len(left))
	}
	if left, _ := ts.srv.deps.SecurityKeys.FindSecurityKeys(ctx, sam.ID); len(left) != 0 {
		t.Errorf("Sam's keys: %d, want 0", len(left))
	}
	wantContains(t, c.get("/account/security-keys?removed=1").body, "Your security key has been removed")

	t.Run("Not confirmed recently, removing is sent to confirm first", func(t *testing.T) {
		if err := ts.srv.deps.SecurityKeys.AddSecurityKey(ctx, tropic.ActorFor(sam), &tropic.SecurityKey{UserID: sam.ID, Name: "Green key",
			CredentialID: "cred-2", Data: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		keys, _ := ts.srv.deps.SecurityKeys.FindSecurityKeys(ctx, sam.ID)
		ts.clock.Advance(ts.cfg.ReauthWindow)
		res := c.post(fmt.Sprintf("/account/security-keys/%d/remove", keys[0].ID), nil)
		if res.status != http.StatusSeeOther && res.status != http.StatusForbidden {
			t.Errorf("removal without a recent confirmation: %d", res.status)
		}
		if left, _ := ts.srv.deps.SecurityKeys.FindSecurityKeys(ctx, sam.ID); len(left) != 1 {
			t.Errorf("the key was removed without a recent confirmation")
		}
	})
}
