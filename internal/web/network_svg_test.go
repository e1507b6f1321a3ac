package web

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

// starAndChain is a case with three people, a phone two of them share, and a chain
// of reports hanging off the phone: 9 nodes, 9 edges.
func starAndChain() ([]tropic.NetworkNode, []tropic.NetworkEdge) {
	nodes := []tropic.NetworkNode{
		{Key: "case:1", Kind: "case", Label: "C-AAAA-AAAA-A", Visible: true, CaseRef: "C-AAAA-AAAA-A", Root: true},
		{Key: "person:1", Kind: "person", Label: "Anna Kowalska", Visible: true, Person: 1},
		{Key: "person:2", Kind: "person", Label: "Jan Nowak", Visible: true, Person: 2},
		{Key: "person:3", Kind: "person", Label: "Piotr Wiśniewski", Visible: true, Person: 3},
		{Key: "phone:+447700900123", Kind: "phone", Label: "+44 7700 900123", Visible: true},
		{Key: "case:2", Kind: "case", Visible: false, HeldBy: "Watford Borough Council"},
		{Key: "report:1", Kind: "report", Label: "KM7Q-2XPA-7", Visible: true, Report: "KM7Q-2XPA-7"},
		{Key: "vehicle:AB12CDE", Kind: "vehicle", Label: "AB12 CDE", Visible: true},
		{Key: "place:AL1 3JX", Kind: "place", Label: "AL1 3JX", Visible: true},
	}
	edges := []tropic.NetworkEdge{
		{From: "case:1", To: "person:1", Why: "on the case"},
		{From: "case:1", To: "person:2", Why: "on the case"},
		{From: "case:1", To: "person:3", Why: "on the case"},
		{From: "person:1", To: "phone:+447700900123", Why: "their phone"},
		{From: "person:2", To: "phone:+447700900123", Why: "their phone"},
		{From: "phone:+447700900123", To: "case:2", Why: "same phone"},
		{From: "phone:+447700900123", To: "report:1", Why: "same phone"},
		{From: "report:1", To: "vehicle:AB12CDE", Why: "in the report"},
		{From: "case:1", To: "place:AL1 3JX", Why: "on the case"},
	}
	return nodes, edges
}

func edgePairs(nodes []tropic.NetworkNode, edges []tropic.NetworkEdge) [][2]int {
	index := map[string]int{}
	for i, n := range nodes {
		index[n.Key] = i
	}
	var out [][2]int
	for _, e := range edges {
		out = append(out, [2]int{index[e.From], index[e.To]})
	}
	return out
}

func TestLayoutIsTheSameEveryTime(t *testing.T) {
	nodes, edges := starAndChain()
	pairs := edgePairs(nodes, edges)
	h := networkHeight(len(nodes))
	first := layoutNetwork(len(nodes), pairs, networkWidth, h, networkMargin)
	for range 3 {
		if again := layoutNetwork(len(nodes), pairs, networkWidth, h, networkMargin); !reflect.DeepEqual(first, again) {
			t.Fatalf("the layout changed between runs:\n%v\n%v", first, again)
		}
	}
	d1 := drawNetwork("n", "Network", nodes, edges, caseNetworkLink(false), false)
	d2 := drawNetwork("n", "Network", nodes, edges, caseNetworkLink(false), false)
	if d1.SVG != d2.SVG {
		t.Error("the same network drew two different pictures")
	}
}

func TestLayoutKeepsNodesInsideTheMarginAndApart(t *testing.T) {
	for _, n := range []int{2, 3, 9, 30, 80} {
		t.Run(fmt.Sprint(n, " nodes"), func(t *testing.T) {
			// A chain with a few cross links.
			var pairs [][2]int
			for i := 1; i < n; i++ {
				pairs = append(pairs, [2]int{i - 1, i})
				if i%4 == 0 {
					pairs = append(pairs, [2]int{0, i})
				}
			}
			h := networkHeight(n)
			pos := layoutNetwork(n, pairs, networkWidth, h, networkMargin)
			for i, p := range pos {
				m := networkMargin
				if p.X < m.X-0.1 || p.X > networkWidth-m.X+0.1 || p.Y < m.Y-0.1 || p.Y > h-m.Y+0.1 {
					t.Errorf("node %d at %v is outside the box %vx%v less the margin", i, p, networkWidth, h)
				}
				if math.IsNaN(p.X) || math.IsNaN(p.Y) {
					t.Fatalf("node %d at %v", i, p)
				}
			}
			// No two nodes on top of each other: at least one and a half widths apart.
			minGap := math.Inf(1)
			for i := range pos {
				for j := i + 1; j < len(pos); j++ {
					minGap = math.Min(minGap, math.Hypot(pos[i].X-pos[j].X, pos[i].Y-pos[j].Y))
				}
			}
			if minGap < minNodeGap-0.2 {
				t.Errorf("two nodes are %.1f apart, want at least %.0f", minGap, minNodeGap)
			}
		})
	}
}

