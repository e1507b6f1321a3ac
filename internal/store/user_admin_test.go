package store_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// adminEnv is two agencies, an administrator of each, a partnership administrator and
// a caseworker of the police.
type adminEnv struct {
	*env
	police, council          *tropic.Agency
	policeAdmin, councilAdmn tropic.Actor
	partnership              tropic.Actor
	sam                      *tropic.User
	invites                  *store.InviteService
}

func newAdminEnv(t *testing.T, d store.Dialect) *adminEnv {
	e := &adminEnv{env: newEnv(t, d)}
	e.invites = store.NewInviteService(e.db)
	e.police, e.council = e.agency(t, "Police"), e.agency(t, "Council")
	e.policeAdmin = tropic.ActorFor(e.user(t, e.police.ID, "admin@police.example", tropic.RoleAdmin))
	e.councilAdmn = tropic.ActorFor(e.user(t, e.council.ID, "admin@council.example", tropic.RoleAdmin))
	e.partnership = tropic.ActorFor(e.user(t, e.council.ID, "partnership@council.example", tropic.RolePartnershipAdmin))
	e.sam = e.user(t, e.police.ID, "sam@police.example", tropic.RoleCaseworker)
	return e
}

func TestAdministeringAccountsAtTwoLevels(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAdminEnv(t, d)
		ctx := context.Background()
		sam := e.sam.ID
		tests := []struct {
			name   string
			act    func() error
			want   string
			action string // the audit event written when allowed
		}{
			{"Another agency's administrator cannot disable the user: not found", func() error { return e.users.DisableUser(ctx, e.councilAdmn, sam) }, tropic.ENOTFOUND, ""},
			{"Another agency's administrator cannot reset their MFA", func() error { return e.users.ResetMFA(ctx, e.councilAdmn, sam) }, tropic.ENOTFOUND, ""},
			{"Another agency's administrator cannot sign them out", func() error { _, err := e.users.SignOutEverywhere(ctx, e.councilAdmn, sam); return err }, tropic.ENOTFOUND, ""},
			{"Another agency's administrator cannot require a new password", func() error { return e.users.RequirePasswordChange(ctx, e.councilAdmn, sam) }, tropic.ENOTFOUND, ""},
			{"The agency's administrator requires a new password", func() error { return e.users.RequirePasswordChange(ctx, e.policeAdmin, sam) }, "", tropic.AuditUserPasswordRequired},
			{"The agency's administrator signs them out everywhere", func() error { _, err := e.users.SignOutEverywhere(ctx, e.policeAdmin, sam); return err }, "", tropic.AuditUserSignedOut},
			{"The agency's administrator resets their MFA", func() error { return e.users.ResetMFA(ctx, e.policeAdmin, sam) }, "", tropic.AuditMFAReset},
			{"The agency's administrator may not move them", func() error { return e.users.MoveUser(ctx, e.policeAdmin, sam, e.council.ID) }, tropic.EFORBIDDEN, ""},
			{"A caseworker may not disable a colleague", func() error { return e.users.DisableUser(ctx, tropic.ActorFor(e.sam), e.policeAdmin.UserID) }, tropic.EFORBIDDEN, ""},
			{"An administrator may not disable themselves", func() error { return e.users.DisableUser(ctx, e.policeAdmin, e.policeAdmin.UserID) }, tropic.EFORBIDDEN, ""},
			{"The agency's administrator disables the user", func() error { return e.users.DisableUser(ctx, e.policeAdmin, sam) }, "", tropic.AuditUserDisabled},
			{"The partnership administrator re-enables them", func() error { return e.users.EnableUser(ctx, e.partnership, sam) }, "", tropic.AuditUserEnabled},
			{"The partnership administrator moves them to the council", func() error { return e.users.MoveUser(ctx, e.partnership, sam, e.council.ID) }, "", tropic.AuditUserMoved},
			{"Now the police administrator does not find them", func() error { return e.users.DisableUser(ctx, e.policeAdmin, sam) }, tropic.ENOTFOUND, ""},
			{"And the council's administrator manages them", func() error { return e.users.RequirePasswordChange(ctx, e.councilAdmn, sam) }, "", tropic.AuditUserPasswordRequired},
			{"Nobody moves a user to a missing agency", func() error { return e.users.MoveUser(ctx, e.partnership, sam, 987654) }, tropic.EINVALID, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(e.actions(t))
				wantCode(t, tt.act(), tt.want)
				after := e.actions(t)
				if tt.want != "" {
					if len(after) != before {
						t.Fatalf("a refused change was audited: %v", after[before:])
					}
					return
				}
				if ev := e.lastEvent(t); ev.Action != tt.action || ev.ObjectID != sam {
					t.Fatalf("audit %s of %d, want %s of user %d", ev.Action, ev.ObjectID, tt.action, sam)
				}
			})
		}
		u, err := e.users.FindUserByID(ctx, sam)
		if err != nil || u.AgencyID != e.council.ID || !u.MustChangePassword || u.Disabled {
			t.Fatalf("afterwards %+v (%v): want in the council, enabled, asked for a new password", u, err)
		}
		t.Run("A new password at sign-in clears the request", func(t *testing.T) {
			if err := e.users.ChangePasswordAtSignIn(ctx, sam, fakeHash); err != nil {
				t.Fatal(err)
			}
			if u, _ := e.users.FindUserByID(ctx, sam); u.MustChangePassword {
				t.Fatal("still asked for a new password")
			}
			if ev := e.lastEvent(t); ev.Action != tropic.AuditUserPasswordChanged || ev.UserID != sam {
				t.Fatalf("audit %+v, want the user's own password change", ev)
			}
		})
		t.Run("An agency administrator sees only their agency's users", func(t *testing.T) {
			if _, err := e.users.FindUserAs(ctx, e.policeAdmin, sam); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Fatalf("the police administrator finds the council's user: %v", err)
			}
			list, err := e.users.FindUsersAs(ctx, e.policeAdmin, tropic.UserFilter{AgencyID: e.council.ID, IncludeDisabled: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range list {
				if u.AgencyID != e.police.ID {
					t.Fatalf("the police administrator lists %s of agency %d", u.Email, u.AgencyID)
				}
			}
			if _, err := e.users.FindUsersAs(ctx, tropic.ActorFor(e.sam), tropic.UserFilter{}); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
				t.Fatalf("a caseworker lists users: %v", err)
			}
		})
	})
}

func TestSigningOutEverywhereEndsTheirSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAdminEnv(t, d)
		ctx := context.Background()
		for _, tok := range []string{"one", "two"} {
			if err := e.sessions.CommitSession(ctx, "sess-"+tok, []byte("x"), e.sam.ID, tropic.SessionLimits{}); err != nil {
				t.Fatal(err)
			}
		}
		n, err := e.users.SignOutEverywhere(ctx, e.policeAdmin, e.sam.ID)
		if err != nil || n != 2 {
			t.Fatalf("ended %d sessions (%v), want 2", n, err)
		}
		if _, found, _ := e.sessions.FindSession(ctx, "sess-one", tropic.SessionLimits{}); found {
			t.Fatal("a session survived")
		}
	})
}

func TestFindingUsersByFilter(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAdminEnv(t, d)
		ctx := context.Background()
		if err := e.users.EnrolMFA(ctx, e.sam.ID, "SECRET", 1); err != nil {
			t.Fatal(err)
		}
		if _, err := e.invites.InviteUser(ctx, e.policeAdmin, &tropic.User{Email: "new@police.example", Name: "New Starter", AgencyID: e.police.ID,
			Roles: []tropic.Role{tropic.RoleTriage}}, tropic.HashSecret("invite-secret")); err != nil {
			t.Fatal(err)
		}
		// A security key needs an authenticator app first (enrolment is behind the
		// second factor); a single sign-on user has neither, nor a password.
		keyholder := e.user(t, e.police.ID, "keyholder@police.example", tropic.RoleTriage)
		if err := e.users.EnrolMFA(ctx, keyholder.ID, "SECRET", 1); err != nil {
			t.Fatal(err)
		}
		if err := store.NewSecurityKeyService(e.db).AddSecurityKey(ctx, tropic.ActorFor(keyholder),
			&tropic.SecurityKey{UserID: keyholder.ID, Name: "YubiKey", CredentialID: "cred-1", Data: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		p := &tropic.SSOProvider{ID: "police", Label: "Police", AgencyID: e.police.ID, Issuer: "https://idp.police.example", Domains: []string{"police.example"}}
		ssoUser, _, err := store.NewSSOService(e.db).SignInWithSSO(ctx, p, tropic.SSOIdentity{Issuer: p.Issuer, Subject: "s-1", Email: "sso@police.example"})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := e.users.FindUserByID(ctx, keyholder.ID); err != nil || strings.Join(got.MFAKinds(), ",") != "Authenticator app,Security key" {
			t.Errorf("the key holder's second factors: %v, %v", got.MFAKinds(), err)
		}
		if got, err := e.users.FindUserByID(ctx, ssoUser.ID); err != nil || strings.Join(got.MFAKinds(), ",") != "Single sign-on" {
			t.Errorf("the single sign-on user's: %v, %v", got.MFAKinds(), err)
		}
		gone := e.user(t, e.police.ID, "gone@police.example", tropic.RoleSupervisor)
		if err := e.users.DisableUser(ctx, admin, gone.ID); err != nil {
			t.Fatal(err)
		}
		emails := func(f tropic.UserFilter) string {
			list, err := e.users.FindUsersAs(ctx, e.partnership, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range list {
				out = append(out, u.Email)
			}
			sort.Strings(out)
			return joinStrings(out)
		}
		tests := []struct {
			name string
			f    tropic.UserFilter
			want string
		}{
			{"By role", tropic.UserFilter{Role: tropic.RoleCaseworker}, "sam@police.example"},
			{"Invited users (not single sign-on users, who have no password either)", tropic.UserFilter{Status: tropic.UserInvited}, "new@police.example"},
			{"Active users of single sign-on", tropic.UserFilter{Status: tropic.UserActive, MFA: tropic.MFASSO}, "sso@police.example"},
			{"Leavers include single sign-on users", tropic.UserFilter{Status: tropic.UserActive, MFA: tropic.MFASSO, NotSignedInSince: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}, "sso@police.example"},
			{"Disabled users", tropic.UserFilter{Status: tropic.UserDisabled}, "gone@police.example"},
			{"With an authenticator app", tropic.UserFilter{MFA: tropic.MFAApp}, "keyholder@police.example,sam@police.example"},
			{"With a security key", tropic.UserFilter{MFA: tropic.MFAKey}, "keyholder@police.example"},
			{"Signing in through an identity provider", tropic.UserFilter{MFA: tropic.MFASSO}, "sso@police.example"},
			{"One agency's active users without MFA", tropic.UserFilter{AgencyID: e.police.ID, Status: tropic.UserActive, MFA: tropic.MFANone}, "admin@police.example"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := emails(tt.f); got != tt.want {
					t.Fatalf("got %s, want %s", got, tt.want)
				}
			})
		}
	})
}

