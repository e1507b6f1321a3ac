package web

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRewrittenJSONFieldNamesTheFieldTheDecoderWouldRewrite(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"description": "plain text, ünïcödé and 😀"}`, ""},
		{`{"description": "an emoji escaped as a pair: \ud83d\ude00"}`, ""},
		{`{"description": "an escaped replacement character \ufffd, kept as sent"}`, ""},
		{"{\"description\": \"bad \xff byte\"}", "description"},
		{"{\"description\": \"ok\", \"location\": {\"postcode\": \"AL1\", \"address\": \"\xc3\"}}", "location.address"},
		{"{\"businesses\": [\"one\", \"two\", \"\xed\xa0\x80\"]}", "businesses[2]"},
		{"{\"vehicles\": [{}, {\"registration\": \"AB12\", \"description\": \"van \xe2\x82\"}]}", "vehicles[1].description"},
		{`{"description": "a lone high half \ud83d then text"}`, "description"},
		{`{"description": "a lone low half \ude00"}`, "description"},
		{`{"description": "two highs \ud83d\ud83d"}`, "description"},
		{`{"description": "a backslash then text: \\ud83d"}`, ""},
		{`{"people": {"count": 3, "description": "x\uD800"}}`, "people.description"},
		{"{\"na\xffme\": \"x\"}", "body"},
		{"{\"location\": {\"addr\xffess\": \"x\"}}", "location"},
		{"\"top \xff\"", "body"},
		{"{\"description\": \"x\"} \xff", "body"},
		{"{\"description\": \xff}", "body"},
		{`{"description": "\ud83d", broken`, "description"},
		{`{"description": "fine", broken \ud83d`, ""},
	} {
		if got := rewrittenJSONField([]byte(tc.body)); got != tc.want {
			t.Errorf("rewrittenJSONField(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

// FuzzRewrittenJSONField: whatever the body, bytes that are not UTF-8 are always
// refused, and a body let through decodes with no replacement character the body did
// not hold itself.
func FuzzRewrittenJSONField(f *testing.F) {
	for _, s := range []string{`{"a": "b"}`, `{"a": ["\ud83d\ude00", "\ud83d"]}`, "{\"a\": \"\xff\"}", `{"a": {"b": [1, {"c": "\udc00"}]}}`,
		`"\ufffd"`, "[\"\xef\xbf\xbd\"]", `{"a\ud800": 1}`, `{"a": "\\\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := rewrittenJSONField(body)
		if !utf8.Valid(body) && got == "" {
			t.Fatalf("%q is not UTF-8 but was let through", body)
		}
		if got != "" || !json.Valid(body) {
			return
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return
		}
		lower := bytes.ToLower(body)
		if bytes.Contains(body, []byte("\uFFFD")) || bytes.Contains(lower, []byte("fffd")) {
			return // the body may hold the replacement character itself
		}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				if strings.ContainsRune(v, utf8.RuneError) {
					t.Fatalf("%q was let through, but decodes with a replacement character: %q", body, v)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			case map[string]any:
				for k, x := range v {
					walk(k)
					walk(x)
				}
			}
		}
		walk(v)
	})
}