func TestLayoutDrawsJoinedNodesCloserThanOthers(t *testing.T) {
	nodes, edges := starAndChain()
	pairs := edgePairs(nodes, edges)
	pos := layoutNetwork(len(nodes), pairs, networkWidth, networkHeight(len(nodes)), networkMargin)
	joined := map[[2]int]bool{}
	var sumJoined float64
	for _, p := range pairs {
		joined[p], joined[[2]int{p[1], p[0]}] = true, true
		sumJoined += math.Hypot(pos[p[0]].X-pos[p[1]].X, pos[p[0]].Y-pos[p[1]].Y)
	}
	var sumOther float64
	var others int
	for i := range pos {
		for j := i + 1; j < len(pos); j++ {
			if !joined[[2]int{i, j}] {
				sumOther += math.Hypot(pos[i].X-pos[j].X, pos[i].Y-pos[j].Y)
				others++
			}
		}
	}
	if avgJ, avgO := sumJoined/float64(len(pairs)), sumOther/float64(others); avgJ >= avgO {
		t.Errorf("joined nodes are %.0f apart on average, others %.0f: want joined ones closer", avgJ, avgO)
	}
}

func TestTrimHeightTakesOffEmptyBands(t *testing.T) {
	pos := []point{{100, 200}, {300, 260}, {500, 230}}
	got, h := trimHeight(pos, 600, point{100, 50})
	if h != minNetworkHeight {
		t.Errorf("height %v, want the least, %v", h, minNetworkHeight)
	}
	if want := []point{{100, 80}, {300, 140}, {500, 110}}; !reflect.DeepEqual(got, want) {
		t.Errorf("moved to %v, want %v (centred)", got, want)
	}
	tall := []point{{100, 50}, {100, 550}}
	if _, h := trimHeight(tall, 600, point{100, 50}); h != 600 {
		t.Errorf("a tall layout got height %v, want all 600", h)
	}
}

func TestLayoutOfNoneAndOne(t *testing.T) {
	if got := layoutNetwork(0, nil, 100, 100, point{10, 10}); len(got) != 0 {
		t.Errorf("no nodes: got %v", got)
	}
	if got := layoutNetwork(1, nil, 100, 80, point{10, 10}); got[0] != (point{50, 40}) {
		t.Errorf("one node: got %v, want the centre", got)
	}
}

// svgElement is what the drawing tests read of the SVG.
type svgElement struct {
	XMLName  xml.Name
	Attrs    []xml.Attr   `xml:",any,attr"`
	Children []svgElement `xml:",any"`
	Text     string       `xml:",chardata"`
}