func joinStrings(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ","
		}
		out += v
	}
	return out
}

func TestLeaversAreDisabledInBulk(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAdminEnv(t, d)
		ctx := context.Background()
		e.clock.Advance(100 * 24 * time.Hour)
		since := e.clock.Now().Add(-tropic.DefaultLeaverAfter)
		back := e.user(t, e.police.ID, "back@police.example", tropic.RoleCaseworker) // made today: not a leaver
		leavers, err := e.users.FindUsersAs(ctx, e.policeAdmin, tropic.UserFilter{Status: tropic.UserActive, NotSignedInSince: since})
		if err != nil {
			t.Fatal(err)
		}
		if len(leavers) != 2 { // the administrator and Sam, made 100 days ago
			t.Fatalf("got %d leavers, want 2", len(leavers))
		}
		t.Run("A user of another agency refuses the whole batch", func(t *testing.T) {
			before := len(e.actions(t))
			_, err := e.users.DisableLeavers(ctx, e.councilAdmn, []int64{e.sam.ID}, since)
			wantCode(t, err, tropic.ENOTFOUND)
			if len(e.actions(t)) != before {
				t.Fatal("a refused batch was audited")
			}
		})
		t.Run("The administrator's own account refuses the batch, nothing half-way", func(t *testing.T) {
			_, err := e.users.DisableLeavers(ctx, e.policeAdmin, []int64{e.sam.ID, e.policeAdmin.UserID}, since)
			wantCode(t, err, tropic.EFORBIDDEN)
			if u, _ := e.users.FindUserByID(ctx, e.sam.ID); u.Disabled {
				t.Fatal("Sam was disabled by a refused batch")
			}
		})
		t.Run("Someone who signed in since the list was shown is skipped", func(t *testing.T) {
			if err := e.users.RecordLoginSuccess(ctx, e.sam.ID, "password"); err != nil {
				t.Fatal(err)
			}
			n, err := e.users.DisableLeavers(ctx, e.policeAdmin, []int64{e.sam.ID, back.ID}, since)
			if err != nil || n != 0 {
				t.Fatalf("disabled %d (%v), want none", n, err)
			}
		})
		t.Run("Leavers are disabled and audited", func(t *testing.T) {
			e.clock.Advance(100 * 24 * time.Hour)
			since := e.clock.Now().Add(-tropic.DefaultLeaverAfter)
			n, err := e.users.DisableLeavers(ctx, e.partnership, []int64{e.sam.ID, back.ID}, since)
			if err != nil || n != 2 {
				t.Fatalf("disabled %d (%v), want 2", n, err)
			}
			if ev := e.lastEvent(t); ev.Action != tropic.AuditUserDisabled {
				t.Fatalf("last audit %s", ev.Action)
			}
		})
	})
}

