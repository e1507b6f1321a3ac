package store_test

import (
	"encoding/json"
	"strings"
	"testing"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// rightsEnv: the police have a data protection officer; Rita Requester is a potential
// victim on one police case with a suspect, and another police case names only Olive
// Other. The council has no data protection officer.
type rightsEnv struct {
	*caseEnv
	rights      *store.RightsService
	pDPO, cDPO2 tropic.Actor // cDPO2: a data protection officer of a third agency
	withRita    *tropic.Case
	otherCase   *tropic.Case
	rita, tom   *tropic.Person
	req         *tropic.RightsRequest
}

func newRightsEnv(t *testing.T, d store.Dialect) *rightsEnv {
	t.Helper()
	e := &rightsEnv{caseEnv: newCaseEnv(t, d)}
	e.rights = store.NewRightsService(e.db)
	e.pDPO = tropic.ActorFor(e.user(t, e.police.ID, "dee.pio@police.example", tropic.RoleDPO))
	third := e.agency(t, "Herts Freedom Charity")
	e.cDPO2 = tropic.ActorFor(e.user(t, third.ID, "dpo@charity.example", tropic.RoleDPO))
	e.withRita = e.newCase(t, e.pWorker, "Victoria Street car wash")
	e.rita = e.person(t, e.pWorker, e.withRita, tropic.Person{GivenName: "Rita", FamilyName: "Requester", DateOfBirth: "1990-04-02"}, tropic.RolePotentialVictim)
	e.tom = e.person(t, e.pWorker, e.withRita, tropic.Person{GivenName: "Tom", FamilyName: "Thirdparty"}, tropic.RoleSuspect)
	e.otherCase = e.newCase(t, e.pWorker, "UNRELATED-TITLE nail bar")
	e.person(t, e.pWorker, e.otherCase, tropic.Person{GivenName: "Olive", FamilyName: "Other"}, tropic.RolePotentialVictim)
	e.req = &tropic.RightsRequest{Kind: tropic.RightsAccess, ReceivedOn: "2026-01-31", IdentityVerified: "Passport and a utility bill seen", Reference: "SAR-7"}
	if err := e.rights.OpenRightsRequest(ctx, e.pDPO, e.req); err != nil {
		t.Fatalf("open request: %v", err)
	}
	return e
}

func TestARightsPackageHoldsTheRequestersCasesAndRedactsEveryoneElse(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newRightsEnv(t, d)
		if e.req.Deadline != "2026-02-28" || e.req.Status != tropic.RightsOpen {
			t.Fatalf("opened: %+v", e.req)
		}
		found, err := e.rights.SearchRightsPeople(ctx, e.pDPO, e.req.ID, "rita")
		must(t, err)
		if len(found) != 1 || found[0].PersonID != e.rita.ID || found[0].Confirmed {
			t.Fatalf("search: %+v", found)
		}
		// Nothing is in the package until the officer confirms who the requester is.
		if _, err := e.rights.ReleaseRightsPackage(ctx, e.pDPO, e.req.ID); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Fatalf("released with nobody confirmed: %v", err)
		}
		must(t, e.rights.ConfirmRightsPerson(ctx, e.pDPO, e.req.ID, e.rita.ID, true))
		review, err := e.rights.RightsPackage(ctx, e.pDPO, e.req.ID)
		must(t, err)
		if len(review.Subjects) != 1 || len(review.Subjects[0].Cases) != 1 || review.Subjects[0].Cases[0].Reference != e.withRita.Reference {
			t.Fatalf("review: %+v", review)
		}
		tp := review.Subjects[0].Cases[0].ThirdParties
		if len(tp) != 1 || tp[0].Name != "Tom Thirdparty" || !tp[0].Redacted {
			t.Fatalf("third parties for review: %+v", tp)
		}
		wantCode(t, e.rights.SetRightsRedaction(ctx, e.pDPO, e.req.ID, e.tom.ID, false, " "), tropic.EINVALID)
		must(t, e.rights.SetRightsRedaction(ctx, e.pDPO, e.req.ID, e.tom.ID, false, "Named in the requester's own statement"))
		review, err = e.rights.RightsPackage(ctx, e.pDPO, e.req.ID)
		must(t, err)
		if tp := review.Subjects[0].Cases[0].ThirdParties; tp[0].Redacted || tp[0].Reason == "" {
			t.Fatalf("unticked redaction not kept: %+v", tp)
		}
		must(t, e.rights.SetRightsRedaction(ctx, e.pDPO, e.req.ID, e.tom.ID, true, ""))
		pkg, err := e.rights.ReleaseRightsPackage(ctx, e.pDPO, e.req.ID)
		must(t, err)
		if pkg.ReleasedAt == nil || !strings.Contains(pkg.ReleasedBy, "dee.pio") {
			t.Fatalf("release not recorded: %+v", pkg)
		}
		b, _ := json.Marshal(pkg)
		for _, want := range []string{"Rita", e.withRita.Reference, "Victoria Street car wash", tropic.RedactedThirdParty} {
			if !strings.Contains(string(b), want) {
				t.Errorf("package lacks %q: %s", want, b)
			}
		}
		for _, secret := range []string{"Tom", "Thirdparty", "Olive", "UNRELATED-TITLE", e.otherCase.Reference} {
			if strings.Contains(string(b), secret) {
				t.Errorf("package holds %q: %s", secret, b)
			}
		}
		ev := e.lastEvent(t)
		if ev.Action != "rights.released" || strings.Contains(ev.Detail, "Rita") || strings.Contains(ev.Detail, "Requester") {
			t.Fatalf("audit: %+v", ev)
		}
		// Releasing again (a replayed form) gives the same package and keeps the first record.
		again, err := e.rights.ReleaseRightsPackage(ctx, e.pDPO, e.req.ID)
		must(t, err)
		if !again.ReleasedAt.Equal(*pkg.ReleasedAt) {
			t.Fatalf("second release changed the record: %v, was %v", again.ReleasedAt, pkg.ReleasedAt)
		}
		// Once released, the package no longer changes.
		wantCode(t, e.rights.ConfirmRightsPerson(ctx, e.pDPO, e.req.ID, e.tom.ID, true), tropic.ECONFLICT)
	})
}

