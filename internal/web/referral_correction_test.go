package web

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// TestReferralADutyToNotifyReportIsCorrectedAndAStaleSaveKeepsWhatWasTyped (issue 19,
// item 4): the agency that made a report corrects it on a page offering nothing that
// identifies the person; the report then shows its history; a save against an older
// version is refused naming who changed it and when, keeping what was typed; another
// agency finds no such page.
func TestReferralADutyToNotifyReportIsCorrectedAndAStaleSaveKeepsWhatWasTyped(t *testing.T) {
	e := newReferralEnv(t)
	p := e.victim(e.bound, "dee@dacorum.example")
	id := e.refer(p, "dtn", "adult", "no", url.Values{"gender": {"female"}, "nationality": {"Polish"}})
	path := referralPath(id) + "/correct"
	form := p.c.get(path)
	wantStatus(t, form, http.StatusOK)
	wantContains(t, pageText(form.body), "Duty to Notify report "+strconv.FormatInt(id, 10), "Correct this report", "Why is the report corrected?", "withdraw it and make an NRM referral")
	wantNotContains(t, form.body, identifying...)
	page := p.c.get(referralPath(id)).body
	wantContains(t, pageText(page), "Correct this report")
	// The caption says the kind, the heading names the record: neither repeats the other.
	wantContains(t, page, `<span class="govuk-caption-l">Duty to Notify</span>`, `<h1 class="govuk-heading-l">Report `+strconv.FormatInt(id, 10)+` <strong`)

	today := e.ts.clock.Now().Format(time.DateOnly)
	answers := func(version int, reason, nationality string) url.Values {
		return url.Values{"version": {strconv.Itoa(version)}, "reason": {reason}, "submitted_on": {today}, "gender": {"male"},
			"nationality": {nationality}, "exploitation": {"labour"}, "location": {"uk"}}
	}
	// A colleague corrects it first.
	eve := e.as(e.addStaff("eve@dacorum.example", "Eve Second", e.bound, tropic.RoleCaseworker))
	res := eve.post(path, answers(1, "new_information", "Polish"))
	if res.status != http.StatusSeeOther || res.location() != referralPath(id) {
		t.Fatalf("correction: got %d to %q\n%s", res.status, res.location(), pageText(res.body))
	}
	view := pageText(eve.get(referralPath(id)).body)
	wantContains(t, view, "The report has been corrected", "Corrections", "by Eve Second", "Later information about the same events", "Gender: Female to Male")

	// No reason: the field is named, what was typed kept, nothing saved.
	res = p.c.post(path, answers(2, "", "Albanian"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, "Choose why the report is corrected", `value="Albanian"`)
	// Against the version read before Eve's save: refused, naming her, keeping what was typed.
	res = p.c.post(path, answers(1, "entry_mistake", "Albanian"))
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, pageText(res.body), "Eve Second", "changed this report at")
	wantContains(t, res.body, `value="Albanian"`, `name="version" value="2"`)
	got, err := e.ts.srv.deps.Referrals.FindReferral(t.Context(), tropic.ActorFor(e.userOf(t, "dee@dacorum.example")), id)
	if err != nil || got.Nationality != "Polish" || got.Version != 2 {
		t.Fatalf("after the refused saves: %+v, %v; want Polish at version 2", got, err)
	}
	// Another agency's case worker finds no such page, and cannot post to it.
	other := e.victim(e.fr, "fay@beds.example")
	wantStatus(t, other.c.get(path), http.StatusNotFound)
	wantStatus(t, other.c.post(path, answers(2, "entry_mistake", "Albanian")), http.StatusNotFound)
}