func TestInvitations(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAdminEnv(t, d)
		ctx := context.Background()
		newUser := func(email string, agency int64, roles ...tropic.Role) *tropic.User {
			return &tropic.User{Email: email, Name: "New Starter", AgencyID: agency, Roles: roles}
		}
		t.Run("An agency administrator may not invite into another agency", func(t *testing.T) {
			_, err := e.invites.InviteUser(ctx, e.policeAdmin, newUser("x@council.example", e.council.ID, tropic.RoleCaseworker), tropic.HashSecret("a"))
			wantCode(t, err, tropic.EFORBIDDEN)
			if _, err := e.users.FindUserByEmail(ctx, "x@council.example"); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Fatal("a refused invitation left a user behind")
			}
		})
		t.Run("Nor give the partnership administrator role", func(t *testing.T) {
			_, err := e.invites.InviteUser(ctx, e.policeAdmin, newUser("y@police.example", e.police.ID, tropic.RolePartnershipAdmin), tropic.HashSecret("b"))
			wantCode(t, err, tropic.EFORBIDDEN)
		})
		first := tropic.HashSecret("first-secret")
		inv, err := e.invites.InviteUser(ctx, e.policeAdmin, newUser("Ann@Police.example", e.police.ID, tropic.RoleCaseworker), first)
		if err != nil {
			t.Fatal(err)
		}
		if !inv.ExpiresAt.Equal(e.clock.Now().Add(72*time.Hour)) || !inv.User.Invited {
			t.Fatalf("invitation %+v: want 72 hours, an invited user", inv)
		}
		if ev := e.lastEvent(t); ev.Action != tropic.AuditUserInvited || ev.UserID != e.policeAdmin.UserID {
			t.Fatalf("audit %+v", ev)
		}
		t.Run("The invited user cannot sign in: no password", func(t *testing.T) {
			l, err := e.users.FindLogin(ctx, "ann@police.example")
			if err != nil || l.PasswordHash != "" {
				t.Fatalf("login %+v (%v): want no password hash", l, err)
			}
		})
		t.Run("Re-inviting invalidates the old link", func(t *testing.T) {
			second := tropic.HashSecret("second-secret")
			if _, err := e.invites.ReinviteUser(ctx, e.policeAdmin, inv.UserID, second); err != nil {
				t.Fatal(err)
			}
			_, err := e.invites.AcceptInvite(ctx, first, fakeHash)
			wantCode(t, err, tropic.ECONFLICT)
			if tropic.ErrorMessage(err) == "" || !contains(tropic.ErrorMessage(err), "replaced") {
				t.Fatalf("message %q: want it to say the link was replaced", tropic.ErrorMessage(err))
			}
			first = second
		})
		t.Run("Another agency's administrator cannot re-invite", func(t *testing.T) {
			_, err := e.invites.ReinviteUser(ctx, e.councilAdmn, inv.UserID, tropic.HashSecret("c"))
			wantCode(t, err, tropic.ENOTFOUND)
			if _, err := e.invites.LatestInvite(ctx, e.councilAdmn, inv.UserID); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Fatalf("another agency's administrator reads the invitation: %v", err)
			}
		})
		t.Run("An unknown link is not found", func(t *testing.T) {
			_, err := e.invites.AcceptInvite(ctx, tropic.HashSecret("guess"), fakeHash)
			wantCode(t, err, tropic.ENOTFOUND)
		})
		t.Run("The link sets the password once", func(t *testing.T) {
			u, err := e.invites.AcceptInvite(ctx, first, fakeHash)
			if err != nil || u.Email != "ann@police.example" {
				t.Fatalf("accepted %v (%v)", u, err)
			}
			if l, _ := e.users.FindLogin(ctx, "ann@police.example"); l.PasswordHash != fakeHash || l.User.Invited {
				t.Fatalf("after: %+v", l)
			}
			_, err = e.invites.AcceptInvite(ctx, first, fakeHash+"x")
			wantCode(t, err, tropic.ECONFLICT)
			if !contains(tropic.ErrorMessage(err), "used already") {
				t.Fatalf("message %q", tropic.ErrorMessage(err))
			}
			if l, _ := e.users.FindLogin(ctx, "ann@police.example"); l.PasswordHash != fakeHash {
				t.Fatal("a used link changed the password")
			}
		})
		t.Run("A link expires after 72 hours", func(t *testing.T) {
			late := tropic.HashSecret("late")
			if _, err := e.invites.ReinviteUser(ctx, admin, inv.UserID, late); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(72 * time.Hour)
			_, err := e.invites.AcceptInvite(ctx, late, fakeHash+"y")
			wantCode(t, err, tropic.ECONFLICT)
			if !contains(tropic.ErrorMessage(err), "expired") {
				t.Fatalf("message %q", tropic.ErrorMessage(err))
			}
		})
	})
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestAdministrationHistoryByAgency(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAdminEnv(t, d)
		ctx := context.Background()
		councilUser := e.user(t, e.council.ID, "cat@council.example", tropic.RoleCaseworker)
		if err := e.users.RequirePasswordChange(ctx, e.partnership, e.sam.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.users.RequirePasswordChange(ctx, e.councilAdmn, councilUser.ID); err != nil {
			t.Fatal(err)
		}
		ofPolice, _, err := e.audit.FindAdminHistory(ctx, e.policeAdmin, tropic.AdminHistoryFilter{AgencyID: e.council.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range ofPolice {
			if ev.ObjectType == "user" && ev.ObjectID == councilUser.ID {
				t.Fatalf("the police administrator reads an event about the council's user: %+v", ev)
			}
			if ev.ObjectType == "agency" && ev.ObjectID == e.council.ID {
				t.Fatalf("the police administrator reads an event about the council: %+v", ev)
			}
		}
		found := false
		for _, ev := range ofPolice {
			if ev.Action == tropic.AuditUserPasswordRequired && ev.ObjectID == e.sam.ID {
				found = ev.ActorName != "" && ev.ObjectName == "Test sam@police.example"
			}
		}
		if !found {
			t.Fatalf("the police administrator does not read the partnership's change to Sam, with names: %+v", ofPolice)
		}
		all, total, err := e.audit.FindAdminHistory(ctx, e.partnership, tropic.AdminHistoryFilter{})
		if err != nil || total < len(ofPolice)+1 || len(all) == 0 {
			t.Fatalf("the partnership reads %d of %d (%v), want more than the police's %d", len(all), total, err, len(ofPolice))
		}
		if _, _, err := e.audit.FindAdminHistory(ctx, tropic.ActorFor(e.sam), tropic.AdminHistoryFilter{}); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Fatalf("a caseworker reads the administration history: %v", err)
		}
	})
}

