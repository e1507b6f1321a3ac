package web

import (
	"cmp"
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
// for its kind with its kind and label written beside it (never colour alone); a
// node the user may open is an SVG link, reached by keyboard; a node the user may
// not see is drawn dashed and says only who holds it. Many records of one kind and
// holder hanging from the same record alone (thirty reports held by the triage hub
// that share a business) are drawn as one stacked node with their number, so that
// one busy identifier does not fill the picture. The table beneath every drawing
// says the same in words.

// Layout constants: the same network always gets the same picture.
const (
	layoutSeed       = 20070925 // any fixed number
	layoutIterations = 300
	networkWidth     = 760.0
	nodeRadius       = 16.0
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
	return layoutNetworkRoom(n, edges, w, h, margin, nil)
}

// layoutNetworkRoom is layoutNetwork keeping room[i] more clear around node i (a
// busy node needs room for its label among its neighbours).
func layoutNetworkRoom(n int, edges [][2]int, w, h float64, margin point, room []float64) []point {
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
	return separate(fitLayout(pos, w, h, margin), w, h, margin, room)
}

// minNodeGap is how far apart separate keeps the centres of two nodes.
const minNodeGap = 3 * nodeRadius

// separate pushes apart, a few times over, any two nodes closer than minNodeGap
// and the room either keeps (a force-directed layout can leave two in a shallow
// pit together), each half the way, keeping them inside the margin.
func separate(pos []point, w, h float64, margin point, room []float64) []point {
	gap := func(i, j int) float64 {
		if room == nil {
			return minNodeGap
		}
		return minNodeGap + room[i] + room[j]
	}
	for range 100 {
		moved := false
		for i := range pos {
			for j := i + 1; j < len(pos); j++ {
				dx, dy := pos[j].X-pos[i].X, pos[j].Y-pos[i].Y
				d := math.Hypot(dx, dy)
				g := gap(i, j)
				if d >= g {
					continue
				}
				if d < 0.01 {
					dx, dy, d = 1, 0, 1
				}
				push := (g - d) / 2
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

// maxStretch is how much more fitLayout may scale a layout one way than the other,
// to use the room of the box: a wide picture in a square box leaves its nodes and
// their labels crowded.
const maxStretch = 1.4

// fitLayout scales and moves the positions so that they fill the box inside the
// margin, centred: the same in both directions, or up to maxStretch more in one.
func fitLayout(pos []point, w, h float64, margin point) []point {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pos {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	bw, bh := maxX-minX, maxY-minY
	iw, ih := w-2*margin.X, h-2*margin.Y
	sx, sy := math.Inf(1), math.Inf(1)
	if bw > 0 {
		sx = iw / bw
	}
	if bh > 0 {
		sy = ih / bh
	}
	switch {
	case math.IsInf(sx, 1) && math.IsInf(sy, 1):
		sx, sy = 1, 1
	case math.IsInf(sx, 1):
		sx = sy
	case math.IsInf(sy, 1):
		sy = sx
	}
	sx, sy = math.Min(sx, sy*maxStretch), math.Min(sy, sx*maxStretch)
	ox := margin.X + (iw-bw*sx)/2
	oy := margin.Y + (ih-bh*sy)/2
	out := make([]point, len(pos))
	for i, p := range pos {
		out[i] = point{ox + (p.X-minX)*sx, oy + (p.Y-minY)*sy}
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
var networkKinds = []struct{ Kind, Label, Plural, Shape string }{
	{"case", "Case", "cases", "square"},
	{"report", "Report", "reports", "diamond"},
	{"person", "Person", "people", "circle"},
	{"phone", "Phone number", "phone numbers", "triangle"},
	{"vehicle", "Vehicle", "vehicles", "wide rounded box"},
	{"place", "Place", "places", "house"},
	{"business", "Business", "businesses", "hexagon"},
	{"email", "E-mail address", "e-mail addresses", "envelope"},
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

// networkKindCount counts records of a kind in words: "1 report", "32 reports".
func networkKindCount(n int, kind string) string {
	for _, k := range networkKinds {
		if k.Kind == kind {
			return plural(n, strings.ToLower(k.Label[:1])+k.Label[1:], k.Plural)
		}
	}
	return plural(n, "record", "records")
}

// isIdentifier says whether a kind of node is an identifier rather than a record.
func isIdentifier(kind string) bool {
	switch kind {
	case "phone", "vehicle", "place", "business", "email":
		return true
	}
	return false
}

// capitalise writes s as the start of a sentence or a table cell: "The triage hub".
func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// networkShape writes the shape of a kind of node centred on (x, y) with radius r.
func networkShape(b *strings.Builder, kind string, x, y, r float64) {
	networkShapeClass(b, "app-network__shape", kind, x, y, r)
}

func networkShapeClass(b *strings.Builder, class, kind string, x, y, r float64) {
	poly := func(pts ...float64) {
		fmt.Fprintf(b, `<polygon class="%s" points="`, class)
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
		fmt.Fprintf(b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, class, x-r*0.9, y-r*0.9, r*1.8, r*1.8)
	case "report":
		poly(0, -1.2, 1.2, 0, 0, 1.2, -1.2, 0)
	case "phone":
		poly(0, -1.15, 1.1, 0.85, -1.1, 0.85)
	case "vehicle":
		fmt.Fprintf(b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="%.1f"/>`, class, x-r*1.35, y-r*0.7, r*2.7, r*1.4, r*0.5)
	case "place":
		poly(-1, 1, -1, -0.2, 0, -1.1, 1, -0.2, 1, 1)
	case "business":
		poly(-1.1, 0, -0.55, -0.95, 0.55, -0.95, 1.1, 0, 0.55, 0.95, -0.55, 0.95)
	case "email":
		fmt.Fprintf(b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, class, x-r*1.2, y-r*0.8, r*2.4, r*1.6)
		fmt.Fprintf(b, `<polyline class="app-network__mark" points="%.1f,%.1f %.1f,%.1f %.1f,%.1f"/>`, x-r*1.2, y-r*0.8, x, y+r*0.2, x+r*1.2, y-r*0.8)
	default: // person, and anything new
		fmt.Fprintf(b, `<circle class="%s" cx="%.1f" cy="%.1f" r="%.1f"/>`, class, x, y, r)
	}
}

// stackOffset is how far behind a collapsed node its second shape is drawn.
const stackOffset = 5.0

// networkIcon is a kind's shape on its own, for the legend.
func networkIcon(kind string, hidden, root, stacked bool) template.HTML {
	var b strings.Builder
	cls := "app-network__node app-network__node--" + kind
	if hidden {
		cls += " app-network__node--hidden"
	}
	if root {
		cls += " app-network__node--root"
	}
	fmt.Fprintf(&b, `<svg class="app-network-legend__icon" viewBox="0 0 48 40" width="48" height="40" aria-hidden="true" focusable="false"><g class="%s">`, cls)
	if stacked {
		networkShapeClass(&b, "app-network__shape app-network__shape--behind", kind, 24+4, 20-4, 11)
		networkShape(&b, kind, 24-2, 20+2, 11)
	} else {
		networkShape(&b, kind, 24, 20, 13)
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String()) // numbers and fixed class names only
}

// networkNodeRow is a node in the table beneath the drawing.
type networkNodeRow struct {
	Kind    string // "Phone number"
	Label   string // what the user may see; for a hidden node, "Held by X"; "32 reports held by X"
	Name    string // the node in a sentence: "Phone number +44 7700 900123"
	Href    string // "" when there is nothing the user may open
	HeldBy  string // the cell: "The triage hub", "Recorded on this case", "—"
	Root    bool
	Visible bool
	Count   int        // the records the row stands for
	Members []caseLink // collapsed records the user may open
	// A pseudonymised person in the analysts' network: ask each holder to reveal
	// them; or the label is the name, revealed to the viewer.
	Reveal   []revealLink
	Revealed bool
}

// networkEdgeRow is a connection in the table.
type networkEdgeRow struct {
	From, FromHref string
	To, ToHref     string
	Why            string
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
	Heading string // the analysts' heading of a group: "Group 1: 300 records"
	Summary string // "12 records, 15 connections"
	Lead    string // the analysts' line on a group: "4 cases, 9 people and 2 phone numbers"
	Note    string // what was left out of the drawing, if anything
	HeldBy  []string
	Hidden  bool // some records are another agency's the user may not see
	SVG     template.HTML
	Legend  []networkLegendItem
	Nodes   []networkNodeRow
	Edges   []networkEdgeRow
	Rows    int // the records the tables list
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

// drawNetwork lays out and draws nodes and edges, with leaves collapsed. Edges
// naming a node not in nodes are left out. link gives the address of each visible
// node; with pseudonyms, every node is labelled by its pseudonym and who holds it
// (the analysts' view), none hidden and none a link.
func drawNetwork(id, title string, nodes []tropic.NetworkNode, edges []tropic.NetworkEdge, link networkLinker, pseudonyms bool) networkDrawing {
	return drawView(id, title, collapseLeaves(nodes, edges, pseudonyms), link, pseudonyms)
}

// recordedOn says which records an identifier is recorded on, for the table's
// "Held by" column: an identifier is held by whoever holds the record.
func recordedOn(v networkView, i int, names []string) string {
	index := make(map[string]int, len(v.Nodes))
	for j, n := range v.Nodes {
		index[n.Key] = j
	}
	key := v.Nodes[i].Key
	var on []string
	for _, e := range v.Edges {
		other := ""
		switch key {
		case e.From:
			other = e.To
		case e.To:
			other = e.From
		default:
			continue
		}
		if !strings.HasSuffix(e.Why, " on the case") && !strings.HasSuffix(e.Why, " of the person") && e.Why != "in the report" {
			continue
		}
		o := v.Nodes[index[other]]
		if !o.Visible || o.Count > 1 {
			continue
		}
		var s string
		switch {
		case o.Root:
			s = "on this case"
		case o.Kind == "case":
			s = "on case " + cmp.Or(o.CaseRef, names[index[other]])
		case o.Kind == "person":
			s = "for " + names[index[other]]
		case o.Kind == "report":
			s = "in report " + names[index[other]]
		default:
			s = "on " + names[index[other]]
		}
		if !slices.Contains(on, s) {
			on = append(on, s)
		}
	}
	switch {
	case len(on) == 0:
		return "—"
	case len(on) > 3:
		on = append(on[:2], plural(len(on)-2, "other record", "other records"))
	}
	if len(on) == 1 {
		return "Recorded " + on[0]
	}
	return "Recorded " + strings.Join(on[:len(on)-1], ", ") + " and " + on[len(on)-1]
}

// drawView draws a view: the table and legend, then the picture.
func drawView(id, title string, v networkView, link networkLinker, pseudonyms bool) networkDrawing {
	d := networkDrawing{ID: id, Title: title}
	index := make(map[string]int, len(v.Nodes))
	for i, n := range v.Nodes {
		index[n.Key] = i
	}
	d.Summary = networkSummary(v.records(), v.connections())

	// Each node in words, and the legend of the kinds drawn.
	kinds := map[string]bool{}
	hidden, root := false, false
	stacked := "" // the kind of the first collapsed node, for the legend
	held := map[string]bool{}
	rows := make([]networkNodeRow, len(v.Nodes))
	labels := make([]string, len(v.Nodes)) // the label in the table, without "(this case)"
	for i, n := range v.Nodes {
		row := networkNodeRow{Kind: networkKindLabel(n.Kind), Label: nodeText(n.NetworkNode), Root: n.Root, Visible: n.Visible, Count: n.Count}
		switch {
		case n.Count > 1:
			row.Label, row.Name = n.Label, n.Label
			for _, m := range n.Members {
				if m.Visible && link != nil && !pseudonyms {
					if href := link(m); href != "" {
						row.Members = append(row.Members, caseLink{Text: nodeText(m), Href: href})
					}
				}
			}
			row.Visible = pseudonyms || n.Visible
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
		case n.Root && n.Kind == "case":
			row.Name = row.Kind + " " + row.Label + " (this case)"
		case n.Root:
			row.Name = row.Kind + " " + row.Label + " (this record)"
		default:
			row.Name = row.Kind + " " + row.Label
		}
		if n.Visible && n.Count == 1 && link != nil && !pseudonyms {
			row.Href = link(n.NetworkNode)
		}
		if n.Count == 1 && pseudonyms {
			row.Reveal, row.Revealed = revealLinks(n.NetworkNode), n.Revealed
		}
		labels[i] = row.Label
		rows[i] = row
		kinds[n.Kind] = true
		hidden = hidden || !row.Visible
		root = root || n.Root
		if n.Count > 1 && stacked == "" {
			stacked = n.Kind
		}
		if n.HeldBy != "" {
			held[n.HeldBy] = true
		}
	}
	for i, n := range v.Nodes {
		switch {
		case isIdentifier(n.Kind) && n.Count == 1:
			rows[i].HeldBy = recordedOn(v, i, labels)
		case n.HeldBy != "":
			rows[i].HeldBy = capitalise(n.HeldBy)
		case len(n.Holders) > 0 && n.Count == 1:
			rows[i].HeldBy = holderNames(n.NetworkNode)
		default:
			rows[i].HeldBy = "—"
		}
	}
	d.Nodes = aggregateNodeRows(v, rows)
	for _, r := range d.Nodes {
		d.Rows += r.Count
	}
	d.Edges = aggregateEdgeRows(v, index, rows)
	for a := range held {
		d.HeldBy = append(d.HeldBy, a)
	}
	slices.Sort(d.HeldBy)
	for _, k := range networkKinds {
		if kinds[k.Kind] {
			d.Legend = append(d.Legend, networkLegendItem{Icon: networkIcon(k.Kind, false, false, false), Label: k.Label + " (" + k.Shape + ")"})
			delete(kinds, k.Kind)
		}
	}
	var other []string
	for k := range kinds {
		other = append(other, k)
	}
	slices.Sort(other)
	for _, k := range other {
		d.Legend = append(d.Legend, networkLegendItem{Icon: networkIcon(k, false, false, false), Label: networkKindLabel(k) + " (circle)"})
	}
	if root {
		d.Legend = append(d.Legend, networkLegendItem{Icon: networkIcon("case", false, true, false), Label: "The record this network is drawn from (thick outline)"})
	}
	d.Hidden = hidden
	if hidden {
		d.Legend = append(d.Legend, networkLegendItem{Icon: networkIcon("case", true, false, false), Label: "A record you may not see (dashed outline): it says who holds it, whom to contact"})
	}
	if stacked != "" {
		d.Legend = append(d.Legend, networkLegendItem{Icon: networkIcon(stacked, false, false, true), Label: "Several records of one kind and holder, joined to one record only (stacked): drawn once, with their number"})
	}
	d.SVG = drawSVG(id, title, d.Summary, v, index, rows, pseudonyms)
	return d
}

// aggregateNodeRows lists each node once, and identical rows (three cases held by
// the same council, none of which the user may see) once with their number.
func aggregateNodeRows(v networkView, rows []networkNodeRow) []networkNodeRow {
	var out []networkNodeRow
	at := map[[3]string]int{}
	for i, r := range rows {
		n := v.Nodes[i]
		if r.Href != "" || r.Root || n.Count > 1 || n.Visible {
			out = append(out, r)
			continue
		}
		k := [3]string{n.Kind, r.Label, r.HeldBy}
		if j, ok := at[k]; ok {
			out[j].Count++
			out[j].Label = networkKindCount(out[j].Count, n.Kind) + " held by " + heldByText(n.HeldBy)
			continue
		}
		at[k] = len(out)
		out = append(out, r)
	}
	return out
}

// aggregateEdgeRows lists the connections, identical ones once: "Business X to 3
// cases held by the council".
func aggregateEdgeRows(v networkView, index map[string]int, rows []networkNodeRow) []networkEdgeRow {
	var out []networkEdgeRow
	type agg struct {
		at, count int
		from, to  int
	}
	seen := map[[3]string]*agg{}
	for _, e := range v.Edges {
		i, j := index[e.From], index[e.To]
		from, to := rows[i], rows[j]
		k := [3]string{from.Name, to.Name, e.Why}
		if a, ok := seen[k]; ok {
			a.count += e.Count
			continue
		}
		seen[k] = &agg{at: len(out), count: e.Count, from: i, to: j}
		out = append(out, networkEdgeRow{From: from.Name, FromHref: from.Href, To: to.Name, ToHref: to.Href, Why: e.Why})
	}
	for _, a := range seen {
		if a.count <= 1 {
			continue
		}
		r := &out[a.at]
		switch to, from := v.Nodes[a.to], v.Nodes[a.from]; {
		case to.Count > 1 || from.Count > 1:
			// A collapsed node already says how many.
		case !to.Visible:
			r.To = networkKindCount(a.count, to.Kind) + " held by " + heldByText(to.HeldBy)
		case !from.Visible:
			r.From = networkKindCount(a.count, from.Kind) + " held by " + heldByText(from.HeldBy)
		default:
			r.Why += fmt.Sprintf(" (%d times)", a.count)
		}
	}
	return out
}

// drawSVG draws the picture: edges first, then the nodes, then their labels, so
// that no line or shape is drawn over a label.
func drawSVG(id, title, summary string, v networkView, index map[string]int, rows []networkNodeRow, pseudonyms bool) template.HTML {
	pairs := make([][2]int, len(v.Edges))
	for k, e := range v.Edges {
		pairs[k] = [2]int{index[e.From], index[e.To]}
	}
	n := len(v.Nodes)
	degree := make([]int, n)
	for _, p := range pairs {
		degree[p[0]]++
		degree[p[1]]++
	}
	// The busiest nodes keep room about them for their labels.
	room := make([]float64, n)
	for i, node := range v.Nodes {
		if node.Root || node.Count > 1 || degree[i] >= busyDegree {
			room[i] = busyRoom
		}
	}
	pos, h := trimHeight(layoutNetworkRoom(n, pairs, networkWidth, networkHeight(n), networkMargin, room), networkHeight(n), networkMargin)
	var b strings.Builder
	esc := template.HTMLEscapeString
	// A picture is an image; one holding links is a group, since an image's parts
	// are hidden from assistive technology and its links would be lost.
	role := "img"
	for _, row := range rows {
		if row.Href != "" {
			role = "group"
		}
	}
	fmt.Fprintf(&b, `<svg class="app-network" id="%s" viewBox="0 0 %.0f %.0f" width="100%%" role="%s" aria-labelledby="%s-title" aria-describedby="%s-desc" xmlns="http://www.w3.org/2000/svg">`,
		esc(id), networkWidth, h, role, esc(id), esc(id))
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s. The same records and connections are listed in the tables below.</desc>`,
		esc(id), esc(title), esc(id), esc(summary))
	b.WriteString(`<g class="app-network__edges" aria-hidden="true">`)
	for _, p := range pairs {
		a, c := pos[p[0]], pos[p[1]]
		cls := "app-network__edge"
		if !rows[p[0]].Visible || !rows[p[1]].Visible {
			cls += " app-network__edge--hidden"
		}
		fmt.Fprintf(&b, `<line class="%s" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, cls, a.X, a.Y, c.X, c.Y)
	}
	b.WriteString(`</g>`)

	kinds := make([]string, n)
	stacked := make([]bool, n)
	lines := make([][]labelLine, n)
	order := make([]int, n)
	for i, node := range v.Nodes {
		row := rows[i]
		p := pos[i]
		kinds[i], stacked[i], order[i] = node.Kind, node.Count > 1, i
		cls := "app-network__node app-network__node--" + esc(node.Kind)
		if !row.Visible {
			cls += " app-network__node--hidden"
		}
		if node.Root {
			cls += " app-network__node--root"
		}
		// A link takes its name from its own title; a node that is not a link is an
		// image with the same name.
		if row.Href != "" {
			fmt.Fprintf(&b, `<a class="app-network__link" href="%s"><title>%s</title><g class="%s">`, esc(row.Href), esc(row.Name), cls)
		} else {
			fmt.Fprintf(&b, `<g class="%s" role="img"><title>%s</title>`, cls, esc(row.Name))
		}
		if stacked[i] {
			networkShapeClass(&b, "app-network__shape app-network__shape--behind", node.Kind, p.X+stackOffset, p.Y-stackOffset, nodeRadius)
		}
		networkShape(&b, node.Kind, p.X, p.Y, nodeRadius)
		b.WriteString(`</g>`)
		if row.Href != "" {
			b.WriteString(`</a>`)
		}
		// The label: the kind is never told by colour or shape alone. A case shows its
		// reference (its title is in the node's title and the table); a record the user
		// may not see, its kind and holder; a collapsed node, how many and whose.
		switch {
		case node.Count > 1:
			lines[i] = textLines(wrapLabel(node.Label))
		case pseudonyms: // a pseudonym begins with its kind already: "Person 7F3A9C"
			lines[i] = textLines([]string{row.Label})
		case !node.Visible:
			lines[i] = textLines(wrapLabel(row.Kind + " held by " + heldByText(node.HeldBy)))
		case node.Kind == "case" && node.CaseRef != "":
			lines[i] = append([]labelLine{{Text: row.Kind, Kind: true}}, labelLine{Text: node.CaseRef})
		default:
			lines[i] = append([]labelLine{{Text: row.Kind, Kind: true}}, textLines(wrapLabel(row.Label))...)
		}
	}
	prio := func(i int) int { return labelPriority(v.Nodes[i], degree[i]) }
	slices.SortStableFunc(order, func(a, c int) int { return cmp.Or(cmp.Compare(prio(a), prio(c)), cmp.Compare(degree[c], degree[a])) })
	far := 0 // the root, collapsed nodes and the busiest records may be labelled a little further off
	for far < n && prio(order[far]) <= 2 {
		far++
	}
	b.WriteString(`<g class="app-network__labels" aria-hidden="true">`)
	for _, l := range placeLabels(pos, networkWidth, h, kinds, stacked, lines, order, far) {
		href := rows[l.Node].Href
		if href != "" {
			// The label opens the record too, for the mouse; the keyboard reaches it
			// through the node's own link.
			fmt.Fprintf(&b, `<a class="app-network__label-link" href="%s" tabindex="-1">`, esc(href))
		}
		cls := "app-network__text"
		if l.Anchor != "middle" {
			cls += " app-network__text--" + l.Anchor
		}
		g := l.ground()
		fmt.Fprintf(&b, `<rect class="app-network__ground" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="2"/>`, g.X0, g.Y0, g.X1-g.X0, g.Y1-g.Y0)
		fmt.Fprintf(&b, `<text class="%s">`, cls)
		top := l.Top
		for _, line := range l.Lines {
			lc, lh, asc := "app-network__label", labelLineHeight, 12.0
			if line.Kind {
				lc, lh, asc = "app-network__kind", kindLineHeight, 11.0
			}
			fmt.Fprintf(&b, `<tspan class="%s" x="%.1f" y="%.1f">%s</tspan>`, lc, l.X, top+asc, esc(line.Text))
			top += lh
		}
		b.WriteString(`</text>`)
		if href != "" {
			b.WriteString(`</a>`)
		}
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String()) // built here from escaped text, numbers and fixed names only
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
