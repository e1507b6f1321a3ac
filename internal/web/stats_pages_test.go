package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// seedStats writes the seed's offences (18 this year to 27 July 2017, 7 in the same
// span of 2016) and 24 NRM referrals, 3 of them in Broxbourne.
func seedStats(t *testing.T, ts *testServer) {
	t.Helper()
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := ts.db.SQL().ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	london, _ := time.LoadLocation("Europe/London")
	ts.clock.Set(time.Date(2017, 7, 26, 15, 0, 0, 0, london))
	n := 0
	addCase := func(district, crimeRef string, at time.Time) {
		n++
		exec(`INSERT INTO cases (reference, owner_agency_id, title, title_folded, district, exploitation, opened_at,
			crime_reference, offence, crime_recorded_at, updated_at) VALUES (?, ?, 'Case', 'case', ?, 'labour', ?, ?, 'msa_s1', ?, ?)`,
			fmt.Sprintf("C-WEB-%d", n), ts.agency.ID, district, at.UTC(), crimeRef, at.UTC(), at.UTC())
	}
	for _, d := range [][2]string{{"watford", "Watford"}, {"dacorum", "Dacorum"}, {"broxbourne", "Broxbourne"}} {
		exec(`INSERT INTO districts (slug, name, created_at) VALUES (?, ?, ?)`, d[0], d[1], time.Now().UTC())
	}
	for i := 0; i < 18; i++ {
		addCase("watford", fmt.Sprintf("41/%d/17", i), time.Date(2017, time.Month(1+i%7), 1+i, 10, 0, 0, 0, london))
	}
	for i := 0; i < 7; i++ {
		addCase("dacorum", fmt.Sprintf("41/%d/16", i), time.Date(2016, time.Month(1+i), 3, 10, 0, 0, 0, london))
	}
	when := time.Date(2017, 3, 1, 12, 0, 0, 0, time.UTC)
	for dist, k := range map[string]int{"watford": 9, "dacorum": 12, "broxbourne": 3} {
		for i := 0; i < k; i++ {
			addCase(dist, "", when)
			exec(`INSERT INTO people (owner_agency_id, created_at, updated_at) VALUES (?, ?, ?)`, ts.agency.ID, when, when)
			nat := "British"
			if dist == "broxbourne" && i == 0 {
				nat = "=HYPERLINK(\"http://evil\")"
			}
			exec(`INSERT INTO referrals (route, case_id, person_id, agency_id, age_group, submitted_on, exploitation, gender, nationality, created_at, updated_at)
				VALUES ('nrm', (SELECT MAX(id) FROM cases), (SELECT MAX(id) FROM people), ?, 'adult', '2017-03-01', 'labour', 'male', ?, ?, ?)`, ts.agency.ID, nat, when, when)
		}
	}
}

