package store_test

import (
	"context"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestSignInWithSSO(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		sso := store.NewSSOService(e.db)
		police, council := e.agency(t, "Police"), e.agency(t, "Council")
		invited := e.user(t, police.ID, "invited@police.example")
		e.user(t, council.ID, "moved@police.example") // an address of the police domain, in the council
		p := &tropic.SSOProvider{ID: "police", Label: "Police account", AgencyID: police.ID, Issuer: "https://idp.police.example",
			Domains: []string{"police.example"}}
		yes, no := true, false
		id := func(sub, email string) tropic.SSOIdentity {
			return tropic.SSOIdentity{Issuer: p.Issuer, Subject: sub, Email: email, Name: "Pat Newcomer"}
		}

		u, created, err := sso.SignInWithSSO(ctx, p, id("sub-new", "new@police.example"))
		if err != nil || !created || u.AgencyID != police.ID || len(u.Roles) != 0 || u.Name != "Pat Newcomer" {
			t.Fatalf("first sign-on: %+v, %v, %v; want a new police user with no role", u, created, err)
		}
		if login, _ := e.users.FindLogin(ctx, "new@police.example"); login.PasswordHash != "" {
			t.Errorf("a single sign-on user has a password hash %q", login.PasswordHash)
		}
		again, created, err := sso.SignInWithSSO(ctx, p, id("sub-new", "renamed@police.example"))
		if err != nil || created || again.ID != u.ID {
			t.Errorf("the same subject again (its address changed): %+v, %v, %v; want the same user", again, created, err)
		}
		v := id("sub-invited", "INVITED@police.example")
		v.EmailVerified = &yes
		if got, created, err := sso.SignInWithSSO(ctx, p, v); err != nil || created || got.ID != invited.ID {
			t.Errorf("an invited address: %+v, %v, %v; want the invited user", got, created, err)
		}

		refused := []struct {
			name string
			id   tropic.SSOIdentity
			code string
		}{
			{"an address of another domain", id("sub-x", "someone@elsewhere.example"), tropic.EFORBIDDEN},
			{"an address the provider calls unverified", func() tropic.SSOIdentity { i := id("sub-y", "y@police.example"); i.EmailVerified = &no; return i }(), tropic.EFORBIDDEN},
			{"no address", id("sub-z", ""), tropic.EFORBIDDEN},
			{"a user of another agency with the address", id("sub-moved", "moved@police.example"), tropic.EFORBIDDEN},
			{"a token of another issuer", tropic.SSOIdentity{Issuer: "https://evil.example", Subject: "sub-new", Email: "new@police.example"}, tropic.EUNAUTHORISED},
		}
		for _, tt := range refused {
			if _, _, err := sso.SignInWithSSO(ctx, p, tt.id); tropic.ErrorCode(err) != tt.code {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
		}
		// The council's provider at the same (multi-tenant) issuer cannot sign in the police user.
		other := &tropic.SSOProvider{ID: "council", Label: "Council", AgencyID: council.ID, Issuer: p.Issuer, Domains: []string{"police.example"}}
		if _, _, err := sso.SignInWithSSO(ctx, other, id("sub-new", "new@police.example")); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("another agency's provider signs in a police user: %v", err)
		}
		if err := e.users.DisableUser(ctx, admin, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := sso.SignInWithSSO(ctx, p, id("sub-new", "new@police.example")); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("a disabled user signs on: %v", err)
		}
		// A disabled agency: neither its linked users nor a newcomer sign on, and no
		// account is made for the newcomer.
		if err := e.agencies.DisableAgency(ctx, admin, police.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := sso.SignInWithSSO(ctx, p, v); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("a user of a disabled agency signs on: %v", err)
		}
		if _, _, err := sso.SignInWithSSO(ctx, p, id("sub-late", "late@police.example")); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Errorf("a newcomer to a disabled agency signs on: %v", err)
		}
		if _, err := e.users.FindUserByEmail(ctx, "late@police.example"); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("a newcomer to a disabled agency has an account: %v", err)
		}
		wantActions(t, e, tropic.AuditUserCreated, tropic.AuditSSOLinked, tropic.AuditSSOLinked)
	})
}
