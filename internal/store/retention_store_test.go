package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// retentionMarkers are words that appear only in the records to be disposed of: after
// disposal no row of any table may hold one, in any case.
var retentionMarkers = []string{"Quartermaine", "Zebedee", "Quietus", "7700900456", "QX11", "Glimmer", "AL1 9ZZ",
	"whispered in the back room", "sleeping in the shed", "Jo Reporter", "07700 900999", "zebedee@example.org"}

// disposalFixture is a closed police case full of derived rows, a second case of the
// same agency that shares its suspect and one of its reports, and a report not taken
// further.
type disposalFixture struct {
	disposed, kept *tropic.Case
	nfa            *tropic.Report
	nfaID          int64
	caseID         int64
	reportIDs      []int64 // linked to the disposed case only
	sharedReport   int64   // linked to both cases: kept
	victimID       int64   // on the disposed case only
	suspectID      int64   // on both: kept
}

func newDisposalFixture(t *testing.T, e *caseEnv, raw *rawDB) *disposalFixture {
	t.Helper()
	f := &disposalFixture{}
	f.disposed = e.newCase(t, e.pWorker, "Glimmer nail bar")
	f.kept = e.newCase(t, e.pWorker, "Another case")
	victim := e.person(t, e.pWorker, f.disposed, tropic.Person{GivenName: "Zebedee", FamilyName: "Quartermaine", Aliases: []string{"Zebbo Quietus"},
		DateOfBirth: "1990-01-02", Gender: "male", Nationality: "Albanian", Phone: "07700 900456", Email: "zebedee@example.org"}, tropic.RolePotentialVictim)
	suspect := e.person(t, e.pWorker, f.disposed, tropic.Person{GivenName: "Viktor", FamilyName: "Boss"}, tropic.RoleSuspect)
	f.victimID, f.suspectID = victim.ID, suspect.ID
	if err := e.cases.AddExistingPerson(ctx, e.pWorker, f.kept.Reference, suspect.ID, tropic.RoleSuspect); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ref := f.disposed.Reference
	must(e.cases.AddPlace(ctx, e.pWorker, ref, &tropic.Place{Kind: tropic.PlaceKinds[0].Key, Address: "2 Glimmer Parade", Postcode: "AL1 9ZZ"}))
	must(e.cases.AddBusiness(ctx, e.pWorker, ref, &tropic.Business{Kind: tropic.BusinessKinds[0].Key, Name: "Glimmer Nails"}))
	must(e.cases.AddVehicle(ctx, e.pWorker, ref, &tropic.CaseVehicle{Registration: "QX11 ZZZ"}))
	must(e.cases.AddPhone(ctx, e.pWorker, ref, &tropic.CasePhone{Number: "07700 900456"}))
	must(e.cases.AddNote(ctx, e.pWorker, ref, &tropic.Note{Text: "Zebedee whispered in the back room"}))
	must(e.cases.AddTask(ctx, e.pWorker, ref, &tropic.Task{Title: "Visit Glimmer Nails", AssignedAgency: e.police.ID, Due: "2026-04-01"}))
	e.share(t, e.pSuper, f.disposed, e.council.ID, tropic.ShareWhole, "")
	if _, err := e.cases.FindCase(ctx, e.cWorker, ref); err != nil { // an access log row
		t.Fatal(err)
	}
	var victimLink int64
	for _, cp := range e.find(t, e.pWorker, ref).People {
		if cp.Role == tropic.RolePotentialVictim {
			victimLink = cp.ID
		}
	}
	referrals := store.NewReferralService(e.db)
	must(referrals.CreateReferral(ctx, e.pWorker, ref, victimLink, &tropic.Referral{AgeGroup: tropic.AgeAdult, Consent: true, ConsentAt: "2026-03-13",
		SubmittedOn: "2026-03-13", Gender: "male", Nationality: "Albanian", Location: "uk", CompetentAuthority: "sca", Notes: "Zebedee needs an interpreter",
		Exploitation: tropic.ExploitationSet{Types: []tropic.ExploitationType{tropic.ExploitLabour}}}))
	// Reports: one on this case alone (with the reporter's details), one on both cases.
	for i, desc := range []string{"Zebedee sleeping in the shed", "Vans at the parade"} {
		r := routineReport(tropic.ChannelWeb)
		r.Description = desc
		if i == 0 {
			r.Reporter = tropic.Reporter{Name: "Jo Reporter", Contact: "07700 900999", Relationship: tropic.RelationshipPublic}
		}
		if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
			t.Fatal(err)
		}
		must(e.cases.LinkReport(ctx, e.pTriage, ref, r.Reference))
		id := raw.id(t, `SELECT id FROM reports WHERE reference = ?`, r.Reference)
		if i == 0 {
			f.reportIDs = append(f.reportIDs, id)
		} else {
			must(e.cases.LinkReport(ctx, e.pTriage, f.kept.Reference, r.Reference))
			f.sharedReport = id
		}
	}
	f.caseID = raw.id(t, `SELECT id FROM cases WHERE reference = ?`, ref)
	// Derived rows the matcher writes: a person match and a report match.
	other := e.person(t, e.pWorker, f.kept, tropic.Person{GivenName: "Zebedy", FamilyName: "Quartermain"}, tropic.RoleWitness)
	a, b := min(victim.ID, other.ID), max(victim.ID, other.ID)
	raw.exec(t, `INSERT INTO person_matches (person_a, person_b, probability, explanation, found_at) VALUES (?, ?, 0.9, 'similar name', ?)`, a, b, raw.timeArg(t0))
	raw.exec(t, `INSERT INTO report_matches (report_id, case_id, kind, found_at) VALUES (?, ?, 'phone', ?)`, f.reportIDs[0], f.caseID, raw.timeArg(t0))
	// Both reports were passed to the police and accepted into the case (the inbox's handoffs).
	for _, r := range []int64{f.reportIDs[0], f.sharedReport} {
		raw.exec(t, `INSERT INTO report_handoffs (report_id, agency_id, state, passed_at, case_id) VALUES (?, ?, 'accepted', ?, ?)`, r, e.police.ID, raw.timeArg(t0), f.caseID)
	}
	// A vehicle added in error and removed: its tombstone holds the registration (correcting).
	must(e.cases.AddVehicle(ctx, e.pWorker, ref, &tropic.CaseVehicle{Registration: "QX11 ZZY"}))
	for _, v := range e.find(t, e.pWorker, ref).Vehicles {
		if v.Registration == "QX11 ZZY" {
			must(e.cases.RemoveFromCase(ctx, e.pWorker, ref, tropic.Removal{Part: tropic.PartVehicle, ItemID: v.ID, Version: v.Version, Reason: tropic.RemovedInError}))
		}
	}
	if n := raw.id(t, `SELECT COUNT(*) FROM case_removals`); n != 1 {
		t.Fatalf("%d tombstones, want the removed vehicle's", n)
	}
	// A role change asked for, and the closure.
	if _, err := e.cases.ChangeRole(ctx, e.pWorker, victimLink, tropic.RoleSuspect, "Found running the till"); err != nil {
		t.Fatal(err)
	}
	c := e.find(t, e.pSuper, ref)
	if err := closeErr(e.cases.CloseCase(ctx, e.pSuper, ref, tropic.CaseClosure{Outcome: "safeguarded", Version: c.Version, Reason: "Zebedee is safe", Confirmed: true})); err != nil {
		t.Fatal(err)
	}
	// A report not taken further.
	f.nfa = routineReport(tropic.ChannelWeb)
	f.nfa.Description = "Zebedee sleeping in the shed again"
	if _, err := e.reports.CreateReport(ctx, admin, f.nfa, ""); err != nil {
		t.Fatal(err)
	}
	must(e.reports.DecideReport(ctx, e.pTriage, f.nfa.Reference, tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Seen to"}))
	f.nfaID = raw.id(t, `SELECT id FROM reports WHERE reference = ?`, f.nfa.Reference)
	return f
}

func (r *rawDB) id(t *testing.T, query string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := r.QueryRowContext(context.Background(), r.q(query), args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return id
}

// statsFingerprint writes every figure, in total and by every dimension, over the
// years around the fixture.
func statsFingerprint(t *testing.T, db *store.DB) string {
	t.Helper()
	stats := store.NewStatsService(db)
	stats.SetTTL(0)
	p := tropic.Period{From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2040, 12, 31, 0, 0, 0, 0, time.UTC)}
	var b strings.Builder
	for _, f := range []tropic.Figure{tropic.FigureReports, tropic.FigureCases, tropic.FigureOffences, tropic.FigureVictims, tropic.FigureReferrals, tropic.FigureDtN} {
		n, err := stats.Count(ctx, f, p, tropic.StatsFilter{})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d\n", f, n)
		for _, d := range []tropic.Dimension{tropic.DimDistrict, tropic.DimExploitation, tropic.DimAgency, tropic.DimGender, tropic.DimNationality, tropic.DimAgeGroup, tropic.DimOffence} {
			tab, err := stats.Breakdown(ctx, f, d, p, tropic.StatsFilter{})
			if err != nil {
				continue // not a breakdown of this figure
			}
			fmt.Fprintf(&b, "%s by %s: %v\n", f, d, tab)
		}
	}
	dec, err := stats.Decisions(ctx, p, tropic.StatsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "decisions: %+v\n", dec)
	return b.String()
}

// tablesOf lists the database's tables.
func tablesOf(t *testing.T, raw *rawDB, d store.Dialect) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if d == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := raw.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// rowsOf reads every row of table as text, one string per row.
func rowsOf(t *testing.T, raw *rawDB, table string) (cols []string, rows []string) {
	t.Helper()
	rs, err := raw.QueryContext(context.Background(), `SELECT * FROM `+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	cols, _ = rs.Columns()
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%s=%v|", cols[i], v)
		}
		rows = append(rows, b.String())
	}
	return cols, rows
}

