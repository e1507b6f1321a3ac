package web

import (
	"net/http"
	"strconv"
	"time"

	"tropic/internal/tropic"
)

// The API of reveal requests (decision 75): an analyst asks and lists their own;
// a supervisor of the holding agency decides. The same rules as the pages.

type apiRevealInput struct {
	Person      string `json:"person"` // the network's key: "person:3fa2…"
	AgencyID    int64  `json:"agency_id"`
	Purpose     string `json:"purpose"`
	AgreementID int64  `json:"agreement_id"`
	NoAgreement string `json:"agreement_reason"`
}

type apiReveal struct {
	ID             int64      `json:"id"`
	Person         string     `json:"person"`
	Pseudonym      string     `json:"pseudonym"`
	Holder         string     `json:"holder"`
	Purpose        string     `json:"purpose"`
	Status         string     `json:"status"`
	RequestedAt    time.Time  `json:"requested_at"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
	DecisionReason string     `json:"decision_reason,omitempty"`
	Until          *time.Time `json:"until,omitempty"`
	Name           string     `json:"name,omitempty"` // approved and in force, while the holder holds them
}

type apiRevealList struct {
	Requests []apiReveal `json:"requests"`
}

func (s *Server) handleAPIAskReveal() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Reveals == nil {
			s.handleAPINotFound().ServeHTTP(w, r)
			return
		}
		var in apiRevealInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		f := revealForm{Person: in.Person, Agency: strconv.FormatInt(in.AgencyID, 10), Purpose: in.Purpose,
			Agreement: strconv.FormatInt(in.AgreementID, 10), NoneWhy: in.NoAgreement}
		req := f.request()
		if err := s.deps.Reveals.AskReveal(r.Context(), apiActor(r), req); err != nil {
			s.apiFailNamed(w, r, err, map[string]string{"agreement": "agreement_id"})
			return
		}
		writeJSON(w, http.StatusAccepted, apiRevealFrom(*req))
	})
}

func apiRevealFrom(v tropic.RevealRequest) apiReveal {
	o := apiReveal{ID: v.ID, Person: v.PersonKey, Pseudonym: v.Pseudonym, Holder: v.Agency, Purpose: v.Purpose, Status: string(v.Status),
		RequestedAt: v.RequestedAt, DecisionReason: v.DecisionReason, Name: v.Name}
	if !v.DecidedAt.IsZero() {
		d := v.DecidedAt
		o.DecidedAt = &d
	}
	if !v.Until.IsZero() {
		u := v.Until
		o.Until = &u
	}
	return o
}

func (s *Server) handleAPIOwnReveals() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deps.Reveals == nil {
			s.handleAPINotFound().ServeHTTP(w, r)
			return
		}
		list, err := s.deps.Reveals.FindOwnReveals(r.Context(), apiActor(r))
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiRevealList{Requests: []apiReveal{}}
		for _, v := range list {
			out.Requests = append(out.Requests, apiRevealFrom(v))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) handleAPIDecideReveal() http.Handler {
	return s.handleAPIDecision(func() decideFunc {
		if s.deps.Reveals == nil {
			return nil
		}
		return s.deps.Reveals.DecideReveal
	}, string(tropic.RevealApproved), string(tropic.RevealDeclined))
}
