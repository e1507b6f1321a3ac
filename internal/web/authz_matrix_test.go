package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"tropic/internal/auth"
	"tropic/internal/tropic"
)

// The authorisation matrix: every case route, API and page, for a user of each role
// at each kind of agency, against one case owned by agency A. Each answer is either
// what the user may do, or exactly the answer for a record that does not exist.
//
//	A  owns the case
//	B  has a whole-case share, and is a first responder bound by the Duty to Notify:
//	   it refers the case's potential victim into the NRM, and makes a Duty to
//	   Notify report from the case
//	C  has a share without sensitive fields
//	D  had a share that has expired
//	E  had a share that was revoked
//	F  never had a share
//
// G is a scratch agency that shares are made with and ended, so that no call of the
// test changes what A to F may see.

// matrixAgencies are the agencies of the matrix, in order.
var matrixAgencies = []string{"A", "B", "C", "D", "E", "F"}

// matrixUser is one member of staff with one role, or (anonymous) someone who has not
// signed in: no session, no token.
type matrixUser struct {
	agency    string
	role      tropic.Role
	user      *tropic.User
	token     string
	browser   *client
	anonymous bool
}

func (u *matrixUser) String() string {
	if u.anonymous {
		return "anonymous"
	}
	return u.agency + " " + string(u.role)
}

func (u *matrixUser) actor() tropic.Actor {
	if u.anonymous {
		return tropic.Actor{}
	}
	return tropic.ActorFor(u.user)
}

// access is what the user may see of the case: need to know, stated once more,
// independently of tropic.AccessTo, from the set-up above.
func (u *matrixUser) access() tropic.CaseAccess {
	if u.role != tropic.RoleCaseworker && u.role != tropic.RoleSupervisor {
		return tropic.AccessNone // the triage hub sees reports, not cases
	}
	switch u.agency {
	case "A", "B":
		return tropic.AccessWhole
	case "C":
		return tropic.AccessWithoutSensitive
	}
	return tropic.AccessNone
}

// expect is what a call should answer.
type expect int

const (
	allowed   expect = iota // done: 2xx (a page may redirect)
	forbidden               // the user sees the record but may not do this: 403 with the reason, pages and API
	hidden                  // exactly the answer for a missing record
	refused                 // a list or form for those who work cases only: API 403; pages as missing
	signIn                  // not signed in: API 401; pages send to the sign-in page
)

func (e expect) String() string {
	return [...]string{"allowed", "forbidden", "hidden", "refused", "sign in"}[e]
}

// The rules: who may do what with the case.
func mayRead(u *matrixUser) expect {
	if u.access() == tropic.AccessNone {
		return hidden
	}
	return allowed
}

// mayChange: the owning agency's case workers change the case and its people.
func mayChange(u *matrixUser) expect {
	switch {
	case u.access() == tropic.AccessNone:
		return hidden
	case u.agency == "A":
		return allowed
	}
	return forbidden
}

// mayRefer: B alone is a first responder, and works the case through its whole-case
// share; the others who see the case are told that they may not refer.
func mayRefer(u *matrixUser) expect {
	switch {
	case u.access() == tropic.AccessNone:
		return hidden
	case u.agency == "B":
		return allowed
	}
	return forbidden
}

// mayReadReferral: B's NRM referral is read by the case workers of B and of the
// agencies that see its case; not by intake, triage, analysts or administrators, even
// B's own (issue 11, hole 7).
func mayReadReferral(u *matrixUser) expect {
	if u.access() == tropic.AccessNone { // the case workers of A, B and C only
		return hidden
	}
	return allowed
}

// mayReadReport: B's Duty to Notify report has no case: B's case workers alone read it.
func mayReadReport(u *matrixUser) expect {
	if u.agency == "B" && u.access() != tropic.AccessNone {
		return allowed
	}
	return hidden
}

// mayDecideReferral: B's case workers record the decisions on B's referral; those who
// read it otherwise are told they may not.
func mayDecideReferral(u *matrixUser) expect {
	if r := mayReadReferral(u); r != allowed {
		return r
	}
	if u.agency == "B" {
		return allowed
	}
	return forbidden
}

// mayOpen: case workers and the triage hub open cases (the hub without then seeing them).
func mayOpen(u *matrixUser) expect {
	if u.role == tropic.RoleTriage {
		return allowed
	}
	return mayList(u)
}

// mayLink: as mayChange; the owner's triage hub also adds reports to the owner's
// cases by reference, and learns nothing of them but that the link was made.
func mayLink(u *matrixUser) expect {
	if u.role == tropic.RoleTriage && u.agency == "A" {
		return allowed
	}
	return mayChange(u)
}

// mayContribute: the owner and whole-case shares add notes and tasks.
func mayContribute(u *matrixUser) expect {
	switch {
	case u.access() == tropic.AccessNone:
		return hidden
	case u.access() == tropic.AccessWhole:
		return allowed
	}
	return forbidden
}

// mayDecide: supervisors of the owner decide role changes and read the access log.
func mayDecide(u *matrixUser) expect {
	switch {
	case u.access() == tropic.AccessNone:
		return hidden
	case u.agency == "A" && u.role == tropic.RoleSupervisor:
		return allowed
	}
	return forbidden
}

// mayDecideShare: as mayDecide, but a share with another agency is not the business
// of a receiving agency: for them it does not exist.
func mayDecideShare(u *matrixUser) expect {
	if u.agency != "A" {
		return hidden
	}
	return mayDecide(u)
}

// mayAnalyseNetwork: the partnership's pseudonymised network is for analysts.
func mayAnalyseNetwork(u *matrixUser) expect {
	if u.role == tropic.RoleAnalyst {
		return allowed
	}
	return refused
}

// mayList: lists, searches and forms for those who work cases.
func mayList(u *matrixUser) expect {
	if u.role == tropic.RoleCaseworker || u.role == tropic.RoleSupervisor {
		return allowed
	}
	return refused
}

// matrixFixture is the case and what the before-hooks of the rows set up.
type matrixFixture struct {
	t     *testing.T
	ts    *testServer
	cases tropic.CaseService
	// agreement is the scratch sharing agreement between A and G (scratchAgreement).
	agreement *tropic.SharingAgreement
	agencies  map[string]*tropic.Agency
	users     []*matrixUser
	// changedPassword is the user whose password the POST /account/password row changed.
	changedPassword *matrixUser
	aSup            tropic.Actor
	aWorker         tropic.Actor
	bWorker         tropic.Actor

	ref         string // the case
	otherRef    string // another case of A's, where people to link come from
	reportRef   string // a report passed to A
	anna        int64  // a potential victim with sensitive fields
	annaLink    int64
	witness     int64
	witnessLink int64           // a witness whose role the rows change back and forth
	victimLink  int64           // a potential victim whom the rows ask to make a suspect
	matilda     int64           // a person on the case whom records on A's other case match
	release     *tropic.Release // the published statistics release
	poster      string          // a poster of the matrix campaign (authz_posters_test.go)
	posterSlug  string          // a campaign made for a poster row, and its poster
	posterID    string

	// Set by before-hooks for the call that follows.
	linkable int64
	matchID  int64
	noteID   int64
	taskID   int64
	itemID   int64 // an item of the case made for a correction row (authz_corrections_test.go)
	shareID  int64
	changeID int64

	nrmID, dtnID int64 // B's NRM referral of Anna, and its Duty to Notify report
	decideID     int64 // a referral of B's waiting for its first decision
	retentionID  int64 // a closed case of A's waiting for retention review (authz_retention_test.go)
	alertID      int64 // an open misuse alert (authz_audit_test.go)

	// A's meeting attended by B and C, its topic item and an action of A's caseworker;
	// an objective of the plan and its action for A's caseworker (authz_meetings_test.go).
	meetingID, meetingItem, meetingAction, objectiveID, planAction int64
	cancelID                                                       int64 // a meeting of A's made afresh for each user, to cancel

	rights rightsFixture // A's access request (authz_rights_test.go)

	targetID      int64 // A's caseworker whom the administration rows act on
	scratchAgency int64 // the agency the administration rows edit

	intakeToken string // A's intake, who enters reports
	freshRef    string // a report just entered, for a triage row
	heldRef     string // F's case with the case's phone number, for access requests
	reportKey   string // the form key of the one report everyone sends
}

