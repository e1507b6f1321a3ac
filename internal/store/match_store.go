package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// MatchService suggests and decides person matches (match_store.go), draws
// networks (network_store.go) and keeps the cases each report matches
// (report_match_store.go).
type MatchService struct {
	cases *CaseService
	links *LinkService
}

var _ tropic.MatchService = (*MatchService)(nil)

// NewMatchService returns the match service on db; parsePhone normalises phone numbers.
func NewMatchService(db *DB, parsePhone tropic.PhoneParser) *MatchService {
	return &MatchService{cases: NewCaseService(db, parsePhone), links: NewLinkService(db, parsePhone)}
}

// maxCandidatesPerKey bounds the people one blocking key brings for one person (a
// common surname), so that a case's suggestions stay quick.
const maxCandidatesPerKey = 200

// matchBlocks are the indexed lookups of candidates: several keys, so that a typo in
// one field does not hide a match. Each takes the key, then the viewer's case.
var matchBlocks = []struct {
	column string
	key    func(p *matchPerson) string
}{
	{"phone_e164", func(p *matchPerson) string { return p.phoneE164 }},
	{"email_norm", func(p *matchPerson) string { return p.emailNorm }},
	{"date_of_birth", func(p *matchPerson) string {
		if len(p.dob) != len(time.DateOnly) {
			return "" // a year alone is too common a key
		}
		return p.dob
	}},
	{"name_key", func(p *matchPerson) string { return p.nameKey }},
	{"surname_key", func(p *matchPerson) string { return p.surnameKey }},
}

// matchPerson is a person record as the matcher reads it.
type matchPerson struct {
	id                                    int64
	given, family, dob, phone, phoneE164  string
	email, emailNorm, nameKey, surnameKey string
}

const matchPersonColumns = `p.id, p.given_name, p.family_name, p.date_of_birth, p.phone, p.phone_e164, p.email, p.email_norm, p.name_key, p.surname_key`

func scanMatchPerson(sc interface{ Scan(...any) error }) (*matchPerson, error) {
	var p matchPerson
	err := sc.Scan(&p.id, &p.given, &p.family, &p.dob, &p.phone, &p.phoneE164, &p.email, &p.emailNorm, &p.nameKey, &p.surnameKey)
	return &p, err
}

func (p *matchPerson) record() *tropic.PersonRecord {
	r := &tropic.PersonRecord{Given: p.given, Family: p.family, DateOfBirth: p.dob, Phone: p.phoneE164, Email: p.email}
	if r.Phone == "" {
		r.Phone = p.phone
	}
	return r
}

// personMatchRow is a row of person_matches.
type personMatchRow struct {
	id, a, b    int64
	status      tropic.MatchStatus
	probability float64
	explanation string
	decidedAt   sql.NullTime
	decidedBy   who
	reason      string
	survivor    sql.NullInt64
}

// sides tells which person of the match is on the viewer's case (mine) and which
// is the other record. A merge's survivor is on the case; otherwise the person on
// it, the first when both are. ok is false when neither is.
func (m *personMatchRow) sides(onCase map[int64]bool) (mine, other int64, ok bool) {
	switch {
	case m.status == tropic.MatchMerged && m.survivor.Valid:
		mine = m.survivor.Int64
	case onCase[m.a]:
		mine = m.a
	case onCase[m.b]:
		mine = m.b
	}
	if mine == 0 || !onCase[mine] {
		return 0, 0, false
	}
	if mine == m.a {
		return mine, m.b, true
	}
	return mine, m.a, true
}

const personMatchColumns = `m.id, m.person_a, m.person_b, m.status, m.probability, m.explanation, m.decided_at,
	COALESCE(u.name, ''), COALESCE(a.name, ''), m.reason, m.survivor`

const personMatchFrom = ` FROM person_matches m LEFT JOIN users u ON u.id = m.decided_by_user
	LEFT JOIN agencies a ON a.id = m.decided_by_agency `

func scanPersonMatch(sc interface{ Scan(...any) error }) (*personMatchRow, error) {
	var m personMatchRow
	var status string
	if err := sc.Scan(&m.id, &m.a, &m.b, &status, &m.probability, &m.explanation, &m.decidedAt,
		&m.decidedBy.name, &m.decidedBy.agency, &m.reason, &m.survivor); err != nil {
		return nil, mapError(err)
	}
	m.status = tropic.MatchStatus(status)
	return &m, nil
}

