package web

import (
	"net/http"
	"time"

	"tropic/internal/tropic"
)

// The matches API: a case's suggested person matches, the decisions on them, and
// the network around the case, as JSON. Need to know as on the pages: a record the
// token's user may not see is told only by the agency that holds it.

// apiSuggestion is one suggested match of a person on the case.
type apiSuggestion struct {
	ID            int64           `json:"id"`
	PersonID      int64           `json:"person_id"`
	PersonName    string          `json:"person_name"`
	Status        string          `json:"status"`
	Probability   *float64        `json:"probability,omitempty"` // only when visible: it would tell levels of a field apart
	Band          string          `json:"band"`
	Explanation   string          `json:"explanation"`
	Visible       bool            `json:"visible"`
	OtherPersonID int64           `json:"other_person_id,omitempty"`
	OtherName     string          `json:"other_name,omitempty"`
	OtherCases    []string        `json:"other_cases,omitempty"`
	HeldBy        string          `json:"held_by"`
	Holders       []agencySummary `json:"holders,omitempty"` // a hidden record's: whom POST /api/v1/access-requests asks
	DecidedBy     string          `json:"decided_by,omitempty"`
	DecidedAt     *time.Time      `json:"decided_at,omitempty"`
	Reason        string          `json:"reason,omitempty"`
}

// apiSuggestionList is a case's suggestions, open ones and those linked or merged.
type apiSuggestionList struct {
	Suggestions []apiSuggestion `json:"suggestions"`
}

// apiMatchDecisionInput decides a suggestion.
type apiMatchDecisionInput struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// apiUndoMergeInput takes a merge back.
type apiUndoMergeInput struct {
	Reason string `json:"reason"`
}

// apiNetwork is the network around a case.
type apiNetwork struct {
	Nodes     []apiNetworkNode `json:"nodes"`
	Edges     []apiNetworkEdge `json:"edges"`
	Truncated bool             `json:"truncated"`
}

type apiNetworkNode struct {
	Key             string `json:"key"`
	Kind            string `json:"kind"`
	Label           string `json:"label"`
	Visible         bool   `json:"visible"`
	HeldBy          string `json:"held_by,omitempty"`
	CaseReference   string `json:"case_reference,omitempty"`
	ReportReference string `json:"report_reference,omitempty"`
	PersonID        int64  `json:"person_id,omitempty"`
	Root            bool   `json:"root,omitempty"`
}

type apiNetworkEdge struct {
	From string `json:"from"`
	To   string `json:"to"`
	Why  string `json:"why"`
}

func apiSuggestionFrom(ps tropic.PersonSuggestion) apiSuggestion {
	out := apiSuggestion{ID: ps.ID, PersonID: ps.PersonID, PersonName: ps.PersonName, Status: string(ps.Status),
		Band: string(ps.Band), Explanation: ps.Explanation, Visible: ps.Visible, HeldBy: ps.HeldBy,
		DecidedBy: ps.DecidedBy, Reason: ps.Reason}
	for _, a := range ps.Holders {
		out.Holders = append(out.Holders, agencySummary{ID: a.ID, Name: a.Name})
	}
	if ps.Visible {
		p := ps.Probability
		out.Probability = &p
		out.OtherPersonID, out.OtherName, out.OtherCases = ps.OtherID, ps.OtherName, ps.OtherCases
	}
	if !ps.DecidedAt.IsZero() {
		out.DecidedAt = apiTime(ps.DecidedAt)
	}
	return out
}

