package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/store/storetest"
	"tropic/internal/tropic"
)

// agreementEnv is a case environment with a third agency (a charity) and an
// agreement between the police and the council.
type agreementEnv struct {
	*caseEnv
	charity   *tropic.Agency
	agreement *tropic.SharingAgreement
}

func newAgreementEnv(t *testing.T, d store.Dialect) *agreementEnv {
	t.Helper()
	e := &agreementEnv{caseEnv: newCaseEnv(t, d)}
	e.charity = e.agency(t, "Safe Harbour")
	e.agreement = e.newAgreement(t, "Police and council protocol", t0.AddDate(0, 6, 0), e.police.ID, e.council.ID)
	return e
}

func (e *agreementEnv) newAgreement(t *testing.T, title string, review time.Time, parties ...int64) *tropic.SharingAgreement {
	t.Helper()
	g := &tropic.SharingAgreement{Title: title, Parties: parties, Purposes: "Safeguarding and the investigation of modern slavery.",
		LawfulBases: []string{"dpa_sch1_18", "dpa_part3"}, DataCategories: []string{"identity", "case"}, ReviewOn: review.Format(time.DateOnly),
		DocumentRef: "ISA/2026/" + title}
	if err := e.cases.CreateAgreement(ctx, admin, g); err != nil {
		t.Fatalf("create agreement %q: %v", title, err)
	}
	return g
}

func TestAgreementRegisterIsKeptByThePartnershipAdministratorWithHistory(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAgreementEnv(t, d)
		g := *e.agreement
		g.ID = 0
		wantCode(t, e.cases.CreateAgreement(ctx, e.pSuper, &g), tropic.EFORBIDDEN)
		g.Title = e.agreement.Title
		wantField(t, e.cases.CreateAgreement(ctx, admin, &g), "title")
		bad := tropic.SharingAgreement{Parties: []int64{e.police.ID}, ReviewOn: "31/02/2027"}
		err := e.cases.CreateAgreement(ctx, admin, &bad)
		for _, f := range []string{"title", "parties", "purposes", "lawful_bases", "data_categories", "review_on", "document_ref"} {
			wantField(t, err, f)
		}
		g.Title, g.Parties = "Ghost agreement", []int64{e.police.ID, 987654}
		wantField(t, e.cases.CreateAgreement(ctx, admin, &g), "parties")

		list, err := e.cases.FindAgreements(ctx, e.cWorker)
		if err != nil || len(list) != 1 || strings.Join(list[0].PartyNames, ",") != "Hertfordshire Constabulary,Hertfordshire County Council" {
			t.Fatalf("the register as a caseworker reads it: %+v, %v", list, err)
		}
		up := *list[0]
		up.ReviewOn, up.Parties = "2027-06-30", append(up.Parties, e.charity.ID)
		e.clock.Advance(time.Hour)
		wantCode(t, e.cases.UpdateAgreement(ctx, e.cSuper, &up), tropic.EFORBIDDEN)
		if err := e.cases.UpdateAgreement(ctx, admin, &up); err != nil {
			t.Fatal(err)
		}
		got, history, err := e.cases.FindAgreement(ctx, admin, up.ID)
		if err != nil || got.ReviewOn != "2027-06-30" || len(got.Parties) != 3 {
			t.Fatalf("after the review: %+v, %v", got, err)
		}
		if len(history) != 2 || history[0].Action != tropic.AuditAgreementUpdated || !strings.Contains(history[0].Detail, "review on") ||
			!strings.Contains(history[0].Detail, "Safe Harbour") || history[1].Action != tropic.AuditAgreementCreated {
			t.Fatalf("history: %+v", history)
		}
		_, _, err = e.cases.FindAgreement(ctx, e.cWorker, up.ID)
		wantCode(t, err, tropic.EFORBIDDEN)
	})
}

