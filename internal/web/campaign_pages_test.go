package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

func TestCampaignPages(t *testing.T) {
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("analyst@example.org", tropic.RoleAnalyst)
	ts.addUser("worker@example.org", tropic.RoleCaseworker)
	worker := ts.client(t)
	worker.signInWaived("worker@example.org")
	if r := worker.get("/staff/campaigns"); r.status != 404 {
		t.Fatalf("caseworker got %d for campaigns", r.status)
	}
	if r := worker.get("/staff/exports/htcds.csv"); r.status != 404 {
		t.Fatalf("caseworker got %d for the export", r.status)
	}
	an := ts.client(t)
	an.signInWaived("analyst@example.org")
	bad := url.Values{"name": {"Spot the signs"}, "slug": {"Not A Slug"}, "starts_on": {"2026-03-10"}, "ends_on": {"2026-03-01"}}
	r := an.post("/staff/campaigns/new", bad)
	if r.status != 422 || !strings.Contains(r.body, `value="Not A Slug"`) || !strings.Contains(r.body, "end date must be") {
		t.Fatalf("invalid campaign: %d\n%s", r.status, r.body)
	}
	now := ts.clock.Now()
	good := url.Values{"name": {"Spot the signs"}, "hashtags": {"#SpotTheSigns"}, "starts_on": {now.AddDate(0, 0, -1).Format("2006-01-02")},
		"ends_on": {now.AddDate(0, 0, 5).Format("2006-01-02")}, "description": {"Look closer."}}
	if r := an.post("/staff/campaigns/new", good); r.status != 303 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if r := an.get("/staff/campaigns"); !strings.Contains(r.body, "Spot the signs") {
		t.Fatalf("list lacks the campaign")
	}
	good.Set("description", "Look closer still.")
	if r := an.post("/staff/campaigns/spot-the-signs/edit", good); r.status != 303 {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}
	pub := ts.client(t).get("/campaigns/spot-the-signs")
	if pub.status != 200 || !strings.Contains(pub.body, "Look closer still.") || !strings.Contains(pub.body, "twitter.com/intent/tweet") ||
		!strings.Contains(pub.body, "Exit this page") || strings.Contains(pub.body, "<script src=\"http") {
		t.Fatalf("public page: %d\n%s", pub.status, pub.body)
	}
	if r := ts.client(t).get("/campaigns/nope"); r.status != 404 {
		t.Fatalf("missing campaign: %d", r.status)
	}
	choices := ts.srv.howHeardChoices(context.Background(), &Layout{locales: ts.srv.locales}, "")
	if len(choices) == 0 || choices[0].Value != "campaign:spot-the-signs" {
		t.Fatalf("live campaign not offered first: %+v", choices)
	}
	// The campaign page's link chooses the campaign's answer on the report form; a
	// campaign that is not running, a made-up one or any other answer chooses nothing.
	if !strings.Contains(pub.body, `href="/report/new?how_heard=campaign%3Aspot-the-signs"`) {
		t.Errorf("the public page does not link to the form with the campaign chosen")
	}
	checkedRE := regexp.MustCompile(`name="how_heard" type="radio" value="([^"]*)" checked`)
	checkedHowHeard := func(query string) string {
		t.Helper()
		r := ts.client(t).get("/report/new" + query)
		if r.status != 200 {
			t.Fatalf("GET /report/new%s: %d", query, r.status)
		}
		if strings.Count(r.body, `name="how_heard"`) == 0 {
			t.Fatalf("no how_heard radios on /report/new%s", query)
		}
		m := checkedRE.FindAllStringSubmatch(r.body, -1)
		if len(m) > 1 {
			t.Fatalf("/report/new%s: %d answers checked", query, len(m))
		}
		if len(m) == 0 {
			return ""
		}
		return m[0][1]
	}
	if got := checkedHowHeard("?how_heard=campaign:spot-the-signs"); got != "campaign:spot-the-signs" {
		t.Errorf("live campaign link: checked %q", got)
	}
	past := url.Values{"name": {"Old push"}, "starts_on": {now.AddDate(0, 0, -40).Format("2006-01-02")}, "ends_on": {now.AddDate(0, 0, -30).Format("2006-01-02")}}
	if r := an.post("/staff/campaigns/new", past); r.status != 303 {
		t.Fatalf("create past campaign: %d %s", r.status, r.body)
	}
	for _, q := range []string{"", "?how_heard=campaign:old-push", "?how_heard=campaign:nope", "?how_heard=social_media",
		"?how_heard=campaign:spot-the-signs%22%3E%3Cscript%3E", "?how_heard=" + url.QueryEscape(`"><script>alert(1)</script>`)} {
		if got := checkedHowHeard(q); got != "" {
			t.Errorf("/report/new%s checked %q, want nothing", q, got)
		}
	}
	if r := ts.client(t).get("/report/new?how_heard=campaign:nope"); strings.Contains(r.body, "campaign:nope") {
		t.Errorf("an unknown campaign from the query reached the form")
	}
	eff := an.get("/staff/campaigns/spot-the-signs/effect")
	if eff.status != 200 || !strings.Contains(eff.body, "<svg") || !strings.Contains(eff.body, "Reports per week") {
		t.Fatalf("effect: %d\n%s", eff.status, eff.body)
	}
	csv := an.get("/staff/exports/htcds.csv")
	if csv.status != 200 || !strings.HasPrefix(csv.body, strings.Join(tropic.HTCDSHeader, ",")+"\n") || strings.Contains(strings.ToLower(csv.body), "immigration") {
		t.Fatalf("export: %d\n%s", csv.status, csv.body)
	}
	xl := an.get("/staff/exports/htcds.xlsx")
	if xl.status != 200 {
		t.Fatalf("export as XLSX: %d", xl.status)
	}
	book, err := excelize.OpenReader(strings.NewReader(xl.body))
	if err != nil {
		t.Fatalf("the XLSX export does not open: %v", err)
	}
	rows, err := book.GetRows("Data")
	if err != nil || len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(tropic.HTCDSHeader, ",") {
		t.Fatalf("XLSX Data sheet: %q, %v", rows, err)
	}
	if about, _ := book.GetRows("About"); len(about) < 5 || !strings.Contains(about[1][0], "k = 11") {
		t.Fatalf("XLSX About sheet: %q", about)
	}
	_ = store.SQLite
}
