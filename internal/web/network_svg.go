package web

import (
	"fmt"
	"html/template"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"

	"tropic/internal/tropic"
)

// Networks drawn on the server: a force-directed layout (Fruchterman and Reingold,
// 1991) with a fixed seed and a fixed number of steps, so that the same network is
// always drawn the same way, as SVG that needs no JavaScript. Each node is a shape
// for its kind with its kind and label written beneath (never colour alone); a node
// the user may open is an SVG link, reached by keyboard; a node the user may not see
// is drawn dashed and says only who holds it. The table beneath every drawing says
// the same in words.

// Layout constants: the same network always gets the same picture.
const (
	layoutSeed       = 20070925 // any fixed number
	layoutIterations = 300
	networkWidth     = 760.0
	nodeRadius       = 16.0
	labelMaxRunes    = 24
)

// networkMargin keeps the nodes clear of the drawing's sides: room for half a label
// either side, and for the two lines of it beneath.
var networkMargin = point{X: 100, Y: 50}

// point is a position in the drawing.
type point struct{ X, Y float64 }

// layoutNetwork places n nodes joined by edges (pairs of indexes) in a w×h box,
// margin clear of its sides. Node i starts at a position drawn from a generator
// with a fixed seed; then each step pushes every pair apart (k²/d), pulls joined
// nodes together (d²/k) and a little towards the centre, moving each node no
// further than the temperature, which falls to nothing over the fixed steps.
// Finally the picture is scaled, the same in both directions, to fill the box.
func layoutNetwork(n int, edges [][2]int, w, h float64, margin point) []point {
	pos := make([]point, n)
	if n == 0 {
		return pos
	}
	cx, cy := w/2, h/2
	if n == 1 {
		pos[0] = point{cx, cy}
		return pos
	}
	rng := rand.New(rand.NewPCG(layoutSeed, layoutSeed))
	for i := range pos {
		pos[i] = point{rng.Float64() * w, rng.Float64() * h}
	}
	k := math.Sqrt(w * h / float64(n))
	t0 := w / 10
	disp := make([]point, n)
	for it := range layoutIterations {
		clear(disp)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				dx, dy := pos[i].X-pos[j].X, pos[i].Y-pos[j].Y
				d := math.Hypot(dx, dy)
				if d < 0.01 { // on top of each other: part them along a fixed direction
					dx, dy, d = 0.01, 0.01*float64(1+(i+j)%3), 0.01*math.Sqrt(1+float64((1+(i+j)%3)*(1+(i+j)%3)))
				}
				f := k * k / d
				disp[i].X += dx / d * f
				disp[i].Y += dy / d * f
				disp[j].X -= dx / d * f
				disp[j].Y -= dy / d * f
			}
		}
		for _, e := range edges {
			i, j := e[0], e[1]
			if i == j {
				continue
			}
			dx, dy := pos[i].X-pos[j].X, pos[i].Y-pos[j].Y
			d := math.Hypot(dx, dy)
			if d < 0.01 {
				continue
			}
			f := d * d / k
			disp[i].X -= dx / d * f
			disp[i].Y -= dy / d * f
			disp[j].X += dx / d * f
			disp[j].Y += dy / d * f
		}
		temp := t0 * (1 - float64(it)/layoutIterations)
		for i := range pos {
			// A gentle pull to the centre keeps loose parts from drifting to the sides.
			disp[i].X -= (pos[i].X - cx) * 0.05
			disp[i].Y -= (pos[i].Y - cy) * 0.05
			l := math.Hypot(disp[i].X, disp[i].Y)
			if l > 0 {
				step := math.Min(l, temp)
				pos[i].X += disp[i].X / l * step
				pos[i].Y += disp[i].Y / l * step
			}
		}
	}
	return separate(fitLayout(pos, w, h, margin), w, h, margin)
}

// minNodeGap is how far apart separate keeps the centres of two nodes.
const minNodeGap = 3 * nodeRadius

