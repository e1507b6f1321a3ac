package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"tropic/internal/tropic"
)

// Search terms: the folded words of names, aliases, titles and business names, one row
// each, so that a word or the start of one is found by an index range rather than by
// scanning every name with LIKE '%...%'.
const (
	termPerson   = "person"   // object: people.id
	termAlias    = "alias"    // object: person_aliases.id
	termTitle    = "title"    // object: cases.id
	termBusiness = "business" // object: case_businesses.id
)

// maxTerms bounds the words kept per object and used per query.
const maxTerms = 12

// termsOf returns the distinct folded words of texts; for a name (a person or an
// alias) the words and the name's joined keys (tropic.NameSearchTerms).
func termsOfKind(kind string, texts ...string) []string {
	if kind != termPerson && kind != termAlias {
		return termsOf(texts...)
	}
	var out []string
	for _, t := range texts {
		for _, w := range tropic.NameSearchTerms(t) {
			if !contains(out, w) && len(out) < tropic.MaxNameTerms {
				out = append(out, w)
			}
		}
	}
	return out
}

// termsOf returns the distinct folded words of texts.
func termsOf(texts ...string) []string {
	var out []string
	for _, t := range texts {
		for _, w := range strings.Fields(tropic.FoldName(t)) {
			if len(w) > 100 {
				w = w[:100]
			}
			if !contains(out, w) && len(out) < maxTerms {
				out = append(out, w)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// setTerms replaces an object's search terms; fresh objects have none to remove.
func setTerms(ctx context.Context, tx *Tx, kind string, id int64, fresh bool, texts ...string) error {
	if !fresh {
		if _, err := tx.Exec(ctx, `DELETE FROM search_terms WHERE object_id = ? AND kind = ?`, id, kind); err != nil {
			return fmt.Errorf("clear search terms: %w", err)
		}
	}
	for _, t := range termsOfKind(kind, texts...) {
		if _, err := tx.Exec(ctx, `INSERT INTO search_terms (kind, term, object_id) VALUES (?, ?, ?)`, kind, t, id); err != nil {
			return fmt.Errorf("add search term: %w", err)
		}
	}
	return nil
}

// termsQuery selects the objects of kind having every token as a word (exact) or as
// the start of a word. One-letter tokens, such as initials, match whole words only.
func termsQuery(kind string, tokens []string, exact bool) (string, []any) {
	var parts []string
	var args []any
	for _, t := range tokens {
		if exact || len([]rune(t)) < 2 {
			parts = append(parts, `SELECT object_id FROM search_terms WHERE kind = ? AND term = ?`)
			args = append(args, kind, t)
			continue
		}
		// Terms compare byte by byte (SQLite's BINARY, PostgreSQL's "C"), so every word
		// starting with t sorts between t and t followed by the highest code point.
		parts = append(parts, `SELECT object_id FROM search_terms WHERE kind = ? AND term >= ? AND term < ?`)
		args = append(args, kind, t, t+"\U0010FFFF")
	}
	return strings.Join(parts, " INTERSECT "), args
}

// visibleCase is true for a case c the agency may see on a day, checked row by row
// after an indexed lookup has found a few candidates. Arguments: agency, agency, day.
const visibleCase = `(c.owner_agency_id = ? OR EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = c.id AND s.agency_id = ?
	AND s.status = 'active' AND (s.until_day = '' OR s.until_day >= ?)))`

var (
	phoneLike    = regexp.MustCompile(`^\+?[0-9 ()\-.]{7,25}$`)
	outwardCode  = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]?$`)
	maxSearchLen = 200
)

// Search finds cases the actor may see by reference, phone, vehicle registration,
// postcode, person name or alias, business name or title. Each kind is an indexed
// lookup on a normalised column, then the visibility check on the few cases found;
// hits come in that order of kinds, each kind's most recently updated first.
func (s *CaseService) Search(ctx context.Context, actor tropic.Actor, query string, limit int) ([]tropic.SearchHit, error) {
	query = strings.TrimSpace(query)
	if !tropic.CaseWorker(actor) || actor.AgencyID == 0 || query == "" || len(query) > maxSearchLen {
		return nil, nil
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var lookups []lookup
	if ref, err := tropic.ParseCaseReference(query); err == nil {
		lookups = append(lookups, lookup{`SELECT id AS case_id, id AS obj FROM cases WHERE reference = ?`, []any{ref}, `'reference: ' || c.reference`})
	}
	if ref, err := tropic.ParseReference(query); err == nil {
		lookups = append(lookups, lookup{`SELECT cr.case_id, r.id AS obj FROM reports r JOIN case_reports cr ON cr.report_id = r.id WHERE r.reference = ?`,
			[]any{ref}, `(SELECT 'report: ' || reference FROM reports WHERE id = top.obj)`})
	}
	if phoneLike.MatchString(query) {
		if e164, err := s.parsePhone(query); err == nil {
			lookups = append(lookups,
				lookup{`SELECT case_id, id AS obj FROM case_phones WHERE e164 = ?`, []any{e164},
					`(SELECT 'phone: ' || number FROM case_phones WHERE id = top.obj)`},
				lookup{`SELECT cp.case_id, p.id AS obj FROM people p JOIN case_people cp ON cp.person_id = p.id WHERE p.phone_e164 = ?`, []any{e164},
					`(SELECT 'phone: ' || phone || ' (' || given_name || ' ' || family_name || ')' FROM people WHERE id = top.obj)`})
		}
	}
	if reg, ok := tropic.NormaliseRegistration(query); ok && strings.ContainsAny(reg, "0123456789") && strings.IndexFunc(reg, unicode.IsLetter) >= 0 {
		lookups = append(lookups, lookup{`SELECT case_id, id AS obj FROM case_vehicles WHERE normalised = ?`, []any{reg},
			`(SELECT 'vehicle: ' || registration FROM case_vehicles WHERE id = top.obj)`})
	}
	postcode := `(SELECT 'postcode: ' || postcode FROM case_places WHERE id = top.obj)`
	if pc, ok := tropic.NormalisePostcode(query); ok {
		lookups = append(lookups, lookup{`SELECT case_id, id AS obj FROM case_places WHERE postcode = ?`, []any{pc}, postcode})
	} else if out := strings.ToUpper(query); outwardCode.MatchString(out) {
		lookups = append(lookups, lookup{`SELECT case_id, id AS obj FROM case_places WHERE postcode >= ? AND postcode < ?`,
			[]any{out + " ", out + "!"}, postcode})
	}
	if tokens := strings.Fields(tropic.FoldName(query)); len(tokens) > 0 && len(tokens) <= maxTerms {
		// Names hold letters: a query of digits alone (a phone number) skips them.
		if strings.IndexFunc(query, unicode.IsLetter) >= 0 {
			// A common name has thousands of people: their cases come from case_people's
			// (person_id, role, case_id) index alone, and names are read for the hits.
			lookups = append(lookups, nameLookups(tokens)...)
			if key := tropic.NameSearchKey(query); len(tokens) > 1 && len(key) >= 2 && len(key) <= 100 {
				// Words typed apart that the name writes together: "mc donald", "o brien".
				lookups = append(lookups, nameLookups([]string{key})...)
			}
			q, a := termsQuery(termBusiness, tokens, false)
			lookups = append(lookups, lookup{`SELECT case_id, id AS obj FROM case_businesses WHERE id IN (` + q + `)`, a,
				`(SELECT 'business: ' || name FROM case_businesses WHERE id = top.obj)`})
		}
		q, a := termsQuery(termTitle, tokens, false)
		lookups = append(lookups, lookup{`SELECT id AS case_id, id AS obj FROM cases WHERE id IN (` + q + `)`, a, `'title: ' || c.title`})
	}
	today := s.today(tx)
	var hits []tropic.SearchHit
	seen := map[int64]bool{}
	for _, l := range lookups {
		if len(hits) >= limit {
			break
		}
		args := append([]any{actor.AgencyID, actor.AgencyID, today}, l.args...)
		args = append(args, actor.AgencyID, actor.AgencyID, today, limit*4)
		// The newest visible cases are chosen from narrow rows (case, matched row), so a
		// candidate costs an index entry and a case row; the case's other columns and
		// the label are read only for the cases chosen.
		rows, err := tx.Query(ctx, `SELECT `+caseColumns+`, `+caseAccessColumn+`, `+l.label+` FROM (
			SELECT m.case_id, m.obj FROM (`+l.query+`) m JOIN cases c ON c.id = m.case_id
			WHERE `+visibleCase+` ORDER BY c.updated_at DESC, c.id DESC LIMIT ?) top
			JOIN cases c ON c.id = top.case_id JOIN agencies a ON a.id = c.owner_agency_id
			ORDER BY c.updated_at DESC, c.id DESC`, args...)
		if err != nil {
			return nil, fmt.Errorf("search cases: %w", err)
		}
		for rows.Next() {
			var access int
			var label string
			c, err := scanCase(rows, &access, &label)
			if err != nil {
				rows.Close()
				return nil, err
			}
			if seen[c.ID] || len(hits) >= limit {
				continue
			}
			seen[c.ID] = true
			c.Access = tropic.CaseAccess(access)
			hits = append(hits, tropic.SearchHit{Case: c, Match: tidyLabel(label)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return hits, nil
}

// nameLookups find people and aliases by search terms (tokens as termsQuery reads them).
func nameLookups(tokens []string) []lookup {
	// A common name has thousands of people: their cases come from case_people's
	// (person_id, role, case_id) index alone, and names are read for the hits.
	q, a := termsQuery(termPerson, tokens, false)
	people := lookup{`SELECT cp.case_id, cp.person_id AS obj FROM case_people cp WHERE cp.person_id IN (` + q + `)`, a,
		`(SELECT 'person: ' || given_name || ' ' || family_name FROM people WHERE id = top.obj)`}
	q, a = termsQuery(termAlias, tokens, false)
	aliases := lookup{`SELECT cp.case_id, pa.id AS obj FROM person_aliases pa JOIN case_people cp ON cp.person_id = pa.person_id
		WHERE pa.id IN (` + q + `)`, a,
		`(SELECT 'alias: ' || pa.alias || ' (' || p.given_name || ' ' || p.family_name || ')' FROM person_aliases pa JOIN people p ON p.id = pa.person_id
		WHERE pa.id = top.obj)`}
	return []lookup{people, aliases}
}

// lookup is one indexed way of finding cases: a query of (case_id, obj) rows, obj
// being the row that matched, and the SQL of the hit's label, reading top.obj or c.
type lookup struct {
	query string
	args  []any
	label string
}

// tidyLabel closes up the spaces left by empty name parts: "person:  Kowalska".
func tidyLabel(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.NewReplacer("( ", "(", " )", ")").Replace(s)
	return strings.ReplaceAll(s, " ()", "")
}
