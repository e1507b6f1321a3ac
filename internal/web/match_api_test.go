package web

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

func TestMatchesAPIListsDecidesAndUndoes(t *testing.T) {
	e := newCaseEnv(t)
	police := e.as(e.worker)
	first := e.newCase(police, "Car wash, Victoria Street")
	e.addPerson(police, first, anna)
	second := e.newCase(police, "Nail bar, London Road")
	e.addPerson(police, second, annaAgain)
	council := e.as(e.cWorker)
	councilRef := e.newCase(council, "Overcrowded house")
	e.addPerson(council, councilRef, annaAgain)
	token, _ := e.ts.newToken(e.worker.ID, time.Time{})
	cToken, _ := e.ts.newToken(e.cWorker.ID, time.Time{})
	base := "/api/v1/cases/" + first + "/matches"

	res, body := jsonCall(t, e.ts, "GET", base, token, nil)
	wantStatus(t, res, http.StatusOK)
	list, _ := body["suggestions"].([]any)
	if len(list) != 2 {
		t.Fatalf("%d suggestions, want 2 (one on each other case):\n%s", len(list), res.body)
	}
	var visible, hidden map[string]any
	for _, x := range list {
		m := x.(map[string]any)
		if m["visible"] == true {
			visible = m
		} else {
			hidden = m
		}
	}
	if visible == nil || hidden == nil {
		t.Fatalf("want one visible and one hidden suggestion:\n%s", res.body)
	}
	if visible["other_name"] != "Ana Kowalska" || !reflect.DeepEqual(visible["other_cases"], []any{second}) || visible["status"] != "open" ||
		visible["person_name"] != "Anna Kowalska" || visible["explanation"] == "" {
		t.Errorf("the visible suggestion: %v", visible)
	}
	if p, _ := visible["probability"].(float64); p <= 0 || p > 1 {
		t.Errorf("probability %v", visible["probability"])
	}
	if hidden["held_by"] != "Watford Borough Council" || strings.Contains(res.body, councilRef) {
		t.Errorf("the hidden suggestion tells more than who holds it: %v", hidden)
	}
	for _, k := range []string{"other_name", "other_person_id", "other_cases", "reason"} {
		if _, ok := hidden[k]; ok {
			t.Errorf("the hidden suggestion carries %s", k)
		}
	}
	id := int64(visible["id"].(float64))
	hiddenID := int64(hidden["id"].(float64))
	decide := fmt.Sprintf("%s/%d", base, id)

	// Problems name the field.
	res, body = jsonCall(t, e.ts, "POST", decide, token, map[string]any{"decision": "maybe"})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if jget(body, "error", "fields", "decision") == nil {
		t.Errorf("no problem with decision: %s", res.body)
	}
	res, body = jsonCall(t, e.ts, "POST", decide, token, map[string]any{"decision": "merge"})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if jget(body, "error", "fields", "reason") == nil {
		t.Errorf("no problem with reason: %s", res.body)
	}
	res, _ = jsonCall(t, e.ts, "POST", decide, token, map[string]any{"decision": "merge", "reason": "x", "extra": 1})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	// A record the police may not see may not be linked.
	res, body = jsonCall(t, e.ts, "POST", fmt.Sprintf("%s/%d", base, hiddenID), token, map[string]any{"decision": "link"})
	wantStatus(t, res, http.StatusForbidden)
	if jget(body, "error", "code") != "forbidden" {
		t.Errorf("want code forbidden: %s", res.body)
	}
	// The council may not see the police's case: as missing.
	res, _ = jsonCall(t, e.ts, "POST", decide, cToken, map[string]any{"decision": "reject", "reason": "Not ours"})
	wantStatus(t, res, http.StatusNotFound)
	res, _ = jsonCall(t, e.ts, "GET", base, cToken, nil)
	wantStatus(t, res, http.StatusNotFound)

	// Merge, then undo.
	res, body = jsonCall(t, e.ts, "POST", decide, token, map[string]any{"decision": "merge", "reason": "Same passport"})
	wantStatus(t, res, http.StatusOK)
	if body["status"] != "merged" || body["id"] != float64(id) {
		t.Errorf("after merging: %s", res.body)
	}
	res, body = jsonCall(t, e.ts, "GET", base, token, nil)
	if !strings.Contains(res.body, `"status": "merged"`) || !strings.Contains(res.body, `"reason": "Same passport"`) {
		t.Errorf("the merge is not listed:\n%s", res.body)
	}
	res, _ = jsonCall(t, e.ts, "POST", decide, token, map[string]any{"decision": "reject", "reason": "Again"})
	wantStatus(t, res, http.StatusConflict)
	res, body = jsonCall(t, e.ts, "POST", decide+"/undo", token, map[string]any{})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if jget(body, "error", "fields", "reason") == nil {
		t.Errorf("no problem with reason: %s", res.body)
	}
	res, body = jsonCall(t, e.ts, "POST", decide+"/undo", token, map[string]any{"reason": "Two women"})
	wantStatus(t, res, http.StatusOK)
	if body["status"] != "undone" {
		t.Errorf("after undoing: %s", res.body)
	}

	// Shared with the council, the case is theirs to read, not to decide on.
	e.share(first, e.council, tropic.ShareWhole)
	res, _ = jsonCall(t, e.ts, "GET", base, cToken, nil)
	wantStatus(t, res, http.StatusOK)
	res, body = jsonCall(t, e.ts, "POST", fmt.Sprintf("%s/%d", base, hiddenID), cToken, map[string]any{"decision": "reject", "reason": "Not her"})
	wantStatus(t, res, http.StatusForbidden)
	if !strings.Contains(fmt.Sprint(jget(body, "error", "message")), "Hertfordshire Constabulary") {
		t.Errorf("the refusal does not say who decides: %s", res.body)
	}
}

