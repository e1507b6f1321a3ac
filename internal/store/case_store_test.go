package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// caseEnv is a fresh database with two agencies, the police owning cases and the
// council asking to see them, and staff of each.
type caseEnv struct {
	*env
	cases   *store.CaseService
	reports *store.ReportService

	police, council *tropic.Agency
	// Police: a caseworker, a second caseworker, a supervisor and a triage officer.
	pWorker, pWorker2, pSuper, pTriage tropic.Actor
	// Council: a caseworker, a supervisor and an analyst.
	cWorker, cSuper, cAnalyst tropic.Actor
}

func newCaseEnv(t *testing.T, d store.Dialect) *caseEnv {
	t.Helper()
	e := &caseEnv{env: newEnv(t, d)}
	e.cases = store.NewCaseService(e.db, phone.Parse)
	e.reports = store.NewReportService(e.db, nil, phone.Parse)
	e.police = e.hubAgency(t, "Hertfordshire Constabulary")
	e.council = e.agency(t, "Hertfordshire County Council")
	as := func(a *tropic.Agency, email, name string, roles ...tropic.Role) tropic.Actor {
		u := &tropic.User{Email: email, Name: name, AgencyID: a.ID, Roles: roles}
		if err := e.users.CreateUser(context.Background(), admin, u, fakeHash); err != nil {
			t.Fatalf("create user %q: %v", email, err)
		}
		return tropic.ActorFor(u)
	}
	e.pWorker = as(e.police, "pat.worker@police.example", "Pat Worker", tropic.RoleCaseworker)
	e.pWorker2 = as(e.police, "quinn.other@police.example", "Quinn Other", tropic.RoleCaseworker)
	e.pSuper = as(e.police, "sam.super@police.example", "Sam Super", tropic.RoleSupervisor)
	e.pTriage = as(e.police, "tri.age@police.example", "Tri Age", tropic.RoleTriage)
	e.cWorker = as(e.council, "alex.archer@council.example", "Alex Archer", tropic.RoleCaseworker)
	e.cSuper = as(e.council, "cass.super@council.example", "Cass Super", tropic.RoleSupervisor)
	e.cAnalyst = as(e.council, "ana.lyst@council.example", "Ana Lyst", tropic.RoleAnalyst)
	return e
}

var ctx = context.Background()

// newCase opens a case owned by actor's agency.
func (e *caseEnv) newCase(t *testing.T, actor tropic.Actor, title string) *tropic.Case {
	t.Helper()
	c := &tropic.Case{Title: title, District: "st-albans", Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}}
	if err := e.cases.CreateCase(ctx, actor, c, ""); err != nil {
		t.Fatalf("create case %q: %v", title, err)
	}
	return c
}

// person adds a new person to a case.
func (e *caseEnv) person(t *testing.T, actor tropic.Actor, c *tropic.Case, p tropic.Person, role tropic.PersonRole) *tropic.Person {
	t.Helper()
	if err := e.cases.AddPerson(ctx, actor, c.Reference, &p, role); err != nil {
		t.Fatalf("add person %q: %v", p.FullName(), err)
	}
	return &p
}

// share shares c with agency at once (actor: a supervisor of the owner).
func (e *caseEnv) share(t *testing.T, actor tropic.Actor, c *tropic.Case, agency int64, scope tropic.ShareScope, until string) *tropic.Share {
	t.Helper()
	sh := &tropic.Share{AgencyID: agency, Scope: scope, LawfulBasis: "dpa_sch1_18", Reason: "Safeguarding the people at the car wash", NoAgreementReason: "No agreement in the test register", Until: until}
	if err := e.cases.RequestShare(ctx, actor, c.Reference, sh); err != nil {
		t.Fatalf("share case: %v", err)
	}
	return sh
}

func (e *caseEnv) find(t *testing.T, actor tropic.Actor, ref string) *tropic.Case {
	t.Helper()
	c, err := e.cases.FindCase(ctx, actor, ref)
	if err != nil {
		t.Fatalf("find case %s: %v", ref, err)
	}
	return c
}

// wantNotFoundLikeMissing fails unless err is exactly what a missing case answers.
func wantNotFoundLikeMissing(t *testing.T, e *caseEnv, err error) {
	t.Helper()
	_, missing := e.cases.FindCase(ctx, e.pWorker, tropic.NewCaseReference())
	if tropic.ErrorCode(err) != tropic.ENOTFOUND || err.Error() != missing.Error() {
		t.Fatalf("got %v, want exactly what a missing case answers: %v", err, missing)
	}
}

