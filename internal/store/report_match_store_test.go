package store_test

import (
	"strings"
	"testing"

	"tropic/internal/phone"
	"tropic/internal/store"
	"tropic/internal/tropic"
)

// newReport stores a public report with the given identifiers.
func (e *caseEnv) newReport(t *testing.T, r *tropic.Report) *tropic.Report {
	t.Helper()
	r.Channel, r.FollowUpHash, r.Reporter = tropic.ChannelWeb, "h", tropic.Reporter{Anonymous: true}
	if r.Description == "" {
		r.Description = "Men collected by a van at dawn"
	}
	if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
		t.Fatalf("create report: %v", err)
	}
	return r
}

func refreshReport(t *testing.T, m *store.MatchService, id int64) {
	t.Helper()
	if err := m.RefreshReportMatches(ctx, id); err != nil {
		t.Fatalf("refresh report matches: %v", err)
	}
}

func TestReportMatchesTellEachReaderWhatTheyMaySee(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		m := store.NewMatchService(e.db, phone.Parse)
		police := e.newCase(t, e.pWorker, "Sparkle hand car wash")
		if err := e.cases.AddPhone(ctx, e.pWorker, police.Reference, &tropic.CasePhone{Number: "07700 900123"}); err != nil {
			t.Fatal(err)
		}
		council := e.newCase(t, e.cWorker, "Overcrowded house, Hatfield Road")
		if err := e.cases.AddVehicle(ctx, e.cWorker, council.Reference, &tropic.CaseVehicle{Registration: "AB12CDE"}); err != nil {
			t.Fatal(err)
		}
		r := e.newReport(t, &tropic.Report{Phones: []tropic.Phone{{Number: "+44 (0)7700 900 123"}}, Vehicles: []tropic.Vehicle{{Registration: "ab12 cde"}}})
		quiet := e.newReport(t, &tropic.Report{Phones: []tropic.Phone{{Number: "07700 900999"}}})
		refreshReport(t, m, r.ID)
		refreshReport(t, m, r.ID) // a second run replaces, not adds
		refreshReport(t, m, quiet.ID)
		// The report is passed to the police, whose caseworkers then see it.
		openRaw(t, d, e.dsn).exec(t, `UPDATE reports SET passed_to_agency = ? WHERE id = ?`, e.police.ID, r.ID)

		for _, tc := range []struct {
			name  string
			actor tropic.Actor
			want  []tropic.Link
		}{
			{"Triage learns which agencies hold a matching case, and no case", e.pTriage, []tropic.Link{
				{Kind: tropic.LinkPhone, HeldBy: "Hertfordshire Constabulary"},
				{Kind: tropic.LinkVehicle, HeldBy: "Hertfordshire County Council"},
			}},
			{"A police caseworker the report was passed to sees the police case by reference and title", e.pWorker, []tropic.Link{
				{Kind: tropic.LinkPhone, Visible: true, CaseRef: police.Reference, Title: police.Title, HeldBy: "Hertfordshire Constabulary"},
				{Kind: tropic.LinkVehicle, HeldBy: "Hertfordshire County Council"},
			}},
			{"A council caseworker who may not see the report is told nothing of it", e.cWorker, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := m.ReportMatches(ctx, tc.actor, []int64{r.ID, quiet.ID})
				if err != nil {
					t.Fatal(err)
				}
				if describeLinks(got[r.ID]) != describeLinks(tc.want) {
					t.Fatalf("got\n%s\nwant\n%s", describeLinks(got[r.ID]), describeLinks(tc.want))
				}
				if len(got[quiet.ID]) != 0 {
					t.Fatalf("got %v for a report matching nothing, want none", got[quiet.ID])
				}
			})
		}

		if ev := e.lastEvent(t); ev.Action != tropic.AuditReportLinksViewed || !strings.Contains(ev.Detail, police.Reference) ||
			strings.Contains(ev.Detail, council.Reference) {
			t.Fatalf("got audit %+v, want report.links_viewed naming the police case told and not the council's", ev)
		}
		before := len(e.actions(t))
		if got, err := m.ReportMatches(ctx, e.pTriage, []int64{quiet.ID}); err != nil || len(got) != 0 {
			t.Fatalf("got %v, %v, want no matches", got, err)
		}
		if after := len(e.actions(t)); after != before {
			t.Fatalf("got %d audit events after telling no match, want %d", after, before)
		}

		// Once the report is linked to the police case, that case is no longer news.
		if err := e.cases.LinkReport(ctx, e.pWorker, police.Reference, r.Reference); err != nil {
			t.Fatal(err)
		}
		got, err := m.ReportMatches(ctx, e.pTriage, []int64{r.ID})
		if err != nil {
			t.Fatal(err)
		}
		if want := []tropic.Link{{Kind: tropic.LinkVehicle, HeldBy: "Hertfordshire County Council"}}; describeLinks(got[r.ID]) != describeLinks(want) {
			t.Fatalf("got\n%s\nwant\n%s", describeLinks(got[r.ID]), describeLinks(want))
		}
	})
}

