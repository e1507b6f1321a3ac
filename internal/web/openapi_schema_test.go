package web

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"
)

// openAPIProperty and openAPISchema are what the schema tests read of openapi.json.
type openAPIProperty struct {
	Ref   string           `json:"$ref"`
	Enum  []string         `json:"enum"`
	Items *openAPIProperty `json:"items"`
}

type openAPISchema struct {
	AdditionalProperties *bool                      `json:"additionalProperties"`
	Required             []string                   `json:"required"`
	Properties           map[string]openAPIProperty `json:"properties"`
}

type openAPIDoc struct {
	Components struct {
		Schemas map[string]openAPISchema `json:"schemas"`
	} `json:"components"`
}

func loadOpenAPISchemas(t *testing.T) *openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// enum is what a property (or the items of a list property) enumerates.
func (d *openAPIDoc) enum(schema, prop string) []string {
	p := d.Components.Schemas[schema].Properties[prop]
	if p.Items != nil {
		return p.Items.Enum
	}
	return p.Enum
}

// codeSchema names the Go type encoded or decoded for a schema.
type codeSchema struct {
	name  string
	typ   any
	input bool // a request body: closed to unknown fields, as decodeJSON is
}

// checkSchemasMatchCode holds each schema to its Go type field by field, request
// bodies closed to unknown fields, and nested objects referring to their type's schema.
func checkSchemasMatchCode(t *testing.T, doc *openAPIDoc, schemas []codeSchema) {
	t.Helper()
	byType := map[reflect.Type]string{}
	for _, s := range schemas {
		byType[reflect.TypeOf(s.typ)] = s.name
	}
	for _, s := range schemas {
		typ := reflect.TypeOf(s.typ)
		sc, ok := doc.Components.Schemas[s.name]
		if !ok {
			t.Errorf("openapi.json has no schema %s for %s", s.name, typ)
			continue
		}
		var documented []string
		for k := range sc.Properties {
			documented = append(documented, k)
		}
		sort.Strings(documented)
		if code := jsonFieldsDeep(typ); !reflect.DeepEqual(documented, code) {
			t.Errorf("%s documents %v; the code has %v", s.name, documented, code)
		}
		if s.input && (sc.AdditionalProperties == nil || *sc.AdditionalProperties) {
			t.Errorf("%s is a request body, decoded strictly: it should say additionalProperties false", s.name)
		}
		for _, r := range sc.Required {
			if _, ok := sc.Properties[r]; !ok {
				t.Errorf("%s requires %q, which it does not document", s.name, r)
			}
		}
		for name, prop := range sc.Properties {
			f, ok := jsonField(typ, name)
			if !ok {
				continue
			}
			ft, ref := f.Type, prop.Ref
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Slice {
				ft = ft.Elem()
				if prop.Items == nil {
					t.Errorf("%s.%s is a list in the code, not in the document", s.name, name)
					continue
				}
				ref = prop.Items.Ref
			}
			if want, ok := byType[ft]; ok && ref != "#/components/schemas/"+want {
				t.Errorf("%s.%s refers to %q; the code encodes a %s", s.name, name, ref, want)
			}
		}
	}
}
