package store

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The size of a network when the caller does not say, and the most it may ask for.
const (
	defaultNetworkDepth = 2
	maxNetworkDepth     = 4
	defaultNetworkNodes = 150
	maxNetworkNodes     = 1000
)

// nodeKinds orders the kinds of node in a network, as pages list them.
var nodeKinds = []string{"case", "report", "person", "phone", "vehicle", "place", "business", "email"}

// nodeKind is the kind of node an identifier is drawn as.
func nodeKind(k tropic.LinkKind) string {
	if k == tropic.LinkPostcode {
		return "place"
	}
	return string(k)
}

// identifierNouns name an identifier in an edge: "same phone", "phone on the case".
var identifierNouns = map[tropic.LinkKind]string{
	tropic.LinkPhone: "phone", tropic.LinkVehicle: "vehicle", tropic.LinkPostcode: "postcode",
	tropic.LinkBusiness: "business", tropic.LinkEmail: "e-mail address",
}

// networkLookups are the indexed lookups from an identifier to the cases, people and
// reports holding it ("" where none can). Cases hold phones and e-mail addresses
// through their people too; the walk reaches those through the person.
var networkLookups = map[tropic.LinkKind]struct{ cases, people, reports string }{
	tropic.LinkPhone: {`SELECT case_id FROM case_phones WHERE e164 = ?`,
		`SELECT id FROM people WHERE phone_e164 = ? AND merged_into IS NULL`,
		`SELECT report_id FROM report_phones WHERE e164 = ?`},
	tropic.LinkVehicle: {`SELECT case_id FROM case_vehicles WHERE normalised = ?`, "",
		`SELECT report_id FROM report_vehicles WHERE normalised = ?`},
	tropic.LinkPostcode: {`SELECT case_id FROM case_places WHERE postcode = ?`, "",
		`SELECT id FROM reports WHERE postcode = ?`},
	tropic.LinkBusiness: {`SELECT case_id FROM case_businesses WHERE name_folded = ?`, "",
		`SELECT report_id FROM report_businesses WHERE name_folded = ?`},
	tropic.LinkEmail: {"", `SELECT id FROM people WHERE email_norm = ? AND merged_into IS NULL`, ""},
}

// CaseNetwork walks from a case the actor may see through the people on it, their
// linked person records and the identifiers cases, people and reports share, up to
// depth case or report steps and limit nodes. A record the actor may not see is
// drawn, labelled only by who holds it, and the walk goes no further from it: a hit,
// nothing more. Identifiers are only reached from records the actor may see. The
// view is audited.
func (s *MatchService) CaseNetwork(ctx context.Context, actor tropic.Actor, caseRef string, depth, limit int) (*tropic.Network, error) {
	if depth <= 0 {
		depth = defaultNetworkDepth
	}
	if limit <= 0 {
		limit = defaultNetworkNodes
	}
	depth, limit = min(depth, maxNetworkDepth), min(limit, maxNetworkNodes)
	tx, err := s.cases.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	root, _, err := s.cases.caseByRef(ctx, tx, actor, caseRef, false)
	if err != nil {
		return nil, err
	}
	if actor, err = inHub(ctx, tx, actor); err != nil {
		return nil, err
	}
	w := &networkWalk{s: s, tx: tx, actor: actor, depth: depth, limit: limit,
		index: map[string]int{}, edges: map[[2]string]bool{}, seen: map[int64]*seenCase{}}
	if err := w.addCase(ctx, "", "", root.ID, 0); err != nil {
		return nil, err
	}
	w.net.Nodes[0].Root = true
	for len(w.cur) > 0 {
		for i := 0; i < len(w.cur); i++ { // expanding may add to this level
			if err := w.expand(ctx, w.cur[i]); err != nil {
				return nil, err
			}
		}
		w.cur, w.next = w.next, nil
		w.hop++
	}
	tx.Rollback()
	net := w.sorted()

	wtx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer wtx.Rollback()
	if err := appendAudit(ctx, wtx, actor, auditEntry{action: tropic.AuditNetworkViewed, objectType: "case", objectID: root.ID,
		detail: root.Reference + " network: " + w.summary()}); err != nil {
		return nil, err
	}
	return net, wtx.Commit()
}

// networkWalk draws one viewer's network, level by level: a level is the records
// some number of case or report steps from the root, with their people and
// identifiers.
type networkWalk struct {
	s            *MatchService
	tx           *Tx
	actor        tropic.Actor
	depth, limit int

	net   tropic.Network
	index map[string]int     // node key: position in net.Nodes
	edges map[[2]string]bool // both ways
	hop   int                // the level being expanded
	cur   []walkStep         // this level's nodes to expand
	next  []walkStep         // the next level's

	seen map[int64]*seenCase // the cases met, each decided once
}