// Secrets of the case: none may reach a user who may not see it; the sensitive ones
// only users with a whole view, and only where the row says so.
const (
	matrixTitle       = "Matrix fixture: Victoria Street car wash"
	matrixImmigration = "MATRIX-IMMIGRATION leave to remain expired"
	matrixHealth      = "MATRIX-HEALTH untreated injury"
	matrixSensitive   = "MATRIX-SENSITIVE-NOTE her passport is held by the manager"
	matrixHORef       = "MATRIX-HO-REFERENCE-0042" // on B's NRM referral only
)

const missingID = 99999999

func (f *matrixFixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *matrixFixture) findCase() *tropic.Case {
	f.t.Helper()
	c, err := f.cases.FindCase(context.Background(), f.aSup, f.ref)
	f.must(err)
	return c
}

// summary reads the case as lists do: its version and status, without loading
// everything on it or logging a view.
func (f *matrixFixture) summary() *tropic.Case {
	f.t.Helper()
	cases, _, err := f.cases.FindCases(context.Background(), f.aSup, tropic.CaseFilter{Scope: "ours", Query: f.ref, Limit: 1})
	f.must(err)
	if len(cases) != 1 {
		f.t.Fatalf("the case %s is not listed", f.ref)
	}
	return cases[0]
}

func (f *matrixFixture) version() int { return f.summary().Version }

func (f *matrixFixture) personVersion() int {
	f.t.Helper()
	p, _, err := f.cases.FindPerson(context.Background(), f.aSup, f.anna)
	f.must(err)
	return p.Version
}

// ensureOpen reopens the case if a row closed it.
func (f *matrixFixture) ensureOpen() {
	f.t.Helper()
	if c := f.summary(); c.Status == tropic.CaseClosed {
		f.must(f.cases.ReopenCase(context.Background(), f.aSup, f.ref, "Reopened by the matrix test", c.Version))
	}
}

func (f *matrixFixture) ensureClosed() {
	f.t.Helper()
	if c := f.summary(); c.Status != tropic.CaseClosed {
		_, err := f.cases.CloseCase(context.Background(), f.aSup, f.ref, tropic.CaseClosure{Outcome: "other", Version: c.Version, Confirmed: true})
		f.must(err)
	}
}

// pendingClosure has A's caseworker ask to close the case, unless a request waits.
func (f *matrixFixture) pendingClosure() {
	f.t.Helper()
	f.ensureOpen()
	if f.findCase().PendingClosure != nil {
		return
	}
	_, err := f.cases.CloseCase(context.Background(), f.aWorker, f.ref, tropic.CaseClosure{Outcome: "other", Version: f.version(), Reason: "Matrix"})
	f.must(err)
}

// clearClosure refuses a request to close the case that waits, and reopens it.
func (f *matrixFixture) clearClosure() {
	f.t.Helper()
	if f.findCase().PendingClosure != nil {
		f.must(f.cases.DecideClosure(context.Background(), f.aSup, f.ref, false, "Matrix: stays open", false))
	}
	f.ensureOpen()
}

// clearScratchShares ends every share with the scratch agency G.
func (f *matrixFixture) clearScratchShares() {
	f.t.Helper()
	ctx := context.Background()
	for _, sh := range f.findCase().Shares {
		if sh.AgencyID != f.agencies["G"].ID {
			continue
		}
		switch sh.Status {
		case tropic.ShareRequested:
			f.must(f.cases.DecideShare(ctx, f.aSup, sh.ID, false, "Not needed now"))
		case tropic.ShareActive:
			f.must(f.cases.RevokeShare(ctx, f.aSup, sh.ID))
		}
	}
}

func (f *matrixFixture) scratchShare(by tropic.Actor) {
	f.t.Helper()
	f.clearScratchShares()
	sh := &tropic.Share{AgencyID: f.agencies["G"].ID, Scope: tropic.ShareWhole, LawfulBasis: "consent", Reason: "Matrix scratch share", NoAgreementReason: "No agreement in the test register"}
	f.must(f.cases.RequestShare(context.Background(), by, f.ref, sh))
	f.shareID = sh.ID
}

// pendingChange finds or makes a request to make the victim a suspect.
func (f *matrixFixture) pendingChange() {
	f.t.Helper()
	ctx := context.Background()
	changes, err := f.cases.FindRoleChanges(ctx, f.aSup, true)
	f.must(err)
	for _, rc := range changes {
		if rc.CasePersonID == f.victimLink {
			f.changeID = rc.ID
			return
		}
	}
	rc, err := f.cases.ChangeRole(ctx, f.aWorker, f.victimLink, tropic.RoleSuspect, "Seen collecting the others' wages")
	f.must(err)
	f.changeID = rc.ID
}

func (f *matrixFixture) witnessAgain() {
	f.t.Helper()
	_, links, err := f.cases.FindPerson(context.Background(), f.aSup, f.witness)
	f.must(err)
	for _, cp := range links {
		if cp.ID == f.witnessLink && cp.Role != tropic.RoleWitness {
			_, err := f.cases.ChangeRole(context.Background(), f.aSup, f.witnessLink, tropic.RoleWitness, "")
			f.must(err)
		}
	}
}

// openMatch finds an open suggestion for Matilda on the case, recording another
// record of her on A's other case when there is none left to decide.
func (f *matrixFixture) openMatch() {
	f.t.Helper()
	ctx := context.Background()
	find := func() bool {
		list, err := f.ts.srv.deps.Matches.Suggestions(ctx, f.aSup, f.ref)
		f.must(err)
		for _, ps := range list {
			if ps.Status == tropic.MatchOpen && ps.Visible && ps.PersonID == f.matilda {
				f.matchID = ps.ID
				return true
			}
		}
		return false
	}
	if find() {
		return
	}
	again := &tropic.Person{GivenName: "Matilda", FamilyName: "Matchable", DateOfBirth: "1985-06-15", Phone: "07700900987"}
	f.must(f.cases.AddPerson(ctx, f.aSup, f.otherRef, again, tropic.RoleWitness))
	if !find() {
		f.t.Fatal("another record of Matilda on A's other case is not suggested as a match")
	}
}

// mergedMatch finds a merge into Matilda on the case, merging an open suggestion
// when there is none.
func (f *matrixFixture) mergedMatch() {
	f.t.Helper()
	ctx := context.Background()
	list, err := f.ts.srv.deps.Matches.Suggestions(ctx, f.aSup, f.ref)
	f.must(err)
	for _, ps := range list {
		if ps.Status == tropic.MatchMerged && ps.PersonID == f.matilda {
			f.matchID = ps.ID
			return
		}
	}
	f.openMatch()
	f.must(f.ts.srv.deps.Matches.Decide(ctx, f.aSup, f.ref, f.matchID, tropic.DecideMerge, "Matrix: the same person"))
}

// newLinkable records a person on A's other case, for a row to add to the case.
func (f *matrixFixture) newLinkable() {
	f.t.Helper()
	p := &tropic.Person{GivenName: "Linkable", FamilyName: fmt.Sprintf("Person %d", time.Now().UnixNano())}
	f.must(f.cases.AddPerson(context.Background(), f.aSup, f.otherRef, p, tropic.RoleWitness))
	f.linkable = p.ID
}