// Back-dated events are listed by when they happened, not by when they were written.
func TestAdministrationHistoryIsListedByTime(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAdminEnv(t, d)
		ctx := context.Background()
		councilUser := e.user(t, e.council.ID, "cat@council.example", tropic.RoleCaseworker)
		now := e.clock.Now()
		e.clock.Set(now.Add(time.Hour))
		if err := e.users.RequirePasswordChange(ctx, e.partnership, e.sam.ID); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(now.Add(-time.Hour)) // written after, happened before
		if err := e.users.RequirePasswordChange(ctx, e.partnership, councilUser.ID); err != nil {
			t.Fatal(err)
		}
		all, _, err := e.audit.FindAdminHistory(ctx, e.partnership, tropic.AdminHistoryFilter{})
		if err != nil || len(all) < 3 {
			t.Fatalf("got %d events (%v)", len(all), err)
		}
		if all[0].ObjectID != e.sam.ID || !all[0].At.Equal(now.Add(time.Hour)) {
			t.Fatalf("the newest event is %+v, want the change to Sam an hour on", all[0])
		}
		if last := all[len(all)-1]; last.ObjectID != councilUser.ID || !last.At.Equal(now.Add(-time.Hour)) {
			t.Fatalf("the oldest event is %+v, want the back-dated change", last)
		}
		for i := 1; i < len(all); i++ {
			if all[i].At.After(all[i-1].At) {
				t.Fatalf("event %d (%v) is after event %d (%v)", i, all[i].At, i-1, all[i-1].At)
			}
		}
	})
}

