package tropic_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

func TestParseNetworkQuery(t *testing.T) {
	ref := tropic.NewCaseReference()
	key := "person:0123456789abcdef"
	tests := []struct {
		name, query string
		field       string // the field named, "" for none
		check       func(q tropic.NetworkQuery) bool
	}{
		{"nothing: the largest groups", "", "", func(q tropic.NetworkQuery) bool { return q.Search == "" && !q.Filtered() }},
		{"a postcode is normalised", "by=postcode&q=al13jx", "", func(q tropic.NetworkQuery) bool { return q.Search == "AL1 3JX" }},
		{"a registration is normalised", "by=vehicle&q=ab12-cde", "", func(q tropic.NetworkQuery) bool { return q.Search == "AB12CDE" }},
		{"a reference is read as typed", "by=reference&q=" + url.QueryEscape(strings.ToLower(ref)), "", func(q tropic.NetworkQuery) bool { return q.Search == ref }},
		{"a period", "from=2026-01-01&to=2026-01-31", "", func(q tropic.NetworkQuery) bool {
			return q.IncludesCase(time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), "", "") && !q.IncludesCase(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), "", "")
		}},
		{"a type of exploitation among several", "exploitation=criminal", "", func(q tropic.NetworkQuery) bool {
			return q.IncludesCase(time.Now(), "", "sexual,criminal") && !q.IncludesCase(time.Now(), "", "sexual")
		}},
		{"a district", "district=st-albans", "", func(q tropic.NetworkQuery) bool {
			return q.IncludesCase(time.Now(), "st-albans", "") && !q.IncludesCase(time.Now(), "watford", "")
		}},
		{"expansions, once each", "expand=" + key + "&expand=" + key, "", func(q tropic.NetworkQuery) bool { return len(q.Expand) == 1 }},
		{"a bad postcode", "by=postcode&q=nowhere", "q", nil},
		{"a bad reference", "by=reference&q=C-XXXX", "q", nil},
		{"an unknown search", "by=name&q=Smith", "by", nil},
		{"a bad date", "from=31/01/2026", "from", nil},
		{"a period ending before it starts", "from=2026-02-01&to=2026-01-01", "to", nil},
		{"an unknown exploitation", "exploitation=other", "exploitation", nil},
		{"a bad district", "district=../x", "district", nil},
		{"a bad key", "expand=person:7", "expand", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, _ := url.ParseQuery(tc.query)
			q, err := tropic.ParseNetworkQuery(v)
			if tc.field != "" {
				if tropic.ErrorFields(err)[tc.field] == "" {
					t.Fatalf("want a problem with %s, got %v (%v)", tc.field, err, tropic.ErrorFields(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(q) {
				t.Errorf("query %+v", q)
			}
		})
	}
}

func FuzzParseNetworkQuery(f *testing.F) {
	for _, s := range []string{"by=postcode&q=AL1+3JX", "from=2026-01-01&to=2025-01-01", "expand=case:0123456789abcdef", "by=phone&q=07700900123&district=watford&exploitation=labour", "q=%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := url.ParseQuery(s)
		if err != nil {
			return
		}
		q, err := tropic.ParseNetworkQuery(v)
		if err != nil {
			if tropic.ErrorCode(err) != tropic.EINVALID || len(tropic.ErrorFields(err)) == 0 {
				t.Fatalf("%q: an error naming no field: %v", s, err)
			}
			return
		}
		if q.Search != "" && !func() bool {
			for _, k := range tropic.NetworkSearchKinds {
				if q.By == k {
					return true
				}
			}
			return false
		}() {
			t.Fatalf("%q: a search by %q", s, q.By)
		}
		for _, k := range q.Expand {
			if !tropic.IsNetworkKey(k) {
				t.Fatalf("%q: expands %q", s, k)
			}
		}
		if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
			t.Fatalf("%q: a period ending before it starts", s)
		}
	})
}