// ownNote writes a note by u when u may, else by A's caseworker, for u to correct.
func (f *matrixFixture) ownNote(u *matrixUser) {
	f.t.Helper()
	by := f.aWorker
	if mayContribute(u) == allowed {
		by = u.actor()
	}
	n := &tropic.Note{Text: "A note to correct"}
	f.must(f.cases.AddNote(context.Background(), by, f.ref, n))
	f.noteID = n.ID
}

// matrixReferral is an NRM referral of an adult who consents, complete.
func matrixReferral() *tropic.Referral {
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	return &tropic.Referral{AgeGroup: tropic.AgeAdult, Consent: true, ConsentAt: yesterday, SubmittedOn: yesterday,
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}, Location: "uk",
		CompetentAuthority: "sca", SupportProvider: "The Salvation Army", CrimeReference: "MATRIX-CRIME-1"}
}

// undecidedReferral makes a referral of B's for a row to record the first decision on.
func (f *matrixFixture) undecidedReferral() {
	f.t.Helper()
	r := matrixReferral()
	f.must(f.ts.srv.deps.Referrals.CreateReferral(context.Background(), f.bWorker, f.ref, f.annaLink, r))
	f.decideID = r.ID
}

func (f *matrixFixture) taskForA() {
	f.t.Helper()
	task := &tropic.Task{Title: "A task to complete", AssignedAgency: f.agencies["A"].ID}
	f.must(f.cases.AddTask(context.Background(), f.aSup, f.ref, task))
	f.taskID = task.ID
}

// casePath is the path of the case, or of a missing one, under prefix.
func (f *matrixFixture) casePath(prefix string, missing bool, rest string) string {
	ref := f.ref
	if missing {
		ref = matrixMissingRef
	}
	return prefix + ref + rest
}

func idPath(format string, id int64, missing bool) string {
	if missing {
		id = missingID
	}
	return fmt.Sprintf(format, id)
}

var matrixMissingRef = tropic.NewCaseReference()

// matrixRow is one route of the matrix.
type matrixRow struct {
	name string // the route pattern, as registered; a route may have several rows
	rule func(*matrixUser) expect
	// path is the path called, or with missing the same call for a record that does
	// not exist; a row without a record to miss returns "" for missing.
	path   func(f *matrixFixture, u *matrixUser, missing bool) string
	body   func(f *matrixFixture, u *matrixUser) any // API: a JSON value; pages: url.Values
	before func(f *matrixFixture, u *matrixUser)
	after  func(f *matrixFixture)
	// sensitive: a whole view of this answer may show sensitive fields (a person's
	// record); no other answer may. shows: and it must show the immigration status of
	// the case's potential victim.
	sensitive, shows bool
	// missingPath and missingBody, when set, are the call for a missing record
	// where the path names none (a form posting the record's id).
	missingPath string
	missingBody func(f *matrixFixture, u *matrixUser) any
	// lists: the answer lists the case to those who may see it.
	lists bool
	// note: a whole view of this answer shows the sensitive note; no other may.
	note bool
	// referral: the answer is B's NRM referral, and shows its Home Office reference to
	// whoever may have it; no other answer may show it.
	referral bool
	// public: a route open to anyone, signed in or not, which answers everyone with
	// this status; rule is then unused.
	public int
	// endsSession: the call signs the browser out; the user signs in again after it.
	endsSession bool
	// anon, when set, is the status someone not signed in gets (else: sent to sign in).
	anon int
	// signedInStatus, when set, is the status every member of staff gets (a JSON
	// ceremony refused for want of a step before it, whoever asks).
	signedInStatus int
}

func (r matrixRow) pattern() string { p, _, _ := strings.Cut(r.name, " ?"); return p }

// method is the method the row calls: its pattern's, or GET for a pattern of any.
func (r matrixRow) method() string {
	if m, _, ok := strings.Cut(r.pattern(), " "); ok {
		return m
	}
	return http.MethodGet
}

func fixed(p string) func(*matrixFixture, *matrixUser, bool) string {
	return func(_ *matrixFixture, _ *matrixUser, missing bool) string {
		if missing {
			return ""
		}
		return p
	}
}

func onCase(prefix, rest string) func(*matrixFixture, *matrixUser, bool) string {
	return func(f *matrixFixture, _ *matrixUser, missing bool) string { return f.casePath(prefix, missing, rest) }
}

func jsonBody(v any) func(*matrixFixture, *matrixUser) any {
	return func(*matrixFixture, *matrixUser) any { return v }
}

