package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// A search of the analysts' network: from the record searched for, a walk through
// indexed lookups, never the whole graph, so that it answers as fast at 200,000
// cases as at 200.

// graphSearch walks the partnership's graph from the record searched for.
type graphSearch struct {
	tx    *Tx
	q     tropic.NetworkQuery
	zone  *time.Location
	g     *partnershipGraph
	kept  map[int64]bool // the cases met: whether the filters keep them
	names map[string]int // "person:<pseudonym>": node, for the nodes met so far
	key   []byte         // the pseudonym secret, nil when none was ever made
}

// caseIdentifiersSQL reads a case's identifiers (kind, normalised value) in one
// query; its argument is the case's id, once per table.
var caseIdentifiersSQL = func() string {
	var parts []string
	for _, cq := range caseIdentifierQueries {
		parts = append(parts, `SELECT '`+string(cq.kind)+`', `+cq.norm+` FROM `+cq.table+` WHERE case_id = ? AND `+cq.norm+` <> ''`)
	}
	return strings.Join(parts, " UNION ALL ")
}()

// searchPartnershipGraph reads the records within tropic.NetworkSearchSteps of the
// one q searches for, then the neighbours of each record q expands that is among
// them (in turn, so an expansion may reach a record a later one expands). A phone
// that is not a phone number is a problem with the search.
func (s *MatchService) searchPartnershipGraph(ctx context.Context, q tropic.NetworkQuery) (*partnershipGraph, error) {
	tx, err := s.cases.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w := &graphSearch{tx: tx, q: q, zone: s.cases.zone, g: newPartnershipGraph(), kept: map[int64]bool{}, names: map[string]int{}}
	var v string
	switch err := tx.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, pseudonymSetting).Scan(&v); tropic.ErrorCode(mapError(err)) {
	case "":
		if w.key, err = hex.DecodeString(v); err != nil {
			return nil, fmt.Errorf("read pseudonym key: %w", err)
		}
	case tropic.ENOTFOUND:
	default:
		return nil, fmt.Errorf("read pseudonym key: %w", err)
	}

	var seeds []int
	switch q.By {
	case tropic.NetworkByReference:
		ids, err := queryIDs(ctx, tx, `SELECT id FROM cases WHERE reference = ?`, q.Search)
		if err != nil {
			return nil, fmt.Errorf("find case in network: %w", err)
		}
		for _, id := range ids {
			n, err := w.caseNode(ctx, id)
			if err != nil {
				return nil, err
			}
			if n >= 0 {
				seeds = append(seeds, n)
			}
		}
	default:
		val := q.Search
		switch q.By {
		case tropic.NetworkByPhone:
			e164, err := s.cases.parsePhone(q.Search)
			if err != nil {
				var p tropic.Problems
				p.Add("q", "Enter a phone number, like 07700 900123 or +44 7700 900123")
				return nil, p.Err()
			}
			val = e164
		case tropic.NetworkByBusiness:
			val = s.cases.db.businessKey(q.Search)
		}
		kind := map[string]string{tropic.NetworkByPhone: "phone", tropic.NetworkByBusiness: "business",
			tropic.NetworkByPostcode: "place", tropic.NetworkByVehicle: "vehicle"}[q.By]
		if kind == "" || val == "" {
			return w.g, nil
		}
		seeds = append(seeds, w.g.node(kind, val))
	}
	for _, n := range seeds {
		w.g.nodes[n].steps, w.g.nodes[n].root = 0, true
		w.named(n)
	}
	frontier := seeds
	for step := 0; step < tropic.NetworkSearchSteps; step++ {
		var next []int
		for _, n := range frontier {
			added, err := w.expand(ctx, n)
			if err != nil {
				return nil, err
			}
			next = append(next, added...)
		}
		frontier = next
	}
	for more := true; more; {
		more = false
		for _, k := range q.Expand {
			if n, ok := w.names[k]; ok && !w.g.nodes[n].expanded {
				if _, err := w.expand(ctx, n); err != nil {
					return nil, err
				}
				more = true
			}
		}
	}
	// An identifier searched for that nothing holds is not in the network.
	if len(seeds) == 1 && len(w.g.adj[seeds[0]]) == 0 && w.g.nodes[seeds[0]].kind != "case" {
		return newPartnershipGraph(), nil
	}
	// The businesses met, named as first typed on a case: one indexed lookup each.
	for i := range w.g.nodes {
		if n := &w.g.nodes[i]; n.kind == "business" {
			names, err := queryStrings(ctx, tx, `SELECT name FROM case_businesses WHERE name_folded = ? ORDER BY id LIMIT 1`, n.ident)
			if err != nil {
				return nil, fmt.Errorf("read business name: %w", err)
			}
			if len(names) > 0 {
				n.label = names[0]
			}
		}
	}
	return w.g, nil
}