func (e svgElement) attr(name string) string {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (e svgElement) walk(f func(svgElement)) {
	f(e)
	for _, c := range e.Children {
		c.walk(f)
	}
}

func (e svgElement) title() string {
	for _, c := range e.Children {
		if c.XMLName.Local == "title" {
			return c.Text
		}
	}
	return ""
}

func TestDrawingLinksVisibleNodesAndSaysOnlyWhoHoldsHiddenOnes(t *testing.T) {
	nodes, edges := starAndChain()
	nodes[1].Label = `Anna <script>alert("x")</script> & co`
	d := drawNetwork("network", "Network of case C-AAAA-AAAA-A", nodes, edges, caseNetworkLink(false), false)

	var root svgElement
	dec := xml.NewDecoder(strings.NewReader(string(d.SVG)))
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, d.SVG)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Errorf("more after the SVG: %v", err)
	}
	if strings.Contains(string(d.SVG), "<script>") {
		t.Error("a label was not escaped")
	}
	if root.attr("role") != "group" || root.attr("aria-labelledby") != "network-title" || root.title() != "Network of case C-AAAA-AAAA-A" {
		t.Errorf("the SVG is not labelled: role %q, aria-labelledby %q, title %q", root.attr("role"), root.attr("aria-labelledby"), root.title())
	}

	links := map[string]string{} // href: title
	var lines, shapes int
	root.walk(func(e svgElement) {
		switch e.XMLName.Local {
		case "a":
			links[e.attr("href")] = e.title()
		case "line":
			lines++
		case "circle", "rect", "polygon":
			shapes++
		}
	})
	want := map[string]string{
		"/cases/C-AAAA-AAAA-A":       "Case C-AAAA-AAAA-A (this record)",
		"/people/1":                  `Person Anna <script>alert("x")</script> & co`,
		"/people/2":                  "Person Jan Nowak",
		"/people/3":                  "Person Piotr Wiśniewski",
		"/cases?q=%2B44+7700+900123": "Phone number +44 7700 900123",
		"/cases?q=AB12+CDE":          "Vehicle AB12 CDE",
		"/cases?q=AL1+3JX":           "Place AL1 3JX",
	}
	if !reflect.DeepEqual(links, want) {
		t.Errorf("links (href: title):\n got %v\nwant %v", links, want)
	}
	if lines != len(edges) || shapes != len(nodes) {
		t.Errorf("%d lines and %d shapes, want %d and %d", lines, shapes, len(edges), len(nodes))
	}
	// The hidden case: drawn, not a link, named by who holds it alone.
	if !strings.Contains(string(d.SVG), `<g class="app-network__node app-network__node--case app-network__node--hidden" role="img"><title>Case, held by Watford Borough Council</title>`) {
		t.Errorf("the hidden case is not drawn as held by Watford:\n%s", d.SVG)
	}
	// Reports open only for the triage hub.
	if _, ok := links["/triage/reports/KM7Q-2XPA-7"]; ok {
		t.Error("a report links to triage for a user who does not triage")
	}
	triage := drawNetwork("network", "Network", nodes, edges, caseNetworkLink(true), false)
	if !strings.Contains(string(triage.SVG), `href="/triage/reports/KM7Q-2XPA-7"`) {
		t.Error("the report does not link to triage for the triage hub")
	}

	// The table alternative and the legend.
	if d.Summary != "9 records, 9 connections" {
		t.Errorf("summary %q", d.Summary)
	}
	if len(d.Nodes) != 9 || d.Nodes[5].Label != "Held by Watford Borough Council" || d.Nodes[5].Href != "" {
		t.Errorf("node rows: %+v", d.Nodes)
	}
	if e := d.Edges[5]; e.From != "Phone number +44 7700 900123" || e.To != "Case, held by Watford Borough Council" || e.Why != "same phone" {
		t.Errorf("edge row %+v", e)
	}
	var legend []string
	for _, l := range d.Legend {
		legend = append(legend, l.Label)
	}
	wantLegend := []string{"Case (square)", "Report (diamond)", "Person (circle)", "Phone number (triangle)", "Vehicle (wide rounded box)", "Place (house)",
		"The record this network is drawn from (thick outline)", "A record you may not see (dashed outline): it says who holds it, whom to contact"}
	if !reflect.DeepEqual(legend, wantLegend) {
		t.Errorf("legend\n got %q\nwant %q", legend, wantLegend)
	}
	if !reflect.DeepEqual(d.HeldBy, []string{"Watford Borough Council"}) {
		t.Errorf("held by %v", d.HeldBy)
	}
}

func TestNetworkGroupsLargestFirst(t *testing.T) {
	nw := &tropic.Network{
		Nodes: []tropic.NetworkNode{{Key: "a"}, {Key: "b"}, {Key: "c"}, {Key: "d"}, {Key: "e"}, {Key: "f"}},
		Edges: []tropic.NetworkEdge{{From: "a", To: "b"}, {From: "c", To: "d"}, {From: "d", To: "e"}, {From: "x", To: "a"}},
	}
	got := networkGroups(nw)
	want := [][]int{{2, 3, 4}, {0, 1}, {5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
}
