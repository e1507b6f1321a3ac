package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// The network pages: a case's connections to other records through shared phones,
// vehicles, places, businesses, e-mail addresses and linked people, drawn on the
// server (network_svg.go) with a table of the same beneath; and, for analysts, the
// partnership's network, pseudonymised, one drawing per connected group.

// Network sizes. The walk from a case reads up to caseWalkLimit records and the
// drawing shows up to caseNetworkLimit nodes, nearest the case first, once leaves
// are collapsed (thirty reports behind one business are one node). The analysts'
// view reads up to analystNetworkLimit records over all its groups and draws the
// analystGroups largest, each cut down to analystGroupLimit nodes. The page starts
// one step from the case, where the API's default is two.
const (
	caseWalkLimit       = 150
	caseNetworkLimit    = 60
	analystNetworkLimit = 300
	analystGroups       = 5
	analystGroupLimit   = 60
	pageNetworkDepth    = 1
	defaultNetworkDepth = 2
	maxNetworkDepth     = 3
)

type networkPage struct {
	Layout
	Heading   string
	Caption   string
	Intro     string
	Back      string
	BackText  string
	Reference string // the case, for the case network
	Depth     int
	Depths    []selectOption
	Truncated string // what to say when the walk stopped early
	Empty     string // what to say when there is nothing to draw
	Groups    string // the analysts' view: how many groups there are, how many shown
	Drawings  []networkDrawing
	Analyst   bool

	// The analysts' search: the form as typed, its choices, what it found and
	// the exports of the same.
	Form          networkForm
	SearchBy      []selectOption
	Districts     []selectOption
	Exploitations []selectOption
	Searched      bool
	Found         []searchRow
	FoundEdges    []searchEdgeRow
	Timeline      []timelineRow
	CSV, GraphML  string
}

// networkDepth reads ?depth= as 1 to 3; anything else is the page's default.
func networkDepth(r *http.Request) int {
	d, err := strconv.Atoi(strings.TrimSpace(r.URL.Query().Get("depth")))
	if err != nil || d < 1 || d > maxNetworkDepth {
		return pageNetworkDepth
	}
	return d
}

// handleCaseNetwork draws the network around a case, as far as the user may see it.
func (s *Server) handleCaseNetwork() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := caseRefFrom(r)
		if !ok || s.deps.Matches == nil {
			s.notFound(w, r)
			return
		}
		depth := networkDepth(r)
		nw, err := s.deps.Matches.CaseNetwork(r.Context(), actorOf(r), ref, depth, caseWalkLimit)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &networkPage{
			Layout:    s.newLayout(r, "Network of case "+ref),
			Heading:   "How this case connects to other records",
			Caption:   "Case " + ref,
			Back:      casePath(ref),
			BackText:  "Back to the case",
			Reference: ref,
			Depth:     depth,
			Intro: "People, phones, vehicles, places, businesses and other records joined to this case through the same identifiers or through people linked as the same person. " +
				"A record you may not see is drawn too, saying only which agency holds it: contact them. Select a record to open it, or to search the cases for a phone, vehicle or place.",
		}
		p.Nav = "cases"
		for d := 1; d <= maxNetworkDepth; d++ {
			label := fmt.Sprintf("%d steps from the case", d)
			if d == 1 {
				label = "1 step from the case"
			}
			p.Depths = append(p.Depths, selectOption{Value: strconv.Itoa(d), Label: label, Selected: d == depth})
		}
		v := collapseLeaves(nw.Nodes, nw.Edges, false)
		root := slices.IndexFunc(v.Nodes, func(n netNode) bool { return n.Root })
		v, cut := v.nearest(caseNetworkLimit, root)
		if nw.Truncated || cut {
			p.Truncated = "The network is larger than this: the drawing shows the records nearest the case."
			if depth > 1 {
				p.Truncated += " Choose fewer steps to see less at a time."
			}
		}
		if !v.reachesOutside() {
			p.Empty = "Nothing else connects to this case through its people, phones, vehicles, places or businesses."
		}
		p.Drawings = []networkDrawing{drawView("network", "Network of case "+ref, v, caseNetworkLink(p.ShowTriage), false)}
		s.render(w, r, http.StatusOK, "network", p)
	})
}

// canSeeAnalystNetwork says whether u may see the partnership's pseudonymised network.
func canSeeAnalystNetwork(u *tropic.User) bool {
	return u != nil && tropic.MaySeePartnershipNetwork(tropic.ActorFor(u)) == nil
}

