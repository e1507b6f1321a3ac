package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"tropic/internal/tropic"
)

// The network pages: a case's connections to other records through shared phones,
// vehicles, places, businesses, e-mail addresses and linked people, drawn on the
// server (network_svg.go) with a table of the same beneath; and, for analysts, the
// partnership's network, pseudonymised, one drawing per connected group.

// Network sizes: the walk from a case stops at caseNetworkLimit records; the
// analysts' view at analystNetworkLimit over all its groups.
const (
	caseNetworkLimit    = 60
	analystNetworkLimit = 300
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
	Depths    []triageOption
	Truncated string // what to say when the walk stopped early
	Empty     string // what to say when there is nothing to draw
	Drawings  []networkDrawing
	Analyst   bool
}

// networkDepth reads ?depth= as 1 to 3; anything else is the default.
func networkDepth(r *http.Request) int {
	d, err := strconv.Atoi(strings.TrimSpace(r.URL.Query().Get("depth")))
	if err != nil || d < 1 || d > maxNetworkDepth {
		return defaultNetworkDepth
	}
	return d
}

// handleCaseNetwork draws the network around a case, as far as the user may see it.
func (s *Server) handleCaseNetwork() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := caseRefFrom(r)
		if !ok || s.deps.Matches == nil {
			s.caseNotFound(w, r)
			return
		}
		depth := networkDepth(r)
		nw, err := s.deps.Matches.CaseNetwork(r.Context(), actorOf(r), ref, depth, caseNetworkLimit)
		if err != nil {
			s.caseFail(w, r, err)
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
			p.Depths = append(p.Depths, triageOption{Value: strconv.Itoa(d), Label: label, Selected: d == depth})
		}
		if nw.Truncated {
			p.Truncated = fmt.Sprintf("The network is larger than this: the drawing stops at %d records. Choose fewer steps to see the nearest ones.", caseNetworkLimit)
		}
		if len(nw.Edges) == 0 {
			p.Empty = "Nothing else is connected to this case yet: no other record shares its people, phones, vehicles, places or businesses."
		}
		p.Drawings = []networkDrawing{drawNetwork("network", "Network of case "+ref, nw.Nodes, nw.Edges, caseNetworkLink(p.ShowTriage), false)}
		s.render(w, r, http.StatusOK, "network", p)
	})
}

// canSeeAnalystNetwork says whether u may see the partnership's pseudonymised network.
func canSeeAnalystNetwork(u *tropic.User) bool { return u != nil && u.Has(tropic.RoleAnalyst) }

// requireNetworkAnalyst answers as a missing page to anyone but analysts.
func (s *Server) requireNetworkAnalyst(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !canSeeAnalystNetwork(userFrom(r.Context())) || s.deps.Matches == nil {
			s.triageNotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// handleAnalystNetwork draws the partnership's network for an analyst: kinds,
// holding agencies and pseudonyms only, each connected group on its own, the
// largest first.
func (s *Server) handleAnalystNetwork() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nw, err := s.deps.Matches.AnalystNetwork(r.Context(), actorOf(r), analystNetworkLimit)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := &networkPage{
			Layout:   s.newLayout(r, "Network of records"),
			Heading:  "Network of records",
			Caption:  "Analysis",
			Back:     "/staff",
			BackText: "Back to the staff home",
			Analyst:  true,
			Intro: "Cases, reports, people and identifiers across the partnership that are joined through the same phone, vehicle, place, business or e-mail address, or through people linked as the same person. " +
				"Nothing here names anyone: each record has a pseudonym that stays the same from one visit to the next, with the kind of record and the agency that holds it.",
		}
		p.Nav = "network"
		if nw.Truncated {
			p.Truncated = fmt.Sprintf("The partnership’s network is larger than this: the largest groups are shown, up to %d records.", analystNetworkLimit)
		}
		groups := networkGroups(nw)
		for _, g := range groups {
			if len(g) < 2 {
				continue // a record joined to nothing is not part of a network
			}
			nodes, edges := networkSubset(nw, g)
			n := len(p.Drawings) + 1
			p.Drawings = append(p.Drawings, drawNetwork("group-"+strconv.Itoa(n), fmt.Sprintf("Group %d", n), nodes, edges, nil, true))
		}
		if len(p.Drawings) == 0 {
			p.Empty = "No records are connected to each other yet."
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