// named notes node n's key, for the expansions to find it.
func (w *graphSearch) named(n int) {
	if w.key == nil {
		return
	}
	gn := w.g.nodes[n]
	mac := hmac.New(sha256.New, w.key)
	mac.Write([]byte(gn.kind + ":" + gn.ident))
	w.names[gn.kind+":"+hex.EncodeToString(mac.Sum(nil))[:16]] = n
}

// caseNode is the node of a case the filters keep, or -1.
func (w *graphSearch) caseNode(ctx context.Context, id int64) (int, error) {
	ident := strconv.FormatInt(id, 10)
	kept, ok := w.kept[id]
	if !ok {
		var heldBy, district, exploitation string
		var opened time.Time
		var closed sql.NullTime
		if err := w.tx.QueryRow(ctx, `SELECT a.name, c.opened_at, c.closed_at, c.district, c.exploitation FROM cases c JOIN agencies a ON a.id = c.owner_agency_id WHERE c.id = ?`, id).
			Scan(&heldBy, &opened, &closed, &district, &exploitation); err != nil {
			return -1, fmt.Errorf("read case in network: %w", mapError(err))
		}
		kept = w.q.IncludesCase(opened.In(w.zone), district, exploitation)
		w.kept[id] = kept
		if kept {
			n := &w.g.nodes[w.g.node("case", ident)]
			n.heldBy, n.opened = heldBy, opened.UTC()
			if closed.Valid {
				n.closed = closed.Time.UTC()
			}
		}
	}
	if !kept {
		return -1, nil
	}
	return w.g.index["case:"+ident], nil
}

// personNode is the node of a person; filtered, only of one on a case kept.
func (w *graphSearch) personNode(ctx context.Context, id int64, onKeptCase bool) (int, error) {
	ident := strconv.FormatInt(id, 10)
	if i, ok := w.g.index["person:"+ident]; ok || onKeptCase || !w.q.Filtered() {
		if !ok {
			i = w.g.node("person", ident)
		}
		return i, nil
	}
	cases, err := queryIDs(ctx, w.tx, `SELECT case_id FROM case_people WHERE person_id = ? ORDER BY case_id`, id)
	if err != nil {
		return -1, fmt.Errorf("read person's cases in network: %w", err)
	}
	for _, c := range cases {
		n, err := w.caseNode(ctx, c)
		if err != nil {
			return -1, err
		}
		if n >= 0 {
			return w.g.node("person", ident), nil
		}
	}
	return -1, nil
}

