package web

import (
	"slices"
	"strings"

	"tropic/internal/tropic"
)

// A network as it is drawn: records of one kind and holder hanging from the same
// record alone collapsed into one node, and a network too large to read cut down
// to the part nearest the record it is drawn from.

// netNode is a node as drawn: one record, or Count records of one kind and holder
// that hang from the same record and nothing else, collapsed into one.
type netNode struct {
	tropic.NetworkNode
	Count   int                  // the records it stands for: 1, or more when collapsed
	Members []tropic.NetworkNode // the records collapsed into it
}

// netEdge is a connection as drawn; Count is the connections it stands for.
type netEdge struct {
	From, To, Why string
	Count         int
}

// networkView is a network ready to draw: leaves collapsed, and perhaps cut down to
// the part nearest one record.
type networkView struct {
	Nodes []netNode
	Edges []netEdge
}

// records counts the records the view stands for.
func (v networkView) records() int {
	n := 0
	for _, x := range v.Nodes {
		n += x.Count
	}
	return n
}

// connections counts the connections the view stands for.
func (v networkView) connections() int {
	n := 0
	for _, e := range v.Edges {
		n += e.Count
	}
	return n
}

// collapseAbove is how many leaves of one kind and holder on the same record are
// still drawn one by one; more are drawn as one node.
const collapseAbove = 3

// collapseLeaves draws as one node the records of one kind and holder that hang
// from the same record and are joined to nothing else, when there are more than
// collapseAbove of them: records the user may not see, and reports (which the
// triage hub holds by the dozen); in the analysts' view every record, since none
// is named. The root, and records joined to more than one other, are never
// collapsed. Edges to nodes not in nodes are left out.
func collapseLeaves(nodes []tropic.NetworkNode, edges []tropic.NetworkEdge, pseudonyms bool) networkView {
	index := make(map[string]int, len(nodes))
	for i, n := range nodes {
		index[n.Key] = i
	}
	nbrs := make([]map[int]bool, len(nodes))
	for _, e := range edges {
		i, ok1 := index[e.From]
		j, ok2 := index[e.To]
		if !ok1 || !ok2 || i == j {
			continue
		}
		for _, p := range [][2]int{{i, j}, {j, i}} {
			if nbrs[p[0]] == nil {
				nbrs[p[0]] = map[int]bool{}
			}
			nbrs[p[0]][p[1]] = true
		}
	}
	type leafKey struct {
		parent       int
		kind, heldBy string
		visible      bool
	}
	leaves := map[leafKey][]int{}
	for i, n := range nodes {
		if n.Root || len(nbrs[i]) != 1 || !(pseudonyms || !n.Visible || n.Kind == "report") {
			continue
		}
		for p := range nbrs[i] {
			k := leafKey{p, n.Kind, n.HeldBy, n.Visible}
			leaves[k] = append(leaves[k], i)
		}
	}
	first := make([]int, len(nodes)) // the first member of the node's collapsed group, or -1
	for i := range first {
		first[i] = -1
	}
	for _, ms := range leaves {
		if len(ms) > collapseAbove {
			for _, m := range ms {
				first[m] = ms[0] // members are in the order of nodes
			}
		}
	}
	var v networkView
	keyOf := make([]string, len(nodes))
	at := map[int]int{} // first member: position in v.Nodes
	for i, n := range nodes {
		switch f := first[i]; {
		case f < 0:
			keyOf[i] = n.Key
			v.Nodes = append(v.Nodes, netNode{NetworkNode: n, Count: 1})
		case f == i:
			keyOf[i] = "leaves:" + n.Key
			at[i] = len(v.Nodes)
			v.Nodes = append(v.Nodes, netNode{NetworkNode: tropic.NetworkNode{
				Key: keyOf[i], Kind: n.Kind, Visible: n.Visible, HeldBy: n.HeldBy,
			}})
			fallthrough
		default:
			keyOf[i] = keyOf[f]
			c := &v.Nodes[at[f]]
			c.Count++
			c.Members = append(c.Members, n)
		}
	}
	for i := range v.Nodes {
		if c := &v.Nodes[i]; len(c.Members) > 0 {
			c.Label = networkKindCount(c.Count, c.Kind)
			if c.HeldBy != "" {
				c.Label += " held by " + c.HeldBy
			}
		}
	}
	seen := map[[2]string]int{}
	for _, e := range edges {
		i, ok1 := index[e.From]
		j, ok2 := index[e.To]
		if !ok1 || !ok2 {
			continue
		}
		k := [2]string{keyOf[i], keyOf[j]}
		if at, ok := seen[k]; ok {
			d := &v.Edges[at]
			d.Count++
			if !slices.Contains(strings.Split(d.Why, " or "), e.Why) {
				d.Why += " or " + e.Why
			}
			continue
		}
		seen[k] = len(v.Edges)
		v.Edges = append(v.Edges, netEdge{From: k[0], To: k[1], Why: e.Why, Count: 1})
	}
	return v
}

// nearest cuts the view down to the limit nodes nearest node start, in steps
// outward from it (nodes not joined to it at all are left out), keeping the order
// of the nodes; it says whether anything was left out.
func (v networkView) nearest(limit, start int) (networkView, bool) {
	if len(v.Nodes) <= limit || start < 0 || start >= len(v.Nodes) {
		return v, false
	}
	index := make(map[string]int, len(v.Nodes))
	for i, n := range v.Nodes {
		index[n.Key] = i
	}
	adj := make([][]int, len(v.Nodes))
	for _, e := range v.Edges {
		i, j := index[e.From], index[e.To]
		adj[i], adj[j] = append(adj[i], j), append(adj[j], i)
	}
	keep := make([]bool, len(v.Nodes))
	keep[start] = true
	kept := 1
	for queue := []int{start}; len(queue) > 0 && kept < limit; queue = queue[1:] {
		for _, m := range adj[queue[0]] {
			if !keep[m] && kept < limit {
				keep[m] = true
				kept++
				queue = append(queue, m)
			}
		}
	}
	var out networkView
	for i, n := range v.Nodes {
		if keep[i] {
			out.Nodes = append(out.Nodes, n)
		}
	}
	for _, e := range v.Edges {
		if keep[index[e.From]] && keep[index[e.To]] {
			out.Edges = append(out.Edges, e)
		}
	}
	return out, true
}

// mostConnected is the node joined to the most others, the first of equals.
func (v networkView) mostConnected() int {
	degree := map[string]int{}
	for _, e := range v.Edges {
		degree[e.From]++
		degree[e.To]++
	}
	best := 0
	for i, n := range v.Nodes {
		if degree[n.Key] > degree[v.Nodes[best].Key] {
			best = i
		}
	}
	return best
}

// reachesOutside says whether anything beyond the root's own people and
// identifiers is in the view: another case or report, or a person linked as the
// same person.
func (v networkView) reachesOutside() bool {
	for _, n := range v.Nodes {
		if !n.Root && (n.Kind == "case" || n.Kind == "report") {
			return true
		}
	}
	for _, e := range v.Edges {
		if strings.Contains(e.Why, "linked person") {
			return true
		}
	}
	return false
}
