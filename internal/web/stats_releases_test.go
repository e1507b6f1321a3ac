package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// publishRelease publishes the release due on the test server's clock.
func publishRelease(t *testing.T, ts *testServer, sched tropic.ReleaseSchedule) *tropic.Release {
	t.Helper()
	r, err := tropic.PublishDueRelease(context.Background(), newTestStats(ts.db), store.NewReleaseService(ts.db),
		tropic.SystemActor("test"), sched, 5, ts.clock.Now())
	if err != nil || r == nil {
		t.Fatalf("publish release: %v, %v", r, err)
	}
	return r
}

// TestStatisticsReleases: before any release the page says so and the API answers
// not found; each release keeps its own page and JSON, the dashboard and the API
// serve the latest, and a later release lists what it revised.
func TestStatisticsReleases(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	seedStats(t, ts) // 26 July 2017
	c := ts.client(t)

	res := c.get("/statistics")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "No statistics have been published yet.")
	wantStatus(t, c.get("/api/v1/statistics"), http.StatusNotFound)
	wantStatus(t, c.get("/statistics/offences-month.csv"), http.StatusNotFound)
	res = c.get("/api/v1/statistics/releases")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, `"releases": []`)

	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := ts.db.SQL().ExecContext(context.Background(), q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// Ten cases a month without a crime, in 2016 and 2017.
	for i := 0; i < 2*12*10; i++ {
		at := time.Date(2016+i/120, time.Month(1+i%12), 3, 10, 0, 0, 0, time.UTC)
		exec(`INSERT INTO cases (reference, owner_agency_id, title, title_folded, district, exploitation, opened_at, updated_at)
			VALUES (?, ?, 'Case', 'case', 'watford', 'labour', ?, ?)`, fmt.Sprintf("C-MONTHLY-%d", i), ts.agency.ID, at, at)
	}
	june := publishRelease(t, ts, tropic.ReleaseMonthly)
	// Twelve offences in June recorded late: the June release keeps what it published.
	for i := 0; i < 12; i++ {
		exec(`INSERT INTO cases (reference, owner_agency_id, title, title_folded, district, exploitation, opened_at,
			crime_reference, offence, crime_recorded_at, updated_at) VALUES (?, ?, 'Case', 'case', 'watford', 'labour', ?, ?, 'msa_s1', ?, ?)`,
			"C-LATE-"+string(rune('A'+i)), ts.agency.ID, june.Covers.To, "41/LATE/"+string(rune('A'+i)), june.Covers.To, june.Covers.To)
	}
	ts.clock.Set(ts.clock.Now().AddDate(0, 0, 10)) // 5 August
	july := publishRelease(t, ts, tropic.ReleaseMonthly)

	res = c.get("/statistics")
	wantStatus(t, res, http.StatusOK)
	// The June release showed 6 offences from January to June 2016; this year to July
	// 2016 is 7, which would give away July 2016 (1) to anyone holding both.
	wantContains(t, res.body, "Latest release: 2017-07", "24 NRM referrals made so far this year (to 31 July 2017)",
		"Offences recorded from 1 January 2017 to 31 July 2017: not published, as it would let a small count be worked out.",
		`<td class="govuk-table__cell">Cases opened by month</td>`, `<th scope="row" class="govuk-table__header">June 2017</th>`,
		"Revisions", tropic.RevisionsPolicy[:60], `href="/statistics/releases"`)

	res = c.get("/statistics/releases/" + june.IDString())
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "Release 2017-06", "This is not the latest release", "so far this year (to 30 June 2017)")
	if strings.Contains(res.body, "20 offences") {
		t.Error("the June release shows offences recorded after it")
	}
	res = c.get("/statistics/releases/" + june.IDString() + "/offences-month.csv")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "1 January 2017 to 30 June 2017")

	res = c.get("/statistics/releases")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, `href="/statistics/releases/`+july.IDString()+`">2017-07`, `href="/statistics/releases/`+june.IDString()+`">2017-06`)
	if strings.Index(res.body, ">2017-07<") > strings.Index(res.body, ">2017-06<") {
		t.Error("the releases are not listed latest first")
	}

	res = c.get("/api/v1/statistics/releases")
	wantStatus(t, res, http.StatusOK)
	var list struct{ Releases []apiRelease }
	if err := json.Unmarshal([]byte(res.body), &list); err != nil || len(list.Releases) != 2 || list.Releases[0].Name != "2017-07" {
		t.Fatalf("release list %s (%v)", res.body, err)
	}
	var latest, old apiReleaseFull
	for url, into := range map[string]*apiReleaseFull{"/api/v1/statistics": &latest, list.Releases[1].URL: &old} {
		res = c.get(url)
		wantStatus(t, res, http.StatusOK)
		if err := json.Unmarshal([]byte(res.body), into); err != nil {
			t.Fatal(err)
		}
	}
	if latest.Name != "2017-07" || latest.To != "2017-07-31" || old.Name != "2017-06" || old.To != "2017-06-30" || old.CutOff == "" || old.PublishedAt == "" {
		t.Errorf("latest %s to %s, old %s to %s", latest.Name, latest.To, old.Name, old.To)
	}
	if latest.RevisionsPolicy != tropic.RevisionsPolicy || old.QuarterReleased != "2017-06" || latest.QuarterReleased != "2017-06" {
		t.Errorf("policy %q, breakdowns first published in %q and %q", latest.RevisionsPolicy, old.QuarterReleased, latest.QuarterReleased)
	}
	for _, path := range []string{"/api/v1/statistics/releases/999", "/api/v1/statistics/releases/x"} {
		res = c.get(path)
		wantStatus(t, res, http.StatusNotFound)
		wantContains(t, res.body, `"code": "not_found"`)
	}
	wantStatus(t, c.get("/statistics/releases/999"), http.StatusNotFound)
}