func TestEveryShareCitesAnAgreementCoveringBothAgenciesOrSaysWhyNone(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAgreementEnv(t, d)
		c := e.newCase(t, e.pWorker, "Car wash")
		charityOnly := e.newAgreement(t, "Police and charity protocol", t0.AddDate(1, 0, 0), e.police.ID, e.charity.ID)
		lapsed := e.newAgreement(t, "Old protocol", t0.AddDate(0, 0, -1), e.police.ID, e.council.ID)
		share := func(s tropic.Share) error { return e.cases.RequestShare(ctx, e.pSuper, c.Reference, &s) }
		ok := tropic.Share{AgencyID: e.council.ID, Scope: tropic.ShareWhole, LawfulBasis: "dpa_sch1_18", Reason: "Joint visit"}

		wantField(t, share(ok), "agreement_reason") // neither an agreement nor a reason
		notCovered := ok
		notCovered.AgreementID = charityOnly.ID
		wantField(t, share(notCovered), "agreement")
		expired := ok
		expired.AgreementID = lapsed.ID
		wantField(t, share(expired), "agreement")
		missing := ok
		missing.AgreementID = 987654
		wantField(t, share(missing), "agreement")
		basis := ok
		basis.AgreementID, basis.LawfulBasis = e.agreement.ID, "consent"
		wantField(t, share(basis), "lawful_basis")

		cited := ok
		cited.AgreementID, cited.NoAgreementReason = e.agreement.ID, "ignored when an agreement is cited"
		if err := e.cases.RequestShare(ctx, e.pSuper, c.Reference, &cited); err != nil {
			t.Fatal(err)
		}
		none := tropic.Share{AgencyID: e.charity.ID, Scope: tropic.ShareWithoutSensitive, LawfulBasis: "consent", Reason: "Support",
			NoAgreementReason: "The person asked us to share with the charity; the charity is not yet party to an agreement."}
		if err := e.cases.RequestShare(ctx, e.pWorker, c.Reference, &none); err != nil {
			t.Fatal(err)
		}
		got, err := e.cases.FindCase(ctx, e.pSuper, c.Reference)
		if err != nil || len(got.Shares) != 2 {
			t.Fatalf("shares: %v", err)
		}
		now := e.clock.Now()
		if s := got.Shares[0]; s.AgreementTitle != e.agreement.Title || s.NoAgreementReason != "" || s.Flag(now) != tropic.ShareFlagNone {
			t.Errorf("a share citing an agreement: %+v flag %q", s, s.Flag(now))
		}
		if s := got.Shares[1]; s.AgreementID != 0 || s.NoAgreementReason != none.NoAgreementReason || s.Flag(now) != tropic.ShareFlagNoAgreement {
			t.Errorf("a share without an agreement: %+v flag %q", s, s.Flag(now))
		}
		// The supervisor deciding it sees it flagged in the queue.
		queue, err := e.cases.FindShareApprovals(ctx, e.pSuper)
		if err != nil || len(queue) != 1 || queue[0].Share == nil || queue[0].Share.Flag(now) != tropic.ShareFlagNoAgreement ||
			queue[0].Share.NoAgreementReason != none.NoAgreementReason {
			t.Fatalf("queue: %+v, %v", queue, err)
		}
	})
}

