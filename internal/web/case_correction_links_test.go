package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"tropic/internal/store/storetest"
)

// On each database, through the pages: a phone, vehicle, business or postcode that
// linked the police's case to the council's, corrected or removed by the police,
// stops linking at once, and the council's case page says the link was withdrawn
// (and why) instead of dropping it without a word, still naming no more than the
// agency that holds the other case.
func TestEveryCorrectedOrRemovedIdentifierIsToldWithdrawnOnThePages(t *testing.T) {
	type identifier struct {
		part          string
		add           func(n int) url.Values
		change        func(n int) url.Values
		remove        bool
		why, withheld string
	}
	kinds := []identifier{
		{part: "phones", add: func(n int) url.Values { return url.Values{"number": {fmt.Sprintf("07700 90010%d", n)}} },
			change: func(n int) url.Values { return url.Values{"number": {fmt.Sprintf("07700 90020%d", n)}} }},
		{part: "vehicles", add: func(n int) url.Values { return url.Values{"registration": {fmt.Sprintf("AB1%d CDE", n)}} },
			change: func(n int) url.Values { return url.Values{"registration": {fmt.Sprintf("XY1%d CDE", n)}} }},
		{part: "businesses", add: func(n int) url.Values {
			return url.Values{"name": {fmt.Sprintf("Sparkle Wash %d", n)}, "kind": {"car_wash"}}
		},
			change: func(n int) url.Values {
				return url.Values{"name": {fmt.Sprintf("Shine Nails %d", n)}, "kind": {"nail_bar"}}
			}},
		{part: "places", add: func(n int) url.Values {
			return url.Values{"kind": {"workplace"}, "address": {"Unit 4"}, "postcode": {fmt.Sprintf("AL%d 3JX", n)}}
		}, change: func(n int) url.Values {
			return url.Values{"kind": {"workplace"}, "address": {"Unit 4"}, "postcode": {fmt.Sprintf("AL%d 3JY", n)}}
		}},
	}
	var cases []identifier
	for _, k := range kinds {
		corrected, removed := k, k
		corrected.why = "(the other record was corrected)"
		removed.remove, removed.why = true, "(removed from the other record: duplicate)"
		cases = append(cases, corrected, removed)
	}
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			e := newCaseEnvOn(t, d)
			police, council := e.as(e.worker), e.as(e.cWorker)
			for n, tt := range cases {
				name := tt.part + " corrected"
				if tt.remove {
					name = tt.part + " removed"
				}
				t.Run(name, func(t *testing.T) {
					policeRef := e.newCase(police, fmt.Sprintf("Police title %d", n))
					councilRef := e.newCase(council, fmt.Sprintf("Council case %d", n))
					wantRedirect(t, police.post("/cases/"+policeRef+"/"+tt.part+"/new", tt.add(n)), "/cases/"+policeRef)
					wantRedirect(t, council.post("/cases/"+councilRef+"/"+tt.part+"/new", tt.add(n)), "/cases/"+councilRef)
					wantContains(t, pageText(council.get("/cases/"+councilRef).body), "1 other record): 1 record held by Hertfordshire Constabulary")

					id := e.itemID(police, policeRef, tt.part)
					if tt.remove {
						wantRedirect(t, police.post("/cases/"+policeRef+"/"+tt.part+"/"+id+"/remove", url.Values{"reason": {"duplicate"}, "version": {"1"}}), "/cases/"+policeRef)
					} else {
						v := tt.change(n)
						v.Set("version", "1")
						wantRedirect(t, police.post("/cases/"+policeRef+"/"+tt.part+"/"+id+"/edit", v), "/cases/"+policeRef)
					}
					page := pageText(council.get("/cases/" + councilRef).body)
					wantContains(t, page, "Link withdrawn", "the link to a record held by Hertfordshire Constabulary was withdrawn on", tt.why)
					wantNotContains(t, page, "1 record held by Hertfordshire Constabulary", policeRef, fmt.Sprintf("Police title %d", n))
					if res := police.get("/cases/" + policeRef); res.status != http.StatusOK {
						t.Fatalf("the police case: %d", res.status)
					}
					wantNotContains(t, pageText(police.get("/cases/"+policeRef).body), "held by Hertfordshire County Council", "Link withdrawn")
				})
			}
		})
	}
}