func TestPartnershipAdministratorEditsAgencies(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAdminEnv(t, d)
		ctx := context.Background()
		a := *e.police
		a.TriageHub, a.InboxEmail, a.ReminderEmail = true, "Inbox@Police.example", "nrm@police.example"
		wantCode(t, e.agencies.UpdateAgency(ctx, e.policeAdmin, &a), tropic.EFORBIDDEN)
		if err := e.agencies.UpdateAgency(ctx, e.partnership, &a); err != nil {
			t.Fatal(err)
		}
		got, err := e.agencies.FindAgencyByID(ctx, e.police.ID)
		if err != nil || !got.TriageHub || got.InboxEmail != "inbox@police.example" || got.ReminderEmail != "nrm@police.example" {
			t.Fatalf("got %+v (%v)", got, err)
		}
		ev := e.lastEvent(t)
		if ev.Action != tropic.AuditAgencyUpdated || contains(ev.Detail, "@") {
			t.Fatalf("audit %+v: want the change named without the addresses", ev)
		}
		bad := *got
		bad.InboxEmail = "not an address"
		err = e.agencies.UpdateAgency(ctx, e.partnership, &bad)
		wantCode(t, err, tropic.EINVALID)
		wantField(t, err, "inbox_email")
		bad = *got
		bad.ReminderEmail = ""
		if err := e.agencies.UpdateAgency(ctx, admin, &bad); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.agencies.FindAgencyByID(ctx, e.police.ID); got.ReminderEmail != "" {
			t.Fatalf("reminder address %q, want none", got.ReminderEmail)
		}
	})
}
