package store_test

import (
	"context"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestUserSetRoles(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		police := e.agency(t, "Police")
		council := e.agency(t, "Council")
		adminUser := e.user(t, police.ID, "admin@police.example", tropic.RoleAdmin)
		sam := e.user(t, police.ID, "sam@police.example", tropic.RoleCaseworker)
		councilAdmin := e.user(t, council.ID, "admin@council.example", tropic.RoleAdmin)
		policeAdmin := tropic.ActorFor(adminUser)
		tests := []struct {
			name      string
			actor     tropic.Actor
			id        int64
			roles     []tropic.Role
			wantCode  string
			wantRoles string // the target's roles afterwards
		}{
			{"The command line sets roles, deduplicated and in display order", admin, sam.ID,
				[]tropic.Role{tropic.RoleAnalyst, tropic.RoleCaseworker, tropic.RoleAnalyst}, "", "caseworker,analyst"},
			{"An agency administrator sets roles of a user of their agency", policeAdmin, sam.ID,
				[]tropic.Role{tropic.RoleSupervisor}, "", "supervisor"},
			{"Another agency's administrator finds no such user", tropic.ActorFor(councilAdmin), sam.ID,
				[]tropic.Role{tropic.RoleAdmin}, tropic.ENOTFOUND, "supervisor"},
			{"An administrator may not grant themselves a role", policeAdmin, adminUser.ID,
				[]tropic.Role{tropic.RoleAdmin, tropic.RoleAnalyst}, tropic.EFORBIDDEN, "admin"},
			{"Even with stale roles in the actor, the stored ones decide", tropic.Actor{UserID: adminUser.ID, AgencyID: police.ID, Roles: []tropic.Role{tropic.RoleAdmin, tropic.RoleAnalyst}}, adminUser.ID,
				[]tropic.Role{tropic.RoleAdmin, tropic.RoleAnalyst}, tropic.EFORBIDDEN, "admin"},
			{"A caseworker may not set roles", tropic.ActorFor(sam), sam.ID,
				[]tropic.Role{tropic.RoleSupervisor}, tropic.EFORBIDDEN, "supervisor"},
			{"An unknown role is refused on the roles field", admin, sam.ID,
				[]tropic.Role{"root"}, tropic.EINVALID, "supervisor"},
			{"No role at all is refused on the roles field", admin, sam.ID, nil, tropic.EINVALID, "supervisor"},
			{"An unknown user is not found", admin, 987654, []tropic.Role{tropic.RoleAnalyst}, tropic.ENOTFOUND, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(e.actions(t))
				err := e.users.SetRoles(ctx, tt.actor, tt.id, tt.roles)
				wantCode(t, err, tt.wantCode)
				if tt.wantCode == tropic.EINVALID {
					wantField(t, err, "roles")
				}
				if tt.wantRoles != "" {
					u, err := e.users.FindUserByID(ctx, tt.id)
					if err != nil || joinRoles(u.Roles) != tt.wantRoles {
						t.Fatalf("roles afterwards %v (%v), want %s", u.Roles, err, tt.wantRoles)
					}
				}
				after := e.actions(t)
				if tt.wantCode != "" {
					if len(after) != before {
						t.Fatalf("a refused change was audited: %v", after[before:])
					}
					return
				}
				ev := e.lastEvent(t)
				if ev.Action != tropic.AuditUserRoles || ev.ObjectID != tt.id || ev.UserID != tt.actor.UserID {
					t.Fatalf("got audit event %+v, want %s of user %d by %d", ev, tropic.AuditUserRoles, tt.id, tt.actor.UserID)
				}
			})
		}
		t.Run("Setting the roles a user has changes and audits nothing", func(t *testing.T) {
			before := len(e.actions(t))
			if err := e.users.SetRoles(ctx, admin, sam.ID, []tropic.Role{tropic.RoleSupervisor}); err != nil {
				t.Fatal(err)
			}
			if after := e.actions(t); len(after) != before {
				t.Fatalf("an unchanged set was audited: %v", after[before:])
			}
		})
	})
}

func TestUpdateAgency(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		police := e.agency(t, "Police")
		e.agency(t, "Council")
		boss := e.user(t, police.ID, "admin@police.example", tropic.RoleAdmin)
		tests := []struct {
			name      string
			actor     tropic.Actor
			agency    tropic.Agency
			wantCode  string
			wantField string
		}{
			{name: "The command line renames an agency and changes its flags, trimmed",
				actor:  admin,
				agency: tropic.Agency{ID: police.ID, Name: " Testshire Police ", Kind: tropic.AgencyPolice, FirstResponder: false, DutyToNotify: true}},
			{name: "An agency's own administrator may not edit it", actor: tropic.ActorFor(boss),
				agency:   tropic.Agency{ID: police.ID, Name: "Renamed", Kind: tropic.AgencyPolice},
				wantCode: tropic.EFORBIDDEN},
			{name: "Another agency's name is a conflict on the name field", actor: admin,
				agency:   tropic.Agency{ID: police.ID, Name: "Council", Kind: tropic.AgencyPolice},
				wantCode: tropic.ECONFLICT, wantField: "name"},
			{name: "An empty name is invalid on the name field", actor: admin,
				agency:   tropic.Agency{ID: police.ID, Name: " ", Kind: tropic.AgencyPolice},
				wantCode: tropic.EINVALID, wantField: "name"},
			{name: "An unknown kind is invalid on the kind field", actor: admin,
				agency:   tropic.Agency{ID: police.ID, Name: "Police", Kind: "secret"},
				wantCode: tropic.EINVALID, wantField: "kind"},
			{name: "An unknown agency is not found", actor: admin,
				agency:   tropic.Agency{ID: 987654, Name: "Nowhere", Kind: tropic.AgencyPolice},
				wantCode: tropic.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(e.actions(t))
				a := tt.agency
				err := e.agencies.UpdateAgency(ctx, tt.actor, &a)
				wantCode(t, err, tt.wantCode)
				wantField(t, err, tt.wantField)
				got, ferr := e.agencies.FindAgencyByID(ctx, police.ID)
				if ferr != nil {
					t.Fatal(ferr)
				}
				if tt.wantCode != "" {
					if got.Name != "Testshire Police" || len(e.actions(t)) != before {
						t.Fatalf("a refused edit changed %+v or was audited", got)
					}
					return
				}
				if got.Name != "Testshire Police" || got.FirstResponder || !got.DutyToNotify || !got.CreatedAt.Equal(police.CreatedAt) {
					t.Fatalf("stored %+v", got)
				}
				ev := e.lastEvent(t)
				if ev.Action != tropic.AuditAgencyUpdated || ev.ObjectID != police.ID ||
					ev.Detail != "name Police -> Testshire Police; first responder yes -> no" {
					t.Fatalf("got audit event %+v", ev)
				}
			})
		}
	})
}