// apiMatrix lists every case route of the API.
func apiMatrix() []matrixRow {
	const c = "/api/v1/cases/"
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	return []matrixRow{
		{name: "GET /api/v1/cases", rule: mayList, path: fixed("/api/v1/cases"), lists: true},
		{name: "GET /api/v1/cases ?scope=shared", rule: mayList, path: fixed("/api/v1/cases?scope=shared")},
		{name: "POST /api/v1/cases", rule: mayOpen, path: fixed("/api/v1/cases"), body: jsonBody(map[string]any{"title": "Matrix: a case of the user's own"})},
		{name: "GET /api/v1/cases/{reference}", rule: mayRead, path: onCase(c, ""), note: true},
		{name: "PATCH /api/v1/cases/{reference}", rule: mayChange, path: onCase(c, ""), note: true,
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"version": f.version(), "title": matrixTitle}
			}},
		{name: "POST /api/v1/cases/{reference}/close", rule: mayChange, path: onCase(c, "/close"), note: true,
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"version": f.version(), "outcome": "other", "reason": "Matrix", "confirm_warnings": true}
			},
			after: (*matrixFixture).clearClosure},
		{name: "POST /api/v1/cases/{reference}/closure", rule: mayDecide, path: onCase(c, "/closure"), note: true,
			before: func(f *matrixFixture, _ *matrixUser) { f.pendingClosure() },
			body:   jsonBody(map[string]any{"decision": "refuse", "note": "Matrix: not yet"}),
			after:  (*matrixFixture).clearClosure},
		{name: "POST /api/v1/cases/{reference}/officer", rule: mayChange, path: onCase(c, "/officer"), note: true,
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"version": f.version(), "review_on": time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}
			}},
		{name: "POST /api/v1/cases/{reference}/reopen", rule: mayChange, path: onCase(c, "/reopen"), note: true,
			before: func(f *matrixFixture, _ *matrixUser) { f.ensureClosed() },
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"version": f.version(), "reason": "Seen again"}
			},
			after: (*matrixFixture).ensureOpen},
		{name: "POST /api/v1/cases/{reference}/reports", rule: mayLink, path: onCase(c, "/reports"), note: true,
			body: func(f *matrixFixture, _ *matrixUser) any { return map[string]any{"reference": f.reportRef} }},
		{name: "POST /api/v1/cases/{reference}/people", rule: mayChange, path: onCase(c, "/people"), sensitive: true,
			body: jsonBody(map[string]any{"given_name": "Matrix", "family_name": "Added", "role": "witness"})},
		{name: "POST /api/v1/cases/{reference}/people ?check=1", rule: mayRead, path: onCase(c, "/people?check=1"),
			body: jsonBody(map[string]any{"given_name": "Anna", "family_name": "Kowalska", "date_of_birth": "1990-04-01", "role": "witness"})},
		{name: "POST /api/v1/cases/{reference}/people/link", rule: mayChange, path: onCase(c, "/people/link"), sensitive: true,
			before: func(f *matrixFixture, _ *matrixUser) { f.newLinkable() },
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"person_id": f.linkable, "role": "witness"}
			}},
		{name: "POST /api/v1/cases/{reference}/people/{link}/referrals", rule: mayRefer,
			path: onCaseID(c+"%s/people/%d/referrals", func(f *matrixFixture) int64 { return f.annaLink }),
			body: jsonBody(map[string]any{"age_group": "adult", "consent": true, "consent_at": yesterday, "submitted_on": yesterday,
				"exploitation_types": []string{"labour"}, "location": "uk", "competent_authority": "sca",
				"support_provider": "The Salvation Army", "crime_reference": "MATRIX-CRIME-2"})},
		{name: "GET /api/v1/referrals", rule: mayList, path: fixed("/api/v1/referrals"), lists: true},
		{name: "GET /api/v1/referrals/figures", rule: mayList, path: fixed("/api/v1/referrals/figures")},
		{name: "GET /api/v1/referrals/{id}", rule: mayReadReferral, referral: true,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/referrals/%d", f.nrmID, missing)
			}},
		{name: "GET /api/v1/referrals/{id} ?dtn", rule: mayReadReport,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/referrals/%d", f.dtnID, missing)
			}},
		{name: "POST /api/v1/referrals/{id}/decisions", rule: mayDecideReferral,
			before: func(f *matrixFixture, _ *matrixUser) { f.undecidedReferral() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/referrals/%d/decisions", f.decideID, missing)
			},
			body: jsonBody(map[string]any{"kind": "rg", "date": yesterday, "outcome": "positive", "version": 1})},
		{name: "POST /api/v1/cases/{reference}/places", rule: mayChange, path: onCase(c, "/places"),
			body: jsonBody(map[string]any{"kind": "workplace", "address": "Unit 4, Matrix Estate", "postcode": "AL1 3JX"})},
		{name: "POST /api/v1/cases/{reference}/businesses", rule: mayChange, path: onCase(c, "/businesses"),
			body: jsonBody(map[string]any{"name": "Matrix Nails", "kind": "nail_bar"})},
		{name: "POST /api/v1/cases/{reference}/vehicles", rule: mayChange, path: onCase(c, "/vehicles"),
			body: jsonBody(map[string]any{"registration": "MA71 RIX"})},
		{name: "POST /api/v1/cases/{reference}/phones", rule: mayChange, path: onCase(c, "/phones"),
			body: jsonBody(map[string]any{"number": "07700 900456"})},
		{name: "POST /api/v1/cases/{reference}/orders", rule: mayChange, path: onCase(c, "/orders"),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"person_id": f.anna, "kind": "stro", "made_on": yesterday}
			}},
		{name: "POST /api/v1/cases/{reference}/notes", rule: mayContribute, path: onCase(c, "/notes"),
			body: jsonBody(map[string]any{"text": "A matrix note"})},
		{name: "POST /api/v1/cases/{reference}/tasks", rule: mayContribute, path: onCase(c, "/tasks"),
			body: func(f *matrixFixture, u *matrixUser) any {
				return map[string]any{"title": "A matrix task", "agency_id": f.agencies[u.agency].ID}
			}},
		{name: "POST /api/v1/cases/{reference}/shares", rule: mayChange, path: onCase(c, "/shares"),
			before: func(f *matrixFixture, _ *matrixUser) { f.clearScratchShares() },
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"agency_id": f.agencies["G"].ID, "scope": "whole", "lawful_basis": "consent", "reason": "Matrix", "no_agreement_reason": "No agreement in the test register"}
			}},
		{name: "GET /api/v1/cases/{reference}/access-log", rule: mayDecide, path: onCase(c, "/access-log")},
		{name: "GET /api/v1/people/matches", rule: mayList, path: fixed("/api/v1/people/matches?given_name=Anna&family_name=Kowalska"), lists: true},
		{name: "GET /api/v1/people/{id}", rule: mayRead, sensitive: true, shows: true,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/people/%d", f.anna, missing)
			}},
		{name: "PATCH /api/v1/people/{id}", rule: mayChange, sensitive: true, shows: true,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/people/%d", f.anna, missing)
			},
			body: func(f *matrixFixture, _ *matrixUser) any {
				return map[string]any{"version": f.personVersion(), "nationality": "Polish"}
			}},
		{name: "POST /api/v1/case-people/{id}/role", rule: mayChange,
			before: func(f *matrixFixture, _ *matrixUser) { f.witnessAgain() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/case-people/%d/role", f.witnessLink, missing)
			},
			body: jsonBody(map[string]any{"role": "other"})},
		{name: "POST /api/v1/case-people/{id}/coerced-offender", rule: mayChange,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/case-people/%d/coerced-offender", f.annaLink, missing)
			},
			body: jsonBody(map[string]any{"coerced_offender": true})},
		{name: "GET /api/v1/role-changes", rule: mayList, path: fixed("/api/v1/role-changes")},
		{name: "POST /api/v1/role-changes/{id}/decision", rule: mayDecide,
			before: func(f *matrixFixture, _ *matrixUser) { f.pendingChange() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/role-changes/%d/decision", f.changeID, missing)
			},
			body: jsonBody(map[string]any{"approve": false, "note": "Not on this evidence"})},
		{name: "PATCH /api/v1/notes/{id}", rule: mayContribute,
			before: (*matrixFixture).ownNote,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/notes/%d", f.noteID, missing)
			},
			body: jsonBody(map[string]any{"text": "A note, corrected"})},
		{name: "GET /api/v1/tasks", rule: mayList, path: fixed("/api/v1/tasks")},
		{name: "POST /api/v1/tasks/{id}/complete", rule: mayChange,
			before: func(f *matrixFixture, _ *matrixUser) { f.taskForA() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/tasks/%d/complete", f.taskID, missing)
			}},
		{name: "POST /api/v1/shares/{id}/decision", rule: mayDecideShare,
			before: func(f *matrixFixture, _ *matrixUser) { f.scratchShare(f.aWorker) },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/shares/%d/decision", f.shareID, missing)
			},
			body: jsonBody(map[string]any{"approve": false, "reason": "Not needed"})},
		{name: "POST /api/v1/shares/{id}/revoke", rule: mayDecideShare,
			before: func(f *matrixFixture, _ *matrixUser) { f.scratchShare(f.aSup) },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/api/v1/shares/%d/revoke", f.shareID, missing)
			}},
		{name: "GET /api/v1/search", rule: mayList, path: fixed("/api/v1/search?q=%2B44%207700%20900123"), lists: true},
		{name: "GET /api/v1/cases/{reference}/matches", rule: mayRead, path: onCase(c, "/matches"),
			before: func(f *matrixFixture, _ *matrixUser) { f.openMatch() }},
		{name: "POST /api/v1/cases/{reference}/matches/{id}", rule: mayChange, before: func(f *matrixFixture, _ *matrixUser) { f.openMatch() },
			path: onCaseID(c+"%s/matches/%d", func(f *matrixFixture) int64 { return f.matchID }),
			body: jsonBody(map[string]any{"decision": "reject", "reason": "Matrix: not the same person"})},
		{name: "POST /api/v1/cases/{reference}/matches/{id}/undo", rule: mayChange, before: func(f *matrixFixture, _ *matrixUser) { f.mergedMatch() },
			path: onCaseID(c+"%s/matches/%d/undo", func(f *matrixFixture) int64 { return f.matchID }),
			body: jsonBody(map[string]any{"reason": "Matrix: two people after all"})},
		{name: "GET /api/v1/cases/{reference}/network", rule: mayRead, path: onCase(c, "/network?depth=3")},
	}
}