// apiMatchOwner finds the case of the path as the user may see it, and refuses a
// decision to anyone but the agency that owns it: 404 for a case they may not see,
// 403 for one they see through a share. ok is false after answering.
func (s *Server) apiMatchOwner(w http.ResponseWriter, r *http.Request) (ref string, id int64, ok bool) {
	ref, ok = s.apiMatchCase(w, r)
	if !ok {
		return "", 0, false
	}
	if id, ok = apiPathID(w, r); !ok {
		return "", 0, false
	}
	c, err := s.deps.Cases.FindCase(r.Context(), apiActor(r), ref)
	if err != nil {
		s.apiFail(w, r, err)
		return "", 0, false
	}
	if userFrom(r.Context()).AgencyID != c.OwnerAgencyID {
		s.apiFail(w, r, tropic.Errorf(tropic.EFORBIDDEN, "Only %s decides on the suggested matches of this case.", c.OwnerAgency))
		return "", 0, false
	}
	return c.Reference, id, true
}

// apiMatchCase reads the case reference of the path; without a match service there
// are no matches to tell of, and the answer is the missing one.
func (s *Server) apiMatchCase(w http.ResponseWriter, r *http.Request) (string, bool) {
	if s.deps.Matches == nil {
		apiNotFound(w)
		return "", false
	}
	return apiCaseRef(w, r)
}

func (s *Server) handleAPIListMatches() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := s.apiMatchCase(w, r)
		if !ok {
			return
		}
		list, err := s.deps.Matches.Suggestions(r.Context(), apiActor(r), ref)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiSuggestionList{Suggestions: []apiSuggestion{}}
		for _, ps := range list {
			out.Suggestions = append(out.Suggestions, apiSuggestionFrom(ps))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// apiMatchStatus is what a decision makes of a suggestion.
var apiMatchStatus = map[tropic.MatchDecision]tropic.MatchStatus{
	tropic.DecideLink: tropic.MatchLinked, tropic.DecideMerge: tropic.MatchMerged, tropic.DecideReject: tropic.MatchRejected,
}

func (s *Server) handleAPIDecideMatch() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, id, ok := s.apiMatchOwner(w, r)
		if !ok {
			return
		}
		var in apiMatchDecisionInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		d := tropic.MatchDecision(in.Decision)
		if _, known := apiMatchStatus[d]; !known {
			apiInvalid(w, "decision", "Give link, merge or reject.")
			return
		}
		if err := s.deps.Matches.Decide(r.Context(), apiActor(r), ref, id, d, in.Reason); err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiDecision{ID: id, Status: string(apiMatchStatus[d])})
	})
}

func (s *Server) handleAPIUndoMerge() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, id, ok := s.apiMatchOwner(w, r)
		if !ok {
			return
		}
		var in apiUndoMergeInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		if err := s.deps.Matches.UndoMerge(r.Context(), apiActor(r), ref, id, in.Reason); err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiDecision{ID: id, Status: string(tropic.MatchUndone)})
	})
}

func (s *Server) handleAPICaseNetwork() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := s.apiMatchCase(w, r)
		if !ok {
			return
		}
		var bad tropic.Problems
		depth := apiQueryInt(r.URL.Query(), "depth", defaultNetworkDepth, maxNetworkDepth, &bad)
		if depth < 1 {
			bad.Add("depth", "must be 1, 2 or 3")
		}
		if apiBadQuery(w, &bad) {
			return
		}
		nw, err := s.deps.Matches.CaseNetwork(r.Context(), apiActor(r), ref, depth, caseNetworkLimit)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiNetwork{Nodes: []apiNetworkNode{}, Edges: []apiNetworkEdge{}, Truncated: nw.Truncated}
		for _, n := range nw.Nodes {
			out.Nodes = append(out.Nodes, apiNetworkNode{Key: n.Key, Kind: n.Kind, Label: n.Label, Visible: n.Visible, HeldBy: n.HeldBy,
				CaseReference: n.CaseRef, ReportReference: n.Report, PersonID: n.Person, Root: n.Root})
		}
		for _, e := range nw.Edges {
			out.Edges = append(out.Edges, apiNetworkEdge{From: e.From, To: e.To, Why: e.Why})
		}
		writeJSON(w, http.StatusOK, out)
	})
}