// disposalReach says, for every table, how a row about a disposed record would show:
// the columns that hold the id of a case, report or person. A table listed with no
// columns holds none (the marker scan still reads every row of it). A new table must
// be added here, saying how disposal reaches it.
var disposalReach = map[string][]string{
	"agencies": nil, "users": nil, "user_roles": nil, "api_tokens": nil, "sessions": nil, "districts": nil, "holiday_changes": nil,
	"campaigns": nil, "campaign_agencies": nil, "settings": nil, "audit_head": nil, "audit_checkpoints": nil, "goose_db_version": nil,
	"retained_figures": nil, "stats_releases": nil, "stats_report_hours": nil,
	// Staff accounts' credentials and invitations: about users, not records.
	"password_resets": nil, "recovery_codes": nil, "security_keys": nil, "user_identities": nil, "user_invites": nil,
	// A Duty to Notify report's corrections: about a report that names no record (disposeReferrals).
	"referral_corrections": nil,
	"case_removals":        {"case_id:case"}, "link_withdrawals": {"case_id:case", "from_case_id:case"},
	// Reference data and the partnership's plan: about the partnership, not records.
	"how_heard_options": nil, "partnership_settings": nil, "reference_changes": nil, "name_entries": nil,
	"plan_objectives": nil, "plan_actions": nil, "plan_rag_changes": nil,
	// Meetings name cases on their agenda; an item about a disposed case goes with it.
	"meetings": nil, "meeting_agencies": nil, "meeting_items": {"case_id:case"}, "meeting_actions": nil,
	// Campaign posters: images the coordinator chose for the public, about no record.
	"campaign_posters": nil,
	// Rights requests stay (the record of a request answered); their links to a
	// disposed person go with the person.
	"rights_requests": nil, "rights_request_people": {"person_id:person"}, "rights_request_unredactions": {"person_id:person"},
	// Requests to reveal a person in the analysts' network go with the person.
	"network_reveals": {"person_id:person"},
	// Audit events, the retention register and misuse alerts name records by number
	// only: they are the record of what staff did, and stay.
	"audit_events": nil, "retention_reviews": nil, "misuse_alerts": nil,
	// The register of sharing agreements: between agencies, about no record or person.
	"sharing_agreements": nil, "sharing_agreement_parties": nil,
	"reports": {"id:report"}, "report_vehicles": {"report_id:report"}, "report_phones": {"report_id:report"},
	"report_businesses": {"report_id:report"}, "report_notes": {"report_id:report"}, "report_messages": {"report_id:report"}, "report_escalations": {"report_id:report"},
	"report_matches": {"report_id:report", "case_id:case"}, "report_handoffs": {"report_id:report", "case_id:case"}, "case_reports": {"report_id:report", "case_id:case"},
	"cases": {"id:case"}, "case_people": {"case_id:case", "person_id:person"}, "role_changes": {"case_id:case"},
	"case_places": {"case_id:case"}, "case_businesses": {"case_id:case"}, "case_vehicles": {"case_id:case"}, "case_phones": {"case_id:case"},
	"case_notes": {"case_id:case"}, "case_tasks": {"case_id:case"}, "case_shares": {"case_id:case"}, "case_orders": {"case_id:case", "person_id:person"},
	"case_access_log": {"case_id:case", "person_id:person"}, "case_closure_requests": {"case_id:case"},
	"referrals": {"case_id:case", "person_id:person"}, "people": {"id:person", "merged_into:person"}, "person_aliases": {"person_id:person"},
	"person_matches": {"person_a:person", "person_b:person", "survivor:person"}, "person_merge_moves": {"from_person:person"},
	"search_terms": {"object_id:search"}, "notifications": {"subject:reference", "link:reference"},
}

