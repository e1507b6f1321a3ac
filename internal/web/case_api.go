package web

import (
	"net/http"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The cases API: the operations of the case pages as JSON. The store enforces need to
// know on every call; the handlers decode, call it and encode. A case, person, task,
// share or request the token's user may not see answers exactly as a missing one.
// Sensitive fields (immigration status, health) are in the answer only when the user
// may see them, and never in lists.

// apiCaseSummary is a case as lists show it.
type apiCaseSummary struct {
	Reference         string        `json:"reference"`
	OwnerAgency       agencySummary `json:"owner_agency"`
	Title             string        `json:"title"`
	District          string        `json:"district"`
	ExploitationTypes []string      `json:"exploitation_types"`
	ExploitationLabel string        `json:"exploitation_label"`
	CountyLines       bool          `json:"county_lines"`
	Status            string        `json:"status"`
	Outcome           string        `json:"outcome,omitempty"`
	OpenedAt          time.Time     `json:"opened_at"`
	ClosedAt          *time.Time    `json:"closed_at,omitempty"`
	UpdatedAt         *time.Time    `json:"updated_at,omitempty"`
	Version           int           `json:"version"`
	OfficerUserID     int64         `json:"officer_user_id,omitempty"`
	Officer           string        `json:"officer,omitempty"`
	ReviewOn          string        `json:"review_on,omitempty"`
}

// apiCase is one case with everything the user may see on it.
type apiCase struct {
	apiCaseSummary
	CrimeReference  string          `json:"crime_reference,omitempty"`
	Offence         string          `json:"offence,omitempty"`
	CrimeRecordedAt *time.Time      `json:"crime_recorded_at,omitempty"`
	UpdatedBy       string          `json:"updated_by,omitempty"`
	Access          string          `json:"access"`
	SensitiveHidden bool            `json:"sensitive_hidden,omitempty"`
	Reports         []string        `json:"reports"`
	People          []apiCasePerson `json:"people"`
	Places          []apiPlace      `json:"places"`
	Businesses      []apiBusiness   `json:"businesses"`
	Vehicles        []apiVehicle    `json:"vehicles"`
	Phones          []apiPhone      `json:"phones"`
	Notes           []apiNote       `json:"notes"`
	Tasks           []apiTask       `json:"tasks"`
	Shares          []apiShare      `json:"shares"`
	Orders          []apiOrder      `json:"orders"`
	S45Notices      []apiS45Notice  `json:"s45_notices"`
	// For the owning agency: the request to close that waits, and what closing would leave open.
	PendingClosure  *apiClosure `json:"pending_closure,omitempty"`
	ClosureWarnings []string    `json:"closure_warnings,omitempty"`
}

type apiCaseList struct {
	Total int              `json:"total"`
	Cases []apiCaseSummary `json:"cases"`
}

type apiSearchHit struct {
	Case  apiCaseSummary `json:"case"`
	Match string         `json:"match"`
}

type apiSearchResult struct {
	Query string         `json:"query"`
	Hits  []apiSearchHit `json:"hits"`
}

// Request bodies.

type apiCaseInput struct {
	Title             string   `json:"title"`
	District          string   `json:"district"`
	ExploitationTypes []string `json:"exploitation_types"`
	CountyLines       bool     `json:"county_lines"`
	Status            string   `json:"status"`
	CrimeReference    string   `json:"crime_reference"`
	Offence           string   `json:"offence"`
	FromReport        string   `json:"from_report"`
	OfficerUserID     int64    `json:"officer_user_id"`
	ReviewOn          string   `json:"review_on"`
}

// apiCasePatch changes some of a case's fields: those left out keep their values.
type apiCasePatch struct {
	Version           *int      `json:"version"`
	Title             *string   `json:"title"`
	District          *string   `json:"district"`
	ExploitationTypes *[]string `json:"exploitation_types"`
	CountyLines       *bool     `json:"county_lines"`
	Status            *string   `json:"status"`
	CrimeReference    *string   `json:"crime_reference"`
	Offence           *string   `json:"offence"`
}

type apiCloseInput struct {
	Outcome         string `json:"outcome"`
	Version         *int   `json:"version"`
	Reason          string `json:"reason"`           // required of a caseworker, whose close becomes a request
	ConfirmWarnings bool   `json:"confirm_warnings"` // a supervisor closing over the closure warnings
}

type apiReopenInput struct {
	Reason  string `json:"reason"`
	Version *int   `json:"version"`
}

type apiLinkReportInput struct {
	Reference string `json:"reference"`
}

// Encoding.

func apiAccessName(a tropic.CaseAccess) string {
	if a == tropic.AccessWhole {
		return string(tropic.ShareWhole)
	}
	return string(tropic.ShareWithoutSensitive)
}

func apiCaseSummaryFrom(c *tropic.Case) apiCaseSummary {
	out := apiCaseSummary{
		Reference: c.Reference, OwnerAgency: agencySummary{ID: c.OwnerAgencyID, Name: c.OwnerAgency}, Title: c.Title,
		District: c.District, ExploitationTypes: []string{}, ExploitationLabel: c.Exploitation.Label(),
		CountyLines: c.Exploitation.CountyLines, Status: string(c.Status), Outcome: string(c.Outcome), OpenedAt: c.OpenedAt,
		ClosedAt: apiTime(c.ClosedAt), UpdatedAt: apiTime(c.UpdatedAt), Version: c.Version,
		OfficerUserID: c.OfficerUserID, Officer: c.Officer, ReviewOn: c.ReviewOn,
	}
	for _, t := range c.Exploitation.Types {
		out.ExploitationTypes = append(out.ExploitationTypes, string(t))
	}
	return out
}

// apiCaseFrom encodes a case for its viewer. The store leaves out what the viewer
// may not see; without a whole-case share, sensitive notes are dropped here as well.
func apiCaseFrom(c *tropic.Case, now time.Time) *apiCase {
	whole := c.Access == tropic.AccessWhole
	b := &apiCase{
		apiCaseSummary: apiCaseSummaryFrom(c), CrimeReference: c.CrimeReference, Offence: string(c.Offence),
		CrimeRecordedAt: apiTime(c.CrimeRecorded), UpdatedBy: c.UpdatedBy, Access: apiAccessName(c.Access), SensitiveHidden: !whole,
		Reports: append([]string{}, c.Reports...), People: []apiCasePerson{}, Places: []apiPlace{}, Businesses: []apiBusiness{},
		Vehicles: []apiVehicle{}, Phones: []apiPhone{}, Notes: []apiNote{}, Tasks: []apiTask{}, Shares: []apiShare{},
		Orders: []apiOrder{}, S45Notices: []apiS45Notice{}, ClosureWarnings: c.ClosureWarnings,
	}
	if c.PendingClosure != nil {
		b.PendingClosure = apiClosureFrom(c.PendingClosure)
	}
	for _, cp := range c.People {
		if cp.Person == nil {
			continue
		}
		b.People = append(b.People, apiCasePerson{ID: cp.ID, Person: apiPersonSummaryFrom(cp.Person), Role: string(cp.Role),
			CoercedOffender: cp.CoercedOffender, AddedAt: cp.AddedAt, PendingRoleChange: apiRoleChangePtr(cp.PendingRole), Version: max(cp.Version, 1)})
	}
	for _, p := range c.Places {
		b.Places = append(b.Places, apiPlaceFrom(p))
	}
	for _, x := range c.Business {
		b.Businesses = append(b.Businesses, apiBusinessFrom(x))
	}
	for _, v := range c.Vehicles {
		b.Vehicles = append(b.Vehicles, apiVehicleFrom(v))
	}
	for _, ph := range c.Phones {
		b.Phones = append(b.Phones, apiPhoneFrom(ph))
	}
	for _, n := range c.Notes {
		if n.Sensitive && !whole {
			continue
		}
		b.Notes = append(b.Notes, apiNoteFrom(n))
	}
	for _, t := range c.Tasks {
		b.Tasks = append(b.Tasks, apiTaskFrom(t, now))
	}
	for _, s := range c.Shares {
		b.Shares = append(b.Shares, apiShareFrom(s, now))
	}
	for _, o := range c.Orders {
		b.Orders = append(b.Orders, apiOrderFrom(o))
	}
	for _, n := range c.Notices {
		b.S45Notices = append(b.S45Notices, apiS45Notice{PersonID: n.PersonID, PersonName: n.PersonName, ContactAgency: n.ContactAgency})
	}
	return b
}

// Decoding and failing.

// apiWriteCase reads the case back for the viewer, as it now stands.
func (s *Server) apiWriteCase(w http.ResponseWriter, r *http.Request, status int, ref string) {
	c, err := s.deps.Cases.FindCase(r.Context(), apiActor(r), ref)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/cases/"+c.Reference)
	}
	writeJSON(w, status, apiCaseFrom(c, s.now()))
}