func TestCaseFromTriagedReportIsInvisibleToAnotherAgencyUntilShared(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		r := &tropic.Report{Channel: tropic.ChannelWeb, Description: "Men sleeping at the car wash", FollowUpHash: "h", Reporter: tropic.Reporter{Anonymous: true}}
		if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
			t.Fatalf("create report: %v", err)
		}
		c := &tropic.Case{Title: "Sparkle car wash"}
		wantCode(t, e.cases.CreateCase(ctx, e.pWorker, c, r.Reference), tropic.EINVALID) // a caseworker cannot see a new report
		wantCode(t, e.cases.CreateCase(ctx, e.pTriage, c, "KM7Q-2XPA-7"), tropic.EINVALID)
		if err := e.cases.CreateCase(ctx, e.pTriage, c, r.Reference); err != nil {
			t.Fatalf("create case from report: %v", err)
		}
		if !strings.HasPrefix(c.Reference, "C-") || c.OwnerAgencyID != e.police.ID || c.Version != 1 || c.Status != tropic.CaseOpen {
			t.Fatalf("got %+v, want an open police case at version 1", c)
		}
		got, err := e.reports.FindReportByReference(ctx, e.pTriage, r.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != tropic.ReportLinkedToCase || !strings.Contains(got.Notes[len(got.Notes)-1].Text, c.Reference) {
			t.Fatalf("got report status %q, notes %+v, want linked with a note naming %s", got.Status, got.Notes, c.Reference)
		}
		if pc := e.find(t, e.pWorker, c.Reference); !slices.Equal(pc.Reports, []string{r.Reference}) || pc.Access != tropic.AccessWhole {
			t.Fatalf("got reports %v access %v, want [%s] whole", pc.Reports, pc.Access, r.Reference)
		}

		// The council sees nothing of it, every way it could ask.
		_, err = e.cases.FindCase(ctx, e.cWorker, c.Reference)
		wantNotFoundLikeMissing(t, e, err)
		wantNotFoundLikeMissing(t, e, e.cases.AddNote(ctx, e.cWorker, c.Reference, &tropic.Note{Text: "hello"}))
		wantNotFoundLikeMissing(t, e, e.cases.UpdateCase(ctx, e.cSuper, c.Reference, tropic.CaseUpdate{Version: 1, Title: "x"}))
		_, err = e.cases.FindAccessLog(ctx, e.cSuper, c.Reference)
		wantNotFoundLikeMissing(t, e, err)
		if list, n, _ := e.cases.FindCases(ctx, e.cWorker, tropic.CaseFilter{}); len(list) != 0 || n != 0 {
			t.Fatalf("got %d cases for the council, want none", n)
		}
		if hits, _ := e.cases.Search(ctx, e.cWorker, "sparkle", 10); len(hits) != 0 {
			t.Fatalf("got %d search hits for the council, want none", len(hits))
		}

		// A caseworker asks; still nothing until a supervisor approves.
		sh := &tropic.Share{AgencyID: e.council.ID, Scope: tropic.ShareWhole, LawfulBasis: "gdpr_6_1_e", Reason: "Joint visit", NoAgreementReason: "No agreement in the test register"}
		if err := e.cases.RequestShare(ctx, e.pWorker, c.Reference, sh); err != nil {
			t.Fatal(err)
		}
		if sh.Status != tropic.ShareRequested {
			t.Fatalf("got share status %q, want requested", sh.Status)
		}
		_, err = e.cases.FindCase(ctx, e.cWorker, c.Reference)
		wantNotFoundLikeMissing(t, e, err)
		wantCode(t, e.cases.DecideShare(ctx, e.pWorker, sh.ID, true, ""), tropic.EFORBIDDEN)
		wantCode(t, e.cases.DecideShare(ctx, e.cSuper, sh.ID, true, ""), tropic.ENOTFOUND)
		if err := e.cases.DecideShare(ctx, e.pSuper, sh.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.cases.DecideShare(ctx, e.pSuper, sh.ID, true, ""), tropic.ECONFLICT)
		cc := e.find(t, e.cWorker, c.Reference)
		if cc.Access != tropic.AccessWhole || len(cc.Shares) != 1 || cc.Shares[0].GrantedBy != "Sam Super (Hertfordshire Constabulary)" {
			t.Fatalf("got access %v shares %+v, want whole with the council's share granted by Sam Super", cc.Access, cc.Shares)
		}
		list, n, err := e.cases.FindCases(ctx, e.cWorker, tropic.CaseFilter{Scope: "shared"})
		if err != nil || n != 1 || list[0].Reference != c.Reference || list[0].Access != tropic.AccessWhole {
			t.Fatalf("got %v, %d, %v, want the case shared with us", list, n, err)
		}
		if _, n, _ := e.cases.FindCases(ctx, e.cWorker, tropic.CaseFilter{Scope: "ours"}); n != 0 {
			t.Fatalf("got %d of our cases for the council, want 0", n)
		}
		// An analyst of the council still sees no case at all.
		_, err = e.cases.FindCase(ctx, e.cAnalyst, c.Reference)
		wantNotFoundLikeMissing(t, e, err)

		// The council may add to the timeline, not change the case.
		if err := e.cases.AddNote(ctx, e.cWorker, c.Reference, &tropic.Note{Text: "Visited with police"}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.cases.UpdateCase(ctx, e.cWorker, c.Reference, tropic.CaseUpdate{Version: 1, Title: "x"}), tropic.EFORBIDDEN)
		wantCode(t, e.cases.RevokeShare(ctx, e.cSuper, sh.ID), tropic.EFORBIDDEN)

		// Revoked: not found again.
		if err := e.cases.RevokeShare(ctx, e.pSuper, sh.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.cases.FindCase(ctx, e.cWorker, c.Reference)
		wantNotFoundLikeMissing(t, e, err)
		wantCode(t, e.cases.RevokeShare(ctx, e.pSuper, sh.ID), tropic.ECONFLICT)
		for _, a := range []string{tropic.AuditCaseCreated, tropic.AuditCaseReportLinked, tropic.AuditShareRequested, tropic.AuditShareGranted, tropic.AuditShareRevoked, tropic.AuditCaseViewed} {
			if !slices.Contains(e.actions(t), a) {
				t.Errorf("got actions %v, want %q among them", e.actions(t), a)
			}
		}
	})
}

