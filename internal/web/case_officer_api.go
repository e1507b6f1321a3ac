package web

import (
	"net/http"
	"time"

	"tropic/internal/tropic"
)

// The officer in charge, the review date and closure by a supervisor, in the API
// (issue 12, item 5).

// apiClosure is a request to close a case.
type apiClosure struct {
	CaseReference string    `json:"case_reference"`
	Outcome       string    `json:"outcome"`
	Reason        string    `json:"reason"`
	Status        string    `json:"status"`
	RequestedBy   string    `json:"requested_by"`
	RequestedAt   time.Time `json:"requested_at"`
}

func apiClosureFrom(req *tropic.ClosureRequest) *apiClosure {
	return &apiClosure{CaseReference: req.CaseReference, Outcome: string(req.Outcome), Reason: req.Reason, Status: string(req.Status),
		RequestedBy: req.RequestedBy, RequestedAt: req.RequestedAt}
}

type apiAssignInput struct {
	Version       *int   `json:"version"`
	OfficerUserID int64  `json:"officer_user_id"` // 0 or left out: nobody
	ReviewOn      string `json:"review_on"`       // YYYY-MM-DD, or "" for none
}

// handleAPIAssignCase sets the officer in charge and the review date.
func (s *Server) handleAPIAssignCase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiAssignInput
		if !s.decodeJSON(w, r, &in) || !apiRequireVersion(w, in.Version) {
			return
		}
		a := tropic.CaseAssignment{Version: *in.Version, OfficerUserID: in.OfficerUserID, ReviewOn: in.ReviewOn}
		if err := s.deps.Cases.AssignCase(r.Context(), apiActor(r), ref, a); err != nil {
			s.apiFailNamed(w, r, err, map[string]string{"officer": "officer_user_id"})
			return
		}
		s.apiWriteCase(w, r, http.StatusOK, ref)
	})
}

type apiClosureDecisionInput struct {
	Decision        string `json:"decision"` // "approve" or "refuse"
	Note            string `json:"note"`     // required to refuse
	ConfirmWarnings bool   `json:"confirm_warnings"`
}

// handleAPIDecideClosure approves or refuses the request to close the case.
func (s *Server) handleAPIDecideClosure() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiClosureDecisionInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		if in.Decision != "approve" && in.Decision != "refuse" {
			apiInvalid(w, "decision", "must be approve or refuse")
			return
		}
		if err := s.deps.Cases.DecideClosure(r.Context(), apiActor(r), ref, in.Decision == "approve", in.Note, in.ConfirmWarnings); err != nil {
			s.apiFailNamed(w, r, err, map[string]string{"confirm": "confirm_warnings"})
			return
		}
		s.apiWriteCase(w, r, http.StatusOK, ref)
	})
}