// walkStep is a node to expand: a record by id, or an identifier by kind and key.
type walkStep struct {
	key  string
	id   int64
	kind tropic.LinkKind // for an identifier
	val  string          // an identifier's normalised value
}

func (w *networkWalk) queue(st walkStep, hop int) {
	if hop == w.hop {
		w.cur = append(w.cur, st)
	} else {
		w.next = append(w.next, st)
	}
}

// has says whether key is drawn; if so, the edge from from is added.
func (w *networkWalk) has(from, why, key string) bool {
	if _, ok := w.index[key]; !ok {
		return false
	}
	w.edge(from, key, why)
	return true
}

// room says whether another node may be drawn, noting the network truncated if not.
func (w *networkWalk) room() bool {
	if len(w.net.Nodes) >= w.limit {
		w.net.Truncated = true
		return false
	}
	return true
}

func (w *networkWalk) add(from, why string, n tropic.NetworkNode) {
	w.index[n.Key] = len(w.net.Nodes)
	w.net.Nodes = append(w.net.Nodes, n)
	w.edge(from, n.Key, why)
}

func (w *networkWalk) edge(from, to, why string) {
	if from == "" || from == to || w.edges[[2]string{from, to}] {
		return
	}
	w.edges[[2]string{from, to}], w.edges[[2]string{to, from}] = true, true
	w.net.Edges = append(w.net.Edges, tropic.NetworkEdge{From: from, To: to, Why: why})
}

// seenCase is what the walk knows of a case, and whether the actor may see it.
type seenCase struct {
	visible           bool
	ref, title, owner string
}

// seeCase decides, once per case, whether the actor may see it.
func (w *networkWalk) seeCase(ctx context.Context, id int64) (*seenCase, error) {
	if c, ok := w.seen[id]; ok {
		return c, nil
	}
	c := &seenCase{}
	var owner int64
	if err := w.tx.QueryRow(ctx, `SELECT c.reference, c.title, c.owner_agency_id, a.name FROM cases c JOIN agencies a ON a.id = c.owner_agency_id WHERE c.id = ?`, id).
		Scan(&c.ref, &c.title, &owner, &c.owner); err != nil {
		return nil, fmt.Errorf("read case in network: %w", mapError(err))
	}
	shares, err := loadShares(ctx, w.tx, id)
	if err != nil {
		return nil, err
	}
	c.visible = tropic.AccessTo(w.actor, owner, shares, w.s.cases.local(w.tx)) != tropic.AccessNone
	w.seen[id] = c
	return c, nil
}

func (w *networkWalk) addCase(ctx context.Context, from, why string, id int64, hop int) error {
	key := "case:" + strconv.FormatInt(id, 10)
	if w.has(from, why, key) || hop > w.depth || !w.room() {
		return nil
	}
	c, err := w.seeCase(ctx, id)
	if err != nil {
		return err
	}
	n := tropic.NetworkNode{Key: key, Kind: "case", Label: "Case held by " + c.owner, HeldBy: c.owner}
	if c.visible {
		n.Visible, n.Label, n.CaseRef = true, c.ref+": "+c.title, c.ref
		if hop < w.depth {
			w.queue(walkStep{key: key, id: id}, hop)
		}
	}
	w.add(from, why, n)
	return nil
}

func (w *networkWalk) addReport(ctx context.Context, from, why string, id int64, hop int) error {
	key := "report:" + strconv.FormatInt(id, 10)
	if w.has(from, why, key) || hop > w.depth || !w.room() {
		return nil
	}
	var r tropic.Report
	if err := w.tx.QueryRow(ctx, `SELECT reference, COALESCE(created_by_agency, 0), COALESCE(passed_to_agency, 0) FROM reports WHERE id = ?`, id).
		Scan(&r.Reference, &r.CreatedByAgency, &r.PassedToAgency); err != nil {
		return fmt.Errorf("read report in network: %w", mapError(err))
	}
	n := tropic.NetworkNode{Key: key, Kind: "report", Label: "Report held by " + tropic.TriageHub, HeldBy: tropic.TriageHub}
	if tropic.CanSeeReport(w.actor, &r) {
		n.Visible, n.Label, n.Report = true, r.Reference, r.Reference
		if hop < w.depth {
			w.queue(walkStep{key: key, id: id}, hop)
		}
	}
	w.add(from, why, n)
	return nil
}

