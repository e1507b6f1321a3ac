package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

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
	choices := ts.srv.howHeardChoices(context.Background(), "")
	if len(choices) == 0 || choices[0].Value != "campaign:spot-the-signs" {
		t.Fatalf("live campaign not offered first: %+v", choices)
	}
	eff := an.get("/staff/campaigns/spot-the-signs/effect")
	if eff.status != 200 || !strings.Contains(eff.body, "<svg") || !strings.Contains(eff.body, "Reports per week") {
		t.Fatalf("effect: %d\n%s", eff.status, eff.body)
	}
	csv := an.get("/staff/exports/htcds.csv")
	if csv.status != 200 || !strings.Contains(csv.body, "typeOfExploitation") || strings.Contains(strings.ToLower(csv.body), "immigration_status") {
		t.Fatalf("export: %d\n%s", csv.status, csv.body)
	}
	_ = store.SQLite
}
