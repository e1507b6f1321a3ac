package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// Issue 12 item 3: the triage report page offers, one click each, the cases of the
// user's agency that the report matches (add to it) and the reports it matches
// (duplicate of), posting the decision route; a matching case of another agency is
// not offered, since the decision could not add to it.
func TestTriageReportOffersItsMatchesAsOneClickDecisions(t *testing.T) {
	e := newTriageEnv(t)
	ctx := context.Background()
	ours := &tropic.Case{Title: "Car wash, Victoria Street", District: "st-albans"}
	if err := e.ts.srv.deps.Cases.CreateCase(ctx, tropic.ActorFor(e.priya), ours, ""); err != nil {
		t.Fatal(err)
	}
	theirs := &tropic.Case{Title: "Watford house", District: "watford"}
	if err := e.ts.srv.deps.Cases.CreateCase(ctx, tropic.ActorFor(e.caseworker), theirs, ""); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		u   *tropic.User
		ref string
	}{{e.priya, ours.Reference}, {e.caseworker, theirs.Reference}} {
		if err := e.ts.srv.deps.Cases.AddPhone(ctx, tropic.ActorFor(c.u), c.ref, &tropic.CasePhone{Number: "07700 900123"}); err != nil {
			t.Fatal(err)
		}
	}
	withPhone := func(r *tropic.Report) { r.Phones = []tropic.Phone{{Number: "07700 900123"}} }
	earlier := e.report(3*time.Hour, withPhone)
	rep := e.report(time.Hour, withPhone)
	lonely := e.report(time.Hour, func(r *tropic.Report) { r.Location.Postcode = "WD17 1AA" })

	c := e.as(e.priya)
	path := "/triage/reports/" + rep.Reference
	body := c.get(path).body
	addForm := `<input type="hidden" name="decision" value="add_to_case">
      <input type="hidden" name="case_reference" value="` + ours.Reference + `">`
	dupForm := `<input type="hidden" name="decision" value="duplicate">
      <input type="hidden" name="duplicate_of" value="` + earlier.Reference + `">`
	for _, want := range []string{addForm, dupForm, "Add to case " + ours.Reference + ": Car wash, Victoria Street", "Duplicate of Report " + earlier.Reference, `href="#decide-from-matches"`, "The cases the report matches are offered above, one click each."} {
		if !strings.Contains(body, want) {
			t.Errorf("the report page does not offer %q:\n%s", want, mainContent(body))
		}
	}
	if strings.Contains(body, `value="`+theirs.Reference+`"`) {
		t.Errorf("the page offers to add the report to %s, another agency's case", theirs.Reference)
	}
	if b := c.get("/triage/reports/" + lonely.Reference).body; strings.Contains(b, "Decide from what the report matches") {
		t.Error("a report that matches nothing is offered one-click decisions")
	}

	// One click: the form's own fields are the whole decision.
	wantRedirect(t, c.post(path+"/decision", url.Values{"decision": {"duplicate"}, "duplicate_of": {earlier.Reference}}), path)
	got, err := e.ts.srv.deps.Reports.FindReportByReference(ctx, testAdmin, rep.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != tropic.ReportDuplicate || got.DuplicateOf != earlier.Reference {
		t.Errorf("after the one-click duplicate the report is %q of %q", got.Status, got.DuplicateOf)
	}
	res := c.post(path+"/decision", url.Values{"decision": {"add_to_case"}, "case_reference": {ours.Reference}})
	if res.status/100 != 3 {
		t.Fatalf("adding to the matching case answered %d:\n%s", res.status, pageText(res.body))
	}
	if got, _ := e.ts.srv.deps.Reports.FindReportByReference(ctx, testAdmin, rep.Reference); got.Status != tropic.ReportLinkedToCase {
		t.Errorf("after the one-click add the report is %q", got.Status)
	}
}