// separate pushes apart, a few times over, any two nodes closer than minNodeGap
// (a force-directed layout can leave two in a shallow pit together), each half
// the way, keeping them inside the margin.
func separate(pos []point, w, h float64, margin point) []point {
	for range 100 {
		moved := false
		for i := range pos {
			for j := i + 1; j < len(pos); j++ {
				dx, dy := pos[j].X-pos[i].X, pos[j].Y-pos[i].Y
				d := math.Hypot(dx, dy)
				if d >= minNodeGap {
					continue
				}
				if d < 0.01 {
					dx, dy, d = 1, 0, 1
				}
				push := (minNodeGap - d) / 2
				pos[i].X -= dx / d * push
				pos[i].Y -= dy / d * push
				pos[j].X += dx / d * push
				pos[j].Y += dy / d * push
				moved = true
			}
		}
		for i := range pos {
			pos[i].X = math.Min(w-margin.X, math.Max(margin.X, pos[i].X))
			pos[i].Y = math.Min(h-margin.Y, math.Max(margin.Y, pos[i].Y))
		}
		if !moved {
			break
		}
	}
	for i := range pos {
		pos[i] = point{math.Round(pos[i].X*10) / 10, math.Round(pos[i].Y*10) / 10}
	}
	return pos
}

// fitLayout scales and moves the positions, the same in both directions, so that
// they fill the box inside the margin, centred.
func fitLayout(pos []point, w, h float64, margin point) []point {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pos {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	bw, bh := maxX-minX, maxY-minY
	iw, ih := w-2*margin.X, h-2*margin.Y
	scale := math.Inf(1)
	if bw > 0 {
		scale = iw / bw
	}
	if bh > 0 {
		scale = math.Min(scale, ih/bh)
	}
	if math.IsInf(scale, 1) {
		scale = 1
	}
	ox := margin.X + (iw-bw*scale)/2
	oy := margin.Y + (ih-bh*scale)/2
	out := make([]point, len(pos))
	for i, p := range pos {
		out[i] = point{ox + (p.X-minX)*scale, oy + (p.Y-minY)*scale}
	}
	return out
}

// trimHeight takes the empty bands off the top and bottom of a drawing h high, when
// the layout came out wider than tall: the drawing is as high as its nodes need,
// and no lower than minNetworkHeight.
func trimHeight(pos []point, h float64, margin point) ([]point, float64) {
	if len(pos) == 0 {
		return pos, minNetworkHeight
	}
	minY, maxY := math.Inf(1), math.Inf(-1)
	for _, p := range pos {
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	nh := math.Min(h, math.Max(minNetworkHeight, math.Ceil(maxY-minY+2*margin.Y)))
	shift := margin.Y + (nh-2*margin.Y-(maxY-minY))/2 - minY
	out := make([]point, len(pos))
	for i, p := range pos {
		out[i] = point{p.X, math.Round((p.Y+shift)*10) / 10}
	}
	return out, nh
}

// minNetworkHeight is the least height of a drawing.
const minNetworkHeight = 220.0

// networkHeight is the drawing's height for n nodes: more nodes, more room.
func networkHeight(n int) float64 {
	return math.Min(720, 140+100*math.Ceil(math.Sqrt(float64(n))))
}

// networkKinds are the kinds of node, in the legend's order.
var networkKinds = []struct{ Kind, Label, Shape string }{
	{"case", "Case", "square"},
	{"report", "Report", "diamond"},
	{"person", "Person", "circle"},
	{"phone", "Phone number", "triangle"},
	{"vehicle", "Vehicle", "wide rounded box"},
	{"place", "Place", "house"},
	{"business", "Business", "hexagon"},
	{"email", "E-mail address", "envelope"},
}

// networkKindLabel names a kind of node: "Phone number".
func networkKindLabel(kind string) string {
	for _, k := range networkKinds {
		if k.Kind == kind {
			return k.Label
		}
	}
	if kind == "" {
		return "Record"
	}
	return strings.ToUpper(kind[:1]) + kind[1:]
}

// networkShape writes the shape of a kind of node centred on (x, y) with radius r.
func networkShape(b *strings.Builder, kind string, x, y, r float64) {
	poly := func(pts ...float64) {
		b.WriteString(`<polygon class="app-network__shape" points="`)
		for i := 0; i+1 < len(pts); i += 2 {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(b, "%.1f,%.1f", x+pts[i]*r, y+pts[i+1]*r)
		}
		b.WriteString(`"/>`)
	}
	switch kind {
	case "case":
		fmt.Fprintf(b, `<rect class="app-network__shape" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, x-r*0.9, y-r*0.9, r*1.8, r*1.8)
	case "report":
		poly(0, -1.2, 1.2, 0, 0, 1.2, -1.2, 0)
	case "phone":
		poly(0, -1.15, 1.1, 0.85, -1.1, 0.85)
	case "vehicle":
		fmt.Fprintf(b, `<rect class="app-network__shape" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="%.1f"/>`, x-r*1.35, y-r*0.7, r*2.7, r*1.4, r*0.5)
	case "place":
		poly(-1, 1, -1, -0.2, 0, -1.1, 1, -0.2, 1, 1)
	case "business":
		poly(-1.1, 0, -0.55, -0.95, 0.55, -0.95, 1.1, 0, 0.55, 0.95, -0.55, 0.95)
	case "email":
		fmt.Fprintf(b, `<rect class="app-network__shape" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, x-r*1.2, y-r*0.8, r*2.4, r*1.6)
		fmt.Fprintf(b, `<polyline class="app-network__mark" points="%.1f,%.1f %.1f,%.1f %.1f,%.1f"/>`, x-r*1.2, y-r*0.8, x, y+r*0.2, x+r*1.2, y-r*0.8)
	default: // person, and anything new
		fmt.Fprintf(b, `<circle class="app-network__shape" cx="%.1f" cy="%.1f" r="%.1f"/>`, x, y, r)
	}
}

// networkIcon is a kind's shape on its own, for the legend.
func networkIcon(kind string, hidden, root bool) template.HTML {
	var b strings.Builder
	cls := "app-network__node app-network__node--" + kind
	if hidden {
		cls += " app-network__node--hidden"
	}
	if root {
		cls += " app-network__node--root"
	}
	fmt.Fprintf(&b, `<svg class="app-network-legend__icon" viewBox="0 0 48 40" width="48" height="40" aria-hidden="true" focusable="false"><g class="%s">`, cls)
	networkShape(&b, kind, 24, 20, 13)
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String()) // numbers and fixed class names only
}

// networkNodeRow is a node in the table beneath the drawing.
type networkNodeRow struct {
	Kind    string // "Phone number"
	Label   string // what the user may see; for a hidden node, "Held by X"
	Name    string // the node in a sentence: "Phone number +44 7700 900123"
	Href    string // "" when there is nothing the user may open
	HeldBy  string
	Root    bool
	Visible bool
}

// networkEdgeRow is a connection in the table.
type networkEdgeRow struct {
	From, To, Why string
}

// networkLegendItem is one entry of the legend.
type networkLegendItem struct {
	Icon  template.HTML
	Label string
}

// networkDrawing is one network as a page shows it: the picture, a summary in
// words, the legend and the tables.
type networkDrawing struct {
	ID      string // unique on the page; the SVG's ids start with it
	Title   string // "Network of case C-…"
	Summary string // "12 records, 15 connections"
	HeldBy  []string
	SVG     template.HTML
	Legend  []networkLegendItem
	Nodes   []networkNodeRow
	Edges   []networkEdgeRow
}

// networkLinker gives the address a visible node opens, "" for none.
type networkLinker func(n tropic.NetworkNode) string

// nodeText is how the table and the drawing's title name a node.
func nodeText(n tropic.NetworkNode) string {
	if !n.Visible {
		if n.HeldBy == "" {
			return "Held by another agency"
		}
		return "Held by " + n.HeldBy
	}
	if n.Label == "" {
		return networkKindLabel(n.Kind)
	}
	return n.Label
}

// networkSummary is the count in words: "12 records, 15 connections".
func networkSummary(nodes, edges int) string {
	return plural(nodes, "record", "records") + ", " + plural(edges, "connection", "connections")
}

// truncateLabel shortens a label for the drawing; the full one is in its title and the table.
func truncateLabel(s string) string {
	r := []rune(s)
	if len(r) <= labelMaxRunes {
		return s
	}
	return strings.TrimSpace(string(r[:labelMaxRunes-1])) + "…"
}

// drawNetwork lays out and draws nodes and edges. Edges naming a node not in
// nodes are left out. link gives the address of each visible node; with
// pseudonyms, every node is labelled by its pseudonym and who holds it (the
// analysts' view), none hidden and none a link.
func drawNetwork(id, title string, nodes []tropic.NetworkNode, edges []tropic.NetworkEdge, link networkLinker, pseudonyms bool) networkDrawing {
	d := networkDrawing{ID: id, Title: title}
	index := make(map[string]int, len(nodes))
	for i, n := range nodes {
		index[n.Key] = i
	}
	var pairs [][2]int
	var kept []tropic.NetworkEdge
	for _, e := range edges {
		i, ok1 := index[e.From]
		j, ok2 := index[e.To]
		if !ok1 || !ok2 {
			continue
		}
		pairs = append(pairs, [2]int{i, j})
		kept = append(kept, e)
	}
	d.Summary = networkSummary(len(nodes), len(kept))

	// The table, and the legend of the kinds drawn.
	kinds := map[string]bool{}
	hidden, root := false, false
	held := map[string]bool{}
	for _, n := range nodes {
		row := networkNodeRow{Kind: networkKindLabel(n.Kind), Label: nodeText(n), HeldBy: n.HeldBy, Root: n.Root, Visible: n.Visible}
		switch {
		case pseudonyms:
			row.Visible, row.Label, row.Name = true, n.Label, n.Label
			if row.Label == "" {
				row.Label, row.Name = row.Kind, row.Kind
			}
			if n.HeldBy != "" {
				row.Name += ", held by " + n.HeldBy
			}
		case !n.Visible:
			row.Name = row.Kind + ", " + strings.ToLower(row.Label[:1]) + row.Label[1:]
		case n.Root:
			row.Name = row.Kind + " " + row.Label + " (this record)"
		default:
			row.Name = row.Kind + " " + row.Label
		}
		if n.Visible && link != nil && !pseudonyms {
			row.Href = link(n)
		}
		d.Nodes = append(d.Nodes, row)
		kinds[n.Kind] = true
		hidden = hidden || !row.Visible
		root = root || n.Root
		if n.HeldBy != "" {
			held[n.HeldBy] = true
		}
	}
	for _, e := range kept {
		d.Edges = append(d.Edges, networkEdgeRow{From: d.Nodes[index[e.From]].Name, To: d.Nodes[index[e.To]].Name, Why: e.Why})
	}
	for a := range held {
		d.HeldBy = append(d.HeldBy, a)
	}
	slices.Sort(d.HeldBy)
	for _, k := range networkKinds {
		if kinds[k.Kind] {
			d.Legend = append(d.Legend, networkLegendItem{Icon: networkIcon(k.Kind, false, false), Label: k.Label + " (" + k.Shape + ")"})
			delete(kinds, k.Kind)
		}
	}
	var other []string
	for k := range kinds {
		other = append(other, k)
	}
	slices.Sort(other)
	for _, k := range other {
		d.Legend = append(d.Legend, networkLegendItem{Icon: networkIcon(k, false, false), Label: networkKindLabel(k) + " (circle)"})
	}
	if root {
		d.Legend = append(d.Legend, networkLegendItem{Icon: networkIcon("case", false, true), Label: "The record this network is drawn from (thick outline)"})
	}
	if hidden {
		d.Legend = append(d.Legend, networkLegendItem{Icon: networkIcon("case", true, false), Label: "A record you may not see (dashed outline): it says who holds it, whom to contact"})
	}

	// The picture.
	pos, h := trimHeight(layoutNetwork(len(nodes), pairs, networkWidth, networkHeight(len(nodes)), networkMargin),
		networkHeight(len(nodes)), networkMargin)
	var b strings.Builder
	esc := template.HTMLEscapeString
	// A picture is an image; one holding links is a group, since an image's parts
	// are hidden from assistive technology and its links would be lost.
	role := "img"
	for _, row := range d.Nodes {
		if row.Href != "" {
			role = "group"
		}
	}
	fmt.Fprintf(&b, `<svg class="app-network" id="%s" viewBox="0 0 %.0f %.0f" width="100%%" role="%s" aria-labelledby="%s-title" aria-describedby="%s-desc" xmlns="http://www.w3.org/2000/svg">`,
		esc(id), networkWidth, h, role, esc(id), esc(id))
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s. The same records and connections are listed in the tables below.</desc>`,
		esc(id), esc(title), esc(id), esc(d.Summary))
	b.WriteString(`<g class="app-network__edges" aria-hidden="true">`)
	for _, p := range pairs {
		a, c := pos[p[0]], pos[p[1]]
		cls := "app-network__edge"
		if !d.Nodes[p[0]].Visible || !d.Nodes[p[1]].Visible {
			cls += " app-network__edge--hidden"
		}
		fmt.Fprintf(&b, `<line class="%s" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, cls, a.X, a.Y, c.X, c.Y)
	}
	b.WriteString(`</g>`)
	for i, n := range nodes {
		row := d.Nodes[i]
		p := pos[i]
		cls := "app-network__node app-network__node--" + esc(n.Kind)
		if !row.Visible {
			cls += " app-network__node--hidden"
		}
		if n.Root {
			cls += " app-network__node--root"
		}
		name := row.Name
		// A link takes its name from its own title; a node that is not a link is an
		// image with the same name.
		if row.Href != "" {
			fmt.Fprintf(&b, `<a class="app-network__link" href="%s"><title>%s</title><g class="%s">`, esc(row.Href), esc(name), cls)
		} else {
			fmt.Fprintf(&b, `<g class="%s" role="img"><title>%s</title>`, cls, esc(name))
		}
		networkShape(&b, n.Kind, p.X, p.Y, nodeRadius)
		// Kind and label beneath the shape: the kind is never told by colour alone.
		top := p.Y + nodeRadius + 15
		if n.Kind == "report" {
			top += 3
		}
		if !pseudonyms { // a pseudonym begins with its kind already: "Person 7F3A9C"
			fmt.Fprintf(&b, `<text class="app-network__kind" x="%.1f" y="%.1f" aria-hidden="true">%s</text>`, p.X, top, esc(row.Kind))
			top += 15
		}
		fmt.Fprintf(&b, `<text class="app-network__label" x="%.1f" y="%.1f" aria-hidden="true">%s</text>`, p.X, top, esc(truncateLabel(row.Label)))
		b.WriteString(`</g>`)
		if row.Href != "" {
			b.WriteString(`</a>`)
		}
	}
	b.WriteString(`</svg>`)
	d.SVG = template.HTML(b.String()) // built here from escaped text, numbers and fixed names only
	return d
}