func TestShareWithoutSensitiveFieldsHidesThem(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Nail bar on the High Street")
		p := e.person(t, e.pWorker, c, tropic.Person{GivenName: "Anna", FamilyName: "Kowalska", ImmigrationStatus: "Visa expired", Health: "Diabetic"}, tropic.RolePotentialVictim)
		if err := e.cases.AddNote(ctx, e.pWorker, c.Reference, &tropic.Note{Text: "Told us about her visa", Sensitive: true}); err != nil {
			t.Fatal(err)
		}
		if err := e.cases.AddNote(ctx, e.pWorker, c.Reference, &tropic.Note{Text: "Visited the nail bar"}); err != nil {
			t.Fatal(err)
		}
		sh := e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWithoutSensitive, "")
		if sh.Status != tropic.ShareActive {
			t.Fatalf("got status %q, want a supervisor's share active at once", sh.Status)
		}

		own := e.find(t, e.pWorker, c.Reference)
		if got := own.People[0].Person; got.ImmigrationStatus != "Visa expired" || got.Health != "Diabetic" || got.SensitiveHidden || len(own.Notes) != 2 {
			t.Fatalf("owner got %+v and %d notes, want sensitive fields and both notes", got, len(own.Notes))
		}
		cc := e.find(t, e.cWorker, c.Reference)
		got := cc.People[0].Person
		if cc.Access != tropic.AccessWithoutSensitive || got.ImmigrationStatus != "" || got.Health != "" || !got.SensitiveHidden || got.GivenName != "Anna" {
			t.Fatalf("council got access %v person %+v, want name without immigration status or health", cc.Access, got)
		}
		if len(cc.Notes) != 1 || cc.Notes[0].Sensitive {
			t.Fatalf("council got notes %+v, want only the one not sensitive", cc.Notes)
		}
		fp, links, err := e.cases.FindPerson(ctx, e.cWorker, p.ID)
		if err != nil || fp.ImmigrationStatus != "" || fp.Health != "" || !fp.SensitiveHidden || len(links) != 1 || links[0].CaseReference != c.Reference {
			t.Fatalf("council got person %+v links %v err %v, want no sensitive fields", fp, links, err)
		}
		// A share without sensitive fields reads only.
		wantCode(t, e.cases.AddNote(ctx, e.cWorker, c.Reference, &tropic.Note{Text: "x"}), tropic.EFORBIDDEN)
		wantCode(t, e.cases.AddExistingPerson(ctx, e.cWorker, e.newCase(t, e.cWorker, "Council case").Reference, p.ID, tropic.RoleWitness), tropic.EFORBIDDEN)
		// Lists never carry the sensitive fields, even for the owner.
		matches, err := e.cases.FindPersonMatches(ctx, e.pWorker, &tropic.Person{GivenName: "Anna", FamilyName: "Kowalska"})
		if err != nil || len(matches) != 1 || matches[0].Person.ImmigrationStatus != "" || matches[0].Person.Health != "" {
			t.Fatalf("got matches %+v, %v, want one without sensitive fields", matches, err)
		}
		// The owner sees every share; the council only its own.
		e.share(t, e.pSuper, c, e.agency(t, "Herts NHS Trust").ID, tropic.ShareWhole, "")
		if n := len(e.find(t, e.pWorker, c.Reference).Shares); n != 2 {
			t.Fatalf("owner got %d shares, want 2", n)
		}
		if s := e.find(t, e.cWorker, c.Reference).Shares; len(s) != 1 || s[0].AgencyID != e.council.ID {
			t.Fatalf("council got shares %+v, want only its own", s)
		}
	})
}

