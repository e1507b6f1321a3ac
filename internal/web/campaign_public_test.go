package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

// Campaigns people can find (issue 17 item 3): an index, the live campaign on the home
// page, and each page with its dates, partners and "Report a concern" near the top.
func TestCampaignsPeopleCanFind(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ts.addUser("analyst@example.org", tropic.RoleAnalyst)
	an := ts.client(t)
	an.signInWaived("analyst@example.org")
	now := ts.clock.Now()
	day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
	agency := strconv.FormatInt(ts.agency.ID, 10)
	for _, c := range []url.Values{
		{"name": {"Old push"}, "starts_on": {day(-60)}, "ends_on": {day(-50)}},
		{"name": {"Spot the signs"}, "hashtags": {"#SpotTheSigns"}, "starts_on": {day(-1)}, "ends_on": {day(5)},
			"description": {"Look closer."}, "agencies": {agency}},
	} {
		if r := an.post("/staff/campaigns/new", c); r.status != 303 {
			t.Fatalf("create %s: %d %s", c.Get("name"), r.status, r.body)
		}
	}
	public := ts.client(t)

	index := public.get("/campaigns")
	wantStatus(t, index, 200)
	wantContains(t, index.body, "Running now", `href="/campaigns/spot-the-signs"`, `href="/campaigns/old-push"`, "#SpotTheSigns")
	if strings.Index(index.body, "spot-the-signs") > strings.Index(index.body, "old-push") {
		t.Errorf("the live campaign is not listed first")
	}

	home := public.get("/")
	wantContains(t, home.body, "Campaign running now", `href="/campaigns/spot-the-signs"`, `href="/campaigns"`)
	wantNotContains(t, home.body, `href="/campaigns/old-push"`)

	page := public.get("/campaigns/spot-the-signs")
	wantStatus(t, page, 200)
	main := mainContent(page.body)
	start := strings.Index(main, "govuk-button--start")
	if start < 0 || start > strings.Index(main, "Look closer.") || start > strings.Index(main, "The signs to look for") {
		t.Errorf("the Report a concern button is not near the top, before the description and the signs")
	}
	wantContains(t, main, "Running", ts.agency.Name, `href="/report/new?how_heard=campaign%3Aspot-the-signs"`, `href="tel:08000121700"`)
	text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page.body, " ")
	if n := strings.Count(text, "999"); n != 1 {
		t.Errorf("999 is shown %d times, want once", n)
	}
	for _, m := range regexp.MustCompile(`href="(https?://[^"]+)"`).FindAllStringSubmatch(page.body, -1) {
		if strings.Contains(m[1], "utm_") || strings.Contains(m[1], "fbclid") {
			t.Errorf("a share link carries tracking: %s", m[1])
		}
	}
	past := public.get("/campaigns/old-push")
	wantContains(t, past.body, "Ran", `href="/report"`)

	// The dates are in the page's language, on the page and in the list.
	pl := ts.srv.locales.Catalogue("pl")
	first := now.AddDate(0, 0, -1)
	month := pl.Messages[fmt.Sprintf("month.%d", int(first.Month()))].Other
	for _, path := range []string{"/campaigns/spot-the-signs?lang=pl", "/campaigns?lang=pl"} {
		res := public.get(path)
		wantContains(t, res.body, fmt.Sprintf("od %d %s %d do ", first.Day(), month, first.Year()))
		if english := first.Format("2 January 2006"); strings.Contains(res.body, english) {
			t.Errorf("%s shows the campaign's date in English: %s", path, english)
		}
	}
}