func TestDisposalDeletesTheRecordAndEverythingDerivedKeepingFiguresAndTheAuditChain(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		raw := openRaw(t, d, e.dsn)
		f := newDisposalFixture(t, e, raw)
		ret := store.NewRetentionService(e.db, tropic.DefaultRetention)
		system := tropic.SystemActor("retention")

		// Not yet due; then, seven years on, due: the case (6 years) and the report (2).
		if due, err := ret.FindDueRecords(ctx, system, e.clock.Now()); err != nil || len(due) != 0 {
			t.Fatalf("today: %v %v, want nothing due", due, err)
		}
		e.clock.Advance(7 * 366 * 24 * time.Hour)
		if _, err := ret.QueueDueReviews(ctx, e.pSuper, e.clock.Now()); tropic.ErrorCode(err) != tropic.EFORBIDDEN {
			t.Fatalf("a supervisor queueing by hand: %v, want forbidden", err)
		}
		n, err := ret.QueueDueReviews(ctx, system, e.clock.Now())
		if err != nil || n != 2 {
			t.Fatalf("queued %d (%v), want the case and the report", n, err)
		}
		if n, err := ret.QueueDueReviews(ctx, system, e.clock.Now()); err != nil || n != 0 {
			t.Fatalf("queued again %d (%v), want nothing twice", n, err)
		}
		waiting, _, err := ret.FindRetentionReviews(ctx, e.pSuper)
		if err != nil || len(waiting) != 2 {
			t.Fatalf("police supervisor's queue: %v %v, want 2", waiting, err)
		}
		if other, _, _ := ret.FindRetentionReviews(ctx, e.cSuper); len(other) != 0 {
			t.Fatalf("the council's supervisor sees %d of the police's reviews, want none", len(other))
		}
		approvals, err := ret.FindRetentionApprovals(ctx, e.pSuper)
		if err != nil || len(approvals) != 2 || approvals[0].Kind != tropic.ApproveRetention {
			t.Fatalf("approvals: %+v %v, want the two reviews", approvals, err)
		}
		var caseReview, reportReview *tropic.RetentionReview
		for _, w := range waiting {
			if w.Kind == tropic.RecordCase {
				caseReview = w
			} else {
				reportReview = w
			}
		}
		if caseReview.Reference != f.disposed.Reference || reportReview.Reference != f.nfa.Reference {
			t.Fatalf("reviews of %s and %s, want %s and %s", caseReview.Reference, reportReview.Reference, f.disposed.Reference, f.nfa.Reference)
		}

		// Who may decide: another agency's supervisor finds nothing; a caseworker may not.
		wantCode(t, ret.DecideRetention(ctx, e.cSuper, caseReview.ID, tropic.RetentionDecision{Dispose: true}), tropic.ENOTFOUND)
		wantCode(t, ret.DecideRetention(ctx, e.pWorker, caseReview.ID, tropic.RetentionDecision{Dispose: true}), tropic.EFORBIDDEN)
		wantField(t, ret.DecideRetention(ctx, e.pSuper, reportReview.ID, tropic.RetentionDecision{RetainUntil: "2020-01-01"}), "reason")

		before := statsFingerprint(t, e.db)
		if err := ret.DecideRetention(ctx, e.pSuper, caseReview.ID, tropic.RetentionDecision{Dispose: true}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, ret.DecideRetention(ctx, e.pSuper, caseReview.ID, tropic.RetentionDecision{Dispose: true}), tropic.ECONFLICT)
		if err := ret.DecideRetention(ctx, e.pSuper, reportReview.ID, tropic.RetentionDecision{Dispose: true}); err != nil {
			t.Fatal(err)
		}
		if after := statsFingerprint(t, e.db); after != before {
			t.Fatalf("statistics changed by disposal:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		v, err := store.NewAuditService(e.db).VerifyAudit(ctx)
		if err != nil || v.Problem != nil {
			t.Fatalf("audit verify after disposal: %+v %v", v, err)
		}

		// Table by table: no row names a disposed case, report or person, nor holds a
		// word of them; what was shared with the kept case stays.
		reportIDs := append(slices.Clone(f.reportIDs), f.nfaID)
		gone := map[string][]int64{"case": {f.caseID}, "report": reportIDs, "person": {f.victimID}}
		refs := []string{f.disposed.Reference, f.nfa.Reference}
		for _, table := range tablesOf(t, raw, d) {
			if strings.HasPrefix(table, "river_") {
				continue // the job queue: job arguments hold ids only, and finished jobs are deleted within a day
			}
			reach, known := disposalReach[table]
			if !known {
				t.Errorf("table %s is not known to disposal: add it to disposal.go and to disposalReach", table)
				continue
			}
			cols, rows := rowsOf(t, raw, table)
			for _, row := range rows {
				for _, m := range retentionMarkers {
					if strings.Contains(strings.ToLower(row), strings.ToLower(m)) { // search terms are folded
						t.Errorf("%s still holds %q: %s", table, m, row)
					}
				}
				for _, r := range reach {
					col, kind, _ := strings.Cut(r, ":")
					if !slices.Contains(cols, col) {
						t.Fatalf("%s has no column %s", table, col)
					}
					val := fieldOf(row, col)
					switch kind {
					case "reference":
						for _, ref := range refs {
							if strings.Contains(val, ref) {
								t.Errorf("%s still names %s: %s", table, ref, row)
							}
						}
					case "search":
						continue // the marker scan reads the terms themselves
					default:
						for _, id := range gone[kind] {
							if val == fmt.Sprint(id) {
								t.Errorf("%s still refers to %s %d: %s", table, kind, id, row)
							}
						}
					}
				}
			}
		}
		// What the kept case shares stays with it.
		for _, q := range []string{
			fmt.Sprintf(`SELECT COUNT(*) FROM people WHERE id = %d`, f.suspectID),
			fmt.Sprintf(`SELECT COUNT(*) FROM reports WHERE id = %d`, f.sharedReport),
			fmt.Sprintf(`SELECT COUNT(*) FROM case_reports WHERE report_id = %d`, f.sharedReport),
			fmt.Sprintf(`SELECT COUNT(*) FROM report_handoffs WHERE report_id = %d AND case_id IS NULL`, f.sharedReport),
		} {
			if n := raw.id(t, q); n != 1 {
				t.Errorf("%s = %d, want 1: kept with the other case", q, n)
			}
		}
		// The audit trail still tells that case number N was disposed of, by number.
		if n := raw.id(t, `SELECT COUNT(*) FROM audit_events WHERE action = ? AND object_type = 'case' AND object_id = ?`, tropic.AuditRetentionDisposed, f.caseID); n != 1 {
			t.Errorf("%d disposal events for the case, want 1", n)
		}
		if got := e.find(t, e.pWorker, f.kept.Reference); len(got.People) != 2 {
			t.Errorf("the kept case has %d people, want the suspect and the witness", len(got.People))
		}
	})
}

