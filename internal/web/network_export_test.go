package web

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"tropic/internal/tropic"
)

// A pseudonymised person's holders are named in the exports as the page names them
// (their HeldBy is empty: they are held through the cases they are on).
func TestNetworkExportNamesPersonHolders(t *testing.T) {
	nw := &tropic.Network{
		Nodes: []tropic.NetworkNode{
			{Key: "case:1", Kind: "case", Label: "Case 1", HeldBy: "Hertfordshire Constabulary"},
			{Key: "person:2", Kind: "person", Label: "Person K7", Holders: []tropic.NetworkHolder{{ID: 1, Name: "Hertfordshire Constabulary"}, {ID: 2, Name: "Watford Borough Council"}}},
			{Key: "person:3", Kind: "person", Label: "Person Q2", Holders: []tropic.NetworkHolder{{ID: 2, Name: "Watford Borough Council"}}},
		},
		Edges: []tropic.NetworkEdge{{From: "case:1", To: "person:2", Why: "on the case"}},
	}
	rows := networkCSVRows(nw)
	if len(rows) != 2 {
		t.Fatalf("got %d rows, want 2: %q", len(rows), rows)
	}
	held := slices.Index(networkCSVHeader, "Entity2 held by")
	if got := rows[0][held]; got != "Hertfordshire Constabulary, Watford Borough Council" {
		t.Errorf("linked person held by %q", got)
	}
	if got := rows[1][held-1]; got != "Watford Borough Council" {
		t.Errorf("unlinked person held by %q", got)
	}
	w := httptest.NewRecorder()
	writeGraphML(w, nw)
	if !strings.Contains(w.Body.String(), `<node id="person:3"><data key="label">Person Q2</data><data key="kind">person</data><data key="heldBy">Watford Borough Council</data>`) {
		t.Errorf("GraphML does not name the person's holder:\n%s", w.Body.String())
	}
}
