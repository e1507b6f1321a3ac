package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

func TestAnalystNetworkSearchExpandAndExport(t *testing.T) {
	e := newCaseEnv(t)
	policeRef, councilRef, police2 := phoneCases(e)
	pw := e.as(e.worker)
	wantRedirect(t, pw.post("/cases/"+policeRef+"/businesses/new", url.Values{"name": {"Sparkle Hand Car Wash"}, "kind": {"car_wash"}}), "/cases/"+policeRef)
	secrets := []string{policeRef, councilRef, police2, "Anna", "Kowalska", "Wiktor", "Zielinski", "7700", "900123", "+44", "council title", "police title"}
	// The pseudonyms are keyed hashes, so their hex digits can hold "7700" by chance:
	// they are taken out before looking for the phone's digits.
	wantNotContains := func(t *testing.T, body string, secrets ...string) {
		t.Helper()
		wantNotContains(t, withoutPseudonyms(body), secrets...)
	}
	analyst := e.as(e.analyst)

	// The business, searched for in any case, is named; the case is one step from
	// it, the phone two, the other cases three: not there until the phone is expanded.
	res := analyst.get("/analysis/network?by=business&q=sparkle+hand+CAR+wash")
	wantStatus(t, res, http.StatusOK)
	page := pageText(res.body)
	wantContains(t, page, "Sparkle Hand Car Wash (searched for)", "Every record found", "Steps from the search", "Timeline of the cases found", "Opened",
		`<svg class="app-network" id="search"`, "Expand", "All shown")
	wantNotContains(t, page, secrets...)
	if got := e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditAnalystNetwork}); len(got) == 0 {
		t.Fatal("the search wrote no audit event")
	}
	if strings.Count(page, "Held by") > 0 && strings.Contains(page, "Watford Borough Council") {
		t.Fatalf("the council's case is three steps from the business, want it left out until expanded:\n%s", page)
	}
	m := regexp.MustCompile(`href="(/analysis/network\?[^"]*expand=phone%3A[0-9a-f]{16}[^"]*)"`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no link expands the phone:\n%s", res.body)
	}
	expanded := analyst.get(html.UnescapeString(m[1]))
	wantStatus(t, expanded, http.StatusOK)
	wantContains(t, pageText(expanded.body), "Watford Borough Council")
	wantNotContains(t, pageText(expanded.body), secrets...)

	// The exports hold what the page shows, pseudonymised as there, and are audited.
	q := strings.TrimPrefix(html.UnescapeString(m[1]), "/analysis/network")
	csv := analyst.get("/analysis/network.csv" + q)
	wantStatus(t, csv, http.StatusOK)
	wantContains(t, csv.body, "Entity1,Type1,Entity2,Type2,Link", "Sparkle Hand Car Wash,Business,", "Watford Borough Council", "Person ")
	graphml := analyst.get("/analysis/network.graphml" + q)
	wantStatus(t, graphml, http.StatusOK)
	wantContains(t, graphml.body, `<graphml xmlns="http://graphml.graphdrawing.org/xmlns"`, `<data key="label">Sparkle Hand Car Wash</data>`, `<data key="searched">true</data>`)
	for _, body := range []string{csv.body, graphml.body} {
		wantNotContains(t, body, secrets...)
	}
	if got := e.ts.auditActions(tropic.AuditFilter{Action: tropic.AuditAnalystNetworkExported}); len(got) != 2 {
		t.Fatalf("got %d export audit events, want 2", len(got))
	}

	// A phone, however written, finds the three cases.
	res = analyst.get("/analysis/network?by=phone&q=%2B44+7700+900+123")
	wantStatus(t, res, http.StatusOK)
	// The form, and the links that carry the search, keep the phone as typed.
	_, found, _ := strings.Cut(pageText(res.body), "</form>")
	found = regexp.MustCompile(`href="[^"]*"`).ReplaceAllString(found, "")
	wantContains(t, found, "Watford Borough Council", "Hertfordshire Constabulary")
	wantNotContains(t, found, secrets...)

	// Nothing found says so; filters that keep nothing say so.
	wantContains(t, pageText(analyst.get("/analysis/network?by=postcode&q=zz11zz").body), "Nothing in the partnership's network has the postcode ZZ1 1ZZ.")
	wantContains(t, pageText(analyst.get("/analysis/network?exploitation=organ_harvesting").body), "No cases the filters keep are connected to each other.")

	// Bad input names the field and keeps what was typed.
	for _, tc := range []struct{ query, field, typed string }{
		{"by=postcode&q=nowhere", "q", `value="nowhere"`},
		{"by=phone&q=not+a+phone", "q", `value="not a phone"`},
		{"from=31%2F01%2F2026", "from", `value="31/01/2026"`},
		{"from=2026-02-01&to=2026-01-01", "to", `value="2026-01-01"`},
		{"district=atlantis", "district", ""},
		{"expand=person%3A7", "expand", ""},
	} {
		res := analyst.get("/analysis/network?" + tc.query)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, `href="#`+tc.field+`"`, tc.typed)
	}
}

// A search finding more than a drawing can show draws the records nearest the one
// searched for and says, by kind, what it leaves out; the tables list them all.
func TestNetworkSearchSaysWhatTheDrawingLeavesOut(t *testing.T) {
	nw := &tropic.Network{Nodes: []tropic.NetworkNode{{Key: "business:0", Kind: "business", Label: "Sparkle Hand Car Wash", Root: true, Expanded: true}}}
	prev := "business:0"
	for i := 1; i <= 50; i++ {
		c, p := fmt.Sprintf("case:%d", i), fmt.Sprintf("phone:%d", i)
		nw.Nodes = append(nw.Nodes, tropic.NetworkNode{Key: c, Kind: "case", Label: "Case " + c, Steps: 2*i - 1},
			tropic.NetworkNode{Key: p, Kind: "phone", Label: "Phone " + p, Steps: 2 * i})
		nw.Edges = append(nw.Edges, tropic.NetworkEdge{From: prev, To: c, Why: "on the case"}, tropic.NetworkEdge{From: c, To: p, Why: "phone on the case"})
		prev = p
	}
	p := &networkPage{}
	showSearch(p, nw, tropic.NetworkQuery{By: tropic.NetworkByBusiness, Search: "Sparkle Hand Car Wash"}, networkForm{By: "business", Q: "Sparkle Hand Car Wash"})
	if len(p.Found) != 101 || len(p.FoundEdges) != 100 {
		t.Fatalf("got %d records and %d connections in the tables, want 101 and 100", len(p.Found), len(p.FoundEdges))
	}
	want := "A drawing of more than 60 shapes cannot be read, so this one shows the 60 records nearest the one searched for, of the 101 found: it leaves out 20 cases and 21 phone numbers. The tables below list all 101."
	if got := p.Drawings[0].Note; got != want {
		t.Errorf("got note %q, want %q", got, want)
	}
}

// pseudonymRE matches the analysts' network keys ("phone:0123456789abcdef", also as
// escaped in a link) and pseudonymous labels ("Phone 7F3A9C").
var pseudonymRE = regexp.MustCompile(`(?:case|person|phone|vehicle|place|business|email)(?::|%3A)[0-9a-f]{16}|(?:Case|Person|Phone|Vehicle|E-mail) [0-9A-F]{6}\b`)

// withoutPseudonyms takes the network's pseudonyms out of a page or an export, so
// that a test looking for a leaked number does not find it inside a keyed hash.
func withoutPseudonyms(s string) string { return pseudonymRE.ReplaceAllString(s, "[pseudonym]") }