// Cases.

var apiCaseSorts = []string{"", "updated", "opened", "reference", "title"}

func (s *Server) handleAPIListCases() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := apiActor(r)
		if !s.apiRequireCaseWorker(w, r, actor) {
			return
		}
		q := r.URL.Query()
		var bad tropic.Problems
		f := tropic.CaseFilter{Scope: q.Get("scope"), Status: tropic.CaseStatus(q.Get("status")), District: q.Get("district"),
			Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort")}
		switch f.Scope {
		case "", "ours", "shared":
		case "mine": // the cases the user is officer in charge of
			f.Scope, f.Officer = "ours", actor.UserID
		default:
			bad.Add("scope", "must be ours, mine or shared, or left out for both")
		}
		switch f.Status {
		case "", tropic.CaseOpen, tropic.CaseActive, tropic.CaseClosed:
		default:
			bad.Add("status", "must be open, active or closed")
		}
		if !apiOneOf(apiCaseSorts, f.Sort) {
			bad.Add("sort", "must be updated, opened, reference or title")
		}
		f.Limit = apiQueryInt(q, "limit", 50, 200, &bad)
		f.Offset = apiQueryInt(q, "offset", 0, 1<<30, &bad)
		if apiBadQuery(w, &bad) {
			return
		}
		cases, total, err := s.deps.Cases.FindCases(r.Context(), actor, f)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiCaseList{Total: total, Cases: []apiCaseSummary{}}
		for _, c := range cases {
			out.Cases = append(out.Cases, apiCaseSummaryFrom(c))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) handleAPICreateCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := apiActor(r)
		if !tropic.CanOpenCases(actor) {
			s.apiFail(w, r, tropic.Errorf(tropic.EFORBIDDEN, "Only caseworkers, supervisors and the triage hub can open cases."))
			return
		}
		var in apiCaseInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		c := &tropic.Case{Title: in.Title, District: in.District, Status: tropic.CaseStatus(in.Status),
			CrimeReference: in.CrimeReference, Offence: tropic.Offence(in.Offence), OfficerUserID: in.OfficerUserID, ReviewOn: in.ReviewOn}
		c.Exploitation.CountyLines = in.CountyLines
		for _, t := range in.ExploitationTypes {
			c.Exploitation.Types = append(c.Exploitation.Types, tropic.ExploitationType(t))
		}
		if c.Status == tropic.CaseClosed {
			apiInvalid(w, "status", "A case opens as open or active; close it with POST /cases/{reference}/close.")
			return
		}
		if err := s.deps.Cases.CreateCase(r.Context(), actor, c, strings.TrimSpace(in.FromReport)); err != nil {
			s.apiFailNamed(w, r, err, map[string]string{"report": "from_report"})
			return
		}
		if !tropic.CaseWorker(actor) {
			// The triage hub opens cases for its agency but does not see them.
			w.Header().Set("Location", "/api/v1/cases/"+c.Reference)
			writeJSON(w, http.StatusCreated, map[string]string{"reference": c.Reference})
			return
		}
		s.apiWriteCase(w, r, http.StatusCreated, c.Reference)
	})
}