func TestExpiredShareGivesNoAccess(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Farm near Hitchin")
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWhole, t0.Format(time.DateOnly))
		e.find(t, e.cWorker, c.Reference) // the last day still counts
		e.clock.Advance(24 * time.Hour)
		_, err := e.cases.FindCase(ctx, e.cWorker, c.Reference)
		wantNotFoundLikeMissing(t, e, err)
		if hits, _ := e.cases.Search(ctx, e.cWorker, "hitchin", 10); len(hits) != 0 {
			t.Fatalf("got %d hits after the share ended, want none", len(hits))
		}
	})
}

func TestShareRules(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Car wash")
		bad := func(s tropic.Share) error { return e.cases.RequestShare(ctx, e.pSuper, c.Reference, &s) }
		ok := tropic.Share{AgencyID: e.council.ID, Scope: tropic.ShareWhole, LawfulBasis: "consent", Reason: "r", NoAgreementReason: "No agreement in the test register"}
		own := ok
		own.AgencyID = e.police.ID
		err := bad(own)
		wantCode(t, err, tropic.EINVALID)
		wantField(t, err, "agency")
		missing := ok
		missing.AgencyID = 987654
		wantField(t, bad(missing), "agency")
		nobasis := ok
		nobasis.LawfulBasis = "because"
		wantField(t, bad(nobasis), "lawful_basis")
		sh := ok
		if err := e.cases.RequestShare(ctx, e.pWorker, c.Reference, &sh); err != nil {
			t.Fatal(err)
		}
		wantField(t, e.cases.DecideShare(ctx, e.pSuper, sh.ID, false, " "), "reason")
		if err := e.cases.DecideShare(ctx, e.pSuper, sh.ID, false, "Not needed yet"); err != nil {
			t.Fatal(err)
		}
		_, err = e.cases.FindCase(ctx, e.cWorker, c.Reference)
		wantNotFoundLikeMissing(t, e, err)
		wantCode(t, e.cases.RequestShare(ctx, e.cSuper, c.Reference, &ok), tropic.ENOTFOUND)
	})
}

func TestAccessLogListsEachView(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Brothel in Watford")
		p := e.person(t, e.pWorker, c, tropic.Person{GivenName: "Mara", FamilyName: "Ionescu"}, tropic.RolePotentialVictim)
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWithoutSensitive, "")
		e.find(t, e.pWorker, c.Reference)
		e.clock.Advance(time.Minute)
		e.find(t, e.cWorker, c.Reference)
		e.clock.Advance(time.Minute)
		if _, _, err := e.cases.FindPerson(ctx, e.cWorker, p.ID); err != nil {
			t.Fatal(err)
		}
		log, err := e.cases.FindAccessLog(ctx, e.pSuper, c.Reference)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range log {
			got = append(got, l.User+"/"+l.Agency+"/"+l.What)
		}
		want := []string{"Alex Archer/Hertfordshire County Council/person Mara Ionescu", "Alex Archer/Hertfordshire County Council/case", "Pat Worker/Hertfordshire Constabulary/case"}
		if !slices.Equal(got, want) {
			t.Fatalf("got access log %q, want %q", got, want)
		}
		if !log[0].At.Equal(t0.Add(2 * time.Minute)) {
			t.Fatalf("got newest view at %v, want %v", log[0].At, t0.Add(2*time.Minute))
		}
		_, err = e.cases.FindAccessLog(ctx, e.pWorker, c.Reference)
		wantCode(t, err, tropic.EFORBIDDEN)
		_, err = e.cases.FindAccessLog(ctx, e.cSuper, c.Reference)
		wantCode(t, err, tropic.EFORBIDDEN)
		acts := e.actions(t)
		if n := countOf(acts, tropic.AuditCaseViewed); n != 2 || countOf(acts, tropic.AuditPersonViewed) != 1 || countOf(acts, tropic.AuditAccessLogViewed) != 1 {
			t.Fatalf("got actions %v, want two case views, one person view and one access log view", acts)
		}
	})
}

