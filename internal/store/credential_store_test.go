package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestPasswordResetLinkWorksOnceWithinAnHour(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		creds := store.NewCredentialService(e.db)
		police := e.agency(t, "Police")
		sam := e.user(t, police.ID, "sam@police.example")
		commitFor(t, e.sessions, "sam-laptop", sam.ID)

		if _, err := creds.RequestPasswordReset(ctx, "nobody@police.example", tropic.HashSecret("x")); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("an unknown address: %v, want not found", err)
		}
		first, second := tropic.HashSecret("first"), tropic.HashSecret("second")
		if u, err := creds.RequestPasswordReset(ctx, "SAM@police.example", first); err != nil || u.ID != sam.ID {
			t.Fatalf("request: %v, %v", u, err)
		}
		if _, err := creds.RequestPasswordReset(ctx, "sam@police.example", second); err != nil {
			t.Fatal(err)
		}
		if err := creds.CheckPasswordReset(ctx, first); tropic.ErrorCode(err) != tropic.EINVALID {
			t.Errorf("a link replaced by a newer one still works: %v", err)
		}
		if err := creds.CheckPasswordReset(ctx, second); err != nil {
			t.Errorf("the newest link: %v", err)
		}
		e.clock.Advance(59 * time.Minute)
		id, err := creds.ResetPassword(ctx, second, "new-hash")
		if err != nil || id != sam.ID {
			t.Fatalf("reset within the hour: %d, %v", id, err)
		}
		wantLive(t, e.sessions, "sam-laptop", false)
		login, _ := e.users.FindLogin(ctx, "sam@police.example")
		if login.PasswordHash != "new-hash" {
			t.Errorf("password hash %q, want new-hash", login.PasswordHash)
		}
		if _, err := creds.ResetPassword(ctx, second, "again"); tropic.ErrorCode(err) != tropic.EINVALID {
			t.Errorf("a used link works again: %v", err)
		}

		third := tropic.HashSecret("third")
		if _, err := creds.RequestPasswordReset(ctx, "sam@police.example", third); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Hour)
		if _, err := creds.ResetPassword(ctx, third, "late"); tropic.ErrorCode(err) != tropic.EINVALID {
			t.Errorf("a link an hour old works: %v", err)
		}
		wantActions(t, e, tropic.AuditPasswordResetAsked, tropic.AuditPasswordReset)
	})
}

func TestPasswordResetLinkUsedTwiceAtOnceWorksOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		creds := store.NewCredentialService(e.db)
		police := e.agency(t, "Police")
		e.user(t, police.ID, "sam@police.example")
		tok := tropic.HashSecret("race")
		if _, err := creds.RequestPasswordReset(context.Background(), "sam@police.example", tok); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := creds.ResetPassword(context.Background(), tok, "h"); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if ok != 1 {
			t.Errorf("%d of 4 simultaneous uses succeeded, want 1", ok)
		}
	})
}

func TestNoPasswordResetForDisabledOrSingleSignOnUsers(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		creds := store.NewCredentialService(e.db)
		police := e.agency(t, "Police")
		gone := e.user(t, police.ID, "gone@police.example")
		sso := &tropic.User{Email: "sso@police.example", Name: "Sso", AgencyID: police.ID, Roles: []tropic.Role{tropic.RoleCaseworker}}
		if err := e.users.CreateUser(ctx, admin, sso, ""); err != nil {
			t.Fatal(err)
		}
		tok := tropic.HashSecret("before")
		if _, err := creds.RequestPasswordReset(ctx, "gone@police.example", tok); err != nil {
			t.Fatal(err)
		}
		if err := e.users.DisableUser(ctx, admin, gone.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := creds.ResetPassword(ctx, tok, "h"); tropic.ErrorCode(err) != tropic.EINVALID {
			t.Errorf("a disabled user's earlier link works: %v", err)
		}
		for _, email := range []string{"gone@police.example", "sso@police.example"} {
			if _, err := creds.RequestPasswordReset(ctx, email, tropic.HashSecret(email)); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Errorf("%s: %v, want not found", email, err)
			}
		}
		if err := creds.ChangePassword(ctx, tropic.ActorFor(sso), "h", ""); tropic.ErrorCode(err) != tropic.EINVALID {
			t.Errorf("a single sign-on user sets a Tropic password: %v", err)
		}
	})
}

