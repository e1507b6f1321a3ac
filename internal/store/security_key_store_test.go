package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestSecurityKeys(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		keys := store.NewSecurityKeyService(e.db)
		police := e.agency(t, "Police")
		sam := e.user(t, police.ID, "sam@police.example")
		alex := e.user(t, police.ID, "alex@police.example")
		add := func(actor tropic.Actor, userID int64, cred string) error {
			return keys.AddSecurityKey(ctx, actor, &tropic.SecurityKey{UserID: userID, Name: "Key " + cred, CredentialID: cred, Data: []byte(`{}`)})
		}
		if err := add(tropic.ActorFor(sam), sam.ID, "c-1"); err != nil {
			t.Fatal(err)
		}
		if err := add(tropic.ActorFor(alex), sam.ID, "c-alex"); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("Alex adds a key to Sam: %v", err)
		}
		if err := add(tropic.ActorFor(alex), alex.ID, "c-1"); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Errorf("the same credential for two users: %v", err)
		}
		if err := keys.UseSecurityKey(ctx, alex.ID, "c-1", []byte(`{"n":1}`)); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("Sam's key signs Alex in: %v", err)
		}
		if err := keys.UseSecurityKey(ctx, sam.ID, "c-1", []byte(`{"n":1}`)); err != nil {
			t.Fatal(err)
		}
		list, err := keys.FindSecurityKeys(ctx, sam.ID)
		if err != nil || len(list) != 1 || string(list[0].Data) != `{"n":1}` || list[0].LastUsedAt.IsZero() {
			t.Fatalf("Sam's keys: %+v, %v", list, err)
		}
		for i := 2; i <= tropic.MaxSecurityKeys; i++ {
			if err := add(tropic.ActorFor(sam), sam.ID, fmt.Sprintf("c-%d", i)); err != nil {
				t.Fatal(err)
			}
		}
		// The user removes one themselves (no administrator removes a single key).
		if err := add(tropic.ActorFor(sam), sam.ID, "c-more"); tropic.ErrorCode(err) != tropic.ECONFLICT || !strings.Contains(tropic.ErrorMessage(err), "Remove one you no longer use first") {
			t.Errorf("a key past the limit: %v", err)
		}
		wantActions(t, e, tropic.AuditSecurityKeyAdded, tropic.AuditSecurityKeyUsed)
	})
}

func TestResetMFAForgetsRecoveryCodesAndSecurityKeys(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		keys, creds := store.NewSecurityKeyService(e.db), store.NewCredentialService(e.db)
		police := e.agency(t, "Police")
		sam := e.user(t, police.ID, "sam@police.example")
		if err := keys.AddSecurityKey(ctx, tropic.ActorFor(sam), &tropic.SecurityKey{UserID: sam.ID, Name: "Key", CredentialID: "c", Data: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		hashes := make([]string, tropic.RecoveryCodeCount)
		for i := range hashes {
			hashes[i] = tropic.HashSecret(fmt.Sprint(i))
		}
		if err := creds.ReplaceRecoveryCodes(ctx, tropic.ActorFor(sam), sam.ID, hashes); err != nil {
			t.Fatal(err)
		}
		if err := e.users.ResetMFA(ctx, admin, sam.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := keys.FindSecurityKeys(ctx, sam.ID); len(list) != 0 {
			t.Errorf("%d security keys after the reset", len(list))
		}
		if n, _ := creds.CountRecoveryCodes(ctx, sam.ID); n != 0 {
			t.Errorf("%d recovery codes after the reset", n)
		}
	})
}

func TestSecurityKeyRemovalKeepsASecondFactor(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		keys := store.NewSecurityKeyService(e.db)
		police := e.agency(t, "Police")
		sam := e.user(t, police.ID, "sam@police.example")
		alex := e.user(t, police.ID, "alex@police.example")
		me := tropic.ActorFor(sam)
		for _, cred := range []string{"c-1", "c-2"} {
			if err := keys.AddSecurityKey(ctx, me, &tropic.SecurityKey{UserID: sam.ID, Name: "Key " + cred, CredentialID: cred, Data: []byte(`{}`)}); err != nil {
				t.Fatal(err)
			}
		}
		list, err := keys.FindSecurityKeys(ctx, sam.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("Sam's keys: %+v, %v", list, err)
		}
		wantCode(t, keys.RemoveSecurityKey(ctx, tropic.ActorFor(alex), list[0].ID), tropic.ENOTFOUND) // another user's key
		wantCode(t, keys.RemoveSecurityKey(ctx, admin, list[0].ID), tropic.ENOTFOUND)                 // the system has no keys
		if err := keys.RemoveSecurityKey(ctx, me, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if e.lastEvent(t).Action != tropic.AuditSecurityKeyRemoved {
			t.Errorf("the removal is not audited: %+v", e.lastEvent(t))
		}
		// The last key, without an authenticator app: refused.
		wantCode(t, keys.RemoveSecurityKey(ctx, me, list[1].ID), tropic.ECONFLICT)
		if err := e.users.EnrolMFA(ctx, sam.ID, "JBSWY3DPEHPK3PXP", 1); err != nil {
			t.Fatal(err)
		}
		if err := keys.RemoveSecurityKey(ctx, me, list[1].ID); err != nil {
			t.Errorf("with an authenticator app the last key goes: %v", err)
		}
		if list, err := keys.FindSecurityKeys(ctx, sam.ID); err != nil || len(list) != 0 {
			t.Errorf("Sam's keys afterwards: %+v, %v", list, err)
		}
	})
}
