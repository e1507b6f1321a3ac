package web

import (
	"cmp"
	"encoding/xml"
	"net/http"
	"strings"

	"tropic/internal/tropic"
)

// The analysts' network as files analysts load into their own tools: a CSV of
// links in the layout i2 Analyst's Notebook imports (one row per link, each end an
// entity with its type), and GraphML. Each holds what the page at the same address
// shows, named and pseudonymised as there, and the store audits it as an export.

// networkCSVHeader is the export's columns: i2's two entities, their types and the
// link, then each entity's key (unique where two pseudonyms begin alike) and
// holding agency.
var networkCSVHeader = []string{"Entity1", "Type1", "Entity2", "Type2", "Link", "Entity1 key", "Entity2 key", "Entity1 held by", "Entity2 held by"}

// handleAnalystNetworkExport writes the network the page's address selects as
// "csv" or "graphml".
func (s *Server) handleAnalystNetworkExport(format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		districts, err := s.networkDistricts(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		q, err := readNetworkQuery(r.URL.Query(), districts)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		q.Export = format
		nw, err := s.deps.Matches.AnalystNetwork(r.Context(), actorOf(r), q, analystNetworkLimit)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if format == "graphml" {
			w.Header().Set("Content-Type", "application/graphml+xml; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="network.graphml"`)
			writeGraphML(w, nw)
			return
		}
		if err := writeTableFile(w, "csv", tableFile{Name: "network", Header: networkCSVHeader, Rows: networkCSVRows(nw)}); err != nil {
			s.log.Error("network export", "error", err.Error())
		}
	})
}

// networkDistricts lists the partnership's districts, nil when reports are not wired.
func (s *Server) networkDistricts(r *http.Request) ([]tropic.District, error) {
	if s.deps.Reports == nil {
		return nil, nil
	}
	return s.deps.Reports.FindDistricts(r.Context())
}

// networkCSVRows is a row per link, and a row with one entity for a record joined
// to nothing drawn.
func networkCSVRows(nw *tropic.Network) [][]string {
	nodes := map[string]tropic.NetworkNode{}
	linked := map[string]bool{}
	for _, n := range nw.Nodes {
		nodes[n.Key] = n
	}
	var rows [][]string
	for _, e := range nw.Edges {
		a, b := nodes[e.From], nodes[e.To]
		linked[a.Key], linked[b.Key] = true, true
		rows = append(rows, []string{a.Label, networkKindLabel(a.Kind), b.Label, networkKindLabel(b.Kind), e.Why, a.Key, b.Key, nodeHeldBy(a), nodeHeldBy(b)})
	}
	for _, n := range nw.Nodes {
		if !linked[n.Key] {
			rows = append(rows, []string{n.Label, networkKindLabel(n.Kind), "", "", "", n.Key, "", nodeHeldBy(n), ""})
		}
	}
	return rows
}

// nodeHeldBy names who holds a record as the page does: a case or report its
// holding agency, a pseudonymised person the agencies owning a case they are on.
func nodeHeldBy(n tropic.NetworkNode) string {
	return cmp.Or(n.HeldBy, holderNames(n))
}

// writeGraphML writes the network as GraphML: nodes with their label, kind and
// holding agency, undirected edges with why they join.
func writeGraphML(w http.ResponseWriter, nw *tropic.Network) {
	var b strings.Builder
	esc := func(s string) string {
		var e strings.Builder
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="kind" for="node" attr.name="kind" attr.type="string"/>
  <key id="heldBy" for="node" attr.name="held_by" attr.type="string"/>
  <key id="searched" for="node" attr.name="searched_for" attr.type="boolean"><default>false</default></key>
  <key id="why" for="edge" attr.name="why" attr.type="string"/>
  <graph id="network" edgedefault="undirected">
`)
	for _, n := range nw.Nodes {
		b.WriteString(`    <node id="` + esc(n.Key) + `"><data key="label">` + esc(n.Label) + `</data><data key="kind">` + esc(n.Kind) + `</data>`)
		if h := nodeHeldBy(n); h != "" {
			b.WriteString(`<data key="heldBy">` + esc(h) + `</data>`)
		}
		if n.Root {
			b.WriteString(`<data key="searched">true</data>`)
		}
		b.WriteString("</node>\n")
	}
	for _, e := range nw.Edges {
		b.WriteString(`    <edge source="` + esc(e.From) + `" target="` + esc(e.To) + `"><data key="why">` + esc(e.Why) + "</data></edge>\n")
	}
	b.WriteString("  </graph>\n</graphml>\n")
	w.Write([]byte(b.String()))
}