func TestChangePasswordEndsOtherSessionsAndOpenLinks(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		creds := store.NewCredentialService(e.db)
		police := e.agency(t, "Police")
		sam := e.user(t, police.ID, "sam@police.example")
		alex := e.user(t, police.ID, "alex@police.example")
		commitFor(t, e.sessions, "here", sam.ID)
		commitFor(t, e.sessions, "there", sam.ID)
		commitFor(t, e.sessions, "alex", alex.ID)
		link := tropic.HashSecret("open")
		if _, err := creds.RequestPasswordReset(ctx, "sam@police.example", link); err != nil {
			t.Fatal(err)
		}
		if err := creds.ChangePassword(ctx, tropic.ActorFor(alex), "h", "alex"); err != nil {
			t.Fatal(err) // Alex's own
		}
		if err := creds.ChangePassword(ctx, tropic.ActorFor(sam), "sams", "here"); err != nil {
			t.Fatal(err)
		}
		wantLive(t, e.sessions, "here", true)
		wantLive(t, e.sessions, "there", false)
		wantLive(t, e.sessions, "alex", true)
		if err := creds.CheckPasswordReset(ctx, link); err == nil {
			t.Error("a reset link asked for before the change still works")
		}
		login, _ := e.users.FindLogin(ctx, "sam@police.example")
		if login.PasswordHash != "sams" {
			t.Errorf("hash %q", login.PasswordHash)
		}
	})
}

func TestRecoveryCodesAreSingleUseAndReplaced(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		creds := store.NewCredentialService(e.db)
		police := e.agency(t, "Police")
		sam := e.user(t, police.ID, "sam@police.example")
		alex := e.user(t, police.ID, "alex@police.example")
		codes := func(prefix string) []string {
			var out []string
			for i := 0; i < tropic.RecoveryCodeCount; i++ {
				out = append(out, tropic.HashSecret(prefix+string(rune('a'+i))))
			}
			return out
		}
		old := codes("old")
		if err := creds.ReplaceRecoveryCodes(ctx, tropic.ActorFor(sam), sam.ID, old); err != nil {
			t.Fatal(err)
		}
		if left, err := creds.UseRecoveryCode(ctx, sam.ID, old[0]); err != nil || left != 9 {
			t.Fatalf("first use: %d, %v", left, err)
		}
		if _, err := creds.UseRecoveryCode(ctx, sam.ID, old[0]); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("a used code works again: %v", err)
		}
		if _, err := creds.UseRecoveryCode(ctx, alex.ID, old[1]); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("Sam's code works for Alex: %v", err)
		}
		if err := creds.ReplaceRecoveryCodes(ctx, tropic.ActorFor(sam), sam.ID, codes("new")); err != nil {
			t.Fatal(err)
		}
		if _, err := creds.UseRecoveryCode(ctx, sam.ID, old[1]); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("a replaced code works: %v", err)
		}
		if n, err := creds.CountRecoveryCodes(ctx, sam.ID); err != nil || n != 10 {
			t.Errorf("count after replacing: %d, %v", n, err)
		}
		wantActions(t, e, tropic.AuditRecoveryCodesSet, tropic.AuditRecoveryCodeUsed, tropic.AuditRecoveryCodesSet)
	})
}

// wantActions fails unless the given actions appear in the audit trail in this order.
func wantActions(t *testing.T, e *env, want ...string) {
	t.Helper()
	got := e.actions(t)
	i := 0
	for _, a := range got {
		if i < len(want) && a == want[i] {
			i++
		}
	}
	if i != len(want) {
		t.Errorf("audit actions %v do not include %v in order", got, want)
	}
}
