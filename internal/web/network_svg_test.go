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
		{From: "person:1", To: "phone:+447700900123", Why: "phone of the person"},
		{From: "person:2", To: "phone:+447700900123", Why: "phone of the person"},
		{From: "phone:+447700900123", To: "case:2", Why: "same phone"},
		{From: "phone:+447700900123", To: "report:1", Why: "same phone"},
		{From: "report:1", To: "vehicle:AB12CDE", Why: "in the report"},
		{From: "case:1", To: "place:AL1 3JX", Why: "postcode on the case"},
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
	labelLinks := map[string]bool{}
	root.walk(func(e svgElement) {
		switch {
		case e.XMLName.Local == "a" && e.attr("class") == "app-network__link":
			links[e.attr("href")] = e.title()
		case e.XMLName.Local == "a" && e.attr("class") == "app-network__label-link":
			labelLinks[e.attr("href")] = true
			if e.attr("tabindex") != "-1" {
				t.Errorf("the label of %s is a second stop for the keyboard", e.attr("href"))
			}
		case e.XMLName.Local == "line":
			lines++
		case e.attr("class") == "app-network__shape":
			shapes++
		}
	})
	want := map[string]string{
		"/cases/C-AAAA-AAAA-A":       "Case C-AAAA-AAAA-A (this case)",
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
	// Labels open what their node opens, and come after every line and shape, so
	// that nothing is drawn over them.
	for href := range labelLinks {
		if _, ok := links[href]; !ok {
			t.Errorf("a label links to %s, which no node does", href)
		}
	}
	svg := string(d.SVG)
	if strings.LastIndex(svg, "<line") > strings.Index(svg, `class="app-network__labels"`) ||
		strings.LastIndex(svg, `class="app-network__shape"`) > strings.Index(svg, `class="app-network__labels"`) {
		t.Error("a line or shape is drawn after the labels")
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
	if e := d.Edges[5]; e.From != "Phone number +44 7700 900123" || e.FromHref != "/cases?q=%2B44+7700+900123" || e.To != "Case, held by Watford Borough Council" || e.ToHref != "" || e.Why != "same phone" {
		t.Errorf("edge row %+v", e)
	}
	if e := d.Edges[0]; e.From != "Case C-AAAA-AAAA-A (this case)" || e.FromHref != "/cases/C-AAAA-AAAA-A" {
		t.Errorf("edge row %+v", e)
	}
	// Who holds each record, capitalised; an identifier is held with the record it is on.
	heldBy := map[string]string{}
	for _, r := range d.Nodes {
		heldBy[r.Label] = r.HeldBy
	}
	for label, want := range map[string]string{
		"Held by Watford Borough Council": "Watford Borough Council",
		"+44 7700 900123":                 "Recorded for Anna <script>alert(\"x\")</script> & co and for Jan Nowak",
		"AB12 CDE":                        "Recorded in report KM7Q-2XPA-7",
		"AL1 3JX":                         "Recorded on this case",
		"Jan Nowak":                       "—",
	} {
		if heldBy[label] != want {
			t.Errorf("%s: held by %q, want %q", label, heldBy[label], want)
		}
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

// busyBusiness is a case whose business is shared with 32 reports the user may not
// see, 3 council cases they may not see, 5 police cases they may, and one report
// that also shares the case's phone.
func busyBusiness() ([]tropic.NetworkNode, []tropic.NetworkEdge) {
	nodes := []tropic.NetworkNode{
		{Key: "case:1", Kind: "case", Label: "C-AAAA-AAAA-A: Car wash", Visible: true, CaseRef: "C-AAAA-AAAA-A", HeldBy: "Hertfordshire Constabulary", Root: true},
		{Key: "business:lotus", Kind: "business", Label: "Lotus Massage Studio", Visible: true},
		{Key: "phone:+447700900123", Kind: "phone", Label: "07700 900123", Visible: true},
	}
	edges := []tropic.NetworkEdge{
		{From: "case:1", To: "business:lotus", Why: "business on the case"},
		{From: "case:1", To: "phone:+447700900123", Why: "phone on the case"},
	}
	for i := range 32 {
		key := fmt.Sprintf("hidden:%d", i+1)
		nodes = append(nodes, tropic.NetworkNode{Key: key, Kind: "report", Label: "Report held by the triage hub", HeldBy: tropic.TriageHub})
		edges = append(edges, tropic.NetworkEdge{From: "business:lotus", To: key, Why: "in the report"})
	}
	for i := range 3 {
		key := fmt.Sprintf("hidden:c%d", i+1)
		nodes = append(nodes, tropic.NetworkNode{Key: key, Kind: "case", Label: "Case held by Hertfordshire County Council", HeldBy: "Hertfordshire County Council"})
		edges = append(edges, tropic.NetworkEdge{From: "business:lotus", To: key, Why: "same business"})
	}
	for i := range 5 {
		ref := fmt.Sprintf("C-BBBB-BBBB-%c", 'A'+i)
		key := "case:" + fmt.Sprint(10+i)
		nodes = append(nodes, tropic.NetworkNode{Key: key, Kind: "case", Label: ref + ": Lotus", Visible: true, CaseRef: ref, HeldBy: "Hertfordshire Constabulary"})
		edges = append(edges, tropic.NetworkEdge{From: "business:lotus", To: key, Why: "same business"})
	}
	// One report shares the phone too: joined to two records, it is not a leaf.
	nodes = append(nodes, tropic.NetworkNode{Key: "hidden:99", Kind: "report", Label: "Report held by the triage hub", HeldBy: tropic.TriageHub})
	edges = append(edges,
		tropic.NetworkEdge{From: "business:lotus", To: "hidden:99", Why: "in the report"},
		tropic.NetworkEdge{From: "phone:+447700900123", To: "hidden:99", Why: "in the report"})
	return nodes, edges
}

func TestCollapseLeavesDrawsManyHiddenRecordsOfOneHolderAsOne(t *testing.T) {
	nodes, edges := busyBusiness()
	v := collapseLeaves(nodes, edges, false)

	// 3 + 1 collapsed + 3 council cases (no more than collapseAbove) + 5 visible cases + the report on two records.
	if len(v.Nodes) != 13 {
		t.Fatalf("%d nodes after collapsing, want 13: %+v", len(v.Nodes), v.Nodes)
	}
	if v.records() != len(nodes) || v.connections() != len(edges) {
		t.Errorf("the view stands for %d records and %d connections, want %d and %d", v.records(), v.connections(), len(nodes), len(edges))
	}
	var collapsed []netNode
	for _, n := range v.Nodes {
		if n.Count > 1 {
			collapsed = append(collapsed, n)
		}
	}
	if len(collapsed) != 1 || collapsed[0].Count != 32 || collapsed[0].Label != "32 reports held by the triage hub" || collapsed[0].Kind != "report" || len(collapsed[0].Members) != 32 {
		t.Fatalf("collapsed nodes: %+v", collapsed)
	}
	var toCollapsed []netEdge
	for _, e := range v.Edges {
		if e.To == collapsed[0].Key || e.From == collapsed[0].Key {
			toCollapsed = append(toCollapsed, e)
		}
	}
	if want := []netEdge{{From: "business:lotus", To: collapsed[0].Key, Why: "in the report", Count: 32}}; !reflect.DeepEqual(toCollapsed, want) {
		t.Errorf("edges of the collapsed node %+v, want %+v", toCollapsed, want)
	}

	d := drawNetwork("network", "Network of case C-AAAA-AAAA-A", nodes, edges, caseNetworkLink(false), false)
	if d.Summary != "44 records, 44 connections" {
		t.Errorf("summary %q: want every record counted", d.Summary)
	}
	// The table: one row for the 32 reports, one for the 3 council cases.
	rows := map[string]networkNodeRow{}
	for _, r := range d.Nodes {
		rows[r.Label] = r
	}
	if r, ok := rows["32 reports held by the triage hub"]; !ok || r.Count != 32 || r.HeldBy != "The triage hub" || r.Href != "" {
		t.Errorf("the reports' row: %+v (rows %+v)", r, d.Nodes)
	}
	if r, ok := rows["3 cases held by Hertfordshire County Council"]; !ok || r.Count != 3 || r.HeldBy != "Hertfordshire County Council" {
		t.Errorf("the council cases' row: %+v (rows %+v)", r, d.Nodes)
	}
	if len(d.Nodes) != 11 || d.Rows != 44 {
		t.Errorf("%d rows standing for %d records, want 11 for 44", len(d.Nodes), d.Rows)
	}
	edgeRows := map[string]networkEdgeRow{}
	for _, e := range d.Edges {
		edgeRows[e.To] = e
	}
	if e, ok := edgeRows["3 cases held by Hertfordshire County Council"]; !ok || e.From != "Business Lotus Massage Studio" || e.Why != "same business" {
		t.Errorf("the connections to the council's cases are not one row: %+v", d.Edges)
	}
	if _, ok := edgeRows["32 reports held by the triage hub"]; !ok {
		t.Errorf("no connection to the collapsed reports: %+v", d.Edges)
	}
	if len(d.Edges) != 11 {
		t.Errorf("%d connection rows, want 11: %+v", len(d.Edges), d.Edges)
	}
	// The drawing: one stacked node, named in its title; the legend says what stacked means.
	svg := string(d.SVG)
	if !strings.Contains(svg, `<g class="app-network__node app-network__node--report app-network__node--hidden" role="img"><title>32 reports held by the triage hub</title><polygon class="app-network__shape app-network__shape--behind"`) {
		t.Errorf("no stacked node for the reports:\n%s", svg)
	}
	if n := strings.Count(svg, "app-network__shape--behind"); n != 1 {
		t.Errorf("%d stacked nodes, want 1", n)
	}
	if l := d.Legend[len(d.Legend)-1].Label; !strings.Contains(l, "stacked") {
		t.Errorf("the legend does not explain the stacked node: %q", l)
	}
}

func TestCollapseLeavesKeepsTheLinksOfRecordsTheUserMaySee(t *testing.T) {
	// The triage hub sees the reports: they are still drawn as one node, and the
	// table lists each with its link.
	nodes := []tropic.NetworkNode{{Key: "case:1", Kind: "case", Label: "C-AAAA-AAAA-A", Visible: true, CaseRef: "C-AAAA-AAAA-A", Root: true}}
	var edges []tropic.NetworkEdge
	for i := range 4 {
		ref := fmt.Sprintf("KM7Q-2XP%c-7", 'A'+i)
		nodes = append(nodes, tropic.NetworkNode{Key: "report:" + ref, Kind: "report", Label: ref, Visible: true, Report: ref, HeldBy: tropic.TriageHub})
		edges = append(edges, tropic.NetworkEdge{From: "case:1", To: "report:" + ref, Why: "linked to the case"})
	}
	d := drawNetwork("network", "Network", nodes, edges, caseNetworkLink(true), false)
	if len(d.Nodes) != 2 {
		t.Fatalf("rows %+v", d.Nodes)
	}
	r := d.Nodes[1]
	if r.Label != "4 reports held by the triage hub" || len(r.Members) != 4 || r.Members[0] != (caseLink{Text: "KM7Q-2XPA-7", Href: "/triage/reports/KM7Q-2XPA-7"}) {
		t.Errorf("the reports' row %+v", r)
	}
	// Three are few enough to draw one by one.
	d = drawNetwork("network", "Network", nodes[:4], edges[:3], caseNetworkLink(true), false)
	if len(d.Nodes) != 4 || strings.Contains(string(d.SVG), "app-network__shape--behind") {
		t.Errorf("three reports were collapsed: %+v", d.Nodes)
	}
}

func TestCollapseLeavesInTheAnalystsViewCollapsesAnyKind(t *testing.T) {
	nodes := []tropic.NetworkNode{{Key: "case:A", Kind: "case", Label: "Case 7F3A9C", HeldBy: "Watford Borough Council"}}
	var edges []tropic.NetworkEdge
	for i := range 5 {
		key := fmt.Sprint("person:", i)
		nodes = append(nodes, tropic.NetworkNode{Key: key, Kind: "person", Label: fmt.Sprint("Person 00000", i)})
		edges = append(edges, tropic.NetworkEdge{From: "case:A", To: key, Why: "on the case"})
	}
	v := collapseLeaves(nodes, edges, true)
	if len(v.Nodes) != 2 || v.Nodes[1].Label != "5 people" || v.Nodes[1].Count != 5 {
		t.Errorf("nodes %+v", v.Nodes)
	}
	// Outside the analysts' view, people the user may see are never collapsed.
	for i := range nodes {
		nodes[i].Visible = true
	}
	if v := collapseLeaves(nodes, edges, false); len(v.Nodes) != 6 {
		t.Errorf("visible people were collapsed: %+v", v.Nodes)
	}
}

func TestNearestKeepsTheRecordsClosestToTheStart(t *testing.T) {
	// A chain 0-1-2-3-4-5 with a branch 0-6.
	var nodes []tropic.NetworkNode
	for i := range 7 {
		nodes = append(nodes, tropic.NetworkNode{Key: fmt.Sprint(i), Kind: "case", Visible: true, Root: i == 0})
	}
	edges := []tropic.NetworkEdge{{From: "0", To: "1"}, {From: "1", To: "2"}, {From: "2", To: "3"}, {From: "3", To: "4"}, {From: "4", To: "5"}, {From: "0", To: "6"}}
	v := collapseLeaves(nodes, edges, false)
	got, cut := v.nearest(4, 0)
	var keys []string
	for _, n := range got.Nodes {
		keys = append(keys, n.Key)
	}
	if !cut || !reflect.DeepEqual(keys, []string{"0", "1", "2", "6"}) || len(got.Edges) != 3 {
		t.Errorf("nearest 4: %v (cut %v), %d edges", keys, cut, len(got.Edges))
	}
	if same, cut := v.nearest(7, 0); cut || len(same.Nodes) != 7 {
		t.Errorf("a view within the limit was cut")
	}
	if v.mostConnected() != 0 && v.mostConnected() != 1 {
		t.Errorf("most connected %d", v.mostConnected())
	}
}

func TestWrapLabelNeverCutsANameShort(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Case held by Watford", []string{"Case held by Watford"}},
		{"Held by Hertfordshire County Council", []string{"Held by Hertfordshire", "County Council"}},
		{"Held by Hertfordshire Constabulary Modern Slavery Unit", []string{"Held by Hertfordshire", "Constabulary Modern Slavery Unit"}},
		{"someone.with.a.long.address@example.org", []string{"someone.with.a.long.address@example.org"}},
	} {
		got := wrapLabel(tc.in)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("wrapLabel(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if strings.Join(got, " ") != tc.in {
			t.Errorf("wrapLabel(%q) lost part of it: %q", tc.in, got)
		}
	}
}

// labelGrounds reads the white grounds of the placed labels, and the centres of the
// node shapes, from a drawing.
func labelGrounds(t *testing.T, svg string) (grounds []box, height float64) {
	t.Helper()
	var root svgElement
	if err := xml.Unmarshal([]byte(svg), &root); err != nil {
		t.Fatal(err)
	}
	f := func(e svgElement, name string) float64 {
		var v float64
		fmt.Sscan(e.attr(name), &v)
		return v
	}
	var vbW float64
	fmt.Sscan(root.attr("viewBox"), new(float64), new(float64), &vbW, &height)
	root.walk(func(e svgElement) {
		if e.attr("class") == "app-network__ground" {
			grounds = append(grounds, box{f(e, "x"), f(e, "y"), f(e, "x") + f(e, "width"), f(e, "y") + f(e, "height")})
		}
	})
	return grounds, height
}

func TestLabelsAreKeptApartAndInsideTheFrame(t *testing.T) {
	for name, net := range map[string]func() ([]tropic.NetworkNode, []tropic.NetworkEdge){"star and chain": starAndChain, "busy business": busyBusiness} {
		t.Run(name, func(t *testing.T) {
			nodes, edges := net()
			d := drawNetwork("network", "Network", nodes, edges, caseNetworkLink(false), false)
			grounds, h := labelGrounds(t, string(d.SVG))
			if len(grounds) < 5 {
				t.Errorf("only %d labels placed", len(grounds))
			}
			for i, a := range grounds {
				if a.X0 < 0 || a.Y0 < 0 || a.X1 > networkWidth || a.Y1 > h {
					t.Errorf("label %d at %+v is outside the %vx%v frame", i, a, networkWidth, h)
				}
				for j := i + 1; j < len(grounds); j++ {
					if a.overlaps(grounds[j]) {
						t.Errorf("labels %d and %d overlap: %+v %+v", i, j, a, grounds[j])
					}
				}
			}
			// The root and the collapsed reports are always labelled.
			for _, want := range []string{">C-AAAA-AAAA-A</tspan>"} {
				if !strings.Contains(string(d.SVG), want) {
					t.Errorf("no label %s", want)
				}
			}
			if name == "busy business" && !strings.Contains(string(d.SVG), ">32 reports held</tspan>") {
				t.Errorf("the collapsed reports are not labelled:\n%s", d.SVG)
			}
		})
	}
}
