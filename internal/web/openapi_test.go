package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes holds /api/v1/openapi.json to the API routes that exist:
// every authenticated route is documented, and every documented operation is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, Config{})
	res := ts.client(t).get("/api/v1/openapi.json")
	wantStatus(t, res, http.StatusOK)
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want JSON", ct)
	}

	var doc struct {
		OpenAPI string `json:"openapi"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths map[string]map[string]struct {
			OperationID string                     `json:"operationId"`
			Responses   map[string]json.RawMessage `json:"responses"`
			Security    *[]json.RawMessage         `json:"security"`
		} `json:"paths"`
	}
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatalf("the document is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
		t.Fatalf("servers %+v, want one: /api/v1", doc.Servers)
	}
	prefix := doc.Servers[0].URL

	methods := []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}
	documented := map[string]bool{}
	operationIDs := map[string]bool{}
	for path, item := range doc.Paths {
		for key, op := range item {
			if !slices.Contains(methods, key) {
				continue // parameters, summary and the like
			}
			documented[strings.ToUpper(key)+" "+prefix+path] = true
			if op.OperationID == "" || operationIDs[op.OperationID] {
				t.Errorf("%s %s: operationId %q is missing or repeated", key, path, op.OperationID)
			}
			operationIDs[op.OperationID] = true
			public := op.Security != nil && len(*op.Security) == 0
			if public != slices.Contains(ts.srv.publicAPIRoutes, strings.ToUpper(key)+" "+prefix+path) {
				t.Errorf("%s %s: security: [] must mark exactly the public routes", key, path)
			}
			if _, ok := op.Responses["401"]; !ok && !public {
				t.Errorf("%s %s does not document the 401 every API route can answer", key, path)
			}
		}
	}

	routed := map[string]bool{}
	for _, pattern := range append(slices.Clone(ts.srv.apiRoutes), ts.srv.publicAPIRoutes...) {
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			t.Errorf("API route %q has no method", pattern)
			continue
		}
		// Go's "{name...}" wildcard is OpenAPI's "{name}".
		routed[method+" "+strings.ReplaceAll(path, "...}", "}")] = true
	}
	if len(routed) == 0 {
		t.Fatal("the server registered no API routes")
	}
	for r := range routed {
		if !documented[r] {
			t.Errorf("route %q is not in openapi.json", r)
		}
	}
	for d := range documented {
		if !routed[d] {
			t.Errorf("openapi.json documents %q, which is not routed", d)
		}
	}

	// Every local $ref points at something in the document.
	var tree any
	json.Unmarshal([]byte(res.body), &tree)
	walkRefs(tree, func(ref string) {
		if !strings.HasPrefix(ref, "#/") {
			t.Errorf("$ref %q is not local", ref)
			return
		}
		var node any = tree
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, ok := node.(map[string]any)
			if !ok {
				node = nil
				break
			}
			node = m[strings.NewReplacer("~1", "/", "~0", "~").Replace(part)]
		}
		if node == nil {
			t.Errorf("$ref %q points at nothing", ref)
		}
	})
}

func walkRefs(v any, f func(string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				f(s)
			} else {
				walkRefs(x, f)
			}
		}
	case []any:
		for _, x := range v {
			walkRefs(x, f)
		}
	}
}