func TestPublicStatistics(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	seedStats(t, ts)
	// Public figures cover complete months only: on 1 August they run to 31 July.
	london, _ := time.LoadLocation("Europe/London")
	ts.clock.Set(time.Date(2017, 8, 1, 9, 0, 0, 0, london))
	// The July release breaks down April to June: the referrals were made then.
	if _, err := ts.db.SQL().ExecContext(context.Background(), `UPDATE referrals SET submitted_on = '2017-05-02'`); err != nil {
		t.Fatal(err)
	}
	publishRelease(t, ts, tropic.ReleaseMonthly)
	c := ts.client(t)

	res := c.get("/statistics")
	if res.status != http.StatusOK {
		t.Fatalf("GET /statistics: %d\n%s", res.status, ts.logs.String())
	}
	wantContains(t, res.body,
		"18 offences recorded so far this year (to 31 July 2017), against 7 in the same period last year.",
		`Counts from 1 to 4 are shown as &#34;fewer than 5&#34;`,
		"Exit this page", `href="/exit"`,
		`<svg class="app-chart"`, `<title id="chart-referrals-title">`, `<desc id="chart-referrals-desc">`,
		// Every month of offences is small or hidden: a sentence, not empty axes.
		"No chart: every month here is 0, fewer than 5, hidden or has no data", "Key figures", `href="#revisions"`,
		"/statistics/referrals-district.csv", "/statistics/referrals-district.json")
	main := mainContent(res.body)
	if strings.Contains(main, "<script") {
		t.Error("the dashboard's content has a script")
	}

	// The district with 3 referrals: "fewer than 5", and not recoverable from the total.
	res = c.get("/statistics/referrals-district.json")
	wantStatus(t, res, http.StatusOK)
	var tb apiStatsTable
	if err := json.Unmarshal([]byte(res.body), &tb); err != nil {
		t.Fatal(err)
	}
	if tb.Total != "24" {
		t.Errorf("total %q", tb.Total)
	}
	shown, hidden := 0, 0
	for _, cell := range tb.Cells {
		if cell.Label == "Broxbourne" && cell.Value != "fewer than 5" {
			t.Errorf("Broxbourne %q", cell.Value)
		}
		var v int
		if _, err := fmt.Sscan(cell.Value, &v); err == nil {
			shown += v
		} else {
			hidden++
		}
	}
	if hidden < 2 || 24-shown == 3 {
		t.Errorf("Broxbourne recoverable: %d hidden, 24 - %d shown", hidden, shown)
	}

	// CSV: formula injection neutralised, rule stated.
	res = c.get("/statistics/referrals-nationality.csv")
	wantStatus(t, res, http.StatusOK)
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q", ct)
	}
	// Nationalities are published as world regions from a fixed list: what someone
	// typed (here a formula) never reaches a published table.
	wantContains(t, res.body, "fewer than 5", "Europe")
	if strings.Contains(res.body, "HYPERLINK") {
		t.Errorf("typed nationality text was published:\n%s", res.body)
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "+44": "'+44", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "Europe": "Europe"} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
	if strings.Contains(res.body, "\n=") || strings.Contains(res.body, "\n\"=") {
		t.Errorf("a cell starts with =:\n%s", res.body)
	}
	wantStatus(t, c.get("/statistics/nothing.csv"), http.StatusNotFound)

	// The JSON API needs no token.
	res = c.get("/api/v1/statistics")
	wantStatus(t, res, http.StatusOK)
	var all apiReleaseFull
	if err := json.Unmarshal([]byte(res.body), &all); err != nil {
		t.Fatal(err)
	}
	if all.Threshold != 5 || all.From != "2017-01-01" || all.To != "2017-07-31" || len(all.Tables) == 0 {
		t.Errorf("api %+v", all)
	}
	found := false
	for _, h := range all.Headlines {
		if h.Figure == "offences" {
			found = h.Sentence == "18 offences recorded so far this year (to 31 July 2017), against 7 in the same period last year."
		}
	}
	if !found {
		t.Errorf("headlines %+v", all.Headlines)
	}
	for _, tbl := range all.Tables {
		for _, cell := range tbl.Cells {
			var v int
			if _, err := fmt.Sscan(cell.Value, &v); err == nil && v > 0 && v < 5 {
				t.Errorf("%s %s published %d", tbl.ID, cell.Label, v)
			}
		}
	}
}

func TestStaffStatistics(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	seedStats(t, ts)
	ts.addUser("analyst@example.org", tropic.RoleAnalyst)
	ts.addUser("worker@example.org", tropic.RoleCaseworker)

	worker := ts.client(t)
	worker.signInWaived("worker@example.org")
	wantStatus(t, worker.get("/staff/statistics"), http.StatusNotFound)

	analyst := ts.client(t)
	analyst.signInWaived("analyst@example.org")
	res := analyst.get("/staff/statistics")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "18 offences recorded so far this year, against 7 in the same period last year.", "exact counts")
	res = analyst.get("/staff/statistics/referrals-district.csv?district=")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "Broxbourne,3")
	res = analyst.get("/staff/statistics?district=watford")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "18 offences recorded so far this year, against none in the same period last year.")
	res = analyst.get("/staff/statistics?from=2017-02-30&to=31/13/2017")
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, res.body, "Enter the start date as a day, month and year", "Enter the end date as a day, month and year")
	// Dates as people type them, as the other forms take them.
	wantStatus(t, analyst.get("/staff/statistics?from=1/2/2017&to=28/2/2017"), http.StatusOK)
	wantStatus(t, ts.client(t).get("/staff/statistics"), http.StatusSeeOther)
}