// fieldOf reads column col from a row written by rowsOf.
func fieldOf(row, col string) string {
	for _, f := range strings.Split(row, "|") {
		if v, ok := strings.CutPrefix(f, col+"="); ok {
			return v
		}
	}
	return ""
}

func TestARetainedRecordComesBackForReviewWhenItsDateIsPast(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		e := newCaseEnv(t, d)
		r := routineReport(tropic.ChannelWeb)
		if _, err := e.reports.CreateReport(ctx, admin, r, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.reports.DecideReport(ctx, e.pTriage, r.Reference, tropic.ReportDecision{Status: tropic.ReportNoFurtherAction, Reason: "Seen to"}); err != nil {
			t.Fatal(err)
		}
		ret := store.NewRetentionService(e.db, tropic.DefaultRetention)
		system := tropic.SystemActor("retention")
		e.clock.Advance(2*366*24*time.Hour + time.Hour)
		if n, err := ret.QueueDueReviews(ctx, system, e.clock.Now()); err != nil || n != 1 {
			t.Fatalf("queued %d (%v), want the report", n, err)
		}
		waiting, _, _ := ret.FindRetentionReviews(ctx, e.pSuper)
		until := e.clock.Now().AddDate(1, 0, 0).Format(time.DateOnly)
		if err := ret.DecideRetention(ctx, e.pSuper, waiting[0].ID, tropic.RetentionDecision{RetainUntil: until, Reason: "A pattern at the same address"}); err != nil {
			t.Fatal(err)
		}
		if n, _ := ret.QueueDueReviews(ctx, system, e.clock.Now()); n != 0 {
			t.Fatalf("queued %d while retained, want none", n)
		}
		e.clock.Advance(367 * 24 * time.Hour)
		if n, err := ret.QueueDueReviews(ctx, system, e.clock.Now()); err != nil || n != 1 {
			t.Fatalf("queued %d (%v) after the retention date, want the report again", n, err)
		}
		_, decided, _ := ret.FindRetentionReviews(ctx, e.pSuper)
		if len(decided) != 1 || decided[0].Status != tropic.RetentionRetained || decided[0].Reason != "A pattern at the same address" || decided[0].DecidedBy == "" {
			t.Fatalf("decided: %+v, want the retention with its reason and who decided", decided)
		}
		if got := notificationsOf(t, openRaw(t, d, e.dsn)); !slices.ContainsFunc(got, func(n tropic.Notification) bool { return n.Kind == tropic.NotifyRetentionDue }) {
			t.Fatalf("notifications %+v, want the supervisors told", got)
		}
	})
}
