package web

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"tropic/internal/tropic"
)

// FuzzMeetingEditForm: whatever is posted to the form changing a meeting (or the
// JSON changing it), the edit either names its problems by the form's fields or
// leaves a meeting that holds: a real date, a known kind, the convenor attending
// with at least one other agency.
func FuzzMeetingEditForm(f *testing.F) {
	for _, s := range []string{"", "kind=tasking&title=T&held_on=1%2F12%2F2026&agencies=2&version=1",
		"kind=x&held_on=31/02/2026&agencies=-1&agencies=abc", "title=%00&held_on=2026-12-01&agencies=99999999999999999999",
		`{"version":1,"held_on":"2026-12-08","agency_ids":[2,3]}`, `{"version":1,"agency_ids":null}`, `{"kind":7}`} {
		f.Add(s)
	}
	base := &tropic.Meeting{ID: 1, Kind: tropic.MeetingTasking, Title: "Base", HeldOn: "2026-12-01", AgencyIDs: []int64{1, 2}, ConvenorAgencyID: 1, Version: 1}
	known := []string{"kind", "title", "held_on", "agencies", "people"}
	check := func(t *testing.T, e tropic.MeetingEdit) {
		n, err := e.Apply(base)
		if err != nil {
			for k := range tropic.ErrorFields(err) {
				if !slices.Contains(known, k) {
					t.Fatalf("problem names field %q, not on the form", k)
				}
			}
			return
		}
		if _, perr := time.Parse(time.DateOnly, n.HeldOn); perr != nil || !slices.Contains(tropic.MeetingKinds, n.Kind) ||
			!slices.Contains(n.AgencyIDs, base.ConvenorAgencyID) || len(n.AgencyIDs) < 2 || strings.TrimSpace(n.Title) == "" {
			t.Fatalf("edit %+v left %+v", e, n)
		}
	}
	srv := &Server{}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/meetings/1/edit", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if r.ParseForm() == nil {
			m, _ := meetingFromForm(r)
			check(t, tropic.MeetingEdit{Kind: m.Kind, Title: m.Title, HeldOn: m.HeldOn, AgencyIDs: append(m.AgencyIDs, 1), People: m.People, Version: 1})
		}
		r = httptest.NewRequest(http.MethodPatch, "/api/v1/meetings/1", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var in apiMeetingPatch
		if srv.decodeJSON(httptest.NewRecorder(), r, &in) {
			e := tropic.MeetingEdit{Kind: base.Kind, Title: base.Title, HeldOn: base.HeldOn, AgencyIDs: base.AgencyIDs}
			if in.Kind != nil {
				e.Kind = tropic.MeetingKind(*in.Kind)
			}
			apiSet(&e.Title, in.Title)
			apiSet(&e.HeldOn, in.HeldOn)
			if in.AgencyIDs != nil {
				e.AgencyIDs = *in.AgencyIDs
			}
			check(t, e)
		}
	})
}
