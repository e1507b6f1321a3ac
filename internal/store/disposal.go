package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Disposal deletes a record and everything derived from it inside the caller's
// transaction, keeping only what it added to the statistics (retained_figures, with
// nothing that leads back to it). Audit events are not touched: they name records by
// number only, and those numbers now lead nowhere. Every table that holds a row about
// a case, a report or a person must be reached here; retention_store_test.go checks
// table by table.

// disposeCase deletes case id, its parts, its notes, tasks, shares and requests, the
// tombstones of what was removed from it and the notices of links withdrawn, its
// referrals, the reports linked to it alone, the people on it alone, the search terms
// and match suggestions about any of them, and the notifications that name it.
func disposeCase(ctx context.Context, tx *Tx, id int64) error {
	var ref string
	if err := tx.QueryRow(ctx, `SELECT reference FROM cases WHERE id = ?`+tx.db.forUpdate(), id).Scan(&ref); err != nil {
		return fmt.Errorf("dispose of case: %w", mapError(err))
	}
	// The figures first, while the rows they come from are there.
	for _, q := range []string{
		`INSERT INTO retained_figures (figure, at, crime_recorded_at, district, exploitation, agency_id, offence)
			SELECT 'case', opened_at, CASE WHEN crime_reference <> '' THEN crime_recorded_at END, district, exploitation, owner_agency_id, offence
			FROM cases WHERE id = ?`,
		`INSERT INTO retained_figures (figure, at, district, exploitation, agency_id, gender, nationality)
			SELECT 'victim', x.added_at, c.district, c.exploitation, c.owner_agency_id, p.gender, p.nationality
			FROM case_people x JOIN cases c ON c.id = x.case_id JOIN people p ON p.id = x.person_id
			WHERE x.case_id = ? AND x.role = 'potential_victim'`,
	} {
		if _, err := tx.Exec(ctx, q, id); err != nil {
			return fmt.Errorf("keep the figures of case: %w", err)
		}
	}
	if err := disposeReferrals(ctx, tx, "x.case_id = ?", id); err != nil {
		return err
	}
	// Reports linked to this case and no other go with it.
	reports, err := queryIDs(ctx, tx, `SELECT report_id FROM case_reports WHERE case_id = ?
		AND report_id NOT IN (SELECT report_id FROM case_reports WHERE case_id <> ?) ORDER BY report_id`, id, id)
	if err != nil {
		return fmt.Errorf("find the reports of case: %w", err)
	}
	// People on this case and no other go with it (and anyone merged into them).
	people, err := queryIDs(ctx, tx, `SELECT DISTINCT person_id FROM case_people WHERE case_id = ?
		AND person_id NOT IN (SELECT person_id FROM case_people WHERE case_id <> ?) ORDER BY person_id`, id, id)
	if err != nil {
		return fmt.Errorf("find the people of case: %w", err)
	}
	for _, q := range []string{
		`DELETE FROM person_merge_moves WHERE case_person_id IN (SELECT id FROM case_people WHERE case_id = ?)`,
		// A meeting's agenda item about the case, its minutes and actions go with it;
		// the meeting and its other items stay.
		`DELETE FROM meeting_actions WHERE item_id IN (SELECT id FROM meeting_items WHERE case_id = ?)`,
		`DELETE FROM meeting_items WHERE case_id = ?`,
		`DELETE FROM role_changes WHERE case_id = ?`,
		`DELETE FROM case_orders WHERE case_id = ?`,
		`DELETE FROM case_access_log WHERE case_id = ?`,
		`DELETE FROM case_closure_requests WHERE case_id = ?`,
		`DELETE FROM case_shares WHERE case_id = ?`,
		`UPDATE case_shares SET from_case_id = NULL WHERE from_case_id = ?`, // a request this case made outlives it
		`DELETE FROM case_tasks WHERE case_id = ?`,
		`DELETE FROM case_notes WHERE case_id = ?`,
		`DELETE FROM case_phones WHERE case_id = ?`,
		`DELETE FROM case_vehicles WHERE case_id = ?`,
		`DELETE FROM search_terms WHERE kind = 'business' AND object_id IN (SELECT id FROM case_businesses WHERE case_id = ?)`,
		`DELETE FROM case_businesses WHERE case_id = ?`,
		`DELETE FROM case_places WHERE case_id = ?`,
		`DELETE FROM report_matches WHERE case_id = ?`,
		`UPDATE report_handoffs SET case_id = NULL WHERE case_id = ?`, // a kept report's handoff into this case
		`DELETE FROM case_reports WHERE case_id = ?`,
		`DELETE FROM case_people WHERE case_id = ?`,
		`DELETE FROM search_terms WHERE kind = 'title' AND object_id = ?`,
		`DELETE FROM case_removals WHERE case_id = ?`, // the tombstones of what was removed from it
		`DELETE FROM link_withdrawals WHERE case_id = ? OR from_case_id = ?`,
	} {
		if _, err := tx.Exec(ctx, q, repeatID(q, id)...); err != nil {
			return fmt.Errorf("dispose of case: %s: %w", strings.Fields(q)[2], err)
		}
	}
	if err := deleteNotificationsNaming(ctx, tx, ref); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM cases WHERE id = ?`, id); err != nil {
		return fmt.Errorf("dispose of case: %w", err)
	}
	for _, r := range reports {
		if err := disposeReport(ctx, tx, r); err != nil {
			return err
		}
	}
	return disposePeople(ctx, tx, people)
}

// disposeReferrals keeps the figures of the referrals matching cond, then deletes them.
func disposeReferrals(ctx context.Context, tx *Tx, cond string, args ...any) error {
	if _, err := tx.Exec(ctx, `INSERT INTO retained_figures (figure, submitted_on, route, district, exploitation, agency_id, gender, nationality,
			age_at_exploitation, rg_date, rg_outcome, cg_date, cg_outcome)
		SELECT 'referral', x.submitted_on, x.route, COALESCE(c.district, ''), x.exploitation, x.agency_id, x.gender, x.nationality,
			x.age_at_exploitation, x.rg_date, x.rg_outcome, x.cg_date, x.cg_outcome
		FROM referrals x LEFT JOIN cases c ON c.id = x.case_id WHERE `+cond, args...); err != nil {
		return fmt.Errorf("keep the figures of referrals: %w", err)
	}
	// A Duty to Notify report's corrections go with it (the foreign key would cascade too).
	if _, err := tx.Exec(ctx, `DELETE FROM referral_corrections WHERE referral_id IN (SELECT x.id FROM referrals x WHERE `+cond+`)`, args...); err != nil {
		return fmt.Errorf("dispose of referral corrections: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM referrals WHERE id IN (SELECT x.id FROM referrals x WHERE `+cond+`)`, args...); err != nil {
		return fmt.Errorf("dispose of referrals: %w", err)
	}
	return nil
}

