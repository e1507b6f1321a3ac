package web

import (
	"net/http"
	"time"

	"tropic/internal/tropic"
)

// The approvals queue and access requests in the API.

type apiApproval struct {
	Kind          string    `json:"kind"`
	ID            int64     `json:"id"`
	CaseReference string    `json:"case_reference"`
	What          string    `json:"what,omitempty"`
	Agency        string    `json:"agency,omitempty"`
	Scope         string    `json:"scope,omitempty"`
	LawfulBasis   string    `json:"lawful_basis,omitempty"`
	Via           string    `json:"via,omitempty"`
	AccessBy      string    `json:"access_by,omitempty"`
	Withdrawn     string    `json:"withdrawn,omitempty"` // an access request whose link was withdrawn since: why
	From          string    `json:"from_role,omitempty"`
	To            string    `json:"to_role,omitempty"`
	Reason        string    `json:"reason"`
	RequestedBy   string    `json:"requested_by"`
	RequestedAt   time.Time `json:"requested_at"`
	// A share or access request: the agreement it cites, or why none applies, and
	// whether it is flagged.
	Agreement         *apiAgreementRef `json:"agreement,omitempty"`
	NoAgreementReason string           `json:"no_agreement_reason,omitempty"`
	Flagged           string           `json:"flagged,omitempty"`
}

type apiApprovalList struct {
	Approvals []apiApproval  `json:"approvals"`
	Counts    map[string]int `json:"counts"`
}

// handleAPIApprovals lists the supervisor's queue, oldest first; to anyone else it is
// empty, as the home page shows them none.
func (s *Server) handleAPIApprovals() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, err := tropic.CollectApprovals(r.Context(), apiActor(r), s.deps.Approvals)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiApprovalList{Approvals: []apiApproval{}, Counts: map[string]int{}}
		for k, n := range tropic.CountApprovals(list) {
			out.Counts[string(k)] = n
		}
		for _, a := range list {
			row := apiApproval{Kind: string(a.Kind), ID: a.ID, CaseReference: a.CaseReference, What: a.What,
				Agency: a.Agency, Scope: string(a.Scope), LawfulBasis: a.LawfulBasis, Via: a.Via, AccessBy: string(a.AccessBy), From: string(a.From), To: string(a.To),
				Withdrawn: a.Withdrawn, Reason: a.Reason, RequestedBy: a.RequestedBy, RequestedAt: a.RequestedAt}
			if sh := a.Share; sh != nil {
				sh.ID = a.ID
				shared := apiShareFrom(sh, s.now())
				row.Agreement, row.NoAgreementReason, row.Flagged = shared.Agreement, shared.NoAgreementReason, shared.Flagged
			}
			out.Approvals = append(out.Approvals, row)
		}
		writeJSON(w, http.StatusOK, out)
	})
}

type apiAccessRequestInput struct {
	CaseReference string `json:"case_reference"`
	Kind          string `json:"kind"`
	Value         string `json:"value"`
	MatchID       int64  `json:"match_id"`
	PersonID      int64  `json:"person_id"`
	AgencyID      int64  `json:"agency_id"`
	Scope         string `json:"scope"`
	LawfulBasis   string `json:"lawful_basis"`
	Reason        string `json:"reason"`
	AgreementID   int64  `json:"agreement_id"`
	NoAgreement   string `json:"no_agreement_reason"`
}

type apiAccessRequestResult struct {
	ID       int64         `json:"id"`
	Agency   agencySummary `json:"agency"`
	Requests int           `json:"requests"`
	Status   string        `json:"status"`
}

// handleAPIRequestAccess asks the agency holding a record linked to the caller's case
// for access to it (202: its supervisors decide).
func (s *Server) handleAPIRequestAccess() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Access == nil {
			s.handleAPINotFound().ServeHTTP(w, r)
			return
		}
		var in apiAccessRequestInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		req := &tropic.AccessRequest{CaseReference: in.CaseReference, Kind: tropic.LinkKind(in.Kind), Value: in.Value, MatchID: in.MatchID, PersonID: in.PersonID, AgencyID: in.AgencyID,
			Scope: tropic.ShareScope(in.Scope), LawfulBasis: in.LawfulBasis, Reason: in.Reason,
			AgreementID: in.AgreementID, NoAgreement: in.NoAgreement}
		if err := s.deps.Access.RequestAccess(r.Context(), apiActor(r), req); err != nil {
			s.apiFailNamed(w, r, err, map[string]string{"agency": "agency_id"})
			return
		}
		writeJSON(w, http.StatusAccepted, apiAccessRequestResult{ID: req.ID, Agency: agencySummary{ID: in.AgencyID, Name: req.AgencyName},
			Requests: req.Requests, Status: string(tropic.ShareRequested)})
	})
}

// apiOwnAccessRequest is one of the caller's requests for access. case_reference is
// the holder's case, given only once the caller's agency may see it.
type apiOwnAccessRequest struct {
	ID             int64      `json:"id"`
	Holder         string     `json:"holder"`
	FromCase       string     `json:"from_case,omitempty"`
	By             string     `json:"by"`
	Via            string     `json:"via,omitempty"`
	Scope          string     `json:"scope"`
	LawfulBasis    string     `json:"lawful_basis"`
	Reason         string     `json:"reason"`
	Status         string     `json:"status"`
	RequestedAt    time.Time  `json:"requested_at"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
	DecisionReason string     `json:"decision_reason,omitempty"`
	CaseReference  string     `json:"case_reference,omitempty"`
	Withdrawn      string     `json:"withdrawn,omitempty"` // waiting, its link withdrawn since: why
}

type apiOwnAccessRequestList struct {
	Requests []apiOwnAccessRequest `json:"requests"`
}

// handleAPIOwnAccessRequests lists the caller's own requests for access, newest first.
func (s *Server) handleAPIOwnAccessRequests() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Access == nil {
			s.handleAPINotFound().ServeHTTP(w, r)
			return
		}
		list, err := s.deps.Access.FindOwnAccessRequests(r.Context(), apiActor(r))
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiOwnAccessRequestList{Requests: []apiOwnAccessRequest{}}
		for _, a := range list {
			o := apiOwnAccessRequest{ID: a.ID, Holder: a.Holder, FromCase: a.FromCase, By: string(a.By), Via: a.Via, Scope: string(a.Scope),
				LawfulBasis: a.LawfulBasis, Reason: a.Reason, Status: string(a.Status), RequestedAt: a.RequestedAt,
				DecisionReason: a.DecisionReason, CaseReference: a.CaseReference, Withdrawn: a.Withdrawn}
			if !a.DecidedAt.IsZero() {
				d := a.DecidedAt
				o.DecidedAt = &d
			}
			out.Requests = append(out.Requests, o)
		}
		writeJSON(w, http.StatusOK, out)
	})
}