func newMatrixFixture(t *testing.T) *matrixFixture {
	t.Helper()
	ts := newTestServer(t, Config{MFAWaived: true, MetricsToken: matrixMetricsToken, BaseURL: "http://tropic.test"}, // a name: security keys need one
		func(d *Deps) { d.Mail = &recordingMailer{} }) // invitations are sent (authz_admin_test.go)
	if ts.srv.deps.Cases == nil {
		t.Fatal("newTestServer wires no CaseService")
	}
	ctx := context.Background()
	f := &matrixFixture{t: t, ts: ts, cases: ts.srv.deps.Cases, agencies: map[string]*tropic.Agency{"A": ts.agency}}
	f.must(ts.srv.deps.Reports.CreateDistrict(ctx, testAdmin, tropic.District{Slug: "st-albans", Name: "St Albans"}))
	for _, name := range []string{"B", "C", "D", "E", "F", "G"} {
		a := &tropic.Agency{Name: "Agency " + name, Kind: tropic.AgencyDistrictCouncil, FirstResponder: name == "B", DutyToNotify: name == "B"}
		f.must(ts.agencies.CreateAgency(ctx, testAdmin, a))
		f.agencies[name] = a
	}
	hash, err := auth.HashPassword(testPassword, testParams)
	f.must(err)
	byKey := map[string]*matrixUser{}
	for _, a := range matrixAgencies {
		for _, role := range tropic.Roles {
			u := &tropic.User{Email: fmt.Sprintf("%s@%s.example", role, strings.ToLower(a)), Name: fmt.Sprintf("%s %s", strings.ToUpper(string(role[:1]))+string(role[1:]), a),
				AgencyID: f.agencies[a].ID, Roles: []tropic.Role{role}}
			f.must(ts.users.CreateUser(ctx, testAdmin, u, hash))
			mu := &matrixUser{agency: a, role: role, user: u}
			mu.token, _ = ts.newToken(u.ID, time.Time{})
			f.users = append(f.users, mu)
			byKey[a+" "+string(role)] = mu
		}
	}
	f.aSup, f.aWorker = byKey["A supervisor"].actor(), byKey["A caseworker"].actor()

	// The shares are made three days ago, D's to end that day; then the clock returns.
	now := ts.clock.Now()
	ts.clock.Set(now.Add(-72 * time.Hour))
	c := &tropic.Case{Title: matrixTitle, District: "st-albans", Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}}
	f.must(f.cases.CreateCase(ctx, f.aSup, c, ""))
	f.ref = c.Reference
	share := func(agency string, scope tropic.ShareScope, until string) *tropic.Share {
		sh := &tropic.Share{AgencyID: f.agencies[agency].ID, Scope: scope, LawfulBasis: "gdpr_6_1_e", Reason: "Matrix share with " + agency, NoAgreementReason: "No agreement in the test register", Until: until}
		f.must(f.cases.RequestShare(ctx, f.aSup, f.ref, sh))
		if sh.Status != tropic.ShareActive {
			t.Fatalf("share with %s is %s, want active", agency, sh.Status)
		}
		return sh
	}
	share("B", tropic.ShareWhole, "")
	share("C", tropic.ShareWithoutSensitive, "")
	share("D", tropic.ShareWhole, ts.clock.Now().In(partnershipZone).Format(time.DateOnly))
	f.must(f.cases.RevokeShare(ctx, f.aSup, share("E", tropic.ShareWhole, "").ID))
	ts.clock.Set(now)

	anna := &tropic.Person{GivenName: "Anna", FamilyName: "Kowalska", DateOfBirth: "1990-04-01", Phone: "07700 900123",
		ImmigrationStatus: matrixImmigration, Health: matrixHealth}
	f.must(f.cases.AddPerson(ctx, f.aWorker, f.ref, anna, tropic.RolePotentialVictim))
	f.must(f.cases.AddPerson(ctx, f.aWorker, f.ref, &tropic.Person{GivenName: "Walter", FamilyName: "Witness"}, tropic.RoleWitness))
	f.must(f.cases.AddPerson(ctx, f.aWorker, f.ref, &tropic.Person{GivenName: "Victor", FamilyName: "Victim"}, tropic.RolePotentialVictim))
	f.anna = anna.ID
	matilda := &tropic.Person{GivenName: "Matilda", FamilyName: "Matchable", DateOfBirth: "1985-06-15", Phone: "07700 900987"}
	f.must(f.cases.AddPerson(ctx, f.aWorker, f.ref, matilda, tropic.RoleWitness))
	f.matilda = matilda.ID
	for _, cp := range f.findCase().People {
		switch cp.Person.FamilyName {
		case "Kowalska":
			f.annaLink = cp.ID
		case "Witness":
			f.witness, f.witnessLink = cp.Person.ID, cp.ID
		case "Victim":
			f.victimLink = cp.ID
		}
	}
	f.must(f.cases.AddNote(ctx, f.aWorker, f.ref, &tropic.Note{Text: matrixSensitive, Sensitive: true}))
	f.must(f.cases.AddNote(ctx, f.aWorker, f.ref, &tropic.Note{Text: "The car wash opens at 6am."}))
	f.must(f.cases.AddPhone(ctx, f.aWorker, f.ref, &tropic.CasePhone{Number: "07700900123"}))
	other := &tropic.Case{Title: "Matrix: another case of A's"}
	f.must(f.cases.CreateCase(ctx, f.aSup, other, ""))
	f.otherRef = other.Reference

	// A report passed to A, to link.
	intake := byKey["A intake"]
	res, created := jsonCall(t, ts, "POST", "/api/v1/reports", intake.token, helplineReport)
	if res.status != http.StatusCreated {
		t.Fatalf("POST /api/v1/reports: %d %s", res.status, res.body)
	}
	f.reportRef = created["reference"].(string)
	f.intakeToken = intake.token
	f.addCampaign()
	f.addRelease()
	f.must(ts.srv.deps.Reports.DecideReport(ctx, byKey["A triage"].actor(), f.reportRef,
		tropic.ReportDecision{Status: tropic.ReportPassedToAgency, AgencyID: f.agencies["A"].ID, Reason: "Matrix: A's to work"}))
	// ... and linked to the case: whoever sees the case reads it (issue 12, item 2).
	f.must(f.cases.LinkReport(ctx, f.aWorker, f.ref, f.reportRef))

	// B refers Anna into the NRM from A's case, and makes a Duty to Notify report.
	f.bWorker = byKey["B caseworker"].actor()
	nrm := matrixReferral()
	nrm.HomeOfficeReference, nrm.Notes = matrixHORef, "MATRIX-REFERRAL-NOTE interpreter: Polish"
	f.must(ts.srv.deps.Referrals.CreateReferral(ctx, f.bWorker, f.ref, f.annaLink, nrm))
	f.nrmID = nrm.ID
	dtn := &tropic.Referral{AgeGroup: tropic.AgeAdult, SubmittedOn: nrm.SubmittedOn, Gender: "female", Nationality: "Polish",
		Exploitation: nrm.Exploitation, Location: "uk"}
	f.must(ts.srv.deps.Referrals.CreateReferral(ctx, f.bWorker, f.ref, 0, dtn))
	if dtn.Route != tropic.RouteDtN {
		t.Fatalf("B's report without consent went by %s, want a Duty to Notify report", dtn.Route)
	}
	f.dtnID = dtn.ID

	// Every user sees what the set-up meant them to: the premise of every row below.
	for _, u := range f.users {
		got := tropic.AccessNone
		if c, err := f.cases.FindCase(ctx, u.actor(), f.ref); err == nil {
			got = c.Access
		} else if tropic.ErrorCode(err) != tropic.ENOTFOUND {
			t.Fatalf("%s: FindCase: %v", u, err)
		}
		if got != u.access() {
			t.Fatalf("%s: the store gives access %d, the matrix expects %d", u, got, u.access())
		}
	}
	f.users = append(f.users, &matrixUser{anonymous: true})
	return f
}

// matrixCall is one call of a row, and its answer.
type matrixCall struct {
	status   int
	ctype    string
	location string
	body     string
}

func (f *matrixFixture) callAPI(t *testing.T, u *matrixUser, method, path string, body any) matrixCall {
	t.Helper()
	res, _ := jsonCall(t, f.ts, method, path, u.token, body)
	return matrixCall{status: res.status, ctype: res.header.Get("Content-Type"), body: res.body}
}

var spacesRE = regexp.MustCompile(`\s+`)

