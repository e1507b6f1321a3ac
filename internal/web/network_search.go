package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The analysts' network as they work in it: a search for a record, filters on the
// cases, and records expanded one step at a time, all in the page's address, so
// that it works without JavaScript and a view can be shared or exported.

// searchDrawLimit is the most records a search's drawing shows: more cannot be
// read. The tables beneath list every record found.
const searchDrawLimit = 60

// networkForm is the search as typed, kept as text so that a wrong value comes back
// as typed.
type networkForm struct {
	By, Q, From, To, District, Exploitation string
	Expand                                  []string
}

var networkFormFields = []string{"by", "q", "from", "to", "district", "exploitation", "expand"}

func readNetworkForm(v url.Values) networkForm {
	return networkForm{By: v.Get("by"), Q: strings.TrimSpace(v.Get("q")), From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to")),
		District: v.Get("district"), Exploitation: v.Get("exploitation"), Expand: v["expand"]}
}

// values is the form as a query; without the expansions when only the search and
// filters are wanted.
func (f networkForm) values(expand bool) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"by": f.By, "q": f.Q, "from": f.From, "to": f.To, "district": f.District, "exploitation": f.Exploitation} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Q == "" {
		v.Del("by")
	}
	if expand {
		v["expand"] = f.Expand
	}
	return v
}