func TestStaffStatisticsComparisonsAndQuarterly(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	seedStats(t, ts)
	// Six positive Reasonable Grounds decisions in March 2017, after 10 to 15 days.
	for i := 0; i < 6; i++ {
		if _, err := ts.db.SQL().ExecContext(context.Background(),
			`UPDATE referrals SET rg_date = ?, rg_outcome = 'positive' WHERE id = (SELECT MIN(id) FROM referrals WHERE rg_outcome = '')`,
			fmt.Sprintf("2017-03-%02d", 11+i)); err != nil {
			t.Fatal(err)
		}
	}
	ts.addUser("analyst@example.org", tropic.RoleAnalyst)
	ts.addUser("worker@example.org", tropic.RoleCaseworker)
	worker := ts.client(t)
	worker.signInWaived("worker@example.org")
	wantStatus(t, worker.get("/staff/statistics/quarterly"), http.StatusNotFound)
	wantStatus(t, worker.get("/staff/statistics/quarterly.pdf"), http.StatusNotFound)
	res := worker.get("/staff")
	if strings.Contains(res.body, `href="/staff/statistics"`) {
		t.Error("a caseworker is offered statistics")
	}

	analyst := ts.client(t)
	analyst.signInWaived("analyst@example.org")
	res = analyst.get("/staff/statistics?from=2017-03-01&to=2017-03-31")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "24 NRM referrals made from 1 March 2017 to 31 March 2017, against none in the same period a year earlier.",
		"Trends by quarter and year", "2017-Q1", `href="/staff/statistics"`, `href="/staff/campaigns"`,
		"Median wait for Reasonable Grounds", "12.5 days")
	res = analyst.get("/staff/statistics/offences-quarter.csv")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "2017-Q1")

	// A campaign that started in the quarter is in the report with its effect.
	wantStatus(t, analyst.post("/staff/campaigns/new", url.Values{"name": {"Spot the signs"}, "starts_on": {"2017-03-06"}, "ends_on": {"2017-03-12"}}), http.StatusSeeOther)
	res = analyst.get("/staff/statistics/quarterly?quarter=2017-Q1")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "Campaigns this quarter", "Spot the signs (from 6 March 2017):", "in the same weeks last year")
	wantContains(t, res.body, "Modern slavery statistics: January to March 2017", "in the same period a year earlier",
		"from 1 January 2017 to 31 March 2017, against", "Reasonable Grounds decisions", "12.5 days", "OFFICIAL-SENSITIVE")
	res = analyst.get("/staff/statistics/quarterly.pdf?quarter=2017-Q1")
	wantStatus(t, res, http.StatusOK)
	if !strings.HasPrefix(res.body, "%PDF") || res.header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment") || res.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("not a PDF download: %q %v", res.body[:min(20, len(res.body))], res.header)
	}
	wantContains(t, res.body, "Modern slavery statistics: January to March 2017", "NRM referrals made")
	// The coordinator's commentary goes into the page and the PDF; one too long
	// comes back with the error and what was typed.
	res = analyst.post("/staff/statistics/quarterly", url.Values{"quarter": {"2017-Q1"}, "commentary": {"Referrals rose after the spring campaign.\nWatford leads."}})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, `<p class="govuk-body">Referrals rose after the spring campaign.</p><p class="govuk-body">Watford leads.</p>`, "January to March 2017")
	res = analyst.post("/staff/statistics/quarterly.pdf", url.Values{"quarter": {"2017-Q1"}, "commentary": {"Referrals rose after the spring campaign."}})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "%PDF", "Commentary", "Referrals rose after the spring campaign.")
	long := strings.Repeat("x", tropic.MaxCommentaryRunes+1)
	res = analyst.post("/staff/statistics/quarterly.pdf", url.Values{"quarter": {"2017-Q1"}, "commentary": {long}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.body, "Commentary must be 4000 characters or fewer", long)
	wantStatus(t, worker.post("/staff/statistics/quarterly.pdf", url.Values{"quarter": {"2017-Q1"}}), http.StatusNotFound)
	res = analyst.get("/staff/statistics/quarterly?quarter=2099-Q1")
	wantStatus(t, res, http.StatusBadRequest)
	// A page of the service, with its navigation and a way back, not bare text.
	wantContains(t, res.body, "There is no report for that quarter", "Choose a quarter that has started.", `href="/staff/statistics"`)
	wantStatus(t, analyst.get("/staff/statistics/quarterly?quarter=nonsense"), http.StatusBadRequest)

	// The public page: trends and decisions under disclosure control.
	publishRelease(t, ts, tropic.ReleaseMonthly)
	res = ts.client(t).get("/statistics")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "Trends by quarter and year", "National Referral Mechanism decisions", `href="/statistics">Statistics</a>`)
}