// brief is the gist of an answer for a failure message: a page's main content.
func brief(body string) string {
	if m := mainContent(body); m != "" {
		body = m
	}
	body = spacesRE.ReplaceAllString(body, " ")
	if len(body) > 600 {
		body = body[:600] + "..."
	}
	return body
}

func (f *matrixFixture) callPage(t *testing.T, u *matrixUser, method, path string, body any) matrixCall {
	t.Helper()
	var res *response
	if method == http.MethodGet {
		res = u.browser.get(path)
	} else if j, ok := body.(jsonPageBody); ok {
		res = u.browser.postRaw(path, string(j), "Content-Type", "application/json")
	} else if m, ok := body.(multipartPageBody); ok {
		res = u.browser.postRaw(path, string(m.body), "Content-Type", m.ctype)
	} else {
		form, _ := body.(url.Values)
		res = u.browser.post(path, form)
	}
	page := withoutNonce(res.body)
	if id := res.header.Get("X-Request-Id"); id != "" {
		page = strings.ReplaceAll(page, id, "REQUEST-ID")
	}
	return matrixCall{status: res.status, ctype: res.header.Get("Content-Type"), location: res.location(), body: page}
}

func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	rows := map[string][]matrixRow{"api": slices.Concat(apiMatrix(), apiRouteMatrix(), approvalAPIRows(), correctionAPIRows(), meetingAPIRows(), revealAPIRows()),
		"pages": slices.Concat(pageMatrix(), pageRouteMatrix(), approvalPageRows(), adminRouteMatrix(), correctionPageRows(), revealPageRows(),
			retentionPageRows(), auditPageRows(), meetingPageRows(), rightsPageRows())}

	// Every route is in the matrix, and every row is a route.
	inMatrix := map[string]bool{}
	for _, kind := range []string{"api", "pages"} {
		for _, r := range rows[kind] {
			inMatrix[r.pattern()] = true
		}
	}
	routed := map[string]bool{}
	for _, p := range newTestServer(t, Config{MetricsToken: matrixMetricsToken}).srv.routePatterns {
		routed[p] = true
		if !inMatrix[p] {
			t.Errorf("route %q is not in the authorisation matrix: add a row for it", p)
		}
	}
	for p := range inMatrix {
		if !routed[p] {
			t.Errorf("the matrix has a row for %q, which is not routed", p)
		}
	}
	if len(routed) < 100 {
		t.Fatalf("the server registered only %d routes", len(routed))
	}

	// The API and the pages each run on a fixture of their own, side by side.
	for _, kind := range []string{"api", "pages"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			f := newMatrixFixture(t)
			call := f.callAPI
			if kind == "pages" {
				call = f.callPage
				for _, u := range f.users {
					u.browser = f.ts.client(t)
					if !u.anonymous {
						u.browser.signInWaived(u.user.Email)
					}
				}
			}
			calls := 0
			for _, row := range rows[kind] {
				method := row.method()
				t.Run(row.name, func(t *testing.T) {
					f.t = t
					for _, u := range f.users {
						var want expect
						switch {
						case row.public != 0:
							want = allowed // held to row.public by check
						case u.anonymous:
							want = signIn
						default:
							want = row.rule(u)
						}
						if row.before != nil {
							row.before(f, u)
						}
						var body any
						if row.body != nil && u.anonymous && row.public == 0 {
							body = row.body(f, f.users[0]) // what a member of staff would send
						} else if row.body != nil {
							body = row.body(f, u)
						}
						got := call(t, u, method, row.path(f, u, false), body)
						calls++
						if row.endsSession && kind == "pages" && !u.anonymous {
							u.browser = f.ts.client(t)
							u.browser.signInWaived(u.user.Email)
						}
						if row.after != nil {
							row.after(f)
						}
						f.check(t, kind, row, u, want, got, func() matrixCall {
							calls++
							if row.missingPath != "" {
								return call(t, u, method, row.missingPath, row.missingBody(f, u))
							}
							missing := row.path(f, u, true)
							if missing == "" {
								if kind == "api" {
									return matrixCall{}
								}
								return call(t, u, http.MethodGet, "/no-such-page", nil)
							}
							return call(t, u, method, missing, body)
						})
					}
				})
			}
			t.Logf("%d rows, %d users, %d calls in %v", len(rows[kind]), len(f.users), calls, time.Since(start).Round(time.Millisecond))
		})
	}
}

// check holds one answer to the rule.
func (f *matrixFixture) check(t *testing.T, kind string, row matrixRow, u *matrixUser, want expect, got matrixCall, missing func() matrixCall) {
	t.Helper()
	ok2xx := got.status >= 200 && got.status < 300
	if kind == "pages" && got.status == http.StatusSeeOther {
		ok2xx = !strings.HasPrefix(got.location, "/login")
	}
	asMissing := func() {
		t.Helper()
		m := missing()
		if m.status == 0 {
			t.Errorf("%s: want %s, but the row has no missing record to compare with", u, want)
			return
		}
		if got.status != http.StatusNotFound || got.status != m.status || got.ctype != m.ctype || got.body != m.body {
			t.Errorf("%s (%s): got %d, want the answer for a missing record (%d):\n%s\n-- missing --\n%s", u, want, got.status, m.status, brief(got.body), brief(m.body))
		}
	}
	switch {
	case row.public != 0:
		if got.status != row.public {
			t.Errorf("%s: got %d, want %d, as anyone gets:\n%s", u, got.status, row.public, brief(got.body))
		}
	case !u.anonymous && row.signedInStatus != 0:
		if got.status != row.signedInStatus {
			t.Errorf("%s: got %d, want %d:\n%s", u, got.status, row.signedInStatus, brief(got.body))
		}
	case u.anonymous && row.anon != 0:
		if got.status != row.anon {
			t.Errorf("%s: got %d, want %d:\n%s", u, got.status, row.anon, brief(got.body))
		}
	case want == signIn && kind == "api":
		if got.status != http.StatusUnauthorized || !strings.Contains(got.body, `"code": "unauthorised"`) {
			t.Errorf("%s: got %d, want 401:\n%s", u, got.status, brief(got.body))
		}
	case want == signIn:
		if got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/login") {
			t.Errorf("%s: got %d to %q, want sent to sign in:\n%s", u, got.status, got.location, brief(got.body))
		}
	case want == allowed:
		if !ok2xx {
			t.Errorf("%s: got %d, want it allowed:\n%s", u, got.status, brief(got.body))
		}
	case want == hidden, kind == "pages" && want == refused:
		asMissing()
	case kind == "pages":
		if got.status != http.StatusForbidden || !strings.Contains(got.body, "You cannot do this") {
			t.Errorf("%s: got %d, want the 403 page (%s):\n%s", u, got.status, want, brief(got.body))
		}
	default:
		if got.status != http.StatusForbidden || !strings.Contains(got.body, `"code": "forbidden"`) {
			t.Errorf("%s: got %d, want 403 (%s):\n%s", u, got.status, want, brief(got.body))
		}
	}

	// What the answer may show.
	whole := u.access() == tropic.AccessWhole && want == allowed
	secrets := map[string]bool{matrixImmigration: row.sensitive && whole, matrixHealth: row.sensitive && whole, matrixSensitive: row.note && whole,
		matrixHORef: row.referral && want == allowed}
	if u.access() == tropic.AccessNone {
		secrets[f.ref], secrets[matrixTitle] = false, false
		if want == allowed || want == signIn {
			// The triage hub linking a report, or someone sent to sign in and then back
			// to the address: they gave the reference themselves.
			delete(secrets, f.ref)
		}
	}
	for s, may := range secrets {
		has := strings.Contains(got.body, s)
		if has && !may {
			t.Errorf("%s: the answer shows %q:\n%s", u, s, brief(got.body))
		}
		if !has && may && (s == matrixImmigration && row.shows || s == matrixSensitive || s == matrixHORef) {
			t.Errorf("%s: the answer does not show %q, which the user may see", u, s)
		}
	}
	// The sensitive fields' very names appear only where they may be seen.
	if kind == "api" && !secrets[matrixImmigration] && row.public == 0 { // the OpenAPI document names every field
		for _, key := range []string{`"immigration_status"`, `"health"`} {
			if strings.Contains(got.body, key) {
				t.Errorf("%s: the answer carries %s, which the user may not see:\n%s", u, key, brief(got.body))
			}
		}
	}
	if row.lists && want == allowed && u.access() != tropic.AccessNone && !strings.Contains(got.body, f.ref) {
		t.Errorf("%s: the answer does not list the case, which the user may see:\n%s", u, brief(got.body))
	}
}

