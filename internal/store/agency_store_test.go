package store_test

import (
	"context"
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestCreateAgency(t *testing.T) {
	tests := []struct {
		name      string
		existing  string // an agency created first
		agency    tropic.Agency
		wantCode  string
		wantField string
		wantName  string // the stored name, when created
	}{
		{name: "A valid agency is stored with its flags",
			agency:   tropic.Agency{Name: "Hertfordshire Constabulary", Kind: tropic.AgencyPolice, FirstResponder: true, DutyToNotify: true},
			wantName: "Hertfordshire Constabulary"},
		{name: "Spaces around the name are trimmed",
			agency:   tropic.Agency{Name: "  St Albans City and District Council \t", Kind: tropic.AgencyDistrictCouncil, DutyToNotify: true},
			wantName: "St Albans City and District Council"},
		{name: "An agency that is neither first responder nor bound by the duty to notify is stored as such",
			agency:   tropic.Agency{Name: "Herts Survivors Network", Kind: tropic.AgencyCharity},
			wantName: "Herts Survivors Network"},
		{name: "A second agency with the same name is a conflict on the name field",
			existing: "Hertfordshire County Council",
			agency:   tropic.Agency{Name: "Hertfordshire County Council", Kind: tropic.AgencyCountyCouncil},
			wantCode: tropic.ECONFLICT, wantField: "name"},
		{name: "A name that differs only by surrounding spaces is a conflict",
			existing: "Office of the PCC",
			agency:   tropic.Agency{Name: " Office of the PCC ", Kind: tropic.AgencyPCC},
			wantCode: tropic.ECONFLICT, wantField: "name"},
		{name: "An empty name is invalid on the name field",
			agency:   tropic.Agency{Name: "   ", Kind: tropic.AgencyPolice},
			wantCode: tropic.EINVALID, wantField: "name"},
		{name: "A name longer than 200 characters is invalid on the name field",
			agency:   tropic.Agency{Name: strings.Repeat("x", 201), Kind: tropic.AgencyPolice},
			wantCode: tropic.EINVALID, wantField: "name"},
		{name: "A name with a control character is invalid on the name field",
			agency:   tropic.Agency{Name: "Bad\x00Name", Kind: tropic.AgencyPolice},
			wantCode: tropic.EINVALID, wantField: "name"},
		{name: "An unknown kind is invalid on the kind field",
			agency:   tropic.Agency{Name: "Mystery Agency", Kind: "secret_service"},
			wantCode: tropic.EINVALID, wantField: "kind"},
	}
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.existing != "" {
					e.agency(t, tt.existing)
				}
				before := len(e.actions(t))
				a := tt.agency
				err := e.agencies.CreateAgency(ctx, admin, &a)
				wantCode(t, err, tt.wantCode)
				wantField(t, err, tt.wantField)
				if tt.wantCode != "" {
					if got := len(e.actions(t)); got != before {
						t.Fatalf("got %d audit events after a refused create, want %d", got, before)
					}
					return
				}
				if a.ID == 0 || !a.CreatedAt.Equal(t0) {
					t.Fatalf("got id %d, created at %v; want an id and created at %v", a.ID, a.CreatedAt, t0)
				}
				for _, find := range []struct {
					how string
					fn  func() (*tropic.Agency, error)
				}{
					{"by id", func() (*tropic.Agency, error) { return e.agencies.FindAgencyByID(ctx, a.ID) }},
					{"by name", func() (*tropic.Agency, error) { return e.agencies.FindAgencyByName(ctx, tt.wantName) }},
				} {
					got, err := find.fn()
					if err != nil {
						t.Fatalf("find %s: %v", find.how, err)
					}
					want := tropic.Agency{ID: a.ID, Name: tt.wantName, Kind: tt.agency.Kind, FirstResponder: tt.agency.FirstResponder,
						DutyToNotify: tt.agency.DutyToNotify, CreatedAt: t0}
					if *got != want {
						t.Fatalf("find %s: got %+v, want %+v", find.how, *got, want)
					}
				}
				ev := e.lastEvent(t)
				if ev.Action != tropic.AuditAgencyCreated || ev.ObjectType != "agency" || ev.ObjectID != a.ID || ev.Detail != tt.wantName || ev.ActorLabel != admin.Label {
					t.Fatalf("got audit event %+v, want %s of agency %d by %q", ev, tropic.AuditAgencyCreated, a.ID, admin.Label)
				}
			})
		}
	})
}

func TestFindAgencies(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newEnv(t, d)
		ctx := context.Background()
		tests := []struct {
			name string
			run  func(t *testing.T)
		}{
			{"An empty database has no agencies", func(t *testing.T) {
				got, err := e.agencies.FindAgencies(ctx)
				if err != nil || len(got) != 0 {
					t.Fatalf("got %v, %v; want no agencies", got, err)
				}
			}},
			{"Agencies are listed by name", func(t *testing.T) {
				for _, n := range []string{"Watford Borough Council", "Dacorum Borough Council", "NHS Herts and West Essex"} {
					e.agency(t, n)
				}
				got, err := e.agencies.FindAgencies(ctx)
				if err != nil {
					t.Fatalf("find agencies: %v", err)
				}
				var names []string
				for _, a := range got {
					names = append(names, a.Name)
				}
				if want := "Dacorum Borough Council|NHS Herts and West Essex|Watford Borough Council"; strings.Join(names, "|") != want {
					t.Fatalf("got %q, want %q", strings.Join(names, "|"), want)
				}
			}},
			{"An unknown id is not found", func(t *testing.T) {
				_, err := e.agencies.FindAgencyByID(ctx, 987654)
				wantCode(t, err, tropic.ENOTFOUND)
			}},
			{"An unknown name is not found", func(t *testing.T) {
				_, err := e.agencies.FindAgencyByName(ctx, "No Such Agency")
				wantCode(t, err, tropic.ENOTFOUND)
			}},
			{"A name is matched exactly, not by case", func(t *testing.T) {
				_, err := e.agencies.FindAgencyByName(ctx, "watford borough council")
				wantCode(t, err, tropic.ENOTFOUND)
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, tt.run)
		}
	})
}