func (s *Server) handleAPIGetCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ref, ok := apiCaseRef(w, r); ok {
			s.apiWriteCase(w, r, http.StatusOK, ref)
		}
	})
}

// handleAPIUpdateCase saves the fields given; a stale version is refused with 409,
// naming who changed the case and when.
func (s *Server) handleAPIUpdateCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiCasePatch
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		actor := apiActor(r)
		c, err := s.deps.Cases.FindCase(r.Context(), actor, ref)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		upd := tropic.CaseUpdate{Version: *in.Version, Title: c.Title, District: c.District, Exploitation: c.Exploitation,
			Status: c.Status, CrimeReference: c.CrimeReference, Offence: c.Offence}
		apiSet(&upd.Title, in.Title)
		apiSet(&upd.District, in.District)
		apiSet(&upd.CrimeReference, in.CrimeReference)
		if in.Offence != nil {
			upd.Offence = tropic.Offence(*in.Offence)
		}
		if in.Status != nil {
			upd.Status = tropic.CaseStatus(*in.Status)
			if upd.Status != tropic.CaseOpen && upd.Status != tropic.CaseActive {
				apiInvalid(w, "status", "Set open or active; close and reopen a case with their own calls.")
				return
			}
		}
		if in.ExploitationTypes != nil {
			upd.Exploitation.Types = nil
			for _, t := range *in.ExploitationTypes {
				upd.Exploitation.Types = append(upd.Exploitation.Types, tropic.ExploitationType(t))
			}
		}
		if in.CountyLines != nil {
			upd.Exploitation.CountyLines = *in.CountyLines
		}
		if err := s.deps.Cases.UpdateCase(r.Context(), actor, ref, upd); err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.apiWriteCase(w, r, http.StatusOK, ref)
	})
}