// TestStatisticsXLSX: a table downloads as a workbook a reader library opens, with
// counts as numbers, protected counts as text, and typed text never a formula.
func TestStatisticsXLSX(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{MFAWaived: true})
	seedStats(t, ts)
	ts.addUser("analyst@example.org", tropic.RoleAnalyst)
	analyst := ts.client(t)
	analyst.signInWaived("analyst@example.org")
	read := func(res *response) [][]string {
		t.Helper()
		wantStatus(t, res, http.StatusOK)
		if ct := res.header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("Content-Type %q", ct)
		}
		f, err := excelize.OpenReader(strings.NewReader(res.body))
		if err != nil {
			t.Fatalf("open the workbook: %v", err)
		}
		defer f.Close()
		rows, err := f.GetRows("Data")
		if err != nil {
			t.Fatal(err)
		}
		for r := range rows {
			for c := range rows[r] {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula("Data", cell); formula != "" {
					t.Errorf("%s holds a formula: %q", cell, formula)
				}
			}
		}
		return rows
	}
	// Staff: exact counts, as numbers.
	res := analyst.get("/staff/statistics/referrals-district.xlsx")
	rows := read(res)
	if len(rows) < 3 || rows[1][0] != "District" || rows[1][1] != "Count" {
		t.Fatalf("rows %q", rows)
	}
	found := false
	for _, r := range rows {
		if len(r) == 2 && r[0] == "Broxbourne" {
			found = r[1] == "3"
		}
	}
	if !found {
		t.Errorf("Broxbourne is not 3: %q", rows)
	}
	// Public, from the release: the rule, and small counts as text.
	if _, err := ts.db.SQL().ExecContext(context.Background(), `UPDATE referrals SET submitted_on = '2017-05-02'`); err != nil {
		t.Fatal(err)
	}
	ts.clock.Set(ts.clock.Now().AddDate(0, 0, 7)) // 2 August 2017
	publishRelease(t, ts, tropic.ReleaseMonthly)
	rows = read(ts.client(t).get("/statistics/referrals-nationality.xlsx"))
	all := fmt.Sprint(rows)
	if !strings.Contains(all, "fewer than 5") || !strings.Contains(all, "Counts from 1 to 4") || strings.Contains(all, "HYPERLINK") {
		t.Errorf("public workbook: %q", rows)
	}
}