// addPerson draws a person, visible when the actor may see any case they are on,
// to be opened from viaCase when that is one of them.
func (w *networkWalk) addPerson(ctx context.Context, from, why string, id int64, hop int, viaCase int64) error {
	key := "person:" + strconv.FormatInt(id, 10)
	if w.has(from, why, key) || !w.room() {
		return nil
	}
	var given, family, heldBy string
	if err := w.tx.QueryRow(ctx, `SELECT p.given_name, p.family_name, a.name FROM people p JOIN agencies a ON a.id = p.owner_agency_id WHERE p.id = ?`, id).
		Scan(&given, &family, &heldBy); err != nil {
		return fmt.Errorf("read person in network: %w", mapError(err))
	}
	caseIDs, err := queryIDs(ctx, w.tx, `SELECT case_id FROM case_people WHERE person_id = ? ORDER BY case_id`, id)
	if err != nil {
		return fmt.Errorf("read person's cases: %w", err)
	}
	n := tropic.NetworkNode{Key: key, Kind: "person", Label: "Person held by " + heldBy, HeldBy: heldBy}
	for _, cid := range caseIDs {
		c, err := w.seeCase(ctx, cid)
		if err != nil {
			return err
		}
		if c.visible && (n.CaseRef == "" || cid == viaCase) {
			n.CaseRef = c.ref
		}
	}
	if n.CaseRef != "" {
		n.Visible, n.Person = true, id
		if n.Label = strings.TrimSpace(given + " " + family); n.Label == "" {
			var alias string
			if err := w.tx.QueryRow(ctx, `SELECT alias FROM person_aliases WHERE person_id = ? ORDER BY position LIMIT 1`, id).Scan(&alias); err != nil &&
				tropic.ErrorCode(mapError(err)) != tropic.ENOTFOUND {
				return fmt.Errorf("read person's alias: %w", err)
			}
			n.Label = cmp.Or(alias, "Person without a name")
		}
		w.queue(walkStep{key: key, id: id}, hop)
	}
	w.add(from, why, n)
	return nil
}

// addIdentifier draws an identifier of a record the actor may see, labelled as that
// record has it.
func (w *networkWalk) addIdentifier(from string, kind tropic.LinkKind, typed, val string, hop int) {
	if val == "" {
		return
	}
	why := identifierNouns[kind] + " on the case"
	switch {
	case strings.HasPrefix(from, "person:"):
		why = identifierNouns[kind] + " of the person"
	case strings.HasPrefix(from, "report:"):
		why = "in the report"
	}
	key := nodeKind(kind) + ":" + val
	if w.has(from, why, key) || !w.room() {
		return
	}
	w.add(from, why, tropic.NetworkNode{Key: key, Kind: nodeKind(kind), Label: cmp.Or(strings.TrimSpace(typed), val), Visible: true})
	w.queue(walkStep{key: key, kind: kind, val: val}, hop)
}

func (w *networkWalk) expand(ctx context.Context, st walkStep) error {
	switch {
	case strings.HasPrefix(st.key, "case:"):
		return w.expandCase(ctx, st)
	case strings.HasPrefix(st.key, "report:"):
		return w.expandReport(ctx, st)
	case strings.HasPrefix(st.key, "person:"):
		return w.expandPerson(ctx, st)
	}
	return w.expandIdentifier(ctx, st)
}

// readPairs reads (typed, normalised) pairs of one record.
func (w *networkWalk) readPairs(ctx context.Context, query string, id int64) ([][2]string, error) {
	return readPairs(ctx, w.tx, query, id)
}