func (s *Server) handleAPICloseCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiCloseInput
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		req, err := s.deps.Cases.CloseCase(r.Context(), apiActor(r), ref,
			tropic.CaseClosure{Outcome: tropic.CaseOutcome(in.Outcome), Version: *in.Version, Reason: in.Reason, Confirmed: in.ConfirmWarnings})
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		status := http.StatusOK
		if req != nil { // a caseworker's close waits for a supervisor: the case shows it as pending_closure
			status = http.StatusAccepted
		}
		s.apiWriteCase(w, r, status, ref)
	})
}

func (s *Server) handleAPIReopenCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiReopenInput
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		if err := s.deps.Cases.ReopenCase(r.Context(), apiActor(r), ref, in.Reason, *in.Version); err != nil {
			s.apiFail(w, r, err)
			return
		}
		s.apiWriteCase(w, r, http.StatusOK, ref)
	})
}

func (s *Server) handleAPILinkReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiLinkReportInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		actor := apiActor(r)
		if err := s.deps.Cases.LinkReport(r.Context(), actor, ref, strings.TrimSpace(in.Reference)); err != nil {
			s.apiFail(w, r, err)
			return
		}
		if !tropic.CaseWorker(actor) {
			writeJSON(w, http.StatusOK, map[string]string{"reference": ref})
			return
		}
		s.apiWriteCase(w, r, http.StatusOK, ref)
	})
}

// People.

// Places, businesses, vehicles, phones, orders, notes and tasks.

// Shares.

// Access log and search.

func (s *Server) handleAPISearch() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := apiActor(r)
		if !s.apiRequireCaseWorker(w, r, actor) {
			return
		}
		q := r.URL.Query()
		var bad tropic.Problems
		query := strings.TrimSpace(q.Get("q"))
		if query == "" {
			bad.Add("q", "Enter what to search for: a reference, name, phone, registration, postcode or business")
		}
		limit := apiQueryInt(q, "limit", 20, 100, &bad)
		if apiBadQuery(w, &bad) {
			return
		}
		hits, err := s.deps.Cases.Search(r.Context(), actor, query, limit)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiSearchResult{Query: query, Hits: []apiSearchHit{}}
		for _, h := range hits {
			if h.Case != nil {
				out.Hits = append(out.Hits, apiSearchHit{Case: apiCaseSummaryFrom(h.Case), Match: h.Match})
			}
		}
		writeJSON(w, http.StatusOK, out)
	})
}