// requireNetworkAnalyst answers as a missing page to anyone but analysts.
func (s *Server) requireNetworkAnalyst(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !canSeeAnalystNetwork(userFrom(r.Context())) || s.deps.Matches == nil {
			s.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// handleAnalystNetwork draws the partnership's network for an analyst: with a
// search, the records near the one searched for (network_search.go); without, each
// connected group on its own, the largest first; among the cases the filters keep.
// Businesses and places are named, everything else is a kind, a holding agency
// and a pseudonym.
func (s *Server) handleAnalystNetwork() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &networkPage{
			Layout:   s.newLayout(r, "Network of records"),
			Heading:  "Network of records",
			Caption:  "Analysis",
			Back:     "/staff",
			BackText: "Back to the staff home",
			Analyst:  true,
			Intro: "Cases, people and identifiers across the partnership that are joined through the same phone, vehicle, place, business or e-mail address, or through people linked as the same person. " +
				"Businesses and places are named. People, cases, phones, vehicles and e-mail addresses are not: each has a pseudonym that stays the same from one visit to the next, with the kind of record and, for a case, the agency that holds it.",
		}
		p.Nav = "network"
		p.Form = readNetworkForm(r.URL.Query())
		districts, err := s.networkSearchOptions(r, p, p.Form)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		q, err := readNetworkQuery(r.URL.Query(), districts)
		var nw *tropic.Network
		if err == nil {
			nw, err = s.deps.Matches.AnalystNetwork(r.Context(), actorOf(r), q, analystNetworkLimit)
		}
		if err != nil {
			if tropic.ErrorCode(err) != tropic.EINVALID {
				s.fail(w, r, err)
				return
			}
			p.Errors = fieldErrors(err, "", networkFormFields...)
			s.render(w, r, http.StatusUnprocessableEntity, "network", p)
			return
		}
		p.CSV, p.GraphML = p.Form.href("csv"), p.Form.href("graphml")
		if q.Search != "" {
			showSearch(p, nw, q, p.Form)
			s.render(w, r, http.StatusOK, "network", p)
			return
		}
		var groups [][]int
		for _, g := range networkGroups(nw) {
			if len(g) >= 2 { // a record joined to nothing is not part of a network
				groups = append(groups, g)
			}
		}
		p.Groups = analystGroupsText(len(groups), nw.Truncated)
		for i, g := range groups[:min(len(groups), analystGroups)] {
			nodes, edges := networkSubset(nw, g)
			v := collapseLeaves(nodes, edges, true)
			all := v.records()
			v, cut := v.nearest(analystGroupLimit, v.mostConnected())
			n := strconv.Itoa(i + 1)
			d := drawView("group-"+n, "Group "+n, v, nil, true)
			d.Heading = "Group " + n + ": " + networkSummary(len(nodes), len(edges))
			d.Lead = analystGroupLead(nodes)
			if cut {
				d.Note = fmt.Sprintf("The drawing and the tables show the %d records nearest the group’s most connected record, of its %d. To work outward from one record, search for it.", v.records(), all)
			}
			p.Drawings = append(p.Drawings, d)
		}
		if len(p.Drawings) == 0 {
			p.Empty = "No records are connected to each other yet."
			if q.Filtered() {
				p.Empty = "No cases the filters keep are connected to each other."
			}
		}
		s.render(w, r, http.StatusOK, "network", p)
	})
}

// networkSubset is the nodes of a group, in the network's order, with the edges among them.
func networkSubset(nw *tropic.Network, group []int) ([]tropic.NetworkNode, []tropic.NetworkEdge) {
	in := map[string]bool{}
	nodes := make([]tropic.NetworkNode, 0, len(group))
	for _, i := range group {
		nodes = append(nodes, nw.Nodes[i])
		in[nw.Nodes[i].Key] = true
	}
	var edges []tropic.NetworkEdge
	for _, e := range nw.Edges {
		if in[e.From] && in[e.To] {
			edges = append(edges, e)
		}
	}
	return nodes, edges
}

// analystGroupsText says how many groups of connected records there are, and how
// many the page shows. When the store stopped reading at its limit, there may be
// more than it read.
func analystGroupsText(groups int, truncated bool) string {
	shown := min(groups, analystGroups)
	var out string
	switch {
	case groups == 0:
		return ""
	case groups == 1:
		out = "The records read form 1 group of connected records."
	case groups == shown:
		out = fmt.Sprintf("The records read form %d groups of connected records, shown the largest first.", groups)
	default:
		out = fmt.Sprintf("The records read form %d groups of connected records: the %d largest are shown.", groups, shown)
	}
	if truncated {
		out += fmt.Sprintf(" There may be more: Tropic reads up to %d records, the largest groups first.", analystNetworkLimit)
	}
	return out
}

// analystGroupLead sums a group up: "41 cases, 120 people and 3 phone numbers; cases
// held by A and B".
func analystGroupLead(nodes []tropic.NetworkNode) string {
	count := map[string]int{}
	agencies := map[string]bool{}
	for _, n := range nodes {
		count[n.Kind]++
		if n.Kind == "case" && n.HeldBy != "" {
			agencies[n.HeldBy] = true
		}
	}
	var parts []string
	for _, k := range networkKinds {
		if count[k.Kind] > 0 {
			parts = append(parts, networkKindCount(count[k.Kind], k.Kind))
		}
	}
	out := joinAnd(parts)
	if len(agencies) > 0 {
		var names []string
		for a := range agencies {
			names = append(names, a)
		}
		slices.Sort(names)
		out += "; cases held by " + joinAnd(names)
	}
	return capitalise(out) + "."
}

// joinAnd joins words as a sentence does: "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