func TestRightsRequestsAreNotFoundForOtherAgenciesAndRoles(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newRightsEnv(t, d)
		must(t, e.rights.ConfirmRightsPerson(ctx, e.pDPO, e.req.ID, e.rita.ID, true))
		// The police have a data protection officer, so their supervisor does not work requests.
		for name, a := range map[string]tropic.Actor{"police caseworker": e.pWorker, "police supervisor": e.pSuper,
			"council supervisor": e.cSuper, "other agency's officer": e.cDPO2, "council caseworker": e.cWorker} {
			if _, err := e.rights.FindRightsRequest(ctx, a, e.req.ID); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Errorf("%s reads the request: %v", name, err)
			}
			if _, err := e.rights.RightsPackage(ctx, a, e.req.ID); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Errorf("%s reads the package: %v", name, err)
			}
			if _, err := e.rights.ReleaseRightsPackage(ctx, a, e.req.ID); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Errorf("%s releases the package: %v", name, err)
			}
			if err := e.rights.ExtendRightsRequest(ctx, a, e.req.ID, "because"); tropic.ErrorCode(err) != tropic.ENOTFOUND {
				t.Errorf("%s extends the request: %v", name, err)
			}
		}
		if _, err := e.rights.FindRightsRequests(ctx, e.pWorker); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Errorf("a caseworker lists requests: %v", err)
		}
		// The charity's officer, on a request of their own, cannot pull in a police person.
		own := &tropic.RightsRequest{Kind: tropic.RightsAccess, ReceivedOn: "2026-02-01", IdentityVerified: "Known to staff"}
		must(t, e.rights.OpenRightsRequest(ctx, e.cDPO2, own))
		wantCode(t, e.rights.ConfirmRightsPerson(ctx, e.cDPO2, own.ID, e.rita.ID, true), tropic.ENOTFOUND)
		found, err := e.rights.SearchRightsPeople(ctx, e.cDPO2, own.ID, "rita")
		must(t, err)
		if len(found) != 0 {
			t.Fatalf("the charity finds a police person: %+v", found)
		}
		// A supervisor works requests where the agency has no officer.
		cReq := &tropic.RightsRequest{Kind: tropic.RightsErasure, ReceivedOn: "2026-01-15", IdentityVerified: "Driving licence seen"}
		must(t, e.rights.OpenRightsRequest(ctx, e.cSuper, cReq))
		wantCode(t, e.rights.ExtendRightsRequest(ctx, e.cSuper, cReq.ID, ""), tropic.EINVALID)
		must(t, e.rights.ExtendRightsRequest(ctx, e.cSuper, cReq.ID, "Records held in three systems"))
		wantCode(t, e.rights.ExtendRightsRequest(ctx, e.cSuper, cReq.ID, "again"), tropic.ECONFLICT)
		must(t, e.rights.CloseRightsRequest(ctx, e.cSuper, cReq.ID, tropic.RightsRefused, "Refused in full", "law enforcement, DPA 2018 s.45(4)"))
		list, err := e.rights.FindRightsRequests(ctx, e.cSuper)
		must(t, err)
		if len(list) != 1 || list[0].Deadline != "2026-04-15" || list[0].Status != tropic.RightsRefused || list[0].Exemption == "" {
			t.Fatalf("council list: %+v", list[0])
		}
		if _, err := e.rights.RightsPackage(ctx, e.cSuper, cReq.ID); tropic.ErrorCode(err) != tropic.ECONFLICT {
			t.Fatalf("an erasure request has a package: %v", err)
		}
	})
}