// casePersonIDs are the people on a case, leaving out records merged into another
// (whose rows there are hidden).
func casePersonIDs(ctx context.Context, tx *Tx, caseID int64) (map[int64]bool, error) {
	ids, err := queryIDs(ctx, tx, `SELECT cp.person_id FROM case_people cp JOIN people p ON p.id = cp.person_id
		WHERE cp.case_id = ? AND p.merged_into IS NULL`, caseID)
	if err != nil {
		return nil, fmt.Errorf("find people on case: %w", err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// idChunks splits ids into IN lists of a size every database takes.
func idChunks(ids []int64) [][]int64 {
	var out [][]int64
	for len(ids) > 0 {
		n := min(len(ids), 500)
		out, ids = append(out, ids[:n]), ids[n:]
	}
	return out
}

func loadMatchPeople(ctx context.Context, tx *Tx, ids []int64) (map[int64]*matchPerson, error) {
	out := map[int64]*matchPerson{}
	for _, part := range idChunks(ids) {
		ph, args := inList(part)
		rows, err := tx.Query(ctx, `SELECT `+matchPersonColumns+` FROM people p WHERE p.id IN (`+ph+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("load people to match: %w", err)
		}
		for rows.Next() {
			p, err := scanMatchPerson(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[p.id] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// loadMatchesOf loads the stored matches involving any of people, with statuses.
func loadMatchesOf(ctx context.Context, tx *Tx, people []int64, statuses ...tropic.MatchStatus) ([]*personMatchRow, error) {
	var out []*personMatchRow
	seen := map[int64]bool{}
	for _, part := range idChunks(people) {
		ph, args := inList(part)
		q := `SELECT ` + personMatchColumns + personMatchFrom + `WHERE (m.person_a IN (` + ph + `) OR m.person_b IN (` + ph + `))`
		args = append(args, args...)
		if len(statuses) > 0 {
			q += ` AND m.status IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(statuses)), ", ") + `)`
			for _, s := range statuses {
				args = append(args, string(s))
			}
		}
		rows, err := tx.Query(ctx, q+` ORDER BY m.id`, args...)
		if err != nil {
			return nil, fmt.Errorf("load person matches: %w", err)
		}
		for rows.Next() {
			m, err := scanPersonMatch(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			if !seen[m.id] {
				seen[m.id] = true
				out = append(out, m)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// matchPair orders two people as person_matches keeps them.
func matchPair(x, y int64) [2]int64 {
	if x > y {
		x, y = y, x
	}
	return [2]int64{x, y}
}

// rescorePersonMatches scores the candidates of each person on the case against them and
// stores those at or above the model's threshold: a new pair as open, an open pair
// with its new score; a decided pair keeps its status, and is not scored again (a
// rejected one is never suggested again). An open pair now below the threshold is
// dropped: nobody decided on it, and the records no longer look alike.
func rescorePersonMatches(ctx context.Context, tx *Tx, caseID int64, onCase map[int64]bool) error {
	matcher, err := tx.scoringMatcher(ctx)
	if err != nil {
		return err
	}
	mine, err := loadMatchPeople(ctx, tx, keys(onCase))
	if err != nil {
		return err
	}
	existing, err := loadMatchesOf(ctx, tx, keys(onCase))
	if err != nil {
		return err
	}
	status := map[[2]int64]tropic.MatchStatus{}
	scored := map[[2]int64]string{}          // the stored explanation (with its weight) of open pairs
	candidates := map[int64]map[int64]bool{} // person on the case → candidates
	addCandidate := func(p, c int64) {
		if candidates[p] == nil {
			candidates[p] = map[int64]bool{}
		}
		candidates[p][c] = true
	}
	for _, m := range existing {
		status[matchPair(m.a, m.b)] = m.status
		scored[matchPair(m.a, m.b)] = m.explanation
		if m.status == tropic.MatchOpen {
			if onCase[m.a] {
				addCandidate(m.a, m.b)
			} else {
				addCandidate(m.b, m.a)
			}
		}
	}
	for _, id := range keys(onCase) {
		p := mine[id]
		if p == nil {
			continue
		}
		for _, blk := range matchBlocks {
			key := blk.key(p)
			if key == "" {
				continue
			}
			ids, err := queryIDs(ctx, tx, `SELECT id FROM people WHERE `+blk.column+` = ? AND merged_into IS NULL
				AND id NOT IN (SELECT person_id FROM case_people WHERE case_id = ?)
				AND EXISTS (SELECT 1 FROM case_people o WHERE o.person_id = people.id) ORDER BY id DESC LIMIT ?`, key, caseID, maxCandidatesPerKey)
			if err != nil {
				return fmt.Errorf("find candidates by %s: %w", blk.column, err)
			}
			for _, c := range ids {
				if s, ok := status[matchPair(id, c)]; !ok || s == tropic.MatchOpen {
					addCandidate(id, c)
				}
			}
		}
	}
	all := map[int64]bool{}
	for _, cs := range candidates {
		for c := range cs {
			if mine[c] == nil {
				all[c] = true
			}
		}
	}
	others, err := loadMatchPeople(ctx, tx, keys(all))
	if err != nil {
		return err
	}
	for id := range mine {
		others[id] = mine[id]
	}
	records := map[int64]*tropic.PersonRecord{}
	record := func(id int64) *tropic.PersonRecord {
		if records[id] == nil {
			records[id] = others[id].record()
		}
		return records[id]
	}
	var pairs [][2]int64
	var toScore []tropic.PersonPair
	queued := map[[2]int64]bool{}
	for _, id := range keys(candidates) {
		for _, c := range keys(candidates[id]) {
			if others[c] == nil || c == id || queued[matchPair(id, c)] {
				continue
			}
			pair := matchPair(id, c)
			queued[pair] = true
			// Scored in the stored order, so the explanation reads the same from either case.
			pairs, toScore = append(pairs, pair), append(toScore, tropic.PersonPair{A: record(pair[0]), B: record(pair[1])})
		}
	}
	threshold := matcher.Threshold()
	for i, score := range matcher.ScorePairs(toScore) {
		pair := pairs[i]
		prob, why := score.Probability, score.Explanation
		if !score.NameEvidence {
			prob = 0 // shown as an exact link, not suggested as one person
		}
		s, known := status[pair]
		switch {
		case prob >= threshold && !known:
			if _, err := tx.Exec(ctx, `INSERT INTO person_matches (person_a, person_b, probability, explanation, status, found_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_a, person_b) DO NOTHING`,
				pair[0], pair[1], prob, why, string(tropic.MatchOpen), tx.now); err != nil {
				return fmt.Errorf("store person match: %w", err)
			}
			status[pair] = tropic.MatchOpen
		case prob >= threshold && s == tropic.MatchOpen && scored[pair] != why:
			if _, err := tx.Exec(ctx, `UPDATE person_matches SET probability = ?, explanation = ? WHERE person_a = ? AND person_b = ? AND status = ?`,
				prob, why, pair[0], pair[1], string(tropic.MatchOpen)); err != nil {
				return fmt.Errorf("update person match: %w", err)
			}
		case prob < threshold && known && s == tropic.MatchOpen:
			if _, err := tx.Exec(ctx, `DELETE FROM person_matches WHERE person_a = ? AND person_b = ? AND status = ?`,
				pair[0], pair[1], string(tropic.MatchOpen)); err != nil {
				return fmt.Errorf("drop person match: %w", err)
			}
			delete(status, pair)
		}
	}
	return nil
}

// otherCase is a case the other record of a match is on, with the actor's access.
type otherCase struct {
	id        int64
	reference string
	owner     string
	ownerID   int64
	access    tropic.CaseAccess
}

// otherCases lists the cases a person is on and the actor's access to each. For a
// merge, the cases of the rows it moved to the survivor count as the merged
// record's: it was on them, and an undo puts it back.
func (s *MatchService) otherCases(ctx context.Context, tx *Tx, actor tropic.Actor, personID, mergeID int64, access map[int64]tropic.CaseAccess) ([]otherCase, error) {
	rows, err := tx.Query(ctx, `SELECT DISTINCT c.id, c.reference, a.name, c.owner_agency_id FROM case_people cp
		JOIN cases c ON c.id = cp.case_id JOIN agencies a ON a.id = c.owner_agency_id
		WHERE cp.person_id = ? OR cp.id IN (SELECT case_person_id FROM person_merge_moves WHERE match_id = ?) ORDER BY c.id`, personID, mergeID)
	if err != nil {
		return nil, fmt.Errorf("find the other record's cases: %w", err)
	}
	var out []otherCase
	var owners []int64
	for rows.Next() {
		var oc otherCase
		var owner int64
		if err := rows.Scan(&oc.id, &oc.reference, &oc.owner, &owner); err != nil {
			rows.Close()
			return nil, err
		}
		out, owners = append(out, oc), append(owners, owner)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		a, ok := access[out[i].id]
		if !ok {
			shares, err := loadShares(ctx, tx, out[i].id)
			if err != nil {
				return nil, err
			}
			a = tropic.AccessTo(actor, owners[i], shares, s.cases.local(tx))
			access[out[i].id] = a
		}
		out[i].access, out[i].ownerID = a, owners[i]
	}
	return out, nil
}

// caseViews is what the match rules read of the cases a record is on.
func caseViews(cases []otherCase) []tropic.CaseView {
	out := make([]tropic.CaseView, len(cases))
	for i, oc := range cases {
		out[i] = tropic.CaseView{Owner: oc.owner, Access: oc.access}
	}
	return out
}

// heldByAgencies names the agencies owning cases, in alphabetical order.
func heldByAgencies(cases []otherCase) string { return tropic.HeldBy(caseViews(cases)) }

// holdingAgencies are the agencies owning cases, each once, in the order of HeldBy.
func holdingAgencies(cases []otherCase) []tropic.Agency {
	var out []tropic.Agency
	for _, oc := range cases {
		if !slices.ContainsFunc(out, func(a tropic.Agency) bool { return a.ID == oc.ownerID }) {
			out = append(out, tropic.Agency{ID: oc.ownerID, Name: oc.owner})
		}
	}
	slices.SortFunc(out, func(a, b tropic.Agency) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// anyCaseVisible says whether the actor may see one of the cases (tropic.MayLink).
func anyCaseVisible(cases []otherCase) bool { return tropic.MayLink(caseViews(cases)) == nil }

// personLabels names people as a case shows them: the name, else the first alias.
func personLabels(ctx context.Context, tx *Tx, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for _, part := range idChunks(ids) {
		ph, args := inList(part)
		rows, err := tx.Query(ctx, `SELECT p.id, p.given_name, p.family_name,
			COALESCE((SELECT al.alias FROM person_aliases al WHERE al.person_id = p.id ORDER BY al.position LIMIT 1), '')
			FROM people p WHERE p.id IN (`+ph+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("name people: %w", err)
		}
		for rows.Next() {
			var p tropic.Person
			var alias string
			if err := rows.Scan(&p.ID, &p.GivenName, &p.FamilyName, &alias); err != nil {
				rows.Close()
				return nil, err
			}
			if alias != "" {
				p.Aliases = []string{alias}
			}
			out[p.ID] = personLabel(&p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Suggestions refreshes and lists the possible matches of the people on a case the
// actor may see: open ones and those linked or merged, best first; rejected and
// undone ones never. The other record is told as far as the actor may see it
// (DESIGN.md §4 rule 1): a record on no case the actor may see is told only as held
// by its agency, with the explanation, which names fields and similarities and
// never values. The read is audited, naming only what was told.
func (s *MatchService) Suggestions(ctx context.Context, actor tropic.Actor, caseRef string) ([]tropic.PersonSuggestion, error) {
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, _, err := s.cases.caseByRef(ctx, tx, actor, caseRef, false)
	if err != nil {
		return nil, err
	}
	onCase, err := casePersonIDs(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}
	if err := rescorePersonMatches(ctx, tx, c.ID, onCase); err != nil {
		return nil, err
	}
	stored, err := loadMatchesOf(ctx, tx, keys(onCase), tropic.MatchOpen, tropic.MatchLinked, tropic.MatchMerged)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, m := range stored {
		ids = append(ids, m.a, m.b)
	}
	labels, err := personLabels(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	merged, err := mergedPeople(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	access := map[int64]tropic.CaseAccess{c.ID: c.Access}
	var out []tropic.PersonSuggestion
	hidden := map[int64][2]int64{} // match → (person on the case, hidden record)
	for _, m := range stored {
		mine, other, ok := m.sides(onCase)
		if !ok || (m.status == tropic.MatchOpen && merged[other]) {
			continue // an open match with a record merged away since is moot
		}
		mergeID := int64(0)
		if m.status == tropic.MatchMerged {
			mergeID = m.id
		}
		cases, err := s.otherCases(ctx, tx, actor, other, mergeID, access)
		if err != nil {
			return nil, err
		}
		ps := tropic.PersonSuggestion{ID: m.id, PersonID: mine, PersonName: labels[mine], Status: m.status,
			Probability: m.probability, Band: tropic.BandOfProbability(m.probability), Explanation: m.explanation, HeldBy: heldByAgencies(cases)}
		if m.decidedAt.Valid {
			ps.DecidedAt = m.decidedAt.Time.UTC()
		}
		if anyCaseVisible(cases) {
			ps.Visible, ps.OtherID, ps.OtherName = true, other, labels[other]
			for _, oc := range cases {
				// The viewer's own case is where they stand, not where the other record is.
				if oc.access != tropic.AccessNone && oc.id != c.ID {
					ps.OtherCases = append(ps.OtherCases, oc.reference)
					// The other agency's supervisors see who has seen their person.
					if err := logAccess(ctx, tx, actor, oc.id, other); err != nil {
						return nil, err
					}
				}
			}
			ps.DecidedBy, ps.Reason = m.decidedBy.String(), m.reason
		} else {
			// The reason may speak of the other record: only its agency is told.
			ps.DecidedBy = m.decidedBy.agency
			ps.Holders = holdingAgencies(cases)
			hidden[ps.ID] = [2]int64{mine, other}
		}
		out = append(out, ps)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Probability > out[j].Probability })
	if out, err = foldHidden(ctx, tx, out, hidden); err != nil {
		return nil, err
	}
	// Hidden ones carry no probability now: best band first; within a band the
	// records the user sees, by probability, then hidden ones by the user's person and
	// the suggestion's age, so that a hidden suggestion's place tells no more than
	// its band (the order they came in was the model's).
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := bandRank[a.Band], bandRank[b.Band]; ra != rb {
			return ra > rb
		}
		if a.Visible != b.Visible {
			return a.Visible
		}
		if a.Visible {
			return a.Probability > b.Probability
		}
		if a.PersonID != b.PersonID {
			return a.PersonID < b.PersonID
		}
		return a.ID < b.ID
	})
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMatchesViewed, objectType: "case", objectID: c.ID,
		detail: c.Reference + suggestionsDetail(out)}); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// foldHidden tells a hidden record as need to know allows: hit or no hit. Of the
// suggestions for one person whose other record is held by one agency the viewer
// may not see, only the best is kept, and its explanation says which fields agree,
// partly agree or differ, with no similarity, weight or kind of difference (with
// the viewer's own values, "day and month swapped" would give the other's date of
// birth away).
func foldHidden(ctx context.Context, tx *Tx, out []tropic.PersonSuggestion, hidden map[int64][2]int64) ([]tropic.PersonSuggestion, error) {
	if len(hidden) == 0 {
		return out, nil
	}
	var ids []int64
	for _, p := range hidden {
		ids = append(ids, p[0], p[1])
	}
	people, err := loadMatchPeople(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	matcher, err := tx.scoringMatcher(ctx)
	if err != nil {
		return nil, err
	}
	// Every hidden suggestion is first reduced to what its coarse explanation says;
	// the one told of each (person, holding agency) is then the best band, and of
	// equal bands the oldest suggestion: nothing finer than the band chooses it.
	best := map[string]int{}
	for i := range out {
		pair, ok := hidden[out[i].ID]
		if !ok {
			continue
		}
		var fields []tropic.FieldAgreement
		if a, b := people[pair[0]], people[pair[1]]; a != nil && b != nil {
			fields = matcher.ScorePairs([]tropic.PersonPair{{A: a.record(), B: b.record()}})[0].Fields
		}
		// Only what the coarse explanation says leaves the store: not the model's
		// probability, whose value tells levels of one field apart.
		out[i].Probability, out[i].Explanation, out[i].Band = 0, tropic.CoarseExplanation(fields), tropic.CoarseBand(fields)
		key := fmt.Sprint(out[i].PersonID, "\x00", out[i].HeldBy)
		if j, seen := best[key]; !seen || bandRank[out[i].Band] > bandRank[out[j].Band] ||
			bandRank[out[i].Band] == bandRank[out[j].Band] && out[i].ID < out[j].ID {
			best[key] = i
		}
	}
	kept := out[:0]
	for i, ps := range out {
		if _, ok := hidden[ps.ID]; ok && best[fmt.Sprint(ps.PersonID, "\x00", ps.HeldBy)] != i {
			continue
		}
		kept = append(kept, ps)
	}
	return kept, nil
}

// bandRank orders bands, strongest first.
var bandRank = map[tropic.MatchBand]int{tropic.BandStrong: 3, tropic.BandLikely: 2, tropic.BandPossible: 1}

// mergedPeople tells which of people are merged into another record.
func mergedPeople(ctx context.Context, tx *Tx, people []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for _, part := range idChunks(people) {
		ph, args := inList(part)
		ids, err := queryIDs(ctx, tx, `SELECT id FROM people WHERE merged_into IS NOT NULL AND id IN (`+ph+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("find merged people: %w", err)
		}
		for _, id := range ids {
			out[id] = true
		}
	}
	return out, nil
}

// suggestionsDetail lists, for the audit trail, the matches told and where the other
// records are, without names.
func suggestionsDetail(out []tropic.PersonSuggestion) string {
	if len(out) == 0 {
		return " person matches: none"
	}
	var b strings.Builder
	b.WriteString(" person matches:")
	for i, ps := range out {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " match %d (%s)", ps.ID, ps.Status)
		if ps.Visible {
			fmt.Fprintf(&b, " person %d", ps.OtherID)
			if len(ps.OtherCases) > 0 {
				b.WriteString(" on " + strings.Join(ps.OtherCases, ", "))
			}
		} else {
			b.WriteString(" held by " + ps.HeldBy)
		}
	}
	return b.String()
}

func matchNotFound() error { return tropic.Errorf(tropic.ENOTFOUND, "Suggestion not found.") }

// reasonProblem checks a decision's reason; required says it must be given.
func reasonProblem(reason string, required bool, why string) error {
	var p tropic.Problems
	if required && reason == "" {
		p.Add("reason", why)
	}
	tropic.CheckText(&p, "reason", "The reason", reason, tropic.MaxLongText)
	return p.Err()
}

// matchOnCase loads a match, locked, that involves a person on the actor's case c;
// any other answers as missing (an unknown id, or a match of another case).
func matchOnCase(ctx context.Context, tx *Tx, c *tropic.Case, matchID int64) (m *personMatchRow, mine, other int64, err error) {
	if tx.db.dialect == Postgres {
		if _, err := tx.Exec(ctx, `SELECT id FROM person_matches WHERE id = ? FOR UPDATE`, matchID); err != nil {
			return nil, 0, 0, fmt.Errorf("lock person match: %w", err)
		}
	}
	m, err = scanPersonMatch(tx.QueryRow(ctx, `SELECT `+personMatchColumns+personMatchFrom+`WHERE m.id = ?`, matchID))
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		return nil, 0, 0, matchNotFound()
	} else if err != nil {
		return nil, 0, 0, fmt.Errorf("find person match: %w", err)
	}
	onCase, err := casePersonIDs(ctx, tx, c.ID)
	if err != nil {
		return nil, 0, 0, err
	}
	mine, other, ok := m.sides(onCase)
	if !ok {
		return nil, 0, 0, matchNotFound()
	}
	return m, mine, other, nil
}

// Decide links, merges or rejects an open suggestion on the actor's case, in one
// transaction with its audit entry (the match, the decision and the case; no names).
//
// A merge folds the other record (the one not on the viewer's case) into the
// viewer's person, the survivor. Nothing is deleted, so that UndoMerge restores
// exactly: each case_people row of the other record moves to the survivor (its id,
// role, history and role changes stay with it), and the move is written to
// person_merge_moves; a row on a case that already holds the survivor stays on the
// other record, hidden because that record is now merged (people.merged_into), and
// the survivor's own row stands for both there.
func (s *MatchService) Decide(ctx context.Context, actor tropic.Actor, caseRef string, matchID int64, d tropic.MatchDecision, reason string) error {
	reason = strings.TrimSpace(reason)
	var err error
	switch d {
	case tropic.DecideReject:
		err = reasonProblem(reason, true, "Enter why these are not the same person")
	case tropic.DecideMerge:
		err = reasonProblem(reason, true, "Enter why these records are the same person")
	case tropic.DecideLink:
		err = reasonProblem(reason, false, "")
	default:
		err = &tropic.Error{Code: tropic.EINVALID, Message: "Choose link, merge or reject",
			Fields: map[string]string{"decision": "Choose link, merge or reject"}}
	}
	if err != nil {
		return err
	}
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, _, err := s.cases.caseByRef(ctx, tx, actor, caseRef, true)
	if err != nil {
		return err
	}
	if err := tropic.MayDecideMatches(actor); err != nil {
		return err
	}
	if err := tropic.MayChangeCase(actor, c); err != nil { // the owner decides who is on its case
		return err
	}
	m, mine, other, err := matchOnCase(ctx, tx, c, matchID)
	if err != nil {
		return err
	}
	if m.status != tropic.MatchOpen {
		return tropic.Errorf(tropic.ECONFLICT, "This suggestion has already been decided: it is %s.", m.status)
	}
	// Both records are locked (in id order) before either is checked, so that two
	// merges of a chain (o into s, s into x) cannot both pass and strand a row.
	if err := lockPeople(ctx, tx, mine, other); err != nil {
		return err
	}
	merged, err := mergedPeople(ctx, tx, []int64{mine, other})
	if err != nil {
		return err
	}
	if merged[other] || merged[mine] {
		return tropic.Errorf(tropic.ECONFLICT, "One of the records has since been merged into another. Look at the suggestions again.")
	}
	status := tropic.MatchRejected
	var survivor any
	if d != tropic.DecideReject {
		cases, err := s.otherCases(ctx, tx, actor, other, 0, map[int64]tropic.CaseAccess{c.ID: c.Access})
		if err != nil {
			return err
		}
		if err := tropic.MayLink(caseViews(cases)); err != nil {
			return err
		}
		status = tropic.MatchLinked
		if d == tropic.DecideMerge {
			if err := tropic.MayMerge(caseViews(cases), ""); err != nil {
				return err // before the costlier look at what the merge would show
			}
			if agency, err := s.mergeWouldDisclose(ctx, tx, other, mine); err != nil {
				return err
			} else if err := tropic.MayMerge(caseViews(cases), agency); err != nil {
				return err
			}
			if asked, err := s.mergeHidesRoles(ctx, tx, actor, other, mine, reason); err != nil {
				return err
			} else if asked != "" {
				// The requests stand; the merge waits for the supervisor.
				if err := tx.Commit(); err != nil {
					return err
				}
				return tropic.Errorf(tropic.ECONFLICT, "Merging would show a potential victim only as a suspect on %s, so the records were not merged. "+
					"A supervisor of the agency that owns the case has been asked to approve the change of role; merge again once they have.", asked)
			}
			if err := mergePerson(ctx, tx, m.id, other, mine); err != nil {
				return err
			}
			status, survivor = tropic.MatchMerged, mine
		}
	}
	res, err := tx.Exec(ctx, `UPDATE person_matches SET status = ?, decided_at = ?, decided_by_user = ?, decided_by_agency = ?, reason = ?, survivor = ?
		WHERE id = ? AND status = ?`, string(status), tx.now, nullID(actor.UserID), nullID(actor.AgencyID), reason, survivor, m.id, string(tropic.MatchOpen))
	if err != nil {
		return fmt.Errorf("decide person match: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "This suggestion has just been decided by someone else.")
	}
	if d == tropic.DecideReject {
		// A hidden record is told once per agency (foldHidden): rejecting it rejects
		// every open match of this person held by that agency that the actor may not
		// see, or the next would appear in its place.
		if err := s.rejectHiddenSiblings(ctx, tx, actor, c, m.id, mine, other); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMatchDecided, objectType: "case", objectID: c.ID,
		detail: fmt.Sprintf("match %d: %s, on %s", m.id, d, c.Reference)}); err != nil {
		return err
	}
	return tx.Commit()
}

// rejectHiddenSiblings rejects the open matches of person mine whose other record
// is hidden from the actor and held by the same agencies as other, when other is.
func (s *MatchService) rejectHiddenSiblings(ctx context.Context, tx *Tx, actor tropic.Actor, c *tropic.Case, matchID, mine, other int64) error {
	access := map[int64]tropic.CaseAccess{c.ID: c.Access}
	cases, err := s.otherCases(ctx, tx, actor, other, 0, access)
	if err != nil || anyCaseVisible(cases) {
		return err
	}
	heldBy := heldByAgencies(cases)
	open, err := loadMatchesOf(ctx, tx, []int64{mine}, tropic.MatchOpen)
	if err != nil {
		return err
	}
	for _, sib := range open {
		if sib.id == matchID {
			continue
		}
		o := sib.a
		if o == mine {
			o = sib.b
		}
		oc, err := s.otherCases(ctx, tx, actor, o, 0, access)
		if err != nil {
			return err
		}
		if anyCaseVisible(oc) || heldByAgencies(oc) != heldBy {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE person_matches SET status = ?, decided_at = ?, decided_by_user = ?, decided_by_agency = ?, reason = ?
			WHERE id = ? AND status = ?`, string(tropic.MatchRejected), tx.now, nullID(actor.UserID), nullID(actor.AgencyID),
			fmt.Sprintf("rejected with match %d", matchID), sib.id, string(tropic.MatchOpen)); err != nil {
			return fmt.Errorf("reject hidden match: %w", err)
		}
	}
	return nil
}

// lockPeople locks people rows for the rest of the transaction, in id order.
func lockPeople(ctx context.Context, tx *Tx, ids ...int64) error {
	slices.Sort(ids)
	for _, id := range ids {
		var one int64
		if err := tx.QueryRow(ctx, `SELECT id FROM people WHERE id = ?`+tx.db.forUpdate(), id).Scan(&one); err != nil {
			return fmt.Errorf("lock person: %w", mapError(err))
		}
	}
	return nil
}

// mergeWouldDisclose names an agency that would see more of the survivor after a
// merge than it may now: every agency that sees a case of the merged record sees the
// survivor there afterwards, so it must already see the survivor as fully through
// one of the survivor's own cases. "" when none would.
func (s *MatchService) mergeWouldDisclose(ctx context.Context, tx *Tx, from, into int64) (string, error) {
	type seen struct {
		owner  int64
		shares []*tropic.Share
	}
	casesOf := func(person int64) ([]seen, error) {
		rows, err := tx.Query(ctx, `SELECT DISTINCT c.id, c.owner_agency_id FROM case_people cp JOIN cases c ON c.id = cp.case_id WHERE cp.person_id = ? ORDER BY c.id`, person)
		if err != nil {
			return nil, fmt.Errorf("find cases to merge: %w", err)
		}
		var ids []int64
		var out []seen
		for rows.Next() {
			var id, owner int64
			if err := rows.Scan(&id, &owner); err != nil {
				rows.Close()
				return nil, err
			}
			ids, out = append(ids, id), append(out, seen{owner: owner})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for i, id := range ids {
			if out[i].shares, err = loadShares(ctx, tx, id); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	fromCases, err := casesOf(from)
	if err != nil {
		return "", err
	}
	intoCases, err := casesOf(into)
	if err != nil {
		return "", err
	}
	now := s.cases.local(tx)
	// Who sees the merged record's cases: their owners and the agencies they are shared with.
	viewers := map[int64]bool{}
	for _, c := range fromCases {
		viewers[c.owner] = true
		for _, sh := range c.shares {
			if sh.Live(now) {
				viewers[sh.AgencyID] = true
			}
		}
	}
	for _, g := range slices.Sorted(maps.Keys(viewers)) {
		as := tropic.Actor{AgencyID: g, Roles: []tropic.Role{tropic.RoleCaseworker}}
		after, before := tropic.AccessNone, tropic.AccessNone
		for _, c := range fromCases {
			after = max(after, tropic.AccessTo(as, c.owner, c.shares, now))
		}
		for _, c := range intoCases {
			before = max(before, tropic.AccessTo(as, c.owner, c.shares, now))
		}
		if after > before {
			var name string
			if err := tx.QueryRow(ctx, `SELECT name FROM agencies WHERE id = ?`, g).Scan(&name); err != nil {
				return "", fmt.Errorf("name agency: %w", mapError(err))
			}
			return name, nil
		}
	}
	return "", nil
}

// mergeHidesRoles asks the victim-first rule about each row of person from that a
// merge into person into would hide behind into's row on the same case: the person
// would then show there only in into's role. A change that needs a supervisor
// becomes a request on the hidden row (unless one is waiting already), and the
// references of those cases are returned: the merge must not happen yet.
func (s *MatchService) mergeHidesRoles(ctx context.Context, tx *Tx, actor tropic.Actor, from, into int64, reason string) (string, error) {
	// Lock both records' rows on cases first, as a change of role locks its row
	// (casePersonFor): a role change racing this merge then either commits before the
	// roles below are read, or waits and sees the merged rows when it asks whether the
	// person was a potential victim on the case.
	if _, err := queryIDs(ctx, tx, `SELECT id FROM case_people WHERE person_id IN (?, ?) ORDER BY id`+tx.db.forUpdate(), from, into); err != nil {
		return "", fmt.Errorf("lock rows a merge hides: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT h.id, h.role, k.role, c.id, c.reference, c.owner_agency_id, a.name
		FROM case_people h JOIN case_people k ON k.case_id = h.case_id AND k.person_id = ?
		JOIN cases c ON c.id = h.case_id JOIN agencies a ON a.id = c.owner_agency_id
		WHERE h.person_id = ? ORDER BY h.id`, into, from)
	if err != nil {
		return "", fmt.Errorf("find rows a merge hides: %w", err)
	}
	type hiddenRow struct {
		id, caseID, owner int64
		from, to          tropic.PersonRole
		ref, ownerName    string
	}
	var hidden []hiddenRow
	for rows.Next() {
		var h hiddenRow
		var fromRole, toRole string
		if err := rows.Scan(&h.id, &fromRole, &toRole, &h.caseID, &h.ref, &h.owner, &h.ownerName); err != nil {
			rows.Close()
			return "", err
		}
		h.from, h.to = tropic.PersonRole(fromRole), tropic.PersonRole(toRole)
		hidden = append(hidden, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	var asked []string
	for _, h := range hidden {
		was, err := wasVictimOnCase(ctx, tx, h.caseID, h.id)
		if err != nil {
			return "", err
		}
		verdict, err := tropic.DecideRoleTransition(tropic.RoleTransition{Path: tropic.PathMerge, From: h.from, To: h.to, WasVictim: was,
			Reason: reason, OwnerAgencyID: h.owner, OwnerAgency: h.ownerName}, actor)
		if err != nil {
			return "", err
		}
		if verdict != tropic.RoleNeedsSupervisor {
			continue
		}
		asked = append(asked, h.ref)
		var pending int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM role_changes WHERE case_person_id = ? AND status = ?`, h.id, string(tropic.RoleChangeRequested)).Scan(&pending); err != nil {
			return "", err
		}
		if pending > 0 {
			continue
		}
		w, err := actorWho(ctx, tx, actor)
		if err != nil {
			return "", err
		}
		rc := &tropic.RoleChange{CasePersonID: h.id, From: h.from, To: h.to, Reason: "Asked by merging two records of this person: " + reason,
			RequestedBy: w.String(), RequestedAt: tx.now, Status: tropic.RoleChangeRequested}
		if err := insertRoleChange(ctx, tx, actor, h.caseID, rc); err != nil {
			return "", err
		}
		if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditRoleChangeAsked, objectType: "case", objectID: h.caseID,
			detail: fmt.Sprintf("link %d: %s to %s: by merging person %d into %d", h.id, h.from, h.to, from, into)}); err != nil {
			return "", err
		}
	}
	return strings.Join(asked, " and "), nil
}

// mergePerson folds person from into person into, as Decide describes.
func mergePerson(ctx context.Context, tx *Tx, matchID, from, into int64) error {
	rows, err := tx.Query(ctx, `SELECT cp.id, EXISTS (SELECT 1 FROM case_people s WHERE s.case_id = cp.case_id AND s.person_id = ?)
		FROM case_people cp WHERE cp.person_id = ? ORDER BY cp.id`, into, from)
	if err != nil {
		return fmt.Errorf("find rows to merge: %w", err)
	}
	var move []int64
	for rows.Next() {
		var id int64
		var held bool
		if err := rows.Scan(&id, &held); err != nil {
			rows.Close()
			return err
		}
		if !held {
			move = append(move, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range move {
		if _, err := tx.Exec(ctx, `UPDATE case_people SET person_id = ? WHERE id = ? AND person_id = ?`, into, id, from); err != nil {
			return fmt.Errorf("move case person: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO person_merge_moves (match_id, case_person_id, from_person) VALUES (?, ?, ?)`, matchID, id, from); err != nil {
			return fmt.Errorf("record merge move: %w", err)
		}
	}
	res, err := tx.Exec(ctx, `UPDATE people SET merged_into = ? WHERE id = ? AND merged_into IS NULL`, into, from)
	if err != nil {
		return fmt.Errorf("merge person: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "The other record has since been merged into another. Look at the suggestions again.")
	}
	return refreshPeopleCases(ctx, tx, from, into)
}

// refreshPeopleCases rewrites the report matches of every case the people are on:
// a merge or its undo changes whose phone a case holds.
func refreshPeopleCases(ctx context.Context, tx *Tx, a, b int64) error {
	ids, err := queryIDs(ctx, tx, `SELECT DISTINCT case_id FROM case_people WHERE person_id IN (?, ?)`, a, b)
	if err != nil {
		return fmt.Errorf("find merged people's cases: %w", err)
	}
	for _, id := range ids {
		if err := refreshCaseMatchesTx(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// UndoMerge takes a merge back exactly: the rows it moved return to the merged
// record, which is no longer merged, and the match becomes undone, which is neither
// suggested again nor linked (the caseworker found the records are not one person).
// It needs whole access to every case involved; merges are undone latest first, so
// a survivor merged into another since must have that merge undone before.
func (s *MatchService) UndoMerge(ctx context.Context, actor tropic.Actor, caseRef string, matchID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := reasonProblem(reason, true, "Enter why this merge should be undone"); err != nil {
		return err
	}
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, _, err := s.cases.caseByRef(ctx, tx, actor, caseRef, true)
	if err != nil {
		return err
	}
	if err := tropic.MayDecideMatches(actor); err != nil {
		return err
	}
	if err := tropic.MayChangeCase(actor, c); err != nil {
		return err
	}
	m, survivor, from, err := matchOnCase(ctx, tx, c, matchID)
	if tropic.ErrorCode(err) == tropic.ENOTFOUND {
		if later, _ := laterMerge(ctx, tx, c.ID, matchID); later {
			return tropic.Errorf(tropic.ECONFLICT, "The record this merge kept has since been merged into another. Undo that later merge first.")
		}
	}
	if err != nil {
		return err
	}
	if m.status != tropic.MatchMerged {
		return tropic.Errorf(tropic.ECONFLICT, "Only a merge can be undone, and this suggestion is %s.", m.status)
	}
	var decidedBy sql.NullInt64
	if err := tx.QueryRow(ctx, `SELECT decided_by_agency FROM person_matches WHERE id = ?`, m.id).Scan(&decidedBy); err != nil {
		return fmt.Errorf("read merge: %w", mapError(err))
	}
	if err := tropic.MayUndoMerge(actor, decidedBy.Int64, m.decidedBy.agency, nil); err != nil {
		return err // before reading the cases it touched
	}
	cases, err := s.otherCases(ctx, tx, actor, from, m.id, map[int64]tropic.CaseAccess{c.ID: c.Access})
	if err != nil {
		return err
	}
	if err := tropic.MayUndoMerge(actor, decidedBy.Int64, m.decidedBy.agency, caseViews(cases)); err != nil {
		return err
	}
	moved, err := queryIDs(ctx, tx, `SELECT case_person_id FROM person_merge_moves WHERE match_id = ? ORDER BY case_person_id`, m.id)
	if err != nil {
		return fmt.Errorf("find merge moves: %w", err)
	}
	for _, id := range moved {
		res, err := tx.Exec(ctx, `UPDATE case_people SET person_id = ? WHERE id = ? AND person_id = ?`, from, id, survivor)
		if err != nil {
			return fmt.Errorf("move case person back: %w", err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return tropic.Errorf(tropic.ECONFLICT, "The records have changed since the merge, so it cannot be undone exactly.")
		}
	}
	res, err := tx.Exec(ctx, `UPDATE people SET merged_into = NULL WHERE id = ? AND merged_into = ?`, from, survivor)
	if err != nil {
		return fmt.Errorf("unmerge person: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return tropic.Errorf(tropic.ECONFLICT, "The records have changed since the merge, so it cannot be undone exactly.")
	}
	if _, err := tx.Exec(ctx, `UPDATE person_matches SET status = ?, undone_at = ?, undone_by_user = ?, undone_reason = ? WHERE id = ?`,
		string(tropic.MatchUndone), tx.now, nullID(actor.UserID), reason, m.id); err != nil {
		return fmt.Errorf("undo person match: %w", err)
	}
	if err := refreshPeopleCases(ctx, tx, from, survivor); err != nil {
		return err
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: tropic.AuditMatchUndone, objectType: "case", objectID: c.ID,
		detail: fmt.Sprintf("match %d: merge undone, on %s", m.id, c.Reference)}); err != nil {
		return err
	}
	return tx.Commit()
}

// laterMerge reports whether a merge's survivor has since been merged, through one
// or more later merges, into a person on the case: the merge is then on the case,
// but must wait until the later ones are undone.
func laterMerge(ctx context.Context, tx *Tx, caseID, matchID int64) (bool, error) {
	var survivor sql.NullInt64
	var status string
	if err := tx.QueryRow(ctx, `SELECT status, survivor FROM person_matches WHERE id = ?`, matchID).Scan(&status, &survivor); err != nil {
		return false, mapError(err)
	}
	if tropic.MatchStatus(status) != tropic.MatchMerged || !survivor.Valid {
		return false, nil
	}
	id := survivor.Int64
	for range 50 { // a chain of merges is short; the bound only guards against a cycle
		var into sql.NullInt64
		if err := tx.QueryRow(ctx, `SELECT merged_into FROM people WHERE id = ?`, id).Scan(&into); err != nil {
			return false, mapError(err)
		}
		if !into.Valid {
			break
		}
		id = into.Int64
	}
	if id == survivor.Int64 {
		return false, nil
	}
	onCase, err := casePersonIDs(ctx, tx, caseID)
	return onCase[id], err
}