// mayListSupervisor: the role changes to decide are a page for supervisors, each of
// their own agency's.
func mayListSupervisor(u *matrixUser) expect {
	if u.role == tropic.RoleSupervisor {
		return allowed
	}
	return refused
}

func form(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return v
}

// jsonPageBody is a JSON body posted to a browser route (a WebAuthn ceremony's).
type jsonPageBody string

func jsonPage(s string) func(*matrixFixture, *matrixUser) any {
	return func(*matrixFixture, *matrixUser) any { return jsonPageBody(s) }
}

func formBody(pairs ...string) func(*matrixFixture, *matrixUser) any {
	return func(*matrixFixture, *matrixUser) any { return form(pairs...) }
}

// onCaseID is a path with the case and an id the fixture holds.
func onCaseID(format string, id func(*matrixFixture) int64) func(*matrixFixture, *matrixUser, bool) string {
	return func(f *matrixFixture, _ *matrixUser, missing bool) string {
		ref, n := f.ref, id(f)
		if missing {
			ref, n = matrixMissingRef, missingID
		}
		return fmt.Sprintf(format, ref, n)
	}
}

func onPerson(format string, person, link func(*matrixFixture) int64) func(*matrixFixture, *matrixUser, bool) string {
	return func(f *matrixFixture, _ *matrixUser, missing bool) string {
		if missing {
			return fmt.Sprintf(format, missingID, missingID)
		}
		return fmt.Sprintf(format, person(f), link(f))
	}
}