func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

func TestStaleEditIsRefusedNamingWhoChangedItAndWhen(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Takeaway in Stevenage")
		e.share(t, e.pSuper, c, e.council.ID, tropic.ShareWhole, "")
		first := e.find(t, e.pWorker, c.Reference)
		second := e.find(t, e.pWorker2, c.Reference)
		e.clock.Set(time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC))
		upd := tropic.CaseUpdate{Version: first.Version, Title: "Takeaway, Stevenage old town", District: "stevenage", Status: tropic.CaseActive,
			CrimeReference: "41/12345/26", Offence: tropic.OffenceS2}
		if err := e.cases.UpdateCase(ctx, e.pWorker, c.Reference, upd); err != nil {
			t.Fatal(err)
		}
		got := e.find(t, e.pWorker, c.Reference)
		if got.Version != 2 || got.Title != upd.Title || got.Status != tropic.CaseActive || got.Offence != tropic.OffenceS2 || !got.CrimeRecorded.Equal(e.clock.Now()) ||
			got.UpdatedBy != "Pat Worker (Hertfordshire Constabulary)" {
			t.Fatalf("got %+v, want the update at version 2", got)
		}
		err := e.cases.UpdateCase(ctx, e.pWorker2, c.Reference, tropic.CaseUpdate{Version: second.Version, Title: "Something else"})
		wantCode(t, err, tropic.ECONFLICT)
		want := "Pat Worker (Hertfordshire Constabulary) changed this case at 14:05 on 27 November 2026. Your changes have not been saved;"
		if msg := tropic.ErrorMessage(err); !strings.HasPrefix(msg, want) {
			t.Fatalf("got %q, want it to start %q", msg, want)
		}
		wantCode(t, closeErr(e.cases.CloseCase(ctx, e.pWorker2, c.Reference, tropic.CaseClosure{Outcome: "safeguarded", Version: second.Version, Reason: "Done"})), tropic.ECONFLICT)
		if got := e.find(t, e.pWorker, c.Reference); got.Title != upd.Title {
			t.Fatalf("got title %q after a stale save, want %q kept", got.Title, upd.Title)
		}

		// People: the same, for their own version.
		p := e.person(t, e.pWorker, c, tropic.Person{GivenName: "Ion", FamilyName: "Popescu"}, tropic.RoleWitness)
		p1, p2 := *p, *p
		p1.Nationality = "Romanian"
		if err := e.cases.UpdatePerson(ctx, e.pWorker, &p1); err != nil {
			t.Fatal(err)
		}
		p2.Languages = "Romanian"
		err = e.cases.UpdatePerson(ctx, e.pWorker2, &p2)
		wantCode(t, err, tropic.ECONFLICT)
		if !strings.Contains(tropic.ErrorMessage(err), "Pat Worker (Hertfordshire Constabulary) changed this person's record at 14:05 on 27 November 2026") {
			t.Fatalf("got %q, want who changed the person and when", tropic.ErrorMessage(err))
		}
		// A whole-case share reads the person but does not change them.
		p3 := p1
		wantCode(t, e.cases.UpdatePerson(ctx, e.cWorker, &p3), tropic.EFORBIDDEN)
	})
}