// readPairs reads rows of two strings: (typed, normalised), or (kind, normalised).
func readPairs(ctx context.Context, tx *Tx, query string, args ...any) ([][2]string, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read identifiers in network: %w", err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var p [2]string
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (w *networkWalk) expandCase(ctx context.Context, st walkStep) error {
	people, err := queryIDs(ctx, w.tx, `SELECT cp.person_id FROM case_people cp JOIN people p ON p.id = cp.person_id
		WHERE cp.case_id = ? AND p.merged_into IS NULL ORDER BY cp.id`, st.id)
	if err != nil {
		return fmt.Errorf("read people in network: %w", err)
	}
	for _, p := range people {
		if err := w.addPerson(ctx, st.key, "on the case", p, w.hop, st.id); err != nil {
			return err
		}
	}
	for _, q := range []struct {
		kind tropic.LinkKind
		sql  string
	}{
		{tropic.LinkPhone, `SELECT number, e164 FROM case_phones WHERE case_id = ? ORDER BY id`},
		{tropic.LinkVehicle, `SELECT registration, normalised FROM case_vehicles WHERE case_id = ? ORDER BY id`},
		{tropic.LinkPostcode, `SELECT postcode, postcode FROM case_places WHERE case_id = ? ORDER BY id`},
		{tropic.LinkBusiness, `SELECT name, name_folded FROM case_businesses WHERE case_id = ? ORDER BY id`},
	} {
		pairs, err := w.readPairs(ctx, q.sql, st.id)
		if err != nil {
			return err
		}
		for _, p := range pairs {
			w.addIdentifier(st.key, q.kind, p[0], p[1], w.hop)
		}
	}
	reports, err := queryIDs(ctx, w.tx, `SELECT report_id FROM case_reports WHERE case_id = ? ORDER BY report_id`, st.id)
	if err != nil {
		return fmt.Errorf("read case reports in network: %w", err)
	}
	for _, r := range reports {
		if err := w.addReport(ctx, st.key, "linked to the case", r, w.hop+1); err != nil {
			return err
		}
	}
	return nil
}

func (w *networkWalk) expandReport(ctx context.Context, st walkStep) error {
	var postcode string
	if err := w.tx.QueryRow(ctx, `SELECT postcode FROM reports WHERE id = ?`, st.id).Scan(&postcode); err != nil {
		return fmt.Errorf("read report in network: %w", mapError(err))
	}
	w.addIdentifier(st.key, tropic.LinkPostcode, postcode, postcode, w.hop)
	for _, q := range []struct {
		kind tropic.LinkKind
		sql  string
	}{
		{tropic.LinkPhone, `SELECT number, e164 FROM report_phones WHERE report_id = ? ORDER BY position`},
		{tropic.LinkVehicle, `SELECT registration, normalised FROM report_vehicles WHERE report_id = ? ORDER BY position`},
		{tropic.LinkBusiness, `SELECT name, name_folded FROM report_businesses WHERE report_id = ? ORDER BY position`},
	} {
		pairs, err := w.readPairs(ctx, q.sql, st.id)
		if err != nil {
			return err
		}
		for _, p := range pairs {
			if q.kind == tropic.LinkBusiness && p[1] == "" {
				p[1] = w.tx.db.businessKey(p[0]) // stored before reports kept the key
			}
			w.addIdentifier(st.key, q.kind, p[0], p[1], w.hop)
		}
	}
	cases, err := queryIDs(ctx, w.tx, `SELECT case_id FROM case_reports WHERE report_id = ? ORDER BY case_id`, st.id)
	if err != nil {
		return fmt.Errorf("read report's cases in network: %w", err)
	}
	for _, c := range cases {
		if err := w.addCase(ctx, st.key, "linked to the case", c, w.hop+1); err != nil {
			return err
		}
	}
	return nil
}

func (w *networkWalk) expandPerson(ctx context.Context, st walkStep) error {
	var phone, e164, email, emailNorm string
	if err := w.tx.QueryRow(ctx, `SELECT phone, phone_e164, email, email_norm FROM people WHERE id = ?`, st.id).Scan(&phone, &e164, &email, &emailNorm); err != nil {
		return fmt.Errorf("read person in network: %w", mapError(err))
	}
	w.addIdentifier(st.key, tropic.LinkPhone, phone, e164, w.hop)
	w.addIdentifier(st.key, tropic.LinkEmail, email, emailNorm, w.hop)
	cases, err := queryIDs(ctx, w.tx, `SELECT case_id FROM case_people WHERE person_id = ? ORDER BY case_id`, st.id)
	if err != nil {
		return fmt.Errorf("read person's cases in network: %w", err)
	}
	for _, c := range cases {
		if err := w.addCase(ctx, st.key, "on the case", c, w.hop+1); err != nil {
			return err
		}
	}
	// Records linked as the same person; one merged away since stands for its survivor.
	linked, err := queryIDs(ctx, w.tx, `SELECT DISTINCT COALESCE(p.merged_into, p.id) FROM people p WHERE p.id IN (
		SELECT person_b FROM person_matches WHERE person_a = ? AND status = ?
		UNION SELECT person_a FROM person_matches WHERE person_b = ? AND status = ?) ORDER BY 1`,
		st.id, string(tropic.MatchLinked), st.id, string(tropic.MatchLinked))
	if err != nil {
		return fmt.Errorf("read linked people in network: %w", err)
	}
	for _, p := range linked {
		if p != st.id {
			if err := w.addPerson(ctx, st.key, "linked person", p, w.hop, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *networkWalk) expandIdentifier(ctx context.Context, st walkStep) error {
	q := networkLookups[st.kind]
	why := "same " + identifierNouns[st.kind]
	if q.people != "" {
		people, err := queryIDs(ctx, w.tx, q.people+` ORDER BY 1 LIMIT ?`, st.val, maxLinksPerIdentifier)
		if err != nil {
			return fmt.Errorf("find people by %s: %w", st.kind, err)
		}
		for _, p := range people {
			if err := w.addPerson(ctx, st.key, why, p, w.hop, 0); err != nil {
				return err
			}
		}
	}
	if q.cases != "" {
		cases, err := queryIDs(ctx, w.tx, q.cases+` ORDER BY 1 LIMIT ?`, st.val, maxLinksPerIdentifier)
		if err != nil {
			return fmt.Errorf("find cases by %s: %w", st.kind, err)
		}
		for _, c := range cases {
			if err := w.addCase(ctx, st.key, why, c, w.hop+1); err != nil {
				return err
			}
		}
	}
	if q.reports != "" {
		reports, err := queryIDs(ctx, w.tx, q.reports+` ORDER BY 1 LIMIT ?`, st.val, maxLinksPerIdentifier)
		if err != nil {
			return fmt.Errorf("find reports by %s: %w", st.kind, err)
		}
		for _, r := range reports {
			if err := w.addReport(ctx, st.key, "in the report", r, w.hop+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// sorted returns the network in a stable order: the root, then by kind, the visible
// before the hidden, by label.
func (w *networkWalk) sorted() *tropic.Network {
	net := w.net
	slices.SortStableFunc(net.Nodes, compareNetworkNodes)
	// A hidden record's key holds its row id: replaced by one that means nothing
	// outside this answer, so that no one can tell a hidden record in one network
	// from another, or count rows by their ids.
	rename := map[string]string{}
	for i := range net.Nodes {
		if !net.Nodes[i].Visible {
			rename[net.Nodes[i].Key] = fmt.Sprintf("hidden:%d", len(rename)+1)
			net.Nodes[i].Key = rename[net.Nodes[i].Key]
		}
	}
	for i := range net.Edges {
		if k, ok := rename[net.Edges[i].From]; ok {
			net.Edges[i].From = k
		}
		if k, ok := rename[net.Edges[i].To]; ok {
			net.Edges[i].To = k
		}
	}
	slices.SortFunc(net.Edges, func(a, b tropic.NetworkEdge) int {
		return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.To, b.To))
	})
	return &net
}

func compareNetworkNodes(a, b tropic.NetworkNode) int {
	if a.Root != b.Root {
		if a.Root {
			return -1
		}
		return 1
	}
	if d := cmp.Compare(slices.Index(nodeKinds, a.Kind), slices.Index(nodeKinds, b.Kind)); d != 0 {
		return d
	}
	if a.Visible != b.Visible {
		if a.Visible {
			return -1
		}
		return 1
	}
	return cmp.Or(strings.Compare(a.Label, b.Label), strings.Compare(a.Key, b.Key))
}

// summary says, for the audit trail, how much was drawn and which cases were named.
func (w *networkWalk) summary() string {
	var visible []string
	hidden := 0
	for _, n := range w.net.Nodes {
		switch {
		case !n.Visible:
			hidden++
		case n.Kind == "case" && !n.Root:
			visible = append(visible, n.CaseRef)
		}
	}
	slices.Sort(visible)
	out := fmt.Sprintf("%d nodes, %d held by others", len(w.net.Nodes), hidden)
	if len(visible) > 0 {
		out += "; cases " + strings.Join(visible, " ")
	}
	if w.net.Truncated {
		out += "; truncated"
	}
	return out
}

// pseudonymSetting names the secret the analysts' pseudonyms are keyed with.
const pseudonymSetting = "network_pseudonym_key"

// nodeKindNames begin an analyst's node labels: "Person 7F3A9C".
var nodeKindNames = map[string]string{
	"case": "Case", "report": "Report", "person": "Person", "phone": "Phone", "vehicle": "Vehicle",
	"place": "Place", "business": "Business", "email": "E-mail",
}

// AnalystNetwork draws, for an analyst, the partnership's network of cases
// connected through the people on them, linked person records and shared phones,
// vehicles, postcodes, businesses and e-mail addresses, among the cases q's filters
// keep. With a search, it is the records within tropic.NetworkSearchSteps of the one
// searched for, with the neighbours of each record q expands, all of them (no
// limit: the page decides what it can draw). Without one, it is the groups of two
// cases or more, the largest first, up to limit nodes. People, cases, phones,
// vehicles and e-mail addresses are named by their kind and a pseudonym keyed with
// the database's own secret (stable from one view to the next, not traceable
// without the database), and a case says only which agency holds it, whom to ask;
// businesses and places are named (tropic.PartnershipNetworkNames). Nothing found
// is an empty network. The view, or the export when q says so, is audited.
func (s *MatchService) AnalystNetwork(ctx context.Context, actor tropic.Actor, q tropic.NetworkQuery, limit int) (*tropic.Network, error) {
	if err := tropic.MaySeePartnershipNetwork(actor); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultNetworkNodes
	}
	limit = min(limit, maxNetworkNodes)
	var g *partnershipGraph
	var err error
	if q.Search != "" {
		g, err = s.searchPartnershipGraph(ctx, q)
	} else {
		g, err = readPartnershipGraph(ctx, s.cases.db, q, s.cases.zone)
	}
	if err != nil {
		return nil, err
	}
	tx, err := s.cases.db.beginTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	key, err := pseudonymKey(ctx, tx)
	if err != nil {
		return nil, err
	}
	names := g.pseudonyms(key)
	var net *tropic.Network
	var detail string
	if q.Search != "" {
		net = g.selection(names)
		detail = fmt.Sprintf("search by %s %q: %d nodes, %d expanded", q.By, q.Search, len(net.Nodes), len(q.Expand))
	} else {
		var groups, cases int
		net, groups, cases = g.draw(names, limit)
		detail = fmt.Sprintf("%d groups, %d cases, %d nodes", groups, cases, len(net.Nodes))
	}
	revealed, err := networkReveals(ctx, tx, actor, g, names, net)
	if err != nil {
		return nil, err
	}
	if q.Filtered() {
		detail += "; cases " + networkFilterText(q)
	}
	if len(revealed) > 0 {
		detail += "; people named by " + strings.Join(revealed, ", ")
	}
	if net.Truncated {
		detail += "; truncated"
	}
	action := tropic.AuditAnalystNetwork
	if q.Export != "" {
		action, detail = tropic.AuditAnalystNetworkExported, q.Export+" export: "+detail
	}
	if err := appendAudit(ctx, tx, actor, auditEntry{action: action, objectType: "network", detail: detail}); err != nil {
		return nil, err
	}
	return net, tx.Commit()
}

// networkFilterText says which cases the filters keep, for the audit trail.
func networkFilterText(q tropic.NetworkQuery) string {
	var parts []string
	if !q.From.IsZero() {
		parts = append(parts, "opened from "+q.From.Format(time.DateOnly))
	}
	if !q.To.IsZero() {
		parts = append(parts, "opened to "+q.To.Format(time.DateOnly))
	}
	if q.District != "" {
		parts = append(parts, "in "+q.District)
	}
	if q.Exploitation != "" {
		parts = append(parts, "of "+string(q.Exploitation)+" exploitation")
	}
	return strings.Join(parts, ", ")
}

// pseudonymKey returns the database's pseudonym secret, made at random on first use.
func pseudonymKey(ctx context.Context, tx *Tx) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING`, pseudonymSetting, hex.EncodeToString(fresh)); err != nil {
		return nil, fmt.Errorf("make pseudonym key: %w", err)
	}
	var v string
	if err := tx.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, pseudonymSetting).Scan(&v); err != nil {
		return nil, fmt.Errorf("read pseudonym key: %w", err)
	}
	return hex.DecodeString(v)
}

// partnershipGraph is cases, people and shared identifiers, by row id or
// normalised value: what the analysts' network is drawn from, never shown as it is.
type partnershipGraph struct {
	nodes []graphNode
	index map[string]int // "case:12", "person:7", "phone:+447700900123"
	adj   [][]int
	why   map[[2]int]string // by (lower, higher) node
}

type graphNode struct {
	kind   string
	ident  string // the row id, or the identifier's normalised value
	heldBy string // for a case
	label  string // for a business, its name as first typed

	// In a search: steps from the record searched for, whether its neighbours
	// were read, and whether it is the record searched for.
	steps          int
	expanded       bool
	root           bool
	opened, closed time.Time // a case's
}

func newPartnershipGraph() *partnershipGraph {
	return &partnershipGraph{index: map[string]int{}, why: map[[2]int]string{}}
}

func (g *partnershipGraph) node(kind, ident string) int {
	k := kind + ":" + ident
	if i, ok := g.index[k]; ok {
		return i
	}
	g.index[k] = len(g.nodes)
	g.nodes = append(g.nodes, graphNode{kind: kind, ident: ident, steps: -1})
	g.adj = append(g.adj, nil)
	return len(g.nodes) - 1
}

func (g *partnershipGraph) has(kind, ident string) bool {
	_, ok := g.index[kind+":"+ident]
	return ok
}

func (g *partnershipGraph) link(a, b int, why string) {
	e := [2]int{min(a, b), max(a, b)}
	if a == b || g.why[e] != "" {
		return
	}
	g.why[e] = why
	g.adj[a], g.adj[b] = append(g.adj[a], b), append(g.adj[b], a)
}

// pseudonyms are the nodes' pseudonyms under key.
func (g *partnershipGraph) pseudonyms(key []byte) []string {
	names := make([]string, len(g.nodes))
	for i, n := range g.nodes {
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(n.kind + ":" + n.ident))
		names[i] = hex.EncodeToString(mac.Sum(nil))[:16]
	}
	return names
}

// networkNode is node i as the analyst sees it: named when it is a business or a
// place, otherwise its kind and pseudonym.
func (g *partnershipGraph) networkNode(i int, names []string) tropic.NetworkNode {
	gn := g.nodes[i]
	n := tropic.NetworkNode{Key: gn.kind + ":" + names[i], Kind: gn.kind, Label: nodeKindNames[gn.kind] + " " + strings.ToUpper(names[i][:6])}
	if tropic.PartnershipNetworkNames(gn.kind) {
		n.Label = cmp.Or(gn.label, gn.ident)
	}
	if gn.kind == "case" {
		n.HeldBy = gn.heldBy
	}
	return n
}

// edges are the network's edges among the nodes shown, from the case to the
// person, from the person to the phone, in a stable order.
func (g *partnershipGraph) edges(shown func(int) bool, names []string) []tropic.NetworkEdge {
	var out []tropic.NetworkEdge
	for e, why := range g.why {
		if shown(e[0]) && shown(e[1]) {
			a, b := g.nodes[e[0]], g.nodes[e[1]]
			from, to := a.kind+":"+names[e[0]], b.kind+":"+names[e[1]]
			if slices.Index(nodeKinds, b.kind) < slices.Index(nodeKinds, a.kind) {
				from, to = to, from
			}
			out = append(out, tropic.NetworkEdge{From: from, To: to, Why: why})
		}
	}
	slices.SortFunc(out, func(a, b tropic.NetworkEdge) int {
		return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.To, b.To))
	})
	return out
}

// readPartnershipGraph reads the whole graph of the cases q's filters keep in one
// read transaction, one query per relation. Filtered, a person is kept only when
// on a case kept.
func readPartnershipGraph(ctx context.Context, db *DB, q tropic.NetworkQuery, zone *time.Location) (*partnershipGraph, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	g := newPartnershipGraph()
	id := func(v int64) string { return strconv.FormatInt(v, 10) }
	read := func(query string, each func(a int64, b string)) error {
		rows, err := tx.Query(ctx, query)
		if err != nil {
			return fmt.Errorf("read partnership network: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var a int64
			var b string
			if err := rows.Scan(&a, &b); err != nil {
				return err
			}
			each(a, b)
		}
		return rows.Err()
	}
	kept := func(c int64) bool { return g.has("case", id(c)) }
	person := func(p string) bool { return !q.Filtered() || g.has("person", p) }
	rows, err := tx.Query(ctx, `SELECT c.id, a.name, c.opened_at, c.district, c.exploitation FROM cases c JOIN agencies a ON a.id = c.owner_agency_id ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("read partnership network: %w", err)
	}
	for rows.Next() {
		var c int64
		var agency, district, exploitation string
		var opened time.Time
		if err := rows.Scan(&c, &agency, &opened, &district, &exploitation); err != nil {
			rows.Close()
			return nil, err
		}
		if q.IncludesCase(opened.In(zone), district, exploitation) {
			g.nodes[g.node("case", id(c))].heldBy = agency
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := read(`SELECT cp.case_id, CAST(cp.person_id AS TEXT) FROM case_people cp JOIN people p ON p.id = cp.person_id
		WHERE p.merged_into IS NULL ORDER BY cp.id`, func(c int64, p string) {
		if kept(c) {
			g.link(g.node("case", id(c)), g.node("person", p), "on the case")
		}
	}); err != nil {
		return nil, err
	}
	for _, cq := range caseIdentifierQueries {
		why := identifierNouns[cq.kind] + " on the case"
		if err := read(`SELECT case_id, `+cq.norm+` FROM `+cq.table+` WHERE `+cq.norm+` <> '' ORDER BY id`, func(c int64, v string) {
			if kept(c) {
				g.link(g.node("case", id(c)), g.node(nodeKind(cq.kind), v), why)
			}
		}); err != nil {
			return nil, err
		}
	}
	for _, pq := range []struct {
		kind tropic.LinkKind
		sql  string
	}{
		{tropic.LinkPhone, `SELECT id, phone_e164 FROM people WHERE phone_e164 <> '' AND merged_into IS NULL ORDER BY id`},
		{tropic.LinkEmail, `SELECT id, email_norm FROM people WHERE email_norm <> '' AND merged_into IS NULL ORDER BY id`},
	} {
		why := identifierNouns[pq.kind] + " of the person"
		if err := read(pq.sql, func(p int64, v string) {
			if person(id(p)) {
				g.link(g.node("person", id(p)), g.node(nodeKind(pq.kind), v), why)
			}
		}); err != nil {
			return nil, err
		}
	}
	// A record merged away since it was linked stands for its survivor.
	if err := read(`SELECT COALESCE(pa.merged_into, pa.id), CAST(COALESCE(pb.merged_into, pb.id) AS TEXT) FROM person_matches m
		JOIN people pa ON pa.id = m.person_a JOIN people pb ON pb.id = m.person_b WHERE m.status = 'linked' ORDER BY m.id`, func(a int64, b string) {
		if person(id(a)) && person(b) {
			g.link(g.node("person", id(a)), g.node("person", b), "linked person")
		}
	}); err != nil {
		return nil, err
	}
	if err := g.readBusinessNames(ctx, tx); err != nil {
		return nil, err
	}
	return g, nil
}

// caseIdentifierQueries are the tables of the identifiers recorded on cases: the
// value as typed and normalised.
var caseIdentifierQueries = []struct {
	kind               tropic.LinkKind
	table, typed, norm string
}{
	{tropic.LinkPhone, "case_phones", "number", "e164"},
	{tropic.LinkVehicle, "case_vehicles", "registration", "normalised"},
	{tropic.LinkPostcode, "case_places", "postcode", "postcode"},
	{tropic.LinkBusiness, "case_businesses", "name", "name_folded"},
}

// readBusinessNames names the graph's businesses as first typed on a case.
func (g *partnershipGraph) readBusinessNames(ctx context.Context, tx *Tx) error {
	rows, err := tx.Query(ctx, `SELECT name_folded, name FROM case_businesses WHERE name_folded <> '' ORDER BY id`)
	if err != nil {
		return fmt.Errorf("read business names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var folded, name string
		if err := rows.Scan(&folded, &name); err != nil {
			return err
		}
		if i, ok := g.index["business:"+folded]; ok && g.nodes[i].label == "" {
			g.nodes[i].label = name
		}
	}
	return rows.Err()
}

// draw returns the pseudonymised network of the groups of two cases or more, the
// largest first, up to limit nodes; and how many groups and cases it shows.
func (g *partnershipGraph) draw(names []string, limit int) (*tropic.Network, int, int) {
	// An identifier on one record alone links nothing.
	alive := func(i int) bool {
		switch g.nodes[i].kind {
		case "case", "person":
			return true
		}
		return len(g.adj[i]) >= 2
	}
	type group struct {
		nodes []int
		cases int
		first string // the least pseudonym, to order equal groups
	}
	var groups []group
	done := make([]bool, len(g.nodes))
	for start := range g.nodes {
		if done[start] || !alive(start) {
			continue
		}
		gr := group{first: names[start]}
		done[start] = true
		for queue := []int{start}; len(queue) > 0; queue = queue[1:] {
			n := queue[0]
			gr.nodes = append(gr.nodes, n)
			if g.nodes[n].kind == "case" {
				gr.cases++
			}
			gr.first = min(gr.first, names[n])
			for _, m := range g.adj[n] {
				if !done[m] && alive(m) {
					done[m] = true
					queue = append(queue, m)
				}
			}
		}
		if gr.cases >= 2 {
			groups = append(groups, gr)
		}
	}
	slices.SortFunc(groups, func(a, b group) int {
		return cmp.Or(cmp.Compare(b.cases, a.cases), cmp.Compare(len(b.nodes), len(a.nodes)), strings.Compare(a.first, b.first))
	})

	net := &tropic.Network{}
	shown := map[int]bool{}
	var shownGroups, shownCases int
	for _, gr := range groups {
		nodes := gr.nodes
		if len(shown)+len(nodes) > limit {
			net.Truncated = true
			if len(shown) > 0 {
				break
			}
			nodes = g.around(gr.nodes, names, alive, limit)
		}
		shownGroups++
		var drawn []tropic.NetworkNode
		for _, n := range nodes {
			shown[n] = true
			if g.nodes[n].kind == "case" {
				shownCases++
			}
			drawn = append(drawn, g.networkNode(n, names))
		}
		slices.SortStableFunc(drawn, compareNetworkNodes)
		net.Nodes = append(net.Nodes, drawn...)
		if net.Truncated {
			break
		}
	}
	net.Edges = g.edges(func(i int) bool { return shown[i] }, names)
	return net, shownGroups, shownCases
}

// around picks limit nodes of a group too large to show whole, outward from its
// most connected case: first the records and identifiers that join two or more
// others (the shape of the group), then, while there is room, what hangs from them.
func (g *partnershipGraph) around(group []int, names []string, alive func(int) bool, limit int) []int {
	degree := func(n int) int {
		d := 0
		for _, m := range g.adj[n] {
			if alive(m) {
				d++
			}
		}
		return d
	}
	start := -1
	for _, n := range group {
		if g.nodes[n].kind != "case" {
			continue
		}
		if start < 0 || degree(n) > degree(start) || (degree(n) == degree(start) && names[n] < names[start]) {
			start = n
		}
	}
	seen := map[int]bool{start: true}
	out := []int{start}
	for _, joins := range []bool{true, false} {
		for i := 0; i < len(out) && len(out) < limit; i++ {
			next := slices.Clone(g.adj[out[i]])
			slices.SortFunc(next, func(a, b int) int { return strings.Compare(names[a], names[b]) })
			for _, m := range next {
				if len(out) >= limit {
					break
				}
				if !seen[m] && alive(m) && (!joins || degree(m) >= 2) {
					seen[m] = true
					out = append(out, m)
				}
			}
		}
	}
	return out
}
