package web

import (
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// matchAction finds the first decision form on a case's matches page and returns
// the match's id.
func matchAction(t *testing.T, ref, body string) string {
	t.Helper()
	m := regexp.MustCompile(`action="/cases/` + ref + `/matches/(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no decision form on the matches page:\n%s", pageText(body))
	}
	return m[1]
}

// shareAs shares the case of an agency's supervisor with another agency, at once.
func (e *caseEnv) shareAs(super *tropic.User, ref string, agency *tropic.Agency, scope tropic.ShareScope) {
	e.t.Helper()
	res := e.as(super).post("/cases/"+ref+"/share", url.Values{"agency": {strconv.FormatInt(agency.ID, 10)}, "scope": {string(scope)},
		"lawful_basis": {"gdpr_6_1_e"}, "reason": {"Joint safeguarding visit"}, "agreement_reason": {"No agreement in the test register"}})
	wantRedirect(e.t, res, "/cases/"+ref)
}

// annaAgain is Anna as another agency recorded her: the same person, typed differently.
var annaAgain = url.Values{"role": {"potential_victim"}, "given_name": {"Ana"}, "family_name": {"Kowalska"}, "date_of_birth": {"1998-04-27"},
	"phone": {"+44 7700 900456"}}

func TestPossibleMatchesTellTheOtherRecordOnlyWhenPermitted(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	policeRef := e.newCase(police, "Car wash, Victoria Street")
	e.addPerson(police, policeRef, anna)
	council := e.as(e.cWorker)
	councilRef := e.newCase(council, "Overcrowded house (council title)")
	e.addPerson(council, councilRef, annaAgain)

	// The case page counts the suggestion and links to it.
	page := pageText(police.get("/cases/" + policeRef).body)
	wantContains(t, page, "Possible matches", "1 possible match to decide.", `href="/cases/`+policeRef+`/matches"`,
		`href="/cases/`+policeRef+`/network"`)

	// The council's record is not the police's to see: only who holds it.
	res := police.get("/cases/" + policeRef + "/matches")
	wantStatus(t, res, http.StatusOK)
	page = pageText(res.body)
	wantContains(t, page, "1 possible match to decide for 1 person on this case.",
		`<h3 class="govuk-heading-s" id="person-1-open">Anna Kowalska: 1 possible match</h3>`,
		`<h4 class="govuk-summary-card__title">A record held by Watford Borough Council</h4>`,
		"A possible match is held by Watford Borough Council. Ask them to review it: they can see both records only if you share this case with them.",
		"How strong", "Why", `<ul class="govuk-list govuk-list--bullet app-match-why">`,
		"Why is it not relevant to this case?", "Not relevant to this case: do not suggest again",
		"(Anna Kowalska and a record held by Watford Borough Council)", "No records have been linked")
	wantNotContains(t, page, "Not the same person: never suggest again")
	wantNotContains(t, page, councilRef, "council title", "Ana Kowalska", "Same person: link the records", "Same person: merge", "% probability")
	if got := e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditMatchesViewed}); len(got) == 0 {
		t.Error("reading the suggestions wrote no audit event")
	}

	// Shared with the police, the council's record is named and linked, and all three
	// decisions are offered.
	e.shareAs(e.cSuper, councilRef, e.police, tropic.ShareWithoutSensitive)
	res = police.get("/cases/" + policeRef + "/matches")
	page = pageText(res.body)
	wantContains(t, page, `<h4 class="govuk-summary-card__title">Ana Kowalska, on `+councilRef+`</h4>`,
		"Save decision<span class=\"govuk-visually-hidden\"> on Anna Kowalska and Ana Kowalska, on "+councilRef+"</span>", `href="/cases/`+councilRef+`"`,
		"Same person: link the records", "Same person: merge into one record", "Not the same person: never suggest again", "% probability")
	wantNotContains(t, page, "A possible match is held by", "Not relevant to this case")
	id := matchAction(t, policeRef, res.body)
	action := "/cases/" + policeRef + "/matches/" + id

	// The council sees the same match from its side, but does not decide on the
	// police's case, which it may not see: that is a missing page.
	wantMissing(t, council, council.post(action, url.Values{"decision": {"reject"}, "reason": {"Not ours to decide"}}))
	// The analyst does not work cases.
	wantMissing(t, e.as(e.analyst), e.as(e.analyst).get("/cases/"+policeRef+"/matches"))

	// No decision: the error names the field and keeps the reason typed.
	res = police.post(action, url.Values{"reason": {"Seen together at the car wash"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `<a href="#match-`+id+`-decision">Choose whether these are the same person</a>`, "Seen together at the car wash</textarea>")
	if title := pageTitle(res.body); title[:7] != "Error: " {
		t.Errorf("title %q does not start with Error:", title)
	}
	// Rejecting needs a reason: the choice is kept.
	res = police.post(action, url.Values{"decision": {"reject"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `<a href="#match-`+id+`-reason">Enter why these are not the same person</a>`,
		`value="reject" checked`, `id="match-`+id+`-reason-error"`)

	// Rejected: gone for good.
	wantRedirect(t, police.post(action, url.Values{"decision": {"reject"}, "reason": {"Different mother's name on the passport"}}), "/cases/"+policeRef+"/matches")
	page = pageText(police.get("/cases/" + policeRef + "/matches").body)
	wantContains(t, page, "The suggestion is rejected. It will not be made again.", "There are no possible matches to decide")
	wantNotContains(t, page, "Ana Kowalska")
	// Reloading does not bring it back.
	for range 2 {
		page = pageText(police.get("/cases/" + policeRef + "/matches").body)
		wantNotContains(t, page, "Anna Kowalska and Ana Kowalska", "Success")
	}
	wantContains(t, pageText(police.get("/cases/"+policeRef).body), "No possible matches to decide.")
	// Deciding again is refused: it has gone.
	res = police.post(action, url.Values{"decision": {"link"}})
	if res.status == http.StatusSeeOther {
		t.Errorf("a rejected suggestion was decided again")
	}
}

func TestHiddenMatchesMayOnlyBeRejected(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	policeRef := e.newCase(police, "Car wash, Victoria Street")
	e.addPerson(police, policeRef, anna)
	council := e.as(e.cWorker)
	councilRef := e.newCase(council, "Overcrowded house")
	e.addPerson(council, councilRef, annaAgain)

	res := police.get("/cases/" + policeRef + "/matches")
	id := matchAction(t, policeRef, res.body)
	action := "/cases/" + policeRef + "/matches/" + id
	// Linking a record the police may not see is refused, saying whom to contact.
	res = police.post(action, url.Values{"decision": {"link"}})
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, pageText(res.body), "Contact Watford Borough Council")
	wantNotContains(t, pageText(res.body), councilRef)
	// Rejecting it without a reason asks for one, in the words of its form.
	res = police.post(action, url.Values{"decision": {"reject"}, "other": {"hidden"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `<a href="#match-`+id+`-reason">Enter why it is not relevant to this case</a>`)
	// Rejecting it is not refused.
	wantRedirect(t, police.post(action, url.Values{"decision": {"reject"}, "other": {"hidden"}, "reason": {"Checked with the council: not her"}}), "/cases/"+policeRef+"/matches")
}

func TestMatchBandsAndReasons(t *testing.T) {
	for _, tc := range []struct {
		b     tropic.MatchBand
		class string
	}{{tropic.BandStrong, "govuk-tag--green"}, {tropic.BandLikely, "govuk-tag--blue"}, {tropic.BandPossible, "govuk-tag--grey"}} {
		if got := matchBandClass(tc.b); got != tc.class {
			t.Errorf("matchBandClass(%v) = %q, want %q", tc.b, got, tc.class)
		}
	}
	got := matchReasons("given name similar 0.97; same surname;  date of birth with day and month swapped ")
	want := []string{"Given name similar 0.97", "Same surname", "Date of birth with day and month swapped"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reasons %q, want %q", got, want)
	}
}

func TestPossibleMatchesAreGroupedByThePersonOnTheCase(t *testing.T) {
	cards := []matchCard{
		{ID: "1", PersonName: "Jon Smith", PersonHref: "/people/1", Title: "John Smith, on C-A"},
		{ID: "2", PersonName: "Drita Gashi", PersonHref: "/people/2", Title: "A record held by Watford Borough Council"},
		{ID: "3", PersonName: "Jon Smith", PersonHref: "/people/1", Title: "Jonathan Smith, on C-B"},
		{ID: "4", PersonName: "Jon Smith", PersonHref: "/people/1", Title: "A record held by Hertfordshire County Council"},
	}
	got := groupMatches(cards, "possible match", "possible matches")
	if len(got) != 2 || got[0].Heading != "Jon Smith: 3 possible matches" || got[1].Heading != "Drita Gashi: 1 possible match" ||
		len(got[0].Cards) != 3 || got[0].Cards[1].ID != "3" || got[0].ID == got[1].ID {
		t.Errorf("groups %+v", got)
	}
}

func TestLinkingASuspectToAPotentialVictimElsewhereShowsTheS45Notice(t *testing.T) {
	e := newCaseEnv(t)
	council := e.as(e.cWorker)
	councilRef := e.newCase(council, "Cannabis grow, Watford")
	e.addPerson(council, councilRef, url.Values{"role": {"potential_victim"}, "given_name": {"Minh"}, "family_name": {"Nguyen"},
		"date_of_birth": {"2007-03-14"}, "phone": {"07700 900777"}})
	e.shareAs(e.cSuper, councilRef, e.police, tropic.ShareWithoutSensitive)

	police := e.as(e.worker)
	policeRef := e.newCase(police, "Burglaries, Stevenage")
	e.addPerson(police, policeRef, url.Values{"role": {"suspect"}, "given_name": {"Minh"}, "family_name": {"Nguyen"},
		"date_of_birth": {"2007-03-14"}, "phone": {"+447700900777"}})
	wantNotContains(t, pageText(police.get("/cases/"+policeRef).body), "the s.45 defence may apply")

	id := matchAction(t, policeRef, police.get("/cases/"+policeRef+"/matches").body)
	wantRedirect(t, police.post("/cases/"+policeRef+"/matches/"+id, url.Values{"decision": {"link"}}), "/cases/"+policeRef+"/matches")
	page := pageText(police.get("/cases/" + policeRef + "/matches").body)
	wantContains(t, page, "The records are linked as the same person", "Linked records", "Linked", "Alex Archer")
	page = pageText(police.get("/cases/" + policeRef).body)
	wantContains(t, page, "is a potential victim on another case held by Watford Borough Council: the s.45 defence may apply", "1 record linked.")
}

func TestMergeThenUndo(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	first := e.newCase(police, "Car wash, Victoria Street")
	e.addPerson(police, first, anna)
	second := e.newCase(police, "Nail bar, London Road")
	e.addPerson(police, second, annaAgain)
	other := personID(t, e.as(e.worker).get("/cases/"+second).body)

	res := police.get("/cases/" + first + "/matches")
	wantContains(t, pageText(res.body), "Anna Kowalska and Ana Kowalska", `href="/cases/`+second+`"`)
	id := matchAction(t, first, res.body)
	action := "/cases/" + first + "/matches/" + id
	// Merging needs a reason.
	res = police.post(action, url.Values{"decision": {"merge"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, "Enter why these records are the same person", `value="merge" checked`)
	wantRedirect(t, police.post(action, url.Values{"decision": {"merge"}, "reason": {"Same passport number on both"}}), "/cases/"+first+"/matches")

	res = police.get("/cases/" + first + "/matches")
	page := pageText(res.body)
	wantContains(t, page, "The records are merged into one", "Merged", "Same passport number on both", "Undo merge",
		`action="/cases/`+first+`/matches/`+id+`/undo"`)
	// The second case now holds the one record, Anna's.
	if got := personID(t, police.get("/cases/"+second).body); got == other {
		t.Errorf("the second case still shows the merged record %s", got)
	}

	// Undoing needs a reason, kept with the error.
	undo := action + "/undo"
	res = police.post(undo, url.Values{"reason": {"  "}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, `<a href="#undo-`+id+`-reason">Enter why this merge should be undone</a>`)
	// Only the owner undoes: a council caseworker gets the missing page.
	wantMissing(t, e.as(e.cWorker), e.as(e.cWorker).post(undo, url.Values{"reason": {"Not ours"}}))
	wantRedirect(t, police.post(undo, url.Values{"reason": {"The passports were forged: two women"}}), "/cases/"+first+"/matches")
	page = pageText(police.get("/cases/" + first + "/matches").body)
	wantContains(t, page, "The merge is undone", "No records have been linked")
	wantNotContains(t, page, "Ana Kowalska")
	if got := personID(t, police.get("/cases/"+second).body); got != other {
		t.Errorf("after the undo the second case shows person %s, want the record %s back", got, other)
	}
}

func TestNoMatchesSaysSo(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	ref := e.newCase(police, "Car wash, Victoria Street")
	page := pageText(police.get("/cases/" + ref + "/matches").body)
	wantContains(t, page, "There are no possible matches to decide for the people on this case.", "No records have been linked to the people on this case.")
	wantContains(t, pageText(police.get("/cases/"+ref).body), "No possible matches to decide.")
	// A shared agency reads the list but is told it does not decide.
	e.share(ref, e.council, tropic.ShareWhole)
	wantContains(t, pageText(e.as(e.cWorker).get("/cases/"+ref+"/matches").body), "Only the agency that owns this case decides on its suggestions.")
}

// What a hidden record's card advises is true for whoever reads it: the owner is told
// to share only when the holder cannot already see the case; another agency, which
// cannot share the case, is told to ask its owner.
func TestHiddenMatchAdviceIsTrueForTheReader(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	c := &tropic.Case{OwnerAgency: "Hertfordshire Constabulary", Shares: []*tropic.Share{
		{AgencyName: "St Albans City and District Council", Status: tropic.ShareActive},
		{AgencyName: "Watford Borough Council", Status: tropic.ShareRevoked},
	}}
	for _, tt := range []struct {
		heldBy string
		owner  bool
		want   string
	}{
		{"St Albans City and District Council", true, "St Albans City and District Council can see this case: ask them to review it."},
		{"Watford Borough Council", true, "they can see both records only if you share this case with them"},
		{"Safe Harbour Herts", true, "they can see both records only if you share this case with them"},
		{"Safe Harbour Herts", false, "Ask Hertfordshire Constabulary, which holds this case, to review it with Safe Harbour Herts."},
		{"Hertfordshire Constabulary", false, "Hertfordshire Constabulary holds this case and the other record: ask them to review it."},
	} {
		if got := hiddenMatchAdvice(c, tt.heldBy, tt.owner, now); !strings.Contains(got, tt.want) {
			t.Errorf("held by %s, owner %v: got %q, want %q", tt.heldBy, tt.owner, got, tt.want)
		}
	}
}