func TestRefreshCaseMatchesFindsReportsAfterAPhoneIsAdded(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		m := store.NewMatchService(e.db, phone.Parse)
		c := e.newCase(t, e.pWorker, "Nail bar, London Road")
		r := e.newReport(t, &tropic.Report{Phones: []tropic.Phone{{Number: "07700 900456"}}})
		refreshReport(t, m, r.ID)
		matches := func() []tropic.Link {
			t.Helper()
			got, err := m.ReportMatches(ctx, e.pTriage, []int64{r.ID})
			if err != nil {
				t.Fatal(err)
			}
			return got[r.ID]
		}
		if got := matches(); len(got) != 0 {
			t.Fatalf("got %s, want no match before the case has the phone", describeLinks(got))
		}
		e.person(t, e.pWorker, c, tropic.Person{GivenName: "Ana", FamilyName: "Popescu", Phone: "+447700900456"}, tropic.RolePotentialVictim)
		if err := m.RefreshCaseMatches(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		want := []tropic.Link{{Kind: tropic.LinkPhone, HeldBy: "Hertfordshire Constabulary"}}
		if got := matches(); describeLinks(got) != describeLinks(want) {
			t.Fatalf("got\n%s\nwant\n%s", describeLinks(got), describeLinks(want))
		}
		wantCode(t, m.RefreshCaseMatches(ctx, c.ID+1000), tropic.ENOTFOUND)
		wantCode(t, m.RefreshReportMatches(ctx, r.ID+1000), tropic.ENOTFOUND)
	})
}

func TestBusinessNameOnAReportMatchesACaseBusinessWhateverItsLegalForm(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		m := store.NewMatchService(e.db, phone.Parse)
		c := e.newCase(t, e.pWorker, "Car wash on the ring road")
		if err := e.cases.AddBusiness(ctx, e.pWorker, c.Reference, &tropic.Business{Name: "sparkle car wash limited", Kind: "car_wash"}); err != nil {
			t.Fatal(err)
		}
		r := e.newReport(t, &tropic.Report{Businesses: []string{"Sparkle Car Wash Ltd"}})
		other := e.newReport(t, &tropic.Report{Businesses: []string{"Sparkle Nails"}})
		// A report stored before reports kept the business key, as the bench loader writes them.
		raw := openRaw(t, d, e.dsn)
		old := e.newReport(t, &tropic.Report{})
		raw.exec(t, `INSERT INTO report_businesses (report_id, position, name) VALUES (?, 0, ?)`, old.ID, "The Sparkle Car Wash Co.")

		// The backfill keys the old report, and brings case businesses folded before to the same key.
		n, err := store.BackfillReportBusinesses(ctx, e.db)
		if err != nil || n < 1 {
			t.Fatalf("got %d rows backfilled, %v, want the old report's business (and the case's, if folded otherwise)", n, err)
		}
		if n, err := store.BackfillReportBusinesses(ctx, e.db); err != nil || n != 0 {
			t.Fatalf("got %d rows on a second backfill, %v, want 0", n, err)
		}
		for _, id := range []int64{r.ID, other.ID, old.ID} {
			refreshReport(t, m, id)
		}
		got, err := m.ReportMatches(ctx, e.pTriage, []int64{r.ID, other.ID, old.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := []tropic.Link{{Kind: tropic.LinkBusiness, HeldBy: "Hertfordshire Constabulary"}}
		for _, tc := range []struct {
			name string
			id   int64
			want []tropic.Link
		}{
			{"Ltd on the report matches limited on the case", r.ID, want},
			{"a business of another name matches nothing", other.ID, nil},
			{"an old report's business matches once backfilled", old.ID, want},
		} {
			if describeLinks(got[tc.id]) != describeLinks(tc.want) {
				t.Errorf("%s: got\n%s\nwant\n%s", tc.name, describeLinks(got[tc.id]), describeLinks(tc.want))
			}
		}

		// From the case's side too.
		raw.exec(t, `DELETE FROM report_matches`)
		if err := m.RefreshCaseMatches(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := m.ReportMatches(ctx, e.pTriage, []int64{r.ID, other.ID, old.ID}); err != nil || len(got[r.ID]) != 1 || len(got[old.ID]) != 1 || len(got[other.ID]) != 0 {
			t.Fatalf("got %v, %v, want the case matching the two Sparkle Car Wash reports", got, err)
		}
	})
}

func TestNewReportsAreMatchedInBatchesAndOnlyOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		m := store.NewMatchService(e.db, phone.Parse)
		c := e.newCase(t, e.pWorker, "Car wash")
		if err := e.cases.AddPhone(ctx, e.pWorker, c.Reference, &tropic.CasePhone{Number: "07700 900123"}); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for range 3 {
			ids = append(ids, e.newReport(t, &tropic.Report{Phones: []tropic.Phone{{Number: "+447700900123"}}}).ID)
		}
		got, err := m.ReportMatches(ctx, e.pTriage, ids)
		if err != nil || len(got) != 0 {
			t.Fatalf("before matching: %v, %v; want nothing stored yet", got, err)
		}
		for _, want := range []int{2, 1, 0} { // a batch of two, then the last, then none left
			n, err := m.MatchNewReports(ctx, 2)
			if err != nil || n != want {
				t.Fatalf("matched %d (%v), want %d", n, err, want)
			}
		}
		got, err = m.ReportMatches(ctx, e.pTriage, ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if len(got[id]) != 1 || got[id][0].HeldBy != e.police.Name {
				t.Errorf("report %d: got %+v, want a match held by the police", id, got[id])
			}
		}
	})
}