func TestNetworkAPI(t *testing.T) {
	e := newCaseEnv(t)
	policeRef, councilRef, police2 := phoneCases(e)
	token, _ := e.ts.newToken(e.worker.ID, time.Time{})
	res, body := jsonCall(t, e.ts, "GET", "/api/v1/cases/"+policeRef+"/network", token, nil)
	wantStatus(t, res, http.StatusOK)
	nodes, _ := body["nodes"].([]any)
	edges, _ := body["edges"].([]any)
	if len(nodes) < 4 || len(edges) < 3 || body["truncated"] != false {
		t.Fatalf("the network is too small:\n%s", res.body)
	}
	var root, other, heldBy bool
	for _, x := range nodes {
		n := x.(map[string]any)
		root = root || n["root"] == true && n["case_reference"] == policeRef
		other = other || n["case_reference"] == police2
		heldBy = heldBy || n["visible"] == false && n["held_by"] == "Watford Borough Council"
	}
	if !root || !other || !heldBy {
		t.Errorf("root %v, other case %v, held by the council %v:\n%s", root, other, heldBy, res.body)
	}
	if strings.Contains(res.body, councilRef) || strings.Contains(res.body, "council title") {
		t.Errorf("the network tells of the council's case:\n%s", res.body)
	}
	res, body = jsonCall(t, e.ts, "GET", "/api/v1/cases/"+policeRef+"/network?depth=0", token, nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if jget(body, "error", "fields", "depth") == nil {
		t.Errorf("no problem with depth: %s", res.body)
	}
	cToken, _ := e.ts.newToken(e.cWorker.ID, time.Time{})
	res, _ = jsonCall(t, e.ts, "GET", "/api/v1/cases/"+policeRef+"/network", cToken, nil)
	wantStatus(t, res, http.StatusNotFound)
}

// TestOpenAPIMatchSchemasMatchTheCode holds the schemas of the matches API to the
// Go types encoded and decoded, and their enumerations to the domain's.
func TestOpenAPIMatchSchemasMatchTheCode(t *testing.T) {
	doc := loadOpenAPISchemas(t)
	checkSchemasMatchCode(t, doc, []codeSchema{
		{"Suggestion", apiSuggestion{}, false},
		{"SuggestionList", apiSuggestionList{}, false},
		{"MatchDecisionInput", apiMatchDecisionInput{}, true},
		{"UndoMergeInput", apiUndoMergeInput{}, true},
		{"Network", apiNetwork{}, false},
		{"NetworkNode", apiNetworkNode{}, false},
		{"NetworkEdge", apiNetworkEdge{}, false},
		{"DecisionResult", apiDecision{}, false},
	})
	var decisions, kinds []string
	for _, d := range matchDecisions {
		decisions = append(decisions, string(d.d))
	}
	for _, k := range networkKinds {
		kinds = append(kinds, k.Kind)
	}
	checks := []struct {
		schema, prop string
		want         []string
	}{
		{"MatchDecisionInput", "decision", decisions},
		{"Suggestion", "status", []string{string(tropic.MatchOpen), string(tropic.MatchLinked), string(tropic.MatchMerged)}},
		{"Suggestion", "band", []string{string(tropic.BandStrong), string(tropic.BandLikely), string(tropic.BandPossible)}},
		{"NetworkNode", "kind", kinds},
	}
	for _, c := range checks {
		if got := doc.enum(c.schema, c.prop); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s.%s enumerates %v; the code has %v", c.schema, c.prop, got, c.want)
		}
	}
}