func TestSharesUnderAnExpiredAgreementAreFlaggedAndEndedInBulkByTheOwner(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAgreementEnv(t, d)
		var ids []int64
		for _, title := range []string{"Car wash", "Nail bar"} {
			c := e.newCase(t, e.pWorker, title)
			sh := tropic.Share{AgencyID: e.council.ID, Scope: tropic.ShareWhole, LawfulBasis: "dpa_part3", Reason: "Joint visit", AgreementID: e.agreement.ID}
			if err := e.cases.RequestShare(ctx, e.pSuper, c.Reference, &sh); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, sh.ID)
		}
		if list, err := e.cases.FindExpiredShares(ctx, e.pSuper); err != nil || len(list) != 0 {
			t.Fatalf("before the review date: %+v, %v", list, err)
		}
		e.clock.Advance(7 * 30 * 24 * time.Hour) // past the review date, not reviewed
		list, err := e.cases.FindExpiredShares(ctx, e.pSuper)
		if err != nil || len(list) != 2 || list[0].Agreement != e.agreement.Title {
			t.Fatalf("after the review date: %+v, %v", list, err)
		}
		if other, err := e.cases.FindExpiredShares(ctx, e.cSuper); err != nil || len(other) != 0 {
			t.Fatalf("another agency's supervisor sees %+v, %v", other, err)
		}
		_, err = e.cases.FindExpiredShares(ctx, e.pWorker)
		wantCode(t, err, tropic.EFORBIDDEN)
		// Another agency's supervisor, or a caseworker, ends nothing; one wrong id ends none.
		_, err = e.cases.EndExpiredShares(ctx, e.cSuper, ids)
		wantCode(t, err, tropic.ENOTFOUND)
		_, err = e.cases.EndExpiredShares(ctx, e.pWorker, ids)
		wantCode(t, err, tropic.EFORBIDDEN)
		_, err = e.cases.EndExpiredShares(ctx, e.pSuper, append([]int64{987654}, ids...))
		wantCode(t, err, tropic.ENOTFOUND)
		if list, _ := e.cases.FindExpiredShares(ctx, e.pSuper); len(list) != 2 {
			t.Fatalf("a refused bulk end wrote something: %d left", len(list))
		}
		n, err := e.cases.EndExpiredShares(ctx, e.pSuper, ids)
		if err != nil || n != 2 {
			t.Fatalf("ended %d, %v", n, err)
		}
		_, err = e.cases.EndExpiredShares(ctx, e.pSuper, ids[:1]) // a replay
		wantCode(t, err, tropic.ENOTFOUND)
		var audited int
		if err := e.db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = '` + tropic.AuditShareEndedExpired + `'`).Scan(&audited); err != nil || audited != 2 {
			t.Fatalf("audit events: %d, %v", audited, err)
		}
		if _, err := e.cases.FindCase(ctx, e.cWorker, list[0].CaseReference); tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("the council still sees an ended share's case: %v", err)
		}
		// A review restores the agreement for new shares.
		up := *e.agreement
		up.ReviewOn = e.clock.Now().AddDate(1, 0, 0).Format(time.DateOnly)
		if err := e.cases.UpdateAgreement(ctx, admin, &up); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAccessRequestCitesAnAgreementCoveringTheRequesterAndTheHolder(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newAccessEnv(t, d)
		g := &tropic.SharingAgreement{Title: "Council only", Parties: []int64{e.caseEnv.council.ID, e.agency(t, "Other council").ID},
			Purposes: "p", LawfulBases: []string{"dpa_sch1_18"}, DataCategories: []string{"case"}, ReviewOn: "2030-01-01", DocumentRef: "d"}
		if err := e.cases.CreateAgreement(ctx, admin, g); err != nil {
			t.Fatal(err)
		}
		r := e.request
		r.AgreementID, r.NoAgreement = g.ID, ""
		wantField(t, e.links.RequestAccess(ctx, e.cWorker, &r), "agreement")
		r.AgreementID = 0
		wantField(t, e.links.RequestAccess(ctx, e.cWorker, &r), "agreement_reason")
	})
}

// TestMigrationMarksEarlierSharesAsCitingNoAgreement: shares made before the register
// say "no agreement recorded", and so show flagged.
func TestMigrationMarksEarlierSharesAsCitingNoAgreement(t *testing.T) {
	ctx := context.Background()
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db, err := store.Open(ctx, storetest.NewDatabase(t, d), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := store.MigrateTo(ctx, db, 480); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`INSERT INTO agencies (name, kind, created_at) VALUES ('A', 'police', '2026-01-05 10:00:00')`,
			`INSERT INTO agencies (name, kind, created_at) VALUES ('B', 'charity', '2026-01-05 10:00:00')`,
			`INSERT INTO cases (reference, owner_agency_id, title, title_folded, opened_at, updated_at) SELECT 'C1', id, 't', 't', '2026-01-05 10:00:00', '2026-01-05 10:00:00' FROM agencies WHERE name = 'A'`,
			`INSERT INTO case_shares (case_id, agency_id, scope, lawful_basis, reason, status, created_at)
				SELECT c.id, a.id, 'whole', 'consent', 'r', 'active', '2026-01-05 10:00:00' FROM cases c, agencies a WHERE a.name = 'B'`,
		} {
			if _, err := db.SQL().Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var reason string
		var agreement *int64
		if err := db.SQL().QueryRow(`SELECT agreement_id, no_agreement_reason FROM case_shares`).Scan(&agreement, &reason); err != nil {
			t.Fatal(err)
		}
		sh := tropic.Share{NoAgreementReason: reason, Status: tropic.ShareActive}
		if agreement != nil || reason != tropic.NoAgreementRecorded || sh.Flag(time.Now()) != tropic.ShareFlagNoAgreement {
			t.Errorf("after the migration: agreement %v, reason %q", agreement, reason)
		}
	})
}