func TestCloseAndReopen(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		c := e.newCase(t, e.pWorker, "Cannabis farm")
		err := closeErr(e.cases.CloseCase(ctx, e.pSuper, c.Reference, tropic.CaseClosure{Outcome: "bogus", Version: 1}))
		wantField(t, err, "outcome")
		if err := closeErr(e.cases.CloseCase(ctx, e.pSuper, c.Reference, tropic.CaseClosure{Outcome: "charged", Version: 1})); err != nil {
			t.Fatal(err)
		}
		got := e.find(t, e.pWorker, c.Reference)
		if got.Status != tropic.CaseClosed || got.Outcome != "charged" || !got.ClosedAt.Equal(t0) || got.Version != 2 {
			t.Fatalf("got %+v, want closed, charged, at version 2", got)
		}
		wantCode(t, closeErr(e.cases.CloseCase(ctx, e.pSuper, c.Reference, tropic.CaseClosure{Outcome: "charged", Version: 2})), tropic.ECONFLICT)
		err = e.cases.UpdateCase(ctx, e.pWorker, c.Reference, tropic.CaseUpdate{Version: 2, Title: "Cannabis farm", Status: tropic.CaseActive})
		wantField(t, err, "status")
		err = e.cases.ReopenCase(ctx, e.pWorker, c.Reference, "  ", 2)
		wantCode(t, err, tropic.EINVALID)
		wantField(t, err, "reason")
		if err := e.cases.ReopenCase(ctx, e.pWorker, c.Reference, "New information from the NCA", 2); err != nil {
			t.Fatal(err)
		}
		got = e.find(t, e.pWorker, c.Reference)
		if got.Status != tropic.CaseActive || got.Outcome != "" || !got.ClosedAt.IsZero() || got.Version != 3 {
			t.Fatalf("got %+v, want active again at version 3", got)
		}
		if last := got.Notes[len(got.Notes)-1]; last.Text != "Case reopened: New information from the NCA" || last.Author != "Pat Worker" {
			t.Fatalf("got last note %+v, want the reason on the timeline", last)
		}
		wantCode(t, e.cases.ReopenCase(ctx, e.pWorker, c.Reference, "again", 3), tropic.ECONFLICT)
	})
}

func TestCreateCaseRules(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		wantCode(t, e.cases.CreateCase(ctx, e.cAnalyst, &tropic.Case{Title: "x"}, ""), tropic.EFORBIDDEN)
		wantField(t, e.cases.CreateCase(ctx, e.pWorker, &tropic.Case{Title: " "}, ""), "title")
		wantField(t, e.cases.CreateCase(ctx, e.pWorker, &tropic.Case{Title: "x", Offence: tropic.OffenceS1}, ""), "crime_reference")
		a := e.newCase(t, e.pWorker, "Zebra")
		e.clock.Advance(time.Minute)
		b := e.newCase(t, e.pWorker, "Alpha")
		e.newCase(t, e.cWorker, "Council's own")
		list, n, err := e.cases.FindCases(ctx, e.pWorker, tropic.CaseFilter{})
		if err != nil || n != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
			t.Fatalf("got %v, %d, %v, want the two police cases, newest first", list, n, err)
		}
		// Counting up to one case: two match, so the total says "more than one".
		for upTo, want := range map[int]int{1: 2, 2: 2, 5: 2} {
			if list, n, err := e.cases.FindCases(ctx, e.pWorker, tropic.CaseFilter{CountUpTo: upTo}); err != nil || n != want || len(list) != 2 {
				t.Errorf("counting up to %d: %d rows, total %d (%v), want 2 rows and total %d", upTo, len(list), n, err, want)
			}
		}
		e.newCase(t, e.pWorker, "Third")
		if _, n, err := e.cases.FindCases(ctx, e.pWorker, tropic.CaseFilter{CountUpTo: 1}); err != nil || n != 2 {
			t.Errorf("counting up to 1 of 3 cases: total %d (%v), want 2 (more than 1)", n, err)
		}
		list, _, _ = e.cases.FindCases(ctx, e.pWorker, tropic.CaseFilter{Sort: "title", Limit: 1})
		if len(list) != 1 || list[0].ID != b.ID {
			t.Fatalf("got %v, want Alpha first by title", list)
		}
		list, n, _ = e.cases.FindCases(ctx, e.pWorker, tropic.CaseFilter{Query: "ZEBRA"})
		if n != 1 || list[0].ID != a.ID {
			t.Fatalf("got %v, want Zebra by title", list)
		}
		list, n, _ = e.cases.FindCases(ctx, e.pWorker, tropic.CaseFilter{Query: strings.ToLower(a.Reference)})
		if n != 1 || list[0].ID != a.ID {
			t.Fatalf("got %v, want Zebra by reference", list)
		}
	})
}
