package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"tropic/internal/tropic"
)

// The cases API: shares of a case with other agencies, and who has seen it.

type apiShare struct {
	ID          int64         `json:"id"`
	Agency      agencySummary `json:"agency"`
	Scope       string        `json:"scope"`
	LawfulBasis string        `json:"lawful_basis"`
	Reason      string        `json:"reason"`
	Until       string        `json:"until,omitempty"`
	Status      string        `json:"status"`
	Live        bool          `json:"live"`
	RequestedBy string        `json:"requested_by,omitempty"`
	GrantedBy   string        `json:"granted_by,omitempty"`
	CreatedAt   time.Time     `json:"created_at"`
	DecidedAt   *time.Time    `json:"decided_at,omitempty"`
	RevokedAt   *time.Time    `json:"revoked_at,omitempty"`
	// Declined: the supervisor's reason; closed as covered ("covered"): which active
	// share already gave what it asked.
	DecisionReason string `json:"decision_reason,omitempty"`
	// The agreement from the register the share cites, or why none applies; flagged
	// says why a supervisor should look at it ("no_agreement", "agreement_expired").
	Agreement         *apiAgreementRef `json:"agreement,omitempty"`
	NoAgreementReason string           `json:"no_agreement_reason,omitempty"`
	Flagged           string           `json:"flagged,omitempty"`
}

type apiAgreementRef struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	ReviewOn string `json:"review_on"`
}

type apiAccessLogEntry struct {
	At     time.Time `json:"at"`
	User   string    `json:"user"`
	Agency string    `json:"agency"`
	What   string    `json:"what"`
}

type apiAccessLog struct {
	Entries []apiAccessLogEntry `json:"entries"`
}

type apiShareDecisionInput struct {
	Approve *bool  `json:"approve"`
	Reason  string `json:"reason"` // needed to decline (tropic.CheckDeclineReason)
}

type apiShareInput struct {
	AgencyID    int64  `json:"agency_id"`
	Scope       string `json:"scope"`
	LawfulBasis string `json:"lawful_basis"`
	Reason      string `json:"reason"`
	Until       string `json:"until"`
	AgreementID int64  `json:"agreement_id"`
	NoAgreement string `json:"no_agreement_reason"`
}

func apiShareFrom(s *tropic.Share, now time.Time) apiShare {
	out := apiShare{ID: s.ID, Agency: agencySummary{ID: s.AgencyID, Name: s.AgencyName}, Scope: string(s.Scope),
		LawfulBasis: s.LawfulBasis, Reason: s.Reason, Until: s.Until, Status: string(s.Status), Live: s.Live(now),
		RequestedBy: s.RequestedBy, GrantedBy: s.GrantedBy, CreatedAt: s.CreatedAt, DecidedAt: apiTime(s.DecidedAt),
		RevokedAt: apiTime(s.RevokedAt), DecisionReason: s.DecisionReason, NoAgreementReason: s.NoAgreementReason, Flagged: string(s.Flag(now))}
	if s.AgreementID != 0 {
		out.Agreement = &apiAgreementRef{ID: s.AgreementID, Title: s.AgreementTitle, ReviewOn: s.AgreementReviewOn}
	}
	return out
}

// handleAPIRequestShare asks to share a case (202, for a supervisor to decide), or,
// from a supervisor of the owning agency, shares it at once (201).
func (s *Server) handleAPIRequestShare() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		var in apiShareInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		sh := &tropic.Share{AgencyID: in.AgencyID, Scope: tropic.ShareScope(in.Scope), LawfulBasis: in.LawfulBasis, Reason: in.Reason, Until: strings.TrimSpace(in.Until),
			AgreementID: in.AgreementID, NoAgreementReason: in.NoAgreement}
		if err := s.deps.Cases.RequestShare(r.Context(), apiActor(r), ref, sh); err != nil {
			s.apiFail(w, r, err)
			return
		}
		status := http.StatusCreated
		if sh.Status == tropic.ShareRequested {
			status = http.StatusAccepted
		}
		writeJSON(w, status, apiShareFrom(sh, s.now()))
	})
}

func (s *Server) handleAPIDecideShare() http.Handler {
	return s.handleAPIDecision(func() decideFunc { return s.deps.Cases.DecideShare },
		string(tropic.ShareActive), string(tropic.ShareDeclined))
}

// decideFunc approves or declines request id as the actor, with the decider's reason.
type decideFunc func(ctx context.Context, actor tropic.Actor, id int64, approve bool, reason string) error

// handleAPIDecision serves the decision on a request another agency made (a share, a
// reveal): {"approve": bool, "reason": "..."} in, the request's new status out. decide
// returns nil when the service is not configured, which reads as no such route.
func (s *Server) handleAPIDecision(decide func() decideFunc, approved, declined string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fn := decide()
		if fn == nil {
			s.handleAPINotFound().ServeHTTP(w, r)
			return
		}
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		var in apiShareDecisionInput
		if !s.decodeJSON(w, r, &in) {
			return
		}
		if in.Approve == nil {
			apiInvalid(w, "approve", "Give true to approve or false to decline.")
			return
		}
		if err := fn(r.Context(), apiActor(r), id, *in.Approve, in.Reason); err != nil {
			s.apiFail(w, r, err)
			return
		}
		status := declined
		if *in.Approve {
			status = approved
		}
		writeJSON(w, http.StatusOK, apiDecision{ID: id, Status: status})
	})
}

func (s *Server) handleAPIRevokeShare() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := apiPathID(w, r)
		if !ok {
			return
		}
		if err := s.deps.Cases.RevokeShare(r.Context(), apiActor(r), id); err != nil {
			s.apiFail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, apiDecision{ID: id, Status: string(tropic.ShareRevoked)})
	})
}

func (s *Server) handleAPIAccessLog() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, ok := apiCaseRef(w, r)
		if !ok {
			return
		}
		entries, err := s.deps.Cases.FindAccessLog(r.Context(), apiActor(r), ref)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		out := apiAccessLog{Entries: []apiAccessLogEntry{}}
		for _, e := range entries {
			out.Entries = append(out.Entries, apiAccessLogEntry{At: e.At, User: e.User, Agency: e.Agency, What: e.What})
		}
		writeJSON(w, http.StatusOK, out)
	})
}