func TestDisabledAgencyUsersAreDisabled(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		police := e.agency(t, "Police")
		council := e.agency(t, "Council")
		boss := e.user(t, police.ID, "admin@police.example", tropic.RoleAdmin)
		sam := e.user(t, council.ID, "sam@council.example")
		kept := e.user(t, police.ID, "kept@police.example")
		secret := "council-token-hash"
		if err := e.tokens.CreateToken(ctx, admin, &tropic.Token{UserID: sam.ID, Prefix: "tropic_sam"}, secret); err != nil {
			t.Fatal(err)
		}

		wantCode(t, e.agencies.DisableAgency(ctx, tropic.ActorFor(boss), council.ID), tropic.EFORBIDDEN)
		wantCode(t, e.agencies.DisableAgency(ctx, admin, 987654), tropic.ENOTFOUND)
		if err := e.agencies.DisableAgency(ctx, admin, council.ID); err != nil {
			t.Fatal(err)
		}
		if ev := e.lastEvent(t); ev.Action != tropic.AuditAgencyDisabled || ev.ObjectID != council.ID {
			t.Fatalf("got audit event %+v", ev)
		}
		if a, err := e.agencies.FindAgencyByID(ctx, council.ID); err != nil || !a.Disabled {
			t.Fatalf("agency after disable: %+v, %v", a, err)
		}
		// Every way in reads the user as disabled: by id (sessions), sign-in, tokens.
		if u, err := e.users.FindUserByID(ctx, sam.ID); err != nil || !u.Disabled {
			t.Errorf("by id: %+v, %v; want disabled", u, err)
		}
		if l, err := e.users.FindLogin(ctx, sam.Email); err != nil || !l.User.Disabled {
			t.Errorf("sign-in: %+v, %v; want disabled", l, err)
		}
		if _, err := e.tokens.AuthenticateToken(ctx, secret); tropic.ErrorCode(err) != tropic.EUNAUTHORISED {
			t.Errorf("token of a disabled agency's user: %v, want unauthorised", err)
		}
		if err := e.tokens.CreateToken(ctx, admin, &tropic.Token{UserID: sam.ID, Prefix: "tropic_new"}, "another-hash"); tropic.ErrorCode(err) != tropic.EINVALID {
			t.Errorf("a new token for a disabled agency's user: %v, want invalid", err)
		}
		users, err := e.users.FindUsers(ctx, tropic.UserFilter{})
		if err != nil || len(users) != 2 {
			t.Errorf("enabled users: %d (%v), want the two police users", len(users), err)
		}
		// Other agencies are untouched, and the records stay.
		if u, err := e.users.FindUserByID(ctx, kept.ID); err != nil || u.Disabled {
			t.Errorf("a police user: %+v, %v; want enabled", u, err)
		}
		all, err := e.users.FindUsers(ctx, tropic.UserFilter{IncludeDisabled: true})
		if err != nil || len(all) != 3 {
			t.Errorf("all users: %d (%v), want 3", len(all), err)
		}

		if err := e.agencies.EnableAgency(ctx, admin, council.ID); err != nil {
			t.Fatal(err)
		}
		if ev := e.lastEvent(t); ev.Action != tropic.AuditAgencyEnabled || ev.ObjectID != council.ID {
			t.Fatalf("got audit event %+v", ev)
		}
		e.clock.Advance(time.Minute)
		if u, err := e.tokens.AuthenticateToken(ctx, secret); err != nil || u.ID != sam.ID || u.Disabled {
			t.Errorf("token after enable: %+v, %v", u, err)
		}
		// A user disabled one by one stays disabled when their agency is enabled.
		if err := e.users.DisableUser(ctx, admin, sam.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.agencies.DisableAgency(ctx, admin, council.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.agencies.EnableAgency(ctx, admin, council.ID); err != nil {
			t.Fatal(err)
		}
		if u, err := e.users.FindUserByID(ctx, sam.ID); err != nil || !u.Disabled {
			t.Errorf("a user disabled alone, after their agency was enabled: %+v, %v; want disabled", u, err)
		}
	})
}
