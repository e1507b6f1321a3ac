package store_test

import (
	"testing"
	"time"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// A case written by the bulk loader reads back, searches and takes changes exactly as
// one written through the case service.
func TestBulkLoadedCaseIsLikeOneMadeThroughTheService(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		zoe := func() *tropic.Person {
			return &tropic.Person{GivenName: "Zoë", FamilyName: "O'Brien-Smith", Aliases: []string{"Mama Z"}, DateOfBirth: "1990-04-01",
				Phone: "07700 900123", ImmigrationStatus: "Asylum claim pending"}
		}
		parts := func() ([]*tropic.Place, []*tropic.Business, []*tropic.CaseVehicle, []*tropic.CasePhone) {
			return []*tropic.Place{{Kind: "business_premises", Address: "1 High Street, St Albans", Postcode: "al1 3jx"}},
				[]*tropic.Business{{Name: "Sparkle Hand Car Wash", Kind: "car_wash", CompanyNumber: "99 123456"}},
				[]*tropic.CaseVehicle{{Registration: "ab12 cde", Description: "white van"}},
				[]*tropic.CasePhone{{Number: "+44 7700 900456"}}
		}

		// Through the service.
		made := e.newCase(t, e.pWorker, "Labour exploitation at Sparkle Hand Car Wash")
		e.person(t, e.pWorker, made, *zoe(), tropic.RolePotentialVictim)
		places, businesses, vehicles, phones := parts()
		for _, err := range []error{
			e.cases.AddPlace(ctx, e.pWorker, made.Reference, places[0]), e.cases.AddBusiness(ctx, e.pWorker, made.Reference, businesses[0]),
			e.cases.AddVehicle(ctx, e.pWorker, made.Reference, vehicles[0]), e.cases.AddPhone(ctx, e.pWorker, made.Reference, phones[0]),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}

		// Through the loader, shared with the council.
		l, err := e.db.NewCaseLoader(ctx, phone.Parse, "bulk test", t0)
		if err != nil {
			t.Fatal(err)
		}
		bc := &store.BulkCase{Case: tropic.Case{OwnerAgencyID: e.police.ID, Title: made.Title, District: made.District, Exploitation: made.Exploitation},
			People: []store.BulkPerson{{Person: zoe(), Role: tropic.RolePotentialVictim}},
			Shares: []*tropic.Share{{AgencyID: e.council.ID, Scope: tropic.ShareWithoutSensitive, LawfulBasis: "dpa_sch1_18", Reason: "Safeguarding",
				Status: tropic.ShareActive}}}
		bc.Places, bc.Businesses, bc.Vehicles, bc.Phones = parts()
		if err := l.Add(ctx, bc); err != nil {
			t.Fatal(err)
		}
		if err := l.Close(ctx); err != nil {
			t.Fatalf("close loader: %v", err)
		}

		want, got := e.find(t, e.pWorker, made.Reference), e.find(t, e.pWorker, bc.Case.Reference)
		if got.Title != want.Title || got.Status != want.Status || got.Exploitation.String() != want.Exploitation.String() || got.Version != want.Version {
			t.Errorf("loaded case %+v, want like %+v", got, want)
		}
		if len(got.People) != 1 || len(got.Places) != 1 || len(got.Business) != 1 || len(got.Vehicles) != 1 || len(got.Phones) != 1 {
			t.Fatalf("loaded case has %d people, %d places, %d businesses, %d vehicles, %d phones; want one of each",
				len(got.People), len(got.Places), len(got.Business), len(got.Vehicles), len(got.Phones))
		}
		gp, wp := got.People[0].Person, want.People[0].Person
		if gp.FullName() != wp.FullName() || gp.PhoneE164 != wp.PhoneE164 || gp.ImmigrationStatus != wp.ImmigrationStatus || len(gp.Aliases) != 1 {
			t.Errorf("loaded person %+v, want like %+v", gp, wp)
		}
		if got.Places[0].Postcode != want.Places[0].Postcode || got.Business[0].CompanyNumber != want.Business[0].CompanyNumber ||
			got.Vehicles[0].Normalised != want.Vehicles[0].Normalised || got.Phones[0].E164 != want.Phones[0].E164 {
			t.Errorf("loaded parts %+v %+v %+v %+v, want like %+v %+v %+v %+v", got.Places[0], got.Business[0], got.Vehicles[0], got.Phones[0],
				want.Places[0], want.Business[0], want.Vehicles[0], want.Phones[0])
		}

		// Search finds both the same ways; the council sees the loaded one through its share.
		for _, q := range []string{"zoe o brien", "O'Brien-Smith Zoë", "mama z", "+447700900456", "AB12CDE", "sparkle car", "AL1 3JX"} {
			hits, err := e.cases.Search(ctx, e.pWorker, q, 20)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != 2 {
				t.Errorf("search %q found %d cases, want both", q, len(hits))
			}
		}
		if hits, err := e.cases.Search(ctx, e.cWorker, "Zoe O'Brien-Smith", 20); err != nil || len(hits) != 1 || hits[0].Case.Reference != bc.Case.Reference {
			t.Errorf("council search: got %v, %v; want the shared, loaded case only", hits, err)
		}

		// The store goes on numbering rows after the loaded ones.
		after := e.newCase(t, e.pWorker, "Opened after the load")
		e.person(t, e.pWorker, after, tropic.Person{GivenName: "Łukasz", FamilyName: "Nowak"}, tropic.RoleWitness)
		e.clock.Advance(time.Minute)
		if err := e.cases.AddExistingPerson(ctx, e.pWorker, after.Reference, gp.ID, tropic.RoleSuspect); err != nil {
			t.Errorf("add the loaded person to a new case: %v", err)
		}
		if c := e.find(t, e.pWorker, after.Reference); len(c.Notices) != 1 {
			t.Errorf("a suspect who is a loaded potential victim: got notices %+v, want one", c.Notices)
		}
	})
}