func TestPublicStatisticsCoverOnlyCompleteMonths(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	seedStats(t, ts) // the clock stands at 26 July 2017
	publishRelease(t, ts, tropic.ReleaseMonthly)
	res := ts.client(t).get("/statistics")
	wantStatus(t, res, http.StatusOK)
	// The July offences are not published until July is over.
	wantContains(t, res.body, "so far this year (to 30 June 2017)")
	if strings.Contains(res.body, "18 offences") {
		t.Errorf("the public page counts a month not yet complete")
	}
}

// TestPublicStatisticsTrendsKeepMonthsSafe acts as the attacker of issue 11 item
// 15 across the month, quarter and year hierarchy: published to 30 November 2017,
// the months of 2016 to November are shown, and the fourth quarter and the year 2016
// whole, so December 2016 (2 offences) is the quarter less October and November, or
// the year less its months, unless the page is protected as one.
func TestPublicStatisticsTrendsKeepMonthsSafe(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ctx := context.Background()
	london, _ := time.LoadLocation("Europe/London")
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := ts.db.SQL().ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO districts (slug, name, created_at) VALUES ('watford', 'Watford', ?)`, time.Now().UTC())
	n := 0
	for _, year := range []int{2015, 2016, 2017} {
		for month := 1; month <= 12; month++ {
			count := 6 + month%3
			if year == 2016 && month == 12 {
				count = 2
			}
			for i := 0; i < count; i++ {
				n++
				at := time.Date(year, time.Month(month), 1+i, 10, 0, 0, 0, london).UTC()
				exec(`INSERT INTO cases (reference, owner_agency_id, title, title_folded, district, exploitation, opened_at,
					crime_reference, offence, crime_recorded_at, updated_at) VALUES (?, ?, 'Case', 'case', 'watford', 'labour', ?, ?, 'msa_s1', ?, ?)`,
					fmt.Sprintf("C-TREND-%d", n), ts.agency.ID, at, fmt.Sprintf("41/%d/T", n), at, at)
			}
		}
	}
	ts.clock.Set(time.Date(2017, 12, 15, 9, 0, 0, 0, london))
	publishRelease(t, ts, tropic.ReleaseMonthly)
	c := ts.client(t)
	cells := func(id string) map[string]string {
		t.Helper()
		res := c.get("/statistics/" + id + ".json")
		wantStatus(t, res, http.StatusOK)
		var tb apiStatsTable
		if err := json.Unmarshal([]byte(res.body), &tb); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{"Total": tb.Total}
		for _, cell := range tb.Cells {
			out[cell.Label] = cell.Value
		}
		return out
	}
	months, quarters, years := cells("offences-month-last-year"), cells("offences-quarter"), cells("offences-year")
	num := func(s string) (int, bool) {
		var v int
		_, err := fmt.Sscan(s, &v)
		return v, err == nil && fmt.Sprint(v) == s
	}
	q4, ok1 := num(quarters["2016-Q4"])
	oct, ok2 := num(months["October 2016"])
	nov, ok3 := num(months["November 2016"])
	if ok1 && ok2 && ok3 {
		if dec := q4 - oct - nov; dec > 0 && dec < 5 {
			t.Errorf("December 2016 = 2016-Q4 %d - October %d - November %d = %d", q4, oct, nov, dec)
		}
	}
	if y, ok := num(years["2016"]); ok {
		sum, all := 0, true
		for m := time.January; m <= time.November; m++ {
			v, ok := num(months[m.String()+" 2016"])
			sum, all = sum+v, all && ok
		}
		if dec := y - sum; all && dec > 0 && dec < 5 {
			t.Errorf("December 2016 = 2016 %d - January to November %d = %d", y, sum, dec)
		}
	}
	if t.Failed() {
		t.Logf("months %v\nquarters %v\nyears %v", months, quarters, years)
	}
	// The page does not contradict itself: the year to date is the headline, and
	// the trend's last year (to 30 November) shows the same number.
	res := c.get("/statistics")
	wantStatus(t, res, http.StatusOK)
	head := fmt.Sprint(cells("offences-month")["Total"])
	wantContains(t, res.body, head+" offences recorded so far this year (to 30 November 2017)")
	if got := years["2017 (to 30 November)"]; got != head {
		t.Errorf("the headline says %s offences this year, the yearly trend %q", head, got)
	}
}

// TestSteeringGroupReportIsExactAndMarked: the quarterly report's audience is closed
// (analysts print it for the steering group), so it gives exact counts, marked
// OFFICIAL-SENSITIVE, for the last complete quarter by default, against the same
// quarter a year earlier and the quarter before.
func TestSteeringGroupReportIsExactAndMarked(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	ctx := context.Background()
	london, _ := time.LoadLocation("Europe/London")
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := ts.db.SQL().ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO districts (slug, name, created_at) VALUES ('watford', 'Watford', ?)`, time.Now().UTC())
	n := 0
	add := func(month, count int) {
		for i := 0; i < count; i++ {
			n++
			at := time.Date(2017, time.Month(month), 1+i, 10, 0, 0, 0, london).UTC()
			exec(`INSERT INTO cases (reference, owner_agency_id, title, title_folded, district, exploitation, opened_at,
				crime_reference, offence, crime_recorded_at, updated_at) VALUES (?, ?, 'Case', 'case', 'watford', 'labour', ?, ?, 'msa_s1', ?, ?)`,
				fmt.Sprintf("C-Q-%d", n), ts.agency.ID, at, fmt.Sprintf("41/%d/Q", n), at, at)
		}
	}
	add(2, 2)
	add(4, 6)
	add(5, 7)
	add(6, 7)
	ts.clock.Set(time.Date(2017, 8, 2, 9, 0, 0, 0, london))
	ts.addUser("analyst@example.org", tropic.RoleAnalyst)
	analyst := ts.client(t)
	analyst.signInWaived("analyst@example.org")
	res := analyst.get("/staff/statistics/quarterly") // on 2 August: April to June
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "Modern slavery statistics: April to June 2017", "OFFICIAL-SENSITIVE",
		"20 offences recorded from 1 April 2017 to 30 June 2017",
		"22 offences recorded from 1 January 2017 to 30 June 2017",
		"20 offences recorded this quarter, against 2 in January to March 2017.")
	res = analyst.get("/staff/statistics/quarterly.pdf")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "OFFICIAL-SENSITIVE", "The quarter against the quarter before")
	// Text shown in the PDF (strings in parentheses), not its drawing operators.
	if m := regexp.MustCompile(`\([^()]*[0-9]\.[0-9]{3,}[^()]*\)`).FindString(res.body); m != "" {
		t.Errorf("the PDF prints a number with more than two decimals: %s", m)
	}
}

// The public statistics are written only in English: asked for in another language
// (in the address or by Accept-Language), they say they are English, do not say they
// were translated by machine, and offer no language chooser (issue 15 item 5).
func TestPublicStatisticsAreEnglishInEveryLanguage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	seedStats(t, ts)
	publishRelease(t, ts, tropic.ReleaseMonthly)
	c := ts.client(t)
	byHeader := c.newRequest(http.MethodGet, "/statistics", nil)
	byHeader.Header.Set("Accept-Language", "ar")
	for what, res := range map[string]*response{"?lang=pl": c.get("/statistics?lang=pl"), "Accept-Language: ar": c.do(byHeader)} {
		wantStatus(t, res, http.StatusOK)
		if m := htmlLangRE.FindStringSubmatch(res.body); m == nil || m[1] != "en" || m[2] != "ltr" {
			t.Errorf("statistics with %s: <html> says %v, want English", what, m)
		}
		for _, not := range []string{`id="translation-notice"`, "app-language-chooser", "lang=pl"} {
			if strings.Contains(res.body, not) {
				t.Errorf("statistics with %s hold %s", what, not)
			}
		}
	}
}