// expand reads node n's neighbours and returns those new to the walk, a step
// further from the record searched for.
func (w *graphSearch) expand(ctx context.Context, n int) ([]int, error) {
	w.g.nodes[n].expanded = true
	gn := w.g.nodes[n]
	var added []int
	join := func(m int, why string) {
		if m < 0 || m == n {
			return
		}
		if w.g.nodes[m].steps < 0 {
			w.g.nodes[m].steps = gn.steps + 1
			w.named(m)
			added = append(added, m)
		}
		w.g.link(n, m, why)
	}
	id, _ := strconv.ParseInt(gn.ident, 10, 64)
	switch gn.kind {
	case "case":
		people, err := queryIDs(ctx, w.tx, `SELECT cp.person_id FROM case_people cp JOIN people p ON p.id = cp.person_id
			WHERE cp.case_id = ? AND p.merged_into IS NULL ORDER BY cp.id`, id)
		if err != nil {
			return nil, fmt.Errorf("read people in network: %w", err)
		}
		for _, p := range people {
			m, err := w.personNode(ctx, p, true)
			if err != nil {
				return nil, err
			}
			join(m, "on the case")
		}
		pairs, err := readPairs(ctx, w.tx, caseIdentifiersSQL, id, id, id, id)
		if err != nil {
			return nil, err
		}
		for _, p := range pairs {
			kind := tropic.LinkKind(p[0])
			join(w.g.node(nodeKind(kind), p[1]), identifierNouns[kind]+" on the case")
		}
	case "person":
		var e164, email string
		if err := w.tx.QueryRow(ctx, `SELECT phone_e164, email_norm FROM people WHERE id = ?`, id).Scan(&e164, &email); err != nil {
			return nil, fmt.Errorf("read person in network: %w", mapError(err))
		}
		for _, p := range [][2]string{{"phone", e164}, {"email", email}} {
			if p[1] != "" {
				join(w.g.node(p[0], p[1]), identifierNouns[tropic.LinkKind(p[0])]+" of the person")
			}
		}
		cases, err := queryIDs(ctx, w.tx, `SELECT case_id FROM case_people WHERE person_id = ? ORDER BY case_id`, id)
		if err != nil {
			return nil, fmt.Errorf("read person's cases in network: %w", err)
		}
		for _, c := range cases {
			m, err := w.caseNode(ctx, c)
			if err != nil {
				return nil, err
			}
			join(m, "on the case")
		}
		linked, err := queryIDs(ctx, w.tx, `SELECT DISTINCT COALESCE(p.merged_into, p.id) FROM people p WHERE p.id IN (
			SELECT person_b FROM person_matches WHERE person_a = ? AND status = ?
			UNION SELECT person_a FROM person_matches WHERE person_b = ? AND status = ?) ORDER BY 1`,
			id, string(tropic.MatchLinked), id, string(tropic.MatchLinked))
		if err != nil {
			return nil, fmt.Errorf("read linked people in network: %w", err)
		}
		for _, p := range linked {
			m, err := w.personNode(ctx, p, false)
			if err != nil {
				return nil, err
			}
			join(m, "linked person")
		}
	default:
		kind := tropic.LinkKind(gn.kind)
		if gn.kind == "place" {
			kind = tropic.LinkPostcode
		}
		q := networkLookups[kind]
		if q.people != "" {
			people, err := queryIDs(ctx, w.tx, q.people+` ORDER BY 1`, gn.ident)
			if err != nil {
				return nil, fmt.Errorf("find people by %s: %w", kind, err)
			}
			for _, p := range people {
				m, err := w.personNode(ctx, p, false)
				if err != nil {
					return nil, err
				}
				join(m, identifierNouns[kind]+" of the person")
			}
		}
		if q.cases != "" {
			cases, err := queryIDs(ctx, w.tx, q.cases+` ORDER BY 1`, gn.ident)
			if err != nil {
				return nil, fmt.Errorf("find cases by %s: %w", kind, err)
			}
			for _, c := range cases {
				m, err := w.caseNode(ctx, c)
				if err != nil {
					return nil, err
				}
				join(m, identifierNouns[kind]+" on the case")
			}
		}
	}
	return added, nil
}

// selection is the searched network as the analyst sees it: every record the walk
// met, the one searched for as the root, each with its steps from it and whether
// its neighbours are drawn (Expanded), nearest first.
func (g *partnershipGraph) selection(names []string) *tropic.Network {
	net := &tropic.Network{}
	for i, gn := range g.nodes {
		n := g.networkNode(i, names)
		n.Root, n.Steps, n.Expanded, n.Opened, n.Closed = gn.root, gn.steps, gn.expanded, gn.opened, gn.closed
		net.Nodes = append(net.Nodes, n)
	}
	slices.SortStableFunc(net.Nodes, func(a, b tropic.NetworkNode) int {
		if a.Steps != b.Steps {
			return a.Steps - b.Steps
		}
		return compareNetworkNodes(a, b)
	})
	net.Edges = g.edges(func(int) bool { return true }, names)
	return net
}