// caseNetworkLink is where a node of a case's network opens: a case or a person on
// their page, a report in triage for the triage hub, and an identifier as a search
// of the cases the user may see.
func caseNetworkLink(triage bool) networkLinker {
	return func(n tropic.NetworkNode) string {
		switch n.Kind {
		case "case":
			if n.CaseRef != "" {
				return casePath(n.CaseRef)
			}
		case "person":
			if n.Person != 0 {
				return personPath(n.Person)
			}
		case "report":
			if triage && n.Report != "" {
				return triageReportPath(n.Report)
			}
		case "phone", "vehicle", "place", "business", "email":
			if n.Label != "" {
				return "/cases?q=" + url.QueryEscape(n.Label)
			}
		}
		return ""
	}
}

// networkGroups splits a network into its connected groups, the largest first (the
// order of first appearance between groups of the same size).
func networkGroups(nw *tropic.Network) [][]int {
	parent := make([]int, len(nw.Nodes))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	index := make(map[string]int, len(nw.Nodes))
	for i, n := range nw.Nodes {
		index[n.Key] = i
	}
	for _, e := range nw.Edges {
		i, ok1 := index[e.From]
		j, ok2 := index[e.To]
		if ok1 && ok2 {
			if a, b := find(i), find(j); a != b {
				if a < b {
					parent[b] = a
				} else {
					parent[a] = b
				}
			}
		}
	}
	byRoot := map[int][]int{}
	var roots []int
	for i := range nw.Nodes {
		r := find(i)
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], i)
	}
	slices.SortStableFunc(roots, func(a, b int) int { return len(byRoot[b]) - len(byRoot[a]) })
	out := make([][]int, len(roots))
	for i, r := range roots {
		out[i] = byRoot[r]
	}
	return out
}