// href is the address of the page, or of an export ("csv", "graphml"), for f.
func (f networkForm) href(export string) string {
	path := "/analysis/network"
	if export != "" {
		path += "." + export
	}
	if q := f.values(true).Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

// searchRow is a record found, in the table of a search.
type searchRow struct {
	Kind, Label, HeldBy string
	Reveal              []revealLink // a pseudonymised person: ask each holder to reveal them
	Revealed            bool         // the label is the name, revealed to the viewer
	Steps               int
	Root                bool
	Expand              string // the address that adds its neighbours; "" when they are shown
}

// timelineRow is an event of a case found: opened or closed.
type timelineRow struct {
	at                          time.Time
	When, Record, Event, HeldBy string
}

// networkTimeline lists the opening and closing of the cases found, oldest first.
func networkTimeline(nodes []tropic.NetworkNode) []timelineRow {
	var out []timelineRow
	for _, n := range nodes {
		if n.Kind != "case" || n.Opened.IsZero() {
			continue
		}
		out = append(out, timelineRow{at: n.Opened, Record: n.Label, Event: "Opened", HeldBy: n.HeldBy})
		if !n.Closed.IsZero() {
			out = append(out, timelineRow{at: n.Closed, Record: n.Label, Event: "Closed", HeldBy: n.HeldBy})
		}
	}
	slices.SortStableFunc(out, func(a, b timelineRow) int { return a.at.Compare(b.at) })
	for i := range out {
		out[i].When = out[i].at.In(partnershipZone).Format("2 January 2006")
	}
	return out
}

// searchEdgeRow is a connection found.
type searchEdgeRow struct{ From, To, Why string }

// networkSearchOptions fills the form's choices.
func (s *Server) networkSearchOptions(r *http.Request, p *networkPage, f networkForm) ([]tropic.District, error) {
	byLabels := map[string]string{tropic.NetworkByReference: "Case reference", tropic.NetworkByBusiness: "Business name",
		tropic.NetworkByPostcode: "Postcode", tropic.NetworkByPhone: "Phone number", tropic.NetworkByVehicle: "Vehicle registration"}
	for _, k := range tropic.NetworkSearchKinds {
		p.SearchBy = append(p.SearchBy, selectOption{Value: k, Label: byLabels[k], Selected: f.By == k})
	}
	p.Exploitations = []selectOption{{Value: "", Label: "Any type", Selected: f.Exploitation == ""}}
	for _, e := range tropic.ExploitationTypes {
		p.Exploitations = append(p.Exploitations, selectOption{Value: string(e), Label: e.PlainLabel(), Selected: f.Exploitation == string(e)})
	}
	p.Districts = []selectOption{{Value: "", Label: "Any district", Selected: f.District == ""}}
	districts, err := s.networkDistricts(r)
	if err != nil {
		return nil, err
	}
	for _, d := range districts {
		p.Districts = append(p.Districts, selectOption{Value: d.Slug, Label: d.Name, Selected: f.District == d.Slug})
	}
	return districts, nil
}

// readNetworkQuery parses the page's address (tropic.ParseNetworkQuery) and checks
// the district is one of the partnership's.
func readNetworkQuery(v url.Values, districts []tropic.District) (tropic.NetworkQuery, error) {
	q, err := tropic.ParseNetworkQuery(v)
	if err != nil {
		return q, err
	}
	if q.District != "" && districts != nil && !slices.ContainsFunc(districts, func(d tropic.District) bool { return d.Slug == q.District }) {
		var p tropic.Problems
		p.Add("district", "Choose a district from the list")
		return q, p.Err()
	}
	return q, nil
}

// searchNoun names what was searched for in a sentence: "the postcode AL1 3JX"; a
// record the network pseudonymises is not named beside its pseudonym, outside the
// form: "the phone number searched for".
func searchNoun(q tropic.NetworkQuery) string {
	switch q.By {
	case tropic.NetworkByBusiness:
		return "the business " + q.Search
	case tropic.NetworkByPostcode:
		return "the postcode " + q.Search
	}
	return map[string]string{tropic.NetworkByReference: "the case", tropic.NetworkByPhone: "the phone number",
		tropic.NetworkByVehicle: "the vehicle"}[q.By] + " searched for"
}

// showSearch fills the page with the records a search found: the drawing of those
// nearest the record searched for, what it leaves out and why, and every record
// and connection in tables, each record with a link to expand it.
func showSearch(p *networkPage, nw *tropic.Network, q tropic.NetworkQuery, f networkForm) {
	p.Searched = true
	if len(nw.Nodes) == 0 {
		p.Empty = "Nothing in the partnership's network has " + searchNoun(q)
		if q.Filtered() {
			p.Empty += " among the cases the filters keep"
		}
		p.Empty += "."
		return
	}
	labels := map[string]string{}
	for _, n := range nw.Nodes {
		labels[n.Key] = n.Label
		row := searchRow{Kind: networkKindLabel(n.Kind), Label: n.Label, HeldBy: cmp.Or(nodeHeldBy(n), "—"), Steps: n.Steps, Root: n.Root,
			Reveal: revealLinks(n), Revealed: n.Revealed}
		if !n.Expanded {
			g := f
			g.Expand = append(slices.Clone(f.Expand), n.Key)
			row.Expand = g.href("")
		}
		p.Found = append(p.Found, row)
	}
	p.Timeline = networkTimeline(nw.Nodes)
	for _, e := range nw.Edges {
		p.FoundEdges = append(p.FoundEdges, searchEdgeRow{From: labels[e.From], To: labels[e.To], Why: e.Why})
	}
	v := collapseLeaves(nw.Nodes, nw.Edges, true)
	all := v.records()
	root := slices.IndexFunc(v.Nodes, func(n netNode) bool { return n.Root })
	drawn, cut := v.nearest(searchDrawLimit, root)
	title := "Network of " + searchNoun(q)
	d := drawView("search", title, drawn, nil, true)
	d.Heading = capitalise(networkSummary(len(nw.Nodes), len(nw.Edges))) + " found"
	d.Lead = analystGroupLead(nw.Nodes)
	if cut {
		d.Note = leftOutText(v, drawn, all)
	}
	p.Drawings = []networkDrawing{d}
}

// leftOutText says what a drawing cut down to the records nearest the search
// leaves out, by kind, and why.
func leftOutText(all, drawn networkView, records int) string {
	count := func(v networkView) map[string]int {
		c := map[string]int{}
		for _, n := range v.Nodes {
			c[n.Kind] += n.Count
		}
		return c
	}
	a, d := count(all), count(drawn)
	var parts []string
	for _, k := range networkKinds {
		if left := a[k.Kind] - d[k.Kind]; left > 0 {
			parts = append(parts, networkKindCount(left, k.Kind))
		}
	}
	return fmt.Sprintf("A drawing of more than %d shapes cannot be read, so this one shows the %d records nearest the one searched for, of the %d found: it leaves out %s. The tables below list all %d.",
		searchDrawLimit, drawn.records(), records, joinAnd(parts), records)
}