// pageMatrix lists every case page and form.
func pageMatrix() []matrixRow {
	const c = "/cases/"
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	versioned := func(pairs ...string) func(*matrixFixture, *matrixUser) any {
		return func(f *matrixFixture, _ *matrixUser) any {
			v := form(pairs...)
			v.Set("version", fmt.Sprint(f.version()))
			return v
		}
	}
	anna := func(f *matrixFixture) int64 { return f.anna }
	return []matrixRow{
		{name: "GET /cases", rule: mayList, path: fixed("/cases")},
		{name: "GET /cases ?scope=shared", rule: mayList, path: fixed("/cases?scope=shared")},
		{name: "GET /cases ?q", rule: mayList, path: fixed("/cases?q=%2B44+7700+900123"), lists: true},
		{name: "GET /cases/new", rule: mayList, path: fixed("/cases/new")},
		{name: "POST /cases/new", rule: mayList, path: fixed("/cases/new"), body: formBody("title", "Matrix: a case of the user's own")},
		{name: "GET /cases/role-changes", rule: mayListSupervisor, path: fixed("/cases/role-changes"),
			before: func(f *matrixFixture, _ *matrixUser) { f.pendingChange() }},
		{name: "POST /cases/role-changes", rule: mayDecide, path: fixed("/cases/role-changes"),
			before: func(f *matrixFixture, _ *matrixUser) { f.pendingChange() },
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("id", fmt.Sprint(f.changeID), "decision", "decline", "note", "No")
			},
			missingBody: formBody("id", fmt.Sprint(missingID), "decision", "decline", "note", "No"),
			missingPath: "/cases/role-changes"},
		{name: "GET /cases/{ref}", rule: mayRead, path: onCase(c, ""), sensitive: true, shows: true, note: true},
		{name: "GET /cases/{ref}/reports/{report}", rule: mayRead,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return f.casePath(c, missing, "/reports/"+f.reportRef)
			}},
		{name: "GET /cases/{ref}/edit", rule: mayChange, path: onCase(c, "/edit")},
		{name: "POST /cases/{ref}/edit", rule: mayChange, path: onCase(c, "/edit"),
			body: versioned("title", matrixTitle, "district", "st-albans", "exploitation", "labour", "status", "open")},
		{name: "GET /cases/{ref}/close", rule: mayChange, path: onCase(c, "/close")},
		{name: "POST /cases/{ref}/close", rule: mayChange, path: onCase(c, "/close"), body: versioned("outcome", "other", "reason", "Matrix", "confirm", "1"),
			after: (*matrixFixture).clearClosure},
		{name: "POST /cases/{ref}/closure", rule: mayDecide, path: onCase(c, "/closure"),
			before: func(f *matrixFixture, _ *matrixUser) { f.pendingClosure() },
			body:   versioned("decision", "refuse", "note", "Matrix: not yet"), after: (*matrixFixture).clearClosure},
		{name: "GET /cases/{ref}/officer", rule: mayChange, path: onCase(c, "/officer")},
		{name: "POST /cases/{ref}/officer", rule: mayChange, path: onCase(c, "/officer"), body: versioned("officer", "", "review_on", "")},
		{name: "GET /cases/{ref}/reopen", rule: mayChange, path: onCase(c, "/reopen"),
			before: func(f *matrixFixture, _ *matrixUser) { f.ensureClosed() }, after: (*matrixFixture).ensureOpen},
		{name: "POST /cases/{ref}/reopen", rule: mayChange, path: onCase(c, "/reopen"), body: versioned("reason", "Seen again"),
			before: func(f *matrixFixture, _ *matrixUser) { f.ensureClosed() }, after: (*matrixFixture).ensureOpen},
		{name: "GET /cases/{ref}/places/new", rule: mayChange, path: onCase(c, "/places/new")},
		{name: "POST /cases/{ref}/places/new", rule: mayChange, path: onCase(c, "/places/new"),
			body: formBody("kind", "workplace", "address", "Unit 4, Matrix Estate", "postcode", "AL1 3JX")},
		{name: "GET /cases/{ref}/businesses/new", rule: mayChange, path: onCase(c, "/businesses/new")},
		{name: "POST /cases/{ref}/businesses/new", rule: mayChange, path: onCase(c, "/businesses/new"),
			body: formBody("name", "Matrix Nails", "kind", "nail_bar")},
		{name: "GET /cases/{ref}/vehicles/new", rule: mayChange, path: onCase(c, "/vehicles/new")},
		{name: "POST /cases/{ref}/vehicles/new", rule: mayChange, path: onCase(c, "/vehicles/new"), body: formBody("registration", "MA71 RIX")},
		{name: "GET /cases/{ref}/phones/new", rule: mayChange, path: onCase(c, "/phones/new")},
		{name: "POST /cases/{ref}/phones/new", rule: mayChange, path: onCase(c, "/phones/new"), body: formBody("number", "07700 900456")},
		{name: "GET /cases/{ref}/orders/new", rule: mayChange, path: onCase(c, "/orders/new")},
		{name: "POST /cases/{ref}/orders/new", rule: mayChange, path: onCase(c, "/orders/new"),
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("person", fmt.Sprint(f.anna), "kind", "stro", "made_on", yesterday)
			}},
		{name: "GET /cases/{ref}/tasks/new", rule: mayContribute, path: onCase(c, "/tasks/new")},
		{name: "POST /cases/{ref}/tasks/new", rule: mayContribute, path: onCase(c, "/tasks/new"),
			body: func(f *matrixFixture, u *matrixUser) any {
				return form("title", "A matrix task", "assignee", fmt.Sprintf("agency:%d", f.agencies[u.agency].ID))
			}},
		{name: "GET /cases/{ref}/share", rule: mayChange, path: onCase(c, "/share")},
		{name: "POST /cases/{ref}/share", rule: mayChange, path: onCase(c, "/share"),
			before: func(f *matrixFixture, _ *matrixUser) { f.clearScratchShares() },
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("agency", fmt.Sprint(f.agencies["G"].ID), "scope", "whole", "lawful_basis", "consent", "reason", "Matrix", "agreement_reason", "No agreement in the test register")
			}},
		{name: "POST /cases/{ref}/notes", rule: mayContribute, path: onCase(c, "/notes"), body: formBody("text", "A matrix note")},
		{name: "GET /cases/{ref}/notes/{id}/edit", rule: mayContribute, before: (*matrixFixture).ownNote,
			path: onCaseID(c+"%s/notes/%d/edit", func(f *matrixFixture) int64 { return f.noteID })},
		{name: "POST /cases/{ref}/notes/{id}/edit", rule: mayContribute, before: (*matrixFixture).ownNote,
			path: onCaseID(c+"%s/notes/%d/edit", func(f *matrixFixture) int64 { return f.noteID }), body: formBody("text", "A note, corrected")},
		{name: "POST /cases/{ref}/tasks/{id}/complete", rule: mayChange, before: func(f *matrixFixture, _ *matrixUser) { f.taskForA() },
			path: onCaseID(c+"%s/tasks/%d/complete", func(f *matrixFixture) int64 { return f.taskID })},
		{name: "POST /cases/{ref}/shares/{id}/decision", rule: mayDecideShare,
			before: func(f *matrixFixture, _ *matrixUser) { f.scratchShare(f.aWorker) },
			path:   onCaseID(c+"%s/shares/%d/decision", func(f *matrixFixture) int64 { return f.shareID }), body: formBody("decision", "approve")},
		{name: "GET /cases/{ref}/shares/{id}/decline", rule: mayDecideShare,
			before: func(f *matrixFixture, _ *matrixUser) { f.scratchShare(f.aWorker) },
			path:   onCaseID(c+"%s/shares/%d/decline", func(f *matrixFixture) int64 { return f.shareID })},
		{name: "POST /cases/{ref}/shares/{id}/decline", rule: mayDecideShare,
			before: func(f *matrixFixture, _ *matrixUser) { f.scratchShare(f.aWorker) },
			path:   onCaseID(c+"%s/shares/%d/decline", func(f *matrixFixture) int64 { return f.shareID }), body: formBody("reason", "Not needed")},
		{name: "POST /cases/{ref}/shares/{id}/revoke", rule: mayDecideShare,
			before: func(f *matrixFixture, _ *matrixUser) { f.scratchShare(f.aSup) },
			path:   onCaseID(c+"%s/shares/%d/revoke", func(f *matrixFixture) int64 { return f.shareID })},
		{name: "GET /cases/{ref}/people/new", rule: mayChange, path: onCase(c, "/people/new")},
		{name: "POST /cases/{ref}/people/new", rule: mayChange, path: onCase(c, "/people/new"),
			body: func(*matrixFixture, *matrixUser) any {
				return form("given_name", "Matrix", "family_name", fmt.Sprintf("Newcomer %d", time.Now().UnixNano()), "role", "witness")
			}},
		{name: "GET /people/{id}", rule: mayRead, sensitive: true, shows: true,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/people/%d", f.anna, missing)
			}},
		{name: "GET /people/{id}/edit", rule: mayChange, sensitive: true, shows: true,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/people/%d/edit", f.anna, missing)
			}},
		{name: "POST /people/{id}/edit", rule: mayChange,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/people/%d/edit", f.anna, missing)
			},
			body: func(f *matrixFixture, _ *matrixUser) any {
				return form("version", fmt.Sprint(f.personVersion()), "given_name", "Anna", "family_name", "Kowalska", "date_of_birth", "1990-04-01",
					"phone", "07700 900123", "immigration_status", matrixImmigration, "health", matrixHealth, "nationality", "Polish")
			}},
		{name: "POST /people/{id}/cases/{link}/role", rule: mayChange, before: func(f *matrixFixture, _ *matrixUser) { f.witnessAgain() },
			path: onPerson("/people/%d/cases/%d/role", func(f *matrixFixture) int64 { return f.witness }, func(f *matrixFixture) int64 { return f.witnessLink }),
			body: formBody("role", "other")},
		{name: "POST /people/{id}/cases/{link}/coerced", rule: mayChange,
			path: onPerson("/people/%d/cases/%d/coerced", anna, func(f *matrixFixture) int64 { return f.annaLink }),
			body: formBody("coerced", "1")},
		{name: "GET /cases/{ref}/people/{link}/referral/new", rule: mayRefer,
			path: onCaseID(c+"%s/people/%d/referral/new", func(f *matrixFixture) int64 { return f.annaLink })},
		{name: "POST /cases/{ref}/people/{link}/referral/new", rule: mayRefer,
			path: onCaseID(c+"%s/people/%d/referral/new", func(f *matrixFixture) int64 { return f.annaLink }),
			body: formBody("step", "gate", "age_group", "child")},
		{name: "GET /cases/{ref}/matches", rule: mayRead, path: onCase(c, "/matches"),
			before: func(f *matrixFixture, _ *matrixUser) { f.openMatch() }},
		{name: "POST /cases/{ref}/matches/{id}", rule: mayChange, before: func(f *matrixFixture, _ *matrixUser) { f.openMatch() },
			path: onCaseID(c+"%s/matches/%d", func(f *matrixFixture) int64 { return f.matchID }),
			body: formBody("decision", "reject", "reason", "Matrix: not the same person")},
		{name: "POST /cases/{ref}/matches/{id}/undo", rule: mayChange, before: func(f *matrixFixture, _ *matrixUser) { f.mergedMatch() },
			path: onCaseID(c+"%s/matches/%d/undo", func(f *matrixFixture) int64 { return f.matchID }),
			body: formBody("reason", "Matrix: two people after all")},
		{name: "GET /cases/{ref}/network", rule: mayRead, path: onCase(c, "/network?depth=3")},
		{name: "GET /analysis/network", rule: mayAnalyseNetwork, path: fixed("/analysis/network")},
		{name: "GET /analysis/network.csv", rule: mayAnalyseNetwork, path: fixed("/analysis/network.csv")},
		{name: "GET /analysis/network.graphml", rule: mayAnalyseNetwork, path: fixed("/analysis/network.graphml")},
		{name: "GET /referrals", rule: mayList, path: fixed("/referrals"), lists: true},
		{name: "GET /referrals/figures", rule: mayList, path: fixed("/referrals/figures")},
		{name: "GET /referrals/{id}", rule: mayReadReferral, referral: true,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/referrals/%d", f.nrmID, missing)
			}},
		{name: "GET /referrals/{id} ?dtn", rule: mayReadReport,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/referrals/%d", f.dtnID, missing)
			}},
		{name: "POST /referrals/{id}/decisions", rule: mayDecideReferral,
			before: func(f *matrixFixture, _ *matrixUser) { f.undecidedReferral() },
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/referrals/%d/decisions", f.decideID, missing)
			},
			body: formBody("kind", "rg", "date", time.Now().AddDate(0, 0, -1).Format(time.DateOnly), "outcome", "positive", "version", "1")},
		{name: "GET /referrals/{id}/summary", rule: mayReadReferral, sensitive: true, referral: true,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/referrals/%d/summary", f.nrmID, missing)
			}},
		{name: "GET /referrals/{id}/summary.pdf", rule: mayReadReferral, sensitive: true, referral: true,
			path: func(f *matrixFixture, _ *matrixUser, missing bool) string {
				return idPath("/referrals/%d/summary.pdf", f.nrmID, missing)
			}},
	}
}