// disposeReport deletes report id with its vehicles, phones, businesses, timeline,
// messages with the reporter, matches, links, escalation, handoffs to agencies and
// the notifications that name it.
func disposeReport(ctx context.Context, tx *Tx, id int64) error {
	var ref string
	if err := tx.QueryRow(ctx, `SELECT reference FROM reports WHERE id = ?`+tx.db.forUpdate(), id).Scan(&ref); err != nil {
		return fmt.Errorf("dispose of report: %w", mapError(err))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO retained_figures (figure, at, district, exploitation, agency_id)
		SELECT 'report', received_at, district, exploitation, created_by_agency FROM reports WHERE id = ?`, id); err != nil {
		return fmt.Errorf("keep the figures of report: %w", err)
	}
	for _, q := range []string{
		`DELETE FROM report_vehicles WHERE report_id = ?`,
		`DELETE FROM report_phones WHERE report_id = ?`,
		`DELETE FROM report_businesses WHERE report_id = ?`,
		`DELETE FROM report_notes WHERE report_id = ?`,
		`DELETE FROM report_messages WHERE report_id = ?`,
		`DELETE FROM report_matches WHERE report_id = ?`,
		`DELETE FROM case_reports WHERE report_id = ?`,
		`DELETE FROM report_escalations WHERE report_id = ?`,
		`DELETE FROM report_handoffs WHERE report_id = ?`,
		`DELETE FROM reports WHERE id = ?`,
	} {
		if _, err := tx.Exec(ctx, q, id); err != nil {
			return fmt.Errorf("dispose of report: %s: %w", strings.Fields(q)[2], err)
		}
	}
	return deleteNotificationsNaming(ctx, tx, ref)
}

// disposePeople deletes the people ids (on no case any more), those merged into them,
// their aliases, search terms, match suggestions and decisions, orders and referrals.
func disposePeople(ctx context.Context, tx *Tx, ids []int64) error {
	seen := map[int64]bool{}
	for len(ids) > 0 {
		var next []int64
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			merged, err := queryIDs(ctx, tx, `SELECT id FROM people WHERE merged_into = ?`, id)
			if err != nil {
				return fmt.Errorf("find people merged into a person: %w", err)
			}
			next = append(next, merged...)
		}
		ids = next
	}
	if len(seen) == 0 {
		return nil
	}
	all := make([]int64, 0, len(seen))
	for id := range seen {
		all = append(all, id)
	}
	slices.Sort(all)
	// Merged-away people point at their survivor: unlink them all before deleting any.
	if _, err := tx.Exec(ctx, `UPDATE people SET merged_into = NULL WHERE id IN (`+idList(all)+`)`); err != nil {
		return fmt.Errorf("dispose of people: %w", err)
	}
	for _, id := range all {
		if err := disposeReferrals(ctx, tx, "x.person_id = ?", id); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM search_terms WHERE kind = 'alias' AND object_id IN (SELECT id FROM person_aliases WHERE person_id = ?)`,
			`DELETE FROM person_aliases WHERE person_id = ?`,
			`DELETE FROM search_terms WHERE kind = 'person' AND object_id = ?`,
			`DELETE FROM person_merge_moves WHERE from_person = ? OR match_id IN (SELECT id FROM person_matches WHERE person_a = ? OR person_b = ? OR survivor = ?)`,
			`DELETE FROM person_matches WHERE person_a = ? OR person_b = ? OR survivor = ?`,
			`DELETE FROM case_access_log WHERE person_id = ?`,
			`UPDATE case_shares SET person_id = NULL WHERE person_id = ?`,
			`DELETE FROM case_orders WHERE person_id = ?`,
			// A rights request keeps its record (that it was received and answered);
			// its links to a disposed person record go.
			`DELETE FROM rights_request_people WHERE person_id = ?`,
			`DELETE FROM rights_request_unredactions WHERE person_id = ?`,
			// A request to reveal the person in the analysts' network goes with them.
			`DELETE FROM network_reveals WHERE person_id = ?`,
			`DELETE FROM people WHERE id = ?`,
		} {
			if _, err := tx.Exec(ctx, q, repeatID(q, id)...); err != nil {
				return fmt.Errorf("dispose of person: %s: %w", strings.Fields(q)[2], err)
			}
		}
	}
	return nil
}

// repeatID is id once for each placeholder of q.
func repeatID(q string, id int64) []any {
	args := make([]any, strings.Count(q, "?"))
	for i := range args {
		args[i] = id
	}
	return args
}

// idList writes ids (at least one) for an IN list.
func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}

// deleteNotificationsNaming deletes the notifications about a reference: those that
// name it, and those that link to a page of it (/cases/REF, /triage/reports/REF/...).
func deleteNotificationsNaming(ctx context.Context, tx *Tx, ref string) error {
	page := "%/" + likeEscape(ref)
	if _, err := tx.Exec(ctx, `DELETE FROM notifications WHERE subject = ? OR link LIKE ? ESCAPE '\' OR link LIKE ? ESCAPE '\' OR link LIKE ? ESCAPE '\'`,
		ref, page, page+"/%", page+"#%"); err != nil {
		return fmt.Errorf("delete the notifications about %s: %w", ref, err)
	}
	return nil
}
